//! Tokenizing by script: folded text in, surface tokens out (in text order).
//!
//! The same rules run in the browser (`tokenize` in `themes/default/static/search.js`) and are
//! pinned by `tests/tokenize-cases.json`, asserted on both sides.
//!
//! - **Han** (Chinese) has no spaces: every run of Han characters yields each character and each
//!   pair of neighbours (`c0, c0c1, c1, c1c2, …`). A query of two or more characters is looked up
//!   as its pairs, so any run of two or more characters inside a page finds it (续费 inside
//!   注册卡续费), and a single character finds every page with it.
//! - **Words** (letters and digits of every other script) are split at spaces and punctuation,
//!   except that a few joiners (`. - _ ' @ / + * # &`) keep a mixed term together: `kaspi.kz`,
//!   `*111#`, `sim-карта`. Such a compound is emitted as typed *and* as its plain parts
//!   (`kaspi`, `kz`), so either spelling finds it. Joiners at the edges are trimmed, except
//!   `* # +` which carry meaning there (`*111#`, `+7`).
//! - Tokens longer than [`MAX_TOKEN_CHARS`] characters (URLs, hashes) are dropped: nobody types them.

use super::normalize::{fold, is_main_han_at, is_small_cyrillic_at};

mod folded;
pub use folded::{NeedsNormalizer, for_each_folded_token};

/// Longest token kept, in characters.
pub const MAX_TOKEN_CHARS: usize = 64;

/// Han ideographs: the CJK Unified Ideographs blocks, extension A, compatibility ideographs and
/// the supplementary-plane extensions. Listed as ranges (not a Unicode script property) so the
/// browser's copy of the rule matches this one character for character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Letters and digits outside Han (Rust's `is_alphanumeric` = Unicode Alphabetic or Numeric,
/// the browser's `/[\p{Alphabetic}\p{N}]/u`). Folded text is mostly ASCII and lowercase
/// Cyrillic, so those skip the table search.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    ('а'..='я').contains(&c) || (c.is_alphanumeric() && !is_han(c))
}

/// Characters that join words into one compound term.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '.' | '-' | '_' | '\'' | '@' | '/' | '+' | '*' | '#' | '&'
    )
}

/// Joiners that stay at a compound's edges instead of being trimmed.
fn keeps_edge(c: char) -> bool {
    matches!(c, '*' | '#' | '+')
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Han,
    /// A letter or digit of a word.
    Word,
    /// A joiner: part of a word's run, and a sign that the run needs splitting.
    Joiner,
    Separator,
}

impl Class {
    /// The run a character of this class belongs to: joiners extend words.
    fn run(self) -> Class {
        match self {
            Class::Joiner => Class::Word,
            other => other,
        }
    }
}

fn class(c: char) -> Class {
    // Han first: it is neither a word character nor a joiner, and is most of Chinese text
    // (which would otherwise go through the Unicode Alphabetic table).
    if is_han(c) {
        Class::Han
    } else if is_word(c) {
        Class::Word
    } else if is_joiner(c) {
        Class::Joiner
    } else {
        Class::Separator
    }
}

/// [`class`] of every ASCII character, read by byte (pinned to `class` by a test): folded text
/// is mostly ASCII, and a table lookup spares decoding a `char` and three range tests.
static ASCII_CLASS: [Class; 128] = {
    let mut table = [Class::Separator; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() {
            Class::Word
        } else if matches!(
            c,
            b'.' | b'-' | b'_' | b'\'' | b'@' | b'/' | b'+' | b'*' | b'#' | b'&'
        ) {
            Class::Joiner
        } else {
            Class::Separator
        };
        b += 1;
    }
    table
};

/// The class of the character at byte `i` of `text` and its length in bytes.
#[inline]
fn class_at(text: &str, i: usize) -> (Class, usize) {
    let bytes = text.as_bytes();
    if let b @ 0..=0x7F = bytes[i] {
        return (ASCII_CLASS[b as usize], 1);
    }
    if is_small_cyrillic_at(bytes, i) {
        return (Class::Word, 2);
    }
    match text[i..].chars().next() {
        Some(c) => (class(c), c.len_utf8()),
        None => (Class::Separator, 1),
    }
}

