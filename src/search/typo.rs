//! The typo table: the dictionary in, vocabulary chunks for the browser's typo correction out.
//!
//! The browser corrects a query word of 5+ characters that matches nothing to a dictionary key
//! within edit distance 1 (2 for 9+ characters; optimal string alignment, so a swap of two
//! neighbours counts as one edit). It needs candidates without the whole vocabulary: every
//! key of 4–32 characters with a letter and no Han is ordered by first character, then length,
//! and the run is cut into chunks of about [`CHUNK`] bytes; the manifest lists `[first
//! character, length, hash]` where each chunk starts, so a word of `n` characters loads only the
//! chunks holding its first character with lengths `n - d ..= n + d` (usually one). Within a chunk, keys come most frequent
//! first as a flat array `[key, df, key, df, …]` (`df`: the documents of the term the key
//! stands for), so the browser prefers frequent terms. A typo in the first character is not
//! corrected: that is the price of loading one character's chunks.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::encode::push_str_lit;
use super::fxhash::FastMap;
use super::index::Index;
use super::tokenize::is_han;

/// The shortest key kept: a 5-character query word with one letter missing.
pub const MIN_CHARS: usize = 4;
/// The longest key kept; longer tokens are codes and URLs, not words people mistype.
pub const MAX_CHARS: usize = 32;
/// Aimed size of a chunk, in bytes.
const CHUNK: usize = 16 * 1024;

/// One file of the table: the keys from `(first, min_len)` (first character, length) up to the
/// next chunk's start, in that order.
pub struct Chunk {
    pub first: char,
    pub min_len: usize,
    /// The JSON array `[key, df, …]`.
    pub payload: String,
}

/// A key with its length in characters and its document frequency.
type Word<'a> = (usize, u32, &'a str);

/// The table's chunks, ordered by first character (as JavaScript orders strings) and length.
pub fn chunks(index: &Index) -> Vec<Chunk> {
    let df: FastMap<&str, u32> = index
        .entries
        .iter()
        .filter_map(|e| e.postings.as_ref().map(|(df, _)| (e.key.as_str(), *df)))
        .collect();
    let mut groups: BTreeMap<(Vec<u16>, char), Vec<Word<'_>>> = BTreeMap::new();
    for e in &index.entries {
        let key = e.key.as_str();
        let len = key.chars().count();
        let wordy = key.chars().any(char::is_alphabetic) && !key.chars().any(is_han);
        if !(MIN_CHARS..=MAX_CHARS).contains(&len) || !wordy {
            continue;
        }
        let target = e.alias.as_deref().unwrap_or(key);
        let Some(&n) = df.get(target).or_else(|| df.get(key)) else {
            continue;
        };
        let Some(first) = key.chars().next() else {
            continue;
        };
        let order = first.encode_utf16(&mut [0; 2]).to_vec();
        groups
            .entry((order, first))
            .or_default()
            .push((len, n, key));
    }
    // One run over every first character in order: small groups share a chunk.
    let words: Vec<(char, Word<'_>)> = groups
        .into_iter()
        .flat_map(|((_, first), mut words)| {
            words.sort_unstable_by_key(|&(len, n, key)| (len, Reverse(n), key));
            words.into_iter().map(move |w| (first, w))
        })
        .collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for i in 0..words.len() {
        size += words[i].1.2.len() + 6;
        let next = words.get(i + 1).map(|&(c, w)| (c, w.0));
        let same_length = next == Some((words[i].0, words[i].1.0));
        // Cut between lengths where possible, so a chunk holds whole lengths.
        if next.is_none() || (size > CHUNK && !same_length) || size > 2 * CHUNK {
            out.push(chunk(&words[start..=i]));
            start = i + 1;
            size = 0;
        }
    }
    out
}

fn chunk(words: &[(char, Word<'_>)]) -> Chunk {
    let (first, (min_len, _, _)) = words[0];
    let mut sorted: Vec<&Word<'_>> = words.iter().map(|(_, w)| w).collect();
    sorted.sort_unstable_by_key(|&&(_, n, key)| (Reverse(n), key));
    let mut payload = String::from("[");
    for (i, (_, n, key)) in sorted.iter().enumerate() {
        if i > 0 {
            payload.push(',');
        }
        push_str_lit(&mut payload, key);
        payload.push_str(&format!(",{n}"));
    }
    payload.push(']');
    Chunk {
        first,
        min_len,
        payload,
    }
}
