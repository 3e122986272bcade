//! The theme: Tera templates and static assets of `themes/<theme>/`.
//!
//! Static files get a content hash in their name (`static/style.1a2b3c4d.css`) so hosts can cache
//! them forever; templates reach them through the `assets` map.

use crate::config::{Config, decode_utf8};
use crate::content::is_ignored_name;
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::output::OutputFile;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Theme {
    pub tera: tera::Tera,
    /// `themes/<theme>`, relative to the site root, for messages.
    pub dir: PathBuf,
    /// Static file name (`style.css`) → hashed path from the output root (`static/style.1a2b3c4d.css`).
    pub assets: BTreeMap<String, String>,
    pub static_files: Vec<OutputFile>,
    /// Template name → source, to place errors Tera reports without a line (include cycles).
    sources: BTreeMap<String, String>,
}

/// The first 8 bytes of SHA-256 in hex: enough to bust caches, short enough for URLs.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, BuildErrors> {
        let dir = Path::new("themes").join(&config.theme);
        if !root.join(&dir).is_dir() {
            return Err(
                Diagnostic::new(format!("theme '{}' not found", config.theme))
                    .in_file(&dir)
                    .with_hint("set `theme:` in site.yaml to a folder under themes/")
                    .into(),
            );
        }
        let (tera, sources) = load_templates(root, &dir)?;
        let (assets, static_files) = load_static(root, &dir)?;
        Ok(Theme {
            tera,
            dir,
            assets,
            static_files,
            sources,
        })
    }

    /// Turns a Tera error into a diagnostic naming the template file, line and column.
    pub fn error(&self, e: &tera::Error, context: &str) -> Diagnostic {
        template_error(&self.dir, e, context, &self.sources)
    }
}

fn template_error(
    dir: &Path,
    e: &tera::Error,
    context: &str,
    sources: &BTreeMap<String, String>,
) -> Diagnostic {
    let templates = dir.join("templates");
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::new(format!("template: {}{context}", r.message()))
                .in_file(templates.join(r.filename()))
                .at(span.start_line, Some(span.start_col + 1))
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            include_cycle(&templates, tpl, include_chain, sources)
        }
        tera::ErrorKind::Msg(m) if reported_place(m).is_some() => {
            let (message, file, line, col) = reported_place(m).unwrap_or_default();
            Diagnostic::new(format!("template: {message}{context}"))
                .in_file(templates.join(file))
                .at(line, Some(col))
        }
        _ => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::new(format!("template: {msg}{context}")).in_file(templates)
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
    templates: &Path,
    tpl: &str,
    chain: &[String],
    sources: &BTreeMap<String, String>,
) -> Diagnostic {
    let message = format!("template: include cycle: {}", chain.join(" → "));
    // The last step of the chain is `…from` including `tpl` again.
    let from = chain
        .len()
        .checked_sub(2)
        .and_then(|i| chain.get(i))
        .map_or(tpl, String::as_str);
    let d = Diagnostic::new(message)
        .in_file(templates.join(from))
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

fn theme_files(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(root.join(dir))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root.join(dir)).unwrap_or(e.path());
            (
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect()
}

type Sources = BTreeMap<String, String>;

fn load_templates(root: &Path, dir: &Path) -> Result<(tera::Tera, Sources), BuildErrors> {
    let mut tera = tera::Tera::new();
    let files = theme_files(root, &dir.join("templates"));
    let mut sources = BTreeMap::new();
    for (name, path) in files {
        let shown = dir.join("templates").join(&name);
        let bytes = std::fs::read(&path)
            .map_err(|e| Diagnostic::new(format!("cannot read template: {e}")).in_file(&shown))?;
        sources.insert(name, decode_utf8(&shown, bytes)?);
    }
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| template_error(dir, &e, "", &sources))?;
    Ok((tera, sources))
}

fn load_static(
    root: &Path,
    dir: &Path,
) -> Result<(BTreeMap<String, String>, Vec<OutputFile>), BuildErrors> {
    let mut assets = BTreeMap::new();
    let mut files = Vec::new();
    for (name, path) in theme_files(root, &dir.join("static")) {
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::new(format!("cannot read static file: {e}"))
                .in_file(dir.join("static").join(&name))
        })?;
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
                format!("static/{stem}.{}.{ext}", content_hash(&bytes))
            }
            _ => format!("static/{name}.{}", content_hash(&bytes)),
        };
        assets.insert(name, hashed.clone());
        files.push(OutputFile::new(hashed, bytes));
    }
    Ok((assets, files))
}

#[cfg(test)]
mod tests {
    use super::reported_place;

    #[test]
    fn place_is_read_from_teras_own_report() {
        let report = "error: Unknown filter `nosuch`\n --> partials/toc.html:3:86\n  |\n3 | {{ x | nosuch }}\n";
        assert_eq!(
            reported_place(report),
            Some((
                "Unknown filter 'nosuch'".to_owned(),
                "partials/toc.html".to_owned(),
                3,
                86
            ))
        );
        assert_eq!(reported_place("Template 'x' not found"), None);
    }
}