/// A run of characters of one class being read.
#[derive(Clone, Copy)]
struct Run {
    class: Class,
    start: usize,
    /// Whether a joiner occurs in it: a word without one is its only token.
    joined: bool,
}

/// Calls `emit` with every token of already folded text, in text order.
pub fn for_each_token<'a>(folded: &'a str, mut emit: impl FnMut(&'a str)) {
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (class, width) = class_at(folded, i);
        if class == Class::Separator {
            i += width;
            continue;
        }
        let mut run = Run {
            class: class.run(),
            start: i,
            joined: class == Class::Joiner,
        };
        i += width;
        loop {
            i = match run.class {
                Class::Word => word_end(bytes, i, &mut run.joined),
                _ => han_end(bytes, i),
            };
            if i == bytes.len() {
                break;
            }
            let (class, width) = class_at(folded, i);
            if class.run() != run.class {
                break;
            }
            run.joined |= class == Class::Joiner;
            i += width;
        }
        flush(run, &folded[run.start..i], &mut emit);
    }
}

/// Where the Han characters U+4E00–U+9FFF from byte `i` on end, read from their lead bytes as
/// `normalize` reads them (pinned to [`class`] by the tests).
#[inline]
fn han_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_main_han_at(bytes, i) {
        i += 3;
    }
    i
}

/// Where the ASCII letters, digits and joiners and the `а`–`я` from byte `i` on end: most of a
/// word run, read in one tight loop (pinned to [`class`] by the tests); notes a joiner.
#[inline]
fn word_end(bytes: &[u8], mut i: usize, joined: &mut bool) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b @ 0..=0x7F => match ASCII_CLASS[b as usize] {
                Class::Word => i += 1,
                Class::Joiner => {
                    *joined = true;
                    i += 1;
                }
                _ => break,
            },
            _ if is_small_cyrillic_at(bytes, i) => i += 2,
            _ => break,
        }
    }
    i
}

fn flush<'a>(run: Run, text: &'a str, emit: &mut impl FnMut(&'a str)) {
    match run.class {
        Class::Han => han_run(text, emit),
        Class::Word if run.joined => word_span(text, emit),
        // No joiner: nothing to trim or split.
        Class::Word => emit_short(text, emit),
        Class::Joiner | Class::Separator => {}
    }
}

/// How many distinct tokens [`tokens`] gives of `text`, without a `String` per token: borrowed
/// from the folded text and counted in an FxHash set.
pub fn distinct_tokens(text: &str) -> usize {
    let folded = fold(text);
    let mut seen = super::fxhash::FastSet::<&str>::default();
    for_each_token(&folded, |t| {
        seen.insert(t);
    });
    seen.len()
}

/// The tokens of raw text: [`fold`], then [`for_each_token`]. For tests and small inputs.
pub fn tokens(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    for_each_token(&folded, |t| out.push(t.to_owned()));
    out
}

fn han_run<'a>(run: &'a str, emit: &mut impl FnMut(&'a str)) {
    // Each character, then the pair it starts (up to the end of the character after it). Widths
    // from lead bytes: a Han run holds only whole 3- and 4-byte characters.
    let bytes = run.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let next = start + utf8_width(bytes[start]);
        if next >= bytes.len() {
            emit(&run[start..]);
            break;
        }
        emit(&run[start..next]);
        emit(&run[start..next + utf8_width(bytes[next])]);
        start = next;
    }
}

/// The length of the UTF-8 character whose first byte is `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn word_span<'a>(span: &'a str, emit: &mut impl FnMut(&'a str)) {
    let trimmable = |c: char| is_joiner(c) && !keeps_edge(c);
    let term = span.trim_matches(trimmable);
    let mut parts = term.split(is_joiner).filter(|p| !p.is_empty());
    let Some(first) = parts.next() else { return };
    if first.len() == term.len() {
        emit_short(term, emit);
        return;
    }
    emit_short(term, emit);
    emit_short(first, emit);
    parts.for_each(|p| emit_short(p, emit));
}

fn emit_short<'a>(token: &'a str, emit: &mut impl FnMut(&'a str)) {
    // Byte length bounds the character count from above: skip counting for short tokens.
    if token.len() <= MAX_TOKEN_CHARS || token.chars().count() <= MAX_TOKEN_CHARS {
        emit(token);
    }
}

