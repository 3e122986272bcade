//! Site-wide files: the root language picker, 404.html (render/not_found.rs), sitemap.xml,
//! robots.txt and the web manifests (render/sharing.rs).

use super::Theme;
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::markdown::escape_into;
use crate::output::OutputFile;
use crate::site::Site;
use crate::urls::relative;
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct HomeLink {
    code: String,
    tag: String,
    name: String,
    title: String,
    href: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: Option<&'a str>,
}

pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, BuildErrors> {
    let errors = super::sharing::check(site, theme);
    if !errors.is_empty() {
        return Err(BuildErrors(errors));
    }
    let mut files = vec![
        OutputFile::new("index.html", render_root(site, theme, "languages.html")?),
        OutputFile::new("404.html", super::not_found::render(site, theme)?),
        OutputFile::new("robots.txt", robots(site)),
    ];
    files.extend(super::sharing::manifests(site, theme));
    if let Some(sitemap) = sitemap(site) {
        files.push(OutputFile::new("sitemap.xml", sitemap));
    }
    Ok(files)
}

/// A page at the output root, in the default language.
fn render_root(site: &Site, theme: &Theme, template: &str) -> Result<String, Diagnostic> {
    let config = &site.config;
    let lang = config.default_language();
    let homes: Vec<HomeLink> = config
        .languages
        .iter()
        .map(|l| {
            let url = format!("{}/", l.code);
            HomeLink {
                code: l.code.clone(),
                tag: l.tag.clone(),
                name: l.name.clone(),
                title: config.title.get(&l.code).to_owned(),
                href: relative("", &url),
            }
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &SiteView {
            title: config.title.get(&lang.code),
            description: config.description.as_ref().map(|d| d.get(&lang.code)),
            base_url: config.base_url.as_deref(),
        },
    );
    ctx.insert("languages", &config.languages);
    ctx.insert("lang", lang);
    ctx.insert("t", site.i18n.strings(&lang.code));
    ctx.insert("assets", &theme.assets);
    ctx.insert("homes", &homes);
    ctx.insert("root", "");
    theme
        .tera
        .render(template, &ctx)
        .map_err(|e| theme.error(&e, ""))
}

fn robots(site: &Site) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        s.push_str(&format!(
            "Sitemap: {}/sitemap.xml\n",
            base.trim_end_matches('/')
        ));
    }
    s
}

/// Every page with its translations as `xhtml:link` alternates; needs `base_url`. Fallback
/// copies are left out: they are `noindex` and point to their original.
fn sitemap(site: &Site) -> Option<String> {
    let base = site.config.base_url.as_ref()?.trim_end_matches('/');
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut pages: Vec<&crate::site::Page> =
        site.pages.iter().filter(|p| p.is_translated()).collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    // The address of the page at `url`, escaped. Appended piece by piece: this runs on one
    // core at the end of a build, and without `format!` per line the site files of a 1k build
    // take 16.0 instead of 25.0 million instructions (callgrind).
    let push_loc = |s: &mut String, url: &str| {
        escape_into(s, base);
        s.push('/');
        escape_into(s, url);
    };
    for page in pages {
        s.push_str("  <url>\n    <loc>");
        push_loc(&mut s, &page.url);
        s.push_str("</loc>\n");
        if let Some(d) = page.front.reviewed {
            s.push_str("    <lastmod>");
            let _ = write!(s, "{d}");
            s.push_str("</lastmod>\n");
        }
        for i in site.real_translations(page) {
            let t = &site.pages[i];
            let tag = site
                .config
                .language(&t.lang)
                .map(|l| l.tag.as_str())
                .unwrap_or_default();
            s.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
            s.push_str(tag);
            s.push_str("\" href=\"");
            push_loc(&mut s, &t.url);
            s.push_str("\"/>\n");
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    Some(s)
}
