//! The writer: output files held in memory, a staging directory beside the output, and the
//! atomic swap. Only this module touches the output directory.
//!
//! A build renders everything in memory first, writes it into `.<out>.steppe-staging-<pid>`
//! beside the output and only then swaps it in, so a failed build never leaves a half-written
//! site and the last good output stays until a new one is complete. The output keeps a
//! manifest (`.steppe-manifest`: path, size, hash of every file), so the next build hard-links
//! the files that did not change from the current output instead of writing them again.
//!
//! A failed build never changes the output: `check_destination` (`check_location`, then
//! `check_replaceable`, which a build with nothing to do skips) finds, before anything is
//! rendered, folders the swap could not write, move or delete; the swap checks again and puts
//! the old tree back if a step fails. Staging and old folders that a crashed run left behind are
//! removed by the next run, but only those named by the pattern above that hold steppe's marker.

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as steppe's output, so it may be replaced without `--force`.
pub const MARKER: &str = ".steppe-output";

/// The record of the inputs the output was built from (written by the pipeline, see
/// `build/inputs.rs`). It describes the inputs, not the site, so the manifest does not list it:
/// two builds of the same files with other times differ only in it.
pub const RECORD: &str = ".steppe-inputs";

/// What the marker file says; a leftover folder is removed only if its marker says exactly this.
const MARKER_TEXT: &str = "This folder is written by steppe and replaced on each build.\n";

mod leftovers;
mod manifest;
mod preflight;
mod stage;

use leftovers::remove_leftovers;
pub(crate) use preflight::folders_writable;
use preflight::{check_holder, removable};

/// One file of the built site, held in memory until the writer stages it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated, never absolute, never containing `..`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("output directory {out} {why}")]
    Refused {
        out: PathBuf,
        why: String,
        hint: String,
    },
    #[error("refusing to write {path:?}: it would land outside the output directory")]
    UnsafePath { path: String },
    #[error("two different files would be written to {path:?}")]
    Duplicate { path: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{out}: {source}; the last output could not be put back and is at {old}")]
    RollbackFailed {
        out: PathBuf,
        old: PathBuf,
        source: io::Error,
    },
}

impl OutputError {
    /// Refusals are the user's choice of `--out`: a usage error, not a content error.
    pub fn is_usage(&self) -> bool {
        matches!(self, OutputError::Refused { .. })
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            OutputError::Refused { hint, .. } => Some(hint),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute, normalised path, whether or not it exists yet.
pub fn absolute(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks in the part that exists, so `out` cannot sneak into the root that way.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// Checks that `out` is a safe place to build into for the site at `root`, and that an
/// output already there can be replaced.
pub fn check_destination(root: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
    check_location(root, out, force)?;
    check_replaceable(out)
}

/// [`check_destination`] but the walk of an existing output: where `out` is, what it is, and
/// that the folder holding it takes new entries. A build with nothing to do stops after this
/// (it replaces nothing); one that builds calls [`check_replaceable`] before rendering.
pub fn check_location(root: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
    let refuse = |why: &str, hint: &str| OutputError::Refused {
        out: out.to_path_buf(),
        why: why.into(),
        hint: hint.into(),
    };
    let root = absolute(root).map_err(io_err(root))?;
    let abs = absolute(out).map_err(io_err(out))?;
    if abs == root || root.starts_with(&abs) {
        return Err(refuse(
            "is or contains the site root",
            "choose a folder inside the site, such as public/",
        ));
    }
    for dir in ["content", "themes"] {
        if abs.starts_with(root.join(dir)) {
            return Err(refuse(
                &format!("is inside {dir}/"),
                "choose a folder outside content/ and themes/, such as public/",
            ));
        }
    }
    if abs.exists() {
        if !abs.is_dir() {
            return Err(refuse(
                "exists and is not a folder",
                "remove it or choose another --out",
            ));
        }
        let empty = std::fs::read_dir(&abs)
            .map_err(io_err(&abs))?
            .next()
            .is_none();
        if !empty && !abs.join(MARKER).exists() && !force {
            return Err(refuse(
                "is not empty and was not made by steppe",
                "pass --force to replace it, or choose another --out",
            ));
        }
    }
    check_holder(out, &abs)
}

/// Whether a relative output path stays inside the output directory.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(['\\', ':', '\0'])
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!(".{name}.steppe-{what}-{}", std::process::id()))
}

/// Where built files go as they are made: a new output folder (`build`) or `watch`'s writer.
/// Called from many threads at once.
pub trait Sink: Sync {
    /// Takes one file; returns the content hash of its bytes ([`hash`]), which every sink takes
    /// anyway (to link unchanged files, to skip unchanged writes), so that the pipeline can
    /// use it (the service worker's version) without hashing the file again.
    fn put(&self, file: OutputFile) -> Result<Hash, OutputError>;
}

/// A build's new output: a staging folder beside `out`, filled file by file (files the current
/// output already holds are hard-linked, see `stage.rs`) and swapped in by `commit`. Dropped
/// without a commit (an error anywhere in the build), it removes itself and `out` is left as
/// it was.
pub struct NewOutput {
    given: PathBuf,
    out: PathBuf,
    staging: stage::Staging,
}

impl NewOutput {
    /// Clears what crashed runs left beside `out` and starts an empty staging folder.
    pub fn begin(given: &Path) -> Result<NewOutput, OutputError> {
        let out = absolute(given).map_err(io_err(given))?;
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        remove_leftovers(&out);
        let staging = stage::Staging::create(sibling(&out, "staging"), &out, true)?;
        Ok(NewOutput {
            given: given.to_path_buf(),
            out,
            staging,
        })
    }

