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
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
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

/// Runs every stage in memory.
pub fn build_site(root: &Path, config: Config, drafts: bool) -> Result<Built, BuildErrors> {
    let i18n = I18n::load(root, &config)?;
    let theme = Theme::load(root, &config)?;
    let content = content::load(root, &config, drafts)?;
    // Each stage goes on past bad files so one run reports every problem it can find.
    let mut errors = content.errors;
    let site::Planned {
        mut pages,
        mut warnings,
        errors: mut plan_errors,
        failed,
    } = site::plan(&config, &i18n, content.pages);
    errors.append(&mut plan_errors);
    let failed: Vec<(String, String)> = content.failed.into_iter().chain(failed).collect();
    if let Err(BuildErrors(mut e)) =
        site::render_bodies(&mut pages, &config, &i18n, &content.assets, &failed)
    {
        errors.append(&mut e);
    }
    if !errors.is_empty() {
        return Err(BuildErrors(errors));
    }
    warnings.extend(missing_translations(&config, &pages));
    if config.base_url.is_none() {
        warnings.push(
            Diagnostic::new(
                "no base_url: sitemap.xml, canonical links and absolute 404 links are left out",
            )
            .in_file(crate::config::CONFIG_FILE)
            .with_hint("set `base_url:` in site.yaml or pass --base-url"),
        );
    }
    let site = site::assemble(config, i18n, pages, content.assets, warnings);
    let rendered = render::render_pages(&site, &theme)?;
    let mut files = search_files(&site, &rendered);
    files.extend(render::render_site(&site, &theme, rendered)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built { site, files })
}

/// The search index of every language, from each page's rendered HTML.
fn search_files(site: &Site, rendered: &[render::RenderedPage]) -> Vec<OutputFile> {
    site.config
        .languages
        .par_iter()
        .flat_map_iter(|lang| {
            let pages: Vec<crate::search::SearchPage> = rendered
                .iter()
                .map(|r| (&site.pages[r.index], r))
                .filter(|(p, _)| p.lang == lang.code && p.front.search != Some(false))
                .map(|(p, r)| crate::search::SearchPage {
                    url: &p.url,
                    title: &p.front.title,
                    html: &r.html,
                })
                .collect();
            crate::search::build_index(&lang.code, &pages)
        })
        .collect()
}

/// Warnings for pages that exist in some language but not in others.
fn missing_translations(config: &Config, pages: &[site::Page]) -> Vec<Diagnostic> {
    let all: BTreeSet<&str> = pages
        .iter()
        .filter(|p| p.written)
        .map(|p| p.rel.as_str())
        .collect();
    config
        .languages
        .iter()
        .filter_map(|lang| {
            let have: BTreeSet<&str> = pages
                .iter()
                .filter(|p| p.written && p.lang == lang.code)
                .map(|p| p.rel.as_str())
                .collect();
            let missing: Vec<&str> = all.difference(&have).copied().collect();
            (!missing.is_empty()).then(|| {
                let shown: Vec<&str> = missing.iter().take(5).copied().collect();
                let more = if missing.len() > 5 {
                    format!(", and {} more", missing.len() - 5)
                } else {
                    String::new()
                };
                Diagnostic::new(format!(
                    "{} of {} pages missing in '{}': {}{more}",
                    missing.len(),
                    all.len(),
                    lang.code,
                    shown.join(", ")
                ))
                .in_file(Path::new("content").join(&lang.code))
            })
        })
        .collect()
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
    let built = build_site(&opts.root, config, opts.drafts)?;
    output::write_atomic(&out, &built.files)?;
    Ok(BuildReport {
        pages: built.site.pages.len(),
        languages: built.site.config.languages.len(),
        out,
        elapsed: start.elapsed(),
        warnings: built.site.warnings,
    })
}
