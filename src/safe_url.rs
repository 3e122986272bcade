//! The one URL checker. Every URL that reaches the output goes through [`classify`]: Markdown
//! links and images, raw-HTML attributes (after the tokenizer has decoded them), front matter
//! and site.yaml sources, fact `url`s and `base_url`.
//!
//! Input: a URL as the browser will read it (character references already decoded). Output: what
//! kind of URL it is (relative, web with its host, …) or why it is refused. The scheme is read
//! the way the WHATWG URL parser reads it, after stripping what that parser strips, so
//! `java\tscript:`, ` JAVASCRIPT:` and `\u{1}javascript:` are all script URLs.

use std::borrow::Cow;

/// What a URL points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlKind {
    /// `#id`: a place on the same page.
    Fragment,
    /// No scheme: a path relative to the page.
    Relative,
    /// `http:`, `https:` or protocol-relative `//host`, with the host lower-cased and
    /// percent-decoded (empty when there is none).
    Web { host: String },
    /// `mailto:` or `tel:`.
    Contact,
    /// `data:image/…`, where the caller allowed it.
    DataImage,
    /// Any other scheme, lower-cased (`ftp`).
    OtherScheme(String),
}

/// Why a URL is refused wherever it appears.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnsafeUrl {
    /// `javascript:` or `vbscript:`: runs code when followed.
    #[error("script URLs ({0}:) are not allowed")]
    Script(String),
    /// `data:` other than an image in `img`/`source`: can carry a whole HTML page.
    #[error("data: URLs are not allowed here (only data:image/… in an image's src)")]
    Data,
}

impl UnsafeUrl {
    pub fn hint(&self) -> &'static str {
        match self {
            UnsafeUrl::Script(_) => "link to a page or an https:// address instead",
            UnsafeUrl::Data => "put the file beside the page and link to it by its path",
        }
    }
}

/// Classifies `url`. `data_image_ok` says whether the place allows `data:image/…` (an image's
/// `src`).
pub fn classify(url: &str, data_image_ok: bool) -> Result<UrlKind, UnsafeUrl> {
    let url = strip(url);
    let Some((scheme, rest)) = split_scheme(&url) else {
        return Ok(if url.starts_with('#') {
            UrlKind::Fragment
        } else if let Some(after) = url.strip_prefix(['/', '\\'])
            && after.starts_with(['/', '\\'])
        {
            // `//host` and `/\host` both leave the site (browsers read `\` as `/`).
            UrlKind::Web {
                host: host_of(after),
            }
        } else {
            UrlKind::Relative
        });
    };
    match scheme.as_str() {
        "javascript" | "vbscript" => Err(UnsafeUrl::Script(scheme)),
        "data" => {
            let mime = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let image = mime
                .get(..6)
                .is_some_and(|m| m.eq_ignore_ascii_case("image/"));
            if data_image_ok && image {
                Ok(UrlKind::DataImage)
            } else {
                Err(UnsafeUrl::Data)
            }
        }
        "http" | "https" => Ok(UrlKind::Web {
            host: host_of(rest),
        }),
        "mailto" | "tel" => Ok(UrlKind::Contact),
        _ => Ok(UrlKind::OtherScheme(scheme)),
    }
}

/// Whether `url` is an absolute http(s) URL with a host: what `base_url` and cited sources must be.
pub fn is_web_with_host(url: &str) -> bool {
    let stripped = strip(url);
    let absolute = split_scheme(&stripped).is_some();
    absolute && matches!(classify(url, false), Ok(UrlKind::Web { host }) if !host.is_empty())
}

/// What the URL parser removes before it reads anything: leading and trailing C0 controls and
/// spaces, and ASCII tab, LF and CR anywhere.
fn strip(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The lower-cased scheme and what follows its colon, if the URL starts with one (an ASCII
/// letter, then letters, digits, `+`, `-`, `.`).
fn split_scheme(url: &str) -> Option<(String, &str)> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| (scheme.to_ascii_lowercase(), &url[colon + 1..]))
}

/// The host after `scheme:`: any number of `/` or `\` (browsers accept `https:host` and
/// `https:///host`), then up to the path, without credentials, port or a trailing dot.
fn host_of(after_scheme: &str) -> String {
    let authority = after_scheme
        .trim_start_matches(['/', '\\'])
        .split(['/', '\\', '?', '#'])
        .next()
        .unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let decoded = crate::urls::percent_decode(host).to_lowercase();
    decoded.strip_suffix('.').unwrap_or(&decoded).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(url: &str) -> String {
        match classify(url, false) {
            Ok(UrlKind::Web { host }) => host,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn script_urls_in_any_spelling() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscr\ripT:alert(1)",
            "\u{1}\u{1f} javascript:x",
            "vbscript:msgbox",
            "javascript:x\u{0}",
        ] {
            assert!(
                matches!(classify(url, true), Err(UnsafeUrl::Script(_))),
                "{url:?}"
            );
        }
        assert_eq!(classify("javascript.md", false), Ok(UrlKind::Relative));
        // The URL parser does not strip NUL or other controls inside: no scheme, a relative path.
        assert_eq!(classify("java\u{0}script:x", false), Ok(UrlKind::Relative));
    }

    #[test]
    fn data_urls_only_as_images_where_allowed() {
        assert_eq!(
            classify("data:image/png;base64,AAAA", true),
            Ok(UrlKind::DataImage)
        );
        assert_eq!(
            classify("DATA: Image/svg+xml,<svg/>", true),
            Ok(UrlKind::DataImage)
        );
        assert_eq!(
            classify("data:image/png;base64,AAAA", false),
            Err(UnsafeUrl::Data)
        );
        assert_eq!(
            classify("data:text/html,<script>", true),
            Err(UnsafeUrl::Data)
        );
    }

    #[test]
    fn hosts_as_browsers_read_them() {
        assert_eq!(host("https://www.Kcell.kz/en?x"), "www.kcell.kz");
        assert_eq!(host("https://user:pw@evil.com:8080/"), "evil.com");
        assert_eq!(host("//evil.com/x"), "evil.com");
        assert_eq!(host("/\\evil.com/x"), "evil.com");
        assert_eq!(host("https:evil.com"), "evil.com");
        assert_eq!(host("https:\\\\evil.com"), "evil.com");
        assert_eq!(host("https://kcell.kz./"), "kcell.kz");
        assert_eq!(host("https://kcell.kz%2eevil.com/"), "kcell.kz.evil.com");
        assert_eq!(host("https://[::1]:80/"), "[::1]");
    }

    #[test]
    fn other_kinds() {
        assert_eq!(classify("#top", false), Ok(UrlKind::Fragment));
        assert_eq!(classify("../faq.md", false), Ok(UrlKind::Relative));
        assert_eq!(classify("mailto:a@b.kz", false), Ok(UrlKind::Contact));
        assert_eq!(classify("TEL:+7", false), Ok(UrlKind::Contact));
        assert_eq!(
            classify("ftp://x", false),
            Ok(UrlKind::OtherScheme("ftp".into()))
        );
    }

    #[test]
    fn web_with_host() {
        assert!(is_web_with_host("https://example.org/guide/"));
        assert!(is_web_with_host("http://127.0.0.1:8080/"));
        assert!(!is_web_with_host("javascript:alert(1)//"));
        assert!(!is_web_with_host("https://"));
        assert!(!is_web_with_host("//example.org/"));
        assert!(!is_web_with_host("example.org"));
    }
}
