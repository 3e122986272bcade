//! Languages beyond the guide's: right-to-left pages, dates in the reader's language, og:locale,
//! and English UI strings (with one warning) for a language the theme does not translate.

mod common;
use common::*;

/// `property: value` pairs of a style sheet, comments removed, in order.
fn declarations(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    text.split(['{', '}', ';'])
        .filter_map(|d| d.split_once(':'))
        .map(|(p, v)| (p.trim().to_ascii_lowercase(), v.trim().to_owned()))
        // Selectors with pseudo-classes (`a:hover`) are not declarations.
        .filter(|(p, _)| p.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .collect()
}

/// Physical properties and values that have a logical equivalent (inline-start/end).
fn physical(property: &str, value: &str) -> bool {
    let sides = ["left", "right"];
    let prop_is_physical = sides.iter().any(|s| {
        property == *s
            || property.ends_with(&format!("-{s}"))
            || property.contains(&format!("-{s}-"))
    });
    let value_is_physical = matches!(property, "text-align" | "float" | "clear")
        && sides
            .iter()
            .any(|s| value.split_whitespace().any(|w| w == *s));
    prop_is_physical || value_is_physical
}

#[test]
fn right_to_left_language_mirrors_through_logical_css() {
    let site = TestSite::fixture("rtl");
    site.build();
    let ar = site.html("public/ar/page/index.html");
    assert_eq!(attrs(&ar, "html", "dir"), ["rtl"]);
    assert_eq!(attrs(&ar, "html", "lang"), ["ar"]);
    let en = site.html("public/en/page/index.html");
    assert_eq!(attrs(&en, "html", "dir"), ["ltr"]);
    // Every style sheet the site ships: the page's own and the search box's (loaded by script).
    let sheets: Vec<(String, Vec<u8>)> = tree(&site.path("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".css"))
        .collect();
    let linked = attrs(&ar, "link[rel=stylesheet]", "href");
    assert!(linked.len() >= 2, "{linked:?}");
    for href in &linked {
        let file = resolve_link(&site.path("public"), "ar/page/index.html", href).unwrap();
        assert!(file.is_file(), "{href}");
    }
    assert!(sheets.len() >= 3, "style, search and highlight sheets");
    for (path, bytes) in sheets {
        let decls = declarations(&String::from_utf8(bytes).unwrap());
        assert!(!decls.is_empty(), "{path}");
        let bad: Vec<_> = decls.iter().filter(|(p, v)| physical(p, v)).collect();
        assert!(bad.is_empty(), "{path}: physical properties {bad:?}");
    }
}

#[test]
fn the_css_checker_finds_physical_properties() {
    let decls = declarations(
        "/* left: 0 */ a:hover{margin-left:1px;text-align:right} b{inset-inline-start:0}",
    );
    let bad: Vec<_> = decls.iter().filter(|(p, v)| physical(p, v)).collect();
    assert_eq!(bad.len(), 2, "{decls:?}");
}

#[test]
fn dates_and_og_locale_follow_the_reader_language() {
    let site = TestSite::fixture("rtl");
    site.build();
    for (lang, date, locale) in [
        ("en", "25 November 2026", "en_US"),
        ("zh", "2026年11月25日", "zh_CN"),
        ("ru", "25 ноября 2026 г.", "ru_RU"),
        ("kk", "2026 жылғы 25 қараша", "kk_KZ"),
        // No table for Arabic: the English way.
        ("ar", "25 November 2026", "ar_AR"),
    ] {
        let doc = site.html(&format!("public/{lang}/page/index.html"));
        assert_eq!(texts(&doc, ".reviewed time"), [date], "{lang}");
        assert_eq!(
            attrs(&doc, ".reviewed time", "datetime"),
            ["2026-11-25"],
            "{lang}"
        );
        assert_eq!(
            attrs(&doc, "meta[property='og:locale']", "content"),
            [locale],
            "{lang}"
        );
    }
}

#[test]
fn untranslated_ui_falls_back_to_english_with_one_warning() {
    let site = TestSite::fixture("rtl");
    let out = site.build();
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("has no UI strings"))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains("for ar:"), "{err}");
    let ar = site.html("public/ar/page/index.html");
    assert_eq!(texts(&ar, ".skip"), ["Skip to content"]);
    // A translation beside site.yaml silences it.
    let en = built_in("i18n/en.yaml");
    site.write(
        "i18n/ar.yaml",
        en.replace("Skip to content", "انتقل إلى المحتوى"),
    );
    let out = site.build();
    assert!(
        !stderr(&out).contains("has no UI strings"),
        "{}",
        stderr(&out)
    );
    let ar = site.html("public/ar/page/index.html");
    assert_eq!(texts(&ar, ".skip"), ["انتقل إلى المحتوى"]);
}
