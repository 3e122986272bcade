//! Collection facts as shown to readers: one fact of one item in one language, with its status,
//! for the facts box, the comparison table and the `data` shortcode alike.
//!
//! Input: the loaded config (collections with items) and the UI strings. Output: `FactView`s
//! and inline HTML.

use crate::config::{Collection, Config, Item, Status};
use crate::i18n::I18n;
use crate::markdown::{DataSource, escape, escape_inline_text};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Hash)]
pub struct FactView {
    pub key: String,
    pub label: String,
    /// What the reader sees: the value, or "not confirmed" in the reader's language.
    pub text: String,
    /// `confirmed`, `secondary`, `unconfirmed`, or `missing` when the item has no such fact.
    pub status: &'static str,
    pub status_label: String,
    /// The value as a link (an official site), for confirmed and secondary facts.
    pub href: Option<String>,
    pub source: Option<String>,
    /// When the fact was last checked (`YYYY-MM-DD`), if the data says.
    pub checked: Option<String>,
}

/// One fact of `item` in `lang`. Unconfirmed values are never shown as fact.
pub fn fact_view(
    collection: &Collection,
    i18n: &I18n,
    lang: &str,
    item: &Item,
    key: &str,
) -> FactView {
    let label = collection.label(key, lang);
    let Some(fact) = item.facts.get(key) else {
        return FactView {
            key: key.to_owned(),
            label,
            text: i18n.get(lang, "fact_missing").to_owned(),
            status: "missing",
            status_label: String::new(),
            href: None,
            source: None,
            checked: None,
        };
    };
    let (text, href) = match (fact.status, &fact.value) {
        (Status::Unconfirmed, _) | (_, None) => {
            (i18n.get(lang, "fact_unconfirmed").to_owned(), None)
        }
        (_, Some(v)) => (v.get(lang).to_owned(), fact.url.clone()),
    };
    FactView {
        key: key.to_owned(),
        label,
        text,
        status: fact.status.as_str(),
        status_label: i18n
            .get(lang, &format!("status_{}", fact.status.as_str()))
            .to_owned(),
        href,
        source: fact.source.clone(),
        checked: fact.checked.map(|d| d.to_string()),
    }
}

/// Every declared field of `item`, in the order of the collection's `fields:` list.
pub fn fact_views(collection: &Collection, i18n: &I18n, lang: &str, item: &Item) -> Vec<FactView> {
    collection
        .fields
        .iter()
        .map(|f| fact_view(collection, i18n, lang, item, &f.key))
        .collect()
}

/// The `data` shortcode's view of the configured collections, in one language.
pub struct Facts<'a> {
    pub config: &'a Config,
    pub i18n: &'a I18n,
    pub lang: &'a str,
}

impl Facts<'_> {
    fn find(&self, c: &str, id: &str, key: &str) -> Result<(&Collection, &Item), String> {
        let config = self.config;
        let collection = config.collection(c).ok_or_else(|| {
            let names: Vec<&str> = config.collections.iter().map(|c| c.name.as_str()).collect();
            format!(
                "unknown collection '{c}' (configured: {})",
                names.join(", ")
            )
        })?;
        let item = collection.item(id).ok_or_else(|| {
            let ids: Vec<&str> = collection.items.iter().map(|i| i.id.as_str()).collect();
            format!(
                "collection '{c}' has no item '{id}' (it has: {})",
                ids.join(", ")
            )
        })?;
        if !item.facts.contains_key(key) {
            let keys: Vec<&str> = item.facts.keys().map(String::as_str).collect();
            return Err(format!(
                "item '{c}/{id}' has no fact '{key}' (it has: {})",
                keys.join(", ")
            ));
        }
        Ok((collection, item))
    }
}

impl DataSource for Facts<'_> {
    fn fact_html(&self, c: &str, id: &str, key: &str) -> Result<String, String> {
        let (collection, item) = self.find(c, id, key)?;
        let v = fact_view(collection, self.i18n, self.lang, item, key);
        let text = escape_inline_text(&v.text);
        let title = escape_inline_text(&v.status_label);
        Ok(match v.href {
            Some(href) => format!(
                "<a class=\"fact fact-{}\" href=\"{}\" title=\"{title}\">{text}</a>",
                v.status,
                escape(&href)
            ),
            None => format!(
                "<span class=\"fact fact-{}\" title=\"{title}\">{text}</span>",
                v.status
            ),
        })
    }
}
