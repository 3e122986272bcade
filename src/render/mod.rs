//! Templates: the site model → output files in memory (pages, the language picker, 404,
//! sitemap, robots.txt, theme assets, content assets). Nothing here touches the disk but reads.

mod filters;
mod not_found;
mod offline;
mod partials;
mod reads;
mod shared_values;
mod sharing;
mod site_files;
mod structured_data;
mod theme;
pub mod views;

pub(crate) use offline::render as offline_files;
pub use reads::Reads;
pub use theme::{Theme, content_hash};

use crate::build::cache::Memo;
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::output::OutputFile;
use crate::site::PageKey;
use crate::site::Site;
use crate::urls::file_of;
use rayon::prelude::*;
use serde::Serialize;
use shared_values::SharedValues;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use views::Views;

/// The most a page's buffer reserves for the theme's part around its body: a section page
/// listing thousands of children must not make every later page reserve as much.
const MAX_THEME_PART: usize = 64 * 1024;

/// Values every page of one language shares, turned into template values once.
struct LanguageGlobals {
    site: tera::Value,
    lang: tera::Value,
    t: tera::Value,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    /// The header's title on a phone, if site.yaml sets `short_title`.
    short_title: Option<&'a str>,
    description: Option<&'a str>,
    base_url: Option<&'a str>,
    languages: &'a [crate::config::Language],
    /// Days after `reviewed` when a page shows its "may be out of date" notice.
    review_max_age_days: u32,
    /// Pages register the service worker (`offline: {enabled}`).
    offline: bool,
}

fn globals(site: &Site, lang: &str) -> LanguageGlobals {
    let config = &site.config;
    let view = SiteView {
        title: config.title.get(lang),
        short_title: config.short_title.as_ref().map(|t| t.get(lang)),
        description: config.description.as_ref().map(|d| d.get(lang)),
        base_url: config.base_url.as_deref(),
        languages: &config.languages,
        review_max_age_days: config.review_max_age_days,
        offline: config.offline.enabled,
    };
    LanguageGlobals {
        site: tera::Value::from_serializable(&view),
        lang: tera::Value::from_serializable(config.language(lang).expect("configured language")),
        t: tera::Value::from_serializable(site.i18n.strings(lang)),
    }
}

/// The template context of a page's view, field by field: the same values as
/// `Context::from_serialize(view)`, without building the whole view as one map first, and with the
/// page's item taken ready-made from `Views` (shared by every page about it) instead of serialised
/// again on each page, and its navigation, links and collections as values shared with the pages
/// whose parts are equal (`shared`).
fn context(view: &views::PageContext, shared: &SharedValues) -> tera::Context {
    let mut page = tera::Value::from_serializable(&view.page)
        .into_map()
        .unwrap_or_default();
    let item = view.page.item.as_ref().map(|i| i.value.clone());
    page.insert(tera::value::Key::Str("item"), item.into());
    let mut ctx = tera::Context::new();
    ctx.insert_value("page", page.into());
    ctx.insert("root", &view.root);
    ctx.insert("home", &view.home);
    ctx.insert_value("nav", shared.nav(&view.nav));
    ctx.insert_value("breadcrumbs", shared.links(&view.breadcrumbs));
    ctx.insert("translations", &view.translations);
    ctx.insert("alternates", &view.alternates);
    ctx.insert_value("prev", shared.link(view.prev.as_ref()));
    ctx.insert_value("next", shared.link(view.next.as_ref()));
    ctx.insert_value("collections", shared.collections(&view.collections));
    ctx
}

/// A page's rendered bytes as text. `Tera::render` checks the same with std's validator, which
/// cost ~2 % of a 10k build's CPU on Han and Cyrillic pages; simdutf8 checks ~10× faster.
fn into_text(html: Vec<u8>) -> Option<String> {
    simdutf8::basic::from_utf8(&html).ok()?;
    // SAFETY: the bytes were just checked to be UTF-8.
    Some(unsafe { String::from_utf8_unchecked(html) })
}

/// What the template stage remembers of a page between runs (`watch`): the fingerprints of
/// the view its template last rendered. The HTML itself is not kept: it is on disk.
pub(crate) struct Remembered {
    /// The page's own inputs and its language's structure (see `structure_fingerprints`).
    quick: u64,
    /// Everything the template saw.
    full: u64,
}

