//! One page → its search documents: the page in, sections with their surface-token statistics out.
//!
//! Runs per page in parallel. Stemming happens later, once per distinct surface form of the
//! whole language ([`super::index`]), because most tokens repeat.

use std::collections::HashMap;

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
    let mut stats: HashMap<String, (u32, u8)> = HashMap::new();
    let body = fold(&section.text);
    let mut len = 0;
    for_each_token(&body, |t| {
        len += 1;
        match stats.get_mut(t) {
            Some(entry) => entry.0 += 1,
            None => {
                stats.insert(t.to_owned(), (1, 0));
            }
        }
    });
    // A page's first section (no heading of its own) is headed by the page title.
    let heading = if section.heading.is_empty() {
        title
    } else {
        &section.heading
    };
    mark(&mut stats, heading, IN_HEADING);
    if !section.heading.is_empty() {
        mark(&mut stats, title, IN_PARENT);
        for parent in &section.parents {
            mark(&mut stats, parent, IN_PARENT);
        }
    }
    let mut terms: Vec<(String, u32, u8)> = stats
        .into_iter()
        .map(|(t, (tf, flags))| (t, tf, flags))
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Doc {
        section,
        terms,
        len,
    }
}

/// Sets `flag` on every token of `text`.
fn mark(stats: &mut HashMap<String, (u32, u8)>, text: &str, flag: u8) {
    let folded = fold(text);
    for_each_token(&folded, |t| match stats.get_mut(t) {
        Some(entry) => entry.1 |= flag,
        None => {
            stats.insert(t.to_owned(), (0, flag));
        }
    });
}
