//! `cargo bench --bench watch_latency`: how long a saved page takes to reach the disk under
//! `steppe watch`, on the 1,000-page corpus and the real guide, with the binary cargo just built.
//!
//! The measuring is `benches/watch_latency.py` (see its header), which `benches/site.sh` also
//! runs at each corpus size beside Hugo's server; this bench only hands it the binary. Arguments
//! after `--` are passed on, e.g. `cargo bench --bench watch_latency -- --edits 10`.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` runs bench targets too, without `--bench`: measure only under
    // `cargo bench`.
    if !args.iter().any(|a| a == "--bench") {
        println!("watch_latency: run with `cargo bench --bench watch_latency`");
        return ExitCode::SUCCESS;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/watch_latency.py");
    let status = Command::new("python3")
        .arg(script)
        .args(["--bin", env!("CARGO_BIN_EXE_steppe")])
        .args(args.iter().filter(|a| *a != "--bench"))
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: could not run python3 {script}: {e}");
            ExitCode::FAILURE
        }
    }
}
