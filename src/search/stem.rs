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
        Self { cyrillic, latin }
    }

    /// The index term of one folded surface token.
    pub fn stem<'a>(&self, token: &'a str) -> Cow<'a, str> {
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
        let other = LangStemmer::for_lang("de");
        assert_eq!(other.stem("connections"), "connections");
        assert_eq!(LangStemmer::for_lang("en").stem("баланса"), "баланса");
    }
}
