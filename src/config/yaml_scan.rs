//! A cheap pass over YAML text before the parser sees it: text → `Scan` (the line of every
//! mapping key and sequence item by its path) or the first problem the parser would not locate.
//!
//! It refuses, with a line and column, what would make the parser slow or the result wrong:
//! nesting deeper than `MAX_DEPTH` (block indentation and flow brackets alike, counted without
//! building anything, so 100,000 levels cost one linear pass), a key given twice in one mapping
//! (the parser keeps the last one silently in maps, or reports the start of the mapping), and a
//! second document (`---` or `...` followed by more YAML). It also remembers where the first
//! alias is, so "repetition limit exceeded" (an alias bomb) can be placed.
//!
//! It is not a YAML parser: it follows the structure only as far as these checks need, and
//! anything it does not recognise is left to the real parser.

use super::yaml_flow::Flow;
use std::collections::HashMap;

/// The deepest nesting of mappings and sequences steppe reads (documented in README "Errors").
pub const MAX_DEPTH: usize = 128;

/// What the scan found: 1-based (line, column) of each key and sequence item by its path
/// (`languages.1`, `languages.1.code`, `collections.0.fields.1.key`).
#[derive(Debug, Default)]
pub struct Scan {
    pub paths: Vec<(String, usize, usize)>,
    pub first_alias: Option<(usize, usize)>,
}

impl Scan {
    /// Line of the first key or item at `path`.
    pub fn line(&self, path: &str) -> Option<usize> {
        self.paths
            .iter()
            .find(|(p, ..)| p == path)
            .map(|(_, l, _)| *l)
    }
}

/// A problem found by the scan, with its 1-based line and column in the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(super) enum Kind {
    Map,
    Seq,
}

/// One open block mapping or sequence.
struct Frame {
    indent: usize,
    kind: Kind,
    path: String,
    keys: HashMap<String, usize>,
    items: usize,
}

/// Where a multi-line construct started, so its continuation lines are skipped.
enum Pending {
    None,
    /// A block scalar (`|`, `>`): lines indented deeper than this belong to it.
    BlockScalar(usize),
    /// A quoted scalar still open at the end of a line.
    Quote(char),
    /// A flow collection still open at the end of a line.
    Flow(Flow),
}

pub fn scan(text: &str) -> Result<Scan, ScanError> {
    Scanner::default().run(text)
}

#[derive(Default)]
struct Scanner {
    stack: Vec<Frame>,
    out: Scan,
    /// Path and indent of the last key or item whose value starts on a later line.
    open: Option<(String, usize)>,
    /// Line of a document marker; any YAML after it is a second document.
    marker: Option<usize>,
    seen_content: bool,
}

impl Scanner {
    fn run(mut self, text: &str) -> Result<Scan, ScanError> {
        let mut pending = Pending::None;
        for (i, line) in text.split('\n').enumerate() {
            let n = i + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            pending = match pending {
                Pending::BlockScalar(indent) if is_blank(line) || indent_of(line) > indent => {
                    Pending::BlockScalar(indent)
                }
                Pending::Quote(q) => match close_quote(line, 0, q) {
                    Some(_) => Pending::None,
                    None => Pending::Quote(q),
                },
                Pending::Flow(mut f) => {
                    f.feed(n, line, 0);
                    self.flow_or_pending(f)?
                }
                _ => self.line(n, line)?,
            };
        }
        // A flow collection left open is the parser's to report, with its own location.
        Ok(self.out)
    }

    fn line(&mut self, n: usize, line: &str) -> Result<Pending, ScanError> {
        let indent = indent_of(line);
        let s = &line[indent..];
        if s.is_empty() || s.starts_with('#') {
            return Ok(Pending::None);
        }
        if indent == 0 && (is_marker(s, "---") || is_marker(s, "...")) {
            if self.seen_content || s.starts_with("...") {
                self.marker.get_or_insert(n);
            }
            return Ok(Pending::None);
        }
        if let Some(m) = self.marker {
            return Err(ScanError {
                line: m,
                column: 1,
                message: "a second YAML document starts here; only one is read".into(),
                hint: Some(
                    "remove the `---` or `...` line: everything belongs in one document".into(),
                ),
            });
        }
        self.seen_content = true;
        self.node(n, line, indent)
    }

