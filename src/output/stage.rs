//! Filling the staging folder. Input: the staging path, the current output and the built
//! files. Output: a complete new tree in the staging folder and what it cost (`WriteStats`).
//!
//! A file whose bytes the current output already holds (the manifest says so, see
//! `manifest.rs`) is hard-linked from there instead of written: the kernel then creates a
//! directory entry, not an inode and its data, and deleting the old tree after the swap only
//! drops a link. Nothing is ever written into an existing file, so a link can never change the
//! live output; where a link cannot be made (another file system, a file system without hard
//! links, a permission) the bytes are written instead.

use super::manifest::{self, Hash, Manifest};
use super::{MARKER, MARKER_TEXT, OutputError, OutputFile, WriteStats, io_err};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// How one file got into the staging folder.
enum Placed {
    Linked,
    Written,
}

/// Writes `files` into a fresh `staging` folder, linking what `out` already holds.
pub(super) fn stage(
    staging: &Path,
    out: &Path,
    files: &[OutputFile],
) -> Result<WriteStats, OutputError> {
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io_err(staging))?;
    }
    std::fs::create_dir_all(staging).map_err(io_err(staging))?;
    // The marker goes first, so a staging folder a crash leaves behind can be recognised.
    let marker = staging.join(MARKER);
    std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
    let files = unique(files)?;
    make_dirs(staging, &files)?;
    let old = Manifest::load(out);
    let hashes: Vec<Hash> = files.par_iter().map(|f| manifest::hash(&f.bytes)).collect();
    let placed = files
        .par_iter()
        .zip(&hashes)
        .map(|(f, hash)| place(staging, out, &old, f, hash))
        .collect::<Result<Vec<Placed>, OutputError>>()?;
    let entries = files
        .iter()
        .zip(&hashes)
        .map(|(f, h)| (f.path.as_str(), f.bytes.len() as u64, h));
    let list = staging.join(manifest::MANIFEST);
    manifest::save(staging, entries).map_err(io_err(&list))?;
    Ok(stats(&files, &placed))
}

/// The files with each path once. Content-named files (search shards) can come twice with the
/// same bytes; the same path with other bytes would make the output depend on which write
/// lands last, so it is refused.
fn unique(files: &[OutputFile]) -> Result<Vec<&OutputFile>, OutputError> {
    let mut seen: HashMap<&str, &OutputFile> = HashMap::with_capacity(files.len());
    let mut kept = Vec::with_capacity(files.len());
    for f in files {
        match seen.insert(&f.path, f) {
            None => kept.push(f),
            Some(first) if first.bytes == f.bytes => {}
            Some(_) => {
                return Err(OutputError::Duplicate {
                    path: f.path.clone(),
                });
            }
        }
    }
    Ok(kept)
}

fn make_dirs(staging: &Path, files: &[&OutputFile]) -> Result<(), OutputError> {
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for dir in dirs {
        let path = staging.join(dir);
        std::fs::create_dir_all(&path).map_err(io_err(&path))?;
    }
    Ok(())
}

/// Links the file from the current output when the manifest vouches for it, else writes it.
fn place(
    staging: &Path,
    out: &Path,
    old: &Manifest,
    f: &OutputFile,
    hash: &Hash,
) -> Result<Placed, OutputError> {
    let path = staging.join(&f.path);
    let current = out.join(&f.path);
    if old.vouches(&f.path, f.bytes.len() as u64, hash, &current)
        && std::fs::hard_link(&current, &path).is_ok()
    {
        return Ok(Placed::Linked);
    }
    std::fs::write(&path, &f.bytes).map_err(io_err(&path))?;
    Ok(Placed::Written)
}

fn stats(files: &[&OutputFile], placed: &[Placed]) -> WriteStats {
    let mut stats = WriteStats::default();
    for (f, how) in files.iter().zip(placed) {
        match how {
            Placed::Linked => stats.linked += 1,
            Placed::Written => {
                stats.bytes += f.bytes.len() as u64;
                stats.written.push(f.path.clone());
            }
        }
    }
    stats
}
