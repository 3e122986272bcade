//! `steppe watch` as an editor uses it: the real binary on a temp copy of a fixture, edits of
//! every kind, a broken file and its fix, and the preview server's answers. Waits are bounded;
//! every started process is ended by its PID.

mod common;
use common::*;
use scraper::Selector;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    addr: Option<String>,
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

/// Polls `cond` every 10 ms for at most 30 s: generous, because CI runs the watch tests beside
/// each other on two cores and a polling watcher sees changes only every 250 ms.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

impl Watch {
    fn start(site: &TestSite, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_steppe"))
            .arg("watch")
            .args(args)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut w = Watch {
            child,
            stdout,
            stderr,
            addr: None,
        };
        w.wait_stdout("watching");
        w.addr = w.stdout.lock().unwrap().iter().find_map(|l| {
            l.split("http://")
                .nth(1)
                .map(|a| a.trim_end_matches('/').to_owned())
        });
        w
    }

    fn wait_stdout(&self, needle: &str) {
        wait_for(needle, || {
            self.stdout
                .lock()
                .unwrap()
                .iter()
                .any(|l| l.contains(needle))
        });
    }

    fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// How many lines of stdout (`out`) or stderr contain `needle`.
    fn count(&self, stdout: bool, needle: &str) -> usize {
        let lines = if stdout { &self.stdout } else { &self.stderr };
        lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(needle))
            .count()
    }

    /// Waits until `needle` has been printed once more than `before` times.
    fn wait_count(&self, stdout: bool, needle: &str, before: usize) {
        wait_for(needle, || self.count(stdout, needle) > before);
    }

    /// A raw HTTP/1.1 GET: the whole response head.
    fn head(&self, path: &str) -> String {
        let mut s = TcpStream::connect(self.addr.as_ref().unwrap()).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text.split_once("\r\n\r\n").unwrap().0.to_owned()
    }

    fn rebuilds(&self) -> usize {
        self.stdout
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("rebuilt in"))
            .count()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// A raw HTTP/1.1 GET: (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(self.addr.as_ref().unwrap()).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let status = text.split(' ').nth(1).unwrap().parse().unwrap();
        (
            status,
            text.split_once("\r\n\r\n")
                .map(|(_, b)| b.to_owned())
                .unwrap_or_default(),
        )
    }

    /// Opens the event stream and returns a reader of its lines.
    fn events(&self) -> BufReader<TcpStream> {
        let mut s = TcpStream::connect(self.addr.as_ref().unwrap()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET /__steppe/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        BufReader::new(s)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_event(reader: &mut BufReader<TcpStream>) -> (String, String) {
    let (mut event, mut data) = (String::new(), Vec::new());
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
        let line = line.trim_end();
        if let Some(e) = line.strip_prefix("event: ") {
            event = e.to_owned();
        } else if let Some(d) = line.strip_prefix("data: ") {
            data.push(d.to_owned());
        } else if line.is_empty() && !event.is_empty() {
            return (event, data.join("\n"));
        }
    }
}

/// The watched output equals a fresh `build` of the same files, once the rebuild in progress
/// is done (a page's HTML is written before its language's search index).
fn assert_matches_fresh_build(site: &TestSite) {
    let out = site.steppe(&["build", "--out", "fresh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let fresh = tree(&site.path("fresh"));
    // A page's HTML is written before its language's search index (watch shows an edit first):
    // give the rebuild that wrote the page time to finish before comparing.
    let start = Instant::now();
    let mut watched = tree(&site.path("public"));
    while watched != fresh && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
        watched = tree(&site.path("public"));
    }
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&watched), names(&fresh));
    for ((p, a), (_, b)) in watched.iter().zip(&fresh) {
        assert!(a == b, "{p} differs from a fresh build");
    }
    std::fs::remove_dir_all(site.path("fresh")).unwrap();
}

