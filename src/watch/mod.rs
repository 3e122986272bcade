//! `steppe watch`: rebuild on save through the same pipeline as `build`, write only what
//! changed, and (unless `--no-serve`) serve the output with live reload.
//!
//! The loop never exits on bad content: a failed rebuild prints located errors, shows them in
//! the browser, writes nothing, and the last good site keeps being served.

mod events;
pub mod serve;

use crate::build::{Changes, Pipeline, RunStats};
use crate::diagnostics::BuildErrors;
use crate::output::{self, OutputError, OutputFile};
use events::Layout;
use notify::RecursiveMode;
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use serve::{Reloader, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

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
            _ => None,
        }
    }

    /// Exit code: a taken port or a refused `--out` is the user's to change.
    pub fn is_usage(&self) -> bool {
        match self {
            WatchError::Output(e) => e.is_usage(),
            WatchError::Bind { .. } => true,
            WatchError::Watch { .. } => false,
        }
    }
}

/// How often `--poll` looks at every file.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The two kinds of watcher behind one `watch` call.
enum FsWatcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

impl FsWatcher {
    fn new(
        poll: bool,
        debounce: Duration,
        tx: mpsc::Sender<DebounceEventResult>,
    ) -> notify::Result<FsWatcher> {
        // The debouncer ticks at a quarter of its timeout, so a tiny timeout still needs a tick.
        let tick = Some((debounce / 4).max(Duration::from_millis(1)));
        if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            Ok(FsWatcher::Poll(new_debouncer_opt(
                debounce, tick, tx, NoCache, config,
            )?))
        } else {
            Ok(FsWatcher::Native(new_debouncer(debounce, tick, tx)?))
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            FsWatcher::Native(d) => d.watch(path, mode),
            FsWatcher::Poll(d) => d.watch(path, mode),
        }
    }
}

/// Runs until the process is stopped. Returns only on start-up errors.
pub fn run(opts: &WatchOptions) -> Result<(), WatchError> {
    let root = output::absolute(&opts.root).map_err(|e| OutputError::Io {
        path: opts.root.clone(),
        source: e,
    })?;
    let started = Instant::now();
    let mut pipeline = Pipeline::new(&root, opts.drafts, None, true);
    let first = pipeline.run(&Changes::everything());
    let output_dir = pipeline
        .config()
        .map_or_else(|| "public".to_owned(), |c| c.output_dir.clone());
    let out_arg = opts.out.clone().unwrap_or_else(|| root.join(output_dir));
    let out = output::absolute(&out_arg).map_err(|e| OutputError::Io {
        path: out_arg.clone(),
        source: e,
    })?;
    output::check_destination(&root, &out, false)?;
    let reloader = Reloader::new();
    let mut state = Output {
        out: out.clone(),
        last: None,
    };
    match first {
        Ok((built, _)) => {
            let pages = built.site.pages.len();
            state.replace(&built.files)?;
            if !opts.quiet {
                println!(
                    "built {pages} pages in {:.2} s → {}",
                    started.elapsed().as_secs_f64(),
                    out.display()
                );
            }
            for w in &built.site.warnings {
                eprintln!("warning: {w}");
            }
        }
        Err(errors) => report_failure(&errors, &reloader),
    }
    let server = if opts.serve {
        Some(start_server(opts, &out, reloader.clone())?)
    } else {
        None
    };
    let theme = pipeline
        .config()
        .map_or_else(|| "default".to_owned(), |c| c.theme.clone());
    let mut layout = Layout {
        root: root.clone(),
        out: out.clone(),
        theme: root.join("themes").join(theme),
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher =
        FsWatcher::new(opts.poll, opts.debounce, tx).map_err(|source| WatchError::Watch {
            path: root.clone(),
            source,
        })?;
    let mut watched = BTreeSet::new();
    watch_dirs(&mut watcher, &layout, &mut watched)?;
    if !opts.quiet {
        println!("watching {} for changes (Ctrl+C to stop)", root.display());
    }
    let _keep_server = server;
    if opts.poll {
        // The poll watcher takes its first snapshot in the background: a save made before that
        // would never differ from it, so look once more after the first interval.
        std::thread::sleep(POLL_INTERVAL + Duration::from_millis(50));
        rescan(
            &mut pipeline,
            &Changes::default(),
            &mut state,
            &reloader,
            Chatter::of(opts),
        );
    }
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let t0 = Instant::now();
        let mut changes = Changes::default();
        let mut names = BTreeSet::new();
        let mut new_dir = false;
        for result in batch {
            let Ok(events) = result else { continue };
            for event in events {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    continue;
                }
                for path in &event.paths {
                    if let Some(name) = layout.classify(path, &mut changes) {
                        new_dir |= path.is_dir();
                        names.insert(name);
                    }
                }
            }
        }
        if names.is_empty() {
            continue;
        }
        if changes.config {
            // site.yaml may have switched the theme: follow it without a restart, watching the
            // new folder before building so no save in it is missed.
            if let Some(theme) = read_theme(&root) {
                layout.theme = root.join("themes").join(theme);
            }
        }
        if changes.config || changes.theme || changes.i18n {
            // The site's theme folder or i18n/ may have just been created (the built-in theme
            // needs neither): watch them from now on.
            watch_dirs(&mut watcher, &layout, &mut watched)?;
        }
        rebuild(
            &mut pipeline,
            &changes,
            &mut state,
            &reloader,
            &names,
            t0,
            Chatter::of(opts),
        );
        if new_dir {
            // A file written into a folder that was just created can arrive without an event
            // of its own: look again once the folder's watch is in place.
            std::thread::sleep(opts.debounce.max(Duration::from_millis(20)));
            let again = Changes {
                theme: changes.theme,
                i18n: changes.i18n,
                ..Changes::default()
            };
            rescan(
                &mut pipeline,
                &again,
                &mut state,
                &reloader,
                Chatter::of(opts),
            );
        }
    }
    Ok(())
}

