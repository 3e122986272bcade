//! The manifest kept with the output: every file's path, size and content hash, so the next
//! build can tell which files of the current output it may reuse by hard link. Input: the
//! output folder (to load) or the staged files and their hashes (to save). Output: a
//! `Manifest`, or the `.steppe-manifest` file in the staging folder.
//!
//! The manifest is deterministic (sorted, no times), so two builds still give identical trees.
//! Whether a file still holds what the manifest says is told by its modification time: steppe
//! writes the manifest after every file of a build, and anything that changes a file later (a
//! `watch` rebuild writing through temp + rename, an editor, a copy) gives it a newer time, so
//! only files at least as old as the manifest, and of the recorded size, are trusted.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::time::SystemTime;

/// The manifest's name inside the output; a dot-file, so the preview server never serves it.
pub(crate) const MANIFEST: &str = ".steppe-manifest";

/// First line of the file; a manifest with another header (another version) is ignored.
const HEADER: &str = "steppe-manifest 2";

/// A file's content hash: XXH3-128. It tells apart versions of the build's own files, where
/// nothing gains from forging a collision (the author writes the content); SHA-256 of every
/// file was 2.7 % of a 10k build's CPU in perf. (Version 1 of the manifest held
/// SHA-256; its header no longer matches, so such an output is written afresh once.)
pub(crate) type Hash = [u8; 16];

pub(crate) fn hash(bytes: &[u8]) -> Hash {
    xxhash_rust::xxh3::xxh3_128(bytes).to_be_bytes()
}

/// What the last build wrote: path → (size, hash), and when the manifest was written.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    entries: HashMap<String, (u64, Hash)>,
    written_at: Option<SystemTime>,
}

impl Manifest {
    /// The manifest of the output at `out`; empty when there is none or it cannot be read, so
    /// every file is then written afresh.
    pub(crate) fn load(out: &Path) -> Manifest {
        let path = out.join(MANIFEST);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Manifest::default();
        };
        let (true, Ok(written_at)) = (meta.is_file(), meta.modified()) else {
            return Manifest::default();
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Manifest {
                entries: parse(&text),
                written_at: Some(written_at),
            },
            Err(_) => Manifest::default(),
        }
    }

    /// Whether `old` (the file at `path` in the current output) holds exactly the bytes with
    /// this size and hash: the manifest says so and nothing has changed the file since.
    pub(crate) fn vouches(&self, path: &str, size: u64, hash: &Hash, old: &Path) -> bool {
        let (Some(&(len, recorded)), Some(written_at)) = (self.entries.get(path), self.written_at)
        else {
            return false;
        };
        if len != size || recorded != *hash {
            return false;
        }
        std::fs::symlink_metadata(old).is_ok_and(|m| {
            m.is_file() && m.len() == size && m.modified().is_ok_and(|t| t <= written_at)
        })
    }
}

impl Manifest {
    /// path → hash of every file listed; `None` without a manifest.
    pub(crate) fn hashes(self) -> Option<HashMap<String, Hash>> {
        self.written_at?;
        Some(self.entries.into_iter().map(|(p, (_, h))| (p, h)).collect())
    }

    /// Whether the folder `out` holds exactly the files listed, each of its recorded size and
    /// no newer than the manifest (so not changed since), besides the manifest and marker.
    /// Walked in parts on the I/O pool (`cold_io`): with the page cache cold this walk is
    /// all a rebuild with nothing changed does, and one walk waits on one inode at a time.
    pub(crate) fn is_intact(&self, out: &Path) -> bool {
        let Some(written_at) = self.written_at else {
            return false;
        };
        // Per part: the files it holds, or `None` at the first that is not as listed.
        let seen = crate::cold_io::walk_in_parts(out, |entries| {
            let mut seen = 0;
            for entry in entries {
                let Ok(e) = entry else { return None };
                if e.file_type().is_dir() {
                    continue;
                }
                let rel = e.path().strip_prefix(out).unwrap_or(e.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel == MANIFEST || rel == super::MARKER || rel == super::RECORD {
                    continue;
                }
                let &(len, _) = self.entries.get(&rel)?;
                let same = e.file_type().is_file()
                    && e.metadata().is_ok_and(|m| {
                        m.len() == len && m.modified().is_ok_and(|t| t <= written_at)
                    });
                if !same {
                    return None;
                }
                seen += 1;
            }
            Some(seen)
        });
        seen.into_iter().sum::<Option<usize>>() == Some(self.entries.len())
    }
}

/// Writes the manifest of `files` (path, size, hash) into `dir`. Called after every file of
/// the build is in place, so its time is not older than any of theirs.
pub(crate) fn save<'a>(
    dir: &Path,
    files: impl Iterator<Item = (&'a str, u64, &'a Hash)>,
) -> io::Result<()> {
    std::fs::write(dir.join(MANIFEST), render(files))
}

