//! `cargo bench --bench render -- ROOT [RUNS]`: the template stage alone (views, template
//! contexts, Tera) on one core.
//!
//! Builds the site model of the site at `ROOT` once (content, Markdown), then renders every page
//! `RUNS` times (5 by default) in a one-thread pool and prints the process's CPU milliseconds per
//! run, the minimum and the median. CPU time of one thread over the same pages in memory repeats
//! within a few per cent, where whole-build wall times on a shared machine are noise.

use std::path::Path;
use std::process::ExitCode;

mod common;

// The allocator the `steppe` binary uses (src/main.rs): rendering allocates per value.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let (root, runs) = match common::args("render", "ROOT") {
        Ok(args) => args,
        Err(code) => return code,
    };
    match measure(Path::new(&root), runs) {
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
        let start = common::cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID);
        let bytes = pool
            .install(|| steppe::render::render_every_page(&site, &theme))
            .map_err(|e| e.to_string())?;
        let took = (common::cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID) - start) as f64 / 1e6;
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
