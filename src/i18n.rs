//! UI strings per language, flat maps of key → text.
//!
//! Input: the merged theme's `i18n/<lang>.yaml` (the site theme's file, else the built-in one)
//! and the site's own `i18n/<lang>.yaml` beside site.yaml. Output: the strings of every
//! configured language, and warnings.
//!
//! The theme's English file defines the keys. A theme file for another language must have all
//! of them (after the site's overrides), so a forgotten translation fails the build instead of
//! showing an empty button. A language the theme has no file for reads English, with one
//! warning for the whole build. The site's files override single strings (a site's own wording,
//! such as a footer) and may only name keys the theme defines.

use crate::config::{Config, YamlSource, decode_utf8};
use crate::diagnostics::{BuildErrors, Diagnostic, did_you_mean};
use crate::theme_files::ThemeFiles;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub type Strings = BTreeMap<String, String>;

/// The site's folder of string overrides, beside site.yaml.
pub const SITE_I18N_DIR: &str = "i18n";

/// The language whose strings every theme must have, and that others fall back to.
pub const FALLBACK_LANGUAGE: &str = "en";

/// Strings of every configured language, by language code.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    pub by_lang: BTreeMap<String, Strings>,
    /// Languages that fell back to English (one warning at most).
    pub warnings: Vec<Diagnostic>,
}

/// One parsed strings file with its text, for locating keys.
struct StringsFile {
    shown: PathBuf,
    text: String,
    strings: Strings,
}

