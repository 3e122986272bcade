//! The built-in theme: overridden by a site file by file, ejected for editing, neutral words with
//! site-level string overrides, and code and math rendered at build time.

mod common;
use common::*;

#[test]
fn one_template_overridden_by_the_site_the_rest_built_in() {
    let site = TestSite::fixture("basic");
    assert!(!site.path("themes").exists(), "the fixture has no theme");
    let page = built_in("templates/page.html");
    let marked = page.replacen(
        "{% block content %}",
        "{% block content %}<p class=\"site-own\">mine</p>",
        1,
    );
    assert_ne!(page, marked, "page.html has a content block");
    site.write("themes/default/templates/page.html", marked);
    site.build();
    let faq = site.html("public/en/faq/index.html");
    assert_eq!(texts(&faq, ".site-own"), ["mine"]);
    // base.html, the partials and the static files still come from the built-in theme.
    assert_eq!(texts(&faq, "header.site-header .brand"), ["Fixture Guide"]);
    let home = site.html("public/en/index.html");
    assert!(
        texts(&home, ".site-own").is_empty(),
        "home.html is not page.html"
    );
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn a_broken_override_is_reported_at_the_site_file() {
    let site = TestSite::fixture("basic");
    site.write("themes/default/templates/partials/nav.html", "{% if %}");
    let out = site.steppe(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: themes/default/templates/partials/nav.html:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ejected_theme_builds_the_same_site() {
    let site = TestSite::fixture("basic");
    // The record of the inputs names the theme's files, which the eject added: compare the
    // site, not it.
    let site_files = || {
        let mut t = tree(&site.path("public"));
        t.retain(|(path, _)| path != ".steppe-inputs");
        t
    };
    site.build();
    let before = site_files();
    let out = site.steppe(&["theme", "eject"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        built_in("templates/base.html"),
        built_in("templates/base.html")
    );
    site.build();
    assert!(before == site_files(), "output changed");
    // A second eject would overwrite the user's edits: refused.
    let again = site.steppe(&["theme", "eject"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
}

#[test]
fn theme_words_are_neutral_and_the_guide_keeps_its_own() {
    let plain = TestSite::fixture("rtl");
    plain.build();
    let doc = plain.html("public/en/page/index.html");
    assert_eq!(texts(&doc, ".search-label"), ["Search"]);
    assert!(texts(&doc, "footer").is_empty(), "no footer without a note");

    let guide = TestSite::real();
    guide.build();
    let en = guide.html("public/en/faq/index.html");
    assert_eq!(texts(&en, ".search-label"), ["Search the guide"]);
    assert!(texts(&en, "footer")[0].starts_with("Codes, prices and rules change"));
    let zh = guide.html("public/zh/faq/index.html");
    assert_eq!(texts(&zh, ".search-label"), ["搜索本指南"]);
}

#[test]
fn unknown_site_string_is_a_located_error() {
    let site = TestSite::fixture("rtl");
    site.write("i18n/en.yaml", "search_label: Find\nserch_placeholder: x\n");
    let out = site.steppe(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("i18n/en.yaml:2:1: unknown UI string 'serch_placeholder'"),
        "{err}"
    );
    assert!(err.contains("did you mean 'search_placeholder'?"), "{err}");
}

#[test]
fn fenced_code_is_highlighted_with_classes_light_and_dark() {
    let site = TestSite::fixture("rtl");
    site.write(
        "content/en/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() { let n = 1; }\n```\n\n```\n<plain & simple>\n```\n",
    );
    site.build();
    let doc = site.html("public/en/code/index.html");
    let spans = attrs(&doc, "pre.hl-code code.language-rust span", "class");
    assert!(spans.iter().any(|c| c.contains("hl-keyword")), "{spans:?}");
    assert!(
        spans
            .iter()
            .all(|c| c.split(' ').all(|w| w.starts_with("hl-")))
    );
    assert!(
        attrs(&doc, "pre span", "style").is_empty(),
        "classes, never inline colours"
    );
    assert_eq!(texts(&doc, "pre:not(.hl-code) code"), ["<plain & simple>"]);
    // No script highlights: the page's script files are search and navigation; inline ones are
    // the `js` class line, the JSON-LD and the service worker's registration.
    assert!(doc.select(&sel("script[src]")).all(|s| {
        s.value()
            .attr("src")
            .is_some_and(|src| src.contains("/search.") || src.contains("/nav."))
    }));
    // The highlight sheet is linked and has light rules and dark ones.
    let href = attrs(&doc, "link[rel=stylesheet]", "href")
        .into_iter()
        .find(|h| h.contains("highlight."))
        .expect("highlight.css linked");
    let css = std::fs::read_to_string(
        resolve_link(&site.path("public"), "en/code/index.html", &href).unwrap(),
    )
    .unwrap();
    let dark = css
        .find("@media (prefers-color-scheme: dark)")
        .expect("dark rules");
    assert!(css[..dark].contains(".hl-keyword"), "light rules");
    assert!(css[dark..].contains(".hl-keyword"), "dark rules");
}

#[test]
fn math_becomes_mathml_unmangled() {
    let site = TestSite::fixture("rtl");
    site.write(
        "content/en/math.md",
        "---\ntitle: Math\n---\nInline $a^2$ and display:\n\n$$\\int x\\,dx$$\n",
    );
    site.build();
    let doc = site.html("public/en/math/index.html");
    assert_eq!(attrs(&doc, "math", "display"), ["inline", "block"]);
    assert_eq!(
        texts(&doc, "math[display=block] annotation"),
        ["\\int x\\,dx"]
    );
    let shown = texts(&doc, "math[display=block] mo");
    assert!(shown.iter().any(|t| t == "∫"), "{shown:?}");

    site.write(
        "content/en/math.md",
        "---\ntitle: Math\n---\nBad $$\\frac{1}$$\n",
    );
    let out = site.steppe(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/en/math.md:4: math:"),
        "{}",
        stderr(&out)
    );
}

/// A page's view holds only the parts its template can read (`src/render/reads.rs`): the
/// built-in `page.html` names no `collections`, so an ordinary page's view has none. A
/// `page.html` that reads them through a partial it includes must still get every item, each
/// linked relative to the page: the parts a template reads include its includes'.
#[test]
fn a_template_that_names_collections_through_a_partial_gets_them() {
    let site = TestSite::fixture("products");
    let chooser = "<ul class=\"chooser\">{% for c in collections %}{% for o in c.items %}\
                   <li><a href=\"{{ o.href }}\">{{ o.title }}</a></li>{% endfor %}{% endfor %}</ul>";
    site.write("themes/default/templates/partials/chooser.html", chooser);
    let page = built_in("templates/page.html");
    assert!(
        !page.contains("collections"),
        "the built-in page.html reads no collections"
    );
    let with_partial = page.replacen(
        "{% block content %}",
        "{% block content %}{% include \"partials/chooser.html\" %}",
        1,
    );
    assert_ne!(page, with_partial, "page.html has a content block");
    site.write("themes/default/templates/page.html", &with_partial);
    assert!(site.build().status.success());
    let reading = site.html("public/en/reading/index.html");
    let hrefs = attrs(&reading, "ul.chooser a", "href");
    assert_eq!(hrefs.len(), 3, "the fixture's three products: {hrefs:?}");
    let out = site.path("public");
    for href in &hrefs {
        let file = resolve_link(&out, "en/reading/index.html", href).unwrap();
        assert!(file.is_file(), "{href} from en/reading/ does not resolve");
    }
    assert!(
        texts(&reading, "ul.chooser a")
            .iter()
            .any(|t| t == "Night light")
    );
}
