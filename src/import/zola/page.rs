//! One Zola page as a Dateline article: its URL worked out as Zola does
//! (`path`, else its section folders and slug, slugified as the site
//! says), its date (front matter, file name, or the `YYYY/MM/DD` of its
//! path), its front matter mapped and what has no home reported.

use std::path::Path;

use serde_json::Value;

use super::{body::convert, Slugify};
use crate::import::front::{self, Front};
use crate::import::names::{clean_name, clean_path};
use crate::import::story::StoryImage;
use crate::import::{Imported, Story, Warning};

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

/// What every page of the site shares.
pub(super) struct Ctx<'a> {
    pub content: &'a Path,
    pub slugify: Slugify,
    pub tz: chrono_tz::Tz,
    /// The section the pages at the top of `content/` go into.
    pub root_section: &'a str,
}

/// Reads the page at `rel` (under `content/`, named `stem`.md) into
/// `imported`; true when it took its date from its path.
pub(super) fn read(ctx: &Ctx, rel: &str, stem: &str, path: &Path, imported: &mut Imported) -> bool {
    let mut by_path = false;
    let folder = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let bundle = stem == "index" && !folder.is_empty();
    let file = Path::new("content").join(rel);
    let warn = |line: usize, message: String| Warning {
        file: file.clone(),
        line,
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            imported
                .failed
                .push(warn(0, format!("cannot be read: {e}")));
            return false;
        }
    };
    let front = match front::read(&text) {
        Ok(f) => f,
        Err((line, why)) => {
            imported.failed.push(warn(line, why));
            return false;
        }
    };
    for (line, note) in &front.notes {
        imported.warnings.push(warn(*line, note.clone()));
    }
    // A bundle is its folder; its section is the folder above.
    let (section_dir, page_name) = if bundle {
        folder
            .rsplit_once('/')
            .map_or(("", folder), |(d, n)| (d, n))
    } else {
        (folder, stem)
    };
    let (file_date, bare_name) = split_date(page_name);
    let url = url_of(&front, section_dir, bare_name, ctx.slugify);
    let date_text = front
        .str("date")
        .map(str::to_string)
        .or(file_date)
        .or_else(|| {
            let d = date_in_path(&url)?;
            by_path = true;
            Some(d)
        });
    let Some(date_text) = date_text else {
        imported.failed.push(warn(
            1,
            "has no `date` (nor one in its file name or path); add one and import again".into(),
        ));
        return false;
    };
    let date = match crate::content::parse_date(&date_text, ctx.tz) {
        Ok(d) => d,
        Err(why) => {
            imported.failed.push(warn(front.line("date"), why));
            return false;
        }
    };
    let Some(title) = front.str("title").map(str::to_string) else {
        imported
            .failed
            .push(warn(1, "has no `title`; add one and import again".into()));
        return false;
    };
    let section = match section_dir {
        "" => ctx.root_section.to_string(),
        dir => clean_path(dir),
    };
    let target = match bundle {
        true => format!("{section}/{}/index.md", clean_name(page_name)),
        false => format!("{section}/{}.md", clean_name(stem)),
    };
    let mut story = Story {
        content_path: target.clone(),
        source: rel.to_string(),
        origin: file.clone(),
        source_dir: bundle.then(|| ctx.content.join(folder)),
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
        match crate::content::parse_date(updated, ctx.tz) {
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
        let assets = crate::import::files::bundle(&ctx.content.join(folder), &target, imported);
        story.body = crate::import::names::absolute_links(&story.body, &url, &assets);
    }
    imported.stories.push(story);
    by_path
}

/// Zola's URL for a page: its `path`, else its section folders and its
/// slug, each slugified as the site says.
fn url_of(front: &Front, section_dir: &str, bare_name: &str, slugify: Slugify) -> String {
    match front.str("path") {
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
    }
}

/// `2020-01-02-launch` → (`2020-01-02`, `launch`), as Zola reads a date
/// at the start of a file name (followed by `-` or `_`).
pub(super) fn split_date(name: &str) -> (Option<String>, &str) {
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
pub(super) fn date_in_path(url: &str) -> Option<String> {
    let parts: Vec<&str> = url.split('/').filter(|p| !p.is_empty()).collect();
    parts.windows(3).find_map(|w| {
        let text = format!("{}-{}-{}", w[0], w[1], w[2]);
        (w[0].len() == 4 && chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok())
            .then_some(text)
    })
}

pub(super) fn slug_as(text: &str, mode: Slugify) -> String {
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
