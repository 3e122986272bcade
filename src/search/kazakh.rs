//! A conservative Kazakh suffix stripper: one folded word in, its stem out.
//!
//! Snowball has no Kazakh stemmer. Kazakh nouns inflect by agglutination in a fixed order,
//! `stem + plural + possessive + case`, so this strips at most one suffix of each kind, from the
//! end inwards. Words are already folded (see `normalize.rs`), so the suffixes are listed folded:
//! `-ның/-нің` are both `нын/нин`, `-ға` is `га`, and so on. A reader typing on a Russian keyboard
//! therefore gets the same stem.
//!
//! Conservative means: a suffix is removed only if a stem of at least [`MIN_STEM`] characters
//! remains (more for one-letter suffixes), so short roots are never cut; derivation (`-шы`,
//! `-лық`) and most verb forms are left alone. The single-vowel dative `-а/-е` is *not* stripped:
//! too many roots end in those vowels (`карта`). Imperfect stems are harmless for recall because
//! the browser also matches prefixes. The README (search section) lists the suffixes with word
//! pairs; the unit tests below pin the same pairs.

/// Shortest stem left after removing a suffix of two or more letters.
const MIN_STEM: usize = 3;
/// Shortest stem left after removing a one-letter suffix.
const MIN_STEM_SHORT: usize = 4;

/// Case endings (genitive, accusative, dative, locative, ablative, instrumental), longest first
/// within each group so `-нда` wins over `-да`.
const CASE: &[&str] = &[
    "менен",
    "бенен",
    "пенен", // instrumental, long form
    "нын",
    "нин",
    "дын",
    "дин",
    "тын",
    "тин", // genitive -ның/-нің/-дың/-дің/-тың/-тің
    "нан",
    "нен",
    "дан",
    "ден",
    "тан",
    "тен", // ablative
    "нда",
    "нде", // locative after a possessive
    "мен",
    "бен",
    "пен", // instrumental
    "га",
    "ге",
    "ка",
    "ке",
    "на",
    "не", // dative -ға/-ге/-қа/-ке/-на/-не
    "да",
    "де",
    "та",
    "те", // locative
    "ны",
    "ни",
    "ды",
    "ди",
    "ты",
    "ти", // accusative -ны/-ні/-ды/-ді/-ты/-ті
    "н",  // accusative after a possessive vowel: балансы-н
];

/// Possessive endings: 2nd person polite and 1st plural, then 1st/2nd singular, then 3rd person.
const POSSESSIVE: &[&str] = &[
    "ыныз", "иниз", "ныз",
    "низ", // -ыңыз/-іңіз/-ңыз/-ңіз (also the polite imperative)
    "ымыз", "имиз", "мыз", "миз", // -ымыз/-іміз/-мыз/-міз
    "ым", "им", "ын", "ин", // -ым/-ім, -ың/-ің
    "сы", "си", // 3rd person after a vowel
    "ы", "и", // 3rd person after a consonant
];

/// Plural endings.
const PLURAL: &[&str] = &["лар", "лер", "дар", "дер", "тар", "тер"];

/// The verbal noun `-у` (тексеру → тексер), stripped only when nothing else was.
const VERBAL_NOUN: &str = "у";

fn is_vowel(c: char) -> bool {
    matches!(c, 'а' | 'е' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я')
}

/// The stem of one folded Kazakh word (a word that is not all Cyrillic letters is returned as is).
pub fn stem(word: &str) -> &str {
    if !word.chars().all(|c| ('а'..='я').contains(&c)) {
        return word;
    }
    let mut s = word;
    let mut stripped = false;
    for group in [CASE, POSSESSIVE, PLURAL] {
        if let Some(rest) = strip_one(s, group) {
            s = rest;
            stripped = true;
        }
    }
    match s.strip_suffix(VERBAL_NOUN) {
        Some(rest)
            if !stripped && ends_with_consonant(rest) && rest.chars().count() >= MIN_STEM =>
        {
            rest
        }
        _ => s,
    }
}

/// Removes the first suffix of `group` that leaves an acceptable stem.
fn strip_one<'a>(word: &'a str, group: &[&str]) -> Option<&'a str> {
    group.iter().find_map(|suffix| {
        let rest = word.strip_suffix(suffix)?;
        acceptable(rest, suffix).then_some(rest)
    })
}

