//! Pages a language lacks: built from the default language's page (`missing_translation:
//! fallback`) or left out with links leading to the original (`omit`), and the list of both
//! for the build report and `steppe check`.
//!
//! Input: the planned pages of every language. Output: fallback copies, link targets for left-out
//! pages, and per language the pages that are not translated.

use super::{Kind, PageKey, PlannedPage as Page};
use crate::config::{Config, MissingTranslation};
use crate::diagnostics::Diagnostic;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Per language code, the source paths (`faq.md`) of the default language's pages it has no
/// translation of, sorted. With `fallback` each is built from the original; with `omit` none is.
pub type Fallbacks = BTreeMap<String, Vec<String>>;

/// Whether a default-language page stands in for its missing translations. Collection pages
/// are built in every language from their data already, so they never need a copy.
fn can_stand_in(p: &Page, default: &str) -> bool {
    p.lang == default
        && p.written
        && p.is_translated()
        && !matches!(p.kind, Kind::Item { .. } | Kind::Collection(_))
}

/// The default language's pages that `lang` has no page of.
fn missing_in<'a, P: AsRef<Page>>(pages: &'a [P], config: &Config, lang: &str) -> Vec<&'a Page> {
    let default = config.default_language().code.as_str();
    let pages = pages.iter().map(AsRef::as_ref);
    let have: BTreeSet<&str> = pages
        .clone()
        .filter(|p| p.lang == lang && p.is_translated())
        .map(|p| p.rel.as_str())
        .collect();
    pages
        .filter(|p| can_stand_in(p, default) && !have.contains(p.rel.as_str()))
        .collect()
}

/// With `fallback`, a copy of each default-language page for every language without it, at the
/// URL the translation would have (same path, same slug).
pub(super) fn copies(config: &Config, pages: &[Page]) -> Vec<Page> {
    if config.missing_translation != MissingTranslation::Fallback {
        return Vec::new();
    }
    let default = &config.default_language().code;
    let mut out = Vec::new();
    for lang in config.languages.iter().filter(|l| &l.code != default) {
        for original in missing_in(pages, config, &lang.code) {
            let path = original.url.strip_prefix(default.as_str()).unwrap_or("/");
            out.push(Page {
                lang: lang.code.clone(),
                url: format!("{}{path}", lang.code),
                fallback_from: Some(default.clone()),
                ..original.clone()
            });
        }
    }
    out
}

/// With `omit`, link targets that send `(lang, rel)` of a missing page to the original's URL,
/// so links from translated pages keep working. Empty with `fallback` (the copies are real).
pub(super) fn omitted_targets<'a, P: AsRef<Page>>(
    pages: &'a [P],
    config: &'a Config,
) -> impl Iterator<Item = (PageKey, String)> + 'a {
    let omit = config.missing_translation == MissingTranslation::Omit;
    config
        .languages
        .iter()
        .filter(move |_| omit)
        .flat_map(move |l| {
            missing_in(pages, config, &l.code)
                .into_iter()
                .map(|p| (PageKey::new(&l.code, &p.rel), p.url.clone()))
        })
}

/// Per language, the default language's pages it has no translation of (both modes); what
/// `steppe check` and the build report list.
pub fn fallbacks<P: AsRef<Page>>(config: &Config, pages: &[P]) -> Fallbacks {
    config
        .languages
        .iter()
        .filter(|l| l.code != config.default_language().code)
        .map(|l| {
            let mut rels: Vec<String> = missing_in(pages, config, &l.code)
                .into_iter()
                .map(|p| p.rel.clone())
                .collect();
            rels.sort();
            (l.code.clone(), rels)
        })
        .filter(|(_, rels)| !rels.is_empty())
        .collect()
}

/// One warning per language with untranslated pages, saying what readers get instead.
pub fn report(config: &Config, fallbacks: &Fallbacks) -> Vec<Diagnostic> {
    let default = &config.default_language().code;
    let what = match config.missing_translation {
        MissingTranslation::Fallback => format!("built from '{default}' with a notice"),
        MissingTranslation::Omit => format!("not built; links lead to '{default}'"),
    };
    fallbacks
        .iter()
        .map(|(lang, rels)| {
            let shown: Vec<&str> = rels.iter().take(5).map(String::as_str).collect();
            let more = match rels.len() {
                n if n > 5 => format!(", and {} more", n - 5),
                _ => String::new(),
            };
            Diagnostic::new(format!(
                "{} page{} not translated into '{lang}' ({what}): {}{more}",
                rels.len(),
                if rels.len() == 1 { "" } else { "s" },
                shown.join(", ")
            ))
            .in_file(Path::new("content").join(lang))
        })
        .collect()
}
