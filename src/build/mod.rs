//! The pipeline, stage by stage: config → content → planned pages → Markdown → site model →
//! templates (each page indexed for search and handed to the output as it is rendered) →
//! search index → site files. Input: the site root, options and a `Sink`. Output: the site
//! model and the paths of every output file; the files themselves went to the sink.
//!
//! `build` runs the pipeline once, on a cache that keeps nothing, into a new output folder;
//! `watch` keeps one pipeline and its cache alive and writes what changed. No page's HTML
//! outlives its own write, so memory stays bounded by the site model, not the output.

pub(crate) mod cache;
mod inputs;
mod order;
mod search_stage;
mod stats;

pub(crate) use stats::RunStats;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::i18n::I18n;
use crate::output::{self, OutputError, OutputFile, Sink};
use crate::render::{self, Theme};
use crate::search::Analysed;
use crate::site::{self, Site};
use cache::Cache;
use search_stage::SearchOutput;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The file in the output that records the inputs it was built from (see `inputs.rs`).
const INPUTS_FILE: &str = output::RECORD;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output directory; `None` means site.yaml's `output_dir`, relative to the root.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    pub force: bool,
}

/// A site built: its model and the path of every output file (the files went to the sink).
pub(crate) struct Built {
    pub site: Site,
    pub paths: BTreeSet<String>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub languages: usize,
    pub out: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Nothing had changed since the output was built: no stage ran.
    pub up_to_date: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildFailure {
    #[error("{0}")]
    Content(#[from] BuildErrors),
    #[error("{0}")]
    Output(#[from] OutputError),
}

/// Loads the config, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, BuildErrors> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.base_url = Some(url.to_owned()).filter(|u| !u.is_empty());
    }
    Ok(config)
}

/// What changed since the last run of a pipeline; `cache::Cache::invalidate` says what each
/// kind invalidates.
#[derive(Debug, Clone, Default)]
pub(crate) struct Changes {
    /// site.yaml or a data file: everything is reloaded.
    pub config: bool,
    /// UI strings: Markdown (alert titles) and every page.
    pub i18n: bool,
    /// Templates or static files of the theme: every page's template runs again.
    pub theme: bool,
    /// Content files named by the watcher; they are read again even if their size and time
    /// look unchanged. Other content files are re-read only when those differ.
    pub content: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn everything() -> Changes {
        Changes {
            config: true,
            i18n: true,
            theme: true,
            content: BTreeSet::new(),
        }
    }
}

/// A sink that drops every file: `check` needs only the site model and its warnings. It
/// still hashes each file, as the trait promises (`check` then makes the same service worker).
struct Discard;

impl Sink for Discard {
    fn put(&self, file: OutputFile) -> Result<output::Hash, OutputError> {
        Ok(output::hash(&file.bytes))
    }
}

/// Hands each file on to the real sink and remembers the hash the sink took of it: the
/// service worker's version covers every output file, including those a `watch` run does not
/// hand over again.
struct Recording<'a> {
    sink: &'a dyn Sink,
    hashes: std::sync::Mutex<BTreeMap<String, output::Hash>>,
}

impl Sink for Recording<'_> {
    fn put(&self, file: OutputFile) -> Result<output::Hash, OutputError> {
        let path = file.path.clone();
        let hash = self.sink.put(file)?;
        self.hashes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, hash);
        Ok(hash)
    }
}

/// The build pipeline and what it keeps between runs.
pub(crate) struct Pipeline {
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    cache: Cache,
    /// Output path → hash of its bytes, as of the last run (see [`Recording`]).
    output_hashes: BTreeMap<String, output::Hash>,
}

impl Pipeline {
    /// `keep`: remember each stage's values for the next run (`watch`).
    pub(crate) fn new(root: &Path, drafts: bool, base_url: Option<String>, keep: bool) -> Pipeline {
        Pipeline {
            root: root.to_path_buf(),
            drafts,
            base_url,
            cache: if keep {
                Cache::keeping()
            } else {
                Cache::none()
            },
            output_hashes: BTreeMap::new(),
        }
    }

    /// The theme of the last run, for `watch`'s fast path (`watch::quick`).
    pub(crate) fn theme(&self) -> Option<&Theme> {
        self.cache.theme.as_ref()
    }

    /// After a run whose files could not be written: render everything next time.
    pub(crate) fn forget_written(&mut self) {
        self.cache.forget_written();
    }

