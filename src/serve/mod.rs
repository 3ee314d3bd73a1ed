//! `dateline serve`: build in memory, serve over HTTP, rebuild on change,
//! reload open tabs.
//!
//! Nothing is written to disk: pages are rendered from the live
//! [`Session`] when requested, so the output folder is never touched (or
//! watched) and a broken save can never damage a built site.

mod http;
mod session;
mod watch;

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

pub use crate::content::is_editor_droppings;
pub use http::{inject, site_path, Signal, EVENTS_PATH};
pub use session::{Change, Rebuilt, Reply, Session};
pub use watch::{classify, DEBOUNCE};

use crate::error::{BuildError, Diagnostic};
use crate::site::SiteOptions;

/// The default port; when it is busy the next free one is used.
pub const DEFAULT_PORT: u16 = 4020;

/// What `dateline serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub source: PathBuf,
    pub bind: IpAddr,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    pub drafts: bool,
    /// Show embargoed and future-dated articles.
    pub future: bool,
    pub open: bool,
    /// The build cache; `SOURCE/.dateline-cache` when `None`.
    pub cache: Option<PathBuf>,
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), BuildError> {
    if !options.source.join(crate::config::CONFIG_FILE).is_file() {
        return Err(BuildError::Usage(
            Diagnostic::in_file(
                options.source.join("site.toml"),
                "no site.toml here: this is not a Dateline site",
            )
            .with_hint("run the command in the site folder or pass `--source DIR`"),
        ));
    }
    let listener = bind(options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| usage(&format!("could not read the bound address: {e}")))?;
    let url_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let base_url = format!(
        "http://{}/",
        SocketAddr::new(url_host.parse().unwrap_or(addr.ip()), addr.port())
    );

    // Watch before the first build, so a save made while it runs is not lost.
    let (watcher, changes) = watch::Watcher::start(&options.source).map_err(|e| {
        usage(&format!(
            "could not watch {}: {e}",
            options.source.display()
        ))
    })?;
    let start = Instant::now();
    let session = Session::load_with_cache(
        &options.source,
        SiteOptions {
            drafts: options.drafts,
            future: options.future,
            now: None,
        },
        &base_url,
        options.cache.as_deref(),
    );
    let base_path = session
        .config()
        .map_or_else(|| "/".to_string(), |c| c.base_path.clone());
    let site_url = format!("{}{}", base_url.trim_end_matches('/'), base_path);
    report_build(&session, start, None);
    if !addr.ip().is_loopback() {
        eprintln!("warning: listening on {}: anyone on the network can read this preview, drafts included", addr.ip());
    }

    let session = Arc::new(RwLock::new(session));
    let (signals, _) = broadcast::channel(16);
    {
        let session = session.clone();
        let signals = signals.clone();
        std::thread::spawn(move || rebuild_loop(session, watcher, changes, signals));
    }
    if options.open {
        open_browser(&site_url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| usage(&format!("could not start the server: {e}")))?;
    runtime.block_on(async move {
        // Ctrl-C is caught from before the "Serving at" line on, so a tool
        // that starts the server and stops it at once still gets a clean exit.
        let interrupted = interrupt_signal()?;
        say(&format!("Serving at {site_url} (press Ctrl-C to stop)"));
        listener.set_nonblocking(true).map_err(|e| usage(&e.to_string()))?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| usage(&e.to_string()))?;
        let hosts = (!addr.ip().is_unspecified()).then(|| {
            let mut hosts = http::loopback_hosts(addr.port());
            hosts.push(format!("{}", SocketAddr::new(addr.ip(), addr.port())));
            hosts
        });
        let app = http::router(http::AppState { session, signals, hosts });
        tokio::select! {
            result = axum::serve(listener, app) => result.map_err(|e| usage(&format!("server error: {e}"))),
            _ = interrupted => {
                say("Stopped.");
                Ok(())
            }
        }
    })
}

/// A future that completes on Ctrl-C (SIGINT or SIGTERM on Unix). The
/// handlers are installed when this is called, not when it is first polled.
#[cfg(unix)]
fn interrupt_signal() -> Result<impl std::future::Future<Output = ()>, BuildError> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int =
        signal(SignalKind::interrupt()).map_err(|e| usage(&format!("cannot catch Ctrl-C: {e}")))?;
    let mut term = signal(SignalKind::terminate())
        .map_err(|e| usage(&format!("cannot catch SIGTERM: {e}")))?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn interrupt_signal() -> Result<impl std::future::Future<Output = ()>, BuildError> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Applies each batch of changes and tells the open tabs.
