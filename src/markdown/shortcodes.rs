//! `{{ data(c="products", id="lamp", key="price") }}`: one fact of a collection's item
//! inline in Markdown.
//!
//! Expanded in the Markdown text before parsing, outside code, into inline HTML whose text is
//! entity-escaped so Markdown cannot read a USSD code's `*` as emphasis. The replacement never
//! spans lines, so line numbers of everything else stay right.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// Resolves one fact (collection, item id, fact key) to inline HTML, or says what is wrong
/// with the arguments.
pub trait DataSource {
    fn fact_html(&self, c: &str, id: &str, key: &str) -> Result<String, String>;
}

/// The shortcode's name, as written between `{{` and `(`.
const NAME: &str = "data";

pub fn expand(
    body: &str,
    file: &Path,
    body_line: usize,
    facts: &dyn DataSource,
    errors: &mut Vec<Diagnostic>,
) -> String {
    if !body.contains("{{") {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<&str> = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push_str(line);
            continue;
        }
        let at = |col: usize| {
            Diagnostic::new("")
                .in_file(file)
                .at(body_line + i, Some(col))
        };
        out.push_str(&expand_line(line, facts, &at, errors));
    }
    out
}

fn expand_line(
    line: &str,
    facts: &dyn DataSource,
    at: &dyn Fn(usize) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    // Backticks and chars before `rest`, counted as it advances so a long line of many
    // shortcodes stays linear.
    let (mut ticks, mut chars) = (0, 0);
    while let Some(start) = rest.find("{{") {
        let (before, from) = rest.split_at(start);
        let Some(end) = from.find("}}") else { break };
        ticks += before.matches('`').count();
        chars += before.chars().count();
        let inner = from[2..end].trim();
        out.push_str(before);
        let is_call = inner
            .strip_prefix(NAME)
            .is_some_and(|r| r.trim_start().starts_with('('));
        // The shortcode's name before collections; its arguments cannot be guessed safely.
        let old_fact = inner.starts_with("fact(");
        // Inside an inline code span (an odd number of backticks before it), leave it alone.
        if ticks % 2 == 1 || !(is_call || old_fact) {
            out.push_str(&from[..end + 2]);
        } else if old_fact {
            let mut d = at(chars + 1);
            d.message = "shortcode: `fact` is now `data`".into();
            errors.push(d.with_hint(
                "write {{ data(c=\"<collection>\", id=\"<item id>\", key=\"<fact key>\") }}",
            ));
        } else {
            let col = chars + 1;
            match parse_call(inner).and_then(|[c, id, key]| facts.fact_html(&c, &id, &key)) {
                Ok(html) => out.push_str(&html),
                Err(msg) => {
                    let mut d = at(col);
                    d.message = format!("shortcode: {msg}");
                    errors.push(d);
                }
            }
        }
        let call = &from[..end + 2];
        ticks += call.matches('`').count();
        chars += call.chars().count();
        rest = &from[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Parses `data(c="x", id="y", key="z")` (arguments in any order) into `[c, id, key]`.
fn parse_call(inner: &str) -> Result<[String; 3], String> {
    let usage = "write {{ data(c=\"<collection>\", id=\"<item id>\", key=\"<fact key>\") }}";
    let args = inner
        .strip_prefix(NAME)
        .map(str::trim_start)
        .and_then(|s| s.strip_prefix('('))
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("cannot read `{inner}`; {usage}"))?;
    let mut found: [Option<String>; 3] = Default::default();
    for arg in args.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| format!("argument `{arg}` has no value; {usage}"))?;
        let slot = match name.trim() {
            "c" => 0,
            "id" => 1,
            "key" => 2,
            other => return Err(format!("unknown argument '{other}'; {usage}")),
        };
        found[slot] = Some(value.trim().trim_matches('"').to_owned());
    }
    match found {
        [Some(c), Some(id), Some(key)] => Ok([c, id, key]),
        _ => Err(format!("data needs `c`, `id` and `key`; {usage}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Facts;
    impl DataSource for Facts {
        fn fact_html(&self, c: &str, id: &str, key: &str) -> Result<String, String> {
            match (c, id, key) {
                ("products", "lamp", "price") => Ok("<span>&#42;5</span>".into()),
                ("products", "lamp", _) => Err(format!("item 'products/lamp' has no fact '{key}'")),
                ("products", _, _) => Err(format!("collection 'products' has no item '{id}'")),
                _ => Err(format!("unknown collection '{c}'")),
            }
        }
    }

    fn run(body: &str) -> (String, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let out = expand(body, Path::new("content/en/a.md"), 5, &Facts, &mut errors);
        (out, errors)
    }

    #[test]
    fn expands_outside_code_only() {
        let (out, errors) = run(
            "Costs {{ data(key=\"price\", c=\"products\", id=\"lamp\") }} now.\n`{{ data(c=\"x\") }}`\n```\n{{ data(c=\"x\") }}\n```\n{{ database }}\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(out.starts_with("Costs <span>&#42;5</span> now.\n"));
        assert!(out.contains("`{{ data(c=\"x\") }}`"));
        assert!(out.ends_with("{{ database }}\n"));
    }

    #[test]
    fn unknown_collection_and_missing_argument_are_located() {
        let (_, errors) =
            run("a\nb {{ data(c=\"nope\", id=\"x\", key=\"k\") }} {{ data(c=\"products\") }}\n");
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[0].to_string(),
            "content/en/a.md:6:3: shortcode: unknown collection 'nope'"
        );
        assert!(
            errors[1].message.contains("needs `c`, `id` and `key`"),
            "{}",
            errors[1]
        );
    }
}
