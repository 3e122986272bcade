//! What a rebuild of `watch` prints. Input: its counters, stage times and written files.
//! Output: the one line per rebuild (more with `--verbose`) and, with `STEPPE_TIMINGS=1`, the
//! time of `watch`'s own steps around the pipeline.

use super::Chatter;
use crate::build::RunStats;
use crate::output;
use std::time::{Duration, Instant};

/// Wall time of `watch`'s own steps around the pipeline, printed with `STEPPE_TIMINGS=1`
/// after the pipeline's stage times.
pub(super) struct Laps {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Laps {
    pub(super) fn start() -> Laps {
        Laps {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(super) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }

    pub(super) fn print(&self) {
        if std::env::var_os("STEPPE_TIMINGS").is_some() {
            for (name, d) in &self.laps {
                eprintln!("  {name:>20}: {:7.1} ms", d.as_secs_f64() * 1000.0);
            }
        }
    }
}

pub(super) fn report_success(
    what: &str,
    stats: &RunStats,
    written: &output::WriteStats,
    t0: Instant,
    chatter: Chatter,
) {
    if chatter == Chatter::Quiet {
        return;
    }
    println!(
        "rebuilt in {} ms ({what}): {} page{} rendered, {} file{} written, {} deleted",
        t0.elapsed().as_millis(),
        stats.rendered.len(),
        if stats.rendered.len() == 1 { "" } else { "s" },
        written.written.len(),
        if written.written.len() == 1 { "" } else { "s" },
        written.deleted.len(),
    );
    if chatter == Chatter::Verbose {
        for url in &stats.rendered {
            println!("  rendered {url}");
        }
        if !stats.search.is_empty() {
            println!("  search index: {}", stats.search.join(", "));
        }
    }
}
