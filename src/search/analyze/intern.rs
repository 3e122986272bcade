//! A page's token interner, for [`super`]: tokens in (any order, from any buffer), page-local
//! ids in first-seen order out, with each token's copy (the page's [`Surfaces`]) and each id's
//! slot in the document being counted.

use hashbrown::HashTable;

use super::Surfaces;
use crate::search::normalize::is_main_han_at;

/// Page-local token ids, plus each id's slot in the document being counted.
///
/// A table over the tokens' own copies: a token is read once for its key and copied once
/// (when new), so tokens may come from a buffer that is refilled for every part of every
/// section, and the copies are the page's [`Surfaces`] when it is done. hashbrown's
/// `HashTable` holds only `(key, id, length)`: the key of a token of up to 16 bytes is the
/// token itself (most words, a Russian one of up to 8 letters among them), so most look-ups
/// never read the token's copy.
///
/// Han characters and pairs of the main block (U+4E00–U+9FFF), two tokens per character of a
/// Chinese page and half its analysis, skip that table. A pair is keyed by its code points in
/// a `u32` ([`han_key`]), 8 bytes an entry where the general one takes 24, with no bytes to
/// pack. A character is looked up by its code point in its thread's [`HanChars`], which
/// pages share (zeroing such a table for each page cost more in the kernel's page clearing
/// than it saved). Which table holds a token depends only on its bytes, so ids are what one
/// table would give (pinned by a test against a map).
pub(super) struct Interner {
    /// The distinct tokens, in id order.
    surfaces: Surfaces,
    table: HashTable<Entry>,
    /// Per id: index into the current document's `terms`, or `u32::MAX`.
    slots: Vec<u32>,
    /// Main-block Han pairs: ([`han_key`], id).
    han: HashTable<(u32, u32)>,
    /// Main-block Han characters, borrowed from the thread for this interner's life.
    chars: Box<HanChars>,
}

/// Per main-block Han character (by [`han_offset`]): the stamp of the interner that gave it
/// an id, and that id. An entry whose stamp is not the current interner's is empty, so a new
/// interner only takes a new stamp instead of clearing 168 KB.
struct HanChars {
    entries: Vec<(u32, u32)>,
    /// The stamp of the interner holding the table; 0 marks no entry.
    stamp: u32,
}

thread_local! {
    /// Each thread's [`HanChars`], out while an interner of the thread holds it.
    static HAN_CHARS_OF_THREAD: std::cell::Cell<Option<Box<HanChars>>> =
        const { std::cell::Cell::new(None) };
}

impl HanChars {
    /// The thread's table (a new one if it has none, or another interner holds it) under a
    /// fresh stamp.
    fn take() -> Box<HanChars> {
        let mut chars = HAN_CHARS_OF_THREAD.take().unwrap_or_else(|| {
            Box::new(HanChars {
                entries: vec![(0, 0); HAN_CHARS],
                stamp: 0,
            })
        });
        chars.stamp = chars.stamp.wrapping_add(1);
        if chars.stamp == 0 {
            // After 2³² interners on this thread: the old stamps would come round again.
            chars.entries.fill((0, 0));
            chars.stamp = 1;
        }
        chars
    }
}

impl Drop for Interner {
    /// Hands the Han table back to the thread (an empty stand-in takes its place, so that it
    /// can move out).
    fn drop(&mut self) {
        let chars = std::mem::replace(
            &mut self.chars,
            Box::new(HanChars {
                entries: Vec::new(),
                stamp: 0,
            }),
        );
        if chars.entries.len() == HAN_CHARS {
            HAN_CHARS_OF_THREAD.set(Some(chars));
        }
    }
}

/// Main-block Han characters: U+4E00–U+9FFF.
const HAN_CHARS: usize = 0x5200;

/// The code point less U+4E00 of the main-block Han character in the 3 bytes `b`.
#[inline]
fn han_offset(b: &[u8]) -> u32 {
    (u32::from(b[0] & 0x0F) << 12 | u32::from(b[1] & 0x3F) << 6 | u32::from(b[2] & 0x3F)) - 0x4E00
}

