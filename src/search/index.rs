//! The inverted index of one language: analysed pages in, the document list and the sorted
//! dictionary out (still in memory; [`super::shard`] turns them into files).
//!
//! Surface forms are interned and stemmed once each. Every document gets an id in page order
//! (pages sorted by URL), so posting lists are ascending and the output is deterministic.

use std::borrow::Cow;
use std::cmp::Ordering;

use rayon::prelude::*;

use super::analyze::Page;
use super::encode;
use super::fxhash::{FastMap, StrIds, shard_of};
use super::rank::Levels;
use super::stem::LangStemmer;
use super::tokenize::{is_han, tokens};

/// One dictionary key: an index term (a stem with postings), a surface form that stems to
/// another key (an alias), or both.
pub struct Entry {
    pub key: String,
    pub alias: Option<String>,
    /// Document frequency and encoded posting list (see [`encode::postings`]).
    pub postings: Option<(u32, String)>,
}

pub struct Index {
    /// Sections (documents) per page, in id order.
    pub sections: Vec<u32>,
    /// Number of documents.
    pub docs: usize,
    /// Sorted by [`utf16_cmp`] of the keys: the browser's string order.
    pub entries: Vec<Entry>,
}

impl Index {
    /// The analysed pages' sizes in id order, with no dictionary yet (see [`entries`]).
    pub fn new(analysed: &[&Page]) -> Index {
        let sections: Vec<u32> = analysed.iter().map(|p| p.docs.len() as u32).collect();
        Index {
            docs: sections.iter().map(|&n| n as usize).sum(),
            sections,
            entries: Vec::new(),
        }
    }
}

/// The dictionary of analysed pages (in page order), sorted by [`utf16_cmp`] of the keys.
/// `synonyms` are `(variant, target)` pairs: a section containing every word of a target also
/// gets the variant's words.
pub fn entries(analysed: &[&Page], stemmer: LangStemmer, synonyms: &[(&str, &str)]) -> Vec<Entry> {
    // Pages are handled in runs on every core; each step below keeps page (URL) order, so the
    // output does not depend on how the runs were scheduled.
    let run = analysed
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    // Synonym words are surfaces too, so the dictionary maps their forms to their stems.
    let rule_tokens: Vec<(Vec<String>, Vec<String>)> = synonyms
        .iter()
        .map(|(variant, target)| (tokens(variant), tokens(target)))
        .collect();
    let (mut surfaces, mut surface_ids, local_to_global) = intern_surfaces(analysed, run);
    let rule_surfaces: Vec<(Vec<u32>, Vec<u32>)> = rule_tokens
        .iter()
        .map(|(variant, target)| {
            let variant = intern_words(variant, &mut surface_ids, &mut surfaces);
            (
                variant,
                intern_words(target, &mut surface_ids, &mut surfaces),
            )
        })
        .collect();
    let (terms, surface_term) = stem_surfaces(&surfaces, &stemmer);
    let rules: Vec<Rule> = rule_surfaces
        .iter()
        .filter_map(|(variant, target)| Rule::new(variant, target, &surface_term))
        .collect();

    let mut doc_start = Vec::with_capacity(analysed.len());
    let mut doc_count = 0;
    for page in analysed {
        doc_start.push(doc_count as u32);
        doc_count += page.docs.len();
    }
    let all_docs = || analysed.iter().flat_map(|p| &p.docs);
    let total_len: u64 = all_docs().map(|d| u64::from(d.len)).sum();
    let avg_len = total_len as f32 / doc_count.max(1) as f32;
    let ctx = PostingContext {
        analysed,
        local_to_global: &local_to_global,
        surface_term: &surface_term,
        rules: &rules,
        han_char: &terms
            .par_iter()
            .map(|t| is_han_char(t))
            .collect::<Vec<bool>>(),
        avg_len,
    };
    let page_ids: Vec<usize> = (0..analysed.len()).collect();
    // The per-term scratch of a run is as long as the dictionary (hundreds of thousands of
    // Chinese pairs) and is left clean by each run, so the runs of one worker share it.
    let parts: Vec<RunPostings> = page_ids
        .par_chunks(run)
        .map_init(
            || Scratch::new(terms.len()),
            |scratch, pages| ctx.postings(pages, &doc_start, scratch),
        )
        .collect();

    // Each term's list is its runs' lists in page order, encoded on every core.
    let encoded: Vec<Option<(u32, String)>> = (0..terms.len())
        .into_par_iter()
        .map(|term| {
            let df: usize = parts.iter().map(|p| p.of(term).len()).sum();
            let runs = parts.iter().map(|p| p.of(term));
            // An empty list: a synonym's word that no section received.
            (df > 0).then(|| (df as u32, encode::postings(runs, df)))
        })
        .collect();
    drop(parts);
    let mut entries: FastMap<&str, Entry> = FastMap::default();
    for (term, postings) in terms.iter().zip(encoded) {
        if postings.is_some() {
            entries
                .entry(term)
                .or_insert_with(|| Entry::new(term))
                .postings = postings;
        }
    }
    for (surface, &term) in surfaces.iter().zip(&surface_term) {
        let stem = &terms[term as usize];
        if stem != surface {
            let entry = entries
                .entry(surface)
                .or_insert_with(|| Entry::new(surface));
            entry.alias = Some(stem.clone());
        }
    }
    let mut entries: Vec<Entry> = entries.into_values().collect();
    entries.par_sort_unstable_by(|a, b| utf16_cmp(&a.key, &b.key));
    entries
}

