//! `{{ fact(op="activ", key="balance_code") }}`: one operator fact inline in Markdown.
//!
//! Expanded in the Markdown text before parsing, outside code, into inline HTML whose text is
//! entity-escaped so Markdown cannot read a USSD code's `*` as emphasis. The replacement never
//! spans lines, so line numbers of everything else stay right.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// Resolves one fact to inline HTML, or says what is wrong with the arguments.
pub trait FactSource {
    fn fact_html(&self, op: &str, key: &str) -> Result<String, String>;
}

pub fn expand(
    body: &str,
    file: &Path,
    body_line: usize,
    facts: &dyn FactSource,
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
    facts: &dyn FactSource,
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
        // Inside an inline code span (an odd number of backticks before it), leave it alone.
        if ticks % 2 == 1 || !inner.starts_with("fact") {
            out.push_str(&from[..end + 2]);
        } else {
            let col = chars + 1;
            match parse_call(inner).and_then(|(op, key)| facts.fact_html(&op, &key)) {
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

/// Parses `fact(op="x", key="y")` (arguments in any order).
fn parse_call(inner: &str) -> Result<(String, String), String> {
    let usage = "write {{ fact(op=\"<operator id>\", key=\"<fact key>\") }}";
    let args = inner
        .strip_prefix("fact")
        .map(str::trim_start)
        .and_then(|s| s.strip_prefix('('))
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("cannot read `{inner}`; {usage}"))?;
    let (mut op, mut key) = (None, None);
    for arg in args.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| format!("argument `{arg}` has no value; {usage}"))?;
        let value = value.trim().trim_matches('"').to_owned();
        match name.trim() {
            "op" => op = Some(value),
            "key" => key = Some(value),
            other => return Err(format!("unknown argument '{other}'; {usage}")),
        }
    }
    match (op, key) {
        (Some(op), Some(key)) => Ok((op, key)),
        _ => Err(format!("fact needs both `op` and `key`; {usage}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Facts;
    impl FactSource for Facts {
        fn fact_html(&self, op: &str, key: &str) -> Result<String, String> {
            match (op, key) {
                ("activ", "balance_code") => Ok("<span>&#42;111&#42;3#</span>".into()),
                ("activ", _) => Err(format!("operator 'activ' has no fact '{key}'")),
                _ => Err(format!("unknown operator '{op}'")),
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
            "Dial {{ fact(op=\"activ\", key=\"balance_code\") }} now.\n`{{ fact(op=\"x\") }}`\n```\n{{ fact(op=\"x\") }}\n```\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(out.starts_with("Dial <span>&#42;111&#42;3#</span> now.\n"));
        assert!(out.contains("`{{ fact(op=\"x\") }}`"));
    }

    #[test]
    fn unknown_operator_is_located() {
        let (_, errors) = run("a\nb {{ fact(op=\"nope\", key=\"k\") }}\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "content/en/a.md:6:3: shortcode: unknown operator 'nope'"
        );
    }
}