impl I18n {
    pub fn load(root: &Path, config: &Config) -> Result<I18n, BuildErrors> {
        let theme = ThemeFiles::load(root, &config.theme)?;
        let english = theme_file(&theme, FALLBACK_LANGUAGE)?.ok_or_else(|| {
            Diagnostic::new("the theme has no English UI strings")
                .in_file(theme.dir.join("i18n/en.yaml"))
        })?;
        let keys = &english.strings;
        let mut by_lang = BTreeMap::new();
        let mut errors = Vec::new();
        let mut untranslated = Vec::new();
        for lang in &config.languages {
            let own = match theme_file(&theme, &lang.code) {
                Ok(own) => own,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            let site = match site_file(root, &lang.code) {
                Ok(site) => site,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            let mut strings = match &own {
                Some(f) => {
                    errors.extend(unknown_keys(f, keys, &english.shown));
                    f.strings.clone()
                }
                None => Strings::new(),
            };
            if let Some(site) = &site {
                errors.extend(unknown_keys(site, keys, &english.shown));
                strings.extend(site.strings.clone());
            }
            let missing: Vec<&String> = keys.keys().filter(|k| !strings.contains_key(*k)).collect();
            match &own {
                // A theme that translates a language must translate all of it.
                Some(f) => errors.extend(missing.iter().map(|key| {
                    Diagnostic::new(format!("missing UI string '{key}'"))
                        .in_file(&f.shown)
                        .with_hint(format!(
                            "{} defines it; add a translation there or in {}",
                            english.shown.display(),
                            Path::new(SITE_I18N_DIR)
                                .join(format!("{}.yaml", lang.code))
                                .display()
                        ))
                })),
                None if !missing.is_empty() => untranslated.push(lang.code.as_str()),
                None => {}
            }
            for (k, v) in keys {
                strings.entry(k.clone()).or_insert_with(|| v.clone());
            }
            by_lang.insert(lang.code.clone(), strings);
        }
        if !errors.is_empty() {
            return Err(BuildErrors(errors));
        }
        let warnings = fallback_warning(&untranslated).into_iter().collect();
        Ok(I18n { by_lang, warnings })
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

/// One warning naming every language shown with English UI strings.
fn fallback_warning(untranslated: &[&str]) -> Option<Diagnostic> {
    let first = untranslated.first()?;
    let list = untranslated.join(", ");
    Some(
        Diagnostic::new(format!(
            "the theme has no UI strings for {list}: buttons and labels are shown in English"
        ))
        .with_hint(format!(
            "translate every key of the theme's i18n/en.yaml (`steppe theme eject` shows them) in \
             {} beside site.yaml; the warning goes once every key is there",
            Path::new(SITE_I18N_DIR)
                .join(format!("{first}.yaml"))
                .display()
        )),
    )
}

/// The theme's strings for `code`, if it has a file for that language.
fn theme_file(theme: &ThemeFiles, code: &str) -> Result<Option<StringsFile>, Diagnostic> {
    let Some(file) = theme.get(&format!("i18n/{code}.yaml")) else {
        return Ok(None);
    };
    let text = decode_utf8(&file.shown, file.bytes.to_vec())?;
    parse(file.shown.clone(), text).map(Some)
}

/// The site's own overrides for `code` (`i18n/<code>.yaml` beside site.yaml), if any.
fn site_file(root: &Path, code: &str) -> Result<Option<StringsFile>, Diagnostic> {
    let shown = Path::new(SITE_I18N_DIR).join(format!("{code}.yaml"));
    match std::fs::read(root.join(&shown)) {
        Ok(bytes) => parse(shown.clone(), decode_utf8(&shown, bytes)?).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::new(format!("cannot read UI strings: {e}")).in_file(&shown)),
    }
}

fn parse(shown: PathBuf, text: String) -> Result<StringsFile, Diagnostic> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // An empty file is an empty map, not a YAML error.
    if body.trim().is_empty() {
        return Ok(StringsFile {
            shown,
            text,
            strings: Strings::new(),
        });
    }
    // The same scan as site.yaml's: bounded nesting, duplicate keys located.
    let src = YamlSource {
        file: &shown,
        text: body,
        line_offset: 0,
        known_keys: &[],
    };
    let (strings, _) = src.parse(|t| serde_yaml::from_str::<Strings>(t))?;
    Ok(StringsFile {
        shown,
        text,
        strings,
    })
}

/// Keys of `file` that the theme's English strings do not define, located at their line.
fn unknown_keys(file: &StringsFile, keys: &Strings, english: &Path) -> Vec<Diagnostic> {
    file.strings
        .keys()
        .filter(|k| !keys.contains_key(*k))
        .map(|key| {
            let mut d = Diagnostic::new(format!("unknown UI string '{key}'")).in_file(&file.shown);
            if let Some(line) = key_line(&file.text, key) {
                d = d.at(line, Some(1));
            }
            let hint = did_you_mean(key, keys.keys().map(String::as_str))
                .map(|s| format!("did you mean '{s}'?"))
                .unwrap_or_else(|| format!("{} lists the keys a theme uses", english.display()));
            d.with_hint(hint)
        })
        .collect()
}

fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start_matches('\u{feff}');
            l.starts_with(&format!("{key}:"))
                || l.starts_with(&format!("\"{key}\":"))
                || l.starts_with(&format!("'{key}':"))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(langs: &str) -> Config {
        Config::parse(&format!("title: T\nlanguages:\n{langs}")).unwrap()
    }

    #[test]
    fn built_in_strings_cover_four_languages_without_warning() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(
            "  - {code: zh, tag: zh-Hans, name: 中文, default: true}\n  - {code: en, tag: en, name: English}\n  - {code: ru, tag: ru, name: Русский}\n  - {code: kk, tag: kk, name: Қазақша}\n",
        );
        let i = I18n::load(dir.path(), &c).unwrap();
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
        assert_eq!(i.get("en", "search_label"), "Search");
        assert_ne!(i.get("ru", "search_label"), "Search");
    }

    #[test]
    fn a_language_without_strings_reads_english_with_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(
            "  - {code: en, tag: en, name: English, default: true}\n  - {code: ar, tag: ar, name: العربية}\n  - {code: he, tag: he, name: עברית}\n",
        );
        let i = I18n::load(dir.path(), &c).unwrap();
        assert_eq!(i.warnings.len(), 1);
        assert!(
            i.warnings[0].message.contains("ar, he"),
            "{}",
            i.warnings[0]
        );
        assert_eq!(i.get("ar", "search_label"), "Search");
    }

    #[test]
    fn site_strings_override_and_unknown_keys_are_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("i18n")).unwrap();
        std::fs::write(
            dir.path().join("i18n/en.yaml"),
            "search_label: Search the guide\nserch_label: x\n",
        )
        .unwrap();
        let c = config("  - {code: en, tag: en, name: English, default: true}\n");
        let e = I18n::load(dir.path(), &c).unwrap_err();
        let msg = e.0[0].to_string();
        assert!(
            msg.starts_with("i18n/en.yaml:2:1: unknown UI string 'serch_label'"),
            "{msg}"
        );
        std::fs::write(
            dir.path().join("i18n/en.yaml"),
            "search_label: Search the guide\n",
        )
        .unwrap();
        let i = I18n::load(dir.path(), &c).unwrap();
        assert_eq!(i.get("en", "search_label"), "Search the guide");
    }
}
