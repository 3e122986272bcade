//! A `CheckReport` → text for people or JSON for tools (schema version 1, documented in the
//! README: fields are only ever added, and a change of meaning bumps `version`).

use super::http::LinkResult;
use super::{CheckReport, Problem, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    ok: bool,
    errors: usize,
    warnings: usize,
    files: Vec<JsonFile<'a>>,
    links: &'a [LinkResult],
    stamped: &'a [String],
}

#[derive(Serialize)]
struct JsonFile<'a> {
    /// Relative to the site root, `/`-separated; `null` for problems of the whole site.
    file: Option<&'a str>,
    problems: Vec<&'a Problem>,
}

/// Problems by file, files sorted, site-wide problems (no file) last.
fn grouped(report: &CheckReport) -> Vec<(Option<&str>, Vec<&Problem>)> {
    let mut by_file: BTreeMap<(bool, Option<&str>), Vec<&Problem>> = BTreeMap::new();
    for p in &report.problems {
        let file = p.file.as_deref();
        by_file.entry((file.is_none(), file)).or_default().push(p);
    }
    by_file.into_iter().map(|((_, f), ps)| (f, ps)).collect()
}

pub(crate) fn render(report: &CheckReport, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => {
            let json = JsonReport {
                version: SCHEMA_VERSION,
                ok: report.errors() == 0,
                errors: report.errors(),
                warnings: report.warnings(),
                files: grouped(report)
                    .into_iter()
                    .map(|(file, problems)| JsonFile { file, problems })
                    .collect(),
                links: &report.links,
                stamped: &report.stamped,
            };
            let mut s = serde_json::to_string_pretty(&json).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

fn text(report: &CheckReport) -> String {
    let mut out = String::new();
    for file in &report.stamped {
        let _ = writeln!(out, "stamped {file}");
    }
    for (file, problems) in grouped(report) {
        let _ = writeln!(out, "{}", file.unwrap_or("(site)"));
        for p in problems {
            let place = match (file, p.line, p.column) {
                (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
                (Some(f), Some(l), None) => format!("{f}:{l}"),
                (Some(f), None, _) => f.to_owned(),
                (None, ..) => "site".to_owned(),
            };
            let sev = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(out, "  {place}: {sev}[{}]: {}", p.kind, p.message);
            if let Some(h) = &p.hint {
                let _ = writeln!(out, "      hint: {h}");
            }
        }
    }
    if !report.links.is_empty() {
        let count = |r: &str| report.links.iter().filter(|l| l.result == r).count();
        let cached = report.links.iter().filter(|l| l.cached).count();
        let _ = writeln!(
            out,
            "links: {} checked ({cached} from the cache), {} broken, {} unreachable",
            report.links.len(),
            count("broken"),
            count("unreachable")
        );
    }
    let (e, w) = (report.errors(), report.warnings());
    let _ = writeln!(
        out,
        "check: {e} error{}, {w} warning{}",
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" }
    );
    out
}
