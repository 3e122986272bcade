//! Build-time ranking: term statistics of one section in, a quantised weight (1–31) out.
//!
//! BM25F-like: the body's term frequency is saturated and normalised by section length (BM25's
//! `k1` and `b`), then a term found in the section's own heading adds [`HEADING_BOOST`] and one
//! found in a heading above it (page title included) adds [`PARENT_BOOST`], outside the
//! saturation, so a heading match outranks any number of body mentions. The browser multiplies
//! the weight by the term's IDF (it knows the document frequency from the dictionary) and sums
//! over the query's words; precomputing the rest keeps the engine small.

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// Added when the term is in the section's heading (the page title for a page's first section).
pub const HEADING_BOOST: f32 = 3.0;
/// Added when the term is in a heading above the section, the page title included.
pub const PARENT_BOOST: f32 = 1.0;
/// The largest weight: saturated body frequency plus both boosts.
const MAX_WEIGHT: f32 = K1 + 1.0 + HEADING_BOOST + PARENT_BOOST;
/// Quantisation steps: five bits of a posting's varint.
pub const LEVELS: u8 = 31;

/// Flag: the term occurs in the section's heading.
pub const IN_HEADING: u8 = 1;
/// Flag: the term occurs in a heading above the section.
pub const IN_PARENT: u8 = 2;

/// A section's BM25 length normalisation, computed once for all its terms.
#[derive(Clone, Copy)]
pub struct Norm(f32);

impl Norm {
    /// The normalisation of a section of `len` body tokens, the average being `avg_len`.
    pub fn of(len: u32, avg_len: f32) -> Norm {
        Norm(K1 * (1.0 - B + B * len as f32 / avg_len.max(1.0)))
    }

    /// The weight level (1–[`LEVELS`]) of a term in the section.
    pub fn level(self, tf: u32, flags: u8) -> u8 {
        let tf = tf as f32;
        let mut weight = if tf > 0.0 {
            tf * (K1 + 1.0) / (tf + self.0)
        } else {
            0.0
        };
        if flags & IN_HEADING != 0 {
            weight += HEADING_BOOST;
        }
        if flags & IN_PARENT != 0 {
            weight += PARENT_BOOST;
        }
        let levels = f32::from(LEVELS);
        (weight / MAX_WEIGHT * levels).round().clamp(1.0, levels) as u8
    }
}

/// A section's levels, remembered for small frequencies: a section has about a hundred terms
/// but few distinct `(tf, flags)` pairs, and the float arithmetic of [`Norm::level`] was a
/// sixth of the index stage.
pub struct Levels {
    norm: Norm,
    /// Per `flags << 4 | tf`: the level, 0 when not computed yet.
    memo: [u8; 64],
}

impl Levels {
    /// The levels of a section of `len` body tokens, the average being `avg_len`.
    pub fn of(len: u32, avg_len: f32) -> Levels {
        Levels {
            norm: Norm::of(len, avg_len),
            memo: [0; 64],
        }
    }

    /// [`Norm::level`] of the section.
    pub fn level(&mut self, tf: u32, flags: u8) -> u8 {
        if tf >= 16 || flags > (IN_HEADING | IN_PARENT) {
            return self.norm.level(tf, flags);
        }
        let memo = &mut self.memo[usize::from(flags) << 4 | tf as usize];
        if *memo == 0 {
            *memo = self.norm.level(tf, flags);
        }
        *memo
    }
}

#[cfg(test)]
mod tests {
    use super::{IN_HEADING, IN_PARENT, Levels, Norm};

    #[test]
    fn remembered_levels_are_the_computed_ones() {
        for len in [0, 1, 7, 100, 5000] {
            let mut levels = Levels::of(len, 120.0);
            // Twice: computed, then remembered.
            for _ in 0..2 {
                for tf in 0..40 {
                    for flags in 0..8 {
                        let want = Norm::of(len, 120.0).level(tf, flags);
                        assert_eq!(levels.level(tf, flags), want, "{len} {tf} {flags}");
                    }
                }
            }
        }
    }

    /// The weight level of a term in one section.
    fn level(tf: u32, len: u32, avg_len: f32, flags: u8) -> u8 {
        Norm::of(len, avg_len).level(tf, flags)
    }

    #[test]
    fn headings_outrank_body_mentions() {
        let body_many = level(20, 100, 100.0, 0);
        let heading_once = level(0, 100, 100.0, IN_HEADING);
        assert!(heading_once > body_many, "{heading_once} > {body_many}");
        assert_eq!(level(50, 10, 100.0, IN_HEADING | IN_PARENT), super::LEVELS);
        assert!(level(1, 10, 100.0, 0) > level(1, 1000, 100.0, 0));
        assert!(level(1, 1000, 100.0, 0) >= 1);
    }
}
