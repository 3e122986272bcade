//! Test helpers: a fixture site copied into a temp dir (the built-in theme serves it unless the
//! fixture has a `themes/` folder), the real `steppe` binary, and parsed HTML.
#![allow(dead_code)]

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// Copies `tests/fixtures/<name>`; the binary's built-in theme renders it.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        TestSite { dir }
    }

    /// The real guide: site.yaml, content/, data/ and the site's UI strings (i18n/) of the
    /// repository, on the built-in theme.
    pub fn real() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        copy_dir(&repo().join("content"), &dir.path().join("content"));
        copy_dir(&repo().join("data"), &dir.path().join("data"));
        copy_dir(&repo().join("i18n"), &dir.path().join("i18n"));
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `steppe <args>` in the site's folder.
    pub fn steppe(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_steppe"))
            .args(args)
            .current_dir(self.root())
            .output()
            .unwrap()
    }

    /// `steppe build` into `public/`, asserting success.
    pub fn build(&self) -> Output {
        let out = self.steppe(&["build"]);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// A file of the built-in theme (the repository's `themes/default/`), to edit into a site's
/// override.
pub fn built_in(rel: &str) -> String {
    let path = repo().join("themes/default").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// Texts of every element matching `css`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// One attribute of every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// Every file under `dir` with its bytes, sorted by path. A file removed between the walk and
/// the read (a watcher still writing) is left out; callers that race a writer compare again.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            Some((
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).ok()?,
            ))
        })
        .collect();
    files.sort();
    files
}

/// Resolves a relative link found in output file `from` (relative to `out`): the file it
/// names, without query or fragment. `None` for external and fragment-only links.
pub fn resolve_link(out: &Path, from: &str, href: &str) -> Option<PathBuf> {
    if href.is_empty()
        || href.starts_with('#')
        || href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("tel:")
        || href.starts_with("data:")
    {
        return None;
    }
    let path = href.split(['#', '?']).next().unwrap();
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = base
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s.to_owned()),
        }
    }
    Some(out.join(parts.join("/")))
}

/// Every `href`/`src` in every HTML file of `out` that does not resolve to a file.
pub fn broken_links(out: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in tree(out) {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for (css, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("img[src]", "src"),
            ("script[src]", "src"),
        ] {
            for href in attrs(&doc, css, attr) {
                if let Some(target) = resolve_link(out, &path, &href)
                    && !target.is_file()
                {
                    broken.push(format!("{path}: {href}"));
                }
            }
        }
    }
    broken
}

/// One section of a built site's search index, as its document chunk records it.
pub struct SearchDoc {
    /// The page's URL, relative to the output (`en/guide/topup/`).
    pub url: String,
    pub heading: String,
    /// The anchor when the chunk writes one (it leaves out an anchor that is the heading's slug).
    pub anchor: Option<String>,
}

/// Every section in the document chunks (`search/<lang>/d.*.js`) of the output `out`, and the
/// raw text of each chunk, in file-name order.
pub fn search_docs(out: &Path, lang: &str) -> (Vec<SearchDoc>, Vec<String>) {
    let dir = out.join("search").join(lang);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("d."))
        .collect();
    files.sort();
    let (mut docs, mut texts) = (Vec::new(), Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // `__steppeSearch("<lang>/<name>", {"p": [[url, title]…], "d": [[page, heading,
        // parents, text, anchor?]…]})` (src/search/README.md).
        let start = text.find(",{").expect("payload") + 1;
        let end = text.rfind(')').expect("call end");
        let chunk: serde_json::Value = serde_json::from_str(&text[start..end]).expect("JSON");
        let pages = chunk["p"].as_array().unwrap();
        for doc in chunk["d"].as_array().unwrap() {
            let page = &pages[doc[0].as_u64().unwrap() as usize];
            docs.push(SearchDoc {
                url: page[0].as_str().unwrap().to_owned(),
                heading: doc[1].as_str().unwrap().to_owned(),
                anchor: doc.get(4).and_then(|a| a.as_str()).map(str::to_owned),
            });
        }
        texts.push(text);
    }
    (docs, texts)
}
