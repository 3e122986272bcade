//! Splitting a Markdown file into YAML front matter and body, and parsing the front matter.

use crate::config::{Date, Source, YamlSource, string_only};
use crate::diagnostics::{BuildErrors, Diagnostic};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The keys a page may set; anything else is an error with a "did you mean" hint.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "slug",
    "draft",
    "reviewed",
    "sources",
    "about",
    "template",
    "search",
    "translated_from",
    "schema",
    "og_image",
    "extra",
];

#[derive(Debug, Clone, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(deserialize_with = "string_only")]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub reviewed: Option<Date>,
    #[serde(default)]
    pub sources: Vec<Source>,
    /// The collection item the page is about, as `<collection>/<id>` (`products/lamp`).
    #[serde(default)]
    pub about: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub search: Option<bool>,
    /// On a translation: the stamp of the default-language body it was made from (see
    /// `check::stamp`); `steppe check` reports a translation whose source changed since.
    #[serde(default)]
    pub translated_from: Option<String>,
    /// Which structured data the page carries beyond its breadcrumbs (render/structured_data.rs):
    /// `faq`, `howto` or `none`; unset, question headings make an FAQ.
    #[serde(default)]
    pub schema: Option<Schema>,
    /// The page's link-preview image: a path relative to the page's source file (like an image
    /// link in its Markdown) or an absolute https URL.
    #[serde(default)]
    pub og_image: Option<String>,
    #[serde(default)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

/// `schema:` in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Schema {
    /// Questions and answers: `FAQPage` from the question headings.
    Faq,
    /// Steps: `HowTo` from the h2 headings, or the first ordered list.
    Howto,
    /// No `FAQPage` or `HowTo`, even with question headings.
    None,
}

/// A file split into front matter and body, with line endings normalised to `\n`.
#[derive(Debug)]
pub struct SplitFile {
    pub front: FrontMatter,
    /// Shared from the start: a page hands it on without another copy (~110 MB at 10k pages).
    pub body: std::sync::Arc<str>,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// 1-based file line of each top-level front matter key, for later located errors.
    pub key_lines: BTreeMap<String, usize>,
}

/// Decodes bytes as UTF-8 (a BOM is dropped, CRLF becomes LF) and parses the front matter.
pub fn parse_file(file: &Path, bytes: &[u8]) -> Result<SplitFile, BuildErrors> {
    let text = simdutf8::compat::from_utf8(bytes).map_err(|e| {
        Diagnostic::new(format!("invalid UTF-8 at byte offset {}", e.valid_up_to()))
            .in_file(file)
            .with_hint("save the file as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Borrowed unless line ends must change: the body is copied out once, in `split`.
    // `memchr` itself (SIMD) looks through the whole file: 1.0 million instructions for a 1k
    // build in callgrind, against 10.9 million with `str::contains` (a word at a time).
    let text: std::borrow::Cow<str> = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    };
    split(file, &text)
}

fn split(file: &Path, text: &str) -> Result<SplitFile, BuildErrors> {
    let missing = || {
        Diagnostic::new("front matter: missing; a page starts with a `---` line, YAML with at least `title:`, and another `---` line")
            .in_file(file)
            .at(1, Some(1))
    };
    let rest = text.strip_prefix("---\n").ok_or_else(missing)?;
    let (yaml, body) = match rest.find("\n---\n") {
        Some(i) => (&rest[..=i], &rest[i + 5..]),
        None if rest.ends_with("\n---") => (&rest[..rest.len() - 3], ""),
        None if rest.starts_with("---\n") => ("", &rest[4..]),
        None => {
            return Err(Diagnostic::new("front matter: no closing `---` line")
                .in_file(file)
                .at(1, Some(1))
                .into());
        }
    };
    let yaml_lines = yaml.matches('\n').count();
    let src = YamlSource {
        file,
        text: yaml,
        line_offset: 1,
        known_keys: FRONT_MATTER_KEYS,
    };
    let (front, scanned) = src
        .parse(|t| serde_yaml::from_str::<FrontMatter>(t))
        .map_err(|mut d| {
            d.message = format!("front matter: {}", d.message);
            if d.message.contains("missing field") {
                d.message = d.message.replace("missing field", "missing required field");
                d = d.at(1, Some(1));
            }
            d
        })?;
    if front.title.trim().is_empty() {
        return Err(Diagnostic::new("front matter: `title` is empty")
            .in_file(file)
            .at(2, None)
            .into());
    }
    // Top-level keys are the known field names, none of which contains a '.'.
    let key_lines = scanned
        .paths
        .into_iter()
        .filter(|(path, ..)| !path.contains('.'))
        .map(|(path, line, _)| (path, line + 1))
        .collect();
    Ok(SplitFile {
        front,
        body: body.into(),
        body_line: yaml_lines + 3,
        key_lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<SplitFile, BuildErrors> {
        parse_file(Path::new("content/en/faq.md"), s.as_bytes())
    }

    #[test]
    fn splits_and_counts_body_line() {
        let f = parse("---\ntitle: FAQ\nweight: 3\n---\n# Hi\n").unwrap();
        assert_eq!(f.front.title, "FAQ");
        assert_eq!(f.front.weight, Some(3));
        assert_eq!(&*f.body, "# Hi\n");
        assert_eq!(f.body_line, 5);
        assert_eq!(f.key_lines["weight"], 3);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let f = parse("\u{feff}---\r\ntitle: FAQ\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(f.front.title, "FAQ");
        assert_eq!(&*f.body, "body\n");
    }

    #[test]
    fn unknown_key_is_located_with_hint() {
        let e = parse("---\ntitle: FAQ\nweight: 1\ndescripton: x\n---\n").unwrap_err();
        assert_eq!(
            e.0[0].to_string(),
            "content/en/faq.md:4:1: front matter: unknown field 'descripton' (did you mean 'description'?)"
        );
    }

    #[test]
    fn missing_title_is_reported() {
        let e = parse("---\nweight: 1\n---\n").unwrap_err();
        assert!(
            e.0[0].message.contains("missing required field 'title'"),
            "{}",
            e.0[0]
        );
    }

    #[test]
    fn invalid_utf8_names_offset() {
        let e = parse_file(Path::new("a.md"), b"---\ntitle: \xff\n---\n").unwrap_err();
        assert_eq!(e.0[0].message, "invalid UTF-8 at byte offset 11");
    }

    #[test]
    fn title_must_be_written_as_a_string() {
        for bad in ["5", "~", "true"] {
            let e = parse(&format!("---\nweight: 1\ntitle: {bad}\n---\n")).unwrap_err();
            assert_eq!(e.0[0].line, Some(3), "{}", e.0[0]);
            assert!(e.0[0].message.contains("expected a string"), "{}", e.0[0]);
        }
        assert_eq!(parse("---\ntitle: \"5\"\n---\n").unwrap().front.title, "5");
    }

    #[test]
    fn second_document_and_duplicates_are_located() {
        let e = parse("---\ntitle: A\n...\nweight: 1\n---\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(3), "{}", e.0[0]);
        let e = parse("---\ntitle: A\nextra:\n  k: 1\n  k: 2\n---\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(5), "{}", e.0[0]);
        let e = parse("---\ntitle: A\ntitle: B\n---\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(3), "{}", e.0[0]);
    }

    #[test]
    fn bad_date_is_located() {
        let e = parse("---\ntitle: A\nreviewed: 25.11.2026\n---\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(3), "{}", e.0[0]);
    }
}
