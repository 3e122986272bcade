//! `steppe check` on fixture sites with the real binary: what it reports, where, its exit code,
//! that it writes nothing, translation stamps, and `--external` against a local HTTP server.
//! Also the stale-review notice of the built pages.

mod common;

use common::{TestSite, attrs, sel, stderr, stdout, tree};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("{e}\nstdout:\n{}\nstderr:\n{}", stdout(out), stderr(out)))
}

/// Every problem of a JSON report as (file, line, kind, message).
fn problems(report: &Value) -> Vec<(String, Option<u64>, String, String)> {
    let mut all = Vec::new();
    for f in report["files"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap_or("").to_owned();
        for p in f["problems"].as_array().unwrap() {
            all.push((
                file.clone(),
                p["line"].as_u64(),
                p["kind"].as_str().unwrap().to_owned(),
                p["message"].as_str().unwrap().to_owned(),
            ));
        }
    }
    all
}

fn of_kind(report: &Value, kind: &str) -> Vec<(String, Option<u64>, String)> {
    problems(report)
        .into_iter()
        .filter(|p| p.2 == kind)
        .map(|(f, l, _, m)| (f, l, m))
        .collect()
}

#[test]
fn check_writes_nothing_and_groups_problems_by_file() {
    let site = TestSite::fixture("basic");
    let before = tree(site.root());
    let out = site.steppe(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(tree(site.root()), before, "check changed the site folder");
    assert!(!site.path("public").exists());
    let text = stdout(&out);
    // A header line per file, then its problems located as file:line.
    assert!(text.lines().any(|l| l == "content/en/faq.md"), "{text}");
    assert!(
        text.contains("content/en/faq.md: warning[missing-translation]: missing in 'ru'"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("warnings"), "{text}");
}

#[test]
fn build_errors_are_located_and_exit_1() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/bad.md",
        "---\ntitle: Bad\nweigth: 3\n---\nbody\n",
    );
    site.write(
        "content/ru/guide/topup.md",
        "---\ntitle: T\n---\n[x](nowhere.md)\n",
    );
    let before = tree(site.root());
    let out = site.steppe(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(tree(site.root()), before);
    let report = json(&out);
    assert_eq!(report["version"], 1);
    assert_eq!(report["ok"], false);
    let build = of_kind(&report, "build");
    assert!(
        build.contains(&(
            "content/en/bad.md".into(),
            Some(3),
            "front matter: unknown field 'weigth' (did you mean 'weight'?)".into()
        )),
        "{build:?}"
    );
    assert!(
        build
            .iter()
            .any(|(f, l, _)| f == "content/ru/guide/topup.md" && *l == Some(4)),
        "{build:?}"
    );
    assert_eq!(report["errors"].as_u64(), Some(build.len() as u64));
}

#[test]
fn json_schema_is_stable() {
    let site = TestSite::fixture("basic");
    let report = json(&site.steppe(&["check", "--format", "json"]));
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "version", "ok", "errors", "warnings", "files", "links", "stamped",
    ] {
        assert!(keys.contains(&key), "{key} missing in {keys:?}");
    }
    let first = &report["files"][0];
    assert!(first["file"].is_string());
    let p = &first["problems"][0];
    for key in ["severity", "kind", "line", "column", "message", "hint"] {
        assert!(p.get(key).is_some(), "problem lacks {key}: {p}");
    }
    assert!(matches!(p["severity"].as_str(), Some("error" | "warning")));
    // Files are sorted, so two runs print the same report.
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn items_without_sources_are_reported() {
    let site = TestSite::fixture("basic");
    let report = json(&site.steppe(&["check", "--format", "json"]));
    let found = of_kind(&report, "no-sources");
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, line, message) = &found[0];
    assert_eq!(file, "data/operators/activ.yaml");
    assert!(message.contains("'operators/activ'"), "{message}");
    let yaml = site.read("data/operators/activ.yaml");
    let expected = yaml.lines().position(|l| l.starts_with("name:")).unwrap() + 1;
    assert_eq!(*line, Some(expected as u64));
}

