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
    let files = build_index("ja", &[]);
    assert_eq!(
        files
            .iter()
            .filter(|f| f.path == "search/ja/index.js")
            .count(),
        1
    );
    let html = "<main data-search-body><p>Verbindungen</p></main>";
    let files = build_index("ja", &[page("ja/", "Start", html)]);
    let all: String = files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert!(
        all.contains("\"verbindungen\""),
        "no stemming for unknown languages"
    );
}

/// The payload of every file of an index, by file name (`index`, `t.1a2b3c4d`, …), parsed.
fn payloads(files: &[crate::output::OutputFile]) -> Vec<(String, serde_yaml::Value)> {
    files
        .iter()
        .map(|f| {
            let js = String::from_utf8_lossy(&f.bytes).into_owned();
            let start = js.find(',').expect("a registration call") + 1;
            let end = js.rfind(");").expect("a registration call");
            let name = f.path.rsplit('/').next().unwrap_or_default();
            let name = name.trim_end_matches(".js").to_owned();
            (
                name,
                serde_yaml::from_str(&js[start..end]).expect("JSON payload"),
            )
        })
        .collect()
}

/// Dictionary entries `[key, alias, df?, postings?]` of an index, by key.
fn dictionary(files: &[crate::output::OutputFile]) -> Vec<Vec<serde_yaml::Value>> {
    payloads(files)
        .into_iter()
        .filter(|(name, _)| name.starts_with("t."))
        .flat_map(|(_, v)| {
            serde_yaml::from_value::<Vec<Vec<serde_yaml::Value>>>(v).expect("entries")
        })
        .collect()
}

fn entry<'a>(dict: &'a [Vec<serde_yaml::Value>], key: &str) -> Option<&'a Vec<serde_yaml::Value>> {
    dict.iter().find(|e| e[0].as_str() == Some(key))
}

#[test]
fn synonyms_give_sections_with_the_target_the_variant() {
    let synonyms =
        super::Synonyms::parse("all:\n  каспи: kaspi\nru:\n  симка: sim-карта\n", &["ru"])
            .expect("valid");
    let a = "<main data-search-body><h2 id=k>Оплата</h2><p>Через Kaspi.kz</p></main>";
    let b = "<main data-search-body><h2 id=s>Замена</h2><p>Новая SIM-карта</p></main>";
    let c = "<main data-search-body><h2 id=o>Офис</h2><p>Паспорт</p></main>";
    let pages = [
        page("ru/a/", "A", a),
        page("ru/b/", "B", b),
        page("ru/c/", "C", c),
    ];
    let dict = dictionary(&super::build_index_with("ru", &pages, &synonyms));
    // каспи is its own stem (Snowball leaves it) or an alias of one; either way it has postings
    // in exactly the one section that says Kaspi.
    let kaspi = entry(&dict, "каспи").expect("the variant is in the dictionary");
    let term = kaspi[1]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("каспи");
    let postings = entry(&dict, term).expect("the variant's term");
    assert_eq!(postings[2].as_u64(), Some(1), "df of {term}: {postings:?}");
    let simka = entry(&dict, "симка").expect("симка");
    let term = simka[1]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("симка");
    assert_eq!(entry(&dict, term).and_then(|e| e[2].as_u64()), Some(1));
    let without = dictionary(&build_index("ru", &pages));
    assert!(
        entry(&without, "каспи").is_none(),
        "no synonyms file, no variant"
    );
}

/// The postings of `word`'s index term (its own entry, or the one its alias names).
fn postings_of<'a>(dict: &'a [Vec<serde_yaml::Value>], word: &str) -> Option<&'a str> {
    let e = entry(dict, word)?;
    let term = e[1].as_str().filter(|s| !s.is_empty()).unwrap_or(word);
    entry(dict, term)?.get(3)?.as_str()
}

/// A variant ranks as the first word of its target as written (`top-up`), not as whichever
/// of the target's words the site happened to use first (`up`, on the page before).
#[test]
fn a_variant_ranks_as_the_first_word_of_its_target() {
    let synonyms = super::Synonyms::parse("en:\n  recharge: top-up\n", &["en"]).expect("valid");
    let a = "<main data-search-body><h2 id=u>Up</h2><p>Up and up.</p></main>";
    let b = "<main data-search-body><h2 id=t>Top-up</h2><p>Cards, up up up up up.</p></main>";
    let pages = [page("en/a/", "A", a), page("en/b/", "B", b)];
    let dict = dictionary(&super::build_index_with("en", &pages, &synonyms));
    let variant = postings_of(&dict, "recharge").expect("the variant has postings");
    assert_eq!(Some(variant), postings_of(&dict, "top-up"));
    assert_ne!(
        Some(variant),
        postings_of(&dict, "up"),
        "up is on both pages"
    );
}

#[test]
fn low_weight_text_is_indexed_at_the_lowest_level_and_not_shown() {
    let html = "<main data-search-body><h2 id=s>Sources</h2><ol data-search-weight=\"low\">\
        <li>Kcell roaming terms</li></ol><p>Roaming abroad roaming</p></main>";
    let files = build_index("en", &[page("en/a/", "A", html)]);
    let dict = dictionary(&files);
    let kcell = entry(&dict, "kcell").expect("low text is indexed");
    // One posting: gap 0 and level 1, (0 << 3 | 0) = "0".
    assert_eq!(kcell[3].as_str(), Some("0"), "{kcell:?}");
    let roam = entry(&dict, "roam").expect("body text");
    assert!(roam[3].as_str().is_some_and(|p| p != "0"), "{roam:?}");
    let docs: String = payloads(&files)
        .into_iter()
        .filter(|(n, _)| n.starts_with("d."))
        .map(|(_, v)| serde_yaml::to_string(&v).unwrap_or_default())
        .collect();
    assert!(
        docs.contains("Roaming abroad") && !docs.contains("Kcell"),
        "{docs}"
    );
}

