//! The order in which the template and search stages take the languages. Input: the site model
//! after the Markdown stage and whether the search cache keeps analysed pages. Output: its
//! language codes in that order.
//!
//! The stages run one language at a time. A one-off build frees each language's bodies,
//! analysed pages and index before the next, so its peak is the heaviest language plus what is
//! still held for the languages after it: taken last, the heaviest reuses what every other one
//! freed. `watch` keeps every language's analysed pages, so there the heaviest goes first,
//! before the others are held, and they reuse the memory its index took.
//!
//! How heavy a language's index is depends on its script more than on its size in bytes: a
//! Chinese page is indexed as its characters and their pairs (~1,700 distinct tokens a page,
//! against ~500 words on an English one), so the weight is estimated by tokenizing a sample of
//! each language's bodies. At 10,000 pages: `build` 475 → 357 MiB, `watch`'s first build
//! 713 → 654 MiB.

use crate::site::Site;
use rayon::prelude::*;

/// Pages per language whose bodies are tokenized for the estimate: enough to see the script,
/// cheap next to rendering them. (32 were 2.8 % of a 1k build's samples in `perf`, for the
/// same order on the benchmark's corpora and the guide.)
const SAMPLE: usize = 8;

/// The site's language codes in ascending order of their estimated search index weight, or
/// descending where analysed pages are kept (`keeps_analysed`); ties keep site.yaml's order.
pub(crate) fn languages(site: &Site, keeps_analysed: bool) -> Vec<String> {
    let mut weighed: Vec<(usize, usize, &str)> = site
        .config
        .language_codes()
        .into_iter()
        .enumerate()
        .map(|(position, code)| (weight(site, code), position, code))
        .collect();
    weighed.sort_by(|a, b| {
        let by_weight = a.0.cmp(&b.0);
        let by_weight = if keeps_analysed {
            by_weight.reverse()
        } else {
            by_weight
        };
        by_weight.then(a.1.cmp(&b.1))
    });
    weighed
        .into_iter()
        .map(|(.., code)| code.to_owned())
        .collect()
}

/// Distinct search tokens per page in a sample of the language's bodies, times its pages.
fn weight(site: &Site, code: &str) -> usize {
    let pages: Vec<&crate::site::Page> = site.pages.iter().filter(|p| p.lang == code).collect();
    if pages.is_empty() {
        return 0;
    }
    // Evenly spread over the language, so one odd section does not decide.
    let step = pages.len().div_ceil(SAMPLE);
    let sample: Vec<&&crate::site::Page> = pages.iter().step_by(step).collect();
    // On both cores: this runs before the first page's template, with nothing beside it (one
    // core, with a `String` per token in a SipHash set, it was 1.6 % of a 1k build).
    let distinct: usize = sample
        .par_iter()
        .map(|p| {
            // A body that does not read back fails its page's render; here it weighs nothing.
            let Ok(html) = p.rendered.html.text() else {
                return 0;
            };
            crate::search::distinct_tokens(&html)
        })
        .sum();
    distinct * pages.len() / sample.len()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// Two languages with the same number of pages, the English ones longer in bytes: the
    /// Chinese one, indexed by characters and pairs, goes last in a one-off build and first in
    /// `watch`, whatever site.yaml's order.
    #[test]
    fn the_language_with_the_heavier_index_goes_last() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nlanguages:\n  - {code: zh, tag: zh-Hans, name: 中文, default: true}\n  - {code: en, tag: en, name: English}\n",
        )
        .unwrap();
        let han = "注册卡续费查询余额充值手机号码运营商实名认证身份证护照签证办理";
        let words = "check the balance of a prepaid number before a trip abroad";
        for (lang, text) in [("zh", han.repeat(2)), ("en", words.repeat(4))] {
            let dir = root.join("content").join(lang);
            std::fs::create_dir_all(&dir).unwrap();
            let home = if lang == "zh" { "首页" } else { "Home" };
            std::fs::write(dir.join("_index.md"), format!("---\ntitle: {home}\n---\n")).unwrap();
            for n in 0..3 {
                let mut f = std::fs::File::create(dir.join(format!("p{n}.md"))).unwrap();
                write!(f, "---\ntitle: P{n}\n---\n\n{text}\n").unwrap();
            }
        }
        // The site model as the template stage gets it, bodies still rendered.
        let mut pipeline = super::super::Pipeline::new(root, false, None, false);
        let (config, i18n) = pipeline.settings().unwrap();
        let changes = super::super::Changes::everything();
        let mut stats = super::super::RunStats::start();
        let site = pipeline.site(config, i18n, &changes, &mut stats).unwrap();
        assert_eq!(super::languages(&site, false), ["en", "zh"]);
        assert_eq!(super::languages(&site, true), ["zh", "en"]);
    }
}
