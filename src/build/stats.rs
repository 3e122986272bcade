//! Counters and stage times of one pipeline run, for `watch`'s report, `--verbose` and
//! `STEPPE_TIMINGS=1`. Input: laps and counts as the stages run. Output: the printed lines.

use crate::output::WriteStats;
use std::time::{Duration, Instant};

/// What one run did.
#[derive(Debug, Clone, Default)]
pub(crate) struct RunStats {
    /// Content files read and parsed.
    pub parsed: usize,
    /// Pages whose Markdown was rendered.
    pub markdown: usize,
    /// URLs of the pages whose template ran.
    pub rendered: Vec<String>,
    /// Languages whose search index was rebuilt.
    pub search: Vec<String>,
    /// Wall time of each stage, in order, and the process's resident memory at its end in
    /// MiB where the system tells (printed with `STEPPE_TIMINGS=1`).
    pub stages: Vec<(&'static str, Duration, Option<u64>)>,
    /// Time spent building search indexes (`search::build_index_from`, all languages), part of
    /// the stage that runs templates, search and writes; printed as its own line.
    pub search_index: Duration,
    started: Option<Instant>,
}

impl RunStats {
    pub fn start() -> RunStats {
        RunStats {
            started: Some(Instant::now()),
            ..RunStats::default()
        }
    }

    /// Ends the current stage.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let start = self.started.replace(now).unwrap_or(now);
        self.stages.push((stage, now - start, resident_mib()));
    }

    /// With `STEPPE_TIMINGS=1`: one line per stage, then one line of counters, stable for
    /// tests and the benchmark to read.
    pub fn print(&self, written: &WriteStats) {
        if std::env::var_os("STEPPE_TIMINGS").is_none() {
            return;
        }
        for (stage, d, rss) in &self.stages {
            let rss = rss
                .map(|m| format!("  (resident {m} MiB)"))
                .unwrap_or_default();
            eprintln!("  {stage:>20}: {:7.1} ms{rss}", d.as_secs_f64() * 1000.0);
        }
        let index_ms = self.search_index.as_secs_f64() * 1000.0;
        eprintln!("  {:>20}: {index_ms:7.1} ms", "search index");
        eprintln!(
            "  write counts: written={} linked={} bytes={} renders={} parsed={}",
            written.written.len(),
            written.linked,
            written.bytes,
            self.rendered.len(),
            self.parsed
        );
    }
}

/// Resident memory now, from `/proc/self/statm` (Linux); where the memory of a build goes is
/// read from these per-stage figures, the peak from `/usr/bin/time`.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