/// The theme named in site.yaml, read before the rebuild that loads it.
fn read_theme(root: &Path) -> Option<String> {
    crate::config::Config::load(root).ok().map(|c| c.theme)
}

/// A rebuild that no event asked for: picks up files whose events were missed; quiet when
/// nothing changed.
fn rescan(
    pipeline: &mut Pipeline,
    changes: &Changes,
    state: &mut Output,
    reloader: &Reloader,
    chatter: Chatter,
) {
    let t0 = Instant::now();
    rebuild(
        pipeline,
        changes,
        state,
        reloader,
        &BTreeSet::new(),
        t0,
        chatter,
    );
}

fn watch_dirs(
    watcher: &mut FsWatcher,
    layout: &Layout,
    watched: &mut BTreeSet<PathBuf>,
) -> Result<(), WatchError> {
    // Folders, never single files: editors that save by renaming a temp file over the original
    // replace the file a single-file watch would follow.
    let wanted = [
        (layout.root.clone(), RecursiveMode::NonRecursive),
        (
            layout.root.join(crate::content::CONTENT_DIR),
            RecursiveMode::Recursive,
        ),
        (layout.theme.clone(), RecursiveMode::Recursive),
        (
            layout.root.join(crate::i18n::SITE_I18N_DIR),
            RecursiveMode::Recursive,
        ),
    ];
    for (dir, mode) in wanted {
        if dir.is_dir() && !watched.contains(&dir) {
            watcher
                .watch(&dir, mode)
                .map_err(|source| WatchError::Watch {
                    path: dir.clone(),
                    source,
                })?;
            watched.insert(dir);
        }
    }
    Ok(())
}

/// The output folder and what was last written to it.
struct Output {
    out: PathBuf,
    last: Option<BTreeMap<String, Vec<u8>>>,
}

impl Output {
    /// The first good build is swapped in whole, exactly as `build` does.
    fn replace(&mut self, files: &[OutputFile]) -> Result<(), OutputError> {
        output::write_atomic(&self.out, files)?;
        self.last = Some(
            files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect(),
        );
        Ok(())
    }