#[test]
fn manifest_has_stop_list_page_sizes_and_typo_chunks() {
    let a = "<main data-search-body><h2 id=x>Registration</h2><p>Registration of phones</p>\
        <h2 id=y>Roaming</h2><p>Roaming abroad</p></main>";
    let b = "<main data-search-body><p>Biometric check</p></main>";
    let files = build_index("en", &[page("en/a/", "A", a), page("en/b/", "B", b)]);
    let all = payloads(&files);
    let manifest = &all.iter().find(|(n, _)| n == "index").expect("index").1;
    let stop: Vec<String> = serde_yaml::from_value(manifest["s"].clone()).expect("stop list");
    assert!(stop.contains(&"how".to_owned()) && stop.contains(&"the".to_owned()));
    assert_eq!(manifest["pg"].as_str(), Some("21"), "2 sections, then 1");
    let chunks: Vec<(String, u64, String)> =
        serde_yaml::from_value(manifest["ty"].clone()).expect("typo chunks");
    // The chunk holding `r` at 8 letters: the last one starting at or before it.
    let r = chunks
        .iter()
        .rev()
        .find(|c| (c.0.as_str(), c.1) <= ("r", 8))
        .expect("a chunk for r");
    let words = &all
        .iter()
        .find(|(n, _)| *n == format!("v.{}", r.2))
        .expect("chunk file")
        .1;
    let words: Vec<serde_yaml::Value> = serde_yaml::from_value(words.clone()).expect("array");
    let keys: Vec<&str> = words.iter().filter_map(|w| w.as_str()).collect();
    assert!(
        keys.contains(&"registration") && keys.contains(&"roaming"),
        "{keys:?}"
    );
    assert!(
        !chunks.iter().any(|c| c.0 == "o"),
        "`of` is too short for the table"
    );
}

/// The document chunks of an index, parsed: `{"p": [[url, title]…], "d": [[…]…]}`.
fn doc_chunks(files: &[crate::output::OutputFile]) -> Vec<(String, serde_yaml::Value)> {
    payloads(files)
        .into_iter()
        .filter(|(name, _)| name.starts_with("d."))
        .collect()
}

#[test]
fn documents_name_parents_once_and_anchors_only_when_needed() {
    let html = "<main data-search-body><h2 id=top-up>Top up</h2><p>Kaspi</p>\
        <h3 id=by-card>By card</h3><p>Visa</p><h2 id=custom>Other way</h2><p>Cash</p></main>";
    let files = build_index("en", &[page("en/a/", "A", html)]);
    let chunks = doc_chunks(&files);
    assert_eq!(chunks.len(), 1);
    let docs: Vec<Vec<serde_yaml::Value>> =
        serde_yaml::from_value(chunks[0].1["d"].clone()).expect("documents");
    let top_up = docs.iter().position(|d| d[1].as_str() == Some("Top up"));
    let by_card = docs
        .iter()
        .find(|d| d[1].as_str() == Some("By card"))
        .expect("h3");
    // The parent is the "Top up" section, by its index; the slug-shaped anchor is left out.
    assert_eq!(by_card[2][0].as_u64(), top_up.map(|i| i as u64));
    assert_eq!(by_card.len(), 4, "{by_card:?}");
    let other = docs
        .iter()
        .find(|d| d[1].as_str() == Some("Other way"))
        .expect("h2");
    assert_eq!(other.get(4).and_then(|a| a.as_str()), Some("custom"));
}

#[test]
fn an_edit_rewrites_only_its_own_document_chunk() {
    let body = |extra: &str| {
        format!(
            "<main data-search-body><h2 id=a>Balance</h2><p>{}</p>{extra}</main>",
            "Check the balance of a prepaid number online. ".repeat(3)
        )
    };
    let urls: Vec<String> = (0..1000).map(|i| format!("en/p{i:04}/")).collect();
    let plain = body("");
    let edited = body("<h2 id=b>New</h2><p>A new section</p>");
    let site = |edit: usize| {
        let pages: Vec<SearchPage<'_>> = urls
            .iter()
            .enumerate()
            .map(|(i, u)| page(u, "Page", if i == edit { &edited } else { &plain }))
            .collect();
        build_index("en", &pages)
    };
    let names = |files: &[crate::output::OutputFile]| -> std::collections::BTreeSet<String> {
        files
            .iter()
            .filter(|f| f.path.contains("/d."))
            .map(|f| f.path.clone())
            .collect()
    };
    let (before, after) = (names(&site(usize::MAX)), names(&site(10)));
    assert!(before.len() > 3, "several chunks: {}", before.len());
    // A new section early on shifts every later document id, yet only the edited page's chunk
    // gets a new name, and the next one when the edit moves the boundary between them.
    let changed = before.difference(&after).count();
    assert!((1..=2).contains(&changed), "{before:?} {after:?}");
    assert!(before.len() - changed >= 3);
}

#[test]
fn single_han_characters_are_posted_per_page() {
    let html = "<main data-search-body><h2 id=a>余额</h2><p>查询余额</p>\
        <h2 id=b>充值</h2><p>余额充值</p></main>";
    let files = build_index("zh", &[page("zh/a/", "余额", html)]);
    let dict = dictionary(&files);
    let df = |key: &str| entry(&dict, key).and_then(|e| e[2].as_u64());
    assert_eq!(df("余额"), Some(2), "a pair in both sections");
    assert_eq!(df("余"), Some(1), "a character once per page");
}
