//! Every error located (issue 8, item 5): each mistake from the list fed to the real
//! binary, asserting exit code 1, the located message, no internal path, and an untouched output.

mod common;
use common::*;

/// A site built once, so each failing build can be checked against the last good output.
fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build();
    site
}

/// Builds, expects exit 1 with the output unchanged; returns stderr.
fn fails(site: &TestSite) -> String {
    let before = tree(&site.path("public"));
    let out = site.steppe(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !err.contains("steppe-staging"),
        "internal path shown: {err}"
    );
    assert!(
        tree(&site.path("public")) == before,
        "output changed: {err}"
    );
    err
}

/// site.yaml of the fixture with its `languages:` list replaced by `list`.
fn with_languages(site: &TestSite, list: &str) -> String {
    let yaml = site.read("site.yaml");
    let start = yaml.find("languages:\n").unwrap();
    let end = yaml.find("links:").unwrap();
    format!("{}languages:\n{list}{}", &yaml[..start], &yaml[end..])
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn mistakes_in_a_language_entry_are_located_at_the_entry() {
    let site = built();
    let entries = "  - {code: en, tag: en, name: English, default: true}\n  - {code: zh, tag: zh-Hans, name: 中文}\n";
    // A typo in a key.
    let yaml = with_languages(
        &site,
        &format!("{entries}  - code: ru\n    tga: ru\n    name: Русский\n"),
    );
    site.write("site.yaml", &yaml);
    let err = fails(&site);
    let line = line_of(&yaml, "tga: ru");
    assert!(
        err.contains(&format!(
            "error: site.yaml:{line}:5: unknown field 'tga' (did you mean 'tag'?)"
        )),
        "{err}"
    );
    assert!(!err.contains("title"), "{err}");
    // A value the key does not take (`dir` is `ltr` or `rtl`).
    let yaml = with_languages(
        &site,
        &format!("{entries}  - {{code: ru, tag: ru, name: Русский, dir: up}}\n"),
    );
    site.write("site.yaml", &yaml);
    let err = fails(&site);
    let line = line_of(&yaml, "dir: up");
    assert!(err.contains(&format!("error: site.yaml:{line}:")), "{err}");
    assert!(err.contains("unknown variant 'up'"), "{err}");
    // A duplicate code, at the second entry.
    let yaml = with_languages(
        &site,
        &format!(
            "{entries}  - {{code: ru, tag: ru, name: Русский}}\n  - {{code: zh, tag: zh, name: Zh}}\n"
        ),
    );
    site.write("site.yaml", &yaml);
    let err = fails(&site);
    let line = line_of(&yaml, "name: Zh}");
    assert!(
        err.contains(&format!(
            "error: site.yaml:{line}: language 'zh' is listed twice"
        )),
        "{err}"
    );
    assert!(!err.contains("title"), "{err}");
}

#[test]
fn duplicate_keys_are_errors_at_the_duplicate() {
    let site = built();
    let yaml = site.read("site.yaml");
    // Nested: a per-language title with `en` twice.
    let nested = yaml.replacen(
        "  en: Fixture Guide\n",
        "  en: Fixture Guide\n  en: Again\n",
        1,
    );
    site.write("site.yaml", &nested);
    let err = fails(&site);
    assert!(
        err.contains("error: site.yaml:3:3: duplicate key 'en' (first at line 2)"),
        "{err}"
    );
    // Top level, a few lines apart.
    site.write("site.yaml", format!("{yaml}theme: default\n"));
    let err = fails(&site);
    let line = yaml.lines().count() + 1;
    assert!(
        err.contains(&format!("error: site.yaml:{line}:1: duplicate key 'theme'")),
        "{err}"
    );
    site.write("site.yaml", &yaml);
    // In front matter, nested under `extra` and in a flow mapping.
    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\nextra:\n  a: 1\n  b: {x: 1, x: 2}\n---\nBody\n",
    );
    let err = fails(&site);
    assert!(
        err.contains("error: content/en/faq.md:5:13: front matter: duplicate key 'x'"),
        "{err}"
    );
}

#[test]
fn alias_bomb_is_a_located_error() {
    let site = built();
    let mut front = String::from("---\ntitle: Bomb\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (p, n) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        front.push_str(&format!(
            "  {n}: &{n} [{}]\n",
            vec![format!("*{p}"); 9].join(", ")
        ));
    }
    site.write("content/en/faq.md", format!("{front}---\nBody\n"));
    let err = fails(&site);
    assert!(err.contains("error: content/en/faq.md:5:"), "{err}");
    assert!(err.contains("alias bomb"), "{err}");
}

#[test]
fn multi_document_front_matter_is_located() {
    let site = built();
    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\n...\nweight: 2\n---\nBody\n",
    );
    let err = fails(&site);
    assert!(
        err.contains(
            "error: content/en/faq.md:3:1: front matter: a second YAML document starts here"
        ),
        "{err}"
    );
}

