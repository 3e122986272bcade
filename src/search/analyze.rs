//! One page → its search documents: the page in, sections with their token statistics out.
//!
//! Runs per page in parallel. Tokens are interned per page (a page repeats its words across
//! sections), so the language-wide step ([`super::index`]) handles each distinct surface form
//! of a page once and stems each distinct surface form of the language once.

use std::convert::Infallible;

use hashbrown::HashTable;

use super::SearchPage;
use super::extract::{Section, sections};
use super::normalize::fold_into;
use super::rank::{IN_HEADING, IN_PARENT};
use super::tokenize::{NeedsNormalizer, for_each_folded_token, for_each_token};

/// The documents of one page and the distinct surface tokens they use.
#[derive(Clone)]
pub struct Page {
    /// Distinct surface tokens; documents refer to them by index.
    pub surfaces: Surfaces,
    pub docs: Vec<Doc>,
}

/// A page's distinct surface tokens in one buffer. A `String` each cost ~40 bytes besides the
/// token (a Chinese page has ~1,700 of them, mostly 3–6 bytes long), and both a build's
/// language and `watch`'s cache hold every page's analysis.
#[derive(Clone, Default)]
pub struct Surfaces {
    text: String,
    /// End of each token in `text`; a token starts where the one before ends.
    ends: Vec<u32>,
}

impl Surfaces {
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start as usize..end as usize])
    }

    /// The token of id `id`.
    fn get(&self, id: u32) -> &str {
        let start = match id {
            0 => 0,
            _ => self.ends[id as usize - 1],
        };
        &self.text[start as usize..self.ends[id as usize] as usize]
    }

    #[cfg(test)]
    fn of<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Surfaces {
        let mut out = Surfaces::default();
        for t in tokens {
            out.text.push_str(t);
            out.ends.push(out.text.len() as u32);
        }
        out.text.shrink_to_fit();
        out.ends.shrink_to_fit();
        out
    }
}

/// A section with the statistics of its tokens.
#[derive(Clone)]
pub struct Doc {
    /// The section's distinct tokens, in first-use order.
    pub terms: Vec<Term>,
    /// Number of body tokens.
    pub len: u32,
}

/// One distinct token of a section. 8 bytes where a `(u32, u32, u8)` took 12: a Chinese page
/// has ~2,500 of these, held until its language's index is built (and by `watch` until the
/// page changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// Index into the page's [`Surfaces`].
    pub surface: u32,
    /// Occurrences in the body, saturating: ranking saturates long before.
    pub tf: u16,
    /// `IN_HEADING | IN_PARENT`.
    pub flags: u8,
}

/// Analyses one page; its sections come back too, for its document record
/// ([`super::docs::PageRecord`]), which is all that is kept of their texts.
pub fn page(page: &SearchPage<'_>) -> (Page, Vec<Section>) {
    page_with(page, true)
}

/// [`page`], with the one-pass tokenizer or (`fused: false`, the general rule it is tested
/// against) with every part folded whole first.
fn page_with(page: &SearchPage<'_>, fused: bool) -> (Page, Vec<Section>) {
    let sections = sections(page.html);
    let mut state = State {
        interner: Interner::with_capacity(distinct_estimate(&sections)),
        scratch: String::new(),
        parents: String::new(),
        last_parents: None,
        parent_ids: Vec::new(),
        terms: Vec::new(),
    };
    let mut docs = Vec::with_capacity(sections.len());
    for section in &sections {
        let mark = state.interner.len();
        let fast = match fused {
            true => state.doc::<Fused>(section, page.title),
            false => Err(NeedsNormalizer),
        };
        let doc = match fast {
            Ok(doc) => doc,
            Err(NeedsNormalizer) => {
                // A character whose folding needs its neighbours (rare): forget what this
                // section interned and read it again from its folded text.
                state.roll_back(mark);
                let Ok(doc) = state.doc::<Normalized>(section, page.title);
                doc
            }
        };
        docs.push(doc);
    }
    docs.shrink_to_fit();
    let page = Page {
        surfaces: state.interner.into_surfaces(),
        docs,
    };
    (page, sections)
}