    /// Writes the manifest and swaps the staging folder in.
    pub fn commit(self) -> Result<WriteStats, OutputError> {
        self.commit_with(&|from, to| std::fs::rename(from, to))
    }

    fn commit_with(self, rename: &Rename) -> Result<WriteStats, OutputError> {
        let dir = self.staging.dir().to_path_buf();
        let stats = self.staging.finish()?;
        swap(&self.given, &dir, &self.out, rename).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&dir);
        })?;
        Ok(stats)
    }
}

impl Sink for NewOutput {
    fn put(&self, file: OutputFile) -> Result<Hash, OutputError> {
        self.staging.put(file)
    }
}

/// Writes `files` into a staging directory beside `out`, then swaps it in. Files the current
/// output already holds are hard-linked into the staging directory, not written (see
/// `stage.rs`). On any error the staging directory is removed and `out` is left as it was.
/// The build streams into a [`NewOutput`] instead; this whole-list form is for tests.
#[cfg(test)]
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> Result<WriteStats, OutputError> {
    write_atomic_with(out, files, &|from, to| std::fs::rename(from, to))
}

/// How the swap moves folders; tests put a failing one in.
type Rename = dyn Fn(&Path, &Path) -> io::Result<()>;

#[cfg(test)]
fn write_atomic_with(
    given: &Path,
    files: &[OutputFile],
    rename: &Rename,
) -> Result<WriteStats, OutputError> {
    if let Some(bad) = files.iter().find(|f| !is_safe_path(&f.path)) {
        return Err(OutputError::UnsafePath {
            path: bad.path.clone(),
        });
    }
    let new = NewOutput::begin(given)?;
    files
        .par_iter()
        .try_for_each(|f| new.staging.put(f.clone()).map(drop))?;
    new.commit_with(rename)
}

/// Moves the output aside, the staging folder in and deletes the old tree. Deleting is the one
/// step that cannot be undone, so it is checked before anything moves; a failed move puts the
/// old tree back.
fn swap(given: &Path, staging: &Path, out: &Path, rename: &Rename) -> Result<(), OutputError> {
    if !out.exists() {
        return rename(staging, out).map_err(io_err(out));
    }
    removable(given, out)?;
    let old = sibling(out, "old");
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
    }
    rename(out, &old).map_err(io_err(out))?;
    if let Err(source) = rename(staging, out) {
        return Err(match rename(&old, out) {
            Ok(()) => io_err(out)(source),
            Err(_) => OutputError::RollbackFailed {
                out: out.to_path_buf(),
                old,
                source,
            },
        });
    }
    // Checked above; should it fail anyway, the folder keeps its marker and the next run
    // removes it.
    let _ = crate::cold_io::remove_tree(&old, MARKER);
    Ok(())
}