#[test]
fn edits_of_every_kind_match_a_fresh_build() {
    let site = TestSite::fixture("basic");
    let w = Watch::start(&site, &["--no-serve", "--verbose"]);
    let page = "public/en/guide/topup/index.html";

    // A body edit, written in place: only that page is rendered again.
    let n = w.rebuilds();
    let text = site
        .read("content/en/guide/topup.md")
        .replace("A duplicate heading gets a suffix.", "Edited in place.");
    site.write("content/en/guide/topup.md", &text);
    wait_for("the body edit", || {
        site.read(page).contains("Edited in place.")
    });
    wait_for("the report", || w.rebuilds() > n);
    let last = w
        .stdout
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|l| l.starts_with("rebuilt in"))
        .cloned()
        .unwrap();
    assert!(
        last.contains("(content/en/guide/topup.md): 1 page rendered"),
        "{last}"
    );
    assert_matches_fresh_build(&site);

    // Written to a temp file and renamed over the original, as vim and JetBrains do.
    site.write(
        "content/en/guide/.topup.md.tmp",
        text.replace("title: Top up", "title: Topping up")
            .replace("weight: 2", "weight: 4"),
    );
    std::fs::rename(
        site.path("content/en/guide/.topup.md.tmp"),
        site.path("content/en/guide/topup.md"),
    )
    .unwrap();
    wait_for("the title edit", || {
        scraper::Html::parse_document(&site.read(page))
            .select(&sel("h1"))
            .next()
            .map(|h| h.text().collect::<String>())
            == Some("Topping up".into())
    });
    assert_matches_fresh_build(&site);

    // A new page in a new folder, then deleted with its folder.
    site.write(
        "content/en/extra/_index.md",
        "---\ntitle: Extra\n---\nNew section.\n",
    );
    site.write(
        "content/en/extra/new.md",
        "---\ntitle: New page\nslug: fresh-page\n---\nHello.\n",
    );
    wait_for("the new page", || {
        site.path("public/en/extra/fresh-page/index.html").is_file()
    });
    assert_matches_fresh_build(&site);
    std::fs::remove_dir_all(site.path("content/en/extra")).unwrap();
    wait_for("the deletion", || !site.path("public/en/extra").exists());
    assert_matches_fresh_build(&site);

    // A data file: pages that show its facts follow (here through the shortcode).
    let activ = site.read("data/operators/activ.yaml");
    site.write(
        "data/operators/activ.yaml",
        activ.replace("\"*111*3#\"", "\"*222#\""),
    );
    wait_for("the data edit", || {
        texts(
            &scraper::Html::parse_document(&site.read(page)),
            ".content .fact",
        )
        .contains(&"*222#".to_owned())
    });
    assert_matches_fresh_build(&site);

    // Template, i18n and site.yaml edits reload everything they affect.
    let base = common::built_in("templates/base.html");
    site.write(
        "themes/default/templates/base.html",
        base.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer edited\">",
        ),
    );
    wait_for("the template edit", || {
        site.read(page).contains("site-footer edited")
    });
    assert_matches_fresh_build(&site);
    let en = common::built_in("i18n/en.yaml");
    site.write(
        "themes/default/i18n/en.yaml",
        en.replace("toc_title: On this page", "toc_title: In this page"),
    );
    wait_for("the i18n edit", || site.read(page).contains("In this page"));
    assert_matches_fresh_build(&site);
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        yaml.replace("en: Fixture Guide", "en: Renamed Guide"),
    );
    wait_for("the site.yaml edit", || {
        site.read(page).contains("Renamed Guide")
    });
    assert_matches_fresh_build(&site);
}

