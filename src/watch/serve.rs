//! The preview server of `watch`: serves the output folder, injects a small live-reload script
//! into HTML responses (never into `build` output), and streams reload and error events.
//!
//! Files are looked up by hand rather than with a file-serving middleware so that every path is
//! canonicalised and checked against the output folder: `..`, `%2e%2e` and symlinks that lead
//! outside are refused. Hidden files and folders (the `.steppe-output` marker, an editor's
//! `.x.steppe-tmp`) are not served, and a redirect never starts with `//`, which a browser
//! would read as another host.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

pub const EVENTS_PATH: &str = "/__steppe/events";

/// What the browser is told after each rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The last build succeeded; the payload lists changed output paths.
    Ok(Vec<String>),
    /// The last build failed; the payload is the located errors as text.
    Failed(String),
}

/// The handle the watch loop uses to tell browsers about rebuilds.
#[derive(Clone)]
pub struct Reloader {
    tx: broadcast::Sender<Status>,
    last: Arc<Mutex<Status>>,
}

impl Reloader {
    pub fn new() -> Reloader {
        let (tx, _) = broadcast::channel(64);
        Reloader {
            tx,
            last: Arc::new(Mutex::new(Status::Ok(Vec::new()))),
        }
    }

    pub fn send(&self, status: Status) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = status.clone();
        // No open tab is not an error.
        let _ = self.tx.send(status);
    }

    fn current(&self) -> Status {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Default for Reloader {
    fn default() -> Self {
        Reloader::new()
    }
}

#[derive(Clone)]
struct AppState {
    out: PathBuf,
    reloader: Reloader,
}

/// Binds the address now (so a taken port is reported before anything else happens) and
/// returns the bound address and the server future.
pub async fn bind(
    addr: SocketAddr,
    out: PathBuf,
    reloader: Reloader,
) -> std::io::Result<(
    SocketAddr,
    impl std::future::Future<Output = std::io::Result<()>>,
)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let state = AppState { out, reloader };
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(serve_file))
        .with_state(state);
    Ok((bound, async move { axum::serve(listener, app).await }))
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the current status so no rebuild falls between the two.
    let rx = state.reloader.tx.subscribe();
    let first = tokio_stream::once(state.reloader.current());
    let updates = BroadcastStream::new(rx).filter_map(Result::ok);
    let stream = first.chain(updates).map(|status| Ok(to_event(&status)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_event(status: &Status) -> Event {
    match status {
        Status::Ok(paths) => Event::default().event("reload").data(if paths.is_empty() {
            "-".to_owned()
        } else {
            paths.join("\n")
        }),
        Status::Failed(text) => Event::default().event("build-error").data(text.clone()),
    }
}

async fn serve_file(State(state): State<AppState>, uri: Uri) -> Response {
    match resolve(&state.out, uri.path()) {
        Resolved::File(path) => file_response(&path, StatusCode::OK, &state.reloader).await,
        Resolved::AddSlash => {
            let mut location = slash_location(uri.path());
            if let Some(q) = uri.query() {
                location.push_str(&format!("?{q}"));
            }
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Resolved::Refused => (StatusCode::FORBIDDEN, "outside the output folder\n").into_response(),
        Resolved::NotFound => {
            let page = state.out.join("404.html");
            if page.is_file() {
                file_response(&page, StatusCode::NOT_FOUND, &state.reloader).await
            } else {
                (StatusCode::NOT_FOUND, "not found\n").into_response()
            }
        }
    }
}

/// The folder's URL with one slash between segments and one at the end: `//en/faq` must not
/// become `//en/faq/`, a protocol-relative URL that leaves the site.
fn slash_location(path: &str) -> String {
    let mut location = String::with_capacity(path.len() + 1);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        location.push('/');
        location.push_str(segment);
    }
    location.push('/');
    location
}

#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash: relative links need the slash.
    AddSlash,
    Refused,
    NotFound,
}

/// Maps a request path to a file inside `out`, refusing anything that would leave it.
fn resolve(out: &Path, request: &str) -> Resolved {
    let decoded = crate::urls::percent_decode(request);
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(['\\', '\0']))
    {
        return Resolved::Refused;
    }
    // The marker and any other dot-file or dot-folder are not part of the site.
    if segments.iter().any(|s| s.starts_with('.')) {
        return Resolved::NotFound;
    }
    let Ok(base) = out.canonicalize() else {
        return Resolved::NotFound;
    };
    let candidate = segments.iter().fold(base.clone(), |p, s| p.join(s));
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    // Symlinks inside the output could point anywhere.
    if !real.starts_with(&base) {
        return Resolved::Refused;
    }
    if real.is_dir() {
        if !request.ends_with('/') {
            return Resolved::AddSlash;
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

async fn file_response(path: &Path, status: StatusCode, reloader: &Reloader) -> Response {
    let Ok(bytes) = tokio::fs::read(path).await else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = if ext == "html" {
        inject(bytes, &reloader.current())
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&ext)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Content types of the files a site has; anything else is served as bytes.
fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The live-reload client: reloads on a successful rebuild (keeping the scroll position) and
/// shows the build errors over the page while the last build is broken.
const CLIENT: &str = include_str!("reload.js");

fn inject(html: Vec<u8>, status: &Status) -> Vec<u8> {
    let initial = match status {
        Status::Failed(text) => text.as_str(),
        Status::Ok(_) => "",
    };
    // JSON-ish string literal: the error text is shown with textContent, never as HTML.
    let script = format!(
        "<script data-steppe-reload>window.__steppeError={};{CLIENT}</script>",
        js_string(initial)
    );
    let mut text = String::from_utf8_lossy(&html).into_owned();
    match text.rfind("</body>") {
        Some(i) => text.insert_str(i, &script),
        None => text.push_str(&script),
    }
    text.into_bytes()
}

/// `s` as a string literal that is safe inside an inline `<script>`: the index files' literal
/// with `<` escaped too, so no `</script>` can end the element early. A literal's escapes
/// never write a `<`, so every `<` of the literal is one of the text's.
fn js_string(s: &str) -> String {
    let mut out = String::new();
    crate::search::encode::push_str_lit(&mut out, s);
    out.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("en")).unwrap();
        std::fs::write(out.join("en/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        assert_eq!(
            resolve(&out, "/en/"),
            Resolved::File(out.canonicalize().unwrap().join("en/index.html"))
        );
        assert_eq!(resolve(&out, "/en"), Resolved::AddSlash);
        assert_eq!(resolve(&out, "/../secret.txt"), Resolved::Refused);
        assert_eq!(resolve(&out, "/%2e%2e/secret.txt"), Resolved::Refused);
        assert_eq!(resolve(&out, "/%2E%2E/secret.txt"), Resolved::Refused);
        assert_eq!(resolve(&out, "/nope.html"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&out, "/link.txt"), Resolved::Refused);
        }
    }

    #[test]
    fn hidden_files_are_not_served_and_redirects_stay_on_the_host() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("en/.git")).unwrap();
        std::fs::write(out.join(".steppe-output"), "m").unwrap();
        std::fs::write(out.join("en/.git/config"), "c").unwrap();
        for hidden in [
            "/.steppe-output",
            "/%2esteppe-output",
            "/en/.git/config",
            "/en/.git/",
        ] {
            assert_eq!(resolve(&out, hidden), Resolved::NotFound, "{hidden}");
        }
        assert_eq!(resolve(&out, "//en"), Resolved::AddSlash);
        assert_eq!(slash_location("//en"), "/en/");
        assert_eq!(slash_location("///en//faq"), "/en/faq/");
        assert_eq!(slash_location("/%2F%2Fevil.com"), "/%2F%2Fevil.com/");
    }

    #[test]
    fn script_is_injected_before_body_end_and_escapes_errors() {
        let html = inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            &Status::Failed("a.md:1: </script><b>".into()),
        );
        let text = String::from_utf8(html).unwrap();
        assert!(
            text.contains("window.__steppeError=\"a.md:1: \\u003c/script>\\u003cb>\";"),
            "{text}"
        );
        assert!(text.ends_with("</script></body></html>"));
    }
}