/// Whether `rest` may stay as a stem after removing `suffix`: long enough, with a vowel, and
/// ending in a sound that this suffix's variant follows. Kazakh picks `-та` after voiceless
/// consonants and `-да` after vowels and voiced ones; checking that keeps `карта` whole (a `-та`
/// after `р` is impossible) while `шотта` still loses its ending.
fn acceptable(rest: &str, suffix: &str) -> bool {
    let min = if suffix.chars().count() == 1 {
        MIN_STEM_SHORT
    } else {
        MIN_STEM
    };
    let Some(last) = rest.chars().next_back() else {
        return false;
    };
    if rest.chars().count() < min || !rest.chars().any(is_vowel) {
        return false;
    }
    match suffix.chars().next() {
        Some('т' | 'к' | 'п') => is_voiceless(last),
        Some('д' | 'г' | 'б' | 'л' | 'м') => !is_voiceless(last),
        Some('с') => is_vowel(last),
        Some('н') if suffix == "н" => matches!(last, 'ы' | 'и'),
        Some('н') if matches!(suffix, "ныз" | "низ") => is_vowel(last), // -ңыз/-ңіз
        Some('н') => is_vowel(last) || matches!(last, 'м' | 'н'),
        _ => !is_vowel(last), // vowel-initial endings follow a consonant
    }
}

fn is_voiceless(c: char) -> bool {
    matches!(c, 'к' | 'п' | 'с' | 'т' | 'ф' | 'х' | 'ц' | 'ч' | 'ш' | 'щ')
}

fn ends_with_consonant(s: &str) -> bool {
    s.chars().next_back().is_some_and(|c| !is_vowel(c))
}

#[cfg(test)]
mod tests {
    use super::stem;
    use crate::search::normalize::fold;

    /// Real word pairs: each inflected form and the base form must share one stem. The same
    /// pairs are listed in the README's search section.
    const PAIRS: &[(&str, &str)] = &[
        ("баланс", "балансты"),      // balance / balance (acc.)
        ("баланс", "балансын"),      // its balance (acc.)
        ("баланс", "баланстың"),     // of the balance
        ("баланс", "балансқа"),      // to the balance
        ("баланс", "балансыңызды"),  // your balance (acc.)
        ("нөмір", "нөмірі"),         // number / his number
        ("нөмір", "нөмірге"),        // to the number
        ("нөмір", "нөмірлеріңіз"),   // your numbers
        ("оператор", "операторлар"), // operators
        ("оператор", "операторға"),  // to the operator
        ("оператор", "оператордың"), // of the operator
        ("тариф", "тарифтерді"),     // tariffs (acc.)
        ("қызмет", "қызметтер"),     // services
        ("қосымша", "қосымшасында"), // in its app
        ("қосымша", "қосымшада"),    // in the app
        ("тексеру", "тексеріңіз"),   // to check / please check
        ("төлем", "төлемдер"),       // payments
        ("телефон", "телефонның"),   // of the phone
        ("кеңсе", "кеңсесіне"),      // to its office
    ];

    #[test]
    fn inflected_forms_share_the_base_forms_stem() {
        for (base, form) in PAIRS {
            let (b, f) = (fold(base), fold(form));
            assert_eq!(stem(&b), stem(&f), "{base} / {form}");
        }
    }

    #[test]
    fn short_roots_and_vowel_final_roots_are_kept() {
        for word in ["ана", "бала", "карта", "су", "ай", "жаңа"] {
            let w = fold(word);
            assert_eq!(stem(&w), w, "{word}");
        }
    }
}
