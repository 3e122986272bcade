//! Navigation markup (issue 12): heading anchors, the header's menu and search box, "On this
//! page", back-to-top and `short_title`, checked by parsing the built HTML and search index.
//! Their behaviour in a browser is tested by tests/browser/navigation.test.js.

mod common;

use common::{TestSite, attrs, search_docs, sel, stderr, texts};

/// Every h2–h4 of a page's content ends with an empty link to its own id, named in the page's
/// language; h1 and h5 get none.
#[test]
fn headings_carry_an_anchor_to_their_own_id() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/anchors.md",
        "---\ntitle: Anchors\n---\n## Top up \"now\" {#top-up}\n\ntext\n\n### Kaspi <b>bank</b>\n\n\
         #### Deep\n\n##### Too deep\n\n## Top up \"now\"\n",
    );
    site.build();
    let doc = site.html("public/en/anchors/index.html");
    let mut seen = Vec::new();
    for h in doc.select(&sel(".content :is(h2, h3, h4)")) {
        let id = h.value().attr("id").expect("heading id");
        let anchors: Vec<_> = h.select(&sel("a.anchor")).collect();
        assert_eq!(anchors.len(), 1, "one anchor in {}", h.html());
        let a = anchors[0];
        assert_eq!(a.value().attr("href"), Some(format!("#{id}").as_str()));
        assert_eq!(a.value().attr("aria-label"), Some("Link to this section"));
        assert_eq!(a.text().collect::<String>(), "", "the mark comes from CSS");
        // The anchor is the heading's last child: the heading's own text is unchanged.
        assert_eq!(
            h.last_child()
                .and_then(|c| c.value().as_element())
                .map(|e| e.name()),
            Some("a")
        );
        seen.push(id.to_owned());
    }
    assert_eq!(seen, ["top-up", "kaspi-bank", "deep", "top-up-now"]);
    assert_eq!(
        texts(&doc, ".content h2"),
        ["Top up \"now\"", "Top up \"now\""]
    );
    assert!(
        doc.select(&sel("h1 a.anchor, h5 a.anchor"))
            .next()
            .is_none()
    );
    // The table of contents keeps the plain heading text.
    assert_eq!(
        texts(&doc, ".toc nav a"),
        ["Top up \"now\"", "Kaspi bank", "Top up \"now\""]
    );
    assert_eq!(
        attrs(&doc, ".toc nav a", "href"),
        ["#top-up", "#kaspi-bank", "#top-up-now"]
    );
}

/// The label is the page language's UI string (`anchor_label`), so a site can reword it.
#[test]
fn anchor_labels_follow_the_language_and_site_strings() {
    let site = TestSite::fixture("basic");
    site.build();
    let ru = site.html("public/ru/guide/topup/index.html");
    assert_eq!(
        attrs(&ru, "h2 a.anchor", "aria-label")[0],
        "Ссылка на этот раздел"
    );
    let zh = site.html("public/zh/faq/index.html");
    assert_eq!(attrs(&zh, "h2 a.anchor", "aria-label")[0], "本节链接");

    site.write(
        "i18n/en.yaml",
        site.read("i18n/en.yaml") + "\nanchor_label: Permalink\n",
    );
    site.build();
    let en = site.html("public/en/faq/index.html");
    assert_eq!(attrs(&en, "h2 a.anchor", "aria-label"), ["Permalink"]);
}

/// The search index reads heading text: the anchors add neither a "#" nor their label to it.
#[test]
fn anchors_add_nothing_to_the_search_index() {
    let site = TestSite::fixture("basic");
    site.build();
    let mut headings = Vec::new();
    for lang in ["en", "ru", "zh"] {
        let (docs, chunks) = search_docs(&site.path("public"), lang);
        assert!(!chunks.is_empty(), "{lang}: no document chunks");
        for text in &chunks {
            // Nor do back-to-top and the "On this page" summary (data-search-ignore; their zh
            // words, which the fixture's text does not use).
            for label in [
                "Link to this section",
                "Ссылка на этот раздел",
                "本节链接",
                "回到顶部",
                "本页内容",
            ] {
                assert!(!text.contains(label), "{lang}: {label}");
            }
        }
        for doc in docs {
            assert!(!doc.heading.contains('#'), "{}", doc.heading);
            headings.push(doc.heading);
        }
    }
    assert!(
        headings.iter().any(|h| h == "Can I top up from abroad?"),
        "{headings:?}"
    );
}

