//! `cargo bench --bench analyse -- DIR [RUNS]`: the per-page search analysis alone, on one core.
//!
//! Reads every `index.html` under `DIR` (a built output folder, e.g. the 10k corpus built into
//! /dev/shm) into memory, then runs `steppe::search::analyse` over all of them `RUNS` times (5 by
//! default) and prints nanoseconds of CPU time per byte of HTML, the minimum and the median of
//! the runs. Single-threaded and timed by the thread's CPU clock on purpose: whole-build wall
//! times on a shared machine are noise, while one thread's CPU time over the same bytes in
//! memory repeats within a few per cent.

use std::process::ExitCode;

use steppe::search::{SearchPage, analyse};

mod common;

// The allocator the `steppe` binary uses (src/main.rs): analysis allocates per section.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let (pages, runs) = match common::pages_and_runs("analyse") {
        Ok(input) => input,
        Err(code) => return code,
    };
    let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    println!(
        "{} pages, {:.1} MB of HTML, {runs} runs",
        pages.len(),
        bytes as f64 / 1e6
    );
    let mut per_byte = Vec::with_capacity(runs);
    for run in 1..=runs {
        let start = common::cpu_ns(libc::CLOCK_THREAD_CPUTIME_ID);
        for p in &pages {
            let page = SearchPage {
                url: &p.url,
                title: &p.title,
                html: &p.html,
            };
            std::hint::black_box(analyse(std::hint::black_box(&page)));
        }
        let ns = (common::cpu_ns(libc::CLOCK_THREAD_CPUTIME_ID) - start) as f64 / bytes as f64;
        println!("run {run}: {ns:.2} ns/byte");
        per_byte.push(ns);
    }
    per_byte.sort_by(f64::total_cmp);
    println!(
        "analyse: min {:.2} ns/byte, median {:.2} ns/byte",
        per_byte[0],
        per_byte[per_byte.len() / 2]
    );
    ExitCode::SUCCESS
}
