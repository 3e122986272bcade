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
    /// Each stage, in order (printed with `STEPPE_TIMINGS=1`).
    pub stages: Vec<Lap>,
    /// Time spent building search indexes (`search::build_index_from`, all languages), part of
    /// the stage that runs templates, search and writes; printed as its own line.
    pub search_index: Duration,
    started: Option<(Instant, Option<Duration>)>,
}

/// One stage's wall time, the CPU time of every thread of the process during it (more than the
/// wall time when the stage keeps several cores busy, so the two show where cores sit idle),
/// and the resident memory at its end in MiB, where the system tells.
#[derive(Debug, Clone)]
pub(crate) struct Lap {
    pub stage: &'static str,
    pub wall: Duration,
    pub cpu: Option<Duration>,
    pub resident_mib: Option<u64>,
}

impl RunStats {
    pub fn start() -> RunStats {
        RunStats {
            started: Some((Instant::now(), process_cpu())),
            ..RunStats::default()
        }
    }

    /// Ends the current stage.
    pub fn lap(&mut self, stage: &'static str) {
        let now = (Instant::now(), process_cpu());
        let (start, cpu_start) = self.started.replace(now).unwrap_or(now);
        self.stages.push(Lap {
            stage,
            wall: now.0 - start,
            cpu: now
                .1
                .zip(cpu_start)
                .map(|(end, start)| end.saturating_sub(start)),
            resident_mib: resident_mib(),
        });
    }

    /// With `STEPPE_TIMINGS=1`: one line per stage, then one line of counters, stable for
    /// tests and the benchmark to read.
    pub fn print(&self, written: &WriteStats) {
        if std::env::var_os("STEPPE_TIMINGS").is_none() {
            return;
        }
        for lap in &self.stages {
            let notes: Vec<String> = [
                lap.cpu
                    .map(|c| format!("cpu {:.0} ms", c.as_secs_f64() * 1000.0)),
                lap.resident_mib.map(|m| format!("resident {m} MiB")),
            ]
            .into_iter()
            .flatten()
            .collect();
            let notes = match notes.is_empty() {
                true => String::new(),
                false => format!("  ({})", notes.join(", ")),
            };
            let ms = lap.wall.as_secs_f64() * 1000.0;
            eprintln!("  {:>20}: {ms:7.1} ms{notes}", lap.stage);
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

/// User and system CPU time of every thread of the process so far (`getrusage`).
fn process_cpu() -> Option<Duration> {
    // SAFETY: getrusage writes only into the struct it is given, which is fully initialised.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return None;
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

/// Resident memory now, from `/proc/self/statm` (Linux); where the memory of a build goes is
/// read from these per-stage figures, the peak from `/usr/bin/time`.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
