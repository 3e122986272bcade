//! Per-language search index: rendered pages in, index files under `search/<lang>/` out.
//!
//! Stages, one file each: [`extract`] reads the `<main data-search-body>` region into heading
//! sections; [`normalize`] and [`tokenize`] turn text into surface tokens (the browser runs the
//! same two steps on queries, pinned by `tests/tokenize-cases.json`); [`analyze`] counts them per
//! section; [`index`] stems each distinct surface once ([`stem`], [`kazakh`]) and builds weighted
//! posting lists ([`rank`]), adding the site's [`synonyms`]; [`shard`] writes content-hashed
//! shards, the [`typo`] table and the `index.js` manifest (with the [`stop`] list).
//!
//! The browser side is `themes/default/static/search.js`; `src/search/README.md` describes the
//! whole design, the file formats and the measurements.

mod analyze;
mod docs;
pub(crate) mod encode;
mod entities;
mod extract;
pub(crate) mod fxhash;
mod index;
mod kazakh;
mod normalize;
mod rank;
mod shard;
mod stem;
mod stop;
mod synonyms;
mod tokenize;
mod typo;

use rayon::prelude::*;

use crate::output::OutputFile;

pub use synonyms::{FILE as SYNONYMS_FILE, Synonyms, SynonymsError};
pub use tokenize::{distinct_tokens, tokens};

/// One page to index.
pub struct SearchPage<'a> {
    /// Pretty URL of the page relative to the output root, e.g. `zh/steps/online/` (`zh/` for a home).
    pub url: &'a str,
    /// Page title (plain text).
    pub title: &'a str,
    /// The full rendered HTML page; only its `<main data-search-body>` element is indexed.
    pub html: &'a str,
}

/// Builds the index files of one language. `lang` is the URL code (zh, en, ru, kk; any other code
/// gets a defined fallback: no stemming, generic tokenizing). Output paths are relative to the
/// output root, under `search/<lang>/`: content-hashed shards plus one un-hashed entry file the
/// browser loads first, `search/<lang>/index.js`. Same input, byte-identical output.
pub fn build_index(lang: &str, pages: &[SearchPage<'_>]) -> Vec<OutputFile> {
    build_index_with(lang, pages, &Synonyms::default())
}

/// [`build_index`] with the site's synonyms (`search/synonyms.yaml`).
pub fn build_index_with(
    lang: &str,
    pages: &[SearchPage<'_>],
    synonyms: &Synonyms,
) -> Vec<OutputFile> {
    let analysed: Vec<Analysed> = pages.par_iter().map(analyse).collect();
    let refs: Vec<&Analysed> = analysed.iter().collect();
    build_index_from(lang, &refs, synonyms)
}

/// One page read into its search documents: the per-page half of [`build_index`]. It owns
/// everything the index needs (URL, title, documents), so the pipeline can analyse a page right
/// after its template runs and drop the page's HTML; `watch` keeps these between rebuilds so an
/// edit re-reads only the pages that changed.
#[derive(Clone)]
pub struct Analysed {
    url: String,
    title: String,
    page: analyze::Page,
    /// The page's part of its document chunk, written here (on the render threads) rather than
    /// in the language-wide step, where it ran on one core beside the dictionary.
    record: docs::PageRecord,
}

pub fn analyse(page: &SearchPage<'_>) -> Analysed {
    let (analysed, sections) = analyze::page(page);
    // The record holds all the index needs of the sections' texts; they are dropped here.
    let record = docs::PageRecord::new(page.url, page.title, &sections);
    Analysed {
        url: page.url.to_owned(),
        title: page.title.to_owned(),
        page: analysed,
        record,
    }
}

/// The language-wide half of [`build_index`], from pages analysed earlier (in any order).
pub fn build_index_from(lang: &str, pages: &[&Analysed], synonyms: &Synonyms) -> Vec<OutputFile> {
    let mut pages: Vec<&Analysed> = pages.to_vec();
    // Document ids follow URL order, whatever order the caller collected pages in.
    pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.title.cmp(&b.title)));
    let analysed: Vec<&analyze::Page> = pages.iter().map(|a| &a.page).collect();
    let records: Vec<(&str, &docs::PageRecord)> =
        pages.iter().map(|a| (a.url.as_str(), &a.record)).collect();
    let rules = synonyms.for_lang(lang);
    let mut index = index::Index::new(&analysed);
    // The document chunks need only the pages' records: assembled on one core while the
    // dictionary is made on the others.
    let stemmer = stem::LangStemmer::for_lang(lang);
    let (entries, chunks) = rayon::join(
        || index::entries(&analysed, stemmer, &rules),
        || shard::doc_chunks(lang, &records),
    );
    index.entries = entries;
    shard::files(lang, &index, chunks)
}

/// The index term (stem) of every token of `text` in `lang`, in text order. For tests and tools.
pub fn index_terms(lang: &str, text: &str) -> Vec<String> {
    let stemmer = stem::LangStemmer::for_lang(lang);
    tokens(text)
        .iter()
        .map(|t| stemmer.stem(t).into_owned())
        .collect()
}

#[cfg(test)]
mod tests;
