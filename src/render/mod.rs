//! Templates: the site model → output files in memory (pages, the language picker, 404,
//! sitemap, robots.txt, theme assets, content assets). Nothing here touches the disk but reads.

mod filters;
mod not_found;
mod offline;
mod sharing;
mod site_files;
mod structured_data;
mod theme;
pub mod views;

pub(crate) use offline::render as offline_files;
pub use theme::{Theme, content_hash};

use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::output::OutputFile;
use crate::site::Site;
use crate::urls::file_of;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use views::Views;

/// Values every page of one language shares, turned into template values once.
struct LanguageGlobals {
    site: tera::Value,
    lang: tera::Value,
    t: tera::Value,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
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

/// A page's HTML plus what the search index needs to know about it.
pub struct RenderedPage {
    pub index: usize,
    pub html: String,
}

/// Rendered HTML kept between rebuilds (`watch`), per page. Whoever reloads the theme, config
/// or UI strings clears it.
pub type HtmlMemo = HashMap<(String, String), Remembered>;

/// A page's fingerprints (quick, full; zero without a memo) and whether its template ran.
type Fresh = (u64, u64, bool);

pub struct Remembered {
    /// The page's own inputs and its language's structure (see `structure_fingerprints`).
    quick: u64,
    /// Everything the template saw.
    full: u64,
    html: String,
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

/// Renders every page whose view changed since `memo` was filled, in parallel. All template
/// errors are collected, once each. Returns every page's HTML and which pages were rendered.
/// Without a memo (a one-off build) every page is rendered and nothing is kept.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    mut memo: Option<&mut HtmlMemo>,
) -> Result<(Vec<RenderedPage>, Vec<usize>), BuildErrors> {
    let by_lang: BTreeMap<&str, LanguageGlobals> = site
        .config
        .languages
        .iter()
        .map(|l| (l.code.as_str(), globals(site, &l.code)))
        .collect();
    let assets = tera::Value::from_serializable(&theme.assets);
    let views = Views {
        site,
        assets: &theme.assets,
    };
    let structure = memo.is_some().then(|| structure_fingerprints(site));
    let render = |index: usize, mut view: views::PageContext| -> Result<String, Diagnostic> {
        let page = &site.pages[index];
        view.page.content = page.rendered.html.clone();
        let g = &by_lang[page.lang.as_str()];
        let mut ctx = tera::Context::from_serialize(&view).map_err(|e| theme.error(&e, ""))?;
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
        theme
            .tera
            .render(template, &ctx)
            .map_err(|e| theme.error(&e, &format!(" (rendering {})", page.file.display())))
    };
    let results: Vec<Result<(RenderedPage, Option<Fresh>), Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .map(|index| {
            let page = &site.pages[index];
            let (Some(memo), Some(structure)) = (memo.as_ref(), structure.as_ref()) else {
                // A one-off build renders everything; fingerprints would only cost time.
                let html = render(index, views.page_context(index))?;
                return Ok((RenderedPage { index, html }, Some((0, 0, true))));
            };
            // First a cheap check: the page itself and its language's structure are unchanged.
            let quick = crate::site::hash_of(&(
                structure[page.lang.as_str()],
                &page.front,
                &page.url,
                &page.kind,
                page.rendered.key,
                page.template(),
            ));
            let remembered = memo.get(&(page.lang.clone(), page.rel.clone()));
            if let Some(m) = remembered
                && m.quick == quick
            {
                return Ok((
                    RenderedPage {
                        index,
                        html: m.html.clone(),
                    },
                    None,
                ));
            }
            let view = views.page_context(index);
            let fingerprint = crate::site::hash_of(&(&view, page.rendered.key, page.template()));
            if let Some(m) = remembered
                && m.full == fingerprint
            {
                return Ok((
                    RenderedPage {
                        index,
                        html: m.html.clone(),
                    },
                    Some((quick, fingerprint, false)),
                ));
            }
            let html = render(index, view)?;
            Ok((
                RenderedPage { index, html },
                Some((quick, fingerprint, true)),
            ))
        })
        .collect();
    let mut pages = Vec::new();
    let mut rendered = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok((p, fingerprint)) => {
                if let Some((quick, full, ran)) = fingerprint {
                    if let Some(memo) = memo.as_mut() {
                        let page = &site.pages[p.index];
                        memo.insert(
                            (page.lang.clone(), page.rel.clone()),
                            Remembered {
                                quick,
                                full,
                                html: p.html.clone(),
                            },
                        );
                    }
                    if ran {
                        rendered.push(p.index);
                    }
                }
                pages.push(p);
            }
            // One broken template fails every page that uses it: report it once.
            Err(d) => {
                if !errors.iter().any(|e| {
                    e.file == d.file
                        && e.line == d.line
                        && e.message.split(" (rendering").next()
                            == d.message.split(" (rendering").next()
                }) {
                    errors.push(d);
                }
            }
        }
    }
    // Forget pages that no longer exist.
    if let Some(memo) = memo {
        memo.retain(|(lang, rel), _| site.by_key.contains_key(&(lang.clone(), rel.clone())));
    }
    if errors.is_empty() {
        Ok((pages, rendered))
    } else {
        Err(BuildErrors(errors))
    }
}

/// Every output file of the site except the search index.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    pages: Vec<RenderedPage>,
) -> Result<Vec<OutputFile>, BuildErrors> {
    let mut files: Vec<OutputFile> = pages
        .into_iter()
        .map(|p| OutputFile::new(file_of(&site.pages[p.index].url), p.html.into_bytes()))
        .collect();
    files.extend(theme.static_files.iter().cloned());
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