#[test]
fn a_broken_file_keeps_the_last_good_site_until_fixed() {
    let site = TestSite::fixture("basic");
    let mut w = Watch::start(&site, &["--port", "0"]);
    let mut events = w.events();
    assert_eq!(
        next_event(&mut events).0,
        "reload",
        "a new connection is told the current state"
    );
    let before = tree(&site.path("public"));

    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\nweight: 5\ntitel: x\n---\nBody\n",
    );
    let (kind, data) = next_event(&mut events);
    assert_eq!(kind, "build-error");
    assert!(
        data.contains("content/en/faq.md:4:1: front matter: unknown field 'titel'"),
        "{data}"
    );
    wait_for("the terminal error", || {
        w.stderr_text().contains("error: content/en/faq.md:4:1")
    });
    assert!(w.alive(), "watch exits on bad content");
    assert!(
        tree(&site.path("public")) == before,
        "a failed rebuild wrote files"
    );
    // A page loaded while the build is broken shows the overlay.
    let (status, body) = w.get("/en/");
    assert_eq!(status, 200);
    assert!(
        body.contains("window.__steppeError=\"error: content/en/faq.md:4:1"),
        "no overlay state in the page"
    );

    // An anchor another page links to disappears: an error naming the linking file.
    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\nweight: 5\n---\n## Renamed {#q-other}\n",
    );
    let (kind, data) = next_event(&mut events);
    assert_eq!(kind, "build-error");
    assert!(
        data.contains("link to a missing anchor: #q-abroad in content/en/faq.md"),
        "{data}"
    );

    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\nweight: 5\n---\n## Fixed {#q-abroad}\n",
    );
    let (kind, _) = next_event(&mut events);
    assert_eq!(kind, "reload");
    assert!(site.read("public/en/faq/index.html").contains("Fixed"));
    assert!(w.alive());
    assert_matches_fresh_build(&site);
}

#[test]
fn the_preview_server_serves_the_output_safely() {
    let site = TestSite::fixture("basic");
    let w = Watch::start(&site, &["--port", "0"]);
    assert!(
        w.addr.as_ref().unwrap().starts_with("127.0.0.1:"),
        "binds 127.0.0.1 by default"
    );
    let (status, body) = w.get("/en/faq/");
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&body);
    assert_eq!(texts(&doc, "h1"), ["FAQ"]);
    assert_eq!(
        doc.select(&sel("script[data-steppe-reload]")).count(),
        1,
        "reload script injected"
    );
    assert!(
        !site
            .read("public/en/faq/index.html")
            .contains("data-steppe-reload"),
        "never in the written output"
    );
    assert_eq!(w.get("/en/faq").0, 301);
    // Never a protocol-relative Location, which a browser reads as another host.
    for (asked, location) in [
        ("//en/faq", "/en/faq/"),
        ("///en//faq?x=1", "/en/faq/?x=1"),
        ("/en/faq", "/en/faq/"),
    ] {
        let head = w.head(asked);
        assert!(head.starts_with("HTTP/1.1 301"), "{asked}: {head}");
        let got = head
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or_default();
        assert_eq!(got, location, "{asked}");
    }
    // Hidden files (the marker, anything starting with a dot) are not part of the site.
    site.write("public/en/.cache/note.html", "private");
    for hidden in [
        "/.steppe-output",
        "/%2esteppe-output",
        "/en/.cache/note.html",
        "/en/.cache/",
    ] {
        let (status, body) = w.get(hidden);
        assert_eq!(status, 404, "{hidden}");
        assert!(
            !body.contains("private") && !body.contains("written by steppe"),
            "{hidden}"
        );
    }
    let (status, body) = w.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("not-found"), "the theme's 404 page");
    for evil in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/en/%2E%2E/%2e%2e/site.yaml",
    ] {
        assert_eq!(w.get(evil).0, 403, "{evil}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path("site.yaml"), site.path("public/leak.yaml")).unwrap();
        assert_eq!(
            w.get("/leak.yaml").0,
            403,
            "symlinks out of the output are refused"
        );
    }
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let site = TestSite::fixture("basic");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["watch", "--port", &port])
        .current_dir(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")) && err.contains("--port 0"),
        "{err}"
    );
    assert!(!stdout(&out).contains("built"), "built before binding");
    assert!(
        !site.path("public").exists(),
        "wrote the output before binding"
    );
}

#[test]
fn a_folder_without_site_yaml_is_an_error_before_building() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/en")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["watch", "--no-serve"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("watch to exit", || child.try_wait().unwrap().is_some());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("error: . has no site.yaml"), "{err}");
    assert!(
        err.contains("hint: run steppe in the site's folder"),
        "{err}"
    );
    assert!(!stdout(&out).contains("last good site"), "{}", stdout(&out));
    assert!(!dir.path().join("public").exists());
}