/// Writes one file inside `out` through a temp file and a rename, so a reader (the preview
/// server, a browser) never sees half a file.
pub fn write_file(out: &Path, f: &OutputFile) -> Result<(), OutputError> {
    if !is_safe_path(&f.path) {
        return Err(OutputError::UnsafePath {
            path: f.path.clone(),
        });
    }
    let path = out.join(&f.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let tmp = path.with_file_name(format!(".{name}.steppe-tmp"));
    std::fs::write(&tmp, &f.bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io_err(&path))
}

/// Checks that every folder of an existing output at `out` can take new files and lose old
/// ones, so the swap (or `watch`'s `write_changes`) will not stop halfway: before a build
/// renders, and before each `watch` rebuild writes anything.
pub fn check_replaceable(out: &Path) -> Result<(), OutputError> {
    let abs = absolute(out).map_err(io_err(out))?;
    match abs.is_dir() {
        true => removable(out, &abs),
        false => Ok(()),
    }
}

/// What a write did: the work counted, so tests can assert it (`STEPPE_TIMINGS=1` prints it).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    /// Files whose bytes were written, sorted.
    pub written: Vec<String>,
    /// Files of the last output that are gone.
    pub deleted: Vec<String>,
    /// Files hard-linked from the last output instead of written (a staged [`NewOutput`] only).
    pub linked: usize,
    /// Bytes of the files written.
    pub bytes: u64,
}

/// A file's content hash, as the manifest records it.
pub(crate) use manifest::{Hash, hash};

/// What the manifest of the output at `out` says each file holds; `None` without a manifest.
pub(crate) fn recorded(out: &Path) -> Option<HashMap<String, Hash>> {
    manifest::Manifest::load(out).hashes()
}

/// What `accept` makes of the output's file `name` (the record of the inputs it was built
/// from), if it accepts it and the output is as steppe left it: every file the manifest lists
/// is there with its size and no newer time, and there is no other. `None` otherwise: the
/// output needs a build. The record is judged first: checking the output `stat`s every file
/// in it, which a build whose inputs changed does not need.
/// Also removes what crashed runs left beside the output, as every build does.
pub fn intact_record<T>(
    out: &Path,
    name: &str,
    accept: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    if let Ok(abs) = absolute(out) {
        remove_leftovers(&abs);
    }
    let text = std::fs::read_to_string(out.join(name)).ok()?;
    let accepted = accept(&text)?;
    manifest::Manifest::load(out)
        .is_intact(out)
        .then_some(accepted)
}

