//! The tag scanner of [`super`]: HTML in, lexical items out (text, start tags with the few
//! attributes search reads, end tags), comments skipped and the content of raw-text elements
//! (`script`, `style`, …) stepped over.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// One lexical item of HTML.
pub(super) enum Item<'a> {
    Text(&'a str),
    Start(Tag<'a>),
    /// An end tag's name, lowercase.
    End(Cow<'a, str>),
}

/// A start tag with the attributes search cares about.
pub(super) struct Tag<'a> {
    /// Lowercase.
    pub(super) name: Cow<'a, str>,
    /// As written, references not yet decoded: only a heading's id is ever used.
    pub(super) id: Option<&'a str>,
    pub(super) search_body: bool,
    pub(super) search_ignore: bool,
    pub(super) search_low: bool,
    pub(super) self_closing: bool,
}

/// Elements whose content is raw text or not readable text.
pub(super) fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "textarea" | "noscript" | "svg"
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

pub(super) struct Scanner<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(html: &'a str) -> Scanner<'a> {
        Scanner { html, pos: 0 }
    }

    /// The byte offset of the next item.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Moves to `pos`, where an item must start (the end of one already read).
    pub(super) fn jump_to(&mut self, pos: usize) {
        self.pos = pos.min(self.html.len());
    }

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

    pub(super) fn next(&mut self) -> Option<Item<'a>> {
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
    pub(super) fn next_named(&mut self, name: &str) -> Option<Item<'a>> {
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
                    self.pos = step_over_attributes(self.html.as_bytes(), self.pos + 1 + raw.len());
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

/// The index after the start tag whose attributes begin at byte `i`: where
/// [`Scanner::past_start_tag`] ends, by the same rules ([`name_end`], [`value_at`]), without
/// making the attributes' names and values. Stepping over the head of every page and over
/// ignored elements (the facts box on every page about an item) was about 7 % of a build's
/// instructions.
fn step_over_attributes(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return i + 1,
            b'/' => i += 1,
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                i = name_end(bytes, i);
                let j = skip_spaces(bytes, i);
                if bytes.get(j) == Some(&b'=') {
                    i = value_at(bytes, j + 1).2;
                }
            }
        }
    }
    bytes.len()
}

/// The end of the attribute name that starts at byte `i`: its first byte whatever it is, then
/// up to `=`, `>`, `/` or ASCII whitespace.
#[inline]
fn name_end(bytes: &[u8], i: usize) -> usize {
    let from = i + 1;
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| ENDS_NAME[b as usize]))
        .map_or(bytes.len(), |k| from + k)
}

/// The value of an attribute whose `=` ends before byte `j`, spaces before it skipped: its start
/// and end as written, and the index after it. A quoted value ends at its closing quote
/// (`memchr`: values such as URLs are long), an unquoted one at `>` or whitespace.
#[inline]
fn value_at(bytes: &[u8], j: usize) -> (usize, usize, usize) {
    let j = skip_spaces(bytes, j);
    match bytes.get(j) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = memchr(q, &bytes[j + 1..]).map_or(bytes.len(), |k| j + 1 + k);
            (j + 1, end, (end + 1).min(bytes.len()))
        }
        _ => {
            let end = bytes
                .get(j..)
                .and_then(|rest| {
                    rest.iter()
                        .position(|&b| b == b'>' || b.is_ascii_whitespace())
                })
                .map_or(bytes.len(), |k| j + k);
            (j, end, end)
        }
    }
}

/// The index of the first byte at or after `i` that is not ASCII whitespace.
#[inline]
fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
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
    let name_end = name_end(bytes, i);
    let name = &html[i..name_end];
    let j = skip_spaces(bytes, name_end);
    if bytes.get(j) != Some(&b'=') {
        // A bare attribute, maybe followed by whitespace: the caller skips that.
        return (name, None, name_end);
    }
    let (start, end, next) = value_at(bytes, j + 1);
    (name, Some(&html[start..end]), next)
}

#[cfg(test)]
mod tests {
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
            <main data-search-body><p>é</p></main><span title=\"a>b\"><b>x</b></span>\
            <i a = \">\" b=\n'<b>' =c d=<b>x</b></i><span x=\"";
        for name in ["span", "main", "b", "svg", "script"] {
            for start in (0..=html.len()).filter(|&i| html.is_char_boundary(i)) {
                agree(html, name, start);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// The same on HTML made of the pieces the tag reader treats specially, in any order:
        /// malformed attributes (`=` starting a name, quotes inside names and unquoted values,
        /// a value cut off at the end) included.
        #[test]
        fn next_named_agrees_with_next_on_any_markup(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<", ">", "/", "=", "\"", "'", " ", "\n", "\t", "a", "b", "x", "é", "<span",
                "</span", "<SPAN", "<main", "<script", "</script", "<svg", "</svg", "<!--",
                "-->", "<?", "<!", "id", "data-search-ignore", "class=", "<b", "</b", "= \"",
                "=\n'", " = ", "\">\"", "'>'", "a=\"<b>\"", "=\"", "='", "<x ", "<b ",
            ]), 0..48),
        ) {
            let html = pieces.concat();
            for name in ["span", "main", "b", "svg", "script"] {
                agree(&html, name, 0);
            }
        }
    }

    /// Asserts that [`super::Scanner::next_named`] from `start` gives the items named `name`
    /// that [`super::Scanner::next`] gives, at the same positions.
    fn agree(html: &str, name: &str, start: usize) {
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
