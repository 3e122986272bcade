//! Stemming, in one place: a folded surface token in, the index term out.
//!
//! Only the build stems. The index ships every surface form whose stem differs from it
//! (`балансы → баланс`), so the browser looks words up and never stems: one stemmer, no drift
//! between two implementations.
//!
//! The stemmer is chosen by language code and by the token's script:
//!
//! | language | Cyrillic words | Latin words |
//! |---|---|---|
//! | `ru` | Snowball Russian | Snowball English |
//! | `kk` | [`kazakh`](super::kazakh) suffix stripper | Snowball English |
//! | `en`, `zh` | unchanged | Snowball English |
//! | a code with a Snowball stemmer (`de`, `fr`, `es`, `uk`, `tr`, `ar`, …, see [`snowball`]) | that stemmer, for words of letters in any script | |
//! | any other | unchanged | unchanged (the defined fallback) |
//!
//! Latin words in the Russian, Kazakh and Chinese pages are mostly English terms (SIM, app,
//! online), hence English there. Compounds (`kaspi.kz`, `*111#`), numbers and Han are never
//! stemmed.

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};

use super::kazakh;

/// What to do with a Cyrillic word.
#[derive(Clone, Copy)]
enum Cyrillic {
    Keep,
    Russian(Stemmer),
    Kazakh,
}

/// The stemmer of one language.
#[derive(Clone, Copy)]
pub struct LangStemmer {
    cyrillic: Cyrillic,
    latin: Option<Stemmer>,
    /// The language's own Snowball stemmer, for any word of letters (languages other than the
    /// four with the rules above).
    own: Option<Stemmer>,
}

/// The Snowball stemmer of a language code other than the four above (`de`, `pt-br` → `pt`);
/// `None` for languages Snowball lacks (the unchanged fallback). Only ISO 639 codes are asked,
/// never algorithm names such as `porter`.
pub fn snowball(code: &str) -> Option<Algorithm> {
    let code = code.split(['-', '_']).next().unwrap_or(code);
    if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Algorithm::from_name(code).ok()
}

impl LangStemmer {
    /// The stemmer for a URL language code (`zh`, `en`, `ru`, `kk`; others get the fallback).
    pub fn for_lang(code: &str) -> Self {
        let english = Some(Stemmer::new(Algorithm::English));
        let (cyrillic, latin) = match code {
            "ru" => (Cyrillic::Russian(Stemmer::new(Algorithm::Russian)), english),
            "kk" => (Cyrillic::Kazakh, english),
            "en" | "zh" => (Cyrillic::Keep, english),
            _ => (Cyrillic::Keep, None),
        };
        let own = match code {
            "ru" | "kk" | "en" | "zh" => None,
            _ => snowball(code).map(Stemmer::new),
        };
        Self {
            cyrillic,
            latin,
            own,
        }
    }

    /// The index term of one folded surface token.
    pub fn stem<'a>(&self, token: &'a str) -> Cow<'a, str> {
        if let Some(stemmer) = self.own {
            return if token.chars().all(char::is_alphabetic) {
                stemmer.stem(token)
            } else {
                Cow::Borrowed(token)
            };
        }
        if token.bytes().all(|b| b.is_ascii_lowercase()) {
            return match self.latin {
                Some(stemmer) => stemmer.stem(token),
                None => Cow::Borrowed(token),
            };
        }
        if !token
            .chars()
            .all(|c| ('\u{0430}'..='\u{045F}').contains(&c))
        {
            return Cow::Borrowed(token);
        }
        match self.cyrillic {
            Cyrillic::Keep => Cow::Borrowed(token),
            Cyrillic::Russian(stemmer) => stemmer.stem(token),
            Cyrillic::Kazakh => Cow::Borrowed(kazakh::stem(token)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LangStemmer;

    #[test]
    fn stems_by_language_and_script() {
        let ru = LangStemmer::for_lang("ru");
        assert_eq!(ru.stem("пополнения"), ru.stem("пополнение"));
        assert_eq!(ru.stem("connections"), "connect");
        assert_eq!(ru.stem("kaspi.kz"), "kaspi.kz");
        let kk = LangStemmer::for_lang("kk");
        assert_eq!(kk.stem("балансты"), "баланс");
        let other = LangStemmer::for_lang("ja");
        assert_eq!(other.stem("connections"), "connections");
        assert_eq!(
            LangStemmer::for_lang("porter").stem("connections"),
            "connections"
        );
        assert_eq!(LangStemmer::for_lang("en").stem("баланса"), "баланса");
    }

    #[test]
    fn declared_snowball_languages_get_their_stemmer() {
        let de = LangStemmer::for_lang("de");
        assert_eq!(de.stem("verbindungen"), de.stem("verbindung"));
        assert_eq!(de.stem("kaspi.kz"), "kaspi.kz");
        let fr = LangStemmer::for_lang("fr");
        assert_eq!(fr.stem("recharges"), fr.stem("recharge"));
        let uk = LangStemmer::for_lang("uk");
        assert_eq!(uk.stem("поповнення"), uk.stem("поповненням"));
        let tr = LangStemmer::for_lang("tr");
        assert_eq!(tr.stem("telefonlar"), "telefon");
        let es = LangStemmer::for_lang("es-mx");
        assert_eq!(es.stem("recargas"), es.stem("recarga"));
        assert!(super::snowball("ar").is_some());
        assert!(super::snowball("ja").is_none());
    }
}