#[test]
fn overdue_reviews_follow_the_configured_age() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\nreviewed: 2000-01-01\n---\nOld.\n",
    );
    site.write(
        "content/en/guide/topup.md",
        "---\ntitle: Top up\nreviewed: 2999-01-01\n---\nNew.\n",
    );
    let report = json(&site.steppe(&["check", "--format", "json"]));
    let overdue = of_kind(&report, "review-overdue");
    let pages: Vec<_> = overdue
        .iter()
        .filter(|p| p.0.starts_with("content/"))
        .collect();
    assert_eq!(pages.len(), 1, "{overdue:?}");
    assert_eq!(pages[0].0, "content/en/faq.md");
    assert_eq!(pages[0].1, Some(3));
    assert!(pages[0].2.contains("reviewed 2000-01-01"), "{}", pages[0].2);
    // A generous flag, or the same in site.yaml, clears it.
    let report = json(&site.steppe(&["check", "--format", "json", "--max-age", "400000"]));
    assert!(of_kind(&report, "review-overdue").is_empty());
    let yaml = site.read("site.yaml") + "review_max_age_days: 400000\n";
    site.write("site.yaml", yaml);
    let report = json(&site.steppe(&["check", "--format", "json"]));
    assert!(of_kind(&report, "review-overdue").is_empty());
}

#[test]
fn translation_stamps_track_the_source_body() {
    let site = TestSite::fixture("basic");
    let report = json(&site.steppe(&["check", "--format", "json"]));
    let unstamped: Vec<String> = of_kind(&report, "unstamped-translation")
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert!(
        unstamped.contains(&"content/zh/faq.md".to_string()),
        "{unstamped:?}"
    );
    assert!(unstamped.iter().all(|f| !f.starts_with("content/en/")));

    // Stamping one named file writes its stamp and nothing else.
    let before = tree(site.root());
    let out = site.steppe(&["check", "--fix-translated", "content/zh/faq.md"]);
    assert!(
        stdout(&out).contains("stamped content/zh/faq.md"),
        "{}",
        stdout(&out)
    );
    let after = tree(site.root());
    let changed: Vec<&String> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(after.len(), before.len());
    assert_eq!(changed, ["content/zh/faq.md"]);
    let zh = site.read("content/zh/faq.md");
    assert!(
        zh.starts_with("---\ntitle: 常见问题\nweight: 5\ntranslated_from: "),
        "{zh}"
    );
    let report = json(&site.steppe(&["check", "--format", "json"]));
    assert!(
        !problems(&report)
            .iter()
            .any(|p| p.0 == "content/zh/faq.md" && p.2.ends_with("translation")),
        "{report}"
    );

    // Editing the source's front matter keeps the translation current; editing its body does not.
    let en = site.read("content/en/faq.md");
    site.write("content/en/faq.md", en.replace("weight: 5", "weight: 6"));
    let report = json(&site.steppe(&["check", "--format", "json"]));
    assert!(of_kind(&report, "outdated-translation").is_empty());
    site.write("content/en/faq.md", en.replace("Yes:", "Yes, now:"));
    let report = json(&site.steppe(&["check", "--format", "json"]));
    let outdated = of_kind(&report, "outdated-translation");
    assert_eq!(outdated.len(), 1, "{outdated:?}");
    assert_eq!(outdated[0].0, "content/zh/faq.md");
    assert_eq!(outdated[0].1, Some(4), "at the translated_from line");
    assert!(
        outdated[0]
            .2
            .contains("older than its source content/en/faq.md")
    );

    // Without a path, every unstamped translation is stamped; a stale stamp is left for a person.
    let out = site.steppe(&["check", "--fix-translated", "--format", "json"]);
    let report = json(&out);
    assert!(
        of_kind(&report, "unstamped-translation").is_empty(),
        "{report}"
    );
    assert_eq!(of_kind(&report, "outdated-translation").len(), 1);
    let stamped = report["stamped"].as_array().unwrap();
    assert!(
        stamped.iter().any(|s| s == "content/ru/guide/topup.md"),
        "{stamped:?}"
    );
}

