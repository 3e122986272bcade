//! How long a saved page takes to reach the disk under `steppe watch`, debounce included.
//!
//! `cargo bench --bench watch_latency` measures the 1,000-page corpus from
//! `benches/gen_corpus.py --pages 250 --layout neutral` (the team's corpus generator, kept in the repo) and the real guide. It starts the
//! release binary with `--no-serve`, then, 40 times per site, appends a unique word to one page
//! and times until that word is in the page's HTML.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-r")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn measure(name: &str, site: &Path, page_md: &str, page_html: &str) {
    let mut child = Command::new(repo().join("target/release/steppe"))
        .args(["watch", "--no-serve"])
        .current_dir(site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("build the release binary first: cargo build --release");
    let html = site.join("public").join(page_html);
    let start = Instant::now();
    while !html.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no initial build"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let md = site.join("content").join(page_md);
    let original = std::fs::read_to_string(&md).unwrap();
    let mut samples = Vec::new();
    for i in 0..40 {
        let token = format!("latencyprobe{i}x");
        let t0 = Instant::now();
        std::fs::write(&md, format!("{original}\n{token}\n")).unwrap();
        loop {
            if std::fs::read_to_string(&html).is_ok_and(|s| s.contains(&token)) {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "edit {i} never arrived"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        samples.push(t0.elapsed());
        std::thread::sleep(Duration::from_millis(60));
    }
    let _ = child.kill();
    let _ = child.wait();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: save → HTML on disk: median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({} edits)",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 9 / 10]),
        ms(samples[samples.len() - 1]),
        samples.len()
    );
}

fn main() {
    // `cargo test --all-targets` runs bench targets too, without `--bench`: measure only under
    // `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("watch_latency: run with `cargo bench --bench watch_latency`");
        return;
    }
    assert!(
        Command::new("cargo")
            .args(["build", "--release", "-q"])
            .current_dir(repo())
            .status()
            .unwrap()
            .success()
    );
    let tmp = std::env::temp_dir().join(format!("steppe-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();

    let corpus = tmp.join("corpus");
    let generator = repo().join("benches/gen_corpus.py");
    let ok = Command::new("python3")
        .arg(&generator)
        .args(["--pages", "250", "--layout", "neutral", "--out"])
        .arg(&corpus)
        .status()
        .unwrap()
        .success();
    assert!(ok, "{} failed", generator.display());
    let site = corpus.join("neutral");
    std::fs::copy(repo().join("site.yaml"), site.join("site.yaml")).unwrap();
    copy_dir(&repo().join("data"), &site.join("data"));
    copy_dir(&repo().join("themes"), &site.join("themes"));
    measure(
        "1,000-page corpus",
        &site,
        "en/billing/billing-00005.md",
        "en/billing/billing-00005/index.html",
    );

    let guide = tmp.join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::copy(repo().join("site.yaml"), guide.join("site.yaml")).unwrap();
    copy_dir(&repo().join("content"), &guide.join("content"));
    copy_dir(&repo().join("data"), &guide.join("data"));
    copy_dir(&repo().join("themes"), &guide.join("themes"));
    measure("real guide", &guide, "en/faq.md", "en/faq/index.html");

    let _ = std::fs::remove_dir_all(&tmp);
}
