//! Themes: the built-in one embedded in the binary, or `themes/<name>/`,
//! with the site's own `templates/` and `static/` layered on top.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{io_diag, Diagnostic};

/// The default theme, compiled in so a site needs only site.toml and content/.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates every theme must provide, one per page kind.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "article.html",
    "section.html",
    "tag.html",
    "tags.html",
    "author.html",
    "authors.html",
    "archive.html",
    "corrections.html",
    "404.html",
    "atom.xml",
    "rss.xml",
];

/// A template's text and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub text: String,
    pub origin: PathBuf,
    /// The built-in theme's own, compiled into the binary.
    pub built_in: bool,
}

/// Where a static file's bytes are.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The templates and static files a build uses, overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    /// Output-relative path (`css/site.css`) → source, sorted by path.
    pub static_files: BTreeMap<String, StaticSource>,
}

impl Theme {
    /// Loads the configured theme and the site's overrides.
    pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, TemplateSource> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        // The built-in theme is the bottom layer: a theme of one's own need
        // only hold the templates it changes (feeds, say, can stay ours).
        let origin = Path::new("themes/default");
        for file in embedded_files(&BUILT_IN, "templates") {
            let name = rel_name(file.path(), "templates");
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            let origin = origin.join(file.path());
            templates.insert(
                name.clone(),
                TemplateSource {
                    name,
                    text,
                    origin,
                    built_in: true,
                },
            );
        }
        match &config.theme {
            None => {
                for file in embedded_files(&BUILT_IN, "static") {
                    static_files.insert(
                        rel_name(file.path(), "static"),
                        StaticSource::Embedded(file.contents()),
                    );
                }
            }
            Some(name) => {
                let dir = config.root.join("themes").join(name);
                if !dir.is_dir() {
                    return Err(vec![Diagnostic::in_file(
                        "site.toml",
                        format!("theme `{name}` not found: there is no folder themes/{name}/"),
                    )
                    .with_hint("remove `theme` to use the built-in theme")]);
                }
                read_templates(&config.root, &dir.join("templates"), &mut templates)?;
                disk_static(&config.root, &dir.join("static"), &mut static_files)?;
            }
        }
        read_templates(&config.root, &config.root.join("templates"), &mut templates)?;
        disk_static(&config.root, &config.root.join("static"), &mut static_files)?;

        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|r| !templates.contains_key(**r))
            .map(|r| {
                Diagnostic::new(format!("the theme has no `{r}` template"))
                    .with_hint(format!("add templates/{r} to the site or the theme"))
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Theme {
            templates: templates.into_values().collect(),
            static_files,
        })
    }
}

impl Theme {
    /// The shortcodes the templates define (`shortcodes/NAME.html`), each
    /// marked when its template is not the built-in theme's.
    pub fn shortcodes(&self) -> crate::content::Shortcodes {
        crate::content::Shortcodes::from_templates(self.templates.iter().filter_map(|t| {
            let name = t.name.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
            Some((name, !t.built_in))
        }))
    }
}

fn rel_name(path: &Path, under: &str) -> String {
    path.strip_prefix(under)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every embedded file under `dir`, recursively.
fn embedded_files(
    root: &'static Dir<'static>,
    dir: &str,
) -> Vec<&'static include_dir::File<'static>> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
        out.extend(dir.files());
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    if let Some(d) = root.get_dir(dir) {
        walk(d, &mut out);
    }
    out
}

/// Files under `dir`, relative names with `/`, hidden files skipped.
///
/// A symbolic link to a file inside the site folder `root` is followed;
/// one that leads out of the site (or nowhere), or to a folder, is an
/// error: skipping it would drop a page asset without a word, and
/// following it out would publish whatever it points at.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<(String, PathBuf)>, Vec<Diagnostic>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            vec![Diagnostic::in_file(
                e.path().unwrap_or(dir),
                format!("could not read: {e}"),
            )]
        })?;
        let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(&canonical_root) && target.is_dir() => {
                    errors.push(
                        Diagnostic::in_file(shown, "symbolic link to a folder; not followed")
                            .with_hint("link the files themselves, or copy the folder"),
                    );
                    continue;
                }
                _ => {
                    errors.push(Diagnostic::in_file(
                        shown,
                        "symbolic link points outside the site (or nowhere); refusing to follow it",
                    ));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_name(entry.path().strip_prefix(dir).unwrap_or(entry.path()), "");
        files.push((rel, entry.path().to_path_buf()));
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn read_templates(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, TemplateSource>,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for (name, path) in files_under(root, dir)? {
        if !name.ends_with(".html") && !name.ends_with(".xml") && !name.ends_with(".txt") {
            continue;
        }
        let origin = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                out.insert(
                    name.clone(),
                    TemplateSource {
                        name,
                        text,
                        origin,
                        built_in: false,
                    },
                );
            }
            Err(e) => errors.push(io_diag(&origin, "read the template", &e)),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn disk_static(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, StaticSource>,
) -> Result<(), Vec<Diagnostic>> {
    for (name, path) in files_under(root, dir)? {
        out.insert(name, StaticSource::Disk(path));
    }
    Ok(())
}
