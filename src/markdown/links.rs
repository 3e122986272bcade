//! Checking and rewriting link and image destinations in the body.
//!
//! Editors link to source files (`../faq.md#q-abroad`); readers need the built page
//! (`../../faq/index.html#q-abroad`). Every URL of the body, Markdown or raw HTML, goes through
//! [`LinkSite::check_url`]: script and data URLs are refused (see `crate::safe_url`), external
//! links meet the site's `links:` policy.

use crate::config::{Config, Judgement};
use crate::content::PageKey;
use crate::safe_url::{UrlKind, classify};
use crate::search::fxhash::{FastMap, FastSet};
use crate::urls::{join_normalized, percent_decode, relative};

/// What a body link may point to: every page's URL and every content file, per language.
#[derive(Default)]
pub struct LinkTargets {
    /// A page's `.md` file → the pretty URL of the built page. Hashed: every relative link
    /// of every page looks a target up, and a `BTreeMap` of 10,000 keys took a dozen string
    /// comparisons a look-up.
    pub pages: FastMap<PageKey, String>,
    /// Every non-Markdown file under `content/<lang>/`, named the way a page is.
    pub assets: FastSet<PageKey>,
}

impl LinkTargets {
    /// A fingerprint of the targets that does not depend on the maps' order: the sum of each
    /// entry's hash, with the counts.
    pub fn fingerprint(&self) -> u64 {
        use crate::site::hash_of;
        let pages = self
            .pages
            .iter()
            .fold(0u64, |sum, e| sum.wrapping_add(hash_of(&e)));
        let assets = self
            .assets
            .iter()
            .fold(0u64, |sum, k| sum.wrapping_add(hash_of(k)));
        hash_of(&(pages, self.pages.len(), assets, self.assets.len()))
    }
}

/// A link into another page (or this one) whose anchor can only be checked once every page's
/// headings are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    pub lang: String,
    pub rel: String,
    pub anchor: String,
    pub line: usize,
}

/// What [`LinkSite::check_url`] leaves to its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// An allowed external link, `mailto:`/`tel:`, or an image's `data:image/…`.
    Fine,
    /// An off-list external link under `external: warn`.
    Warn(Problem),
    /// `#anchor` on this page.
    Fragment,
    /// A path relative to the page.
    Relative,
    /// A scheme other than http(s), mailto and tel (lower-cased).
    OtherScheme(String),
}

pub struct LinkSite<'a> {
    pub config: &'a Config,
    pub targets: &'a LinkTargets,
    pub lang: &'a str,
    /// The page's own source file, relative to content/<lang>/.
    pub rel: &'a str,
    /// The folder of the page's output file (`en/steps/online/`).
    pub out_dir: &'a str,
}

/// A problem with a link: message and hint.
pub type Problem = (String, String);

/// Link problems that do not stop the build (`links: {external: warn}`), with their line and
/// column (when known).
pub type LinkWarnings = Vec<((usize, Option<usize>), Problem)>;

