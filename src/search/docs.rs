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
use super::extract::Section;
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

/// A chunk being filled: its pages' and documents' literals, each list comma-separated in one
/// buffer (a `String` per document was a fifth of the index's time).
#[derive(Default)]
struct Chunk {
    first: Option<u32>,
    /// `[url, title]` literals.
    pages: String,
    page_count: usize,
    docs: String,
    doc_count: usize,
    size: usize,
    /// Scratch for a heading's slug.
    slug: String,
}

impl Chunk {
    fn add_page(&mut self, index: &Index<'_>, first: u32, ids: std::ops::Range<usize>) {
        self.first.get_or_insert(first);
        let (url, title) = index.pages[index.docs[ids.start].page as usize];
        if self.page_count > 0 {
            self.pages.push(',');
        }
        let at = self.pages.len();
        self.pages.push('[');
        push_str_lit(&mut self.pages, url);
        self.pages.push(',');
        push_str_lit(&mut self.pages, title);
        self.pages.push(']');
        self.size += weight(&self.pages[at..]);
        self.page_count += 1;
        let page_start = self.doc_count;
        let sections = &index.docs[ids];
        for (k, doc) in sections.iter().enumerate() {
            self.add_doc(doc.section, title, |parent| {
                // The nearest earlier section of this page with that heading.
                let at = sections[..k]
                    .iter()
                    .rposition(|d| d.section.heading == parent)?;
                Some(page_start + at)
            });
        }
    }

    /// Appends one section's record; `earlier(parent)` is the index in the chunk of an earlier
    /// section of the same page headed `parent`.
    fn add_doc(&mut self, s: &Section, title: &str, earlier: impl Fn(&str) -> Option<usize>) {
        if self.doc_count > 0 {
            self.docs.push(',');
        }
        let at = self.docs.len();
        let d = &mut self.docs;
        d.push('[');
        push_usize(d, self.page_count - 1);
        d.push(',');
        push_str_lit(d, &s.heading);
        d.push_str(",[");
        let parents = s.parents.iter().filter(|p| p.as_str() != title);
        for (i, parent) in parents.enumerate() {
            if i > 0 {
                d.push(',');
            }
            match earlier(parent) {
                Some(n) => push_usize(d, n),
                None => push_str_lit(d, parent),
            }
        }
        d.push_str("],");
        push_str_lit(d, snippet_text(&s.text));
        let slug = if slug_into(&s.heading, &mut self.slug) {
            self.slug.as_str()
        } else {
            ""
        };
        if s.anchor != slug {
            d.push(',');
            push_str_lit(d, &s.anchor);
        }
        d.push(']');
        self.size += weight(&self.docs[at..]) + 1;
        self.doc_count += 1;
    }

    fn write(self, out: &mut Files<'_>) -> (u32, String) {
        let mut p = String::with_capacity(self.pages.len() + self.docs.len() + 16);
        p.push_str("{\"p\":[");
        p.push_str(&self.pages);
        p.push_str("],\"d\":[");
        p.push_str(&self.docs);
        p.push_str("]}");
        (self.first.unwrap_or(0), out.push_hashed("d", &p))
    }
}

/// Appends `n` in decimal.
fn push_usize(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
}

/// Writes the heading's id as `slug` in search.js computes it (GitHub's rule, as the Markdown
/// stage applies it) into `out`; false when the heading has a character outside ASCII,
/// Cyrillic and Han, where the two languages' Unicode tables might disagree: then the anchor is
/// always written.
fn slug_into(heading: &str, out: &mut String) -> bool {
    out.clear();
    let push = |out: &mut String, l: char| {
        if l.is_alphanumeric() || l == '-' || l == '_' {
            out.push(l);
        } else if l == ' ' {
            out.push('-');
        }
    };
    for c in heading.trim().chars() {
        // ASCII without the Unicode tables (most headings' characters).
        if c.is_ascii() {
            push(out, c.to_ascii_lowercase());
        } else if ('а'..='я').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c) {
            // Lowercase letters without the Unicode tables, whose searches were most of a
            // Russian or Kazakh chunk's time: Russian lowercase, and the main Han block (every
            // code point assigned, letters without case).
            out.push(c);
        } else if ('А'..='Я').contains(&c) {
            out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
        } else if ('\u{400}'..='\u{4ff}').contains(&c) || is_han(c) {
            c.to_lowercase().for_each(|l| push(out, l));
        } else {
            return false;
        }
    }
    true
}

/// The weight of `text` in a chunk, about what it adds to the gzipped file: one per character,
/// four per Han character. Not bytes: a Cyrillic letter takes two bytes, but compresses like a
/// Latin one, and a reader's budget is in gzipped bytes. Measured on the 10k benchmark corpus
/// (2 December 2026): a Latin or Cyrillic character of a chunk costs 0.36–0.41 gzipped bytes, a
/// Han character about 1.5, so four to one (at eight, Chinese chunks came out at two thirds of
/// the others' gzipped size, and there were nearly twice as many: 1,441 against 749).
fn weight(text: &str) -> usize {
    const HAN: usize = 4;
    if text.is_ascii() {
        return text.len();
    }
    text.chars().map(|c| if is_han(c) { HAN } else { 1 }).sum()
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
    use super::{SNIPPET_COLUMNS, slug_into, snippet_text};

    /// The heading's id as `slug` in search.js computes it.
    fn slug(heading: &str) -> Option<String> {
        let mut out = String::new();
        slug_into(heading, &mut out).then_some(out)
    }

    /// The slug rule through the Unicode tables alone, as before its fast paths.
    fn slug_by_tables(heading: &str) -> String {
        let mut out = String::new();
        for l in heading.trim().chars().flat_map(char::to_lowercase) {
            if l.is_alphanumeric() || l == '-' || l == '_' {
                out.push(l);
            } else if l == ' ' {
                out.push('-');
            }
        }
        out
    }

    #[test]
    fn slug_fast_paths_agree_with_the_tables() {
        let chars = (0..0x80u32).chain(0x400..0x500).chain(0x4E00..0xA000);
        for c in chars.filter_map(char::from_u32) {
            let heading = format!("A {c}b");
            assert_eq!(
                slug(&heading).as_deref(),
                Some(slug_by_tables(&heading).as_str()),
                "U+{:04X}",
                c as u32
            );
        }
    }

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
