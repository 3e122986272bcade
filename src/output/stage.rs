//! Filling the staging folder, one file at a time. Input: the staging path, the current output
//! and the built files as they come (from any thread). Output: a complete new tree in the
//! staging folder, its manifest, and what it cost (`WriteStats`).
//!
//! A file whose bytes the current output already holds (the manifest says so, see
//! `manifest.rs`) is hard-linked from there instead of written: the kernel then creates a
//! directory entry, not an inode and its data, and deleting the old tree after the swap only
//! drops a link. Nothing is ever written into an existing file, so a link can never change the
//! live output; where a link cannot be made (another file system, a file system without hard
//! links, a permission) the bytes are written instead.
//!
//! Files are placed as they are handed in, so the pipeline can drop each page's HTML as soon as
//! it is staged instead of holding the whole site in memory.

use super::leftovers::has_marker;
use super::manifest::{self, Hash, Manifest};
use super::{
    MARKER, MARKER_TEXT, OutputError, OutputFile, RECORD, WriteStats, io_err, is_safe_path,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// How one file got into the staging folder.
enum Placed {
    Linked,
    Written,
}

/// What has been staged so far; one lock, held only for map updates, never for I/O.
#[derive(Default)]
struct Ledger {
    /// path → (size, hash): the manifest to be, and the duplicate check.
    entries: HashMap<String, (u64, Hash)>,
    /// Folders inside the staging folder, each created once. A thread putting a file into a
    /// folder another thread is still creating waits for it (files of one folder arrive from
    /// both cores: a language's search files).
    dirs: HashMap<String, Arc<OnceLock<Result<(), FolderError>>>>,
    stats: WriteStats,
}

/// A folder that could not be created, kept for every file that was to go into it
/// (`io::Error` cannot be cloned).
#[derive(Debug)]
struct FolderError(std::io::ErrorKind, String);

impl From<std::io::Error> for FolderError {
    fn from(e: std::io::Error) -> FolderError {
        FolderError(e.kind(), e.to_string())
    }
}

impl FolderError {
    fn to_io(&self) -> std::io::Error {
        std::io::Error::new(self.0, self.1.clone())
    }
}

/// A staging folder being filled. Dropped without `finish`, it removes itself.
pub(super) struct Staging {
    pub(super) dir: PathBuf,
    out: PathBuf,
    old: Manifest,
    ledger: Mutex<Ledger>,
    done: bool,
}

impl Staging {
    /// A fresh `staging` folder (with steppe's marker) for the output at `out`.
    pub(super) fn create(staging: PathBuf, out: &Path) -> Result<Staging, OutputError> {
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io_err(&staging))?;
        let staged = Staging {
            old: Manifest::load(out),
            out: out.to_path_buf(),
            dir: staging,
            ledger: Mutex::default(),
            done: false,
        };
        // The marker goes first, so a staging folder a crash leaves behind can be recognised.
        // It never changes: linked from the output it replaces, like any unchanged file, so a
        // rebuild creates only the files that changed.
        let marker = staged.dir.join(MARKER);
        let linked = has_marker(out) && std::fs::hard_link(out.join(MARKER), &marker).is_ok();
        if !linked {
            std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        }
        Ok(staged)
    }

    /// Places one file. The same path twice is accepted only with the same bytes
    /// (content-named search shards can come twice); other bytes would make the output depend
    /// on which write lands last, so they are refused. Returns the bytes' hash.
    pub(super) fn put(&self, f: &OutputFile) -> Result<Hash, OutputError> {
        if !is_safe_path(&f.path) {
            return Err(OutputError::UnsafePath {
                path: f.path.clone(),
            });
        }
        let hash = manifest::hash(&f.bytes);
        if f.path == RECORD {
            let path = self.dir.join(RECORD);
            return std::fs::write(&path, &f.bytes)
                .map(|()| hash)
                .map_err(io_err(&path));
        }
        let size = f.bytes.len() as u64;
        let dir = f.path.rsplit_once('/').map(|(d, _)| d);
        let folder = {
            let mut ledger = self.lock();
            match ledger.entries.insert(f.path.clone(), (size, hash)) {
                Some(first) if first == (size, hash) => return Ok(hash),
                Some(_) => {
                    return Err(OutputError::Duplicate {
                        path: f.path.clone(),
                    });
                }
                None => {}
            }
            dir.map(|d| match ledger.dirs.get(d) {
                Some(made) => made.clone(),
                None => ledger.dirs.entry(d.to_owned()).or_default().clone(),
            })
        };
        if let (Some(dir), Some(made)) = (dir, folder) {
            // Its path is joined only by the thread creating it (or to report its failure).
            let create = || std::fs::create_dir_all(self.dir.join(dir)).map_err(FolderError::from);
            if let Err(e) = made.get_or_init(create) {
                return Err(io_err(&self.dir.join(dir))(e.to_io()));
            }
        }
        let placed = self.place(f, size, &hash)?;
        let mut ledger = self.lock();
        match placed {
            Placed::Linked => ledger.stats.linked += 1,
            Placed::Written => {
                ledger.stats.bytes += size;
                ledger.stats.written.push(f.path.clone());
            }
        }
        Ok(hash)
    }

    /// Writes the manifest, after every file, and hands back what staging cost. The caller
    /// swaps the folder in.
    pub(super) fn finish(mut self) -> Result<WriteStats, OutputError> {
        let ledger = std::mem::take(&mut *self.lock());
        let entries = ledger
            .entries
            .iter()
            .map(|(path, (size, hash))| (path.as_str(), *size, hash));
        let list = self.dir.join(manifest::MANIFEST);
        manifest::save(&self.dir, entries).map_err(io_err(&list))?;
        self.done = true;
        let mut stats = ledger.stats;
        // Files arrive from many threads: sorted, the report is the same on every run.
        stats.written.sort();
        Ok(stats)
    }

    /// Links the file from the current output when the manifest vouches for it, else writes it.
    fn place(&self, f: &OutputFile, size: u64, hash: &Hash) -> Result<Placed, OutputError> {
        let path = self.dir.join(&f.path);
        let current = self.out.join(&f.path);
        if self.old.vouches(&f.path, size, hash, &current)
            && std::fs::hard_link(&current, &path).is_ok()
        {
            return Ok(Placed::Linked);
        }
        std::fs::write(&path, &f.bytes).map_err(io_err(&path))?;
        Ok(Placed::Written)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ledger> {
        // A panic while holding the lock leaves only counters half-updated; the build fails
        // anyway, so the data is still good enough to clean up with.
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Staging {
    /// A staging folder that was not finished (an error, a panic) is removed.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