/// The header works without script and is ready for it: a menu link and a menu button both
/// lead to the navigation; the search box is in the HTML (so its space is taken before the
/// script runs) with its input disabled until search.js is ready; "On this page" is a
/// <details>; back-to-top links to the h1.
#[test]
fn header_toc_and_back_to_top_markup() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/guide/topup/index.html");
    assert_eq!(attrs(&doc, "header a.menu-link", "href"), ["#site-nav"]);
    let button = doc
        .select(&sel("header button.menu-button"))
        .next()
        .expect("menu button");
    assert_eq!(button.value().attr("aria-expanded"), Some("false"));
    assert_eq!(button.value().attr("aria-controls"), Some("site-nav"));
    assert!(doc.select(&sel("nav#site-nav a")).count() > 1);

    let search = doc
        .select(&sel("header [data-steppe-search]"))
        .next()
        .expect("search box");
    assert_eq!(
        search.value().attr("hidden"),
        None,
        "the box takes its space from the start"
    );
    assert!(doc.select(&sel("#search-input[disabled]")).next().is_some());
    // search.css is in the head, before the body is drawn.
    let head_css = attrs(&doc, "head link[rel=stylesheet]", "href");
    assert!(
        head_css.iter().any(|h| h.contains("static/search.")),
        "{head_css:?}"
    );
    assert!(
        doc.select(&sel("body link[rel=stylesheet]"))
            .next()
            .is_none()
    );

    assert_eq!(texts(&doc, "details.lang-menu nav.switcher a").len(), 3);
    assert_eq!(attrs(&doc, "main a.to-top", "href"), ["#top"]);
    assert_eq!(attrs(&doc, "main h1", "id"), ["top"]);
    // "On this page" (a page with two headings): closed, out of the search index.
    let doc = site.html("public/zh/guide/topup/index.html");
    let toc = doc.select(&sel("main details.toc")).next().expect("toc");
    assert!(toc.value().attr("open").is_none());
    assert!(toc.value().attr("data-search-ignore").is_some());
    assert_eq!(texts(&doc, "details.toc > summary").len(), 1);
    assert_eq!(
        attrs(&doc, "details.toc > nav a", "href"),
        ["#如何充值", "#如何充值-1"]
    );
    // The wide layout's rail is decided by a body class, there from the first byte.
    assert!(doc.select(&sel("body.has-toc")).next().is_some());
    let home = site.html("public/zh/index.html");
    assert!(
        home.select(&sel("body.has-toc, details.toc"))
            .next()
            .is_none()
    );
}

/// `short_title` is the header's title on a phone, the full title staying in `title=`; a site
/// without it shows the full title only.
#[test]
fn short_title_per_language() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/index.html");
    assert!(doc.select(&sel(".brand-short")).next().is_none());
    assert_eq!(texts(&doc, ".brand"), ["Fixture Guide"]);
    assert_eq!(attrs(&doc, ".brand", "title"), ["Fixture Guide"]);

    let yaml = site.read("site.yaml");
    let with = yaml.replacen(
        "description:",
        "short_title: {en: Fixture, zh: 测试, ru: Тест}\ndescription:",
        1,
    );
    site.write("site.yaml", &with);
    site.build();
    let doc = site.html("public/ru/index.html");
    assert_eq!(texts(&doc, ".brand .brand-short"), ["Тест"]);
    assert_eq!(texts(&doc, ".brand .brand-full"), ["Тестовое руководство"]);
    assert_eq!(attrs(&doc, ".brand", "title"), ["Тестовое руководство"]);

    // One string for every language works too; a map must name every language.
    site.write(
        "site.yaml",
        yaml.replacen("description:", "short_title: FG\ndescription:", 1),
    );
    site.build();
    assert_eq!(
        texts(&site.html("public/zh/index.html"), ".brand-short"),
        ["FG"]
    );
    let bad = yaml.replacen(
        "description:",
        "short_title: {en: Fixture}\ndescription:",
        1,
    );
    site.write("site.yaml", &bad);
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let line = bad
        .lines()
        .position(|l| l.starts_with("short_title"))
        .unwrap()
        + 1;
    let err = stderr(&out);
    assert!(err.contains(&format!("site.yaml:{line}:")), "{err}");
    assert!(err.contains("zh"), "{err}");
}
