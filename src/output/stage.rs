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
//! Files are placed as they are handed in (by a few I/O threads of the staging's own, which a
//! build's rendering threads need not wait for; see [`WriteBehind`]), so the pipeline can drop
//! each page's HTML as soon as it is staged instead of holding the whole site in memory.

use super::leftovers::has_marker;
use super::manifest::{self, Hash, Manifest};
use super::{
    MARKER, MARKER_TEXT, OutputError, OutputFile, RECORD, WriteStats, io_err, is_safe_path,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

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
    /// The first file an I/O thread could not place, until a `put` or `finish` reports it.
    failed: Option<OutputError>,
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
    shared: Arc<Shared>,
    /// The threads that place files behind the callers' backs; `None`: each file is placed by
    /// the thread that hands it in.
    behind: Option<WriteBehind>,
    done: bool,
}

/// What the threads placing files share.
struct Shared {
    dir: PathBuf,
    out: PathBuf,
    old: Manifest,
    ledger: Mutex<Ledger>,
}

/// Files handed to the I/O threads and not yet placed.
///
/// Creating a folder or a file in a cold file system waits for the disk (ext4 reads the inode
/// and block bitmaps and the inode table of the group it allocates from): at 10k pages after
/// `drop_caches`, the two rendering threads spent 0.3 s blocked there (`perf sched`, 3,400
/// waits of 90 µs), a core idle each time. Placed by the I/O threads, the waits overlap the
/// rendering; the bytes in flight are bounded, so memory stays bounded by the site model.
struct WriteBehind {
    pool: rayon::ThreadPool,
    flight: Arc<Flight>,
}

#[derive(Default)]
struct Flight {
    state: Mutex<InFlight>,
    changed: Condvar,
}

#[derive(Default)]
struct InFlight {
    files: usize,
    bytes: usize,
    /// The most bytes in flight at once (the tests check the bound).
    peak: usize,
}

/// Bytes handed to the I/O threads and not yet placed, at most (one file more when it alone is
/// larger): about 250 pages.
const MAX_BYTES_IN_FLIGHT: usize = 8 << 20;

/// Threads placing files. At 10k pages after `drop_caches` (alternating with the build that
/// placed files on the rendering threads, 8 runs each, 3 December 2026): 4 threads with 8 MiB
/// in flight 3.37 -> 3.07 s (median), 327 MiB peak against 312; 16 threads 3.25 s, 351 MiB.
const WRITE_THREADS: usize = 4;

impl Flight {
    fn lock(&self) -> std::sync::MutexGuard<'_, InFlight> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for room for `bytes` more, then counts them in.
    fn enter(&self, bytes: usize) {
        let mut f = self.lock();
        while f.files > 0 && f.bytes + bytes > MAX_BYTES_IN_FLIGHT {
            f = self.changed.wait(f).unwrap_or_else(|e| e.into_inner());
        }
        f.files += 1;
        f.bytes += bytes;
        f.peak = f.peak.max(f.bytes);
    }

    fn leave(&self, bytes: usize) {
        let mut f = self.lock();
        f.files -= 1;
        f.bytes -= bytes;
        self.changed.notify_all();
    }

