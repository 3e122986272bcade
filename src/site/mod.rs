//! The site model: every page of every language with its URL, kind, place in its section tree,
//! rendered body and translations. Assembled in stages, read-only once built.
//!
//! `plan` gives each source page its URL and adds the pages the site needs but nobody wrote
//! (a language's home, a section's index, operator pages); `render_bodies` turns Markdown into
//! HTML in parallel; `assemble` links sections, orders them and fixes the reading order.

mod plan;

pub use plan::{Planned, plan};

use crate::config::Config;
use crate::content::{Asset, FrontMatter};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::i18n::I18n;
use crate::markdown::{self, FactSource, LinkSite, LinkTargets, PageInput, Rendered};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Home,
    Section,
    Page,
    /// An operator's page, joined with its data from site.yaml.
    Operator(String),
    /// The operators' index with the comparison table.
    Operators,
}

impl Kind {
    pub fn default_template(&self) -> &'static str {
        match self {
            Kind::Home => "home.html",
            Kind::Section => "section.html",
            Kind::Page => "page.html",
            Kind::Operator(_) => "operator.html",
            Kind::Operators => "operators.html",
        }
    }

    pub fn is_section(&self) -> bool {
        matches!(self, Kind::Home | Kind::Section | Kind::Operators)
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub lang: String,
    /// Source path inside `content/<lang>/` (the translation key), also for synthesized pages.
    pub rel: String,
    /// Where errors point: the source file, or site.yaml for synthesized pages.
    pub file: PathBuf,
    /// Pretty URL relative to the output root (`en/steps/online/`).
    pub url: String,
    pub kind: Kind,
    pub front: FrontMatter,
    pub body: String,
    pub body_line: usize,
    /// Fingerprint of the source file (0 for pages steppe made up).
    pub source_hash: u64,
    /// 1-based line of each top-level front matter key.
    pub key_lines: BTreeMap<String, usize>,
    /// False for pages steppe made up because no file exists.
    pub written: bool,
    pub rendered: Rendered,
    /// Index of the section page this page belongs to (none for a home).
    pub parent: Option<usize>,
    /// Ordered child pages and sections (sections only).
    pub children: Vec<usize>,
}

impl Page {
    pub fn template(&self) -> &str {
        self.front
            .template
            .as_deref()
            .unwrap_or_else(|| self.kind.default_template())
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
    pub by_key: BTreeMap<(String, String), usize>,
    /// Reading order per language (home first, depth-first), for previous/next links.
    pub reading_order: BTreeMap<String, Vec<usize>>,
    pub assets: Vec<Asset>,
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    pub fn home(&self, lang: &str) -> usize {
        self.by_key[&(lang.to_owned(), "_index.md".to_owned())]
    }

    /// The same page in every language it exists in, in the configured language order.
    pub fn translations(&self, page: &Page) -> Vec<usize> {
        self.config
            .languages
            .iter()
            .filter_map(|l| {
                self.by_key
                    .get(&(l.code.clone(), page.rel.clone()))
                    .copied()
            })
            .collect()
    }

    /// Pages whose front matter names `operator`, in reading order.
    pub fn pages_about(&self, lang: &str, operator: &str) -> Vec<usize> {
        self.reading_order[lang]
            .iter()
            .copied()
            .filter(|&i| {
                self.pages[i].front.operator.as_deref() == Some(operator)
                    && !matches!(self.pages[i].kind, Kind::Operator(_))
            })
            .collect()
    }
}

/// Rendered Markdown kept between rebuilds, keyed by everything rendering reads (`watch`).
/// Whoever changes the config or UI strings clears it.
pub type MarkdownMemo = HashMap<u64, (Rendered, Vec<Diagnostic>)>;

/// Renders every page's Markdown in parallel (reusing `memo`, when given, where a page's inputs
/// are unchanged), then checks links into anchors. Returns how many pages were rendered afresh.
/// `failed` are pages that exist but did not load: links to them count as resolved.
pub fn render_bodies(
    pages: &mut [Page],
    config: &Config,
    i18n: &I18n,
    assets: &[Asset],
    failed: &[(String, String)],
    mut memo: Option<&mut MarkdownMemo>,
) -> Result<usize, BuildErrors> {
    let targets = LinkTargets {
        pages: pages
            .iter()
            .filter(|p| p.written)
            .map(|p| ((p.lang.clone(), p.rel.clone()), p.url.clone()))
            .chain(failed.iter().map(|key| (key.clone(), String::new())))
            .collect(),
        assets: assets
            .iter()
            .map(|a| (a.lang.clone(), a.rel.clone()))
            .collect(),
    };
    // Any page added, removed or moved can change how every link resolves.
    let targets_hash = hash_of(&(&targets.pages, &targets.assets));
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
    let mut results: Vec<Option<(Rendered, Vec<Diagnostic>)>> = pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if memo.as_ref().is_some_and(|m| m.contains_key(&keys[i])) {
                return None;
            }
            let facts = crate::operators::Facts {
                config,
                i18n,
                lang: &p.lang,
            };
            Some(render_one(p, config, i18n, &targets, &facts))
        })
        .collect();
    let rendered = results.iter().filter(|r| r.is_some()).count();
    let mut errors = Vec::new();
    let mut next = MarkdownMemo::new();
    for ((page, key), result) in pages.iter_mut().zip(&keys).zip(&mut results) {
        let (r, e) = match (result.take(), memo.as_deref_mut()) {
            (Some(fresh), _) => fresh,
            (None, Some(memo)) => memo.remove(key).expect("skipped only when remembered"),
            (None, None) => unreachable!("without a memo every page is rendered"),
        };
        // Only a remembering pipeline pays for the copy it keeps.
        if memo.is_some() {
            next.insert(*key, (r.clone(), e.clone()));
        }
        page.rendered = r;
        page.rendered.key = *key;
        errors.extend(e);
    }
    if let Some(memo) = memo {
        *memo = next;
    }
    if let Err(BuildErrors(mut e)) = check_anchors(pages) {
        errors.append(&mut e);
    }
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(BuildErrors(errors))
    }
}

/// A fast, deterministic fingerprint (for caches only; never written to output).
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn render_one(
    p: &Page,
    config: &Config,
    i18n: &I18n,
    targets: &LinkTargets,
    facts: &dyn FactSource,
) -> (Rendered, Vec<Diagnostic>) {
    let input = PageInput {
        file: &p.file,
        body: &p.body,
        body_line: p.body_line,
        strings: i18n.strings(&p.lang),
    };
    let out_dir = p.url.as_str();
    let site = LinkSite {
        config,
        targets,
        lang: &p.lang,
        rel: &p.rel,
        out_dir,
    };
    markdown::render(&input, &site, facts)
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
    for p in pages {
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
    let by_key: BTreeMap<(String, String), usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.lang.clone(), p.rel.clone()), i))
        .collect();
    for i in 0..pages.len() {
        let parent = parent_rel(&pages[i].rel)
            .and_then(|r| by_key.get(&(pages[i].lang.clone(), r)).copied());
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
        if let Some(&home) = by_key.get(&(lang.code.clone(), "_index.md".to_owned())) {
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
