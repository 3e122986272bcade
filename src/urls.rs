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
pub fn relative(from_dir: &str, target: &str) -> String {
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

/// Percent-decodes a link path (`%20` → space) so it can be matched against file names.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The NFC form of a file name or link path. macOS writes names decomposed (NFD) while editors
/// type links composed (NFC); content names and link paths are both compared in NFC.
pub fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
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
    }
}
