//! Values of site.yaml that are either written once for every language or given per language,
//! and dates.
//!
//! A per-language map must name every configured language and no other. serde's derive cannot
//! pass the language list down to a nested value, so `parse_with_languages` lends it to this
//! thread for the length of one parse; checking inside the deserializer is what lets yaml_serde
//! report the mistake at the map's own line and column.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

thread_local! {
    static LANGUAGES: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Runs `parse` with `languages` as the set every per-language map must cover.
pub fn parse_with_languages<T>(languages: Vec<String>, parse: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            LANGUAGES.with(|l| *l.borrow_mut() = None);
        }
    }
    LANGUAGES.with(|l| *l.borrow_mut() = Some(languages));
    let _reset = Reset;
    parse()
}

/// Text that is the same in every language, or one string per language code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Neutral(String),
    PerLanguage(BTreeMap<String, String>),
}

impl Text {
    /// The text for `lang`; per-language maps are complete after parsing.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            Text::Neutral(s) => s,
            Text::PerLanguage(m) => m.get(lang).map(String::as_str).unwrap_or_default(),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, or a map from language code to string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Neutral(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut values = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, WrittenString>()? {
            values.insert(k, v.0);
        }
        check_languages(&values).map_err(de::Error::custom)?;
        Ok(Text::PerLanguage(values))
    }
}

fn check_languages(values: &BTreeMap<String, String>) -> Result<(), String> {
    LANGUAGES.with(|l| {
        let Some(langs) = l.borrow().clone() else {
            return Ok(());
        };
        let missing: Vec<&str> = langs
            .iter()
            .filter(|code| !values.contains_key(*code))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "missing language {} in this text",
                quote_list(&missing)
            ));
        }
        let unknown: Vec<&str> = values
            .keys()
            .filter(|k| !langs.contains(k))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "unknown language {} in this text (configured: {})",
                quote_list(&unknown),
                langs.join(", ")
            ));
        }
        Ok(())
    })
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A string that was written as one: `title: 5`, `title: ~` and `title: true` are refused
/// instead of becoming the text "5", "~" or "true". Use with `#[serde(deserialize_with)]`.
pub fn string_only<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct StringOnly;
    impl Visitor<'_> for StringOnly {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string (quote numbers, `~` and true/false to use them as text)")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
    }
    d.deserialize_any(StringOnly)
}

/// `string_only` as a type, for values inside maps.
struct WrittenString(String);

impl<'de> Deserialize<'de> for WrittenString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string_only(d).map(WrittenString)
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let leap = date.year.is_multiple_of(4)
            && (!date.year.is_multiple_of(100) || date.year.is_multiple_of(400));
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let ok = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days[usize::from(date.month) - 1];
        ok.then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s)
            .ok_or_else(|| de::Error::custom(format!("'{s}' is not a date written YYYY-MM-DD")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_validated() {
        assert_eq!(Date::parse("2026-11-25").unwrap().to_string(), "2026-11-25");
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("25.11.2026").is_none());
    }

    #[test]
    fn per_language_text_must_be_complete() {
        let langs = vec!["en".to_string(), "kk".to_string()];
        let err = parse_with_languages(langs.clone(), || {
            serde_yaml::from_str::<Text>("en: Hello\n").unwrap_err()
        });
        assert!(err.to_string().contains("missing language 'kk'"), "{err}");
        let ok = parse_with_languages(langs, || {
            serde_yaml::from_str::<Text>("en: Hello\nkk: Сәлем\n").unwrap()
        });
        assert_eq!(ok.get("kk"), "Сәлем");
    }

    #[test]
    fn text_must_be_written_as_strings() {
        for bad in ["5", "~", "true", "{en: 5}", "{en: ~}"] {
            assert!(serde_yaml::from_str::<Text>(bad).is_err(), "{bad}");
        }
        let quoted = serde_yaml::from_str::<Text>("\"5\"").unwrap();
        assert_eq!(quoted.get("en"), "5");
    }
}
