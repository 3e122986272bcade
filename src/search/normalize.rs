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
    fold_into(text, &mut out);
    out
}

/// Appends [`fold`] of `text` to `out`: per-page analysis folds every section part into one
/// reused buffer instead of a new `String` each.
pub fn fold_into(text: &str, out: &mut String) {
    let base = out.len();
    // Fast path: characters known to be unchanged by NFKC (or, for full-width ASCII, changed in
    // one known way) are folded directly. Anything else, including every combining mark that
    // could compose with a neighbour, sends the whole text through the real normaliser.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII, lowercase basic Russian and Han is copied whole: only its ASCII can
        // change (lowercase), and `make_ascii_lowercase` leaves every other byte alone.
        let start = i;
        while i < bytes.len() {
            if bytes[i].is_ascii() {
                i = ascii_end(bytes, i);
                continue;
            }
            match plain_len(bytes, i) {
                0 => break,
                n => i += n,
            }
        }
        if i > start {
            let at = out.len();
            out.push_str(&text[start..i]);
            out[at..].make_ascii_lowercase();
            continue;
        }
        // Capital Russian and every Kazakh letter: one table look-up from the two bytes.
        if let Some(folded) = cyrillic_folded_at(bytes, i) {
            out.push(folded);
            i += 2;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match c {
            // Capital basic Russian letters: NFKC-stable, no folding beyond lowercase.
            '\u{410}'..='\u{42F}' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            _ => match fast_nfkc(c) {
                Some(c) => push_folded(c, out),
                None => {
                    out.truncate(base);
                    return slow_fold_into(text, out);
                }
            },
        }
    }
}

/// Where the ASCII from byte `i` on ends. ASCII runs are long in Latin text: eight bytes at a
/// time while no high bit is set, then byte by byte.
fn ascii_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i].is_ascii() {
        i += 1;
    }
    i
}

/// The length of the character at byte `i` if folding leaves it as it is but for ASCII
/// lowercasing: ASCII, `а`–`я` (U+0430–U+044F) and Han U+4E00–U+9FFF; 0 for any other.
/// Read from the UTF-8 bytes without decoding (pinned by a test over every character).
fn plain_len(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        0..=0x7F => 1,
        _ if is_small_cyrillic_at(bytes, i) => 2,
        _ if is_main_han_at(bytes, i) => 3,
        _ => 0,
    }
}

/// Whether the bytes at `i` (a character boundary) are a Han character of the main block,
/// U+4E00–U+9FFF, in UTF-8: lead `E4` with `B8`–`BF` after it, or lead `E5`–`E9`.
pub(super) fn is_main_han_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        0xE4 => matches!(bytes.get(i + 1), Some(0xB8..=0xBF)),
        0xE5..=0xE9 => true,
        _ => false,
    }
}

/// Whether the bytes at `i` are one of `а`–`я` (U+0430–U+044F) in UTF-8: `D0 B0`–`D0 BF` or
/// `D1 80`–`D1 8F`. Most of Russian and Kazakh text after folding, so read without decoding.
pub(super) fn is_small_cyrillic_at(bytes: &[u8], i: usize) -> bool {
    matches!(
        (bytes[i], bytes.get(i + 1)),
        (0xD0, Some(0xB0..=0xBF)) | (0xD1, Some(0x80..=0x8F))
    )
}

/// The folding of the one non-ASCII character at byte `i` of `text` (a character boundary),
/// as [`fold_into`]'s fast path folds it, and its width in bytes: `Some((Some(c), width))`
/// folds to `c`, `Some((None, width))` is dropped. `None` when that path would hand the text to
/// the normaliser (its folding may depend on its neighbours) or the character folds to more
/// than one: `tokenize::for_each_folded_token` then leaves the text to [`fold_into`]. Pinned to
/// [`fold`] over every code point by a test.
pub(super) fn fold_char_at(text: &str, i: usize) -> Option<(Option<char>, usize)> {
    if let Some(folded) = cyrillic_folded_at(text.as_bytes(), i) {
        return Some((Some(folded), 2));
    }
    let c = text.get(i..)?.chars().next()?;
    let nfkc = fast_nfkc(c)?;
    let folded = if nfkc.is_ascii() {
        Some(nfkc.to_ascii_lowercase())
    } else if let Some(lower) = cyrillic_lower(nfkc) {
        fold_lower(lower)
    } else if is_fast_punctuation(nfkc) {
        // Not letters: lowercasing leaves them (the test against `fold` pins it).
        fold_lower(nfkc)
    } else {
        let mut lower = nfkc.to_lowercase();
        let first = lower.next()?;
        if lower.next().is_some() {
            return None;
        }
        fold_lower(first)
    };
    Some((folded, c.len_utf8()))
}