/// About how many distinct tokens a page's sections hold, to size the interner's table: one
/// per two Han characters (a character and a pair each, many repeated) and one per 32 bytes of
/// other text (words repeat: a Russian page of 15 KB has about 260). Growing the table step by
/// step was a tenth of its cost; a table too large for the level-1 cache (one token per 6 bytes
/// of text was five to ten times too many outside Chinese) made every look-up a cache miss.
fn distinct_estimate(sections: &[Section]) -> usize {
    let texts = || sections.iter().flat_map(|s| [&s.text, &s.low]);
    let bytes: usize = texts().map(|t| t.len()).sum();
    let han: usize = texts().map(|t| wide_leads(t.as_bytes())).sum();
    han / 2 + bytes.saturating_sub(3 * han) / 32
}

/// How many bytes of `bytes` are `E0` or above, the lead bytes of 3- and 4-byte characters:
/// Han, and a few dashes and quotes (an estimate only needs Han). Eight bytes at a time: a
/// byte's top three bits all set (pinned to counting byte by byte by a test).
fn wide_leads(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A shift moves bits 6 and 5 of each byte to its bit 7, never into the next byte's.
        n += (x & x << 1 & x << 2 & HIGH).count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&b| b >= 0xE0).count()
}

/// What a page's sections share while they are counted one by one.
struct State {
    interner: Interner,
    /// Folded text: a run's folding on the one-pass path, a whole part of a section otherwise.
    scratch: String,
    parents: String,
    /// The headings above the last section that had its own, when `parent_ids` holds their ids.
    last_parents: Option<String>,
    parent_ids: Vec<u32>,
    /// The current section's terms; reused for the next section.
    terms: Vec<Term>,
}

impl State {
    /// Counts one section's tokens; an error leaves a part counted, see [`State::roll_back`].
    fn doc<F: Fold>(&mut self, section: &Section, title: &str) -> Result<Doc, F::Error> {
        let interner = &mut self.interner;
        let mut stats = DocStats {
            terms: std::mem::take(&mut self.terms),
        };
        let mut len = 0;
        let result = (|| {
            F::tokens(&section.text, &mut self.scratch, |t| {
                len += 1;
                stats.add(interner.id(t), 1, 0)
            })?;
            // A page's first section has no heading of its own: the page title stands for it.
            let heading = if section.heading.is_empty() {
                title
            } else {
                &section.heading
            };
            F::tokens(heading, &mut self.scratch, |t| {
                stats.add(interner.id(t), 0, IN_HEADING)
            })?;
            self.parents.clear();
            if !section.heading.is_empty() {
                self.parents.push_str(title);
                for p in &section.parents {
                    self.parents.push('\n');
                    self.parents.push_str(p);
                }
            }
            // Sibling sections share the headings above them: their tokens are read once.
            if self.last_parents.as_ref() != Some(&self.parents) {
                self.parent_ids.clear();
                self.last_parents = None;
                let ids = &mut self.parent_ids;
                F::tokens(&self.parents, &mut self.scratch, |t| {
                    ids.push(interner.id(t).0)
                })?;
                self.last_parents = Some(self.parents.clone());
            }
            for &id in &self.parent_ids {
                stats.add(interner.slot(id), 0, IN_PARENT);
            }
            // Low-weight text counts no frequency and no length: its words get the lowest level.
            F::tokens(&section.low, &mut self.scratch, |t| {
                stats.add(interner.id(t), 0, 0)
            })
        })();
        stats.clear_slots(interner);
        // Kept until the language's index is built (and by `watch` until the next change): an
        // exact copy, and the buffer counts the next section.
        let doc = Doc {
            terms: stats.terms.clone(),
            len,
        };
        self.terms = stats.terms;
        self.terms.clear();
        result.map(|()| doc)
    }

