//! The typed contexts templates receive. Each page gets the page itself, a
//! paginator when it is a list, and the small `site` block — never the
//! whole site, so rendering cost stays proportional to the page.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use serde::Serialize;

use crate::config::{title_case, Config};
use crate::content::{Article, Image};
use crate::site::Site;
use crate::urls::slugify;

/// A labelled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// An author: name, page URL and its absolute form.
#[derive(Debug, Clone, Serialize)]
pub struct PersonLink {
    pub name: String,
    pub url: String,
    pub permalink: String,
}

/// A link with a count, for tag, author and archive lists.
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
    pub description: Option<String>,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    /// Top-level sections for the header navigation.
    pub nav: Vec<Link>,
    pub tags_url: String,
    pub authors_url: String,
    pub corrections_url: String,
    /// The whole site's Atom and RSS feeds (absolute URLs).
    pub feed_url: String,
    pub rss_url: String,
    /// The breaking-news banner, while it runs: text and url.
    pub breaking: Option<Link>,
    /// The search page, its index's scripts and the OpenSearch
    /// description; all absent with `search = false`.
    pub search: Option<SearchCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchCtx {
    pub url: String,
    /// The folder of the search index (`/search-index/`).
    pub bundle_url: String,
    pub opensearch_url: String,
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
    /// RFC 2822, for RSS.
    pub rfc2822: String,
    /// Link to the day's archive.
    pub archive_url: String,
}

/// A lead image with its URLs resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ImageCtx<'a> {
    /// For `src`: a mid-sized derivative of a local photo, or the image
    /// as written (site paths get the base path).
    pub src: String,
    /// Absolute, for Open Graph and structured data: a derivative at
    /// least 1200 px wide where the photo has one.
    pub permalink: String,
    /// Empty (no `srcset`, zero size) for an image that is not a local
    /// photo.
    #[serde(flatten)]
    pub picture: PictureCtx,
    pub alt: Option<&'a str>,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
}

/// A local photo's derivatives, as `<picture>` and `srcset` want them.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PictureCtx {
    /// The photo's displayed size, for `width` and `height` (no layout
    /// shift while it loads).
    pub width: u32,
    pub height: u32,
    /// `url 480w, url 800w, …` in the photo's own format.
    pub srcset: String,
    /// The same widths in WebP; empty when not made.
    pub webp_srcset: String,
    /// The sharing derivative's size, for `og:image:width`.
    pub share_width: u32,
    pub share_height: u32,
}

/// What a list shows of an article: a card.
#[derive(Debug, Clone, Serialize)]
pub struct Card<'a> {
    pub headline: &'a str,
    pub dek: Option<&'a str>,
    /// The dek, or else the first paragraph.
    pub excerpt: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: DateCtx,
    pub kind: &'a str,
    pub kind_label: String,
    pub section: Link,
    pub authors: Vec<PersonLink>,
    pub image: Option<ImageCtx<'a>>,
    pub reading_minutes: usize,
    /// A live blog whose coverage still runs: the card says "Live".
    pub live: bool,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The output path of a lead image published from the site's own files
/// (a bundle's file beside the page, or a site path); `None` for URLs.
pub fn image_rel(image: &Image, path: &str) -> Option<String> {
    if image.bundled {
        let folder = crate::urls::page_folder(path);
        crate::markdown::bundle_ref(&image.src)
            .map(|r| format!("{folder}{}", crate::markdown::decoded(r)))
    } else {
        let rest = image
            .src
            .strip_prefix('/')
            .filter(|r| !r.starts_with('/'))?;
        Some(crate::markdown::decoded(rest.split(['#', '?']).next().unwrap_or("")).into())
    }
}

/// The widest derivative a card offers.
pub const CARD_MAX_WIDTH: u32 = 800;
/// The width of the derivative in a photo's plain `src`.
const MID_WIDTH: u32 = 800;

/// Turns model values into context values; holds the URL prefix and zone.
pub struct Urls<'a> {
    pub config: &'a Config,
    /// The photos' derivatives.
    pub images: &'a crate::images::ImagePlan,
}

