//! The pipeline, stage by stage: config → content → planned pages → Markdown → site model →
//! templates → output files (+ search index) → writer.
//!
//! `build_site` is pure apart from reading the site's files: it returns everything in memory,
//! so `build` and `watch` share it and only differ in how they write.

use crate::config::Config;
use crate::content;
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::i18n::I18n;
use crate::output::{self, OutputError, OutputFile};
use crate::render::{self, Theme};
use crate::site::{self, Site};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output directory; `None` means site.yaml's `output_dir`, relative to the root.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    pub force: bool,
}

/// A site built in memory.
pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub languages: usize,
    pub out: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
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

/// What changed since the last run of a pipeline; each kind restarts from the earliest stage
/// it affects.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// site.yaml: everything is reloaded.
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

/// What one run did, for `watch`'s one-line report and `--verbose`.
#[derive(Debug, Clone, Default)]
pub struct RunStats {
    /// Content files read and parsed.
    pub parsed: usize,
    /// Pages whose Markdown was rendered.
    pub markdown: usize,
    /// URLs of the pages whose template ran.
    pub rendered: Vec<String>,
    /// Languages whose search index was rebuilt.
    pub search: Vec<String>,
    /// Wall time of each stage, in order (printed with `STEPPE_TIMINGS=1`).
    pub stages: Vec<(&'static str, Duration)>,
    started: Option<Instant>,
}

impl RunStats {
    /// Ends the current stage.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let start = self.started.replace(now).unwrap_or(now);
        self.stages.push((stage, now - start));
    }

    /// One line per stage, for `STEPPE_TIMINGS=1`.
    pub fn print_stages(&self) {
        if std::env::var_os("STEPPE_TIMINGS").is_some() {
            for (stage, d) in &self.stages {
                eprintln!("  {stage:>20}: {:7.1} ms", d.as_secs_f64() * 1000.0);
            }
        }
    }
}

/// Called with the site, every page's HTML and the indexes of the pages rendered afresh.
pub type PagesHook<'a> = dyn FnMut(&Site, &[render::RenderedPage], &[usize]) + 'a;

/// The build pipeline with the values of its last run kept, so that a rebuild restarts from
/// the earliest stage a change affects and reuses the rest. `build` runs it once on an empty
/// cache; `watch` keeps one alive.
pub struct Pipeline {
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    /// Keep rendered pages between runs (costs memory; only `watch` wants it).
    remember: bool,
    config: Option<Config>,
    i18n: Option<I18n>,
    theme: Option<Theme>,
    sources: content::SourceCache,
    markdown: site::MarkdownMemo,
    html: render::HtmlMemo,
    search: SearchMemo,
}

impl Pipeline {
    pub fn new(root: &Path, drafts: bool, base_url: Option<String>, remember: bool) -> Pipeline {
        Pipeline {
            root: root.to_path_buf(),
            drafts,
            base_url,
            remember,
            config: None,
            i18n: None,
            theme: None,
            sources: content::SourceCache::new(remember),
            markdown: Default::default(),
            html: Default::default(),
            search: Default::default(),
        }
    }

    /// The config of the last successful load.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Runs every stage, reusing what `changes` leaves valid.
    pub fn run(&mut self, changes: &Changes) -> Result<(Built, RunStats), BuildErrors> {
        self.run_with(changes, &mut |_, _, _| {})
    }

