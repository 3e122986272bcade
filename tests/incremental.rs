//! A rebuild does only the work a change needs: counters of work read from the real binary's
//! `STEPPE_TIMINGS=1` line (`write counts: written=N linked=N bytes=N renders=N parsed=N`),
//! never times. Each case also checks the result against a fresh build, so skipping work can
//! never leave stale files.

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
    /// Page templates run.
    renders: usize,
    /// Content files read and parsed.
    parsed: usize,
}

fn build_counted(site: &TestSite) -> Counts {
    build_counted_with(site, &[])
}

fn build_counted_with(site: &TestSite, args: &[&str]) -> Counts {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .arg("build")
        .args(args)
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
        renders: field("renders") as usize,
        parsed: field("parsed") as usize,
    }
}

/// Counts of a build that found nothing to do.
const NOTHING: Counts = Counts {
    written: 0,
    linked: 0,
    bytes: 0,
    renders: 0,
    parsed: 0,
};

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
    assert_same_as_fresh_with(site, &[]);
}

fn assert_same_as_fresh_with(site: &TestSite, args: &[&str]) {
    let _ = std::fs::remove_dir_all(site.path("fresh"));
    let mut all = vec!["build", "--out", "fresh"];
    all.extend_from_slice(args);
    let out = site.steppe(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        tree(&site.path("public")) == tree(&site.path("fresh")),
        "the incremental output differs from a fresh build"
    );
}

