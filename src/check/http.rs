//! `check --external`: the site's external URLs → one result per URL, and a problem at every
//! place a failing URL is used.
//!
//! At most `WORKERS` requests run at once and each host gets one request at a time with a pause
//! between them: URLs are grouped by host and a worker takes a whole host. A URL is asked with
//! HEAD and, when that fails (many servers answer HEAD with 405 or 403), with GET; redirects are
//! followed. Successes are cached for a day in `.steppe-cache/links.json` under the site root
//! (a hidden folder: the content walk and `watch` ignore it); failures are asked again next run.

use super::links::{Place, Urls};
use super::{Problem, Severity};
use crate::config::url_host;
use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Requests in flight at once.
const WORKERS: usize = 4;
/// Pause between two requests to the same host.
const POLITENESS: Duration = Duration::from_millis(200);
/// How long a success is trusted.
const CACHE_SECONDS: u64 = 86_400;
pub const CACHE_FILE: &str = ".steppe-cache/links.json";

/// What became of one URL. Part of the stable JSON schema (`links` array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkResult {
    pub url: String,
    /// `ok`, `broken` (the server says 4xx) or `unreachable` (5xx, timeout, no connection).
    pub result: &'static str,
    /// The last HTTP status, when a response came.
    pub status: Option<u16>,
    /// Where redirects led, when they did.
    pub final_url: Option<String>,
    /// What went wrong without a status (timeout, connection refused).
    pub error: Option<String>,
    /// Taken from the cache instead of asked.
    pub cached: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// URL → when it last answered well (seconds since 1970) and with what.
    links: BTreeMap<String, Cached>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    checked: u64,
    status: u16,
    final_url: Option<String>,
}

/// Checks every URL (cached successes aside) and returns the results and problems.
pub(crate) fn check_all(
    root: &Path,
    urls: Urls,
    timeout: Duration,
) -> (Vec<LinkResult>, Vec<Problem>) {
    let now = now();
    let path = root.join(CACHE_FILE);
    let mut cache = read_cache(&path);
    cache
        .links
        .retain(|_, c| now.saturating_sub(c.checked) < CACHE_SECONDS);
    let (cached, ask): (Vec<&String>, Vec<&String>) =
        urls.keys().partition(|u| cache.links.contains_key(*u));
    let mut results: Vec<LinkResult> = cached
        .into_iter()
        .map(|u| {
            let c = &cache.links[u];
            LinkResult {
                url: u.clone(),
                result: "ok",
                status: Some(c.status),
                final_url: c.final_url.clone(),
                error: None,
                cached: true,
            }
        })
        .collect();
    results.extend(request_all(&ask, timeout));
    results.sort_by(|a, b| a.url.cmp(&b.url));
    for r in results.iter().filter(|r| r.result == "ok" && !r.cached) {
        let entry = Cached {
            checked: now,
            status: r.status.unwrap_or(200),
            final_url: r.final_url.clone(),
        };
        cache.links.insert(r.url.clone(), entry);
    }
    cache.version = 1;
    let mut problems = Vec::new();
    if let Err(e) = write_cache(&path, &cache) {
        problems.push(Problem::from_diagnostic(
            Severity::Warning,
            "link-cache",
            Diagnostic::new(format!("cannot write the link cache: {e}")).in_file(CACHE_FILE),
        ));
    }
    for r in results.iter().filter(|r| r.result != "ok") {
        problems.extend(urls[&r.url].iter().map(|place| link_problem(r, place)));
    }
    (results, problems)
}

fn link_problem(r: &LinkResult, place: &Place) -> Problem {
    let what = match (r.status, &r.error) {
        (Some(s), _) => format!("HTTP {s}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".into(),
    };
    let (severity, kind, message) = if r.result == "broken" {
        (
            Severity::Error,
            "broken-link",
            format!("broken link {} ({what})", r.url),
        )
    } else {
        let msg = format!("unreachable link {} ({what})", r.url);
        (Severity::Warning, "unreachable-link", msg)
    };
    let mut d = Diagnostic::new(message).in_file(&place.file);
    if let Some(line) = place.line {
        d = d.at(line, None);
    }
    Problem::from_diagnostic(severity, kind, d)
}

/// Asks every URL: hosts are handed out to at most `WORKERS` threads, each asking its host's
/// URLs one after another.
fn request_all(urls: &[&String], timeout: Duration) -> Vec<LinkResult> {
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in urls {
        let host = url_host(u).unwrap_or_default();
        by_host.entry(host).or_default().push((*u).clone());
    }
    let queue = Mutex::new(by_host.into_values().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    let agent = agent(timeout);
    let workers = WORKERS.min(urls.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(group) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    for (i, url) in group.iter().enumerate() {
                        if i > 0 {
                            std::thread::sleep(POLITENESS);
                        }
                        let r = ask(&agent, url);
                        if let Ok(mut all) = results.lock() {
                            all.push(r);
                        }
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .save_redirect_history(true)
        .max_redirects(10)
        .user_agent(concat!("steppe-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// HEAD, then GET when HEAD gets no good answer. A timeout is not tried again.
fn ask(agent: &ureq::Agent, url: &str) -> LinkResult {
    let head = agent.head(url).call();
    let answer = match head {
        Ok(r) if r.status().as_u16() < 400 => Ok(r),
        Err(e @ ureq::Error::Timeout(_)) => Err(e),
        _ => agent.get(url).call(),
    };
    let mut result = LinkResult {
        url: url.to_owned(),
        result: "unreachable",
        status: None,
        final_url: None,
        error: None,
        cached: false,
    };
    match answer {
        Ok(r) => {
            use ureq::ResponseExt;
            let status = r.status().as_u16();
            result.status = Some(status);
            result.result = match status {
                0..400 => "ok",
                400..500 => "broken",
                _ => "unreachable",
            };
            let redirected = r.get_redirect_history().is_some_and(|h| h.len() > 1);
            result.final_url = redirected.then(|| r.get_uri().to_string());
        }
        Err(e) => result.error = Some(e.to_string()),
    }
    result
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache, or an empty one when it is missing or unreadable (it is only an optimisation).
fn read_cache(path: &Path) -> Cache {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
        .filter(|c| c.version == 1)
        .unwrap_or_default()
}

fn write_cache(path: &Path, cache: &Cache) -> std::io::Result<()> {
    let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(".links.json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(cache)?)?;
    std::fs::rename(&tmp, path)
}
