//! The edge: parse arguments, run, print the report, map the result to an exit code
//! (0 success, 1 content/config/template errors, 2 usage errors).

use clap::{CommandFactory, Parser};
use std::path::Path;
use std::process::ExitCode;
use steppe::build::{self, BuildFailure};
use steppe::cli::{Cli, Command, InitArgs, ThemeCommand, meant_subcommand};

/// See Cargo.toml: allocation-heavy parallel rendering. mimalloc also gives freed memory
/// back to the system by itself, which `watch` (running for hours) needs; glibc kept each
/// thread's arena at the size of the largest rebuild.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e` of mimalloc.h, the same in
/// mimalloc 2 and 3; pinned by a test against its default): how long freed memory stays
/// before it is handed back to the system, in ms; -1 keeps it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A one-off build ends within seconds, so the memory it frees (a language's analysed pages,
/// every page's HTML once written) is kept for what it allocates next instead of being handed
/// back and faulted in again, zeroed by the kernel: at 40k pages that was 190,000 of 450,000
/// page faults and a sixth of the build's system time (on disk, medians of 3: 8.1 → 6.7 s).
/// `watch` keeps mimalloc's default: it runs for hours and should give back what a large
/// rebuild took.
fn keep_freed_memory() {
    // SAFETY: an integer option, set before this process starts any other thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let quiet = cli.quiet;
    match cli.command {
        Command::Build(args) => match check_root(&args.site.root) {
            Ok(()) => {
                keep_freed_memory();
                run_build(&(&args).into(), quiet)
            }
            Err(code) => code,
        },
        Command::Watch(args) => match check_root(&args.site.root) {
            Ok(()) => run_watch(&steppe::watch::WatchOptions {
                quiet,
                ..(&args).into()
            }),
            Err(code) => code,
        },
        Command::Check(args) => match check_root(&args.root) {
            Ok(()) => run_check(&(&args).into(), args.format),
            Err(code) => code,
        },
        Command::Init(args) => run_init(&args, quiet),
        Command::Theme(ThemeCommand::Eject { dir, force }) => {
            report_init(steppe::init::eject(&dir, force), quiet, |n| {
                format!(
                    "copied the built-in theme ({n} files) to {}; its files now override the built-in ones",
                    dir.display()
                )
            })
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "steppe", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

/// Prints clap's message, adding the subcommand meant where spelling alone cannot find it
/// (`steppe new` → `init`).
fn usage_error(mut e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::InvalidSubcommand
        && e.get(ContextKind::SuggestedSubcommand).is_none()
        && let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidSubcommand)
        && let Some(meant) = meant_subcommand(word)
    {
        e.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::String(meant.to_owned()),
        );
    }
    let _ = e.print();
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// A clear message naming the folder the user passed, before any stage runs.
fn check_root(root: &Path) -> Result<(), ExitCode> {
    let shown = root.display();
    let (message, hint) = if !root.is_dir() {
        (
            format!("the site folder {shown} does not exist"),
            format!(
                "pass --root the folder that holds site.yaml, or start a site there with `steppe init {shown}`"
            ),
        )
    } else if !root.join(steppe::config::CONFIG_FILE).is_file() {
        (
            format!("{shown} has no site.yaml"),
            "run steppe in the site's folder, pass --root DIR, or start a site with `steppe init`"
                .to_owned(),
        )
    } else {
        return Ok(());
    };
    eprintln!("error: {message}");
    eprintln!("  hint: {hint}");
    Err(ExitCode::from(2))
}

fn run_init(args: &InitArgs, quiet: bool) -> ExitCode {
    let result = steppe::init::init(&args.dir, &args.languages, args.force);
    let dir = args.dir.display();
    report_init(result, quiet, |n| {
        format!(
            "wrote a starter site ({n} files) in {dir}\nnext: cd {dir} && steppe serve   (then steppe build)"
        )
    })
}

fn report_init(
    result: Result<usize, steppe::init::InitError>,
    quiet: bool,
    done: impl FnOnce(usize) -> String,
) -> ExitCode {
    match result {
        Ok(n) => {
            if !quiet {
                println!("{}", done(n));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(hint) = e.hint() {
                eprintln!("  hint: {hint}");
            }
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
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

fn run_build(opts: &build::BuildOptions, quiet: bool) -> ExitCode {
    match build::run(opts) {
        Ok(report) => {
            if !quiet {
                println!(
                    "built {} pages in {} languages in {:.2} s → {}{}",
                    report.pages,
                    report.languages,
                    report.elapsed.as_secs_f64(),
                    display_out(&report.out),
                    match report.up_to_date {
                        true => " (up to date: no input changed)",
                        false => "",
                    }
                );
            }
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

#[cfg(test)]
mod tests {
    /// The option set by `keep_freed_memory` is the purge delay: its default (1,000 ms in
    /// mimalloc 3) is read at that place, and afterwards the place reads -1. Should a new
    /// mimalloc move the option, the default read there is another option's and this fails.
    #[test]
    fn the_option_kept_for_a_build_is_mimallocs_purge_delay() {
        // SAFETY: integer options; this test is the only one in its binary touching them.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
        super::keep_freed_memory();
        let now = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(now, -1);
    }
}
