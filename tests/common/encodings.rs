//! Generated spellings of `javascript:` that a browser decodes back to a script URL, inside
//! random URL-bearing attributes. Shared by the checker's unit property test
//! (src/markdown/raw_html/tests.rs) and the binary's (tests/raw_html.rs).
#![allow(dead_code)]

use proptest::prelude::*;

/// One piece of the encoded value, and whether it is a numeric reference left without its
/// `;` (then a following digit would extend it, so a `;` is added after all).
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    open: Option<u32>,
}

fn piece(text: String) -> Piece {
    Piece { text, open: None }
}

/// A character as a literal, or as a decimal or hex reference, with or without `;`.
fn encoded_char(c: char) -> impl Strategy<Value = Piece> {
    let n = c as u32;
    prop_oneof![
        Just(piece(c.to_string())),
        (0..3usize, any::<bool>()).prop_map(move |(zeros, semi)| Piece {
            text: format!("&#{}{n}{}", "0".repeat(zeros), if semi { ";" } else { "" }),
            open: (!semi).then_some(10),
        }),
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(move |(x, upper, semi)| {
            let hex = if upper {
                format!("{n:X}")
            } else {
                format!("{n:x}")
            };
            Piece {
                text: format!(
                    "&#{}{hex}{}",
                    if x { "x" } else { "X" },
                    if semi { ";" } else { "" }
                ),
                open: (!semi).then_some(16),
            }
        }),
    ]
}

/// A letter of the scheme in either case, literal or as a reference.
fn letter(c: char) -> impl Strategy<Value = Piece> {
    any::<bool>()
        .prop_flat_map(move |upper| encoded_char(if upper { c.to_ascii_uppercase() } else { c }))
}

/// Tab, LF or CR, which the URL parser removes anywhere: as a reference, or literally when
/// `literal` (a Markdown file cannot hold a bare CR or a blank line inside its HTML block).
fn removed_whitespace(literal: bool) -> BoxedStrategy<Piece> {
    let refs = prop_oneof![
        Just(piece("&Tab;".into())),
        Just(piece("&NewLine;".into())),
        prop_oneof![Just('\t'), Just('\n'), Just('\r')].prop_flat_map(encoded_char),
    ];
    if literal {
        prop_oneof![refs, Just(piece("\t".into())), Just(piece("\n".into()))].boxed()
    } else {
        prop_oneof![refs, Just(piece("\t".into()))].boxed()
    }
}

/// A C0 control or space, which the URL parser strips at the start; no whitespace at all
/// unless `space` (in `srcset` it would end the URL).
fn leading(literal: bool, space: bool) -> BoxedStrategy<Piece> {
    let c0 = (1u32..=0x20)
        .prop_map(|n| char::from_u32(n).unwrap_or(' '))
        .prop_filter("whitespace only where allowed", move |c| {
            space || !c.is_ascii_whitespace()
        });
    if literal {
        c0.prop_flat_map(encoded_char).boxed()
    } else {
        // No bare CR, LF or FF: they would end the Markdown line.
        c0.prop_filter("not a line break", |c| !matches!(c, '\n' | '\r' | '\u{c}'))
            .prop_flat_map(encoded_char)
            .boxed()
    }
}

fn colon() -> impl Strategy<Value = Piece> {
    prop_oneof![Just(piece("&colon;".into())), encoded_char(':')]
}

fn join(pieces: Vec<Piece>) -> String {
    let mut out = String::new();
    for (i, p) in pieces.iter().enumerate() {
        out.push_str(&p.text);
        let next = pieces.get(i + 1).and_then(|n| n.text.chars().next());
        if let (Some(radix), Some(n)) = (p.open, next)
            && n.is_digit(radix)
        {
            out.push(';');
        }
    }
    out
}

/// `javascript:alert(1)` spelled so that a browser decodes it to a script URL. `inner_space`
/// allows whitespace (not in `srcset`, where it ends the URL).
pub fn script_url(literal: bool, inner_space: bool) -> impl Strategy<Value = String> {
    let letters: Vec<BoxedStrategy<Vec<Piece>>> = "javascript"
        .chars()
        .map(|c| {
            let gap = if inner_space {
                prop::collection::vec(removed_whitespace(literal), 0..2).boxed()
            } else {
                Just(Vec::new()).boxed()
            };
            (letter(c), gap)
                .prop_map(|(l, mut g)| {
                    g.insert(0, l);
                    g
                })
                .boxed()
        })
        .collect();
    (
        prop::collection::vec(leading(literal, inner_space), 0..3),
        letters,
        colon(),
    )
        .prop_map(|(lead, letters, colon)| {
            let mut pieces = lead;
            pieces.extend(letters.into_iter().flatten());
            pieces.push(colon);
            pieces.push(piece("alert(1)".into()));
            join(pieces)
        })
}

/// Literal whitespace as numeric references, for an unquoted attribute value.
fn whitespace_as_refs(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_whitespace() {
                format!("&#{};", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A start tag carrying the script URL in a random URL-bearing place, quoted or not.
pub fn tag_with_script_url(literal: bool) -> impl Strategy<Value = String> {
    let places = [
        ("a", "href"),
        ("area", "href"),
        ("img", "src"),
        ("iframe", "src"),
        ("embed", "src"),
        ("form", "action"),
        ("button", "formaction"),
        ("object", "data"),
        ("video", "poster"),
        ("blockquote", "cite"),
        ("td", "background"),
        ("base", "href"),
        ("svg><a", "xlink:href"),
        ("math><mi", "href"),
    ];
    let plain = (
        prop::sample::select(places.to_vec()),
        script_url(literal, true),
        0..3usize,
    )
        .prop_map(|((tag, attr), url, quote)| match quote {
            0 => format!("<{tag} {attr}=\"{url}\">"),
            1 => format!("<{tag} {attr}='{url}'>"),
            // Unquoted: whitespace would end the value, so only its references remain.
            _ => format!("<{tag} {attr}={}>", whitespace_as_refs(&url)),
        });
    let srcset =
        script_url(literal, false).prop_map(|url| format!("<img srcset=\"a.png 1x, {url} 2x\">"));
    let refresh = script_url(literal, true)
        .prop_map(|url| format!("<meta http-equiv=\"Refresh\" content=\"0; URL={url}\">"));
    prop_oneof![6 => plain, 1 => srcset, 1 => refresh]
}
