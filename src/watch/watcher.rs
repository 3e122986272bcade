//! The file-system watches of `watch`: which folders are watched, and watching them again when
//! one is deleted and restored.
//!
//! Input: the site's layout and the folders a batch of events named. Output: watches kept in
//! step with the folders on disk, and the folders whose watch was (re)set: they changed, and
//! files written into one before its watch was in place need a rescan.

use super::events::Layout;
use notify::RecursiveMode;
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How often `--poll` looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The two kinds of watcher behind one `watch` call.
pub enum FsWatcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

impl FsWatcher {
    pub fn new(
        poll: bool,
        debounce: Duration,
        tx: mpsc::Sender<DebounceEventResult>,
    ) -> notify::Result<FsWatcher> {
        // The debouncer ticks at a quarter of its timeout, so a tiny timeout still needs a tick.
        let tick = Some((debounce / 4).max(Duration::from_millis(1)));
        if poll {
            // The poll watcher keeps each file's time in whole seconds and reports only a
            // later one, so a save in the same second as the file's last change (a file
            // restored and edited at once, two quick saves, `cp -p` of an older copy) would
            // never be seen. Comparing contents catches every change; it reads the watched
            // files each poll, cheap for a site's sources (the guide: 130 files, 1.2 MB).
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Ok(FsWatcher::Poll(new_debouncer_opt(
                debounce, tick, tx, NoCache, config,
            )?))
        } else {
            Ok(FsWatcher::Native(new_debouncer(debounce, tick, tx)?))
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            FsWatcher::Native(d) => d.watch(path, mode),
            FsWatcher::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            FsWatcher::Native(d) => d.unwatch(path),
            FsWatcher::Poll(d) => d.unwatch(path),
        }
    }
}

/// A folder's identity (device and inode): a folder deleted and restored is a new one.
type DirId = (u64, u64);

fn dir_id(path: &Path) -> Option<DirId> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

/// The watched folders and the identity each had when its watch was set.
#[derive(Default)]
pub struct Watches {
    ids: BTreeMap<PathBuf, Option<DirId>>,
}

impl Watches {
    /// Sets a watch on every folder of `layout` that has none, whose folder was replaced, or
    /// that an event named (`touched`: moved away and back keeps the inode but loses the watch).
    /// Returns the folders whose watch was set.
    pub fn sync(
        &mut self,
        watcher: &mut FsWatcher,
        layout: &Layout,
        touched: &BTreeSet<PathBuf>,
    ) -> Result<Vec<PathBuf>, (PathBuf, notify::Error)> {
        let mut set = Vec::new();
        for (dir, mode) in layout.watched_dirs() {
            let id = dir_id(&dir);
            let known = self.ids.get(&dir).copied();
            if known == Some(id) && !(id.is_some() && touched.contains(&dir)) {
                continue;
            }
            if known.flatten().is_some() {
                // The watch may have gone with its folder already; nothing to undo then.
                let _ = watcher.unwatch(&dir);
            }
            self.ids.insert(dir.clone(), None);
            if id.is_some() {
                watcher.watch(&dir, mode).map_err(|e| (dir.clone(), e))?;
                self.ids.insert(dir.clone(), id);
                set.push(dir);
            }
        }
        Ok(set)
    }

    /// Whether `path` is one of the watched folders.
    pub fn is_watched_dir(&self, path: &Path) -> bool {
        self.ids.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The poll loop calls `sync` with no event at all: a folder that came back must be found
    /// then, and nothing set again while nothing changed.
    #[test]
    fn a_returned_folder_is_found_without_an_event() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let content = root.join("content");
        std::fs::create_dir(&content).unwrap();
        let layout = Layout {
            out: root.join("public"),
            theme: root.join("themes/default"),
            root: root.clone(),
        };
        let (tx, _rx) = mpsc::channel();
        let mut watcher = FsWatcher::new(true, Duration::from_millis(10), tx).unwrap();
        let mut watches = Watches::default();
        let none = BTreeSet::new();
        let set = watches.sync(&mut watcher, &layout, &none).unwrap();
        assert_eq!(set, vec![root.clone(), content.clone()]);
        assert!(
            watches
                .sync(&mut watcher, &layout, &none)
                .unwrap()
                .is_empty()
        );
        std::fs::remove_dir(&content).unwrap();
        assert!(
            watches
                .sync(&mut watcher, &layout, &none)
                .unwrap()
                .is_empty()
        );
        std::fs::create_dir(&content).unwrap();
        assert_eq!(
            watches.sync(&mut watcher, &layout, &none).unwrap(),
            vec![content]
        );
        assert!(
            watches
                .sync(&mut watcher, &layout, &none)
                .unwrap()
                .is_empty()
        );
    }
}