/// Language-wide surface ids and each page's local ids mapped onto them. Runs of `run` pages
/// are interned on every core; then each run's distinct surfaces are split into [`SHARDS`] by
/// a hash, and each shard is interned on its own (on every core), in run order. A surface's
/// id is its shard's offset plus its id in the shard: deterministic, and nothing downstream
/// depends on the order of ids (the dictionary is sorted by key, posting lists by document).
/// Merging every run into one table ran on one core: 1.9 % of the samples of `perf record` on
/// `cargo bench --bench index` (the index stage ~36 %), while the other core waited.
fn intern_surfaces<'a>(
    analysed: &[&'a Page],
    run: usize,
) -> (Vec<&'a str>, Surfaces<'a>, Vec<Vec<u32>>) {
    let runs: Vec<RunSurfaces<'a>> = analysed.par_chunks(run).map(RunSurfaces::new).collect();
    let shards: Vec<Shard<'a>> = (0..SHARDS)
        .into_par_iter()
        .map(|k| Shard::new(&runs, k))
        .collect();
    let mut offsets = Vec::with_capacity(SHARDS);
    let mut surfaces: Vec<&'a str> = Vec::new();
    for shard in &shards {
        offsets.push(surfaces.len() as u32);
        surfaces.extend_from_slice(&shard.order);
    }
    let local_to_global: Vec<Vec<u32>> = runs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(r, run)| {
            let mut to_global = vec![0u32; run.order.len()];
            for (k, shard) in shards.iter().enumerate() {
                for (&i, &id) in run.buckets[k].iter().zip(&shard.per_run[r]) {
                    to_global[i as usize] = offsets[k] + id;
                }
            }
            run.pages
                .iter()
                .map(|ids| {
                    ids.iter()
                        .map(|&i| to_global[i as usize])
                        .collect::<Vec<u32>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let ids = Surfaces {
        shards: shards.into_iter().map(|s| s.ids).collect(),
        offsets,
        extra: StrIds::default(),
    };
    (surfaces, ids, local_to_global)
}

/// How many shards the language-wide surfaces are interned in (a power of two).
const SHARDS: usize = 16;

/// One run of pages' distinct surfaces in first-seen order, each page's surfaces as indices
/// into them, and the indices split by shard.
struct RunSurfaces<'a> {
    order: Vec<&'a str>,
    pages: Vec<Vec<u32>>,
    buckets: Vec<Vec<u32>>,
}

impl<'a> RunSurfaces<'a> {
    fn new(pages: &[&'a Page]) -> RunSurfaces<'a> {
        let mut ids = StrIds::default();
        let mut order: Vec<&'a str> = Vec::new();
        let pages: Vec<Vec<u32>> = pages
            .iter()
            .map(|&p: &&'a Page| {
                p.surfaces
                    .iter()
                    .map(|s| intern(s, &mut ids, &mut order))
                    .collect()
            })
            .collect();
        let mut buckets = vec![Vec::new(); SHARDS];
        for (i, s) in order.iter().enumerate() {
            buckets[shard_of(s, SHARDS)].push(i as u32);
        }
        RunSurfaces {
            order,
            pages,
            buckets,
        }
    }
}

/// One shard of the language-wide surfaces: its distinct surfaces, and per run the shard ids
/// of that run's surfaces in the shard (in the order of the run's bucket).
struct Shard<'a> {
    ids: StrIds<'a>,
    order: Vec<&'a str>,
    per_run: Vec<Vec<u32>>,
}

impl<'a> Shard<'a> {
    /// Shard `k` of every run, interned in run order.
    fn new(runs: &[RunSurfaces<'a>], k: usize) -> Shard<'a> {
        let (mut ids, mut order) = (StrIds::default(), Vec::new());
        let per_run = runs
            .iter()
            .map(|r| {
                let bucket = r.buckets[k].iter();
                bucket
                    .map(|&i| intern(r.order[i as usize], &mut ids, &mut order))
                    .collect()
            })
            .collect();
        Shard {
            ids,
            order,
            per_run,
        }
    }
}

/// The language-wide surface ids made by [`intern_surfaces`], for interning more words (the
/// synonyms') after them.
struct Surfaces<'a> {
    shards: Vec<StrIds<'a>>,
    offsets: Vec<u32>,
    /// Words no page has, with their ids.
    extra: StrIds<'a>,
}

impl<'a> Surfaces<'a> {
    /// The id of `s` in `surfaces`, appended when new.
    fn intern(&mut self, s: &'a str, surfaces: &mut Vec<&'a str>) -> u32 {
        let k = shard_of(s, SHARDS);
        match self.shards[k].get(s) {
            Some(id) => self.offsets[k] + id,
            None => intern(s, &mut self.extra, surfaces),
        }
    }
}

/// The id of `s` in `surfaces`, appended when new.
fn intern<'s>(s: &'s str, ids: &mut StrIds<'s>, surfaces: &mut Vec<&'s str>) -> u32 {
    let id = ids.get_or_insert(s, surfaces.len() as u32);
    if id as usize == surfaces.len() {
        surfaces.push(s);
    }
    id
}

/// The ids of `words`, interning the new ones.
fn intern_words<'s>(
    words: &'s [String],
    ids: &mut Surfaces<'s>,
    surfaces: &mut Vec<&'s str>,
) -> Vec<u32> {
    words.iter().map(|w| ids.intern(w, surfaces)).collect()
}

/// Stems each surface once (on every core) and interns the stems as term ids, in surface order.
fn stem_surfaces(surfaces: &[&str], stemmer: &LangStemmer) -> (Vec<String>, Vec<u32>) {
    let stems: Vec<Cow<'_, str>> = surfaces.par_iter().map(|s| stemmer.stem(s)).collect();
    let mut term_ids: FastMap<String, u32> = FastMap::default();
    let mut terms: Vec<String> = Vec::new();
    let surface_term = stems
        .into_iter()
        .map(|stem| match term_ids.get(stem.as_ref()) {
            Some(&id) => id,
            None => {
                let stem = stem.into_owned();
                terms.push(stem.clone());
                term_ids.insert(stem, (terms.len() - 1) as u32);
                (terms.len() - 1) as u32
            }
        })
        .collect();
    (terms, surface_term)
}

/// What a run of pages needs to make its share of the posting lists.
struct PostingContext<'p, 'a> {
    analysed: &'p [&'a Page],
    local_to_global: &'p [Vec<u32>],
    surface_term: &'p [u32],
    rules: &'p [Rule],
    /// Per term: whether it is one Han character, posted per page (see [`PagePostings`]).
    han_char: &'p [bool],
    avg_len: f32,
}