impl Urls<'_> {
    /// Root-relative link for a site path (`news/us/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_path)
    }

    /// Absolute URL for a site path, for sharing, feeds and canonical links.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    /// A URL written in content: site paths (`/images/x.jpg`) are relative
    /// to the site root; full URLs stay as they are.
    pub fn resolve(&self, src: &str) -> (String, String) {
        match src.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => (self.url(rest), self.permalink(rest)),
            _ => (src.to_string(), src.to_string()),
        }
    }

    /// Written out by hand rather than through `format` strings, which
    /// chrono parses anew on every call: every page shows several dates.
    pub fn date(&self, date: &DateTime<FixedOffset>) -> DateCtx {
        let local = date.with_timezone(&self.config.timezone);
        let midnight = local.hour() == 0 && local.minute() == 0 && local.second() == 0;
        let (year, day) = (local.year(), local.day());
        let month = MONTHS[local.month0() as usize];
        let (pm, hour) = local.hour12();
        DateCtx {
            iso: date.to_rfc3339(),
            display: format!("{month} {day}, {year:04}"),
            time: if midnight {
                String::new()
            } else {
                let half = if pm { "PM" } else { "AM" };
                format!("{hour}:{:02} {half} {}", local.minute(), local.offset())
            },
            rfc2822: date.to_rfc2822(),
            archive_url: format!(
                "{}{year:04}/{:02}/{day:02}/",
                self.config.base_path,
                local.month()
            ),
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

    pub fn author_links(&self, site: &Site, names: &[String]) -> Vec<PersonLink> {
        names
            .iter()
            .map(|name| {
                let slug = slugify(name);
                let name = site
                    .authors
                    .binary_search_by(|a| a.slug.as_str().cmp(&slug))
                    .map_or_else(|_| name.clone(), |i| site.authors[i].name.clone());
                let path = format!("authors/{slug}/");
                PersonLink {
                    name,
                    url: self.url(&path),
                    permalink: self.permalink(&path),
                }
            })
            .collect()
    }

    /// The lead image of the article at `path`: a bundle's file is
    /// published beside the page; a local photo as derivatives no wider
    /// than `max` (cards need no 2400-pixel file).
    pub fn image<'a>(&self, image: &'a Image, path: &str, max: u32) -> ImageCtx<'a> {
        let (mut src, mut permalink) = if image.bundled {
            let folder = crate::urls::page_folder(path);
            let at = format!("{folder}{}", image.src.trim_start_matches("./"));
            (self.url(&at), self.permalink(&at))
        } else {
            self.resolve(&image.src)
        };
        let picture = image_rel(image, path).and_then(|rel| self.picture(&rel, max));
        if let Some((_, mid, share)) = &picture {
            src = mid.clone();
            permalink = share.clone();
        }
        ImageCtx {
            src,
            permalink,
            picture: picture.map(|(p, _, _)| p).unwrap_or_default(),
            alt: image.alt.as_deref(),
            caption: image.caption.as_deref(),
            credit: image.credit.as_deref(),
        }
    }

    /// The derivatives of the photo published at `rel`, no wider than
    /// `max`, with the URL of a mid-sized one (for `src`) and the
    /// sharing one's permalink.
    pub fn picture(&self, rel: &str, max: u32) -> Option<(PictureCtx, String, String)> {
        let plan = self.images;
        let p = plan.picture(rel)?;
        let srcset = |list: &[usize]| {
            let mut out = String::new();
            for (n, &v) in list.iter().enumerate() {
                let v = &plan.variants[v];
                // The narrowest always stays: a small photo has one width.
                if n > 0 && v.width > max {
                    break;
                }
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(&self.url(&v.file));
                out.push(' ');
                out.push_str(&v.width.to_string());
                out.push('w');
            }
            out
        };
        let mid = p
            .fallback
            .iter()
            .rev()
            .find(|&&v| plan.variants[v].width <= MID_WIDTH.min(max))
            .or(p.fallback.first())
            .map(|&v| self.url(&plan.variants[v].file))?;
        let share = &plan.variants[p.share];
        Some((
            PictureCtx {
                width: p.width,
                height: p.height,
                srcset: srcset(&p.fallback),
                webp_srcset: srcset(&p.webp),
                share_width: share.width,
                share_height: share.height,
            },
            mid,
            self.permalink(&share.file),
        ))
    }

    pub fn card<'a>(&self, site: &Site, article: &'a Article, path: &str) -> Card<'a> {
        Card {
            headline: &article.headline,
            dek: article.dek.as_deref(),
            excerpt: article.dek.as_deref().unwrap_or(&article.excerpt),
            url: self.url(path),
            permalink: self.permalink(path),
            date: self.date(&article.date),
            kind: &article.kind,
            kind_label: title_case(&article.kind),
            section: self.section_link(site, &article.section),
            authors: self.author_links(site, &article.authors),
            image: article
                .image
                .as_ref()
                .map(|i| self.image(i, path, CARD_MAX_WIDTH)),
            reading_minutes: crate::content::reading_minutes(article.word_count),
            live: article.live.as_ref().is_some_and(|l| l.active(site.now)),
        }
    }

    pub fn site(&self, site: &Site) -> SiteCtx {
        SiteCtx {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
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
            authors_url: self.url("authors/"),
            corrections_url: self.url("corrections/"),
            feed_url: self.permalink("atom.xml"),
            rss_url: self.permalink("rss.xml"),
            search: self.config.search.then(|| SearchCtx {
                url: self.url("search/"),
                bundle_url: self.url(&format!("{}/", crate::search::BUNDLE_DIR)),
                opensearch_url: self.url("opensearch.xml"),
            }),
            breaking: site.curated.banner.as_ref().map(|b| Link {
                name: b.text.clone(),
                url: match &b.target {
                    crate::site::BannerTarget::Article(i) => self.url(&site.article_paths[*i]),
                    crate::site::BannerTarget::Url(url) => url.clone(),
                },
            }),
        }
    }
}

