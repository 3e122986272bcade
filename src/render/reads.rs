//! Which of a page context's computed parts each template can read. Input: the theme's `Tera`
//! and template sources; output: per template name, the parts its view must hold.
//!
//! A page's view links every page of its navigation, breadcrumbs, translations and the site's
//! collections, each relative to the page: most of the cost of a view, and more than running
//! the template itself. A template that never names a part (nor do its parents or includes) is
//! handed an empty one instead. In the default theme only `home.html` names `collections`: building them on the other pages
//! took about a tenth of the template stage (`cargo bench --bench render`).

use std::collections::{BTreeMap, HashSet};

/// The parts of a page's context that are built only for templates that name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reads {
    pub nav: bool,
    pub breadcrumbs: bool,
    pub translations: bool,
    pub alternates: bool,
    /// `prev` and `next`.
    pub prev_next: bool,
    pub collections: bool,
}

impl Reads {
    /// Every part: for a template whose reads are not known.
    pub const ALL: Reads = Reads {
        nav: true,
        breadcrumbs: true,
        translations: true,
        alternates: true,
        prev_next: true,
        collections: true,
    };

    fn of(names: &HashSet<&str>) -> Reads {
        Reads {
            nav: names.contains("nav"),
            breadcrumbs: names.contains("breadcrumbs"),
            translations: names.contains("translations"),
            alternates: names.contains("alternates"),
            prev_next: names.contains("prev") || names.contains("next"),
            collections: names.contains("collections"),
        }
    }
}

/// What each template of `tera` reads: the top-level variables it names, with its parents'
/// and its includes' (Tera's `get_template_variables`; an include names its template
/// literally). `cached_include` hands its partial only the arguments its caller names.
///
/// Every part for every template when the theme could read a part without naming it: a
/// component (Tera 2 components take `@implicit` arguments from their caller's variables) or
/// Tera's `__tera_context` (the whole context).
pub(crate) fn by_template<'a>(
    tera: &tera::Tera,
    sources: impl IntoIterator<Item = &'a String>,
) -> BTreeMap<String, Reads> {
    let unnamed = tera.get_component_names().next().is_some()
        || sources.into_iter().any(|s| s.contains("__tera_context"));
    tera.get_template_names()
        .map(|name| {
            let reads = match tera.get_template_variables(name) {
                Ok(names) if !unnamed => Reads::of(&names),
                _ => Reads::ALL,
            };
            (name.to_owned(), reads)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(templates: &[(&str, &str)]) -> BTreeMap<String, Reads> {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        let sources: Vec<String> = templates.iter().map(|(_, s)| s.to_string()).collect();
        by_template(&tera, &sources)
    }

    #[test]
    fn a_template_reads_what_it_or_its_parents_or_includes_name() {
        let r = reads(&[
            (
                "base.html",
                "{% for i in nav %}{{ i.href }}{% endfor %}{% block main %}{% endblock main %}",
            ),
            (
                "part.html",
                "{% for t in translations %}{{ t.href }}{% endfor %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"part.html\" %}\
                 {% if next %}{{ next.href }}{% endif %}{% endblock main %}",
            ),
            (
                "home.html",
                "{% extends \"base.html\" %}{% block main %}{{ collections | length }}{% endblock main %}",
            ),
            ("plain.html", "{{ page.title }}"),
        ]);
        let page = Reads {
            nav: true,
            translations: true,
            prev_next: true,
            ..Reads::of(&HashSet::new())
        };
        assert_eq!(r["page.html"], page);
        let home = Reads {
            nav: true,
            collections: true,
            ..Reads::of(&HashSet::new())
        };
        assert_eq!(r["home.html"], home);
        assert_eq!(r["plain.html"], Reads::of(&HashSet::new()));
    }

    #[test]
    fn a_loop_variable_of_the_same_name_still_counts_and_a_dump_reads_everything() {
        // A name read before a loop shadows it is still the context's.
        let r = reads(&[(
            "a.html",
            "{{ nav | length }}{% for nav in [1] %}{{ nav }}{% endfor %}",
        )]);
        assert!(r["a.html"].nav);
        let r = reads(&[
            ("a.html", "{{ page.title }}"),
            ("debug.html", "{{ __tera_context }}"),
        ]);
        assert_eq!(r["a.html"], Reads::ALL);
    }

    #[test]
    fn a_theme_with_a_component_reads_everything() {
        let r = reads(&[
            (
                "components.html",
                "{% component menu(@nav) %}{{ nav | length }}{% endcomponent menu %}",
            ),
            ("page.html", "{{ page.title }}"),
        ]);
        assert_eq!(r["page.html"], Reads::ALL);
    }
}
