//! Behaviour of `steppe build` on the `basic` fixture: URLs, translations, Markdown, theme,
//! output files. HTML is checked by parsing it.

mod common;
use common::*;

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build();
    site
}

#[test]
fn prints_one_summary_line_and_warnings() {
    let site = TestSite::fixture("basic");
    let out = site.build();
    let stdout = stdout(&out);
    assert!(
        stdout.starts_with("built 30 pages in 3 languages in "),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("→ public/"), "{stdout}");
    let err = stderr(&out);
    assert!(
        err.contains("warning: content/ru: 4 pages not translated into 'ru' (built from 'en' with a notice): faq.md, guide/deep/_index.md"),
        "{err}"
    );
    assert!(
        err.contains("warning: content/en/operators: no prose for 1 item of 'operators' (their pages show only their data): kcell\n"),
        "{err}"
    );
}

#[test]
fn pretty_urls_sections_slugs_and_drafts() {
    let site = built();
    for page in [
        "en/index.html",
        "en/guide/index.html",
        "en/guide/topup/index.html",
        "en/guide/deep/page/index.html",
        "en/faq/index.html",
        "zh/guide/topup/index.html",
        "en/renamed/index.html",
        "index.html",
        "404.html",
    ] {
        assert!(site.path("public").join(page).is_file(), "{page}");
    }
    assert!(
        !site.path("public/en/slugged").exists(),
        "slug replaces the last segment"
    );
    assert!(
        !site.path("public/en/draft").exists(),
        "drafts are left out"
    );
    let with_drafts = TestSite::fixture("basic");
    let out = with_drafts.steppe(&["build", "--drafts"]);
    assert!(out.status.success());
    assert!(with_drafts.path("public/en/draft/index.html").is_file());
}

#[test]
fn every_link_resolves_from_every_depth() {
    let site = built();
    let broken = broken_links(&site.path("public"));
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    let doc = site.html("public/en/guide/deep/page/index.html");
    let hrefs = attrs(&doc, "main .content a", "href");
    assert_eq!(
        hrefs,
        ["../../topup/index.html#my-id", "../../../index.html"]
    );
    // Every internal link names a file, so the site works from file://.
    for href in attrs(&doc, "a[href]", "href") {
        assert!(
            href.starts_with("https://")
                || href.starts_with('#')
                || href.contains("index.html")
                || href.ends_with(".png"),
            "{href}"
        );
    }
}

#[test]
fn translations_hreflang_canonical_and_switcher() {
    let site = built();
    let doc = site.html("public/zh/guide/topup/index.html");
    assert_eq!(attrs(&doc, "html", "lang"), ["zh-Hans"]);
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://example.org/guide/zh/guide/topup/"]
    );
    let alternates: Vec<(String, String)> = doc
        .select(&sel("link[rel=alternate]"))
        .map(|e| {
            (
                e.value().attr("hreflang").unwrap().to_owned(),
                e.value().attr("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        [
            (
                "en".to_owned(),
                "https://example.org/guide/en/guide/topup/".to_owned()
            ),
            (
                "zh-Hans".to_owned(),
                "https://example.org/guide/zh/guide/topup/".to_owned()
            ),
            (
                "ru".to_owned(),
                "https://example.org/guide/ru/guide/topup/".to_owned()
            ),
            (
                "x-default".to_owned(),
                "https://example.org/guide/en/guide/topup/".to_owned()
            ),
        ]
    );
    assert_eq!(texts(&doc, ".switcher a"), ["English", "中文", "Русский"]);
    assert_eq!(attrs(&doc, ".switcher a", "lang"), ["en", "zh-Hans", "ru"]);
    assert_eq!(
        attrs(&doc, ".switcher a", "href")[0],
        "../../../en/guide/topup/index.html"
    );
    assert_eq!(
        attrs(&doc, ".switcher a[aria-current]", "lang"),
        ["zh-Hans"]
    );
    // A page not translated into a language is offered there as a marked fallback.
    let faq = site.html("public/en/faq/index.html");
    assert_eq!(texts(&faq, ".switcher a"), ["English", "中文", "Русский"]);
    assert_eq!(attrs(&faq, ".switcher a[data-fallback]", "lang"), ["ru"]);
}

#[test]
fn no_base_url_means_no_canonical_and_a_warning() {
    let site = TestSite::fixture("basic");
    let out = site.steppe(&["build", "--base-url", ""]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no base_url"), "{}", stderr(&out));
    let doc = site.html("public/en/faq/index.html");
    assert!(attrs(&doc, "link[rel=canonical]", "href").is_empty());
    assert_eq!(
        attrs(&doc, "link[hreflang=zh-Hans]", "href"),
        ["../../zh/faq/index.html"]
    );
    assert!(!site.path("public/sitemap.xml").exists());
    let overridden = TestSite::fixture("basic");
    assert!(
        overridden
            .steppe(&["build", "--base-url", "https://docs.example.com/"])
            .status
            .success()
    );
    let doc = overridden.html("public/en/faq/index.html");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://docs.example.com/en/faq/"]
    );
}

#[test]
fn heading_ids_for_every_script_duplicates_and_overrides() {
    let site = built();
    let zh = site.html("public/zh/guide/topup/index.html");
    assert_eq!(
        attrs(&zh, "main .content h2", "id"),
        ["如何充值", "如何充值-1"]
    );
    let ru = site.html("public/ru/guide/topup/index.html");
    assert_eq!(
        attrs(&ru, "main .content h2", "id"),
        ["как-пополнить-баланс"]
    );
    let en = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        attrs(&en, "main .content h2", "id"),
        ["top-up-online", "top-up-online-1", "my-id"]
    );
    assert_eq!(
        attrs(&en, ".toc a", "href"),
        ["#top-up-online", "#top-up-online-1", "#my-id"]
    );
}

