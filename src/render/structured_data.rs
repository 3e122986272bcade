//! JSON-LD for search engines. Input: the site model and one page (its breadcrumbs, table of
//! contents and rendered body). Output: the text of its `<script type="application/ld+json">`,
//! a `@graph` of the types that apply, or nothing.
//!
//! - `BreadcrumbList` on every page below a language home (`item` URLs need `base_url`);
//! - `WebSite` and `Organization` on language homes (their `url` needs `base_url`);
//! - `FAQPage` from the question headings (h2/h3 ending in `?` or `？`) of a page marked
//!   `schema: faq`, or unmarked with at least two question headings making up half of its
//!   h2/h3 headings; each answer is the text up to the next heading of the same or a higher level;
//! - `HowTo` on a page marked `schema: howto`: one step per h2, or per item of its first
//!   ordered list when it has no h2.
//!
//! Properties follow Google's structured data documentation (required ones always present).
//! `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, so no `</script>` or comment
//! opener can appear in the script element whatever a title holds.

use crate::content::Schema;
use crate::markdown::TocEntry;
use crate::site::{Kind, Page, Site};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde_json::{Value, json};
use std::cell::RefCell;

/// The JSON-LD of page `index` (whose body HTML is `body`), or `None` when no type applies.
/// `logo` is the output path of the organisation's logo (the theme's `icon-512.png`).
pub(crate) fn json_ld(site: &Site, index: usize, body: &str, logo: Option<&str>) -> Option<String> {
    let page = &site.pages[index];
    let base = site
        .config
        .base_url
        .as_deref()
        .map(|b| b.trim_end_matches('/'));
    let permalink = |url: &str| base.map(|b| format!("{b}/{url}"));
    // Every graph member is serialised on its own and the graph joined as text: the breadcrumbs,
    // on every page below a home, are written straight from the site model (see `breadcrumbs`).
    let mut graph: Vec<String> = Vec::new();
    if let Some(b) = base.and_then(|b| breadcrumbs(site, page, b)) {
        graph.push(b);
    }
    let mut more = Vec::new();
    if page.kind == Kind::Home {
        more.extend(home(site, page, logo, &permalink));
    }
    // A fallback copy is another language's text and `noindex`: its original carries these.
    if page.is_translated() {
        let lang = site.config.language(&page.lang).map(|l| l.tag.as_str());
        let url = permalink(&page.url);
        match wanted(page) {
            Some(Schema::Faq) => more.extend(faq(page, body, lang)),
            Some(Schema::Howto) => more.extend(howto(page, body, lang, url.as_deref())),
            _ => {}
        }
    }
    graph.extend(more.iter().map(Value::to_string));
    if graph.is_empty() {
        return None;
    }
    // `json!({"@context": …, "@graph": graph})` as serde_json writes it (keys sorted, compact).
    let text = format!(
        r#"{{"@context":"https://schema.org","@graph":[{}]}}"#,
        graph.join(",")
    );
    Some(escape_script(&text))
}

/// Serialises `value` for a `<script>` element. Copies the text between escapes in runs: one
/// `push` per character was a third of `json_ld`'s time.
pub(crate) fn encode(value: &Value) -> String {
    escape_script(&value.to_string())
}

