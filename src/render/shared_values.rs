//! Template values of view parts that many pages share, made once per run of the template stage.
//! Input: the parts of one page's view (navigation entries, links, collections); output: their
//! template values, taken from a store when an equal part was converted before.
//!
//! Converting a view part makes a hash map per entry (tera's `Map`) and dropping it frees it
//! again: a page's navigation alone is ~30 of them, most equal to entries of its siblings' (the
//! same title and the same relative link). An equal part gives an equal value, so sharing one
//! `Arc`-backed value changes nothing a template sees.

use super::views::{CollectionView, LinkView, NavItem};
use crate::search::fxhash::FastMap;
use serde::Serialize;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use tera::Value;

/// Values by the view part they were made from. The parts are the site's own titles and links:
/// FxHash, not SipHash (looked up ~30 times per page).
struct Store<T>(Mutex<FastMap<T, Value>>);

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store(Mutex::default())
    }
}

impl<T: Hash + Eq + Clone + Serialize> Store<T> {
    /// The values of `parts`, as one array value.
    fn array(&self, parts: &[T]) -> Value {
        let mut store = self.lock();
        Value::from(
            parts
                .iter()
                .map(|p| value_of(&mut store, p))
                .collect::<Vec<_>>(),
        )
    }

    /// The value of `part`.
    fn one(&self, part: &T) -> Value {
        value_of(&mut self.lock(), part)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FastMap<T, Value>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The stored value of `part`, made and stored when it has none yet.
fn value_of<T: Hash + Eq + Clone + Serialize>(store: &mut FastMap<T, Value>, part: &T) -> Value {
    if let Some(v) = store.get(part) {
        return v.clone();
    }
    let v = Value::from_serializable(part);
    store.insert(part.clone(), v.clone());
    v
}

/// The stores of one run of the template stage.
#[derive(Default)]
pub(crate) struct SharedValues {
    nav: Store<NavItem>,
    links: Store<LinkView>,
    collections: Store<Vec<CollectionView>>,
}

impl SharedValues {
    pub(crate) fn nav(&self, items: &[NavItem]) -> Value {
        self.nav.array(items)
    }

    pub(crate) fn links(&self, links: &[LinkView]) -> Value {
        self.links.array(links)
    }

    pub(crate) fn link(&self, link: Option<&LinkView>) -> Value {
        link.map_or_else(Value::none, |l| self.links.one(l))
    }

    pub(crate) fn collections(&self, collections: &Vec<CollectionView>) -> Value {
        self.collections.one(collections)
    }
}
