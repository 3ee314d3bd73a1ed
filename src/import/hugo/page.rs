//! One Hugo page as a Dateline article: its front matter mapped key by
//! key (what has no home is reported), its body converted, its bundle's
//! files copied, its URL kept.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use super::body::{self, Refs};
use super::urls;
use super::Settings;
use crate::import::front::{self, Front};
use crate::import::names::{bundle_name, clean_name, clean_path};
use crate::import::story::StoryImage;
use crate::import::{Imported, Story, Warning};

/// A content file that is a page.
pub(super) struct Found {
    /// Relative to the content folder (`posts/a.md`, `posts/trip/index.md`).
    pub source: String,
    /// Where the import writes it, relative to the new `content/`.
    pub target: String,
    /// A leaf bundle's folder, relative to the content folder.
    pub bundle: Option<String>,
}

/// Keys read into the article, besides the taxonomies.
const MAPPED: &[&str] = &[
    "title",
    "description",
    "summary",
    "date",
    "publishdate",
    "lastmod",
    "draft",
    "tags",
    "categories",
    "author",
    "authors",
    "images",
    "image",
    "featured_image",
    "cover",
    "aliases",
    "slug",
    "url",
];

pub(super) fn find(content: &Path, site: &Settings, warnings: &mut Vec<Warning>) -> Vec<Found> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = WalkDir::new(content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .collect();
    entries.sort_by(|a, b| a.path().cmp(b.path()));
    for entry in entries {
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let Some(stem) = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".markdown"))
        else {
            // Content in the other formats Hugo renders is not lost silently.
            let other = [
                ".html",
                ".htm",
                ".adoc",
                ".asciidoc",
                ".org",
                ".rst",
                ".pandoc",
                ".pdc",
            ];
            // A bundle's own HTML file has no front matter: no page.
            let page = std::fs::read(entry.path()).is_ok_and(|b| {
                b.starts_with(b"---") || b.starts_with(b"+++") || b.starts_with(b"{")
            });
            if let Some(ext) = other.iter().find(|x| page && name.ends_with(*x)) {
                warnings.push(Warning {
                    file: format!("{}/{rel}", site.content_dir).into(),
                    line: 0,
                    message: format!("a `{ext}` page is not imported: Dateline reads markdown; convert it (pandoc does) and import again"),
                });
            }
            continue;
        };
        if stem.starts_with("_index") {
            continue;
        }
        if let Some((_, lang)) = stem.rsplit_once('.') {
            if site.other_languages.iter().any(|l| l == lang) {
                warnings.push(Warning {
                    file: format!("{}/{rel}", site.content_dir).into(),
                    line: 0,
                    message: format!(
                        "a `{lang}` translation: not imported (only the default language is)"
                    ),
                });
                continue;
            }
        }
        let stem = stem.split('.').next().unwrap_or(stem);
        let folder = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let bundle = (stem == "index" && !folder.is_empty()).then(|| folder.to_string());
        let target = match &bundle {
            Some(dir) => format!("{}/index.md", clean_path(dir)),
            None if folder.is_empty() => format!("pages/{}.md", clean_name(stem)),
            None => format!("{}/{}.md", clean_path(folder), clean_name(stem)),
        };
        out.push(Found {
            source: rel.clone(),
            target,
            bundle,
        });
    }
    out
}

/// What every page is read with: the site's settings, the pages `ref`
/// can name, the writers of `data/authors.*`.
pub(super) type Context<'a> = (
    &'a Settings,
    &'a Refs,
    &'a BTreeMap<String, crate::content::AuthorProfile>,
);