impl LinkSite<'_> {
    /// The destination of a Markdown link or image to write into the HTML, or what is wrong with
    /// it. Off-list links under `external: warn` are kept and noted in `warnings`.
    pub fn resolve(
        &self,
        dest: &str,
        image: bool,
        line: usize,
        anchors: &mut Vec<AnchorRef>,
        warnings: &mut LinkWarnings,
    ) -> Result<String, Problem> {
        match self.check_url(dest, image)? {
            Checked::Fine => Ok(dest.to_owned()),
            Checked::Warn(problem) => {
                warnings.push(((line, None), problem));
                Ok(dest.to_owned())
            }
            Checked::OtherScheme(s) => Err((
                format!("links with the scheme '{s}:' are not allowed"),
                "use https://, mailto: or tel:, or a relative path".into(),
            )),
            Checked::Fragment => {
                anchors.push(self.anchor(self.rel, dest.trim_start_matches('#'), line));
                Ok(dest.to_owned())
            }
            Checked::Relative if dest.starts_with('/') => Err((
                format!(
                    "absolute path {dest} breaks when the site is served from a sub-path or from disk"
                ),
                "write a path relative to this file, e.g. ../faq.md".into(),
            )),
            Checked::Relative => self.resolve_relative(dest, line, anchors),
        }
    }

    /// The one check of a URL in the body, Markdown or raw HTML: refused in any spelling if it
    /// runs code, then the site's external-link policy. `data_image_ok` where an image's
    /// `src` may be a `data:image/…` URL.
    pub fn check_url(&self, url: &str, data_image_ok: bool) -> Result<Checked, Problem> {
        let kind = classify(url, data_image_ok).map_err(|e| (e.to_string(), e.hint().into()))?;
        Ok(match kind {
            UrlKind::Web { host } => match self.config.links.judge(url, &host) {
                Judgement::Fine => Checked::Fine,
                Judgement::Warn(m, h) => Checked::Warn((m, h)),
                Judgement::Refuse(m, h) => return Err((m, h)),
            },
            UrlKind::Contact | UrlKind::DataImage => Checked::Fine,
            UrlKind::Fragment => Checked::Fragment,
            UrlKind::Relative => Checked::Relative,
            UrlKind::OtherScheme(s) => Checked::OtherScheme(s),
        })
    }

    fn resolve_relative(
        &self,
        dest: &str,
        line: usize,
        anchors: &mut Vec<AnchorRef>,
    ) -> Result<String, (String, String)> {
        let (path, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        let path = path.split('?').next().unwrap_or(path);
        let source_dir = self.rel.rfind('/').map_or("", |i| &self.rel[..=i]);
        let Some(target) = join_normalized(source_dir, &crate::urls::nfc(&percent_decode(path)))
        else {
            return Err((
                format!("link {dest} leads outside content/{}/", self.lang),
                "link only to files of the same language".into(),
            ));
        };
        let suffix = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        let target = PageKey::new(self.lang, target);
        if target.rel.ends_with(".md") {
            let Some(url) = self.targets.pages.get(&target) else {
                // In path order, so that of two equally close names the same one is named
                // whatever the map's order.
                let mut names: Vec<&str> = self
                    .targets
                    .pages
                    .keys()
                    .filter(|k| k.lang == self.lang)
                    .map(|k| k.rel.as_str())
                    .collect();
                names.sort_unstable();
                let hint = crate::diagnostics::did_you_mean(&target.rel, names)
                    .map(|s| format!("did you mean {s}?"))
                    .unwrap_or_else(|| {
                        "check the file name; drafts are not built without --drafts".into()
                    });
                return Err((
                    format!(
                        "link to a missing page: content/{}/{}",
                        self.lang, target.rel
                    ),
                    hint,
                ));
            };
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                anchors.push(self.anchor(&target.rel, f, line));
            }
            return Ok(format!("{}{suffix}", relative(self.out_dir, url)));
        }
        if self.targets.assets.contains(&target) {
            return Ok(format!(
                "{}{suffix}",
                relative(self.out_dir, &format!("{}/{}", self.lang, target.rel))
            ));
        }
        let hint = if path.is_empty() || path.ends_with('/') {
            "link to the page's .md file (a folder is its _index.md)".to_string()
        } else {
            format!("no file content/{}/{}", self.lang, target.rel)
        };
        Err((format!("link to a missing file: {dest}"), hint))
    }

    fn anchor(&self, rel: &str, fragment: &str, line: usize) -> AnchorRef {
        AnchorRef {
            lang: self.lang.to_owned(),
            rel: rel.to_owned(),
            anchor: percent_decode(fragment),
            line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-language site's config with `config_links` added.
    fn config(config_links: &str) -> Config {
        Config::parse(&format!(
            "title: T\nlanguages:\n  - {{code: en, tag: en, name: English, default: true}}\n{config_links}"
        ))
        .unwrap()
    }

    /// Links written in content/en/faq.md.
    fn faq_site<'a>(config: &'a Config, targets: &'a LinkTargets) -> LinkSite<'a> {
        LinkSite {
            config,
            targets,
            lang: "en",
            rel: "faq.md",
            out_dir: "en/faq/",
        }
    }

    fn check(config_links: &str, url: &str, image: bool) -> Result<Checked, Problem> {
        let config = config(config_links);
        faq_site(&config, &LinkTargets::default()).check_url(url, image)
    }

    #[test]
    fn script_and_data_urls_are_refused_under_every_policy() {
        for links in [
            "",
            "links: {external: allowlist, allowed_domains: [kcell.kz]}\n",
        ] {
            assert!(check(links, " Java\tScript:alert(1)", false).is_err());
            assert!(check(links, "data:text/html,x", true).is_err());
            assert!(check(links, "data:image/png;base64,AA", false).is_err());
            assert_eq!(
                check(links, "data:image/png;base64,AA", true),
                Ok(Checked::Fine)
            );
            assert_eq!(check(links, "mailto:a@kcell.kz", false), Ok(Checked::Fine));
        }
    }

    /// Links to pages resolve through the hashed targets, and a missing page's hint names the
    /// first of two equally close names in path order, whatever order the map holds them in.
    #[test]
    fn page_links_resolve_and_hint_the_first_close_name_in_path_order() {
        let config = config("");
        for names in [["guide.md", "guida.md"], ["guida.md", "guide.md"]] {
            let mut targets = LinkTargets::default();
            for name in names.iter().chain(&["other.md"]) {
                let url = format!("en/{}/", name.trim_end_matches(".md"));
                targets.pages.insert(PageKey::new("en", *name), url);
            }
            targets
                .pages
                .insert(PageKey::new("ru", "guidb.md"), "ru/guidb/".into());
            let site = faq_site(&config, &targets);
            let (mut anchors, mut warnings) = (Vec::new(), Vec::new());
            let mut resolve = |dest| site.resolve(dest, false, 1, &mut anchors, &mut warnings);
            assert_eq!(resolve("guide.md#a"), Ok("../guide/index.html#a".into()));
            let (message, hint) = resolve("guidx.md").unwrap_err();
            assert_eq!(message, "link to a missing page: content/en/guidx.md");
            assert_eq!(hint, "did you mean guida.md?");
        }
    }

    #[test]
    fn external_links_meet_the_policy() {
        let warn = "links: {external: warn, allowed_domains: [kcell.kz]}\n";
        let allowlist = "links: {external: allowlist, allowed_domains: [kcell.kz]}\n";
        assert_eq!(
            check("", "https://www.rust-lang.org/", false),
            Ok(Checked::Fine)
        );
        assert!(matches!(
            check(warn, "https://evil.com/", false),
            Ok(Checked::Warn(_))
        ));
        assert_eq!(check(warn, "https://kcell.kz/", false), Ok(Checked::Fine));
        assert!(check(allowlist, "https://evil.com/", false).is_err());
        assert!(check(allowlist, "//evil.com/", false).is_err());
        assert_eq!(
            check(allowlist, "https://www.kcell.kz/", false),
            Ok(Checked::Fine)
        );
    }
}
