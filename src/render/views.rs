//! The values handed to templates: typed views built from the read-only site model.
//!
//! Every link in a view is already relative to the page being rendered, so templates never
//! compute paths and the output works from any host path and from disk.

use super::Reads;
use crate::collections::{fact_view, fact_views};
use crate::config::{Collection, Item};
use crate::search::fxhash::FastMap;
use crate::site::{Kind, Page, Site};
use crate::urls::{file_of, relative};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

mod types;
pub use types::*;

/// How many entries of one section the sidebar lists around the current page; a section with
/// thousands of pages would otherwise put thousands of links on every page.
const NAV_WINDOW: usize = 12;

/// `part()` where the template reads it, else nothing.
fn when<T>(read: bool, part: impl FnOnce() -> Vec<T>) -> Vec<T> {
    if read { part() } else { Vec::new() }
}

/// What a page's view of an item depends on besides the item's own page: language, collection,
/// item id and the link from the page to the item.
type ItemKey = (String, String, String, String);

pub struct Views<'a> {
    pub site: &'a Site,
    /// The theme's static files by name → hashed output path (the logo, the sharing image).
    pub assets: &'a BTreeMap<String, String>,
    /// Per page, where it stands in lists every page of its language looks it up in.
    places: Vec<Place>,
    /// `site.by_key` by borrowed language and path: looked up ~20 times per page, the site's
    /// `BTreeMap<PageKey, _>` costs two allocations and a dozen string comparisons each time.
    /// FxHash: SipHash of the two strings was most of a lookup.
    keys: FastMap<(&'a str, &'a str), usize>,
    /// Items as pages not their own see them, by `ItemKey`.
    items: Mutex<FastMap<ItemKey, Arc<SharedItem>>>,
}

/// A page's position in its language's reading order and among its parent's children, found
/// once: searched for on every page, they cost time linear per page, quadratic per site.
#[derive(Clone, Copy, Default)]
struct Place {
    reading: Option<usize>,
    sibling: Option<usize>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site, assets: &'a BTreeMap<String, String>) -> Views<'a> {
        let mut places = vec![Place::default(); site.pages.len()];
        for (lang, order) in &site.reading_order {
            for (pos, &i) in order.iter().enumerate() {
                if site.pages.get(i).is_some_and(|p| p.lang == *lang) {
                    places[i].reading.get_or_insert(pos);
                }
            }
        }
        for page in &site.pages {
            for (pos, &child) in page.children.iter().enumerate() {
                if let Some(place) = places.get_mut(child) {
                    place.sibling.get_or_insert(pos);
                }
            }
        }
        let keys = site
            .by_key
            .iter()
            .map(|(k, &i)| ((k.lang.as_str(), k.rel.as_str()), i))
            .collect();
        Views {
            site,
            assets,
            places,
            keys,
            items: Mutex::default(),
        }
    }
}

