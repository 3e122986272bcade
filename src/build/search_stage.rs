//! The search stage: analysed pages → each language's index files. Input: the site, the pages
//! analysed in this run (those whose template ran) and the cache's analysed pages and indexes.
//! Output: the index files of the languages that changed, the paths of every language's
//! index, and the cache updates to make once the run has succeeded.
//!
//! A language none of whose pages changed, with the same page set and synonyms, keeps its
//! index from the last run: its files are already on disk, so only their paths come back.

use super::BuildFailure;
use super::cache::Cache;
use crate::diagnostics::BuildErrors;
use crate::output::Sink;
use crate::search::{self, Analysed, Synonyms};
use crate::site::{Page, PageKey, Site};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Whether a page goes into its language's index. A fallback copy is another language's text:
/// it would only add noise to this index.
pub(crate) fn searchable(p: &Page) -> bool {
    p.front.search != Some(false) && p.is_translated()
}

/// A page's analysed search documents, made from its HTML as soon as its template has run.
pub(crate) fn analyse(p: &Page, html: &str) -> Arc<Analysed> {
    Arc::new(search::analyse(&search::SearchPage {
        url: &p.url,
        title: &p.front.title,
        html,
    }))
}

/// What the search stage produced; its files went to the sink, one language at a time.
#[derive(Default)]
pub(crate) struct SearchOutput {
    /// Paths of every language's index files, rebuilt or kept.
    pub paths: Vec<String>,
    /// Languages whose index was rebuilt.
    pub rebuilt: Vec<String>,
    /// Time spent in `search::build_index_from`, summed over the rebuilt languages.
    pub index_time: Duration,
    /// Cache updates, applied by `commit` once the run has succeeded.
    analysed: Vec<(PageKey, Arc<Analysed>)>,
    indexes: Vec<(String, u64, Vec<String>)>,
}

/// Builds the index of `lang` if its pages changed and hands its files to `sink`.
/// `fresh[i]` holds page `i`'s analysed documents when its template ran in this run; the
/// language's are taken out and dropped once its index is built, so only one language's
/// analysed pages are ever held.
pub(crate) fn run_language(
    site: &Site,
    lang: &str,
    fresh: &mut [OnceLock<Arc<Analysed>>],
    cache: &Cache,
    synonyms: &Synonyms,
    sink: &dyn Sink,
    out: &mut SearchOutput,
) -> Result<(), BuildFailure> {
    let members: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].lang == lang && searchable(&site.pages[i]))
        .collect();
    if cache.analysed.keeps() {
        let kept = members
            .iter()
            .filter_map(|&i| Some((site.pages[i].key(), fresh[i].get()?.clone())));
        out.analysed.extend(kept);
    }
    let changed = members.iter().any(|&i| fresh[i].get().is_some());
    let list: Vec<(&str, &str)> = members
        .iter()
        .map(|&i| {
            (
                site.pages[i].url.as_str(),
                site.pages[i].front.title.as_str(),
            )
        })
        .collect();
    let fingerprint = crate::site::hash_of(&(list, synonyms.for_lang(lang)));
    let kept = cache
        .indexes
        .get(&lang.to_owned())
        .filter(|(f, _)| !changed && *f == fingerprint);
    if let Some((_, paths)) = kept {
        out.paths.extend(paths.iter().cloned());
        return Ok(());
    }
    let pages: Option<Vec<Arc<Analysed>>> = members
        .iter()
        .map(|&i| {
            let cached = || cache.analysed.get(&site.pages[i].key()).cloned();
            fresh[i].take().or_else(cached)
        })
        .collect();
    // The template stage renders every searchable page the cache has not analysed, so a
    // page is always in one or the other.
    let Some(pages) = pages else {
        let d = crate::diagnostics::Diagnostic::new(format!(
            "internal: a page of '{lang}' was neither rendered nor cached for search"
        ));
        return Err(
            BuildErrors::from(d.with_hint("run `steppe build` again; please report this")).into(),
        );
    };
    let refs: Vec<&Analysed> = pages.iter().map(Arc::as_ref).collect();
    let started = Instant::now();
    let files = search::build_index_from(lang, &refs, synonyms);
    out.index_time += started.elapsed();
    drop(refs);
    drop(pages);
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    // Hundreds of files per language: handed over on one core they left the other idle
    // (about 25 ms per language at 10k pages, in `perf`).
    files
        .into_par_iter()
        .try_for_each(|f| sink.put(f).map(drop))?;
    out.paths.extend(paths.iter().cloned());
    out.indexes.push((lang.to_owned(), fingerprint, paths));
    out.rebuilt.push(lang.to_owned());
    Ok(())
}

impl SearchOutput {
    pub(crate) fn new() -> SearchOutput {
        SearchOutput {
            paths: Vec::new(),
            rebuilt: Vec::new(),
            index_time: Duration::ZERO,
            analysed: Vec::new(),
            indexes: Vec::new(),
        }
    }

    /// Remembers the analysed pages and indexes of this run (a no-op on a cache that keeps
    /// nothing).
    pub(crate) fn commit(&mut self, cache: &mut Cache, site: &Site) {
        for (key, a) in self.analysed.drain(..) {
            cache.analysed.insert(key, a);
        }
        cache
            .analysed
            .retain(|key, _| site.by_key.contains_key(key));
        for (code, fingerprint, paths) in self.indexes.drain(..) {
            cache.indexes.insert(code, (fingerprint, paths));
        }
        let codes = site.config.language_codes();
        cache
            .indexes
            .retain(|code, _| codes.contains(&code.as_str()));
    }
}
