//! Helpers of the content rules that compare languages: the shape of a page that every language
//! must share with the master text, and the glossary's spelling rules. Input: Markdown bodies,
//! built HTML and `glossary.yaml`'s parsed text; output: lists of differences and matches.

use std::collections::{BTreeMap, BTreeSet};

/// The language every other one mirrors: the master text is written in English first.
pub const MASTER: &str = "en";

/// What must be identical in every language's version of one page.
#[derive(Debug, PartialEq)]
pub struct PageShape {
    /// Ids of the headings in the page body, as built.
    pub heading_ids: BTreeSet<String>,
    /// Every shortcode call (`{{ data(…) }}`), whitespace removed, with repeats.
    pub shortcodes: Vec<String>,
    /// The collection item the page is about (`about:`).
    pub about: Option<String>,
    /// Absolute links in the page body, as built.
    pub external_links: BTreeSet<String>,
    pub source_urls: BTreeSet<String>,
}

/// Where `content/<lang>/<rel>` is built: `steps/_index.md` → `public/<lang>/steps/index.html`.
pub fn built_page(lang: &str, rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap();
    let dir = match stem.strip_suffix("_index") {
        Some(dir) => dir.to_owned(),
        None => format!("{stem}/"),
    };
    format!("public/{lang}/{dir}index.html")
}

/// The inside of every `{{ … }}` in a Markdown body, whitespace removed, sorted.
pub fn shortcode_calls(body: &str) -> Vec<String> {
    let mut calls: Vec<String> = body
        .split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(inner, _)| inner.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    calls.sort();
    calls
}

/// Headings of a Markdown body that lack an explicit `{#id}`: their generated ids would differ
/// between languages.
pub fn headings_without_id(body: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut missing = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(body, Options::ENABLE_HEADING_ATTRIBUTES) {
        match event {
            Event::Start(Tag::Heading { id: None, .. }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => missing.extend(current.take()),
            _ => {}
        }
    }
    missing
}

/// One line per way `shape` differs from the master's `master` shape.
pub fn shape_differences(file: &str, master: &PageShape, shape: &PageShape) -> Vec<String> {
    fn diff<T: Ord + Clone + std::fmt::Debug>(
        file: &str,
        what: &str,
        m: &[T],
        o: &[T],
    ) -> Vec<String> {
        if m == o {
            return Vec::new();
        }
        let missing: Vec<&T> = m.iter().filter(|x| !o.contains(x)).collect();
        let extra: Vec<&T> = o.iter().filter(|x| !m.contains(x)).collect();
        vec![format!(
            "{file}: {what} differ from {MASTER}: missing {missing:?}, extra {extra:?}"
        )]
    }
    let v = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
    let mut out = diff(
        file,
        "heading ids",
        &v(&master.heading_ids),
        &v(&shape.heading_ids),
    );
    out.extend(diff(
        file,
        "shortcodes",
        &master.shortcodes,
        &shape.shortcodes,
    ));
    out.extend(diff(
        file,
        "`about:`",
        &Vec::from_iter(master.about.clone()),
        &Vec::from_iter(shape.about.clone()),
    ));
    out.extend(diff(
        file,
        "external links",
        &v(&master.external_links),
        &v(&shape.external_links),
    ));
    out.extend(diff(
        file,
        "sources",
        &v(&master.source_urls),
        &v(&shape.source_urls),
    ));
    out
}

/// `glossary.yaml`: the one spelling of each term per language, and what to avoid.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    pub terms: BTreeMap<String, Term>,
    pub phrases_to_avoid: BTreeMap<String, Vec<String>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub en: String,
    pub zh: String,
    pub ru: String,
    pub kk: String,
    #[allow(dead_code)] // for writers; the test only requires it to be there
    pub note: String,
    pub variants_to_avoid: BTreeMap<String, Vec<String>>,
}

impl Term {
    pub fn spelling(&self, lang: &str) -> &str {
        match lang {
            "en" => &self.en,
            "zh" => &self.zh,
            "ru" => &self.ru,
            "kk" => &self.kk,
            _ => panic!("no language {lang}"),
        }
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// A letter or digit of a script that separates words with spaces.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Whether lower-case `text` uses `variant` as glossary.yaml defines: whole words for letters, a
/// stem with a trailing `*`, anywhere for Chinese characters; a leading `(?<!X)` skips matches
/// that directly follow X (续费 but not 手续费).
pub fn uses(text: &str, variant: &str) -> bool {
    let (not_after, variant) = match variant
        .strip_prefix("(?<!")
        .and_then(|rest| rest.split_once(')'))
    {
        Some((x, v)) => (Some(x.to_lowercase()), v),
        None => (None, variant),
    };
    let (needle, stem) = match variant.strip_suffix('*') {
        Some(s) => (s.to_lowercase(), true),
        None => (variant.to_lowercase(), false),
    };
    let starts_in_word = needle.chars().next().is_some_and(is_word_char);
    let ends_in_word = needle.chars().next_back().is_some_and(is_word_char);
    text.match_indices(&needle).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        (!starts_in_word || !before.is_some_and(is_word_char))
            && (stem || !ends_in_word || !after.is_some_and(is_word_char))
            && !not_after
                .as_ref()
                .is_some_and(|x| text[..i].ends_with(x.as_str()))
    })
}