/// Which page of a list this is, with links to its neighbours.
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// The cards on this page. Kept out of the derived serialization: they
    /// are template values already, shared, and [`Paginator::into_value`]
    /// joins them in.
    #[serde(skip)]
    pub items: Vec<tera::Value>,
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Paginator {
    /// The paginator as template context.
    pub fn into_value(mut self) -> tera::Value {
        let items = std::mem::take(&mut self.items);
        super::joined(tera::Value::from_serializable(&self), "items", items.into())
    }
}

/// What every page says about itself.
#[derive(Debug, Serialize)]
pub struct PageCtx {
    /// `home`, `article`, `section`, `tag`, `tags`, `author`, `authors`,
    /// `archive`, `corrections`, `404`.
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub description: Option<String>,
    /// The Atom feed of this page's list, when it has one (absolute URL).
    pub feed: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The hand-written formats agree with the chrono format strings they
    /// replaced: single-digit days and hours, morning and evening, noon and
    /// midnight, a date that is another day in the site's zone, summer and
    /// winter time.
    #[test]
    fn dates_read_as_chrono_would_print_them() {
        let config = Config::parse(
            Path::new("/site"),
            "title = \"T\"\nbase_url = \"https://x.example/paper/\"\ntimezone = \"America/New_York\"\n",
        )
        .unwrap();
        let images = crate::images::ImagePlan::default();
        let urls = Urls {
            config: &config,
            images: &images,
        };
        for text in [
            "2026-11-04T08:05:00-05:00",
            "2026-11-04T13:30:00-05:00",
            "2026-07-14T12:00:00-04:00",
            "2026-03-09T00:00:00-04:00",
            "2026-01-01T02:15:00Z",
            "2026-12-31T23:59:59+09:00",
        ] {
            let date = DateTime::parse_from_rfc3339(text).unwrap();
            let local = date.with_timezone(&config.timezone);
            let ctx = urls.date(&date);
            assert_eq!(
                ctx.display,
                local.format("%B %-d, %Y").to_string(),
                "{text}"
            );
            let midnight = local.format("%H:%M:%S").to_string() == "00:00:00";
            let time = if midnight {
                String::new()
            } else {
                local.format("%-I:%M %p %Z").to_string()
            };
            assert_eq!(ctx.time, time, "{text}");
            assert_eq!(
                ctx.archive_url,
                format!("/paper/{}", local.format("%Y/%m/%d/")),
                "{text}"
            );
        }
    }
}
