//! `steppe watch`: rebuild on save through the same pipeline as `build`, write only what
//! changed, and (unless `--no-serve`) serve the output with live reload.
//!
//! The loop never exits on bad content: a failed rebuild prints located errors, shows them in
//! the browser, writes nothing, and the last good site keeps being served.

mod events;
mod quick;
mod report;
pub mod serve;
mod sink;
mod watcher;

use crate::build::{BuildFailure, Changes, Pipeline};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::output::{self, OutputError};
use crate::site::Site;
use events::{Batch, Layout};
use report::{Laps, report_success};
use serve::{Reloader, Status};
use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use watcher::{FsWatcher, POLL_INTERVAL, Watches};

#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub serve: bool,
    pub poll: bool,
    pub debounce: Duration,
    pub verbose: bool,
    /// Print only errors, warnings and the server's address.
    pub quiet: bool,
}

/// How much a rebuild prints: nothing, one line, or one line plus the pages rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chatter {
    Quiet,
    Normal,
    Verbose,
}

impl Chatter {
    fn of(opts: &WatchOptions) -> Chatter {
        match (opts.quiet, opts.verbose) {
            (true, _) => Chatter::Quiet,
            (false, true) => Chatter::Verbose,
            (false, false) => Chatter::Normal,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{0}")]
    Output(#[from] OutputError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch {path}: {source}")]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error("no {} in {}", crate::config::CONFIG_FILE, .root.display())]
    NoSite { root: PathBuf },
}

impl WatchError {
    pub fn hint(&self) -> Option<String> {
        match self {
            WatchError::Output(e) => e.hint().map(str::to_owned),
            WatchError::Bind { source, .. } if source.kind() == std::io::ErrorKind::AddrInUse => {
                Some(
                    "another program uses this port: pass --port N, or --port 0 to pick a free one"
                        .into(),
                )
            }
            WatchError::Watch { .. } => {
                Some("try --poll on network or virtual file systems".into())
            }
            WatchError::NoSite { .. } => Some(
                "run steppe in the site's folder (the one with site.yaml, content/ and themes/), \
                 or pass --root DIR"
                    .into(),
            ),
            _ => None,
        }
    }

    /// Exit code: a taken port or a refused `--out` is the user's to change.
    pub fn is_usage(&self) -> bool {
        match self {
            WatchError::Output(e) => e.is_usage(),
            WatchError::Bind { .. } | WatchError::NoSite { .. } => true,
            WatchError::Watch { .. } => false,
        }
    }
}

/// Runs until the process is stopped. Returns only on start-up errors, all found before the
/// first build: no site.yaml, an output folder that cannot be replaced, a taken port.
pub fn run(opts: &WatchOptions) -> Result<(), WatchError> {
    let mut layout = locate(opts)?;
    let (root, out) = (layout.root.clone(), layout.out.clone());
    let reloader = Reloader::new();
    let _server = match opts.serve {
        true => Some(start_server(opts, &out, reloader.clone())?),
        false => None,
    };
    let (tx, rx) = mpsc::channel();
    let watch_err = |(path, source)| WatchError::Watch { path, source };
    let mut watcher = FsWatcher::new(opts.poll, opts.debounce, tx)
        .map_err(|source| watch_err((root.clone(), source)))?;
    let mut watches = Watches::default();
    watches
        .sync(&mut watcher, &layout, &BTreeSet::new())
        .map_err(watch_err)?;
    let mut state = Output::new(out.clone());
    let (mut pipeline, site) =
        first_build(&root, opts.drafts, &mut state, &reloader, Chatter::of(opts))?;
    // The last good site model, for the fast path of the next save (see `quick.rs`).
    let mut quick = site.map(quick::Quick::new);
    if !opts.quiet {
        println!("watching {} for changes (Ctrl+C to stop)", root.display());
    }
    if opts.poll {
        // The poll watcher takes its first snapshot in the background: a save made before that
        // would never differ from it, so look once more after the first interval.
        std::thread::sleep(POLL_INTERVAL + Duration::from_millis(50));
        quick = rescan(
            &mut pipeline,
            &mut state,
            &reloader,
            Chatter::of(opts),
            &Changes::default(),
        )
        .map(quick::Quick::new);
    }
    while let Some(batch) = next_batch(&rx, opts.poll) {
        let t0 = Instant::now();
        let events = batch.into_iter().flatten().flatten();
        let Batch {
            mut changes,
            mut names,
            touched,
            new_dir,
        } = layout.sort(events, |p| watches.is_watched_dir(p));
        if changes.config {
            // site.yaml may have switched the theme: follow it without a restart.
            if let Some(theme) = read_theme(&root) {
                layout.theme = root.join("themes").join(theme);
            }
        }
        // A folder deleted and restored (`content/`, `themes/`) lost its watch: set it again
        // before building, then look once more for what was written before it was in place.
        // A folder whose watch was set counts as changed even if no event named it.
        let rewatched = match watches.sync(&mut watcher, &layout, &touched) {
            Ok(dirs) => {
                names.extend(dirs.iter().filter_map(|d| layout.classify(d, &mut changes)));
                !dirs.is_empty()
            }
            Err(e) => {
                eprintln!("warning: {}", watch_err(e));
                true
            }
        };
        if names.is_empty() && touched.is_empty() && !rewatched {
            continue;
        }
        // Used up either way: not held through the rebuild, which makes the next one, so
        // memory holds one site model, not two.
        if let Some(q) = quick.take() {
            q.save(&pipeline, &root, &changes, &mut state, &reloader, t0);
        }
        quick = rebuild(
            &mut pipeline,
            &changes,
            &mut state,
            &reloader,
            &names,
            t0,
            Chatter::of(opts),
        )
        .map(quick::Quick::new);
        if new_dir || rewatched {
            // A file written into a folder that was just created can arrive without an event
            // of its own: look again, with the same kinds of change, once the watch is set.
            std::thread::sleep(opts.debounce.max(Duration::from_millis(20)));
            quick = rescan(
                &mut pipeline,
                &mut state,
                &reloader,
                Chatter::of(opts),
                &changes,
            )
            .map(quick::Quick::new);
        }
    }
    Ok(())
}

/// The next burst of events, or `None` once the watcher is gone. When polling, an empty burst
/// after each quiet interval: notify's poll watcher knows a folder's time only in whole seconds
/// and scans its watches one after another, so a folder deleted and restored between the scans
/// of its parent and of itself can come back without any event. The empty burst lets the loop
/// look for it itself.
fn next_batch(
    rx: &mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    poll: bool,
) -> Option<Vec<notify_debouncer_full::DebounceEventResult>> {
    let first = match poll {
        true => match rx.recv_timeout(POLL_INTERVAL) {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Timeout) => return Some(Vec::new()),
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        },
        false => rx.recv().ok()?,
    };
    let mut batch = vec![first];
    batch.extend(rx.try_iter());
    Some(batch)
}

/// Where the site, its output and its theme are, found before anything is built: a folder
/// without site.yaml and an output that cannot be replaced are start-up errors.
fn locate(opts: &WatchOptions) -> Result<Layout, WatchError> {
    let root = output::absolute(&opts.root).map_err(|e| OutputError::Io {
        path: opts.root.clone(),
        source: e,
    })?;
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(WatchError::NoSite {
            root: opts.root.clone(),
        });
    }
    // A broken site.yaml is a build error shown like any other, so fall back to the defaults.
    let config = crate::config::Config::load(&root).ok();
    let output_dir = config.as_ref().map_or("public", |c| c.output_dir.as_str());
    let out_arg = opts
        .out
        .clone()
        .unwrap_or_else(|| opts.root.join(output_dir));
    let out = output::absolute(&out_arg).map_err(|e| OutputError::Io {
        path: out_arg.clone(),
        source: e,
    })?;
    output::check_destination(&root, &out_arg, false)?;
    let theme = config.map_or_else(|| "default".to_owned(), |c| c.theme);
    Ok(Layout {
        theme: root.join("themes").join(theme),
        root,
        out,
    })
}

/// The first build, streamed into a new folder and swapped in whole exactly as `build` does;
/// its failure is reported and the loop goes on, so the editor can fix it.
fn first_build(
    root: &Path,
    drafts: bool,
    state: &mut Output,
    reloader: &Reloader,
    chatter: Chatter,
) -> Result<(Pipeline, Option<Site>), WatchError> {
    let started = Instant::now();
    let mut pipeline = Pipeline::new(root, drafts, None, true);
    let new = output::NewOutput::begin(&state.out)?;
    match pipeline.run(&Changes::everything(), &new, None) {
        Ok((built, _)) => {
            new.commit()?;
            state.last = output::recorded(&state.out);
            if chatter != Chatter::Quiet {
                println!(
                    "built {} pages in {:.2} s → {}",
                    built.site.pages.len(),
                    started.elapsed().as_secs_f64(),
                    state.out.display()
                );
            }
            state.succeeded(&built.site.warnings);
            Ok((pipeline, Some(built.site)))
        }
        Err(BuildFailure::Content(errors)) => {
            state.failed(&errors, reloader);
            Ok((pipeline, None))
        }
        Err(BuildFailure::Output(e)) => Err(e.into()),
    }
}

/// The theme named in site.yaml, read before the rebuild that loads it.
fn read_theme(root: &Path) -> Option<String> {
    crate::config::Config::load(root).ok().map(|c| c.theme)
}

/// A rebuild that no event asked for: picks up files whose events were missed; quiet when
/// nothing changed.
fn rescan(
    pipeline: &mut Pipeline,
    state: &mut Output,
    reloader: &Reloader,
    chatter: Chatter,
    changes: &Changes,
) -> Option<Site> {
    let t0 = Instant::now();
    rebuild(
        pipeline,
        changes,
        state,
        reloader,
        &BTreeSet::new(),
        t0,
        chatter,
    )
}

/// The output folder, what was last written to it, and what the terminal was last told.
struct Output {
    out: PathBuf,
    /// path → content hash of every file on disk, as the manifest records it; `None` before
    /// the first good build.
    last: Option<HashMap<String, output::Hash>>,
    /// The warnings of the last good build, so a rebuild prints only new ones.
    warnings: BTreeSet<String>,
    /// Errors of the last build, if it failed.
    errors: usize,
    /// Pages the fast path wrote since the manifest was last updated.
    quick: Vec<(String, u64, output::Hash)>,
}

impl Output {
    fn new(out: PathBuf) -> Output {
        Output {
            out,
            last: None,
            warnings: BTreeSet::new(),
            errors: 0,
            quick: Vec::new(),
        }
    }

