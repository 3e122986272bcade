//! The inverted index of one language: analysed pages in, the sorted dictionary and the document
//! list out (still in memory; [`super::shard`] turns them into files).
//!
//! Surface forms are interned and stemmed once each. Every document gets an id in page order
//! (pages sorted by URL), so posting lists are ascending and the output is deterministic.

use std::cmp::Ordering;

use super::analyze::Page;
use super::encode;
use super::extract::Section;
use super::fxhash::FastMap;
use super::rank::level;
use super::stem::LangStemmer;
use super::tokenize::{is_han, tokens};

/// A searchable section with the page it belongs to.
pub struct DocMeta<'a> {
    pub page: u32,
    pub section: &'a Section,
}

/// One dictionary key: an index term (a stem with postings), a surface form that stems to
/// another key (an alias), or both.
pub struct Entry {
    pub key: String,
    pub alias: Option<String>,
    /// Document frequency and encoded posting list (see [`encode::postings`]).
    pub postings: Option<(u32, String)>,
}

pub struct Index<'a> {
    /// `(url, title)` per page, in id order.
    pub pages: Vec<(&'a str, &'a str)>,
    pub docs: Vec<DocMeta<'a>>,
    /// Sorted by [`utf16_cmp`] of the keys: the browser's string order.
    pub entries: Vec<Entry>,
}

/// Builds the index from pages (`(url, title)`, already sorted) and their analysed documents.
/// `synonyms` are `(variant, target)` pairs: a section containing every word of a target also
/// gets the variant's words.
pub fn build<'a>(
    pages: Vec<(&'a str, &'a str)>,
    analysed: &[&'a Page],
    stemmer: LangStemmer,
    synonyms: &[(&str, &str)],
) -> Index<'a> {
    // Language-wide surface ids in first-seen order (deterministic: pages are in URL order),
    // and each page's local ids mapped onto them.
    let mut surface_ids: FastMap<String, u32> = FastMap::default();
    let mut surfaces: Vec<String> = Vec::new();
    let local_to_global: Vec<Vec<u32>> = analysed
        .iter()
        .map(|page| {
            page.surfaces
                .iter()
                .map(|s| match surface_ids.get(s.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = surfaces.len() as u32;
                        surface_ids.insert(s.clone(), id);
                        surfaces.push(s.clone());
                        id
                    }
                })
                .collect()
        })
        .collect();
    // Synonym words are surfaces too, so the dictionary maps their forms to their stems.
    let rule_surfaces: Vec<(Vec<u32>, Vec<u32>)> = synonyms
        .iter()
        .map(|(variant, target)| {
            let mut intern = |text: &str| -> Vec<u32> {
                tokens(text)
                    .into_iter()
                    .map(|s| match surface_ids.get(s.as_str()) {
                        Some(&id) => id,
                        None => {
                            let id = surfaces.len() as u32;
                            surface_ids.insert(s.clone(), id);
                            surfaces.push(s);
                            id
                        }
                    })
                    .collect()
            };
            (intern(variant), intern(target))
        })
        .collect();
    // Stem each surface once; intern the stems as term ids.
    let mut term_ids: FastMap<String, u32> = FastMap::default();
    let mut terms: Vec<String> = Vec::new();
    let surface_term: Vec<u32> = surfaces
        .iter()
        .map(|s| {
            let stem = stemmer.stem(s).into_owned();
            *term_ids.entry(stem).or_insert_with_key(|stem| {
                terms.push(stem.clone());
                (terms.len() - 1) as u32
            })
        })
        .collect();

    let rules: Vec<Rule> = rule_surfaces
        .iter()
        .map(|(variant, target)| Rule::new(variant, target, &surface_term))
        .filter(|r| !r.target.is_empty() && !r.variant.is_empty())
        .collect();

    let all_docs = || analysed.iter().flat_map(|p| &p.docs);
    let total_len: u64 = all_docs().map(|d| u64::from(d.len)).sum();
    let doc_count = all_docs().count();
    let avg_len = total_len as f32 / doc_count.max(1) as f32;

    let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); terms.len()];
    let mut docs = Vec::with_capacity(doc_count);
    let mut merged: Vec<(u32, u32, u8)> = Vec::new();
    for (page, (analysed_page, globals)) in analysed.iter().zip(&local_to_global).enumerate() {
        for doc in &analysed_page.docs {
            let id = docs.len() as u32;
            // Several surface forms of one stem in a section add up.
            merged.clear();
            merged.extend(doc.terms.iter().map(|&(local, tf, flags)| {
                (surface_term[globals[local as usize] as usize], tf, flags)
            }));
            merged.sort_unstable_by_key(|m| m.0);
            merged.dedup_by(|next, kept| {
                if next.0 != kept.0 {
                    return false;
                }
                kept.1 += next.1;
                kept.2 |= next.2;
                true
            });
            apply_synonyms(&rules, &mut merged);
            for &(term, tf, flags) in &merged {
                postings[term as usize].push((id, level(tf, doc.len, avg_len, flags)));
            }
            docs.push(DocMeta {
                page: page as u32,
                section: &doc.section,
            });
        }
    }

    let page_first = first_sections(&docs);
    let mut entries: FastMap<&str, Entry> = FastMap::default();
    for (term, list) in terms.iter().zip(&mut postings) {
        if list.is_empty() {
            continue; // a synonym's word that no section received
        }
        if is_han_char(term) {
            *list = per_page(list, &docs, &page_first);
        }
        let entry = entries.entry(term).or_insert_with(|| Entry::new(term));
        entry.postings = Some((list.len() as u32, encode::postings(list)));
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
    entries.sort_unstable_by(|a, b| utf16_cmp(&a.key, &b.key));
    Index {
        pages,
        docs,
        entries,
    }
}

