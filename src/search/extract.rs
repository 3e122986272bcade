//! HTML → searchable sections: a rendered page in, one [`Section`] per heading out.
//!
//! Only the `<main … data-search-body>` element is read; navigation, footer and language
//! switcher live outside it. A heading `h1`–`h4` with an `id` starts a new section (its anchor);
//! text before the first such heading forms a section without anchor. Headings without an `id`,
//! `h5` and `h6` stay body text.
//!
//! A small hand-written tag scanner instead of an HTML5 parser: the input is the theme's own
//! well-formed output, only text and a few attributes matter, and this runs over every page of
//! every build. Content of `script`, `style`, `template`, `textarea`, `noscript` and `svg`,
//! `nav` elements (breadcrumbs, tables of contents) and any element marked `data-search-ignore`
//! is skipped. Block elements and table cells become
//! separators, so words of neighbouring cells do not run together. Text is decoded and its
//! whitespace collapsed as it is read ([`collapse`]).

use std::borrow::Cow;

use memchr::{memchr, memmem};

use super::entities::decode_into;

mod collapse;
use collapse::{end_text, push_collapsed, push_text};

/// One heading section of a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's `id` (URL fragment); empty for text before the first heading.
    pub anchor: String,
    /// The heading's text; empty for text before the first heading.
    pub heading: String,
    /// The texts of the headings above this one, outermost first.
    pub parents: Vec<String>,
    /// The body text, whitespace collapsed (as `split_whitespace` joined by single spaces).
    pub text: String,
    /// Text marked `data-search-weight="low"` (source lists, unconfirmed rows): indexed at the
    /// lowest weight, never shown in snippets.
    pub low: String,
}

/// The sections of a rendered page, in document order; empty if no marked `<main>` exists.
pub fn sections(html: &str) -> Vec<Section> {
    let mut scan = Scanner { html, pos: 0 };
    // Find the start tag of the marked <main>.
    loop {
        match scan.next_named("main") {
            Some(Item::Start(tag)) if tag.search_body => break,
            Some(_) => {}
            None => return Vec::new(),
        }
    }
    let mut builder = Builder::default();
    loop {
        // Inside an ignored element only its own name's tags matter (its nesting depth).
        let item = match &builder.ignore {
            Some((name, _)) => scan.next_named(name),
            None => scan.next(),
        };
        let Some(item) = item else { break };
        match item {
            Item::End(name) if name.eq_ignore_ascii_case("main") && builder.ignore.is_none() => {
                break;
            }
            item => builder.feed(item),
        }
    }
    builder.finish()
}

/// One lexical item of HTML.
enum Item<'a> {
    Text(&'a str),
    Start(Tag<'a>),
    /// An end tag's name, lowercase.
    End(Cow<'a, str>),
}

/// A start tag with the attributes search cares about.
struct Tag<'a> {
    /// Lowercase.
    name: Cow<'a, str>,
    /// As written, references not yet decoded: only a heading's id is ever used.
    id: Option<&'a str>,
    search_body: bool,
    search_ignore: bool,
    search_low: bool,
    self_closing: bool,
}

/// Elements whose content is raw text or not readable text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "textarea" | "noscript" | "svg"
    )
}

/// Elements that never have content or an end tag.
fn is_void_name(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose start and end separate words.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "caption"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "ul"
    )
}

/// HTML names are case-insensitive; the theme writes them lowercase, so this rarely allocates.
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

