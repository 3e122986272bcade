//! Tests of the whole module: the shared tokenizer cases and `build_index` end to end.

use super::{SearchPage, build_index, index_terms, tokens};

#[derive(serde::Deserialize)]
struct Case {
    lang: String,
    input: String,
    tokens: Vec<String>,
    stems: Vec<String>,
}

/// `tests/tokenize-cases.json` is also asserted by the Node tests against the browser tokenizer.
/// JSON is valid YAML, so the YAML parser already in the tree reads it.
fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tokenize-cases.json");
    let text = std::fs::read_to_string(path).expect("tests/tokenize-cases.json");
    serde_yaml::from_str(&text).expect("valid cases")
}

#[test]
fn shared_tokenize_cases() {
    let cases = cases();
    assert!(cases.len() >= 20);
    for c in &cases {
        assert_eq!(
            tokens(&c.input),
            c.tokens,
            "tokens of {:?} ({})",
            c.input,
            c.lang
        );
        assert_eq!(
            index_terms(&c.lang, &c.input),
            c.stems,
            "stems of {:?} ({})",
            c.input,
            c.lang
        );
    }
}

#[derive(serde::Deserialize)]
struct TypoCase {
    a: String,
    b: String,
    max: usize,
    distance: usize,
}

/// `tests/typo-cases.json` pins the browser's edit distance (search.js, asserted by the Node
/// tests) to strsim's optimal string alignment distance, capped at `max + 1`.
#[test]
fn shared_typo_cases_match_strsim() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/typo-cases.json");
    let text = std::fs::read_to_string(path).expect("tests/typo-cases.json");
    let cases: Vec<TypoCase> = serde_yaml::from_str(&text).expect("valid cases");
    assert!(cases.len() >= 10);
    for c in &cases {
        let d = strsim::osa_distance(&c.a, &c.b).min(c.max + 1);
        assert_eq!(d, c.distance, "{} → {}", c.a, c.b);
    }
}

fn page<'a>(url: &'a str, title: &'a str, html: &'a str) -> SearchPage<'a> {
    SearchPage { url, title, html }
}

#[test]
fn output_is_deterministic_and_in_the_language_folder() {
    let a = "<main data-search-body><h1>Баланс</h1><p>Пополнение баланса через Kaspi.kz</p>\
        <h2 id=ussd>USSD</h2><p>Наберите *111#</p></main>";
    let b = "<main data-search-body><h2 id=x>Офис</h2><p>Паспорт и ИИН</p></main>";
    let one = build_index(
        "ru",
        &[page("ru/a/", "Баланс", a), page("ru/b/", "Офис", b)],
    );
    let two = build_index(
        "ru",
        &[page("ru/b/", "Офис", b), page("ru/a/", "Баланс", a)],
    );
    assert_eq!(one, two);
    assert!(one.iter().all(|f| f.path.starts_with("search/ru/")));
    assert!(one.iter().any(|f| f.path == "search/ru/index.js"));
    let hashed = one.iter().filter(|f| f.path != "search/ru/index.js");
    for f in hashed {
        let name = f.path.rsplit('/').next().unwrap_or_default();
        let parts: Vec<&str> = name.split('.').collect();
        assert!(
            matches!(parts.as_slice(), [_, h, "js"] if h.len() == 8),
            "{name}"
        );
    }
    let all: String = one
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert!(
        all.contains("\"баланса\",\"баланс\""),
        "alias of an inflected form"
    );
    assert!(all.contains("\"*111#\""));
    assert!(all.contains("\"ussd\""));
}

#[test]
fn unknown_languages_and_empty_input_still_give_a_manifest() {
    let files = build_index("de", &[]);
    assert_eq!(
        files
            .iter()
            .filter(|f| f.path == "search/de/index.js")
            .count(),
        1
    );
    let html = "<main data-search-body><p>Verbindungen</p></main>";
    let files = build_index("de", &[page("de/", "Start", html)]);
    let all: String = files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert!(
        all.contains("\"verbindungen\""),
        "no stemming for unknown languages"
    );
}
