//! Formatting for the reader's language: dates and the Open Graph locale.
//!
//! Input: a `YYYY-MM-DD` date or a BCP 47 tag (`zh-Hans`, `pt-BR`). Output: text for templates.
//! A small table rather than ICU: four scripts' month names are a few lines, and ICU's data
//! would weigh more than the rest of the binary. A language without a table is written the
//! English way (`25 November 2026`).

use crate::config::Date;

/// How one language writes a date: month names and the order of the parts.
struct DateStyle {
    /// Primary language subtags this style serves.
    languages: &'static [&'static str],
    months: [&'static str; 12],
    /// `{d}`, `{m}` (month name) and `{y}` are replaced.
    pattern: &'static str,
}

const ENGLISH: DateStyle = DateStyle {
    languages: &["en"],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    pattern: "{d} {m} {y}",
};

const STYLES: &[DateStyle] = &[
    ENGLISH,
    // Chinese and Japanese write the month as a number: `2026年11月25日`.
    DateStyle {
        languages: &["zh", "ja"],
        months: [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
        ],
        pattern: "{y}年{m}月{d}日",
    },
    // Russian uses the genitive month and `г.` for «года».
    DateStyle {
        languages: &["ru"],
        months: [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
        pattern: "{d} {m} {y} г.",
    },
    // Kazakh puts the year first with `жылғы` ("of the year").
    DateStyle {
        languages: &["kk"],
        months: [
            "қаңтар",
            "ақпан",
            "наурыз",
            "сәуір",
            "мамыр",
            "маусым",
            "шілде",
            "тамыз",
            "қыркүйек",
            "қазан",
            "қараша",
            "желтоқсан",
        ],
        pattern: "{y} жылғы {d} {m}",
    },
];

/// The language part of a tag, lower-cased: `zh-Hans` → `zh`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// A date as the reader's language writes it; `tag` is a language code or BCP 47 tag.
pub fn format_date(date: Date, tag: &str) -> String {
    let lang = primary(tag);
    let style = STYLES
        .iter()
        .find(|s| s.languages.contains(&lang.as_str()))
        .unwrap_or(&ENGLISH);
    style
        .pattern
        .replace("{y}", &date.year.to_string())
        .replace("{m}", style.months[usize::from(date.month) - 1])
        .replace("{d}", &date.day.to_string())
}

/// The territory Open Graph consumers expect for a language written without one.
const LIKELY_TERRITORY: &[(&str, &str)] = &[
    ("ar", "AR"),
    ("en", "US"),
    ("fa", "IR"),
    ("he", "IL"),
    ("ja", "JP"),
    ("kk", "KZ"),
    ("ko", "KR"),
    ("ky", "KG"),
    ("ru", "RU"),
    ("uk", "UA"),
    ("ur", "PK"),
    ("uz", "UZ"),
    ("zh", "CN"),
];

/// `og:locale` in its `ll_TT` form: the tag's own region if it has one (`pt-BR` → `pt_BR`),
/// else the script's usual territory for Chinese (`zh-Hant` → `zh_TW`), else a table of likely
/// territories, else the language code repeated (`de` → `de_DE`), which is right for most
/// languages named after their main country.
pub fn og_locale(tag: &str) -> String {
    let lang = primary(tag);
    let subtags: Vec<&str> = tag.split(['-', '_']).skip(1).collect();
    let region = subtags.iter().find(|s| {
        (s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
            || (s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()))
    });
    let territory = match region {
        Some(r) => r.to_ascii_uppercase(),
        None if lang == "zh" && subtags.iter().any(|s| s.eq_ignore_ascii_case("hant")) => {
            "TW".to_owned()
        }
        None => LIKELY_TERRITORY
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or_else(|| lang.to_ascii_uppercase(), |(_, t)| (*t).to_owned()),
    };
    format!("{lang}_{territory}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates_in_each_table_language() {
        let date = d("2026-11-25");
        assert_eq!(format_date(date, "zh-Hans"), "2026年11月25日");
        assert_eq!(format_date(date, "ru"), "25 ноября 2026 г.");
        assert_eq!(format_date(date, "kk"), "2026 жылғы 25 қараша");
        assert_eq!(format_date(date, "en"), "25 November 2026");
        assert_eq!(format_date(d("2026-01-03"), "ru"), "3 января 2026 г.");
    }

    #[test]
    fn languages_without_a_table_read_the_english_way() {
        assert_eq!(format_date(d("2026-05-01"), "ar"), "1 May 2026");
    }

    #[test]
    fn og_locale_has_language_and_territory() {
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("kk"), "kk_KZ");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
        assert_eq!(og_locale("de"), "de_DE");
        assert_eq!(og_locale("ar"), "ar_AR");
    }
}
