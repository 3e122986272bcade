//! The real guide: it builds, every internal link and asset resolves, every page exists in all
//! four languages, every page that states an operator fact is dated and sourced, links go only
//! where the content rules allow, every language says the same thing (same sections, facts, links
//! and sources as the English master text), and only the glossary's spelling of each term is used.

mod common;
mod content_rules;
use common::*;
use content_rules::*;
use std::collections::{BTreeMap, BTreeSet};
use steppe::config::Config;

const LANGUAGES: [&str; 4] = ["zh", "en", "ru", "kk"];
const OPERATORS: [&str; 6] = ["kcell", "activ", "beeline", "tele2", "altel", "izi"];

/// Legal and news outlets the content brief cites; `sources` may name these besides the
/// official domains of site.yaml. Aggregators, resellers, messengers and image hosts are absent
/// on purpose.
const CITABLE_OUTLETS: &[&str] = &[
    "zakon.kz",
    "inform.kz",
    "lada.kz",
    "ng.kz",
    "kt.kz",
    "baq.kz",
    "timesca.com",
    "astanatimes.com",
    "kursiv.media",
    "esquire.kz",
    "zhaikpress.kz",
    "rtvi.com",
    "trend.az",
    "bizmedia.kz",
    "sadaq.kz",
    "fbrk.kz",
    "profit.kz",
    "ortcom.kz",
    "kazlenta.kz",
    "mobileworldlive.com",
    "thebulletin.news",
    "kz.expert",
    "azh.kz",
    "ontustiktv.kz",
    "arasha.kz",
    "zhasalash.kz",
    "mgorod.kz",
    "ust-kamenogorsk.city",
    "exclusive.kz",
];

struct Page {
    file: String,
    front: steppe::content::FrontMatter,
    body: std::sync::Arc<str>,
}

fn config() -> Config {
    Config::load(&repo()).unwrap()
}

fn pages() -> Vec<Page> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let file = entry
                .path()
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let split = steppe::content::parse_file(
                std::path::Path::new(&file),
                &std::fs::read(entry.path()).unwrap(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            pages.push(Page {
                file,
                front: split.front,
                body: split.body,
            });
        }
    }
    pages
}

fn host_allowed(url: &str, domains: &[&str]) -> bool {
    steppe::config::url_host(url).is_some_and(|h| {
        domains
            .iter()
            .any(|d| h == *d || h.ends_with(&format!(".{d}")))
    })
}

#[test]
fn the_guide_builds_and_every_link_resolves() {
    let site = TestSite::real();
    let out = site.build();
    assert!(stdout(&out).contains("in 4 languages"), "{}", stdout(&out));
    let broken = broken_links(&site.path("public"));
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    // Every page of the first edition (the guide's own build script, before collections and
    // the built-in theme) keeps its URL, so links readers saved still work.
    let first = std::fs::read_to_string(repo().join("tests/guide-urls-first-edition.txt")).unwrap();
    let lost: Vec<&str> = first
        .lines()
        .filter(|url| !site.path("public").join(url).is_file())
        .collect();
    assert!(
        lost.is_empty(),
        "pages of the first edition missing: {lost:?}"
    );
    assert_eq!(first.lines().count(), 74);
}

#[test]
fn every_page_exists_in_all_four_languages() {
    let mut by_lang: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for p in pages() {
        let rest = p.file.strip_prefix("content/").unwrap();
        let (lang, rel) = rest.split_once('/').unwrap();
        let lang = LANGUAGES
            .iter()
            .find(|l| **l == lang)
            .unwrap_or_else(|| panic!("unexpected language folder in {}", p.file));
        by_lang.entry(lang).or_default().insert(rel.to_owned());
    }
    let all: BTreeSet<String> = by_lang.values().flatten().cloned().collect();
    assert!(all.len() >= 18, "{all:?}");
    for lang in LANGUAGES {
        let missing: Vec<&String> = all.difference(&by_lang[lang]).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        for op in OPERATORS {
            assert!(
                by_lang[lang].contains(&format!("operators/{op}.md")),
                "{lang} lacks operator {op}"
            );
        }
    }
    let config = config();
    let ids: Vec<&str> = operators(&config).iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, OPERATORS);
}

/// The guide's operators: the items of its `operators` collection.
fn operators(config: &Config) -> &[steppe::config::Item] {
    &config
        .collection("operators")
        .expect("the guide declares an operators collection")
        .items
}

