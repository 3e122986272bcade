//! `cached_include`, the template function that renders a partial once per distinct key within
//! one run of the template stage (Hugo's `partialCached`). Input: the call's arguments; output:
//! the partial's HTML, marked safe, rendered on the first call with a key and stored for the
//! others.
//!
//! ```text
//! {{ cached_include(template="partials/facts.html",
//!                   key=[lang.code, page.kind, page.item.collection, page.item.id, page.item.href],
//!                   page=page, t=t, lang=lang) }}
//! ```
//!
//! The partial sees only the arguments besides `template` and `key`. Its output must depend on
//! nothing the key leaves out: a wrong key is the theme author's (as in Hugo), and shows as the
//! same box on pages that should differ.
//!
//! The function needs the `Tera` it is registered in, which owns it: it holds a `Weak` handle,
//! set once the theme's `Tera` is behind an `Arc`, so a theme reloaded by `watch` frees the old
//! one. The store is emptied at the start of every run (`Partials::start_run`), so `watch` never
//! shows a box from before an edit.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use tera::{Context, Kwargs, State, TeraResult, Value};

/// The template function's name.
pub(crate) const NAME: &str = "cached_include";

/// The rendered partials of one run, by template name and key.
#[derive(Default)]
pub(crate) struct Partials {
    tera: OnceLock<Weak<tera::Tera>>,
    done: Mutex<BTreeMap<(String, Value), Value>>,
    /// Partials rendered since the run started (the tests count them).
    renders: AtomicUsize,
}

thread_local! {
    /// The partials `cached_include` is rendering on this thread, outermost first: one that
    /// calls itself again would never end.
    static RENDERING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

impl Partials {
    /// Registers `cached_include` in `tera`; call `attach` once `tera` is shared.
    pub(crate) fn register(tera: &mut tera::Tera) -> Arc<Partials> {
        let partials = Arc::new(Partials::default());
        let handle = Arc::clone(&partials);
        tera.register_function(NAME, move |kwargs: Kwargs, state: &State| {
            handle.call(&kwargs, state)
        });
        partials
    }

    /// The `Tera` the function renders partials with.
    pub(crate) fn attach(&self, tera: &Arc<tera::Tera>) {
        let _ = self.tera.set(Arc::downgrade(tera));
    }

    /// Forgets every stored partial: what they showed may have changed since.
    pub(crate) fn start_run(&self) {
        self.lock().clear();
        self.renders.store(0, Ordering::Relaxed);
    }

    /// How many partials were rendered (not served from the store) since the run started.
    #[cfg(test)]
    pub(crate) fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, Value), Value>> {
        self.done.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn call(&self, kwargs: &Kwargs, _: &State) -> TeraResult<Value> {
        let template = kwargs.get::<&str>("template")?.ok_or_else(|| {
            tera::Error::message(format!(
                "{NAME}: `template` is missing: name the partial, e.g. template=\"partials/facts.html\""
            ))
        })?;
        let key = kwargs.get::<Value>("key")?.ok_or_else(|| {
            tera::Error::message(format!(
                "{NAME}(template=\"{template}\"): `key` is missing: list what the partial's output depends on, e.g. key=[lang.code, page.item.id]"
            ))
        })?;
        let stored = (template.to_owned(), key);
        if let Some(html) = self.lock().get(&stored) {
            return Ok(html.clone());
        }
        let html = self.render(template, kwargs)?;
        // Two threads may both have rendered it: the same key gives the same HTML.
        Ok(self.lock().entry(stored).or_insert(html).clone())
    }

    /// Renders `template` with the call's other arguments as its whole context.
    fn render(&self, template: &str, kwargs: &Kwargs) -> TeraResult<Value> {
        let tera = self.tera.get().and_then(Weak::upgrade).ok_or_else(|| {
            tera::Error::message(format!("{NAME}: the theme is no longer loaded"))
        })?;
        if !tera.contains_template(template) {
            return Err(tera::Error::message(format!(
                "{NAME}: template '{template}' does not exist in the theme"
            )));
        }
        let mut context = Context::new();
        for (name, value) in kwargs.iter() {
            let name = name.as_str().unwrap_or_default();
            if name != "template" && name != "key" {
                context.insert_value(name.to_owned(), value.clone());
            }
        }
        let cycle = RENDERING.with_borrow_mut(|r| {
            let cycle = r.iter().any(|t| t == template);
            r.push(template.to_owned());
            cycle
        });
        let html = match cycle {
            true => Err(tera::Error::message(format!(
                "{NAME}: '{template}' includes itself, directly or through others"
            ))),
            false => tera
                .render(template, &context)
                .map_err(|e| inner_error(template, &e)),
        };
        RENDERING.with_borrow_mut(|r| r.pop());
        self.renders.fetch_add(1, Ordering::Relaxed);
        Ok(Value::safe_string(&html?))
    }
}

/// An error inside the partial, with its place there: the report Tera makes of the call names
/// only the calling template's line.
fn inner_error(template: &str, e: &tera::Error) -> tera::Error {
    let place = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let at = format!(
                "{}:{}:{}",
                r.filename(),
                span.start_line,
                span.start_col + 1
            );
            format!("{at}: {}", r.message())
        }
        _ => e.to_string(),
    };
    tera::Error::message(format!("{NAME}(template=\"{template}\"): {place}"))
}

#[cfg(test)]
mod tests {
    use scraper::{Html, Selector};
    use std::path::Path;

    /// Copies the fixture `name` into a temp folder.
    fn copy(name: &str) -> tempfile::TempDir {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            match entry.file_type().is_dir() {
                true => std::fs::create_dir_all(&to).unwrap(),
                false => drop(std::fs::copy(entry.path(), &to).unwrap()),
            }
        }
        dir
    }

    /// Every page's HTML by URL, and how many partials `cached_include` rendered.
    fn render(root: &Path) -> (std::collections::BTreeMap<String, String>, usize) {
        let (site, theme) = crate::render::bench_input(root).unwrap();
        let all: Vec<usize> = (0..site.pages.len()).collect();
        let pages = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let keep = |i: usize, html: String| {
            pages
                .lock()
                .unwrap()
                .insert(site.pages[i].url.clone(), html);
        };
        let none = crate::build::cache::Memo::none();
        crate::render::render_pages(&site, &theme, &none, &all, &|_| false, &keep).unwrap();
        (pages.into_inner().unwrap(), theme.partials.renders())
    }

    fn facts_box(html: &str) -> String {
        let doc = Html::parse_document(html);
        let s = Selector::parse("section.facts").unwrap();
        doc.select(&s).map(|e| e.html()).collect()
    }

    /// Two English pages in one folder about the same item share one facts box, rendered once;
    /// the Russian page about it gets its own: two renders for three boxes.
    #[test]
    fn pages_that_share_a_key_render_the_partial_once() {
        let dir = copy("products");
        let reading = std::fs::read_to_string(dir.path().join("content/en/reading.md")).unwrap();
        let second = reading.replace("Reading at night", "Reading in bed");
        std::fs::write(dir.path().join("content/en/bed.md"), second).unwrap();
        let (pages, renders) = render(dir.path());
        let (night, bed) = (
            facts_box(&pages["en/reading/"]),
            facts_box(&pages["en/bed/"]),
        );
        assert!(night.contains("12 EUR"), "{night}");
        assert_eq!(night, bed);
        assert!(facts_box(&pages["ru/reading/"]).contains("12 евро"));
        assert_eq!(renders, 2);
    }
}
