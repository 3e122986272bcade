//! Located errors, exit codes, and the guarantee that a failed build leaves the last good
//! output untouched.

mod common;
use common::*;

/// Builds and expects failure with exit code 1; returns stderr.
fn fails(site: &TestSite) -> String {
    let out = site.steppe(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

#[test]
fn unknown_front_matter_key_with_hint() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/faq.md",
        "---\ntitle: FAQ\nweight: 5\ndescripton: x\n---\nBody\n",
    );
    let err = fails(&site);
    assert!(err.contains("error: content/en/faq.md:4:1: front matter: unknown field 'descripton' (did you mean 'description'?)"), "{err}");
}

#[test]
fn site_yaml_unknown_key_and_wrong_type() {
    let site = TestSite::fixture("basic");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("{yaml}them: default\n"));
    let err = fails(&site);
    let line = yaml.lines().count() + 1;
    assert!(
        err.contains(&format!(
            "error: site.yaml:{line}:1: unknown field 'them' (did you mean 'theme'?)"
        )),
        "{err}"
    );
    site.write(
        "site.yaml",
        yaml.replace("output_dir: public", "output_dir: [public]"),
    );
    let err = fails(&site);
    assert!(err.contains("error: site.yaml:11:"), "{err}");
}

#[test]
fn item_text_missing_a_language() {
    let site = TestSite::fixture("basic");
    let yaml = site.read("data/operators/activ.yaml");
    site.write(
        "data/operators/activ.yaml",
        yaml.replace(
            "value: {en: In the app, zh: 在应用内, ru: В приложении}",
            "value: {en: In the app, zh: 在应用内}",
        ),
    );
    let err = fails(&site);
    assert!(
        err.contains("data/operators/activ.yaml:") && err.contains("missing language 'ru'"),
        "{err}"
    );
}

#[test]
fn three_bad_files_give_three_located_errors() {
    let site = TestSite::fixture("basic");
    site.write("content/en/a.md", "---\ntitel: A\n---\n");
    site.write(
        "content/en/b.md",
        "---\ntitle: B\n---\nSee [x](missing.md) and [a](a.md).\n",
    );
    site.write(
        "content/zh/c.md",
        "---\ntitle: C\n---\n\n\nSee [x](faq.md#nope).\n",
    );
    let err = fails(&site);
    assert!(err.contains("error: content/en/a.md:2:1: front matter: unknown field 'titel' (did you mean 'title'?)"), "{err}");
    assert!(
        err.contains("error: content/en/b.md:4: link to a missing page: content/en/missing.md"),
        "{err}"
    );
    assert!(
        err.contains(
            "error: content/zh/c.md:6: link to a missing anchor: #nope in content/zh/faq.md"
        ),
        "{err}"
    );
    assert!(
        err.contains("build failed: 3 errors"),
        "a link to the page that failed to load is not a 4th error: {err}"
    );
    site.write("content/en/a.md", "---\ntitle: A\n---\n");
    site.write(
        "content/en/b.md",
        "---\ntitle: B\n---\n\nBad [x](faq.md#q-nope) and [y](../../x.md).\n",
    );
    let err = fails(&site);
    assert!(
        err.contains("error: content/en/b.md:5: link ../../x.md leads outside content/en/"),
        "{err}"
    );
    assert!(
        err.contains(
            "error: content/en/b.md:5: link to a missing anchor: #q-nope in content/en/faq.md"
        ),
        "{err}"
    );
}

#[test]
fn script_urls_and_foreign_domains_are_refused() {
    let site = TestSite::fixture("basic");
    site.write("content/en/b.md", "---\ntitle: B\n---\n[x](javascript:alert(1))\n\n[y](https://t.me/channel)\n\n<a href=\"JavaScript:void(0)\">z</a>\n\n[ok](https://egov.gov.kz/) [mail](mailto:a@b.kz)\n");
    let err = fails(&site);
    assert!(
        err.contains("content/en/b.md:4: script URLs (javascript:) are not allowed"),
        "{err}"
    );
    assert!(
        err.contains("content/en/b.md:6: link to https://t.me/channel is not on an allowed domain"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/en/b.md:8:1: raw HTML <a href>: script URLs (javascript:) are not allowed"
        ),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 3, "{err}");
}

