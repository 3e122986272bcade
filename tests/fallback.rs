//! Translation fallback: `missing_translation: fallback` (the default) builds a page a language
//! lacks from the default language's page, with a notice, `noindex` and a canonical link to the
//! original; `omit` builds nothing and sends links to the original. In both modes hreflang and
//! the sitemap list only real translations, links from translated pages resolve, and the
//! switcher shows every language.

mod common;
use common::*;

fn fixture(mode: Option<&str>) -> TestSite {
    let site = TestSite::fixture("fallback");
    if let Some(mode) = mode {
        let yaml = site.read("site.yaml");
        site.write("site.yaml", format!("{yaml}missing_translation: {mode}\n"));
    }
    site
}

/// (loc, hreflangs of its alternates) of every sitemap entry.
fn sitemap(site: &TestSite) -> Vec<(String, Vec<String>)> {
    let xml = site.read("public/sitemap.xml");
    let doc = scraper::Html::parse_fragment(&xml);
    doc.select(&sel("url"))
        .map(|u| {
            let loc = u.select(&sel("loc")).next().unwrap().text().collect();
            let langs = u
                .select(&sel("xhtml\\:link"))
                .map(|l| l.value().attr("hreflang").unwrap().to_owned())
                .collect();
            (loc, langs)
        })
        .collect()
}

