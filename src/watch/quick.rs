//! `watch`'s fast path for the commonest save: one existing page's Markdown edited below an
//! unchanged front matter. Input: the saved file, the site model of the last good build and
//! the theme. Output: that page's HTML written to the output at once, before the full rebuild.
//!
//! With the front matter unchanged, the plan (URLs, sections, navigation, translations) and
//! every other page's view are unchanged (the view-fingerprint test in `render` holds views to
//! that: no view reads another page's body), so the page renders from the last site model with
//! only its own body replaced, exactly as the full rebuild will render it. The full rebuild
//! still runs right after and writes whatever else the edit changes (search index, fallback
//! copies, the service worker's version), and rewrites the page if it differs after all. When
//! anything is unusual (front matter changed, a new or deleted file, an error in the page, a
//! link to a missing anchor) the fast path writes nothing and leaves it all to the full rebuild.

use super::Output;
use super::serve::{Reloader, Status};
use crate::build::{Changes, Pipeline};
use crate::markdown::{LinkTargets, Rendered};
use crate::output;
use crate::render::Theme;
use crate::site::{Page, PageKey, Site};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// The last good site model and where its links lead, kept for the next save.
pub(crate) struct Quick {
    site: Site,
    targets: LinkTargets,
}

/// One page written by the fast path: its output path, size and content hash.
pub(crate) type Written = (String, u64, output::Hash);

impl Quick {
    /// Keeps `site` (from a good build) for the next save.
    pub(crate) fn new(site: Site) -> Quick {
        let targets = crate::site::link_targets(&site.pages, &site.config, &site.assets, &[]);
        Quick { site, targets }
    }

    /// Renders and writes the page of the content file `path` if only its body changed, it
    /// renders without errors and `writable` says its output file (a path inside `out`) can
    /// be written. `None`: nothing was written; the full rebuild does it all.
    pub(crate) fn write_page(
        mut self,
        root: &Path,
        path: &Path,
        theme: &Theme,
        out: &Path,
        writable: impl FnOnce(&str) -> bool,
    ) -> Option<Written> {
        let index = self.index_of(root, path)?;
        let page = self.edited(index, path)?;
        let (rendered, errors) =
            crate::site::render_body(&page, &self.site.config, &self.site.i18n, &self.targets);
        if !errors.is_empty() || !self.anchors_resolve(&page, &rendered) {
            return None;
        }
        // The model is used up here: the full rebuild that follows makes the next one.
        self.site.pages[index] = page;
        self.site.pages[index].rendered = Arc::new(rendered);
        let target = crate::urls::file_of(&self.site.pages[index].url);
        let html = self.render(index, theme).filter(|_| writable(&target))?;
        let file = crate::render::page_file(&self.site, index, html);
        output::write_file(out, &file).ok()?;
        let hash = output::hash(&file.bytes);
        Some((file.path, file.bytes.len() as u64, hash))
    }

    /// The index of the written, translated page whose source is `path`.
    fn index_of(&self, root: &Path, path: &Path) -> Option<usize> {
        let key = crate::content::key_of(&root.join(crate::content::CONTENT_DIR), path)?;
        let index = *self.site.by_key.get(&key)?;
        let page = &self.site.pages[index];
        (page.written && page.is_translated()).then_some(index)
    }

    /// The page at `index` with the body now in `path`, if its front matter (and so every line
    /// number before the body) is as the last build read it.
    fn edited(&self, index: usize, path: &Path) -> Option<Page> {
        let old = &self.site.pages[index];
        let bytes = std::fs::read(path).ok()?;
        let split = crate::content::parse_file(&old.file, &bytes).ok()?;
        let same = split.front == old.front
            && split.key_lines == old.key_lines
            && split.body_line == old.body_line;
        if !same {
            return None;
        }
        let mut page = old.clone();
        page.body = crate::content::Body::held(split.body);
        Some(page)
    }

    /// Every link into an anchor leads to an id that exists (on this page as now rendered, or
    /// on another as the last build rendered it), as the full rebuild will check.
    fn anchors_resolve(&self, page: &Page, rendered: &Rendered) -> bool {
        rendered.anchor_refs.iter().all(|r| {
            let key = PageKey::new(r.lang.as_str(), r.rel.as_str());
            let ids = match key == page.key() {
                true => &rendered.ids,
                false => match self.site.by_key.get(&key) {
                    Some(&i) => &self.site.pages[i].rendered.ids,
                    None => return true,
                },
            };
            ids.contains(&r.anchor)
        })
    }

    /// The page's HTML from its template, or `None` on a template error (reported by the
    /// full rebuild).
    fn render(&self, index: usize, theme: &Theme) -> Option<String> {
        let html = std::sync::Mutex::new(None);
        let emit = |_: usize, h: String| {
            *html.lock().unwrap_or_else(|e| e.into_inner()) = Some(h);
        };
        let none = crate::build::cache::Memo::none();
        crate::render::render_pages(&self.site, theme, &none, &[index], &|_| true, &emit).ok()?;
        html.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The fast path for one batch of events: only when the batch is a single content file
    /// and the last build succeeded. The page goes to disk, the browser reloads it, and
    /// `state` remembers it for the manifest the full rebuild writes.
    pub(super) fn save(
        self,
        pipeline: &Pipeline,
        root: &Path,
        changes: &Changes,
        state: &mut Output,
        reloader: &Reloader,
        t0: Instant,
    ) {
        let only_content = !changes.config && !changes.theme && !changes.i18n;
        let (Some(theme), Some(last)) = (pipeline.theme(), state.last.as_mut()) else {
            return;
        };
        if !only_content || changes.content.len() != 1 || state.errors > 0 {
            return;
        }
        let Some(path) = changes.content.first() else {
            return;
        };
        // Nothing unless the folders it goes into are writable; the full rebuild after it
        // checks the whole output before writing anything else (a walk too slow for here).
        let out = state.out.as_path();
        let written = self.write_page(root, path, theme, out, |file| {
            output::folders_writable(out, file)
        });
        let Some(written) = written else {
            return;
        };
        last.insert(written.0.clone(), written.2);
        print_counts(&written, t0.elapsed().as_secs_f64() * 1000.0);
        reloader.send(Status::Ok(vec![written.0.clone()]));
        state.quick.push(written);
    }
}

/// The line `STEPPE_TIMINGS=1` prints for a save the fast path handled (tests read `quick=1`).
pub(crate) fn print_counts(written: &Written, ms: f64) {
    if std::env::var_os("STEPPE_TIMINGS").is_some() {
        eprintln!("  quick counts: quick=1 path={} ms={ms:.1}", written.0);
    }
}
