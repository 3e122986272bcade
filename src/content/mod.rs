//! Content loading: `content/<lang>/**` → source pages (front matter + body) and asset files.
//!
//! Walks are sorted and never follow symlinks, so the same tree always loads in the same order.

mod front_matter;

pub use front_matter::{FRONT_MATTER_KEYS, FrontMatter, Schema, parse_file};

use crate::config::Config;
use crate::diagnostics::{BuildErrors, Diagnostic};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const CONTENT_DIR: &str = "content";

/// One Markdown file of one language.
#[derive(Debug, Clone)]
pub struct SourcePage {
    pub lang: String,
    /// Path inside `content/<lang>/`, `/`-separated (`steps/online.md`). The same `rel` in two
    /// languages is the same page.
    pub rel: String,
    /// Path relative to the site root, for messages (`content/en/steps/online.md`).
    pub file: PathBuf,
    pub front: FrontMatter,
    pub body: Body,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// 1-based line of each top-level front matter key.
    pub key_lines: BTreeMap<String, usize>,
    /// Fingerprint of the file's bytes, so later stages need not hash the body again.
    pub source_hash: u64,
}

impl SourcePage {
    /// `_index.md` stands for its folder.
    pub fn is_section(&self) -> bool {
        self.rel == "_index.md" || self.rel.ends_with("/_index.md")
    }

    /// The folder the file is in, relative to `content/<lang>/`, `""` or ending in `/`.
    pub fn dir(&self) -> &str {
        self.rel.rfind('/').map_or("", |i| &self.rel[..=i])
    }
}

/// A page's Markdown text, or where to read it again. `watch` keeps every page's parsed front
/// matter between rebuilds but not its text (~95 MB at 10,000 pages): a page whose rendered
/// body is cached never needs its text, and one that must render again reads it back.
#[derive(Debug, Clone)]
pub enum Body {
    /// Shared, so the pages built from it (fallback copies) need no copy.
    Held(Arc<str>),
    /// Left on disk: the file, and the fingerprint its bytes had when they were parsed.
    OnDisk { path: Arc<Path>, source_hash: u64 },
}

impl Body {
    pub fn held(text: impl Into<Arc<str>>) -> Body {
        Body::Held(text.into())
    }

    /// The text, read back if it was left on disk. `file` names the page in messages. A file
    /// that is gone or changed since it was parsed is an error: its front matter is stale, and
    /// the watcher's event for that change brings another rebuild.
    pub fn text(&self, file: &Path) -> Result<Arc<str>, Diagnostic> {
        let (path, hash) = match self {
            Body::Held(text) => return Ok(text.clone()),
            Body::OnDisk { path, source_hash } => (path, *source_hash),
        };
        let changed = || {
            Diagnostic::new("the file changed while the site was being built")
                .in_file(file)
                .with_hint("save it again, or run the build again")
        };
        let bytes = std::fs::read(path).map_err(|_| changed())?;
        if fingerprint(&bytes) != hash {
            return Err(changed());
        }
        let split = parse_file(file, &bytes).map_err(|_| changed())?;
        Ok(split.body)
    }
}

/// The fingerprint of a content file's bytes (`SourcePage::source_hash`). XXH3, as the output
/// manifest's hashes: std's SipHash over every content file was 0.7 % of a 1k build's
/// instructions (callgrind, 2 December 2026).
fn fingerprint(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A page's identity: its language and its path inside `content/<lang>/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageKey {
    pub lang: String,
    pub rel: String,
}

impl PageKey {
    pub fn new(lang: impl Into<String>, rel: impl Into<String>) -> PageKey {
        PageKey {
            lang: lang.into(),
            rel: rel.into(),
        }
    }
}

/// A non-Markdown file beside the content, copied to the same place in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub lang: String,
    pub rel: String,
    /// Absolute or root-joined path to read from.
    pub source: PathBuf,
}

