//! What the pipeline keeps between runs, and the one table of which change invalidates what.
//! Input: the `Changes` of a run. Output: the stages' memos, cleared where the change reaches.
//!
//! `build` runs on `Cache::none()`: every memo keeps nothing, so each stage has one code path
//! (ask the memo, compute what it lacks, offer the result) and a one-off build pays no copies.
//! `watch` keeps one `Cache::keeping()` alive between rebuilds.

use super::Changes;
use crate::config::Config;
use crate::content::SourceCache;
use crate::i18n::I18n;
use crate::render::{Remembered, Theme};
use crate::search::Analysed;
use crate::site::PageKey;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// A map that either keeps what it is offered or keeps nothing (a one-off build).
pub(crate) struct Memo<K, V> {
    map: Option<HashMap<K, V>>,
}

impl<K: Eq + Hash, V> Memo<K, V> {
    pub fn keeping() -> Self {
        Memo {
            map: Some(HashMap::new()),
        }
    }

    pub fn none() -> Self {
        Memo { map: None }
    }

    /// Whether offered values are kept: a stage may skip work (fingerprints) that only a
    /// keeping memo could use.
    pub fn keeps(&self) -> bool {
        self.map.is_some()
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.map.as_ref()?.get(key)
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.map.as_mut()?.remove(key)
    }

    pub fn insert(&mut self, key: K, value: V) {
        if let Some(map) = &mut self.map {
            map.insert(key, value);
        }
    }

    pub fn clear(&mut self) {
        if let Some(map) = &mut self.map {
            map.clear();
        }
    }

    pub fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        if let Some(map) = &mut self.map {
            map.retain(keep);
        }
    }
}

/// Everything the pipeline keeps between runs.
pub(crate) struct Cache {
    pub config: Option<Config>,
    pub i18n: Option<I18n>,
    pub theme: Option<Theme>,
    /// Parsed content files, by path and stamp.
    pub sources: SourceCache,
    /// Rendered Markdown, keyed by everything rendering reads.
    pub markdown: crate::site::MarkdownMemo,
    /// Per page, the fingerprints of the view its template last rendered.
    pub views: Memo<PageKey, Remembered>,
    /// Per page, its analysed search documents.
    pub analysed: Memo<PageKey, Arc<Analysed>>,
    /// Per language, the fingerprint of its page set and synonyms, and its index files'
    /// paths (the files themselves are on disk).
    pub indexes: Memo<String, (u64, Vec<String>)>,
}

impl Cache {
    /// For one run: keeps nothing.
    pub fn none() -> Cache {
        Cache {
            config: None,
            i18n: None,
            theme: None,
            sources: SourceCache::new(false),
            markdown: Memo::none(),
            views: Memo::none(),
            analysed: Memo::none(),
            indexes: Memo::none(),
        }
    }

    /// For `watch`: keeps every stage's values between runs.
    pub fn keeping() -> Cache {
        Cache {
            sources: SourceCache::new(true),
            markdown: Memo::keeping(),
            views: Memo::keeping(),
            analysed: Memo::keeping(),
            indexes: Memo::keeping(),
            ..Cache::none()
        }
    }

    /// The table: what each kind of change invalidates.
    ///
    /// | change     | config | i18n | theme | markdown | views | search pages / indexes |
    /// |------------|--------|------|-------|----------|-------|------------------------|
    /// | config     |   x    |  x   |   x   |    x     |   x   |    x (indexes)         |
    /// | i18n       |        |  x   |       |    x     |   x   |                        |
    /// | theme      |        |      |   x   |          |   x   |                        |
    /// | content    | (sources re-read by stamp; every memo below is keyed by its inputs) |
    ///
    /// Content changes need no entry: the source cache re-reads files whose stamp changed or
    /// that an event named, the Markdown memo is keyed by a hash of the page's inputs, a view
    /// fingerprint covers everything its template reads, and a page rendered afresh is
    /// analysed afresh.
    pub fn invalidate(&mut self, changes: &Changes) {
        if changes.config {
            self.config = None;
            self.i18n = None;
            self.theme = None;
            self.indexes.clear();
        }
        if changes.config || changes.i18n {
            self.i18n = None;
            self.markdown.clear();
            self.views.clear();
        }
        if changes.config || changes.theme {
            self.theme = None;
            self.views.clear();
        }
    }

    /// After a run whose output was not written (a failed write in `watch`): the views and
    /// indexes would otherwise claim files the disk never got, so every page renders again
    /// next time.
    pub fn forget_written(&mut self) {
        self.views.clear();
        self.indexes.clear();
    }
}
