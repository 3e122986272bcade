//! Many small files and folders read or removed with the page cache cold: a thread pool for
//! waiting on the disk, and a folder cut into parts it can share out.
//!
//! Reading, `stat`ing or unlinking a file whose inode is not cached waits on the disk, not the
//! CPU, so more threads than cores keep more requests in flight: at 10k pages after
//! `drop_caches`, reading `content/` took 2.4 s on the two-thread pool, and removing the
//! replaced output 1.5 s on one thread (0.55 s on the pool). Walking folders did not gain:
//! the inputs' stamp and the output's check (a rebuild with nothing changed) read one
//! directory block at a time, and spread over 16 threads they took as long here (1.3 s at
//! 10k, 2 December 2026), so they stay single walks.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Threads of the pool: requests in flight, not cores.
const IO_THREADS: usize = 16;

/// Runs `work` on an I/O pool when there are at least `min` pieces of it (files, folders),
/// else on the caller's (rayon's global) pool: a handful gains nothing from more threads.
/// The pool is made for the one job and its threads end with it: kept, they held on to
/// memory allocated on them (a page's text, read there), 50 MiB more at 10k pages.
pub(crate) fn install<R: Send>(pieces: usize, min: usize, work: impl FnOnce() -> R + Send) -> R {
    let pool = (pieces >= min).then(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(IO_THREADS)
            .thread_name(|i| format!("steppe-io-{i}"))
            .build()
    });
    match pool {
        Some(Ok(pool)) => pool.install(work),
        _ => work(),
    }
}

/// A piece of a folder: an entry that is not a folder, or a folder to take whole.
enum Part {
    Entry(walkdir::Result<walkdir::DirEntry>),
    Folder(PathBuf),
}

/// The contents of `dir` (symlinks not followed, entries in name order) cut into parts
/// `levels` folders down: the entries of the first levels one by one, each folder at the cut
/// as one part. Walked in the order given, the parts hold the files of one walk of `dir`, in
/// its order; the folders above the cut are left out.
fn parts(dir: &Path, levels: usize) -> Vec<Part> {
    let mut out = Vec::new();
    cut(dir, levels, &mut out);
    out
}

fn cut(dir: &Path, levels: usize, out: &mut Vec<Part>) {
    let entries = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name();
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_dir() && levels > 1 => cut(e.path(), levels - 1, out),
            Ok(e) if e.file_type().is_dir() => out.push(Part::Folder(e.into_path())),
            other => out.push(Part::Entry(other)),
        }
    }
}

/// Removes the folder `dir` and all it holds, its parts on the I/O pool (each `unlink` of a
/// cold file waits for its inode: 1.5 s for the replaced tree at 10k pages on one thread).
/// The file `last`, directly in `dir`, goes only once everything else is gone, so a removal
/// that fails half-way leaves it there (steppe's marker, by which the next run recognises
/// the leftover).
pub(crate) fn remove_tree(dir: &Path, last: &str) -> std::io::Result<()> {
    let keep = dir.join(last);
    let parts = parts(dir, 2);
    let count = parts.len();
    // What fails here is left to the next step, which reports it.
    let remove = |part: Part| match part {
        Part::Entry(Ok(e)) if e.path() != keep => drop(std::fs::remove_file(e.path())),
        Part::Folder(f) => drop(std::fs::remove_dir_all(f)),
        Part::Entry(_) => {}
    };
    install(count, 4, || parts.into_par_iter().for_each(remove));
    // What is left: the folders above the cut (emptied) and whatever failed, then `last`.
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path == keep {
            continue;
        }
        match std::fs::symlink_metadata(&path)?.is_dir() {
            true => std::fs::remove_dir_all(&path)?,
            false => std::fs::remove_file(&path)?,
        }
    }
    if std::fs::symlink_metadata(&keep).is_ok() {
        std::fs::remove_file(&keep)?;
    }
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of a walk of `dir`, as `rel` paths, in the order given.
    fn files_of(entries: impl Iterator<Item = walkdir::DirEntry>, dir: &Path) -> Vec<String> {
        entries
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                rel.to_string_lossy().into_owned()
            })
            .collect()
    }

    /// Writes each of `files` (paths under `dir`; folders made as needed), its path its text.
    fn write_tree(dir: &Path, files: &[&str]) {
        for file in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file).unwrap();
        }
    }

    #[test]
    fn the_parts_walked_in_order_are_one_walk() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write_tree(
            dir,
            &[
                "a.md",
                "en/_index.md",
                "en/b/1.md",
                "en/b/c/2.md",
                "en/b/c/d/3.md",
                "en/z.md",
                "ru/a/1.md",
                "ru/a/2.md",
                "zz/x/y/z/4.md",
                "zz/q.md",
            ],
        );
        std::fs::create_dir_all(dir.join("empty/inside")).unwrap();
        let walk = |d: &Path| walkdir::WalkDir::new(d).sort_by_file_name().into_iter();
        let whole = files_of(walk(dir).map(Result::unwrap), dir);
        assert_eq!(whole.len(), 10);
        for levels in 1..5 {
            let mut pieced = Vec::new();
            for part in parts(dir, levels) {
                match part {
                    Part::Entry(e) => pieced.extend(files_of(std::iter::once(e.unwrap()), dir)),
                    Part::Folder(f) => {
                        let entries = walk(&f).map(Result::unwrap);
                        pieced.extend(files_of(entries, dir));
                    }
                }
            }
            assert_eq!(pieced, whole, "cut {levels} levels down");
        }
    }

    #[test]
    fn a_removed_tree_is_gone_and_what_its_links_point_at_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("old");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("keep.md"), "k").unwrap();
        let files = [
            "m",
            "a.html",
            "en/b.html",
            "en/s/p/c.html",
            "zh/d/e/f/g.html",
        ];
        write_tree(&dir, &files);
        #[cfg(unix)]
        for link in ["linked", "en/linked", "en/s/linked"] {
            std::os::unix::fs::symlink(&outside, dir.join(link)).unwrap();
        }
        remove_tree(&dir, "m").unwrap();
        assert!(!dir.exists());
        assert!(
            outside.join("keep.md").exists(),
            "links are removed, not followed"
        );
    }

    #[test]
    fn an_unreadable_folder_is_an_error_part() {
        let tmp = tempfile::tempdir().unwrap();
        let parts = parts(&tmp.path().join("missing"), 2);
        assert!(matches!(parts.as_slice(), [Part::Entry(Err(_))]));
    }
}
