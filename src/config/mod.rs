//! `site.yaml` → a validated `Config`.
//!
//! Unknown keys and wrong types are errors located at `site.yaml:line:col`; cross-field rules
//! (one default language, fact keys declared, allowlisted links) are checked after parsing.

mod collections;
mod links;
mod missing;
mod text;

pub use collections::{Collection, DATA_DIR, Fact, Field, Item, Source, Status, load_items};
pub use links::{External, Judgement, LinkPolicy, check_base_url};
pub use missing::MissingTranslation;
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
    /// The external-link policy (`links:`, see config/links.rs).
    #[serde(default)]
    pub links: LinkPolicy,
    /// The place `allowed_domains` had before `links:`: read only to say where it moved.
    #[serde(
        default,
        rename = "allowed_domains",
        deserialize_with = "links::present"
    )]
    moved_allowed_domains: Option<serde_yaml::Value>,
    /// Warnings about site.yaml (off-list fact links under `links: {external: warn}`).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// Data collections; their items are read from `data/<name>/` by `load`.
    #[serde(default)]
    pub collections: Vec<Collection>,
    #[serde(default)]
    pub missing_translation: MissingTranslation,
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
        let mut config = Config::parse(&text)?;
        load_items(root, &mut config)?;
        Ok(config)
    }

    pub fn parse(text: &str) -> Result<Config, BuildErrors> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let codes = serde_yaml::from_str::<LanguagesOnly>(text)
            .map(|l| l.languages.into_iter().map(|l| l.code).collect())
            .unwrap_or_default();
        let mut config: Config = text::parse_with_languages(codes, || serde_yaml::from_str(text))
            .map_err(|e| yaml_error(CONFIG_FILE, text, 0, &e, CONFIG_KEYS))?;
        config.warnings = config.validate(text)?;
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

    pub fn collection(&self, name: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.name == name)
    }

    /// Whether an http(s) URL points to a domain of `links: allowed_domains` or a subdomain.
    pub fn is_allowed_url(&self, url: &str) -> bool {
        url_host(url).is_some_and(|host| self.links.lists(&host))
    }

    /// Checks what parsing cannot; returns the warnings.
    fn validate(&self, text: &str) -> Result<Vec<Diagnostic>, BuildErrors> {
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
        collections::validate_declarations(self, text, &mut errors);
        let links = links::check_config(self, text);
        errors.extend(links.errors);
        if errors.is_empty() {
            Ok(links.warnings)
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
    "links",
    "external",
    "allowed_domains",
    "collections",
    "missing_translation",
    "code",
    "tag",
    "name",
    "default",
    "key",
    "label",
    "folder",
    "fields",
    "item_template",
    "index_template",
];

/// The host of an http(s) URL as a browser reads it, lower-cased, without port or credentials.
pub fn url_host(url: &str) -> Option<String> {
    match crate::safe_url::classify(url, false) {
        Ok(crate::safe_url::UrlKind::Web { host }) if !host.is_empty() => Some(host),
        _ => None,
    }
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
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
        let text = format!(
            "{MINIMAL}links: {{external: allowlist, allowed_domains: [kcell.kz, gov.kz]}}\n"
        );
        let c = Config::parse(&text).unwrap();
        assert!(c.is_allowed_url("https://www.kcell.kz/en/product/topup"));
        assert!(c.is_allowed_url("https://egov.gov.kz/"));
        assert!(!c.is_allowed_url("https://notkcell.kz/"));
        assert!(!c.is_allowed_url("https://kcell.kz.evil.com/"));
        assert!(!c.is_allowed_url("https://t.me/x"));
    }

    #[test]
    fn wrong_type_is_located() {
        let text = format!("{MINIMAL}links: 5\n");
        let e = Config::parse(&text).unwrap_err();
        assert_eq!(e.0[0].line, Some(5), "{}", e.0[0]);
    }
}