    /// Forgets the tokens interned since the interner held `mark` of them, and the parents' ids
    /// (they may be among them).
    fn roll_back(&mut self, mark: u32) {
        self.interner.truncate(mark);
        self.last_parents = None;
    }
}

/// How a part of a section becomes tokens: folded and split in one pass ([`Fused`]), or
/// folded whole, normaliser included, then split ([`Normalized`]).
trait Fold {
    type Error;
    fn tokens(text: &str, scratch: &mut String, emit: impl FnMut(&str)) -> Result<(), Self::Error>;
}

struct Fused;

impl Fold for Fused {
    type Error = NeedsNormalizer;
    fn tokens(
        text: &str,
        scratch: &mut String,
        emit: impl FnMut(&str),
    ) -> Result<(), NeedsNormalizer> {
        for_each_folded_token(text, scratch, emit)
    }
}

struct Normalized;

impl Fold for Normalized {
    type Error = Infallible;
    fn tokens(text: &str, folded: &mut String, emit: impl FnMut(&str)) -> Result<(), Infallible> {
        folded.clear();
        fold_into(text, folded);
        for_each_token(folded, emit);
        Ok(())
    }
}

/// Page-local token ids, plus each id's slot in the document being counted.
///
/// A table over the tokens' own copies: a token is read once for its key and copied once
/// (when new), so tokens may come from a buffer that is refilled for every part of every
/// section, and the copies are the page's [`Surfaces`] when it is done. hashbrown's
/// `HashTable` holds only `(key, id, length)`: the key of a token of up to 16 bytes is the
/// token itself (most words, a Russian one of up to 8 letters among them), so most look-ups
/// never read the token's copy.
struct Interner {
    /// The distinct tokens, in id order.
    surfaces: Surfaces,
    table: HashTable<Entry>,
    /// Per id: index into the current document's `terms`, or `u32::MAX`.
    slots: Vec<u32>,
}

/// One token in the [`Interner`]'s table.
#[derive(Clone, Copy)]
struct Entry {
    /// [`token_key`] of the token.
    key: [u64; 2],
    id: u32,
    /// The token's length in bytes.
    len: u32,
}

impl Entry {
    /// The table's hash: a folded 128-bit multiply, so both the low bits (the bucket) and the
    /// high bits (hashbrown's tag) depend on every bit of the key.
    fn hash([lo, hi]: [u64; 2], len: u32) -> u64 {
        let mixed =
            lo ^ u64::from(len) ^ hi.rotate_left(23).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        let m = u128::from(mixed) * 0x9e37_79b9_7f4a_7c15;
        (m as u64) ^ ((m >> 64) as u64)
    }
}

impl Interner {
    fn with_capacity(tokens: usize) -> Interner {
        Interner {
            surfaces: Surfaces {
                text: String::with_capacity(tokens * 4),
                ends: Vec::with_capacity(tokens),
            },
            table: HashTable::with_capacity(tokens),
            slots: Vec::with_capacity(tokens),
        }
    }

