//! Markdown rendering: one page's body → HTML, its table of contents, its heading ids, and the
//! anchors it links to (checked once every page is rendered).
//!
//! GFM tables, footnotes, strikethrough, task lists and heading attributes; GitHub alerts become
//! callouts titled in the page's language; headings get ids by GitHub's rule for every script;
//! links to `.md` files are rewritten to the built pages; every URL of the body, in Markdown or
//! in raw HTML (read by `raw_html`), is checked by `LinkSite::check_url`.

mod body_html;
mod code;
mod headings;
mod links;
mod raw_html;
mod shortcodes;
mod ussd;

pub use body_html::BodyHtml;
pub use headings::slugify;
pub use links::{AnchorRef, Checked, LinkSite, LinkTargets};
pub use shortcodes::DataSource;

use crate::diagnostics::Diagnostic;
use headings::IdAllocator;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: BodyHtml,
    pub toc: Vec<TocEntry>,
    /// Every id a link may target on this page.
    pub ids: Vec<String>,
    pub anchor_refs: Vec<AnchorRef>,
    /// Problems that do not stop the build (off-list links under `links: {external: warn}`).
    pub warnings: Vec<Diagnostic>,
    /// Fingerprint of everything the rendering read: equal keys, equal output.
    pub key: u64,
}

/// What rendering one page needs to know besides its text.
pub struct PageInput<'a> {
    pub file: &'a Path,
    pub body: &'a str,
    pub body_line: usize,
    /// UI strings of the page's language (alert titles).
    pub strings: &'a BTreeMap<String, String>,
}

