//! `cached_include` in a site's own templates: a bad call is an error at the calling template's
//! line that names the partial, and an error inside the partial names the partial's own line.

mod common;
use common::*;

/// The products fixture with page.html's facts box called as `call`.
fn site_calling(call: &str) -> TestSite {
    let site = TestSite::fixture("products");
    let page = built_in("templates/page.html");
    let start = page
        .find("{{ cached_include(")
        .expect("page.html calls cached_include");
    let end = start + page[start..].find("}}").unwrap() + 2;
    site.write(
        "themes/default/templates/page.html",
        format!("{}{call}{}", &page[..start], &page[end..]),
    );
    site
}

/// Builds and returns stderr, asserting the build failed and wrote nothing.
fn failed(site: &TestSite) -> String {
    let out = site.steppe(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!site.path("public").exists());
    stderr(&out)
}

/// Asserts `err` is an error at page.html's call (line 3) that says `what`.
fn assert_at_call(err: &str, what: &str) {
    assert!(
        err.contains("error: themes/default/templates/page.html:3:") && err.contains(what),
        "{err}"
    );
}

#[test]
fn a_missing_partial_is_named_at_the_call() {
    let site = site_calling(
        r#"{{ cached_include(template="partials/nope.html", key=[page.item.id], page=page) }}"#,
    );
    assert_at_call(
        &failed(&site),
        "template 'partials/nope.html' does not exist",
    );
}

#[test]
fn a_call_without_a_key_is_an_error_naming_the_partial() {
    let site = site_calling(r#"{{ cached_include(template="partials/facts.html", page=page) }}"#);
    assert_at_call(
        &failed(&site),
        r#"cached_include(template="partials/facts.html"): `key` is missing"#,
    );
    let site = site_calling(r#"{{ cached_include(key=[1], page=page) }}"#);
    assert!(failed(&site).contains("`template` is missing"));
}

#[test]
fn an_error_inside_the_partial_names_its_line() {
    // The partial sees only what the call passes: here no `t`.
    let site = site_calling(
        r#"{{ cached_include(template="partials/facts.html", key=[page.item.id], page=page, lang=lang) }}"#,
    );
    assert_at_call(
        &failed(&site),
        r#"cached_include(template="partials/facts.html"): partials/facts.html:"#,
    );
}

#[test]
fn a_partial_that_calls_itself_is_an_error() {
    let site =
        site_calling(r#"{{ cached_include(template="partials/loop.html", key=[1], page=page) }}"#);
    site.write(
        "themes/default/templates/partials/loop.html",
        r#"x{{ cached_include(template="partials/loop.html", key=[2], page=page) }}"#,
    );
    let err = failed(&site);
    assert!(
        err.contains("'partials/loop.html' includes itself"),
        "{err}"
    );
}
