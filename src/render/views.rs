//! The values handed to templates: typed views built from the read-only site model.
//!
//! Every link in a view is already relative to the page being rendered, so templates never
//! compute paths and the output works from any host path and from disk.

use crate::config::Source;
use crate::markdown::TocEntry;
use crate::operators::{FactView, fact_view, fact_views};
use crate::site::{Kind, Page, Site};
use crate::urls::{file_of, relative};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many entries of one section the sidebar lists around the current page; a section with
/// thousands of pages would otherwise put thousands of links on every page.
const NAV_WINDOW: usize = 12;

#[derive(Serialize, Hash)]
pub struct LinkView {
    pub title: String,
    pub href: String,
    pub description: Option<String>,
    pub current: bool,
}

#[derive(Serialize, Hash)]
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
}

#[derive(Serialize, Hash)]
pub struct AlternateView {
    pub hreflang: String,
    pub href: String,
}

#[derive(Serialize, Hash)]
pub struct OperatorView {
    pub id: String,
    pub name: String,
    pub href: String,
    pub reviewed: String,
    pub sources: Vec<Source>,
    pub facts: Vec<FactView>,
    /// Pages whose front matter names this operator (on the operator's own page).
    pub pages: Vec<LinkView>,
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
pub struct PageView {
    pub title: String,
    pub description: Option<String>,
    /// The body's HTML; left empty until the page is known to need rendering, since
    /// `rendered.key` already stands for it in the fingerprint.
    pub content: String,
    pub toc: Vec<TocEntry>,
    /// Pretty URL relative to the output root.
    pub url: String,
    /// Absolute pretty URL, when the site has a `base_url`.
    pub permalink: Option<String>,
    pub kind: &'static str,
    pub reviewed: Option<String>,
    pub sources: Vec<Source>,
    pub extra: BTreeMap<String, serde_yaml::Value>,
    pub children: Vec<LinkView>,
    /// The operator this page is about (`operator:` in front matter, or an operator's page).
    pub operator: Option<OperatorView>,
    pub comparison: Option<Comparison>,
}

/// Everything a page template sees besides the per-language constants.
#[derive(Serialize, Hash)]
pub struct PageContext {
    pub page: PageView,
    pub root: String,
    /// Link to the language's home.
    pub home: String,
    pub nav: Vec<NavItem>,
    pub breadcrumbs: Vec<LinkView>,
    pub translations: Vec<TranslationView>,
    pub alternates: Vec<AlternateView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub operators: Vec<LinkView>,
}

pub struct Views<'a> {
    pub site: &'a Site,
}

impl Views<'_> {
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

    pub fn page_context(&self, index: usize) -> PageContext {
        let site = self.site;
        let page = &site.pages[index];
        let order = &site.reading_order[&page.lang];
        let pos = order.iter().position(|&i| i == index);
        let prev = pos
            .filter(|&p| p > 0)
            .map(|p| self.link(page, order[p - 1]));
        let next = pos
            .and_then(|p| order.get(p + 1))
            .map(|&i| self.link(page, i));
        PageContext {
            page: self.page_view(index),
            root: crate::urls::root_prefix(&page.url),
            home: relative(&page.url, &site.pages[site.home(&page.lang)].url),
            nav: self.nav(index),
            breadcrumbs: self.breadcrumbs(index),
            translations: self.translations(page),
            alternates: self.alternates(page),
            prev,
            next,
            operators: site
                .config
                .operators
                .iter()
                .filter_map(|o| {
                    site.by_key
                        .get(&(page.lang.clone(), format!("operators/{}.md", o.id)))
                })
                .map(|&i| self.link(page, i))
                .collect(),
        }
    }

    fn page_view(&self, index: usize) -> PageView {
        let site = self.site;
        let page = &site.pages[index];
        let operator_id = match &page.kind {
            Kind::Operator(id) => Some(id.as_str()),
            _ => page.front.operator.as_deref(),
        };
        let operator = operator_id
            .and_then(|id| site.config.operator(id))
            .map(|op| {
                let own_page = site
                    .by_key
                    .get(&(page.lang.clone(), format!("operators/{}.md", op.id)));
                let pages = if matches!(page.kind, Kind::Operator(_)) {
                    site.pages_about(&page.lang, &op.id)
                        .into_iter()
                        .map(|i| self.link(page, i))
                        .collect()
                } else {
                    Vec::new()
                };
                OperatorView {
                    id: op.id.clone(),
                    name: op.name.clone(),
                    href: own_page
                        .map(|&i| relative(&page.url, &site.pages[i].url))
                        .unwrap_or_default(),
                    reviewed: op.reviewed.to_string(),
                    sources: op.sources.clone(),
                    facts: fact_views(&site.config, &site.i18n, &page.lang, op),
                    pages,
                }
            });
        let comparison = matches!(page.kind, Kind::Operators).then(|| self.comparison(page));
        PageView {
            title: page.front.title.clone(),
            description: page.front.description.clone(),
            content: String::new(),
            toc: page.rendered.toc.clone(),
            url: page.url.clone(),
            permalink: self.permalink(&page.url),
            kind: match page.kind {
                Kind::Home => "home",
                Kind::Section => "section",
                Kind::Page => "page",
                Kind::Operator(_) => "operator",
                Kind::Operators => "operators",
            },
            reviewed: page.front.reviewed.map(|d| d.to_string()),
            sources: page.front.sources.clone(),
            extra: page.front.extra.clone(),
            children: page.children.iter().map(|&i| self.link(page, i)).collect(),
            operator,
            comparison,
        }
    }

    fn comparison(&self, page: &Page) -> Comparison {
        let site = self.site;
        let (config, i18n, lang) = (&site.config, &site.i18n, page.lang.as_str());
        let columns = config
            .operators
            .iter()
            .map(|op| {
                let own = site
                    .by_key
                    .get(&(page.lang.clone(), format!("operators/{}.md", op.id)));
                LinkView {
                    title: op.name.clone(),
                    href: own
                        .map(|&i| relative(&page.url, &site.pages[i].url))
                        .unwrap_or_default(),
                    description: None,
                    current: false,
                }
            })
            .collect();
        let rows = config
            .facts
            .iter()
            .map(|f| ComparisonRow {
                label: f.label.get(lang).to_owned(),
                cells: config
                    .operators
                    .iter()
                    .map(|op| fact_view(config, i18n, lang, op, &f.key))
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
        let home = site.home(&page.lang);
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
        let focus = children.iter().position(|c| ancestors.contains(c));
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

    fn translations(&self, page: &Page) -> Vec<TranslationView> {
        self.site
            .translations(page)
            .into_iter()
            .map(|i| {
                let t = &self.site.pages[i];
                let lang = self
                    .site
                    .config
                    .language(&t.lang)
                    .expect("pages only exist for configured languages");
                TranslationView {
                    code: lang.code.clone(),
                    tag: lang.tag.clone(),
                    name: lang.name.clone(),
                    href: relative(&page.url, &t.url),
                    current: t.lang == page.lang,
                }
            })
            .collect()
    }

    /// `hreflang` alternates: absolute pretty URLs with a `base_url`, relative files without.
    fn alternates(&self, page: &Page) -> Vec<AlternateView> {
        let site = self.site;
        let translations = site.translations(page);
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