/// `cp -a` or `mv`, as an editor restores a folder from a backup.
fn restore(how: &str, from: &std::path::Path, to: &std::path::Path) {
    let flags: &[&str] = if how == "cp" { &["-a"] } else { &[] };
    let status = Command::new(how)
        .args(flags)
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "{how} {} {}",
        from.display(),
        to.display()
    );
}

/// Appends a line to `source` and waits until `page` shows it. Waits first for the rescan that
/// follows a restored folder, so the edit can only be seen through the folder's new watch.
fn edit_and_see(site: &TestSite, source: &str, page: &str, text: &str) {
    std::thread::sleep(Duration::from_millis(300));
    let body = site.read(source);
    site.write(source, format!("{body}\n{text}\n"));
    wait_for(text, || {
        std::fs::read_to_string(site.path(page)).is_ok_and(|html| html.contains(text))
    });
}

#[test]
fn deleted_and_restored_folders_are_followed() {
    let site = TestSite::fixture("basic");
    let w = Watch::start(&site, &["--no-serve"]);
    let backup = tempfile::tempdir().unwrap();
    let bak = |name: &str| backup.path().join(name);
    let (faq, faq_page) = ("content/en/faq.md", "public/en/faq/index.html");
    let fixed = "fixed: the site builds again";

    // A language folder: its pages go (a new warning, printed by that rebuild) and come back
    // (the old warning is new again). Warnings that stay are not printed again.
    let (gone, back) = (
        "7 pages not translated into 'ru'",
        "4 pages not translated into 'ru'",
    );
    // The first build's warnings come on stderr, read by another thread than the stdout line
    // `start` waited for: wait for the warning rather than expect it already read.
    w.wait_count(false, back, 0);
    assert_eq!(w.count(false, back), 1, "{}", w.stderr_text());
    restore("mv", &site.path("content/ru"), &bak("ru"));
    w.wait_count(false, gone, 0);
    // Without content/ru every page of 'ru' is a fallback copy of the English one.
    let robots = Selector::parse(r#"meta[name="robots"]"#).unwrap();
    let fallback = site.html("public/ru/guide/index.html");
    assert_eq!(fallback.select(&robots).count(), 1);
    restore("mv", &bak("ru"), &site.path("content/ru"));
    w.wait_count(false, back, 1);
    edit_and_see(
        &site,
        "content/ru/_index.md",
        "public/ru/index.html",
        "Снова здесь.",
    );
    assert_matches_fresh_build(&site);
    let err = w.stderr_text();
    assert_eq!(w.count(false, gone), 1, "{err}");
    assert_eq!(w.count(false, back), 2, "{err}");
    let kept = "content/en/operators: no prose for 1 item";
    assert_eq!(w.count(false, kept), 1, "{err}");

    // content/, deleted and restored by `cp -a`, then by `mv`.
    for (round, how) in ["cp", "mv"].into_iter().enumerate() {
        restore("cp", &site.path("content"), &bak("content"));
        let (failed, fixes) = (w.count(false, "no content/ folder"), w.count(true, fixed));
        std::fs::remove_dir_all(site.path("content")).unwrap();
        w.wait_count(false, "no content/ folder", failed);
        restore(how, &bak("content"), &site.path("content"));
        w.wait_count(true, fixed, fixes);
        edit_and_see(
            &site,
            faq,
            faq_page,
            &format!("Seen after content round {round}."),
        );
        assert_matches_fresh_build(&site);
        let _ = std::fs::remove_dir_all(bak("content"));
    }

    // A site theme (the built-in one cannot be deleted): its folder, then all of themes/. While
    // it is gone the site fails ("theme 'custom' not found"); restored, it builds again.
    common::copy_dir(
        &common::repo().join("themes/default"),
        &site.path("themes/custom"),
    );
    site.write(
        "themes/custom/templates/base.html",
        built_in("templates/base.html").replacen("site-footer", "site-footer theme-custom", 1),
    );
    site.write(
        "site.yaml",
        site.read("site.yaml")
            .replace("theme: default", "theme: custom"),
    );
    wait_for("the switch to theme custom", || {
        site.read(faq_page).contains("theme-custom")
    });
    for (dir, how) in [("themes/custom", "cp"), ("themes", "mv")] {
        restore("cp", &site.path(dir), &bak("theme"));
        let (failed, fixes) = (w.count(false, "build failed"), w.count(true, fixed));
        std::fs::remove_dir_all(site.path(dir)).unwrap();
        w.wait_count(false, "build failed", failed);
        restore(how, &bak("theme"), &site.path(dir));
        w.wait_count(true, fixed, fixes);
        let base = built_in("templates/base.html");
        let class = format!("site-footer after-{}", dir.replace('/', "-"));
        site.write(
            "themes/custom/templates/base.html",
            base.replacen("site-footer", &class, 1),
        );
        wait_for(&class, || site.read(faq_page).contains(&class));
        assert_matches_fresh_build(&site);
        let _ = std::fs::remove_dir_all(bak("theme"));
    }
}

#[test]
fn polling_sees_edits_too() {
    let site = TestSite::fixture("basic");
    let _w = Watch::start(&site, &["--no-serve", "--poll"]);
    let text = site
        .read("content/en/faq.md")
        .replace("Yes: see", "Polled: see");
    site.write("content/en/faq.md", text);
    wait_for("the polled edit", || {
        site.read("public/en/faq/index.html")
            .contains("Polled: see")
    });
}

#[test]
fn a_theme_switch_and_a_new_language_need_no_restart() {
    let site = TestSite::fixture("basic");
    let w = Watch::start(&site, &["--no-serve"]);
    common::copy_dir(
        &common::repo().join("themes/default"),
        &site.path("themes/other"),
    );
    let base = site.read("themes/other/templates/base.html");
    site.write(
        "themes/other/templates/base.html",
        base.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer other\">",
        ),
    );
    let yaml = site.read("site.yaml");
    let yaml = yaml.replace("theme: default", "theme: other");
    site.write("site.yaml", &yaml);
    wait_for("the theme switch", || {
        site.read("public/en/faq/index.html")
            .contains("site-footer other")
    });
    // Edits in the new theme are seen.
    let base = site.read("themes/other/templates/base.html");
    site.write(
        "themes/other/templates/base.html",
        base.replace("site-footer other", "site-footer other edited"),
    );
    wait_for("an edit in the new theme", || {
        site.read("public/en/faq/index.html")
            .contains("site-footer other edited")
    });
    // A new language: site.yaml, then its folder.
    let with_kk = yaml
        .replace("  ru: Тестовое руководство\n", "  ru: Тестовое руководство\n  kk: Сынақ нұсқаулығы\n")
        .replace("  ru: Небольшой сайт для проверки всех функций.\n", "  ru: Небольшой сайт для проверки всех функций.\n  kk: Барлық мүмкіндікті тексеретін шағын сайт.\n")
        .replace("  - {code: ru, tag: ru, name: Русский}\n", "  - {code: ru, tag: ru, name: Русский}\n  - {code: kk, tag: kk, name: Қазақша}\n")
        .replace("{en: Website, zh: 网站, ru: Сайт}", "{en: Website, zh: 网站, ru: Сайт, kk: Сайт}")
        .replace("{en: Balance code, zh: 查询余额, ru: Код баланса}", "{en: Balance code, zh: 查询余额, ru: Код баланса, kk: Баланс коды}")
        .replace("{en: Support, zh: 客服, ru: Поддержка}", "{en: Support, zh: 客服, ru: Поддержка, kk: Қолдау}")
        .replace("{en: Operators, zh: 运营商, ru: Операторы}", "{en: Operators, zh: 运营商, ru: Операторы, kk: Операторлар}");
    // The item data names every language too: it changes first (an error until site.yaml
    // follows, which the last good site survives).
    let activ = site.read("data/operators/activ.yaml").replace(
        "{en: In the app, zh: 在应用内, ru: В приложении}",
        "{en: In the app, zh: 在应用内, ru: В приложении, kk: Қосымшада}",
    );
    site.write("data/operators/activ.yaml", activ);
    site.write("site.yaml", with_kk);
    wait_for("the new language", || {
        site.path("public/kk/index.html").is_file()
    });
    site.write(
        "content/kk/_index.md",
        "---\ntitle: Басты бет\n---\nСәлем.\n",
    );
    wait_for("the new language's home", || {
        site.read("public/kk/index.html").contains("Сәлем.")
    });
    assert!(
        w.stderr_text().lines().all(|l| !l.starts_with("error:")),
        "{}",
        w.stderr_text()
    );
    assert_matches_fresh_build(&site);
}

