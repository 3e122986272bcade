//! Folding and tokenizing in one pass, for [`super`]: raw text in, the tokens of its folded
//! text out, with no folded copy of the text; text whose folding needs the normaliser is left
//! to [`super::for_each_token`] of [`crate::search::normalize::fold_into`].

use super::{ASCII_CLASS, Class, Run, class, flush, han_end};
use crate::search::normalize::{
    cyrillic_folded_at, fold_char_at, is_fast_punctuation, is_main_han_at, is_small_cyrillic_at,
};

/// A character [`for_each_folded_token`] leaves to the normaliser: the text must be folded
/// first ([`super::normalize::fold_into`], then [`for_each_token`]).
#[derive(Debug, PartialEq, Eq)]
pub struct NeedsNormalizer;

/// [`super::for_each_token`] of [`super::fold`] of `text`, in one pass and without a folded copy: a run that
/// folding leaves as it is (lowercase ASCII, `а`–`я`, Han of the main block) is emitted from
/// `text` itself; a run with a character that folds to another (capitals, Kazakh letters,
/// typographic apostrophes) is copied, folded, into `scratch` first. Folding is per character
/// on this path, so a run's folded text is its characters' foldings and runs are split where
/// the folded characters' classes say (pinned to [`for_each_token`] of [`fold`] over every
/// code point by a test).
///
/// `Err(NeedsNormalizer)` when a character's folding is not known without its neighbours (see
/// `normalize::fold_char_at`); the tokens emitted before it are then only part of the text's,
/// and the caller starts over on the folded text.
pub fn for_each_folded_token(
    text: &str,
    scratch: &mut String,
    mut emit: impl FnMut(&str),
) -> Result<(), NeedsNormalizer> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (class, width, folded) = match bytes[i] {
            b @ 0..=0x7F => (
                ASCII_CLASS[b as usize],
                1,
                b.is_ascii_uppercase().then_some((b | 0x20) as char),
            ),
            _ if is_small_cyrillic_at(bytes, i) => (Class::Word, 2, None),
            _ if is_main_han_at(bytes, i) => (Class::Han, 3, None),
            _ => match fold_char_at(text, i).ok_or(NeedsNormalizer)? {
                // Dropped: neither part of a run nor a separator.
                (None, width) => {
                    i += width;
                    continue;
                }
                (Some(c), width) => (folded_class(c), width, Some(c)),
            },
        };
        if class == Class::Separator {
            i += width;
            continue;
        }
        let mut run = Folding {
            run: Run {
                class: class.run(),
                start: i,
                joined: class == Class::Joiner,
            },
            copied: None,
        };
        if let Some(c) = folded {
            run.change(text, scratch, i, width, Some(c));
        }
        i += width;
        i = match run.run.class {
            Class::Word => run.word_end(text, scratch, i)?,
            _ => run.han_end(text, scratch, i)?,
        };
        match run.copied {
            Some(copied) => {
                scratch.push_str(&text[copied..i]);
                flush(run.run, scratch, &mut emit);
            }
            None => flush(run.run, &text[run.run.start..i], &mut emit),
        }
    }
    Ok(())
}

/// A run being read by [`for_each_folded_token`].
struct Folding {
    run: Run,
    /// Once a character of the run folds to another: where the text not yet copied into the
    /// scratch buffer starts.
    copied: Option<usize>,
}

impl Folding {
    /// Puts the folding `folded` of the `width` bytes at `i` in place of them, copying the run's
    /// text before them into `scratch` (emptied when the run's first change comes).
    #[inline]
    fn change(
        &mut self,
        text: &str,
        scratch: &mut String,
        i: usize,
        width: usize,
        folded: Option<char>,
    ) {
        let from = match self.copied {
            Some(from) => from,
            None => {
                scratch.clear();
                self.run.start
            }
        };
        scratch.push_str(&text[from..i]);
        if let Some(c) = folded {
            scratch.push(c);
        }
        self.copied = Some(i + width);
    }

