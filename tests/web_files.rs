//! The files a site gives browsers and search engines besides its pages (issue 12): the 404
//! that works anywhere, JSON-LD, link previews, the web manifests and the offline lists of the
//! service worker. Built from `tests/fixtures/webfiles` with the real binary.

mod common;

use common::*;
use scraper::Html;
use serde_json::Value;

const BASE: &str = "https://example.org/docs/";

fn built() -> TestSite {
    let site = TestSite::fixture("webfiles");
    site.build();
    site
}

/// Every node of the page's JSON-LD graphs, with the raw text of each script.
fn json_ld(doc: &Html) -> (Vec<Value>, Vec<String>) {
    let raw: Vec<String> = doc
        .select(&sel(r#"script[type="application/ld+json"]"#))
        .map(|s| s.inner_html())
        .collect();
    let nodes = raw
        .iter()
        .flat_map(|text| {
            let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(v["@context"], "https://schema.org");
            v["@graph"].as_array().expect("a @graph").clone()
        })
        .collect();
    (nodes, raw)
}

fn of_type<'a>(nodes: &'a [Value], kind: &str) -> Option<&'a Value> {
    nodes.iter().find(|n| n["@type"] == kind)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

#[test]
fn breadcrumbs_list_every_level_with_absolute_urls() {
    let site = built();
    let (nodes, _) = json_ld(&site.html("public/en/guide/page/index.html"));
    let list = of_type(&nodes, "BreadcrumbList").expect("BreadcrumbList");
    let items = list["itemListElement"].as_array().unwrap();
    let got: Vec<(u64, &str, &str)> = items
        .iter()
        .map(|i| {
            assert_eq!(i["@type"], "ListItem");
            (
                i["position"].as_u64().unwrap(),
                text(&i["name"]),
                text(&i["item"]),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "Home", "https://example.org/docs/en/"),
            (2, "Guide", "https://example.org/docs/en/guide/"),
            (3, "A page", "https://example.org/docs/en/guide/page/"),
        ]
    );
    // A language home has no trail.
    let (home, _) = json_ld(&site.html("public/en/index.html"));
    assert!(of_type(&home, "BreadcrumbList").is_none());
}

#[test]
fn homes_carry_website_and_organization() {
    let site = built();
    for (lang, name) in [("en", "Web Files Guide"), ("ru", "Руководство")] {
        let (nodes, _) = json_ld(&site.html(&format!("public/{lang}/index.html")));
        let web = of_type(&nodes, "WebSite").expect("WebSite");
        assert_eq!(web["name"], name);
        assert_eq!(web["inLanguage"], lang);
        assert_eq!(web["url"], format!("{BASE}{lang}/"));
        let org = of_type(&nodes, "Organization").expect("Organization");
        assert_eq!(org["url"], BASE);
        assert_eq!(org["name"], name);
        let logo = text(&org["logo"])
            .strip_prefix(BASE)
            .expect("absolute logo");
        assert!(site.path("public").join(logo).is_file(), "{logo}");
    }
}

#[test]
fn question_headings_make_an_faq_with_plain_text_answers() {
    let site = built();
    let (nodes, _) = json_ld(&site.html("public/en/faq/index.html"));
    let faq = of_type(&nodes, "FAQPage").expect("FAQPage without front matter");
    let qa: Vec<(&str, &str)> = faq["mainEntity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            assert_eq!(q["@type"], "Question");
            assert_eq!(q["acceptedAnswer"]["@type"], "Answer");
            (text(&q["name"]), text(&q["acceptedAnswer"]["text"]))
        })
        .collect();
    assert_eq!(
        qa,
        [
            (
                "Can I top up from abroad?",
                "Yes, with the official app or a bank. Most of them."
            ),
            ("Which banks?", "Most of them."),
            (
                "How long does it take?",
                "A few minutes. Way Time App 1 min"
            ),
        ]
    );
    // Marked in front matter, with a full-width question mark.
    let (ru, _) = json_ld(&site.html("public/ru/faq/index.html"));
    let faq = of_type(&ru, "FAQPage").expect("schema: faq");
    assert_eq!(faq["inLanguage"], "ru");
    assert_eq!(faq["mainEntity"].as_array().unwrap().len(), 2);
    assert_eq!(
        faq["mainEntity"][0]["name"],
        "Можно ли пополнить из-за границы？"
    );
    // One question among other headings is no FAQ.
    let (notes, _) = json_ld(&site.html("public/en/notes/index.html"));
    assert!(of_type(&notes, "FAQPage").is_none());
}