struct Scanner<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a str {
        &self.html[self.pos..]
    }

    /// Moves past the next occurrence of `needle` (or to the end).
    fn skip_past(&mut self, needle: &str) {
        let rest = self.rest().as_bytes();
        let found = match needle.as_bytes() {
            &[byte] => find_byte(byte, rest),
            bytes => memmem::find(rest, bytes),
        };
        self.pos = match found {
            Some(i) => self.pos + i + needle.len(),
            None => self.html.len(),
        };
    }

    fn next(&mut self) -> Option<Item<'a>> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let lt = find_byte(b'<', rest.as_bytes()).unwrap_or(rest.len());
        if lt > 0 {
            self.pos += lt;
            return Some(Item::Text(&rest[..lt]));
        }
        let after = &rest[1..];
        if after.starts_with("!--") {
            self.skip_past("-->");
            return self.next();
        }
        if after.starts_with(['!', '?']) {
            self.skip_past(">");
            return self.next();
        }
        if let Some(end) = after.strip_prefix('/') {
            let name = lowercase(tag_name(end));
            self.skip_past(">");
            return Some(Item::End(name));
        }
        if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.pos += 1;
            return Some(Item::Text("<"));
        }
        let tag = self.start_tag();
        if is_skipped(&tag.name) && !tag.self_closing {
            let name = tag.name.clone();
            self.skip_raw(&name);
            return self.next();
        }
        Some(Item::Start(tag))
    }

    /// Parses the start tag at `pos` and moves past it.
    fn start_tag(&mut self) -> Tag<'a> {
        let raw = tag_name(&self.html[self.pos + 1..]);
        let mut tag = Tag {
            name: lowercase(raw),
            id: None,
            search_body: false,
            search_ignore: false,
            search_low: false,
            self_closing: false,
        };
        tag.self_closing = self.past_start_tag(raw.len(), |name, value| {
            if name.eq_ignore_ascii_case("id") {
                tag.id = Some(value.unwrap_or(""));
            } else if name.eq_ignore_ascii_case("data-search-body") {
                tag.search_body = true;
            } else if name.eq_ignore_ascii_case("data-search-ignore") {
                tag.search_ignore = true;
            } else if name.eq_ignore_ascii_case("data-search-weight") {
                tag.search_low = value.is_some_and(|v| v.trim().eq_ignore_ascii_case("low"));
            }
        });
        tag
    }

    /// Moves past the start tag at `pos`, whose name is `name_len` bytes long, calling `attr`
    /// with each attribute's name and value as written; whether it ends in `/>`.
    #[inline]
    fn past_start_tag(
        &mut self,
        name_len: usize,
        mut attr: impl FnMut(&'a str, Option<&'a str>),
    ) -> bool {
        let html = self.html;
        let bytes = html.as_bytes();
        let mut i = self.pos + 1 + name_len;
        let mut self_closing = false;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => {
                    self_closing = bytes[i - 1] == b'/';
                    i += 1;
                    break;
                }
                b if b.is_ascii_whitespace() || b == b'/' => i += 1,
                _ => {
                    let (name, value, next) = attribute(html, i);
                    attr(name, value);
                    i = next;
                }
            }
        }
        self.pos = i.min(html.len());
        self_closing
    }

    /// The next item [`Scanner::next`] would give that is a start or end tag named `name`
    /// (lowercase), skipping the others: the items an ignored element's reader looks at.
    /// The same items and the same position after them as calling `next` until one comes
    /// (pinned by a test), without making the others: other tags are only stepped over (their
    /// attributes still read, so a `>` in a quoted value does not end them) and text is not
    /// looked at.
    fn next_named(&mut self, name: &str) -> Option<Item<'a>> {
        loop {
            let rest = self.rest();
            let Some(lt) = find_byte(b'<', rest.as_bytes()) else {
                self.pos = self.html.len();
                return None;
            };
            self.pos += lt;
            let after = &rest[lt + 1..];
            if after.starts_with("!--") {
                self.skip_past("-->");
            } else if after.starts_with(['!', '?']) {
                self.skip_past(">");
            } else if let Some(end) = after.strip_prefix('/') {
                let raw = tag_name(end);
                self.skip_past(">");
                if raw.eq_ignore_ascii_case(name) {
                    return Some(Item::End(lowercase(raw)));
                }
            } else if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                self.pos += 1;
            } else {
                let raw = tag_name(after);
                if raw.eq_ignore_ascii_case(name) || is_skipped(&lowercase(raw)) {
                    // What `next` does with it: the tag, or its raw content skipped.
                    let tag = self.start_tag();
                    if !is_skipped(&tag.name) || tag.self_closing {
                        if *tag.name == *name {
                            return Some(Item::Start(tag));
                        }
                    } else {
                        let skipped = tag.name.clone();
                        self.skip_raw(&skipped);
                    }
                } else {
                    self.past_start_tag(raw.len(), |_, _| {});
                }
            }
        }
    }

    /// Skips the content of a raw-text element up to and past its end tag.
    fn skip_raw(&mut self, name: &str) {
        loop {
            let rest = self.rest();
            let Some(i) = memmem::find(rest.as_bytes(), b"</") else {
                self.pos = self.html.len();
                return;
            };
            self.pos += i + 2;
            if tag_name(self.rest()).eq_ignore_ascii_case(name) {
                self.skip_past(">");
                return;
            }
        }
    }
}

