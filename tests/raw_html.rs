//! URL safety of raw HTML in Markdown, the external-link policy (`links:`) and `--base-url`,
//! through the real binary: refused URLs are located errors with exit 1 and an untouched
//! output; allowed ones reach the output as written.

mod common;
use common::*;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

#[path = "common/encodings.rs"]
mod encodings;

/// The basic fixture, built once so that a later failed build has an output to leave alone.
fn built_site() -> (TestSite, Vec<(String, Vec<u8>)>) {
    let site = TestSite::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    (site, before)
}

/// Builds, expects exit 1 and an unchanged `public/`; returns stderr.
fn refused(site: &TestSite, before: &[(String, Vec<u8>)]) -> String {
    let out = site.steppe(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(tree(&site.path("public")) == before, "the output changed");
    err
}

/// A page whose body lines start at line 4; each case is an HTML block of its own.
fn page_of(cases: &[String]) -> (String, Vec<usize>) {
    let mut text = String::from("---\ntitle: Cases\n---\n");
    let mut lines = Vec::new();
    for case in cases {
        lines.push(text.matches('\n').count() + 2);
        text.push_str(&format!("<div>\n{case}x\n</div>\n\n"));
    }
    (text, lines)
}

#[test]
fn each_reported_encoding_is_refused_at_its_line() {
    let (site, before) = built_site();
    let urls = [
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "&#106avascript:alert(1)",
        "&#x6A;&#x61&#x76;ascript:alert(1)",
        "java\tscript:alert(1)",
        "jav&NewLine;ascript:alert(1)",
        "java&#10;scr&#13;ipt:alert(1)",
        "\u{1}\u{1f} javascript:alert(1)",
        "&#x01;&#32;javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
    ];
    let cases: Vec<String> = urls.iter().map(|u| format!("<a href=\"{u}\">")).collect();
    let (text, lines) = page_of(&cases);
    site.write("content/en/enc.md", text);
    let err = refused(&site, &before);
    for (url, line) in urls.iter().zip(lines) {
        let at = format!("error: content/en/enc.md:{line}:1: raw HTML <a href>: ");
        assert!(err.contains(&at), "{url:?} not refused at {line}:\n{err}");
    }
    assert_eq!(err.matches("error:").count(), urls.len(), "{err}");
    assert!(
        err.contains("hint: link to a page or an https:// address instead"),
        "{err}"
    );
}

#[test]
fn every_url_bearing_attribute_is_checked() {
    let (site, before) = built_site();
    let cases = [
        "<img src=\"javascript:alert(1)\">",
        "<img srcset=\"a.png 1x, javascript:alert(1) 2x\">",
        "<source srcset=\"data:text/html,x 1x\">",
        "<form action=\"javascript:alert(1)\"></form>",
        "<button formaction=\"javascript:alert(1)\">b</button>",
        "<object data=\"data:text/html,x\"></object>",
        "<video poster=\"javascript:alert(1)\"></video>",
        "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
        "<table><tr><td background=\"javascript:alert(1)\">c</td></tr></table>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<iframe src=\"data:text/html,x\"></iframe>",
        "<a href=\"data:image/png;base64,AAAA\">",
        // Last: after an <svg>, the raw-text elements above would be refused for that too.
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>t</text></a></svg>",
    ]
    .map(String::from);
    let (text, lines) = page_of(&cases);
    site.write("content/en/attrs.md", text);
    let err = refused(&site, &before);
    for (case, line) in cases.iter().zip(lines) {
        let at = format!("content/en/attrs.md:{line}:");
        assert!(err.contains(&at), "{case} not refused at {line}:\n{err}");
    }
    assert_eq!(err.matches("error:").count(), cases.len(), "{err}");
}

#[test]
fn data_images_in_img_build_and_reach_the_output() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/img.md",
        "---\ntitle: Img\n---\n<img alt=\"dot\" src=\"data:image/png;base64,iVBORw0KGgo=\">\n\n![md](data:image/gif;base64,R0lGOD==)\n",
    );
    site.build();
    let doc = site.html("public/en/img/index.html");
    let srcs = attrs(&doc, "main img", "src");
    assert_eq!(
        srcs,
        [
            "data:image/png;base64,iVBORw0KGgo=",
            "data:image/gif;base64,R0lGOD=="
        ]
    );
}

