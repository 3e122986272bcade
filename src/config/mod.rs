//! `site.yaml` → a validated `Config`.
//!
//! Unknown keys and wrong types are errors located at `site.yaml:line:col`; cross-field rules
//! (one default language, fact keys declared, allowlisted links) are checked after parsing.

mod operators;
mod text;

pub use operators::{Fact, FactLabel, Operator, Source, Status};
pub use text::{Date, Text};

use crate::diagnostics::{BuildErrors, Diagnostic, did_you_mean, line_col};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// URL segment and content folder (`zh`).
    pub code: String,
    /// BCP 47 tag for `lang` and `hreflang` (`zh-Hans`).
    pub tag: String,
    /// The language's name in its own script (`中文`).
    pub name: String,
    #[serde(default)]
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: Text,
    #[serde(default)]
    pub description: Option<Text>,
    /// Absolute URL the site is published at, ending in `/`.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    pub languages: Vec<Language>,
    /// Domains (and their subdomains) that body links may point to.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    #[serde(default)]
    pub facts: Vec<FactLabel>,
    #[serde(default)]
    pub operators: Vec<Operator>,
    /// Days after a page's `reviewed` date when `check` reports it and the built page shows
    /// a "may be out of date" notice.
    #[serde(default = "default_review_max_age_days")]
    pub review_max_age_days: u32,
}

fn default_review_max_age_days() -> u32 {
    365
}

fn default_theme() -> String {
    "default".into()
}

fn default_output_dir() -> String {
    "public".into()
}

/// Only the language list, read first so per-language texts can be checked while parsing.
#[derive(Deserialize)]
struct LanguagesOnly {
    #[serde(default)]
    languages: Vec<Language>,
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, BuildErrors> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(format!("cannot read {CONFIG_FILE}: {e}"))
                .in_file(CONFIG_FILE)
                .with_hint("run steppe in the site's folder, or pass --root DIR")
        })?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, BuildErrors> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let codes = serde_yaml::from_str::<LanguagesOnly>(text)
            .map(|l| l.languages.into_iter().map(|l| l.code).collect())
            .unwrap_or_default();
        let config: Config = text::parse_with_languages(codes, || serde_yaml::from_str(text))
            .map_err(|e| yaml_error(CONFIG_FILE, text, 0, &e, CONFIG_KEYS))?;
        config.validate(text)?;
        Ok(config)
    }

    pub fn default_language(&self) -> &Language {
        self.languages
            .iter()
            .find(|l| l.default)
            .unwrap_or(&self.languages[0])
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn operator(&self, id: &str) -> Option<&Operator> {
        self.operators.iter().find(|o| o.id == id)
    }

    /// Whether an http(s) URL points to an allowlisted domain or one of its subdomains.
    pub fn is_allowed_url(&self, url: &str) -> bool {
        url_host(url).is_some_and(|host| {
            self.allowed_domains.iter().any(|d| {
                let d = d.trim_start_matches('.').to_ascii_lowercase();
                host == d || host.ends_with(&format!(".{d}"))
            })
        })
    }

    fn validate(&self, text: &str) -> Result<(), BuildErrors> {
        let mut errors = Vec::new();
        let mut err = |needle: &str, msg: String, hint: Option<&str>| {
            let mut d = Diagnostic::new(msg).in_file(CONFIG_FILE);
            if let Some(line) = find_line(text, needle) {
                d = d.at(line, None);
            }
            if let Some(h) = hint {
                d = d.with_hint(h);
            }
            errors.push(d);
        };
        if self.languages.is_empty() {
            err(
                "languages",
                "no languages configured".into(),
                Some("add at least one entry under `languages:`"),
            );
        }
        let defaults = self.languages.iter().filter(|l| l.default).count();
        if defaults != 1 && !self.languages.is_empty() {
            err(
                "languages",
                format!("{defaults} languages are marked `default: true`; exactly one must be"),
                None,
            );
        }
        for (i, l) in self.languages.iter().enumerate() {
            let valid = !l.code.is_empty()
                && l.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                err(
                    &format!("code: {}", l.code),
                    format!(
                        "language code '{}' must be lower-case ASCII letters, digits or '-'",
                        l.code
                    ),
                    None,
                );
            }
            if self.languages[..i].iter().any(|o| o.code == l.code) {
                err(
                    &format!("code: {}", l.code),
                    format!("language '{}' is listed twice", l.code),
                    None,
                );
            }
        }
        if let Some(base) = &self.base_url
            && !(base.starts_with("https://") || base.starts_with("http://"))
        {
            err(
                "base_url",
                format!("base_url '{base}' must start with https:// or http://"),
                None,
            );
        }
        for op in &self.operators {
            let valid = !op.id.is_empty()
                && op
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                err(
                    &format!("id: {}", op.id),
                    format!(
                        "operator id '{}' must be lower-case ASCII letters, digits or '-'",
                        op.id
                    ),
                    None,
                );
            }
            if self.operators.iter().filter(|o| o.id == op.id).count() > 1 {
                err(
                    &format!("id: {}", op.id),
                    format!("operator '{}' is listed twice", op.id),
                    None,
                );
            }
            for (key, fact) in &op.facts {
                let where_ = format!("operator '{}', fact '{key}'", op.id);
                let needle = format!("{key}:");
                if !self.facts.iter().any(|f| &f.key == key) {
                    let hint = did_you_mean(key, self.facts.iter().map(|f| f.key.as_str()))
                        .map(|s| format!("did you mean '{s}'?"))
                        .unwrap_or_else(|| "declare it under the top-level `facts:` list".into());
                    err(&needle, format!("{where_}: unknown fact key"), Some(&hint));
                }
                if fact.status != Status::Unconfirmed {
                    if fact.value.is_none() {
                        err(
                            &needle,
                            format!("{where_}: a {} fact needs a `value`", fact.status.as_str()),
                            None,
                        );
                    }
                    if fact.source.is_none() {
                        err(
                            &needle,
                            format!(
                                "{where_}: a {} fact needs a `source` URL",
                                fact.status.as_str()
                            ),
                            Some("or mark it `status: unconfirmed`"),
                        );
                    }
                }
                if let Some(url) = &fact.url
                    && !self.is_allowed_url(url)
                {
                    err(
                        url,
                        format!("{where_}: link {url} is not on an allowed domain"),
                        Some("add the official domain to `allowed_domains`"),
                    );
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(BuildErrors(errors))
        }
    }
}

