//! Stop lists: a language code in, the query words that carry little meaning out.
//!
//! The lists are written into each language's `index.js` manifest; the browser gives a query
//! word on the list a tenth of its weight (it still counts when the query has nothing else), and
//! removes listed Han words from a Han run before pairing its characters, so `IIN怎么办理`
//! searches `iin` and `办理`. Pages are indexed in full: the lists only change query weights.
//! Entries are folded forms (what [`super::normalize::fold`] makes of them; `ё` → `е`, Kazakh
//! letters → Russian keyboard letters), so Kazakh typed either way matches.

/// The stop list of a language code; empty for languages without one.
pub fn words(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => EN,
        "ru" => RU,
        "kk" => KK,
        "zh" => ZH,
        _ => &[],
    }
}

const EN: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from",
    "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "per",
    "should", "so", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who",
    "why", "will", "with", "you", "your",
];

const RU: &[&str] = &[
    "а",
    "без",
    "в",
    "во",
    "вы",
    "где",
    "да",
    "для",
    "до",
    "если",
    "есть",
    "же",
    "за",
    "и",
    "из",
    "или",
    "как",
    "когда",
    "ли",
    "мне",
    "мой",
    "моя",
    "мое",
    "мои",
    "можно",
    "мы",
    "на",
    "не",
    "нужно",
    "о",
    "об",
    "от",
    "по",
    "при",
    "про",
    "с",
    "со",
    "так",
    "то",
    "у",
    "что",
    "чтобы",
    "это",
    "я",
    "ваш",
    "свой",
    "свое",
    "своя",
    "свои",
];

/// Folded: `қалай` is listed as `калай`, `үшін` as `ушин`.
const KK: &[&str] = &[
    "ба",
    "бе",
    "бен",
    "бул",
    "да",
    "де",
    "жане",
    "калай",
    "кайда",
    "кашан",
    "керек",
    "ма",
    "ме",
    "мен",
    "менин",
    "неге",
    "не",
    "осы",
    "па",
    "пе",
    "пен",
    "сиз",
    "сиздин",
    "сол",
    "та",
    "те",
    "туралы",
    "ушин",
];

const ZH: &[&str] = &[
    "为什么",
    "什么",
    "可以",
    "吗",
    "吧",
    "呢",
    "哪里",
    "如何",
    "怎么",
    "怎样",
    "我",
    "我的",
    "是否",
    "的",
    "了",
    "是",
    "你",
    "您",
    "在",
    "和",
    "要",
    "需要",
];

#[cfg(test)]
mod tests {
    use super::words;
    use crate::search::normalize::fold;
    use crate::search::tokenize::tokens;

    #[test]
    fn entries_are_folded_single_query_words() {
        for lang in ["en", "ru", "kk", "zh"] {
            let list = words(lang);
            assert!(list.len() >= 20, "{lang}");
            for w in list {
                assert_eq!(fold(w), *w, "{lang}: {w} is folded");
                let t = tokens(w);
                let han = w.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert!(han || t == [*w], "{lang}: {w} is one token ({t:?})");
            }
        }
        assert!(words("de").is_empty());
        assert!(words("kk").contains(&"калай"), "қалай, folded");
    }
}
