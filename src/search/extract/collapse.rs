//! Text collapsing for [`super`]: pieces of HTML text in, one line of words out.
//!
//! Whitespace runs become one space as text arrives, and character references are decoded in
//! the same pass, so a section's text is final when the section ends (but for one trailing
//! space, dropped by [`end_text`]).

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
            i += 1;
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
            word = i + width;
        }
        i += width;
    }
    out.push_str(&text[word..]);
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