pub(super) fn import(
    content: &Path,
    found: &Found,
    (site, refs, writers): Context,
    imported: &mut Imported,
) {
    let file = Path::new(&site.content_dir).join(&found.source);
    let warn = |line: usize, message: String| Warning {
        file: file.clone(),
        line,
        message,
    };
    let text = match std::fs::read_to_string(content.join(&found.source)) {
        Ok(t) => t,
        Err(e) => {
            return imported
                .failed
                .push(warn(0, format!("cannot be read: {e}")))
        }
    };
    let mut front = match front::read(&text) {
        Ok(f) => f,
        Err((line, why)) => return imported.failed.push(warn(line, why)),
    };
    for (line, note) in &front.notes {
        imported.warnings.push(warn(*line, note.clone()));
    }
    lower_keys(&mut front);
    let Some(date) = front
        .str("date")
        .or_else(|| front.str("publishdate"))
        .map(str::to_string)
    else {
        return imported.failed.push(warn(
            1,
            "has no `date` (nor `publishDate`); add one and import again".into(),
        ));
    };
    let date = match crate::content::parse_date(&date, site.timezone) {
        Ok(d) => d,
        Err(why) => match unix_date(&date) {
            Some(d) => {
                imported.warnings.push(warn(
                    front.line("date"),
                    format!(
                        "`{date}` read as {}: Go reads a zone name it does not know as UTC",
                        d.to_rfc3339()
                    ),
                ));
                d
            }
            None => return imported.failed.push(warn(front.line("date"), why)),
        },
    };
    let title = front.str("title").unwrap_or("").to_string();
    if title.is_empty() {
        return imported
            .failed
            .push(warn(1, "has no `title`; add one and import again".into()));
    }
    let hugo_path = found
        .source
        .rsplit_once('.')
        .map_or(found.source.as_str(), |(p, _)| p)
        .trim_end_matches("/index");
    let page = urls::Page {
        path: hugo_path,
        slug: front.str("slug"),
        url: front.str("url"),
        title: &title,
        date,
    };
    let rules = urls::Rules {
        permalinks: &site.permalinks,
        ugly: &|s| site.ugly.of(s),
        lower: site.lower,
    };
    let url = match urls::url(&page, &rules) {
        Ok(u) => u,
        Err(why) => return imported.failed.push(warn(1, why)),
    };
    let mut story = Story {
        content_path: found.target.clone(),
        source: found.source.clone(),
        origin: file.clone(),
        source_dir: found.bundle.as_ref().map(|b| content.join(b)),
        headline: title.clone(),
        dek: front
            .str("description")
            .or_else(|| front.str("summary"))
            .map(str::to_string),
        date: date.to_rfc3339(),
        ..Story::default()
    };
    if let Some(updated) = front.str("lastmod") {
        match crate::content::parse_date(updated, site.timezone) {
            Ok(u) if u > date => story.updated = Some(u.to_rfc3339()),
            Ok(_) => {}
            Err(why) => imported.warnings.push(warn(
                front.line("lastmod"),
                format!("`lastMod` dropped: {why}"),
            )),
        }
    }
    if let (Some(publish), Some(_)) = (front.str("publishdate"), front.str("date")) {
        if let Ok(p) = crate::content::parse_date(publish, site.timezone) {
            if p > date {
                story.embargo = Some(p.to_rfc3339());
            }
        }
    }
    story.draft = front.bool("draft").unwrap_or(false);
    let mut tags = Vec::new();
    for taxonomy in &site.taxonomies {
        tags.extend(front.strings(taxonomy));
    }
    for key in ["tags", "categories"] {
        if !site.taxonomies.iter().any(|t| t == key) {
            tags.extend(front.strings(key));
        }
    }
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(t.to_lowercase()));
    story.tags = tags;
    story.authors = crate::import::authors::names(&front.keys, writers, &["authors", "author"]);
    story.image = lead_image(&front).map(|src| StoryImage { src, alt: None });
    story.aliases = front
        .strings("aliases")
        .into_iter()
        .map(|a| {
            if a.starts_with('/') {
                a
            } else {
                format!("/{a}")
            }
        })
        .collect();
    place(&mut story, &url, hugo_path, site);
    story.old_url = url.clone();
    for (key, value) in front.keys.iter() {
        if key == "params" {
            for sub in value.as_object().into_iter().flat_map(|m| m.keys()) {
                if sub != "author" && sub != "authors" {
                    imported.warnings.push(warn(
                        front.sub_line(key, sub),
                        format!(
                            "front-matter key `params.{sub}` has no Dateline equivalent: dropped"
                        ),
                    ));
                }
            }
            continue;
        }
        let known = MAPPED.contains(&key.as_str()) || site.taxonomies.iter().any(|t| t == key);
        if !known {
            imported.warnings.push(warn(
                front.line(key),
                format!("front-matter key `{key}` has no Dateline equivalent: dropped"),
            ));
        }
    }
    let (converted, notes) = body::convert(&front.body, refs);
    for (offset, note) in notes {
        imported.warnings.push(warn(front.body_line + offset, note));
    }
    story.body = converted;
    if let Some(folder) = &found.bundle {
        crate::import::files::bundle(&content.join(folder), &found.target, imported);
    }
    imported.stories.push(story);
}

