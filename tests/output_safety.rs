//! A failed build never changes the output: the real binary, run as a user without root's
//! privileges (through `setpriv` as `nobody` when the tests run as root, as CI does; natively
//! otherwise), on a site whose output, output subfolder or output parent is not writable.
//! Each case asserts the exit code, the message naming the user's path, a byte-identical output
//! tree and no staging or old folder left beside it.

mod common;
use common::*;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A fixture site in a temp tree the unprivileged user owns, with its own copy of the binary
/// (the build folder may not be reachable for `nobody`).
struct Unprivileged {
    site: TestSite,
    bin: PathBuf,
}

impl Unprivileged {
    fn new() -> Unprivileged {
        let site = TestSite::fixture("basic");
        let bin = site.path(".bin/steppe");
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_steppe"), &bin).unwrap();
        if is_root() {
            for entry in walkdir::WalkDir::new(site.root()) {
                let path = entry.unwrap().into_path();
                std::os::unix::fs::chown(&path, Some(NOBODY), Some(NOBODY)).unwrap();
            }
        }
        Unprivileged { site, bin }
    }

    /// `steppe <args>` in the site's folder, as `nobody` when the tests run as root.
    fn steppe(&self, args: &[&str]) -> Output {
        let child = self
            .command(args)
            .spawn()
            .expect("setpriv (util-linux) must be installed to run these tests as root");
        let out = bounded(child);
        assert!(
            !stderr(&out).contains("setpriv:"),
            "setpriv failed: {}",
            stderr(&out)
        );
        out
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = if is_root() {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            c.arg(&self.bin);
            c
        } else {
            Command::new(&self.bin)
        };
        cmd.args(args)
            .current_dir(self.site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn chmod(&self, rel: &str, mode: u32) {
        let path = self.site.path(rel);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// Waits at most 60 s (a `watch` that does not refuse would run forever), then ends the child
/// by its PID and fails.
fn bounded(mut child: Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running after 60 s: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Every file and folder under `dir` with its mode and the hash of its bytes, sorted.
fn listing(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let mode = e.metadata().unwrap().permissions().mode() & 0o7777;
            let hash = if e.file_type().is_file() {
                format!("{:x}", Sha256::digest(std::fs::read(e.path()).unwrap()))
            } else {
                "dir".into()
            };
            format!("{rel} {mode:o} {hash}")
        })
        .collect()
}

/// Names beside the output that only a build leaves (`.public.steppe-staging-1`, …).
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".steppe-"))
        .collect()
}

/// Builds once, makes `locked` unwritable, edits a page and builds again: the second build must
/// fail with exit 2 naming `named`, and change nothing.
fn refused_without_change(args: &[&str], out: &str, locked: &str, named: &str) {
    let u = Unprivileged::new();
    let first = u.steppe(args);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = u
        .site
        .read("content/en/faq.md")
        .replace("Yes: see", "Edited: see");
    u.site.write("content/en/faq.md", text);
    let before = listing(&u.site.path(out));
    u.chmod(locked, 0o555);
    let parent = u.site.path(out).parent().unwrap().to_path_buf();

    let second = u.steppe(args);
    u.chmod(locked, 0o755);
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("error: output directory {out} cannot be")),
        "{err}"
    );
    assert!(err.contains(&format!("{named} is not writable")), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert!(!err.contains("Permission denied"), "{err}");
    assert_eq!(listing(&u.site.path(out)), before, "the output changed");
    assert_eq!(leftovers(&parent), Vec::<String>::new());

    // Once writable again, the build goes through and shows the edit.
    let third = u.steppe(args);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        std::fs::read_to_string(u.site.path(out).join("en/faq/index.html"))
            .unwrap()
            .contains("Edited: see")
    );
    assert_eq!(leftovers(&parent), Vec::<String>::new());
}

/// Builds once, then runs `args` while `public/en` is read-only: the site, the output's
/// listing before the run, and what the run gave.
fn run_with_locked_language(args: &[&str]) -> (Unprivileged, Vec<String>, Output) {
    let u = Unprivileged::new();
    assert!(u.steppe(&["build"]).status.success());
    let before = listing(&u.site.path("public"));
    u.chmod("public/en", 0o555);
    let out = u.steppe(args);
    u.chmod("public/en", 0o755);
    (u, before, out)
}

