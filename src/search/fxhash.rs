//! A fast hash map for the site's own words.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map with a fast non-cryptographic hash (the FxHash multiply-rotate): keys are the
/// site's own words, not adversarial input, and SipHash was a third of the indexing time.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The set of [`FastMap`].
pub type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        // The tail in one step (tokens are short: this is most of a token's hashing).
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.add(u64::from_le_bytes(word) ^ ((tail.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A hasher for `u64` keys: one multiply, then the well-mixed high half folded into the low
/// bits that pick the bucket (a bare multiply leaves the low bits depending on low bits only).
#[derive(Default)]
pub struct U64Hasher(u64);

impl Hasher for U64Hasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys use this hasher; any other key still hashes correctly.
        bytes.iter().for_each(|&b| self.write_u64(u64::from(b)));
    }

    fn write_u64(&mut self, n: u64) {
        let x = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 29);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Interned ids of strings. Tokens are short (a Han character is 3 bytes, a pair 6, most words
/// under 9), so a token of up to 8 bytes is keyed by its bytes packed in a `u64`: no string
/// hashing and no `memcmp` on a hit. Longer tokens use a string map.
#[derive(Default)]
pub struct StrIds<'a> {
    short: HashMap<u64, u32, BuildHasherDefault<U64Hasher>>,
    long: FastMap<&'a str, u32>,
}

impl<'a> StrIds<'a> {
    /// The id of `s`, if it has one.
    pub fn get(&self, s: &str) -> Option<u32> {
        match pack(s) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(s).copied(),
        }
    }

    /// The id of `s`, or `next` (inserted as its id) when `s` is new.
    pub fn get_or_insert(&mut self, s: &'a str, next: u32) -> u32 {
        match pack(s) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => *self.long.entry(s).or_insert(next),
        }
    }
}

/// Which of `shards` (a power of two) a string belongs to: the top bits of its FxHash, so
/// the shards of a site's words are about equal in size.
pub fn shard_of(s: &str, shards: usize) -> usize {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    let bits = shards.trailing_zeros();
    if bits == 0 {
        return 0;
    }
    (h.finish() >> (64 - bits)) as usize
}

/// The bytes of a string of 1–8 bytes with no NUL byte, zero-padded into a `u64`: distinct such
/// strings get distinct keys (a NUL could be confused with padding; tokens never hold one).
fn pack(s: &str) -> Option<u64> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    let mut key = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            return None;
        }
        key |= u64::from(b) << (8 * i);
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::StrIds;

    #[test]
    fn ids_of_short_long_and_odd_strings_stay_apart() {
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "充值",
            "充值卡",
            "abcdefgh",
            "abcdefghi",
            "\0",
            "ba",
        ];
        let mut ids = StrIds::default();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(ids.get_or_insert(w, i as u32), i as u32, "{w:?} is new");
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(ids.get_or_insert(w, 99), i as u32, "{w:?} is known");
        }
    }
}
