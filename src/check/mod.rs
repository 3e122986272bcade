//! `steppe check`: the site folder → a report of problems, grouped by file, written nowhere.
//!
//! It runs the build pipeline in memory (every build error and warning) and adds what a build
//! does not judge: pages missing in a language, translations older than their source (stamps,
//! see `stamp`), `reviewed` dates past the configured age, collection items without sources and, with
//! `--external`, external links that no longer answer (see `links` and `http`). The only files
//! it ever writes are translation stamps (`--fix-translated`) and the link cache (`--external`).

mod content;
mod http;
mod links;
mod report;
mod stamp;

pub use report::Format;

use crate::build;
use crate::diagnostics::{BuildErrors, Diagnostic};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What `steppe check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Request every external URL (with the cache under the site root).
    pub external: bool,
    /// Overrides site.yaml's `review_max_age_days`.
    pub max_age_days: Option<u32>,
    /// Stamp translations before checking: these files, or every unstamped one when empty.
    pub fix_translated: Option<Vec<PathBuf>>,
    /// Per-request timeout of `--external`.
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, located where possible. `kind` is part of the stable JSON schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub kind: &'static str,
    #[serde(skip)]
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub(crate) fn from_diagnostic(severity: Severity, kind: &'static str, d: Diagnostic) -> Self {
        Problem {
            severity,
            kind,
            file: d.location().map(|_| {
                let file = d.file.as_deref().unwrap_or(Path::new(""));
                file.to_string_lossy().replace('\\', "/")
            }),
            line: d.line,
            column: d.column,
            message: d.message,
            hint: d.hint,
        }
    }
}

/// Everything `check` found, plus what it did on the way (stamps written, links requested).
#[derive(Debug, Default)]
pub struct CheckReport {
    pub problems: Vec<Problem>,
    pub links: Vec<http::LinkResult>,
    /// Files whose `translated_from` stamp `--fix-translated` wrote.
    pub stamped: Vec<String>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity == s).count()
    }

    /// The report in `format`, for stdout.
    pub fn render(&self, format: Format) -> String {
        report::render(self, format)
    }
}

/// Problems that stop `check` from checking at all (usage, not content).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{0}")]
    Usage(String),
}

/// Runs every check. Content problems are in the report; only usage errors fail.
pub fn run(opts: &CheckOptions) -> Result<CheckReport, CheckError> {
    if !opts.root.is_dir() {
        return Err(CheckError::Usage(format!(
            "--root {}: no such folder",
            opts.root.display()
        )));
    }
    let mut report = CheckReport::default();
    let config = match build::load_config(&opts.root, None) {
        Ok(c) => c,
        Err(BuildErrors(errors)) => {
            report.problems = build_problems(errors, Severity::Error);
            return Ok(report);
        }
    };
    if let Some(paths) = &opts.fix_translated {
        report.stamped = stamp::fix(&opts.root, &config, paths).map_err(CheckError::Usage)?;
    }
    match build::build_site(&opts.root, false, None) {
        Ok(built) => {
            let warnings = built.site.warnings.into_iter().filter(|w| !is_summary(w));
            report.problems = build_problems(warnings.collect(), Severity::Warning);
        }
        Err(BuildErrors(errors)) => report.problems = build_problems(errors, Severity::Error),
    }
    let max_age = opts.max_age_days.unwrap_or(config.review_max_age_days);
    let pages = content::load(&opts.root, &config);
    report
        .problems
        .extend(content::check(&config, &pages, max_age, today()));
    if opts.external {
        let urls = links::collect(&config, &pages);
        let (results, problems) = http::check_all(&opts.root, urls, opts.timeout);
        report.links = results;
        report.problems.extend(problems);
    }
    report.problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    report.problems.dedup();
    Ok(report)
}

fn build_problems(diagnostics: Vec<Diagnostic>, severity: Severity) -> Vec<Problem> {
    diagnostics
        .into_iter()
        .map(|d| Problem::from_diagnostic(severity, "build", d))
        .collect()
}

/// The build's one-line "N of M pages missing in 'kk'" warning: `check` lists each missing
/// page instead, so the summary would say the same thing twice.
fn is_summary(w: &Diagnostic) -> bool {
    w.message.contains(" pages missing in '")
        && w.file
            .as_deref()
            .is_some_and(|f| f.starts_with(crate::content::CONTENT_DIR))
        && w.line.is_none()
}

/// Days since 1970-01-01 of the current UTC date.
fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs / 86_400).unwrap_or(i64::MAX)
}

/// Days since 1970-01-01 of a calendar date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(d: crate::config::Date) -> i64 {
    let (m, day) = (i64::from(d.month), i64::from(d.day));
    let y = i64::from(d.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A problem in a collection item's data file, at the first line holding `needle`.
pub(crate) fn item_problem(
    root: &Path,
    collection: &str,
    id: &str,
    needle: &str,
    severity: Severity,
    kind: &'static str,
    message: String,
) -> Problem {
    let file = Path::new(crate::config::DATA_DIR)
        .join(collection)
        .join(format!("{id}.yaml"));
    let mut d = Diagnostic::new(message).in_file(&file);
    let text = std::fs::read_to_string(root.join(&file)).ok();
    if let Some(line) = text.and_then(|t| crate::config::find_line(&t, needle)) {
        d = d.at(line, None);
    }
    Problem::from_diagnostic(severity, kind, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Date;

    #[test]
    fn civil_days_match_known_dates() {
        let d = |s| days_from_civil(Date::parse(s).unwrap());
        assert_eq!(d("1970-01-01"), 0);
        assert_eq!(d("2000-03-01"), 11_017);
        assert_eq!(d("2026-12-01") - d("2025-12-01"), 365);
        assert_eq!(d("2024-03-01") - d("2024-02-28"), 2);
    }
}
