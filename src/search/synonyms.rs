//! Site synonyms: `search/synonyms.yaml` beside `site.yaml` in, per-language rules out.
//!
//! ```yaml
//! all:                 # every language of the site
//!   каспи: kaspi
//! ru:
//!   симка: sim-карта
//! zh:
//!   生物识别: 人脸识别   # one way: typing 生物识别 finds sections that say 人脸识别
//!   人脸识别: 生物识别   # write the other direction too for a two-way pair
//! kk:
//!   толтыру: [толықтыру, толтырыңыз]   # several targets
//! ```
//!
//! Applied at index time ([`super::index`]): a section whose words include every word of a
//! target also gets the variant's words, so the browser needs nothing more. A missing file means
//! no synonyms; keys other than `all` and the site's language codes are an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file, relative to the site root.
pub const FILE: &str = "search/synonyms.yaml";

#[derive(Debug, thiserror::Error)]
pub enum SynonymsError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{message}")]
    Parse {
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    #[error("unknown language `{lang}` in {FILE}")]
    UnknownLanguage { lang: String, known: Vec<String> },
    #[error("empty synonym for `{variant}` in {FILE}")]
    Empty { variant: String },
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Targets {
    One(String),
    Many(Vec<String>),
}

/// Every rule of the file: `(language or "all", variant, target)`, in file order per language.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct Synonyms {
    rules: Vec<(String, String, String)>,
}

impl Synonyms {
    /// Reads `<root>/search/synonyms.yaml`; no file, no synonyms.
    pub fn load(root: &Path, languages: &[&str]) -> Result<Self, SynonymsError> {
        let path = root.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, languages),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(SynonymsError::Read { path, source }),
        }
    }

    /// Parses the file's text.
    pub fn parse(text: &str, languages: &[&str]) -> Result<Self, SynonymsError> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let map: BTreeMap<String, BTreeMap<String, Targets>> =
            serde_yaml::from_str(text).map_err(|e| {
                let at = e.location();
                SynonymsError::Parse {
                    message: format!("{FILE}: {e}"),
                    line: at.as_ref().map(|l| l.line()),
                    column: at.as_ref().map(|l| l.column()),
                }
            })?;
        let mut rules = Vec::new();
        for (lang, entries) in map {
            if lang != "all" && !languages.contains(&lang.as_str()) {
                let known = languages.iter().map(|l| (*l).to_owned()).collect();
                return Err(SynonymsError::UnknownLanguage { lang, known });
            }
            for (variant, targets) in entries {
                let targets = match targets {
                    Targets::One(t) => vec![t],
                    Targets::Many(ts) => ts,
                };
                if variant.trim().is_empty() || targets.iter().any(|t| t.trim().is_empty()) {
                    return Err(SynonymsError::Empty { variant });
                }
                for target in targets {
                    rules.push((lang.clone(), variant.clone(), target));
                }
            }
        }
        Ok(Self { rules })
    }

    /// The `(variant, target)` pairs that apply to one language (`all` included).
    pub fn for_lang(&self, lang: &str) -> Vec<(&str, &str)> {
        self.rules
            .iter()
            .filter(|(l, _, _)| l == "all" || l == lang)
            .map(|(_, v, t)| (v.as_str(), t.as_str()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Synonyms, SynonymsError};

    #[test]
    fn parses_one_and_many_targets_per_language() {
        let s = Synonyms::parse(
            "all:\n  каспи: kaspi\nkk:\n  толтыру: [толықтыру, толтырыңыз]\nru:\n  симка: sim-карта\n",
            &["ru", "kk"],
        )
        .expect("valid");
        assert_eq!(
            s.for_lang("kk"),
            [
                ("каспи", "kaspi"),
                ("толтыру", "толықтыру"),
                ("толтыру", "толтырыңыз")
            ]
        );
        assert_eq!(
            s.for_lang("ru"),
            [("каспи", "kaspi"), ("симка", "sim-карта")]
        );
        assert!(
            Synonyms::parse("", &["ru"])
                .expect("empty")
                .for_lang("ru")
                .is_empty()
        );
    }

    #[test]
    fn bad_files_name_the_problem() {
        let e = Synonyms::parse("de:\n  a: b\n", &["ru"]).unwrap_err();
        assert!(matches!(e, SynonymsError::UnknownLanguage { ref lang, .. } if lang == "de"));
        let e = Synonyms::parse("ru:\n  a: [b\n", &["ru"]).unwrap_err();
        assert!(
            matches!(e, SynonymsError::Parse { line: Some(_), .. }),
            "{e:?}"
        );
        let e = Synonyms::parse("ru:\n  a: ''\n", &["ru"]).unwrap_err();
        assert!(matches!(e, SynonymsError::Empty { .. }));
    }
}