#[test]
fn title_must_be_a_string() {
    let site = built();
    for bad in ["5", "~", "true"] {
        site.write(
            "content/en/faq.md",
            format!("---\nweight: 1\ntitle: {bad}\n---\nBody\n"),
        );
        let err = fails(&site);
        assert!(
            err.contains("error: content/en/faq.md:3:8: front matter: title: invalid type"),
            "{bad}: {err}"
        );
        assert!(err.contains("expected a string"), "{bad}: {err}");
    }
    let site = built();
    let yaml = site.read("site.yaml");
    let start = yaml.find("title:").unwrap();
    let end = yaml.find("description:").unwrap();
    site.write(
        "site.yaml",
        format!("{}title: 5\n{}", &yaml[..start], &yaml[end..]),
    );
    let err = fails(&site);
    assert!(err.contains("error: site.yaml:1:"), "{err}");
}

#[test]
fn invalid_utf8_is_located_by_byte_offset() {
    let site = built();
    let yaml = site.read("site.yaml");
    let mut bytes = yaml.clone().into_bytes();
    bytes.extend_from_slice(b"theme: \xff\n");
    site.write("site.yaml", &bytes);
    let err = fails(&site);
    let line = yaml.lines().count() + 1;
    assert!(
        err.contains(&format!(
            "error: site.yaml:{line}:8: invalid UTF-8 at byte offset {}",
            yaml.len() + 7
        )),
        "{err}"
    );
    assert!(err.contains("hint: save the file as UTF-8"), "{err}");
    assert!(!err.contains("--root"), "wrong hint: {err}");
    site.write("site.yaml", &yaml);

    let strings = built_in("i18n/zh.yaml");
    site.write(
        "themes/default/i18n/zh.yaml",
        [strings.as_bytes(), b"x: \xc3\n"].concat(),
    );
    let err = fails(&site);
    let offset = strings.len() + 3;
    assert!(
        err.contains(&format!(
            "error: themes/default/i18n/zh.yaml:{}:4: invalid UTF-8 at byte offset {offset}",
            strings.lines().count() + 1
        )),
        "{err}"
    );
    site.write("themes/default/i18n/zh.yaml", &strings);

    let toc = built_in("templates/partials/toc.html");
    site.write(
        "themes/default/templates/partials/toc.html",
        [b"ok\n\xfe".as_slice(), toc.as_bytes()].concat(),
    );
    let err = fails(&site);
    assert!(
        err.contains(
            "error: themes/default/templates/partials/toc.html:2:1: invalid UTF-8 at byte offset 3"
        ),
        "{err}"
    );
}

#[test]
fn template_mistakes_are_located() {
    let site = built();
    let page = built_in("templates/page.html");
    let line = line_of(&page, "{% include \"partials/toc.html\" %}");
    site.write(
        "themes/default/templates/page.html",
        page.replace(
            "{% include \"partials/toc.html\" %}",
            "{% include \"partials/toc.html\" %}{{ page.title | no_such_filter }}",
        ),
    );
    let err = fails(&site);
    assert!(
        err.contains(&format!(
            "error: themes/default/templates/page.html:{line}:"
        )),
        "{err}"
    );
    assert!(err.contains("Unknown filter 'no_such_filter'"), "{err}");
    site.write("themes/default/templates/page.html", &page);
    // An include cycle: toc includes content, content includes toc.
    let toc = built_in("templates/partials/toc.html");
    let content = built_in("templates/partials/content.html");
    site.write(
        "themes/default/templates/partials/toc.html",
        format!("{toc}{{% include \"partials/content.html\" %}}\n"),
    );
    site.write(
        "themes/default/templates/partials/content.html",
        format!("{content}{{% include \"partials/toc.html\" %}}\n"),
    );
    let err = fails(&site);
    assert!(err.contains("include cycle"), "{err}");
    let at_toc = format!(
        "error: themes/default/templates/partials/toc.html:{}:",
        toc.lines().count() + 1
    );
    let at_content = format!(
        "error: themes/default/templates/partials/content.html:{}:",
        content.lines().count() + 1
    );
    assert!(err.contains(&at_toc) || err.contains(&at_content), "{err}");
}

#[test]
fn bad_slugs_are_located_without_internal_paths() {
    let site = built();
    site.write(
        "content/en/a.md",
        "---\ntitle: A\nslug: \"a\\u0000b\"\n---\n",
    );
    let err = fails(&site);
    assert!(err.contains("error: content/en/a.md:3: front matter: slug 'a\\0b' may only contain letters, digits, '-', '_' and '.' (found U+0000)"), "{err}");
    site.write("content/en/a.md", "---\ntitle: A\nslug: index.html\n---\n");
    let err = fails(&site);
    assert!(
        err.contains("error: content/en/a.md:3: this page's folder en/index.html/ is the file of"),
        "{err}"
    );
    // A slug equal to a file copied beside the pages.
    site.write("content/en/photo.png", b"\x89PNG".as_slice());
    site.write("content/en/a.md", "---\ntitle: A\nslug: photo.png\n---\n");
    let err = fails(&site);
    assert!(err.contains("error: content/en/a.md:3: this page's folder en/photo.png/ is the file of content/en/photo.png"), "{err}");
}
