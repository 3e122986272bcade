//! A rebuild writes only what changed: counters of work read from the real binary's
//! `STEPPE_TIMINGS=1` line (`write counts: written=N linked=N bytes=N`), never times. Each case
//! also checks the result against a fresh build, so skipping work can never leave stale files.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::process::Output;

/// What one `steppe build` into `public/` did, from its counters line.
#[derive(Debug, PartialEq)]
struct Counts {
    written: usize,
    linked: usize,
    bytes: u64,
}

fn build_counted(site: &TestSite) -> Counts {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["build"])
        .env("STEPPE_TIMINGS", "1")
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    counts(&out)
}

fn counts(out: &Output) -> Counts {
    let err = stderr(out);
    let line = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("write counts: "))
        .unwrap_or_else(|| panic!("no counters line in:\n{err}"));
    let field = |name: &str| -> u64 {
        line.split(' ')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("no {name} in {line:?}"))
            .parse()
            .unwrap()
    };
    Counts {
        written: field("written") as usize,
        linked: field("linked") as usize,
        bytes: field("bytes"),
    }
}

fn files(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    tree(&site.path("public")).into_iter().collect()
}

/// The files of `after` that are new or differ from `before`.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect()
}

/// A fresh build of the same site into another folder gives the same tree.
fn assert_same_as_fresh(site: &TestSite) {
    let out = site.steppe(&["build", "--out", "fresh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        tree(&site.path("public")) == tree(&site.path("fresh")),
        "the incremental output differs from a fresh build"
    );
}

#[test]
fn a_rebuild_with_nothing_changed_writes_no_file() {
    let site = TestSite::fixture("basic");
    let first = build_counted(&site);
    let total = files(&site).len();
    // Every file but the marker and the manifest, which the writer always makes itself.
    assert_eq!(first.written, total - 2);
    assert_eq!(first.linked, 0);
    assert!(first.bytes > 10_000, "{first:?}");
    let second = build_counted(&site);
    assert_eq!(
        second,
        Counts {
            written: 0,
            linked: total - 2,
            bytes: 0
        }
    );
    assert_same_as_fresh(&site);
}

#[test]
fn one_body_edit_writes_the_page_and_its_language_search_files_only() {
    let site = TestSite::fixture("basic");
    build_counted(&site);
    let before = files(&site);
    let faq = site.read("content/en/faq.md");
    site.write(
        "content/en/faq.md",
        format!("{faq}\nA new paragraph about roaming charges.\n"),
    );
    let counts = build_counted(&site);
    let after = files(&site);
    let changed = changed(&before, &after);
    // Exactly the files whose bytes changed are written, and the manifest lists them.
    assert_eq!(counts.written, changed.len() - 1, "{changed:?}");
    assert!(changed.contains(&".steppe-manifest".to_owned()));
    assert!(
        changed.contains(&"en/faq/index.html".to_owned()),
        "{changed:?}"
    );
    // The fixture has no Russian faq.md, so ru/faq/ is a fallback copy of the English page and
    // changes with it; the search files that change are English ones only (the index, the
    // document chunk and term shard holding the page, and the typo-table chunks of new words).
    // The service worker's version follows every file, and the English offline list names the
    // new search shards.
    let others: Vec<&String> = changed
        .iter()
        .filter(|p| {
            !matches!(
                p.as_str(),
                ".steppe-manifest"
                    | "en/faq/index.html"
                    | "ru/faq/index.html"
                    | "sw.js"
                    | "offline/en.json"
            )
        })
        .collect();
    assert!(
        others.iter().all(|p| p.starts_with("search/en/")),
        "only English search files besides the page and its fallback copy: {others:?}"
    );
    assert!(counts.written <= 12, "{counts:?}: {changed:?}");
    assert_eq!(counts.linked, after.len() - 2 - counts.written);
    assert_same_as_fresh(&site);
}

#[test]
fn a_file_changed_in_the_output_is_written_again() {
    let site = TestSite::fixture("basic");
    build_counted(&site);
    let page = "public/en/faq/index.html";
    let good = site.read(page);
    // Same size, other bytes, written after the build: the manifest no longer vouches for it.
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(page, good.replace("FAQ", "XYZ"));
    let counts = build_counted(&site);
    assert_eq!(counts.written, 1, "{counts:?}");
    assert_eq!(site.read(page), good);
    assert_same_as_fresh(&site);
}

#[test]
fn a_lost_manifest_means_a_full_write_not_a_stale_file() {
    let site = TestSite::fixture("basic");
    let first = build_counted(&site);
    std::fs::remove_file(site.path("public/.steppe-manifest")).unwrap();
    let second = build_counted(&site);
    assert_eq!(second.written, first.written);
    assert_eq!(second.linked, 0);
    assert_same_as_fresh(&site);
}

/// Polls `cond` every 10 ms for at most 10 s.
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(
            start.elapsed().as_secs() < 10,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(unix)]
#[test]
fn a_build_after_watch_and_a_reverted_edit_is_a_fresh_build() {
    let site = TestSite::fixture("basic");
    build_counted(&site);
    let inode = || {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(site.path("public")).map(|m| m.ino()).ok()
    };
    let first = inode();
    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["watch", "--no-serve"])
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let page = site.path("public/en/faq/index.html");
    let manifest = site.path("public/.steppe-manifest");
    let original = site.read("content/en/faq.md");
    // Let watch's first build (a swap: a new folder) land, then edit: the page is written
    // early, the manifest after.
    wait_for("the first build", || inode() != first);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let before = std::fs::read(&manifest).unwrap();
    // Same length, so the page's size alone cannot tell the stale file from the right one.
    site.write(
        "content/en/faq.md",
        original.replace("Yes: see", "Yez: see"),
    );
    wait_for("the edit", || {
        std::fs::read_to_string(&page).is_ok_and(|s| s.contains("Yez: see"))
    });
    wait_for("the manifest", || {
        std::fs::read(&manifest).is_ok_and(|m| m != before)
    });
    watch.kill().unwrap();
    watch.wait().unwrap();
    // Back to the bytes the manifest once vouched for: the edited page must be written again.
    site.write("content/en/faq.md", &original);
    let counts = build_counted(&site);
    assert!(counts.written >= 1, "{counts:?}");
    assert!(!site.read("public/en/faq/index.html").contains("Yez: see"));
    assert_same_as_fresh(&site);
}
