//! Raw HTML in Markdown → the URLs it carries and the constructs refused outright.
//!
//! Input: one run of raw HTML as pulldown-cmark passes it through (an HTML block, or inline tags
//! next to each other). Output: every URL-bearing attribute value, decoded by html5ever's
//! tokenizer exactly as a browser decodes it (`&#106;`, `&colon;`, `&#x09`, raw-text elements),
//! with its byte offset in the run; and what is refused whatever the URL policy (`<script>`,
//! `on…` handlers, `srcdoc`, a tag left open at the end of the run). The caller classifies the
//! URLs with [`crate::safe_url`] and applies the site's link policy, as for Markdown links.
//! Work is linear in the run: one tokenizer pass, one forward search per tag.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::{Cell, RefCell};

/// What the scan found, each at a byte offset into the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A URL to check: the decoded value, the attribute (`img src`), and whether the place may
    /// hold `data:image/…`.
    Url {
        offset: usize,
        url: String,
        place: String,
        data_image_ok: bool,
    },
    /// Refused whatever the URL: message and hint.
    Refused {
        offset: usize,
        message: String,
        hint: &'static str,
    },
}

/// Scans the raw HTML runs of one page in order. Remembers across runs whether `<svg>` or
/// `<math>` was opened, because a browser parses `<style>` or `<textarea>` inside them as markup
/// rather than text: such raw-text elements are refused instead of guessed at.
#[derive(Default)]
pub struct Scanner {
    foreign: bool,
}

/// A start tag as the tokenizer emitted it, on `line` (1-based within the run).
struct SeenTag {
    line: u64,
    name: String,
    attrs: Vec<(String, String)>,
}

enum Event {
    Tag(SeenTag),
    Refused(u64, String, &'static str),
}

struct Sink {
    events: RefCell<Vec<Event>>,
    foreign: Cell<bool>,
    ending: Cell<bool>,
}

impl Sink {
    fn refuse(&self, line: u64, message: String, hint: &'static str) {
        self.events
            .borrow_mut()
            .push(Event::Refused(line, message, hint));
    }