/// Hugo reads front-matter keys in any case (`lastMod`, `publishDate`).
fn lower_keys(front: &mut Front) {
    let keys = std::mem::take(&mut front.keys);
    front.keys = keys
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect();
    front.lines = std::mem::take(&mut front.lines)
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect();
}

fn lead_image(front: &Front) -> Option<String> {
    if let Some(first) = front.strings("images").into_iter().next() {
        return Some(first);
    }
    for key in ["image", "featured_image"] {
        if let Some(src) = front.str(key) {
            return Some(src.to_string());
        }
    }
    front
        .keys
        .get("cover")
        .and_then(|c| c.get("image"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Section, slug and, when no pattern gives Hugo's URL, `path`.
fn place(story: &mut Story, url: &str, hugo_path: &str, site: &Settings) {
    let folder = story.content_path.rsplit_once('/').map_or("", |(d, _)| d);
    let folder = folder
        .strip_suffix(&format!("/{}", bundle_name(&story.content_path)))
        .unwrap_or(folder);
    let hugo_section = hugo_path.split_once('/').map_or("", |(s, _)| s);
    let section = if hugo_section.is_empty() {
        "pages".to_string()
    } else {
        clean_name(hugo_section)
    };
    if folder != section {
        story.section = Some(section.clone());
    }
    // The slug is the last part of the URL Hugo gave, as written.
    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let last = last
        .strip_suffix(".html")
        .or_else(|| last.strip_suffix(".htm"))
        .unwrap_or(last);
    let slug = if crate::urls::check_slug(last).is_ok() {
        last.to_string()
    } else {
        clean_name(last)
    };
    let file_slug = bundle_name(&story.content_path);
    if slug != file_slug {
        story.slug = Some(slug.clone());
    }
    let pattern = site
        .dateline_patterns
        .iter()
        .find(|(s, _)| **s == hugo_section)
        .map_or(crate::config::DEFAULT_PERMALINK, |(_, p)| p.as_str());
    let date = chrono::DateTime::parse_from_rfc3339(&story.date)
        .map(|d| d.with_timezone(&site.timezone).date_naive())
        .unwrap_or_default();
    let dateline = format!(
        "/{}",
        crate::site::pattern_path(pattern, &section, &slug, date)
    );
    if dateline != url {
        story.path = Some(url.to_string());
    }
}

/// The `date` command's form, `Thu Sep  6 10:44:30 PDT 2018`, which Hugo
/// accepts; the zone name counts as UTC, as Go reads a name it does not
/// know.
fn unix_date(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, time, _zone, year] = words.as_slice() else {
        return None;
    };
    let naive = chrono::NaiveDateTime::parse_from_str(
        &format!("{year} {month} {day} {time}"),
        "%Y %b %d %H:%M:%S",
    )
    .ok()?;
    Some(naive.and_utc().fixed_offset())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_date_commands_form_is_read_as_hugo_reads_it() {
        let d = super::unix_date("Thu Sep  6 10:44:30 PDT 2018").unwrap();
        assert_eq!(d.to_rfc3339(), "2018-09-06T10:44:30+00:00");
        assert!(super::unix_date("next Tuesday").is_none());
    }
}
