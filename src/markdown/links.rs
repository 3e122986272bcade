//! Checking and rewriting link and image destinations in the body.
//!
//! Editors link to source files (`../faq.md#q-abroad`); readers need the built page
//! (`../../faq/index.html#q-abroad`). External links must stay on the allowlisted official
//! domains, and script URLs are refused.

use crate::config::Config;
use crate::urls::{join_normalized, percent_decode, relative};
use std::collections::{BTreeMap, BTreeSet};

/// What a body link may point to: every page's URL and every content file, per language.
pub struct LinkTargets {
    /// (lang, rel of the .md file) → pretty URL of the built page.
    pub pages: BTreeMap<(String, String), String>,
    /// (lang, rel) of every non-Markdown file under content/<lang>/.
    pub assets: BTreeSet<(String, String)>,
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

pub struct LinkSite<'a> {
    pub config: &'a Config,
    pub targets: &'a LinkTargets,
    pub lang: &'a str,
    /// The page's own source file, relative to content/<lang>/.
    pub rel: &'a str,
    /// The folder of the page's output file (`en/steps/online/`).
    pub out_dir: &'a str,
}

/// Refuses `javascript:` (and `vbscript:`) however it is spelled: browsers ignore whitespace and
/// control characters inside the scheme and compare it case-insensitively.
pub fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:")
}

fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let ok = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(s)
}

impl LinkSite<'_> {
    /// The destination to write into the HTML, or what is wrong with it (plus a hint).
    pub fn resolve(
        &self,
        dest: &str,
        line: usize,
        anchors: &mut Vec<AnchorRef>,
    ) -> Result<String, (String, String)> {
        if is_script_url(dest) {
            return Err((
                "script URLs (javascript:) are not allowed in links".into(),
                "link to a page or an official site instead".into(),
            ));
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            anchors.push(self.anchor(self.rel, fragment, line));
            return Ok(dest.to_owned());
        }
        if dest.starts_with("//")
            || matches!(scheme(dest), Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
        {
            let absolute = if dest.starts_with("//") {
                format!("https:{dest}")
            } else {
                dest.to_owned()
            };
            return if self.config.is_allowed_url(&absolute) {
                Ok(dest.to_owned())
            } else {
                Err((format!("link to {dest} is not on an allowed domain"), "body links may only point to the official domains listed under `allowed_domains` in site.yaml; cite other sources in `sources:`".into()))
            };
        }
        if let Some(s) = scheme(dest) {
            return if s.eq_ignore_ascii_case("mailto") || s.eq_ignore_ascii_case("tel") {
                Ok(dest.to_owned())
            } else {
                Err((
                    format!("links with the scheme '{s}:' are not allowed"),
                    "use https://, mailto: or tel:, or a relative path".into(),
                ))
            };
        }
        if dest.starts_with('/') {
            return Err((
                format!(
                    "absolute path {dest} breaks when the site is served from a sub-path or from disk"
                ),
                "write a path relative to this file, e.g. ../faq.md".into(),
            ));
        }
        self.resolve_relative(dest, line, anchors)
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
        if target.ends_with(".md") {
            let key = (self.lang.to_owned(), target.clone());
            let Some(url) = self.targets.pages.get(&key) else {
                let hint = crate::diagnostics::did_you_mean(
                    &target,
                    self.targets
                        .pages
                        .keys()
                        .filter(|(l, _)| l == self.lang)
                        .map(|(_, r)| r.as_str()),
                )
                .map(|s| format!("did you mean {s}?"))
                .unwrap_or_else(|| {
                    "check the file name; drafts are not built without --drafts".into()
                });
                return Err((
                    format!("link to a missing page: content/{}/{target}", self.lang),
                    hint,
                ));
            };
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                anchors.push(self.anchor(&target, f, line));
            }
            return Ok(format!("{}{suffix}", relative(self.out_dir, url)));
        }
        if self
            .targets
            .assets
            .contains(&(self.lang.to_owned(), target.clone()))
        {
            return Ok(format!(
                "{}{suffix}",
                relative(self.out_dir, &format!("{}/{target}", self.lang))
            ));
        }
        let hint = if path.is_empty() || path.ends_with('/') {
            "link to the page's .md file (a folder is its _index.md)".to_string()
        } else {
            format!("no file content/{}/{target}", self.lang)
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

    #[test]
    fn script_urls_in_any_spelling() {
        assert!(is_script_url("javascript:alert(1)"));
        assert!(is_script_url(" JavaScript:alert(1)"));
        assert!(is_script_url("java\tscript:alert(1)"));
        assert!(!is_script_url("https://kcell.kz/"));
        assert!(!is_script_url("javascript.md"));
    }
}