impl PostingContext<'_, '_> {
    /// The posting lists of `pages` (consecutive), grouped by term; documents are numbered
    /// from `doc_start` of each page.
    fn postings(&self, pages: &[usize], doc_start: &[u32], scratch: &mut Scratch) -> RunPostings {
        // One flat `(term, posting)` list in document order, then grouped by term with a
        // counting sort: a `Vec` per term and run was a quarter of the index's time.
        let mut flat: Vec<(u32, u32)> = Vec::new();
        // At most one posting per distinct surface of a section (fewer when forms share a
        // stem), besides synonyms: growing the buffer step by step copied it over and over.
        let bound: usize = pages
            .iter()
            .flat_map(|&p| &self.analysed[p].docs)
            .map(|d| d.terms.len())
            .sum();
        flat.reserve(bound);
        let terms = self.han_char.len();
        let Scratch { slots, per_page } = scratch;
        let mut merged: Vec<(u32, u32, u8)> = Vec::new();
        for &page in pages {
            let globals = &self.local_to_global[page];
            for (k, doc) in self.analysed[page].docs.iter().enumerate() {
                let id = doc_start[page] + k as u32;
                // Several surface forms of one stem in a section add up.
                merged.clear();
                for t in &doc.terms {
                    let (tf, flags) = (u32::from(t.tf), t.flags);
                    let term = self.surface_term[globals[t.surface as usize] as usize];
                    let slot = &mut slots[term as usize];
                    if *slot == u32::MAX {
                        *slot = merged.len() as u32;
                        merged.push((term, tf, flags));
                    } else {
                        let m = &mut merged[*slot as usize];
                        m.1 += tf;
                        m.2 |= flags;
                    }
                }
                apply_synonyms(self.rules, &mut merged, slots);
                let mut levels = Levels::of(doc.len, self.avg_len);
                for &(term, tf, flags) in &merged {
                    slots[term as usize] = u32::MAX;
                    let level = levels.level(tf, flags);
                    if self.han_char[term as usize] {
                        per_page.add(term, level);
                    } else {
                        flat.push((term, encode::posting(id, level)));
                    }
                }
            }
            per_page.flush(doc_start[page], &mut flat);
        }
        RunPostings::group(flat, terms)
    }
}

