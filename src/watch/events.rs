//! Sorting file-system events into the kinds of change the pipeline knows.

use crate::build::Changes;
use crate::content::{CONTENT_DIR, is_ignored_name};
use notify::RecursiveMode;
use notify_debouncer_full::DebouncedEvent;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where things are, resolved once so events can be matched by prefix.
pub struct Layout {
    pub root: PathBuf,
    pub out: PathBuf,
    pub theme: PathBuf,
}

/// One debounced burst of events, sorted.
#[derive(Debug, Default)]
pub struct Batch {
    pub changes: Changes,
    /// Short names of the changed paths, for the report.
    pub names: BTreeSet<String>,
    /// Watched folders an event named: created, deleted or moved, so their watch is stale.
    pub touched: BTreeSet<PathBuf>,
    /// A folder appeared: files written into it before its watch was set sent no event.
    pub new_dir: bool,
}

impl Layout {
    /// Sorts a burst of events; `watched` tells which paths are watched folders.
    pub fn sort(
        &self,
        events: impl IntoIterator<Item = DebouncedEvent>,
        watched: impl Fn(&Path) -> bool,
    ) -> Batch {
        let mut batch = Batch::default();
        // Reads (including steppe's own) say nothing changed.
        let events = events
            .into_iter()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)));
        for event in events {
            for path in &event.paths {
                if watched(path) {
                    batch.touched.insert(path.clone());
                }
                if let Some(name) = self.classify(path, &mut batch.changes) {
                    batch.new_dir |= path.is_dir();
                    batch.names.insert(name);
                }
            }
        }
        batch
    }

    /// The folders to watch: folders, never single files, since editors that save by renaming
    /// a temp file over the original replace the file a single-file watch would follow. All of
    /// `themes/`, so a theme switch or a deleted and restored theme needs no new watch list;
    /// the root only for site.yaml and for `content/`, `themes/` or `data/` coming back; `data/`
    /// for collection items; `i18n/` for the site's own UI strings.
    pub fn watched_dirs(&self) -> [(PathBuf, RecursiveMode); 5] {
        [
            (self.root.clone(), RecursiveMode::NonRecursive),
            (self.root.join(CONTENT_DIR), RecursiveMode::Recursive),
            (self.root.join("themes"), RecursiveMode::Recursive),
            (
                self.root.join(crate::config::DATA_DIR),
                RecursiveMode::Recursive,
            ),
            (
                self.root.join(crate::i18n::SITE_I18N_DIR),
                RecursiveMode::Recursive,
            ),
        ]
    }

    /// Adds one event path to `changes`; returns a short name for the report, or `None` when the
    /// path does not matter (output, editor temp files, unrelated files).
    pub fn classify(&self, path: &Path, changes: &mut Changes) -> Option<String> {
        if path.starts_with(&self.out) || self.is_output_sibling(path) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        if rel.iter().any(|c| {
            let name = c.to_string_lossy();
            is_ignored_name(&name) || name == "target"
        }) {
            return None;
        }
        let shown = rel.to_string_lossy().replace('\\', "/");
        // Collection items are part of the config: a data file reloads everything.
        if rel == Path::new(crate::config::CONFIG_FILE) || rel.starts_with(crate::config::DATA_DIR)
        {
            changes.config = true;
        } else if !rel.as_os_str().is_empty() && self.theme.starts_with(path) {
            // The theme folder or `themes/` came or went: any of its files may differ, and
            // those written before its new watch was set sent no event.
            changes.theme = true;
            changes.i18n = true;
        } else if path.starts_with(self.theme.join("i18n"))
            || rel.starts_with(crate::i18n::SITE_I18N_DIR)
        {
            changes.i18n = true;
        } else if path.starts_with(&self.theme) {
            changes.theme = true;
        } else if self.theme.starts_with(path) && path != self.root {
            // A new `themes/` or `themes/<theme>/` folder over the built-in theme: its files'
            // own events may not arrive, so reload everything the theme gives.
            changes.theme = true;
            changes.i18n = true;
        } else if rel.starts_with(CONTENT_DIR) {
            changes.content.insert(path.to_path_buf());
        } else {
            return None;
        }
        Some(shown)
    }

    /// The build's staging and old-output folders beside the output (`.public.steppe-*`).
    fn is_output_sibling(&self, path: &Path) -> bool {
        let Some(name) = self.out.file_name() else {
            return false;
        };
        let prefix = format!(".{}.steppe-", name.to_string_lossy());
        path.strip_prefix(self.out.parent().unwrap_or(Path::new("/")))
            .ok()
            .and_then(|r| r.iter().next())
            .is_some_and(|first| first.to_string_lossy().starts_with(&prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: "/s".into(),
            out: "/s/public".into(),
            theme: "/s/themes/default".into(),
        }
    }

    #[test]
    fn sorts_paths_into_change_kinds() {
        let l = layout();
        let mut c = Changes::default();
        assert_eq!(
            l.classify(Path::new("/s/content/en/faq.md"), &mut c)
                .as_deref(),
            Some("content/en/faq.md")
        );
        assert!(c.content.contains(Path::new("/s/content/en/faq.md")));
        assert!(l.classify(Path::new("/s/site.yaml"), &mut c).is_some() && c.config);
        let mut d = Changes::default();
        assert!(
            l.classify(Path::new("/s/data/products/lamp.yaml"), &mut d)
                .is_some()
                && d.config
        );
        assert!(
            l.classify(Path::new("/s/themes/default/i18n/en.yaml"), &mut c)
                .is_some()
                && c.i18n
        );
        assert!(
            l.classify(Path::new("/s/themes/default/templates/page.html"), &mut c)
                .is_some()
                && c.theme
        );
    }

    #[test]
    fn a_restored_theme_folder_reloads_templates_and_strings() {
        let l = layout();
        for p in ["/s/themes", "/s/themes/default"] {
            let mut c = Changes::default();
            assert!(l.classify(Path::new(p), &mut c).is_some(), "{p}");
            assert!(c.theme && c.i18n, "{p}");
        }
        let mut c = Changes::default();
        assert_eq!(
            l.classify(Path::new("/s/themes/other/x.html"), &mut c),
            None
        );
        assert_eq!(l.classify(Path::new("/s"), &mut c), None);
    }

    #[test]
    fn site_strings_reload_what_they_feed() {
        let l = layout();
        let mut c = Changes::default();
        assert!(l.classify(Path::new("/s/i18n/en.yaml"), &mut c).is_some());
        assert!(c.i18n && !c.theme);
    }

    #[test]
    fn ignores_output_editor_files_and_the_rest() {
        let l = layout();
        let mut c = Changes::default();
        for p in [
            "/s/public/en/index.html",
            "/s/.public.steppe-staging-12/x",
            "/s/content/en/.faq.md.swp",
            "/s/content/en/4913",
            "/s/content/en/faq.md~",
            "/s/content/en/faq.md___jb_tmp___",
            "/s/content/en/.#faq.md",
            "/s/target/debug/x",
            "/s/.git/index",
            "/s/README.md",
            "/elsewhere/x",
        ] {
            assert_eq!(l.classify(Path::new(p), &mut c), None, "{p}");
        }
        assert!(c.content.is_empty() && !c.config && !c.theme && !c.i18n);
    }
}
