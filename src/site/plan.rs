//! Source pages → planned pages: URL of each, its kind, and the pages made up where no file
//! exists (a language's home, a folder's section index, collection items and their index,
//! fallback copies of untranslated pages).

use super::{Kind, PlannedPage as Page, parent_rel};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{Asset, CONTENT_DIR, FrontMatter, SourcePage};
use crate::diagnostics::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Planned pages, the warnings (missing prose, made-up sections), and the pages that could not
/// be planned with their errors (later stages go on without them).
pub struct Planned {
    pub pages: Vec<Page>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
    pub failed: Vec<crate::content::PageKey>,
}

/// `assets` are only checked against the pages' URLs (a page folder may not be a copied file).
pub fn plan(config: &Config, sources: Vec<SourcePage>, assets: &[Asset]) -> Planned {
    let mut errors = Vec::new();
    let mut failed = Vec::new();
    let mut warnings = Vec::new();
    let mut pages: Vec<Page> = Vec::with_capacity(sources.len());
    for s in sources {
        let key = crate::content::PageKey::new(&s.lang, &s.rel);
        match from_source(config, s) {
            Ok(p) => pages.push(p),
            Err(e) => {
                errors.push(e);
                failed.push(key);
            }
        }
    }
    let copies = super::fallback::copies(config, &pages);
    pages.extend(copies);
    for lang in &config.languages {
        add_missing(config, &lang.code, &mut pages, &mut warnings);
    }
    check_urls(&pages, assets, &mut errors);
    pages.sort_by(|a, b| (&a.lang, &a.rel).cmp(&(&b.lang, &b.rel)));
    Planned {
        pages,
        warnings,
        errors,
        failed,
    }
}

fn from_source(config: &Config, s: SourcePage) -> Result<Page, Diagnostic> {
    let front_line = |key: &str| s.key_lines.get(key).copied().unwrap_or(1);
    if let Some(about) = &s.front.about {
        check_about(config, about).map_err(|(msg, hint)| {
            Diagnostic::new(format!("front matter: {msg}"))
                .in_file(&s.file)
                .at(front_line("about"), None)
                .with_hint(hint)
        })?;
    }
    let kind = kind_of(config, &s);
    let mut front = s.front;
    // Item pages keep the collection's order unless their front matter says otherwise.
    if let Kind::Item { collection, id } = &kind {
        front.weight = front.weight.or_else(|| item_weight(config, collection, id));
    }
    let mut path = s.rel.strip_suffix(".md").unwrap_or(&s.rel).to_owned();
    if kind.is_section() {
        path = path.trim_end_matches("_index").to_owned();
    }
    if let Some(slug) = &front.slug {
        let slug = crate::urls::nfc(slug);
        if let Err(why) = check_slug(&slug) {
            return Err(Diagnostic::new(format!(
                "front matter: slug '{}' {why}",
                slug.escape_debug()
            ))
            .in_file(&s.file)
            .at(front_line("slug"), None)
            .with_hint(
                "a slug is one URL segment of letters, digits, '-', '_' and '.' (not first or \
                 last), e.g. `top-up` or `пополнение`; it replaces only the last part of the URL",
            ));
        }
        if kind.is_section() {
            return Err(Diagnostic::new(
                "front matter: a section (_index.md) cannot have a slug; rename its folder instead",
            )
            .in_file(&s.file)
            .at(front_line("slug"), None));
        }
        let dir_end = path.rfind('/').map_or(0, |i| i + 1);
        path = format!("{}{slug}", &path[..dir_end]);
    }
    let url = if path.is_empty() {
        format!("{}/", s.lang)
    } else {
        format!("{}/{}/", s.lang, path.trim_end_matches('/'))
    };
    let template = front
        .template
        .clone()
        .unwrap_or_else(|| kind.default_template(config));
    Ok(Page {
        lang: s.lang,
        rel: s.rel,
        file: s.file,
        url,
        kind,
        front,
        body: s.body,
        body_line: s.body_line,
        source_hash: s.source_hash,
        key_lines: s.key_lines,
        written: true,
        fallback_from: None,
        template,
    })
}

/// Checks `about: <collection>/<id>`; the error says what exists.
fn check_about(config: &Config, about: &str) -> Result<(), (String, String)> {
    let (c, id) = about.split_once('/').unwrap_or((about, ""));
    let Some(collection) = config.collection(c) else {
        let names: Vec<&str> = config.collections.iter().map(|c| c.name.as_str()).collect();
        let hint = crate::diagnostics::did_you_mean(c, names.iter().copied())
            .map(|x| format!("did you mean '{x}/{id}'?"))
            .unwrap_or_else(|| {
                format!(
                    "write `about: <collection>/<id>`; collections: {}",
                    names.join(", ")
                )
            });
        return Err((format!("unknown collection in about: '{about}'"), hint));
    };
    if collection.item(id).is_some() {
        return Ok(());
    }
    let ids: Vec<&str> = collection.items.iter().map(|i| i.id.as_str()).collect();
    let hint = crate::diagnostics::did_you_mean(id, ids.iter().copied())
        .map(|x| format!("did you mean '{c}/{x}'?"))
        .unwrap_or_else(|| format!("items of '{c}': {}", ids.join(", ")));
    Err((format!("unknown item in about: '{about}'"), hint))
}