/// What a run of [`PostingContext::postings`] needs per term, clean between runs.
struct Scratch {
    /// Per term: its index in `merged` while a section is counted, else `u32::MAX`; merging
    /// through it needs no sort (each term gets one posting per section, in any order).
    slots: Vec<u32>,
    per_page: PagePostings,
}

impl Scratch {
    fn new(terms: usize) -> Scratch {
        Scratch {
            slots: vec![u32::MAX; terms],
            per_page: PagePostings::new(terms),
        }
    }
}

/// One run's posting lists, grouped by term in one buffer.
struct RunPostings {
    /// Term `t`'s postings ([`encode::posting`]) are `list[start[t]..start[t + 1]]`, in
    /// document order.
    start: Vec<u32>,
    list: Vec<u32>,
}

impl RunPostings {
    /// Groups `(term, posting)` pairs (in document order) by term, keeping their order.
    fn group(flat: Vec<(u32, u32)>, terms: usize) -> RunPostings {
        // `start[t + 1]` first counts term `t`, then becomes the end of its list; filling each
        // list from its end, pairs taken last to first, leaves it the start of the next list
        // and the order within a list as it was (no second array of the dictionary's length).
        let mut start = vec![0u32; terms + 1];
        for &(term, _) in &flat {
            start[term as usize + 1] += 1;
        }
        for t in 0..terms {
            start[t + 1] += start[t];
        }
        let mut list = vec![0u32; flat.len()];
        for &(term, posting) in flat.iter().rev() {
            let end = &mut start[term as usize + 1];
            *end -= 1;
            list[*end as usize] = posting;
        }
        start.rotate_left(1);
        start[terms] = list.len() as u32;
        RunPostings { start, list }
    }

