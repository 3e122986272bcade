//! Read-only checks made before rendering and again before the swap: can the output be
//! replaced? Input: the output path as the user gave it and its absolute form. Output: `Ok`, or
//! a refusal naming the folder in the user's terms, with a hint.

use super::OutputError;
use std::path::{Component, Path, PathBuf};

/// Finds, before anything is rendered, the first thing that would make the swap fail: the
/// folder that holds the output must take new entries. (Every folder of an existing output
/// must be readable and writable too, since the old tree is deleted after the new one is in
/// place: [`removable`].)
pub(super) fn check_holder(out: &Path, abs: &Path) -> Result<(), OutputError> {
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
    Ok(())
}

/// Checks that the tree at `abs` could be deleted: every folder in it (symlinks not followed)
/// readable, searchable and writable.
pub(super) fn removable(out: &Path, abs: &Path) -> Result<(), OutputError> {
    // `abs` itself first, then what it holds, walked in parts on the I/O pool: at 10k pages a
    // rebuild waited about a second on one walk of the cold tree (see `cold_io`).
    let mut own = walkdir::WalkDir::new(abs).max_depth(0).into_iter();
    let first = unremovable(&mut own, abs).or_else(|| {
        crate::cold_io::walk_in_parts(abs, |entries| unremovable(entries, abs))
            .into_iter()
            .flatten()
            .next()
    });
    let Some((path, what)) = first else {
        return Ok(());
    };
    let shown = user_path(out, abs, &path);
    Err(OutputError::Refused {
        out: shown_path(out),
        why: format!("cannot be replaced: {} {what}", shown.display()),
        hint: format!(
            "steppe deletes the old output once the new one is in place, so every folder in it \
             must be readable and writable: run `chmod -R u+rwX {}`, or choose another --out",
            shown_path(out).display()
        ),
    })
}

/// The first folder among `entries` (a walk of `abs` or of a part of it) that the swap could
/// not empty and delete, with what it lacks.
fn unremovable(
    entries: &mut dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>>,
    abs: &Path,
) -> Option<(PathBuf, &'static str)> {
    for entry in entries {
        let found = match &entry {
            Err(e) => (e.path().unwrap_or(abs), "is not readable"),
            Ok(e) if !e.file_type().is_dir() => continue,
            Ok(e) if !allowed(e.path(), Access::List) => (e.path(), "is not readable"),
            Ok(e) if !allowed(e.path(), Access::Enter) => (e.path(), "is not writable"),
            Ok(_) => continue,
        };
        return Some((found.0.to_path_buf(), found.1));
    }
    None
}

/// Whether every existing folder on the way from the output `abs` to the file `rel` inside it
/// is readable and writable: the cheap check of `watch`'s fast path, which writes that one
/// file and cannot wait for a walk of the whole tree (the full rebuild after it makes that).
pub(crate) fn folders_writable(abs: &Path, rel: &str) -> bool {
    let mut dir = abs.to_path_buf();
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    std::iter::once(None)
        .chain(parts.into_iter().map(Some))
        .all(|part| {
            if let Some(part) = part {
                dir.push(part);
            }
            !dir.is_dir() || (allowed(&dir, Access::List) && allowed(&dir, Access::Enter))
        })
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

#[cfg(test)]
mod tests {
    use super::*;

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
