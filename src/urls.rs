//! Output paths and the relative links between them.
//!
//! Pages live at pretty URLs (`en/steps/online/`) written as `…/index.html`. Every link between
//! output files is relative and names the file, so the same tree works from any host path and
//! from disk (file://), where a folder link would open a directory listing.

/// The file a pretty URL is written to: `en/faq/` → `en/faq/index.html`.
pub fn file_of(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_owned()
    }
}

/// The folder an output file is in (`en/faq/index.html` → `en/faq/`).
pub fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `../` once per folder level of `dir`, i.e. the way from a file in `dir` back to the root.
pub fn root_prefix(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// A relative link from a file in folder `from_dir` to output `target` (a file path or a pretty
/// URL, which is linked as its `index.html`).
///
/// Called for every link of every page (navigation, breadcrumbs, alternates, body links), so
/// it walks the two paths in place and allocates only its result.
pub fn relative(from_dir: &str, target: &str) -> String {
    // The target's folders (`None`: it has none) and its file name.
    let (dir, name) = match target.rfind('/') {
        _ if target.is_empty() => (None, "index.html"),
        Some(i) if i + 1 == target.len() => (Some(&target[..i]), "index.html"),
        Some(i) => (Some(&target[..i]), &target[i + 1..]),
        None => (None, target),
    };
    // Walk the folders both paths share; `shared` is how many bytes of `dir` they cover.
    // Byte by byte: segments are a few bytes long, where `split`'s searcher cost more than the
    // walk (~2 % of a build's instructions went to this function).
    let from = from_dir.as_bytes();
    let mut to = dir.map(str::as_bytes);
    let (mut at, mut shared, mut ups) = (0, 0, 0);
    loop {
        // `from_dir`'s next folder; empty ones (a doubled or trailing `/`) do not count.
        while from.get(at) == Some(&b'/') {
            at += 1;
        }
        if at == from.len() {
            break;
        }
        let end = segment_end(from, at);
        // `dir`'s next folder, empty ones included.
        let next = to.map(|rest| {
            let e = segment_end(rest, 0);
            to = rest.get(e + 1..);
            &rest[..e]
        });
        if next != Some(&from[at..end]) {
            ups = 1 + from[end..]
                .split(|&b| b == b'/')
                .filter(|s| !s.is_empty())
                .count();
            break;
        }
        shared += end - at + 1;
        at = end;
    }
    // The folders of `dir` after the shared ones (none when it had none or all were shared).
    let down = dir.and_then(|d| d.get(shared..));
    let down_len = down.map_or(0, |d| d.len() + 1);
    // One allocation of the exact size: this runs a few hundred thousand times per 10k build.
    let mut out = String::with_capacity(3 * ups + down_len + name.len());
    for _ in 0..ups {
        out.push_str("../");
    }
    if let Some(down) = down {
        out.push_str(down);
        out.push('/');
    }
    out.push_str(name);
    out
}

/// Where the path segment starting at `start` ends: its next `/`, or the end.
fn segment_end(path: &[u8], start: usize) -> usize {
    path[start..]
        .iter()
        .position(|&b| b == b'/')
        .map_or(path.len(), |i| start + i)
}

/// Joins a `/`-separated relative path onto a folder, resolving `.` and `..`. `None` when the
/// path climbs above the root.
pub fn join_normalized(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Percent-decodes a link path (`%20` → space) so it can be matched against file names. A `%`
/// not followed by two hex digits stays as it is; bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The NFC form of a file name or link path. macOS writes names decomposed (NFD) while editors
/// type links composed (NFC); content names and link paths are both compared in NFC.
pub fn nfc(s: &str) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    // Nearly every name is already composed; the quick check answers without building a copy
    // character by character.
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_owned();
    }
    s.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_name_the_file() {
        assert_eq!(
            relative("zh/steps/offline/", "zh/steps/online/"),
            "../online/index.html"
        );
        assert_eq!(relative("zh/steps/online/", "zh/"), "../../index.html");
        assert_eq!(relative("zh/", "en/"), "../en/index.html");
        assert_eq!(relative("", "zh/faq/"), "zh/faq/index.html");
        assert_eq!(
            relative("en/faq/", "static/style.css"),
            "../../static/style.css"
        );
        assert_eq!(relative("en/faq/", "en/faq/"), "index.html");
    }

    /// The rule `relative` implements, written the direct way: both paths as segment lists,
    /// the common folders dropped, `../` for each folder left to climb.
    fn relative_by_segments(from_dir: &str, target: &str) -> String {
        let target = file_of(target);
        let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
        let to: Vec<&str> = target.split('/').collect();
        let common = from
            .iter()
            .zip(&to)
            .take_while(|(a, b)| a == b)
            .count()
            .min(to.len() - 1);
        let mut out = "../".repeat(from.len() - common);
        out.push_str(&to[common..].join("/"));
        out
    }

    #[test]
    fn relative_agrees_with_the_segment_rule() {
        let paths = [
            "",
            "en/",
            "en",
            "en/faq/",
            "en/faq",
            "en/faq/index.html",
            "en/faq/x/",
            "zh/faq/",
            "static/style.css",
            "/x",
            "a//b/",
            "en/en/",
            "faq/",
            "en/faq/faq/",
            "sw.js",
            "/",
            "//",
            "en//faq/",
            "en/fa/",
            "en/faqs/",
            "e/faq/",
            "en/faq/x/y/index.html",
        ];
        for from in paths {
            let from_dir = dir_of(from);
            for target in paths {
                assert_eq!(
                    relative(from_dir, target),
                    relative_by_segments(from_dir, target),
                    "from {from_dir:?} to {target:?}"
                );
            }
        }
    }

    #[test]
    fn nfc_composes_only_what_needs_it() {
        assert_eq!(nfc("operators/kcell.md"), "operators/kcell.md");
        assert_eq!(nfc("қазақ"), "қазақ");
        // `й` typed as `и` + combining breve, as macOS writes names.
        assert_eq!(nfc("и\u{306}"), "й");
        assert_eq!(nfc("e\u{301}"), "é");
    }

    #[test]
    fn root_prefix_climbs_each_level() {
        assert_eq!(root_prefix(""), "");
        assert_eq!(root_prefix("en/"), "../");
        assert_eq!(root_prefix("en/steps/online/"), "../../../");
    }

    #[test]
    fn join_resolves_dots() {
        assert_eq!(
            join_normalized("steps/", "../faq.md").as_deref(),
            Some("faq.md")
        );
        assert_eq!(
            join_normalized("", "steps/./online.md").as_deref(),
            Some("steps/online.md")
        );
        assert_eq!(join_normalized("", "../x.md"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("my%20photo.png"), "my photo.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%D0%B0.md"), "а.md");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
