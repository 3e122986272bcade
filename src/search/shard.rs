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
//! from `file://` too. `<hash>` is 8 hex digits of the payload's XXH3-128 ([`Files::push_hashed`]): a
//! changed shard gets a new name, an unchanged one keeps its name (and the reader's cache).

use std::collections::HashMap;
use std::fmt::Write;

use xxhash_rust::xxh3::{xxh3_128, xxh3_128_with_seed};

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
    let mut out = Files::new(lang);
    let chunks = docs::chunks(&mut out, pages);
    DocChunks { out, chunks }
}

/// Writes all files of one language's index, its document chunks written already.
pub fn files(lang: &str, index: &Index, docs: DocChunks<'_>) -> Vec<OutputFile> {
    // The dictionary and the typo table are independent: built side by side (this runs on the
    // pipeline's thread while the render threads wait).
    let (mut out, mut typo_out) = (Files::new(lang), Files::new(lang));
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

/// Files of one kind or more (each with its own prefix) of one language's index.
pub(super) struct Files<'a> {
    lang: &'a str,
    files: Vec<OutputFile>,
    /// `<prefix>.<hash>` → index in `files`: which payload holds each name given so far.
    named: HashMap<String, usize>,
}

impl<'a> Files<'a> {
    fn new(lang: &'a str) -> Files<'a> {
        Files {
            lang,
            files: Vec::new(),
            named: HashMap::new(),
        }
    }

    /// Adds a content-hashed file `<prefix>.<hash>.js`; returns the hash.
    ///
    /// The hash is 8 hex digits, a 32-bit window of the payload's XXH3-128: the manifest lists
    /// every chunk's hash, so names stay short. Two payloads of a kind meet in 32 bits about
    /// once in 2³² / n pairs (a 40k-page site's Chinese index has some 3,000 document chunks:
    /// about one build in a thousand), and two files of one path would fail the build. A name
    /// held by another payload moves on to the hash's next window, then to hashes with a seed,
    /// in the order the files are added (the same on every run); the same payload again gets
    /// its name back and no second file.
    pub(super) fn push_hashed(&mut self, prefix: &str, payload: &str) -> String {
        let digest = xxh3_128(payload.as_bytes());
        let mut tries = 0u32;
        loop {
            let window = match tries {
                0..4 => (digest >> (96 - 32 * tries)) as u32,
                _ => (xxh3_128_with_seed(payload.as_bytes(), u64::from(tries)) >> 96) as u32,
            };
            tries += 1;
            let hash = format!("{window:08x}");
            let name = format!("{prefix}.{hash}");
            let file = named_file(self.lang, &name, payload);
            match self.named.get(&name) {
                Some(&i) if self.files[i].bytes == file.bytes => return hash,
                Some(_) => continue,
                None => {
                    self.named.insert(name, self.files.len());
                    self.files.push(file);
                    return hash;
                }
            }
        }
    }

    fn push_named(&mut self, name: &str, payload: &str) {
        self.files.push(named_file(self.lang, name, payload));
    }
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
    let mut shards = Vec::new();
    let mut first: Option<&str> = None;
    let mut body = String::from("[");
    // One entry's literal, reused for every entry.
    let mut e = String::new();
    // A posting list's own file, when it has one.
    let mut payload = String::new();
    for entry in &index.entries {
        e.clear();
        e.push('[');
        push_str_lit(&mut e, &entry.key);
        e.push(',');
        push_str_lit(&mut e, entry.alias.as_deref().unwrap_or(""));
        if let Some((df, list)) = &entry.postings {
            let _ = write!(e, ",{df},");
            if list.len() > INLINE_POSTINGS {
                payload.clear();
                push_postings_lit(&mut payload, list);
                let hash = out.push_hashed("p", &payload);
                let _ = write!(e, "\"\",\"{hash}\"");
            } else {
                push_postings_lit(&mut e, list);
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
    use super::*;

    /// Two payloads whose hashes share their first 32 bits, found by trying numbered payloads
    /// (a birthday search: about 2¹⁶ of them).
    fn meeting_payloads() -> (String, String) {
        let mut seen = HashMap::new();
        for i in 0u32.. {
            let payload = format!("[{i}]");
            let window = (xxh3_128(payload.as_bytes()) >> 96) as u32;
            if let Some(earlier) = seen.insert(window, payload.clone()) {
                return (earlier, payload);
            }
        }
        unreachable!()
    }

    /// Payloads whose first hash window meets get two names, each file holding its own
    /// payload; the same payload again gets its name back and no second file.
    #[test]
    fn payloads_whose_hashes_meet_get_names_of_their_own() {
        let (a, b) = meeting_payloads();
        let mut out = Files::new("zh");
        let (ha, hb) = (out.push_hashed("d", &a), out.push_hashed("d", &b));
        assert_ne!(ha, hb);
        assert_eq!(ha, format!("{:08x}", (xxh3_128(a.as_bytes()) >> 96) as u32));
        assert_eq!(hb, format!("{:08x}", (xxh3_128(b.as_bytes()) >> 64) as u32));
        assert!([&ha, &hb].iter().all(|h| h.len() == 8), "{ha} {hb}");
        assert_eq!(out.push_hashed("d", &b), hb);
        assert_eq!(out.push_hashed("d", &a), ha);
        assert_eq!(out.files.len(), 2);
        for (hash, payload) in [(&ha, &a), (&hb, &b)] {
            let file = out
                .files
                .iter()
                .find(|f| f.path == format!("search/zh/d.{hash}.js"));
            let file = file.map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
            assert_eq!(
                file,
                Some(format!("__steppeSearch(\"zh/d.{hash}\",{payload});\n"))
            );
        }
        // Another kind does not meet them.
        assert_eq!(out.push_hashed("t", &a), ha);
        assert_eq!(out.files.len(), 3);
    }

    #[test]
    fn posting_literals_need_no_escapes() {
        let alphabet = std::str::from_utf8(super::super::encode::ALPHABET).unwrap();
        let (mut plain, mut escaped) = (String::new(), String::new());
        super::push_postings_lit(&mut plain, alphabet);
        super::push_str_lit(&mut escaped, alphabet);
        assert_eq!(plain, escaped);
    }
}
