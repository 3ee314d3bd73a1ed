//! Zola: `config.toml`, `content/` (sections are folders with an
//! `_index.md`; a page is a file or a folder with `index.md` and its
//! assets), `static/`. A page's URL is its `path`, else its section's
//! path and its slug (from `slug` or the file name, without a leading
//! date, slugified as `[slugify] paths` says).

mod body;
mod page;

use std::path::Path;

use serde_json::Value;
use walkdir::WalkDir;

use super::front;
use super::names::section_titles;
use super::{ImportError, Imported, SiteToml, Warning};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Slugify {
    On,
    Safe,
    Off,
}

pub(super) fn read(root: &Path) -> Result<Imported, ImportError> {
    let config_path = root.join("config.toml");
    let text = std::fs::read_to_string(&config_path)
        .map_err(|_| ImportError::Source(format!("{} has no Zola config.toml", root.display())))?;
    let config: toml::Table = toml::from_str(&text)
        .map_err(|e| ImportError::Source(format!("{}: {e}", config_path.display())))?;
    let config = front::toml_value(toml::Value::Table(config));
    let slugify = match config.pointer("/slugify/paths").and_then(Value::as_str) {
        Some("safe") => Slugify::Safe,
        Some("off") => Slugify::Off,
        _ => Slugify::On,
    };
    let tz = chrono_tz::Tz::UTC;
    let mut imported = Imported::default();
    let default_language = config
        .get("default_language")
        .and_then(Value::as_str)
        .unwrap_or("en");
    let others: Vec<String> = match config.get("languages") {
        Some(Value::Object(langs)) => langs
            .keys()
            .filter(|l| l.as_str() != default_language)
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let mut translations = 0;
    if !others.is_empty() {
        imported.warnings.push(Warning {
            file: "config.toml".into(),
            line: 0,
            message: format!(
                "the site is multilingual: its default language is imported; {} are not yet",
                others
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let content = root.join("content");
    let mut sections = section_titles(&content);
    let root_section = root_section(&content);
    let mut entries: Vec<_> = WalkDir::new(&content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .collect();
    entries.sort_by(|a, b| a.path().cmp(b.path()));
    let mut dated_by_path = 0;
    let ctx = page::Ctx {
        content: &content,
        slugify,
        tz,
        root_section: &root_section,
    };
    for entry in &entries {
        let Ok(rel) = entry.path().strip_prefix(&content) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        if stem == "_index" || stem.starts_with("_index.") {
            continue;
        }
        // `page.fr.md` is the `fr` translation of `page.md`.
        if stem
            .rsplit_once('.')
            .is_some_and(|(_, lang)| others.iter().any(|o| o == lang))
        {
            translations += 1;
            continue;
        }
        dated_by_path += usize::from(page::read(&ctx, &rel, stem, entry.path(), &mut imported));
    }
    if translations > 0 {
        imported.warnings.push(Warning {
            file: "content".into(),
            line: 0,
            message: format!("{translations} translations (`page.LANG.md`) not imported: multilingual editions come later"),
        });
    }
    if dated_by_path > 0 {
        imported.warnings.push(Warning {
            file: "content".into(),
            line: 0,
            message: format!("{dated_by_path} pages have no `date`: each took the date its `path` holds (YYYY/MM/DD)"),
        });
    }
    let used: std::collections::BTreeSet<String> = imported
        .stories
        .iter()
        .map(|s| s.content_path.split('/').next().unwrap_or("").to_string())
        .collect();
    sections.retain(|name, _| used.contains(name));
    if used.contains(&root_section) {
        if let Some(title) = root_title(&content) {
            sections.insert(root_section.clone(), title);
        }
    }
    let files = super::files::under(&root.join("static"), "static/", false);
    imported.files.extend(files);
    imported.site = SiteToml {
        title: config
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| root_title(&content))
            .unwrap_or_else(|| "Imported site".into()),
        base_url: config
            .get("base_url")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_string(),
        language: config
            .get("default_language")
            .and_then(Value::as_str)
            .map(str::to_string),
        timezone: None,
        paginate: paginate_by(&content),
        permalink: crate::config::DEFAULT_PERMALINK.to_string(),
        permalinks: Default::default(),
        sections,
    };
    Ok(imported)
}

/// Dateline's articles live in sections: the pages at the top of Zola's
/// content go into one no folder there already names.
fn root_section(content: &Path) -> String {
    ["blog", "posts", "pages", "articles"]
        .into_iter()
        .find(|name| !content.join(name).exists())
        .unwrap_or("home")
        .to_string()
}

/// Zola paginates per section (`paginate_by` in its `_index.md`); the
/// site's front page's, else the first section's that has one, is taken.
fn paginate_by(content: &Path) -> Option<u32> {
    let mut indexes = vec![content.join("_index.md")];
    let mut dirs: Vec<_> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("_index.md"))
        .collect();
    dirs.sort();
    indexes.extend(dirs);
    indexes.iter().find_map(|index| {
        let text = std::fs::read_to_string(index).ok()?;
        let n = front::read(&text).ok()?.keys.get("paginate_by")?.as_u64()?;
        u32::try_from(n).ok().filter(|n| *n > 0)
    })
}

/// The root section's title names the section root pages go into.
fn root_title(content: &Path) -> Option<String> {
    let text = std::fs::read_to_string(content.join("_index.md")).ok()?;
    front::read(&text).ok()?.str("title").map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::body::convert;
    use super::page::{date_in_path, slug_as, split_date};
    use super::*;

    #[test]
    fn zola_names_dates_and_shortcodes() {
        assert_eq!(
            split_date("2020-01-02-launch"),
            (Some("2020-01-02".into()), "launch")
        );
        assert_eq!(split_date("2020-13-02-launch"), (None, "2020-13-02-launch"));
        assert_eq!(
            date_in_path("/inside-rust/2020/03/04/x/").as_deref(),
            Some("2020-03-04")
        );
        assert_eq!(slug_as("Hello World", Slugify::On), "hello-world");
        assert_eq!(slug_as("Async-await", Slugify::Off), "Async-await");
        let (out, notes) = convert("A {{ youtube(id=\"abc\") }} and {{ gist(id=\"1\") }}\n{{ figure(src=\"a.jpg\") }} {{ page.title }}\n");
        assert!(
            out.contains("{{ video(url=\"https://www.youtube.com/watch?v=abc\") }}"),
            "{out}"
        );
        assert!(
            out.contains("{{/* gist(id=\"1\") */}}") && out.contains("{{ figure(src=\"a.jpg\") }}"),
            "{out}"
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        // An unknown body shortcode is escaped with its own `end`, not a
        // known one's inside it.
        let (out, _) = convert("{% note() %}\n{% factbox(title=\"A\") %}x{% end %}\n{% end %}\n");
        assert_eq!(
            out,
            "{%/* note() */%}\n{% factbox(title=\"A\") %}x{% end %}\n{%/* end */%}\n"
        );
    }
}
