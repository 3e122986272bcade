//! The index as files: an [`Index`] in, the output files under `search/<lang>/` out.
//!
//! - `index.js` (the only un-hashed name, loaded first): the manifest. Document count, the first
//!   key and hash of every dictionary shard, the first document id and hash of every document
//!   chunk, the number of sections of each page, the language's stop list ([`super::stop`]) and the typo table's chunks.
//! - `t.<hash>.js`: a dictionary shard, a sorted run of keys. Entry shapes:
//!   `[key, aliasStem]`, `[key, alias, df, postings]`, `[key, alias, df, "", postingFileHash]`.
//! - `p.<hash>.js`: the posting list of one frequent term, too big to inline.
//! - `v.<hash>.js`: a chunk of the typo table ([`super::typo`]): `[key, df, …]`.
//! - `d.<hash>.js`: a chunk of whole pages' documents ([`super::docs`]).
//!
//! Every file is a classic script calling `__steppeSearch("<lang>/<name>", payload)`, so it loads
//! from `file://` too. `<hash>` is the first 8 hex digits of the SHA-256 of the payload: a changed
//! shard gets a new name, an unchanged one keeps its name (and the reader's cache).

use std::fmt::Write;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::encode::{push_str_lit, push_varint};
use super::index::Index;
use super::{docs, stop, typo};
use crate::output::OutputFile;

/// Posting lists longer than this (encoded bytes) get their own file.
const INLINE_POSTINGS: usize = 2 * 1024;
/// Aimed size of a dictionary shard, in bytes.
const DICT_SHARD: usize = 16 * 1024;
/// Manifest format version, checked by the browser.
const VERSION: u32 = 4;

/// The document chunks of an index's pages (see [`docs`]), written before its dictionary.
pub struct DocChunks<'a> {
    out: Files<'a>,
    /// `(first doc id, hash)` per chunk.
    chunks: Vec<(u32, String)>,
}

/// Writes the document chunks of the pages' records (`(url, record)` in id order).
pub fn doc_chunks<'a>(lang: &'a str, pages: &[(&str, &docs::PageRecord)]) -> DocChunks<'a> {
    let mut out = Files {
        lang,
        files: Vec::new(),
    };
    let chunks = docs::chunks(&mut out, pages);
    DocChunks { out, chunks }
}

/// Writes all files of one language's index, its document chunks written already.
pub fn files(lang: &str, index: &Index, docs: DocChunks<'_>) -> Vec<OutputFile> {
    // The dictionary and the typo table are independent: built side by side (this runs on the
    // pipeline's thread while the render threads wait).
    let files = || Files {
        lang,
        files: Vec::new(),
    };
    let (mut out, mut typo_out) = (files(), files());
    let (dict, typos) = rayon::join(
        || dictionary(&mut out, index),
        || typo_files(&mut typo_out, index),
    );
    let DocChunks {
        out: mut docs_out,
        chunks,
    } = docs;
    out.files.append(&mut docs_out.files);
    out.files.append(&mut typo_out.files);

    let mut m = String::new();
    m.push_str(&format!("{{\"v\":{VERSION},\"n\":{},\"t\":[", index.docs));
    for (i, (first, hash)) in dict.iter().enumerate() {
        if i > 0 {
            m.push(',');
        }
        m.push('[');
        push_str_lit(&mut m, first);
        m.push_str(&format!(",\"{hash}\"]"));
    }
    m.push_str("],\"dg\":\"");
    let mut prev = 0;
    for (first, _) in &chunks {
        push_varint(&mut m, first - prev);
        prev = *first;
    }
    m.push_str("\",\"dh\":\"");
    chunks.iter().for_each(|(_, hash)| m.push_str(hash));
    // Sections per page, in id order: the browser groups results by page without loading
    // documents.
    m.push_str("\",\"pg\":\"");
    index.sections.iter().for_each(|&n| push_varint(&mut m, n));
    m.push_str("\",\"s\":[");
    for (i, w) in stop::words(lang).iter().enumerate() {
        if i > 0 {
            m.push(',');
        }
        push_str_lit(&mut m, w);
    }
    m.push_str("],\"ty\":[");
    for (i, (first, min_len, hash)) in typos.iter().enumerate() {
        if i > 0 {
            m.push(',');
        }
        m.push('[');
        push_str_lit(&mut m, first.encode_utf8(&mut [0; 4]));
        m.push_str(&format!(",{min_len},\"{hash}\"]"));
    }
    m.push_str("]}");
    out.push_named("index", &m);
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out.files
}