    #[inline]
    fn id(&mut self, token: &str) -> (u32, &mut u32) {
        let len = token.len() as u32;
        let key = token_key(token.as_bytes());
        let hash = Entry::hash(key, len);
        let surfaces = &self.surfaces;
        // A key of up to 16 bytes is the token itself; a longer one is a hash.
        let same =
            |e: &Entry| e.key == key && e.len == len && (len <= 16 || surfaces.get(e.id) == token);
        // One probe for a new token too (a Chinese page's pairs are mostly new).
        let id = match self.table.entry(hash, same, |e| Entry::hash(e.key, e.len)) {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().id,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let id = self.slots.len() as u32;
                slot.insert(Entry { key, id, len });
                self.push(token);
                id
            }
        };
        (id, &mut self.slots[id as usize])
    }

    /// The id `id` with its slot, as [`Interner::id`] gives it for the token of that id.
    fn slot(&mut self, id: u32) -> (u32, &mut u32) {
        (id, &mut self.slots[id as usize])
    }

    /// Adds a new token's slot and copy; its id is the next one.
    fn push(&mut self, token: &str) {
        self.slots.push(u32::MAX);
        self.surfaces.text.push_str(token);
        self.surfaces.ends.push(self.surfaces.text.len() as u32);
    }

    /// The number of distinct tokens so far.
    fn len(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Forgets every token of id `len` and above, as if they had never been seen.
    fn truncate(&mut self, len: u32) {
        for id in (len..self.len()).rev() {
            let token = self.surfaces.get(id);
            let key = token_key(token.as_bytes());
            let hash = Entry::hash(key, token.len() as u32);
            if let Ok(entry) = self.table.find_entry(hash, |e| e.id == id) {
                entry.remove();
            }
        }
        let end = match len {
            0 => 0,
            _ => self.surfaces.ends[len as usize - 1],
        };
        self.surfaces.text.truncate(end as usize);
        self.surfaces.ends.truncate(len as usize);
        self.slots.truncate(len as usize);
    }

    fn into_surfaces(self) -> Surfaces {
        let mut surfaces = self.surfaces;
        surfaces.text.shrink_to_fit();
        surfaces.ends.shrink_to_fit();
        surfaces
    }
}