#[test]
fn a_howto_page_takes_its_steps_from_the_first_ordered_list() {
    let site = built();
    let (nodes, _) = json_ld(&site.html("public/en/steps/index.html"));
    let howto = of_type(&nodes, "HowTo").expect("HowTo");
    assert_eq!(howto["name"], "Replace a SIM");
    assert_eq!(howto["description"], "Three steps at the office.");
    let steps: Vec<&str> = howto["step"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["@type"], "HowToStep");
            text(&s["text"])
        })
        .collect();
    assert_eq!(
        steps,
        [
            "Go to the office.",
            "Ask for a replacement SIM.",
            "Check that calls work."
        ]
    );
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = built();
    let html = site.read("public/en/notes/index.html");
    let (nodes, raw) = json_ld(&Html::parse_document(&html));
    assert!(
        raw.iter()
            .all(|r| !r.contains('<') && r.contains("\\u003c/script"))
    );
    let crumbs = of_type(&nodes, "BreadcrumbList").unwrap();
    assert_eq!(
        crumbs["itemListElement"][1]["name"],
        "Notes </script><!-- & more"
    );
}

#[test]
fn without_base_url_what_needs_an_absolute_url_is_left_out() {
    let site = TestSite::fixture("webfiles");
    let out = site.steppe(&["build", "--base-url", ""]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (page, _) = json_ld(&site.html("public/en/guide/page/index.html"));
    assert!(page.is_empty(), "no BreadcrumbList: {page:?}");
    let (home, _) = json_ld(&site.html("public/en/index.html"));
    assert!(home.is_empty(), "no WebSite or Organization: {home:?}");
    let (faq, _) = json_ld(&site.html("public/en/faq/index.html"));
    assert!(of_type(&faq, "FAQPage").is_some(), "an FAQ needs no URL");
    let doc = site.html("public/en/faq/index.html");
    assert!(attrs(&doc, r#"meta[property="og:image"]"#, "content").is_empty());
    assert_eq!(
        attrs(&doc, r#"meta[name="twitter:card"]"#, "content"),
        ["summary"]
    );
}

#[test]
fn link_previews_name_an_image_that_exists() {
    let site = built();
    let doc = site.html("public/ru/faq/index.html");
    let image = attrs(&doc, r#"meta[property="og:image"]"#, "content");
    assert_eq!(image.len(), 1);
    let path = image[0].strip_prefix(BASE).expect("absolute");
    assert!(site.path("public").join(path).is_file(), "{path}");
    assert_eq!(
        attrs(&doc, r#"meta[property="og:image:alt"]"#, "content"),
        ["Руководство"]
    );
    assert_eq!(
        attrs(&doc, r#"meta[name="twitter:card"]"#, "content"),
        ["summary_large_image"]
    );
    let colours = attrs(&doc, r#"meta[name="theme-color"]"#, "media");
    assert_eq!(
        colours,
        [
            "(prefers-color-scheme: light)",
            "(prefers-color-scheme: dark)"
        ]
    );
}

#[test]
fn og_image_from_site_yaml_and_front_matter() {
    let site = TestSite::fixture("webfiles");
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{yaml}og_image: en/guide/card.png\nog_image_alt: {{en: A card, ru: Карточка}}\n"),
    );
    let page = site.read("content/en/guide/page.md");
    site.write(
        "content/en/guide/page.md",
        page.replace("title: A page", "title: A page\nog_image: card.png"),
    );
    site.write(
        "content/ru/faq.md",
        site.read("content/ru/faq.md").replace(
            "schema: faq",
            "schema: faq\nog_image: https://cdn.example/q.png",
        ),
    );
    site.build();
    let image = |rel: &str| {
        let doc = site.html(rel);
        let src = attrs(&doc, r#"meta[property="og:image"]"#, "content");
        let alt = attrs(&doc, r#"meta[property="og:image:alt"]"#, "content");
        (src[0].clone(), alt[0].clone())
    };
    let card = (format!("{BASE}en/guide/card.png"), "A card".to_owned());
    assert_eq!(image("public/en/index.html"), card);
    assert_eq!(image("public/en/guide/page/index.html"), card);
    assert_eq!(
        image("public/ru/faq/index.html"),
        (
            "https://cdn.example/q.png".to_owned(),
            "Карточка".to_owned()
        )
    );
}

#[test]
fn an_og_image_that_is_not_there_fails_at_its_line() {
    let site = TestSite::fixture("webfiles");
    let page = site.read("content/en/guide/page.md");
    site.write(
        "content/en/guide/page.md",
        page.replace("title: A page", "title: A page\nog_image: nope.png"),
    );
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/en/guide/page.md:3:") && err.contains("og_image 'nope.png'"),
        "{err}"
    );
    assert!(
        !site.path("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn manifests_parse_and_their_icons_exist() {
    let site = built();
    for lang in ["en", "ru"] {
        let rel = format!("public/{lang}/manifest.webmanifest");
        let m: Value = serde_json::from_str(&site.read(&rel)).unwrap();
        for key in ["name", "short_name", "start_url", "scope", "display"] {
            assert!(m[key].is_string(), "{rel}: {key}");
        }
        assert!(text(&m["theme_color"]).starts_with('#'));
        assert!(text(&m["background_color"]).starts_with('#'));
        let icons = m["icons"].as_array().unwrap();
        let sizes: Vec<&str> = icons.iter().map(|i| text(&i["sizes"])).collect();
        assert!(
            sizes.contains(&"192x192") && sizes.contains(&"512x512"),
            "{sizes:?}"
        );
        for icon in icons {
            // Relative to the manifest, in <lang>/.
            let src = text(&icon["src"]).strip_prefix("../").expect("relative");
            assert!(site.path("public").join(src).is_file(), "{src}");
        }
        let doc = site.html(&format!("public/{lang}/faq/index.html"));
        assert_eq!(
            attrs(&doc, r#"link[rel="manifest"]"#, "href"),
            [format!("../../{lang}/manifest.webmanifest")]
        );
    }
}

#[test]
fn the_404_has_every_language_and_no_absolute_links() {
    let site = built();
    let html = site.read("public/404.html");
    let doc = Html::parse_document(&html);
    assert!(!html.contains("example.org/docs/en") && !html.contains("https://example.org/docs/\""));
    let links: Vec<String> = ["a[href]", "link[href]", "form[action]", "script[src]"]
        .iter()
        .flat_map(|css| {
            let attr = if css.starts_with("form") {
                "action"
            } else if css.starts_with("script") {
                "src"
            } else {
                "href"
            };
            attrs(&doc, css, attr)
        })
        .collect();
    assert!(links.len() >= 6, "{links:?}");
    for link in &links {
        assert!(!link.contains(':') && !link.starts_with('/'), "{link}");
        assert!(
            site.path("public").join(link).is_file(),
            "{link} from the root"
        );
    }
    // Every language's block with its own text, home and search form.
    let blocks = attrs(&doc, "section.not-found-lang", "data-lang");
    assert_eq!(blocks, ["en", "ru"]);
    assert_eq!(
        texts(&doc, "section[data-lang=ru] h1"),
        ["Страница не найдена"]
    );
    assert_eq!(
        attrs(&doc, "section[data-lang=ru] form", "action"),
        ["ru/index.html"]
    );
    // The script that sets <base href> comes before the stylesheet.
    let script = html.find("<script>").unwrap();
    assert!(script < html.find("rel=\"stylesheet\"").unwrap());
    assert!(
        html.contains(r#""base":"/docs/""#),
        "base_url's path for the script"
    );
}

/// The offline list of `lang`: (pages, search files).
fn list(site: &TestSite, lang: &str) -> (Vec<String>, Vec<String>) {
    let v: Value =
        serde_json::from_str(&site.read(&format!("public/offline/{lang}.json"))).unwrap();
    let strings = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|s| text(s).to_owned())
            .collect()
    };
    (strings("pages"), strings("search"))
}

#[test]
fn offline_lists_name_the_language_pages_and_search_files() {
    let site = built();
    let (pages, search) = list(&site, "en");
    assert_eq!(pages[0], "en/index.html", "home first");
    assert_eq!(pages.len(), 6, "{pages:?}");
    assert!(pages.iter().all(|p| p.starts_with("en/")));
    assert!(
        search.contains(&"search/en/index.js".to_owned()),
        "{search:?}"
    );
    assert!(search.len() > 1 && search.iter().all(|s| s.starts_with("search/en/")));
    for f in pages.iter().chain(&search) {
        assert!(site.path("public").join(f).is_file(), "{f}");
    }
    let sw = site.read("public/sw.js");
    assert!(sw.contains(r#"var LANGS = ["en","ru"];"#), "{sw}");
    assert!(
        sw.contains("static/style."),
        "theme assets are stored at install"
    );
    // Every page registers the worker.
    let doc = site.html("public/en/faq/index.html");
    assert_eq!(attrs(&doc, "script[data-lang]", "data-root"), ["../../"]);
}

#[test]
fn max_pages_bounds_the_list_and_enabled_false_writes_nothing() {
    let site = TestSite::fixture("webfiles");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}offline: {{max_pages: 2}}\n"));
    site.build();
    let (pages, _) = list(&site, "en");
    assert_eq!(pages, ["en/index.html", "en/faq/index.html"]);
    site.write("site.yaml", format!("{yaml}offline: {{enabled: false}}\n"));
    site.build();
    assert!(!site.path("public/sw.js").exists());
    assert!(!site.path("public/offline").exists());
    let doc = site.html("public/en/faq/index.html");
    assert!(attrs(&doc, "script[data-lang]", "data-root").is_empty());
}

fn version(site: &TestSite) -> String {
    let sw = site.read("public/sw.js");
    let line = sw.lines().find(|l| l.starts_with("var VERSION")).unwrap();
    line.to_owned()
}

#[test]
fn the_worker_version_follows_the_build() {
    let site = built();
    let first = version(&site);
    site.build();
    assert_eq!(version(&site), first, "the same input, the same worker");
    let page = site.read("content/en/guide/page.md");
    site.write(
        "content/en/guide/page.md",
        format!("{page}\nOne more line.\n"),
    );
    site.build();
    assert_ne!(
        version(&site),
        first,
        "a changed page, a new worker and cache"
    );
}