    fn update(&mut self, files: Vec<OutputFile>) -> Result<output::WriteStats, OutputError> {
        let Some(last) = &self.last else {
            self.replace(&files)?;
            return Ok(output::WriteStats {
                written: files.iter().map(|f| f.path.clone()).collect(),
                deleted: Vec::new(),
            });
        };
        let stats = output::write_changes(&self.out, last, &files)?;
        self.last = Some(files.into_iter().map(|f| (f.path, f.bytes)).collect());
        Ok(stats)
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
) {
    let what = match names.len() {
        0 => "rescan".to_owned(),
        1..=3 => names.iter().cloned().collect::<Vec<_>>().join(", "),
        n => format!(
            "{} and {} more",
            names.iter().take(2).cloned().collect::<Vec<_>>().join(", "),
            n - 2
        ),
    };
    // After a content-only change, the edited pages' HTML goes to disk before the search index
    // is rebuilt: every template already rendered fine, so nothing after this can fail for
    // them. Theme, config and UI-string changes write only at the end, all or nothing.
    let content_only = !changes.config && !changes.theme && !changes.i18n;
    let mut early = Vec::new();
    let mut write_early =
        |site: &crate::site::Site, pages: &[crate::render::RenderedPage], fresh: &[usize]| {
            if !content_only {
                return;
            }
            let fresh: BTreeSet<usize> = fresh.iter().copied().collect();
            for p in pages.iter().filter(|p| fresh.contains(&p.index)) {
                let file = OutputFile::new(
                    crate::urls::file_of(&site.pages[p.index].url),
                    p.html.clone().into_bytes(),
                );
                if state
                    .last
                    .as_ref()
                    .is_some_and(|last| last.get(&file.path) != Some(&file.bytes))
                    && output::write_file(&state.out, &file).is_ok()
                {
                    early.push(file);
                }
            }
        };
    let result = pipeline.run_with(changes, &mut write_early);
    let early_paths: Vec<String> = early.iter().map(|f| f.path.clone()).collect();
    if let Some(last) = state.last.as_mut() {
        for f in early {
            last.insert(f.path, f.bytes);
        }
    }
    let (built, stats) = match result {
        Ok(result) => result,
        Err(errors) => return report_failure(&errors, reloader),
    };
    stats.print_stages();
    match state.update(built.files) {
        Ok(mut written) => {
            written.written.extend(early_paths);
            if names.is_empty() && written.written.is_empty() && written.deleted.is_empty() {
                return;
            }
            report_success(&what, &stats, &written, t0, chatter);
            let mut paths = written.written;
            paths.extend(written.deleted);
            reloader.send(Status::Ok(paths));
        }
        Err(e) => {
            eprintln!("error: {e}");
            reloader.send(Status::Failed(format!("error: {e}")));
        }
    }
}

fn report_success(
    what: &str,
    stats: &RunStats,
    written: &output::WriteStats,
    t0: Instant,
    chatter: Chatter,
) {
    if chatter == Chatter::Quiet {
        return;
    }
    println!(
        "rebuilt in {} ms ({what}): {} page{} rendered, {} file{} written, {} deleted",
        t0.elapsed().as_millis(),
        stats.rendered.len(),
        if stats.rendered.len() == 1 { "" } else { "s" },
        written.written.len(),
        if written.written.len() == 1 { "" } else { "s" },
        written.deleted.len(),
    );
    if chatter == Chatter::Verbose {
        for url in &stats.rendered {
            println!("  rendered {url}");
        }
        if !stats.search.is_empty() {
            println!("  search index: {}", stats.search.join(", "));
        }
    }
}

fn report_failure(errors: &BuildErrors, reloader: &Reloader) {
    eprintln!("{errors}");
    eprintln!(
        "build failed: {} error{}; still serving the last good site",
        errors.0.len(),
        if errors.0.len() == 1 { "" } else { "s" }
    );
    reloader.send(Status::Failed(errors.to_string()));
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