/// The list position of an item, as the weight of its page (after hand-weighted pages).
fn item_weight(config: &Config, collection: &str, id: &str) -> Option<i64> {
    let c = config.collection(collection)?;
    let i = c.items.iter().position(|item| item.id == id)?;
    Some(1000 + i as i64)
}

/// A source page's kind: a collection's index or item by its folder, else by its name.
fn kind_of(config: &Config, s: &SourcePage) -> Kind {
    if s.rel == "_index.md" {
        return Kind::Home;
    }
    for c in &config.collections {
        if s.rel == c.index_rel() {
            return Kind::Collection(c.name.clone());
        }
        let id = s
            .rel
            .strip_prefix(c.folder())
            .and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.strip_suffix(".md"));
        if let Some(id) = id.filter(|id| c.item(id).is_some()) {
            return Kind::Item {
                collection: c.name.clone(),
                id: id.to_owned(),
            };
        }
    }
    if s.is_section() {
        Kind::Section
    } else {
        Kind::Page
    }
}

/// Adds the pages a language needs but has no file for.
fn add_missing(config: &Config, lang: &str, pages: &mut Vec<Page>, warnings: &mut Vec<Diagnostic>) {
    let have: BTreeSet<String> = pages
        .iter()
        .filter(|p| p.lang == lang)
        .map(|p| p.rel.clone())
        .collect();
    let mut add =
        |rel: String, title: String, kind: Kind, weight: Option<i64>, warn: Option<String>| {
            let template = kind.default_template(config);
            if let Some(w) = warn {
                warnings
                    .push(Diagnostic::new(w).in_file(Path::new("content").join(lang).join(&rel)));
            }
            let path = rel.trim_end_matches(".md").trim_end_matches("_index");
            let url = format!(
                "{lang}/{path}{}",
                if path.is_empty() || path.ends_with('/') {
                    ""
                } else {
                    "/"
                }
            );
            pages.push(Page {
                lang: lang.to_owned(),
                rel,
                file: CONFIG_FILE.into(),
                url,
                kind,
                front: FrontMatter {
                    title,
                    weight,
                    ..empty_front()
                },
                body: crate::content::Body::held(""),
                body_line: 1,
                source_hash: 0,
                key_lines: BTreeMap::new(),
                written: false,
                fallback_from: None,
                template,
            });
        };
    if !have.contains("_index.md") {
        add(
            "_index.md".into(),
            config.title.get(lang).to_owned(),
            Kind::Home,
            None,
            None,
        );
    }
    // Every folder with pages needs a section index so the tree has no holes.
    let mut folders = BTreeSet::new();
    for rel in &have {
        let mut r = rel.clone();
        while let Some(parent) = parent_rel(&r) {
            folders.insert(parent.clone());
            r = parent;
        }
    }
    for c in &config.collections {
        folders.insert(c.index_rel());
    }
    for folder in folders
        .into_iter()
        .filter(|f| !have.contains(f) && f != "_index.md")
    {
        let collection = config.collections.iter().find(|c| c.index_rel() == folder);
        let name = folder
            .trim_end_matches("/_index.md")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        // A collection's index has its title in site.yaml: no prose is needed.
        let (title, kind, warn) = match collection {
            Some(c) => (c.title.get(lang).to_owned(), Kind::Collection(c.name.clone()), None),
            None => (name, Kind::Section, Some("no _index.md: this section gets a generated index page; write one to give it a title and text".into())),
        };
        add(folder, title, kind, None, warn);
    }
    let mut notes = Vec::new();
    for c in &config.collections {
        let mut without_prose = Vec::new();
        for item in &c.items {
            let rel = c.item_rel(&item.id);
            if !have.contains(&rel) {
                let weight = item_weight(config, &c.name, &item.id);
                let kind = Kind::Item {
                    collection: c.name.clone(),
                    id: item.id.clone(),
                };
                add(rel, item.name.get(lang).to_owned(), kind, weight, None);
                without_prose.push(item.id.as_str());
            }
        }
        // One line per collection and language: a data-only collection is normal, not noise.
        if !without_prose.is_empty() {
            let n = without_prose.len();
            notes.push(
                Diagnostic::new(format!(
                    "no prose for {n} item{} of '{}' (their pages show only their data): {}",
                    if n == 1 { "" } else { "s" },
                    c.name,
                    without_prose.join(", ")
                ))
                .in_file(Path::new("content").join(lang).join(c.folder())),
            );
        }
    }
    warnings.append(&mut notes);
}

