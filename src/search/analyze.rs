//! One page → its search documents: the page in, sections with their token statistics out.
//!
//! Runs per page in parallel. Tokens are interned per page (a page repeats its words across
//! sections), so the language-wide step ([`super::index`]) handles each distinct surface form
//! of a page once and stems each distinct surface form of the language once.

use std::convert::Infallible;

use super::SearchPage;
use super::extract::{Section, sections};
use super::normalize::fold_into;
use super::rank::{IN_HEADING, IN_PARENT};
use super::tokenize::{NeedsNormalizer, for_each_folded_token, for_each_token};

mod intern;
use intern::Interner;

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
        interner: {
            let (han, others) = distinct_estimate(&sections);
            Interner::with_capacity(han, others)
        },
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

/// About how many distinct Han tokens and other tokens a page's sections hold, to size the
/// interner's tables: a Han character or pair per two Han characters (a Chinese page repeats
/// its words) and a
/// token per 32 bytes of other text (a Russian page of 15 KB has about 260). Growing a table
/// step by step was a tenth of its cost; one token per 6 bytes of all text was five to ten
/// times too many outside Chinese.
fn distinct_estimate(sections: &[Section]) -> (usize, usize) {
    let texts = || sections.iter().flat_map(|s| [&s.text, &s.low]);
    let bytes: usize = texts().map(|t| t.len()).sum();
    let han: usize = texts().map(|t| wide_leads(t.as_bytes())).sum();
    (han / 2, bytes.saturating_sub(3 * han) / 32)
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
            *interner.slot(t.surface).1 = u32::MAX;
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

    /// A section with a character only the normaliser folds (`ﬁ`, `é` as `e` and a combining
    /// accent) is read again from its folded text after its first tokens were interned: the
    /// page comes out as when every part is folded whole first, ids, terms and all.
    #[test]
    fn a_section_left_to_the_normaliser_is_read_again() {
        let html = "<main data-search-body><p>Alpha beta Beta</p>\
            <h2 id=g>Gamma Delta</h2><p>new words ﬁle cafe\u{301} alpha</p>\
            <h3 id=h>Under ﬁ</h3><p>more words delta</p><h2 id=z>Zeta</h2><p>new</p></main>";
        let (surfaces, docs) = read_both_ways("en/a/", "Title Here", html);
        assert!(surfaces.contains(&"file".to_string()));
        assert_eq!(docs, 4);
    }

    /// Analyses a page the fast way and the general way, asserts both give the same surfaces
    /// and documents, and returns the surfaces and the number of documents.
    fn read_both_ways(url: &str, title: &str, html: &str) -> (Vec<String>, usize) {
        let page = crate::search::SearchPage { url, title, html };
        let (fast, _) = super::page(&page);
        let (general, _) = super::page_with(&page, false);
        let surfaces = |p: &super::Page| p.surfaces.iter().map(String::from).collect::<Vec<_>>();
        assert_eq!(surfaces(&fast), surfaces(&general));
        let docs = |p: &super::Page| {
            p.docs
                .iter()
                .map(|d| (d.terms.clone(), d.len))
                .collect::<Vec<_>>()
        };
        assert_eq!(docs(&fast), docs(&general));
        (surfaces(&fast), fast.docs.len())
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

    /// The same with Chinese: characters and pairs interned before the character only the
    /// normaliser folds are forgotten and interned again, in the same order.
    #[test]
    fn a_chinese_section_left_to_the_normaliser_is_read_again() {
        let html = "<main data-search-body><p>充值卡充值</p><h2 id=g>余额查询</h2>\
            <p>查询余额 新卡激活 卡余额 ﬁ 激活 充值</p><h3 id=h>激活</h3><p>新卡 余额 鿿一</p></main>";
        let (surfaces, _) = read_both_ways("zh/a/", "充值", html);
        assert!(surfaces.contains(&"新卡".to_string()));
    }

    /// Sections keep the page's whitespace: every kind of whitespace, doubled, between words
    /// of every script gives the page that single spaces give, ids, terms and lengths.
    #[test]
    fn raw_whitespace_counts_as_one_space() {
        let page = |space: &str| {
            let html = format!(
                "<main data-search-body><p>{space}Alpha{space}{space}beta{space}СИМ{space}\
                 карта 中{space}文{space}kaspi.kz{space}</p><h2 id=h>Head</h2>\
                 <p data-search-weight=low>{space}low{space}{space}words{space}</p></main>"
            );
            let (page, _) = super::page(&crate::search::SearchPage {
                url: "en/a/",
                title: "T",
                html: &html,
            });
            let surfaces: Vec<String> = page.surfaces.iter().map(String::from).collect();
            let docs: Vec<_> = page.docs.iter().map(|d| (d.terms.clone(), d.len)).collect();
            (surfaces, docs)
        };
        let want = page(" ");
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
        {
            assert_eq!(page(&c.to_string()), want, "U+{:04X}", c as u32);
        }
        assert_eq!(page("\n    "), want);
        assert_eq!(page("&nbsp;"), want);
    }

    #[test]
    fn surfaces_give_back_each_token_in_order() {
        let tokens = ["续费", "sim", "", "карта", "*111#"];
        let s = Surfaces::of(tokens);
        assert_eq!(s.iter().collect::<Vec<_>>(), tokens);
        assert_eq!(Surfaces::of([]).iter().count(), 0);
    }
}
