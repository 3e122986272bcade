//! `cargo bench --bench render -- ROOT [RUNS]`: the template stage alone (views, template
//! contexts, Tera) on one core.
//!
//! Builds the site model of the site at `ROOT` once (content, Markdown), then renders every page
//! `RUNS` times (5 by default) in a one-thread pool and prints the process's CPU milliseconds per
//! run, the minimum and the median. CPU time of one thread over the same pages in memory repeats
//! within a few per cent, where whole-build wall times on a shared machine are noise.

use std::path::Path;
use std::process::ExitCode;

// The allocator the `steppe` binary uses (src/main.rs): rendering allocates per value.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs bench targets too, without `--bench`: measure only under
    // `cargo bench`.
    if !args.iter().any(|a| a == "--bench") {
        println!("render: run with `cargo bench --bench render -- ROOT [RUNS]`");
        return ExitCode::SUCCESS;
    }
    let rest: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(root) = rest.first() else {
        eprintln!("usage: cargo bench --bench render -- ROOT [RUNS]");
        return ExitCode::FAILURE;
    };
    let runs: usize = match rest.get(1).map(|r| r.parse()) {
        None => 5,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("error: RUNS must be a positive number");
            return ExitCode::FAILURE;
        }
    };
    match measure(Path::new(root.as_str()), runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn measure(root: &Path, runs: usize) -> Result<(), Box<dyn std::error::Error>> {
    let (site, theme) = steppe::render::bench_input(root).map_err(|e| e.to_string())?;
    // One worker: the caller sleeps while it works, so the process's CPU time is the stage's.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut ms = Vec::with_capacity(runs);
    for run in 1..=runs {
        let start = process_cpu_ns();
        let bytes = pool
            .install(|| steppe::render::render_every_page(&site, &theme))
            .map_err(|e| e.to_string())?;
        let took = (process_cpu_ns() - start) as f64 / 1e6;
        println!(
            "run {run}: {took:.0} ms CPU, {} pages, {:.1} MB of HTML",
            site.pages.len(),
            bytes as f64 / 1e6
        );
        ms.push(took);
    }
    ms.sort_by(f64::total_cmp);
    println!(
        "render: min {:.0} ms, median {:.0} ms CPU per run",
        ms[0],
        ms[ms.len() / 2]
    );
    Ok(())
}

/// CPU time of the whole process in nanoseconds: time waiting for a core shared with other work
/// does not count.
fn process_cpu_ns() -> u128 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a constant Linux knows.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    assert!(ok, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    t.tv_sec as u128 * 1_000_000_000 + t.tv_nsec as u128
}