/// The key of a main-block Han character ([`Kind::HanChar`]: its [`han_offset`], below
/// 0x5200) or pair (from 0x5200 on: (first + 1) × 0x5200 + second, below 0x5201 × 0x5200 <
/// 2³²), distinct for distinct tokens.
#[inline]
fn han_key(b: &[u8], kind: Kind) -> u32 {
    match kind {
        Kind::HanPair => (han_offset(&b[..3]) + 1) * HAN_CHARS as u32 + han_offset(&b[3..6]),
        _ => han_offset(b),
    }
}

/// The Han table's hash: a folded 64-bit multiply, so both the bucket (low bits) and
/// hashbrown's tag (high bits) depend on every bit of the key.
#[inline]
fn han_hash(key: u32) -> u64 {
    folded_multiply(u64::from(key))
}

/// `x` times a large odd constant in 128 bits, the halves folded together.
#[inline]
fn folded_multiply(x: u64) -> u64 {
    let m = u128::from(x) * 0x9e37_79b9_7f4a_7c15;
    (m as u64) ^ ((m >> 64) as u64)
}

/// Which of the [`Interner`]'s tables holds a token, by its bytes alone.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    HanChar,
    HanPair,
    Other,
}

#[inline]
fn kind(b: &[u8]) -> Kind {
    match b.len() {
        3 if is_main_han_at(b, 0) => Kind::HanChar,
        6 if is_main_han_at(b, 0) && is_main_han_at(b, 3) => Kind::HanPair,
        _ => Kind::Other,
    }
}

/// One token in the [`Interner`]'s table.
#[derive(Clone, Copy)]
struct Entry {
    /// [`token_key`] of the token.
    key: [u64; 2],
    id: u32,
    /// The token's length in bytes.
    len: u32,
}

impl Entry {
    /// The table's hash: a folded 128-bit multiply, so both the low bits (the bucket) and the
    /// high bits (hashbrown's tag) depend on every bit of the key.
    fn hash([lo, hi]: [u64; 2], len: u32) -> u64 {
        folded_multiply(
            lo ^ u64::from(len) ^ hi.rotate_left(23).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95),
        )
    }
}

impl Interner {
    /// An interner for about `han` distinct Han characters and pairs and `others` other
    /// tokens.
    pub(super) fn with_capacity(han: usize, others: usize) -> Interner {
        let tokens = han + others;
        Interner {
            surfaces: Surfaces {
                text: String::with_capacity(tokens * 4),
                ends: Vec::with_capacity(tokens),
            },
            table: HashTable::with_capacity(others),
            slots: Vec::with_capacity(tokens),
            // The estimate counts characters and pairs; a page's distinct pairs are most of it.
            han: HashTable::with_capacity(han),
            chars: HanChars::take(),
        }
    }

    /// The id of `token` (the next one when it is new) with its slot.
    #[inline]
    pub(super) fn id(&mut self, token: &str) -> (u32, &mut u32) {
        let id = match kind(token.as_bytes()) {
            Kind::Other => self.other_id(token),
            han => self.han_id(token, han),
        };
        (id, &mut self.slots[id as usize])
    }

