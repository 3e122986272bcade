//! UI strings per language: `themes/<theme>/i18n/<lang>.yaml`, flat maps of key → text.
//!
//! The default language's file defines the keys; every other file must have exactly those, so a
//! forgotten translation fails the build instead of showing an empty button.

use crate::config::{Config, YamlSource, decode_utf8};
use crate::diagnostics::{BuildErrors, Diagnostic, did_you_mean};
use std::collections::BTreeMap;
use std::path::Path;

pub type Strings = BTreeMap<String, String>;

/// Strings of every configured language, by language code.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    pub by_lang: BTreeMap<String, Strings>,
}

impl I18n {
    pub fn load(root: &Path, config: &Config) -> Result<I18n, BuildErrors> {
        let dir = Path::new("themes").join(&config.theme).join("i18n");
        let mut by_lang = BTreeMap::new();
        let mut errors = Vec::new();
        for lang in &config.languages {
            let shown = dir.join(format!("{}.yaml", lang.code));
            match read_strings(root, &shown) {
                Ok(strings) => {
                    by_lang.insert(lang.code.clone(), strings);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(BuildErrors(errors));
        }
        let default = &config.default_language().code;
        let keys = by_lang[default].clone();
        for (code, strings) in &by_lang {
            let shown = dir.join(format!("{code}.yaml"));
            for key in keys.keys().filter(|k| !strings.contains_key(*k)) {
                errors.push(
                    Diagnostic::new(format!("missing UI string '{key}'"))
                        .in_file(&shown)
                        .with_hint(format!("{default}.yaml defines it; add a translation")),
                );
            }
            for key in strings.keys().filter(|k| !keys.contains_key(*k)) {
                let mut d = Diagnostic::new(format!(
                    "UI string '{key}' is not defined in {default}.yaml"
                ))
                .in_file(&shown);
                if let Some(line) = strings_line(root, &shown, key) {
                    d = d.at(line, Some(1));
                }
                let hint = did_you_mean(key, keys.keys().map(String::as_str))
                    .map(|s| format!("did you mean '{s}'?"))
                    .unwrap_or_else(|| format!("add it to {default}.yaml or remove it"));
                errors.push(d.with_hint(hint));
            }
        }
        if errors.is_empty() {
            Ok(I18n { by_lang })
        } else {
            Err(BuildErrors(errors))
        }
    }

    pub fn strings(&self, lang: &str) -> &Strings {
        static EMPTY: Strings = BTreeMap::new();
        self.by_lang.get(lang).unwrap_or(&EMPTY)
    }

    /// One string, or the key itself when a theme forgot it (never fails rendering).
    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.strings(lang).get(key).map_or(key, String::as_str)
    }
}

/// Reads and parses one UI strings file; every failure is located in it.
fn read_strings(root: &Path, shown: &Path) -> Result<Strings, Diagnostic> {
    let bytes = std::fs::read(root.join(shown)).map_err(|e| {
        Diagnostic::new(format!("cannot read UI strings: {e}"))
            .in_file(shown)
            .with_hint(format!("every language needs {}", shown.display()))
    })?;
    let text = decode_utf8(shown, bytes)?;
    let src = YamlSource {
        file: shown,
        text: text.strip_prefix('\u{feff}').unwrap_or(&text),
        line_offset: 0,
        known_keys: &[],
    };
    src.parse(|t| serde_yaml::from_str::<Strings>(t))
        .map(|(strings, _)| strings)
}

fn strings_line(root: &Path, file: &Path, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    text.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map(|i| i + 1)
}
