//! What a new user types: `init`, then `build` and `serve`, with the names and flags other
//! tools taught them; shell completions; errors that name what the user passed.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `steppe <args>` in `dir`.
fn steppe_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn init_then_build_gives_a_site_whose_links_all_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = steppe_in(tmp.path(), &["init", "mydocs", "--languages", "en,zh,ar"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = tmp.path().join("mydocs");
    assert!(site.join("site.yaml").is_file());
    assert!(
        !site.join("themes").exists(),
        "the built-in theme needs no folder"
    );
    for lang in ["en", "zh", "ar"] {
        assert!(site.join(format!("content/{lang}/_index.md")).is_file());
    }
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(
        yaml.lines().filter(|l| l.starts_with('#')).count() >= 5,
        "commented"
    );

    let out = steppe_in(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.join("public");
    assert!(
        broken_links(&public).is_empty(),
        "{:?}",
        broken_links(&public)
    );
    let pages: Vec<String> = tree(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with("index.html"))
        .collect();
    for lang in ["en", "zh", "ar"] {
        assert!(pages.contains(&format!("{lang}/index.html")), "{pages:?}");
        assert!(pages.contains(&format!("{lang}/getting-started/index.html")));
    }
    let ar = parse_file(&public.join("ar/getting-started/index.html"));
    assert_eq!(attrs(&ar, "html", "dir"), ["rtl"]);
    assert!(
        ar.select(&sel("pre.hl-code span")).count() > 0,
        "code is highlighted"
    );
    assert_eq!(ar.select(&sel("math")).count(), 1);
}

/// Parsed HTML of a file.
fn parse_file(path: &Path) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.md"), "mine").unwrap();
    let out = steppe_in(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("is not empty") && err.contains("--force"),
        "{err}"
    );
    assert!(!tmp.path().join("site.yaml").exists());
    let out = steppe_in(tmp.path(), &["init", "--force", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "--quiet");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.md")).unwrap(),
        "mine"
    );
}

#[test]
fn unknown_subcommands_suggest_the_right_one() {
    let tmp = tempfile::tempdir().unwrap();
    for (typed, meant) in [("new", "init"), ("server", "serve"), ("biuld", "build")] {
        let out = steppe_in(tmp.path(), &[typed]);
        assert_eq!(out.status.code(), Some(2), "{typed}");
        let err = stderr(&out);
        assert!(err.contains(&format!("'{meant}'")), "{typed}: {err}");
    }
}

#[test]
fn serve_is_watch_and_short_flags_work() {
    let site = TestSite::fixture("rtl");
    let help = site.steppe(&["serve", "--help"]);
    assert!(help.status.success());
    let text = stdout(&help);
    for flag in ["-r, --root", "-o, --out", "-p, --port"] {
        assert!(text.contains(flag), "{flag} in {text}");
    }
    let out = site.steppe(&["build", "-r", ".", "-o", "elsewhere", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(site.path("elsewhere/en/index.html").is_file());
}

#[test]
fn a_missing_root_is_named_as_the_user_wrote_it() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["build", "--root", "/nonexistent/site"][..],
        &["serve", "-r", "/nonexistent/site"][..],
    ] {
        let out = steppe_in(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            err.starts_with("error: the site folder /nonexistent/site does not exist"),
            "{err}"
        );
        assert!(err.contains("steppe init"), "{err}");
    }
    let out = steppe_in(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no site.yaml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_generate_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = steppe_in(tmp.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["init", "serve", "build", "completions"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let out = steppe_in(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}
