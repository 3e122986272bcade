//! Any text as a page body, rendered with link checks against a small site: never a panic or
//! a hang, whatever the Markdown, raw HTML, links or shortcodes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;
use steppe::config::Config;
use steppe::content::PageKey;
use steppe::markdown::{DataSource, LinkSite, LinkTargets, PageInput, render};

const SITE: &str = "title: Fuzz\nlinks: {external: allowlist, allowed_domains: [example.org]}\nlanguages:\n  - {code: en, tag: en, name: English, default: true}\n  - {code: kk, tag: kk, name: Қазақша}\n";

static CONFIG: LazyLock<Config> = LazyLock::new(|| Config::parse(SITE).expect("valid config"));

/// Answers one known fact and refuses the rest, like the real site's data.
struct Facts;

impl DataSource for Facts {
    fn fact_html(&self, c: &str, id: &str, key: &str) -> Result<String, String> {
        match (c, id, key) {
            ("operators", "activ", "balance_code") => Ok("<span class=\"fact\">*111#</span>".into()),
            _ => Err(format!("unknown fact {c}/{id}/{key}")),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let pages = BTreeMap::from([
        (PageKey::new("en", "faq.md"), "en/faq/".into()),
        (PageKey::new("en", "steps/online.md"), "en/steps/online/".into()),
    ]);
    let targets = LinkTargets {
        pages,
        assets: BTreeSet::from([PageKey::new("en", "img/a.png")]),
    };
    let site = LinkSite {
        config: &CONFIG,
        targets: &targets,
        lang: "en",
        rel: "steps/online.md",
        out_dir: "en/steps/online/",
    };
    let strings = BTreeMap::from([("alert_note".to_string(), "Note".to_string())]);
    let input = PageInput {
        file: Path::new("content/en/steps/online.md"),
        body,
        body_line: 5,
        strings: &strings,
    };
    let _ = render(&input, &site, &Facts);
});