/// Elements whose text is set apart from the words around it.
pub const BLOCKS: &[&str] = &[
    "p",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "section",
    "nav",
    "blockquote",
    "dt",
    "dd",
    "br",
    "ol",
    "ul",
    "table",
    "figcaption",
    "summary",
    "details",
];

/// The text of `el` in the page's own language, lower-case: an element marked `lang="ru"` on a
/// kk page is left out (the glossary shows every language's spelling on purpose).
pub fn own_language_text(el: scraper::ElementRef, lang: &str, out: &mut String) {
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(&text.to_lowercase());
        } else if let Some(child) = scraper::ElementRef::wrap(child) {
            let other = child.value().attr("lang").is_some_and(|l| {
                let l = l.to_ascii_lowercase();
                l != lang && !l.starts_with(&format!("{lang}-"))
            });
            let block = BLOCKS.contains(&child.value().name());
            if block || other {
                out.push(' ');
            }
            if !other {
                own_language_text(child, lang, out);
            }
            if block {
                out.push(' ');
            }
        }
    }
}

// ------------------------------------------------------------------ the helpers' own tests

use crate::common::sel;

#[test]
fn the_parity_helpers_see_what_differs() {
    assert_eq!(built_page("zh", "_index.md"), "public/zh/index.html");
    assert_eq!(
        built_page("kk", "steps/_index.md"),
        "public/kk/steps/index.html"
    );
    assert_eq!(built_page("ru", "faq.md"), "public/ru/faq/index.html");
    assert_eq!(
        shortcode_calls(
            "a {{ data(c=\"operators\", id=\"kcell\",  key=\"app\") }} b {{data(c=\"operators\", id=\"izi\", key=\"app\")}}"
        ),
        [
            "data(c=\"operators\",id=\"izi\",key=\"app\")",
            "data(c=\"operators\",id=\"kcell\",key=\"app\")"
        ]
    );
    assert_eq!(
        headings_without_id("## Kept {#kept}\n\n### Lost `code`\n\ntext\n"),
        ["Lost code"]
    );
    let shape = |ids: &[&str]| PageShape {
        heading_ids: ids.iter().map(|s| s.to_string()).collect(),
        shortcodes: Vec::new(),
        about: None,
        external_links: BTreeSet::new(),
        source_urls: BTreeSet::new(),
    };
    assert!(shape_differences("x", &shape(&["a"]), &shape(&["a"])).is_empty());
    let diff = shape_differences("x", &shape(&["a", "b"]), &shape(&["a", "c"]));
    assert_eq!(diff.len(), 1);
    assert!(
        diff[0].contains("\"b\"") && diff[0].contains("\"c\""),
        "{diff:?}"
    );
}

#[test]
fn glossary_variants_match_as_documented() {
    // Whole words for Latin and Cyrillic letters.
    assert!(uses("узнать о imei телефона", "о IMEI"));
    assert!(!uses("узнать про imei телефона", "о IMEI"));
    assert!(uses("ваш инн", "ИНН"));
    assert!(!uses("ваш иин", "ИНН"));
    // A trailing `*` is a stem.
    assert!(uses("балансты толтырыңыз", "толтыр*"));
    assert!(!uses("балансты толықтырыңыз", "толтыр*"));
    assert!(!uses("толтыру", "толтыр"));
    // Chinese matches anywhere, and a Latin word next to Chinese still ends at the Chinese.
    assert!(uses("在国内充值", "国内"));
    assert!(uses("一张sim卡", "SIM卡"));
    assert!(!uses("一张 sim 卡", "SIM卡"));
    // A leading `(?<!X)` skips matches right after X.
    assert!(uses("给号码续费", "(?<!手)续费"));
    assert!(!uses("不收手续费", "(?<!手)续费"));
    assert!(uses("不收手续费，也不用续费", "(?<!手)续费"));
    // Text marked as another language is left out of a page's own text.
    let doc = scraper::Html::parse_document(
        "<main><p>ЖСН (<span lang=\"ru\">ИИН</span>)</p><p lang=\"kk-KZ\">Иә</p></main>",
    );
    let mut text = String::new();
    own_language_text(doc.select(&sel("main")).next().unwrap(), "kk", &mut text);
    assert!(
        text.contains("жсн") && text.contains("иә") && !text.contains("иин"),
        "{text}"
    );
}
