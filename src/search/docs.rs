//! The document chunks: an [`Index`]'s sections in, `d.<hash>.js` files out.
//!
//! A chunk holds whole pages (a page's sections are never split, so a result and the other
//! sections of its page shown beneath it come from one file): `{"p": [[url, title]…], "d":
//! [[pageInChunk, heading, [parent…], text, anchor?]…]}`. A parent that is the heading of an
//! earlier section of the same page is written as that section's index in `d`; `anchor` is left
//! out when it is the heading's slug (`slug` in search.js); `text` is the first
//! [`SNIPPET_COLUMNS`] columns of the section. A chunk carries no document ids (the manifest
//! lists each chunk's first id), and chunks end where a page's URL hashes to a boundary, so an
//! edit or a new section elsewhere leaves a chunk's bytes, and its name, unchanged (an edit
//! may move its own chunk's end, which rewrites the next chunk too).

use std::hash::Hasher;

use super::encode::push_str_lit;
use super::fxhash::FxHasher;
use super::index::Index;
use super::shard::Files;
use super::tokenize::is_han;

/// Columns of a section's text kept for its snippet (a Han character takes two): about two lines
/// of a phone's result list.
pub const SNIPPET_COLUMNS: usize = 80;
/// A chunk ends after a page whose URL hashes to a boundary once it weighs this much…
const CHUNK_MIN: usize = 3 * 1024;
/// …and after any page once it weighs this much.
const CHUNK_MAX: usize = 8 * 1024;

/// Writes the document chunks; returns `(first doc id, hash)` per chunk.
pub fn chunks(out: &mut Files<'_>, index: &Index<'_>) -> Vec<(u32, String)> {
    let mut chunks = Vec::new();
    let mut chunk = Chunk::default();
    let mut start = 0;
    while start < index.docs.len() {
        let page = index.docs[start].page;
        let end = index.docs[start..]
            .iter()
            .position(|d| d.page != page)
            .map_or(index.docs.len(), |n| start + n);
        chunk.add_page(index, start as u32, start..end);
        let url = index.pages[page as usize].0;
        if chunk.size >= CHUNK_MAX || (chunk.size >= CHUNK_MIN && is_boundary(url)) {
            chunks.push(std::mem::take(&mut chunk).write(out));
        }
        start = end;
    }
    if !chunk.docs.is_empty() {
        chunks.push(chunk.write(out));
    }
    chunks
}

/// Whether a chunk may end after this page: one page in four, chosen by its URL alone.
fn is_boundary(url: &str) -> bool {
    let mut h = FxHasher::default();
    h.write(url.as_bytes());
    h.finish() >> 62 == 0
}

#[derive(Default)]
struct Chunk {
    first: Option<u32>,
    /// `[url, title]` literals.
    pages: Vec<String>,
    docs: Vec<String>,
    size: usize,
}

impl Chunk {
    fn add_page(&mut self, index: &Index<'_>, first: u32, ids: std::ops::Range<usize>) {
        self.first.get_or_insert(first);
        let (url, title) = index.pages[index.docs[ids.start].page as usize];
        let mut p = String::from("[");
        push_str_lit(&mut p, url);
        p.push(',');
        push_str_lit(&mut p, title);
        p.push(']');
        self.size += weight(&p);
        self.pages.push(p);
        let page_start = self.docs.len();
        let headings: Vec<&str> = index.docs[ids.clone()]
            .iter()
            .map(|d| d.section.heading.as_str())
            .collect();
        for (k, id) in ids.enumerate() {
            let s = &index.docs[id].section;
            let mut d = format!("[{},", self.pages.len() - 1);
            push_str_lit(&mut d, &s.heading);
            d.push_str(",[");
            let parents = s.parents.iter().filter(|p| p.as_str() != title);
            for (i, parent) in parents.enumerate() {
                if i > 0 {
                    d.push(',');
                }
                // The nearest earlier section of this page with that heading.
                match headings[..k].iter().rposition(|h| h == parent) {
                    Some(at) => d.push_str(&(page_start + at).to_string()),
                    None => push_str_lit(&mut d, parent),
                }
            }
            d.push_str("],");
            push_str_lit(&mut d, snippet_text(&s.text));
            if s.anchor != slug(&s.heading).unwrap_or_default() {
                d.push(',');
                push_str_lit(&mut d, &s.anchor);
            }
            d.push(']');
            self.size += weight(&d) + 1;
            self.docs.push(d);
        }
    }

