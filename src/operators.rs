//! Operator facts as shown to readers: one fact in one language, with its status, for the facts
//! box, the comparison table and the `fact` shortcode alike.

use crate::config::{Config, Operator, Status};
use crate::i18n::I18n;
use crate::markdown::{FactSource, escape, escape_inline_text};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Hash)]
pub struct FactView {
    pub key: String,
    pub label: String,
    /// What the reader sees: the value, or "not confirmed: check the official app or office".
    pub text: String,
    /// `confirmed`, `secondary`, `unconfirmed`, or `missing` when the operator has no such fact.
    pub status: &'static str,
    pub status_label: String,
    /// The value as a link (an official site), for confirmed and secondary facts.
    pub href: Option<String>,
    pub source: Option<String>,
}

/// One fact of `op` in `lang`. Unconfirmed values are never shown as fact.
pub fn fact_view(config: &Config, i18n: &I18n, lang: &str, op: &Operator, key: &str) -> FactView {
    let label = config
        .facts
        .iter()
        .find(|f| f.key == key)
        .map(|f| f.label.get(lang).to_owned())
        .unwrap_or_else(|| key.to_owned());
    let Some(fact) = op.facts.get(key) else {
        return FactView {
            key: key.to_owned(),
            label,
            text: i18n.get(lang, "fact_missing").to_owned(),
            status: "missing",
            status_label: String::new(),
            href: None,
            source: None,
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
    }
}

/// Every declared fact of `op`, in the order of site.yaml's `facts:` list.
pub fn fact_views(config: &Config, i18n: &I18n, lang: &str, op: &Operator) -> Vec<FactView> {
    config
        .facts
        .iter()
        .map(|f| fact_view(config, i18n, lang, op, &f.key))
        .collect()
}

/// The `fact` shortcode's view of the configured operators, in one language.
pub struct Facts<'a> {
    pub config: &'a Config,
    pub i18n: &'a I18n,
    pub lang: &'a str,
}

impl FactSource for Facts<'_> {
    fn fact_html(&self, op: &str, key: &str) -> Result<String, String> {
        let operator = self.config.operator(op).ok_or_else(|| {
            let ids: Vec<&str> = self
                .config
                .operators
                .iter()
                .map(|o| o.id.as_str())
                .collect();
            format!("unknown operator '{op}' (configured: {})", ids.join(", "))
        })?;
        if !operator.facts.contains_key(key) {
            let keys: Vec<&str> = operator.facts.keys().map(String::as_str).collect();
            return Err(format!(
                "operator '{op}' has no fact '{key}' (it has: {})",
                keys.join(", ")
            ));
        }
        let v = fact_view(self.config, self.i18n, self.lang, operator, key);
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
