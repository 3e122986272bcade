//! USSD codes as tap-to-dial links.
//!
//! Input: the text of one inline code span. Output: a `tel:` link around the code when the text
//! is clearly a USSD code (`*111#`, `*911*2*3#`, `#100#`), else nothing. Only that narrow shape
//! counts, so code such as `*.md`, `#anchor` or `2*3` stays plain code.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What a `tel:` URL may not carry raw: `#` starts a fragment, so `*111#` dials as `*111%23`.
/// `*` and digits stay as they are (RFC 3966 allows them in a phone number).
const TEL: &AsciiSet = &CONTROLS
    .add(b'#')
    .add(b'%')
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>');

/// Whether a code span is a USSD code: starts with `*` or `#`, ends with `#`, holds at least one
/// digit and nothing but digits, `*` and `#`.
pub(crate) fn is_ussd(code: &str) -> bool {
    code.len() >= 3
        && code.starts_with(['*', '#'])
        && code.ends_with('#')
        && code.bytes().any(|b| b.is_ascii_digit())
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'*' || b == b'#')
}

/// The link for a code span, or `None` when it is not a USSD code. The code's characters are
/// all ASCII digits, `*` and `#`, so the text needs no HTML escaping.
pub(crate) fn tel_link(code: &str) -> Option<String> {
    is_ussd(code).then(|| {
        let href = utf8_percent_encode(code, TEL);
        format!("<a class=\"ussd\" href=\"tel:{href}\"><code>{code}</code></a>")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ussd_codes_become_tel_links_with_the_hash_encoded() {
        assert_eq!(
            tel_link("*111#").as_deref(),
            Some("<a class=\"ussd\" href=\"tel:*111%23\"><code>*111#</code></a>")
        );
        assert_eq!(
            tel_link("*911*2*3#").as_deref(),
            Some("<a class=\"ussd\" href=\"tel:*911*2*3%23\"><code>*911*2*3#</code></a>")
        );
        assert_eq!(
            tel_link("#100#").as_deref(),
            Some("<a class=\"ussd\" href=\"tel:%23100%23\"><code>#100#</code></a>")
        );
    }

    #[test]
    fn other_code_stays_plain() {
        for code in [
            "*111",
            "111#",
            "*#",
            "**#",
            "#",
            "*.md",
            "#anchor",
            "2*3#",
            "*11 1#",
            "*111#!",
            "*１１１#",
            "",
            "*a#",
            "tel:*111#",
        ] {
            assert_eq!(tel_link(code), None, "{code:?}");
        }
    }
}
