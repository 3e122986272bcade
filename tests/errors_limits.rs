//! Bounded work on hostile input (issue 8, item 4): inputs that once took minutes build, or
//! fail with a located error, well within generous bounds. Tests run a debug binary on a
//! shared machine, so the bounds are loose: they catch quadratic time, not small slowdowns.

mod common;
use common::*;
use std::time::{Duration, Instant};

/// Runs `steppe build`, returning the output and how long it took.
fn timed_build(site: &TestSite) -> (std::process::Output, Duration) {
    let start = Instant::now();
    let out = site.steppe(&["build"]);
    (out, start.elapsed())
}

/// Expects exit 1 within `limit`, with the output unchanged; returns stderr.
fn fails_within(site: &TestSite, limit: Duration) -> String {
    let before = tree(&site.path("public"));
    let (out, took) = timed_build(site);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(took < limit, "took {took:?}");
    assert!(
        tree(&site.path("public")) == before,
        "output changed: {err}"
    );
    err
}

#[test]
fn fifty_thousand_equal_headings_get_unique_ids_quickly() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/same.md",
        format!("---\ntitle: Same\n---\n{}", "## same\n\n".repeat(50_000)),
    );
    let (out, took) = timed_build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    // Once 189 s in release (quadratic); now well under a second in release and 10-40 s in a
    // debug build on a loaded 2-core machine. The bound only has to catch the quadratic case.
    assert!(took < Duration::from_secs(120), "took {took:?}");
    let doc = site.html("public/en/same/index.html");
    let ids: Vec<String> = attrs(&doc, "h2[id]", "id")
        .into_iter()
        .filter(|id| id.starts_with("same"))
        .collect();
    assert_eq!(ids.len(), 50_000);
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 50_000);
    assert_eq!(ids[0], "same");
    assert_eq!(ids[49_999], "same-49999");
}

#[test]
fn deep_yaml_is_a_located_error_found_quickly() {
    let limit = Duration::from_secs(20);
    let site = TestSite::fixture("basic");
    site.build();
    // Front matter: 100,000 nested flow lists; two block levels (`extra`, `x`) come first, so
    // the 127th bracket is one too many.
    site.write(
        "content/en/deep.md",
        format!(
            "---\ntitle: Deep\nextra:\n  x: {}\n---\n",
            "[".repeat(100_000)
        ),
    );
    let err = fails_within(&site, limit);
    assert!(
        err.contains(
            "error: content/en/deep.md:4:132: front matter: YAML nested more than 128 levels deep"
        ),
        "{err}"
    );
    std::fs::remove_file(site.path("content/en/deep.md")).unwrap();
    // site.yaml: 100,000 nested block lists on one line.
    let yaml = site.read("site.yaml");
    let line = yaml.lines().count() + 1;
    site.write(
        "site.yaml",
        format!("{yaml}x:\n{}1\n", "- ".repeat(100_000)),
    );
    let err = fails_within(&site, limit);
    assert!(
        err.contains(&format!("error: site.yaml:{}:", line + 1)),
        "{err}"
    );
    assert!(err.contains("nested more than 128 levels"), "{err}");
    site.write("site.yaml", &yaml);
    // UI strings: 1,000 levels of indented mappings.
    let strings = built_in("i18n/ru.yaml");
    let deep: String = (0..1000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    site.write("themes/default/i18n/ru.yaml", format!("{strings}{deep}"));
    let err = fails_within(&site, limit);
    let line = strings.lines().count() + 129;
    assert!(
        err.contains(&format!(
            "error: themes/default/i18n/ru.yaml:{line}:129: YAML nested more than 128 levels deep"
        )),
        "{err}"
    );
}

#[test]
fn a_large_page_builds() {
    let site = TestSite::fixture("basic");
    let para = "Top up the balance: пополните баланс, 充值余额, балансты толтырыңыз. See [the FAQ](faq.md) and [the top](#start).\n\n- one\n- two\n\n";
    let mut body = String::from("## Start\n\n");
    let mut n = 0;
    // 2.5 MB keeps a debug test quick; README "Errors" gives the release timings up to 10 MB.
    while body.len() < 2_500_000 {
        n += 1;
        body.push_str(&format!("## Part {}\n\n{para}", n % 100));
    }
    site.write("content/en/big.md", format!("---\ntitle: Big\n---\n{body}"));
    let (out, took) = timed_build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(took < Duration::from_secs(120), "took {took:?}");
    let doc = site.html("public/en/big/index.html");
    let parts = attrs(&doc, "h2[id]", "id")
        .into_iter()
        .filter(|id| id.starts_with("part-") || id == "start")
        .count();
    assert_eq!(parts, n + 1);
}