#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<SourcePage>,
    pub assets: Vec<Asset>,
    /// (lang, rel) of files that could not be read or parsed; their errors are in `errors`.
    /// Later stages go on without them so one run reports every problem, and treat links to
    /// them as resolved so the same mistake is not reported twice.
    pub failed: Vec<PageKey>,
    pub errors: Vec<Diagnostic>,
}

/// Files that editors and tools leave beside real content: hidden files (and Emacs' `.#` lock
/// links), backups (`~`), vim swap files and its `4913` write probe, JetBrains' safe-write temps.
/// `build` and `watch` share this rule so a temp file never becomes a page.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name == "4913"
        || (name.contains("___jb_") && name.ends_with("___"))
}

/// When a file was last seen: size and modification time. A file whose stamp is unchanged and
/// that no watch event named is not read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

/// Parsed pages kept between rebuilds (`watch`); a one-off build starts with an empty one.
#[derive(Debug, Default)]
pub struct SourceCache {
    entries: BTreeMap<PathBuf, (Stamp, Result<SourcePage, BuildErrors>)>,
    /// How many files the last load read and parsed.
    pub parsed: usize,
    /// Keep pages for the next load (`watch`); a one-off build moves them out instead of
    /// copying them.
    keep: bool,
}

impl SourceCache {
    /// `keep`: hold pages between loads (`watch`) rather than handing them over.
    pub fn new(keep: bool) -> SourceCache {
        SourceCache {
            entries: BTreeMap::new(),
            parsed: 0,
            keep,
        }
    }
}

/// Loads every language's content. Drafts are dropped unless `drafts` is set. Only a missing
/// or unreadable content folder fails here; bad files are collected in `Content::errors`.
/// Files in `cache` whose stamp is unchanged and that are not in `touched` are reused.
pub fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
    cache: &mut SourceCache,
    touched: &BTreeSet<PathBuf>,
) -> Result<Content, BuildErrors> {
    let content_dir = root.join(CONTENT_DIR);
    let files = discover(&content_dir, config)?;
    let (md, other): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.rel.ends_with(".md"));
    let mut old = std::mem::take(&mut cache.entries);
    let (reuse, read): (Vec<_>, Vec<_>) = md.into_iter().partition(|f| {
        !touched.contains(&f.path) && old.get(&f.path).is_some_and(|(stamp, _)| *stamp == f.stamp)
    });
    cache.parsed = read.len();
    let read_all = || -> Vec<(Found, Result<SourcePage, BuildErrors>)> {
        read.into_par_iter()
            .map(|f| {
                let page = read_page(&f);
                (f, page)
            })
            .collect()
    };
    // Cold files wait on the disk: read by the I/O pool, unless there are only a handful.
    let fresh = crate::cold_io::install(cache.parsed, 256, read_all);
    for f in reuse {
        let entry = old.remove(&f.path).expect("reused entries are cached");
        cache.entries.insert(f.path, entry);
    }
    // `watch`'s cache keeps each page's front matter but not its text (~95 MB at 10k pages):
    // the text read now goes to this run only, and a later run that must render the page
    // again reads it back (`Body::text`).
    let mut texts: HashMap<PathBuf, Body> = HashMap::new();
    for (f, mut page) in fresh {
        if let (true, Ok(p)) = (cache.keep, &mut page) {
            let on_disk = Body::OnDisk {
                path: Arc::from(f.path.as_path()),
                source_hash: p.source_hash,
            };
            texts.insert(f.path.clone(), std::mem::replace(&mut p.body, on_disk));
        }
        cache.entries.insert(f.path, (f.stamp, page));
    }
    let mut content = Content::default();
    let entries: Vec<(PathBuf, Result<SourcePage, BuildErrors>)> = if cache.keep {
        let mut with_text = |path: &PathBuf, page: &Result<SourcePage, BuildErrors>| {
            let mut page = page.clone();
            if let (Ok(p), Some(text)) = (&mut page, texts.remove(path)) {
                p.body = text;
            }
            (path.clone(), page)
        };
        cache
            .entries
            .iter()
            .map(|(path, (_, page))| with_text(path, page))
            .collect()
    } else {
        std::mem::take(&mut cache.entries)
            .into_iter()
            .map(|(path, (_, page))| (path, page))
            .collect()
    };
    // Sorted by path, so the order does not depend on what was cached.
    for (path, page) in entries {
        match page {
            Ok(p) if drafts || !p.front.draft => content.pages.push(p),
            Ok(_) => {}
            Err(BuildErrors(e)) => {
                content.failed.extend(key_of(&content_dir, &path));
                content.errors.extend(e);
            }
        }
    }
    content.assets = other
        .into_iter()
        .map(|f| Asset {
            lang: f.lang,
            rel: f.rel,
            source: f.path,
        })
        .collect();
    Ok(content)
}

