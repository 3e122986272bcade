//! Template filters for the reader's language, registered before the theme's templates load:
//! `{{ page.reviewed | local_date(lang=lang.tag) }}` and `{{ lang.tag | og_locale }}`.

use crate::config::Date;
use crate::locale;
use tera::{Kwargs, State, TeraResult};

pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter("local_date", local_date);
    tera.register_filter("og_locale", og_locale);
}

/// A `YYYY-MM-DD` date written the way the language `lang` writes it.
fn local_date(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let lang = kwargs.must_get::<&str>("lang")?;
    let date = Date::parse(value).ok_or_else(|| {
        tera::Error::message(format!(
            "local_date: '{value}' is not a date written YYYY-MM-DD"
        ))
    })?;
    Ok(locale::format_date(date, lang))
}

fn og_locale(value: &str, _: Kwargs, _: &State) -> String {
    locale::og_locale(value)
}
