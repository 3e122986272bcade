//! The site's external URLs with every place each is used: Markdown links and images in page
//! bodies, `sources:` in front matter, and collection items' sources and fact links in data/

use super::content::Pages;
use crate::config::{Config, DATA_DIR, find_line};
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::BTreeMap;
use std::path::Path;

/// A place a URL is written: file relative to the site root, and line when known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Place {
    pub file: String,
    pub line: Option<usize>,
}

/// Every http(s) URL, sorted, with its places.
pub(crate) type Urls = BTreeMap<String, Vec<Place>>;

fn is_external(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

pub(crate) fn collect(config: &Config, pages: &Pages) -> Urls {
    let mut urls = Urls::new();
    let mut add = |url: &str, file: &str, line: Option<usize>| {
        if is_external(url) {
            let places = urls.entry(url.trim().to_owned()).or_default();
            let place = Place {
                file: file.to_owned(),
                line,
            };
            if !places.contains(&place) {
                places.push(place);
            }
        }
    };
    for p in &pages.pages {
        let file = p.file.to_string_lossy().replace('\\', "/");
        // `check` loads every text afresh: none is left on disk.
        let body = p.body.text(&p.file).unwrap_or_default();
        for (url, line) in body_links(&body, p.body_line) {
            add(&url, &file, Some(line));
        }
        let line = p.key_lines.get("sources").copied();
        for s in &p.front.sources {
            add(&s.url, &file, line);
        }
    }
    for c in &config.collections {
        for item in &c.items {
            let file = Path::new(DATA_DIR)
                .join(&c.name)
                .join(format!("{}.yaml", item.id));
            let text = std::fs::read_to_string(pages.root.join(&file)).unwrap_or_default();
            let shown = file.to_string_lossy().replace('\\', "/");
            let fact_urls = item.facts.values().flat_map(|f| [&f.source, &f.url]);
            let all = item
                .sources
                .iter()
                .map(|s| &s.url)
                .chain(fact_urls.flatten());
            for url in all {
                add(url, &shown, find_line(&text, url));
            }
        }
    }
    urls
}

/// (destination, line) of every link and image of a Markdown body whose first line is
/// `body_line` in its file.
fn body_links(body: &str, body_line: usize) -> Vec<(String, usize)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    Parser::new_ext(body, pulldown_cmark::Options::all())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let line = body_line + starts.partition_point(|&s| s <= range.start) - 1;
                Some((dest_url.into_string(), line))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_images_with_their_lines() {
        let body =
            "intro\n\n[a](https://a.example/x) and ![i](http://b.example/i.png)\n\n[rel](faq.md)\n";
        let found = body_links(body, 5);
        assert_eq!(
            found,
            vec![
                ("https://a.example/x".to_string(), 7),
                ("http://b.example/i.png".to_string(), 7),
                ("faq.md".to_string(), 9),
            ]
        );
        assert!(!is_external("faq.md"));
        assert!(is_external("HTTPS://A.example"));
    }
}