    fn of(&self, term: usize) -> &[u32] {
        &self.list[self.start[term] as usize..self.start[term + 1] as usize]
    }
}

/// Whether a term is one Han character: those are posted per page (see [`PagePostings`]).
pub fn is_han_char(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

/// The single Han characters of one page, posted once per page: on the page's first section,
/// at the best level of its sections. A single Han character is in most sections of a Chinese
/// page, so its section lists were most of the Chinese index; the browser spreads a page
/// posting over the page's sections (`pageLevel` in search.js).
struct PagePostings {
    /// Per term: its best level on the page so far, 0 when not on it.
    best: Vec<u8>,
    /// The terms with a level, in first-seen order.
    seen: Vec<u32>,
}

impl PagePostings {
    fn new(terms: usize) -> Self {
        Self {
            best: vec![0; terms],
            seen: Vec::new(),
        }
    }

    fn add(&mut self, term: u32, level: u8) {
        let best = &mut self.best[term as usize];
        if *best == 0 {
            self.seen.push(term);
        }
        *best = (*best).max(level);
    }

    /// Posts the page's characters on `first`, its first section, and starts the next page.
    fn flush(&mut self, first: u32, flat: &mut Vec<(u32, u32)>) {
        for &term in &self.seen {
            let best = std::mem::take(&mut self.best[term as usize]);
            flat.push((term, encode::posting(first, best)));
        }
        self.seen.clear();
    }
}

/// A synonym as term ids: sections holding every `target` term also get the `variant` terms.
struct Rule {
    /// Sorted, without repeats.
    target: Vec<u32>,
    /// The term of the target's first word as written: the variant ranks as it does.
    first: u32,
    variant: Vec<u32>,
}

impl Rule {
    /// `None` when the target or the variant has no word.
    fn new(variant: &[u32], target: &[u32], surface_term: &[u32]) -> Option<Self> {
        let terms = |s: &[u32]| {
            let mut t: Vec<u32> = s.iter().map(|&i| surface_term[i as usize]).collect();
            t.sort_unstable();
            t.dedup();
            t
        };
        let first = surface_term[*target.first()? as usize];
        let rule = Self {
            target: terms(target),
            first,
            variant: terms(variant),
        };
        (!rule.variant.is_empty()).then_some(rule)
    }
}

/// Adds the variant terms of every rule whose target terms the section has, with the frequency
/// and heading flags of the target's first word, so the variant ranks as the target does.
/// `slots[term]` is the term's index in `merged`, or `u32::MAX` when the section lacks it.
fn apply_synonyms(rules: &[Rule], merged: &mut Vec<(u32, u32, u8)>, slots: &[u32]) {
    let mut added: Vec<(u32, u32, u8)> = Vec::new();
    let has = |t: u32| slots[t as usize] != u32::MAX;
    for rule in rules {
        if !rule.target.iter().all(|&t| has(t)) {
            continue;
        }
        let (_, tf, flags) = merged[slots[rule.first as usize] as usize];
        for &v in &rule.variant {
            if !has(v) && !added.iter().any(|m| m.0 == v) {
                added.push((v, tf, flags));
            }
        }
    }
    merged.append(&mut added);
}

impl Entry {
    fn new(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            alias: None,
            postings: None,
        }
    }
}

