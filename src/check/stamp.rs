//! Translation stamps: which version of the default-language page a translation was made from.
//!
//! A stamp is the first 8 hex digits of the SHA-256 of the source page's Markdown body (front
//! matter left out, line endings as LF, trailing whitespace dropped), kept in the translation's
//! front matter as `translated_from: 3f2a9c1e`. Editing the source's front matter (a new
//! `reviewed` date) leaves translations current; editing its body makes them "older than the
//! source" until a translator updates them and stamps them again with `--fix-translated`.

use crate::config::Config;
use crate::content::{CONTENT_DIR, PageKey, parse_file};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const KEY: &str = "translated_from";

/// The stamp of a Markdown body.
pub(crate) fn of_body(body: &str) -> String {
    let digest = Sha256::digest(body.trim_end().as_bytes());
    digest[..4].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `--fix-translated`: stamps the named translations (relative to the current folder or the
/// site root), or with none named every translation that has no stamp yet. Returns the files
/// written, relative to the root; a named file that is no translation is an error.
pub(crate) fn fix(root: &Path, config: &Config, named: &[PathBuf]) -> Result<Vec<String>, String> {
    let default = &config.default_language().code;
    // A named file is stamped again even if it has a stamp; the others are found unstamped.
    let targets: Vec<(PageKey, bool)> = if named.is_empty() {
        unstamped(root, config)
            .into_iter()
            .map(|k| (k, false))
            .collect()
    } else {
        named
            .iter()
            .map(|p| translation_of(root, config, p).map(|k| (k, true)))
            .collect::<Result<_, _>>()?
    };
    let mut written = Vec::new();
    for (PageKey { lang, rel }, overwrite) in targets {
        let shown = format!("{CONTENT_DIR}/{lang}/{rel}");
        let source_file = format!("{CONTENT_DIR}/{default}/{rel}");
        let source = read_body(root, &source_file).ok_or_else(|| {
            format!("{shown}: no readable source page {source_file} to stamp from")
        })?;
        let path = root.join(&shown);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{shown}: {e}"))?;
        let Some(new) = with_stamp(&text, &of_body(&source), overwrite) else {
            continue;
        };
        write_replacing(&path, &new).map_err(|e| format!("{shown}: cannot write: {e}"))?;
        written.push(shown);
    }
    Ok(written)
}

/// The body of a page file, when it reads and parses.
fn read_body(root: &Path, file: &str) -> Option<std::sync::Arc<str>> {
    let bytes = std::fs::read(root.join(file)).ok()?;
    parse_file(Path::new(file), &bytes).ok().map(|s| s.body)
}

/// Every translation with a source page and no stamp.
fn unstamped(root: &Path, config: &Config) -> Vec<PageKey> {
    let pages = super::content::load(root, config).pages;
    let default = &config.default_language().code;
    // A set, not a scan of every page per translation: quadratic on a large site.
    let sources: BTreeSet<&str> = pages
        .iter()
        .filter(|s| &s.lang == default)
        .map(|s| s.rel.as_str())
        .collect();
    pages
        .iter()
        .filter(|p| &p.lang != default && p.front.translated_from.is_none())
        .filter(|p| sources.contains(p.rel.as_str()))
        .map(|p| PageKey::new(&p.lang, &p.rel))
        .collect()
}

/// The page a named file is, which must be a Markdown page in a non-default language folder.
fn translation_of(root: &Path, config: &Config, path: &Path) -> Result<PageKey, String> {
    let shown = path.display();
    // As given (relative to the current folder), else relative to the site root, so the paths
    // `check --root DIR` prints work as they are.
    let found = if path.exists() || path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let full = std::fs::canonicalize(found).map_err(|e| format!("{shown}: {e}"))?;
    let content = std::fs::canonicalize(root.join(CONTENT_DIR))
        .map_err(|e| format!("{}: {e}", root.join(CONTENT_DIR).display()))?;
    let inside = full
        .strip_prefix(&content)
        .map_err(|_| format!("{shown} is not under the site's {CONTENT_DIR}/ folder"))?;
    let mut parts = inside.iter().map(|c| c.to_string_lossy().into_owned());
    let lang = parts.next().unwrap_or_default();
    let rel = parts.collect::<Vec<_>>().join("/");
    if !rel.ends_with(".md") || config.language(&lang).is_none() {
        return Err(format!("{shown} is not a page of a configured language"));
    }
    if lang == config.default_language().code {
        return Err(format!(
            "{shown} is in the default language; stamp its translations instead"
        ));
    }
    Ok(PageKey::new(lang, rel))
}

/// The file's text with `translated_from: <stamp>` in its front matter: an existing stamp is
/// replaced when `overwrite`, else left alone (`None`: nothing to write). Line endings and every
/// other line stay as they were.
fn with_stamp(text: &str, stamp: &str, overwrite: bool) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let mut lines: Vec<&str> = text[bom.len()..].split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    let line = format!("{KEY}: {stamp}{nl}");
    match (1..close).find(|&i| lines[i].starts_with(&format!("{KEY}:"))) {
        Some(i) if !overwrite || lines[i].trim_end() == line.trim_end() => return None,
        Some(i) => lines[i] = &line,
        None => lines.insert(close, &line),
    }
    Some(format!("{bom}{}", lines.concat()))
}

/// Writes through a hidden temp file beside the target and a rename, so an editor never sees
/// a half-written page (and the content walk ignores the temp file).
fn write_replacing(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.steppe-stamp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_ignores_trailing_whitespace_only() {
        assert_eq!(of_body("# Hi\n"), of_body("# Hi\n\n"));
        assert_ne!(of_body("# Hi\n"), of_body("# Hello\n"));
        assert_eq!(of_body("x").len(), 8);
    }

    #[test]
    fn inserts_before_closing_line_keeping_crlf() {
        let t = "---\r\ntitle: A\r\n---\r\nbody\r\n";
        assert_eq!(
            with_stamp(t, "0badc0de", false).unwrap(),
            "---\r\ntitle: A\r\ntranslated_from: 0badc0de\r\n---\r\nbody\r\n"
        );
    }

    #[test]
    fn replaces_only_when_asked() {
        let t = "---\ntitle: A\ntranslated_from: 11111111\n---\nbody\n";
        assert_eq!(with_stamp(t, "22222222", false), None);
        assert_eq!(
            with_stamp(t, "22222222", true).unwrap(),
            "---\ntitle: A\ntranslated_from: 22222222\n---\nbody\n"
        );
        assert_eq!(with_stamp(t, "11111111", true), None);
    }

    #[test]
    fn a_body_line_that_looks_like_a_key_is_not_touched() {
        let t = "---\ntitle: A\n---\ntranslated_from: body text\n";
        let new = with_stamp(t, "0badc0de", true).unwrap();
        assert!(new.ends_with("---\ntranslated_from: body text\n"), "{new}");
    }
}
