//! Cleanup of what an earlier run left beside the output when it ended before its own cleanup.
//! Input: the absolute output path. Output: the matching staging and old folders removed.

use super::{MARKER, MARKER_TEXT};
use std::io;
use std::path::Path;

/// Removes the staging and old folders beside `out` that earlier runs left when they ended
/// before their own cleanup (a crash, a kill): only folders named `.<out>.steppe-staging-<pid>`
/// or `.<out>.steppe-old-<pid>` whose process is gone and whose marker steppe wrote. Best
/// effort: what cannot be removed now is tried again on the next run.
pub(super) fn remove_leftovers(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.steppe-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = leftover_pid(&entry.file_name().to_string_lossy(), &prefix) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && pid != std::process::id() && !process_alive(pid) && has_marker(&path) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// The process id in `<prefix>staging-<pid>` or `<prefix>old-<pid>`.
fn leftover_pid(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?;
    let digits = rest
        .strip_prefix("staging-")
        .or_else(|| rest.strip_prefix("old-"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&pid| pid > 0)
}

/// Whether `dir` holds steppe's marker, unchanged.
pub(super) fn has_marker(dir: &Path) -> bool {
    std::fs::read(dir.join(MARKER)).is_ok_and(|text| text == MARKER_TEXT.as_bytes())
}

/// Another steppe (a `watch` beside a `build`) may be staging right now.
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // Without a cheap check, assume it runs: a leftover stays rather than a live build breaking.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_marked_leftovers_of_ended_runs_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Process ids above the kernel's maximum (2^22) never run.
        let dead = ".public.steppe-staging-999999991";
        let dead_old = ".public.steppe-old-999999992";
        let unmarked = ".public.steppe-old-999999993";
        let wrong_marker = ".public.steppe-staging-999999994";
        let other = ".public.steppe-notes";
        for (dir, marker) in [
            (dead, Some(MARKER_TEXT)),
            (dead_old, Some(MARKER_TEXT)),
            (unmarked, None),
            (wrong_marker, Some("mine\n")),
            (other, Some(MARKER_TEXT)),
        ] {
            std::fs::create_dir_all(tmp.path().join(dir).join("en")).unwrap();
            if let Some(text) = marker {
                std::fs::write(tmp.path().join(dir).join(MARKER), text).unwrap();
            }
        }
        remove_leftovers(&out);
        for kept in [unmarked, wrong_marker, other] {
            assert!(tmp.path().join(kept).is_dir(), "{kept} was removed");
        }
        for gone in [dead, dead_old] {
            assert!(!tmp.path().join(gone).exists(), "{gone} was kept");
        }
        assert_eq!(
            leftover_pid(".public.steppe-old-12", ".public.steppe-"),
            Some(12)
        );
        assert_eq!(
            leftover_pid(".public.steppe-old-0", ".public.steppe-"),
            None
        );
        assert_eq!(
            leftover_pid(".public.steppe-old-1a", ".public.steppe-"),
            None
        );
        assert_eq!(
            leftover_pid(".public.steppe-tmp-1", ".public.steppe-"),
            None
        );
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(999_999_991));
    }
}