#[test]
fn polling_follows_a_restored_content_folder() {
    let site = TestSite::fixture("basic");
    let w = Watch::start(&site, &["--no-serve", "--poll"]);
    let backup = tempfile::tempdir().unwrap();
    let bak = backup.path().join("content");
    restore("cp", &site.path("content"), &bak);
    let fixes = w.count(true, "fixed: the site builds again");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    w.wait_count(false, "no content/ folder", 0);
    restore("mv", &bak, &site.path("content"));
    w.wait_count(true, "fixed: the site builds again", fixes);
    edit_and_see(
        &site,
        "content/en/faq.md",
        "public/en/faq/index.html",
        "Polled after the restore.",
    );
    assert_matches_fresh_build(&site);
}

/// The poll watcher keeps file times in whole seconds: an edit in the same second as the file's
/// last change (a folder restored and edited at once) leaves the time it sees unchanged. Setting
/// the old time back makes that race certain; the edit must still be seen, through an event.
#[test]
fn polling_sees_an_edit_that_keeps_the_file_time() {
    let site = TestSite::fixture("basic");
    let w = Watch::start(&site, &["--no-serve", "--poll"]);
    // Past the rescan that follows the first snapshot, so only polling can see the edit.
    std::thread::sleep(Duration::from_millis(600));
    let faq = site.path("content/en/faq.md");
    let mtime = std::fs::metadata(&faq).unwrap().modified().unwrap();
    let text = site.read("content/en/faq.md");
    site.write("content/en/faq.md", format!("{text}\nSame second.\n"));
    let file = std::fs::File::options().write(true).open(&faq).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);
    assert_eq!(std::fs::metadata(&faq).unwrap().modified().unwrap(), mtime);
    // The rebuild names the file, so an event brought it, not a rescan.
    w.wait_count(true, "(content/en/faq.md)", 0);
    assert!(
        site.read("public/en/faq/index.html")
            .contains("Same second.")
    );
    assert_matches_fresh_build(&site);
}