/// A heading whose events are held back until its text, and so its id, is known:
/// (level, explicit id, classes, inner events).
type OpenHeading<'a> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'a>>);

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// Renders one page. All problems of the page are returned together, beside a best-effort
/// rendering whose anchor references can still be checked.
pub fn render(
    input: &PageInput,
    site: &LinkSite,
    facts: &dyn DataSource,
) -> (Rendered, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let text = shortcodes::expand(input.body, input.file, input.body_line, facts, &mut errors);
    // Sized up front (counting is one fast pass): grown step by step, these vectors and the
    // two below were copied ~45 times per page, ~1.7 % of a build's instructions.
    let mut line_starts: Vec<usize> =
        Vec::with_capacity(1 + memchr::memchr_iter(b'\n', text.as_bytes()).count());
    line_starts.push(0);
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    let line_of =
        |offset: usize| input.body_line + line_starts.partition_point(|&s| s <= offset) - 1;

    let mut out = Rendered::default();
    let mut ids = IdAllocator::default();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    // A fenced code block's language and text, gathered until its end so it is highlighted whole.
    let mut fence: Option<(String, String)> = None;
    // Line and column of a byte offset in the page's Markdown. Offsets come in order, so the
    // characters of a long line are counted once, not once per problem on it.
    let last_place = std::cell::Cell::new((0, 1));
    let place = |offset: usize| {
        let offset = text.floor_char_boundary(offset);
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let (from, column) = match last_place.get() {
            (prev, column) if prev >= line_starts[line] && prev <= offset => (prev, column),
            _ => (line_starts[line], 1),
        };
        let column = column + text[from..offset].chars().count();
        last_place.set((offset, column));
        (input.body_line + line, Some(column))
    };
    let mut fail = |(line, column): (usize, Option<usize>), (message, hint): (String, String)| {
        errors.push(
            Diagnostic::new(message)
                .in_file(input.file)
                .at(line, column)
                .with_hint(hint),
        );
    };

    // Parsed once and kept: explicit `{#id}`s must be known before the first heading is
    // rendered, and a parse of its own for them repeated the whole parse.
    let mut parsed = Vec::with_capacity(events_estimate(&text));
    parsed.extend(Parser::new_ext(&text, options()).into_offset_iter());
    // Explicit `{#id}`s win over generated ones wherever they appear on the page.
    for (event, _) in &parsed {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            ids.reserve(id);
        }
    }

    // Headings, tables and alerts add an event or two each to what the parser gave.
    events.reserve(parsed.len() + parsed.len() / 8);
    let mut link_warnings = Vec::new();
    let mut raw = raw_html::Runs::default();
    let mut link_depth = 0usize;
    for (event, range) in parsed {
        let line = line_of(range.start);
        match &event {
            Event::Html(html) | Event::InlineHtml(html) => raw.push(html, range.start),
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            _ => check_raw_html(raw.end_run(), site, &place, &mut fail, &mut link_warnings),
        }
        // A link or image destination rewritten to the built file, or kept as written (and the
        // problem reported) so rendering can go on and find the page's other problems.
        let mut resolve_or_report = |dest: &str, image: bool| -> pulldown_cmark::CowStr<'static> {
            site.resolve(dest, image, line, &mut out.anchor_refs, &mut link_warnings)
                .unwrap_or_else(|e| {
                    fail((line, None), e);
                    dest.to_owned()
                })
                .into()
        };
        let mut event = event;
        match &mut event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                *dest_url = resolve_or_report(dest_url, false)
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                *dest_url = resolve_or_report(dest_url, true)
            }
            _ => {}
        }
        let event = match event {
            Event::InlineMath(ref tex) | Event::DisplayMath(ref tex) => {
                let display = matches!(event, Event::DisplayMath(_));
                match code::math(tex, display) {
                    Ok(html) => Event::InlineHtml(html.into()),
                    Err(e) => {
                        fail(
                            (line, None),
                            (
                                format!("math: {e}"),
                                "check the LaTeX between the $ signs; write \\$ for a dollar sign"
                                    .into(),
                            ),
                        );
                        Event::Code(tex.clone())
                    }
                }
            }
            other => other,
        };
        if let Some((lang, code)) = fence.as_mut() {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(code::highlight(lang, code).into()));
                    fence = None;
                }
                _ => {}
            }
            continue;
        }
        if let Some((level, id, classes, buffered)) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let title = plain_text(buffered);
                let id = match id.take() {
                    Some(id) => id,
                    None => ids.unique(&slugify(&title)),
                };
                let n = *level as u8;
                // Written with `push_str`, not `format!`: three formatted strings per heading
                // were about 1 % of a build's instructions.
                let digit = char::from(b'0' + n);
                let mut open = String::with_capacity(16 + id.len());
                open.push_str("<h");
                open.push(digit);
                open.push_str(" id=\"");
                escape_into(&mut open, &id);
                open.push('"');
                if !classes.is_empty() {
                    open.push_str(" class=\"");
                    escape_into(&mut open, &classes.join(" "));
                    open.push('"');
                }
                open.push('>');
                events.push(Event::Html(open.into()));
                events.append(buffered);
                let mut close = String::new();
                if headings::ANCHOR_LEVELS.contains(&n) {
                    let label = input.strings.get("anchor_label");
                    let label = label.map_or("Link to this section", String::as_str);
                    headings::push_anchor(&mut close, &id, label);
                }
                close.push_str("</h");
                close.push(digit);
                close.push_str(">\n");
                events.push(Event::Html(close.into()));
                if (2..=3).contains(&n) {
                    out.toc.push(TocEntry {
                        level: n,
                        id: id.clone(),
                        title,
                    });
                }
                out.ids.push(id);
                heading = None;
            } else {
                buffered.push(event);
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                ));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                fence = Some((lang, String::new()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, key) = alert(kind);
                let title = input.strings.get(key).map(String::as_str).unwrap_or(class);
                events.push(Event::Html(format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>\n", escape(title)).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html("</div>\n".into())),
            // A wide table scrolls inside its own box on phones, not the page; the box is a
            // labelled, focusable region so the keyboard can scroll it too (works without script).
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(table_wrap_open(input.strings).into()));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>\n".into()));
            }
            // A task list is a list of things to check, not a form: no checkbox that looks
            // tappable but does nothing. An open item is a plain list item; a done one shows a
            // tick, and a screen reader hears "done".
            Event::TaskListMarker(done) => {
                if done {
                    let label = input
                        .strings
                        .get("task_done")
                        .map_or("Done", String::as_str);
                    events.push(Event::InlineHtml(
                        format!(
                            "<span class=\"task-done\" aria-hidden=\"true\">✓</span><span class=\"vh\">{}: </span>",
                            escape(label)
                        )
                        .into(),
                    ));
                }
            }
            Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(event);
            }
            // A USSD code (`*111#`) dials when tapped; never inside another link.
            Event::Code(ref code) if link_depth == 0 => match ussd::tel_link(code) {
                Some(html) => events.push(Event::InlineHtml(html.into())),
                None => events.push(event),
            },
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                out.ids.push(name.to_string());
                events.push(event);
            }
            other => events.push(other),
        }
    }
    check_raw_html(raw.end_run(), site, &place, &mut fail, &mut link_warnings);
    out.warnings = link_warnings
        .into_iter()
        .map(|((line, column), (message, hint))| {
            Diagnostic::new(message)
                .in_file(input.file)
                .at(line, column)
                .with_hint(hint)
        })
        .collect();
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // The body is held until its language's templates have run (and by `watch` until the
    // page changes): the room left by growing it would be up to as large again.
    html.shrink_to_fit();
    out.html = BodyHtml::Plain(html);
    (out, errors)
}

