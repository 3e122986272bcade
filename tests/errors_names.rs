//! Slugs and names (issue 8, item 6): slugs are one safe URL segment, file names are compared
//! in Unicode NFC, URLs that differ only by case collide, and language codes may not take the
//! names of steppe's own output folders.

mod common;
use common::*;
use steppe::config::RESERVED_OUTPUT_NAMES;

/// Builds, expects exit 1 with the output unchanged; returns stderr.
fn fails(site: &TestSite) -> String {
    let before = tree(&site.path("public"));
    let out = site.steppe(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("steppe-staging"),
        "{err}"
    );
    assert!(
        tree(&site.path("public")) == before,
        "output changed: {err}"
    );
    err
}

const NFC: &str = "caf\u{e9}";
const NFD: &str = "cafe\u{301}";

#[test]
fn unsafe_slugs_are_errors_at_their_line_with_a_hint() {
    let site = TestSite::fixture("basic");
    site.build();
    // As written in YAML (double-quoted, so escapes are YAML's).
    for (yaml, shown) in [
        ("a%20b", "'%'"),
        ("a?b", "'?'"),
        ("a#b", "'#'"),
        ("a b", "U+0020"),
        ("a\\nb", "U+000A"),
        ("a\\u202Eb", "U+202E"),
        ("top-up.", "end with '.'"),
    ] {
        site.write(
            "content/en/s.md",
            format!("---\ntitle: S\nslug: \"{yaml}\"\n---\nText\n"),
        );
        let err = fails(&site);
        assert!(
            err.contains("error: content/en/s.md:3: front matter: slug '"),
            "{yaml}: {err}"
        );
        assert!(err.contains(shown), "{yaml}: {err}");
        assert!(
            err.contains("hint: a slug is one URL segment"),
            "{yaml}: {err}"
        );
        assert!(
            !err.contains('\u{202E}'),
            "a bidi override reached the terminal: {err}"
        );
    }
}

#[test]
fn slugs_in_any_script_build() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/ru/s.md",
        "---\ntitle: S\nslug: пополнение-баланса.v2\n---\nText\n",
    );
    site.build();
    let doc = site.html("public/ru/пополнение-баланса.v2/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["S"]);
}

#[test]
fn nfd_file_names_resolve_nfc_links_and_pair_across_languages() {
    let site = TestSite::fixture("basic");
    site.write(
        &format!("content/en/{NFD}.md"),
        "---\ntitle: Cafe EN\n---\nText\n",
    );
    site.write(
        &format!("content/zh/{NFC}.md"),
        "---\ntitle: Cafe ZH\n---\nText\n",
    );
    site.write(
        "content/en/links.md",
        format!("---\ntitle: Links\n---\nSee [the café]({NFC}.md).\n"),
    );
    site.build();
    let out = site.path("public");
    // The link written in NFC reaches the page built from the NFD file.
    let doc = site.html("public/en/links/index.html");
    let to_cafe: Vec<String> = doc
        .select(&sel("a"))
        .filter(|a| a.text().collect::<String>() == "the café")
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(to_cafe.len(), 1, "{to_cafe:?}");
    let href = steppe::urls::percent_decode(&to_cafe[0]);
    let target = resolve_link(&out, "en/links/index.html", &href).unwrap();
    assert!(target.is_file(), "{}", target.display());
    // URLs are NFC, and the two languages are one page.
    let en = site.html(&format!("public/en/{NFC}/index.html"));
    let langs = attrs(&en, "link[rel=alternate][hreflang]", "hreflang");
    assert!(langs.iter().any(|l| l == "zh-Hans"), "{langs:?}");
}