    /// Waits until every file handed in is placed (or failed).
    fn drain(&self) {
        let mut f = self.lock();
        while f.files > 0 {
            f = self.changed.wait(f).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Staging {
    /// A fresh `staging` folder (with steppe's marker) for the output at `out`. `behind`: place
    /// files on I/O threads of their own (a build), instead of on the threads handing them in.
    pub(super) fn create(
        staging: PathBuf,
        out: &Path,
        behind: bool,
    ) -> Result<Staging, OutputError> {
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io_err(&staging))?;
        let staged = Staging {
            shared: Arc::new(Shared {
                old: Manifest::load(out),
                out: out.to_path_buf(),
                dir: staging,
                ledger: Mutex::default(),
            }),
            behind: behind.then(WriteBehind::start).flatten(),
            done: false,
        };
        // The marker goes first, so a staging folder a crash leaves behind can be recognised.
        // It never changes: linked from the output it replaces, like any unchanged file, so a
        // rebuild creates only the files that changed.
        let marker = staged.dir().join(MARKER);
        let linked = has_marker(out) && std::fs::hard_link(out.join(MARKER), &marker).is_ok();
        if !linked {
            std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        }
        Ok(staged)
    }

    /// Places one file (on an I/O thread, when there are any: then a failure to write it is
    /// reported by a later `put` or by `finish`). The same path twice is accepted only with the
    /// same bytes (content-named search shards can come twice); other bytes would make the
    /// output depend on which write lands last, so they are refused. Returns the bytes' hash.
    pub(super) fn put(&self, f: OutputFile) -> Result<Hash, OutputError> {
        if !is_safe_path(&f.path) {
            return Err(OutputError::UnsafePath { path: f.path });
        }
        let hash = manifest::hash(&f.bytes);
        if f.path == RECORD {
            let path = self.dir().join(RECORD);
            return std::fs::write(&path, &f.bytes)
                .map(|()| hash)
                .map_err(io_err(&path));
        }
        let size = f.bytes.len() as u64;
        let folder = {
            let mut ledger = self.shared.lock();
            if let Some(failed) = ledger.failed.take() {
                return Err(failed);
            }
            match ledger.entries.insert(f.path.clone(), (size, hash)) {
                Some(first) if first == (size, hash) => return Ok(hash),
                Some(_) => return Err(OutputError::Duplicate { path: f.path }),
                None => {}
            }
            f.path
                .rsplit_once('/')
                .map(|(d, _)| match ledger.dirs.get(d) {
                    Some(made) => made.clone(),
                    None => ledger.dirs.entry(d.to_owned()).or_default().clone(),
                })
        };
        let Some(behind) = &self.behind else {
            return self.shared.stage(&f, size, &hash, folder).map(|()| hash);
        };
        let (shared, flight) = (Arc::clone(&self.shared), Arc::clone(&behind.flight));
        flight.enter(f.bytes.len());
        behind.pool.spawn(move || {
            if let Err(e) = shared.stage(&f, size, &hash, folder) {
                shared.lock().failed.get_or_insert(e);
            }
            flight.leave(f.bytes.len());
        });
        Ok(hash)
    }

    /// Writes the manifest, after every file, and hands back what staging cost. The caller
    /// swaps the folder in.
    pub(super) fn finish(mut self) -> Result<WriteStats, OutputError> {
        self.drain();
        let mut ledger = std::mem::take(&mut *self.shared.lock());
        if let Some(failed) = ledger.failed.take() {
            return Err(failed);
        }
        let entries = ledger
            .entries
            .iter()
            .map(|(path, (size, hash))| (path.as_str(), *size, hash));
        let list = self.dir().join(manifest::MANIFEST);
        manifest::save(self.dir(), entries).map_err(io_err(&list))?;
        self.done = true;
        let mut stats = ledger.stats;
        // Files arrive from many threads: sorted, the report is the same on every run.
        stats.written.sort();
        Ok(stats)
    }

    /// The most bytes that were waiting for the I/O threads at once.
    #[cfg(test)]
    fn peak_in_flight(&self) -> Option<usize> {
        self.behind.as_ref().map(|b| b.flight.lock().peak)
    }

    /// The staging folder.
    pub(super) fn dir(&self) -> &Path {
        &self.shared.dir
    }

    /// Waits for the I/O threads to place every file handed in.
    fn drain(&self) {
        if let Some(behind) = &self.behind {
            behind.flight.drain();
        }
    }
}

impl WriteBehind {
    /// `None` when no thread can be started: files are then placed by the callers.
    fn start() -> Option<WriteBehind> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(WRITE_THREADS)
            .thread_name(|i| format!("steppe-write-{i}"))
            .build()
            .ok()?;
        Some(WriteBehind {
            pool,
            flight: Arc::default(),
        })
    }
}

impl Shared {
    /// Creates the file's folder (once, by whichever thread comes first) and places the file.
    fn stage(
        &self,
        f: &OutputFile,
        size: u64,
        hash: &Hash,
        folder: Option<Arc<OnceLock<Result<(), FolderError>>>>,
    ) -> Result<(), OutputError> {
        if let (Some((dir, _)), Some(made)) = (f.path.rsplit_once('/'), folder) {
            // Its path is joined only by the thread creating it (or to report its failure).
            let create = || std::fs::create_dir_all(self.dir.join(dir)).map_err(FolderError::from);
            if let Err(e) = made.get_or_init(create) {
                return Err(io_err(&self.dir.join(dir))(e.to_io()));
            }
        }
        let placed = self.place(f, size, hash)?;
        let mut ledger = self.lock();
        match placed {
            Placed::Linked => ledger.stats.linked += 1,
            Placed::Written => {
                ledger.stats.bytes += size;
                ledger.stats.written.push(f.path.clone());
            }
        }
        Ok(())
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
        // Not before the I/O threads are done with it: they would create folders again.
        self.drain();
        if !self.done {
            let _ = std::fs::remove_dir_all(self.dir());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staging(behind: bool) -> (tempfile::TempDir, PathBuf, Staging) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staged = Staging::create(tmp.path().join("staging"), &out, behind).unwrap();
        (tmp, out, staged)
    }

    /// A file the I/O threads cannot place (here a file and a folder of one name) fails the
    /// staging, by the next `put` or by `finish`, and the folder is removed.
    #[test]
    fn a_file_placed_behind_that_fails_fails_the_staging() {
        let (_tmp, _, staged) = staging(true);
        let files = [OutputFile::new("x", "1"), OutputFile::new("x/y.txt", "2")];
        let dir = staged.dir().to_path_buf();
        let result = files
            .into_iter()
            .try_for_each(|f| staged.put(f).map(drop))
            .and_then(|()| staged.finish().map(drop));
        assert!(matches!(result, Err(OutputError::Io { .. })), "{result:?}");
        assert!(!dir.exists(), "the staging folder is removed");
    }

    /// Files handed in faster than they are written wait for room: with the I/O threads held
    /// up, the bytes in flight reach the bound and stay there, and every file lands whole once
    /// they go on.
    #[test]
    fn the_bytes_waiting_to_be_written_are_bounded() {
        let (_tmp, _, staged) = staging(true);
        let behind = staged.behind.as_ref().unwrap();
        let gate = Arc::new(std::sync::RwLock::new(()));
        let closed = gate.write().unwrap();
        for _ in 0..WRITE_THREADS {
            let gate = Arc::clone(&gate);
            behind.pool.spawn(move || drop(gate.read()));
        }
        let size = MAX_BYTES_IN_FLIGHT / 3;
        let file =
            |i: usize| OutputFile::new(format!("d{}/f{i}", i % 3), vec![b'a' + i as u8; size]);
        std::thread::scope(|s| {
            let putter = s.spawn(|| (0..12).try_for_each(|i| staged.put(file(i)).map(drop)));
            while behind.flight.lock().files < 3 {
                std::thread::yield_now();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            let held = behind.flight.lock().files;
            assert_eq!(held, 3, "files waiting while the writers are held up");
            drop(closed);
            putter.join().unwrap().unwrap();
        });
        let peak = staged.peak_in_flight().unwrap();
        assert_eq!(peak, 3 * size, "bytes in flight at most");
        let dir = staged.dir().to_path_buf();
        let stats = staged.finish().unwrap();
        assert_eq!(stats.written.len(), 12);
        for i in 0..12 {
            let on_disk = std::fs::read(dir.join(&file(i).path)).unwrap();
            assert_eq!(on_disk, file(i).bytes, "f{i}");
        }
    }

    /// Placed behind or by the caller, the same files give the same tree and manifest.
    #[test]
    fn placing_behind_stages_what_placing_in_line_does() {
        let files: Vec<OutputFile> = (0..200)
            .map(|i| OutputFile::new(format!("s{}/p{i}/index.html", i % 7), format!("page {i}")))
            .collect();
        let staged_with = |behind: bool| {
            let (tmp, _, staged) = staging(behind);
            for f in &files {
                staged.put(f.clone()).unwrap();
            }
            let dir = staged.dir().to_path_buf();
            let stats = staged.finish().unwrap();
            let mut tree: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .map(Result::unwrap)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let rel = e
                        .path()
                        .strip_prefix(&dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    (rel, std::fs::read(e.path()).unwrap())
                })
                .collect();
            tree.retain(|(rel, _)| rel != MARKER);
            drop(tmp);
            (stats.written, tree)
        };
        let behind = staged_with(true);
        assert_eq!(behind.0.len(), 200);
        assert_eq!(behind, staged_with(false));
    }
}
