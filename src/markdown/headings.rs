//! Heading ids by GitHub's rule, for every script, and the anchor link each h2–h4 carries.

use std::collections::{HashMap, HashSet};

/// GitHub's rule: lower-case, keep letters and digits of every script plus `-` and `_`, turn
/// spaces into `-`, drop the rest. `## 如何充值` → `如何充值`, `## Как пополнить баланс?` →
/// `как-пополнить-баланс`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        // Most headings are ASCII: their rule is a byte's, without Unicode's case tables.
        if c.is_ascii() {
            match c {
                'a'..='z' | '0'..='9' | '-' | '_' => out.push(c),
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                ' ' => out.push('-'),
                _ => {}
            }
            continue;
        }
        // Russian and Kazakh headings are mostly а–я and Chinese ones CJK ideographs: letters
        // whose slug is their lower case, without the Unicode tables (pinned by a test).
        match c {
            'а'..='я' | '\u{4E00}'..='\u{9FFF}' => out.push(c),
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            _ => push_slug_chars(c, &mut out),
        }
    }
    out
}

/// The slug of one non-ASCII character: its lower case, where a letter, digit or combining mark.
fn push_slug_chars(c: char, out: &mut String) {
    for c in c.to_lowercase() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        } else if is_combining_mark(c) {
            // Kept so that decomposed letters (й written as и + ◌̆) are not split.
            out.push(c);
        }
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// Hands out unique ids within one page: a repeated id gets `-1`, `-2`, … as on GitHub.
///
/// Each base remembers the next suffix to try, so n equal headings cost O(n) in all, not the
/// O(n²) of counting up from `-1` every time (50,000 `## same` headings once took minutes).
#[derive(Default)]
pub struct IdAllocator {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl IdAllocator {
    /// Registers an id the author chose (`{#id}`) so generated ids avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_owned());
    }

    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let next = self.next.entry(base.to_owned()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The levels whose headings get an anchor link: those a reader links to (h1 is the page).
pub(crate) const ANCHOR_LEVELS: std::ops::RangeInclusive<u8> = 2..=4;

/// Appends the link a heading ends with, to its own id (issue 12): empty, named by `label` (the
/// page language's "link to this section"), its visible mark drawn by the theme's CSS, so the
/// link adds no text to the search index, a copied heading or the table of contents.
pub(crate) fn push_anchor(out: &mut String, id: &str, label: &str) {
    out.push_str("<a class=\"anchor\" href=\"#");
    super::escape_into(out, id);
    out.push_str("\" aria-label=\"");
    super::escape_into(out, label);
    out.push_str("\"></a>");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII shortcut of `slugify` gives what the general rule gives for every character.
    #[test]
    fn the_ascii_path_agrees_with_the_general_rule() {
        for b in 0u8..128 {
            let c = b as char;
            let mut general = String::new();
            push_slug_chars(c, &mut general);
            assert_eq!(slugify(&format!("x{c}x")), format!("x{general}x"), "{b}");
        }
    }

    /// The Cyrillic and CJK shortcut gives what the general rule gives for every character of
    /// the Cyrillic block and of the CJK block it covers.
    #[test]
    fn the_cyrillic_and_han_paths_agree_with_the_general_rule() {
        let cyrillic = 0x0400..=0x04FF;
        let han = 0x4E00..=0x9FFF;
        for c in cyrillic.chain(han).filter_map(char::from_u32) {
            let mut general = String::new();
            push_slug_chars(c, &mut general);
            assert_eq!(
                slugify(&format!("x{c}x")),
                format!("x{general}x"),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn ids_for_every_script() {
        assert_eq!(slugify("如何充值"), "如何充值");
        assert_eq!(slugify("Как пополнить баланс?"), "как-пополнить-баланс");
        assert_eq!(
            slugify("Балансты қалай толтыруға болады?"),
            "балансты-қалай-толтыруға-болады"
        );
        assert_eq!(slugify("Top up: Kaspi.kz & banks"), "top-up-kaspikz--banks");
        assert_eq!(slugify("IMEI 登记（手机）"), "imei-登记手机");
    }

    #[test]
    fn anchors_link_to_their_heading_and_escape() {
        let anchor = |id: &str, label: &str| {
            let mut out = String::from("x");
            push_anchor(&mut out, id, label);
            out.split_off(1)
        };
        assert_eq!(
            anchor("как-пополнить", "Ссылка на этот раздел"),
            "<a class=\"anchor\" href=\"#как-пополнить\" aria-label=\"Ссылка на этот раздел\"></a>"
        );
        assert_eq!(
            anchor("a\"b", "<x>"),
            "<a class=\"anchor\" href=\"#a&quot;b\" aria-label=\"&lt;x&gt;\"></a>"
        );
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("faq"), "faq");
        assert_eq!(ids.unique("faq"), "faq-1");
        assert_eq!(ids.unique("faq"), "faq-2");
        ids.reserve("top-up");
        assert_eq!(ids.unique("top-up"), "top-up-1");
        // A suffix taken by another heading is skipped, as on GitHub.
        assert_eq!(ids.unique("faq-3"), "faq-3");
        assert_eq!(ids.unique("faq"), "faq-4");
    }

    /// Work, not time: each equal heading tries O(1) candidates on average.
    #[test]
    fn many_equal_headings_are_linear() {
        let mut ids = IdAllocator::default();
        for _ in 0..50_000 {
            ids.unique("same");
        }
        assert_eq!(ids.unique("same"), "same-50000");
        assert_eq!(ids.next["same"], 50_001);
    }
}