/// `memchr`, with the first 16 bytes looked at in line: most searches here end within a few
/// bytes (the `>` after an end tag's name, the `<` after a line break and indentation), where
/// the call cost more than the search.
#[inline]
fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    let near = haystack.len().min(16);
    match haystack[..near].iter().position(|&b| b == needle) {
        Some(k) => Some(k),
        None => memchr(needle, &haystack[near..]).map(|k| near + k),
    }
}

/// The tag name at the start of `s` (letters, digits, `-`).
fn tag_name(s: &str) -> &str {
    // Bytes, not chars: any byte of a non-ASCII character ends the name, at a char boundary.
    let end = s
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The bytes that end an attribute's name: `=`, `>`, `/` and ASCII whitespace.
static ENDS_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'=' | b'>' | b'/') || (b as u8).is_ascii_whitespace();
        b += 1;
    }
    table
};

/// Reads one attribute starting at byte `i`: its name, its value as written (`None` for a bare
/// attribute) and the index after it.
fn attribute(html: &str, i: usize) -> (&str, Option<&str>, usize) {
    let bytes = html.as_bytes();
    let name_end = bytes[i..]
        .iter()
        .position(|&b| ENDS_NAME[b as usize])
        .map_or(bytes.len(), |k| i + k)
        .max(i + 1);
    let name = &html[i..name_end];
    let mut j = name_end;
    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    let mut value = None;
    if j < bytes.len() && bytes[j] == b'=' {
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (start, end, next) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = find_byte(q, &bytes[j + 1..]).map_or(bytes.len(), |k| j + 1 + k);
                (j + 1, end, (end + 1).min(bytes.len()))
            }
            _ => {
                let end = (j..bytes.len())
                    .find(|&k| bytes[k] == b'>' || bytes[k].is_ascii_whitespace())
                    .unwrap_or(bytes.len());
                (j, end, end)
            }
        };
        value = Some(&html[start..end]);
        j = next;
    } else if j > name_end {
        j = name_end; // a bare attribute followed by whitespace: let the caller skip it
    }
    (name, value, j)
}