    #[inline]
    fn han_id(&mut self, token: &str, kind: Kind) -> u32 {
        let next = self.len();
        if kind == Kind::HanChar {
            let stamp = self.chars.stamp;
            let entry = &mut self.chars.entries[han_offset(token.as_bytes()) as usize];
            if entry.0 == stamp {
                return entry.1;
            }
            *entry = (stamp, next);
            self.push(token);
            return next;
        }
        let key = han_key(token.as_bytes(), kind);
        match self
            .han
            .entry(han_hash(key), |e| e.0 == key, |e| han_hash(e.0))
        {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().1,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert((key, next));
                self.push(token);
                next
            }
        }
    }

    #[inline]
    fn other_id(&mut self, token: &str) -> u32 {
        let len = token.len() as u32;
        let key = token_key(token.as_bytes());
        let hash = Entry::hash(key, len);
        let surfaces = &self.surfaces;
        // A key of up to 16 bytes is the token itself; a longer one is a hash.
        let same =
            |e: &Entry| e.key == key && e.len == len && (len <= 16 || surfaces.get(e.id) == token);
        // One probe for a new token too.
        match self.table.entry(hash, same, |e| Entry::hash(e.key, e.len)) {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().id,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let id = self.slots.len() as u32;
                slot.insert(Entry { key, id, len });
                self.push(token);
                id
            }
        }
    }

    /// The id `id` with its slot, as [`Interner::id`] gives it for the token of that id.
    pub(super) fn slot(&mut self, id: u32) -> (u32, &mut u32) {
        (id, &mut self.slots[id as usize])
    }

    /// Adds a new token's slot and copy; its id is the next one.
    fn push(&mut self, token: &str) {
        self.slots.push(u32::MAX);
        self.surfaces.text.push_str(token);
        self.surfaces.ends.push(self.surfaces.text.len() as u32);
    }

    /// The number of distinct tokens so far.
    pub(super) fn len(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Forgets every token of id `len` and above, as if they had never been seen.
    pub(super) fn truncate(&mut self, len: u32) {
        for id in (len..self.len()).rev() {
            let b = self.surfaces.get(id).as_bytes();
            match kind(b) {
                Kind::Other => {
                    let hash = Entry::hash(token_key(b), b.len() as u32);
                    if let Ok(entry) = self.table.find_entry(hash, |e| e.id == id) {
                        entry.remove();
                    }
                }
                Kind::HanChar => self.chars.entries[han_offset(b) as usize].0 = 0,
                han => {
                    let key = han_key(b, han);
                    if let Ok(entry) = self.han.find_entry(han_hash(key), |e| e.0 == key) {
                        entry.remove();
                    }
                }
            }
        }
        let end = match len {
            0 => 0,
            _ => self.surfaces.ends[len as usize - 1],
        };
        self.surfaces.text.truncate(end as usize);
        self.surfaces.ends.truncate(len as usize);
        self.slots.truncate(len as usize);
    }

    pub(super) fn into_surfaces(mut self) -> Surfaces {
        let mut surfaces = std::mem::take(&mut self.surfaces);
        surfaces.text.shrink_to_fit();
        surfaces.ends.shrink_to_fit();
        surfaces
    }
}