/// `cached_include` stores a partial for one run only: after a data edit and after a UI-string
/// edit (which keeps the loaded theme, and with it the function's store), the facts box of a page
/// about the item (page.html renders it with `cached_include`) shows the new text.
#[test]
fn a_cached_facts_box_follows_data_and_string_edits() {
    let site = TestSite::fixture("products");
    let w = Watch::start(&site, &["--no-serve"]);
    let page = "public/en/reading/index.html";
    let facts = || texts(&site.html(page), "section.facts td");
    let heading = || texts(&site.html(page), "section.facts h2");
    assert!(
        facts().iter().any(|t| t.contains("12 EUR")),
        "{:?}",
        facts()
    );
    assert_eq!(heading(), ["Desk lamp: Key facts"]);
    let lamp = site.read("data/products/desk-lamp.yaml");
    site.write(
        "data/products/desk-lamp.yaml",
        lamp.replace("\"12 EUR\"", "\"13 EUR\""),
    );
    wait_for("the data edit", || {
        facts().iter().any(|t| t.contains("13 EUR"))
    });
    assert!(facts().iter().all(|t| !t.contains("12 EUR")));
    site.write("i18n/en.yaml", "item_facts: Main facts\n");
    wait_for("the string edit", || heading() == ["Desk lamp: Main facts"]);
    assert!(w.stderr_text().lines().all(|l| !l.starts_with("error:")));
    assert_matches_fresh_build(&site);
}