/// Names a configured operator, contains a USSD code, or states a dated rule (a year).
fn states_operator_fact(page: &Page, config: &Config) -> bool {
    let text = format!("{} {}", page.front.title, page.body).to_lowercase();
    let names_operator = operators(config).iter().any(|o| {
        let name = o.name.get("en").to_lowercase();
        text.match_indices(&name).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    });
    let has_ussd = text.split('*').skip(1).any(|rest| {
        rest.chars()
            .take_while(|c| *c != '#')
            .all(|c| c.is_ascii_digit() || c == '*' || c.is_alphabetic() || c == '…')
            && rest.contains('#')
    });
    let has_year = text.as_bytes().windows(4).any(|w| {
        (w.starts_with(b"19") || w.starts_with(b"20")) && w.iter().all(u8::is_ascii_digit)
    });
    names_operator || has_ussd || has_year
}

#[test]
fn pages_that_state_operator_facts_are_dated_and_sourced() {
    let config = config();
    let mut checked = 0;
    for p in pages() {
        if !states_operator_fact(&p, &config) {
            continue;
        }
        checked += 1;
        assert!(
            p.front.reviewed.is_some(),
            "{} states operator facts but has no `reviewed:` date",
            p.file
        );
        assert!(
            !p.front.sources.is_empty(),
            "{} states operator facts but has no `sources:`",
            p.file
        );
    }
    assert!(
        checked >= 40,
        "only {checked} pages were recognised as stating facts"
    );
}

#[test]
fn sources_cite_only_official_sites_and_the_briefs_outlets() {
    let config = config();
    let official: Vec<&str> = config
        .links
        .allowed_domains
        .iter()
        .map(String::as_str)
        .collect();
    let citable: Vec<&str> = official
        .iter()
        .copied()
        .chain(CITABLE_OUTLETS.iter().copied())
        .collect();
    for p in pages() {
        for s in &p.front.sources {
            assert!(
                host_allowed(&s.url, &citable),
                "{}: source {} is not an official site or an outlet the brief cites",
                p.file,
                s.url
            );
        }
    }
    for op in operators(&config) {
        let urls = op
            .sources
            .iter()
            .map(|s| s.url.as_str())
            .chain(op.facts.values().filter_map(|f| f.source.as_deref()));
        for url in urls {
            assert!(
                host_allowed(url, &citable),
                "data/operators/{}.yaml: source {url} is not citable",
                op.id
            );
        }
        for fact in op.facts.values() {
            if let Some(url) = &fact.url {
                assert!(
                    host_allowed(url, &official),
                    "data/operators/{}.yaml: link {url} is not official",
                    op.id
                );
            }
        }
    }
}

#[test]
fn body_links_go_only_to_official_domains() {
    // The build refuses other domains; this checks the allowlist itself holds only official
    // operator and government domains.
    let config = config();
    let official_suffixes = [".kz", ".me"];
    for d in &config.links.allowed_domains {
        assert!(
            official_suffixes.iter().any(|s| d.ends_with(s)),
            "{d} is not an operator or government domain"
        );
        assert!(
            !CITABLE_OUTLETS.contains(&d.as_str()),
            "{d} is a news outlet, not an official site"
        );
    }
    let site = TestSite::real();
    site.build();
    for (path, bytes) in tree(&site.path("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for href in attrs(&doc, "main .content a[href]", "href") {
            if href.starts_with("http") {
                assert!(config.is_allowed_url(&href), "{path}: body link {href}");
            }
        }
    }
}

#[test]
fn nothing_the_brief_rules_out_is_stated() {
    // Codes the brief attributes to other countries' operators, and promotional links.
    let banned = [
        "*105#",
        "*102#",
        "0611",
        "t.me/",
        "wa.me/",
        "telegram.me",
        "postimg",
    ];
    for p in pages() {
        for b in banned {
            assert!(!p.body.contains(b), "{} contains {b}", p.file);
        }
    }
}

// ------------------------------------------------------------------ parity across languages

fn page_shape(site: &TestSite, page: &Page, lang: &str, rel: &str) -> PageShape {
    let doc = site.html(&built_page(lang, rel));
    let headings = "main .content h1, main .content h2, main .content h3, main .content h4, \
                    main .content h5, main .content h6";
    PageShape {
        heading_ids: attrs(&doc, headings, "id").into_iter().collect(),
        shortcodes: shortcode_calls(&page.body),
        about: page.front.about.clone(),
        external_links: attrs(&doc, "main .content a[href]", "href")
            .into_iter()
            .filter(|h| h.starts_with("http://") || h.starts_with("https://"))
            .collect(),
        source_urls: page.front.sources.iter().map(|s| s.url.clone()).collect(),
    }
}

