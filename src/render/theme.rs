//! The theme: Tera templates and static assets of the merged theme (see `theme_files`): the
//! site's `themes/<theme>/` over the built-in one. Input: the site root and config; output: a
//! ready Tera environment and the static files to write.
//!
//! Static files get a content hash in their name (`static/style.1a2b3c4d.css`) so hosts can cache
//! them forever; templates reach them through the `assets` map.

use super::partials::Partials;
use super::reads::Reads;
use crate::config::{Config, decode_utf8};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::output::OutputFile;
use crate::theme_files::ThemeFiles;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Theme {
    /// Shared with `cached_include`, which renders partials with it (see `partials`).
    pub tera: std::sync::Arc<tera::Tera>,
    /// The partials `cached_include` rendered in this run.
    pub(crate) partials: std::sync::Arc<Partials>,
    /// `themes/<theme>`, relative to the site root, for messages.
    pub dir: PathBuf,
    /// Static file name (`style.css`) → hashed path from the output root (`static/style.1a2b3c4d.css`).
    pub assets: BTreeMap<String, String>,
    pub static_files: Vec<OutputFile>,
    /// Template name → the file to name in messages (the site's or the built-in one).
    shown: BTreeMap<String, PathBuf>,
    /// Template name → source, to place errors Tera reports without a line (include cycles).
    sources: Sources,
    /// Template name → the parts of a page's context it can read (see `reads`).
    reads: BTreeMap<String, Reads>,
}

type Sources = BTreeMap<String, String>;

/// The first 8 bytes of SHA-256 in hex: enough to bust caches, short enough for URLs.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Theme {
    /// The site's `themes/<theme>/` over the built-in theme, file by file.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, BuildErrors> {
        let files = ThemeFiles::load(root, &config.theme)?;
        let shown: BTreeMap<String, PathBuf> = files
            .under("templates")
            .map(|(name, f)| (name.to_owned(), f.shown.clone()))
            .collect();
        let (tera, partials, sources) = load_templates(&files, &shown)?;
        let tera = std::sync::Arc::new(tera);
        partials.attach(&tera);
        let (assets, static_files) = load_static(&files);
        let reads = super::reads::by_template(&tera, sources.values());
        Ok(Theme {
            tera,
            partials,
            dir: files.dir,
            assets,
            static_files,
            shown,
            sources,
            reads,
        })
    }

    /// The parts of a page's context that `template` can read (all of them for a name the
    /// theme lacks: rendering it reports that).
    pub(crate) fn reads(&self, template: &str) -> Reads {
        self.reads.get(template).copied().unwrap_or(Reads::ALL)
    }

    /// Turns a Tera error into a diagnostic naming the template file, line and column.
    pub fn error(&self, e: &tera::Error, context: &str) -> Diagnostic {
        template_error(&self.shown, &self.sources, e, context)
    }
}

fn template_error(
    shown: &BTreeMap<String, PathBuf>,
    sources: &Sources,
    e: &tera::Error,
    context: &str,
) -> Diagnostic {
    let file = |name: &str| {
        shown
            .get(name)
            .cloned()
            .unwrap_or_else(|| Path::new("templates").join(name))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::new(format!("template: {}{context}", r.message()))
                .in_file(file(r.filename()))
                .at(span.start_line, Some(span.start_col + 1))
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            include_cycle(&file, tpl, include_chain, sources)
        }
        tera::ErrorKind::Msg(m) if reported_place(m).is_some() => {
            let (message, name, line, col) = reported_place(m).unwrap_or_default();
            Diagnostic::new(format!("template: {message}{context}"))
                .in_file(file(&name))
                .at(line, Some(col))
        }
        _ => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::new(format!("template: {msg}{context}")).in_file("templates")
        }
    }
}

/// Tera reports unknown filters, tests and functions as a plain message holding its own
/// report (`error: Unknown filter …` then ` --> page.html:3:86`): the message, file, line
/// and column from it.
fn reported_place(report: &str) -> Option<(String, String, usize, usize)> {
    let mut lines = report.lines();
    let message = lines
        .next()?
        .trim()
        .strip_prefix("error: ")?
        .replace('`', "'");
    let place = lines.find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((message, parts.next()?.to_owned(), line, col))
}

/// An include cycle, placed at the `include` in the template where the cycle closes.
fn include_cycle(
    file: &dyn Fn(&str) -> PathBuf,
    tpl: &str,
    chain: &[String],
    sources: &Sources,
) -> Diagnostic {
    let message = format!("template: include cycle: {}", chain.join(" → "));
    // The last step of the chain is `…from` including `tpl` again.
    let from = chain
        .len()
        .checked_sub(2)
        .and_then(|i| chain.get(i))
        .map_or(tpl, String::as_str);
    let d = Diagnostic::new(message)
        .in_file(file(from))
        .with_hint("a template may not include itself, directly or through others");
    let line = sources.get(from).and_then(|src| {
        src.lines()
            .position(|l| l.contains("include") && l.contains(&format!("\"{tpl}\"")))
    });
    match line {
        Some(i) => d.at(i + 1, None),
        None => d,
    }
}

type Templates = (tera::Tera, std::sync::Arc<Partials>, Sources);

fn load_templates(
    files: &ThemeFiles,
    shown: &BTreeMap<String, PathBuf>,
) -> Result<Templates, BuildErrors> {
    let mut tera = tera::Tera::new();
    super::filters::register(&mut tera);
    let partials = Partials::register(&mut tera);
    let mut sources = Sources::new();
    for (name, file) in files.under("templates") {
        sources.insert(
            name.to_owned(),
            decode_utf8(&file.shown, file.bytes.to_vec())?,
        );
    }
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| template_error(shown, &sources, &e, ""))?;
    Ok((tera, partials, sources))
}

/// Static files with hashed names.
fn load_static(files: &ThemeFiles) -> (BTreeMap<String, String>, Vec<OutputFile>) {
    let statics = files
        .under("static")
        .map(|(name, f)| (name.to_owned(), f.bytes.to_vec()));
    let mut assets = BTreeMap::new();
    let mut out = Vec::new();
    for (name, bytes) in statics {
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
                format!("static/{stem}.{}.{ext}", content_hash(&bytes))
            }
            _ => format!("static/{name}.{}", content_hash(&bytes)),
        };
        assets.insert(name, hashed.clone());
        out.push(OutputFile::new(hashed, bytes));
    }
    (assets, out)
}