impl Views<'_> {
    /// The page at `rel` in language `lang`, if built (`site.by_key`).
    fn index_of(&self, lang: &str, rel: &str) -> Option<usize> {
        self.keys.get(&(lang, rel)).copied()
    }

    /// The language's home page (`site.home`).
    fn home_of(&self, lang: &str) -> usize {
        self.index_of(lang, "_index.md")
            .unwrap_or_else(|| self.site.home(lang))
    }

    /// The same page in every language where it is built and translated, in the configured
    /// language order (`site.real_translations`).
    fn real_translations(&self, page: &Page) -> Vec<usize> {
        let site = self.site;
        site.config
            .languages
            .iter()
            .filter_map(|l| self.index_of(&l.code, &page.rel))
            .filter(|&i| site.pages[i].is_translated())
            .collect()
    }

    pub fn permalink(&self, url: &str) -> Option<String> {
        self.site
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{}/{url}", b.trim_end_matches('/')))
    }

    fn link(&self, from: &Page, to: usize) -> LinkView {
        let target = &self.site.pages[to];
        LinkView {
            title: target.front.title.clone(),
            href: relative(&from.url, &target.url),
            description: target.front.description.clone(),
            current: std::ptr::eq(from, target),
        }
    }

    /// The context of page `index`'s template; `body` is its body HTML, unpacked. The parts
    /// its template cannot read (`reads`) are left empty.
    pub fn page_context<'a>(
        &'a self,
        index: usize,
        body: &'a str,
        reads: Reads,
    ) -> PageContext<'a> {
        let site = self.site;
        let page = &site.pages[index];
        let order = &site.reading_order[&page.lang];
        let pos = self.places[index].reading.filter(|_| reads.prev_next);
        let prev = pos
            .filter(|&p| p > 0)
            .map(|p| self.link(page, order[p - 1]));
        let next = pos
            .and_then(|p| order.get(p + 1))
            .map(|&i| self.link(page, i));
        PageContext {
            page: self.page_view(index, body),
            root: crate::urls::root_prefix(&page.url),
            home: relative(&page.url, &site.pages[self.home_of(&page.lang)].url),
            nav: when(reads.nav, || self.nav(index)),
            breadcrumbs: when(reads.breadcrumbs, || self.breadcrumbs(index)),
            translations: when(reads.translations, || self.translations(page)),
            alternates: when(reads.alternates, || self.alternates(page)),
            prev,
            next,
            collections: when(reads.collections, || self.collections(page)),
        }
    }

    /// The link from `page` to the page at `rel` in its language, if built.
    fn href_to(&self, page: &Page, rel: &str) -> Option<String> {
        self.index_of(&page.lang, rel)
            .map(|i| relative(&page.url, &self.site.pages[i].url))
    }

    fn collections(&self, page: &Page) -> Vec<CollectionView> {
        let site = self.site;
        site.config
            .collections
            .iter()
            .map(|c| CollectionView {
                name: c.name.clone(),
                title: self.index_of(&page.lang, &c.index_rel()).map_or_else(
                    || c.title.get(&page.lang).to_owned(),
                    |i| site.pages[i].front.title.clone(),
                ),
                href: self.href_to(page, &c.index_rel()).unwrap_or_default(),
                items: c
                    .items
                    .iter()
                    .filter_map(|item| self.index_of(&page.lang, &c.item_rel(&item.id)))
                    .map(|i| self.link(page, i))
                    .collect(),
            })
            .collect()
    }

    fn item_view(&self, page: &Page, c: &Collection, item: &Item) -> ItemView {
        let site = self.site;
        let about = format!("{}/{}", c.name, item.id);
        let pages = if matches!(page.kind, Kind::Item { .. }) {
            site.pages_about(&page.lang, &about)
                .into_iter()
                .map(|i| self.link(page, i))
                .collect()
        } else {
            Vec::new()
        };
        ItemView {
            collection: c.name.clone(),
            id: item.id.clone(),
            name: item.name.get(&page.lang).to_owned(),
            legal_name: item
                .legal_name
                .as_ref()
                .map(|n| n.get(&page.lang).to_owned()),
            href: self
                .href_to(page, &c.item_rel(&item.id))
                .unwrap_or_default(),
            reviewed: item.reviewed.to_string(),
            sources: item.sources.clone(),
            facts: fact_views(c, &site.i18n, &page.lang, item),
            pages,
        }
    }

    /// `item_view` with its template value, shared by the pages whose view of the item is the
    /// same: every page but the item's own (which lists the pages about it).
    fn shared_item(&self, page: &Page, c: &Collection, item: &Item) -> Arc<SharedItem> {
        let build = || {
            let view = self.item_view(page, c, item);
            let value = tera::Value::from_serializable(&view);
            Arc::new(SharedItem { view, value })
        };
        if matches!(page.kind, Kind::Item { .. }) {
            return build();
        }
        let href = self
            .href_to(page, &c.item_rel(&item.id))
            .unwrap_or_default();
        let key = (page.lang.clone(), c.name.clone(), item.id.clone(), href);
        let cached = || {
            let items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
            items.get(&key).cloned()
        };
        if let Some(shared) = cached() {
            return shared;
        }
        let shared = build();
        let mut items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(items.entry(key).or_insert(shared))
    }

    /// The item page `index` is about, built afresh for that page alone.
    #[cfg(test)]
    pub(super) fn fresh_item(&self, index: usize) -> Option<ItemView> {
        let page = &self.site.pages[index];
        let (c, item) = self.about(page)?;
        Some(self.item_view(page, c, item))
    }

    /// The collection and item a page is about: its own item, or its front matter's `about`.
    fn about(&self, page: &Page) -> Option<(&Collection, &Item)> {
        let config = &self.site.config;
        let (c, id) = match &page.kind {
            Kind::Item { collection, id } => (collection.as_str(), id.as_str()),
            _ => page.front.about.as_deref()?.split_once('/')?,
        };
        let c = config.collection(c)?;
        Some((c, c.item(id)?))
    }

    /// The default language's page a fallback copy was built from.
    fn original(&self, page: &Page) -> Option<&Page> {
        let from = page.fallback_from.as_ref()?;
        let i = self.index_of(from, &page.rel)?;
        Some(&self.site.pages[i])
    }

    fn fallback(&self, page: &Page) -> Option<FallbackView> {
        let original = self.original(page)?;
        let lang = self.site.config.language(&original.lang)?;
        Some(FallbackView {
            code: lang.code.clone(),
            tag: lang.tag.clone(),
            name: lang.name.clone(),
            href: relative(&page.url, &original.url),
        })
    }

    /// The page's permalink; a fallback copy names its original, relatively when there is no
    /// `base_url`, since search engines should index the original alone.
    fn canonical(&self, page: &Page) -> Option<String> {
        match self.original(page) {
            Some(o) => self
                .permalink(&o.url)
                .or_else(|| Some(relative(&page.url, &o.url))),
            None => self.permalink(&page.url),
        }
    }

    fn page_view<'a>(&'a self, index: usize, body: &'a str) -> PageView<'a> {
        let site = self.site;
        let page = &site.pages[index];
        let item = self
            .about(page)
            .map(|(c, item)| self.shared_item(page, c, item));
        let fallback = self.fallback(page);
        let canonical = self.canonical(page);
        let comparison = match &page.kind {
            Kind::Collection(name) => site
                .config
                .collection(name)
                .map(|c| self.comparison(page, c)),
            _ => None,
        };
        PageView {
            title: &page.front.title,
            description: page.front.description.as_deref(),
            content: body,
            toc: &page.rendered.toc,
            url: &page.url,
            permalink: self.permalink(&page.url),
            kind: page.kind.name(),
            canonical,
            fallback,
            reviewed: page.front.reviewed.map(|d| d.to_string()),
            sources: &page.front.sources,
            extra: &page.front.extra,
            children: page.children.iter().map(|&i| self.link(page, i)).collect(),
            item,
            comparison,
            json_ld: super::structured_data::json_ld(
                site,
                index,
                body,
                self.assets.get("icon-512.png").map(String::as_str),
            ),
            og_image: super::sharing::og_image(site, self.assets, page),
        }
    }

    fn comparison(&self, page: &Page, c: &Collection) -> Comparison {
        let (i18n, lang) = (&self.site.i18n, page.lang.as_str());
        let columns = c
            .items
            .iter()
            .map(|item| LinkView {
                title: item.name.get(lang).to_owned(),
                href: self
                    .href_to(page, &c.item_rel(&item.id))
                    .unwrap_or_default(),
                description: None,
                current: false,
            })
            .collect();
        let rows = c
            .fields
            .iter()
            .map(|f| ComparisonRow {
                label: f.label.get(lang).to_owned(),
                cells: c
                    .items
                    .iter()
                    .map(|item| fact_view(c, i18n, lang, item, &f.key))
                    .collect(),
            })
            .collect();
        Comparison { columns, rows }
    }

    fn breadcrumbs(&self, index: usize) -> Vec<LinkView> {
        let page = &self.site.pages[index];
        let mut chain = Vec::new();
        let mut at = page.parent;
        while let Some(i) = at {
            chain.push(self.link(page, i));
            at = self.site.pages[i].parent;
        }
        chain.reverse();
        chain
    }

    /// Top-level entries of the language, with the sections on the way to the current page
    /// opened; long sections show only a window around the current page.
    fn nav(&self, index: usize) -> Vec<NavItem> {
        let site = self.site;
        let page = &site.pages[index];
        let home = self.home_of(&page.lang);
        let mut ancestors = Vec::new();
        let mut at = Some(index);
        while let Some(i) = at {
            ancestors.push(i);
            at = site.pages[i].parent;
        }
        let mut items = Vec::new();
        self.nav_level(page, home, 0, &ancestors, &mut items);
        items
    }

    fn nav_level(
        &self,
        page: &Page,
        section: usize,
        depth: usize,
        ancestors: &[usize],
        items: &mut Vec<NavItem>,
    ) {
        let site = self.site;
        let children = &site.pages[section].children;
        // The ancestor among the section's children (each page is the child of one section).
        let focus = ancestors
            .iter()
            .filter_map(|&a| {
                let p = self.places[a].sibling?;
                (children.get(p) == Some(&a)).then_some(p)
            })
            .min();
        let (from, to) = match focus {
            _ if children.len() <= NAV_WINDOW * 2 => (0, children.len()),
            Some(f) => (
                f.saturating_sub(NAV_WINDOW / 2),
                (f + NAV_WINDOW / 2 + 1).min(children.len()),
            ),
            None => (0, NAV_WINDOW),
        };
        let more = |items: &mut Vec<NavItem>| {
            items.push(NavItem {
                title: "…".into(),
                href: relative(&page.url, &site.pages[section].url),
                depth,
                current: false,
                open: false,
                section: false,
                more: true,
            })
        };
        if from > 0 {
            more(items);
        }
        for &child in &children[from..to] {
            let target = &site.pages[child];
            let open = ancestors.contains(&child);
            items.push(NavItem {
                title: target.front.title.clone(),
                href: relative(&page.url, &target.url),
                depth,
                current: child == ancestors[0],
                open,
                section: target.kind.is_section(),
                more: false,
            });
            if open && target.kind.is_section() && !target.children.is_empty() {
                self.nav_level(page, child, depth + 1, ancestors, items);
            }
        }
        if to < children.len() {
            more(items);
        }
    }

    /// Every language: the page where it is built (marked when a fallback), else that
    /// language's home, so the switcher shows on every page.
    fn translations(&self, page: &Page) -> Vec<TranslationView> {
        let site = self.site;
        site.config
            .languages
            .iter()
            .map(|lang| {
                let built = self.index_of(&lang.code, &page.rel);
                let target = built.unwrap_or_else(|| self.home_of(&lang.code));
                TranslationView {
                    code: lang.code.clone(),
                    tag: lang.tag.clone(),
                    name: lang.name.clone(),
                    href: relative(&page.url, &site.pages[target].url),
                    current: lang.code == page.lang,
                    fallback: built.is_some() && !site.pages[target].is_translated(),
                    missing: built.is_none(),
                }
            })
            .collect()
    }

    /// `hreflang` alternates: absolute pretty URLs with a `base_url`, relative files without.
    fn alternates(&self, page: &Page) -> Vec<AlternateView> {
        let site = self.site;
        let translations = self.real_translations(page);
        let href = |t: &Page| {
            self.permalink(&t.url)
                .unwrap_or_else(|| relative(&page.url, &file_of(&t.url)))
        };
        let mut out: Vec<AlternateView> = translations
            .iter()
            .map(|&i| {
                let t = &site.pages[i];
                AlternateView {
                    hreflang: site
                        .config
                        .language(&t.lang)
                        .map(|l| l.tag.clone())
                        .unwrap_or_default(),
                    href: href(t),
                }
            })
            .collect();
        let default = &site.config.default_language().code;
        if let Some(&d) = translations
            .iter()
            .find(|&&i| &site.pages[i].lang == default)
        {
            out.push(AlternateView {
                hreflang: "x-default".into(),
                href: href(&site.pages[d]),
            });
        }
        out
    }
}
