//! The document chunks: a page's sections in, its [`PageRecord`] out (when the page is
//! analysed); the records of a language's pages in, `d.<hash>.js` files out.
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
//!
//! A page's record is everything but the two numbers that depend on where the page lands in
//! its chunk, so the language-wide step only concatenates (it was a quarter of that step's CPU
//! and ran on one core).

use std::hash::Hasher;

use super::encode::push_str_lit;
use super::extract::Section;
use super::fxhash::FxHasher;
use super::shard::Files;
use super::tokenize::is_han;

/// Columns of a section's text kept for its snippet (a Han character takes two): about two lines
/// of a phone's result list.
pub const SNIPPET_COLUMNS: usize = 80;
/// A chunk ends after a page whose URL hashes to a boundary once it weighs this much…
const CHUNK_MIN: usize = 3 * 1024;
/// …and after any page once it weighs this much.
const CHUNK_MAX: usize = 8 * 1024;

/// One page's part of a document chunk, made when the page is analysed (on the render
/// threads): its `[url, title]` literal and its documents' literals, all but two kinds of
/// number, which depend on where the page lands in its chunk (`pageInChunk`, and a parent
/// written as the index in the chunk of an earlier section of the page). Assembling a chunk is
/// then concatenation.
#[derive(Clone, Default)]
pub struct PageRecord {
    /// `[url, title]`.
    page: String,
    /// The documents' literals, comma-separated, without the chunk-relative numbers.
    docs: String,
    /// Where those numbers go: `(byte offset in docs, what)`, in offset order; `what` is
    /// [`PAGE_IN_CHUNK`] or the page-relative index of a parent's section.
    patches: Vec<(u32, u32)>,
    /// The chunk weight of `page`.
    page_weight: u32,
    /// The chunk weight of the documents without the numbers still to write.
    docs_weight: u32,
    /// Number of documents (sections).
    count: u32,
}

/// A patch that writes the page's index in its chunk.
const PAGE_IN_CHUNK: u32 = u32::MAX;

impl PageRecord {
    /// The record of the page `url` titled `title` with these sections (in page order).
    pub fn new<'s>(
        url: &str,
        title: &str,
        sections: impl IntoIterator<Item = &'s Section>,
    ) -> Self {
        let mut r = PageRecord::default();
        r.page.push('[');
        push_str_lit(&mut r.page, url);
        r.page.push(',');
        push_str_lit(&mut r.page, title);
        r.page.push(']');
        r.page_weight = weight(&r.page) as u32;
        let mut slug = String::new();
        let mut headings: Vec<&str> = Vec::new();
        for s in sections {
            if r.count > 0 {
                r.docs.push(',');
            }
            let at = r.docs.len();
            let patches = r.patches.len();
            r.add_doc(s, title, &headings, &mut slug);
            // The patched numbers are digits, weighed as they are written.
            r.docs_weight += weight(&r.docs[at..]) as u32 + 1;
            debug_assert!(r.patches[patches..].iter().all(|&(o, _)| o as usize >= at));
            headings.push(&s.heading);
            r.count += 1;
        }
        r.page.shrink_to_fit();
        r.docs.shrink_to_fit();
        r.patches.shrink_to_fit();
        r
    }

    /// Appends one section's literal; `headings` are the headings of the page's earlier
    /// sections.
    fn add_doc(&mut self, s: &Section, title: &str, headings: &[&str], slug: &mut String) {
        self.docs.push('[');
        self.patch(PAGE_IN_CHUNK);
        self.docs.push(',');
        push_str_lit(&mut self.docs, &s.heading);
        self.docs.push_str(",[");
        let parents = s.parents.iter().filter(|p| p.as_str() != title);
        for (i, parent) in parents.enumerate() {
            if i > 0 {
                self.docs.push(',');
            }
            // The nearest earlier section of this page with that heading.
            match headings.iter().rposition(|h| *h == parent) {
                Some(n) => self.patch(n as u32),
                None => push_str_lit(&mut self.docs, parent),
            }
        }
        self.docs.push_str("],");
        push_str_lit(&mut self.docs, &snippet(&s.text));
        let slug = if slug_into(&s.heading, slug) {
            slug.as_str()
        } else {
            ""
        };
        if s.anchor != slug {
            self.docs.push(',');
            push_str_lit(&mut self.docs, &s.anchor);
        }
        self.docs.push(']');
    }

    fn patch(&mut self, what: u32) {
        self.patches.push((self.docs.len() as u32, what));
    }
}

