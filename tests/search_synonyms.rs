//! `search/synonyms.yaml` through the real binary: a variant reaches the built index of its
//! language only, and a bad file fails the build with the file, line and a hint, leaving the
//! output directory as it was.

mod common;

use common::{TestSite, stderr};

/// Every index file of a language, concatenated.
fn index_text(site: &TestSite, lang: &str) -> String {
    let dir = site.path(&format!("public/search/{lang}"));
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("index folder")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("index file"))
        .collect()
}

#[test]
fn synonyms_reach_the_index_of_their_language() {
    let site = TestSite::fixture("basic");
    site.write(
        "search/synonyms.yaml",
        "all:\n  кселл: kcell\nru:\n  гайд: руководство\n",
    );
    site.build();
    // The English pages say Kcell; the Russian ones have a page titled Руководство.
    assert!(index_text(&site, "en").contains("[\"кселл\""));
    assert!(index_text(&site, "ru").contains("[\"гайд\""));
    assert!(
        !index_text(&site, "en").contains("\"гайд\""),
        "ru rules stay in ru"
    );
}

#[test]
fn a_bad_synonyms_file_fails_the_build_at_its_line() {
    let site = TestSite::fixture("basic");
    site.build();
    let before = site.read("public/en/index.html");
    site.write("search/synonyms.yaml", "de:\n  a: b\n");
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("search/synonyms.yaml"), "{err}");
    assert!(err.contains("unknown language `de`"), "{err}");
    assert!(
        err.contains("en, zh, ru"),
        "the hint names the site's languages: {err}"
    );
    site.write("search/synonyms.yaml", "ru:\n  a: [b\n  c: d\n");
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("search/synonyms.yaml:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        site.read("public/en/index.html"),
        before,
        "output untouched"
    );
}
