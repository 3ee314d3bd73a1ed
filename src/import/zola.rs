//! Zola: `config.toml`, `content/` (sections are folders with an
//! `_index.md`; a page is a file or a folder with `index.md` and its
//! assets), `static/`. A page's URL is its `path`, else its section's
//! path and its slug (from `slug` or the file name, without a leading
//! date, slugified as `[slugify] paths` says).

use std::path::Path;

use serde_json::Value;
use walkdir::WalkDir;

use super::front::{self, Front};
use super::names::{clean_name, clean_path, section_titles};
use super::story::StoryImage;
use super::{ImportError, Imported, SiteToml, Story, Warning};

/// Keys read into the article.
const MAPPED: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "path",
    "aliases",
    "authors",
    "taxonomies",
];

#[derive(Clone, Copy, PartialEq)]
enum Slugify {
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
        let folder = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let bundle = stem == "index" && !folder.is_empty();
        let file = Path::new("content").join(&rel);
        let warn = |line: usize, message: String| Warning {
            file: file.clone(),
            line,
            message,
        };
        let text = match std::fs::read_to_string(entry.path()) {
            Ok(t) => t,
            Err(e) => {
                imported
                    .failed
                    .push(warn(0, format!("cannot be read: {e}")));
                continue;
            }
        };
        let front = match front::read(&text) {
            Ok(f) => f,
            Err((line, why)) => {
                imported.failed.push(warn(line, why));
                continue;
            }
        };
        // A bundle is its folder; its section is the folder above.
        let (section_dir, page_name) = if bundle {
            folder
                .rsplit_once('/')
                .map_or(("", folder), |(d, n)| (d, n))
        } else {
            (folder, stem)
        };
        let (file_date, bare_name) = split_date(page_name);
        let url = match front.str("path") {
            Some(path) => format!("/{}/", path.trim_matches('/')),
            None => {
                let slug = front.str("slug").unwrap_or(bare_name);
                let slug = slug_as(slug, slugify);
                let dirs: Vec<String> = section_dir
                    .split('/')
                    .filter(|d| !d.is_empty())
                    .map(|d| slug_as(d, slugify))
                    .collect();
                match dirs.is_empty() {
                    true => format!("/{slug}/"),
                    false => format!("/{}/{slug}/", dirs.join("/")),
                }
            }
        };
        let date_text = front
            .str("date")
            .map(str::to_string)
            .or(file_date)
            .or_else(|| {
                let d = date_in_path(&url)?;
                dated_by_path += 1;
                Some(d)
            });
        let Some(date_text) = date_text else {
            imported.failed.push(warn(
                1,
                "has no `date` (nor one in its file name or path); add one and import again".into(),
            ));
            continue;
        };
        let date = match crate::content::parse_date(&date_text, tz) {
            Ok(d) => d,
            Err(why) => {
                imported.failed.push(warn(front.line("date"), why));
                continue;
            }
        };
        let Some(title) = front.str("title").map(str::to_string) else {
            imported
                .failed
                .push(warn(1, "has no `title`; add one and import again".into()));
            continue;
        };
        let section = match section_dir {
            "" => root_section.clone(),
            dir => clean_path(dir),
        };
        let target = match bundle {
            true => format!("{section}/{}/index.md", clean_name(page_name)),
            false => format!("{section}/{}.md", clean_name(stem)),
        };
        let mut story = Story {
            content_path: target.clone(),
            source: rel.clone(),
            source_dir: bundle.then(|| content.join(folder)),
            headline: title,
            dek: front.str("description").map(str::to_string),
            date: date.to_rfc3339(),
            draft: front.bool("draft").unwrap_or(false),
            authors: front.strings("authors"),
            aliases: front
                .strings("aliases")
                .into_iter()
                .map(|a| format!("/{}", a.trim_start_matches('/')))
                .collect(),
            ..Story::default()
        };
        if let Some(updated) = front.str("updated") {
            match crate::content::parse_date(updated, tz) {
                Ok(u) if u > date => story.updated = Some(u.to_rfc3339()),
                Ok(_) => {}
                Err(why) => imported.warnings.push(warn(
                    front.line("updated"),
                    format!("`updated` dropped: {why}"),
                )),
            }
        }
        if let Some(Value::Object(taxonomies)) = front.keys.get("taxonomies") {
            for values in taxonomies.values() {
                if let Value::Array(items) = values {
                    story
                        .tags
                        .extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)));
                }
            }
        }
        if let Some(image) = front
            .keys
            .get("extra")
            .and_then(|e| e.get("image"))
            .and_then(Value::as_str)
        {
            story.image = Some(StoryImage {
                src: image.to_string(),
                alt: None,
            });
        }
        if target.split('/').next() != Some(section.as_str()) {
            story.section = Some(section.clone());
        }
        story.old_url = url.clone();
        report_keys(&front, &warn, &mut imported.warnings);
        let (body, notes) = convert(&front.body);
        for (offset, note) in notes {
            imported.warnings.push(warn(front.body_line + offset, note));
        }
        story.body = body;
        if bundle {
            let assets = copy_assets(&content.join(folder), &target, &mut imported);
            story.body = super::names::absolute_links(&story.body, &url, &assets);
        }
        if section_dir.is_empty() {
            if let Some(title) = root_title(&content) {
                sections.insert(root_section.clone(), title);
            }
        }
        imported.stories.push(story);
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
    copy_static(root, &mut imported);
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
        paginate: None,
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