/// JSON text with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`.
fn escape_script(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = 0;
    // The three are ASCII, so every index here is on a character boundary.
    for (i, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(escaped);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out
}

/// Which of FAQ or HowTo the page gets: its front matter's choice, else FAQ when most of its
/// h2/h3 headings are questions.
fn wanted(page: &Page) -> Option<Schema> {
    if page.front.schema.is_some() {
        return page.front.schema;
    }
    let headings = page
        .rendered
        .toc
        .iter()
        .filter(|t| matches!(t.level, 2 | 3));
    let (all, questions) = headings.fold((0, 0), |(a, q), t| (a + 1, q + is_question(t) as usize));
    (questions >= 2 && questions * 2 >= all).then_some(Schema::Faq)
}

fn is_question(t: &TocEntry) -> bool {
    matches!(t.level, 2 | 3) && t.title.trim_end().ends_with(['?', '？'])
}

/// Home › … › the page, from the section tree, as the JSON text of its `BreadcrumbList` (every
/// `item` is a URL under `base`). Written straight into one string, as serde_json writes the
/// same `json!` object (keys sorted, compact; the test below holds it to that): building and
/// serialising a `Value` per crumb was two thirds of `json_ld`'s time.
fn breadcrumbs(site: &Site, page: &Page, base: &str) -> Option<String> {
    let mut chain = vec![page];
    let mut at = page.parent;
    while let Some(i) = at {
        chain.push(&site.pages[i]);
        at = site.pages[i].parent;
    }
    if chain.len() < 2 {
        return None;
    }
    chain.reverse();
    let mut out = String::with_capacity(64 + chain.len() * 160);
    out.push_str(r#"{"@type":"BreadcrumbList","itemListElement":["#);
    for (i, p) in chain.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"@type":"ListItem","item":"#);
        json_string(&mut out, &format!("{base}/{}", p.url));
        out.push_str(r#","name":"#);
        json_string(&mut out, &p.front.title);
        out.push_str(r#","position":"#);
        out.push_str(&(i + 1).to_string());
        out.push('}');
    }
    out.push_str("]}");
    Some(out)
}

/// `text` as a JSON string literal, quoted and escaped as serde_json does.
fn json_string(out: &mut String, text: &str) {
    // Serialising a `str` cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// `WebSite` and `Organization` of a language home; both need its absolute URL.
fn home(
    site: &Site,
    page: &Page,
    logo: Option<&str>,
    permalink: &dyn Fn(&str) -> Option<String>,
) -> Vec<Value> {
    let (Some(url), Some(root)) = (permalink(&page.url), permalink("")) else {
        return Vec::new();
    };
    let config = &site.config;
    let name = config.title.get(&page.lang);
    let tag = config.language(&page.lang).map(|l| l.tag.clone());
    let mut website = json!({
        "@type": "WebSite",
        "@id": format!("{url}#website"),
        "name": name,
        "url": url,
        "inLanguage": tag,
        "publisher": { "@id": format!("{root}#organization") },
    });
    if let Some(d) = config.description.as_ref() {
        website["description"] = json!(d.get(&page.lang));
    }
    let logo = logo.map(|l| format!("{root}{l}"));
    let mut organization = json!({
        "@type": "Organization",
        "@id": format!("{root}#organization"),
        "name": name,
        "url": root,
    });
    if let Some(logo) = logo {
        organization["logo"] = json!(logo);
    }
    vec![website, organization]
}

/// `FAQPage`: one `Question` per question heading (with `schema: faq` and no question
/// headings, one per h2), its answer the text below it.
fn faq(page: &Page, body: &str, lang: Option<&str>) -> Option<Value> {
    let toc = &page.rendered.toc;
    let any_question = toc.iter().any(is_question);
    let asked = |t: &TocEntry| {
        if any_question {
            is_question(t)
        } else {
            t.level == 2
        }
    };
    let sections = sections(body);
    let questions: Vec<Value> = toc
        .iter()
        .filter(|t| asked(t))
        .filter_map(|t| {
            let answer = answer_text(&sections, toc, t);
            (!answer.is_empty()).then(|| {
                json!({
                    "@type": "Question",
                    "name": t.title,
                    "acceptedAnswer": { "@type": "Answer", "text": answer },
                })
            })
        })
        .collect();
    if questions.is_empty() {
        return None;
    }
    Some(json!({
        "@type": "FAQPage",
        "name": page.front.title,
        "inLanguage": lang,
        "mainEntity": questions,
    }))
}

/// The text below heading `q` up to the next heading of its level or above.
fn answer_text(sections: &[Section], toc: &[TocEntry], q: &TocEntry) -> String {
    let level_of = |id: &str| toc.iter().find(|t| t.id == id).map_or(1, |t| t.level);
    let Some(start) = sections.iter().position(|s| s.id == q.id) else {
        return String::new();
    };
    let mut text = sections[start].text.clone();
    for s in &sections[start + 1..] {
        if level_of(&s.id) <= q.level {
            break;
        }
        join(&mut text, &s.text);
    }
    text
}

/// `HowTo`: one `HowToStep` per h2 (named by it, its text below it, linked to its anchor), or
/// per item of the first ordered list.
fn howto(page: &Page, body: &str, lang: Option<&str>, url: Option<&str>) -> Option<Value> {
    let toc = &page.rendered.toc;
    let sections = sections(body);
    let mut steps: Vec<Value> = toc
        .iter()
        .filter(|t| t.level == 2)
        .map(|t| {
            let mut step = json!({
                "@type": "HowToStep",
                "name": t.title,
                "text": Some(answer_text(&sections, toc, t)).filter(|s| !s.is_empty()).unwrap_or_else(|| t.title.clone()),
            });
            if let Some(u) = url {
                step["url"] = json!(format!("{u}#{}", t.id));
            }
            step
        })
        .collect();
    if steps.is_empty() {
        steps = first_ordered_list(body)
            .into_iter()
            .map(|text| json!({ "@type": "HowToStep", "text": text }))
            .collect();
    }
    if steps.is_empty() {
        return None;
    }
    let mut howto = json!({
        "@type": "HowTo",
        "name": page.front.title,
        "inLanguage": lang,
        "step": steps,
    });
    if let Some(d) = &page.front.description {
        howto["description"] = json!(d);
    }
    Some(howto)
}

/// Text under one heading of a rendered body: from the heading's end to the next heading with
/// an `id`. Text before the first heading has the empty id.
#[derive(Debug, Default)]
struct Section {
    id: String,
    text: String,
}

fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut heading = false;
    for piece in pieces(html) {
        match piece {
            Piece::Open(name, Some(id)) if is_heading(&name) => {
                heading = true;
                out.push(Section {
                    id,
                    text: String::new(),
                });
            }
            Piece::Close(name) if is_heading(&name) => heading = false,
            Piece::Text(t) if !heading => out.last_mut().expect("one").text.push_str(&t),
            Piece::Open(name, _) | Piece::Close(name) if !heading && is_block(&name) => {
                separate(&mut out.last_mut().expect("one").text)
            }
            _ => {}
        }
    }
    for s in &mut out {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// The text of each item of the body's first `<ol>` (nested lists stay in their item).
fn first_ordered_list(html: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let (mut depth, mut started) = (0usize, false);
    for piece in pieces(html) {
        match piece {
            Piece::Open(name, _) if name == "ol" || name == "ul" => {
                if name == "ol" && depth == 0 {
                    if started {
                        break;
                    }
                    started = true;
                }
                if started {
                    depth += 1;
                }
            }
            Piece::Close(name) if (name == "ol" || name == "ul") && started => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Piece::Open(name, _) if name == "li" && depth == 1 => items.push(String::new()),
            Piece::Text(t) if started => {
                if let Some(last) = items.last_mut() {
                    last.push_str(&t);
                }
            }
            Piece::Open(name, _) | Piece::Close(name) if started && is_block(&name) => {
                if let Some(last) = items.last_mut() {
                    separate(last);
                }
            }
            _ => {}
        }
    }
    items
        .into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements whose edges separate words; inline ones (`a`, `em`, `code`) do not.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "td"
            | "th"
            | "tr"
            | "table"
            | "br"
            | "div"
            | "blockquote"
            | "pre"
            | "section"
            | "details"
            | "summary"
            | "figure"
            | "figcaption"
            | "hr"
    ) || is_heading(name)
}

/// A block boundary separates words (`<td>a</td><td>b</td>`).
fn separate(to: &mut String) {
    if !to.ends_with(' ') && !to.is_empty() {
        to.push(' ');
    }
}

fn join(to: &mut String, more: &str) {
    if more.is_empty() {
        return;
    }
    if !to.is_empty() {
        to.push(' ');
    }
    to.push_str(more);
}

/// The tags and text of an HTML fragment, entities decoded by html5ever's tokenizer; the
/// content of `script`, `style` and `template` is left out.
enum Piece {
    Open(String, Option<String>),
    Close(String),
    Text(String),
}

#[derive(Default)]
struct Collect {
    pieces: RefCell<Vec<Piece>>,
    skipping: RefCell<Option<String>>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut skipping = self.skipping.borrow_mut();
        let mut pieces = self.pieces.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if let Some(skipped) = skipping.as_deref() {
                    if tag.kind == TagKind::EndTag && skipped == name {
                        *skipping = None;
                    }
                    return TokenSinkResult::Continue;
                }
                if tag.kind == TagKind::EndTag {
                    pieces.push(Piece::Close(name));
                } else if matches!(name.as_str(), "script" | "style" | "template") {
                    *skipping = Some(name);
                    return TokenSinkResult::RawData(
                        html5ever::tokenizer::states::RawKind::ScriptData,
                    );
                } else {
                    let id = tag
                        .attrs
                        .iter()
                        .find(|a| &*a.name.local == "id")
                        .map(|a| a.value.to_string());
                    pieces.push(Piece::Open(name, id));
                }
            }
            Token::CharacterTokens(t) if skipping.is_none() => {
                pieces.push(Piece::Text(t.to_string()))
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn pieces(html: &str) -> Vec<Piece> {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.pieces.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_leaves_no_markup() {
        let v = json!({ "name": "</script><!-- & >" });
        let s = encode(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        let wide = encode(&json!({ "n": "Қазақ <b> 中文 &" }));
        assert_eq!(wide, r#"{"n":"Қазақ \u003cb\u003e 中文 \u0026"}"#);
    }

    /// The breadcrumbs written as text are what serde_json writes of the same `json!` object,
    /// whatever the titles hold (quotes, backslashes, control characters, markup, any script).
    #[test]
    fn breadcrumbs_are_what_serde_json_writes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut site = crate::build::build_site(&root, false, None).unwrap().site;
        let titles = [
            "a \"quoted\" \\ title",
            "tab\tand\u{1}\u{7f}",
            "</script><!--&",
            "Қазақ 中文 🙂",
        ];
        for (i, page) in site.pages.iter_mut().enumerate() {
            page.front.title = format!("{} {i}", titles[i % titles.len()]);
        }
        let base = "https://example.org/g";
        let mut checked = 0;
        for page in &site.pages {
            let Some(text) = breadcrumbs(&site, page, base) else {
                assert!(page.parent.is_none(), "{}", page.url);
                continue;
            };
            let mut chain = vec![page];
            while let Some(i) = chain.last().unwrap().parent {
                chain.push(&site.pages[i]);
            }
            chain.reverse();
            let items: Vec<Value> = chain
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    json!({"@type": "ListItem", "position": i + 1, "name": p.front.title,
                           "item": format!("{base}/{}", p.url)})
                })
                .collect();
            let expected = json!({ "@type": "BreadcrumbList", "itemListElement": items });
            assert_eq!(text, expected.to_string());
            checked += 1;
        }
        assert!(checked > 2, "only {checked} pages with breadcrumbs");
    }

    #[test]
    fn sections_split_at_headings_with_ids() {
        let html = "<p>intro</p><h2 id=\"a\">A?</h2><p>one &amp; <b>two</b></p><table><tr><td>x</td><td>y</td></tr></table><h3 id=\"b\">B</h3><p>three</p><script>no</script>";
        let s = sections(html);
        let texts: Vec<(&str, &str)> = s.iter().map(|s| (s.id.as_str(), s.text.as_str())).collect();
        assert_eq!(
            texts,
            [("", "intro"), ("a", "one & two x y"), ("b", "three")]
        );
    }

    #[test]
    fn answers_run_to_the_next_heading_of_their_level() {
        let toc = |level, id: &str| TocEntry {
            level,
            id: id.into(),
            title: format!("{id}?"),
        };
        let toc = vec![toc(2, "a"), toc(3, "a1"), toc(2, "b")];
        let html = "<h2 id=\"a\">a?</h2><p>first</p><h3 id=\"a1\">a1?</h3><p>deeper</p><h2 id=\"b\">b?</h2><p>second</p>";
        let s = sections(html);
        assert_eq!(answer_text(&s, &toc, &toc[0]), "first deeper");
        assert_eq!(answer_text(&s, &toc, &toc[1]), "deeper");
        assert_eq!(answer_text(&s, &toc, &toc[2]), "second");
    }

    #[test]
    fn the_first_ordered_list_gives_steps() {
        let html = "<ul><li>not this</li></ul><ol><li>Go <em>there</em></li><li>Ask<ol><li>nested</li></ol></li></ol><ol><li>later</li></ol>";
        assert_eq!(first_ordered_list(html), ["Go there", "Ask nested"]);
    }
}
