//! One Jekyll post as a Dateline article: its front matter (with the
//! site's `defaults` under it) mapped key by key, what has no home
//! reported, its URL worked out as Jekyll does, its Liquid converted.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::url::{self, Post};
use super::{liquid, Found, Settings};
use crate::import::front::{self, Front};
use crate::import::names::{clean_name, clean_path};
use crate::import::story::StoryImage;
use crate::import::{Imported, Story, Warning};

/// Keys read into the article.
const MAPPED: &[&str] = &[
    "title",
    "date",
    "description",
    "excerpt",
    "last_modified_at",
    "categories",
    "category",
    "tags",
    "author",
    "authors",
    "by",
    "image",
    "featured_image",
    "cover_image",
    "header",
    "redirect_from",
    "permalink",
    "slug",
    "published",
];

/// The Dateline file a post becomes: in the section its folder above
/// `_posts` names (`posts` for the top one), named after its slug.
pub(super) fn target(found: &Found) -> String {
    let section = match found.above.is_empty() {
        true => "posts".to_string(),
        false => clean_path(&found.above.join("/")),
    };
    format!("{section}/{}.md", clean_name(&found.slug))
}

pub(super) fn read(
    root: &Path,
    found: &Found,
    settings: &Settings,
    posts: &HashMap<String, String>,
    imported: &mut Imported,
) {
    let file = Path::new(&found.rel).to_path_buf();
    let warn = |line: usize, message: String| Warning {
        file: file.clone(),
        line,
        message,
    };
    let text = match std::fs::read_to_string(root.join(&found.rel)) {
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
    for (scope, values) in &settings.defaults {
        if found.rel.starts_with(scope.as_str()) {
            for (k, v) in values {
                front.keys.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    let date = match date(&front, found, settings.tz) {
        Ok(d) => d,
        Err(why) => return imported.failed.push(warn(front.line("date"), why)),
    };
    let categories = categories(&found.above, &front.keys);
    let slug = front.str("slug").unwrap_or(&found.slug).to_string();
    let pattern = front.str("permalink").unwrap_or(&settings.permalink);
    let path = found.rel.rsplit_once('.').map_or(&*found.rel, |(p, _)| p);
    let old_url = url::url(
        pattern,
        &Post {
            slug: &slug,
            categories: &categories,
            date,
            path,
        },
    );
    let target = target(found);
    let headline = front
        .str("title")
        .map(str::to_string)
        .unwrap_or_else(|| crate::import::names::titleize(&found.slug));
    let mut story = Story {
        content_path: target.clone(),
        source: found.rel.clone(),
        origin: file.clone(),
        old_url,
        headline,
        dek: front
            .str("excerpt")
            .or_else(|| front.str("description"))
            .map(str::to_string),
        date: date.fixed_offset().to_rfc3339(),
        draft: front.bool("published") == Some(false),
        authors: crate::import::authors::names(
            &front.keys,
            &settings.writers,
            &["authors", "author", "by"],
        ),
        tags: tags(&front.keys, &categories, &found.above),
        aliases: aliases(&front.keys),
        image: image(&front.keys),
        ..Story::default()
    };
    if let Some(updated) = front.str("last_modified_at") {
        if let Ok(u) = crate::content::parse_date(updated, settings.tz) {
            if u > date {
                story.updated = Some(u.to_rfc3339());
            }
        }
    }
    for (key, _) in front.keys.iter() {
        if !MAPPED.contains(&key.as_str()) && front.lines.contains_key(key) {
            imported.warnings.push(warn(
                front.line(key),
                format!("front-matter key `{key}` has no Dateline equivalent: dropped"),
            ));
        }
    }
    if front.keys.contains_key("redirect_to") {
        imported.warnings.push(warn(
            front.line("redirect_to"),
            "`redirect_to` dropped: the article is imported with its own body; put the redirect at your host".into(),
        ));
    }
    let scope = liquid::Scope {
        site: &settings.config,
        page: &front.keys,
        posts,
    };
    let (body, notes) = liquid::convert(&front.body, &scope);
    for (offset, note) in notes {
        imported.warnings.push(warn(front.body_line + offset, note));
    }
    story.body = body;
    imported.stories.push(story);
}

/// `date` (also `11-9-2017`, day first, as Ruby reads it), else the
/// file name's, at midnight in the site's time zone.
fn date(
    front: &Front,
    found: &Found,
    tz: chrono_tz::Tz,
) -> Result<chrono::DateTime<chrono_tz::Tz>, String> {
    let text = padded(front.str("date").unwrap_or(&found.date));
    let text = text.as_str();
    let parsed = crate::content::parse_date(text, tz).or_else(|why| {
        let day_first = chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y")
            .map_err(|_| why)?
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .ok_or("not a date in the site's time zone")?;
        Ok::<_, String>(day_first.fixed_offset())
    })?;
    Ok(parsed.with_timezone(&tz))
}

/// `2016-1-29 9:05` → `2016-01-29 09:05`: Ruby reads dates without the
/// leading zeros.
fn padded(text: &str) -> String {
    let (day, time) = text
        .split_once([' ', 'T'])
        .map_or((text, None), |(d, t)| (d, Some(t)));
    let parts: Vec<&str> = day.split('-').collect();
    let day = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => day.to_string(),
    };
    let sep = if text.contains('T') { "T" } else { " " };
    match time {
        Some(t) => {
            let (clock, zone) = t.split_once(' ').map_or((t, None), |(c, z)| (c, Some(z)));
            let (h, rest) = clock.split_once(':').unwrap_or((clock, ""));
            let clock = match (h.len(), rest.is_empty()) {
                (1, false) => format!("0{h}:{rest}"),
                _ => clock.to_string(),
            };
            match zone {
                Some(z) => format!("{day}{sep}{clock} {z}"),
                None => format!("{day}{sep}{clock}"),
            }
        }
        None => day,
    }
}

/// Jekyll's categories: the folders above `_posts`, then `categories`
/// (a list, or words), then `category`.
fn categories(above: &[String], keys: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = above.to_vec();
    for key in ["categories", "category"] {
        let values: Vec<String> = match keys.get(key) {
            Some(Value::String(s)) if key == "categories" => {
                s.split_whitespace().map(str::to_string).collect()
            }
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
            Some(v) => text(v).into_iter().collect(),
            None => Vec::new(),
        };
        for v in values {
            if !v.is_empty() && !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `tags`, and the categories the front matter gives (the folder is the
/// section already).
fn tags(keys: &Map<String, Value>, categories: &[String], above: &[String]) -> Vec<String> {
    let mut out: Vec<String> = match keys.get("tags") {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        _ => Vec::new(),
    };
    for c in categories.iter().filter(|c| !above.contains(c)) {
        if !out.iter().any(|t| t.eq_ignore_ascii_case(c)) {
            out.push(c.clone());
        }
    }
    out
}

/// `redirect_from`, as the files jekyll-redirect-from writes (`/old` as
/// `old.html`).
fn aliases(keys: &Map<String, Value>) -> Vec<String> {
    let list: Vec<String> = match keys.get("redirect_from") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .filter(|a| !a.trim().is_empty())
        .map(|a| {
            let a = format!("/{}", a.trim().trim_start_matches('/'));
            match a.ends_with('/') || a.ends_with(".html") || a.ends_with(".htm") {
                true => a,
                false => format!("{a}.html"),
            }
        })
        .collect()
}

fn image(keys: &Map<String, Value>) -> Option<StoryImage> {
    let found = ["image", "featured_image", "cover_image"]
        .iter()
        .filter_map(|k| keys.get(*k))
        .chain(
            ["image", "overlay_image", "teaser"]
                .iter()
                .filter_map(|k| keys.get("header").and_then(|h| h.get(*k))),
        )
        .find_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("path").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })?;
    let alt = keys
        .get("image")
        .and_then(|i| i.get("alt"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Some(StoryImage { src: found, alt })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_without_leading_zeros_read_as_ruby_reads_them() {
        assert_eq!(padded("2016-1-29"), "2016-01-29");
        assert_eq!(padded("2016-1-9 9:05 +0100"), "2016-01-09 09:05 +0100");
        assert_eq!(padded("2016-01-29T10:00:00Z"), "2016-01-29T10:00:00Z");
        assert_eq!(
            padded("11-9-2017"),
            "11-9-2017",
            "left to the day-first reading"
        );
    }
}
