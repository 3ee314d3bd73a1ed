//! The lists of the site: sections, tags and date archives.
//!
//! Each list holds article indices. Articles arrive sorted newest first and
//! are visited in that order, so every list is already newest first.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::Datelike;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Article, AuthorProfile};
use crate::urls::slugify;

/// A section front, such as `news/world/asia`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Slash path, `news/world/asia`.
    pub path: String,
    /// Display name from site.toml or the last path segment.
    pub name: String,
    /// Index of the parent section.
    pub parent: Option<usize>,
    /// Indices of child sections, sorted by path.
    pub children: Vec<usize>,
    /// Articles in this section and every section below it.
    pub articles: Vec<usize>,
}

/// A tag page: every spelling with the same slug is one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub slug: String,
    /// The spelling used most often (ties: the first in sort order).
    pub name: String,
    pub articles: Vec<usize>,
}

/// An author page: every byline spelled with the same slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub slug: String,
    pub name: String,
    pub articles: Vec<usize>,
    /// From authors.yaml, when it has an entry for this name.
    pub profile: Option<AuthorProfile>,
}

/// Which calendar span a date archive covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArchiveKind {
    Year,
    Month,
    Day,
}

/// A date archive page: `/2026/`, `/2026/11/` or `/2026/11/24/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    pub kind: ArchiveKind,
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// URL path relative to the site root (`2026/11/`).
    pub path: String,
    pub articles: Vec<usize>,
}

/// Every section that holds an article, with all its ancestors.
pub fn sections(config: &Config, articles: &[Arc<Article>]) -> Vec<Section> {
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        let mut end = 0;
        loop {
            end = a.section[end..]
                .find('/')
                .map_or(a.section.len(), |p| end + p);
            members.entry(&a.section[..end]).or_default().push(i);
            if end == a.section.len() {
                break;
            }
            end += 1;
        }
    }
    let index: HashMap<&str, usize> = members.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut sections: Vec<Section> = members
        .iter()
        .map(|(path, list)| Section {
            path: path.to_string(),
            name: config.section_name(path),
            parent: path
                .rsplit_once('/')
                .and_then(|(p, _)| index.get(p).copied()),
            children: Vec::new(),
            articles: list.clone(),
        })
        .collect();
    for i in 0..sections.len() {
        if let Some(p) = sections[i].parent {
            sections[p].children.push(i);
        }
    }
    sections
}

/// Top-level sections: those named in site.toml first, in file order, then
/// the rest alphabetically.
pub fn nav(config: &Config, sections: &[Section]) -> Vec<usize> {
    let top: Vec<usize> = (0..sections.len())
        .filter(|&i| sections[i].parent.is_none())
        .collect();
    let mut order: Vec<usize> = config
        .sections
        .iter()
        .filter_map(|(path, _)| top.iter().copied().find(|&i| &sections[i].path == path))
        .collect();
    for i in top {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// Tags merged by slug (`Politics` and `politics` are one tag).
/// Each article's (tag, position in the tag's list), by tag index.
pub fn tag_positions(articles: usize, tags: &[Tag]) -> Vec<Vec<(usize, usize)>> {
    let mut positions = vec![Vec::new(); articles];
    for (t, tag) in tags.iter().enumerate() {
        for (at, &a) in tag.articles.iter().enumerate() {
            positions[a].push((t, at));
        }
    }
    positions
}

pub fn tags(articles: &[Arc<Article>]) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, (Vec<usize>, BTreeMap<&str, usize>)> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for (tag, slug) in a.tags.iter().zip(&a.tag_slugs) {
            let (list, spellings) = match by_slug.get_mut(slug.as_str()) {
                Some(entry) => entry,
                None => by_slug.entry(slug.clone()).or_default(),
            };
            // An article that lists one tag twice is listed on its page once.
            if list.last() != Some(&i) {
                list.push(i);
            }
            *spellings.entry(tag.as_str()).or_default() += 1;
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, (articles, spellings))| {
            let name = most_used(&spellings, &slug);
            Tag {
                slug,
                name,
                articles,
            }
        })
        .collect()
}

/// Year, month and day archives in the site's time zone, newest first.
pub fn archives(config: &Config, articles: &[Arc<Article>]) -> Vec<Archive> {
    type Span = (ArchiveKind, std::cmp::Reverse<(i32, u32, u32)>);
    let mut spans: BTreeMap<Span, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        let local = a.date.with_timezone(&config.timezone);
        let (y, m, d) = (local.year(), local.month(), local.day());
        for key in [
            (ArchiveKind::Year, (y, 0, 0)),
            (ArchiveKind::Month, (y, m, 0)),
            (ArchiveKind::Day, (y, m, d)),
        ] {
            spans
                .entry((key.0, std::cmp::Reverse(key.1)))
                .or_default()
                .push(i);
        }
    }
    spans
        .into_iter()
        .map(
            |((kind, std::cmp::Reverse((year, month, day))), articles)| Archive {
                kind,
                year,
                month,
                day,
                path: match kind {
                    ArchiveKind::Year => format!("{year:04}/"),
                    ArchiveKind::Month => format!("{year:04}/{month:02}/"),
                    ArchiveKind::Day => format!("{year:04}/{month:02}/{day:02}/"),
                },
                articles,
            },
        )
        .collect()
}

/// Bylines merged by slug, with their authors.yaml profiles.
pub fn authors(articles: &[Arc<Article>], profiles: &[AuthorProfile]) -> Vec<Author> {
    // Slugs made side by side, gathered in article order.
    let slugs: Vec<Vec<String>> = articles
        .par_iter()
        .map(|a| a.authors.iter().map(|name| slugify(name)).collect())
        .collect();
    let mut by_slug: BTreeMap<String, (Vec<usize>, BTreeMap<&str, usize>)> = BTreeMap::new();
    for (i, (a, slugs)) in articles.iter().zip(slugs).enumerate() {
        for (name, slug) in a.authors.iter().zip(slugs) {
            let (list, spellings) = by_slug.entry(slug).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
            *spellings.entry(name.as_str()).or_default() += 1;
        }
    }
    let profiles: HashMap<String, &AuthorProfile> =
        profiles.iter().map(|p| (slugify(&p.name), p)).collect();
    by_slug
        .into_iter()
        .filter(|(slug, _)| !slug.is_empty())
        .map(|(slug, (articles, spellings))| {
            let profile = profiles.get(&slug).map(|p| (*p).clone());
            let name = profile
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_else(|| most_used(&spellings, &slug));
            Author {
                slug,
                name,
                articles,
                profile,
            }
        })
        .collect()
}

fn most_used(spellings: &BTreeMap<&str, usize>, fallback: &str) -> String {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map_or_else(|| fallback.to_string(), |(n, _)| n.to_string())
}

/// Every correction as (article, correction index), newest first.
pub fn corrections(articles: &[Arc<Article>]) -> Vec<(usize, usize)> {
    let mut all: Vec<(usize, usize)> = articles
        .iter()
        .enumerate()
        .flat_map(|(i, a)| (0..a.corrections.len()).map(move |c| (i, c)))
        .collect();
    all.sort_by(|&(a, x), &(b, y)| {
        articles[b].corrections[y]
            .date
            .cmp(&articles[a].corrections[x].date)
            .then((a, x).cmp(&(b, y)))
    });
    all
}