/// Whether a term is one Han character: those are posted per page (see [`per_page`]).
pub fn is_han_char(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

/// The first section id of every page.
fn first_sections(docs: &[DocMeta<'_>]) -> Vec<u32> {
    let mut first = Vec::new();
    for (id, d) in docs.iter().enumerate() {
        if first.len() <= d.page as usize {
            first.resize(d.page as usize + 1, id as u32);
        }
    }
    first
}

/// A section-level posting list turned into one posting per page, on the page's first section,
/// at the best level of its sections. A single Han character is in most sections of a Chinese
/// page, so its lists were most of the Chinese index; the browser spreads a page posting over
/// the page's sections (`pageLevel` in search.js).
fn per_page(list: &[(u32, u8)], docs: &[DocMeta<'_>], page_first: &[u32]) -> Vec<(u32, u8)> {
    let mut out: Vec<(u32, u8)> = Vec::new();
    for &(doc, level) in list {
        let first = page_first[docs[doc as usize].page as usize];
        match out.last_mut() {
            Some(last) if last.0 == first => last.1 = last.1.max(level),
            _ => out.push((first, level)),
        }
    }
    out
}

/// A synonym as term ids: sections holding every `target` term also get the `variant` terms.
struct Rule {
    target: Vec<u32>,
    variant: Vec<u32>,
}

impl Rule {
    fn new(variant: &[u32], target: &[u32], surface_term: &[u32]) -> Self {
        let terms = |s: &[u32]| {
            let mut t: Vec<u32> = s.iter().map(|&i| surface_term[i as usize]).collect();
            t.sort_unstable();
            t.dedup();
            t
        };
        Self {
            target: terms(target),
            variant: terms(variant),
        }
    }
}

/// Adds the variant terms of every rule whose target terms the section has, with the frequency
/// and heading flags of the target's first term, so the variant ranks as the target does.
/// `merged` is sorted by term and stays so.
fn apply_synonyms(rules: &[Rule], merged: &mut Vec<(u32, u32, u8)>) {
    let mut added: Vec<(u32, u32, u8)> = Vec::new();
    for rule in rules {
        let has = |t: u32| merged.binary_search_by_key(&t, |m| m.0);
        let Ok(first) = has(rule.target[0]) else {
            continue;
        };
        if !rule.target.iter().all(|&t| has(t).is_ok()) {
            continue;
        }
        let (_, tf, flags) = merged[first];
        for &v in &rule.variant {
            if has(v).is_err() && !added.iter().any(|m| m.0 == v) {
                added.push((v, tf, flags));
            }
        }
    }
    if !added.is_empty() {
        merged.append(&mut added);
        merged.sort_unstable_by_key(|m| m.0);
    }
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
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
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
    }
}