    /// Runs every stage, reusing what `changes` leaves valid, and hands each new or possibly
    /// changed output file to `sink` as soon as it exists (pages first, as their templates
    /// run). Pages whose view is unchanged since the last run are not rendered or handed over.
    /// `stamp`: the inputs' stamp when the caller already took it (a one-off `build` compares
    /// it with the output's record first); `None`, and the run takes its own.
    /// The first run of a new pipeline, with the config its caller already loaded from the
    /// same root and base URL: [`Pipeline::run`] with every change but site.yaml's, so the
    /// config and its data files are not read and parsed a second time (0.6 % of a 1k build's
    /// instructions, on the main thread while the other core waits).
    fn run_with_config(
        &mut self,
        config: Config,
        sink: &dyn Sink,
        stamp: Option<String>,
    ) -> Result<(Built, RunStats), BuildFailure> {
        self.cache.config = Some(config);
        let changes = Changes {
            config: false,
            ..Changes::everything()
        };
        self.run(&changes, sink, stamp)
    }

    pub(crate) fn run(
        &mut self,
        changes: &Changes,
        sink: &dyn Sink,
        stamp: Option<String>,
    ) -> Result<(Built, RunStats), BuildFailure> {
        let recording = Recording {
            sink,
            hashes: std::sync::Mutex::new(std::mem::take(&mut self.output_hashes)),
        };
        let sink: &dyn Sink = &recording;
        let mut stats = RunStats::start();
        let stamp = stamp
            .unwrap_or_else(|| inputs::stamp(&self.root, self.drafts, self.base_url.as_deref()));
        self.cache.invalidate(changes);
        let (config, i18n) = self.settings()?;
        stats.lap("config, i18n, theme");
        let mut site = self.site(config, i18n, changes, &mut stats)?;
        let synonyms = self.synonyms(&site)?;
        let mut paths = BTreeSet::new();
        let mut errors = Vec::new();
        // One language at a time, so a one-off build holds only one language's analysed pages
        // at once; in the order of `order.rs`.
        // (Building a language's index on its own thread beside the next language's
        // templates was measured: no faster once the index used both cores, and 60 MiB more.)
        let mut search = SearchOutput::new();
        let mut analysed: Vec<OnceLock<_>> = site.pages.iter().map(|_| OnceLock::new()).collect();
        for code in &order::languages(&site, self.cache.analysed.keeps()) {
            let only: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].lang == *code)
                .collect();
            match pages(&site, &self.cache, &only, sink, &analysed) {
                Ok(done) => {
                    let urls = done.fresh.iter().map(|&i| site.pages[i].url.clone());
                    stats.rendered.extend(urls);
                    for (key, remembered) in done.remember {
                        self.cache.views.insert(key, remembered);
                    }
                }
                // Every language is rendered, so one run reports every template error.
                Err(BuildFailure::Content(BuildErrors(e))) => {
                    e.into_iter()
                        .for_each(|d| render::add_error(&mut errors, d));
                }
                Err(e) => return Err(e),
            }
            // Each page's Markdown output was only for its own template.
            site.drop_bodies(&only);
            if errors.is_empty() {
                let (cache, s) = (&self.cache, &synonyms);
                search_stage::run_language(
                    &site,
                    code,
                    &mut analysed,
                    cache,
                    s,
                    sink,
                    &mut search,
                )?;
            }
        }
        if !errors.is_empty() {
            return Err(BuildErrors(errors).into());
        }
        let live: BTreeSet<site::PageKey> = site.pages.iter().map(|p| p.key()).collect();
        self.cache.views.retain(|key, _| live.contains(key));
        paths.extend(site.pages.iter().map(|p| crate::urls::file_of(&p.url)));
        paths.extend(search.paths.iter().cloned());
        stats.search = std::mem::take(&mut search.rebuilt);
        stats.search_index = search.index_time;
        stats.lap("templates, search, write");
        let theme = self.cache.theme.as_ref().ok_or_else(not_loaded)?;
        put_all(sink, render::render_site(&site, theme)?, &mut paths)?;
        // Last of the site's files: the service worker's version is a hash of all the others.
        let mut hashes = recording
            .hashes
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        hashes.retain(|path, _| paths.contains(path));
        put_all(
            recording.sink,
            render::offline_files(&site, theme, &hashes)?,
            &mut paths,
        )?;
        self.output_hashes = hashes;
        let sink = recording.sink;
        let record = inputs::record(&stamp, site.pages.len(), &site.warnings);
        put_all(sink, vec![OutputFile::new(INPUTS_FILE, record)], &mut paths)?;
        stats.lap("site files");
        search.commit(&mut self.cache, &site);
        Ok((Built { site, paths }, stats))
    }

    /// Config, UI strings and theme, loaded where the cache lacks them.
    fn settings(&mut self) -> Result<(Config, I18n), BuildErrors> {
        let c = &mut self.cache;
        if c.config.is_none() {
            c.config = Some(load_config(&self.root, self.base_url.as_deref())?);
        }
        let config = c.config.clone().ok_or_else(not_loaded)?;
        if c.i18n.is_none() {
            c.i18n = Some(I18n::load(&self.root, &config)?);
        }
        if c.theme.is_none() {
            c.theme = Some(Theme::load(&self.root, &config)?);
        }
        let i18n = c.i18n.clone().ok_or_else(not_loaded)?;
        Ok((config, i18n))
    }

    /// Content → planned pages → rendered bodies → the site model, with every warning.
    fn site(
        &mut self,
        config: Config,
        i18n: I18n,
        changes: &Changes,
        stats: &mut RunStats,
    ) -> Result<Site, BuildErrors> {
        let content = content::load(
            &self.root,
            &config,
            self.drafts,
            &mut self.cache.sources,
            &changes.content,
        )?;
        stats.parsed = self.cache.sources.parsed;
        stats.lap("content");
        // Each stage goes on past bad files so one run reports every problem it can find.
        let mut errors = content.errors;
        let site::Planned {
            pages,
            mut warnings,
            errors: mut plan_errors,
            failed,
        } = site::plan(&config, content.pages, &content.assets);
        errors.append(&mut plan_errors);
        let failed: Vec<site::PageKey> = content.failed.into_iter().chain(failed).collect();
        let bodies = site::render_bodies(
            pages,
            &config,
            &i18n,
            &content.assets,
            &failed,
            &mut self.cache.markdown,
        )?;
        stats.markdown = bodies.rendered;
        errors.extend(bodies.errors);
        let pages = bodies.pages;
        stats.lap("plan + markdown");
        if !errors.is_empty() {
            return Err(BuildErrors(errors));
        }
        warnings.extend(site_warnings(&config, &i18n, &pages));
        let site = site::assemble(config, i18n, pages, content.assets, warnings);
        stats.lap("site model");
        Ok(site)
    }

    fn synonyms(&self, site: &Site) -> Result<crate::search::Synonyms, BuildErrors> {
        let codes: Vec<&str> = site.config.language_codes();
        crate::search::Synonyms::load(&self.root, &codes).map_err(synonyms_error)
    }
}

