//! Eight bytes at a time in a `u64` ("SIMD within a register"), for escapers that copy long
//! runs of text in which only a few byte values need work.
//!
//! Each test returns a mask with the top bit set in the lane of the first byte it looks for;
//! lanes above that one may be flagged falsely (a borrow runs upwards), so a non-zero mask only
//! says "look at these eight bytes one by one".

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The little-endian word of the eight bytes of `bytes` at `i`, if there are eight.
#[inline]
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The index of the first byte from `i` on that `flags` flags, read eight bytes at a time, or
/// where fewer than eight bytes are left: the bytes before it need no look. (The lowest flagged
/// lane of a word is always a true one.)
#[inline]
pub(crate) fn first_flagged(bytes: &[u8], mut i: usize, flags: impl Fn(u64) -> u64) -> usize {
    while let Some(word) = word_at(bytes, i) {
        let flagged = flags(word);
        if flagged != 0 {
            return i + (flagged.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Flags the bytes of `word` equal to `byte`: `(x - 0x01…) & !x & 0x80…` is non-zero exactly
/// when `x` has a zero byte.
#[inline]
pub(crate) fn equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH
}

/// Flags the bytes of `word` below `n` (`n` at most 0x80).
#[inline]
pub(crate) fn below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH
}

#[cfg(test)]
mod tests {
    /// Each test finds its byte in every lane, and a word without it gives no flag.
    #[test]
    fn the_tests_flag_exactly_their_bytes_in_every_lane() {
        for filler in [b'a', 0x80, 0xFF] {
            for lane in 0..8 {
                for byte in 0u8..=255 {
                    let mut word = [filler; 8];
                    word[lane] = byte;
                    let word = u64::from_le_bytes(word);
                    for target in [b'"', b'&', 0xE2, 0] {
                        let want = byte == target || filler == target;
                        assert_eq!(super::equal(word, target) != 0, want);
                    }
                    for n in [1, 0x20, 0x61, 0x80].into_iter().filter(|&n| filler >= n) {
                        assert_eq!(super::below(word, n) != 0, byte < n, "{byte} < {n}");
                    }
                }
            }
        }
        assert_eq!(super::word_at(b"1234567", 0), None);
        let quote = |w| super::equal(w, b'"');
        assert_eq!(super::first_flagged(b"0123456789\"bcdefgh\"", 1, quote), 10);
        assert_eq!(super::first_flagged(b"0123456789abc\"", 0, quote), 8);
        assert_eq!(super::word_at(b"x12345678", 1), Some(0x3837_3635_3433_3231));
    }
}
