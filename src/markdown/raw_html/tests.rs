use super::*;
use crate::safe_url::{UnsafeUrl, classify};
use proptest::prelude::*;

#[path = "../../../tests/common/encodings.rs"]
mod encodings;

fn scan(html: &str) -> Vec<Found> {
    Scanner::default().scan(html)
}

/// The offsets of what would be refused: refused constructs, and URLs the checker refuses.
fn refused(html: &str) -> Vec<usize> {
    scan(html)
        .into_iter()
        .filter_map(|f| match f {
            Found::Refused { offset, .. } => Some(offset),
            Found::Url {
                offset,
                url,
                data_image_ok,
                ..
            } => classify(&url, data_image_ok).is_err().then_some(offset),
        })
        .collect()
}

fn urls(html: &str) -> Vec<String> {
    scan(html)
        .into_iter()
        .filter_map(|f| match f {
            Found::Url { url, .. } => Some(url),
            Found::Refused { .. } => None,
        })
        .collect()
}

#[test]
fn the_reported_encodings_are_decoded() {
    for html in [
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"&#106avascript:alert(1)\">x</a>",
        "<a href=\"jav&NewLine;ascript:alert(1)\">x</a>",
        "<a href=\"&#1;&#x20;JaVaScRiPt:alert(1)\">x</a>",
        "<a href='vbscript:msgbox(1)'>x</a>",
        "<A HREF=javascript:alert(1)>x</A>",
        "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
    ] {
        assert_eq!(refused(html), vec![0], "{html}");
    }
}

#[test]
fn browsers_leave_these_undecoded_and_so_do_we() {
    // `&Tab` is not a legacy reference: without `;` it stays as text, and the URL is relative.
    assert_eq!(urls("<a href=\"java&Tabscript:x\">"), ["java&Tabscript:x"]);
    assert!(refused("<a href=\"java&Tabscript:x\">").is_empty());
}

#[test]
fn data_images_only_in_image_src() {
    assert!(refused("<img src=\"data:image/png;base64,AAAA\">").is_empty());
    assert!(refused("<picture><source src=\"data:image/webp;base64,AA\"></picture>").is_empty());
    assert_eq!(refused("<a href=\"data:image/png;base64,AAAA\">x</a>"), [0]);
    assert_eq!(refused("<img srcset=\"data:image/png;base64,AA 1x\">"), [0]);
    assert_eq!(refused("<object data=\"data:text/html,x\"></object>"), [0]);
}

#[test]
fn every_srcset_candidate_is_read() {
    assert_eq!(
        urls("<img srcset=\"a.png 1x, b.png 2x,c.png,, d.png 100w\">"),
        ["a.png", "b.png", "c.png", "d.png"]
    );
    assert_eq!(
        urls("<img srcset=\"data:image/png;base64,A,B 1x, x.png\">"),
        ["data:image/png;base64,A,B", "x.png"]
    );
}