    /// Content starting at byte `col` of `line`: sequence items, a key, or a value.
    fn node(&mut self, n: usize, line: &str, mut col: usize) -> Result<Pending, ScanError> {
        loop {
            let s = &line[col..];
            while self.stack.last().is_some_and(|f| f.indent > col) {
                self.stack.pop();
            }
            if s == "-" || s.starts_with("- ") || s.starts_with("-\t") {
                let path = self.enter(n, line, col, Kind::Seq)?;
                let rest = s[1..].trim_start_matches([' ', '\t']);
                // The item's content belongs to the dash's indent, whether on this line or the next.
                self.open = Some((path, col));
                if rest.is_empty() || rest.starts_with('#') {
                    return Ok(Pending::None);
                }
                col = line.len() - rest.len();
                continue;
            }
            if let Some((key, value_at)) = key_of(s) {
                self.enter(n, line, col, Kind::Map)?;
                let frame = self.stack.last_mut().expect("entered a frame");
                let key_path = join(&frame.path, &key);
                if let Some(first) = frame.keys.insert(key.clone(), n) {
                    return Err(duplicate(&key, n, char_col(line, col), first));
                }
                self.out
                    .paths
                    .push((key_path.clone(), n, char_col(line, col)));
                let v = col + value_at;
                return self.value(n, line, v, key_path, col);
            }
            // A plain or quoted scalar, or a flow collection, as a whole node.
            let (path, indent) = self.open.take().unwrap_or_default();
            return self.value(n, line, col, path, indent);
        }
    }

    /// Opens a frame of `kind` at `col` or continues the one there; returns the new entry's
    /// path for a sequence (its item path) or the mapping's path.
    fn enter(&mut self, n: usize, line: &str, col: usize, kind: Kind) -> Result<String, ScanError> {
        // A list may sit at its key's own indent (`key:` then `- item`); the next key at that
        // indent ends the list.
        if kind == Kind::Map
            && self
                .stack
                .last()
                .is_some_and(|f| f.indent == col && f.kind == Kind::Seq)
        {
            self.stack.pop();
        }
        let reuse = self
            .stack
            .last()
            .is_some_and(|f| f.indent == col && f.kind == kind);
        if !reuse {
            let path = match self.open.take() {
                Some((p, at)) if at < col || (kind == Kind::Seq && at <= col) => p,
                _ => self
                    .stack
                    .last()
                    .map(|f| f.path.clone())
                    .unwrap_or_default(),
            };
            self.push(n, line, col, kind, path)?;
        }
        self.open = None;
        let frame = self.stack.last_mut().expect("a frame was pushed");
        if kind == Kind::Seq {
            let item = join(&frame.path, &frame.items.to_string());
            frame.items += 1;
            self.out.paths.push((item.clone(), n, char_col(line, col)));
            Ok(item)
        } else {
            Ok(frame.path.clone())
        }
    }

