//! Source pages → planned pages: URL of each, its kind, and the pages made up where no file
//! exists (a language's home, a folder's section index, operator pages and their index).

use super::{Kind, Page, parent_rel};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{FrontMatter, SourcePage};
use crate::diagnostics::Diagnostic;
use crate::i18n::I18n;
use crate::markdown::Rendered;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const OPERATORS_DIR: &str = "operators/";

/// Planned pages, the warnings (missing prose, made-up sections), and the pages that could not
/// be planned with their errors (later stages go on without them).
pub struct Planned {
    pub pages: Vec<Page>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
    pub failed: Vec<(String, String)>,
}

pub fn plan(config: &Config, i18n: &I18n, sources: Vec<SourcePage>) -> Planned {
    let mut errors = Vec::new();
    let mut failed = Vec::new();
    let mut warnings = Vec::new();
    let mut pages: Vec<Page> = Vec::with_capacity(sources.len());
    for s in sources {
        let key = (s.lang.clone(), s.rel.clone());
        match from_source(config, s) {
            Ok(p) => pages.push(p),
            Err(e) => {
                errors.push(e);
                failed.push(key);
            }
        }
    }
    for lang in &config.languages {
        add_missing(config, i18n, &lang.code, &mut pages, &mut warnings);
    }
    check_urls(&pages, &mut errors);
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
    if let Some(op) = &s.front.operator
        && config.operator(op).is_none()
    {
        let ids: Vec<&str> = config.operators.iter().map(|o| o.id.as_str()).collect();
        let hint = crate::diagnostics::did_you_mean(op, ids.iter().copied())
            .map(|x| format!("did you mean '{x}'?"))
            .unwrap_or_else(|| format!("configured operators: {}", ids.join(", ")));
        return Err(
            Diagnostic::new(format!("front matter: unknown operator '{op}'"))
                .in_file(&s.file)
                .at(front_line("operator"), None)
                .with_hint(hint),
        );
    }
    let kind = if s.rel == "_index.md" {
        Kind::Home
    } else if s.rel == format!("{OPERATORS_DIR}_index.md") && !config.operators.is_empty() {
        Kind::Operators
    } else if s.is_section() {
        Kind::Section
    } else if let Some(id) = s
        .rel
        .strip_prefix(OPERATORS_DIR)
        .and_then(|r| r.strip_suffix(".md"))
        .filter(|id| config.operator(id).is_some())
    {
        Kind::Operator(id.to_owned())
    } else {
        Kind::Page
    };
    let mut path = s.rel.strip_suffix(".md").unwrap_or(&s.rel).to_owned();
    if kind.is_section() {
        path = path.trim_end_matches("_index").to_owned();
    }
    if let Some(slug) = &s.front.slug {
        let bad = slug.is_empty()
            || slug.contains(['/', '\\'])
            || slug == "."
            || slug == ".."
            || slug.contains(':')
            || slug.starts_with('.');
        if bad {
            return Err(Diagnostic::new(format!("front matter: slug '{slug}' must be one path segment (no '/', '\\', '..' or leading '.')"))
                .in_file(&s.file).at(front_line("slug"), None)
                .with_hint("a slug replaces only the last part of the URL"));
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
    Ok(Page {
        lang: s.lang,
        rel: s.rel,
        file: s.file,
        url,
        kind,
        front: s.front,
        body: s.body,
        body_line: s.body_line,
        source_hash: s.source_hash,
        key_lines: s.key_lines,
        written: true,
        rendered: Rendered::default(),
        parent: None,
        children: Vec::new(),
    })
}

/// Adds the pages a language needs but has no file for.
fn add_missing(
    config: &Config,
    i18n: &I18n,
    lang: &str,
    pages: &mut Vec<Page>,
    warnings: &mut Vec<Diagnostic>,
) {
    let have: BTreeSet<String> = pages
        .iter()
        .filter(|p| p.lang == lang)
        .map(|p| p.rel.clone())
        .collect();
    let mut add =
        |rel: String, title: String, kind: Kind, weight: Option<i64>, warn: Option<String>| {
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
                body: String::new(),
                body_line: 1,
                source_hash: 0,
                key_lines: BTreeMap::new(),
                written: false,
                rendered: Rendered::default(),
                parent: None,
                children: Vec::new(),
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
    if !config.operators.is_empty() {
        folders.insert(format!("{OPERATORS_DIR}_index.md"));
    }
    for folder in folders
        .into_iter()
        .filter(|f| !have.contains(f) && f != "_index.md")
    {
        let is_ops = folder == format!("{OPERATORS_DIR}_index.md") && !config.operators.is_empty();
        let name = folder
            .trim_end_matches("/_index.md")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let title = if is_ops {
            i18n.get(lang, "operators_title").to_owned()
        } else {
            name
        };
        let kind = if is_ops {
            Kind::Operators
        } else {
            Kind::Section
        };
        add(folder, title, kind, None, Some("no _index.md: this section gets a generated index page; write one to give it a title and text".into()));
    }
    for (i, op) in config.operators.iter().enumerate() {
        let rel = format!("{OPERATORS_DIR}{}.md", op.id);
        if !have.contains(&rel) {
            let weight = Some(1000 + i as i64);
            add(
                rel,
                op.name.clone(),
                Kind::Operator(op.id.clone()),
                weight,
                Some(format!(
                    "no prose for operator '{}': its page shows only the facts from site.yaml",
                    op.id
                )),
            );
        }
    }
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
        operator: None,
        template: None,
        search: None,
        translated_from: None,
        extra: BTreeMap::new(),
    }
}

fn check_urls(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Page> = BTreeMap::new();
    for p in pages {
        if let Some(other) = seen.insert(&p.url, p) {
            errors.push(
                Diagnostic::new(format!(
                    "two pages have the URL {}: this one and {}",
                    p.url,
                    other.file.display()
                ))
                .in_file(&p.file)
                .with_hint("change one page's `slug` or file name"),
            );
        }
    }
}