/// What one run of the template stage did.
pub(crate) struct RenderedPages {
    /// Indexes of the pages whose template ran (each was handed to `emit`).
    pub fresh: Vec<usize>,
    /// Fingerprints to remember once the whole run has succeeded (and its output is written).
    pub remember: Vec<(PageKey, Remembered)>,
}

/// How a page fared against the memo.
enum Outcome {
    /// Its template ran; remember these fingerprints (zero without a keeping memo).
    Rendered(u64, u64),
    /// Its view is unchanged in every field, though its quick fingerprint moved.
    Same(u64, u64),
    /// Its quick fingerprint is unchanged.
    Kept,
}

/// Per language, a fingerprint of everything a page's view reads from other pages: titles,
/// descriptions, order and kinds of the language's pages (navigation, breadcrumbs, section lists,
/// previous/next, collection page lists) and which pages exist in which language (switcher,
/// hreflang). While it is unchanged, a page whose own inputs are unchanged needs no new view.
fn structure_fingerprints(site: &Site) -> BTreeMap<&str, u64> {
    let everywhere = crate::site::hash_of(
        &site
            .pages
            .iter()
            .map(|p| (&p.lang, &p.rel, &p.url, &p.fallback_from))
            .collect::<Vec<_>>(),
    );
    site.config
        .languages
        .iter()
        .map(|l| {
            let pages: Vec<_> = site
                .pages
                .iter()
                .filter(|p| p.lang == l.code)
                .map(|p| {
                    (
                        &p.rel,
                        &p.front.title,
                        &p.front.description,
                        p.front.weight,
                        &p.front.about,
                        &p.kind,
                        p.parent,
                    )
                })
                .collect();
            (l.code.as_str(), crate::site::hash_of(&(everywhere, pages)))
        })
        .collect()
}

/// Adds a template error unless it is already there: one broken template fails every page
/// that uses it, and is reported once.
pub(crate) fn add_error(errors: &mut Vec<Diagnostic>, d: Diagnostic) {
    let same = |e: &Diagnostic| {
        e.file == d.file
            && e.line == d.line
            && e.message.split(" (rendering").next() == d.message.split(" (rendering").next()
    };
    if !errors.iter().any(same) {
        errors.push(d);
    }
}

/// A page's own inputs and its language's structure: while it is unchanged, so is the page's
/// view (the test below holds the view to that).
fn quick_fingerprint(structure: &BTreeMap<&str, u64>, page: &crate::site::Page) -> u64 {
    crate::site::hash_of(&(
        structure[page.lang.as_str()],
        &page.front,
        &page.url,
        &page.kind,
        page.body_key,
        page.template(),
    ))
}

