//! YAML text → a typed value, every error located: the scan (`yaml_scan`) runs first, then
//! yaml_serde, and the parser's unlocated errors (an alias bomb, a second document, a duplicate
//! struct field) are placed with what the scan found.

use super::yaml_error;
use super::yaml_scan::{Scan, ScanError, scan};
use crate::diagnostics::Diagnostic;
use std::path::Path;

/// Where a YAML text sits: its file for messages, and how many lines come before it there
/// (front matter starts after the opening `---`).
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub line_offset: usize,
    /// Keys that may appear, for "did you mean" hints.
    pub known_keys: &'a [&'a str],
}

impl Source<'_> {
    /// Scans the text, then runs `parse` on it; the value and the scan, or one located error.
    pub fn parse<T>(
        &self,
        parse: impl FnOnce(&str) -> Result<T, serde_yaml::Error>,
    ) -> Result<(T, Scan), Diagnostic> {
        let scanned = scan(self.text).map_err(|e| self.scan_error(e))?;
        let value = parse(self.text).map_err(|e| self.parse_error(&e, &scanned))?;
        Ok((value, scanned))
    }

    fn scan_error(&self, e: ScanError) -> Diagnostic {
        let d = Diagnostic::new(e.message)
            .in_file(self.file)
            .at(e.line + self.line_offset, Some(e.column));
        match e.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }

    fn parse_error(&self, e: &serde_yaml::Error, scanned: &Scan) -> Diagnostic {
        let raw = e.to_string();
        if raw.starts_with("repetition limit exceeded") {
            let (line, col) = scanned.first_alias.unwrap_or((1, 1));
            return Diagnostic::new("YAML aliases expand to too much text (an alias bomb)")
                .in_file(self.file)
                .at(line + self.line_offset, Some(col))
                .with_hint("write the values out instead of repeating aliases (`*name`)");
        }
        if raw.starts_with("recursion limit exceeded") {
            let (line, col) = scanned.first_alias.unwrap_or((1, 1));
            return Diagnostic::new(format!(
                "YAML nested more than {} levels deep",
                super::yaml_scan::MAX_DEPTH
            ))
            .in_file(self.file)
            .at(line + self.line_offset, Some(col));
        }
        yaml_error(self.file, self.text, self.line_offset, e, self.known_keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn parse(text: &str) -> Result<BTreeMap<String, serde_yaml::Value>, Diagnostic> {
        let src = Source {
            file: Path::new("site.yaml"),
            text,
            line_offset: 0,
            known_keys: &[],
        };
        src.parse(|t| serde_yaml::from_str(t)).map(|(v, _)| v)
    }

    #[test]
    fn alias_bomb_is_located_at_the_first_alias() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["abcdefgh".chars().zip("bcdefghi".chars())]
            .into_iter()
            .flatten()
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let d = parse(&text).unwrap_err();
        assert_eq!(d.line, Some(2), "{d}");
        assert!(d.message.contains("alias bomb"), "{d}");
    }

    #[test]
    fn nested_duplicate_is_an_error() {
        let d = parse("extra:\n  a: 1\n  a: 2\n").unwrap_err();
        assert_eq!(
            d.to_string().lines().next().unwrap(),
            "site.yaml:3:3: duplicate key 'a' (first at line 2)"
        );
    }
}
