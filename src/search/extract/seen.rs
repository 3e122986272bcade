//! Ignored elements a thread has stepped over before, for [`super::sections`]: the theme
//! repeats some on many pages byte for byte (the facts box of an item, drawn once by
//! `cached_include` and shown on every page about the item, 6.6 KB and 197 tags).
//!
//! What the scanner does inside an ignored element depends only on the element's name and on
//! the bytes from the end of its start tag to the end of its end tag; it reads nothing past
//! them. So where the bytes after a new ignored element's start tag begin with the whole of
//! one stepped over before, of the same name, the element ends where that one did, and a
//! comparison replaces the scan. Stepping over the facts box was 6 % of the analysis (`cargo
//! bench --bench analyse` on the 1k corpus with and without it: 2.77 and 3.38 ns a byte of
//! 32.3 and 24.8 MB).

use std::cell::RefCell;

/// Shorter elements cost little to step over again.
const MIN_BYTES: usize = 512;
/// Longer ones are not kept: a page's own long text (a table of contents) never comes back.
const MAX_BYTES: usize = 64 * 1024;
/// Elements kept per thread; the one used longest ago goes first.
const SLOTS: usize = 32;

struct Seen {
    name: Box<str>,
    /// From the end of the start tag to the end of the end tag.
    bytes: Box<[u8]>,
    /// The clock when it was kept or last met.
    used: u64,
}

#[derive(Default)]
struct Memory {
    seen: Vec<Seen>,
    clock: u64,
    #[cfg(test)]
    hits: usize,
}

thread_local! {
    static MEMORY: RefCell<Memory> = RefCell::default();
}

/// Where the ignored element `name` whose content starts at byte `from` of `html` ends, if
/// this thread has stepped over one with the same name and the same bytes.
pub(super) fn end_of(html: &str, from: usize, name: &str) -> Option<usize> {
    let rest = html.as_bytes().get(from..)?;
    MEMORY.with_borrow_mut(|m| {
        m.clock += 1;
        let clock = m.clock;
        let hit = m
            .seen
            .iter_mut()
            .find(|s| *s.name == *name && rest.starts_with(&s.bytes))?;
        hit.used = clock;
        let end = from + hit.bytes.len();
        #[cfg(test)]
        {
            m.hits += 1;
        }
        Some(end)
    })
}

/// Keeps the ignored element `name` whose content spans bytes `from..to` of `html` (to the end
/// of its end tag), if it is long enough to be worth it.
pub(super) fn remember(html: &str, from: usize, to: usize, name: &str) {
    let Some(bytes) = html.as_bytes().get(from..to) else {
        return;
    };
    if !(MIN_BYTES..=MAX_BYTES).contains(&bytes.len()) {
        return;
    }
    MEMORY.with_borrow_mut(|m| {
        let seen = Seen {
            name: name.into(),
            bytes: bytes.into(),
            used: m.clock,
        };
        if m.seen.len() < SLOTS {
            m.seen.push(seen);
        } else if let Some(oldest) = m.seen.iter_mut().min_by_key(|s| s.used) {
            *oldest = seen;
        }
    });
}

/// How many elements this thread has skipped by comparison.
#[cfg(test)]
pub(super) fn hits() -> usize {
    MEMORY.with_borrow(|m| m.hits)
}
