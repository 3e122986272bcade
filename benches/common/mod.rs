//! What the harnesses (`analyse`, `render`, `index`) share: their command line, a CPU clock and
//! a built site's pages. Included by each with `mod common;`.

// Each harness uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The harness's input (`DIR` or `ROOT`) and how many runs (5 by default), from
/// `cargo bench --bench NAME -- INPUT [RUNS]`. `Err` holds the exit code after a usage message;
/// without `--bench` (`cargo test --all-targets` runs bench targets too) it says how to run the
/// harness and exits with success, so tests do not measure.
pub fn args(name: &str, input: &str) -> Result<(String, usize), ExitCode> {
    let usage = format!("cargo bench --bench {name} -- {input} [RUNS]");
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("{name}: run with `{usage}`");
        return Err(ExitCode::SUCCESS);
    }
    let rest: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(first) = rest.first() else {
        eprintln!("usage: {usage}");
        return Err(ExitCode::FAILURE);
    };
    match rest.get(1).map(|r| r.parse::<usize>()) {
        None => Ok((first.to_string(), 5)),
        Some(Ok(n)) if n > 0 => Ok((first.to_string(), n)),
        Some(_) => {
            eprintln!("error: RUNS must be a positive number");
            Err(ExitCode::FAILURE)
        }
    }
}

/// CPU time in nanoseconds on `clock` (`CLOCK_THREAD_CPUTIME_ID` for the calling thread,
/// `CLOCK_PROCESS_CPUTIME_ID` for every thread): time waiting for a core shared with other work
/// does not count.
pub fn cpu_ns(clock: libc::clockid_t) -> u128 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the callers pass constant clock ids Linux knows.
    let ok = unsafe { libc::clock_gettime(clock, &mut t) } == 0;
    assert!(ok, "clock_gettime({clock}) failed");
    t.tv_sec as u128 * 1_000_000_000 + t.tv_nsec as u128
}

/// The built pages under the harness's `DIR` and how many runs, from its command line (see
/// [`args`]), or the exit code after saying why not.
pub fn pages_and_runs(name: &str) -> Result<(Vec<Html>, usize), ExitCode> {
    let (dir, runs) = args(name, "DIR")?;
    Ok((pages_or_exit(&dir)?, runs))
}

/// The pages under `dir`, or the exit code after saying why there are none.
pub fn pages_or_exit(dir: &str) -> Result<Vec<Html>, ExitCode> {
    match read_pages(Path::new(dir)) {
        Ok(pages) if !pages.is_empty() => Ok(pages),
        Ok(_) => {
            eprintln!("error: no index.html under {dir}");
            Err(ExitCode::FAILURE)
        }
        Err(e) => {
            eprintln!("error: reading {dir}: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// One built page: its URL (its folder under the output root) and `<title>` text, and its HTML.
pub struct Html {
    pub url: String,
    pub title: String,
    pub html: String,
}

/// Every `index.html` under `root`, in sorted order, with its URL and its `<title>` text.
pub fn read_pages(root: &Path) -> std::io::Result<Vec<Html>> {
    let mut files = Vec::new();
    collect(root, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let html = std::fs::read_to_string(&path)?;
            let url = path
                .parent()
                .and_then(|d| d.strip_prefix(root).ok())
                .map(|d| format!("{}/", d.display()))
                .unwrap_or_default();
            let title = title_of(&html).to_owned();
            Ok(Html { url, title, html })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, out)?;
        } else if path.file_name().is_some_and(|n| n == "index.html") {
            out.push(path);
        }
    }
    Ok(())
}

fn title_of(html: &str) -> &str {
    let Some(start) = html.find("<title>").map(|i| i + "<title>".len()) else {
        return "";
    };
    html[start..]
        .find("</title>")
        .map_or("", |end| &html[start..start + end])
}
