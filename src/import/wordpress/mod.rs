//! WordPress, from the export file Tools → Export writes (WXR). Published
//! posts become articles at the URL their `<link>` gives; scheduled ones
//! keep their date as an embargo; drafts, private and pending posts are
//! counted, not imported; pages only with `--pages`; attachments give the
//! featured images. The first category is the section, the other
//! categories and the tags are tags.

mod body;
mod wxr;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{NaiveDateTime, TimeZone};

use super::names::clean_name;
use super::story::StoryImage;
use super::{ImportError, Imported, SiteToml, Story, Warning};
use crate::content::{AuthorProfile, ProfileLink};

pub(super) fn read(file: &Path, pages: bool) -> Result<Imported, ImportError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| ImportError::Source(format!("{}: cannot be read: {e}", file.display())))?;
    let export = wxr::parse(&text)
        .map_err(|why| ImportError::Source(format!("{}:{why}", file.display())))?;
    let name = file
        .file_name()
        .map_or_else(|| "export.xml".into(), |n| n.to_string_lossy().to_string());
    let base = export.link.trim_end_matches('/').to_string();
    let attachments: HashMap<&str, &str> = export
        .items
        .iter()
        .filter(|i| i.kind == "attachment" && !i.attachment_url.is_empty())
        .map(|i| (i.id.as_str(), i.attachment_url.as_str()))
        .collect();
    let mut imported = Imported::default();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut writers = BTreeMap::new();
    for item in &export.items {
        let wanted = item.kind == "post" || (pages && item.kind == "page");
        let status = item.status.as_str();
        if !wanted || !matches!(status, "publish" | "future") {
            let what = match (wanted, status) {
                (true, _) => format!("{} {}s", status, item.kind),
                (false, _) => format!("{}s", item.kind),
            };
            *skipped.entry(what).or_default() += 1;
            continue;
        }
        let warn = |line: usize, message: String| Warning {
            file: name.clone().into(),
            line,
            message,
        };
        match story(item, &base, &attachments, &export) {
            Ok((mut story, about, notes)) => {
                story.source = name.clone();
                story.origin = name.clone().into();
                story.source_line = item.line;
                for message in about {
                    imported.warnings.push(warn(item.line, message));
                }
                for (offset, note) in notes {
                    imported
                        .warnings
                        .push(warn(item.content_line + offset, note));
                }
                for author in &story.authors {
                    if let Some((_, (display, email))) =
                        export.authors.iter().find(|(_, (n, _))| n == author)
                    {
                        writers.insert(display.clone(), profile(display, email.as_deref()));
                    }
                }
                imported.stories.push(story);
            }
            Err(why) => imported.failed.push(warn(item.line, why)),
        }
    }
    for (what, count) in skipped {
        if what == "attachments" || what.starts_with("nav_menu") || what.starts_with("inherit") {
            continue;
        }
        imported.warnings.push(Warning {
            file: name.clone().into(),
            line: 0,
            message: format!("{count} {what} not imported"),
        });
    }
    imported.authors = writers.into_values().collect();
    imported.site = SiteToml {
        title: match export.title.is_empty() {
            true => "Imported site".into(),
            false => export.title.clone(),
        },
        base_url: format!("{base}/"),
        language: export.language.clone(),
        permalink: crate::config::DEFAULT_PERMALINK.to_string(),
        sections: section_names(&imported.stories, &export),
        ..SiteToml::default()
    };
    Ok(imported)
}

type Notes = Vec<(usize, String)>;