/// About how many events pulldown-cmark makes of `text`: one per 20 bytes of the guide's pages
/// (lists, links, tables) and one per 36 of the benchmark's prose (measured, 2 December 2026).
/// Sized for the denser kind; a page denser still grows the vector as before.
fn events_estimate(text: &str) -> usize {
    16 + text.len() / 20
}

/// The opening of a table's scroll box, labelled in the page's language.
fn table_wrap_open(strings: &BTreeMap<String, String>) -> String {
    let label = strings.get("table_label").map_or("Table", String::as_str);
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
        escape(label)
    )
}

/// A place in the page's Markdown: line and, when known, column.
type Place = (usize, Option<usize>);

/// Reports what a run of raw HTML carries: refused constructs, and each URL through the same
/// check as Markdown links.
fn check_raw_html(
    found: Vec<raw_html::Found>,
    site: &LinkSite,
    place: &dyn Fn(usize) -> Place,
    fail: &mut dyn FnMut(Place, links::Problem),
    warnings: &mut Vec<(Place, links::Problem)>,
) {
    for f in found {
        match f {
            raw_html::Found::Refused {
                offset,
                message,
                hint,
            } => fail(place(offset), (message, hint.into())),
            raw_html::Found::Url {
                offset,
                url,
                place: attr,
                data_image_ok,
            } => match site.check_url(&url, data_image_ok) {
                Err((message, hint)) => {
                    fail(place(offset), (format!("raw HTML {attr}: {message}"), hint))
                }
                Ok(Checked::Warn((message, hint))) => {
                    warnings.push((place(offset), (format!("raw HTML {attr}: {message}"), hint)));
                }
                Ok(Checked::OtherScheme(s)) => fail(
                    place(offset),
                    (
                        format!("raw HTML {attr}: links with the scheme '{s}:' are not allowed"),
                        "use https://, mailto: or tel:, or a relative path".into(),
                    ),
                ),
                Ok(Checked::Fine | Checked::Fragment | Checked::Relative) => {}
            },
        }
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "alert_note"),
        BlockQuoteKind::Tip => ("tip", "alert_tip"),
        BlockQuoteKind::Important => ("important", "alert_important"),
        BlockQuoteKind::Warning => ("warning", "alert_warning"),
        BlockQuoteKind::Caution => ("caution", "alert_caution"),
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Text inside inline HTML that Markdown must not interpret: HTML-escaped, and ASCII
/// punctuation as numeric entities (a USSD code's `*` would otherwise become emphasis).
pub fn escape_inline_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push_str(&format!("&#{};", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}
