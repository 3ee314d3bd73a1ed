//! Keeping each article's old URL with as few `path`s as possible: for
//! each section, the Dateline pattern that gives most of its articles'
//! old URLs becomes its `[permalinks]` entry (or none, when that is the
//! site's pattern); every article it does not fit gets a `path`.

use std::collections::BTreeMap;

use super::names::{bundle_name, clean_name};
use super::{SiteToml, Story};

/// Sets each story's `slug` and `path` and the site's per-section
/// patterns so that every story is published at its `old_url`. `tz` is the
/// site's time zone, in which Dateline reads a pattern's date tokens.
/// An old URL where Dateline writes a page of its own (`/tags/`, a
/// section front) cannot be kept: that story goes where Dateline puts
/// it, and is returned with the URL it lost.
pub fn fit(stories: &mut [Story], site: &mut SiteToml, tz: chrono_tz::Tz) -> Vec<(usize, String)> {
    let sections: Vec<String> = stories.iter().map(section_of).collect();
    let mut lost = Vec::new();
    for (i, story) in stories.iter_mut().enumerate() {
        if taken(&story.old_url, &sections) {
            lost.push((i, std::mem::take(&mut story.old_url)));
        }
    }
    let mut tallies: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for story in stories.iter() {
        let Some(date) = local_date(story, tz) else {
            continue;
        };
        if let Some(pattern) = pattern_of(&story.old_url, &section_of(story), date) {
            *tallies
                .entry(section_of(story))
                .or_default()
                .entry(pattern)
                .or_default() += 1;
        }
    }
    for (section, counts) in &tallies {
        // The most articles; among equals, the first in order, so the
        // choice is the same on every run.
        let best = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(p, _)| p.clone());
        if let Some(pattern) = best.filter(|p| p != &site.permalink) {
            site.permalinks.insert(section.clone(), pattern);
        }
    }
    for story in stories.iter_mut() {
        place_one(story, site, tz);
    }
    // The section's pattern might give the taken URL again.
    for (i, _) in &lost {
        let story = &mut stories[*i];
        let slug = story
            .slug
            .clone()
            .unwrap_or_else(|| bundle_name(&story.content_path));
        story.path = Some(format!("/{}/{slug}/", section_of(story)));
    }
    lost
}

/// Dateline's own lists at the top of the site, and the section fronts.
fn taken(url: &str, sections: &[String]) -> bool {
    const LISTS: &[&str] = &[
        "tags",
        "authors",
        "corrections",
        "search",
        "search-index",
        "page",
    ];
    let trimmed = url.trim_matches('/');
    let first = trimmed.split('/').next().unwrap_or("");
    let single = !trimmed.contains('/') && url.ends_with('/');
    (single && (LISTS.contains(&first) || sections.iter().any(|s| s == first)))
        || (matches!(first, "tags" | "authors" | "page") && trimmed.contains('/'))
}

fn place_one(story: &mut Story, site: &SiteToml, tz: chrono_tz::Tz) {
    // No old URL to keep: the article goes where Dateline puts it.
    if story.old_url.is_empty() {
        return;
    }
    let section = section_of(story);
    let last = story
        .old_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let last = last.strip_suffix(".html").unwrap_or(last);
    let slug = match crate::urls::check_slug(last) {
        Ok(()) => last.to_string(),
        Err(_) => clean_name(last),
    };
    if slug != bundle_name(&story.content_path) {
        story.slug = Some(slug.clone());
    }
    let pattern = site.permalinks.get(&section).unwrap_or(&site.permalink);
    let given = local_date(story, tz).map(|date| {
        format!(
            "/{}",
            crate::site::pattern_path(pattern, &section, &slug, date)
        )
    });
    if given.as_deref() != Some(story.old_url.as_str()) {
        story.path = Some(story.old_url.clone());
    }
}

fn section_of(story: &Story) -> String {
    story.section.clone().unwrap_or_else(|| {
        story
            .content_path
            .split('/')
            .next()
            .unwrap_or("")
            .to_string()
    })
}

fn local_date(story: &Story, tz: chrono_tz::Tz) -> Option<chrono::NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(&story.date)
        .ok()
        .map(|d| d.with_timezone(&tz).date_naive())
}

/// The Dateline pattern that gives `url` for an article of `section` on
/// `date`: its parts that are the section or the date become tokens, the
/// last part (a slug Dateline accepts) `:slug`, the rest stay literal.
fn pattern_of(url: &str, section: &str, date: chrono::NaiveDate) -> Option<String> {
    let file = url.ends_with(".html");
    let trimmed = url.trim_matches('/');
    let trimmed = trimmed.strip_suffix(".html").unwrap_or(trimmed);
    let parts: Vec<&str> = trimmed.split('/').collect();
    let (last, dirs) = parts.split_last()?;
    crate::urls::check_slug(last).ok()?;
    let (year, month, day) = (
        date.format("%Y").to_string(),
        date.format("%m").to_string(),
        date.format("%d").to_string(),
    );
    let mut out = String::from("/");
    for (i, part) in dirs.iter().enumerate() {
        let token = match *part {
            p if p == section && i == 0 => ":section",
            p if p == year => ":year",
            p if p == month && i > 0 && dirs[i - 1] == year => ":month",
            p if p == day && i > 1 && dirs[i - 1] == month => ":day",
            // A literal part with a `:` would read as a token.
            p if p.contains(':') || p.is_empty() => return None,
            p => p,
        };
        out.push_str(token);
        out.push('/');
    }
    out.push_str(":slug");
    out.push_str(if file { ".html" } else { "/" });
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(path: &str, date: &str, url: &str) -> Story {
        Story {
            content_path: path.into(),
            date: date.into(),
            old_url: url.into(),
            ..Story::default()
        }
    }

    #[test]
    fn the_commonest_shape_becomes_the_pattern_and_the_rest_get_paths() {
        let mut site = SiteToml {
            permalink: crate::config::DEFAULT_PERMALINK.into(),
            ..SiteToml::default()
        };
        let mut stories = vec![
            story(
                "blog/a.md",
                "2024-05-03T23:30:00-04:00",
                "/blog/2024/05/03/A.b.html",
            ),
            story(
                "blog/b.md",
                "2024-06-01T10:00:00Z",
                "/blog/2024/06/01/b.html",
            ),
            story("blog/c.md", "2024-06-02T10:00:00Z", "/news/c-story/"),
            story("notes/d.md", "2024-06-02T10:00:00Z", "/notes/d/"),
        ];
        fit(&mut stories, &mut site, chrono_tz::Tz::America__New_York);
        assert_eq!(
            site.permalinks.get("blog").map(String::as_str),
            Some("/:section/:year/:month/:day/:slug.html")
        );
        // `notes` follows the site's own pattern: no entry.
        assert!(!site.permalinks.contains_key("notes"));
        assert_eq!(stories[0].slug.as_deref(), Some("A.b"));
        assert_eq!(stories[0].path, None, "its New York date is the 3rd");
        assert_eq!(stories[1].slug, None);
        assert_eq!(stories[2].path.as_deref(), Some("/news/c-story/"));
        assert_eq!(stories[3].path, None);
    }
}
