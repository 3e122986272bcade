//! The writer: output files held in memory, a staging directory beside the output, and the
//! atomic swap. Only this module touches the output directory.
//!
//! A build renders everything in memory first, writes it into `.<out>.steppe-staging-<pid>`
//! beside the output and only then swaps it in, so a failed build never leaves a half-written
//! site and the last good output stays until a new one is complete.
//!
//! A failed build never changes the output: `check_destination` finds, before anything is
//! rendered, folders the swap could not write, move or delete; the swap checks again and puts
//! the old tree back if a step fails. Staging and old folders that a crashed run left behind are
//! removed by the next run, but only those named by the pattern above that hold steppe's marker.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as steppe's output, so it may be replaced without `--force`.
pub const MARKER: &str = ".steppe-output";

/// What the marker file says; a leftover folder is removed only if its marker says exactly this.
const MARKER_TEXT: &str = "This folder is written by steppe and replaced on each build.\n";

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

/// Checks that `out` is a safe place to build into for the site at `root`.
pub fn check_destination(root: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
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
    check_writable(out, &abs)
}

/// Finds, before anything is rendered, what would make the swap fail: the folder that holds the
/// output must take new entries, and every folder of an existing output must be readable and
/// writable, since the old tree is deleted after the new one is in place.
fn check_writable(out: &Path, abs: &Path) -> Result<(), OutputError> {
    let mut holder = abs.parent().unwrap_or(abs);
    while !holder.exists() {
        holder = holder.parent().unwrap_or(Path::new("/"));
    }
    if !allowed(holder, Access::Enter) {
        let shown = user_path(out, abs, holder);
        return Err(OutputError::Refused {
            out: shown_path(out),
            why: format!(
                "cannot be written: its folder {} is not writable",
                shown.display()
            ),
            hint: format!(
                "steppe builds into a staging folder beside the output and swaps it in, so {} \
                 must be writable; make it writable or choose another --out",
                shown.display()
            ),
        });
    }
    if abs.is_dir() {
        removable(out, abs)?;
    }
    Ok(())
}

/// Checks that the tree at `abs` could be deleted: every folder in it (symlinks not followed)
/// readable, searchable and writable.
fn removable(out: &Path, abs: &Path) -> Result<(), OutputError> {
    for entry in walkdir::WalkDir::new(abs).sort_by_file_name() {
        let (path, what) = match &entry {
            Err(e) => (e.path().unwrap_or(abs), "is not readable"),
            Ok(e) if !e.file_type().is_dir() => continue,
            Ok(e) if !allowed(e.path(), Access::List) => (e.path(), "is not readable"),
            Ok(e) if !allowed(e.path(), Access::Enter) => (e.path(), "is not writable"),
            Ok(_) => continue,
        };
        let shown = user_path(out, abs, path);
        return Err(OutputError::Refused {
            out: shown_path(out),
            why: format!("cannot be replaced: {} {what}", shown.display()),
            hint: format!(
                "steppe deletes the old output once the new one is in place, so every folder \
                 in it must be readable and writable: run `chmod -R u+rwX {}`, or choose \
                 another --out",
                shown_path(out).display()
            ),
        });
    }
    Ok(())
}

/// The path as the user would write it: `./public` shown as `public`.
fn shown_path(path: &Path) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// `target` (inside or above the absolute output `abs`) named from the path the user gave.
fn user_path(out: &Path, abs: &Path, target: &Path) -> PathBuf {
    if let Ok(rel) = target.strip_prefix(abs) {
        return shown_path(&out.join(rel));
    }
    let up = abs.components().count() - target.components().count();
    let plain = out
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    let named = out
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    if !plain || named < up {
        return target.to_path_buf();
    }
    let mut shown = out.to_path_buf();
    for _ in 0..up {
        shown.pop();
    }
    if shown.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        shown_path(&shown)
    }
}

/// What a folder must allow.
#[derive(Clone, Copy)]
enum Access {
    /// List its entries (read and search).
    List,
    /// Add and remove entries (write and search).
    Enter,
}

/// Asks the kernel, so ACLs, read-only mounts, immutable folders and root's privileges count.
#[cfg(unix)]
fn allowed(path: &Path, access: Access) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let mode = match access {
        Access::List => libc::R_OK | libc::X_OK,
        Access::Enter => libc::W_OK | libc::X_OK,
    };
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string that lives until the call returns.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

#[cfg(not(unix))]
fn allowed(path: &Path, access: Access) -> bool {
    std::fs::metadata(path)
        .is_ok_and(|m| matches!(access, Access::List) || !m.permissions().readonly())
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

/// Writes `files` into a staging directory beside `out`, then swaps it in. On any error the
/// staging directory is removed and `out` is left as it was.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    write_atomic_with(out, files, &|from, to| std::fs::rename(from, to))
}

/// How the swap moves folders; tests put a failing one in.
type Rename = dyn Fn(&Path, &Path) -> io::Result<()>;

