//! The preview's HTTP side: pages from the live session, a Server-Sent
//! Events stream that tells open tabs to reload, and the error overlay.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::Stream;
use tokio::sync::broadcast;

use super::session::Session;
use crate::error::Diagnostic;
use crate::render::escape_html;

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__dateline/events";

/// What a rebuild tells open tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Styles,
}

/// Shared between the HTTP handlers and the watcher.
#[derive(Clone)]
pub struct AppState {
    pub session: Arc<RwLock<Session>>,
    pub signals: broadcast::Sender<Signal>,
    /// `Host` values this server answers to (`127.0.0.1:4020`,
    /// `localhost:4020`...); `None` when bound to all interfaces.
    pub hosts: Option<Vec<String>>,
}

impl AppState {
    /// A page on a loopback preview must not be readable by a web page from
    /// elsewhere: a DNS-rebinding attack reaches us with a foreign `Host`,
    /// a cross-origin script with a foreign `Origin`.
    fn allowed(&self, headers: &HeaderMap) -> bool {
        let Some(hosts) = &self.hosts else {
            return true;
        };
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return false;
        }
        match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            None => true,
            Some(origin) => hosts
                .iter()
                .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}"))),
        }
    }
}

/// Every `Host` a loopback server on `port` may be reached by.
pub fn loopback_hosts(port: u16) -> Vec<String> {
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .map(|h| format!("{h}:{port}"))
        .collect()
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(page))
        .with_state(state)
}

async fn page(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    if !state.allowed(&headers) {
        return forbidden();
    }
    let (reply, errors) = match state.session.read() {
        Ok(session) => {
            // The base path (`/` or `/ledger/`) comes from the site.toml
            // of the moment, which may have changed since the start.
            let base = session.config().map_or("/", |c| c.base_path.as_str());
            let Some(rel) = site_path(uri.path(), base) else {
                drop(session);
                return not_found(&state);
            };
            (session.respond(&rel), session.errors())
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let body = if reply.is_html() {
        inject(&reply.body, &errors)
    } else {
        reply.body.to_vec()
    };
    respond(reply.status, &reply.content_type, body)
}

fn not_found(state: &AppState) -> Response {
    match state.session.read() {
        Ok(session) => {
            let reply = session.respond("404.html");
            let body = inject(&reply.body, &session.errors());
            respond(404, &reply.content_type, body)
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn respond(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.allowed(&headers) {
        return forbidden();
    }
    event_stream(&state).into_response()
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        "This preview answers only to its own address.\n",
    )
        .into_response()
}

fn event_stream(state: &AppState) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.signals.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut rx| async move {
        let name = match rx.recv().await {
            Ok(Signal::Styles) => "css",
            // Signals missed while busy: one reload covers them all.
            Ok(Signal::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => "reload",
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(Event::default().event(name).data(name)), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Decodes a request path into a site-relative path, or `None` when it
/// cannot name a page: encoded `..`, backslashes and NUL are refused
/// outright, before any lookup.
pub fn site_path(raw: &str, base_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    let rel = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.as_ref() == base_path.trim_end_matches('/')).then_some(""))?;
    if rel.starts_with('/') {
        return None;
    }
    Some(rel.to_string())
}

/// The live-reload client: reload on `reload`, swap stylesheets on `css`.
const RELOAD_SCRIPT: &str = concat!(
    "<script>(function(){var es=new EventSource(\"/__dateline/events\");",
    "es.addEventListener(\"reload\",function(){location.reload();});",
    "es.addEventListener(\"css\",function(){document.querySelectorAll('link[rel=\"stylesheet\"]').forEach(function(l){",
    "var u=new URL(l.href);u.searchParams.set(\"v\",Date.now());l.href=u.toString();});});})();</script>"
);

/// Adds the reload script, and the error overlay when the last save failed,
/// just before `</body>`.
pub fn inject(page: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    extra.push_str(RELOAD_SCRIPT);
    let text = String::from_utf8_lossy(page);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn overlay(errors: &[Diagnostic]) -> String {
    let list: String = errors
        .iter()
        .map(|d| {
            format!(
                "<li><pre style=\"white-space:pre-wrap;margin:.25rem 0\">{}</pre></li>",
                escape_html(&d.to_string())
            )
        })
        .collect();
    format!(
        "<div id=\"dateline-error\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;\
         z-index:2147483647;background:#2b0b0b;color:#fff;font:14px/1.45 ui-monospace,monospace;padding:1rem 1.25rem;\
         border-top:4px solid #e5484d\"><strong>Dateline: {} error{} in the sources; showing the last good version.</strong>\
         <ul style=\"list-style:none;padding:0;margin:.5rem 0 0\">{list}</ul></div>",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_traversal_refused() {
        assert_eq!(site_path("/news/us/", "/").as_deref(), Some("news/us/"));
        assert_eq!(site_path("/caf%C3%A9/", "/").as_deref(), Some("café/"));
        assert_eq!(
            site_path("/ledger/news/", "/ledger/").as_deref(),
            Some("news/")
        );
        assert_eq!(site_path("/ledger", "/ledger/").as_deref(), Some(""));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/site.toml",
            "/..%2fsite.toml",
            "/a/%2E%2E/%2E%2E/x",
            "/a%5c..%5cx",
            "//etc/passwd",
            "/%00",
        ] {
            assert_eq!(site_path(bad, "/"), None, "{bad}");
        }
    }

    #[test]
    fn overlay_escapes_the_error_text() {
        let d = Diagnostic::at("content/a.md", 2, None, "bad <script>alert(1)</script>");
        let page = inject(b"<html><body><p>old</p></body></html>", &[d]);
        let text = String::from_utf8(page).unwrap();
        assert!(text.contains("<p>old</p>"));
        assert!(text.contains("content/a.md:2: bad &lt;script&gt;"));
        assert!(!text.contains("<script>alert"));
        assert!(text.ends_with("</script></body></html>"));
    }
}
