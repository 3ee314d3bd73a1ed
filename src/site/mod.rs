//! The `site` stage: the model every page is rendered from.
//!
//! [`Site::assemble`] takes validated articles, holds back drafts and
//! embargoed articles, sorts the rest newest first and computes every list
//! once — sections (with ancestors), tags, authors, date archives — as
//! vectors of article indices. Because articles are sorted before the lists
//! are filled, every list comes out newest first without sorting again. It
//! also resolves related links and lays out the pages, refusing two pages on
//! one URL.

mod fronts;
mod lists;
mod pages;
mod related;
mod suggested;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::fronts::Fronts;
use crate::content::{Article, AuthorProfile};
use crate::error::Diagnostic;

pub use fronts::{curated, Banner, BannerTarget, Curated};
pub use lists::{Archive, ArchiveKind, Author, Section, Tag};
pub use pages::{sitemap_chunk, FeedOf, Page, PageKind, NEWS_SITEMAP_MAX};
pub use related::{computed_related, RelatedLink};
pub use suggested::Suggested;

/// Choices that change which articles are published.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteOptions {
    /// Publish articles marked `draft: true`.
    pub drafts: bool,
    /// Publish articles dated (or embargoed) after `now`.
    pub future: bool,
    /// The instant the site is built as of; `None` is the current time.
    pub now: Option<DateTime<FixedOffset>>,
}

/// How many days a story stays in the news sitemap.
pub const NEWS_DAYS: i64 = 2;

/// Articles left out of a build, and when the next one is due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldBack {
    pub drafts: usize,
    pub embargoed: usize,
    /// When the next embargoed article becomes publishable.
    pub next_due: Option<DateTime<FixedOffset>>,
    /// When the next pick of fronts.yaml, or its banner, lapses.
    pub next_lapse: Option<DateTime<FixedOffset>>,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The instant the site was built as of.
    pub now: DateTime<FixedOffset>,
    /// Published articles, newest first (ties by section, then slug).
    pub articles: Vec<Arc<Article>>,
    /// Each article's URL path relative to the site root (`news/us/slug/`,
    /// or a file such as `2025/03/26/slug.html`).
    pub article_paths: Vec<String>,
    /// The folder each article's bundle files are published in: its page's
    /// folder, or for a page written as a file, the folder of its name.
    pub article_dirs: Vec<String>,
    /// Each article's last change: its date, update or latest correction.
    pub modified: Vec<DateTime<FixedOffset>>,
    /// Every article index, in order: the home page's list.
    pub all: Vec<usize>,
    /// Each article's resolved related links, in front-matter order.
    pub related: Vec<Vec<RelatedLink>>,
    /// Each article's `related(to=…)` shortcodes: (call, target article).
    pub inline_related: Vec<Vec<(usize, usize)>>,
    /// Every section and ancestor, sorted by path.
    pub sections: Vec<Section>,
    /// Indices of top-level sections in navigation order.
    pub nav: Vec<usize>,
    /// Tags merged by slug, sorted by slug.
    pub tags: Vec<Tag>,
    /// Each article's tags as (index into `tags`, position in that tag's
    /// list), for related stories: looked up once, not per page.
    pub article_tags: Vec<Vec<(usize, usize)>>,
    /// Bylines merged by slug, sorted by slug.
    pub authors: Vec<Author>,
    /// Years, months and days, newest first within each kind.
    pub archives: Vec<Archive>,
    /// Every correction as (article, correction), newest first.
    pub corrections: Vec<(usize, usize)>,
    /// Articles published in the two days before `now`, for Google News.
    pub news: Vec<usize>,
    /// Every page to write.
    pub pages: Vec<Page>,
    /// Articles left out of this build.
    pub held: HeldBack,
    /// Article index by path under content/ (`news/us/a.md`), for `@/` links.
    pub by_content_path: FxHashMap<String, usize>,
    /// The editors' picks for the fronts, and the breaking banner.
    pub curated: Curated,
}

