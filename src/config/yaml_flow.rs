//! Flow collections (`{a: 1, b: [x, y]}`) for the YAML scan: their text, possibly over several
//! lines → the keys and items found in them, or the first duplicate key or level too deep.

use super::yaml_scan::{
    Kind, MAX_DEPTH, Scan, ScanError, char_col, close_quote, duplicate, join, key_of, too_deep,
};
use std::collections::HashMap;

/// One open flow collection.
struct FlowFrame {
    kind: Kind,
    path: String,
    keys: HashMap<String, usize>,
    items: usize,
    /// Byte of `Flow::text` where the current entry began.
    entry: usize,
    /// Whether the current entry's key was already registered (its value is a collection).
    keyed: bool,
}

/// A flow collection (`{a: 1, b: [x, y]}`), possibly over several lines, walked once: each
/// line's text is appended and the walk resumes where it stopped.
pub(super) struct Flow {
    text: String,
    /// (line, column) of each byte of `text` that starts a char.
    at: HashMap<usize, (usize, usize)>,
    path: String,
    /// Block nesting around the collection.
    depth: usize,
    stack: Vec<FlowFrame>,
    pub(super) found: Vec<(String, usize, usize)>,
    /// Byte where the walk resumes.
    next: usize,
}

impl Flow {
    pub(super) fn new(path: String, depth: usize) -> Flow {
        Flow {
            text: String::new(),
            at: HashMap::new(),
            path,
            depth,
            stack: Vec::new(),
            found: Vec::new(),
            next: 0,
        }
    }

    /// Appends `line` from byte `from` (lines are joined with a space).
    pub(super) fn feed(&mut self, n: usize, line: &str, from: usize) {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        let base = char_col(line, from);
        for (k, c) in line[from..].chars().enumerate() {
            self.at.insert(self.text.len(), (n, base + k));
            self.text.push(c);
        }
    }

    fn pos(&self, b: usize) -> (usize, usize) {
        self.at.get(&b).copied().unwrap_or((0, 0))
    }

    /// `Ok(true)` once the outermost bracket is closed.
    pub(super) fn walk(&mut self, out: &mut Scan) -> Result<bool, ScanError> {
        let mut prev_space = true;
        let mut i = self.next;
        while i < self.text.len() {
            let Some(c) = self.text[i..].chars().next() else {
                break;
            };
            let b = i;
            i += c.len_utf8();
            match c {
                '#' if prev_space => {
                    // A comment runs to the end of its line.
                    let line = self.pos(b).0;
                    while i < self.text.len() && self.at.get(&i).is_none_or(|p| p.0 == line) {
                        i += self.text[i..].chars().next().map_or(1, char::len_utf8);
                    }
                }
                '"' | '\'' => match close_quote(&self.text, b + 1, c) {
                    Some(end) => i = end,
                    None => {
                        // Resume at the quote once the next line is in.
                        self.next = b;
                        return Ok(false);
                    }
                },
                '{' | '[' => self.open(b, c)?,
                '}' | ']' | ',' => {
                    let outermost_closed = self.close(b, c)?;
                    if outermost_closed {
                        return Ok(true);
                    }
                }
                '*' if prev_space && out.first_alias.is_none() => {
                    out.first_alias = Some(self.pos(b))
                }
                _ => {}
            }
            prev_space = matches!(c, ' ' | '\t' | ',' | '[' | '{');
        }
        self.next = i;
        Ok(false)
    }

    fn open(&mut self, b: usize, c: char) -> Result<(), ScanError> {
        if self.depth + self.stack.len() >= MAX_DEPTH {
            let (line, column) = self.pos(b);
            return Err(too_deep(line, column));
        }
        let path = match self.stack.len() {
            0 => self.path.clone(),
            _ => self.entry_path(b)?,
        };
        let kind = if c == '{' { Kind::Map } else { Kind::Seq };
        self.stack.push(FlowFrame {
            kind,
            path,
            keys: HashMap::new(),
            items: 0,
            entry: b + 1,
            keyed: false,
        });
        Ok(())
    }

    /// Ends an entry at `,` or a collection at its bracket; `Ok(true)` when the outermost closes.
    fn close(&mut self, b: usize, c: char) -> Result<bool, ScanError> {
        if !self.stack.is_empty() {
            self.key(b)?;
            let top = self.stack.last_mut().expect("checked above");
            top.items += 1;
            top.entry = b + 1;
            top.keyed = false;
        }
        if c != ',' {
            self.stack.pop();
            // The text starts with the outermost bracket, so an empty stack means it closed.
            return Ok(self.stack.is_empty());
        }
        Ok(false)
    }

    /// Path of a collection opening at byte `b`, inside the current entry of the top frame.
    fn entry_path(&mut self, b: usize) -> Result<String, ScanError> {
        let key = self.key(b)?;
        let top = self.stack.last_mut().expect("called with a frame open");
        top.keyed = true;
        Ok(match (top.kind, key) {
            (Kind::Map, Some(key)) => join(&top.path, &key),
            (Kind::Map, None) => top.path.clone(),
            (Kind::Seq, _) => join(&top.path, &top.items.to_string()),
        })
    }

    /// Registers the key of the top frame's current entry (up to byte `end`), if it has one.
    fn key(&mut self, end: usize) -> Result<Option<String>, ScanError> {
        let Some(top) = self.stack.last_mut() else {
            return Ok(None);
        };
        if top.kind != Kind::Map || top.keyed {
            return Ok(None);
        }
        let text = &self.text[top.entry..end];
        let trimmed = text.trim_start();
        let Some((key, _)) = key_of(trimmed) else {
            return Ok(None);
        };
        let start = top.entry + (text.len() - trimmed.len());
        let (line, column) = self.at.get(&start).copied().unwrap_or((0, 0));
        if let Some(first) = top.keys.insert(key.clone(), line) {
            return Err(duplicate(&key, line, column, first));
        }
        self.found.push((join(&top.path, &key), line, column));
        Ok(Some(key))
    }
}