    fn start_tag(&self, tag: Tag, line: u64) -> TokenSinkResult<()> {
        let name = tag.name.to_string();
        if matches!(name.as_str(), "svg" | "math") {
            self.foreign.set(true);
        }
        let raw = raw_kind(&name);
        if raw.is_some() && self.foreign.get() {
            self.refuse(
                line,
                format!("<{name}> after <svg> or <math> in raw HTML is not allowed"),
                "browsers read its content as markup there; move it out of the SVG or MathML",
            );
        }
        let attrs = tag
            .attrs
            .into_iter()
            .map(|a| (a.name.local.to_string(), a.value.to_string()))
            .collect();
        self.events
            .borrow_mut()
            .push(Event::Tag(SeenTag { line, name, attrs }));
        match raw {
            Some(_) if self.foreign.get() => TokenSinkResult::Continue,
            Some(None) => TokenSinkResult::Plaintext,
            Some(Some(kind)) => TokenSinkResult::RawData(kind),
            None => TokenSinkResult::Continue,
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                return self.start_tag(tag, line);
            }
            // A CDATA section is text in SVG and a comment in HTML, ending at different places.
            Token::CommentToken(c) if c.starts_with("[CDATA[") => self.refuse(
                line,
                "CDATA sections in raw HTML are not allowed".into(),
                "write the text as plain text",
            ),
            Token::ParseError(e) if self.ending.get() && e.contains("EOF") => self.refuse(
                line,
                "raw HTML ends inside an unfinished tag or comment".into(),
                "close the tag (`>`) and the comment (`-->`) within the same HTML block",
            ),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The tokenizer state a start tag switches to, as the HTML tree builder sets it (with
/// scripting on): `Some(None)` for plaintext.
fn raw_kind(name: &str) -> Option<Option<RawKind>> {
    match name {
        "title" | "textarea" => Some(Some(RawKind::Rcdata)),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Some(Some(RawKind::Rawtext))
        }
        "script" => Some(Some(RawKind::ScriptData)),
        "plaintext" => Some(None),
        _ => None,
    }
}

/// The raw HTML events of one page joined into runs (an HTML block's lines, inline tags next
/// to each other), so a tag split over lines is read whole.
#[derive(Default)]
pub struct Runs {
    text: String,
    /// (offset in `text`, offset in the Markdown source) where each event's text starts.
    pieces: Vec<(usize, usize)>,
    scanner: Scanner,
}

impl Runs {
    /// Adds the text of an `Html` or `InlineHtml` event found at `source` in the Markdown.
    pub fn push(&mut self, html: &str, source: usize) {
        self.pieces.push((self.text.len(), source));
        self.text.push_str(html);
    }

    /// Ends the current run: what it holds, with offsets into the Markdown source.
    pub fn end_run(&mut self) -> Vec<Found> {
        if self.text.is_empty() {
            return Vec::new();
        }
        let mut found = self.scanner.scan(&self.text);
        for f in &mut found {
            let (Found::Url { offset, .. } | Found::Refused { offset, .. }) = f;
            let i = self
                .pieces
                .partition_point(|&(run, _)| run <= *offset)
                .max(1)
                - 1;
            let (run, source) = self.pieces[i];
            *offset = source + (*offset - run);
        }
        self.text.clear();
        self.pieces.clear();
        found
    }
}

impl Scanner {
    /// Every URL and refused construct in `run`, in order.
    pub fn scan(&mut self, run: &str) -> Vec<Found> {
        let sink = Sink {
            events: RefCell::new(Vec::new()),
            foreign: Cell::new(self.foreign),
            ending: Cell::new(false),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(run));
        let _ = tokenizer.feed(&input);
        tokenizer.sink.ending.set(true);
        tokenizer.end();
        self.foreign = tokenizer.sink.foreign.get();
        let events = tokenizer.sink.events.into_inner();
        let locate = Locator::new(run);
        let mut cursor = 0;
        let mut found = Vec::new();
        for event in events {
            match event {
                Event::Refused(line, message, hint) => found.push(Found::Refused {
                    offset: locate.line_start(line),
                    message,
                    hint,
                }),
                Event::Tag(tag) => {
                    let offset = locate.tag_start(&tag, &mut cursor);
                    tag_findings(&tag, offset, &mut found);
                }
            }
        }
        found
    }
}

/// Turns the tokenizer's lines back into byte offsets, and finds where each tag starts.
struct Locator<'a> {
    run: &'a str,
    lower: String,
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    fn new(run: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(run.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            run,
            lower: run.to_ascii_lowercase(),
            line_starts,
        }
    }

    /// The start of a 1-based line; the last line with text for lines past it (the
    /// tokenizer's end of input is after the run's final newline).
    fn line_start(&self, line: u64) -> usize {
        let i = usize::try_from(line.max(1) - 1).unwrap_or(usize::MAX);
        let with_text = self
            .line_starts
            .partition_point(|&s| s < self.run.len())
            .max(1);
        self.line_starts[i.min(with_text - 1)]
    }

    /// The next `<name` at or after `cursor` on the tag's line (tags come in order), so the
    /// error points at the tag itself; the start of the tokenizer's line when the search misses
    /// (a name the tokenizer changed, like NUL to U+FFFD). A miss moves the cursor to the line's
    /// end, so no byte is searched twice and the scan stays linear.
    fn tag_start(&self, tag: &SeenTag, cursor: &mut usize) -> usize {
        let needle = format!("<{}", tag.name);
        let line_end = self
            .line_starts
            .get(usize::try_from(tag.line).unwrap_or(usize::MAX))
            .copied()
            .unwrap_or(self.run.len());
        let hit = self
            .lower
            .get(*cursor..line_end)
            .and_then(|s| s.find(&needle));
        match hit {
            Some(i) => {
                let start = *cursor + i;
                *cursor = start + needle.len();
                start
            }
            None => {
                *cursor = (*cursor).max(line_end);
                self.line_start(tag.line)
            }
        }
    }
}

/// The attributes whose value is one URL, on any element.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "cite",
    "background",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "manifest",
    "icon",
];

fn tag_findings(tag: &SeenTag, offset: usize, found: &mut Vec<Found>) {
    let refuse = |message: String, hint: &'static str| Found::Refused {
        offset,
        message,
        hint,
    };
    if tag.name == "script" {
        found.push(refuse(
            "<script> in raw HTML is not allowed".into(),
            "pages carry no scripts of their own; the theme's scripts are enough",
        ));
    }
    for (name, value) in &tag.attrs {
        let url = |url: &str| Found::Url {
            offset,
            url: url.to_owned(),
            place: format!("<{} {name}>", tag.name),
            data_image_ok: name == "src" && matches!(tag.name.as_str(), "img" | "source"),
        };
        if name.len() > 2 && name.starts_with("on") {
            found.push(refuse(
                format!("event handler attribute '{name}' in raw HTML is not allowed"),
                "remove it; pages carry no scripts of their own",
            ));
        } else if name == "srcdoc" {
            found.push(refuse(
                "'srcdoc' (an inline HTML document) in raw HTML is not allowed".into(),
                "link the frame to a page with src= instead",
            ));
        } else if URL_ATTRS.contains(&name.as_str()) {
            found.push(url(value));
        } else if name == "srcset" {
            found.extend(srcset_urls(value).into_iter().map(url));
        } else if matches!(name.as_str(), "to" | "from" | "values")
            && matches!(tag.name.as_str(), "set" | "animate")
        {
            // SVG animation can set an `href` to any of these values.
            found.extend(value.split(';').map(url));
        }
    }
    found.extend(refresh_finding(tag, offset));
}

