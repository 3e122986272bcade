//! The site model: every page of every language with its URL, kind, place in its section tree,
//! rendered body and translations. Assembled in stages, read-only once built.
//!
//! `plan` gives each source page its URL and adds the pages the site needs but nobody wrote
//! (a language's home, a section's index, collection pages, translation fallbacks);
//! `render_bodies` turns Markdown into HTML in parallel; `assemble` links sections, orders them
//! and fixes the reading order.

mod fallback;
mod plan;

pub use fallback::{Fallbacks, fallbacks, report as fallback_report};
pub use plan::{Planned, plan};

use crate::build::cache::Memo;
use crate::config::Config;
pub use crate::content::PageKey;
use crate::content::{Asset, FrontMatter};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::i18n::I18n;
use crate::markdown::{self, DataSource, LinkSite, LinkTargets, PageInput, Rendered};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Home,
    Section,
    Page,
    /// A collection item's page, joined with its data from `data/<collection>/<id>.yaml`.
    Item {
        collection: String,
        id: String,
    },
    /// A collection's index with the comparison table.
    Collection(String),
}

impl Kind {
    /// The template a page of this kind uses unless its front matter names another.
    pub fn default_template(&self, config: &Config) -> String {
        let collection = |name: &str| config.collection(name);
        match self {
            Kind::Home => "home.html".into(),
            Kind::Section => "section.html".into(),
            Kind::Page => "page.html".into(),
            Kind::Item { collection: c, .. } => collection(c)
                .map_or("item.html", |c| &c.item_template)
                .into(),
            Kind::Collection(c) => collection(c)
                .map_or("collection.html", |c| &c.index_template)
                .into(),
        }
    }

    pub fn is_section(&self) -> bool {
        matches!(self, Kind::Home | Kind::Section | Kind::Collection(_))
    }

