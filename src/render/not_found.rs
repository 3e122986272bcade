//! The 404 page. Input: the site model and the theme. Output: `404.html` at the output root.
//!
//! Hosts serve this one file at any missing URL (`/guide/ru/no/such/page`), and readers open
//! it from disk, so nothing in it may depend on where it sits. Its links are relative to the
//! site root; a small script in its head finds that root from the URL (the part before a
//! language segment or one of steppe's own folders, else the path of `base_url`, else the
//! 404's own folder) and sets `<base href>` before the stylesheet is read. It carries every
//! language's text and shows one: the language in the URL, else the browser's, else the
//! default.

use super::Theme;
use super::structured_data::encode;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use serde::Serialize;

#[derive(Serialize)]
struct Block<'a> {
    code: &'a str,
    tag: &'a str,
    dir: crate::config::Direction,
    name: &'a str,
    /// The site's title in this language.
    title: &'a str,
    /// Its home, from the site root.
    home: String,
    t: &'a crate::i18n::Strings,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
}

/// What the inline script needs, as JSON.
#[derive(Serialize)]
struct Finder<'a> {
    /// The path of `base_url` (`/guide/`), if set.
    base: Option<String>,
    /// Language code → BCP 47 tag, direction and the page title in that language.
    langs: Vec<(&'a str, &'a str, crate::config::Direction, String)>,
    /// Top-level folders steppe writes besides the languages.
    folders: &'a [&'a str],
    default: &'a str,
}

pub(crate) fn render(site: &Site, theme: &Theme) -> Result<String, Diagnostic> {
    let config = &site.config;
    let lang = config.default_language();
    let blocks: Vec<Block> = config
        .languages
        .iter()
        .map(|l| Block {
            code: &l.code,
            tag: &l.tag,
            dir: l.dir,
            name: &l.name,
            title: config.title.get(&l.code),
            home: format!("{}/index.html", l.code),
            t: site.i18n.strings(&l.code),
        })
        .collect();
    let finder = Finder {
        base: config.base_url.as_deref().map(base_path),
        langs: blocks
            .iter()
            .map(|b| {
                let page = b.t.get("not_found_title").map_or("", String::as_str);
                (b.code, b.tag, b.dir, format!("{page} · {}", b.title))
            })
            .collect(),
        folders: &["static", "search", "offline"],
        default: &lang.code,
    };
    let finder = serde_json::to_value(&finder).map_err(|e| Diagnostic::new(e.to_string()))?;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "site",
        &SiteView {
            title: config.title.get(&lang.code),
        },
    );
    ctx.insert("lang", lang);
    ctx.insert("t", site.i18n.strings(&lang.code));
    ctx.insert("assets", &theme.assets);
    ctx.insert("root", "");
    ctx.insert("blocks", &blocks);
    ctx.insert("finder", &encode(&finder));
    theme
        .tera
        .render("404.html", &ctx)
        .map_err(|e| theme.error(&e, ""))
}

/// The path part of a base URL, ending in `/`: `https://example.org/guide` → `/guide/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/guide/"), "/guide/");
        assert_eq!(base_path("https://example.org/guide"), "/guide/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("http://127.0.0.1:8080/a/b/?x"), "/a/b/");
    }
}