impl Site {
    /// Builds the model; fails with every broken link and URL clash.
    pub fn assemble(
        config: &Config,
        articles: Vec<Arc<Article>>,
        profiles: &[AuthorProfile],
        options: SiteOptions,
    ) -> Result<Site, Vec<Diagnostic>> {
        Site::assemble_with(config, articles, profiles, &Fronts::default(), options)
    }

    /// [`Site::assemble`] with the editors' picks of fronts.yaml.
    pub fn assemble_with(
        config: &Config,
        articles: Vec<Arc<Article>>,
        profiles: &[AuthorProfile],
        fronts: &Fronts,
        options: SiteOptions,
    ) -> Result<Site, Vec<Diagnostic>> {
        let now = options
            .now
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
        let mut held = HeldBack::default();
        let mut statuses = Vec::with_capacity(articles.len());
        let mut published = Vec::with_capacity(articles.len());
        for a in articles {
            let due = a.embargo.map_or(a.date, |e| e.max(a.date));
            let status = if a.draft && !options.drafts {
                held.drafts += 1;
                Status::Draft
            } else if due > now && !options.future {
                held.embargoed += 1;
                held.next_due = Some(
                    held.next_due
                        .map_or(due, |n: DateTime<FixedOffset>| n.min(due)),
                );
                Status::Embargoed(due)
            } else {
                Status::Published
            };
            statuses.push((format!("{}/{}", a.section, a.slug), status));
            if status == Status::Published {
                published.push(a);
            }
        }
        let mut articles = published;
        articles.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.section.cmp(&b.section))
                .then_with(|| a.slug.cmp(&b.slug))
                .then_with(|| a.source.cmp(&b.source))
        });
        // The lists are independent of each other: built side by side.
        let paths = || -> (Vec<String>, Vec<_>) {
            let paths = articles
                .par_iter()
                .map(|a| match &a.path {
                    Some(path) => path.clone(),
                    None => permalink_path(config.permalink_for(&a.section), a, config),
                })
                .collect();
            (paths, articles.iter().map(|a| last_modified(a)).collect())
        };
        let sections = || {
            let sections = lists::sections(config, &articles);
            let nav = lists::nav(config, &sections);
            (sections, nav)
        };
        let tags = || {
            let tags = lists::tags(&articles);
            let positions = lists::tag_positions(articles.len(), &tags);
            (tags, positions)
        };
        let (
            (((article_paths, modified), related), ((sections, nav), (tags, article_tags))),
            ((authors, archives), corrections),
        ) = rayon::join(
            || {
                rayon::join(
                    || rayon::join(paths, || related::resolve(&articles, &statuses)),
                    || rayon::join(sections, tags),
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || lists::authors(&articles, profiles),
                            || lists::archives(config, &articles),
                        )
                    },
                    || lists::corrections(&articles),
                )
            },
        );
        let two_days_ago = now - chrono::Duration::days(NEWS_DAYS);
        let news = (0..articles.len())
            .filter(|&i| articles[i].date >= two_days_ago && articles[i].date <= now)
            .collect();
        let by_content_path = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.content_path.clone(), i))
            .collect();
        let mut site = Site {
            now,
            all: (0..articles.len()).collect(),
            articles,
            article_dirs: article_paths
                .iter()
                .map(|p| crate::urls::page_folder(p))
                .collect(),
            article_paths,
            modified,
            related: Vec::new(),
            inline_related: Vec::new(),
            sections,
            nav,
            tags,
            article_tags,
            authors,
            archives,
            corrections,
            news,
            pages: Vec::new(),
            held,
            by_content_path,
            curated: Curated::default(),
        };
        let mut errors = Vec::new();
        match related {
            Ok(r) => site.related = r,
            Err(mut e) => errors.append(&mut e),
        }
        // Independent of each other, and each a pass over every article.
        let ((inline, curated), pages) = rayon::join(
            || {
                rayon::join(
                    || related::resolve_inline(&site.articles, &statuses),
                    || fronts::resolve(fronts, &site.articles, &statuses, &site.sections, now),
                )
            },
            || pages::lay_out(&site, config),
        );
        match inline {
            Ok(r) => site.inline_related = r,
            Err(mut e) => errors.append(&mut e),
        }
        match curated {
            Ok(c) => {
                site.held.next_lapse = c.next_lapse;
                site.curated = c;
            }
            Err(mut e) => errors.append(&mut e),
        }
        match pages {
            Ok(p) => site.pages = p,
            Err(mut e) => errors.append(&mut e),
        }
        if errors.is_empty() {
            Ok(site)
        } else {
            Err(errors)
        }
    }

    /// Where a list with a feed lives (`news/us/`, `tags/climate/`); its
    /// feed is `atom.xml` inside. The one place these paths are made.
    pub fn list_base(&self, of: FeedOf) -> String {
        match of {
            FeedOf::Home => String::new(),
            FeedOf::Section(i) => format!("{}/", self.sections[i].path),
            FeedOf::Tag(i) => format!("tags/{}/", self.tags[i].slug),
            FeedOf::Author(i) => format!("authors/{}/", self.authors[i].slug),
        }
    }

    /// Every page bundle's files, as (output path, source file), in order:
    /// each published beside its article's page.
    pub fn bundle_files(&self) -> Vec<(String, std::path::PathBuf)> {
        let mut out = Vec::new();
        for (a, path) in self.articles.iter().zip(&self.article_dirs) {
            if let Some(bundle) = &a.bundle {
                for f in &bundle.files {
                    out.push((format!("{path}{f}"), bundle.dir.join(f)));
                }
            }
        }
        out
    }

    /// The articles a list page shows, newest first.
    pub fn list(&self, kind: PageKind) -> Option<&[usize]> {
        match kind {
            PageKind::Home | PageKind::Feed(FeedOf::Home) | PageKind::Rss => Some(&self.all),
            PageKind::Section(i) | PageKind::Feed(FeedOf::Section(i)) => {
                Some(&self.sections[i].articles)
            }
            PageKind::Tag(i) | PageKind::Feed(FeedOf::Tag(i)) => Some(&self.tags[i].articles),
            PageKind::Author(i) | PageKind::Feed(FeedOf::Author(i)) => {
                Some(&self.authors[i].articles)
            }
            PageKind::Archive(i) => Some(&self.archives[i].articles),
            _ => None,
        }
    }
}