/// A path under `content/` as names in NFC, so keys, URLs and links agree whichever form the
/// file system keeps: its language (the first name) and the names after it.
fn names_of(rel: &Path) -> (String, Vec<String>) {
    let mut parts = rel
        .components()
        .map(|c| crate::urls::nfc(&c.as_os_str().to_string_lossy()));
    let lang = parts.next().unwrap_or_default();
    (lang, parts.collect())
}

/// The page key of the content file at `path` (under `content_dir`), as the content stage
/// keys it.
pub(crate) fn key_of(content_dir: &Path, path: &Path) -> Option<PageKey> {
    let (lang, rest) = names_of(path.strip_prefix(content_dir).ok()?);
    Some(PageKey::new(lang, rest.join("/")))
}

fn read_page(f: &Found) -> Result<SourcePage, BuildErrors> {
    let file = Path::new(CONTENT_DIR).join(&f.lang).join(&f.rel);
    let bytes = std::fs::read(&f.path).map_err(|e| {
        BuildErrors::one(Diagnostic::new(format!("cannot read: {e}")).in_file(&file))
    })?;
    let split = parse_file(&file, &bytes)?;
    Ok(SourcePage {
        lang: f.lang.clone(),
        rel: f.rel.clone(),
        file,
        front: split.front,
        body: Body::held(split.body),
        body_line: split.body_line,
        key_lines: split.key_lines,
        source_hash: fingerprint(&bytes),
    })
}

/// A file found under `content/<lang>/`.
struct Found {
    lang: String,
    /// Path inside the language folder, `/`-separated.
    rel: String,
    path: PathBuf,
    stamp: Stamp,
}

/// Every file under `content/` that belongs to a configured language.
fn discover(content_dir: &Path, config: &Config) -> Result<Vec<Found>, BuildErrors> {
    if !content_dir.is_dir() {
        return Err(Diagnostic::new("no content/ folder")
            .in_file(CONTENT_DIR)
            .with_hint("put Markdown files under content/<lang>/")
            .into());
    }
    let mut errors = Vec::new();
    let mut languages = Vec::new();
    for entry in walk(content_dir)
        .max_depth(1)
        .into_iter()
        .filter_entry(kept)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(unreadable(&e));
                continue;
            }
        };
        let rel_to_content = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path());
        let shown = Path::new(CONTENT_DIR).join(rel_to_content);
        let (lang, _) = names_of(rel_to_content);
        if !entry.file_type().is_dir() {
            errors.push(
                Diagnostic::new("a file directly under content/ belongs to no language")
                    .in_file(&shown)
                    .with_hint("move it to content/<lang>/"),
            );
        } else if config.language(&lang).is_none() {
            let codes: Vec<&str> = config.language_codes();
            errors.push(
                Diagnostic::new(format!("'{lang}' is not a configured language"))
                    .in_file(&shown)
                    .with_hint(format!(
                        "configured languages: {}; add it to site.yaml",
                        codes.join(", ")
                    )),
            );
        } else {
            languages.push(entry.into_path());
        }
    }
    // Each language's folder is walked on its own core (at 10k pages one walk held a core on
    // 10,000 `stat` calls); the parts are joined in name order, as one walk would give them.
    let parts: Vec<(Vec<Found>, Vec<Diagnostic>)> = languages
        .par_iter()
        .map(|dir| discover_language(content_dir, dir))
        .collect();
    let mut files = Vec::new();
    for (found, problems) in parts {
        files.extend(found);
        errors.extend(problems);
    }
    errors.extend(same_names(content_dir, &files));
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(BuildErrors(errors))
    }
}

