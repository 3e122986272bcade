//! `missing_translation:` in site.yaml: what a language gets for a page written only in the
//! default language.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingTranslation {
    /// Build the page at its URL in that language from the default language's page, with a
    /// notice, `noindex` and a canonical link to the original (what Starlight does).
    #[default]
    Fallback,
    /// Build nothing; links from that language lead to the default language's page.
    Omit,
}
