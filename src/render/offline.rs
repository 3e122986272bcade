//! Offline reading. Input: the site model, the theme and every other output file of the build.
//! Output: `offline/<lang>.json` (what the service worker stores for a reader of that language)
//! and `sw.js` at the output root (the theme's `templates/sw.js`), or nothing when
//! `offline: {enabled: false}`.
//!
//! A language's list holds its pages (home first, then reading order, then the rest by URL, at
//! most `offline.max_pages`) and its search index files. `sw.js` carries the build's version, a
//! hash of every other output file's path and bytes: any change to the site gives a new
//! worker, which stores the lists afresh in a new cache and deletes the old one.

use super::Theme;
use crate::diagnostics::BuildErrors;
use crate::output::{self, OutputFile};
use crate::site::Site;
use crate::urls::file_of;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

/// The folder of the per-language lists.
const LISTS: &str = "offline";

/// What the worker stores for one language.
#[derive(Serialize)]
struct List<'a> {
    /// Output paths of the language's pages, the files the site links to (`en/faq/index.html`).
    pages: Vec<String>,
    /// The language's search index (`search/en/index.js` and its shards).
    search: Vec<&'a str>,
}

/// The lists and the service worker; nothing when offline reading is turned off.
pub(crate) fn render(
    site: &Site,
    theme: &Theme,
    files: &BTreeMap<String, output::Hash>,
) -> Result<Vec<OutputFile>, BuildErrors> {
    if !site.config.offline.enabled {
        return Ok(Vec::new());
    }
    let mut out: Vec<OutputFile> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let list = list(site, files, &l.code);
            let json = serde_json::to_string(&list).unwrap_or_default();
            OutputFile::new(format!("{LISTS}/{}.json", l.code), json)
        })
        .collect();
    let lists: Vec<(String, output::Hash)> = out
        .iter()
        .map(|f| (f.path.clone(), output::hash(&f.bytes)))
        .collect();
    let version = version(files.iter().map(|(p, h)| (p.as_str(), h)), &lists);
    out.push(OutputFile::new("sw.js", worker(site, theme, &version)?));
    Ok(out)
}

/// The pages and search files stored for a reader of `lang`.
fn list<'a>(site: &Site, files: &'a BTreeMap<String, output::Hash>, lang: &str) -> List<'a> {
    let max = site.config.offline.max_pages;
    let mut seen = BTreeSet::new();
    let mut ordered: Vec<usize> = site.reading_order.get(lang).cloned().unwrap_or_default();
    let mut rest: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].lang == lang)
        .collect();
    rest.sort_by(|&a, &b| site.pages[a].url.cmp(&site.pages[b].url));
    ordered.insert(0, site.home(lang));
    ordered.extend(rest);
    let pages = ordered
        .into_iter()
        .filter(|&i| seen.insert(i))
        .take(max)
        .map(|i| file_of(&site.pages[i].url))
        .collect();
    let prefix = format!("search/{lang}/");
    let search = files
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with(&prefix))
        .collect();
    List { pages, search }
}

/// A hash of every file's path and content hash (the site's files and the lists), in path
/// order, as 16 hex digits.
fn version<'a>(
    files: impl Iterator<Item = (&'a str, &'a output::Hash)>,
    lists: &'a [(String, output::Hash)],
) -> String {
    let mut all: Vec<(&str, &output::Hash)> = files
        .chain(lists.iter().map(|(p, h)| (p.as_str(), h)))
        .collect();
    all.sort();
    let mut h = std::hash::DefaultHasher::new();
    all.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The theme's worker with the build's values: its version, the theme files every page needs
/// (stylesheets, scripts, the icon; not the sharing images) and the list folder.
fn worker(site: &Site, theme: &Theme, version: &str) -> Result<String, BuildErrors> {
    let assets: Vec<&String> = theme
        .assets
        .iter()
        .filter(|(name, _)| {
            [".css", ".js", ".svg", ".woff2"]
                .iter()
                .any(|e| name.ends_with(e))
        })
        .map(|(_, path)| path)
        .collect();
    let codes: Vec<&str> = site.config.language_codes();
    let mut ctx = tera::Context::new();
    ctx.insert("version", version);
    ctx.insert(
        "assets",
        &serde_json::to_string(&assets).unwrap_or_default(),
    );
    ctx.insert(
        "languages",
        &serde_json::to_string(&codes).unwrap_or_default(),
    );
    ctx.insert("lists", LISTS);
    theme
        .tera
        .render("sw.js", &ctx)
        .map_err(|e| BuildErrors::one(theme.error(&e, " (rendering sw.js)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_every_byte_and_path() {
        let v = |files: &[(&str, &str)]| {
            let hashed: Vec<(&str, output::Hash)> = files
                .iter()
                .map(|(p, b)| (*p, output::hash(b.as_bytes())))
                .collect();
            version(hashed.iter().map(|(p, h)| (*p, h)), &[])
        };
        let a = v(&[("a.html", "x"), ("b.html", "y")]);
        assert_eq!(a, v(&[("b.html", "y"), ("a.html", "x")]));
        assert_ne!(a, v(&[("a.html", "x"), ("b.html", "z")]));
        assert_ne!(a, v(&[("a.html", "x"), ("c.html", "y")]));
        assert_eq!(a.len(), 16);
    }
}
