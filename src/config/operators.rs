//! Operator brands as data: each fact with its status and source.

use super::text::{Date, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How far a fact can be trusted, as graded in the content brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Stated on the operator's or the government's own site.
    Confirmed,
    /// Reported by other sources (news, legal outlets).
    Secondary,
    /// Not confirmed: rendered as "check the official app or office", never as fact.
    Unconfirmed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Secondary => "secondary",
            Status::Unconfirmed => "unconfirmed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Optional only for unconfirmed facts, which never show their value.
    #[serde(default)]
    pub value: Option<Text>,
    pub status: Status,
    /// Where the fact was found; required unless unconfirmed.
    #[serde(default)]
    pub source: Option<String>,
    /// Renders the value as a link (e.g. the official website).
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub id: String,
    pub name: String,
    pub reviewed: Date,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub facts: BTreeMap<String, Fact>,
}

/// A fact key with its row label in every language; the list order is the display order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactLabel {
    pub key: String,
    pub label: Text,
}