    /// The name templates see as `page.kind`.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Section => "section",
            Kind::Page => "page",
            Kind::Item { .. } => "item",
            Kind::Collection(_) => "collection",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlannedPage {
    pub lang: String,
    /// Source path inside `content/<lang>/` (the translation key), also for synthesized pages.
    pub rel: String,
    /// Where errors point: the source file, or site.yaml for synthesized pages.
    pub file: PathBuf,
    /// Pretty URL relative to the output root (`en/steps/online/`).
    pub url: String,
    pub kind: Kind,
    pub front: FrontMatter,
    /// The Markdown source (or where to read it), shared with the source cache; the Markdown
    /// stage consumes it.
    pub body: crate::content::Body,
    pub body_line: usize,
    /// Fingerprint of the source file (0 for pages steppe made up).
    pub source_hash: u64,
    /// 1-based line of each top-level front matter key.
    pub key_lines: BTreeMap<String, usize>,
    /// False for pages steppe made up because no file exists.
    pub written: bool,
    /// For a page built from the default language's file because this language has none
    /// (`missing_translation: fallback`): the language code of the text shown.
    pub fallback_from: Option<String>,
    /// The template that renders the page: front matter's, else the kind's.
    pub template: String,
}

/// A page of the site model: its plan, the body the Markdown stage rendered from it, and its
/// place in the tree the site model built. Each stage makes its own part, so no field is a
/// placeholder waiting for a later stage; the plan's fields read through `Deref`.
#[derive(Debug, Clone)]
pub struct Page {
    pub plan: PlannedPage,
    /// The rendered body, shared with `watch`'s Markdown memo.
    pub rendered: Arc<Rendered>,
    /// Fingerprint of everything the body's rendering read.
    pub body_key: u64,
    /// Index of the section page this page belongs to (none for a home).
    pub parent: Option<usize>,
    /// Ordered child pages and sections (sections only).
    pub children: Vec<usize>,
}

impl std::ops::Deref for Page {
    type Target = PlannedPage;
    fn deref(&self) -> &PlannedPage {
        &self.plan
    }
}

impl AsRef<PlannedPage> for Page {
    fn as_ref(&self) -> &PlannedPage {
        &self.plan
    }
}

impl AsRef<PlannedPage> for PlannedPage {
    fn as_ref(&self) -> &PlannedPage {
        self
    }
}

impl std::ops::DerefMut for Page {
    fn deref_mut(&mut self) -> &mut PlannedPage {
        &mut self.plan
    }
}

impl PlannedPage {
    pub fn key(&self) -> PageKey {
        PageKey {
            lang: self.lang.clone(),
            rel: self.rel.clone(),
        }
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    /// The language the page's text is written in: its own, or the original's for a fallback
    /// copy, whose body renders exactly as the original's (links lead where they lead there).
    pub fn source_lang(&self) -> &str {
        self.fallback_from.as_deref().unwrap_or(&self.lang)
    }

    /// A real translation: written in this language, not a fallback copy.
    pub fn is_translated(&self) -> bool {
        self.fallback_from.is_none()
    }

    /// Sort key within a section: weight first (unweighted last), then title.
    fn order_key(&self) -> (i64, &str) {
        (
            self.front.weight.unwrap_or(i64::MAX),
            self.front.title.as_str(),
        )
    }
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub i18n: I18n,
    pub pages: Vec<Page>,
    /// (lang, rel) → index in `pages`.
    pub by_key: BTreeMap<PageKey, usize>,
    /// Reading order per language (home first, depth-first), for previous/next links.
    pub reading_order: BTreeMap<String, Vec<usize>>,
    pub assets: Vec<Asset>,
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// Drops the rendered bodies of `pages` once their templates have run: the HTML was only for
    /// its own page's template; headings and ids stay. A body `watch`'s Markdown memo shares
    /// stays too: dropping the page's handle would free nothing.
    pub(crate) fn drop_bodies(&mut self, pages: &[usize]) {
        for &i in pages {
            if let Some(r) = Arc::get_mut(&mut self.pages[i].rendered) {
                r.html = crate::markdown::BodyHtml::default();
            }
        }
    }

    pub fn home(&self, lang: &str) -> usize {
        self.by_key[&PageKey::new(lang, "_index.md")]
    }

    /// The same page in every language it is built in (fallback copies included), in the
    /// configured language order.
    pub fn translations(&self, page: &Page) -> Vec<usize> {
        self.config
            .languages
            .iter()
            .filter_map(|l| self.by_key.get(&PageKey::new(&l.code, &page.rel)).copied())
            .collect()
    }

    /// Per language, the default language's pages it has no translation of (built as
    /// fallbacks or omitted, as `missing_translation` says): for `steppe check` and reports.
    pub fn fallbacks(&self) -> Fallbacks {
        fallbacks(&self.config, &self.pages)
    }

    /// Like `translations`, without fallback copies: what hreflang and the sitemap list.
    pub fn real_translations(&self, page: &Page) -> Vec<usize> {
        let mut all = self.translations(page);
        all.retain(|&i| self.pages[i].is_translated());
        all
    }

    /// Pages whose front matter names `about` (`<collection>/<id>`), in reading order.
    pub fn pages_about(&self, lang: &str, about: &str) -> Vec<usize> {
        self.reading_order[lang]
            .iter()
            .copied()
            .filter(|&i| {
                self.pages[i].front.about.as_deref() == Some(about)
                    && !matches!(self.pages[i].kind, Kind::Item { .. })
            })
            .collect()
    }
}

/// Rendered Markdown kept between rebuilds, keyed by everything rendering reads (`watch`).
/// The cache table (`build::cache`) clears it when the config or UI strings change.
pub(crate) type MarkdownMemo = Memo<u64, (Arc<Rendered>, Vec<Diagnostic>)>;

/// Renders every page's Markdown in parallel (reusing what `memo` kept where a page's inputs
/// are unchanged), then checks links into anchors. Each page's Markdown source is dropped once
/// its body is rendered. `failed` are pages that exist but did not load: links to them count
/// as resolved. Fails only on an internal error; Markdown problems come back in `Bodies`.
pub(crate) fn render_bodies(
    pages: Vec<PlannedPage>,
    config: &Config,
    i18n: &I18n,
    assets: &[Asset],
    failed: &[PageKey],
    memo: &mut MarkdownMemo,
) -> Result<Bodies, BuildErrors> {
    let targets = link_targets(&pages, config, assets, failed);
    // Any page added, removed or moved can change how every link resolves.
    let targets_hash = targets.fingerprint();
    let keys: Vec<u64> = pages
        .iter()
        .map(|p| {
            hash_of(&(
                targets_hash,
                &p.lang,
                &p.rel,
                &p.url,
                &p.file,
                p.source_hash,
                p.written,
            ))
        })
        .collect();
    type Fresh = Option<(Arc<Rendered>, Vec<Diagnostic>)>;
    // A memo that keeps bodies keeps them packed, from the start: each page's template run
    // unpacks its own body, so `watch` never holds every body at full size.
    let pack = memo.keeps();
    let results: Vec<(PlannedPage, Fresh)> = pages
        .into_par_iter()
        .enumerate()
        .map(|(i, mut plan)| {
            let fresh = memo.get(&keys[i]).is_none().then(|| {
                let (mut rendered, errors) = render_body(&plan, config, i18n, &targets);
                if pack {
                    rendered.html = std::mem::take(&mut rendered.html).packed();
                }
                (Arc::new(rendered), errors)
            });
            // The source is consumed as soon as its body exists, so the whole site's sources
            // and bodies are never held at once.
            plan.body = crate::content::Body::held("");
            (plan, fresh)
        })
        .collect();
    let fresh = results.iter().filter(|r| r.1.is_some()).count();
    let mut errors = Vec::new();
    let mut next = MarkdownMemo::keeping();
    let mut done = Vec::with_capacity(results.len());
    for ((plan, result), key) in results.into_iter().zip(keys) {
        let (rendered, e) = match result {
            Some(fresh) => fresh,
            None => memo.remove(&key).ok_or_else(|| lost(&plan))?,
        };
        // Only a keeping memo pays for the copy it keeps.
        if memo.keeps() {
            next.insert(key, (rendered.clone(), e.clone()));
        }
        // A fallback copy renders the original's text: its problems are the original's.
        if plan.is_translated() {
            errors.extend(e);
        }
        done.push(Page {
            plan,
            rendered,
            body_key: key,
            parent: None,
            children: Vec::new(),
        });
    }
    if memo.keeps() {
        *memo = next;
    }
    if let Err(BuildErrors(mut e)) = check_anchors(&done) {
        errors.append(&mut e);
    }
    Ok(Bodies {
        pages: done,
        rendered: fresh,
        errors,
    })
}

/// What the Markdown stage made: every page with its rendered body, how many were rendered
/// afresh (the rest came from `watch`'s memo), and the Markdown problems found (the build
/// goes on to report the other stages' problems too).
pub(crate) struct Bodies {
    pub pages: Vec<Page>,
    pub rendered: usize,
    pub errors: Vec<Diagnostic>,
}

/// Where links may lead: every written page's URL (pages that failed to load count as
/// resolved), the targets of omitted translations, and every content asset.
pub(crate) fn link_targets<P: AsRef<PlannedPage>>(
    pages: &[P],
    config: &Config,
    assets: &[Asset],
    failed: &[PageKey],
) -> LinkTargets {
    LinkTargets {
        pages: pages
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| p.written)
            .map(|p| (p.key(), p.url.clone()))
            .chain(failed.iter().map(|key| (key.clone(), String::new())))
            .chain(fallback::omitted_targets(pages, config))
            .collect(),
        assets: assets
            .iter()
            .map(|a| PageKey::new(&a.lang, &a.rel))
            .collect(),
    }
}

/// One page's Markdown rendered against `targets`, with its errors (`watch`'s fast path
/// renders a single edited page this way, exactly as a full run would).
pub(crate) fn render_body(
    p: &PlannedPage,
    config: &Config,
    i18n: &I18n,
    targets: &LinkTargets,
) -> (Rendered, Vec<Diagnostic>) {
    let facts = crate::collections::Facts {
        config,
        i18n,
        lang: p.source_lang(),
    };
    render_one(p, config, i18n, targets, &facts)
}

/// A page the memo had a moment ago and has no longer: two keys collided within one run.
/// Cannot happen with distinct pages; reported rather than panicking.
fn lost(page: &PlannedPage) -> BuildErrors {
    BuildErrors::one(
        Diagnostic::new("internal: rendered Markdown went missing from the cache")
            .in_file(&page.file)
            .with_hint("run `steppe build` again; please report this"),
    )
}

/// A fast, deterministic fingerprint (for caches only; never written to output).
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn render_one(
    p: &PlannedPage,
    config: &Config,
    i18n: &I18n,
    targets: &LinkTargets,
    facts: &dyn DataSource,
) -> (Rendered, Vec<Diagnostic>) {
    let body = match p.body.text(&p.file) {
        Ok(body) => body,
        Err(d) => return (Rendered::default(), vec![d]),
    };
    let input = PageInput {
        file: &p.file,
        body: &body,
        body_line: p.body_line,
        strings: i18n.strings(p.source_lang()),
    };
    let out_dir = p.url.as_str();
    let site = LinkSite {
        config,
        targets,
        lang: p.source_lang(),
        rel: &p.rel,
        out_dir,
    };
    let (rendered, mut errors) = markdown::render(&input, &site, facts);
    errors.extend(check_sources(p));
    (rendered, errors)
}

/// Front matter `sources` reach the page as links: each must be an http(s) URL with a host.
/// The link policy does not apply: sources are where other sites are cited.
fn check_sources(p: &PlannedPage) -> Vec<Diagnostic> {
    let line = p.key_lines.get("sources").copied();
    p.front
        .sources
        .iter()
        .filter(|s| !crate::safe_url::is_web_with_host(&s.url))
        .map(|s| {
            let mut d = Diagnostic::new(format!(
                "front matter: source '{}' is not an http(s) URL",
                s.url
            ))
            .in_file(&p.file)
            .with_hint("cite sources by their https:// address");
            if let Some(line) = line {
                d = d.at(line, None);
            }
            d
        })
        .collect()
}

fn check_anchors(pages: &[Page]) -> Result<(), BuildErrors> {
    let ids: BTreeMap<(&str, &str), BTreeSet<&str>> = pages
        .iter()
        .map(|p| {
            (
                (p.lang.as_str(), p.rel.as_str()),
                p.rendered.ids.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    // A "did you mean" compares with every id of the target page: only the first few missing
    // anchors of a page get one, so a page of thousands of broken links stays linear.
    const HINTED_PER_PAGE: usize = 20;
    let mut errors = Vec::new();
    for p in pages.iter().filter(|p| p.is_translated()) {
        let mut hinted = 0;
        for r in &p.rendered.anchor_refs {
            let known = ids.get(&(r.lang.as_str(), r.rel.as_str()));
            if known.is_some_and(|ids| !ids.contains(r.anchor.as_str())) {
                hinted += 1;
                let hint = known
                    .filter(|_| hinted <= HINTED_PER_PAGE && r.anchor.len() <= 200)
                    .and_then(|ids| {
                        crate::diagnostics::did_you_mean(&r.anchor, ids.iter().copied())
                    })
                    .map(|s| format!("did you mean #{s}?"))
                    .unwrap_or_else(|| "give the heading a stable id: `## Title {#my-id}`".into());
                errors.push(
                    Diagnostic::new(format!(
                        "link to a missing anchor: #{} in content/{}/{}",
                        r.anchor, r.lang, r.rel
                    ))
                    .in_file(&p.file)
                    .at(r.line, None)
                    .with_hint(hint),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BuildErrors(errors))
    }
}

/// Links sections to their children, orders them, and fixes each language's reading order.
pub fn assemble(
    config: Config,
    i18n: I18n,
    mut pages: Vec<Page>,
    assets: Vec<Asset>,
    warnings: Vec<Diagnostic>,
) -> Site {
    let by_key: BTreeMap<PageKey, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key(), i))
        .collect();
    for i in 0..pages.len() {
        let parent = parent_rel(&pages[i].rel)
            .and_then(|r| by_key.get(&PageKey::new(&pages[i].lang, r)).copied());
        pages[i].parent = parent;
        if let Some(parent) = parent {
            pages[parent].children.push(i);
        }
    }
    for i in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[i].children);
        children.sort_by(|&a, &b| {
            pages[a]
                .order_key()
                .cmp(&pages[b].order_key())
                .then_with(|| pages[a].rel.cmp(&pages[b].rel))
        });
        pages[i].children = children;
    }
    let mut reading_order = BTreeMap::new();
    for lang in &config.languages {
        let mut order = Vec::new();
        if let Some(&home) = by_key.get(&PageKey::new(&lang.code, "_index.md")) {
            let mut stack = vec![home];
            while let Some(i) = stack.pop() {
                order.push(i);
                stack.extend(pages[i].children.iter().rev());
            }
        }
        reading_order.insert(lang.code.clone(), order);
    }
    Site {
        config,
        i18n,
        pages,
        by_key,
        reading_order,
        assets,
        warnings,
    }
}

/// The `_index.md` of the section a source path belongs to; none for a language's home.
pub fn parent_rel(rel: &str) -> Option<String> {
    let dir = if rel.ends_with("_index.md") {
        let folder = rel.trim_end_matches("_index.md").trim_end_matches('/');
        if folder.is_empty() {
            return None;
        }
        folder.rfind('/').map_or("", |i| &folder[..=i])
    } else {
        rel.rfind('/').map_or("", |i| &rel[..=i])
    };
    Some(format!("{dir}_index.md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents() {
        assert_eq!(parent_rel("_index.md"), None);
        assert_eq!(parent_rel("faq.md").as_deref(), Some("_index.md"));
        assert_eq!(parent_rel("steps/_index.md").as_deref(), Some("_index.md"));
        assert_eq!(
            parent_rel("steps/online.md").as_deref(),
            Some("steps/_index.md")
        );
        assert_eq!(parent_rel("a/b/_index.md").as_deref(), Some("a/_index.md"));
    }
}
