//! Template filters for the reader's language, registered before the theme's templates load:
//! `{{ page.reviewed | local_date(lang=lang.tag) }}` and `{{ lang.tag | og_locale }}`.

use crate::config::Date;
use crate::locale;
use std::cell::RefCell;
use std::collections::HashMap;
use tera::{Kwargs, State, TeraResult};

pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter("local_date", local_date);
    tera.register_filter("og_locale", og_locale);
    tera.register_filter("safe", safe);
    tera.set_escape_fn(escape_html);
}

/// Tera's `safe`, without copying a string: tera's takes the text and builds a new value of it,
/// a copy of every page's body (`{{ page.content | safe }}`); a string value is shared, so
/// marking the same one safe gives what that copy gave. Anything else is written out as tera's
/// filter writes it (pinned by a test against tera's own).
fn safe(value: &tera::Value, _: Kwargs, _: &State) -> tera::Value {
    match value.as_str() {
        Some(_) => value.clone().mark_safe(),
        None => tera::Value::safe_string(&value.to_string()),
    }
}

/// The same five escapes as tera's `escape_html` (`& < > " '`), written as runs: tera's own
/// writes every byte with its own `write_all`, about 5 % of a 10k-page build's CPU. Eight bytes
/// are looked at at once: most escaped text (titles, links, UI strings) has none of the five.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut done = 0;
    let mut i = 0;
    loop {
        i = crate::swar::first_flagged(bytes, i, escaped_bytes);
        let Some(&b) = bytes.get(i) else { break };
        let escaped: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_all(&bytes[done..i])?;
        out.write_all(escaped)?;
        i += 1;
        done = i;
    }
    out.write_all(&bytes[done..])
}

/// Flags the bytes of `word` that `escape_html` escapes.
fn escaped_bytes(word: u64) -> u64 {
    use crate::swar::equal;
    equal(word, b'&')
        | equal(word, b'<')
        | equal(word, b'>')
        | equal(word, b'"')
        | equal(word, b'\'')
}

thread_local! {
    /// `local_date`'s answers by date and language tag: a site has few distinct dates, and a
    /// facts box asks for each fact's on every page about the item.
    static LOCAL_DATES: RefCell<HashMap<String, HashMap<String, String>>> = RefCell::default();
}

/// A `YYYY-MM-DD` date written the way the language `lang` writes it.
fn local_date(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let lang = kwargs.must_get::<&str>("lang")?;
    let known = LOCAL_DATES.with_borrow(|m| m.get(value).and_then(|l| l.get(lang)).cloned());
    if let Some(known) = known {
        return Ok(known);
    }
    let date = Date::parse(value).ok_or_else(|| {
        tera::Error::message(format!(
            "local_date: '{value}' is not a date written YYYY-MM-DD"
        ))
    })?;
    let written = locale::format_date(date, lang);
    LOCAL_DATES.with_borrow_mut(|m| {
        let langs = m.entry(value.to_owned()).or_default();
        langs.insert(lang.to_owned(), written.clone())
    });
    Ok(written)
}

fn og_locale(value: &str, _: Kwargs, _: &State) -> String {
    locale::og_locale(value)
}

#[cfg(test)]
mod tests {
    /// Every kind of value through our `safe` and through tera's own, with autoescaping on (the
    /// filter is why a string is not escaped) and after a filter that escapes again.
    #[test]
    fn safe_writes_what_teras_safe_writes() {
        let template =
            "{{ v | safe }}|{{ v | safe | upper }}|{{ v }}|{% if v | safe %}t{% endif %}";
        let values = [
            tera::Value::from("<b>Tom & \"Jerry's\"</b>"),
            tera::Value::from(""),
            tera::Value::from(42),
            tera::Value::from(1.5),
            tera::Value::from(true),
            tera::Value::none(),
            tera::Value::from(vec![tera::Value::from("<a>"), tera::Value::from(2)]),
            tera::Value::from_serializable(&std::collections::BTreeMap::from([("k", "<v>")])),
        ];
        let render = |ours: bool, v: &tera::Value| {
            let mut tera = tera::Tera::default();
            if ours {
                tera.register_filter("safe", super::safe);
            }
            tera.add_raw_template("t.html", template).unwrap();
            let mut ctx = tera::Context::new();
            ctx.insert_value("v", v.clone());
            tera.render("t.html", &ctx).map_err(|e| format!("{e:?}"))
        };
        for v in &values {
            assert_eq!(render(true, v), render(false, v), "{v:?}");
        }
    }

    #[test]
    fn escapes_as_tera_does() {
        for input in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "&&<<>>\"\"''",
            "Қазақ «тілі» & 中文 <b>",
            "ends with &",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(ours, teras, "{input}");
        }
    }

    /// The eight-byte look: every byte value at every place of strings up to 19 bytes long,
    /// among plain ASCII and among multi-byte letters, escapes as tera does.
    #[test]
    fn escapes_any_byte_at_any_place_as_tera_does() {
        let mut checked = 0;
        for len in 0..20 {
            for at in 0..len {
                for c in (0u8..128).map(char::from).chain(['é', 'қ', '中']) {
                    for filler in ['a', 'ж'] {
                        let input: String =
                            (0..len).map(|i| if i == at { c } else { filler }).collect();
                        let (mut ours, mut teras) = (Vec::new(), Vec::new());
                        super::escape_html(&input, &mut ours).unwrap();
                        tera::escape_html(&input, &mut teras).unwrap();
                        assert_eq!(ours, teras, "{input:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 40_000);
    }

    #[test]
    fn the_eight_byte_test_finds_each_escaped_byte_in_every_lane() {
        for lane in 0..8 {
            for byte in 0u8..=255 {
                let mut word = [b'a'; 8];
                word[lane] = byte;
                let found = super::escaped_bytes(u64::from_le_bytes(word)) != 0;
                assert_eq!(found, b"&<>\"'".contains(&byte), "{byte} in lane {lane}");
            }
        }
    }
}