fn write_atomic_with(
    given: &Path,
    files: &[OutputFile],
    rename: &Rename,
) -> Result<(), OutputError> {
    let out = absolute(given).map_err(io_err(given))?;
    if let Some(bad) = files.iter().find(|f| !is_safe_path(&f.path)) {
        return Err(OutputError::UnsafePath {
            path: bad.path.clone(),
        });
    }
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    remove_leftovers(&out);
    let staging = sibling(&out, "staging");
    let result = stage(&staging, files).and_then(|()| swap(given, &staging, &out, rename));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage(staging: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io_err(staging))?;
    }
    std::fs::create_dir_all(staging).map_err(io_err(staging))?;
    // The marker goes first, so a staging folder a crash leaves behind can be recognised.
    let marker = staging.join(MARKER);
    std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for dir in dirs {
        let path = staging.join(dir);
        std::fs::create_dir_all(&path).map_err(io_err(&path))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = staging.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(io_err(&path))
    })
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
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Removes the staging and old folders beside `out` that earlier runs left when they ended
/// before their own cleanup (a crash, a kill): only folders named `.<out>.steppe-staging-<pid>`
/// or `.<out>.steppe-old-<pid>` whose process is gone and whose marker steppe wrote. Best
/// effort: what cannot be removed now is tried again on the next run.
fn remove_leftovers(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.steppe-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = leftover_pid(&entry.file_name().to_string_lossy(), &prefix) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && pid != std::process::id() && !process_alive(pid) && has_marker(&path) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// The process id in `<prefix>staging-<pid>` or `<prefix>old-<pid>`.
fn leftover_pid(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?;
    let digits = rest
        .strip_prefix("staging-")
        .or_else(|| rest.strip_prefix("old-"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&pid| pid > 0)
}

fn has_marker(dir: &Path) -> bool {
    std::fs::read(dir.join(MARKER)).is_ok_and(|text| text == MARKER_TEXT.as_bytes())
}

/// Another steppe (a `watch` beside a `build`) may be staging right now.
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // Without a cheap check, assume it runs: a leftover stays rather than a live build breaking.
    true
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

/// What `write_changes` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    pub written: Vec<String>,
    pub deleted: Vec<String>,
}

/// Brings an existing output folder from `old` to `new` by writing only the files whose bytes
/// changed (each through a temp file and a rename, so a reader never sees half a file) and
/// deleting the files that are gone. Used by `watch`; `build` swaps the whole folder instead.
pub fn write_changes(
    out: &Path,
    old: &BTreeMap<String, Vec<u8>>,
    new: &[OutputFile],
) -> Result<WriteStats, OutputError> {
    if let Some(bad) = new.iter().find(|f| !is_safe_path(&f.path)) {
        return Err(OutputError::UnsafePath {
            path: bad.path.clone(),
        });
    }
    let changed: Vec<&OutputFile> = new
        .iter()
        .filter(|f| old.get(&f.path) != Some(&f.bytes))
        .collect();
    changed.par_iter().try_for_each(|f| write_file(out, f))?;
    let keep: BTreeSet<&str> = new.iter().map(|f| f.path.as_str()).collect();
    let mut deleted = Vec::new();
    for gone in old.keys().filter(|p| !keep.contains(p.as_str())) {
        let path = out.join(gone);
        match std::fs::remove_file(&path) {
            Ok(()) => deleted.push(gone.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path)(e)),
        }
        // Remove folders the deletion emptied, up to the output root.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(WriteStats {
        written: changed.iter().map(|f| f.path.clone()).collect(),
        deleted,
    })
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
        let old: BTreeMap<String, Vec<u8>> = first.into_iter().map(|f| (f.path, f.bytes)).collect();
        let new = vec![
            OutputFile::new("a/index.html", "a2"),
            OutputFile::new("d.txt", "d"),
        ];
        let stats = write_changes(&out, &old, &new).unwrap();
        assert_eq!(stats.written, ["a/index.html", "d.txt"]);
        assert_eq!(stats.deleted, ["b/c/index.html"]);
        assert!(!out.join("b").exists(), "emptied folders are removed");
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert!(out.join(MARKER).exists());
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

    #[test]
    fn only_marked_leftovers_of_ended_runs_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Process ids above the kernel's maximum (2^22) never run.
        let dead = ".public.steppe-staging-999999991";
        let dead_old = ".public.steppe-old-999999992";
        let unmarked = ".public.steppe-old-999999993";
        let wrong_marker = ".public.steppe-staging-999999994";
        let other = ".public.steppe-notes";
        for (dir, marker) in [
            (dead, Some(MARKER_TEXT)),
            (dead_old, Some(MARKER_TEXT)),
            (unmarked, None),
            (wrong_marker, Some("mine\n")),
            (other, Some(MARKER_TEXT)),
        ] {
            std::fs::create_dir_all(tmp.path().join(dir).join("en")).unwrap();
            if let Some(text) = marker {
                std::fs::write(tmp.path().join(dir).join(MARKER), text).unwrap();
            }
        }
        remove_leftovers(&out);
        for kept in [unmarked, wrong_marker, other] {
            assert!(tmp.path().join(kept).is_dir(), "{kept} was removed");
        }
        for gone in [dead, dead_old] {
            assert!(!tmp.path().join(gone).exists(), "{gone} was kept");
        }
        assert_eq!(
            leftover_pid(".public.steppe-old-12", ".public.steppe-"),
            Some(12)
        );
        assert_eq!(
            leftover_pid(".public.steppe-old-0", ".public.steppe-"),
            None
        );
        assert_eq!(
            leftover_pid(".public.steppe-old-1a", ".public.steppe-"),
            None
        );
        assert_eq!(
            leftover_pid(".public.steppe-tmp-1", ".public.steppe-"),
            None
        );
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(999_999_991));
    }

    #[test]
    fn paths_in_messages_are_the_users() {
        let abs = Path::new("/site/public");
        assert_eq!(
            user_path(Path::new("./public"), abs, Path::new("/site/public/en")),
            Path::new("public/en")
        );
        assert_eq!(
            user_path(Path::new("./public"), abs, Path::new("/site")),
            Path::new(".")
        );
        assert_eq!(
            user_path(Path::new("out/public"), abs, Path::new("/site")),
            Path::new("out")
        );
        assert_eq!(
            user_path(Path::new("../x/public"), abs, Path::new("/site")),
            Path::new("/site")
        );
    }
}
