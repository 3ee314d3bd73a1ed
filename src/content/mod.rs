//! The `content` stage: walk `content/`, read every article, validate it.
//!
//! Output is a list of [`Article`]s in path order, or every problem found in
//! every file. Files are parsed in parallel; the order of results never
//! depends on thread scheduling.

mod article;
mod authors;
mod bundles;
mod dates;
mod discover;
mod fields;
mod front_toml;
pub mod fronts;
pub mod limits;
pub mod live;
mod parts;
mod raw;
pub mod shortcodes;
mod split;
mod stored;
pub use stored::{Listing, Stat};
mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

#[cfg(test)]
pub use crate::markdown::stats::body_stats;
pub use crate::markdown::stats::{reading_minutes, BodyStats};
pub use article::{
    parse_article, parse_article_in, Article, Body, Bundle, Call, Correction, Image, ParseEnv,
    Related, RelatedTarget, KNOWN_KEYS,
};
pub use authors::{load_authors, AuthorProfile, ProfileLink, AUTHORS_FILE};
pub use bundles::{bundle_of, mark_bundles};
pub use dates::parse_date;
pub use discover::discover;
pub use fields::is_safe_url;
pub use fronts::{load_fronts, FRONTS_FILE};
pub use live::{Live, Update};
pub use shortcodes::Shortcodes;

use crate::config::Config;
use crate::error::{io_diag, Diagnostic};
use crate::text::decode_source;

/// The folder under the site root that holds articles.
pub const CONTENT_DIR: &str = "content";

/// A markdown file found under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute (or as given) path to read.
    pub abs: PathBuf,
    /// Path relative to the site folder, for messages.
    pub rel: PathBuf,
    /// Path relative to `content/` with `/` separators.
    pub content_path: String,
    /// The `index.md` of a page bundle: the folder's other files are the
    /// article's own.
    pub bundle: bool,
}

/// Finds and parses every article of the site, whose bodies may call
/// `shortcodes`.
pub fn load(config: &Config, shortcodes: &Shortcodes) -> Result<Vec<Article>, Vec<Diagnostic>> {
    load_with(config, shortcodes, &|_| {}, &|| {})
}

/// [`load`], telling `start` how many files there are and `step` as each
/// one is parsed (from many threads).
pub fn load_with(
    config: &Config,
    shortcodes: &Shortcodes,
    start: &(dyn Fn(usize) + Sync),
    step: &(dyn Fn() + Sync),
) -> Result<Vec<Article>, Vec<Diagnostic>> {
    load_cached(config, shortcodes, None, None, start, step)
}

/// One file's article, and how the cache saw it.
type Loaded = Result<(Article, Option<stored::Listed>), Vec<Diagnostic>>;

/// [`load_with`], reusing the articles `cache` holds from earlier builds:
/// a file whose size and time are as listed is not read, one whose bytes
/// hash to a stored article is not parsed.
///
/// With a `listing` of `content/` made just before, its sizes and times
/// stand for the files': a source is statted once per build, not twice.
pub fn load_cached(
    config: &Config,
    shortcodes: &Shortcodes,
    cache: Option<&crate::cache::Cache>,
    listing: Option<&Listing>,
    start: &(dyn Fn(usize) + Sync),
    step: &(dyn Fn() + Sync),
) -> Result<Vec<Article>, Vec<Diagnostic>> {
    // The list's time is that of the oldest stat it holds: a file saved
    // just after it is read again next time.
    let made = listing.map_or_else(stored::now_ns, |l| l.made.min(stored::now_ns()));
    let files = discover(&config.root)?;
    start(files.len());
    let sources = cache.map(|c| {
        let reparse = stored::Reparse {
            root: config.root.clone(),
            tz: config.timezone,
            shortcodes: shortcodes.clone(),
        };
        stored::Sources::load(c, &config.root, reparse)
    });
    let parse_key = {
        let mut k = crate::cache::KeyBuilder::new("parse");
        k.executable()
            .bytes(config.timezone.name().as_bytes())
            .bytes(format!("{shortcodes:?}").as_bytes());
        k.key()
    };
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|f| {
            let result = match (cache, &sources) {
                (Some(_), Some(sources)) => {
                    stored::load_file(f, config, shortcodes, sources, &parse_key, listing)
                }
                _ => load_file(f, config, shortcodes).map(|a| (a, None)),
            };
            step();
            result
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut listed = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok((a, entry)) => {
                articles.push(a);
                listed.extend(entry);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if let (Some(cache), Some(sources)) = (cache, &sources) {
        stored::remember(cache, &config.root, sources, &mut listed, made);
    }
    if errors.is_empty() {
        Ok(articles)
    } else {
        Err(errors)
    }
}

/// The text of a data file at the site root (`authors.yaml`,
/// `fronts.yaml`), decoded as sources are; `None` when there is none or it
/// is blank.
pub(crate) fn read_data_file(root: &Path, name: &str) -> Result<Option<String>, Vec<Diagnostic>> {
    let path = root.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    let rel = Path::new(name);
    let bytes = std::fs::read(&path).map_err(|e| vec![io_diag(rel, "read", &e)])?;
    let text = decode_source(&bytes).map_err(|e| {
        let (line, col, msg) = e.describe();
        vec![Diagnostic::at(rel, line, col, msg)]
    })?;
    Ok(Some(text).filter(|t| !t.trim().is_empty()))
}

/// Reads and parses one article file.
pub fn load_file(
    file: &SourceFile,
    config: &Config,
    shortcodes: &Shortcodes,
) -> Result<Article, Vec<Diagnostic>> {
    let bytes =
        std::fs::read(&file.abs).map_err(|e| vec![io_diag(&file.rel, "read the article", &e)])?;
    let bundle = match file.bundle {
        true => Some(bundles::list(file)?),
        false => None,
    };
    parse_bytes(file, config, shortcodes, &bytes, bundle)
}

/// Parses one article file's bytes, with its bundle's files.
fn parse_bytes(
    file: &SourceFile,
    config: &Config,
    shortcodes: &Shortcodes,
    bytes: &[u8],
    bundle: Option<Bundle>,
) -> Result<Article, Vec<Diagnostic>> {
    let text = decode_source(bytes).map_err(|e| {
        let (line, col, msg) = e.describe();
        vec![Diagnostic::at(&file.rel, line, col, msg)]
    })?;
    let env = ParseEnv {
        tz: config.timezone,
        shortcodes,
    };
    parse_article_in(&file.rel, &file.content_path, &text, &env, bundle)
}

/// Swap, backup and lock files that editors write beside the real one.
pub fn is_editor_droppings(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// True for `slug.md`; false for hidden, backup and lock files.
pub fn is_article_name(name: &str) -> bool {
    name.ends_with(".md")
        && name.len() > 3
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_not_articles() {
        assert!(is_article_name("seawall-vote.md"));
        for name in [
            ".seawall.md.swp",
            "#seawall.md#",
            ".#seawall.md",
            "seawall.md~",
            "notes.txt",
            ".md",
        ] {
            assert!(!is_article_name(name), "{name}");
        }
    }
}
