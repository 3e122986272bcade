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
    /// Wall time of each stage, in order (printed with `STEPPE_TIMINGS=1`).
    pub stages: Vec<(&'static str, Duration)>,
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
        self.stages.push((stage, now - start));
    }

    /// With `STEPPE_TIMINGS=1`: one line per stage, then one line of counters, stable for
    /// tests and the benchmark to read.
    pub fn print(&self, written: &WriteStats) {
        if std::env::var_os("STEPPE_TIMINGS").is_none() {
            return;
        }
        for (stage, d) in &self.stages {
            eprintln!("  {stage:>20}: {:7.1} ms", d.as_secs_f64() * 1000.0);
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