    fn push(
        &mut self,
        n: usize,
        line: &str,
        col: usize,
        kind: Kind,
        path: String,
    ) -> Result<(), ScanError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(n, char_col(line, col)));
        }
        self.stack.push(Frame {
            indent: col,
            kind,
            path,
            keys: HashMap::new(),
            items: 0,
        });
        Ok(())
    }

    /// The value after a key (or a whole node) starting at byte `col`; `indent` is the indent
    /// of its key, for block scalars.
    fn value(
        &mut self,
        n: usize,
        line: &str,
        col: usize,
        path: String,
        indent: usize,
    ) -> Result<Pending, ScanError> {
        let mut v = line[col..].trim_start_matches([' ', '\t']);
        // Anchors and tags come before the value itself.
        while v.starts_with('&') || v.starts_with('!') {
            v = v
                .split_once([' ', '\t'])
                .map_or("", |(_, r)| r)
                .trim_start();
        }
        let at = line.len() - v.len();
        if v.starts_with('*') && self.out.first_alias.is_none() {
            self.out.first_alias = Some((n, char_col(line, at)));
        }
        match v.chars().next() {
            None | Some('#') => {
                self.open = Some((path, indent));
                Ok(Pending::None)
            }
            Some('|' | '>') => Ok(Pending::BlockScalar(indent)),
            Some(q @ ('"' | '\'')) => Ok(match close_quote(line, at + 1, q) {
                Some(_) => Pending::None,
                None => Pending::Quote(q),
            }),
            Some('{' | '[') => {
                let mut f = Flow::new(path, self.stack.len());
                f.feed(n, line, at);
                self.flow_or_pending(f)
            }
            Some(_) => Ok(Pending::None),
        }
    }

    /// Walks what is new of a flow collection; keeps it pending until its brackets balance.
    fn flow_or_pending(&mut self, mut f: Flow) -> Result<Pending, ScanError> {
        if f.walk(&mut self.out)? {
            self.out.paths.append(&mut f.found);
            Ok(Pending::None)
        } else {
            Ok(Pending::Flow(f))
        }
    }
}

pub(super) fn duplicate(key: &str, line: usize, column: usize, first: usize) -> ScanError {
    ScanError {
        line,
        column,
        message: format!("duplicate key '{key}' (first at line {first})"),
        hint: Some("a key may appear once in a mapping: remove one of them".into()),
    }
}

pub(super) fn too_deep(line: usize, column: usize) -> ScanError {
    ScanError {
        line,
        column,
        message: format!("YAML nested more than {MAX_DEPTH} levels deep"),
        hint: Some("steppe reads at most 128 levels of mappings and lists".into()),
    }
}

/// A key at the start of `s` (plain or quoted) and the byte just after its `:`.
pub(super) fn key_of(s: &str) -> Option<(String, usize)> {
    let first = s.chars().next()?;
    if matches!(first, '"' | '\'') {
        let end = close_quote(s, 1, first)?;
        let after = &s[end..];
        let rest = after.trim_start_matches([' ', '\t']);
        let colon = end + (after.len() - rest.len());
        return is_colon(s, colon).then(|| (s[1..end - 1].to_owned(), colon + 1));
    }
    if matches!(
        first,
        '{' | '[' | '}' | ']' | ',' | '#' | '&' | '*' | '!' | '|' | '>' | '?' | '%' | '@' | '`'
    ) {
        return None;
    }
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            return None;
        }
        if is_colon(s, i) {
            return Some((s[..i].trim_end().to_owned(), i + 1));
        }
    }
    None
}

/// Whether byte `i` of `s` is a `:` that ends a key (followed by a space, a tab or the end).
fn is_colon(s: &str, i: usize) -> bool {
    s.as_bytes().get(i) == Some(&b':')
        && matches!(s.as_bytes().get(i + 1), None | Some(b' ' | b'\t'))
}

