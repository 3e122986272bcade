//! The theme: Tera templates and static assets of the merged theme (see `theme_files`): the
//! site's `themes/<theme>/` over the built-in one. Input: the site root and config; output: a
//! ready Tera environment and the static files to write.
//!
//! Static files get a content hash in their name (`static/style.1a2b3c4d.css`) so hosts can cache
//! them forever; templates reach them through the `assets` map.

use crate::config::Config;
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::output::OutputFile;
use crate::theme_files::ThemeFiles;
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
    /// Template name → the file to name in messages (the site's or the built-in one).
    shown: BTreeMap<String, PathBuf>,
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
    /// The site's `themes/<theme>/` over the built-in theme, file by file.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, BuildErrors> {
        let files = ThemeFiles::load(root, &config.theme)?;
        let shown: BTreeMap<String, PathBuf> = files
            .under("templates")
            .map(|(name, f)| (name.to_owned(), f.shown.clone()))
            .collect();
        let tera = load_templates(&files, &shown)?;
        let (assets, static_files) = load_static(&files);
        Ok(Theme {
            tera,
            dir: files.dir,
            assets,
            static_files,
            shown,
        })
    }

    /// Turns a Tera error into a diagnostic naming the template file, line and column.
    pub fn error(&self, e: &tera::Error, context: &str) -> Diagnostic {
        template_error(&self.shown, e, context)
    }
}

fn template_error(shown: &BTreeMap<String, PathBuf>, e: &tera::Error, context: &str) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let span = r.span();
            let file = shown
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| Path::new("templates").join(r.filename()));
            Diagnostic::new(format!("template: {}{context}", r.message()))
                .in_file(file)
                .at(span.start_line, Some(span.start_col + 1))
        }
        None => {
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

fn load_templates(
    files: &ThemeFiles,
    shown: &BTreeMap<String, PathBuf>,
) -> Result<tera::Tera, BuildErrors> {
    let mut tera = tera::Tera::new();
    super::filters::register(&mut tera);
    let mut sources = Vec::new();
    for (name, file) in files.under("templates") {
        let text = String::from_utf8(file.bytes.to_vec())
            .map_err(|_| Diagnostic::new("template is not valid UTF-8").in_file(&file.shown))?;
        sources.push((name.to_owned(), text));
    }
    tera.add_raw_templates(sources)
        .map_err(|e| template_error(shown, &e, ""))?;
    Ok(tera)
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