#[test]
fn shortcode_errors_are_located() {
    let site = TestSite::fixture("basic");
    site.write("content/en/b.md", "---\ntitle: B\n---\nA {{ data(c=\"operators\", id=\"nope\", key=\"website\") }}\nB {{ data(c=\"operators\", id=\"activ\", key=\"nope\") }}\nC {{ fact(op=\"activ\", key=\"website\") }}\n");
    let err = fails(&site);
    assert!(
        err.contains("content/en/b.md:4:3: shortcode: collection 'operators' has no item 'nope'"),
        "{err}"
    );
    assert!(
        err.contains("content/en/b.md:5:3: shortcode: item 'operators/activ' has no fact 'nope'"),
        "{err}"
    );
    // The old `fact` shortcode is not passed through silently.
    assert!(
        err.contains("content/en/b.md:6:3: shortcode: `fact` is now `data`"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 3, "{err}");
}

#[test]
fn unknown_item_bad_slug_and_invalid_utf8() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/a.md",
        "---\ntitle: A\nabout: operators/activv\n---\n",
    );
    site.write("content/en/b.md", "---\ntitle: B\nslug: ../../etc\n---\n");
    site.write(
        "content/en/c.md",
        b"---\ntitle: C\n---\nbad \xff byte\n".as_slice(),
    );
    let err = fails(&site);
    assert!(
        err.contains("content/en/c.md: invalid UTF-8 at byte offset 21"),
        "{err}"
    );
    site.write("content/en/c.md", "---\ntitle: C\n---\n");
    let err = fails(&site);
    assert!(err.contains("content/en/a.md:3: front matter: unknown item in about: 'operators/activv'\n  hint: did you mean 'operators/activ'?"), "{err}");
    assert!(
        err.contains("content/en/b.md:3: front matter: slug '../../etc' may only contain letters, digits, '-', '_' and '.' (found '/')"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let site = TestSite::fixture("basic");
    let page = common::built_in("templates/page.html");
    site.write(
        "themes/default/templates/page.html",
        page.replace(
            "{% include \"partials/toc.html\" %}",
            "{{ page.no_such_field }}",
        ),
    );
    let err = fails(&site);
    assert!(
        err.contains("error: themes/default/templates/page.html:4:"),
        "{err}"
    );
    assert_eq!(
        err.matches("error:").count(),
        1,
        "one broken template is reported once: {err}"
    );
    site.write("themes/default/templates/page.html", "{% if %}");
    let err = fails(&site);
    assert!(
        err.contains("error: themes/default/templates/page.html:1:"),
        "{err}"
    );
}

#[test]
fn i18n_files_must_have_the_default_languages_keys() {
    let site = TestSite::fixture("basic");
    let zh = common::built_in("i18n/zh.yaml");
    site.write(
        "themes/default/i18n/zh.yaml",
        zh.lines()
            .filter(|l| !l.starts_with("toc_title:"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let err = fails(&site);
    assert!(
        err.contains("error: themes/default/i18n/zh.yaml: missing UI string 'toc_title'"),
        "{err}"
    );
}

#[test]
fn failed_build_leaves_output_intact_and_no_staging() {
    let site = TestSite::fixture("basic");
    site.build();
    let before = tree(&site.path("public"));
    let base = common::built_in("templates/base.html");
    site.write(
        "themes/default/templates/base.html",
        base.replace("{{ page.title }}</h1>", "{{ page.nope }}</h1>"),
    );
    fails(&site);
    assert!(
        tree(&site.path("public")) == before,
        "output changed after a failed build"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("steppe"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_dir_safety_and_usage_errors() {
    let site = TestSite::fixture("basic");
    for bad in [".", "..", "content/out", "themes/x"] {
        let out = site.steppe(&["build", "--out", bad]);
        assert_eq!(out.status.code(), Some(2), "--out {bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("error: output directory"),
            "{}",
            stderr(&out)
        );
    }
    site.write("mine/keep.txt", "mine");
    let out = site.steppe(&["build", "--out", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty and was not made by steppe"));
    assert_eq!(site.read("mine/keep.txt"), "mine");
    assert!(
        site.steppe(&["build", "--out", "mine", "--force"])
            .status
            .success()
    );
    assert!(site.path("mine/en/index.html").is_file());
    let out = site.steppe(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = site.steppe(&["--version"]);
    assert!(out.status.success() && stdout(&out).starts_with("steppe "));
}

#[test]
fn out_is_relative_to_the_current_directory() {
    let site = TestSite::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["build", "--root"])
        .arg(site.root())
        .args(["--out", "built"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(elsewhere.path().join("built/en/index.html").is_file());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["build", "--root"])
        .arg(site.root())
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.path("public/en/index.html").is_file(),
        "output_dir is relative to the root"
    );
}