/// Writes the document chunks of the pages' records (in id order); returns `(first doc id,
/// hash)` per chunk.
pub fn chunks(out: &mut Files<'_>, pages: &[(&str, &PageRecord)]) -> Vec<(u32, String)> {
    let mut chunks = Vec::new();
    let mut chunk = Chunk::default();
    let mut first = 0;
    for &(url, record) in pages {
        // A page without sections has no documents and no place in a chunk.
        if record.count == 0 {
            continue;
        }
        chunk.add_page(first, record);
        first += record.count;
        if chunk.size >= CHUNK_MAX || (chunk.size >= CHUNK_MIN && is_boundary(url)) {
            chunks.push(std::mem::take(&mut chunk).write(out));
        }
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
/// buffer.
#[derive(Default)]
struct Chunk {
    first: Option<u32>,
    /// `[url, title]` literals.
    pages: String,
    page_count: usize,
    docs: String,
    doc_count: usize,
    size: usize,
}

impl Chunk {
    /// Appends a page's record, its first document having id `first`, writing the numbers
    /// that depend on the chunk.
    fn add_page(&mut self, first: u32, r: &PageRecord) {
        self.first.get_or_insert(first);
        if self.page_count > 0 {
            self.pages.push(',');
        }
        self.pages.push_str(&r.page);
        self.size += r.page_weight as usize;
        self.page_count += 1;
        let page_start = self.doc_count;
        if self.doc_count > 0 {
            self.docs.push(',');
        }
        let mut copied = 0;
        for &(at, what) in &r.patches {
            self.docs.push_str(&r.docs[copied..at as usize]);
            copied = at as usize;
            let n = match what {
                PAGE_IN_CHUNK => self.page_count - 1,
                at => page_start + at as usize,
            };
            let before = self.docs.len();
            push_usize(&mut self.docs, n);
            self.size += self.docs.len() - before;
        }
        self.docs.push_str(&r.docs[copied..]);
        self.size += r.docs_weight as usize;
        self.doc_count += r.count as usize;
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
///
/// Counted on bytes (a character is a byte that does not continue one), which the compiler
/// does many at a time; only characters of three or four bytes, where Han lives, are decoded.
fn weight(text: &str) -> usize {
    const HAN: usize = 4;
    let bytes = text.as_bytes();
    let chars = bytes.iter().filter(|&&b| !is_continuation(b)).count();
    let mut han = 0;
    let mut rest = text;
    // Han characters start with a byte E3 (U+3400) or above.
    while let Some(at) = rest.bytes().position(|b| b >= 0xE3) {
        let mut tail = rest[at..].chars();
        han += usize::from(tail.next().is_some_and(is_han));
        rest = tail.as_str();
    }
    chars + (HAN - 1) * han
}

/// Whether `b` continues a UTF-8 character (10xxxxxx).
#[inline]
fn is_continuation(b: u8) -> bool {
    (b as i8) < -0x40
}

/// The snippet of a section's raw text ([`Section::text`]): the first [`SNIPPET_COLUMNS`]
/// columns of its collapsed form (`split_whitespace` joined by single spaces; a Han character
/// takes two columns), cut after a word where possible. One pass, which collapses only as much
/// as the snippet reads (pinned to the rule on collapsed text by a test).
fn snippet(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(2 * SNIPPET_COLUMNS);
    let mut columns = 0;
    // Where the word being read starts (its bytes are copied whole), and whether a space is
    // due before the next word.
    let mut word: Option<usize> = None;
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let (white, width, wide) = match bytes[i] {
            b @ 0..=0x7F => (matches!(b, b'\t'..=b'\r' | b' '), 1, false),
            _ => match raw[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8(), is_han(c)),
                None => break,
            },
        };
        if white {
            if let Some(start) = word.take() {
                out.push_str(&raw[start..i]);
                space = true;
            }
        } else {
            if word.is_none() {
                if space {
                    columns += 1;
                    if columns > SNIPPET_COLUMNS {
                        return cut_after_word(out);
                    }
                    out.push(' ');
                }
                word = Some(i);
            }
            columns += if wide { 2 } else { 1 };
            if columns > SNIPPET_COLUMNS {
                out.push_str(&raw[word.unwrap_or(i)..i]);
                return cut_after_word(out);
            }
        }
        i += width;
    }
    if let Some(start) = word {
        out.push_str(&raw[start..]);
    }
    out
}

/// A snippet cut at its column limit: back to its last space, unless that loses more than half.
fn cut_after_word(mut out: String) -> String {
    let at = out.len();
    let cut = out.rfind(' ').filter(|&space| space > at / 2);
    out.truncate(cut.unwrap_or(at));
    out
}

#[cfg(test)]
mod tests {
    /// The weight's rule one character at a time, as [`super::weight`] must count it.
    fn weight_by_char(text: &str) -> usize {
        text.chars()
            .map(|c| if super::is_han(c) { 4 } else { 1 })
            .sum()
    }

    /// Every kind of character at every place of short texts, and Han's block edges, weigh
    /// what the rule one character at a time gives.
    #[test]
    fn weight_counts_like_the_rule_by_character() {
        let chars = [
            'a',
            'é',
            'я',
            '—',
            '\u{33FF}',
            '\u{3400}',
            '\u{4DBF}',
            '\u{4DC0}',
            '\u{4DFF}',
            '中',
            '\u{9FFF}',
            '\u{A000}',
            '\u{F8FF}',
            '\u{F900}',
            '\u{FAFF}',
            '\u{FB00}',
            '\u{1F600}',
            '\u{20000}',
            '\u{323AF}',
            '\u{323B0}',
        ];
        let mut checked = 0;
        for len in 0..12 {
            for at in 0..len.max(1) {
                for &c in &chars {
                    for &d in &chars {
                        let text: String = (0..len)
                            .map(|i| {
                                if i == at {
                                    c
                                } else if i % 3 == 0 {
                                    d
                                } else {
                                    'x'
                                }
                            })
                            .collect();
                        assert_eq!(super::weight(&text), weight_by_char(&text), "{text:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 4_000);
    }

    use super::{Chunk, PageRecord, SNIPPET_COLUMNS, is_han, slug_into, snippet, weight};
    use crate::search::extract::Section;

    fn section(heading: &str, parents: &[&str], text: &str) -> Section {
        Section {
            anchor: heading.to_lowercase().replace(' ', "-"),
            heading: heading.to_owned(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            text: text.to_owned(),
            low: String::new(),
        }
    }

    /// Two pages in one chunk: the second page's number and its parent's index are relative to
    /// the chunk, and the chunk's weight is the weight of what was written.
    #[test]
    fn records_are_patched_where_they_land_in_the_chunk() {
        let first = [
            section("", &[], "余额 intro"),
            section("Top up", &[], "Kaspi"),
        ];
        let second = [
            section("", &[], "Intro"),
            section("Top up", &["B"], "Kaspi"),
            section("By card", &["B", "Top up"], "Visa"),
            section("Other", &["B", "Elsewhere"], "Cash"),
        ];
        let mut chunk = Chunk::default();
        chunk.add_page(0, &PageRecord::new("en/a/", "A", &first));
        chunk.add_page(2, &PageRecord::new("en/b/", "B", &second));
        let docs: Vec<serde_yaml::Value> =
            serde_yaml::from_str(&format!("[{}]", chunk.docs)).expect("documents");
        assert_eq!(docs.len(), 6);
        let page_in_chunk: Vec<u64> = docs.iter().filter_map(|d| d[0].as_u64()).collect();
        assert_eq!(page_in_chunk, [0, 0, 1, 1, 1, 1]);
        // "By card" is under the second page's "Top up", document 3 of the chunk; a parent
        // that heads no earlier section stays text; the page title is left out.
        assert_eq!(docs[4][2][0].as_u64(), Some(3));
        assert_eq!(docs[5][2][0].as_str(), Some("Elsewhere"));
        assert_eq!(docs[3][2].as_sequence().map(Vec::len), Some(0));
        // Every document weighs its literal plus one (for the comma before it).
        let literals: usize = docs
            .iter()
            .map(|d| weight(&serde_json::to_string(d).expect("json")) + 1)
            .sum();
        assert_eq!(chunk.size, weight(&chunk.pages) - 1 + literals);
        assert_eq!(chunk.first, Some(0));
    }

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
        let cut = snippet(&latin);
        assert!(
            cut.len() <= SNIPPET_COLUMNS && cut.len() > SNIPPET_COLUMNS - 6,
            "{cut}"
        );
        assert!(cut.ends_with("word"));
        let han = "充值".repeat(100);
        assert_eq!(snippet(&han).chars().count(), SNIPPET_COLUMNS / 2);
        assert_eq!(snippet(" short\n"), "short");
    }

    /// The snippet rule on collapsed text: the first [`SNIPPET_COLUMNS`] columns (a Han
    /// character takes two), cut after a word where possible.
    fn snippet_text(text: &str) -> &str {
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

    /// The one-pass snippet of raw text is the rule's snippet of its collapsed form, for
    /// whitespace of every kind and length, Han and Latin, a space or a word at every column
    /// around the cut.
    #[test]
    fn a_snippet_of_raw_text_is_the_snippet_of_its_collapsed_text() {
        let spaces = [" ", "\n  ", "\u{a0}", "\t\u{3000} ", "\u{2028}"];
        let mut texts = vec![String::new(), "   ".into(), "中".into()];
        for lead in 0..4 {
            for space in spaces {
                for word in ["w", "word", "中文", "слово", "wordy中"] {
                    for n in 0..=90 {
                        let mut text = space.repeat(lead);
                        for k in 0..n {
                            text.push_str(if k % 7 == 3 { "x" } else { word });
                            text.push_str(space);
                        }
                        texts.push(text.clone());
                        text.push_str("end");
                        texts.push(text);
                    }
                }
            }
        }
        for text in &texts {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(snippet(text), snippet_text(&collapsed), "{text:?}");
        }
    }
}