#[test]
fn fix_translated_takes_paths_as_printed_with_root() {
    let site = TestSite::fixture("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["check", "--root", "."])
        .args(["--fix-translated", "content/zh/faq.md", "--format", "json"])
        .current_dir(site.root())
        .output()
        .unwrap();
    assert_eq!(json(&out)["stamped"][0], "content/zh/faq.md");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .arg("check")
        .arg("--root")
        .arg(site.root())
        .args([
            "--fix-translated",
            "content/ru/guide/topup.md",
            "--format",
            "json",
        ])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(
        json(&out)["stamped"][0],
        "content/ru/guide/topup.md",
        "{}",
        stderr(&out)
    );
    assert!(
        site.read("content/ru/guide/topup.md")
            .contains("\ntranslated_from: ")
    );
}

#[test]
fn fix_translated_refuses_files_that_are_not_translations() {
    let site = TestSite::fixture("basic");
    let before = tree(site.root());
    for path in ["content/en/faq.md", "site.yaml", "content/zh/nope.md"] {
        let out = site.steppe(&["check", "--fix-translated", path]);
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(path.trim_start_matches("content/")),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(tree(site.root()), before);
}

/// A tiny HTTP/1.1 server on 127.0.0.1 with one behaviour per path; counts requests per
/// (method, path) and the most requests it ever had in progress at once.
struct Server {
    port: u16,
    hits: Arc<Mutex<BTreeMap<(String, String), usize>>>,
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(BTreeMap::new()));
        let most = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicUsize::new(0));
        let (h, m) = (hits.clone(), most.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (h, m, now) = (h.clone(), m.clone(), now.clone());
                std::thread::spawn(move || serve(stream, &h, &m, &now));
            }
        });
        Server {
            port,
            hits,
            most_at_once: most,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, method: &str, path: &str) -> usize {
        let hits = self.hits.lock().unwrap();
        hits.get(&(method.into(), path.into()))
            .copied()
            .unwrap_or(0)
    }
}

