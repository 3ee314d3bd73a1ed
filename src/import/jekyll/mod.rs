//! Jekyll: `_config.yml`, posts in `_posts/` (and `DIR/_posts/`, whose
//! folders above become categories) named `YYYY-MM-DD-title.ext`,
//! `_data/authors.yml`, and every file without front matter outside the
//! `_` folders as a static file. Pages (files with front matter that are
//! no posts) and other collections are counted, not imported.

mod liquid;
mod post;
mod url;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use walkdir::WalkDir;

use super::{ImportError, Imported, SiteToml, Warning};

/// The settings of `_config.yml` that shape the import.
pub(super) struct Settings {
    pub config: Value,
    pub tz: chrono_tz::Tz,
    /// The posts' permalink style or pattern.
    pub permalink: String,
    /// `defaults`: (scope path, values) for posts.
    pub defaults: Vec<(String, serde_json::Map<String, Value>)>,
    pub writers: BTreeMap<String, crate::content::AuthorProfile>,
}

/// A post found: its file from the site root, the folders above
/// `_posts` and the name's date and slug.
pub(super) struct Found {
    pub rel: String,
    pub above: Vec<String>,
    pub date: String,
    pub slug: String,
}

pub(super) fn read(root: &Path) -> Result<Imported, ImportError> {
    let settings = settings(root)?;
    let mut imported = Imported::default();
    let skip = skipped(&settings.config);
    let (posts, others) = walk(root, &skip);
    // Names `post_url` and `link` give → the Dateline file each becomes.
    let mut targets = HashMap::new();
    for found in &posts {
        let target = post::target(found);
        let under_posts = found.rel.split_once("_posts/").map_or("", |(_, r)| r);
        let stem = under_posts.rsplit_once('.').map_or(under_posts, |(s, _)| s);
        targets.insert(stem.to_string(), target.clone());
        targets.insert(found.rel.clone(), target);
    }
    for found in &posts {
        post::read(root, found, &settings, &targets, &mut imported);
    }
    report_others(root, &others, &settings.config, &mut imported);
    imported.authors = settings.writers.values().cloned().collect();
    imported.site = site_toml(&settings, &imported);
    Ok(imported)
}

fn settings(root: &Path) -> Result<Settings, ImportError> {
    let path = root.join("_config.yml");
    let text = std::fs::read_to_string(&path)
        .or_else(|_| std::fs::read_to_string(root.join("_config.yaml")))
        .map_err(|_| {
            ImportError::Source(format!("{} has no Jekyll _config.yml", root.display()))
        })?;
    let config: Value = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
        Ok(v) => serde_json::to_value(v).unwrap_or(Value::Null),
        Err(e) => {
            let line = e.location().map_or(0, |l| l.line());
            return Err(ImportError::Source(format!(
                "{}:{line}: invalid YAML: {e}",
                path.display()
            )));
        }
    };
    let tz = match config.get("timezone").and_then(Value::as_str) {
        Some(name) => name.parse().map_err(|_| {
            ImportError::Source(format!(
                "{}: `timezone: {name}` is not a time zone name",
                path.display()
            ))
        })?,
        None => chrono_tz::Tz::UTC,
    };
    let permalink = config
        .pointer("/collections/posts/permalink")
        .or_else(|| config.get("permalink"))
        .and_then(Value::as_str)
        .unwrap_or("date")
        .to_string();
    let defaults = config
        .get("defaults")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|d| {
            d.pointer("/scope/type")
                .and_then(Value::as_str)
                .is_none_or(|t| t == "posts")
        })
        .filter_map(|d| {
            let path = d
                .pointer("/scope/path")
                .and_then(Value::as_str)
                .unwrap_or("");
            let values = d.get("values")?.as_object()?.clone();
            Some((path.trim_matches('/').to_string(), values))
        })
        .collect();
    Ok(Settings {
        tz,
        permalink,
        defaults,
        writers: super::authors::read(&root.join("_data")),
        config,
    })
}

/// What Jekyll never publishes: `exclude`, dot and `_` folders but the
/// posts', and the usual tool folders.
fn skipped(config: &Value) -> Vec<String> {
    let mut skip: Vec<String> = [
        "_site",
        "node_modules",
        "vendor",
        ".git",
        ".bundle",
        ".jekyll-cache",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(list) = config.get("exclude").and_then(Value::as_array) {
        skip.extend(
            list.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim_matches('/').to_string()),
        );
    }
    skip
}