#[test]
fn meta_refresh_urls() {
    assert_eq!(refresh_url("0;url=javascript:x"), Some("javascript:x"));
    assert_eq!(refresh_url("5 , URL = 'https://a/' x"), Some("https://a/"));
    assert_eq!(refresh_url("0; https://a/"), Some("https://a/"));
    assert_eq!(refresh_url("30"), None);
    assert_eq!(
        refused("<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">"),
        [0]
    );
}

#[test]
fn raw_text_elements_are_text_as_in_browsers() {
    // The real `<a>` after `</textarea>` is found, not hidden in the title attribute.
    let html = "<textarea><a title=\"</textarea><a href=javascript:alert(1)>\">";
    assert_eq!(urls(html), ["javascript:alert(1)"]);
    // Inside <style>, a tag is text.
    assert!(urls("<style><a href=\"javascript:x\"></style>").is_empty());
}

#[test]
fn script_handlers_srcdoc_cdata_and_unfinished_tags_are_refused() {
    let refusal = |html: &str| {
        scan(html)
            .into_iter()
            .find_map(|f| match f {
                Found::Refused { message, .. } => Some(message),
                Found::Url { .. } => None,
            })
            .unwrap_or_else(|| panic!("not refused: {html}"))
    };
    assert!(refusal("<script>alert(1)</script>").contains("<script>"));
    assert!(refusal("<img src=x.png onerror=\"alert(1)\">").contains("onerror"));
    assert!(refusal("<iframe srcdoc=\"&lt;script&gt;\"></iframe>").contains("srcdoc"));
    assert!(refusal("<svg><![CDATA[ x ]]></svg>").contains("CDATA"));
    assert!(refusal("<div><a href=\"x").contains("unfinished"));
    assert!(refusal("<svg><style>a{}</style></svg>").contains("<style>"));
    assert!(scan("<div>&amp</div><!-- note -->").is_empty());
}

#[test]
fn svg_animation_values_are_urls() {
    let html = "<svg><a><set attributeName=href to=\"javascript:alert(1)\"/></a></svg>";
    assert_eq!(refused(html).len(), 1);
    assert_eq!(urls("<svg><animate values=\"0;1\"/></svg>"), ["0", "1"]);
}

#[test]
fn offsets_point_at_the_tag() {
    let html = "<div>\n  <p>ok</p>\n  <a\n    href=\"javascript:x\">y</a>\n</div>";
    assert_eq!(refused(html), [html.find("<a").unwrap()]);
}

#[test]
fn a_svg_in_one_run_is_remembered_in_the_next() {
    let mut scanner = Scanner::default();
    assert!(scanner.scan("<svg>").is_empty());
    let later = scanner.scan("<style></style>");
    assert!(matches!(later[0], Found::Refused { .. }), "{later:?}");
}

#[test]
fn many_tags_on_one_line() {
    // One pass each: a search from every tag to the end of the line would be quadratic here.
    let html = "<a href=\"x.html\">x</a>".repeat(30_000);
    assert_eq!(urls(&html).len(), 30_000);
    // Names the tokenizer rewrites (NUL → U+FFFD) are never found in the source.
    let html = "<a\0 href=\"javascript:x\">".repeat(30_000);
    let offsets = refused(&html);
    assert_eq!(offsets.len(), 30_000);
    assert!(offsets.iter().all(|&o| o == 0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every generated spelling of `javascript:` is refused, at the tag that carries it.
    #[test]
    fn every_encoding_of_javascript_is_refused(tag in encodings::tag_with_script_url(true)) {
        let html = format!("<div>\n{tag}x\n</div>");
        let found = refused(&html);
        prop_assert!(!found.is_empty(), "not refused: {html:?}");
        let tag_start = html.find(&tag).unwrap_or(0);
        let last_tag = tag_start + tag.rfind('<').unwrap_or(0);
        prop_assert!(found.contains(&last_tag), "{html:?}: {found:?} vs {last_tag}");
    }

    /// Any input, HTML-ish or not, scans without a panic, and every offset is inside the run.
    #[test]
    fn any_input_scans(run in "[<>/=\"' a-z&#;:\n\t\u{0}\u{e9}!-]{0,80}|\\PC{0,40}") {
        for f in Scanner::default().scan(&run) {
            let (Found::Url { offset, .. } | Found::Refused { offset, .. }) = f;
            prop_assert!(offset <= run.len() && run.is_char_boundary(offset), "{run:?}");
        }
    }

    /// The checker itself, on decoded values: stripped controls and case never hide the scheme.
    #[test]
    fn decoded_script_urls_are_refused(
        lead in "[\u{1}-\u{20}]{0,3}",
        word in "[jJ][aA][vV][aA][sS][cC][rR][iI][pP][tT]",
        cut in 0usize..10,
        ws in "[\t\n\r]{1,2}",
    ) {
        let url = format!("{lead}{}{ws}{}:alert(1)", &word[..cut], &word[cut..]);
        prop_assert!(matches!(classify(&url, true), Err(UnsafeUrl::Script(_))), "{url:?}");
    }
}