#[test]
fn fallback_pages_are_built_with_notice_noindex_and_canonical() {
    let site = fixture(None);
    let out = site.build();
    let err = stderr(&out);
    assert!(
        err.contains("warning: content/ru: 3 pages not translated into 'ru' (built from 'en' with a notice): faq.md, folder/_index.md, folder/page.md"),
        "{err}"
    );
    assert!(
        err.contains("warning: content/kk: 4 pages not translated into 'kk'"),
        "{err}"
    );
    // At the URL the translation would have, slug included.
    assert!(site.path("public/ru/folder/renamed/index.html").is_file());
    let doc = site.html("public/ru/faq/index.html");
    assert_eq!(attrs(&doc, "html", "lang"), ["ru"]);
    assert_eq!(
        texts(&doc, ".fallback-notice"),
        ["Эта страница ещё не переведена. Ниже — оригинал на языке: English"]
    );
    assert_eq!(
        attrs(&doc, ".fallback-notice a", "href"),
        ["../../en/faq/index.html"]
    );
    assert_eq!(attrs(&doc, "meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://docs.example/en/faq/"]
    );
    // The body is the original's, marked as such; its links lead where they lead there.
    assert_eq!(attrs(&doc, ".content", "lang"), ["en"]);
    assert_eq!(texts(&doc, ".content h2"), ["How do I ask?"]);
    // (Heading anchors, `#ask`, link within the page.)
    assert_eq!(
        attrs(&doc, ".content a:not(.anchor)", "href"),
        ["../../en/guide/index.html"]
    );
    assert_eq!(attrs(&doc, ".content img", "src"), ["../../en/photo.png"]);
    // The page chrome is the reader's language.
    assert_eq!(texts(&doc, ".skip"), ["Перейти к содержанию"]);
    // A language's search index holds only its own pages: the copy's words are not in it.
    let terms = |lang: &str| -> String {
        tree(&site.path(&format!("public/search/{lang}")))
            .into_iter()
            .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
            .collect()
    };
    assert!(terms("en").contains("[\"ask\","), "the original is indexed");
    assert!(!terms("ru").contains("[\"ask\","), "the copy is not");
    // A real translation has none of it.
    let real = site.html("public/ru/guide/index.html");
    assert!(texts(&real, ".fallback-notice").is_empty());
    assert!(attrs(&real, "meta[name=robots]", "content").is_empty());
    assert_eq!(
        attrs(&real, "link[rel=canonical]", "href"),
        ["https://docs.example/ru/guide/"]
    );
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn fallback_hreflang_sitemap_switcher_and_links() {
    let site = fixture(Some("fallback"));
    site.build();
    // hreflang lists only real translations, on the original and on the copy.
    for page in ["public/en/faq/index.html", "public/ru/faq/index.html"] {
        let doc = site.html(page);
        assert_eq!(
            attrs(&doc, "link[rel=alternate]", "hreflang"),
            ["en", "x-default"],
            "{page}"
        );
    }
    let guide = site.html("public/en/guide/index.html");
    assert_eq!(
        attrs(&guide, "link[rel=alternate]", "hreflang"),
        ["en", "ru", "x-default"]
    );
    // The sitemap leaves the copies out.
    let entries = sitemap(&site);
    let locs: Vec<&str> = entries.iter().map(|(l, _)| l.as_str()).collect();
    assert!(locs.contains(&"https://docs.example/en/faq/"), "{locs:?}");
    assert!(locs.contains(&"https://docs.example/ru/guide/"), "{locs:?}");
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("/ru/faq/") || l.contains("/kk/guide/"))
    );
    let faq = entries
        .iter()
        .find(|(l, _)| l.ends_with("/en/faq/"))
        .unwrap();
    assert_eq!(faq.1, ["en"]);
    // The switcher shows every language and marks the fallbacks.
    let doc = site.html("public/en/faq/index.html");
    assert_eq!(
        texts(&doc, ".switcher a"),
        ["English", "Русский", "Қазақша"]
    );
    assert_eq!(
        attrs(&doc, ".switcher a[data-fallback]", "lang"),
        ["ru", "kk"]
    );
    assert_eq!(
        attrs(&doc, ".switcher a", "href"),
        [
            "index.html",
            "../../ru/faq/index.html",
            "../../kk/faq/index.html"
        ]
    );
    // Links from a translated page lead to the copy in the reader's language.
    let ru = site.html("public/ru/guide/index.html");
    assert_eq!(
        attrs(&ru, ".content a", "href"),
        ["../faq/index.html#ask", "../folder/renamed/index.html"]
    );
    assert!(attrs(&ru, ".switcher a[data-fallback]", "lang") == ["kk"]);
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn omit_builds_nothing_and_links_lead_to_the_original() {
    let site = fixture(Some("omit"));
    let out = site.build();
    assert!(
        stderr(&out)
            .contains("3 pages not translated into 'ru' (not built; links lead to 'en'): faq.md"),
        "{}",
        stderr(&out)
    );
    assert!(!site.path("public/ru/faq").exists());
    assert!(!site.path("public/ru/folder").exists());
    assert!(!site.path("public/kk/guide").exists());
    let ru = site.html("public/ru/guide/index.html");
    assert_eq!(
        attrs(&ru, ".content a", "href"),
        [
            "../../en/faq/index.html#ask",
            "../../en/folder/renamed/index.html"
        ]
    );
    // The switcher still shows every language; where the page is missing it leads home.
    let doc = site.html("public/en/faq/index.html");
    assert_eq!(
        texts(&doc, ".switcher a"),
        ["English", "Русский", "Қазақша"]
    );
    assert_eq!(
        attrs(&doc, ".switcher a[data-missing]", "href"),
        ["../../ru/index.html", "../../kk/index.html"]
    );
    assert!(attrs(&doc, ".switcher a[data-fallback]", "lang").is_empty());
    assert_eq!(
        attrs(&doc, "link[rel=alternate]", "hreflang"),
        ["en", "x-default"]
    );
    let locs: Vec<String> = sitemap(&site).into_iter().map(|(l, _)| l).collect();
    assert!(!locs.iter().any(|l| l.contains("/ru/faq/")), "{locs:?}");
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn an_unknown_mode_is_located() {
    let site = fixture(Some("fallbak"));
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("error: site.yaml:"), "{err}");
    assert!(err.contains("unknown variant 'fallbak'"), "{err}");
}

#[test]
fn without_base_url_the_canonical_link_is_relative() {
    let site = fixture(None);
    let out = site.steppe(&["build", "--base-url", ""]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = site.html("public/kk/faq/index.html");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["../../en/faq/index.html"]
    );
    // Real pages keep having none without a base_url.
    let real = site.html("public/en/faq/index.html");
    assert!(attrs(&real, "link[rel=canonical]", "href").is_empty());
}