    /// Where the word run from byte `i` on ends, the run's foldings noted.
    #[inline]
    fn word_end(
        &mut self,
        text: &str,
        scratch: &mut String,
        mut i: usize,
    ) -> Result<usize, NeedsNormalizer> {
        let bytes = text.as_bytes();
        while i < bytes.len() {
            match bytes[i] {
                b @ 0..=0x7F => match ASCII_CLASS[b as usize] {
                    Class::Word if b.is_ascii_uppercase() => {
                        self.change(text, scratch, i, 1, Some((b | 0x20) as char));
                        i += 1;
                    }
                    // At least this byte, and most often the rest of an English word.
                    Class::Word => i += plain_ascii_run(&bytes[i..]),
                    Class::Joiner => {
                        self.run.joined = true;
                        i += 1;
                    }
                    _ => break,
                },
                _ if is_small_cyrillic_at(bytes, i) => i = small_cyrillic_end(bytes, i + 2),
                _ if is_main_han_at(bytes, i) => break,
                // Capitals and Kazakh letters: to `а`–`я` (or another word character).
                _ if let Some(c @ 'а'..='я') = cyrillic_folded_at(bytes, i) => {
                    self.change(text, scratch, i, 2, Some(c));
                    i += 2;
                }
                _ => {
                    let (folded, width) = fold_char_at(text, i).ok_or(NeedsNormalizer)?;
                    if let Some(c) = folded {
                        match folded_class(c) {
                            Class::Word => {}
                            Class::Joiner => self.run.joined = true,
                            _ => break,
                        }
                    }
                    self.change(text, scratch, i, width, folded);
                    i += width;
                }
            }
        }
        Ok(i)
    }

    /// Where the Han run from byte `i` on ends, the run's foldings (dropped characters) noted.
    #[inline]
    fn han_end(
        &mut self,
        text: &str,
        scratch: &mut String,
        mut i: usize,
    ) -> Result<usize, NeedsNormalizer> {
        let bytes = text.as_bytes();
        loop {
            i = han_end(bytes, i);
            if i == bytes.len() || bytes[i] < 0x80 || is_small_cyrillic_at(bytes, i) {
                return Ok(i);
            }
            let (folded, width) = fold_char_at(text, i).ok_or(NeedsNormalizer)?;
            match folded.map(folded_class) {
                None => self.change(text, scratch, i, width, None),
                // Only the main block is Han on this path: other Han goes to the normaliser.
                Some(Class::Han) => return Err(NeedsNormalizer),
                Some(_) => return Ok(i),
            }
            i += width;
        }
    }
}

/// [`class`] of a folded character, with the punctuation folding keeps (mostly Russian
/// quotes and dashes) known without the Unicode tables (pinned to `class` by a test).
#[inline]
fn folded_class(c: char) -> Class {
    if ('а'..='я').contains(&c) {
        Class::Word
    } else if is_fast_punctuation(c) {
        Class::Separator
    } else {
        class(c)
    }
}

/// Where the `а`–`я` from byte `i` on end (as [`is_small_cyrillic_at`] reads them, pinned by a
/// test), two bytes at a time: most of a Russian or Kazakh word.
#[inline]
fn small_cyrillic_end(bytes: &[u8], mut i: usize) -> usize {
    // Four letters at a time first: a pair is `D0 B0`–`D0 BF` or `D1 80`–`D1 8F`, i.e. its
    // bits under `F0FF` are `B0D0`, less `2FFF` when the lead's low bit is set (`80D1`).
    const MASK: u64 = 0xF0FF_F0FF_F0FF_F0FF;
    const LOW_BITS: u64 = 0x0001_0001_0001_0001;
    const SMALL_A: u64 = 0xB0D0_B0D0_B0D0_B0D0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) & MASK;
        // Per 16-bit lane 0 or 0x2FFF, less than 0xB0D0: no lane borrows from the next. A lane
        // differs from what a letter would be exactly where the pair is not one.
        let off = x ^ (SMALL_A - (x & LOW_BITS) * 0x2FFF);
        if off != 0 {
            return i + 2 * (off.trailing_zeros() / 16) as usize;
        }
        i += 8;
    }
    while let Some(&[a, b]) = bytes.get(i..i + 2) {
        match u16::from_le_bytes([a, b]) & 0xF0FF {
            0xB0D0 | 0x80D1 => i += 2,
            _ => break,
        }
    }
    i
}

