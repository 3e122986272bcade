//! The fingerprint of everything a build reads, kept with the output (`.steppe-inputs`), so a
//! build whose inputs are all unchanged, into an output nobody touched, does nothing.
//! Input: the site root and the build's options. Output: one line naming the inputs' state.
//!
//! A file counts by its path, size, modification time and inode, as `make` and Cargo judge
//! freshness: reading every byte would cost what the build saves. An editor that saves by
//! renaming a temp file gives a new inode even within the same clock tick. What is covered:
//! every file directly in the root (site.yaml), everything under `content/`, `themes/`,
//! `data/`, `i18n/` and `search/` (symlinks followed), `--drafts`, `--base-url`, and steppe
//! itself (its version and its executable's size and time, which covers the built-in theme).

use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The folders under the root whose files a build reads.
const INPUT_DIRS: [&str; 5] = [
    CONTENT_DIR,
    "themes",
    crate::config::DATA_DIR,
    crate::i18n::SITE_I18N_DIR,
    "search",
];

/// The inputs' state as one line (a version tag and a SHA-256), deterministic for the same
/// files and options.
pub(crate) fn stamp(root: &Path, drafts: bool, base_url: Option<&str>) -> String {
    let mut h = Sha256::new();
    let exe = std::env::current_exe().ok().and_then(|p| p.metadata().ok());
    h.update(format!(
        "steppe {} exe {:?} drafts {drafts} base_url {base_url:?}\n",
        env!("CARGO_PKG_VERSION"),
        exe.map(|m| (m.len(), nanos(&m))),
    ));
    let top = walkdir::WalkDir::new(root)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name();
    let mut files = Vec::new();
    for entry in top.into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            line_of(&mut files, root, Ok(entry));
        }
    }
    h.update(&files);
    for dir in INPUT_DIRS {
        if !root.join(dir).exists() {
            h.update(format!("absent {dir}\n"));
            continue;
        }
        h.update(folder_lines(root, dir));
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("steppe-inputs 1 {hex}\n")
}

/// What the output records of its build: the inputs' stamp, then the page count and the
/// warnings, so a build that finds nothing changed still reports them.
pub(crate) fn record(stamp: &str, pages: usize, warnings: &[Diagnostic]) -> String {
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let list = serde_json::to_string(&shown).unwrap_or_else(|_| "[]".into());
    format!("{stamp}pages {pages}\n{list}\n")
}

/// The page count and warnings of a record whose stamp is `stamp`; `None` for any other.
pub(crate) fn read_record(text: &str, stamp: &str) -> Option<(usize, Vec<Diagnostic>)> {
    let rest = text.strip_prefix(stamp)?;
    let (pages, list) = rest.strip_prefix("pages ")?.split_once('\n')?;
    let shown: Vec<String> = serde_json::from_str(list.trim_end()).ok()?;
    Some((
        pages.parse().ok()?,
        shown.into_iter().map(Diagnostic::new).collect(),
    ))
}

/// The lines of every file under `root/dir`, in the order of one walk of the folder. Each
/// subfolder (a language of `content/`) is walked on its own core and the parts are joined in
/// name order, so the lines are those of one walk: at 10k pages a single walk kept one core
/// waiting on 10,000 `stat` calls before any stage could start.
fn folder_lines(root: &Path, dir: &str) -> Vec<u8> {
    let top: Vec<_> = walk(&root.join(dir)).max_depth(1).into_iter().collect();
    let parts: Vec<Vec<u8>> = top
        .into_par_iter()
        .map(|entry| {
            let mut out = Vec::new();
            match entry {
                Ok(e) if e.depth() == 1 && e.file_type().is_dir() => walk(e.path())
                    .into_iter()
                    .for_each(|e| line_of(&mut out, root, e)),
                other => line_of(&mut out, root, other),
            }
            out
        })
        .collect();
    parts.concat()
}