fn rebuild_loop(
    session: Arc<RwLock<Session>>,
    mut watcher: watch::Watcher,
    changes: std::sync::mpsc::Receiver<Change>,
    signals: broadcast::Sender<Signal>,
) {
    let mut last_rebuild: Option<Instant> = None;
    while let Ok(mut change) = changes.recv() {
        // A templates/ or static/ folder created after start needs a watch of
        // its own; the rebuild below then reads whatever it already holds.
        let renew: &[&str] = match (change.rescan, change.theme) {
            (true, _) => watch::WATCHED,
            (false, true) => &watch::WATCHED[1..],
            _ => &[],
        };
        watcher.watch_new_folders(renew);
        // Changes that queued up during the last rebuild are applied together.
        while let Ok(more) = changes.try_recv() {
            change.merge(more);
        }
        // A change hard on the heels of a rebuild means a burst is under way
        // (a checkout, a script, a sync): gather it until the files go quiet
        // rather than rebuilding once per file the machine's load lets through.
        if last_rebuild.is_some_and(|t: Instant| t.elapsed() < BURST_WINDOW) {
            let until = Instant::now() + BURST_MAX;
            while let Ok(more) = changes.recv_timeout(BURST_QUIET) {
                change.merge(more);
                if Instant::now() >= until {
                    break;
                }
            }
        }
        let start = Instant::now();
        let rebuilt = match session.write() {
            Ok(mut s) => s.apply(&change),
            Err(_) => return,
        };
        if let Ok(s) = session.read() {
            report_build(&s, start, Some(&rebuilt));
        }
        let signal = if change.styles_only() {
            Signal::Styles
        } else {
            Signal::Reload
        };
        let _ = signals.send(signal);
        last_rebuild = Some(Instant::now());
    }
}

/// A change this soon after a rebuild ended is taken as part of a burst.
const BURST_WINDOW: Duration = Duration::from_millis(150);
/// Within a burst, how long the files must be quiet before the rebuild.
const BURST_QUIET: Duration = Duration::from_millis(60);
/// A burst that never goes quiet is still rebuilt this often.
const BURST_MAX: Duration = Duration::from_millis(1500);

fn report_build(session: &Session, start: Instant, rebuilt: Option<&Rebuilt>) {
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let errors = session.errors();
    for d in &errors {
        eprintln!("error: {d}");
    }
    match (errors.is_empty(), rebuilt) {
        (true, None) => say(&format!(
            "Built {} pages in memory in {ms:.0} ms",
            session.page_count()
        )),
        (true, Some(r)) => say(&format!(
            "Rebuilt in {ms:.1} ms ({} file{} re-read, {}, {} page{} rendered)",
            r.reparsed,
            if r.reparsed == 1 { "" } else { "s" },
            if r.reassembled {
                "lists re-assembled"
            } else {
                "lists unchanged"
            },
            r.rendered,
            if r.rendered == 1 { "" } else { "s" },
        )),
        (false, _) => eprintln!(
            "error: {} error{}; serving the last good version until they are fixed",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ),
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn usage(message: &str) -> BuildError {
    BuildError::Usage(Diagnostic::new(message))
}

/// Binds the requested port, or the default and the next free ones.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, BuildError> {
    if let Some(port) = port {
        return TcpListener::bind((ip, port)).map_err(|e| {
            BuildError::Usage(
                Diagnostic::new(format!("cannot listen on {ip}:{port}: {e}")).with_hint(
                    "pick another port with --port, or leave it out to take the next free one",
                ),
            )
        });
    }
    for candidate in DEFAULT_PORT..DEFAULT_PORT + 20 {
        match TcpListener::bind((ip, candidate)) {
            Ok(l) => {
                if candidate != DEFAULT_PORT {
                    eprintln!("note: port {DEFAULT_PORT} is busy; using {candidate}");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(usage(&format!("cannot listen on {ip}:{candidate}: {e}"))),
        }
    }
    Err(usage(&format!(
        "ports {DEFAULT_PORT} to {} are all busy; pass --port",
        DEFAULT_PORT + 19
    )))
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("note: could not open a browser; visit {url}");
    }
}