fn story(
    item: &wxr::Item,
    base: &str,
    attachments: &HashMap<&str, &str>,
    export: &wxr::Export,
) -> Result<(Story, Vec<String>, Notes), String> {
    let mut about = Vec::new();
    let date = date(item)?;
    let slug = decode(&item.slug);
    let slug = if slug.is_empty() {
        item.id.clone()
    } else {
        slug
    };
    let section = match item.kind.as_str() {
        "page" => "pages".to_string(),
        _ => item
            .terms
            .iter()
            .find(|(d, n, _)| d == "category" && n != "uncategorized")
            .map_or_else(|| "posts".to_string(), |(_, n, _)| clean_name(&decode(n))),
    };
    let headline = match item.title.is_empty() {
        true => {
            about.push(format!(
                "post {} has no title: headed with its slug; give it a headline",
                item.id
            ));
            super::names::titleize(&slug)
        }
        false => body::text_of(&item.title),
    };
    let old_url = match item.link.strip_prefix(base) {
        Some(rest) if !rest.contains('?') && rest.starts_with('/') => decode(rest),
        _ => {
            about.push(format!("its old address `{}` is not a path under {base} (plain `?p=` permalinks cannot be served by a static site): published at its section and slug; redirect the old address at your host", item.link));
            String::new()
        }
    };
    let mut tags = Vec::new();
    let mut first_category = true;
    for (domain, nicename, display) in &item.terms {
        let is_section = domain == "category" && first_category && nicename != "uncategorized";
        if domain == "category" && nicename != "uncategorized" {
            first_category = false;
        }
        if matches!(domain.as_str(), "category" | "post_tag")
            && !is_section
            && nicename != "uncategorized"
            && !tags.contains(display)
        {
            tags.push(display.clone());
        }
    }
    let (body, notes) = body::convert(&item.content);
    let author = export
        .authors
        .get(&item.creator)
        .map_or_else(|| item.creator.clone(), |(n, _)| n.clone());
    let story = Story {
        content_path: format!("{section}/{}.md", clean_name(&slug)),
        old_url,
        headline,
        dek: Some(body::text_of(&item.excerpt)).filter(|d| !d.is_empty()),
        date: date.to_rfc3339(),
        embargo: (item.status == "future").then(|| date.to_rfc3339()),
        section: None,
        tags,
        authors: vec![author].into_iter().filter(|a| !a.is_empty()).collect(),
        image: item
            .meta("_thumbnail_id")
            .and_then(|id| attachments.get(id))
            .map(|src| StoryImage {
                src: src.to_string(),
                alt: None,
            }),
        body,
        ..Story::default()
    };
    Ok((story, about, notes))
}

/// `post_date_gmt` with the offset `post_date` shows, so the date reads
/// as the site showed it; a post never published has only `post_date`.
fn date(item: &wxr::Item) -> Result<chrono::DateTime<chrono::FixedOffset>, String> {
    let parse = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok();
    let local = parse(&item.date_local);
    let gmt = parse(&item.date_gmt).filter(|g| g.and_utc().timestamp() > 0);
    match (local, gmt) {
        (Some(local), Some(gmt)) => {
            let minutes = (local - gmt).num_minutes();
            let offset = chrono::FixedOffset::east_opt((minutes * 60) as i32).ok_or_else(|| {
                format!(
                    "post {}: its local and GMT dates are {minutes} minutes apart",
                    item.id
                )
            })?;
            Ok(offset.from_utc_datetime(&gmt))
        }
        (Some(local), None) => Ok(chrono::Utc.from_utc_datetime(&local).fixed_offset()),
        (None, Some(gmt)) => Ok(chrono::Utc.from_utc_datetime(&gmt).fixed_offset()),
        (None, None) => Err(format!("post {} has no date (`wp:post_date`)", item.id)),
    }
}

fn section_names(stories: &[Story], export: &wxr::Export) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in &export.items {
        for (domain, nicename, display) in &item.terms {
            let section = clean_name(&decode(nicename));
            if domain == "category"
                && stories
                    .iter()
                    .any(|s| s.content_path.starts_with(&format!("{section}/")))
            {
                out.entry(section).or_insert_with(|| body::text_of(display));
            }
        }
    }
    out
}

fn profile(name: &str, email: Option<&str>) -> AuthorProfile {
    AuthorProfile {
        name: name.to_string(),
        bio: None,
        photo: None,
        links: email
            .map(|e| ProfileLink {
                title: "Email".into(),
                url: format!("mailto:{e}"),
            })
            .into_iter()
            .collect(),
    }
}

/// WordPress keeps non-ASCII slugs percent-encoded.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .to_string()
}
