//! `cargo bench --bench index -- DIR [RUNS]`: the search index stage alone.
//!
//! Reads every `index.html` under `DIR` (a built output folder, e.g. the 10k corpus built into
//! /dev/shm), analyses each page once, then builds each language's index (the top folders of
//! `DIR`) from those pages `RUNS` times (5 by default), as the build's index stage does: on
//! every core. Prints, per language and in all, the median wall time and the median CPU time of
//! all threads. The CPU figure is the one to compare on a shared machine; the wall figure is
//! what the target (≤ 0.4 s at 10k) is about.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use steppe::search::{Analysed, SearchPage, Synonyms, analyse, build_index_from};

mod common;

// The allocator the `steppe` binary uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let (pages, runs) = match common::pages_and_runs("index") {
        Ok(input) => input,
        Err(code) => return code,
    };
    let by_lang = analysed_by_language(&pages);
    let synonyms = Synonyms::default();
    println!(
        "{} pages in {} languages, {runs} runs",
        pages.len(),
        by_lang.len()
    );
    let mut totals = (Vec::new(), Vec::new());
    let mut per_lang: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for _ in 0..runs {
        let (mut wall, mut cpu) = (0.0, 0.0);
        for (lang, analysed) in &by_lang {
            let refs: Vec<&Analysed> = analysed.iter().collect();
            let cpu_start = common::cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID);
            let start = Instant::now();
            let files = build_index_from(lang, &refs, &synonyms);
            let w = start.elapsed().as_secs_f64() * 1000.0;
            let c = (common::cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID) - cpu_start) as f64 / 1e6;
            std::hint::black_box(files);
            let entry = per_lang.entry(lang).or_default();
            entry.0.push(w);
            entry.1.push(c);
            wall += w;
            cpu += c;
        }
        totals.0.push(wall);
        totals.1.push(cpu);
    }
    for (lang, (wall, cpu)) in per_lang.iter_mut() {
        println!(
            "{lang}: wall {:.1} ms, cpu {:.1} ms",
            median(wall),
            median(cpu)
        );
    }
    println!(
        "index: wall {:.1} ms, cpu {:.1} ms (medians)",
        median(&mut totals.0),
        median(&mut totals.1)
    );
    ExitCode::SUCCESS
}

/// Each language's pages (the first folder of their URL), analysed on every core.
fn analysed_by_language(pages: &[common::Html]) -> BTreeMap<String, Vec<Analysed>> {
    let mut by_lang: BTreeMap<String, Vec<&common::Html>> = BTreeMap::new();
    for p in pages {
        if let Some((lang, _)) = p.url.split_once('/') {
            by_lang.entry(lang.to_owned()).or_default().push(p);
        }
    }
    by_lang
        .into_iter()
        .map(|(lang, pages)| {
            let analysed = pages
                .par_iter()
                .map(|p| {
                    analyse(&SearchPage {
                        url: &p.url,
                        title: &p.title,
                        html: &p.html,
                    })
                })
                .collect();
            (lang, analysed)
        })
        .collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
