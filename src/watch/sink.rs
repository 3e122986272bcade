//! `watch`'s sink. Input: the files a rebuild hands over, as the pipeline makes them. Output:
//! the files to write at the end of the rebuild, the pages already written, and whether the
//! whole output can be written (checked on a thread of its own beside the pipeline).

use crate::output::{self, OutputError, OutputFile};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::thread::{Scope, ScopedJoinHandle};

/// A page written before the end of the rebuild: its path, size and content hash.
pub(super) type Early = (String, u64, output::Hash);

/// A file kept for the end of the rebuild, with the hash taken of it in `put` (so writing it
/// need not hash it again).
pub(super) type Kept = (OutputFile, output::Hash);

/// Keeps the files a rebuild hands over, except that after a content-only change an edited
/// page goes to disk at once (its template already ran fine, and nothing after it can fail for
/// it), so the browser gets it before the search index is rebuilt; but only once the check
/// that every folder of the output is writable has passed.
pub(super) struct Collect<'a, 's> {
    out: &'a Path,
    last: &'a HashMap<String, output::Hash>,
    early: bool,
    check: Mutex<Option<ScopedJoinHandle<'s, Result<(), OutputError>>>>,
    writable: Mutex<Option<Result<(), OutputError>>>,
    kept: Mutex<Vec<Kept>>,
    written: Mutex<Vec<Early>>,
}

impl<'a, 's> Collect<'a, 's> {
    /// Starts the check of the output `out` on a thread of `scope`.
    pub(super) fn new<'e>(
        out: &'a Path,
        last: &'a HashMap<String, output::Hash>,
        early: bool,
        scope: &'s Scope<'s, 'e>,
    ) -> Self
    where
        'a: 's,
    {
        let check = scope.spawn(move || output::check_replaceable(out));
        Collect {
            out,
            last,
            early,
            check: Mutex::new(Some(check)),
            writable: Mutex::new(None),
            kept: Mutex::new(Vec::new()),
            written: Mutex::new(Vec::new()),
        }
    }

    /// Whether the whole output can be written; waits for the check the first time.
    fn writable(&self) -> bool {
        let mut writable = lock(&self.writable);
        if writable.is_none() {
            let check = lock(&self.check).take();
            *writable = Some(check.map_or(Ok(()), |c| {
                c.join().unwrap_or_else(|_| Err(lost_check(self.out)))
            }));
        }
        matches!(*writable, Some(Ok(())))
    }

    /// The check's result, the pages written early and the files kept for the end.
    pub(super) fn finish(self) -> (Result<(), OutputError>, Vec<Early>, Vec<Kept>) {
        self.writable();
        let writable = into_inner(self.writable).unwrap_or(Ok(()));
        (writable, into_inner(self.written), into_inner(self.kept))
    }
}

impl output::Sink for Collect<'_, '_> {
    fn put(&self, file: OutputFile) -> Result<output::Hash, OutputError> {
        let h = output::hash(&file.bytes);
        let is_page = file.path.ends_with(".html");
        if self.early && is_page && self.writable() {
            if self.last.get(&file.path) == Some(&h) {
                return Ok(h);
            }
            if output::write_file(self.out, &file).is_ok() {
                let entry = (file.path, file.bytes.len() as u64, h);
                lock(&self.written).push(entry);
                return Ok(h);
            }
        }
        lock(&self.kept).push((file, h));
        Ok(h)
    }
}

/// The checking thread panicked: treated as a folder that cannot be written.
fn lost_check(out: &Path) -> OutputError {
    OutputError::Io {
        path: out.to_path_buf(),
        source: std::io::Error::other("the check of the output folder stopped"),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|e| e.into_inner())
}