/// Orders strings as JavaScript compares them (by UTF-16 code units), which differs from Rust's
/// byte order for characters above U+FFFF; the browser binary-searches shard boundaries.
pub fn utf16_cmp(a: &str, b: &str) -> Ordering {
    // Byte order is code point order; UTF-16 differs from it only between a character above
    // U+FFFF (lead byte F0–F4) and one in U+E000–U+FFFF (lead byte EE or EF), so only the
    // first differing characters can disagree. The dictionary's sort calls this about log₂ of
    // the key count times per key (17 for 100,000 keys), so the common prefix is found eight
    // bytes at a time.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let at = common_prefix(x, y);
    let (Some(&p), Some(&q)) = (x.get(at), y.get(at)) else {
        return x.len().cmp(&y.len());
    };
    // The lead bytes of the characters the first differing bytes are in: the same byte when
    // they differ after it, which then compares like code points.
    let (lx, ly) = (x[a.floor_char_boundary(at)], y[b.floor_char_boundary(at)]);
    if lx >= 0xF0 && (0xEE..0xF0).contains(&ly) {
        Ordering::Less
    } else if ly >= 0xF0 && (0xEE..0xF0).contains(&lx) {
        Ordering::Greater
    } else {
        p.cmp(&q)
    }
}

/// How many leading bytes `x` and `y` share.
fn common_prefix(x: &[u8], y: &[u8]) -> usize {
    let mut i = 0;
    while let (Some(u), Some(v)) = (crate::swar::word_at(x, i), crate::swar::word_at(y, i)) {
        if u != v {
            return i + ((u ^ v).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + x[i..]
        .iter()
        .zip(&y[i..])
        .take_while(|(u, v)| u == v)
        .count()
}

#[cfg(test)]
mod tests {
    use super::utf16_cmp;
    use std::cmp::Ordering;

    #[test]
    fn orders_like_javascript() {
        // U+FF21 (Ａ) is above the surrogates in UTF-16 but below U+20000 in bytes.
        assert_eq!(utf16_cmp("\u{FF21}", "\u{20000}"), Ordering::Greater);
        assert_eq!(utf16_cmp("ab", "b"), Ordering::Less);
        let words = [
            "",
            "a",
            "ab",
            "b",
            "é",
            "ее",
            "е",
            "充值",
            "充",
            "\u{FF21}x",
            "\u{20000}",
            "a\u{20000}",
            "\u{20001}",
        ];
        for x in words {
            for y in words {
                assert_eq!(
                    utf16_cmp(x, y),
                    x.encode_utf16().cmp(y.encode_utf16()),
                    "{x} {y}"
                );
            }
        }
    }

    /// Strings of one to twenty characters from every UTF-8 length and both sides of the
    /// surrogates, differing at every place (so in every lane of the eight-byte prefix test)
    /// and in length, compare as JavaScript compares them.
    #[test]
    fn orders_like_javascript_at_every_place() {
        let chars = [
            'a',
            '~',
            'é',
            'я',
            '\u{D7FF}',
            '\u{E000}',
            '中',
            '\u{FF21}',
            '\u{10000}',
            '\u{20000}',
        ];
        let mut checked = 0;
        for len in 1..=20 {
            for at in 0..len {
                for &c in &chars {
                    for &d in &chars {
                        let x: String = (0..len).map(|i| if i == at { c } else { 'b' }).collect();
                        let mut y: String =
                            (0..len).map(|i| if i == at { d } else { 'b' }).collect();
                        for y in [y.clone(), {
                            y.push(d);
                            y
                        }] {
                            let want = x.encode_utf16().cmp(y.encode_utf16());
                            assert_eq!(utf16_cmp(&x, &y), want, "{x:?} {y:?}");
                            assert_eq!(utf16_cmp(&y, &x), want.reverse(), "{y:?} {x:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 40_000);
    }
}
