//! Compact text encodings for the index files: JavaScript string literals and posting lists.
//!
//! Index files are classic scripts (they must load from `file://`), so everything is written as
//! JavaScript literals. Posting lists are strings over a 64-letter alphabet that needs no escaping,
//! decoded by `decodePostings` in `search.js`.

use super::rank::LEVELS;

/// The alphabet of posting strings: letters 0–31 end a number, 32–63 continue it.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `s` as a JSON/JavaScript double-quoted string literal.
pub fn push_str_lit(out: &mut String, s: &str) {
    out.push('"');
    // Copy runs of plain text whole; only `"`, `\`, controls and U+2028/U+2029 need escapes
    // (the last two start with byte 0xE2, rare enough to check per occurrence). Eight bytes
    // are looked at at once: snippets, the bulk of the index, rarely hold any of these.
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    loop {
        i = crate::swar::first_flagged(bytes, i, needs_look);
        let at = i;
        let Some(&b) = bytes.get(at) else { break };
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' && b != 0xE2 {
            continue;
        }
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            0xE2 if s[at..].starts_with('\u{2028}') => "\\u2028",
            0xE2 if s[at..].starts_with('\u{2029}') => "\\u2029",
            0xE2 => continue,
            _ => {
                out.push_str(&s[plain..at]);
                out.push_str(&format!("\\u{b:04x}"));
                plain = i;
                continue;
            }
        };
        out.push_str(&s[plain..at]);
        out.push_str(escape);
        if b == 0xE2 {
            i += 2;
        }
        plain = i;
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

/// Flags the bytes of `word` that [`push_str_lit`] must look at.
#[inline]
fn needs_look(word: u64) -> u64 {
    use crate::swar::{below, equal};
    below(word, 0x20) | equal(word, b'"') | equal(word, b'\\') | equal(word, 0xE2)
}

/// Appends `n` in base 32, most significant digit first; every digit but the last is shifted into
/// the continuation half of the alphabet.
pub fn push_varint(out: &mut String, n: u32) {
    let (letters, len) = varint_letters(n);
    letters[..len].iter().for_each(|&b| out.push(char::from(b)));
}

/// [`push_varint`] into bytes (posting lists are built as bytes: pushing a `char` onto a
/// `String` checks its UTF-8 length every time).
fn push_varint_bytes(out: &mut Vec<u8>, n: u32) {
    // One letter: a posting on the very next document, most of a frequent term's list.
    if n < 32 {
        out.push(ALPHABET[n as usize]);
        return;
    }
    // Two letters: a gap under 32 documents, most of the rest.
    if n < 32 * 32 {
        out.extend_from_slice(&[
            ALPHABET[32 + (n >> 5) as usize],
            ALPHABET[(n & 31) as usize],
        ]);
        return;
    }
    let (letters, len) = varint_letters(n);
    out.extend_from_slice(&letters[..len]);
}

/// The letters of `n` in base 32 (the first `len` of the array), most significant first.
fn varint_letters(n: u32) -> ([u8; 7], usize) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    let mut v = n;
    loop {
        digits[len] = (v & 31) as u8;
        len += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    let mut letters = [0u8; 7];
    for (i, k) in (0..len).rev().enumerate() {
        let continuation = if k > 0 { 32 } else { 0 };
        letters[i] = ALPHABET[(digits[k] + continuation) as usize];
    }
    (letters, len)
}

/// One posting, `(doc, level)`, packed as the posting lists encode it: `doc × 32 + level − 1`
/// (levels 1–31). Half the bytes of the pair, which the index moves around several times.
/// Document ids stay far below 2²⁷ (a language would need 134 million sections).
pub fn posting(doc: u32, level: u8) -> u32 {
    (doc << 5) | u32::from(level.clamp(1, LEVELS) - 1)
}

/// Encodes a posting list: for each posting (see [`posting`]) in ascending doc order, one
/// varint of the gap to the previous doc (minus one) times 32 plus the level (1–31) minus one:
/// one letter for the next document (frequent terms' lists are full of those), two up to a
/// gap of 32, never more than a gap and a level letter each.
/// The list comes in runs (one per run of pages the index was built in), `len` postings in
/// all (for the buffer's size).
pub fn postings<'l>(runs: impl IntoIterator<Item = &'l [u32]>, len: usize) -> String {
    let mut out = Vec::with_capacity(len * 2);
    // The next document's id × 32: a posting minus this is the gap × 32 plus the level.
    let mut next = 0;
    for run in runs {
        for &p in run {
            push_varint_bytes(&mut out, p - next);
            next = (p | 31) + 1;
        }
    }
    // Letters of the alphabet only, so always UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{posting, postings, push_str_lit, push_varint, push_varint_bytes};

    #[test]
    fn varints_use_continuation_letters() {
        let mut s = String::new();
        for n in [0, 31, 32, 1025] {
            push_varint(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 V X0 XW1 ");
    }

    #[test]
    fn the_string_and_byte_forms_agree() {
        for n in (0..70_000).chain([u32::MAX / 3, u32::MAX - 1, u32::MAX]) {
            let (mut s, mut b) = (String::new(), Vec::new());
            push_varint(&mut s, n);
            push_varint_bytes(&mut b, n);
            assert_eq!(s.as_bytes(), b, "{n}");
        }
    }

    #[test]
    fn postings_are_gaps_and_levels() {
        // (0 << 5 | 4), (0 << 5 | 30), (38 << 5 | 0) = 4, 30, 38 × 32 + 0:
        // "4", "U", then "X" (1, continued), "c" (6, continued) and "0".
        let (first, second) = ([posting(0, 5), posting(1, 31)], [posting(40, 1)]);
        assert_eq!(postings([&first[..], &second[..]], 3), "4UXc0");
    }

    #[test]
    fn string_literals_escape_what_javascript_needs() {
        let mut s = String::new();
        push_str_lit(&mut s, "a\"b\\c\nd\u{2028}é\u{1}—\u{2029}");
        assert_eq!(s, "\"a\\\"b\\\\c\\nd\\u2028é\\u0001—\\u2029\"");
    }

    /// The rule one character at a time: what `push_str_lit` must write.
    fn str_lit_by_char(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// Every character that is escaped, beside its neighbours in the same first byte (`—`,
    /// `…`), at every place of strings long enough to be read eight bytes at a time, in plain
    /// text of one-, two- and three-byte characters.
    #[test]
    fn string_literals_agree_with_the_rule_at_every_place() {
        let special = [
            '"', '\\', '\n', '\u{1}', '\u{1f}', '\t', '\u{2028}', '\u{2029}', '—', '…', ' ', '~',
        ];
        let mut checked = 0;
        for filler in ['a', 'я', '中'] {
            for len in 0..20 {
                for at in 0..len {
                    for &c in &special {
                        for &d in &special {
                            let mut text: Vec<char> = vec![filler; len];
                            text[at] = c;
                            text[len - 1 - at] = d;
                            let text: String = text.into_iter().collect();
                            let mut ours = String::new();
                            push_str_lit(&mut ours, &text);
                            assert_eq!(ours, str_lit_by_char(&text), "{text:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 20_000);
    }
}