#[test]
fn a_rebuild_with_nothing_changed_does_no_work() {
    let site = TestSite::fixture("basic");
    let first = build_counted(&site);
    let total = files(&site).len();
    // Every file but the marker, the manifest and the inputs' record, which the writer
    // always makes itself.
    assert_eq!(first.written, total - 3);
    assert_eq!(first.linked, 0);
    assert!(first.bytes > 10_000, "{first:?}");
    assert!(first.renders > 20 && first.parsed > 10, "{first:?}");
    let before = files(&site);
    let second = build_counted(&site);
    assert_eq!(second, NOTHING);
    assert!(files(&site) == before, "the output was not touched");
    // The warnings of the build that made the output are still reported.
    let out = site.steppe(&["build"]);
    assert!(
        stderr(&out).contains("no prose for 1 item"),
        "{}",
        stderr(&out)
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
    assert_eq!(counts.written, changed.len() - 2, "{changed:?}");
    assert!(changed.contains(&".steppe-manifest".to_owned()));
    assert!(changed.contains(&".steppe-inputs".to_owned()));
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
                    | ".steppe-inputs"
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
    assert!(counts.written <= 20, "{counts:?}: {changed:?}");
    assert_eq!(counts.linked, after.len() - 3 - counts.written);
    assert_same_as_fresh(&site);
}

/// Every kind of input change is seen: the build after it does the work and gives exactly
/// what a fresh build gives, and the build after that does nothing again.
#[test]
fn every_kind_of_input_change_gives_a_fresh_build() {
    let site = TestSite::fixture("basic");
    build_counted(&site);
    type Edit = fn(&TestSite);
    let edits: [(&str, Edit, &[&str]); 7] = [
        (
            "a theme override",
            |s| s.write("themes/default/static/extra.css", "body { color: red }\n"),
            &[],
        ),
        (
            "a data file",
            |s| {
                let kcell = s.read("data/operators/kcell.yaml");
                s.write(
                    "data/operators/kcell.yaml",
                    kcell.replace("Kcell", "Kcell JSC"),
                );
            },
            &[],
        ),
        (
            "a UI string file",
            |s| {
                let en = s.read("i18n/en.yaml");
                s.write("i18n/en.yaml", format!("{en}\n"));
            },
            &[],
        ),
        (
            "a deleted page",
            |s| std::fs::remove_file(s.path("content/en/slugged.md")).unwrap(),
            &[],
        ),
        (
            "site.yaml",
            |s| {
                let c = s.read("site.yaml");
                s.write("site.yaml", format!("{c}\n# touched\n"));
            },
            &[],
        ),
        ("--drafts", |_| {}, &["--drafts"]),
        (
            "--base-url",
            |_| {},
            &["--base-url", "https://example.net/docs/"],
        ),
    ];
    for (what, edit, args) in edits {
        // Past the file system's clock tick, so a same-size edit has a new time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        edit(&site);
        let counts = build_counted_with(&site, args);
        assert!(
            counts.renders > 0 && counts.parsed > 0,
            "{what}: {counts:?}"
        );
        assert_same_as_fresh_with(&site, args);
        assert_eq!(
            build_counted_with(&site, args),
            NOTHING,
            "{what}, built twice"
        );
    }
    // Back to no options: the output built with them is not the one asked for.
    assert!(build_counted(&site).renders > 0);
    assert_same_as_fresh(&site);
}

/// The fast path trusts an output only as steppe left it: a stray file means a real build.
#[test]
fn a_file_added_to_the_output_means_a_build() {
    let site = TestSite::fixture("basic");
    build_counted(&site);
    site.write("public/stray.html", "not steppe's");
    let counts = build_counted(&site);
    assert!(counts.renders > 0, "{counts:?}");
    assert!(!site.path("public/stray.html").exists());
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

/// `watch` after a body edit: one page parsed and rendered, a handful of files written, and
/// the output equal to a fresh build.
#[cfg(unix)]
#[test]
fn watch_renders_only_the_edited_page() {
    let site = TestSite::fixture("basic");
    let watch = Watching::start(&site);
    let page = site.path("public/en/guide/topup/index.html");
    let original = site.read("content/en/guide/topup.md");
    site.write(
        "content/en/guide/topup.md",
        format!("{original}\nA new paragraph about roaming charges.\n"),
    );
    wait_for("the edit", || {
        std::fs::read_to_string(&page).is_ok_and(|s| s.contains("roaming charges"))
    });
    let counts = watch.first_counts();
    assert_eq!((counts.renders, counts.parsed), (1, 1), "{counts:?}");
    assert!(counts.written <= 20, "{counts:?}");
    assert_same_as_fresh(&site);
}

/// `watch` keeps each page's front matter between rebuilds but not its text. A new page moves
/// where links lead, so every page's Markdown renders again: the rebuild parses only the new
/// file and reads the other texts back, and the output equals a fresh build.
#[cfg(unix)]
#[test]
fn watch_reads_texts_back_when_every_page_renders_again() {
    let site = TestSite::fixture("basic");
    let watch = Watching::start(&site);
    site.write(
        "content/en/guide/roaming.md",
        "---\ntitle: Roaming\n---\n\nSee [top-up](topup.md).\n",
    );
    assert_eq!(watch.first_counts().parsed, 1);
    assert!(
        paragraphs(&site, "public/en/guide/topup/index.html").len() > 1,
        "the unchanged page lost its text"
    );
    assert_same_as_fresh(&site);
}

/// A running `steppe watch --no-serve` with `STEPPE_TIMINGS=1`, its stderr collected by line.
#[cfg(unix)]
struct Watching {
    child: std::process::Child,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

#[cfg(unix)]
impl Watching {
    /// Starts watch and waits for its first build.
    fn start(site: &TestSite) -> Watching {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
            .args(["watch", "--no-serve"])
            .env("STEPPE_TIMINGS", "1")
            .current_dir(site.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = lines.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.starts_with("watching") {
            line.clear();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "watch ended");
        }
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Watching { child, lines }
    }

    /// The collected lines that contain `text`.
    fn lines_with(&self, text: &str) -> Vec<String> {
        let lines = self.lines.lock().unwrap();
        lines.iter().filter(|l| l.contains(text)).cloned().collect()
    }

    /// Waits for the counters of the first rebuild, stops watch and reads them.
    fn first_counts(self) -> Counts {
        let counts_line = || self.lines_with("write counts:").into_iter().next();
        wait_for("the rebuild's counters", || counts_line().is_some());
        let line = counts_line().unwrap();
        self.stop();
        counts(&Output {
            status: std::process::ExitStatus::default(),
            stdout: Vec::new(),
            stderr: line.into_bytes(),
        })
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// Saves `rel` as an editor that writes a temp file and renames it over the original does:
/// one event, never a half-written file.
#[cfg(unix)]
fn save_by_rename(site: &TestSite, rel: &str, text: &str) {
    let path = site.path(rel);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// The paragraphs of a page of the output, parsed.
fn paragraphs(site: &TestSite, rel: &str) -> Vec<String> {
    texts(&site.html(rel), "main p")
}

/// A body edit under watch: the page is written by the fast path (`quick=1`) before the full
/// rebuild, which finds it already right; a front-matter edit takes the normal path; a body
/// edit with a broken anchor link writes nothing at all. After each, the output equals a fresh
/// build (or, after the failed one, stays as it was).
#[cfg(unix)]
#[test]
fn a_body_edit_takes_the_fast_path_and_the_rest_the_full_one() {
    let site = TestSite::fixture("basic");
    let watch = Watching::start(&site);
    let page = "public/en/guide/topup/index.html";
    let rel = "content/en/guide/topup.md";
    let original = site.read(rel);
    save_by_rename(&site, rel, &format!("{original}\nRoaming charges apply.\n"));
    wait_for("the fast path", || !watch.lines_with("quick=1").is_empty());
    assert!(
        paragraphs(&site, page).contains(&"Roaming charges apply.".to_owned()),
        "{:?}",
        paragraphs(&site, page)
    );
    wait_for("the full rebuild", || {
        watch.lines_with("write counts:").len() == 1
    });
    let quick = watch.lines_with("quick counts:");
    assert_eq!(quick.len(), 1, "{quick:?}");
    assert!(
        quick[0].contains("path=en/guide/topup/index.html"),
        "{quick:?}"
    );
    assert_same_as_fresh(&site);

    // The title is in the navigation of other pages: only the full rebuild may write it.
    let retitled = original.replace("title: Top up", "title: Top up now");
    save_by_rename(&site, rel, &format!("{retitled}\nRoaming charges apply.\n"));
    wait_for("the second rebuild", || {
        watch.lines_with("write counts:").len() == 2
    });
    assert_eq!(watch.lines_with("quick counts:").len(), 1);
    assert!(site.read(page).contains("Top up now"));
    assert_same_as_fresh(&site);

    // A link to an anchor that does not exist: an error, and the page keeps its last good HTML.
    let before = site.read(page);
    save_by_rename(
        &site,
        rel,
        &format!("{retitled}\nSee [the FAQ](../faq.md#no-such-question).\n"),
    );
    wait_for("the failed rebuild", || {
        !watch.lines_with("build failed").is_empty()
    });
    assert_eq!(watch.lines_with("quick counts:").len(), 1);
    assert_eq!(site.read(page), before);
    watch.stop();
}