/// A build with nothing to do replaces nothing, so it does not walk the output for folders the
/// swap could not delete (with the page cache cold, that walk was most of its time): a locked
/// folder in an up-to-date output is no error. A build with something to write still refuses
/// it (`an_unwritable_language_folder_changes_nothing`).
#[test]
fn an_up_to_date_build_does_not_walk_the_output_for_the_swap() {
    let (u, before, again) = run_with_locked_language(&["build"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("(up to date: no input changed)"),
        "{}",
        stdout(&again)
    );
    assert_eq!(listing(&u.site.path("public")), before);
}

#[test]
fn an_unwritable_language_folder_changes_nothing() {
    refused_without_change(&["build"], "public", "public/en", "public/en");
}

#[test]
fn an_unwritable_output_folder_changes_nothing() {
    refused_without_change(&["build"], "public", "public", "public");
}

#[test]
fn an_unwritable_parent_changes_nothing() {
    refused_without_change(
        &["build", "--out", "out/site"],
        "out/site",
        "out",
        "its folder out",
    );
}

#[test]
fn an_unwritable_site_folder_changes_nothing() {
    refused_without_change(&["build"], "public", ".", "its folder .");
}

#[test]
fn watch_refuses_an_unwritable_output_before_building() {
    let (u, before, out) = run_with_locked_language(&["watch", "--no-serve"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("public/en is not writable"), "{err}");
    assert!(!stdout(&out).contains("built"), "built before refusing");
    assert_eq!(listing(&u.site.path("public")), before);
}

#[test]
fn leftovers_of_ended_runs_are_removed_and_nothing_else() {
    let site = TestSite::fixture("basic");
    site.build();
    let marker = site.read("public/.steppe-output");
    // Process ids above the kernel's maximum (2^22) are never running.
    for (dir, text) in [
        (".public.steppe-staging-999999991", Some(marker.as_str())),
        (".public.steppe-old-999999992", Some(marker.as_str())),
        (".public.steppe-old-999999993", None),
        (".public.steppe-old-999999994", Some("my notes\n")),
        (".public.steppe-drafts", Some(marker.as_str())),
    ] {
        site.write(&format!("{dir}/en/index.html"), "x");
        if let Some(text) = text {
            site.write(&format!("{dir}/.steppe-output"), text);
        }
    }
    site.build();
    let mut left = leftovers(site.root());
    left.sort();
    assert_eq!(
        left,
        [
            ".public.steppe-drafts",
            ".public.steppe-old-999999993",
            ".public.steppe-old-999999994"
        ]
    );
}

/// A started `watch`, ended by its PID however the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lines a running child prints, collected in the background.
fn collect(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut t = sink.lock().unwrap();
            t.push_str(&line);
            t.push('\n');
        }
    });
    text
}

/// Polls `cond` every 20 ms for at most 20 s.
fn wait_for(what: &str, text: &Mutex<String>, needle: &str) {
    let start = Instant::now();
    while !text.lock().unwrap().contains(needle) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}: {}",
            text.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn watch_writes_nothing_while_a_folder_is_unwritable() {
    let u = Unprivileged::new();
    let mut child = Running(u.command(&["watch", "--no-serve"]).spawn().unwrap());
    let out = collect(child.0.stdout.take().unwrap());
    let err = collect(child.0.stderr.take().unwrap());
    wait_for("the first build", &out, "watching");
    let before = listing(&u.site.path("public"));
    u.chmod("public/en", 0o555);
    let text = u.site.read("content/en/faq.md");
    u.site.write(
        "content/en/faq.md",
        text.replace("Yes: see", "Blocked: see"),
    );
    wait_for("the refusal", &err, "public/en is not writable");
    u.chmod("public/en", 0o755);
    assert_eq!(
        listing(&u.site.path("public")),
        before,
        "the output changed"
    );

    // Once writable again, the next save writes both edits.
    u.site.write(
        "content/en/faq.md",
        text.replace("Yes: see", "Unblocked: see"),
    );
    wait_for("the recovery", &out, "fixed: the site builds again");
    let page = u.site.read("public/en/faq/index.html");
    drop(child);
    assert!(page.contains("Unblocked: see"), "{page}");
    assert_eq!(leftovers(u.site.root()), Vec::<String>::new());
}