/// A token of up to 16 bytes zero-padded into two `u64`s (with its length, distinct for
/// distinct tokens); a longer one's hash. Read with overlapping loads, not a copy into a padded
/// buffer (a variable-length copy followed by a wide load stalls the load).
fn token_key(b: &[u8]) -> [u64; 2] {
    let n = b.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    let u64_at = |i: usize| {
        let mut w = [0; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(w)
    };
    match n {
        0 => [0, 0],
        1..=3 => [
            u64::from(b[0])
                | u64::from(b[n / 2]) << (8 * (n / 2))
                | u64::from(b[n - 1]) << (8 * (n - 1)),
            0,
        ],
        4..=8 => [u32_at(0) | u32_at(n - 4) << (8 * (n - 4)), 0],
        // The first eight bytes and the last eight, overlapping: with the length, the token.
        9..=16 => [u64_at(0), u64_at(n - 8)],
        _ => {
            // FxHash over the 8-byte words, the last one overlapping the one before.
            let mut hash = 0u64;
            let mut add = |w: u64| {
                hash = (hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            };
            let mut i = 0;
            while i + 8 < n {
                add(u64_at(i));
                i += 8;
            }
            add(u64_at(n - 8));
            [hash, 0]
        }
    }
}

#[derive(Default)]
struct DocStats {
    terms: Vec<Term>,
}

impl DocStats {
    fn add(&mut self, (id, slot): (u32, &mut u32), tf: u16, flags: u8) {
        if *slot == u32::MAX {
            *slot = self.terms.len() as u32;
            self.terms.push(Term {
                surface: id,
                tf: 0,
                flags: 0,
            });
        }
        let term = &mut self.terms[*slot as usize];
        term.tf = term.tf.saturating_add(tf);
        term.flags |= flags;
    }

    /// Resets the slots this document used, ready for the next one.
    fn clear_slots(&self, interner: &mut Interner) {
        for t in &self.terms {
            interner.slots[t.surface as usize] = u32::MAX;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Surfaces;

    /// A word repeated past what a term's 16-bit frequency holds: the frequency saturates and
    /// the section's length still counts every word.
    #[test]
    fn a_frequency_past_u16_saturates_and_the_length_counts_all() {
        let words = 70_000;
        let html = format!(
            "<main data-search-body><p>{}</p></main>",
            "roaming ".repeat(words)
        );
        let (page, _) = super::page(&crate::search::SearchPage {
            url: "en/a/",
            title: "A",
            html: &html,
        });
        let doc = &page.docs[0];
        let roaming = page.surfaces.iter().position(|s| s == "roaming").unwrap();
        let term = doc.terms.iter().find(|t| t.surface as usize == roaming);
        assert_eq!(term.map(|t| t.tf), Some(u16::MAX));
        assert_eq!(doc.len as usize, words);
    }

    /// The interner's table (packed keys up to 16 bytes, hashes beyond, growth) gives the ids a
    /// plain map of strings gives, and keeps each token's text.
    #[test]
    fn interner_ids_agree_with_a_map() {
        let mut words: Vec<String> = ["", "\0", "a\0", "a", "ab", "充", "充值", "充值卡充值卡"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for n in 1..=24 {
            for c in ['a', 'b', 'я', '中'] {
                words.push(c.to_string().repeat(n));
                words.push(format!("{}z", c.to_string().repeat(n)));
                words.push(format!("z{}", c.to_string().repeat(n)));
            }
        }
        words.extend((0..5000).map(|i| format!("w{i}")));
        let mut interner = super::Interner::with_capacity(4);
        let mut map = std::collections::HashMap::new();
        for w in words.iter().chain(words.iter().rev()) {
            let next = map.len() as u32;
            let want = *map.entry(w.as_str()).or_insert(next);
            assert_eq!(interner.id(w).0, want, "{w:?}");
        }
        let surfaces = interner.into_surfaces();
        let mut by_id: Vec<&str> = vec![""; map.len()];
        map.iter().for_each(|(w, &id)| by_id[id as usize] = w);
        assert_eq!(surfaces.iter().collect::<Vec<_>>(), by_id);
    }

    /// A section with a character only the normaliser folds (`ﬁ`, `é` as `e` and a combining
    /// accent) is read again from its folded text after its first tokens were interned: the
    /// page comes out as when every part is folded whole first, ids, terms and all.
    #[test]
    fn a_section_left_to_the_normaliser_is_read_again() {
        let html = "<main data-search-body><p>Alpha beta Beta</p>\
            <h2 id=g>Gamma Delta</h2><p>new words ﬁle cafe\u{301} alpha</p>\
            <h3 id=h>Under ﬁ</h3><p>more words delta</p><h2 id=z>Zeta</h2><p>new</p></main>";
        let page = crate::search::SearchPage {
            url: "en/a/",
            title: "Title Here",
            html,
        };
        let (fast, _) = super::page(&page);
        let (general, _) = super::page_with(&page, false);
        let surfaces = |p: &super::Page| p.surfaces.iter().map(String::from).collect::<Vec<_>>();
        assert_eq!(surfaces(&fast), surfaces(&general));
        assert!(surfaces(&fast).contains(&"file".to_string()));
        let docs = |p: &super::Page| {
            p.docs
                .iter()
                .map(|d| (d.terms.clone(), d.len))
                .collect::<Vec<_>>()
        };
        assert_eq!(docs(&fast), docs(&general));
        assert_eq!(fast.docs.len(), 4);
    }

    /// The word-at-a-time count gives what counting byte by byte gives, for every byte at
    /// every place of a text of every length up to three words.
    #[test]
    fn wide_leads_agree_with_counting_bytes() {
        for b in 0..=255u8 {
            for len in 0..=24 {
                for at in 0..len {
                    for filler in [b'a', 0xDF, 0xE0, 0xE4, 0xFF] {
                        let mut bytes = vec![filler; len];
                        bytes[at] = b;
                        let want = bytes.iter().filter(|&&x| x >= 0xE0).count();
                        assert_eq!(super::wide_leads(&bytes), want, "{b:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn surfaces_give_back_each_token_in_order() {
        let tokens = ["续费", "sim", "", "карта", "*111#"];
        let s = Surfaces::of(tokens);
        assert_eq!(s.iter().collect::<Vec<_>>(), tokens);
        assert_eq!(Surfaces::of([]).iter().count(), 0);
    }
}