fn empty_front() -> FrontMatter {
    FrontMatter {
        title: String::new(),
        description: None,
        weight: None,
        slug: None,
        draft: false,
        reviewed: None,
        sources: Vec::new(),
        about: None,
        template: None,
        search: None,
        translated_from: None,
        schema: None,
        og_image: None,
        extra: BTreeMap::new(),
    }
}

/// Why `slug` is not one safe URL segment: letters and digits of any script (with their
/// combining marks), `-`, `_`, and `.` anywhere but first or last. Anything else (`%`, `?`,
/// `#`, spaces, controls, bidi overrides such as U+202E) would build a broken or misleading link.
fn check_slug(slug: &str) -> Result<(), String> {
    use unicode_normalization::char::is_combining_mark;
    let Some(first) = slug.chars().next() else {
        return Err("is empty".into());
    };
    if let Some(c) = slug
        .chars()
        .find(|&c| !(c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "may only contain letters, digits, '-', '_' and '.' (found {})",
            describe(c)
        ));
    }
    if first == '.' || slug.ends_with('.') {
        return Err("may not start or end with '.'".into());
    }
    if is_combining_mark(first) {
        return Err("may not start with a combining mark".into());
    }
    Ok(())
}

/// A character for a message: printable ones quoted, others by code point.
fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() || !c.escape_debug().eq(std::iter::once(c)) {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// URLs must be unique, also on hosts that ignore case; and no page's folder may be another
/// page's file or a copied file (`slug: index.html` beside the language's home, `slug:
/// photo.png` beside `photo.png`).
fn check_urls(pages: &[Page], assets: &[Asset], errors: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    for p in pages {
        let folded = p.url.to_lowercase();
        if let Some(other) = seen.insert(folded, p) {
            let how = if other.url == p.url {
                format!("two pages have the URL {}", p.url)
            } else {
                format!(
                    "two pages have URLs that differ only by case ({} and {}), one URL on many hosts",
                    other.url, p.url
                )
            };
            errors.push(url_error(
                p,
                format!("{how}: this one and {}", other.file.display()),
            ));
        }
    }
    let mut files: BTreeMap<String, String> = pages
        .iter()
        .map(|p| (crate::urls::file_of(&p.url), p.file.display().to_string()))
        .collect();
    for a in assets {
        let source = Path::new(CONTENT_DIR).join(&a.lang).join(&a.rel);
        files.insert(
            format!("{}/{}", a.lang, a.rel),
            source.display().to_string(),
        );
    }
    for p in pages {
        if let Some(other) = files.get(p.url.trim_end_matches('/')) {
            let msg = format!("this page's folder {} is the file of {other}", p.url);
            errors.push(url_error(p, msg));
        }
    }
    errors.extend(asset_case_clashes(assets));
}

/// Copied files whose paths differ only by case: one file on case-insensitive hosts.
fn asset_case_clashes(assets: &[Asset]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<String, &Asset> = BTreeMap::new();
    let mut errors = Vec::new();
    for a in assets {
        let shown = |a: &Asset| Path::new(CONTENT_DIR).join(&a.lang).join(&a.rel);
        if let Some(other) = seen.insert(format!("{}/{}", a.lang, a.rel).to_lowercase(), a) {
            errors.push(
                Diagnostic::new(format!(
                    "two files differ only by case ({} and {}), one file on many hosts",
                    shown(other).display(),
                    shown(a).display()
                ))
                .in_file(shown(a))
                .with_hint("rename one of them"),
            );
        }
    }
    errors
}

fn url_error(p: &Page, message: String) -> Diagnostic {
    let d = Diagnostic::new(message)
        .in_file(&p.file)
        .with_hint("change one page's `slug` or file name");
    match p.key_lines.get("slug") {
        Some(&line) => d.at(line, None),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::check_slug;

    #[test]
    fn slugs_are_one_safe_segment_in_any_script() {
        for ok in [
            "top-up",
            "пополнение",
            "充值",
            "v1.2",
            "a_b",
            "қазақша",
            "हिन्दी",
        ] {
            assert_eq!(check_slug(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a%20b",
            "a?b",
            "a#b",
            "a b",
            "a\nb",
            "a\u{202E}b",
            "a.",
            ".a",
            "a/b",
            "a\\b",
            "a\u{0}b",
            "..",
            "a:b",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
        assert!(check_slug("a\u{202E}b").unwrap_err().contains("U+202E"));
    }
}
