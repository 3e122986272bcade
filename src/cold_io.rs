//! Many small files and folders read, `stat`ed or removed with the page cache cold: a thread
//! pool for waiting on the disk, and a folder cut into parts it can share out.
//!
//! Reading, `stat`ing or unlinking a file whose inode is not cached waits on the disk, not the
//! CPU, so more threads than cores keep more requests in flight: at 10k pages after
//! `drop_caches`, reading `content/` took 2.4 s on the two-thread pool, and removing the
//! replaced output 1.5 s on one thread (0.55 s on the pool). Walking the output (a rebuild's
//! check that every folder can be replaced, and a rebuild with nothing changed checking that
//! the output is intact) gains too, cut two folders down: on the 10k output after
//! `drop_caches`, one `find` took 0.88-1.02 s, two 0.68-0.74 s and sixteen 0.42-0.44 s (3
//! December 2026; an earlier machine of the same kind showed no gain from 16 threads).
//! `content/`'s walk for the inputs' stamp is a tenth of that and stays one walk per language.

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

/// A piece of a folder: an entry that is not a folder, a folder above the cut (on its own),
/// or a folder to take whole.
enum Part {
    Entry(walkdir::Result<walkdir::DirEntry>),
    Above(walkdir::DirEntry),
    Folder(PathBuf),
}

/// The contents of `dir` (symlinks not followed, entries in name order) cut into parts
/// `levels` folders down: the entries of the first levels one by one (a folder above the cut
/// as [`Part::Above`], before its contents), each folder at the cut as one part. Walked in the
/// order given, the parts hold the entries of one walk of `dir` but `dir` itself, in its order.
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
            Ok(e) if e.file_type().is_dir() && levels > 1 => {
                let path = e.path().to_path_buf();
                out.push(Part::Above(e));
                cut(&path, levels - 1, out);
            }
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
        // Emptied by the parts below it, removed after them.
        Part::Entry(_) | Part::Above(_) => {}
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

/// Every entry of a walk of `dir` but `dir` itself (symlinks not followed, entries in name
/// order), walked in parts on the I/O pool: `visit` reads one part's entries in walk order,
/// and its results come back in the parts' order, so that taken in turn they are those of one
/// walk.
pub(crate) fn walk_in_parts<T: Send>(
    dir: &Path,
    visit: impl Fn(&mut dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>>) -> T + Sync,
) -> Vec<T> {
    let parts = parts(dir, 2);
    let count = parts.len();
    let walk = |part: Part| match part {
        Part::Entry(e) => visit(&mut std::iter::once(e)),
        Part::Above(e) => visit(&mut std::iter::once(Ok(e))),
        Part::Folder(f) => visit(&mut walkdir::WalkDir::new(f).sort_by_file_name().into_iter()),
    };
    install(count, 4, || parts.into_par_iter().map(walk).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of a walk of `dir`, folders too, as `rel` paths, in the order given.
    fn paths_of(entries: impl Iterator<Item = walkdir::DirEntry>, dir: &Path) -> Vec<String> {
        entries
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
        // Every entry but `dir` itself: 10 files and 12 folders.
        let whole = paths_of(walk(dir).skip(1).map(Result::unwrap), dir);
        assert_eq!(whole.len(), 22);
        for levels in 1..5 {
            let mut pieced = Vec::new();
            for part in parts(dir, levels) {
                match part {
                    Part::Entry(e) => pieced.extend(paths_of(std::iter::once(e.unwrap()), dir)),
                    Part::Above(e) => pieced.extend(paths_of(std::iter::once(e), dir)),
                    Part::Folder(f) => {
                        let entries = walk(&f).map(Result::unwrap);
                        pieced.extend(paths_of(entries, dir));
                    }
                }
            }
            assert_eq!(pieced, whole, "cut {levels} levels down");
        }
        let walked = walk_in_parts(dir, |entries| paths_of(entries.map(Result::unwrap), dir));
        assert_eq!(walked.concat(), whole, "walked in parts on the pool");
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