#[cfg(test)]
fn slow_fold(text: &str) -> String {
    let mut out = String::new();
    slow_fold_into(text, &mut out);
    out
}

fn slow_fold_into(text: &str, out: &mut String) {
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.chars().for_each(|c| push_folded(c, out));
    } else {
        text.nfkc().for_each(|c| push_folded(c, out));
    }
}

/// The punctuation and symbols [`fast_nfkc`] keeps besides ASCII, Cyrillic and Han: no letter
/// or digit among them, and none a joiner (pinned by tests), so the tokenizer knows them as
/// separators (or, `‐` and `’`, as what they fold to) without the Unicode tables.
pub(super) fn is_fast_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{B7}'
            | '\u{AB}'
            | '\u{BB}'
            | '\u{A9}'
            | '\u{D7}'
            | '\u{2010}'
            | '\u{2013}'..='\u{2016}'
            | '\u{2018}'..='\u{2022}'
            | '\u{20B8}'
            | '\u{3001}'..='\u{3002}'
            | '\u{3008}'..='\u{3011}'
    )
}

/// The NFKC form of `c` when it is one character that does not depend on its neighbours and is
/// cheap to know: ASCII, Cyrillic, Han, common punctuation and spaces, full-width ASCII. The
/// ranges are checked against the real normaliser, character by character, in the tests below.
fn fast_nfkc(c: char) -> Option<char> {
    match c {
        '\0'..='\u{7F}' | '\u{400}'..='\u{4FF}' | '\u{4E00}'..='\u{9FFF}' => Some(c),
        c if is_fast_punctuation(c) => Some(c),
        // Spaces NFKC makes a plain space: sections keep their whitespace raw, and a no-break
        // space (`&nbsp;`) would otherwise send its section to the normaliser.
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Some(' '),
        // Full-width ASCII: NFKC maps U+FF01..U+FF5E to U+0021..U+007E.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// Lowercases and folds one NFKC character into `out`.
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(lower) = cyrillic_lower(c) {
        if let Some(folded) = fold_lower(lower) {
            out.push(folded);
        }
        return;
    }
    for lower in c.to_lowercase() {
        if let Some(folded) = fold_lower(lower) {
            out.push(folded);
        }
    }
}

/// The folding of the Cyrillic character (U+0400–U+04FF, NFKC-stable one by one) whose UTF-8
/// bytes start at `i`, from [`FOLDED_CYRILLIC`]; `None` for any other character and for the one
/// Cyrillic letter the table leaves to the general path.
#[inline]
pub(super) fn cyrillic_folded_at(bytes: &[u8], i: usize) -> Option<char> {
    match (bytes[i], bytes.get(i + 1)) {
        (lead @ 0xD0..=0xD3, Some(&next @ 0x80..=0xBF)) => {
            let folded = FOLDED_CYRILLIC[usize::from(lead & 0x03) << 6 | usize::from(next & 0x3F)];
            (folded != '\0').then_some(folded)
        }
        _ => None,
    }
}

/// [`push_folded`] of U+0400 + index, where that is one character from [`cyrillic_lower`] and
/// [`fold_lower`] (pinned by a test); `'\0'` where `cyrillic_lower` has no answer.
static FOLDED_CYRILLIC: [char; 256] = {
    let mut table = ['\0'; 256];
    let mut k = 0;
    while k < 256 {
        if let Some(c) = char::from_u32(0x400 + k as u32)
            && let Some(lower) = cyrillic_lower(c)
            && let Some(folded) = fold_lower(lower)
        {
            table[k] = folded;
        }
        k += 1;
    }
    table
};

/// Lowercase of a Cyrillic character without a table search (pinned to `char::to_lowercase`
/// over the whole block by a test). `None` outside U+0400..U+04FF.
const fn cyrillic_lower(c: char) -> Option<char> {
    let u = c as u32;
    let lower = match u {
        0x400..=0x40F => u + 0x50,
        0x410..=0x42F => u + 0x20,
        0x4C0 => 0x4CF,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x4FF => u + (u.is_multiple_of(2) as u32),
        0x4C1..=0x4CE => u + (!u.is_multiple_of(2) as u32),
        0x430..=0x45F | 0x482..=0x489 => u,
        _ => return None,
    };
    char::from_u32(lower)
}

/// The folding of one lowercase character; `None` drops it.
const fn fold_lower(c: char) -> Option<char> {
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
    fn fast_paths_agree_with_the_real_tables() {
        use unicode_normalization::UnicodeNormalization;
        for u in 0..=0x10FFFF {
            let Some(c) = char::from_u32(u) else { continue };
            if let Some(fast) = super::fast_nfkc(c) {
                let real: String = c.to_string().nfkc().collect();
                assert_eq!(real, fast.to_string(), "NFKC of U+{u:04X}");
                let qc = unicode_normalization::is_nfkc_quick(std::iter::once(fast));
                assert_eq!(
                    qc,
                    unicode_normalization::IsNormalized::Yes,
                    "U+{u:04X} is stable"
                );
            }
            if let Some(lower) = super::cyrillic_lower(c) {
                assert_eq!(lower.to_string(), c.to_lowercase().to_string(), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn plain_characters_are_those_folding_keeps() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            let plain = matches!(c, '\0'..='\x7F' | 'а'..='я' | '\u{4E00}'..='\u{9FFF}');
            let want = if plain { text.len() } else { 0 };
            assert_eq!(
                super::plain_len(text.as_bytes(), 0),
                want,
                "U+{:04X}",
                c as u32
            );
            if plain {
                assert_eq!(super::slow_fold(&text), text.to_ascii_lowercase());
            }
        }
    }

    #[test]
    fn fast_folding_agrees_with_the_normaliser() {
        for u in 0..=0xFFFF {
            let Some(c) = char::from_u32(u) else { continue };
            let text = format!("Ab{c}Яz{c}");
            assert_eq!(fold(&text), super::slow_fold(&text), "U+{u:04X}");
        }
    }

    /// Folding into a buffer appends to what it holds, also when a character sends the text
    /// to the normaliser after a part was already folded.
    #[test]
    fn ascii_end_finds_the_first_non_ascii_byte() {
        for len in 0..40 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xD0;
                }
                for from in 0..=at {
                    assert_eq!(super::ascii_end(&bytes, from), at, "{len} {at} {from}");
                }
            }
        }
    }

    /// The Cyrillic table gives what folding one character at a time gives, for every entry
    /// it fills; one entry is left to the general path.
    #[test]
    fn cyrillic_table_agrees_with_push_folded() {
        let mut left = 0;
        for u in 0x400..=0x4FF {
            let Some(c) = char::from_u32(u) else { continue };
            let text = c.to_string();
            match super::cyrillic_folded_at(text.as_bytes(), 0) {
                Some(folded) => {
                    let mut want = String::new();
                    super::push_folded(c, &mut want);
                    assert_eq!(folded.to_string(), want, "U+{u:04X}");
                }
                None => left += 1,
            }
        }
        assert_eq!(left, 1);
        assert_eq!(super::cyrillic_folded_at("a".as_bytes(), 0), None);
        assert_eq!(super::cyrillic_folded_at("\u{500}".as_bytes(), 0), None);
    }

    /// Folding one character by itself gives what [`fold`] gives for that character alone,
    /// wherever it does not defer to the normaliser; it defers for no character of the fast
    /// path's set (so Cyrillic, Han and common punctuation never leave the one-pass tokenizer).
    #[test]
    fn fold_char_at_agrees_with_fold() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}");
            match super::fold_char_at(&text, 1) {
                Some((folded, width)) => {
                    assert_eq!(width, c.len_utf8(), "U+{:04X}", c as u32);
                    let want = fold(&c.to_string());
                    assert_eq!(folded.map(String::from).unwrap_or_default(), want);
                }
                None => assert!(
                    super::fast_nfkc(c).is_none()
                        && super::cyrillic_folded_at(text.as_bytes(), 1).is_none(),
                    "U+{:04X} is on the fast path",
                    c as u32
                ),
            }
        }
    }

    #[test]
    fn fold_into_appends() {
        for text in ["Abc Яz 中", "Abc e\u{301} Я", "ﬁ", ""] {
            let mut out = String::from("kept ");
            super::fold_into(text, &mut out);
            assert_eq!(out, format!("kept {}", super::slow_fold(text)), "{text:?}");
        }
    }

    #[test]
    fn final_sigma_is_lowercased_per_character() {
        // Whole-string lowercasing would give 'ς'; the browser lowercases per character too.
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
    }
}