/// Renders, in parallel, every page of `only` whose view changed since `memo` was filled
/// (every one with a memo that keeps nothing) and hands each page's HTML to `emit` as soon as its
/// template has run, so the caller can index and write it and then drop it. Pages for which
/// `must` holds are rendered whatever the memo says. All template errors are collected, once
/// each.
pub(crate) fn render_pages(
    site: &Site,
    theme: &Theme,
    memo: &Memo<PageKey, Remembered>,
    only: &[usize],
    must: &(dyn Fn(usize) -> bool + Sync),
    emit: &(dyn Fn(usize, String) + Sync),
) -> Result<RenderedPages, BuildErrors> {
    theme.partials.start_run();
    let by_lang: BTreeMap<&str, LanguageGlobals> = site
        .config
        .languages
        .iter()
        .map(|l| (l.code.as_str(), globals(site, &l.code)))
        .collect();
    let assets = tera::Value::from_serializable(&theme.assets);
    let views = Views::new(site, &theme.assets);
    let shared = SharedValues::default();
    let theme_part = AtomicUsize::new(16 * 1024);
    // A memo that keeps nothing can never match: skip the fingerprints.
    let structure = memo.keeps().then(|| structure_fingerprints(site));
    let render = |index: usize, view: &views::PageContext| -> Result<String, Diagnostic> {
        let page = &site.pages[index];
        let g = &by_lang[page.lang.as_str()];
        let mut ctx = context(view, &shared);
        ctx.insert_value("site", g.site.clone());
        ctx.insert_value("lang", g.lang.clone());
        ctx.insert_value("t", g.t.clone());
        ctx.insert_value("assets", assets.clone());
        let template = page.template();
        if !theme.tera.contains_template(template) {
            let mut d = Diagnostic::new(format!(
                "front matter: template '{template}' does not exist in {}",
                theme.dir.display()
            ))
            .in_file(&page.file);
            if let Some(&line) = page.key_lines.get("template") {
                d = d.at(line, None);
            }
            return Err(d);
        }
        let place = || format!(" (rendering {})", page.file.display());
        // The body is most of a page's HTML; the theme's part around it is about the same size
        // on every page, so the largest seen so far sizes the buffer (a fixed 16 KB was too
        // little for a page with a facts box, and its one growth copied the whole page).
        let around = theme_part.load(Ordering::Relaxed);
        let mut html = Vec::with_capacity(view.page.content.len() + around);
        theme
            .tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| theme.error(&e, &place()))?;
        let needed = html.len().saturating_sub(view.page.content.len()) + 1024;
        theme_part.fetch_max(needed.min(MAX_THEME_PART), Ordering::Relaxed);
        into_text(html)
            .ok_or_else(|| theme.error(&tera::Error::message("output is not UTF-8"), &place()))
    };
    let results: Vec<Result<Outcome, Diagnostic>> = only
        .par_iter()
        .map(|&index| {
            let page = &site.pages[index];
            let remembered = memo.get(&page.key()).filter(|_| !must(index));
            // First a cheap check: the page itself and its language's structure are unchanged.
            let quick = structure.as_ref().map_or(0, |s| quick_fingerprint(s, page));
            if remembered.is_some_and(|m| m.quick == quick) {
                return Ok(Outcome::Kept);
            }
            // Unpacked only here, for the pages whose template may run, and dropped with it.
            let body = page
                .rendered
                .html
                .text()
                .map_err(|e| Diagnostic::new(e.to_string()).in_file(&page.file))?;
            let view = views.page_context(index, &body, theme.reads(page.template()));
            let full = match memo.keeps() {
                true => crate::site::hash_of(&(&view, page.body_key, page.template())),
                false => 0,
            };
            if remembered.is_some_and(|m| m.full == full) {
                return Ok(Outcome::Same(quick, full));
            }
            emit(index, render(index, &view)?);
            Ok(Outcome::Rendered(quick, full))
        })
        .collect();
    let mut done = RenderedPages {
        fresh: Vec::new(),
        remember: Vec::new(),
    };
    let mut errors: Vec<Diagnostic> = Vec::new();
    for (&index, r) in only.iter().zip(results) {
        let (quick, full) = match r {
            Ok(Outcome::Kept) => continue,
            Ok(Outcome::Same(quick, full)) => (quick, full),
            Ok(Outcome::Rendered(quick, full)) => {
                done.fresh.push(index);
                (quick, full)
            }
            Err(d) => {
                add_error(&mut errors, d);
                continue;
            }
        };
        if memo.keeps() {
            let key = site.pages[index].key();
            done.remember.push((key, Remembered { quick, full }));
        }
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(BuildErrors(errors))
    }
}

/// For `benches/render.rs`: the site model and theme at `root`, built as `steppe build` does.
#[doc(hidden)]
pub fn bench_input(root: &std::path::Path) -> Result<(Site, Theme), BuildErrors> {
    let site = crate::build::build_site(root, false, None)?.site;
    let theme = Theme::load(root, &site.config)?;
    Ok((site, theme))
}

/// For `benches/render.rs`: renders every page of `site` (views, contexts, templates) as a
/// one-off build does, and returns the bytes of HTML.
#[doc(hidden)]
pub fn render_every_page(site: &Site, theme: &Theme) -> Result<usize, BuildErrors> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let bytes = AtomicUsize::new(0);
    let count = |_: usize, html: String| {
        bytes.fetch_add(html.len(), Ordering::Relaxed);
    };
    render_pages(site, theme, &Memo::none(), &all, &|_| false, &count)?;
    Ok(bytes.into_inner())
}

/// A page's output file from its HTML.
pub(crate) fn page_file(site: &Site, index: usize, html: String) -> OutputFile {
    OutputFile::new(file_of(&site.pages[index].url), html.into_bytes())
}

