//! `steppe init` and `steppe theme eject`: files for the user to edit.
//!
//! Input: a folder (and, for `init`, language codes). Output: a starter site (a commented
//! site.yaml and two pages per language, no theme folder: the built-in theme serves) or a copy
//! of the built-in theme. Both write only inside the folder the user named, and refuse a
//! folder that already has files unless forced.

use crate::theme_files;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{} is not empty", .0.display())]
    NotEmpty(PathBuf),
    #[error("language code '{0}' must be lower-case ASCII letters, digits or '-'")]
    BadLanguage(String),
    #[error("language '{0}' is listed twice")]
    DuplicateLanguage(String),
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl InitError {
    pub fn hint(&self) -> Option<String> {
        match self {
            InitError::NotEmpty(_) => {
                Some("choose a new or empty folder, or pass --force to write into it".into())
            }
            InitError::BadLanguage(_) | InitError::DuplicateLanguage(_) => {
                Some("list codes separated by commas: --languages en,zh,ar".into())
            }
            InitError::Write { .. } => None,
        }
    }

    /// Whether the user asked for something impossible (exit 2) rather than the disk failing.
    pub fn is_usage(&self) -> bool {
        !matches!(self, InitError::Write { .. })
    }
}

/// A language's tag, own name and direction for site.yaml; unknown codes keep the code.
fn language_line(code: &str, default: bool) -> String {
    let (tag, name, rtl) = match code {
        "en" => ("en", "English", false),
        "zh" => ("zh-Hans", "中文", false),
        "ru" => ("ru", "Русский", false),
        "kk" => ("kk", "Қазақша", false),
        "ar" => ("ar", "العربية", true),
        "he" => ("he", "עברית", true),
        "fa" => ("fa", "فارسی", true),
        "ur" => ("ur", "اردو", true),
        "fr" => ("fr", "Français", false),
        "de" => ("de", "Deutsch", false),
        "es" => ("es", "Español", false),
        "ja" => ("ja", "日本語", false),
        other => (other, other, false),
    };
    let mut line = format!("  - {{code: {code}, tag: {tag}, name: {name}");
    if default {
        line.push_str(", default: true");
    }
    if rtl {
        line.push_str(", dir: rtl");
    }
    line.push('}');
    line
}

/// Home page and first page titles in a few languages; others start in English.
fn titles(code: &str) -> (&'static str, &'static str) {
    match code {
        "zh" => ("欢迎", "入门"),
        "ru" => ("Добро пожаловать", "Начало работы"),
        "kk" => ("Қош келдіңіз", "Бастау"),
        "ar" => ("مرحبًا", "البدء"),
        _ => ("Welcome", "Getting started"),
    }
}

fn site_yaml(languages: &[String]) -> String {
    let titles: String = languages
        .iter()
        .map(|l| format!("  {l}: My documentation\n"))
        .collect();
    let langs: Vec<String> = languages
        .iter()
        .enumerate()
        .map(|(i, l)| language_line(l, i == 0))
        .collect();
    format!(
        "# Settings of this steppe site. Every key is described in steppe's README
# (\"site.yaml reference\"); unknown keys are errors.

# The site's name, per language (or one string for every language).
title:
{titles}
# Where the site will be published, ending in /. Needed for sitemap.xml and canonical links.
# base_url: https://example.org/docs/

# The theme: `default` is built into steppe. Files in themes/default/ override it one by one;
# `steppe theme eject` copies the whole theme there for editing.
# theme: default

# Where `steppe build` writes the site.
# output_dir: public

# One entry per language: code (URL and content/<code>/ folder), tag (BCP 47, for lang and
# hreflang), name (in its own script). One is the default; `dir: rtl` for right-to-left scripts.
languages:
{}
",
        langs.join("\n")
    )
}

fn home_page(code: &str) -> String {
    let (welcome, start) = titles(code);
    format!(
        "---
title: {welcome}
description: The home page of a new steppe site.
---

This is `content/{code}/_index.md`, the home page in this language. Edit it while
`steppe serve` runs and the browser reloads on every save.

- [{start}](getting-started.md)
"
    )
}

fn first_page(code: &str) -> String {
    let (_, start) = titles(code);
    format!(
        "---
title: {start}
weight: 1
---

Pages are Markdown files under `content/{code}/`. The same path in another language's folder
is the same page translated, and the language switcher links them.

## Code

```sh
steppe serve    # preview with live reload
steppe build    # write the site into public/
```

## Math

$$\\int_0^1 x\\,dx = \\frac{{1}}{{2}}$$
"
    )
}

/// Every file of a starter site with the given languages (the first is the default).
pub fn starter_files(languages: &[String]) -> Vec<(PathBuf, String)> {
    let mut files = vec![(PathBuf::from("site.yaml"), site_yaml(languages))];
    for code in languages {
        let dir = Path::new("content").join(code);
        files.push((dir.join("_index.md"), home_page(code)));
        files.push((dir.join("getting-started.md"), first_page(code)));
    }
    files
}

fn check_languages(languages: &[String]) -> Result<(), InitError> {
    for (i, code) in languages.iter().enumerate() {
        let valid = !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            return Err(InitError::BadLanguage(code.clone()));
        }
        if languages[..i].contains(code) {
            return Err(InitError::DuplicateLanguage(code.clone()));
        }
    }
    Ok(())
}

/// Refuses a folder with anything in it, unless forced.
fn check_empty(dir: &Path, force: bool) -> Result<(), InitError> {
    let has_files = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_files && !force {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    Ok(())
}

fn write_all<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (PathBuf, &'a [u8])>,
) -> Result<usize, InitError> {
    let mut n = 0;
    for (rel, bytes) in files {
        let path = dir.join(rel);
        let write = |p: &Path| -> std::io::Result<()> {
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(p, bytes)
        };
        write(&path).map_err(|source| InitError::Write {
            path: path.clone(),
            source,
        })?;
        n += 1;
    }
    Ok(n)
}

/// Writes a starter site into `dir`; returns the number of files written.
pub fn init(dir: &Path, languages: &[String], force: bool) -> Result<usize, InitError> {
    check_languages(languages)?;
    check_empty(dir, force)?;
    let files = starter_files(languages);
    write_all(
        dir,
        files.iter().map(|(p, text)| (p.clone(), text.as_bytes())),
    )
}

/// Copies the built-in theme into `dir`; returns the number of files written.
pub fn eject(dir: &Path, force: bool) -> Result<usize, InitError> {
    check_empty(dir, force)?;
    write_all(
        dir,
        theme_files::built_in().map(|(rel, bytes)| (PathBuf::from(rel), bytes)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_config_parses_with_rtl_language() {
        let files = starter_files(&["en".into(), "ar".into()]);
        let config = crate::config::Config::parse(&files[0].1).unwrap();
        assert_eq!(config.default_language().code, "en");
        assert_eq!(
            config.language("ar").unwrap().dir,
            crate::config::Direction::Rtl
        );
    }

    #[test]
    fn refuses_a_folder_with_files_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let langs = vec!["en".to_owned()];
        assert!(matches!(
            init(dir.path(), &langs, false),
            Err(InitError::NotEmpty(_))
        ));
        assert_eq!(init(dir.path(), &langs, true).unwrap(), 3);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn bad_language_codes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(init(dir.path(), &["EN".into()], false).is_err());
        assert!(init(dir.path(), &["en".into(), "en".into()], false).is_err());
    }
}