/// A walk of `dir`: symlinks not followed, entries in name order (leave out what
/// [`kept`] refuses).
fn walk(dir: &Path) -> walkdir::WalkDir {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
}

/// A folder or file under `content/` the walk could not read.
fn unreadable(e: &walkdir::Error) -> Diagnostic {
    Diagnostic::new(format!("cannot read: {e}")).in_file(CONTENT_DIR)
}

/// Whether a walk keeps an entry: not an editor's or the system's file.
fn kept(e: &walkdir::DirEntry) -> bool {
    !is_ignored_name(&e.file_name().to_string_lossy())
}

/// The files under one language's folder `dir`, and the entries that could not be read.
fn discover_language(content_dir: &Path, dir: &Path) -> (Vec<Found>, Vec<Diagnostic>) {
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    for entry in walk(dir).into_iter().filter_entry(kept) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(unreadable(&e));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_to_content = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path());
        let (lang, rest) = names_of(rel_to_content);
        let meta = entry.metadata().ok();
        let stamp = Stamp {
            len: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
        };
        files.push(Found {
            lang,
            rel: rest.join("/"),
            path: entry.path().to_path_buf(),
            stamp,
        });
    }
    (files, errors)
}

/// Two files whose names are equal once in NFC (one written composed, one decomposed) would be
/// one page twice: an error naming both.
fn same_names(content_dir: &Path, files: &[Found]) -> Vec<Diagnostic> {
    let shown = |p: &Path| {
        Path::new(CONTENT_DIR)
            .join(p.strip_prefix(content_dir).unwrap_or(p))
            .display()
            .to_string()
    };
    let mut seen: BTreeMap<(&str, &str), &Path> = BTreeMap::new();
    let mut errors = Vec::new();
    for f in files {
        if let Some(other) = seen.insert((&f.lang, &f.rel), &f.path) {
            errors.push(
                Diagnostic::new(format!(
                    "two files are both content/{}/{} once their names are in Unicode NFC: {} and {}",
                    f.lang,
                    f.rel,
                    shown(other),
                    shown(&f.path)
                ))
                .in_file(Path::new(CONTENT_DIR).join(&f.lang).join(&f.rel))
                .with_hint("the names differ only in how accented letters are encoded: remove one"),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [
            ".hidden.md",
            "page.md~",
            ".page.md.swp",
            "4913",
            "page.md___jb_tmp___",
            ".#page.md",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["page.md", "photo.png", "_index.md"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    /// A text left on disk reads back as the body the file's front matter came with, and a
    /// file changed or gone since it was parsed is an error, never a body that does not match
    /// the front matter.
    #[test]
    fn a_text_left_on_disk_reads_back_only_while_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        let bytes = "---\ntitle: T\n---\n\nThe body.\n";
        std::fs::write(&path, bytes).unwrap();
        let file = Path::new("content/en/page.md");
        let body = Body::OnDisk {
            path: Arc::from(path.as_path()),
            source_hash: fingerprint(bytes.as_bytes()),
        };
        let held = parse_file(file, bytes.as_bytes()).unwrap().body;
        assert_eq!(body.text(file).unwrap(), held);
        assert!(held.contains("The body."));
        std::fs::write(&path, bytes.replace("body", "text")).unwrap();
        let e = body.text(file).unwrap_err();
        assert!(e.to_string().contains("changed while"), "{e}");
        std::fs::remove_file(&path).unwrap();
        assert!(body.text(file).is_err());
    }
}
