//! Character folding, the first step of tokenizing: text in, folded text out.
//!
//! The browser (`themes/default/static/search.js`, `fold`) applies exactly the same steps in the
//! same order to a query, so both sides meet on one spelling of every word:
//! 1. NFKC (full-width letters, ligatures and compatibility forms become plain ones);
//! 2. lowercase, one character at a time (not whole-string: JavaScript's and Rust's whole-string
//!    lowercasing treat a final sigma differently, per-character lowercasing agrees);
//! 3. `ё` → `е`, and the Kazakh letters that a Russian keyboard lacks → the Russian letter a reader
//!    types instead (қ→к, ң→н, ү/ұ→у, ө→о, ә→а, ғ→г, і→и, һ→х), so `кызмет` finds `қызмет`;
//! 4. typographic apostrophes and hyphens → ASCII, so `don’t` and `don't` are one word;
//! 5. characters that are invisible inside words (soft hyphen, zero-width joiners, stress marks
//!    and other combining diacritics left after NFKC) are dropped, so `пополне́ние` is one word.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Folds `text` as described in the module docs.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Most text is already NFKC; the quick check skips the costly normaliser for it.
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.chars().for_each(|c| push_folded(c, &mut out));
    } else {
        text.nfkc().for_each(|c| push_folded(c, &mut out));
    }
    out
}

/// Lowercases and folds one NFKC character into `out`.
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        if let Some(folded) = fold_lower(lower) {
            out.push(folded);
        }
    }
}

/// The folding of one lowercase character; `None` drops it.
fn fold_lower(c: char) -> Option<char> {
    Some(match c {
        'ё' => 'е',
        'қ' => 'к',
        'ң' => 'н',
        'ү' | 'ұ' => 'у',
        'ө' => 'о',
        'ә' => 'а',
        'ғ' => 'г',
        'і' => 'и',
        'һ' => 'х',
        '\u{2019}' | '\u{02BC}' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        '\u{0300}'..='\u{036F}' => return None,
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_width_and_kazakh_letters() {
        assert_eq!(fold("ＫＡＳＰＩ"), "kaspi");
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("Қызмет Нөмірі"), "кызмет номири");
        assert_eq!(fold("ӘҒҮҰҺІ"), "агууxи".replace('x', "х"));
    }

    #[test]
    fn drops_invisible_characters() {
        assert_eq!(fold("попол\u{00AD}не\u{0301}ние"), "пополнение");
        assert_eq!(fold("don\u{2019}t"), "don't");
    }

    #[test]
    fn final_sigma_is_lowercased_per_character() {
        // Whole-string lowercasing would give 'ς'; the browser lowercases per character too.
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
    }
}
