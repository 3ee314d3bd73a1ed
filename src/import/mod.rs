//! `dateline import`: another generator's site (or a WordPress export)
//! as a new Dateline site that builds at once, every article at the URL
//! the old site published it at.
//!
//! Each source system has its own module that reads its config and
//! content into [`Story`]s and a [`SiteToml`]; this module writes them
//! and keeps the report. Nothing is written until the whole source has
//! been read, and the output folder must be empty unless forced.

mod authors;
mod files;
mod front;
mod hugo;
mod jekyll;
mod names;
mod place;
mod story;
mod wordpress;
mod write;
mod zola;

use std::path::{Path, PathBuf};

pub use story::{SiteToml, Story};

/// The systems Dateline imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hugo,
    Zola,
    Jekyll,
    WordPress,
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write into a folder that is not empty.
    pub force: bool,
    /// WordPress: import published pages too (into the section `pages`).
    pub pages: bool,
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        match s.to_ascii_lowercase().as_str() {
            "hugo" => Ok(Kind::Hugo),
            "zola" => Ok(Kind::Zola),
            "jekyll" => Ok(Kind::Jekyll),
            "wordpress" | "wxr" => Ok(Kind::WordPress),
            other => Err(format!(
                "cannot import from `{other}`; known: hugo, zola, jekyll, wordpress"
            )),
        }
    }
}

/// Something kept, dropped or changed, at a line of a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Relative to the source folder.
    pub file: PathBuf,
    /// 1-based; 0 when the whole file is meant.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file.display(), self.message),
            n => write!(f, "{}:{n}: {}", self.file.display(), self.message),
        }
    }
}

/// What an import read from its source, before anything is written.
#[derive(Debug, Default)]
pub struct Imported {
    pub site: SiteToml,
    pub stories: Vec<Story>,
    /// Files copied as they are: (path in the new site, source file).
    pub files: Vec<(String, PathBuf)>,
    pub warnings: Vec<Warning>,
    /// Posts that could not be imported, with why.
    pub failed: Vec<Warning>,
    /// Writers' profiles, for `authors.yaml`.
    pub authors: Vec<crate::content::AuthorProfile>,
}

/// What an import did.
#[derive(Debug)]
pub struct Report {
    pub articles: usize,
    pub files: usize,
    pub warnings: Vec<Warning>,
    pub failed: Vec<Warning>,
}

#[derive(Debug)]
pub enum ImportError {
    /// The source is not a site of that kind, or cannot be read.
    Source(String),
    /// The output folder has files and `--force` was not given.
    NotEmpty(PathBuf),
    Write(PathBuf, std::io::Error),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Source(why) => f.write_str(why),
            ImportError::NotEmpty(dir) => write!(
                f,
                "{} is not empty; import into a new folder, or pass --force to write over it",
                dir.display()
            ),
            ImportError::Write(path, e) => write!(f, "could not write {}: {e}", path.display()),
        }
    }
}

/// Files a Dateline build writes itself at the top of the site.
const GENERATED: &[&str] = &[
    "index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "news-sitemap.xml",
    "rss.xml",
    "atom.xml",
    "opensearch.xml",
];

/// The old site's own copies of files Dateline generates are left out
/// (the build refuses a static file over a page it writes).
fn drop_generated(imported: &mut Imported, source: &Path) {
    let mut dropped = Vec::new();
    imported.files.retain(|(path, from)| {
        let generated = path
            .strip_prefix("static/")
            .is_some_and(|rest| GENERATED.contains(&rest));
        if generated {
            dropped.push((path.clone(), from.clone()));
        }
        !generated
    });
    for (path, from) in dropped {
        let name = path.trim_start_matches("static/");
        imported.warnings.push(Warning {
            file: from.strip_prefix(source).unwrap_or(&from).to_path_buf(),
            line: 0,
            message: format!("not copied: Dateline writes its own `{name}` (see docs/output.md)"),
        });
    }
}

/// An old URL Dateline cannot publish (a `%` escape, a `#`, a `:`) is
/// given up with a report rather than written into a site that would
/// not build: the article goes to its section and slug, the alias is
/// dropped.
fn keep_buildable(imported: &mut Imported) {
    for story in imported.stories.iter_mut() {
        let report = |message: String| Warning {
            file: story.origin.clone(),
            line: story.source_line,
            message,
        };
        let mut lost = Vec::new();
        if let Some(path) = &story.path {
            if let Err(why) = crate::urls::check_alias(path) {
                lost.push(report(format!("its old URL `{path}` {why}: published at its section and slug instead; redirect the old URL at your host")));
                story.path = None;
            }
        }
        if let Some(slug) = &story.slug {
            if crate::urls::check_slug(slug).is_err() {
                story.slug = Some(names::clean_name(slug));
            }
        }
        story
            .aliases
            .retain(|alias| match crate::urls::check_alias(alias) {
                Ok(()) => true,
                Err(why) => {
                    lost.push(report(format!(
                        "alias `{alias}` {why}: dropped; redirect it at your host"
                    )));
                    false
                }
            });
        imported.warnings.extend(lost);
    }
}

/// Reads `source` as a `kind` site and writes it into `out` as a
/// Dateline site.
pub fn import(
    kind: Kind,
    source: &Path,
    out: &Path,
    options: Options,
) -> Result<Report, ImportError> {
    if !options.force && out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(ImportError::NotEmpty(out.to_path_buf()));
    }
    let mut imported = match kind {
        Kind::Hugo => hugo::read(source)?,
        Kind::Zola => zola::read(source)?,
        Kind::Jekyll => jekyll::read(source)?,
        Kind::WordPress => wordpress::read(source, options.pages)?,
    };
    drop_generated(&mut imported, source);
    names::one_file_each(&mut imported);
    if kind != Kind::Hugo {
        let tz = imported
            .site
            .timezone
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC);
        for (i, url) in place::fit(&mut imported.stories, &mut imported.site, tz) {
            let story = &imported.stories[i];
            imported.warnings.push(Warning {
                file: story.origin.clone(),
                line: story.source_line,
                message: format!("its old URL `{url}` is where Dateline writes a page of its own: published at its section and slug instead; redirect the old URL at your host"),
            });
        }
    }
    keep_buildable(&mut imported);
    names::retarget_links(&mut imported.stories);
    names::link_old_urls(&mut imported.stories, &imported.site.base_url);
    imported.warnings.sort();
    imported.failed.sort();
    write::site(&imported, out)?;
    Ok(Report {
        articles: imported.stories.len(),
        files: imported.files.len(),
        warnings: imported.warnings,
        failed: imported.failed,
    })
}
