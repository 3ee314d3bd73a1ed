//! The typed contexts templates receive. Each page gets the page itself, a
//! paginator when it is a list, and the small `site` block — never the
//! whole site, so rendering cost stays proportional to the page.

use chrono::{DateTime, FixedOffset, Timelike};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::{title_case, Config};
use crate::content::{Article, Image};
use crate::site::Site;

/// A labelled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A link with a count, for tag and archive lists.
#[derive(Debug, Clone, Serialize)]
pub struct CountedLink {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// Site-wide values every template may use.
#[derive(Debug, Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    /// Top-level sections for the header navigation.
    pub nav: Vec<Link>,
    pub tags_url: String,
}

/// A date in the site's time zone, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct DateCtx {
    /// Machine-readable, for `<time datetime>`: RFC 3339 with offset.
    pub iso: String,
    /// `November 24, 2026`.
    pub display: String,
    /// `8:30 AM EST`; empty for a date given without a time.
    pub time: String,
    /// Link to the day's archive.
    pub archive_url: String,
}

/// What a list shows of an article: a card.
#[derive(Debug, Clone, Serialize)]
pub struct Card<'a> {
    pub headline: &'a str,
    pub dek: Option<&'a str>,
    pub url: String,
    pub date: DateCtx,
    pub kind: &'a str,
    pub kind_label: String,
    pub section: Link,
    pub authors: &'a [String],
    pub image: Option<&'a Image>,
}

/// Turns model values into context values; holds the URL prefix and zone.
pub struct Urls<'a> {
    pub config: &'a Config,
}

impl Urls<'_> {
    /// Root-relative link for a site path (`news/us/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_path)
    }

    /// Absolute URL for a site path, for sharing and canonical links.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    pub fn date(&self, date: &DateTime<FixedOffset>) -> DateCtx {
        let tz: Tz = self.config.timezone;
        let local = date.with_timezone(&tz);
        let midnight = local.hour() == 0 && local.minute() == 0 && local.second() == 0;
        DateCtx {
            iso: date.to_rfc3339(),
            display: local.format("%B %-d, %Y").to_string(),
            time: if midnight {
                String::new()
            } else {
                local.format("%-I:%M %p %Z").to_string()
            },
            archive_url: self.url(&local.format("%Y/%m/%d/").to_string()),
        }
    }

    pub fn section_link(&self, site: &Site, path: &str) -> Link {
        let name = site
            .sections
            .binary_search_by(|s| s.path.as_str().cmp(path))
            .map_or_else(
                |_| self.config.section_name(path),
                |i| site.sections[i].name.clone(),
            );
        Link {
            name,
            url: self.url(&format!("{path}/")),
        }
    }

    /// `News › World › Asia`, each linking to its front.
    pub fn breadcrumbs(&self, site: &Site, section: &str) -> Vec<Link> {
        section
            .match_indices('/')
            .map(|(i, _)| &section[..i])
            .chain(std::iter::once(section))
            .map(|p| self.section_link(site, p))
            .collect()
    }

    pub fn card<'a>(&self, site: &Site, article: &'a Article, path: &str) -> Card<'a> {
        Card {
            headline: &article.headline,
            dek: article.dek.as_deref(),
            url: self.url(path),
            date: self.date(&article.date),
            kind: &article.kind,
            kind_label: title_case(&article.kind),
            section: self.section_link(site, &article.section),
            authors: &article.authors,
            image: article.image.as_ref(),
        }
    }

    pub fn site(&self, site: &Site) -> SiteCtx {
        SiteCtx {
            title: self.config.title.clone(),
            base_url: self.config.base_url.clone(),
            base_path: self.config.base_path.clone(),
            language: self.config.language.clone(),
            nav: site
                .nav
                .iter()
                .map(|&i| Link {
                    name: site.sections[i].name.clone(),
                    url: self.url(&format!("{}/", site.sections[i].path)),
                })
                .collect(),
            tags_url: self.url("tags/"),
        }
    }
}

/// Which page of a list this is, with links to its neighbours.
#[derive(Debug, Serialize)]
pub struct Paginator<'a> {
    pub items: Vec<&'a serde_json::Value>,
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// What every page says about itself.
#[derive(Debug, Serialize)]
pub struct PageCtx {
    /// `home`, `article`, `section`, `tag`, `tags`, `archive`, `404`.
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub description: Option<String>,
}