/// The root section's title names the section root pages go into.
fn root_title(content: &Path) -> Option<String> {
    let text = std::fs::read_to_string(content.join("_index.md")).ok()?;
    front::read(&text).ok()?.str("title").map(str::to_string)
}

/// `2020-01-02-launch` → (`2020-01-02`, `launch`), as Zola reads a date
/// at the start of a file name (followed by `-` or `_`).
fn split_date(name: &str) -> (Option<String>, &str) {
    let bytes = name.as_bytes();
    let dated = bytes.len() > 11
        && name.is_char_boundary(10)
        && chrono::NaiveDate::parse_from_str(&name[..10], "%Y-%m-%d").is_ok()
        && matches!(bytes[10], b'-' | b'_');
    match dated {
        true => (Some(name[..10].to_string()), &name[11..]),
        false => (None, name),
    }
}

/// The `YYYY/MM/DD` a URL path starts with or holds, as a date.
fn date_in_path(url: &str) -> Option<String> {
    let parts: Vec<&str> = url.split('/').filter(|p| !p.is_empty()).collect();
    parts.windows(3).find_map(|w| {
        let text = format!("{}-{}-{}", w[0], w[1], w[2]);
        (w[0].len() == 4 && chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok())
            .then_some(text)
    })
}

fn slug_as(text: &str, mode: Slugify) -> String {
    match mode {
        Slugify::On => slug::slugify(text),
        // As Zola 0.19 does: what Windows forbids in a file name goes.
        Slugify::Safe => text
            .trim_end_matches([' ', '.'])
            .chars()
            .filter(|c| !"<>:\"/\\|?*".contains(*c))
            .collect(),
        Slugify::Off => text.to_string(),
    }
}

fn report_keys(
    front: &Front,
    warn: &dyn Fn(usize, String) -> Warning,
    warnings: &mut Vec<Warning>,
) {
    for (key, value) in &front.keys {
        if key == "extra" {
            for sub in value.as_object().into_iter().flat_map(|m| m.keys()) {
                if sub != "image" {
                    warnings.push(warn(
                        front.sub_line(key, sub),
                        format!(
                            "front-matter key `extra.{sub}` has no Dateline equivalent: dropped"
                        ),
                    ));
                }
            }
        } else if !MAPPED.contains(&key.as_str()) {
            warnings.push(warn(
                front.line(key),
                format!("front-matter key `{key}` has no Dateline equivalent: dropped"),
            ));
        }
    }
}

/// Zola bodies already use Dateline's shortcode syntax and `@/` links;
/// a `youtube(id=…)` or `vimeo(id=…)` becomes `video`, a shortcode
/// Dateline lacks is reported.
fn convert(body: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut rest = body;
    let mut done = 0;
    // Open body shortcodes: whether each was escaped.
    let mut blocks: Vec<bool> = Vec::new();
    while let Some(at) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let open = &rest[at..at + 2];
        let close = if open == "{{" { "}}" } else { "%}" };
        let Some(len) = rest[at + 2..].find(close) else {
            break;
        };
        let inner = rest[at + 2..at + 2 + len].trim();
        let end = at + 2 + len + 2;
        let line = body[..done + at].matches('\n').count();
        out.push_str(&rest[..at]);
        let name: String = inner
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let call = inner[name.len()..].trim_start().starts_with('(');
        match (name.as_str(), call) {
            ("youtube" | "vimeo", true) => {
                let id = arg(inner, "id").unwrap_or_default();
                let url = match name.as_str() {
                    "youtube" => format!("https://www.youtube.com/watch?v={id}"),
                    _ => format!("https://vimeo.com/{id}"),
                };
                out.push_str(&format!("{{{{ video(url=\"{url}\") }}}}"));
            }
            (n, true) if crate::content::shortcodes::spec(n).is_none() => {
                // Escaped, the call prints as written and the site builds;
                // a `{% end %}` of its body is escaped alike.
                out.push_str(&format!("{open}/* {inner} */{close}"));
                if open == "{%" {
                    blocks.push(true);
                }
                notes.push((line, format!("shortcode `{n}` is not one of Dateline's: printed as text; to draw it, add templates/shortcodes/{n}.html and remove the `/* */` around it")));
            }
            ("end", false) if open == "{%" => match blocks.pop() {
                Some(true) => out.push_str("{%/* end */%}"),
                _ => out.push_str(&rest[at..end]),
            },
            (_, true) if open == "{%" => {
                blocks.push(false);
                out.push_str(&rest[at..end]);
            }
            _ => out.push_str(&rest[at..end]),
        }
        done += end;
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, notes)
}

/// The value of `key="…"` in a shortcode call.
fn arg(call: &str, key: &str) -> Option<String> {
    let at = call.find(&format!("{key}="))? + key.len() + 1;
    let rest = &call[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next().map(str::to_string)
}

/// Copies a page's assets; returns their paths within the bundle.
fn copy_assets(dir: &Path, target: &str, imported: &mut Imported) -> Vec<String> {
    let out_dir = target.strip_suffix("index.md").unwrap_or(target);
    let mut files: Vec<_> = WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_none_or(|x| x != "md"))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((format!("content/{out_dir}{rel}"), e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    let names = files
        .iter()
        .map(|(rel, _)| {
            rel.trim_start_matches(&format!("content/{out_dir}"))
                .to_string()
        })
        .collect();
    imported.files.extend(files);
    names
}

fn copy_static(root: &Path, imported: &mut Imported) {
    let base = root.join("static");
    let mut files: Vec<_> = WalkDir::new(&base)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(&base)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((format!("static/{rel}"), e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    imported.files.extend(files);
}

#[cfg(test)]
mod tests {
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
