//! Heading ids by GitHub's rule, for every script.

use std::collections::HashSet;

/// GitHub's rule: lower-case, keep letters and digits of every script plus `-` and `_`, turn
/// spaces into `-`, drop the rest. `## 如何充值` → `如何充值`, `## Как пополнить баланс?` →
/// `как-пополнить-баланс`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        } else if is_combining_mark(c) {
            // Kept so that decomposed letters (й written as и + ◌̆) are not split.
            out.push(c);
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// Hands out unique ids within one page: a repeated id gets `-1`, `-2`, … as on GitHub.
#[derive(Default)]
pub struct IdAllocator {
    used: HashSet<String>,
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
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn duplicates_get_suffixes() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("faq"), "faq");
        assert_eq!(ids.unique("faq"), "faq-1");
        assert_eq!(ids.unique("faq"), "faq-2");
        ids.reserve("top-up");
        assert_eq!(ids.unique("top-up"), "top-up-1");
    }
}