/// Brings an existing output folder up to date: writes the files of `new` (each with the hash
/// its sink already took of it) whose bytes differ from what `old` (path → hash) records (each through a temp file and a rename, so a reader
/// never sees half a file), deletes the files of `old` that are not in `paths` (every file of
/// the new site), then updates the manifest for them and for `early`, the files already
/// written through `write_file` since `old`. `old` is brought up to date too. Used by
/// `watch`; `build` swaps the whole folder instead.
pub(crate) fn write_changes(
    out: &Path,
    old: &mut HashMap<String, Hash>,
    new: &[(OutputFile, Hash)],
    paths: &BTreeSet<String>,
    early: &[(String, u64, Hash)],
) -> Result<WriteStats, OutputError> {
    if let Some((bad, _)) = new.iter().find(|(f, _)| !is_safe_path(&f.path)) {
        return Err(OutputError::UnsafePath {
            path: bad.path.clone(),
        });
    }
    check_replaceable(out)?;
    let (record, new): (Vec<_>, Vec<_>) = new.iter().partition(|(f, _)| f.path == RECORD);
    let changed: Vec<(&OutputFile, Hash)> = new
        .into_iter()
        .map(|(f, h)| (f, *h))
        .filter(|(f, h)| old.get(&f.path) != Some(h))
        .collect();
    changed
        .par_iter()
        .try_for_each(|(f, _)| write_file(out, f))?;
    let mut deleted = Vec::new();
    let gone: Vec<String> = old
        .keys()
        .filter(|p| !paths.contains(*p))
        .cloned()
        .collect();
    for gone in gone {
        remove_file(out, &gone)?;
        old.remove(&gone);
        deleted.push(gone);
    }
    deleted.sort();
    let mut touched: Vec<(String, u64, Hash)> = early.to_vec();
    touched.extend(
        changed
            .iter()
            .map(|(f, h)| (f.path.clone(), f.bytes.len() as u64, *h)),
    );
    for (path, _, h) in &touched {
        old.insert(path.clone(), *h);
    }
    let list = out.join(manifest::MANIFEST);
    manifest::update(out, &touched, &deleted).map_err(io_err(&list))?;
    // Last: the record says the output matches the inputs only once it does.
    record
        .into_iter()
        .try_for_each(|(f, _)| write_file(out, f))?;
    let mut written: Vec<String> = changed.iter().map(|(f, _)| f.path.clone()).collect();
    written.sort();
    Ok(WriteStats {
        written,
        deleted,
        linked: 0,
        bytes: changed.iter().map(|(f, _)| f.bytes.len() as u64).sum(),
    })
}

