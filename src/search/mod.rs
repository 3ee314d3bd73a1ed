//! Site search: a static index of every published article, built from
//! the model's text (never by re-reading written pages), split into small
//! files a browser fetches as a query needs them, and read by the
//! theme's script: no server, no third party.
//!
//! Layout under [`BUNDLE_DIR`]:
//! - `index.json`: the number of documents, the documents per chunk, and
//!   the term shards that exist;
//! - `t/<hex>.json`: the terms starting with those (one or two)
//!   characters, each with its postings `[doc, weight, doc, weight…]`;
//! - `d/<k>.json`: what a result shows for documents `k·chunk…`;
//! - `f.json`: each filter's values and counts; `f/<name>/<hex>.json`:
//!   the documents with that value.
//!
//! Documents are numbered oldest first (the newest is the last), so date
//! order needs no sort key and a new story renumbers nothing.
//! Terms are lower-cased runs of letters and digits in any script; the
//! script splits a query the same way.

mod build;
mod runs;
mod text;

pub use build::{index, keep_none, Emit, Keep};
pub use runs::{index_cached, STORE};
pub use text::plain_text;

/// Where the index goes in the output.
pub const BUNDLE_DIR: &str = "search-index";

/// One article as the index holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// Its URL, as pages link it (`/news/us/ferry-fare-increase/`).
    pub url: String,
    pub headline: String,
    /// Dek and highlights.
    pub standfirst: String,
    /// The body, as plain text.
    pub body: String,
    pub authors: Vec<String>,
    /// What a result shows: dek (or excerpt), date as the site prints
    /// it and as RFC 3339, section and its URL, a thumbnail.
    pub dek: String,
    pub date: String,
    pub iso: String,
    pub section: String,
    pub section_url: String,
    pub image: Option<String>,
    pub tags: Vec<String>,
    pub year: String,
    /// Seconds since 1970: the order of documents, oldest first.
    pub timestamp: i64,
}

/// Splits `text` into index terms: lower-cased runs of letters and
/// digits, none longer than [`MAX_TERM`] characters.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(str::to_lowercase)
}

/// The runs of letters and digits of `text` that can be terms, as written.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && (w.len() <= MAX_TERM || w.chars().count() <= MAX_TERM))
}

/// Longer runs (hashes, URLs run together) are not words anyone types.
pub const MAX_TERM: usize = 40;
