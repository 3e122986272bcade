//! site.yaml's `links:` → the external-link policy, and the checks of the URLs site.yaml itself
//! puts into the output (`base_url`, sources, fact `url`s).
//!
//! ```yaml
//! links:
//!   external: allowlist     # allow (default) | warn | allowlist
//!   allowed_domains: [example.org, gov.example]
//! ```
//! The same [`LinkPolicy::judge`] serves Markdown links, raw-HTML attributes and fact `url`s.

use super::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, line_col};
use crate::safe_url::{UrlKind, classify, is_web_with_host};
use serde::Deserialize;

/// What happens to a link to a domain not in `allowed_domains`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum External {
    /// Any external link is fine.
    #[default]
    Allow,
    /// A located warning per off-list link; the build goes on.
    Warn,
    /// An off-list link is an error.
    Allowlist,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkPolicy {
    #[serde(default)]
    pub external: External,
    /// Domains (and their subdomains) that `warn` and `allowlist` accept.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
}

/// The policy's answer for one external link: message and hint when it is not simply fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Fine,
    Warn(String, String),
    Refuse(String, String),
}

impl LinkPolicy {
    /// Whether `host` (lower-case) is a listed domain or one of its subdomains.
    pub fn lists(&self, host: &str) -> bool {
        !host.is_empty()
            && self.allowed_domains.iter().any(|d| {
                let d = d.trim_start_matches('.').to_ascii_lowercase();
                host == d || host.ends_with(&format!(".{d}"))
            })
    }

    /// The policy applied to a link to `url` on `host`.
    pub fn judge(&self, url: &str, host: &str) -> Judgement {
        if self.external == External::Allow || self.lists(host) {
            return Judgement::Fine;
        }
        let message = format!("link to {url} is not on an allowed domain");
        let hint =
            "list its domain under `links: allowed_domains` in site.yaml, or cite it in the \
                    page's `sources:`"
                .to_owned();
        match self.external {
            External::Warn => Judgement::Warn(message, hint),
            _ => Judgement::Refuse(message, hint),
        }
    }
}

/// `Some` whenever the key is present, even as `allowed_domains:` with nothing after it.
pub(super) fn present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<serde_yaml::Value>, D::Error> {
    serde_yaml::Value::deserialize(d).map(Some)
}

/// What a site URL must be: `http://` or `https://` with a host. Used for site.yaml's
/// `base_url` and for `--base-url`, so both accept and refuse the same values.
pub fn check_base_url(value: &str) -> Result<(), String> {
    if is_web_with_host(value) {
        Ok(())
    } else {
        Err(format!(
            "base_url '{value}' must be an http:// or https:// URL with a host, e.g. https://example.org/guide/"
        ))
    }
}

/// Errors and warnings about the URLs in site.yaml, located at their lines.
#[derive(Default)]
pub(crate) struct Checked {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Checks the moved `allowed_domains` key and `base_url`; collection items' sources and fact
/// `url`s are checked by [`check_item_urls`] as each data file is read.
pub(crate) fn check_config(config: &Config, text: &str) -> Checked {
    let mut out = Checked::default();
    let at =
        |needle: &str, message: String, hint: &str| located(text, text.find(needle), message, hint);
    if config.moved_allowed_domains.is_some() {
        let key = text.strip_prefix("allowed_domains").map(|_| 0);
        out.errors.push(located(
            text,
            key.or_else(|| text.find("\nallowed_domains").map(|i| i + 1)),
            "'allowed_domains' has moved under 'links:'".into(),
            "write `links: {external: allowlist, allowed_domains: [...]}` (see README, site.yaml reference)",
        ));
    }
    if let Some(base) = &config.base_url
        && let Err(message) = check_base_url(base)
    {
        out.errors.push(at(
            "base_url",
            message,
            "set it to the address the site is published at",
        ));
    }
    out
}

/// Sources of an item must be http(s) URLs; a fact's `url` goes through the link policy.
/// Located in the item's data file; off-list links under `warn` become warnings.
pub(crate) fn check_item_urls(
    config: &Config,
    item: &super::Item,
    text: &str,
    file: &std::path::Path,
) -> Checked {
    let mut out = Checked::default();
    let at = |needle: &str, message: String, hint: &str| {
        located(text, text.find(needle), message, hint).in_file(file)
    };
    let sources = item.sources.iter().map(|s| &s.url);
    let facts = item.facts.values().filter_map(|f| f.source.as_ref());
    for url in sources.chain(facts).filter(|u| !is_web_with_host(u)) {
        out.errors.push(at(
            url,
            format!("source {url} is not an http(s) URL"),
            "cite sources by their https:// address",
        ));
    }
    for (key, fact) in &item.facts {
        let Some(url) = &fact.url else { continue };
        match fact_url(&config.links, url) {
            Ok(None) => {}
            Ok(Some((m, h))) => out.warnings.push(at(url, format!("fact '{key}': {m}"), &h)),
            Err((m, h)) => out.errors.push(at(url, format!("fact '{key}': {m}"), &h)),
        }
    }
    out
}

/// A fact's `url` is shown as a link: refused if unsafe or not http(s), then judged by the
/// link policy. `Ok(Some(…))` is a warning.
fn fact_url(policy: &LinkPolicy, url: &str) -> Result<Option<(String, String)>, (String, String)> {
    match classify(url, false) {
        Err(e) => Err((e.to_string(), e.hint().into())),
        Ok(UrlKind::Web { host }) if is_web_with_host(url) => match policy.judge(url, &host) {
            Judgement::Fine => Ok(None),
            Judgement::Warn(m, h) => Ok(Some((m, h))),
            Judgement::Refuse(m, h) => Err((m, h)),
        },
        Ok(_) => Err((
            format!("url {url} is not an http(s) URL"),
            "a fact's url links to the official page: use its https:// address".into(),
        )),
    }
}

/// A site.yaml diagnostic at a byte offset, when one is known.
fn located(text: &str, offset: Option<usize>, message: String, hint: &str) -> Diagnostic {
    let d = Diagnostic::new(message)
        .in_file(CONFIG_FILE)
        .with_hint(hint);
    match offset {
        Some(off) => {
            let (line, col) = line_col(text, off);
            d.at(line, Some(col))
        }
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "title: Guide\nlanguages:\n  - {code: en, tag: en, name: English, default: true}\n";

    fn policy(external: External) -> LinkPolicy {
        LinkPolicy {
            external,
            allowed_domains: vec!["kcell.kz".into(), ".gov.kz".into()],
        }
    }

    #[test]
    fn lists_domains_and_subdomains_only() {
        let p = policy(External::Allowlist);
        assert!(p.lists("www.kcell.kz"));
        assert!(p.lists("egov.gov.kz"));
        assert!(!p.lists("notkcell.kz"));
        assert!(!p.lists("kcell.kz.evil.com"));
        assert!(!p.lists(""));
    }

    #[test]
    fn each_policy_judges() {
        let url = "https://evil.com/";
        assert_eq!(
            policy(External::Allow).judge(url, "evil.com"),
            Judgement::Fine
        );
        assert!(matches!(
            policy(External::Warn).judge(url, "evil.com"),
            Judgement::Warn(..)
        ));
        assert!(matches!(
            policy(External::Allowlist).judge(url, "evil.com"),
            Judgement::Refuse(..)
        ));
        assert_eq!(
            policy(External::Allowlist).judge("https://kcell.kz/", "kcell.kz"),
            Judgement::Fine
        );
    }

    #[test]
    fn policy_defaults_to_allow() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.links, LinkPolicy::default());
        let c = Config::parse(&format!(
            "{MINIMAL}links:\n  external: warn\n  allowed_domains: [a.kz]\n"
        ))
        .unwrap();
        assert_eq!(c.links.external, External::Warn);
    }

