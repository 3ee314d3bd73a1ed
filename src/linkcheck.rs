//! External link checking for `dateline check --external`: every distinct
//! URL is requested once, a few at a time, each with a timeout, so a site
//! with thousands of links finishes in bounded time and no server is
//! hammered.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::error::Diagnostic;

/// Requests in flight at once.
pub const CONCURRENCY: usize = 8;
/// Longest wait for one URL, redirects included.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Where a link was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub url: String,
    pub path: PathBuf,
    pub line: usize,
    pub column: Option<usize>,
}

/// A warning for every place that links to a URL that does not answer
/// with success.
pub fn check_links(places: &[Place]) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<&str, Vec<&Place>> = BTreeMap::new();
    for p in places {
        by_url.entry(p.url.as_str()).or_default().push(p);
    }
    let urls: Vec<&str> = by_url.keys().copied().collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent("dateline-link-check")
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let broken: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENCY.min(urls.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(i) else { break };
                if let Err(why) = probe(&agent, url) {
                    if let Ok(mut b) = broken.lock() {
                        b.push((i, why));
                    }
                }
            });
        }
    });
    let mut broken = broken.into_inner().unwrap_or_default();
    broken.sort();
    broken
        .into_iter()
        .flat_map(|(i, why)| {
            by_url[urls[i]].iter().map(move |p| {
                let d = Diagnostic::at(
                    &p.path,
                    p.line,
                    p.column,
                    format!("external link `{}` is broken: {why}", p.url),
                );
                d.warning()
            })
        })
        .collect()
}

/// HEAD first (cheap); some servers refuse it, so GET before giving up.
fn probe(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = match agent.head(url).call() {
        Ok(r) if r.status().as_u16() < 400 => return Ok(()),
        Ok(r) => r.status().as_u16(),
        Err(e) => return Err(e.to_string()),
    };
    if matches!(status, 403 | 405 | 501) {
        match agent.get(url).call() {
            Ok(r) if r.status().as_u16() < 400 => return Ok(()),
            Ok(r) => return Err(format!("HTTP {}", r.status())),
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("HTTP {status}"))
}