const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "theme",
    "output_dir",
    "languages",
    "allowed_domains",
    "facts",
    "operators",
    "review_max_age_days",
    "code",
    "tag",
    "name",
    "default",
    "id",
    "reviewed",
    "sources",
    "key",
    "label",
    "value",
    "status",
    "source",
    "url",
];

/// The host of an http(s) URL, lower-cased, without port or credentials.
pub fn url_host(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_owned())
}

pub fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|off| line_col(text, off).0)
}

/// Turns a YAML error into a located diagnostic. `line_offset` is the number of lines before the
/// YAML text in its file (front matter starts after the opening `---`).
pub fn yaml_error(
    file: impl AsRef<Path>,
    text: &str,
    line_offset: usize,
    e: &serde_yaml::Error,
    known_keys: &[&str],
) -> Diagnostic {
    let raw = e.to_string();
    // yaml_serde appends " at line L column C" to its message: keep only what was wrong.
    let what = raw.split(" at line ").next().unwrap_or(&raw).to_string();
    let mut message = what.replace('`', "'");
    if let Some(field) = what
        .strip_prefix("unknown field `")
        .and_then(|s| s.split('`').next())
    {
        message = format!("unknown field '{field}'");
        if let Some(s) = did_you_mean(field, known_keys.iter().copied()) {
            message.push_str(&format!(" (did you mean '{s}'?)"));
        }
    }
    let mut d = Diagnostic::new(message).in_file(file);
    // Errors raised inside a value's own deserializer (a bad date) are reported at the start of
    // the enclosing mapping; the quoted value in the message finds the real line.
    let quoted = what.split('\'').nth(1).filter(|q| !q.is_empty());
    let found = quoted
        .and_then(|q| text.find(q))
        .map(|off| line_col(text, off));
    match (e.location(), found) {
        (Some(loc), Some((line, col))) if loc.line() == 1 && loc.column() == 1 => {
            d = d.at(line + line_offset, Some(col));
        }
        (Some(loc), _) => d = d.at(loc.line() + line_offset, Some(loc.column())),
        (None, Some((line, col))) => d = d.at(line + line_offset, Some(col)),
        (None, None) => {}
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: Guide\nlanguages:\n  - {code: en, tag: en, name: English, default: true}\n  - {code: kk, tag: kk, name: Қазақша}\n";

    #[test]
    fn parses_minimal_config() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.default_language().code, "en");
        assert_eq!(c.theme, "default");
        assert_eq!(c.output_dir, "public");
    }

    #[test]
    fn unknown_key_is_located_with_hint() {
        let text = format!("{MINIMAL}them: default\n");
        let e = Config::parse(&text).unwrap_err();
        let msg = e.0[0].to_string();
        assert!(
            msg.starts_with("site.yaml:5:1: unknown field 'them' (did you mean 'theme'?)"),
            "{msg}"
        );
    }

    #[test]
    fn per_language_title_missing_a_language_is_located() {
        let text = MINIMAL.replace("title: Guide", "title:\n  en: Guide");
        let e = Config::parse(&text).unwrap_err();
        let d = &e.0[0];
        assert!(d.message.contains("missing language 'kk'"), "{d}");
        assert!(d.line.is_some());
    }

    #[test]
    fn allowlist_matches_subdomains_only() {
        let text = format!("{MINIMAL}allowed_domains: [kcell.kz, gov.kz]\n");
        let c = Config::parse(&text).unwrap();
        assert!(c.is_allowed_url("https://www.kcell.kz/en/product/topup"));
        assert!(c.is_allowed_url("https://egov.gov.kz/"));
        assert!(!c.is_allowed_url("https://notkcell.kz/"));
        assert!(!c.is_allowed_url("https://kcell.kz.evil.com/"));
        assert!(!c.is_allowed_url("https://t.me/x"));
    }

    #[test]
    fn wrong_type_is_located() {
        let text = format!("{MINIMAL}allowed_domains: 5\n");
        let e = Config::parse(&text).unwrap_err();
        assert_eq!(e.0[0].line, Some(5), "{}", e.0[0]);
    }
}
