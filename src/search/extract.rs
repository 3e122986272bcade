//! HTML → searchable sections: a rendered page in, one [`Section`] per heading out.
//!
//! Only the `<main … data-search-body>` element is read; navigation, footer and language
//! switcher live outside it. A heading `h1`–`h4` with an `id` starts a new section (its anchor);
//! text before the first such heading forms a section without anchor. Headings without an `id`,
//! `h5` and `h6` stay body text.
//!
//! A small hand-written tag scanner ([`scan`]) instead of an HTML5 parser: the input is the
//! theme's own well-formed output, only text and a few attributes matter, and this runs over
//! every page of every build. Content of `script`, `style`, `template`, `textarea`, `noscript` and `svg`,
//! `nav` elements (breadcrumbs, tables of contents) and any element marked `data-search-ignore`
//! is skipped. Block elements and table cells become
//! separators, so words of neighbouring cells do not run together. Text is decoded as it is
//! read; a heading's whitespace is collapsed on the way ([`collapse`]), a body's is left for
//! the tokenizer (see [`Section::text`]).

use std::borrow::Cow;

use super::entities::decode_into;

mod collapse;
mod scan;
mod seen;
use collapse::{end_text, push_collapsed, push_text};
use scan::{Item, Scanner, Tag};

/// One heading section of a page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's `id` (URL fragment); empty for text before the first heading.
    pub anchor: String,
    /// The heading's text; empty for text before the first heading.
    pub heading: String,
    /// The texts of the headings above this one, outermost first.
    pub parents: Vec<String>,
    /// The body text, character references decoded and whitespace left as the page has it: the
    /// tokenizer splits at any whitespace, so collapsing all of it would only serve the
    /// snippet, and `snippet` in `docs.rs` collapses just the snippet's start.
    pub text: String,
    /// Text marked `data-search-weight="low"` (source lists, unconfirmed rows): indexed at the
    /// lowest weight, never shown in snippets; raw as `text` is.
    pub low: String,
}

/// The sections of a rendered page, in document order; empty if no marked `<main>` exists.
pub fn sections(html: &str) -> Vec<Section> {
    let mut scan = Scanner::new(html);
    // Find the start tag of the marked <main>.
    loop {
        match scan.next_named("main") {
            Some(Item::Start(tag)) if tag.search_body => break,
            Some(_) => {}
            None => return Vec::new(),
        }
    }
    let mut builder = Builder::default();
    // The ignored element being stepped over: where its content starts, and its name.
    let mut skipping: Option<(usize, Cow<'_, str>)> = None;
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
            item => {
                let was_ignoring = builder.ignore.is_some();
                builder.feed(item);
                match (&builder.ignore, was_ignoring) {
                    (Some((name, _)), false) => {
                        let from = scan.pos();
                        match seen::end_of(html, from, name) {
                            Some(end) => {
                                scan.jump_to(end);
                                builder.ignore = None;
                            }
                            None => skipping = Some((from, name.clone())),
                        }
                    }
                    (None, true) => {
                        if let Some((from, name)) = skipping.take() {
                            seen::remember(html, from, scan.pos(), &name);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    builder.finish()
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

/// Assembles sections from the items inside `<main>`.
///
/// A heading's text is collapsed as it arrives ([`push_collapsed`]), so it is final when the
/// heading ends but for one trailing space ([`end_text`]); body text is only decoded.
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
            Item::Text(text) => self.push_text(text),
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

    /// Appends HTML text where text goes now: collapsed to the heading being read, or decoded
    /// to the low-weight text or the current body.
    fn push_text(&mut self, text: &str) {
        match (&mut self.heading, &self.low) {
            (Some((_, _, heading)), _) => push_text(heading, text),
            (None, Some(_)) => decode_into(text, &mut self.current.low),
            (None, None) => decode_into(text, &mut self.current.text),
        }
    }

    /// Appends a separator (a space, or a table's punctuation) where text goes now.
    fn push_separator(&mut self, separator: &str) {
        match (&mut self.heading, &self.low) {
            (Some((_, _, heading)), _) => push_collapsed(heading, separator),
            (None, Some(_)) => self.current.low.push_str(separator),
            (None, None) => self.current.text.push_str(separator),
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
            self.push_separator(separator);
        } else if name == "td" || name == "th" {
            self.cells += 1;
            let separator = match self.cells {
                1 => " ",
                2 => ": ",
                _ => ", ",
            };
            self.push_separator(separator);
        } else if is_block(name) {
            self.push_separator(" ");
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
            self.push_separator(" ");
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

    fn push_done(&mut self, section: Section) {
        let has_words = |t: &str| !t.chars().all(char::is_whitespace);
        if has_words(&section.text) || !section.heading.is_empty() || has_words(&section.low) {
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
    use super::Section;

    /// The sections of `html` with their raw texts collapsed (as snippets read them), so the
    /// expected texts need not spell out the page's line breaks.
    fn sections(html: &str) -> Vec<Section> {
        let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut out = super::sections(html);
        for s in &mut out {
            s.text = collapse(&s.text);
            s.low = collapse(&s.low);
        }
        out
    }

    /// A section's text keeps the page's whitespace (the tokenizer splits at it), decoded; a
    /// section with nothing but whitespace and no heading is left out.
    #[test]
    fn body_text_stays_raw_and_whitespace_alone_is_no_section() {
        let html = "<main data-search-body>\n  <div>\n\t&nbsp;</div>\n<h2 id=a>A \n B</h2>\n<p>x&amp;\n  y</p>\n</main>";
        let got = super::sections(html);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].heading, "A B");
        assert_eq!(got[0].text, "\n x&\n  y \n");
    }

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

    /// An ignored element met again with the same bytes is skipped by comparison, with the
    /// sections a thread that never met it finds; one that only starts the same is read.
    #[test]
    fn ignored_elements_met_again_give_what_reading_them_gives() {
        // Long enough to be kept; the end tag's name inside a comment, a script and a quoted
        // value, and a nested element of the same name.
        let facts = format!(
            "<section data-search-ignore><h2 id=f>Facts</h2><!-- </section> -->\
             <script>'</section>'</script><a title='</section>'>x</a>\
             <section><p>{}</p></section></section>",
            "fact ".repeat(120)
        );
        let page = |body: &str, tail: &str| {
            format!(
                "<main data-search-body><h2 id=a>A</h2><p>{body}</p>{facts}{tail}<p>after {body}</p></main>"
            )
        };
        let pages = [
            page("one", ""),
            page("two", ""),
            // The same bytes and then more before the element ends: read, not skipped.
            page("three", "").replacen("</section></section>", "</section><p>in</p></section>", 1),
            page("four", "<section data-search-ignore>x</section>"),
        ];
        let fresh: Vec<_> = pages
            .iter()
            .map(|p| {
                let p = p.clone();
                std::thread::spawn(move || super::sections(&p))
                    .join()
                    .unwrap()
            })
            .collect();
        assert!(fresh[0][0].text.contains("after one"), "{:?}", fresh[0]);
        assert!(
            !fresh[0].iter().any(|s| s.text.contains("fact")),
            "{:?}",
            fresh[0]
        );
        std::thread::spawn(move || {
            let mut hits = Vec::new();
            for (page, expected) in pages.iter().zip(&fresh) {
                assert_eq!(&super::sections(page), expected, "{page}");
                hits.push(super::seen::hits());
            }
            assert_eq!(hits, [0, 1, 1, 2], "skipped by comparison after each page");
        })
        .join()
        .unwrap();
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
