//! One page → its search documents: the page in, sections with their surface-token statistics out.
//!
//! Runs per page in parallel. Stemming happens later, once per distinct surface form of the
//! whole language ([`super::index`]), because most tokens repeat.

use super::SearchPage;
use super::extract::{Section, sections};
use super::normalize::fold;
use super::rank::{IN_HEADING, IN_PARENT};
use super::tokenize::for_each_token;

/// A section with the statistics of its surface tokens.
pub struct Doc {
    pub section: Section,
    /// `(surface token, body frequency, IN_HEADING | IN_PARENT flags)`, sorted by token.
    pub terms: Vec<(String, u32, u8)>,
    /// Number of body tokens.
    pub len: u32,
}

/// The documents of one page, in document order.
pub fn page(page: &SearchPage<'_>) -> Vec<Doc> {
    sections(page.html)
        .into_iter()
        .map(|section| doc(page.title, section))
        .collect()
}

fn doc(title: &str, section: Section) -> Doc {
    let body = fold(&section.text);
    // (token, body count, flags) for every occurrence; sorted and merged below. Sorting a
    // section's few hundred tokens is cheaper than hashing each one.
    let mut all: Vec<(&str, u32, u8)> = Vec::new();
    for_each_token(&body, |t| all.push((t, 1, 0)));
    let len = all.len() as u32;
    // A page's first section (no heading of its own) is headed by the page title.
    let heading = fold(if section.heading.is_empty() {
        title
    } else {
        &section.heading
    });
    for_each_token(&heading, |t| all.push((t, 0, IN_HEADING)));
    let mut parents = String::new();
    if !section.heading.is_empty() {
        parents.push_str(title);
        for p in &section.parents {
            parents.push('\n');
            parents.push_str(p);
        }
    }
    let parents = fold(&parents);
    for_each_token(&parents, |t| all.push((t, 0, IN_PARENT)));

    all.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut terms: Vec<(String, u32, u8)> = Vec::new();
    for (token, tf, flags) in all {
        match terms.last_mut() {
            Some(last) if last.0 == token => {
                last.1 += tf;
                last.2 |= flags;
            }
            _ => terms.push((token.to_owned(), tf, flags)),
        }
    }
    Doc {
        section,
        terms,
        len,
    }
}
