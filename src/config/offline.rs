//! `offline:` in site.yaml: whether the service worker is written, and how many pages of a
//! language it stores on a reader's phone after the first visit.

use serde::Deserialize;

/// How many pages of one language the service worker stores by default. The guide has about
/// 20 per language; at ~15 KB gzipped a page, 500 pages is ~7.5 MB on a phone.
pub const DEFAULT_MAX_PAGES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offline {
    /// Write `sw.js` and the per-language lists, and register the worker on every page.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Pages of one language stored at the first visit (home first, then reading order); the
    /// others are stored as the reader opens them.
    #[serde(default = "default_max_pages")]
    pub max_pages: usize,
}

impl Default for Offline {
    fn default() -> Self {
        Offline {
            enabled: true,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

fn yes() -> bool {
    true
}

fn default_max_pages() -> usize {
    DEFAULT_MAX_PAGES
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const MINIMAL: &str =
        "title: Guide\nlanguages:\n  - {code: en, tag: en, name: English, default: true}\n";

    #[test]
    fn offline_is_on_by_default_and_can_be_turned_off() {
        let c = Config::parse(MINIMAL).unwrap();
        assert!(c.offline.enabled);
        assert_eq!(c.offline.max_pages, super::DEFAULT_MAX_PAGES);
        let c = Config::parse(&format!("{MINIMAL}offline: {{enabled: false}}\n")).unwrap();
        assert!(!c.offline.enabled);
        let c = Config::parse(&format!("{MINIMAL}offline:\n  max_pages: 40\n")).unwrap();
        assert_eq!((c.offline.enabled, c.offline.max_pages), (true, 40));
    }

    #[test]
    fn a_misspelt_offline_key_is_located() {
        let e = Config::parse(&format!("{MINIMAL}offline:\n  max_page: 4\n")).unwrap_err();
        let d = &e.0[0];
        assert_eq!(d.line, Some(5), "{d}");
        assert!(d.message.contains("did you mean 'max_pages'"), "{d}");
    }

    #[test]
    fn og_image_is_once_or_per_language() {
        let c = Config::parse(&format!("{MINIMAL}og_image: en/card.png\n")).unwrap();
        assert_eq!(c.og_image.unwrap().get("en"), "en/card.png");
        let c = Config::parse(&format!(
            "{MINIMAL}og_image: {{en: https://cdn.example/c.png}}\n"
        ))
        .unwrap();
        assert_eq!(c.og_image.unwrap().get("en"), "https://cdn.example/c.png");
    }
}