#[test]
fn names_equal_in_nfc_or_by_case_are_errors_naming_both() {
    let site = TestSite::fixture("basic");
    site.build();
    site.write(&format!("content/en/{NFC}.md"), "---\ntitle: A\n---\n");
    site.write(&format!("content/en/{NFD}.md"), "---\ntitle: B\n---\n");
    let err = fails(&site);
    assert!(err.contains("once their names are in Unicode NFC"), "{err}");
    assert!(err.contains(&format!("content/en/{NFC}.md")), "{err}");
    assert!(err.contains(&format!("content/en/{NFD}.md")), "{err}");
    std::fs::remove_file(site.path(&format!("content/en/{NFD}.md"))).unwrap();
    std::fs::remove_file(site.path(&format!("content/en/{NFC}.md"))).unwrap();

    site.write("content/en/Foo.md", "---\ntitle: A\n---\n");
    site.write("content/en/foo.md", "---\ntitle: B\n---\n");
    let err = fails(&site);
    assert!(
        err.contains("differ only by case (en/Foo/ and en/foo/)"),
        "{err}"
    );
    assert!(
        err.contains("content/en/Foo.md") && err.contains("content/en/foo.md"),
        "{err}"
    );
    std::fs::remove_file(site.path("content/en/Foo.md")).unwrap();

    site.write("content/en/Photo.png", "a");
    site.write("content/en/photo.png", "b");
    let err = fails(&site);
    assert!(err.contains("error: content/en/photo.png: two files differ only by case (content/en/Photo.png and content/en/photo.png)"), "{err}");
}

#[test]
fn language_codes_may_not_take_reserved_output_names() {
    let site = TestSite::fixture("basic");
    site.build();
    let yaml = site.read("site.yaml");
    for code in ["static", "search"] {
        let bad = yaml.replace("{code: ru, tag: ru,", &format!("{{code: {code}, tag: ru,"));
        site.write("site.yaml", &bad);
        let err = fails(&site);
        let line = bad
            .lines()
            .position(|l| l.contains(&format!("code: {code},")))
            .unwrap()
            + 1;
        assert!(
            err.contains(&format!("error: site.yaml:{line}: language code '{code}' is a name steppe uses for its own output")),
            "{err}"
        );
    }
}

/// The reserved list is what steppe writes: every top-level output name that is not a
/// language folder (or the hidden marker) is in it.
#[test]
fn reserved_names_cover_every_top_level_output() {
    let site = TestSite::fixture("basic");
    site.build();
    let mut names: Vec<String> = std::fs::read_dir(site.path("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !["en", "zh", "ru"].contains(&n.as_str()))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for n in &names {
        assert!(
            RESERVED_OUTPUT_NAMES.contains(&n.as_str()),
            "'{n}' is written but not reserved"
        );
    }
}

/// Content is found per language folder (each walked on its own core): a file directly under
/// `content/` and a folder of no configured language are errors naming them, an editor's swap
/// file is skipped, and pages under nested folders of every language are all built.
#[test]
fn content_folders_are_languages_and_editor_files_are_skipped() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/deep/er/page.md",
        "---\ntitle: Deep\n---\nText\n",
    );
    site.write("content/zh/deep/page.md", "---\ntitle: 深\n---\n文字\n");
    site.write("content/en/.page.md.swp", "not Markdown \u{0}");
    site.write("content/en/draft.md~", "not Markdown either");
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    for page in [
        "public/en/deep/er/page/index.html",
        "public/zh/deep/page/index.html",
    ] {
        assert!(site.path(page).is_file(), "{page} was not built");
    }
    assert!(!site.path("public/en/draft.md~").exists());
    site.write("content/stray.md", "---\ntitle: Stray\n---\n");
    site.write("content/xx/a.md", "---\ntitle: A\n---\n");
    let err = fails(&site);
    assert!(
        err.contains(
            "error: content/stray.md: a file directly under content/ belongs to no language"
        ),
        "{err}"
    );
    assert!(err.contains("hint: move it to content/<lang>/"), "{err}");
    assert!(
        err.contains("error: content/xx: 'xx' is not a configured language"),
        "{err}"
    );
}