/// Assembles sections from the items inside `<main>`.
///
/// Text is collapsed as it arrives ([`push_collapsed`]), so a section's text is final when the
/// section ends but for one trailing space ([`end_text`]).
#[derive(Default)]
struct Builder<'a> {
    done: Vec<Section>,
    current: Section,
    /// Open headings above the current point: (level, text).
    stack: Vec<(u8, String)>,
    /// The heading being read: (level, anchor, text).
    heading: Option<(u8, String, String)>,
    /// An ignored element being skipped: (name, nesting depth).
    ignore: Option<(Cow<'a, str>, u32)>,
    /// A low-weight element being read: (name, nesting depth).
    low: Option<(Cow<'a, str>, u32)>,
    /// Cells seen in the current table row, for the cell separator.
    cells: u32,
    /// Rows seen in the current table, for the row separator.
    rows: u32,
}

impl<'a> Builder<'a> {
    fn feed(&mut self, item: Item<'a>) {
        if let Some((name, depth)) = &mut self.ignore {
            match item {
                Item::Start(t) if t.name == *name && !is_void(&t) => *depth += 1,
                Item::End(n) if n == *name => {
                    *depth -= 1;
                    if *depth == 0 {
                        self.ignore = None;
                    }
                }
                _ => {}
            }
            return;
        }
        match item {
            Item::Text(text) => {
                push_text(self.buffer(), text);
            }
            Item::Start(tag) => {
                if let Some((name, depth)) = &mut self.low
                    && tag.name == *name
                    && !is_void(&tag)
                {
                    *depth += 1;
                } else if tag.search_low && self.low.is_none() && !is_void(&tag) {
                    self.low = Some((tag.name.clone(), 1));
                }
                self.start(tag);
            }
            Item::End(name) => {
                self.end(&name);
                if let Some((low, depth)) = &mut self.low
                    && name == *low
                {
                    *depth -= 1;
                    if *depth == 0 {
                        self.low = None;
                    }
                }
            }
        }
    }

    /// Where text goes now: the heading being read, the low-weight text, or the current body.
    fn buffer(&mut self) -> &mut String {
        match (&mut self.heading, &self.low) {
            (Some((_, _, text)), _) => text,
            (None, Some(_)) => &mut self.current.low,
            (None, None) => &mut self.current.text,
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        // Navigation inside <main> (breadcrumbs, a table of contents) repeats other pages'
        // titles and this page's headings: not content.
        if tag.search_ignore || tag.name == "nav" {
            if !is_void(&tag) {
                self.ignore = Some((tag.name, 1));
            }
            return;
        }
        let level = heading_level(&tag.name);
        if let (Some(level), Some(id), None) = (level, tag.id, &self.heading)
            && level <= 4
            && !id.is_empty()
        {
            let mut anchor = String::new();
            decode_into(id, &mut anchor);
            if !anchor.is_empty() {
                self.heading = Some((level, anchor, String::new()));
                return;
            }
        }
        let name: &str = &tag.name;
        // Rows end like clauses and a row's cells read as "label: value, value", so snippets show
        // sentences rather than table separators.
        if name == "table" {
            self.rows = 0;
        } else if name == "tr" {
            self.cells = 0;
            self.rows += 1;
            let separator = if self.rows > 1 { "; " } else { " " };
            push_collapsed(self.buffer(), separator);
        } else if name == "td" || name == "th" {
            self.cells += 1;
            let separator = match self.cells {
                1 => " ",
                2 => ": ",
                _ => ", ",
            };
            push_collapsed(self.buffer(), separator);
        } else if is_block(name) {
            push_collapsed(self.buffer(), " ");
        }
    }

    fn end(&mut self, name: &str) {
        if let Some((level, _, _)) = &self.heading
            && heading_level(name) == Some(*level)
        {
            let (level, anchor, mut text) = self.heading.take().unwrap_or_default();
            end_text(&mut text);
            self.open_section(level, anchor, text);
            return;
        }
        if is_block(name) {
            push_collapsed(self.buffer(), " ");
        }
    }

    fn open_section(&mut self, level: u8, anchor: String, heading: String) {
        let finished = std::mem::take(&mut self.current);
        self.push_done(finished);
        self.stack.retain(|(l, _)| *l < level);
        let parents = self.stack.iter().map(|(_, t)| t.clone()).collect();
        self.stack.push((level, heading.clone()));
        self.current = Section {
            anchor,
            heading,
            parents,
            text: String::new(),
            low: String::new(),
        };
    }

    fn push_done(&mut self, mut section: Section) {
        end_text(&mut section.text);
        end_text(&mut section.low);
        if !section.text.is_empty() || !section.heading.is_empty() || !section.low.is_empty() {
            self.done.push(section);
        }
    }

    fn finish(mut self) -> Vec<Section> {
        if let Some((level, anchor, mut text)) = self.heading.take() {
            end_text(&mut text);
            self.open_section(level, anchor, text);
        }
        let last = std::mem::take(&mut self.current);
        self.push_done(last);
        self.done
    }
}

fn is_void(tag: &Tag<'_>) -> bool {
    tag.self_closing || is_void_name(&tag.name)
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Section, sections};

    fn sec(anchor: &str, heading: &str, parents: &[&str], text: &str) -> Section {
        Section {
            anchor: anchor.into(),
            heading: heading.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            text: text.into(),
            low: String::new(),
        }
    }

    #[test]
    fn splits_main_into_heading_sections() {
        let html = r#"<html><head><title>x</title><script>var a = "<main data-search-body>";</script></head>
<body><nav>Menu</nav><main class="c" data-search-body><h1>Top up</h1><p>Intro &amp; more</p>
<h2 id="online">Online</h2><p>Use the <a href="x">app</a>.</p><!-- <h2 id="no">x</h2> -->
<h3 id="kaspi">Kaspi<span>.kz</span></h3><p>Pay</p><h2 id="office">In an office</h2>
<table><tr><th>Code</th><th>What</th></tr><tr><td>*111#</td><td>Balance</td></tr></table>
</main><footer>Footer</footer></body></html>"#;
        assert_eq!(
            sections(html),
            vec![
                sec("", "", &[], "Top up Intro & more"),
                sec("online", "Online", &[], "Use the app."),
                sec("kaspi", "Kaspi.kz", &["Online"], "Pay"),
                sec("office", "In an office", &[], "Code: What; *111#: Balance"),
            ]
        );
    }

    #[test]
    fn skips_scripts_ignored_elements_and_unmarked_pages() {
        let html = "<main data-search-body><nav><ol><li>Home</li></ol></nav><h2 id=a>A<a data-search-ignore href='#a'>#</a></h2>\
            <script>let x = '</div>';</script><div data-search-ignore><div>hidden</div></div>\
            <style>p{}</style><p>Seen&nbsp;text &#1178;&#x4E2D; &bogus;</p><br/></main>";
        assert_eq!(
            sections(html),
            vec![sec("a", "A", &[], "Seen text Қ中 &bogus;")]
        );
        assert!(sections("<main><p>Not marked</p></main>").is_empty());
    }

    #[test]
    fn low_weight_text_is_kept_apart_and_tables_read_as_text() {
        let html = "<main data-search-body><h2 id=f>Facts</h2><table>\
            <tr><th>Balance check</th><td>*111#</td></tr>\
            <tr data-search-weight=\"low\"><th>Support</th><td><span>not confirmed</span></td></tr>\
            <tr><th>App</th><td>My activ</td><td>izi</td></tr></table>\
            <ol data-search-weight='low'><li><ol><li>Kcell terms</li></ol></li><li>activ FAQ</li></ol>\
            <p>After</p></main>";
        let s = &sections(html)[0];
        assert_eq!(s.text, "Balance check: *111#; App: My activ, izi After");
        assert_eq!(s.low, "; Support: not confirmed Kcell terms activ FAQ");
    }

    #[test]
    fn find_byte_agrees_with_position() {
        for len in 0..40 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = b'<';
                }
                let want = bytes.iter().position(|&b| b == b'<');
                assert_eq!(super::find_byte(b'<', &bytes), want, "{at} of {len}");
            }
        }
    }

    /// What an item says, with the scanner's position after it.
    fn seen(item: &super::Item<'_>, pos: usize) -> String {
        match item {
            super::Item::Text(t) => format!("text {t:?} {pos}"),
            super::Item::End(n) => format!("end {n} {pos}"),
            super::Item::Start(t) => format!(
                "start {} {:?} {} {} {} {} {pos}",
                t.name, t.id, t.search_body, t.search_ignore, t.search_low, t.self_closing
            ),
        }
    }

    /// Stepping over everything but the tags of one name gives the items `next` gives with
    /// that name, at the same positions, from every position of tricky HTML: comments and
    /// scripts holding tags, `>` in quoted values, capitals, self-closing and nested tags of
    /// the same name, a `<` that starts no tag, a tag cut off at the end.
    #[test]
    fn next_named_agrees_with_next() {
        let html = "<div a=\"x>y\" b='</span>' c=d>t<span data-search-ignore><!-- <span> -->\
            <SPAN class=x>in</Span><span/><script>'</span>'</script><scRipt/>x<svg><span></svg>\
            a < b <? x ?><!doctype html></span><style>span{}</style><span id=q \n/>\
            <main data-search-body><p>é</p></main><span title=\"a>b\"><b>x</b></span><span x=\"";
        for name in ["span", "main", "b", "svg", "script"] {
            for start in (0..=html.len()).filter(|&i| html.is_char_boundary(i)) {
                let mut general = super::Scanner { html, pos: start };
                let mut want = Vec::new();
                while let Some(item) = general.next() {
                    let named = match &item {
                        super::Item::Start(t) => t.name == name,
                        super::Item::End(n) => n == name,
                        super::Item::Text(_) => false,
                    };
                    if named {
                        want.push(seen(&item, general.pos));
                    }
                }
                let mut fast = super::Scanner { html, pos: start };
                let mut got = Vec::new();
                while let Some(item) = fast.next_named(name) {
                    got.push(seen(&item, fast.pos));
                }
                assert_eq!(got, want, "{name} from {start}");
                assert_eq!(fast.pos, html.len());
            }
        }
    }

    #[test]
    fn heading_parents_follow_levels() {
        let html = "<main data-search-body><h1 id=t>T</h1><h2 id=a>A</h2><h3 id=b>B</h3>\
            <h4 id=c>C</h4><h2 id=d>D</h2><p>x</p></main>";
        let got: Vec<Vec<String>> = sections(html).into_iter().map(|s| s.parents).collect();
        assert_eq!(
            got,
            [
                vec![],
                vec!["T"],
                vec!["T", "A"],
                vec!["T", "A", "B"],
                vec!["T"]
            ]
        );
    }
}