#[test]
fn gfm_features_and_localised_alerts() {
    let site = built();
    let en = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        texts(&en, ".callout .callout-title"),
        ["Note", "Tip", "Important", "Warning", "Caution"]
    );
    assert_eq!(
        attrs(&en, ".callout", "class")[3],
        "callout callout-warning"
    );
    assert_eq!(en.select(&sel(".content table td code")).count(), 1);
    // Task lists: a tick for done items, no form controls (see tests/phone_markdown.rs).
    assert_eq!(en.select(&sel(".content .task-done")).count(), 1);
    assert_eq!(en.select(&sel(".content input")).count(), 0);
    assert_eq!(texts(&en, ".content del"), ["old"]);
    assert_eq!(en.select(&sel(".content .footnote-definition")).count(), 1);
    let ru = TestSite::fixture("basic");
    ru.write(
        "content/ru/guide/topup.md",
        "---\ntitle: П\n---\n> [!WARNING]\n> Осторожно.\n",
    );
    ru.build();
    assert_eq!(
        texts(
            &ru.html("public/ru/guide/topup/index.html"),
            ".callout-title"
        ),
        ["Предупреждение"]
    );
}

#[test]
fn assets_are_copied_and_links_rewritten() {
    let site = built();
    assert!(site.path("public/en/guide/photo.png").is_file());
    let en = site.html("public/en/guide/topup/index.html");
    assert_eq!(attrs(&en, ".content img", "src"), ["../photo.png"]);
    let css = attrs(&en, "link[rel=stylesheet]", "href");
    let hashed = |c: &String| {
        c.strip_prefix("../../../static/style.")
            .and_then(|r| r.strip_suffix(".css"))
            .is_some_and(|h| h.len() == 8 && h.chars().all(|x| x.is_ascii_hexdigit()))
    };
    assert!(css.iter().any(hashed), "{css:?}");
    let icon = attrs(&en, "link[rel=icon]", "href");
    assert!(icon[0].starts_with("../../../static/favicon."), "{icon:?}");
}

#[test]
fn theme_parts_are_present() {
    let site = built();
    let doc = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        texts(&doc, ".breadcrumbs li"),
        ["Fixture home", "Guide", "Top up"]
    );
    assert_eq!(
        attrs(&doc, "meta[name=description]", "content"),
        ["How to top up."]
    );
    assert_eq!(
        attrs(&doc, "meta[property='og:title']", "content"),
        ["Top up"]
    );
    assert_eq!(attrs(&doc, "a[rel=prev]", "href"), ["../index.html"]);
    assert_eq!(attrs(&doc, "a[rel=next]", "href"), ["../deep/index.html"]);
    let nav = texts(&doc, "#site-nav a");
    assert!(
        nav.starts_with(&[
            "Guide".to_owned(),
            "Top up".to_owned(),
            "Deep section".to_owned()
        ]),
        "{nav:?}"
    );
    assert_eq!(
        attrs(&doc, "#site-nav a[aria-current=page]", "href"),
        ["index.html"]
    );
    assert_eq!(doc.select(&sel("main[data-search-body] h1")).count(), 1);
}

#[test]
fn root_picker_404_sitemap_and_robots() {
    let site = built();
    let root = site.html("public/index.html");
    assert_eq!(
        attrs(&root, "ul.languages a", "href"),
        ["en/index.html", "zh/index.html", "ru/index.html"]
    );
    assert_eq!(
        attrs(&root, "ul.languages a", "lang"),
        ["en", "zh-Hans", "ru"]
    );
    assert_eq!(root.select(&sel("script")).count(), 1);
    let not_found = site.html("public/404.html");
    // Relative to the site root, which the 404's own script finds at any depth
    // (tests/web_files.rs, tests/browser/webfiles.test.js).
    assert_eq!(
        attrs(&not_found, "ul.languages a", "href")[0],
        "en/index.html"
    );
    let sitemap = site.read("public/sitemap.xml");
    let doc = scraper::Html::parse_fragment(&sitemap);
    let locs = texts(&doc, "loc");
    assert_eq!(locs.len(), 23);
    assert!(locs.contains(&"https://example.org/guide/zh/guide/topup/".to_owned()));
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="ru" href="https://example.org/guide/ru/guide/topup/"/>"#));
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/guide/sitemap.xml")
    );
}

#[test]
fn two_builds_in_two_processes_are_identical() {
    let site = TestSite::fixture("basic");
    let a = site.steppe(&["build", "--out", "first"]);
    let b = site.steppe(&["build", "--out", "second-dir"]);
    assert!(a.status.success() && b.status.success());
    let (ta, tb) = (tree(&site.path("first")), tree(&site.path("second-dir")));
    assert!(ta.len() > 20);
    assert!(ta == tb, "the two trees differ");
}