/// A walk of `dir` as the stamp sees a folder: symlinks followed, entries in name order.
fn walk(dir: &Path) -> walkdir::WalkDir {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
}

/// The line of one entry of a walk, appended to `out` (writing into a `Vec` cannot fail).
fn line_of(out: &mut Vec<u8>, root: &Path, entry: walkdir::Result<walkdir::DirEntry>) {
    let e = match entry {
        // A folder counts through its files: their paths, and a deleted file's absence.
        Ok(e) if e.file_type().is_dir() => return,
        Ok(e) => e,
        // An unreadable entry cannot be vouched for: its line names the time, so no stamp
        // matches it.
        Err(e) => {
            let _ = writeln!(out, "unreadable {e} {:?}", std::time::SystemTime::now());
            return;
        }
    };
    let rel = e.path().strip_prefix(root).unwrap_or(e.path());
    let _ = match e.metadata() {
        Ok(m) => writeln!(
            out,
            "{} {} {} {}",
            rel.display(),
            m.len(),
            nanos(&m),
            inode(&m)
        ),
        Err(_) => writeln!(out, "gone {}", rel.display()),
    };
}

fn nanos(m: &std::fs::Metadata) -> u128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

#[cfg(unix)]
fn inode(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_input_or_option_changes_the_stamp() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/en")).unwrap();
        std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/en/a.md"), "a").unwrap();
        let first = stamp(root, false, None);
        assert_eq!(first, stamp(root, false, None), "deterministic");
        assert_ne!(first, stamp(root, true, None), "--drafts");
        assert_ne!(first, stamp(root, false, Some("https://x/")), "--base-url");
        let mut seen = vec![first];
        let mut changed = |what: &str| {
            let now = stamp(root, false, None);
            assert!(!seen.contains(&now), "{what} did not change the stamp");
            seen.push(now);
        };
        std::fs::write(root.join("themes/default/templates/page.html"), "t").unwrap();
        changed("a theme override");
        std::fs::create_dir_all(root.join("data/ops")).unwrap();
        std::fs::write(root.join("data/ops/a.yaml"), "id: a").unwrap();
        changed("a data file");
        std::fs::write(root.join("content/en/a.md"), "b").unwrap();
        changed("a same-size edit (new time)");
        std::fs::remove_file(root.join("content/en/a.md")).unwrap();
        changed("a deleted page");
        std::fs::write(root.join("site.yaml"), "title: y\n").unwrap();
        changed("site.yaml");
    }

    /// The folder's lines walked in parts are those of one walk of the whole folder.
    #[test]
    fn a_folder_walked_in_parts_gives_the_lines_of_one_walk() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in [
            "a.md",
            "en/b.md",
            "en/x/c.md",
            "en/x/y/d.md",
            "ru/e.md",
            "z.md",
            "zh/f.md",
        ] {
            let path = root.join("content").join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, f).unwrap();
        }
        std::fs::create_dir_all(root.join("content/empty")).unwrap();
        let mut one_walk = Vec::new();
        for e in walk(&root.join("content")) {
            line_of(&mut one_walk, root, e);
        }
        let lines = folder_lines(root, "content");
        assert_eq!(
            String::from_utf8_lossy(&lines),
            String::from_utf8_lossy(&one_walk)
        );
        assert_eq!(String::from_utf8_lossy(&lines).lines().count(), 7);
    }

    #[test]
    fn a_record_gives_back_its_warnings_only_for_its_own_stamp() {
        let warnings = [Diagnostic::new("no prose\nfor kcell").in_file("content/en/a.md")];
        let text = record("steppe-inputs 1 ab\n", 7, &warnings);
        let (pages, back) = read_record(&text, "steppe-inputs 1 ab\n").unwrap();
        assert_eq!(pages, 7);
        assert_eq!(back[0].to_string(), warnings[0].to_string());
        assert!(read_record(&text, "steppe-inputs 1 cd\n").is_none());
    }
}