    #[test]
    fn old_allowed_domains_is_an_error_where_it_is() {
        let e = Config::parse(&format!("{MINIMAL}allowed_domains: [kcell.kz]\n")).unwrap_err();
        let d = &e.0[0];
        assert_eq!((d.line, d.column), (Some(4), Some(1)), "{d}");
        assert!(d.message.contains("moved under 'links:'"), "{d}");
        assert!(d.hint.as_deref().unwrap_or("").contains("links:"), "{d}");
        // Present with no value is still the old key.
        let e = Config::parse(&format!("allowed_domains:\n{MINIMAL}")).unwrap_err();
        assert_eq!(e.0[0].line, Some(1), "{}", e.0[0]);
    }

    #[test]
    fn unknown_policy_is_located() {
        let e = Config::parse(&format!("{MINIMAL}links:\n  external: deny\n")).unwrap_err();
        assert_eq!(e.0[0].line, Some(5), "{}", e.0[0]);
    }

    #[test]
    fn fact_urls_meet_the_policy_and_refuse_scripts() {
        // An item's fact url is judged where it is written: in its data file.
        let load = |links: &str, url: &str| {
            let dir = tempfile::tempdir().unwrap();
            let site = format!(
                "{MINIMAL}{links}collections:\n  - name: c\n    title: C\n    fields:\n      - {{key: web, label: Site}}\n"
            );
            std::fs::write(dir.path().join("site.yaml"), site).unwrap();
            std::fs::create_dir_all(dir.path().join("data/c")).unwrap();
            let item = format!(
                "name: A\nreviewed: 2026-11-25\nfacts:\n  web: {{value: x, status: confirmed, source: 'https://a.kz/', url: '{url}'}}\n"
            );
            std::fs::write(dir.path().join("data/c/a.yaml"), item).unwrap();
            Config::load(dir.path())
        };
        let warn = "links: {external: warn, allowed_domains: [a.kz]}\n";
        let c = load(warn, "https://evil.com/").unwrap();
        assert_eq!(c.warnings.len(), 1);
        let w = &c.warnings[0];
        assert_eq!(w.line, Some(4), "{w}");
        assert!(w.location().unwrap().starts_with("data/c/a.yaml:4"), "{w}");
        assert!(load(warn, "https://www.a.kz/").unwrap().warnings.is_empty());
        let allowlist = "links: {external: allowlist, allowed_domains: [a.kz]}\n";
        assert!(load(allowlist, "https://evil.com/").is_err());
        let e = load("", "java\tscript:alert(1)").unwrap_err();
        assert!(e.0[0].message.contains("script URLs"), "{}", e.0[0]);
    }

    #[test]
    fn base_url_needs_http_and_a_host() {
        assert!(check_base_url("https://example.org/guide/").is_ok());
        for bad in [
            "javascript:alert(1)//",
            "https://",
            "example.org",
            "ftp://x/",
            "//x/",
        ] {
            let e = check_base_url(bad).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
        let e =
            Config::parse(&format!("{MINIMAL}base_url: 'javascript:alert(1)//'\n")).unwrap_err();
        assert_eq!(e.0[0].line, Some(4), "{}", e.0[0]);
    }
}
