//! Test harness: copy a fixture site into a temporary folder, build it
//! (through the library or the real binary) and read the pages back.

#![allow(dead_code)]

pub mod server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};
use tempfile::TempDir;

/// The instant fixture builds run as of.
pub const FIXED_NOW: &str = "2026-04-01T12:00:00Z";

pub fn instant(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339")
}

pub struct SiteTest {
    _dir: TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    /// A private copy of `tests/fixtures/<name>`.
    pub fn new(fixture: &str) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk fixture");
            let to = root.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        SiteTest { _dir: dir, root }
    }

    /// A new site made of the given files (`site.toml` and articles).
    pub fn from_files(files: &[(&str, &str)]) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let site = SiteTest { _dir: dir, root };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// The text of an output file (`atom.xml`, `news/us/x/index.html`).
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Build options for this site, as of a fixed instant (after every
    /// article of the fixture), so results never depend on the clock.
    pub fn options(&self) -> dateline::BuildOptions {
        dateline::BuildOptions {
            source: self.root.clone(),
            output: None,
            drafts: false,
            force: false,
            future: false,
            now: Some(instant(FIXED_NOW)),
            cache: None,
        }
    }

    /// Builds through the library into `public/`.
    pub fn build(&self) -> Result<dateline::BuildReport, dateline::BuildError> {
        dateline::build(&self.options())
    }

    pub fn build_ok(&self) -> dateline::BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed: {:#?}", e.diagnostics()),
        }
    }

    /// Builds, expecting a failure whose first error names `file`; returns
    /// that error.
    pub fn build_error(&self, file: &str) -> dateline::Diagnostic {
        let err = match self.build() {
            Ok(_) => panic!("the build should fail on {file}"),
            Err(e) => e,
        };
        let d = err.diagnostics()[0].clone();
        assert_eq!(d.path.as_deref(), Some(Path::new(file)), "{d}");
        d
    }

    /// Runs the real binary in the site folder with a clean environment.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// [`run`](Self::run) with some environment variables set.
    pub fn run_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dateline"))
            .args(args)
            .current_dir(&self.root)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(vars.iter().copied())
            .output()
            .expect("run dateline")
    }

    /// Parses the page at a site URL path such as `news/us/` or `404.html`.
    pub fn page(&self, url_path: &str) -> Html {
        let file = if url_path.is_empty() || url_path.ends_with('/') {
            self.public().join(url_path).join("index.html")
        } else {
            self.public().join(url_path)
        };
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        Html::parse_document(&text)
    }

    /// The raw text of the page at a site URL path.
    pub fn read_page_text(&self, url_path: &str) -> String {
        std::fs::read_to_string(self.public().join(url_path).join("index.html")).unwrap()
    }

    pub fn exists(&self, url_path: &str) -> bool {
        self.public().join(url_path).join("index.html").is_file()
    }

    /// Every file of the output and its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.public())
    }
}

pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Trimmed text of every element matching `selector`.
/// The page of a built site (`public`) at a URL path: `a/` is
/// `a/index.html`, `a.html` itself. Panics when it was not written.
pub fn page_at(public: &Path, url_path: &str) -> Html {
    let file = match url_path.is_empty() || url_path.ends_with('/') {
        true => format!("{url_path}index.html"),
        false => url_path.to_string(),
    };
    let text = std::fs::read_to_string(public.join(&file))
        .unwrap_or_else(|e| panic!("/{url_path}: {file} was not written: {e}"));
    Html::parse_document(&text)
}

/// Whether a built site has a page at a URL path (as [`page_at`]).
pub fn has_page(public: &Path, url_path: &str) -> bool {
    match url_path.is_empty() || url_path.ends_with('/') {
        true => public.join(url_path).join("index.html").is_file(),
        false => public.join(url_path).is_file(),
    }
}

pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// An attribute of every element matching `selector`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Headlines of the cards on a list page, in page order.
pub fn card_headlines(html: &Html) -> Vec<String> {
    texts(html, "article.card .card__headline")
}

/// Decodes `%XX` escapes, to read query parameters back.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

/// The value of query parameter `name` in `href`, decoded.
pub fn query_param(href: &str, name: &str) -> Option<String> {
    let query = href.split_once('?')?.1;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(percent_decode))
}
