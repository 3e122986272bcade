//! Text collapsing for [`super`]: pieces of HTML text in, one line of words out.
//!
//! Whitespace runs become one space as text arrives, and character references are decoded in
//! the same pass, so a heading's text is final when the heading ends (but for one trailing
//! space, dropped by [`end_text`]). Section bodies stay raw ([`super::Section::text`]).

use super::super::entities::reference;

/// Appends `text` to `out`, a text collapsed so far, keeping it collapsed: a whitespace run
/// becomes one space, none at the start. Appending every piece of a text and then
/// [`end_text`] gives `split_whitespace` joined by single spaces (pinned by a test), in one pass
/// and without a copy of the raw text. Whitespace as `char::is_whitespace`.
pub(super) fn push_collapsed(out: &mut String, text: &str) {
    collapse::<false>(out, text);
}

/// [`push_collapsed`] of HTML text with its character references decoded: the same as
/// `entities::decode_with(text, |piece| push_collapsed(out, piece))` (pinned by a test), in the
/// same pass that looks for whitespace.
pub(super) fn push_text(out: &mut String, text: &str) {
    collapse::<true>(out, text);
}

fn collapse<const DECODE: bool>(out: &mut String, text: &str) {
    let stops = if DECODE { &STOP_TEXT } else { &MAY_START_SPACE };
    let bytes = text.as_bytes();
    // Start of the text not yet copied: a word, or nothing but whitespace before `i`.
    let mut word = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes cannot start whitespace, and one space between two words stays as it is
        // (copied with the words around it): step over both in one tight loop.
        let b = bytes[i];
        if !stops[b as usize] {
            i += 1 + clear_bytes(&bytes[i + 1..]);
            continue;
        }
        if b == b' ' && i > word && bytes.get(i + 1).is_some_and(|&b| !stops[b as usize]) {
            i += 2;
            continue;
        }
        if DECODE && b == b'&' {
            out.push_str(&text[word..i]);
            match reference(&text[i..]) {
                Some((c, len)) => {
                    collapse::<false>(out, c.encode_utf8(&mut [0; 4]));
                    i += len;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            }
            word = i;
            continue;
        }
        let (space, width) = whitespace_at(text, i);
        if space {
            out.push_str(&text[word..i]);
            // The only space `out` can end with is one this pushed.
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            // The ASCII whitespace after it adds nothing (a line break and indentation
            // between tags, most of a page's text items): stepped over in one loop.
            i += width + ascii_space_run(&bytes[i + width..]);
            word = i;
            continue;
        }
        i += width;
    }
    out.push_str(&text[word..]);
}

/// How many bytes at the start of `bytes` are ASCII whitespace (tab to carriage return and
/// space, what [`whitespace_at`] calls whitespace among ASCII bytes).
#[inline]
fn ascii_space_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !matches!(b, b'\t'..=b'\r' | b' '))
        .unwrap_or(bytes.len())
}

/// How many bytes at the start of `bytes` surely are in neither stop table: eight at a time
/// while a word of eight holds none of the stop bytes (tab to carriage return, space, `&`,
/// `C2`, `E0`–`E3`; control bytes below tab and `E0` count as stops here, which only means
/// the caller looks at them), then up to the first such byte of the last word looked at
/// (pinned by a test). Cyrillic and Han words are long: this reads them a word at a time.
fn clear_bytes(bytes: &[u8]) -> usize {
    use crate::swar::{below, equal};
    crate::swar::first_flagged(bytes, 0, |x| {
        below(x, 0x0E)
            | equal(x, 0x20)
            | equal(x, 0x26)
            | equal(x, 0xC2)
            | equal(x & 0xFCFC_FCFC_FCFC_FCFC, 0xE0)
    })
}

/// [`MAY_START_SPACE`] and `&`, which starts a character reference.
static STOP_TEXT: [bool; 256] = {
    let mut table = MAY_START_SPACE;
    table[b'&' as usize] = true;
    table
};

/// The bytes [`whitespace_at`] looks at: everything else steps over a byte inside a word.
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    table
};

/// Drops the one space [`push_collapsed`] may leave at the end.
pub(super) fn end_text(text: &mut String) {
    if text.ends_with(' ') {
        text.pop();
    }
}

/// Whether the character at byte `i` is whitespace, and how many bytes to step. Only ASCII and
/// the lead bytes of U+0085/U+00A0 (0xC2), U+1680 (0xE1), U+2000–U+205F (0xE2) and U+3000
/// (0xE3) can start whitespace; any other byte steps one byte, inside a word.
fn whitespace_at(text: &str, i: usize) -> (bool, usize) {
    match text.as_bytes()[i] {
        b'\t'..=b'\r' | b' ' => (true, 1),
        0xC2 | 0xE1 | 0xE2 | 0xE3 => match text[i..].chars().next() {
            Some(c) => (c.is_whitespace(), c.len_utf8()),
            None => (false, 1),
        },
        _ => (false, 1),
    }
}