/// Whether an article is published in this build, for related links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Published,
    Draft,
    Embargoed(DateTime<FixedOffset>),
}

/// The article's URL path from a permalink pattern.
fn permalink_path(pattern: &str, a: &Article, config: &Config) -> String {
    let local = a.date.with_timezone(&config.timezone).date_naive();
    pattern_path(pattern, &a.section, &a.slug, local)
}

/// A permalink pattern filled in: a folder (`news/us/slug/`), or a file
/// when the pattern ends in `.html`. `date` is in the site's time zone.
pub fn pattern_path(pattern: &str, section: &str, slug: &str, date: chrono::NaiveDate) -> String {
    let mut out = String::with_capacity(pattern.len() + section.len() + slug.len());
    let trimmed = pattern.trim_matches('/');
    for part in trimmed.split('/') {
        for (token, literal) in crate::config::permalink_pieces(part) {
            match token {
                Some(":section") => out.push_str(section),
                Some(":slug") => out.push_str(slug),
                Some(":year") => out.push_str(&date.format("%Y").to_string()),
                Some(":month") => out.push_str(&date.format("%m").to_string()),
                Some(":day") => out.push_str(&date.format("%d").to_string()),
                Some(other) => out.push_str(other),
                None => {}
            }
            out.push_str(literal);
        }
        out.push('/');
    }
    if crate::config::is_file_pattern(pattern) {
        out.pop();
    }
    out
}

/// The latest of an article's date, `updated`, corrections and, for a
/// live blog, its latest update.
pub fn last_modified(a: &Article) -> DateTime<FixedOffset> {
    a.corrections
        .iter()
        .map(|c| c.date)
        .chain(a.updated)
        .chain(a.live.as_ref().and_then(|l| l.latest()))
        .fold(a.date, |latest, d| latest.max(d))
}

#[cfg(test)]
mod tests;