/// The byte just after the quote closing a string opened before byte `from`.
pub(super) fn close_quote(s: &str, from: usize, q: char) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == '"' => i += 2,
            b'\'' if q == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q as u8 => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_marker(s: &str, m: &str) -> bool {
    s.strip_prefix(m)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// 1-based column (in chars) of byte `at` in `line`.
pub(super) fn char_col(line: &str, at: usize) -> usize {
    line[..at.min(line.len())].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(String, usize)> {
        scan(text)
            .unwrap()
            .paths
            .into_iter()
            .map(|(p, l, _)| (p, l))
            .collect()
    }

    #[test]
    fn paths_of_block_and_flow_entries() {
        let text = "title:\n  en: A\nlanguages:\n  - {code: en, tag: en}\n  - code: kk\n    tag: kk\nx: [1, {a: 2}]\n";
        let got = lines(text);
        let want = [
            ("title", 1),
            ("title.en", 2),
            ("languages", 3),
            ("languages.0", 4),
            ("languages.0.code", 4),
            ("languages.0.tag", 4),
            ("languages.1", 5),
            ("languages.1.code", 5),
            ("languages.1.tag", 6),
            ("x", 7),
            ("x.1.a", 7),
        ];
        for (p, l) in want {
            assert!(got.contains(&(p.to_owned(), l)), "{p} at {l} in {got:?}");
        }
    }

    #[test]
    fn compact_lists_and_block_scalars() {
        let text =
            "a:\n- k: 1\n  k2: |\n    k: not a key\n    k: again\n- k: 2\nb: \"x:\n  y\"\nb2: 1\n";
        let got = lines(text);
        assert!(got.contains(&("a.1.k".to_owned(), 6)), "{got:?}");
        assert!(got.contains(&("b2".to_owned(), 9)), "{got:?}");
    }

    #[test]
    fn block_scalar_in_a_list_item_ends_at_the_dash_indent() {
        let text = "k:\n- |\n a: 1\n a: 1\n- x\nk2: 1\n";
        let got = lines(text);
        assert!(got.contains(&("k2".to_owned(), 6)), "{got:?}");
        assert!(!got.iter().any(|(p, _)| p.ends_with(".a")), "{got:?}");
    }

    #[test]
    fn duplicates_are_found_at_the_second_key() {
        let e = scan("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        assert_eq!((e.line, e.column), (4, 3));
        assert!(e.message.contains("duplicate key 'c'"), "{}", e.message);
        let e = scan("x: 1\nl: {en: A,\n  en: B}\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        let e = scan("x: 1\nx: 2\n").unwrap_err();
        assert_eq!(e.line, 2);
        // The same key in two list items is fine.
        assert!(scan("l:\n  - a: 1\n  - a: 2\n").is_ok());
        assert!(scan("l: [{a: 1}, {a: 2}]\n").is_ok());
    }

    #[test]
    fn depth_is_limited_in_block_and_flow() {
        let deep: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let e = scan(&deep).unwrap_err();
        assert_eq!(e.line, MAX_DEPTH + 1);
        let flow = format!("a: {}", "[".repeat(100_000));
        assert_eq!(scan(&flow).unwrap_err().line, 1);
        let seq = format!("a:\n{}x\n", "- ".repeat(100_000));
        assert_eq!(scan(&seq).unwrap_err().line, 2);
        let ok: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(scan(&ok).is_ok());
    }

    #[test]
    fn second_document_is_located() {
        let e = scan("title: A\n...\nweight: 1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(scan("---\ntitle: A\n").is_ok());
        let e = scan("title: A\n---\ntitle: B\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn first_alias_is_remembered() {
        let s = scan("a: &x [1]\nb: [*x, *x]\nc: *x\n").unwrap();
        assert_eq!(s.first_alias, Some((2, 5)));
    }
}

#[cfg(test)]
mod real_files {
    /// The repository's own YAML (site.yaml, UI strings, every page's front matter) scans
    /// clean: the scan must never refuse what the parser reads.
    #[test]
    fn repository_yaml_scans_clean() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_entry(|e| e.file_name() != "target" && e.file_name() != ".git")
            .filter_map(Result::ok)
        {
            let path = entry.path();
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let yaml = match path.extension().and_then(|e| e.to_str()) {
                Some("yaml" | "yml") => text.as_str(),
                Some("md") => match text
                    .strip_prefix("---\n")
                    .and_then(|r| r.split_once("\n---\n"))
                {
                    Some((front, _)) => front,
                    None => continue,
                },
                _ => continue,
            };
            if serde_yaml::from_str::<serde_yaml::Value>(yaml).is_err() {
                continue;
            }
            if let Err(e) = super::scan(yaml) {
                panic!("{}: {e:?}", path.display());
            }
            checked += 1;
        }
        assert!(checked > 20, "only {checked} files checked");
    }
}