#[cfg(test)]
mod tests {
    /// Collapses `text` fed in pieces of `step` characters.
    fn collapse_in_pieces(text: &str, step: usize) -> String {
        let mut out = String::new();
        let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(step).collect();
        bounds.push(text.len());
        for w in bounds.windows(2) {
            super::push_collapsed(&mut out, &text[w[0]..w[1]]);
        }
        super::end_text(&mut out);
        out
    }

    /// The word-at-a-time scan stops at or before the first byte of either stop table, for
    /// every byte at every place of a word and beyond it.
    #[test]
    fn clear_bytes_stops_at_the_first_stop() {
        for b in 0..=255u8 {
            for len in 0..20 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    for filler in [b'a', 0xD0, 0xB0, 0xE4] {
                        bytes
                            .iter_mut()
                            .enumerate()
                            .filter(|(k, _)| *k != at)
                            .for_each(|(_, x)| *x = filler);
                        let first = bytes
                            .iter()
                            .position(|&x| {
                                super::STOP_TEXT[x as usize] || super::MAY_START_SPACE[x as usize]
                            })
                            .unwrap_or(len);
                        let got = super::clear_bytes(&bytes);
                        assert!(got <= first, "{b:#x} at {at} of {len}, {filler:#x}");
                        // Only bytes it counts as stops end it early.
                        let stop =
                            |x: u8| x < 0x0E || matches!(x, 0x20 | 0x26 | 0xC2 | 0xE0..=0xE3);
                        let want = bytes.iter().position(|&x| stop(x)).unwrap_or(len);
                        // A tail shorter than a word is left to the caller.
                        assert_eq!(got, want.min(len - len % 8), "{b:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    /// The ASCII whitespace run ends at the first byte `whitespace_at` does not call
    /// whitespace or that is not ASCII, for every byte after runs of every length.
    #[test]
    fn ascii_space_run_ends_where_whitespace_ends() {
        for b in 0..=255u8 {
            for len in 0..12 {
                let mut bytes: Vec<u8> = b" \t\n\r\x0b\x0c"
                    .iter()
                    .copied()
                    .cycle()
                    .take(len)
                    .collect();
                bytes.extend([b, b' ']);
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let want = (0..text.len())
                    .find(|&i| text.as_bytes()[i] >= 0x80 || !super::whitespace_at(&text, i).0)
                    .unwrap_or(text.len());
                assert_eq!(
                    super::ascii_space_run(text.as_bytes()),
                    want,
                    "{b:#x} after {len}"
                );
            }
        }
    }

    #[test]
    fn collapse_agrees_with_split_whitespace() {
        let texts = vec![
            String::new(),
            "  a  b\t\nc ".into(),
            "x\u{a0}y\u{85}z\u{3000}充值\u{2003}w\u{202f}v\u{205f}u\u{1680}t".into(),
            "é\u{c2a0}ü — 。、「」 \u{b}\u{c}\r".into(),
            "\u{2028}line\u{2029}".into(),
            " ; : , ".into(),
        ];
        for text in &texts {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for step in [1, 2, 3, text.len().max(1)] {
                assert_eq!(collapse_in_pieces(text, step), want, "{text:?} by {step}");
            }
        }
        // Every character at both ends, alone and in a run between words, and beside a space.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("{c}a{c}{c}b {c}");
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for step in [1, text.len()] {
                assert_eq!(collapse_in_pieces(&text, step), want, "{text:?} by {step}");
            }
        }
    }

    /// Decoding while collapsing gives what decoding first and collapsing the pieces gives, for
    /// references beside every character (a text item reaches it whole: a reference is never
    /// split).
    #[test]
    fn push_text_agrees_with_decoding_then_collapsing() {
        let general = |text: &str| {
            let mut out = String::new();
            crate::search::entities::decode_with(text, |piece| {
                super::push_collapsed(&mut out, piece)
            });
            super::end_text(&mut out);
            out
        };
        let fast = |text: &str| {
            let mut out = String::new();
            super::push_text(&mut out, text);
            super::end_text(&mut out);
            out
        };
        let texts = [
            "a &amp; b&nbsp;&nbsp; c &#32;d&#x20; &#10;e &bogus; & &&amp; &lt;&gt; x &#1178;",
            "&nbsp;lead and trail&nbsp;",
            "  два  слова\u{a0}&nbsp; 中文 &shy;x",
        ];
        for text in texts {
            assert_eq!(fast(text), general(text), "{text:?}");
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("{c}a &amp;{c} {c}{c}b&#32;{c} x&nbsp;{c}&{c}");
            assert_eq!(fast(&text), general(&text), "{text:?}");
        }
    }
}
