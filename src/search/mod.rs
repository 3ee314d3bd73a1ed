//! Site search: a Pagefind index of every published article, built from
//! the model's text (never by re-reading written pages), and the browser
//! side Pagefind ships, served from the site itself.
//!
//! The index splits itself into chunks the browser fetches as a query
//! needs them, so its first download stays small on a large archive.

mod text;

use std::collections::BTreeMap;

pub use text::plain_text;

/// Where the index and Pagefind's scripts go in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// One article as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Its URL, as pages link it (`/news/us/ferry-fare-increase/`).
    pub url: String,
    /// Headline, dek, highlights, body and byline, as plain text.
    pub content: String,
    /// Shown with a result: title, dek, date, section, image.
    pub meta: BTreeMap<String, String>,
    /// Section, tag, author and year.
    pub filters: BTreeMap<String, Vec<String>>,
    /// `date`: seconds since 1970, for newest-first results.
    pub sort: BTreeMap<String, String>,
}

/// The files of the index of `records` in `language` (an ISO 639-1
/// code), as paths under [`BUNDLE_DIR`] and their bytes, sorted by path.
pub fn index(records: Vec<Record>, language: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let language = language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    // Pagefind's interface is async; a thread of its own runs it, so a
    // build and `serve` (already inside a runtime) call it the same way.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start the indexer: {e}"))?;
        runtime.block_on(build(records, language))
    })
    .join()
    .map_err(|_| "the search indexer stopped unexpectedly".to_string())?
}

async fn build(records: Vec<Record>, language: String) -> Result<Vec<(String, Vec<u8>)>, String> {
    let options = pagefind::options::PagefindServiceConfig::builder()
        .force_language(language.clone())
        .build();
    let mut index = pagefind::api::PagefindIndex::new(Some(options))
        .map_err(|e| format!("the search index could not be set up: {e}"))?;
    for r in records {
        let url = r.url.clone();
        index
            .add_custom_record(
                r.url,
                r.content,
                language.clone(),
                Some(r.meta),
                Some(r.filters),
                Some(r.sort),
            )
            .await
            .map_err(|e| format!("{url} could not be indexed: {e}"))?;
    }
    let files = index
        .get_files()
        .await
        .map_err(|e| format!("the search index could not be written: {e}"))?;
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| {
            let rel = f.filename.to_string_lossy().replace('\\', "/");
            let rel = rel.trim_start_matches("./").trim_start_matches('/');
            let rel = rel.strip_prefix("pagefind/").unwrap_or(rel);
            (format!("{BUNDLE_DIR}/{rel}"), f.contents)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