#[test]
fn script_elements_and_handlers_are_refused() {
    let (site, before) = built_site();
    site.write(
        "content/en/s.md",
        "---\ntitle: S\n---\n<script>alert(1)</script>\n\nText <img src=\"x.png\" onerror=\"alert(1)\">\n\n<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>\n\n<div><a href=\"x\n\nmore\n",
    );
    let err = refused(&site, &before);
    assert!(
        err.contains("content/en/s.md:4:1: <script> in raw HTML is not allowed"),
        "{err}"
    );
    assert!(
        err.contains("content/en/s.md:6:6: event handler attribute 'onerror'"),
        "{err}"
    );
    assert!(err.contains("content/en/s.md:8:1: 'srcdoc'"), "{err}");
    assert!(
        err.contains("content/en/s.md:10:1: raw HTML ends inside an unfinished tag"),
        "{err}"
    );
}

/// The guide's own policy: `links: {external: allowlist}` in the fixture's site.yaml.
#[test]
fn the_allowlist_applies_to_raw_html_as_to_markdown() {
    let (site, before) = built_site();
    let cases = [
        "<a href=\"https://evil.com/\">x</a>",
        "<iframe src=\"https://evil.com/frame\"></iframe>",
        "<form action=\"https://evil.com/post\"></form>",
        "<img src=\"//evil.com/pixel.png\">",
        "<a href=\"https:\\\\evil.com/\">x</a>",
    ]
    .map(String::from);
    let (mut text, lines) = page_of(&cases);
    text.push_str("<a href=\"https://www.kcell.kz/\">fine</a> [also fine](https://egov.gov.kz/)\n");
    site.write("content/en/ext.md", text);
    let err = refused(&site, &before);
    for (case, line) in cases.iter().zip(lines) {
        let at = format!("content/en/ext.md:{line}:1: raw HTML ");
        assert!(err.contains(&at), "{case} not refused at {line}:\n{err}");
    }
    assert!(err.contains("is not on an allowed domain"), "{err}");
    assert_eq!(err.matches("error:").count(), cases.len(), "{err}");
}

fn with_policy(site: &TestSite, external: &str) {
    let yaml = site
        .read("site.yaml")
        .replace("external: allowlist", external);
    site.write("site.yaml", yaml);
}

#[test]
fn warn_policy_builds_and_locates_each_off_list_link() {
    let site = TestSite::fixture("basic");
    with_policy(&site, "external: warn");
    site.write(
        "content/en/w.md",
        "---\ntitle: W\n---\n[md](https://www.rust-lang.org/)\n\n<p>Raw <a href=\"https://evil.com/\">x</a></p>\n\n[ok](https://kcell.kz/)\n",
    );
    let out = site.build();
    let err = stderr(&out);
    assert!(
        err.contains("warning: content/en/w.md:4: link to https://www.rust-lang.org/ is not on an allowed domain"),
        "{err}"
    );
    assert!(
        err.contains("warning: content/en/w.md:6:8: raw HTML <a href>: link to https://evil.com/"),
        "{err}"
    );
    assert!(!err.contains("https://kcell.kz/"), "{err}");
    let hrefs = attrs(&site.html("public/en/w/index.html"), "main a", "href");
    assert!(hrefs.contains(&"https://evil.com/".to_owned()), "{hrefs:?}");
}