#[cfg(test)]
mod tests {
    use super::tokens;

    /// The distinct count is what `tokens` gives, deduplicated: repeats, case, `ё`, Kazakh
    /// letters typed either way, Han pairs, compounds and HTML as it comes.
    #[test]
    fn distinct_tokens_counts_what_tokens_gives_once() {
        for text in [
            "",
            "Top up top UP the balance; top-up",
            "Ёлка ёлка елка Сұр тізім сур тизим",
            "注册卡续费 续费 注册",
            "<p class=\"x\">Kaspi.kz *111# kaspi.kz</p>",
        ] {
            let all = tokens(text);
            let once: std::collections::BTreeSet<&String> = all.iter().collect();
            assert_eq!(super::distinct_tokens(text), once.len(), "{text}");
        }
    }

    #[test]
    fn han_runs_give_characters_and_pairs() {
        assert_eq!(tokens("续费"), ["续", "续费", "费"]);
        assert_eq!(tokens("注册，卡"), ["注", "注册", "册", "卡"]);
        assert_eq!(tokens("电子SIM卡"), ["电", "电子", "子", "sim", "卡"]);
    }

    /// Characters and pairs from lead-byte widths, as `char_indices` gives them, for every Han
    /// character beside the first and the last of the main block and of the supplementary planes.
    #[test]
    fn han_pairs_agree_with_char_indices() {
        let general = |run: &str| {
            let chars: Vec<&str> = run
                .char_indices()
                .map(|(i, c)| &run[i..i + c.len_utf8()])
                .collect();
            let mut out = Vec::new();
            for (k, c) in chars.iter().enumerate() {
                out.push(c.to_string());
                if let Some(next) = chars.get(k + 1) {
                    out.push(format!("{c}{next}"));
                }
            }
            out
        };
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| super::is_han(c))
        {
            for run in [format!("{c}"), format!("一{c}𠀀"), format!("{c}鿿{c}")] {
                let mut fast = Vec::new();
                super::han_run(&run, &mut |t: &str| fast.push(t.to_string()));
                assert_eq!(fast, general(&run), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn compounds_keep_the_whole_and_the_parts() {
        assert_eq!(tokens("Kaspi.kz."), ["kaspi.kz", "kaspi", "kz"]);
        assert_eq!(tokens("(*111*3#)"), ["*111*3#", "111", "3"]);
        assert_eq!(tokens("сим-карта"), ["сим-карта", "сим", "карта"]);
        assert_eq!(tokens("-- * # --"), Vec::<String>::new());
    }

    #[test]
    fn ascii_table_agrees_with_class() {
        for b in 0..128u8 {
            assert_eq!(
                super::ASCII_CLASS[b as usize],
                super::class(b as char),
                "{b}"
            );
        }
    }

    /// The general rule: runs by `class` char by char, every word run trimmed and split.
    fn general(folded: &str) -> Vec<&str> {
        use super::{Class, class, han_run, word_span};
        let mut out = Vec::new();
        let mut emit = |t| out.push(t);
        let mut run: Option<(Class, usize)> = None;
        let flush = |class, text, emit: &mut _| match class {
            Class::Han => han_run(text, emit),
            Class::Word => word_span(text, emit),
            _ => {}
        };
        for (i, c) in folded.char_indices() {
            let class = class(c).run();
            if run.is_some_and(|(current, _)| current == class) {
                continue;
            }
            if let Some((current, start)) = run {
                flush(current, &folded[start..i], &mut emit);
            }
            run = (class != Class::Separator).then_some((class, i));
        }
        if let Some((current, start)) = run {
            flush(current, &folded[start..], &mut emit);
        }
        out
    }

    /// The byte table and the joiner-free shortcut give what the general rule gives, for every
    /// character alone, inside a word, beside a joiner and beside Han.
    #[test]
    fn fast_paths_agree_with_the_general_rule() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("{c}a{c}b-{c}.x中{c}{c}");
            let mut fast = Vec::new();
            super::for_each_token(&text, |t| fast.push(t));
            assert_eq!(fast, general(&text), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "a".repeat(65);
        assert_eq!(tokens(&format!("x {long} y")), ["x", "y"]);
    }
}