/// Every output file of the site except its pages and the search index: theme assets,
/// site-wide files and content assets.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, BuildErrors> {
    let mut files: Vec<OutputFile> = theme.static_files.to_vec();
    files.extend(site_files::render(site, theme)?);
    for asset in &site.assets {
        let bytes = std::fs::read(&asset.source).map_err(|e| {
            Diagnostic::new(format!("cannot read: {e}")).in_file(
                std::path::Path::new("content")
                    .join(&asset.lang)
                    .join(&asset.rel),
            )
        })?;
        files.push(OutputFile::new(
            format!("{}/{}", asset.lang, asset.rel),
            bytes,
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Page;
    use std::sync::Arc;

    /// For every page `i`: its view and its quick fingerprint.
    fn fingerprints(site: &Site) -> Vec<(u64, u64)> {
        let structure = structure_fingerprints(site);
        let assets = std::collections::BTreeMap::new();
        let views = Views::new(site, &assets);
        (0..site.pages.len())
            .map(|i| {
                let body = site.pages[i].rendered.html.text().unwrap();
                let view = crate::site::hash_of(&views.page_context(i, &body, Reads::ALL));
                (view, quick_fingerprint(&structure, &site.pages[i]))
            })
            .collect()
    }

    /// The context built field by field, with shared item, navigation and link values (one
    /// store for every page of a fixture, so later pages take values made for earlier ones),
    /// holds exactly what serialising each page's whole view, its item built for it alone,
    /// gives.
    #[test]
    fn a_context_is_the_whole_view_serialised() {
        for fixture in ["basic", "products", "fallback"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture);
            let site = crate::build::build_site(&root, false, None).unwrap().site;
            let assets = std::collections::BTreeMap::new();
            let views = Views::new(&site, &assets);
            let shared = SharedValues::default();
            let mut items = 0;
            for i in 0..site.pages.len() {
                let body = site.pages[i].rendered.html.text().unwrap();
                let view = views.page_context(i, &body, Reads::ALL);
                let mut expected = tera::Context::from_serialize(&view).unwrap();
                let mut page = expected.remove("page").unwrap().into_map().unwrap();
                let item = views.fresh_item(i);
                items += usize::from(item.is_some());
                let item = tera::Value::from_serializable(&item);
                page.insert(tera::value::Key::Str("item"), item);
                expected.insert_value("page", page.into());
                assert!(context(&view, &shared) == expected, "{}", site.pages[i].url);
            }
            assert!(fixture != "basic" || items > 1, "no page about an item");
        }
    }

    /// `watch` skips a page whose quick fingerprint is unchanged. Change, one at a time, each
    /// field of one page that a view could read (of that page or of another): wherever a view
    /// changes, the quick fingerprint must change too, or `watch` would serve stale HTML. A
    /// view that starts reading a field the fingerprint misses fails here.
    #[test]
    fn a_view_changes_only_where_its_quick_fingerprint_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let site = crate::build::build_site(&root, false, None).unwrap().site;
        let before = fingerprints(&site);
        type Edit = fn(&mut Page);
        let edits: [(&str, Edit); 14] = [
            ("title", |p| p.front.title.push('!')),
            ("description", |p| p.front.description = Some("new".into())),
            ("weight", |p| {
                p.front.weight = Some(p.front.weight.unwrap_or(0) + 7)
            }),
            ("slug", |p| p.front.slug = Some("moved".into())),
            ("reviewed", |p| {
                p.front.reviewed = serde_yaml::from_str("2020-01-02").ok();
            }),
            ("sources", |p| p.front.sources.clear()),
            ("about", |p| p.front.about = Some("operators/kcell".into())),
            ("search", |p| p.front.search = Some(false)),
            ("extra", |p| {
                p.front
                    .extra
                    .insert("k".into(), serde_yaml::Value::Bool(true));
            }),
            ("url", |p| p.url = format!("{}moved/", p.url)),
            ("fallback", |p| p.fallback_from = Some("en".into())),
            ("written", |p| p.written = !p.written),
            ("template", |p| p.template = "other.html".into()),
            ("body", |p| {
                let mut r = (*p.rendered).clone();
                let more = format!("{}<p>more</p>", r.html.text().unwrap());
                r.html = crate::markdown::BodyHtml::Plain(more);
                p.rendered = Arc::new(r);
                p.body_key += 1;
            }),
        ];
        for j in 0..site.pages.len() {
            for (field, edit) in &edits {
                let mut changed = site.clone();
                edit(&mut changed.pages[j]);
                for (i, (after, b)) in fingerprints(&changed).iter().zip(&before).enumerate() {
                    assert!(
                        after.0 == b.0 || after.1 != b.1,
                        "{field} of {} changes the view of {} but not its fingerprint",
                        site.pages[j].url,
                        site.pages[i].url
                    );
                }
            }
        }
    }
}
