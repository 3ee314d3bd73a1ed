//! The `content` stage: walk `content/`, read every article, validate it.
//!
//! Output is a list of [`Article`]s in path order, or every problem found in
//! every file. Files are parsed in parallel; the order of results never
//! depends on thread scheduling.

mod article;
mod authors;
mod bundles;
mod dates;
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
use walkdir::WalkDir;

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

/// Lists article files under `root/content`, sorted by path.
///
/// Hidden files and editor droppings (`.#x.md`, `#x.md#`, `x.md~`, `.x.swp`)
/// are skipped: only names ending in `.md` that start with a letter or digit
/// are articles.
pub fn discover(root: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(vec![Diagnostic::in_file(
            CONTENT_DIR,
            "no content/ folder in the site",
        )
        .with_hint("articles live in content/<section>/<slug>.md")]);
    }
    let canonical_content = content
        .canonicalize()
        .map_err(|e| vec![io_diag(&content, "open", &e)])?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel_to(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                errors.push(Diagnostic::in_file(path, format!("could not read: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = rel_to(root, entry.path());
        if !is_article_name(&name) {
            // Editor droppings never end in `.md` (`#a.md#`, `a.md~`) or
            // are hidden; a visible `.md` file left out would be a story
            // silently missing from the site.
            if name.ends_with(".md") {
                errors.push(
                    Diagnostic::in_file(
                        &rel,
                        "not read as an article: its name does not start with a letter or digit",
                    )
                    .with_hint(
                        "the file name is the article's URL; rename it, say to `story-name.md`",
                    ),
                );
            }
            continue;
        }
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_content) && target.is_file() => {}
                _ => {
                    errors.push(Diagnostic::in_file(
                        &rel,
                        "symbolic link points outside content/ (or nowhere); refusing to follow it",
                    ));
                    continue;
                }
            }
        }
        let content_path = entry
            .path()
            .strip_prefix(&content)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push(SourceFile {
            abs: entry.path().to_path_buf(),
            rel,
            content_path,
            bundle: false,
        });
    }
    mark_bundles(&mut files);
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
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

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
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

fn rel_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
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

    #[test]
    fn a_visible_md_file_that_is_not_an_article_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let news = dir.path().join("content/news");
        std::fs::create_dir_all(&news).unwrap();
        for name in [
            "ok.md",
            "\u{1F680}.md",
            ".#ok.md",
            "ok.md~",
            "#ok.md#",
            "notes.txt",
        ] {
            std::fs::write(news.join(name), "x").unwrap();
        }
        let errors = discover(dir.path()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let text = errors[0].to_string();
        assert!(text.contains("content/news/\u{1F680}.md"), "{text}");
        assert!(text.contains("not read as an article"), "{text}");
    }
}
