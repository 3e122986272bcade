//! `site.yaml` → a validated `Config`.
//!
//! Unknown keys and wrong types are errors located at `site.yaml:line:col`; cross-field rules
//! (one default language, fact keys declared, allowlisted links) are checked after parsing.

mod collections;
mod links;
mod missing;
mod offline;
mod text;
mod yaml;
mod yaml_flow;
pub(crate) mod yaml_scan;
pub(crate) use yaml::Source as YamlSource;
use yaml_scan::Scan;

pub use collections::{Collection, DATA_DIR, Fact, Field, Item, Source, Status, load_items};
pub use links::{External, Judgement, LinkPolicy, check_base_url};
pub use missing::MissingTranslation;
pub use offline::Offline;
pub use text::{Date, Text, string_only};

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
    /// Writing direction: `rtl` for Arabic, Hebrew, Persian…
    #[serde(default)]
    pub dir: Direction,
}

/// A language's writing direction, for `<html dir>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: Text,
    /// A shorter title for the header on narrow screens (issue 12); the full title elsewhere.
    #[serde(default)]
    pub short_title: Option<Text>,
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
    /// Days after a page's `reviewed` date when `check` reports it and the built page shows
    /// a "may be out of date" notice.
    #[serde(default = "default_review_max_age_days")]
    pub review_max_age_days: u32,
    /// The service worker that keeps a reader's language readable offline (config/offline.rs).
    #[serde(default)]
    pub offline: Offline,
    /// The link-preview image (`og:image`): a file of the output (`en/images/card.png`, a
    /// content asset) or an absolute https URL, once or per language. Default: the theme's.
    #[serde(default)]
    pub og_image: Option<Text>,
    /// Its text alternative (`og:image:alt`); default: the site's title.
    #[serde(default)]
    pub og_image_alt: Option<Text>,
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

/// Top-level names steppe writes beside the language folders (and the search index and theme
/// assets' folders): a language code may not be one of them.
pub const RESERVED_OUTPUT_NAMES: &[&str] = &[
    "static",
    "search",
    "index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "sw.js",
    "offline",
];

/// Decodes a text file of the site; invalid UTF-8 is an error at its byte offset.
pub fn decode_utf8(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, col) = line_col(&String::from_utf8_lossy(&e.as_bytes()[..at]), at);
        Diagnostic::new(format!("invalid UTF-8 at byte offset {at}"))
            .in_file(file)
            .at(line, Some(col))
            .with_hint("save the file as UTF-8")
    })
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, BuildErrors> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::new(format!("cannot read {CONFIG_FILE}: {e}"))
                .in_file(CONFIG_FILE)
                .with_hint("run steppe in the site's folder, or pass --root DIR")
        })?;
        let mut config = Config::parse(&decode_utf8(Path::new(CONFIG_FILE), bytes)?)?;
        load_items(root, &mut config)?;
        Ok(config)
    }

    pub fn parse(text: &str) -> Result<Config, BuildErrors> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = YamlSource {
            file: Path::new(CONFIG_FILE),
            text,
            line_offset: 0,
            known_keys: CONFIG_KEYS,
        };
        // Languages first: every per-language text is checked against them, so a mistake in
        // the list must be reported at its own line, not as a text missing a language.
        let (langs, scanned) = src.parse(|t| serde_yaml::from_str::<LanguagesOnly>(t))?;
        if scanned.line("languages").is_none() {
            // No `languages:` key at all is most often a misspelt one (`langauges:`): the full
            // parse names it at its line with a "did you mean", which says more than "none".
            if let Err(d) = src.parse(|t| serde_yaml::from_str::<Config>(t))
                && d.message.contains("unknown field")
            {
                return Err(d.into());
            }
        }
        validate_languages(&langs.languages, &scanned)?;
        let codes = langs.languages.into_iter().map(|l| l.code).collect();
        let (mut config, _) =
            src.parse(|t| text::parse_with_languages(codes, || serde_yaml::from_str::<Config>(t)))?;
        config.warnings = config.validate(text, &scanned)?;
        Ok(config)
    }

    pub fn default_language(&self) -> &Language {
        self.languages
            .iter()
            .find(|l| l.default)
            .unwrap_or(&self.languages[0])
    }

    /// The languages' URL codes, in site.yaml's order.
    pub fn language_codes(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.code.as_str()).collect()
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

    /// Checks what parsing cannot; returns the warnings. The language list was checked
    /// before the rest was parsed (`validate_languages`).
    fn validate(&self, text: &str, scanned: &Scan) -> Result<Vec<Diagnostic>, BuildErrors> {
        let mut errors = Vec::new();
        collections::validate_declarations(self, scanned, &mut errors);
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
    "short_title",
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
    "review_max_age_days",
    "offline",
    "enabled",
    "max_pages",
    "og_image",
    "og_image_alt",
    "code",
    "tag",
    "name",
    "default",
    "dir",
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

/// Checks the language list alone: codes, duplicates, one default, reserved names. Each
/// mistake is placed at its entry's line.
fn validate_languages(languages: &[Language], scanned: &Scan) -> Result<(), BuildErrors> {
    let mut errors = Vec::new();
    let at = |path: &str| {
        let d = Diagnostic::new("").in_file(CONFIG_FILE);
        match scanned.line(path).or_else(|| scanned.line("languages")) {
            Some(line) => d.at(line, None),
            None => d,
        }
    };
    let mut push = |path: &str, message: String, hint: Option<String>| {
        let mut d = at(path);
        d.message = message;
        d.hint = hint;
        errors.push(d);
    };
    if languages.is_empty() {
        let hint = Some("add at least one entry under `languages:`".to_owned());
        push("languages", "no languages configured".into(), hint);
    }
    let defaults = languages.iter().filter(|l| l.default).count();
    if defaults != 1 && !languages.is_empty() {
        let msg = format!("{defaults} languages are marked `default: true`; exactly one must be");
        push("languages", msg, None);
    }
    for (i, l) in languages.iter().enumerate() {
        let path = format!("languages.{i}.code");
        let valid = !l.code.is_empty()
            && l.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            let msg = format!(
                "language code '{}' must be lower-case ASCII letters, digits or '-'",
                l.code
            );
            push(&path, msg, None);
        }
        if let Some(first) = languages[..i].iter().position(|o| o.code == l.code) {
            let line = scanned.line(&format!("languages.{first}")).unwrap_or(0);
            let msg = format!(
                "language '{}' is listed twice (first at line {line})",
                l.code
            );
            push(&path, msg, Some("remove one of the two entries".into()));
        }
        if RESERVED_OUTPUT_NAMES.contains(&l.code.as_str()) {
            let msg = format!(
                "language code '{}' is a name steppe uses for its own output folder",
                l.code
            );
            let hint = format!(
                "reserved: {}; choose another code",
                RESERVED_OUTPUT_NAMES.join(", ")
            );
            push(&path, msg, Some(hint));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BuildErrors(errors))
    }
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
    // A nested field's message starts with its path (`languages[2]: unknown field …`); the
    // location already says where.
    if let Some(field) = what
        .split_once("unknown field `")
        .and_then(|(_, s)| s.split('`').next())
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

    #[test]
    fn a_misspelt_languages_key_is_named_where_it_is() {
        let e = Config::parse(
            "title: T\nlangauges:\n  - {code: en, tag: en, name: English, default: true}\n",
        )
        .unwrap_err();
        let d = &e.0[0];
        assert_eq!(d.line, Some(2), "{d}");
        assert!(d.message.contains("unknown field 'langauges'"), "{d}");
        assert!(d.message.contains("did you mean 'languages'"), "{d}");
    }

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