    /// After a good build: says that a broken site builds again, and prints the warnings that
    /// the last good build did not have.
    fn succeeded(&mut self, warnings: &[Diagnostic]) {
        if self.errors > 0 {
            println!(
                "fixed: the site builds again ({} error{} gone)",
                self.errors,
                if self.errors == 1 { "" } else { "s" }
            );
            self.errors = 0;
        }
        let now: BTreeSet<String> = warnings.iter().map(ToString::to_string).collect();
        for w in warnings.iter().map(ToString::to_string) {
            if !self.warnings.contains(&w) {
                eprintln!("warning: {w}");
            }
        }
        self.warnings = now;
    }

    fn unwritable(&mut self, e: &OutputError, reloader: &Reloader) {
        self.errors = 1;
        let hint = e
            .hint()
            .map(|h| format!("\n  hint: {h}"))
            .unwrap_or_default();
        eprintln!("error: {e}{hint}");
        eprintln!("build failed: 1 error; still serving the last good site");
        reloader.send(Status::Failed(format!("error: {e}{hint}")));
    }

    fn failed(&mut self, errors: &BuildErrors, reloader: &Reloader) {
        self.errors = errors.0.len();
        eprintln!("{errors}");
        eprintln!(
            "build failed: {} error{}; still serving the last good site",
            errors.0.len(),
            if errors.0.len() == 1 { "" } else { "s" }
        );
        reloader.send(Status::Failed(errors.to_string()));
    }
}

fn rebuild(
    pipeline: &mut Pipeline,
    changes: &Changes,
    state: &mut Output,
    reloader: &Reloader,
    names: &BTreeSet<String>,
    t0: Instant,
    chatter: Chatter,
) -> Option<Site> {
    let mut laps = Laps::start();
    let what = match names.len() {
        0 => "rescan".to_owned(),
        1..=3 => names.iter().cloned().collect::<Vec<_>>().join(", "),
        n => format!(
            "{} and {} more",
            names.iter().take(2).cloned().collect::<Vec<_>>().join(", "),
            n - 2
        ),
    };
    let Some(mut last) = state.last.take() else {
        // No good build yet: this one is swapped in whole, like the first.
        return rebuild_whole(pipeline, changes, state, reloader, &what, t0, chatter);
    };
    // Theme, config and UI-string changes write only at the end, all or nothing.
    let content_only = !changes.config && !changes.theme && !changes.i18n;
    // Nothing is written, not even the edited page, unless all of it can be: a walk of the
    // whole output, run beside the pipeline (the first page written early waits for it). The
    // pipeline still runs, so its caches take the change in; what it rendered is rendered
    // again next time.
    let (result, writable, early, files) = std::thread::scope(|s| {
        let out = state.out.as_path();
        let sink = sink::Collect::new(out, &last, content_only, s);
        let result = pipeline.run(changes, &sink, None);
        let (writable, early, files) = sink.finish();
        (result, writable, early, files)
    });
    laps.lap("watch: pipeline");
    for (path, _, h) in &early {
        last.insert(path.clone(), *h);
    }
    let (built, stats) = match result {
        Ok(result) => result,
        Err(e) => {
            state.last = Some(last);
            pipeline.forget_written();
            match e {
                BuildFailure::Content(errors) => state.failed(&errors, reloader),
                BuildFailure::Output(e) => state.unwritable(&e, reloader),
            };
            return None;
        }
    };
    if let Err(e) = writable {
        state.last = Some(last);
        pipeline.forget_written();
        state.unwritable(&e, reloader);
        return None;
    }
    // The fast path's pages are on disk already: the manifest takes them in with the rest.
    let mut early = early;
    early.append(&mut state.quick);
    let result = output::write_changes(&state.out, &mut last, &files, &built.paths, &early);
    state.last = Some(last);
    laps.lap("watch: write changes");
    laps.print();
    match result {
        Ok(mut written) => {
            stats.print(&written);
            state.succeeded(&built.site.warnings);
            written.written.extend(early.into_iter().map(|(p, _, _)| p));
            written.written.sort();
            written.written.dedup();
            if names.is_empty() && written.written.is_empty() && written.deleted.is_empty() {
                return Some(built.site);
            }
            report_success(&what, &stats, &written, t0, chatter);
            let mut paths = written.written;
            paths.extend(written.deleted);
            reloader.send(Status::Ok(paths));
            Some(built.site)
        }
        Err(e) => {
            pipeline.forget_written();
            eprintln!("error: {e}");
            reloader.send(Status::Failed(format!("error: {e}")));
            None
        }
    }
}

/// A rebuild with no good output before it: streamed into a new folder and swapped in whole.
fn rebuild_whole(
    pipeline: &mut Pipeline,
    changes: &Changes,
    state: &mut Output,
    reloader: &Reloader,
    what: &str,
    t0: Instant,
    chatter: Chatter,
) -> Option<Site> {
    let run = output::NewOutput::begin(&state.out)
        .map_err(BuildFailure::from)
        .and_then(|new| {
            let (built, stats) = pipeline.run(changes, &new, None)?;
            Ok((built, stats, new.commit()?))
        });
    match run {
        Ok((built, stats, written)) => {
            state.last = output::recorded(&state.out);
            stats.print(&written);
            state.succeeded(&built.site.warnings);
            report_success(what, &stats, &written, t0, chatter);
            reloader.send(Status::Ok(written.written));
            Some(built.site)
        }
        Err(BuildFailure::Content(errors)) => {
            state.failed(&errors, reloader);
            None
        }
        Err(BuildFailure::Output(e)) => {
            pipeline.forget_written();
            state.unwritable(&e, reloader);
            None
        }
    }
}

/// Starts the preview server on its own runtime thread; the runtime lives as long as the handle.
fn start_server(
    opts: &WatchOptions,
    out: &Path,
    reloader: Reloader,
) -> Result<tokio::runtime::Runtime, WatchError> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|source| WatchError::Bind { addr, source })?;
    let (bound, server) = runtime
        .block_on(serve::bind(addr, out.to_path_buf(), reloader))
        .map_err(|source| WatchError::Bind { addr, source })?;
    runtime.spawn(async move {
        if let Err(e) = server.await {
            eprintln!("error: preview server stopped: {e}");
        }
    });
    let url = format!("http://{bound}/");
    println!("serving {} at {url}", out.display());
    if opts.open {
        open_browser(&url);
    }
    Ok(runtime)
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser; open {url} yourself");
    }
}
