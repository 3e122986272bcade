//! The inverted index of one language: analysed pages in, the sorted dictionary and the document
//! list out (still in memory; [`super::shard`] turns them into files).
//!
//! Surface forms are interned and stemmed once each. Every document gets an id in page order
//! (pages sorted by URL), so posting lists are ascending and the output is deterministic.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::analyze::Doc;
use super::encode;
use super::extract::Section;
use super::rank::level;
use super::stem::LangStemmer;

/// A searchable section with the page it belongs to.
pub struct DocMeta {
    pub page: u32,
    pub section: Section,
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
    pub docs: Vec<DocMeta>,
    /// Sorted by [`utf16_cmp`] of the keys: the browser's string order.
    pub entries: Vec<Entry>,
}

/// Builds the index from pages (`(url, title)`, already sorted) and their analysed documents.
pub fn build<'a>(
    pages: Vec<(&'a str, &'a str)>,
    analysed: Vec<Vec<Doc>>,
    stemmer: LangStemmer,
) -> Index<'a> {
    // Intern surface forms in first-seen order (deterministic: documents are in id order).
    let mut surface_ids: FastMap<String, u32> = FastMap::default();
    let mut surfaces: Vec<String> = Vec::new();
    for doc in analysed.iter().flatten() {
        for (surface, _, _) in &doc.terms {
            if !surface_ids.contains_key(surface) {
                surface_ids.insert(surface.clone(), surfaces.len() as u32);
                surfaces.push(surface.clone());
            }
        }
    }
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

    let total_len: u64 = analysed.iter().flatten().map(|d| u64::from(d.len)).sum();
    let doc_count = analysed.iter().map(Vec::len).sum::<usize>().max(1);
    let avg_len = total_len as f32 / doc_count as f32;

    let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); terms.len()];
    let mut docs = Vec::with_capacity(doc_count);
    let mut merged: Vec<(u32, u32, u8)> = Vec::new();
    for (page, page_docs) in analysed.into_iter().enumerate() {
        for doc in page_docs {
            let id = docs.len() as u32;
            // Several surface forms of one stem in a section add up.
            merged.clear();
            merged.extend(doc.terms.iter().map(|(s, tf, flags)| {
                (surface_term[surface_ids[s.as_str()] as usize], *tf, *flags)
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
            for &(term, tf, flags) in &merged {
                postings[term as usize].push((id, level(tf, doc.len, avg_len, flags)));
            }
            docs.push(DocMeta {
                page: page as u32,
                section: doc.section,
            });
        }
    }

    let mut entries: FastMap<&str, Entry> = FastMap::default();
    for (term, list) in terms.iter().zip(&postings) {
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

/// A hash map with a fast non-cryptographic hash (the FxHash multiply-rotate): keys are the
/// site's own words, not adversarial input, and SipHash was a third of the indexing time.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            self.add(word);
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
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
