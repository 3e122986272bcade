//! One page → its search documents: the page in, sections with their token statistics out.
//!
//! Runs per page in parallel. Tokens are interned per page (a page repeats its words across
//! sections), so the language-wide step ([`super::index`]) handles each distinct surface form
//! of a page once and stems each distinct surface form of the language once.

use super::SearchPage;
use super::docs::snippet_text;
use super::extract::{Section, sections};
use super::fxhash::StrIds;
use super::normalize::fold;
use super::rank::{IN_HEADING, IN_PARENT};
use super::tokenize::for_each_token;

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
    pub section: Section,
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

/// The folded texts of one section: body, own heading (the page title for a page's first
/// section, which has no heading of its own), headings above (page title included).
struct Folded {
    body: String,
    heading: String,
    parents: String,
    /// Low-weight text (`data-search-weight="low"`).
    low: String,
}

/// Analyses one page.
pub fn page(page: &SearchPage<'_>) -> Page {
    let sections = sections(page.html);
    let folded: Vec<Folded> = sections
        .iter()
        .map(|s| fold_section(page.title, s))
        .collect();
    let mut interner = Interner::default();
    // About one distinct token per 6 bytes of text (a Han character and its pair per 3 bytes,
    // repeated words in other scripts): growing the map step by step was a tenth of its cost.
    let bytes: usize = folded.iter().map(|f| f.body.len() + f.low.len()).sum();
    interner.ids.reserve(bytes / 6);
    interner.surfaces.reserve(bytes / 6);
    interner.slots.reserve(bytes / 6);
    let mut docs = Vec::with_capacity(sections.len());
    for (section, f) in sections.into_iter().zip(&folded) {
        let mut stats = DocStats::default();
        let mut len = 0;
        for_each_token(&f.body, |t| {
            len += 1;
            stats.add(interner.id(t), 1, 0)
        });
        for_each_token(&f.heading, |t| stats.add(interner.id(t), 0, IN_HEADING));
        for_each_token(&f.parents, |t| stats.add(interner.id(t), 0, IN_PARENT));
        // Low-weight text counts no frequency and no length: its words get the lowest level.
        for_each_token(&f.low, |t| stats.add(interner.id(t), 0, 0));
        stats.clear_slots(&mut interner);
        // Only the snippet's beginning of the text is shown: keep no more (watch holds every
        // page's analysis between rebuilds).
        let mut section = section;
        section.text = snippet_text(&section.text).to_owned();
        section.low = String::new();
        let mut terms = stats.terms;
        // Kept until the language's index is built (and by `watch` until the next change):
        // no room for growth.
        terms.shrink_to_fit();
        docs.push(Doc {
            section,
            terms,
            len,
        });
    }
    let surfaces = Surfaces::of(interner.surfaces.iter().copied());
    docs.shrink_to_fit();
    Page { surfaces, docs }
}

fn fold_section(title: &str, section: &Section) -> Folded {
    let heading = if section.heading.is_empty() {
        title
    } else {
        &section.heading
    };
    let mut parents = String::new();
    if !section.heading.is_empty() {
        parents.push_str(title);
        for p in &section.parents {
            parents.push('\n');
            parents.push_str(p);
        }
    }
    Folded {
        body: fold(&section.text),
        heading: fold(heading),
        parents: fold(&parents),
        low: fold(&section.low),
    }
}

/// Page-local token ids, plus each id's slot in the document being counted.
#[derive(Default)]
struct Interner<'a> {
    ids: StrIds<'a>,
    surfaces: Vec<&'a str>,
    /// Per id: index into the current document's `terms`, or `u32::MAX`.
    slots: Vec<u32>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, token: &'a str) -> (u32, &mut u32) {
        let next = self.surfaces.len() as u32;
        let id = self.ids.get_or_insert(token, next);
        if id == next {
            self.surfaces.push(token);
            self.slots.push(u32::MAX);
        }
        (id, &mut self.slots[id as usize])
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
    fn clear_slots(&self, interner: &mut Interner<'_>) {
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
        let page = super::page(&crate::search::SearchPage {
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

    #[test]
    fn surfaces_give_back_each_token_in_order() {
        let tokens = ["续费", "sim", "", "карта", "*111#"];
        let s = Surfaces::of(tokens);
        assert_eq!(s.iter().collect::<Vec<_>>(), tokens);
        assert_eq!(Surfaces::of([]).iter().count(), 0);
    }
}