/// The target of `<meta http-equiv=refresh content="0;url=…">`, which a browser follows.
fn refresh_finding(tag: &SeenTag, offset: usize) -> Option<Found> {
    let attr = |key: &str| tag.attrs.iter().find(|(n, _)| n == key).map(|(_, v)| v);
    let refresh = tag.name == "meta"
        && attr("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
    let target = attr("content")
        .filter(|_| refresh)
        .and_then(|c| refresh_url(c))?;
    Some(Found::Url {
        offset,
        url: target.to_owned(),
        place: "<meta http-equiv=refresh content>".into(),
        data_image_ok: false,
    })
}

/// The URL of each `srcset` candidate: a run of non-whitespace, with trailing commas cut, then
/// descriptors up to the next comma (HTML's "parse a srcset attribute").
fn srcset_urls(value: &str) -> Vec<&str> {
    let is_space = |c: char| c.is_ascii_whitespace();
    let mut urls = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| is_space(c) || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        let (url, after) = rest.split_at(end);
        let trimmed = url.trim_end_matches(',');
        urls.push(trimmed);
        rest = if trimmed.len() < url.len() {
            after
        } else {
            after.split_once(',').map_or("", |(_, r)| r)
        };
    }
}

/// The URL of a `<meta http-equiv=refresh>` content (`5; url='…'`), as HTML's "shared
/// declarative refresh steps" read it.
fn refresh_url(content: &str) -> Option<&str> {
    let ws = |c: char| c.is_ascii_whitespace();
    let rest = content
        .trim_start_matches(ws)
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start_matches(ws);
    let rest = rest
        .strip_prefix([';', ','])
        .unwrap_or(rest)
        .trim_start_matches(ws);
    if rest.is_empty() {
        return None;
    }
    let rest = match rest.get(..3) {
        Some(u) if u.eq_ignore_ascii_case("url") => {
            let after = rest[3..].trim_start_matches(ws);
            after
                .strip_prefix('=')
                .map_or(rest, |a| a.trim_start_matches(ws))
        }
        _ => rest,
    };
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => Some(rest[1..].split(q).next().unwrap_or("")),
        _ => Some(rest),
    }
}

#[cfg(test)]
mod tests;
