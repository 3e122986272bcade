//! The theme: Tera templates and static assets of `themes/<theme>/`.
//!
//! Static files get a content hash in their name (`static/style.1a2b3c4d.css`) so hosts can cache
//! them forever; templates reach them through the `assets` map.

use crate::config::Config;
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
        let tera = load_templates(root, &dir)?;
        let (assets, static_files) = load_static(root, &dir)?;
        Ok(Theme {
            tera,
            dir,
            assets,
            static_files,
        })
    }

    /// Turns a Tera error into a diagnostic naming the template file, line and column.
    pub fn error(&self, e: &tera::Error, context: &str) -> Diagnostic {
        template_error(&self.dir, e, context)
    }
}

fn template_error(dir: &Path, e: &tera::Error, context: &str) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let span = r.span();
            Diagnostic::new(format!("template: {}{context}", r.message()))
                .in_file(dir.join("templates").join(r.filename()))
                .at(span.start_line, Some(span.start_col + 1))
        }
        None => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            Diagnostic::new(format!("template: {msg}{context}")).in_file(dir.join("templates"))
        }
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

fn load_templates(root: &Path, dir: &Path) -> Result<tera::Tera, BuildErrors> {
    let mut tera = tera::Tera::new();
    let files = theme_files(root, &dir.join("templates"));
    let mut sources = Vec::new();
    for (name, path) in files {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(format!("cannot read template: {e}"))
                .in_file(dir.join("templates").join(&name))
        })?;
        sources.push((name, text));
    }
    tera.add_raw_templates(sources)
        .map_err(|e| template_error(dir, &e, ""))?;
    Ok(tera)
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