fn serve(
    mut stream: std::net::TcpStream,
    hits: &Mutex<BTreeMap<(String, String), usize>>,
    most: &AtomicUsize,
    now: &AtomicUsize,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut parts = request.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    );
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    *hits
        .lock()
        .unwrap()
        .entry((method.clone(), path.clone()))
        .or_default() += 1;
    let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
    most.fetch_max(at_once, Ordering::SeqCst);
    let (status, extra) = match (method.as_str(), path.as_str()) {
        (_, "/ok") => ("200 OK", String::new()),
        (_, "/missing") => ("404 Not Found", String::new()),
        ("HEAD", "/nohead") => ("405 Method Not Allowed", String::new()),
        ("GET", "/nohead") => ("200 OK", String::new()),
        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        (_, "/slow") => {
            // The client gives up long before: it must not count as still in progress.
            now.fetch_sub(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
            return;
        }
        _ => ("500 Internal Server Error", String::new()),
    };
    let body = if method == "GET" { "hello" } else { "" };
    // Done before answering: a client that follows a redirect at once must not find this
    // request still counted.
    now.fetch_sub(1, Ordering::SeqCst);
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

#[test]
fn external_links_are_checked_politely_and_cached() {
    let server = Server::start();
    let site = TestSite::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        yaml.replace(
            "  allowed_domains:\n",
            "  allowed_domains:\n    - 127.0.0.1\n",
        ),
    );
    // The fixture's real-world URLs would need the network: point them at the local server.
    let local = [
        ("https://www.kcell.kz/en/product/topup", "/ok"),
        ("https://www.kcell.kz/en/", "/ok"),
        ("https://www.kcell.kz/", "/ok"),
        ("https://activ.kz/en/article/faq", "/nohead"),
        ("https://activ.kz/en/service/reactivation", "/ok"),
        ("https://activ.kz/", "/moved"),
    ];
    for file in [
        "site.yaml",
        "data/operators/kcell.yaml",
        "data/operators/activ.yaml",
        "content/en/guide/topup.md",
    ] {
        let text = local.iter().fold(site.read(file), |t, (from, to)| {
            t.replace(from, &server.url(to))
        });
        let remote = text
            .lines()
            .any(|l| l.contains("https://") && !l.starts_with("base_url:"));
        assert!(!remote, "{file} still names a remote URL");
        site.write(file, text);
    }
    site.write(
        "content/en/links.md",
        format!(
            "---\ntitle: Links\nsources:\n  - {{title: Slow, url: \"{}\"}}\n---\nSee [gone]({}).\n",
            server.url("/slow"),
            server.url("/missing")
        ),
    );
    let before = tree(&site.path("content"));
    let out = site.steppe(&[
        "check",
        "--external",
        "--format",
        "json",
        "--timeout-ms",
        "700",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a 404 is an error: {}",
        stdout(&out)
    );
    assert_eq!(tree(&site.path("content")), before);
    let report = json(&out);
    let links: BTreeMap<String, &Value> = report["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["url"].as_str().unwrap().to_owned(), l))
        .collect();
    assert_eq!(links.len(), 5, "{links:?}");
    let result = |p: &str| links[&server.url(p)]["result"].as_str().unwrap().to_owned();
    assert_eq!(result("/ok"), "ok");
    assert_eq!(result("/missing"), "broken");
    assert_eq!(links[&server.url("/missing")]["status"], 404);
    assert_eq!(result("/nohead"), "ok", "405 on HEAD, then GET");
    assert_eq!(server.hits("HEAD", "/nohead"), 1);
    assert_eq!(server.hits("GET", "/nohead"), 1);
    assert_eq!(result("/moved"), "ok");
    assert_eq!(links[&server.url("/moved")]["final_url"], server.url("/ok"));
    assert_eq!(result("/slow"), "unreachable");
    assert!(
        links[&server.url("/slow")]["error"]
            .as_str()
            .unwrap()
            .contains("timeout")
    );
    assert_eq!(
        server.hits("GET", "/slow"),
        0,
        "a timeout is not asked twice"
    );
    // One host: never two requests to it at once.
    assert_eq!(server.most_at_once.load(Ordering::SeqCst), 1);

    let broken = of_kind(&report, "broken-link");
    assert_eq!(
        broken,
        [(
            "content/en/links.md".to_string(),
            Some(6),
            format!("broken link {} (HTTP 404)", server.url("/missing"))
        )]
    );
    let slow = of_kind(&report, "unreachable-link");
    assert_eq!(slow.len(), 1);
    assert_eq!(
        (slow[0].0.as_str(), slow[0].1),
        ("content/en/links.md", Some(3))
    );

    // Successes come from the cache for a day; failures are asked again.
    assert!(site.path(".steppe-cache/links.json").is_file());
    let ok_hits = server.hits("HEAD", "/ok");
    let report = json(&site.steppe(&[
        "check",
        "--external",
        "--format",
        "json",
        "--timeout-ms",
        "700",
    ]));
    assert_eq!(server.hits("HEAD", "/ok"), ok_hits);
    assert_eq!(server.hits("HEAD", "/missing"), 2);
    let cached: Vec<&str> = report["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["cached"] == true)
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert_eq!(cached.len(), 3, "{cached:?}");
    // The cache stays out of the build.
    site.build();
    assert!(
        !common::tree(&site.path("public"))
            .iter()
            .any(|f| f.0.contains("steppe-cache"))
    );
}

#[test]
fn built_pages_carry_a_hidden_dated_review_notice() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/zh/faq.md",
        "---\ntitle: 常见问题\nreviewed: 2020-02-03\n---\n正文。\n",
    );
    site.build();
    let doc = site.html("public/zh/faq/index.html");
    let notices: Vec<_> = doc.select(&sel("p.review-notice")).collect();
    assert_eq!(notices.len(), 1);
    let n = notices[0].value();
    assert!(n.attr("hidden").is_some(), "shown by script only when old");
    assert_eq!(n.attr("data-reviewed"), Some("2020-02-03"));
    assert_eq!(n.attr("data-max-age-days"), Some("365"));
    let text: String = notices[0].text().collect();
    assert!(text.starts_with("本页最后核对于 2020-02-03"), "{text}");
    assert_eq!(
        attrs(&doc, "p.review-notice time", "datetime"),
        ["2020-02-03"]
    );
    // Pages without a date get no notice; an operator's page has the operator's date.
    let doc = site.html("public/zh/guide/topup/index.html");
    assert_eq!(doc.select(&sel("p.review-notice")).count(), 0);
    let doc = site.html("public/en/operators/kcell/index.html");
    assert_eq!(
        attrs(&doc, "p.review-notice", "data-reviewed"),
        ["2026-11-25"]
    );

    // The age comes from site.yaml, and the output is the same whatever the day.
    let first = tree(&site.path("public"));
    site.build();
    assert_eq!(tree(&site.path("public")), first);
    let yaml = site.read("site.yaml") + "review_max_age_days: 30\n";
    site.write("site.yaml", yaml);
    site.build();
    let doc = site.html("public/zh/faq/index.html");
    assert_eq!(attrs(&doc, "p.review-notice", "data-max-age-days"), ["30"]);
}