#[test]
fn every_language_has_the_same_sections_facts_links_and_sources_as_the_master() {
    let site = TestSite::real();
    site.build();
    let mut by_file: BTreeMap<String, Page> =
        pages().into_iter().map(|p| (p.file.clone(), p)).collect();
    let prefix = format!("content/{MASTER}/");
    let masters: Vec<String> = by_file
        .keys()
        .filter(|f| f.starts_with(&prefix))
        .cloned()
        .collect();
    assert!(masters.len() >= 23, "{masters:?}");
    let mut problems = Vec::new();
    for master_file in &masters {
        let rel = master_file.strip_prefix(&prefix).unwrap();
        let master = by_file.remove(master_file).unwrap();
        for heading in headings_without_id(&master.body) {
            problems.push(format!(
                "{master_file}: heading \"{heading}\" has no explicit {{#id}}"
            ));
        }
        let master_shape = page_shape(&site, &master, MASTER, rel);
        for lang in LANGUAGES.iter().filter(|l| **l != MASTER) {
            let file = format!("content/{lang}/{rel}");
            match by_file.remove(&file) {
                None => problems.push(format!("{file}: missing (translate {master_file})")),
                Some(page) => {
                    let shape = page_shape(&site, &page, lang, rel);
                    problems.extend(shape_differences(&file, &master_shape, &shape));
                }
            }
        }
    }
    problems.extend(
        by_file
            .keys()
            .map(|f| format!("{f}: no {MASTER} page of that name")),
    );
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ------------------------------------------------------------------ the glossary

fn glossary() -> Glossary {
    let text = std::fs::read_to_string(repo().join("glossary.yaml")).unwrap();
    let g: Glossary = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("glossary.yaml: {e}"));
    let languages = g
        .terms
        .values()
        .flat_map(|t| t.variants_to_avoid.keys())
        .chain(g.phrases_to_avoid.keys());
    for lang in languages {
        assert!(
            LANGUAGES.contains(&lang.as_str()),
            "glossary.yaml: unknown language {lang}"
        );
    }
    g
}

/// The built pages of `lang` with the text of their `<main>`.
fn main_texts(site: &TestSite, lang: &str) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for (path, bytes) in tree(&site.path(&format!("public/{lang}"))) {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let mut text = String::new();
        for main in doc.select(&sel("main")) {
            own_language_text(main, lang, &mut text);
        }
        pages.push((format!("{lang}/{path}"), text));
    }
    assert!(pages.len() >= 18, "{lang}: only {} pages", pages.len());
    pages
}

#[test]
fn only_the_glossarys_spelling_of_each_term_is_used() {
    let g = glossary();
    let site = TestSite::real();
    site.build();
    let mut problems = Vec::new();
    for lang in LANGUAGES {
        let mut avoid: Vec<(String, String)> = Vec::new();
        for (id, term) in &g.terms {
            for v in term.variants_to_avoid.get(lang).into_iter().flatten() {
                let hint = format!("term `{id}`: write \"{}\"", term.spelling(lang));
                assert!(
                    !uses(&term.spelling(lang).to_lowercase(), v),
                    "glossary.yaml: {lang} spelling of `{id}` matches its own variant {v}"
                );
                avoid.push((v.clone(), hint));
            }
        }
        for v in g.phrases_to_avoid.get(lang).into_iter().flatten() {
            avoid.push((v.clone(), "listed under phrases_to_avoid".to_owned()));
        }
        let pages = main_texts(&site, lang);
        for (page, text) in &pages {
            for (variant, hint) in &avoid {
                if uses(text, variant) {
                    problems.push(format!("{page}: uses \"{variant}\" ({hint})"));
                }
            }
        }
        let glossary_page = format!("{lang}/glossary/index.html");
        match pages.iter().find(|(p, _)| *p == glossary_page) {
            None => problems.push(format!("{glossary_page}: missing")),
            Some((_, text)) => {
                for (id, term) in &g.terms {
                    let spelling = term.spelling(lang).to_lowercase();
                    if !text.contains(&spelling) {
                        problems.push(format!(
                            "{glossary_page}: does not show `{id}` as \"{spelling}\""
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
