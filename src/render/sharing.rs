//! Link previews and the web manifest. Input: the site model and the theme's hashed static
//! files. Output: each page's `og:image` (an absolute URL and its text), the checks of the
//! configured images, and one `manifest.webmanifest` per language.
//!
//! The image is, first found: the page's front matter `og_image` (relative to its source file,
//! like an image link in its Markdown), site.yaml's `og_image` (a path in the output), the
//! theme's `og-image.png`. Link previews need absolute URLs: without `base_url` only an image
//! given as an absolute https URL is used.

use super::Theme;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::site::{Page, Site};
use crate::urls::{dir_of, join_normalized};
use serde::Serialize;
use std::collections::BTreeMap;

/// The theme's default sharing image.
const THEME_IMAGE: &str = "og-image.png";

#[derive(Debug, Serialize, Hash)]
pub struct OgImage {
    pub url: String,
    pub alt: String,
}

/// Where an image setting points.
enum Place {
    Web(String),
    /// A path from the output root.
    Output(String),
}

fn is_web(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// The page's front matter `og_image`, as a place.
fn page_place(page: &Page) -> Option<Place> {
    let value = page.front.og_image.as_deref()?;
    if is_web(value) {
        return Some(Place::Web(value.to_owned()));
    }
    // A fallback copy's front matter is its original's, so the path is relative to that file.
    let lang = page.fallback_from.as_deref().unwrap_or(&page.lang);
    let rel = join_normalized(dir_of(&page.rel), value)?;
    Some(Place::Output(format!("{lang}/{rel}")))
}

/// site.yaml's `og_image` for `lang`, as a place.
fn site_place(site: &Site, lang: &str) -> Option<Place> {
    let value = site.config.og_image.as_ref()?.get(lang).trim();
    if is_web(value) {
        Some(Place::Web(value.to_owned()))
    } else {
        Some(Place::Output(value.trim_start_matches('/').to_owned()))
    }
}

/// The page's sharing image, absolute; `None` without `base_url` unless an https URL is set.
pub(crate) fn og_image(
    site: &Site,
    assets: &BTreeMap<String, String>,
    page: &Page,
) -> Option<OgImage> {
    let place = page_place(page)
        .or_else(|| site_place(site, &page.lang))
        .or_else(|| assets.get(THEME_IMAGE).map(|p| Place::Output(p.clone())))?;
    let url = match place {
        Place::Web(url) => url,
        Place::Output(path) => {
            let base = site.config.base_url.as_deref()?;
            format!("{}/{path}", base.trim_end_matches('/'))
        }
    };
    let alt = match &site.config.og_image_alt {
        Some(alt) => alt.get(&page.lang).to_owned(),
        None => site.config.title.get(&page.lang).to_owned(),
    };
    Some(OgImage { url, alt })
}

/// Configured images that name no file of the output: an error at the setting.
pub(crate) fn check(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let exists = |path: &str| {
        theme.assets.values().any(|p| p == path)
            || site
                .assets
                .iter()
                .any(|a| format!("{}/{}", a.lang, a.rel) == path)
    };
    let mut errors = Vec::new();
    let missing = |path: &str| {
        Diagnostic::new(format!("og_image: '{path}' is not a file of the built site"))
            .with_hint("name an image under content/<lang>/ (as it appears in the output, `en/images/card.png`) or an https URL")
    };
    for lang in &site.config.languages {
        if let Some(Place::Output(path)) = site_place(site, &lang.code)
            && !exists(&path)
        {
            let d = missing(&path).in_file(crate::config::CONFIG_FILE);
            if !errors.iter().any(|e: &Diagnostic| e.message == d.message) {
                errors.push(d);
            }
        }
    }
    for page in site.pages.iter().filter(|p| p.is_translated()) {
        if let Some(Place::Output(path)) = page_place(page)
            && !exists(&path)
        {
            let mut d = Diagnostic::new(format!(
                "front matter: og_image '{}' is not a file beside the page",
                page.front.og_image.as_deref().unwrap_or_default()
            ))
            .in_file(&page.file)
            .with_hint("give a path relative to this Markdown file, or an https URL");
            if let Some(&line) = page.key_lines.get("og_image") {
                d = d.at(line, None);
            }
            errors.push(d);
        }
    }
    errors
}

/// The web manifest of one language, at `<lang>/manifest.webmanifest`: the language's title,
/// its home as `start_url`, the whole site as `scope` (links between languages stay in the
/// installed app), and the theme's icons. Every URL is relative to the manifest, so it works
/// under any host path.
pub(crate) fn manifests(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let icon = |name: &str, size: &str, kind: &str, purpose: &str| {
        theme.assets.get(name).map(|p| {
            serde_json::json!({ "src": format!("../{p}"), "sizes": size, "type": kind, "purpose": purpose })
        })
    };
    let icons: Vec<serde_json::Value> = [
        icon("favicon.svg", "any", "image/svg+xml", "any"),
        icon("icon-192.png", "192x192", "image/png", "any"),
        icon("icon-512.png", "512x512", "image/png", "any"),
        // The PNGs keep their mark inside the safe zone, so launchers may crop them to a shape.
        icon("icon-512.png", "512x512", "image/png", "maskable"),
    ]
    .into_iter()
    .flatten()
    .collect();
    site.config
        .languages
        .iter()
        .map(|lang| {
            let title = site.config.title.get(&lang.code);
            let manifest = serde_json::json!({
                "name": title,
                "short_name": short_name(title),
                "lang": lang.tag,
                "dir": lang.dir,
                "start_url": "./index.html",
                "scope": "../",
                "display": "standalone",
                "theme_color": THEME_COLOR,
                "background_color": BACKGROUND_COLOR,
                "icons": icons,
            });
            let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
            OutputFile::new(format!("{}/manifest.webmanifest", lang.code), text + "\n")
        })
        .collect()
}

/// The default theme's accent and background (style.css `--accent`, `--bg`), for the
/// manifest; the pages' `theme-color` metas are in partials/head.html.
const THEME_COLOR: &str = "#0b6e6e";
const BACKGROUND_COLOR: &str = "#ffffff";

/// A home-screen label (launchers show about 12 characters): the title up to its first
/// separator, then whole words while they fit; a first word longer than that is cut.
fn short_name(title: &str) -> String {
    const FITS: usize = 12;
    let first = title
        .split([':', '：', '—', '·', '|', ',', '，'])
        .next()
        .unwrap_or(title)
        .trim();
    let mut out = String::new();
    for word in first.split_whitespace() {
        let len = out.chars().count() + usize::from(!out.is_empty()) + word.chars().count();
        if len > FITS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = first.chars().take(FITS).collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_are_short() {
        assert_eq!(short_name("Guide: numbers"), "Guide");
        assert_eq!(
            short_name("哈萨克斯坦手机号保号指南"),
            "哈萨克斯坦手机号保号指南"
        );
        assert_eq!(
            short_name("Keeping a Kazakhstan mobile number"),
            "Keeping a"
        );
        assert_eq!(short_name("Қазақстандық ұялы нөмірді"), "Қазақстандық");
    }
}
