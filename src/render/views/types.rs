//! The typed views templates see (their fields are the template variables), built by
//! [`super::Views`].

use crate::collections::FactView;
use crate::config::Source;
use crate::markdown::TocEntry;
use serde::Serialize;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

#[derive(Serialize, Hash, PartialEq, Eq, Clone)]
pub struct LinkView {
    pub title: String,
    pub href: String,
    pub description: Option<String>,
    pub current: bool,
}

#[derive(Serialize, Hash, PartialEq, Eq, Clone)]
pub struct NavItem {
    pub title: String,
    pub href: String,
    pub depth: usize,
    pub current: bool,
    /// An ancestor of the current page.
    pub open: bool,
    pub section: bool,
    /// A placeholder for entries left out of a long section ("…").
    pub more: bool,
}

#[derive(Serialize, Hash)]
pub struct TranslationView {
    pub code: String,
    pub tag: String,
    pub name: String,
    pub href: String,
    pub current: bool,
    /// The page in this language is the default language's text (not yet translated).
    pub fallback: bool,
    /// The page is not built in this language (`omit`): `href` leads to its home.
    pub missing: bool,
}

/// What a fallback page tells the reader: the language of the text and where the original is.
#[derive(Serialize, Hash)]
pub struct FallbackView {
    pub code: String,
    pub tag: String,
    pub name: String,
    pub href: String,
}

#[derive(Serialize, Hash)]
pub struct AlternateView {
    pub hreflang: String,
    pub href: String,
}

#[derive(Serialize, Hash)]
pub struct ItemView {
    /// The collection's name (`products`).
    pub collection: String,
    pub id: String,
    pub name: String,
    pub legal_name: Option<String>,
    pub href: String,
    pub reviewed: String,
    pub sources: Vec<Source>,
    pub facts: Vec<FactView>,
    /// Pages whose front matter is `about` this item (on the item's own page).
    pub pages: Vec<LinkView>,
}

/// An item's view with its template value, built once per language, item and link and shared by
/// every page about the item: its facts are the largest part of most pages' contexts.
pub struct SharedItem {
    pub view: ItemView,
    /// `view` as a template value.
    pub value: tera::Value,
}

/// The view is what the page's template sees: its value is the same data.
impl Hash for SharedItem {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.view.hash(state);
    }
}

/// A collection with links to its index and items, for the home page's chooser.
#[derive(Serialize, Hash, PartialEq, Eq, Clone)]
pub struct CollectionView {
    pub name: String,
    pub title: String,
    pub href: String,
    pub items: Vec<LinkView>,
}

#[derive(Serialize, Hash)]
pub struct ComparisonRow {
    pub label: String,
    pub cells: Vec<FactView>,
}

#[derive(Serialize, Hash)]
pub struct Comparison {
    pub columns: Vec<LinkView>,
    pub rows: Vec<ComparisonRow>,
}

#[derive(Serialize, Hash)]
pub struct PageView<'a> {
    // What the page's own front matter and Markdown hold is borrowed from the site model, not
    // copied per page: the template's context makes its own values of them anyway.
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The body's HTML, from the Markdown stage (borrowed: it is the largest value of a view,
    /// and the template's context takes its own copy anyway).
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    /// Pretty URL relative to the output root.
    pub url: &'a str,
    /// Absolute pretty URL, when the site has a `base_url`.
    pub permalink: Option<String>,
    pub kind: &'static str,
    /// `canonical` link: the permalink, or for a fallback the original's (relative without
    /// `base_url`).
    pub canonical: Option<String>,
    /// Set on a page built from the default language because it is not yet translated.
    pub fallback: Option<FallbackView>,
    pub reviewed: Option<String>,
    pub sources: &'a [Source],
    pub extra: &'a BTreeMap<String, serde_yaml::Value>,
    pub children: Vec<LinkView>,
    /// The item this page is about (`about:` in front matter, or the item's own page). Left out
    /// of the serialised view: the template context takes its ready value (`render::context`).
    #[serde(skip)]
    pub item: Option<Arc<SharedItem>>,
    pub comparison: Option<Comparison>,
    /// JSON-LD for the page's `<script type="application/ld+json">` (render/structured_data.rs).
    pub json_ld: Option<String>,
    /// The link-preview image and its text (render/sharing.rs).
    pub og_image: Option<crate::render::sharing::OgImage>,
}

/// Everything a page template sees besides the per-language constants.
#[derive(Serialize, Hash)]
pub struct PageContext<'a> {
    pub page: PageView<'a>,
    pub root: String,
    /// Link to the language's home.
    pub home: String,
    pub nav: Vec<NavItem>,
    pub breadcrumbs: Vec<LinkView>,
    pub translations: Vec<TranslationView>,
    pub alternates: Vec<AlternateView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// Every collection of the site, with its items in this language.
    pub collections: Vec<CollectionView>,
}
