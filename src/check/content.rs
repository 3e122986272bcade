//! The site's sources → problems a build does not judge: pages missing in a language,
//! translations older than their source, overdue reviews, collection items without sources.

use super::stamp;
use super::{Problem, Severity, days_from_civil, item_problem};
use crate::config::{Config, Date};
use crate::content::{self, SourcePage};
use crate::diagnostics::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The parsed pages of every language (drafts left out, as a build does) and the site root.
pub(crate) struct Pages {
    pub root: std::path::PathBuf,
    pub pages: Vec<SourcePage>,
}

/// Reads the content again on its own: the checks here run even when the build failed. Files
/// that do not parse are already reported by the build and are left out.
pub(crate) fn load(root: &Path, config: &Config) -> Pages {
    let mut cache = content::SourceCache::new(false);
    let pages = content::load(root, config, false, &mut cache, &BTreeSet::new())
        .map(|c| c.pages)
        .unwrap_or_default();
    Pages {
        root: root.to_path_buf(),
        pages,
    }
}

/// Every content finding, for `today` (days since 1970-01-01) and reviews older than `max_age`.
pub(crate) fn check(config: &Config, pages: &Pages, max_age: u32, today: i64) -> Vec<Problem> {
    let mut problems = missing(config, &pages.pages);
    problems.extend(translations(config, &pages.pages));
    problems.extend(reviews(config, pages, max_age, today));
    problems.extend(unsourced(config, pages));
    problems
}

fn page_problem(p: &SourcePage, key: Option<&str>, kind: &'static str, msg: String) -> Problem {
    let mut d = Diagnostic::new(msg).in_file(&p.file);
    if let Some(line) = key.and_then(|k| p.key_lines.get(k)) {
        d = d.at(*line, None);
    }
    Problem::from_diagnostic(Severity::Warning, kind, d)
}

/// One warning per page and language it is missing in, at the page's default-language file
/// (or, for a page only translations have, at the first of them).
fn missing(config: &Config, pages: &[SourcePage]) -> Vec<Problem> {
    let default = &config.default_language().code;
    let mut by_rel: BTreeMap<&str, Vec<&SourcePage>> = BTreeMap::new();
    for p in pages {
        by_rel.entry(p.rel.as_str()).or_default().push(p);
    }
    let mut problems = Vec::new();
    for (rel, have) in by_rel {
        let at = have.iter().find(|p| &p.lang == default).unwrap_or(&have[0]);
        for lang in &config.languages {
            if !have.iter().any(|p| p.lang == lang.code) {
                let msg = format!(
                    "missing in '{}' (no content/{}/{rel})",
                    lang.code, lang.code
                );
                problems.push(page_problem(at, None, "missing-translation", msg));
            }
        }
    }
    problems
}

/// Translations without a stamp, and translations whose stamp is not their source's body.
fn translations(config: &Config, pages: &[SourcePage]) -> Vec<Problem> {
    let default = &config.default_language().code;
    let sources: BTreeMap<&str, &SourcePage> = pages
        .iter()
        .filter(|p| &p.lang == default)
        .map(|p| (p.rel.as_str(), p))
        .collect();
    pages
        .iter()
        .filter(|p| &p.lang != default)
        .filter_map(|p| {
            sources
                .get(p.rel.as_str())
                .and_then(|s| stamp_problem(p, s))
        })
        .collect()
}

/// What is wrong with the stamp of translation `p` of `source`, if anything.
fn stamp_problem(p: &SourcePage, source: &SourcePage) -> Option<Problem> {
    // `check` loads every text afresh: none is left on disk.
    let current = stamp::of_body(&source.body.text(&source.file).ok()?);
    let shown = source.file.to_string_lossy().replace('\\', "/");
    let file = p.file.to_string_lossy().replace('\\', "/");
    let (mut problem, hint) = match &p.front.translated_from {
        None => (
            page_problem(
                p,
                None,
                "unstamped-translation",
                format!("no `translated_from` stamp, so its age against {shown} is unknown"),
            ),
            format!("if it matches {shown} today, run `steppe check --fix-translated {file}`"),
        ),
        Some(s) if s.trim() != current => (
            page_problem(
                p,
                Some("translated_from"),
                "outdated-translation",
                format!(
                    "older than its source {shown} (translated from {s}, the source is now {current})"
                ),
            ),
            format!("update the translation, then run `steppe check --fix-translated {file}`"),
        ),
        Some(_) => return None,
    };
    problem.hint = Some(hint);
    Some(problem)
}

/// Pages and collection items whose `reviewed` date is more than `max_age` days before `today`.
fn reviews(config: &Config, pages: &Pages, max_age: u32, today: i64) -> Vec<Problem> {
    let overdue = |d: Date| today - days_from_civil(d) > i64::from(max_age);
    let message = |d: Date| {
        format!(
            "reviewed {d}, {} days ago (more than {max_age})",
            today - days_from_civil(d)
        )
    };
    let hint = "check the page against its sources, then update `reviewed:`";
    let mut problems: Vec<Problem> = pages
        .pages
        .iter()
        .filter_map(|p| p.front.reviewed.filter(|d| overdue(*d)).map(|d| (p, d)))
        .map(|(p, d)| {
            let mut pr = page_problem(p, Some("reviewed"), "review-overdue", message(d));
            pr.hint = Some(hint.into());
            pr
        })
        .collect();
    for c in &config.collections {
        for item in c.items.iter().filter(|i| overdue(i.reviewed)) {
            let mut pr = item_problem(
                &pages.root,
                &c.name,
                &item.id,
                "reviewed",
                Severity::Warning,
                "review-overdue",
                message(item.reviewed),
            );
            pr.hint = Some(hint.into());
            problems.push(pr);
        }
    }
    problems
}

/// Collection items that name no source, unless every page about them lists its own.
fn unsourced(config: &Config, pages: &Pages) -> Vec<Problem> {
    let mut out = Vec::new();
    for c in &config.collections {
        for item in c.items.iter().filter(|i| i.sources.is_empty()) {
            let about_id = format!("{}/{}", c.name, item.id);
            let about: Vec<&SourcePage> = pages
                .pages
                .iter()
                .filter(|p| p.front.about.as_deref() == Some(about_id.as_str()))
                .collect();
            if !about.is_empty() && about.iter().all(|p| !p.front.sources.is_empty()) {
                continue;
            }
            let mut pr = item_problem(
                &pages.root,
                &c.name,
                &item.id,
                "name",
                Severity::Warning,
                "no-sources",
                format!("item '{about_id}' lists no sources"),
            );
            pr.hint = Some("add `sources:` with the official pages its facts come from".into());
            out.push(pr);
        }
    }
    out
}