    /// Like `run`, and hands the pages to `on_pages` as soon as their templates have run (with
    /// the indexes of the pages rendered afresh), before the search index and site files:
    /// `watch` writes an edited page's HTML right away.
    pub fn run_with(
        &mut self,
        changes: &Changes,
        on_pages: &mut PagesHook,
    ) -> Result<(Built, RunStats), BuildErrors> {
        let root = self.root.clone();
        let mut stats = RunStats {
            started: Some(Instant::now()),
            ..RunStats::default()
        };
        if changes.config || self.config.is_none() {
            self.config = None;
            self.i18n = None;
            self.theme = None;
            self.config = Some(load_config(&root, self.base_url.as_deref())?);
        }
        let config = self.config.clone().expect("loaded above");
        if changes.i18n || self.i18n.is_none() {
            self.i18n = None;
            self.markdown.clear();
            self.html.clear();
            self.i18n = Some(I18n::load(&root, &config)?);
        }
        if changes.theme || self.theme.is_none() {
            self.theme = None;
            self.html.clear();
            self.theme = Some(Theme::load(&root, &config)?);
        }
        if changes.config {
            self.markdown.clear();
            self.html.clear();
            self.search = SearchMemo::default();
        }
        let i18n = self.i18n.clone().expect("loaded above");
        stats.lap("config, i18n, theme");
        let content = content::load(
            &root,
            &config,
            self.drafts,
            &mut self.sources,
            &changes.content,
        )?;
        stats.parsed = self.sources.parsed;
        stats.lap("content");
        // Each stage goes on past bad files so one run reports every problem it can find.
        let mut errors = content.errors;
        let site::Planned {
            mut pages,
            mut warnings,
            errors: mut plan_errors,
            failed,
        } = site::plan(&config, content.pages, &content.assets);
        errors.append(&mut plan_errors);
        let failed: Vec<(String, String)> = content.failed.into_iter().chain(failed).collect();
        match site::render_bodies(
            &mut pages,
            &config,
            &i18n,
            &content.assets,
            &failed,
            self.remember.then_some(&mut self.markdown),
        ) {
            Ok(n) => stats.markdown = n,
            Err(BuildErrors(mut e)) => errors.append(&mut e),
        }
        stats.lap("plan + markdown");
        if !errors.is_empty() {
            return Err(BuildErrors(errors));
        }
        warnings.extend(config.warnings.iter().cloned());
        warnings.extend(
            pages
                .iter()
                .flat_map(|p| p.rendered.warnings.iter().cloned()),
        );
        warnings.extend(site::fallback_report(
            &config,
            &site::fallbacks(&config, &pages),
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
        let site = site::assemble(config, i18n, pages, content.assets, warnings);
        stats.lap("site model");
        let theme = self.theme.as_ref().expect("loaded above");
        let memo = if self.remember {
            Some(&mut self.html)
        } else {
            None
        };
        let (rendered, fresh) = render::render_pages(&site, theme, memo)?;
        stats.lap("templates");
        on_pages(&site, &rendered, &fresh);
        stats.rendered = fresh.iter().map(|&i| site.pages[i].url.clone()).collect();
        let codes: Vec<&str> = site
            .config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .collect();
        let synonyms = crate::search::Synonyms::load(&root, &codes).map_err(synonyms_error)?;
        let mut files = search_files(
            &mut self.search,
            self.remember,
            &synonyms,
            &site,
            &rendered,
            &fresh,
            &mut stats,
        );
        stats.lap("search index");
        files.extend(render::render_site(&site, theme, rendered)?);
        // Last: the service worker's version is a hash of every other file.
        files.extend(render::offline_files(&site, theme, &files)?);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        stats.lap("site files");
        Ok((Built { site, files }, stats))
    }
}

/// Per language: the fingerprint of its page set, and its index files.
/// What the search stage keeps between runs: per language, the fingerprint of its page set
/// and its index files; per page, its analysed documents.
#[derive(Default)]
struct SearchMemo {
    indexes: std::collections::BTreeMap<String, (u64, Vec<OutputFile>)>,
    pages: HashMap<(String, String), Arc<crate::search::Analysed>>,
}

/// The search index of every language. Pages whose template did not run keep their analysed
/// documents, and a language none of whose pages changed keeps its index from the last run.
fn search_files(
    memo: &mut SearchMemo,
    remember: bool,
    synonyms: &crate::search::Synonyms,
    site: &Site,
    rendered: &[render::RenderedPage],
    fresh: &[usize],
    stats: &mut RunStats,
) -> Vec<OutputFile> {
    let fresh: BTreeSet<usize> = fresh.iter().copied().collect();
    // A fallback copy is another language's text: it would only add noise to this index.
    let searchable = |r: &&render::RenderedPage| {
        let p = &site.pages[r.index];
        p.front.search != Some(false) && p.is_translated()
    };
    let analysed: Vec<(usize, Arc<crate::search::Analysed>)> = rendered
        .par_iter()
        .filter(searchable)
        .map(|r| {
            let p = &site.pages[r.index];
            let kept = memo.pages.get(&(p.lang.clone(), p.rel.clone()));
            let a = match kept {
                Some(a) if !fresh.contains(&r.index) => a.clone(),
                _ => Arc::new(crate::search::analyse(&search_page(site, r))),
            };
            (r.index, a)
        })
        .collect();
    let by_index: HashMap<usize, &Arc<crate::search::Analysed>> =
        analysed.iter().map(|(i, a)| (*i, a)).collect();
    let langs: Vec<(String, u64, bool)> = site
        .config
        .languages
        .iter()
        .map(|l| {
            let members: Vec<(&str, &str)> = rendered
                .iter()
                .filter(searchable)
                .map(|r| &site.pages[r.index])
                .filter(|p| p.lang == l.code)
                .map(|p| (p.url.as_str(), p.front.title.as_str()))
                .collect();
            let changed = rendered
                .iter()
                .any(|r| site.pages[r.index].lang == l.code && fresh.contains(&r.index));
            let rules = synonyms.for_lang(&l.code);
            (l.code.clone(), site::hash_of(&(members, rules)), changed)
        })
        .collect();
    let rebuilt: Vec<(String, u64, Vec<OutputFile>)> = langs
        .par_iter()
        .filter(|(code, members, changed)| {
            *changed || memo.indexes.get(code).is_none_or(|(m, _)| m != members)
        })
        .map(|(code, members, _)| {
            let pages: Vec<&crate::search::Analysed> = rendered
                .iter()
                .filter(searchable)
                .filter(|r| &site.pages[r.index].lang == code)
                .map(|r| by_index[&r.index].as_ref())
                .collect();
            (
                code.clone(),
                *members,
                crate::search::build_index_from(code, &pages, synonyms),
            )
        })
        .collect();
    for (code, members, files) in rebuilt {
        stats.search.push(code.clone());
        memo.indexes.insert(code, (members, files));
    }
    let codes: BTreeSet<&str> = langs.iter().map(|(c, _, _)| c.as_str()).collect();
    memo.indexes.retain(|code, _| codes.contains(code.as_str()));
    let files = memo
        .indexes
        .values()
        .flat_map(|(_, f)| f.iter().cloned())
        .collect();
    if remember {
        memo.pages = analysed
            .into_iter()
            .map(|(i, a)| ((site.pages[i].lang.clone(), site.pages[i].rel.clone()), a))
            .collect();
    } else {
        *memo = SearchMemo::default();
    }
    files
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

fn search_page<'a>(site: &'a Site, r: &'a render::RenderedPage) -> crate::search::SearchPage<'a> {
    let p = &site.pages[r.index];
    crate::search::SearchPage {
        url: &p.url,
        title: &p.front.title,
        html: &r.html,
    }
}

/// Runs every stage in memory on an empty cache.
pub fn build_site(
    root: &Path,
    drafts: bool,
    base_url: Option<String>,
) -> Result<Built, BuildErrors> {
    let (built, stats) = Pipeline::new(root, drafts, base_url, false).run(&Changes::everything())?;
    stats.print_stages();
    Ok(built)
}

/// The output directory: `--out` relative to the current directory, else site.yaml's
/// `output_dir` relative to the root.
pub fn output_dir(opts: &BuildOptions, config: &Config) -> PathBuf {
    opts.out
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.output_dir))
}

/// `steppe build`: everything in memory, then one atomic swap.
pub fn run(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let config = load_config(&opts.root, opts.base_url.as_deref())?;
    let out = output_dir(opts, &config);
    output::check_destination(&opts.root, &out, opts.force)?;
    let built = build_site(&opts.root, opts.drafts, opts.base_url.clone())?;
    let writing = Instant::now();
    let written = output::write_atomic(&out, &built.files)?;
    if std::env::var_os("STEPPE_TIMINGS").is_some() {
        eprintln!(
            "  {:>20}: {:7.1} ms",
            "write",
            writing.elapsed().as_secs_f64() * 1000.0
        );
        // One line of counters, stable for tests and the benchmark to read.
        eprintln!(
            "  write counts: written={} linked={} bytes={}",
            written.written.len(),
            written.linked,
            written.bytes
        );
    }
    Ok(BuildReport {
        pages: built.site.pages.len(),
        languages: built.site.config.languages.len(),
        out,
        elapsed: start.elapsed(),
        warnings: built.site.warnings,
    })
}