/// Brings the manifest of the live output `out` up to date after `watch` wrote `changed` and
/// deleted `deleted`, through a temp file and a rename, after those writes. Without a manifest
/// there is nothing to update: the next build then writes every file.
pub(crate) fn update(
    out: &Path,
    changed: &[(String, u64, Hash)],
    deleted: &[String],
) -> io::Result<()> {
    let mut manifest = Manifest::load(out);
    if manifest.written_at.is_none() {
        return Ok(());
    }
    for (path, size, hash) in changed {
        manifest.entries.insert(path.clone(), (*size, *hash));
    }
    for gone in deleted {
        manifest.entries.remove(gone);
    }
    let text = render(
        manifest
            .entries
            .iter()
            .map(|(path, (size, hash))| (path.as_str(), *size, hash)),
    );
    let tmp = out.join(format!("{MANIFEST}.steppe-tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, out.join(MANIFEST))
}

fn render<'a>(files: impl Iterator<Item = (&'a str, u64, &'a Hash)>) -> String {
    // A name with a line break could not be read back; such a file is simply rewritten.
    let mut files: Vec<(&str, u64, &Hash)> = files
        .filter(|(path, _, _)| !path.contains(['\n', '\r']))
        .collect();
    files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut text = String::with_capacity(files.iter().map(|f| f.0.len() + 60).sum::<usize>());
    text.push_str(HEADER);
    text.push('\n');
    // One line per output file (tens of thousands): written in place, no string per line.
    for (path, size, hash) in files {
        push_hex(&mut text, hash);
        let _ = writeln!(text, " {size} {path}");
    }
    text
}

fn parse(text: &str) -> HashMap<String, (u64, Hash)> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return HashMap::new();
    }
    lines
        .filter_map(|line| {
            let mut fields = line.splitn(3, ' ');
            let hash = unhex(fields.next()?)?;
            let size = fields.next()?.parse().ok()?;
            Some((fields.next()?.to_owned(), (size, hash)))
        })
        .collect()
}

fn push_hex(out: &mut String, hash: &Hash) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in hash {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

fn unhex(text: &str) -> Option<Hash> {
    if text.len() != 2 * std::mem::size_of::<Hash>() || !text.is_ascii() {
        return None;
    }
    let mut hash = Hash::default();
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after_two_fields(line: &str) -> &str {
        line.splitn(3, ' ').nth(2).unwrap_or("")
    }

    fn hex(hash: &Hash) -> String {
        let mut out = String::new();
        push_hex(&mut out, hash);
        out
    }

    /// A folder is intact when every listed file is there as listed, at any depth, and
    /// nothing else.
    #[test]
    fn intact_means_every_listed_file_as_listed_and_no_other_at_any_depth() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let files = [
            "a.html",
            "en/b.html",
            "en/s/c.html",
            "en/s/p/d.html",
            "en/s/p/q/e.html",
        ];
        for (i, f) in files.iter().enumerate() {
            std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
            std::fs::write(dir.join(f), "x".repeat(i + 1)).unwrap();
        }
        std::fs::create_dir_all(dir.join("en/empty/folder")).unwrap();
        let h = hash(b"");
        let listed: Vec<(&str, u64, &Hash)> = (files.iter().enumerate())
            .map(|(i, f)| (*f, i as u64 + 1, &h))
            .collect();
        save(dir, listed.clone().into_iter()).unwrap();
        assert!(Manifest::load(dir).is_intact(dir));
        for extra in ["z.html", "en/s/p/q/r/extra.html", "en/s/extra.html"] {
            std::fs::create_dir_all(dir.join(extra).parent().unwrap()).unwrap();
            std::fs::write(dir.join(extra), "").unwrap();
            assert!(!Manifest::load(dir).is_intact(dir), "{extra} is not listed");
            std::fs::remove_file(dir.join(extra)).unwrap();
        }
        assert!(Manifest::load(dir).is_intact(dir));
        std::fs::remove_file(dir.join("en/s/p/d.html")).unwrap();
        assert!(!Manifest::load(dir).is_intact(dir), "a listed file is gone");
        // Written back at another size, the manifest saved after it: only the size differs.
        std::fs::write(dir.join("en/s/p/d.html"), "xxx").unwrap();
        save(dir, listed.clone().into_iter()).unwrap();
        assert!(!Manifest::load(dir).is_intact(dir), "of another size");
        std::fs::write(dir.join("en/s/p/d.html"), "xxxx").unwrap();
        save(dir, listed.into_iter()).unwrap();
        assert!(Manifest::load(dir).is_intact(dir), "as listed again");
    }

    #[test]
    fn saved_manifest_reads_back_and_vouches_only_for_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("a.html"), "aaa").unwrap();
        std::fs::write(dir.join("b c.html"), "bb").unwrap();
        let (ha, hb) = (hash(b"aaa"), hash(b"bb"));
        save(
            dir,
            [("b c.html", 2, &hb), ("a.html", 3, &ha), ("x\ny", 1, &ha)].into_iter(),
        )
        .unwrap();
        let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
        let names: Vec<&str> = text.lines().skip(1).map(after_two_fields).collect();
        assert_eq!(names, ["a.html", "b c.html"], "sorted, line breaks dropped");
        let m = Manifest::load(dir);
        assert!(m.vouches("a.html", 3, &ha, &dir.join("a.html")));
        assert!(m.vouches("b c.html", 2, &hb, &dir.join("b c.html")));
        assert!(
            !m.vouches("a.html", 3, &hb, &dir.join("a.html")),
            "other bytes"
        );
        assert!(
            !m.vouches("new.html", 3, &ha, &dir.join("a.html")),
            "unknown"
        );
        // A file changed after the manifest (same size) is no longer trusted.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("a.html"), "AAA").unwrap();
        assert!(!m.vouches("a.html", 3, &ha, &dir.join("a.html")));
    }

    #[test]
    fn a_missing_or_foreign_manifest_vouches_for_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a"), "x").unwrap();
        assert!(!Manifest::load(tmp.path()).vouches("a", 1, &hash(b"x"), &tmp.path().join("a")));
        let line = format!("{} 1 a\n", hex(&hash(b"x")));
        std::fs::write(tmp.path().join(MANIFEST), format!("other 9\n{line}")).unwrap();
        assert!(!Manifest::load(tmp.path()).vouches("a", 1, &hash(b"x"), &tmp.path().join("a")));
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex(&hex(&hash(b"x"))), Some(hash(b"x")));
    }
}