/// Runs the templates of the pages `only`; each page's HTML is analysed for search (into
/// `analysed`) and handed to the sink right away, then dropped. Returns which pages were
/// rendered and the views to remember.
fn pages(
    site: &Site,
    cache: &Cache,
    only: &[usize],
    sink: &dyn Sink,
    analysed: &[OnceLock<Arc<Analysed>>],
) -> Result<render::RenderedPages, BuildFailure> {
    let theme = cache.theme.as_ref().ok_or_else(not_loaded)?;
    let failed: Mutex<Option<OutputError>> = Mutex::new(None);
    let known = &cache.analysed;
    // A searchable page the search cache lacks must be rendered to be analysed.
    let must = |i: usize| {
        let p = &site.pages[i];
        search_stage::searchable(p) && known.get(&p.key()).is_none()
    };
    let emit = |i: usize, html: String| {
        let p = &site.pages[i];
        if search_stage::searchable(p) {
            let _ = analysed[i].set(search_stage::analyse(p, &html));
        }
        if let Err(e) = sink.put(render::page_file(site, i, html)) {
            let mut first = failed.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert(e);
        }
    };
    let done = render::render_pages(site, theme, &cache.views, only, &must, &emit)?;
    if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e.into());
    }
    Ok(done)
}

/// Hands `files` to the sink and records their paths.
fn put_all(
    sink: &dyn Sink,
    files: Vec<OutputFile>,
    paths: &mut BTreeSet<String>,
) -> Result<(), OutputError> {
    for f in files {
        paths.insert(f.path.clone());
        sink.put(f)?;
    }
    Ok(())
}