/// Writes the typo table's chunks; returns `(first character, length, hash)` per chunk.
fn typo_files(out: &mut Files<'_>, index: &Index) -> Vec<(char, usize, String)> {
    typo::chunks(index)
        .into_iter()
        .map(|c| (c.first, c.min_len, out.push_hashed("v", &c.payload)))
        .collect()
}

pub(super) struct Files<'a> {
    lang: &'a str,
    files: Vec<OutputFile>,
}

impl Files<'_> {
    /// Adds a content-hashed file `<prefix>.<hash>.js`; returns the hash.
    pub(super) fn push_hashed(&mut self, prefix: &str, payload: &str) -> String {
        let (hash, file) = hashed_file(self.lang, prefix, payload);
        self.files.push(file);
        hash
    }

    fn push_named(&mut self, name: &str, payload: &str) {
        self.files.push(named_file(self.lang, name, payload));
    }
}

/// The content-hashed file `<prefix>.<hash>.js` of `payload`, and its hash.
fn hashed_file(lang: &str, prefix: &str, payload: &str) -> (String, OutputFile) {
    let digest = Sha256::digest(payload.as_bytes());
    let mut hash = String::with_capacity(8);
    for b in &digest[..4] {
        let _ = write!(hash, "{b:02x}");
    }
    let file = named_file(lang, &format!("{prefix}.{hash}"), payload);
    (hash, file)
}

/// The file `search/<lang>/<name>.js` registering `payload`.
fn named_file(lang: &str, name: &str, payload: &str) -> OutputFile {
    let mut js = String::with_capacity(payload.len() + 40);
    js.push_str("__steppeSearch(");
    push_str_lit(&mut js, &format!("{lang}/{name}"));
    js.push(',');
    js.push_str(payload);
    js.push_str(");\n");
    OutputFile::new(format!("search/{lang}/{name}.js"), js)
}

/// Writes the dictionary shards and big posting files; returns `(first key, hash)` per shard.
fn dictionary(out: &mut Files<'_>, index: &Index) -> Vec<(String, String)> {
    // The posting files first, on every core: each is hashed on its own.
    let posting_files: Vec<Option<(String, OutputFile)>> = index
        .entries
        .par_iter()
        .map(|entry| {
            let (_, list) = entry.postings.as_ref()?;
            (list.len() > INLINE_POSTINGS).then(|| {
                let mut payload = String::with_capacity(list.len() + 2);
                push_postings_lit(&mut payload, list);
                hashed_file(out.lang, "p", &payload)
            })
        })
        .collect();
    let mut shards = Vec::new();
    let mut first: Option<&str> = None;
    let mut body = String::from("[");
    // One entry's literal, reused for every entry.
    let mut e = String::new();
    for (entry, posting_file) in index.entries.iter().zip(posting_files) {
        e.clear();
        e.push('[');
        push_str_lit(&mut e, &entry.key);
        e.push(',');
        push_str_lit(&mut e, entry.alias.as_deref().unwrap_or(""));
        if let Some((df, list)) = &entry.postings {
            let _ = write!(e, ",{df},");
            match posting_file {
                Some((hash, file)) => {
                    out.files.push(file);
                    let _ = write!(e, "\"\",\"{hash}\"");
                }
                None => push_postings_lit(&mut e, list),
            }
        }
        e.push(']');
        // `body` holds the opening bracket besides its entries.
        if body.len() > 1 && body.len() - 1 + e.len() > DICT_SHARD {
            body.push(']');
            let hash = out.push_hashed("t", &body);
            shards.push((first.unwrap_or_default().to_owned(), hash));
            body.truncate(1);
            first = None;
        }
        if body.len() > 1 {
            body.push(',');
        }
        first.get_or_insert(&entry.key);
        body.push_str(&e);
    }
    if body.len() > 1 || shards.is_empty() {
        body.push(']');
        let hash = out.push_hashed("t", &body);
        shards.push((first.unwrap_or_default().to_owned(), hash));
    }
    shards
}

/// Appends an encoded posting list as a string literal: its alphabet
/// ([`super::encode::ALPHABET`]) needs no escapes.
fn push_postings_lit(out: &mut String, list: &str) {
    out.push('"');
    out.push_str(list);
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn posting_literals_need_no_escapes() {
        let alphabet = std::str::from_utf8(super::super::encode::ALPHABET).unwrap();
        let (mut plain, mut escaped) = (String::new(), String::new());
        super::push_postings_lit(&mut plain, alphabet);
        super::push_str_lit(&mut escaped, alphabet);
        assert_eq!(plain, escaped);
    }
}