/// A token of up to 16 bytes zero-padded into two `u64`s (with its length, distinct for
/// distinct tokens); a longer one's hash. Read with overlapping loads, not a copy into a padded
/// buffer (a variable-length copy followed by a wide load stalls the load).
fn token_key(b: &[u8]) -> [u64; 2] {
    let n = b.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    let u64_at = |i: usize| {
        let mut w = [0; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(w)
    };
    match n {
        0 => [0, 0],
        1..=3 => [
            u64::from(b[0])
                | u64::from(b[n / 2]) << (8 * (n / 2))
                | u64::from(b[n - 1]) << (8 * (n - 1)),
            0,
        ],
        4..=8 => [u32_at(0) | u32_at(n - 4) << (8 * (n - 4)), 0],
        // The first eight bytes and the last eight, overlapping: with the length, the token.
        9..=16 => [u64_at(0), u64_at(n - 8)],
        _ => {
            // FxHash over the 8-byte words, the last one overlapping the one before.
            let mut hash = 0u64;
            let mut add = |w: u64| {
                hash = (hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            };
            let mut i = 0;
            while i + 8 < n {
                add(u64_at(i));
                i += 8;
            }
            add(u64_at(n - 8));
            [hash, 0]
        }
    }
}

#[cfg(test)]
mod tests {
    /// Han characters at both ends of the main block and every 7th between, beside ones outside
    /// it (extension A, compatibility, supplementary), alone, in pairs of every mix and in runs.
    fn han_words() -> Vec<String> {
        let main = (0x4E00..=0x9FFF).step_by(7).chain([0x9FFF]);
        let chars: Vec<char> = main
            .chain([0x3400, 0x4DBF, 0xF900, 0x20000, 0x4DFF, 0xA000])
            .filter_map(char::from_u32)
            .collect();
        let mut words: Vec<String> = chars.iter().map(char::to_string).collect();
        for (k, pair) in chars.windows(2).enumerate() {
            words.push(format!("{}{}", pair[0], pair[1]));
            words.push(format!("{}{}", pair[1], pair[0]));
            words.push(format!("{}{}", pair[0], chars[chars.len() - 1 - k % 6]));
            words.push(format!("{}{}{}", pair[0], pair[1], pair[0]));
        }
        words
    }

    /// The interner's tables (packed keys up to 16 bytes, hashes beyond, growth; Han
    /// characters and pairs apart) give the ids a plain map of strings gives, and keep each
    /// token's text.
    #[test]
    fn interner_ids_agree_with_a_map() {
        let mut words: Vec<String> = ["", "\0", "a\0", "a", "ab", "充", "充值", "充值卡充值卡"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for n in 1..=24 {
            for c in ['a', 'b', 'я', '中'] {
                words.push(c.to_string().repeat(n));
                words.push(format!("{}z", c.to_string().repeat(n)));
                words.push(format!("z{}", c.to_string().repeat(n)));
            }
        }
        words.extend((0..5000).map(|i| format!("w{i}")));
        words.extend(han_words());
        let mut interner = super::Interner::with_capacity(1, 4);
        let mut map = std::collections::HashMap::new();
        for w in words.iter().chain(words.iter().rev()) {
            let next = map.len() as u32;
            let want = *map.entry(w.as_str()).or_insert(next);
            assert_eq!(interner.id(w).0, want, "{w:?}");
        }
        let surfaces = interner.into_surfaces();
        let mut by_id: Vec<&str> = vec![""; map.len()];
        map.iter().for_each(|(w, &id)| by_id[id as usize] = w);
        assert_eq!(surfaces.iter().collect::<Vec<_>>(), by_id);
    }

    /// Forgetting the tokens interned after a mark, in every table, and interning them again
    /// gives the ids of a map that never saw them.
    #[test]
    fn truncate_forgets_as_if_never_seen() {
        let mut words: Vec<String> = ["a", "充", "充值", "值", "карта", "long-compound-token-x"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        words.extend(han_words().into_iter().step_by(13));
        let (before, after) = words.split_at(words.len() / 2);
        let mut interner = super::Interner::with_capacity(2, 2);
        before.iter().for_each(|w| {
            interner.id(w);
        });
        let mark = interner.len();
        after.iter().rev().for_each(|w| {
            interner.id(w);
        });
        interner.truncate(mark);
        let mut map = std::collections::HashMap::new();
        for w in before.iter().chain(after).chain(before.iter().rev()) {
            let next = map.len() as u32;
            let want = *map.entry(w.as_str()).or_insert(next);
            assert_eq!(interner.id(w).0, want, "{w:?}");
        }
    }

    /// Interners one after another on a thread share its Han table, and two alive at once
    /// use two: none sees another's characters, and ids start from 0 in each.
    #[test]
    fn interners_of_one_thread_do_not_share_characters() {
        let words = ["充", "值", "充值", "卡", "a"];
        let ids = |interner: &mut super::Interner| -> Vec<u32> {
            words.iter().map(|w| interner.id(w).0).collect()
        };
        let mut first = super::Interner::with_capacity(2, 2);
        assert_eq!(ids(&mut first), [0, 1, 2, 3, 4]);
        let mut second = super::Interner::with_capacity(2, 2);
        second.id("卡");
        assert_eq!(ids(&mut second), [1, 2, 3, 0, 4]);
        drop(first);
        drop(second);
        for _ in 0..3 {
            let mut next = super::Interner::with_capacity(2, 2);
            next.id("值");
            assert_eq!(ids(&mut next), [1, 0, 2, 3, 4]);
            assert_eq!(
                next.into_surfaces().iter().collect::<Vec<_>>(),
                ["值", "充", "充值", "卡", "a"]
            );
        }
    }
}
