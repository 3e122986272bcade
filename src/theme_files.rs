//! The theme's files: the built-in theme (the repository's `themes/default/`, compiled into the
//! binary) overridden file by file by the site's own `themes/<theme>/`.
//!
//! Input: the site root and the theme name from site.yaml. Output: every file of the merged
//! theme by its path inside the theme (`templates/base.html`), sorted, with the path to show in
//! messages. Templates, static files and UI strings all read this one map.

use crate::content::is_ignored_name;
use crate::diagnostics::Diagnostic;
use include_dir::{Dir, include_dir};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The theme name that needs no folder: the built-in one.
pub const BUILT_IN_NAME: &str = "default";

/// How messages name a file of the built-in theme (it has no path on the user's disk).
pub const BUILT_IN_SHOWN: &str = "(built-in theme)";

/// One file of the merged theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Cow<'static, [u8]>,
    /// `themes/default/templates/page.html` for a site's file, `(built-in theme)/…` otherwise.
    pub shown: PathBuf,
}

/// The merged theme: site files over built-in ones.
#[derive(Debug, Clone)]
pub struct ThemeFiles {
    /// `themes/<theme>`, relative to the site root.
    pub dir: PathBuf,
    pub files: BTreeMap<String, ThemeFile>,
}

impl ThemeFiles {
    /// Reads the site's theme folder (if any) over the built-in theme. A theme other than the
    /// built-in one must have its folder.
    pub fn load(root: &Path, theme: &str) -> Result<ThemeFiles, Diagnostic> {
        let dir = Path::new("themes").join(theme);
        let mut files: BTreeMap<String, ThemeFile> = built_in()
            .map(|(rel, bytes)| {
                let shown = Path::new(BUILT_IN_SHOWN).join(&rel);
                let file = ThemeFile {
                    bytes: Cow::Borrowed(bytes),
                    shown,
                };
                (rel, file)
            })
            .collect();
        if root.join(&dir).is_dir() {
            for (rel, path) in site_files(&root.join(&dir)) {
                let shown = dir.join(&rel);
                let bytes = std::fs::read(&path).map_err(|e| {
                    Diagnostic::new(format!("cannot read theme file: {e}")).in_file(&shown)
                })?;
                let file = ThemeFile {
                    bytes: Cow::Owned(bytes),
                    shown,
                };
                files.insert(rel, file);
            }
        } else if theme != BUILT_IN_NAME {
            return Err(Diagnostic::new(format!("theme '{theme}' not found"))
                .in_file(&dir)
                .with_hint(
                    "set `theme:` in site.yaml to a folder under themes/, or remove it to use the \
                     built-in theme (`steppe theme eject` copies it out for editing)",
                ));
        }
        Ok(ThemeFiles { dir, files })
    }

    /// Files under `folder/` (`templates`), by their path inside it.
    pub fn under<'a>(&'a self, folder: &str) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> {
        let prefix = format!("{folder}/");
        self.files
            .iter()
            .filter_map(move |(rel, f)| rel.strip_prefix(prefix.as_str()).map(|r| (r, f)))
    }

    pub fn get(&self, rel: &str) -> Option<&ThemeFile> {
        self.files.get(rel)
    }
}

/// Every file of the built-in theme with its path inside the theme, sorted.
pub fn built_in() -> impl Iterator<Item = (String, &'static [u8])> {
    let mut out = Vec::new();
    collect(&BUILT_IN, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter()
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        if !rel.split('/').any(is_ignored_name) {
            out.push((rel, file.contents()));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// The site theme folder's files, sorted, skipping editor and system files.
fn site_files(dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_has_templates_strings_and_styles() {
        let names: Vec<String> = built_in().map(|(n, _)| n).collect();
        for needed in ["templates/base.html", "i18n/en.yaml", "static/style.css"] {
            assert!(names.iter().any(|n| n == needed), "{needed} in {names:?}");
        }
    }

    #[test]
    fn site_file_overrides_built_in_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("page.html"), "mine").unwrap();
        let files = ThemeFiles::load(dir.path(), "default").unwrap();
        let page = files.get("templates/page.html").unwrap();
        assert_eq!(&*page.bytes, b"mine");
        assert_eq!(page.shown, Path::new("themes/default/templates/page.html"));
        let base = files.get("templates/base.html").unwrap();
        assert!(base.shown.starts_with(BUILT_IN_SHOWN));
    }

    #[test]
    fn other_theme_needs_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let e = ThemeFiles::load(dir.path(), "fancy").unwrap_err();
        assert!(e.to_string().contains("theme 'fancy' not found"), "{e}");
    }
}