/// The posts, and every other file Jekyll would publish.
fn walk(root: &Path, skip: &[String]) -> (Vec<Found>, Vec<(String, PathBuf)>) {
    let mut posts = Vec::new();
    let mut others = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let name = e.file_name().to_string_lossy();
            !skip.iter().any(|s| *s == rel || *s == name)
        });
    for entry in walker.filter_map(|e| e.ok()) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel.split('/').collect();
        if let Some(at) = parts.iter().position(|p| *p == "_posts") {
            if let Some(found) = post_name(&rel, &parts[..at]) {
                posts.push(found);
            }
            continue;
        }
        let hidden = parts
            .iter()
            .any(|p| p.starts_with(['_', '.', '#']) || p.ends_with('~'));
        if !hidden {
            others.push((rel, entry.path().to_path_buf()));
        }
    }
    (posts, others)
}

/// `2020-01-02-launch.md` → its date and slug; None for a file Jekyll
/// does not take as a post.
fn post_name(rel: &str, above: &[&str]) -> Option<Found> {
    let name = rel.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    if !["md", "markdown", "mkdown", "mkd", "html"].contains(&ext) {
        return None;
    }
    let mut pieces = stem.splitn(4, '-');
    let (y, m, d, slug) = (
        pieces.next()?,
        pieces.next()?,
        pieces.next()?,
        pieces.next()?,
    );
    let date = chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some(Found {
        rel: rel.to_string(),
        above: above.iter().map(|s| s.to_string()).collect(),
        date: date.format("%Y-%m-%d").to_string(),
        slug: slug.to_string(),
    })
}

/// Files without front matter are copied to `static/`; pages and
/// documents of other collections are counted in the report.
fn report_others(
    root: &Path,
    others: &[(String, PathBuf)],
    config: &Value,
    imported: &mut Imported,
) {
    let mut pages = 0;
    for (rel, path) in others {
        let head = std::fs::read(path)
            .map(|b| b.starts_with(b"---\n") || b.starts_with(b"---\r\n"))
            .unwrap_or(false);
        if head {
            pages += 1;
        } else if !matches!(rel.as_str(), "Gemfile" | "Gemfile.lock") {
            imported.files.push((format!("static/{rel}"), path.clone()));
        }
    }
    if pages > 0 {
        imported.warnings.push(Warning {
            file: ".".into(),
            line: 0,
            message: format!("{pages} pages (files with front matter that are no posts) not imported: Dateline's theme draws the fronts, sections and archives; write the others as articles or templates"),
        });
    }
    let collections = config.get("collections").and_then(Value::as_object);
    for (name, spec) in collections.into_iter().flatten() {
        let output = spec.get("output").and_then(Value::as_bool) == Some(true);
        let dir = root.join(format!("_{name}"));
        if name != "posts" && output && dir.is_dir() {
            let count = WalkDir::new(&dir)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .count();
            imported.warnings.push(Warning {
                file: format!("_{name}").into(),
                line: 0,
                message: format!(
                    "collection `{name}` ({count} files) not imported: only posts are articles"
                ),
            });
        }
    }
}

fn site_toml(settings: &Settings, imported: &Imported) -> SiteToml {
    let config = &settings.config;
    let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::trim);
    let url = text("url").unwrap_or("").trim_end_matches('/');
    let baseurl = text("baseurl").unwrap_or("").trim_matches('/');
    let base_url = match (url, baseurl) {
        ("", "") => "/".to_string(),
        (url, "") => format!("{url}/"),
        (url, base) => format!("{url}/{base}/"),
    };
    let mut sections = BTreeMap::new();
    for story in &imported.stories {
        let section = story.content_path.split('/').next().unwrap_or("");
        sections
            .entry(section.to_string())
            .or_insert_with(|| super::names::titleize(section));
    }
    SiteToml {
        title: text("title").unwrap_or("Imported site").to_string(),
        base_url,
        language: text("lang")
            .or_else(|| text("locale"))
            .map(|l| l.replace('_', "-")),
        timezone: text("timezone").map(str::to_string),
        paginate: config
            .get("paginate")
            .or_else(|| config.pointer("/pagination/per_page"))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok()),
        permalink: crate::config::DEFAULT_PERMALINK.to_string(),
        permalinks: BTreeMap::new(),
        sections,
    }
}