/// How many bytes at the start of `bytes` are lowercase ASCII letters or digits: word
/// characters that fold to themselves. Eight at a time (pinned to the byte-by-byte rule by a
/// test).
#[inline]
fn plain_ascii_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Seven bits per byte, so adding at most 0x80 never carries into the next byte: the
        // top bit of `low + 0x80 - c` is set where the byte is `c` or above.
        let low = x & !HIGH;
        let at_least = |c: u8| (low + ONES * u64::from(0x80 - c)) & HIGH;
        let plain = !x & (at_least(b'a') & !at_least(b'{') | at_least(b'0') & !at_least(b':'));
        let stops = !plain & HIGH;
        if stops != 0 {
            return n + (stops.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    let tail = &bytes[n..];
    n + tail
        .iter()
        .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit()))
        .unwrap_or(tail.len())
}

#[cfg(test)]
mod tests {
    /// Folding and splitting in one pass gives the tokens of splitting the folded text, for
    /// every character in runs of every kind (capitals, Kazakh letters, Han, joiners, dropped
    /// characters beside them), whenever it does not leave the text to the normaliser; and it
    /// leaves it for no text that folding keeps on its fast path.
    #[test]
    fn one_pass_agrees_with_folding_then_splitting() {
        let mut scratch = String::new();
        let mut check = |text: &str| {
            let mut fast = Vec::new();
            let result =
                super::for_each_folded_token(text, &mut scratch, |t| fast.push(t.to_owned()));
            match result {
                Ok(()) => assert_eq!(fast, crate::search::tokens(text), "{text:?}"),
                Err(_) => assert!(
                    text.chars().any(
                        |c| crate::search::normalize::fold_char_at(&c.to_string(), 0).is_none()
                            && !c.is_ascii()
                    ),
                    "{text:?} left to the normaliser"
                ),
            }
        };
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            check(&format!("{c}a{c}B-{c}.x中{c}{c} Қ{c}Ы{c}文\u{AD}{c}'s"));
            check(&format!("сл{c}ово {c}яя{c}а{c} аб{c}"));
            check(&format!(
                "{c}Ab{c}ЯЗ{c}\u{200B}{c} 中{c}中 Kaspi.{c}kz {c}-"
            ));
        }
        for text in [
            "Kaspi.kz, *111# и SIM-карта — Қызмет «Нөмірі» don’t x‐y",
            "попол\u{AD}не\u{301}ние",
            "中\u{AD}文 电子SIM卡 ＩＭＥＩ ＳＩＭ卡",
            "",
            "   ",
            &"A".repeat(70),
        ] {
            check(text);
        }
    }

    /// The eight-at-a-time run of lowercase letters and digits ends where the byte-by-byte
    /// rule ends, for every byte at every place of runs of every length.
    #[test]
    fn plain_ascii_run_agrees_with_bytes() {
        for b in 0..=255u8 {
            for len in 1..=20 {
                for at in 0..len {
                    for filler in [b'a', b'z', b'0', b'9'] {
                        let mut bytes = vec![filler; len];
                        bytes[at] = b;
                        let want = bytes
                            .iter()
                            .position(|x| !(x.is_ascii_lowercase() || x.is_ascii_digit()))
                            .unwrap_or(len);
                        let got = super::plain_ascii_run(&bytes);
                        assert_eq!(got, want, "{b:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    /// The punctuation folding keeps is neither Han, a word character nor a joiner.
    #[test]
    fn folded_class_agrees_with_class() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                super::folded_class(c),
                super::super::class(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    /// The four-letter and two-byte loops end where `is_small_cyrillic_at` ends, for every
    /// pair of bytes at every place of a run of letters (first, last and inner ones of the
    /// range), from an even and an odd start.
    #[test]
    fn small_cyrillic_end_agrees_with_is_small_cyrillic_at() {
        let letters: Vec<u8> = "аряпоб".repeat(2).into_bytes();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for at in 0..letters.len() / 2 {
                    let mut bytes = letters.clone();
                    bytes[2 * at] = a;
                    bytes[2 * at + 1] = b;
                    for start in [0, 1, 2] {
                        let mut want = start;
                        while want < bytes.len()
                            && crate::search::normalize::is_small_cyrillic_at(&bytes, want)
                        {
                            want += 2;
                        }
                        let got = super::small_cyrillic_end(&bytes, start);
                        assert_eq!(got, want, "{a:#x} {b:#x} at {at} from {start}");
                    }
                }
            }
        }
    }
}
