//! The edge: parse arguments, run, print the report, map the result to an exit code
//! (0 success, 1 content/config/template errors, 2 usage errors).

use clap::Parser;
use std::process::ExitCode;
use steppe::build::{self, BuildFailure};
use steppe::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(&(&args).into()),
        Command::Watch(args) => run_watch(&(&args).into()),
        Command::Check(args) => run_check(&(&args).into(), args.format),
    }
}

fn run_check(opts: &steppe::check::CheckOptions, format: steppe::check::Format) -> ExitCode {
    match steppe::check::run(opts) {
        Ok(report) => {
            print!("{}", report.render(format));
            ExitCode::from(u8::from(report.errors() > 0))
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_watch(opts: &steppe::watch::WatchOptions) -> ExitCode {
    match steppe::watch::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(hint) = e.hint() {
                eprintln!("  hint: {hint}");
            }
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
    }
}

fn run_build(opts: &build::BuildOptions) -> ExitCode {
    match build::run(opts) {
        Ok(report) => {
            println!(
                "built {} pages in {} languages in {:.2} s → {}",
                report.pages,
                report.languages,
                report.elapsed.as_secs_f64(),
                display_out(&report.out)
            );
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            ExitCode::SUCCESS
        }
        Err(BuildFailure::Content(errors)) => {
            eprintln!("{errors}");
            eprintln!(
                "build failed: {} error{}; the output was left as it was",
                errors.0.len(),
                if errors.0.len() == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
        Err(BuildFailure::Output(e)) => {
            eprintln!("error: {e}");
            if let Some(hint) = e.hint() {
                eprintln!("  hint: {hint}");
            }
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
    }
}

fn display_out(out: &std::path::Path) -> String {
    let shown = out.strip_prefix(".").unwrap_or(out).display().to_string();
    if shown.ends_with('/') {
        shown
    } else {
        format!("{shown}/")
    }
}