#[test]
fn allow_policy_is_the_default_but_scripts_stay_refused() {
    let site = TestSite::fixture("basic");
    let yaml = site.read("site.yaml");
    let start = yaml.find("links:").unwrap();
    let end = start + yaml[start..].find("collections:").unwrap();
    site.write("site.yaml", format!("{}{}", &yaml[..start], &yaml[end..]));
    site.write(
        "content/en/a.md",
        "---\ntitle: A\n---\n[rust](https://www.rust-lang.org/) <a href=\"https://evil.com/\">x</a>\n",
    );
    let out = site.build();
    assert!(!stderr(&out).contains("allowed domain"), "{}", stderr(&out));
    site.write(
        "content/en/a.md",
        "---\ntitle: A\n---\n<a href=\"java&#x09;script:x\">x</a>\n",
    );
    let out = site.steppe(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("content/en/a.md:4:1: raw HTML <a href>: script URLs"));
}

#[test]
fn top_level_allowed_domains_says_where_it_moved() {
    let site = TestSite::fixture("basic");
    let yaml = site.read("site.yaml").replace(
        "links:\n  external: allowlist\n  allowed_domains:\n",
        "allowed_domains:\n",
    );
    let line = yaml[..yaml.find("allowed_domains").unwrap()]
        .matches('\n')
        .count()
        + 1;
    site.write("site.yaml", yaml);
    let out = site.steppe(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "site.yaml:{line}:1: 'allowed_domains' has moved under 'links:'"
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: write `links: {external: allowlist"),
        "{err}"
    );
}

#[test]
fn base_url_from_the_command_line_is_checked_like_site_yaml() {
    let (site, before) = built_site();
    for bad in [
        "javascript:alert(1)//",
        "ftp://example.org/",
        "example.org",
        "https://",
    ] {
        let out = site.steppe(&["build", "--base-url", bad]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(
            err.contains(&format!(
                "base_url '{bad}' must be an http:// or https:// URL with a host"
            )),
            "{err}"
        );
        assert!(tree(&site.path("public")) == before, "the output changed");
    }
    let out = site.steppe(&["build", "--base-url", "https://example.net/docs/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let canonical = attrs(
        &site.html("public/en/faq/index.html"),
        "link[rel=canonical]",
        "href",
    );
    assert_eq!(canonical, ["https://example.net/docs/en/faq/"]);
    let before = tree(&site.path("public"));
    let yaml = site.read("site.yaml").replace(
        "base_url: https://example.org/guide/",
        "base_url: 'javascript:alert(1)//'",
    );
    site.write("site.yaml", yaml);
    let err = refused(&site, &before);
    assert!(
        err.contains("site.yaml:9:1: base_url 'javascript:alert(1)//' must be an http:// or https:// URL with a host"),
        "{err}"
    );
}

#[test]
fn front_matter_sources_must_be_web_urls() {
    let (site, before) = built_site();
    site.write(
        "content/en/src.md",
        "---\ntitle: Src\nsources:\n  - {title: X, url: \"javascript:alert(1)\"}\n---\nBody\n",
    );
    let err = refused(&site, &before);
    assert!(
        err.contains(
            "content/en/src.md:3: front matter: source 'javascript:alert(1)' is not an http(s) URL"
        ),
        "{err}"
    );
}

/// Generated spellings of `javascript:` in random URL-bearing attributes, one HTML block each,
/// all on one page: every one is reported at its own line.
#[test]
fn generated_encodings_are_refused_through_the_binary() {
    let (site, before) = built_site();
    let mut runner = TestRunner::deterministic();
    let strategy = encodings::tag_with_script_url(false);
    let cases: Vec<String> = (0..60)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    let (text, lines) = page_of(&cases);
    site.write("content/en/gen.md", text);
    let err = refused(&site, &before);
    for (case, line) in cases.iter().zip(&lines) {
        let at = format!("content/en/gen.md:{line}:");
        assert!(err.contains(&at), "{case:?} not refused at {line}:\n{err}");
    }
    // An <iframe> after an <svg> is refused twice (raw text in foreign content, and its URL).
    assert!(err.matches("error:").count() >= cases.len(), "{err}");
}