/// A stage's value is missing although the stage before it succeeded: a bug, reported.
fn not_loaded() -> BuildErrors {
    Diagnostic::new("internal: a pipeline stage ran before the one it depends on")
        .with_hint("please report this")
        .into()
}

/// Warnings of the whole site: config, Markdown, translation fallbacks, UI strings, base_url.
fn site_warnings(config: &Config, i18n: &I18n, pages: &[site::Page]) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = config.warnings.clone();
    warnings.extend(
        pages
            .iter()
            .flat_map(|p| p.rendered.warnings.iter().cloned()),
    );
    warnings.extend(site::fallback_report(
        config,
        &site::fallbacks(config, pages),
    ));
    warnings.extend(i18n.warnings.iter().cloned());
    if config.base_url.is_none() {
        warnings.push(
            Diagnostic::new(
                "no base_url: sitemap.xml, canonical links, og:image and JSON-LD URLs are left out",
            )
            .in_file(crate::config::CONFIG_FILE)
            .with_hint("set `base_url:` in site.yaml or pass --base-url"),
        );
    }
    warnings
}

/// `search/synonyms.yaml` problems as a report at the file and line.
fn synonyms_error(e: crate::search::SynonymsError) -> BuildErrors {
    use crate::search::SynonymsError as E;
    let d = Diagnostic::new(e.to_string()).in_file(crate::search::SYNONYMS_FILE);
    BuildErrors::one(match e {
        E::Parse {
            line: Some(line),
            column,
            ..
        } => d.at(line, column),
        E::UnknownLanguage { known, .. } => d.with_hint(format!(
            "use `all` or a language of site.yaml: {}",
            known.join(", ")
        )),
        _ => d,
    })
}

/// Runs every stage on an empty cache and keeps no file: for `check`.
pub(crate) fn build_site(
    root: &Path,
    drafts: bool,
    base_url: Option<String>,
) -> Result<Built, BuildErrors> {
    let mut pipeline = Pipeline::new(root, drafts, base_url, false);
    match pipeline.run(&Changes::everything(), &Discard, None) {
        Ok((built, _)) => Ok(built),
        Err(BuildFailure::Content(e)) => Err(e),
        Err(BuildFailure::Output(e)) => Err(Diagnostic::new(e.to_string()).into()),
    }
}

/// The output directory: `--out` relative to the current directory, else site.yaml's
/// `output_dir` relative to the root.
pub(crate) fn output_dir(opts: &BuildOptions, config: &Config) -> PathBuf {
    opts.out
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.output_dir))
}

/// `steppe build`: nothing at all when the output records exactly the current inputs and is
/// intact; else every stage, streaming into a staging folder swapped in at the end. The site
/// model is not freed (the process exits next), so call this once per process.
pub fn run(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let config = load_config(&opts.root, opts.base_url.as_deref())?;
    let out = output_dir(opts, &config);
    output::check_location(&opts.root, &out, opts.force)?;
    let stamp = inputs::stamp(&opts.root, opts.drafts, opts.base_url.as_deref());
    let recorded = output::intact_record(&out, INPUTS_FILE, |r| inputs::read_record(r, &stamp));
    if let Some((pages, warnings)) = recorded {
        RunStats::start().print(&output::WriteStats::default());
        return Ok(BuildReport {
            pages,
            languages: config.languages.len(),
            out,
            elapsed: start.elapsed(),
            warnings,
            up_to_date: true,
        });
    }
    // Only a build that replaces the output walks it for folders the swap could not delete
    // (with the page cache cold, that walk was most of a rebuild with nothing changed).
    output::check_replaceable(&out)?;
    let new = output::NewOutput::begin(&out)?;
    let mut pipeline = Pipeline::new(&opts.root, opts.drafts, opts.base_url.clone(), false);
    let (built, mut stats) = pipeline.run_with_config(config, &new, Some(stamp))?;
    let written = new.commit()?;
    stats.lap("swap");
    stats.print(&written);
    let Built { mut site, paths } = built;
    let report = BuildReport {
        pages: site.pages.len(),
        languages: site.config.languages.len(),
        out,
        elapsed: start.elapsed(),
        warnings: std::mem::take(&mut site.warnings),
        up_to_date: false,
    };
    // A one-off build exits next: freeing the site model piece by piece took ~30 ms on one
    // core at 10k pages, for memory the process hands back anyway.
    std::mem::forget((site, paths, pipeline));
    Ok(report)
}