/// Deletes one file of the output and the folders that leaves empty, up to the output root.
fn remove_file(out: &Path, rel: &str) -> Result<(), OutputError> {
    let path = out.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(&path)(e)),
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a\\b",
            "C:x",
            "./a",
        ] {
            assert!(!is_safe_path(bad), "{bad:?}");
        }
        assert!(is_safe_path("zh/steps/online/index.html"));
    }

    /// `Sink::put` returns the manifest's hash of each file however it was staged (written,
    /// linked from the current output, a repeat, the inputs' record): the service worker's
    /// version is made from these, without hashing the files again.
    #[test]
    fn put_returns_each_files_hash() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[OutputFile::new("a/index.html", "a")]).unwrap();
        let new = NewOutput::begin(&out).unwrap();
        let files = [
            ("a/index.html", "a"),
            ("b.txt", "b"),
            ("b.txt", "b"),
            (RECORD, "r"),
        ];
        for (path, bytes) in files {
            let returned = new.put(OutputFile::new(path, bytes)).unwrap();
            assert_eq!(returned, hash(bytes.as_bytes()), "{path}");
        }
        assert_eq!(new.commit().unwrap().linked, 1);
    }

    /// Files of one new folder put from both cores at once: each waits until the folder
    /// exists (a thread once wrote into a folder another thread had claimed but not yet
    /// created, and the build failed with "No such file or directory").
    #[test]
    fn files_of_one_new_folder_arrive_from_many_threads() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for round in 0..20 {
            let new = NewOutput::begin(&out).unwrap();
            (0..400).into_par_iter().for_each(|i| {
                let path = format!("r{round}/f{}/deep/{i}.js", i % 4);
                new.put(OutputFile::new(path, format!("{i}"))).unwrap();
            });
            assert_eq!(new.commit().unwrap().written.len(), 400);
            assert!(out.join(format!("r{round}/f3/deep/399.js")).is_file());
        }
    }

    #[test]
    fn swap_replaces_and_refuses_unsafe() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[OutputFile::new("a/index.html", "one")]).unwrap();
        write_atomic(&out, &[OutputFile::new("b.txt", "two")]).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "two");
        let err = write_atomic(&out, &[OutputFile::new("../evil", "x")]).unwrap_err();
        assert!(matches!(err, OutputError::UnsafePath { .. }));
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn write_changes_touches_only_what_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = vec![
            OutputFile::new("a/index.html", "a"),
            OutputFile::new("b/c/index.html", "c"),
        ];
        write_atomic(&out, &first).unwrap();
        let mut old = recorded(&out).unwrap();
        assert_eq!(old.len(), 2);
        let new = vec![
            OutputFile::new("a/index.html", "a2"),
            OutputFile::new("d.txt", "d"),
        ];
        let paths = new.iter().map(|f| f.path.clone()).collect();
        let new: Vec<_> = new
            .into_iter()
            .map(|f| (f.clone(), hash(&f.bytes)))
            .collect();
        let stats = write_changes(&out, &mut old, &new, &paths, &[]).unwrap();
        assert_eq!(
            old,
            recorded(&out).unwrap(),
            "the manifest and the map agree"
        );
        assert_eq!(stats.written, ["a/index.html", "d.txt"]);
        assert_eq!(stats.deleted, ["b/c/index.html"]);
        assert!(!out.join("b").exists(), "emptied folders are removed");
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert!(out.join(MARKER).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_unchanged_files_and_never_writes_into_them() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let files = [
            OutputFile::new("a/index.html", "a"),
            OutputFile::new("b.txt", "b"),
        ];
        let first = write_atomic(&out, &files).unwrap();
        assert_eq!((first.written.len(), first.linked), (2, 0));
        let (a, b, marker) = (ino("a/index.html"), ino("b.txt"), ino(MARKER));
        let kept = std::fs::File::open(out.join("b.txt")).unwrap();
        let files = [
            OutputFile::new("a/index.html", "a"),
            OutputFile::new("b.txt", "B"),
        ];
        let second = write_atomic(&out, &files).unwrap();
        assert_eq!(second.written, ["b.txt"]);
        assert_eq!((second.linked, second.bytes), (1, 1));
        assert_eq!(ino("a/index.html"), a, "linked, not copied");
        assert_eq!(ino(MARKER), marker, "the marker is linked too");
        assert_ne!(ino("b.txt"), b, "a changed file is a new file");
        let mut old = String::new();
        std::io::Read::read_to_string(&mut &kept, &mut old).unwrap();
        assert_eq!(old, "b", "the old file was not written into");
        // A file changed behind steppe's back is not trusted, even with the same size.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("a/index.html"), "x").unwrap();
        let third = write_atomic(&out, &files).unwrap();
        assert_eq!(third.written, ["a/index.html"]);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"a");
    }

    #[test]
    fn a_path_comes_out_once_and_never_with_two_contents() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let same = [
            OutputFile::new("s/p.1.js", "x"),
            OutputFile::new("s/p.1.js", "x"),
        ];
        let stats = write_atomic(&out, &same).unwrap();
        assert_eq!(stats.written, ["s/p.1.js"]);
        let clash = [
            OutputFile::new("a.html", "x"),
            OutputFile::new("a.html", "y"),
        ];
        let err = write_atomic(&out, &clash).unwrap_err();
        assert!(matches!(err, OutputError::Duplicate { .. }), "{err}");
        assert!(
            out.join("s/p.1.js").is_file(),
            "the output was left as it was"
        );
    }

    #[test]
    fn destination_rules() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_destination(root, root, false).unwrap_err().is_usage());
        assert!(check_destination(root, &root.join("content/out"), false).is_err());
        assert!(check_destination(root, &root.join("public"), false).is_ok());
        std::fs::create_dir_all(root.join("mine")).unwrap();
        std::fs::write(root.join("mine/keep.txt"), "x").unwrap();
        assert!(check_destination(root, &root.join("mine"), false).is_err());
        assert!(check_destination(root, &root.join("mine"), true).is_ok());
    }

    #[test]
    fn a_failed_move_puts_the_old_tree_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[OutputFile::new("en/index.html", "old")]).unwrap();
        // The second move (staging into place) fails, as a full disk or a race would.
        let failing = |from: &Path, to: &Path| {
            let name = from.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains("steppe-staging") {
                return Err(io::Error::other("injected"));
            }
            std::fs::rename(from, to)
        };
        let err = write_atomic_with(&out, &[OutputFile::new("en/index.html", "new")], &failing)
            .unwrap_err();
        assert!(err.to_string().contains("injected"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("en/index.html")).unwrap(),
            "old"
        );
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["public"], "no staging or old folder left");
    }
}