    fn write(self, out: &mut Files<'_>) -> (u32, String) {
        let mut p = String::new();
        p.push_str("{\"p\":[");
        p.push_str(&self.pages.join(","));
        p.push_str("],\"d\":[");
        p.push_str(&self.docs.join(","));
        p.push_str("]}");
        (self.first.unwrap_or(0), out.push_hashed("d", &p))
    }
}

/// The heading's id as `slug` in search.js computes it (GitHub's rule, as the Markdown stage
/// applies it), or `None` when the heading has a character outside ASCII, Cyrillic and Han, where
/// the two languages' Unicode tables might disagree: then the anchor is always written.
fn slug(heading: &str) -> Option<String> {
    let mut out = String::with_capacity(heading.len());
    let mut push = |l: char| {
        if l.is_alphanumeric() || l == '-' || l == '_' {
            out.push(l);
        } else if l == ' ' {
            out.push('-');
        }
    };
    for c in heading.trim().chars() {
        // ASCII without the Unicode tables (most headings' characters).
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else if ('\u{400}'..='\u{4ff}').contains(&c) || is_han(c) {
            c.to_lowercase().for_each(&mut push);
        } else {
            return None;
        }
    }
    Some(out)
}

/// The weight of `text` in a chunk, about what it adds to the gzipped file: one per character,
/// eight per Han character. Not bytes: a Cyrillic letter takes two bytes, but compresses like a
/// Latin one, and a reader's budget is in gzipped bytes.
fn weight(text: &str) -> usize {
    text.chars().map(|c| if is_han(c) { 8 } else { 1 }).sum()
}

/// The first [`SNIPPET_COLUMNS`] columns of `text`, cut after a word where possible.
pub fn snippet_text(text: &str) -> &str {
    let mut columns = 0;
    for (i, c) in text.char_indices() {
        columns += if is_han(c) { 2 } else { 1 };
        if columns > SNIPPET_COLUMNS {
            let head = &text[..i];
            return head
                .rfind(' ')
                .filter(|&at| at > i / 2)
                .map_or(head, |at| &head[..at]);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{SNIPPET_COLUMNS, slug, snippet_text};

    #[test]
    fn slugs_agree_with_the_markdown_stage() {
        // The Markdown stage's own cases (`markdown::headings` tests).
        let cases = [
            ("如何充值", "如何充值"),
            ("Как пополнить баланс?", "как-пополнить-баланс"),
            ("Top up: Kaspi.kz & banks", "top-up-kaspikz--banks"),
            (
                "Балансты қалай толтыруға болады?",
                "балансты-қалай-толтыруға-болады",
            ),
        ];
        for (heading, id) in cases {
            assert_eq!(slug(heading).as_deref(), Some(id), "{heading}");
        }
        // Full-width brackets are outside the checked blocks: the anchor is always written.
        assert_eq!(slug("IMEI 登记（手机）"), None);
        assert_eq!(slug("Ελληνικά"), None);
    }

    #[test]
    fn snippets_are_cut_by_columns_after_a_word() {
        let latin = "word ".repeat(100);
        let cut = snippet_text(&latin);
        assert!(
            cut.len() <= SNIPPET_COLUMNS && cut.len() > SNIPPET_COLUMNS - 6,
            "{cut}"
        );
        assert!(cut.ends_with("word"));
        let han = "充值".repeat(100);
        assert_eq!(snippet_text(&han).chars().count(), SNIPPET_COLUMNS / 2);
        assert_eq!(snippet_text("short"), "short");
    }
}
