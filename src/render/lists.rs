//! List pages: home, section fronts, tags, authors, date archives,
//! corrections, and the 404 page.

use chrono::NaiveDate;
use serde::Serialize;
use tera::Value;

use super::context::{CountedLink, DateCtx, Link};
use super::{joined, Renderer};
use crate::content::ProfileLink;
use crate::error::Diagnostic;
use crate::site::{ArchiveKind, FeedOf, Page, PageKind};

/// What a list page says about its list.
#[derive(Serialize)]
struct ListCtx<'a> {
    name: String,
    url: String,
    /// The section path, tag or author slug, or `year`/`month`/`day`.
    key: String,
    count: usize,
    breadcrumbs: Vec<Link>,
    parent: Option<Link>,
    children: Vec<CountedLink>,
    /// For author pages: the authors.yaml entry.
    bio: Option<&'a str>,
    photo: Option<String>,
    links: &'a [ProfileLink],
}

/// The stories at the top of the home page (the lead and the four beside
/// it in the default theme's `index.html`), which its section blocks skip.
const FRONT_SLOTS: usize = 5;
/// Stories per section block on the home page.
const BLOCK_SIZE: usize = 4;

#[derive(Serialize)]
struct HomeSection {
    name: String,
    url: String,
    /// Cards, joined after serializing so they stay shared (and their
    /// `html` stays marked safe).
    #[serde(skip)]
    items: Vec<Value>,
}

#[derive(Serialize)]
struct CorrectionEntry<'a> {
    date: DateCtx,
    text: &'a str,
    article: Value,
}

impl Renderer<'_> {
    pub(super) fn list_page(&self, page: &Page, out: &mut Vec<u8>) -> Result<(), Vec<Diagnostic>> {
        let site = self.site;
        let mut ctx = self.context();
        let (template, kind, title, base, feed): (&str, &str, String, String, Option<FeedOf>) =
            match page.kind {
                PageKind::Home => {
                    if page.number == 1 {
                        let (blocks, latest) = self.home_blocks()?;
                        ctx.insert_value("home_sections", blocks);
                        ctx.insert_value("home_latest", latest);
                    }
                    (
                        "index.html",
                        "home",
                        self.urls.config.title.clone(),
                        String::new(),
                        Some(FeedOf::Home),
                    )
                }
                PageKind::Section(i) => {
                    let s = &site.sections[i];
                    let children = s
                        .children
                        .iter()
                        .map(|&c| {
                            self.counted(
                                &site.sections[c].name,
                                &format!("{}/", site.sections[c].path),
                                site.sections[c].articles.len(),
                            )
                        })
                        .collect();
                    let parent = s
                        .parent
                        .map(|p| self.urls.section_link(site, &site.sections[p].path));
                    let mut list =
                        self.list_ctx(&s.name, &format!("{}/", s.path), &s.path, s.articles.len());
                    list.breadcrumbs = self.urls.breadcrumbs(site, &s.path);
                    list.parent = parent;
                    list.children = children;
                    ctx.insert("section", &list);
                    (
                        "section.html",
                        "section",
                        s.name.clone(),
                        format!("{}/", s.path),
                        Some(FeedOf::Section(i)),
                    )
                }
                PageKind::Tag(i) => {
                    let t = &site.tags[i];
                    let base = site.list_base(FeedOf::Tag(i));
                    ctx.insert(
                        "tag",
                        &self.list_ctx(&t.name, &base, &t.slug, t.articles.len()),
                    );
                    (
                        "tag.html",
                        "tag",
                        t.name.clone(),
                        base,
                        Some(FeedOf::Tag(i)),
                    )
                }
                PageKind::Author(i) => {
                    let a = &site.authors[i];
                    let base = site.list_base(FeedOf::Author(i));
                    let mut list = self.list_ctx(&a.name, &base, &a.slug, a.articles.len());
                    if let Some(p) = &a.profile {
                        list.bio = p.bio.as_deref();
                        list.photo = p.photo.as_ref().map(|src| self.urls.resolve(src).0);
                        list.links = &p.links;
                    }
                    ctx.insert("author", &list);
                    (
                        "author.html",
                        "author",
                        a.name.clone(),
                        base,
                        Some(FeedOf::Author(i)),
                    )
                }
                PageKind::Archive(i) => {
                    let a = &site.archives[i];
                    let title = archive_title(a.kind, a.year, a.month, a.day);
                    let mut list = self.list_ctx(
                        &title,
                        &a.path,
                        &format!("{:?}", a.kind).to_lowercase(),
                        a.articles.len(),
                    );
                    list.children =
                        self.prepared
                            .archive_children
                            .get(&i)
                            .map_or_else(Vec::new, |c| {
                                c.iter()
                                    .map(|&c| {
                                        let ch = &site.archives[c];
                                        self.counted(
                                            &archive_title(ch.kind, ch.year, ch.month, ch.day),
                                            &ch.path,
                                            ch.articles.len(),
                                        )
                                    })
                                    .collect()
                            });
                    list.parent = self.prepared.archive_parent[i].map(|p| {
                        let a = &site.archives[p];
                        Link {
                            name: archive_title(a.kind, a.year, a.month, a.day),
                            url: self.urls.url(&a.path),
                        }
                    });
                    ctx.insert("archive", &list);
                    ("archive.html", "archive", title, a.path.clone(), None)
                }
                PageKind::Tags => {
                    let entries = site
                        .tags
                        .iter()
                        .map(|t| (t.name.as_str(), "tags", t.slug.as_str(), t.articles.len()));
                    ctx.insert("tags", &self.name_index(entries));
                    (
                        "tags.html",
                        "tags",
                        "Topics".to_string(),
                        "tags/".into(),
                        None,
                    )
                }
                PageKind::Authors => {
                    let entries = site.authors.iter().map(|a| {
                        (
                            a.name.as_str(),
                            "authors",
                            a.slug.as_str(),
                            a.articles.len(),
                        )
                    });
                    ctx.insert("authors", &self.name_index(entries));
                    (
                        "authors.html",
                        "authors",
                        "Authors".to_string(),
                        "authors/".into(),
                        None,
                    )
                }
                PageKind::Corrections => {
                    let entries: Vec<CorrectionEntry> = site
                        .corrections
                        .iter()
                        .map(|&(a, c)| {
                            let correction = &site.articles[a].corrections[c];
                            Ok(CorrectionEntry {
                                date: self.urls.date(&correction.date),
                                text: &correction.text,
                                article: self.card(a)?,
                            })
                        })
                        .collect::<Result<_, Vec<Diagnostic>>>()?;
                    ctx.insert("corrections", &entries);
                    (
                        "corrections.html",
                        "corrections",
                        "Corrections".to_string(),
                        "corrections/".into(),
                        None,
                    )
                }
                PageKind::Search => (
                    "search.html",
                    "search",
                    "Search".to_string(),
                    "search/".into(),
                    None,
                ),
                _ => (
                    "404.html",
                    "404",
                    "Page not found".to_string(),
                    "404.html".into(),
                    None,
                ),
            };
        let title = if page.number > 1 {
            format!("{title} — Page {}", page.number)
        } else {
            title
        };
        self.insert_page(
            &mut ctx,
            &self.page_ctx(kind, title, &page.path, None, feed),
        )?;
        if let Some(items) = site.list(page.kind) {
            // Only a front's first page is curated; the archive pages
            // after it stay newest first.
            let picks = match page.kind {
                PageKind::Home if page.number == 1 => &site.curated.home[..],
                PageKind::Section(i) if page.number == 1 => &site.curated.sections[i][..],
                _ => &[],
            };
            let curated;
            let items = if picks.is_empty() {
                items
            } else {
                curated = crate::site::curated(picks, items);
                &curated[..]
            };
            let paginator = self.paginator(items, page, &base)?;
            ctx.insert_value("paginator", paginator.into_value());
        }
        self.finish_to(template, ctx, &self.urls.url(&page.path), out)
    }

    /// The home page's section blocks, each section's latest stories,
    /// and the latest news below them: each leaves out what the page shows
    /// above it (the front's lead and top stories, earlier blocks), so no
    /// story shows twice.
    fn home_blocks(&self) -> Result<(Value, Value), Vec<Diagnostic>> {
        let site = self.site;
        let first_page: Vec<usize> = crate::site::curated(&site.curated.home, &site.all)
            .into_iter()
            .take(self.urls.config.paginate)
            .collect();
        let mut shown: Vec<usize> = first_page.iter().copied().take(FRONT_SLOTS).collect();
        let blocks = self
            .site
            .nav
            .iter()
            .map(|&i| {
                let s = &self.site.sections[i];
                let picks: Vec<usize> = s
                    .articles
                    .iter()
                    .copied()
                    .filter(|a| !shown.contains(a))
                    .take(BLOCK_SIZE)
                    .collect();
                shown.extend(&picks);
                let mut section = HomeSection {
                    name: s.name.clone(),
                    url: self.urls.url(&format!("{}/", s.path)),
                    items: picks
                        .iter()
                        .map(|&a| self.card(a))
                        .collect::<Result<_, _>>()?,
                };
                let items = std::mem::take(&mut section.items);
                Ok::<_, Vec<Diagnostic>>(joined(
                    Value::from_serializable(&section),
                    "items",
                    items.into(),
                ))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::from)?;
        let latest = first_page
            .iter()
            .filter(|i| !shown.contains(i))
            .map(|&i| self.card(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((blocks, Value::from(latest)))
    }

    /// An index page's entries (name, folder, slug, count), sorted by name
    /// regardless of case.
    fn name_index<'n>(
        &self,
        entries: impl Iterator<Item = (&'n str, &'n str, &'n str, usize)>,
    ) -> Vec<CountedLink> {
        let mut links: Vec<CountedLink> = entries
            .map(|(name, folder, slug, count)| {
                self.counted(name, &format!("{folder}/{slug}/"), count)
            })
            .collect();
        links.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.url.cmp(&b.url))
        });
        links
    }

    fn counted(&self, name: &str, path: &str, count: usize) -> CountedLink {
        CountedLink {
            name: name.to_string(),
            url: self.urls.url(path),
            count,
        }
    }

    fn list_ctx<'s>(&self, name: &str, base: &str, key: &str, count: usize) -> ListCtx<'s> {
        ListCtx {
            name: name.to_string(),
            url: self.urls.url(base),
            key: key.to_string(),
            count,
            breadcrumbs: Vec::new(),
            parent: None,
            children: Vec::new(),
            bio: None,
            photo: None,
            links: &[],
        }
    }
}

/// `2026`, `November 2026`, `November 24, 2026`.
fn archive_title(kind: ArchiveKind, year: i32, month: u32, day: u32) -> String {
    let date = NaiveDate::from_ymd_opt(year, month.max(1), day.max(1));
    match (kind, date) {
        (ArchiveKind::Year, _) | (_, None) => year.to_string(),
        (ArchiveKind::Month, Some(d)) => d.format("%B %Y").to_string(),
        (ArchiveKind::Day, Some(d)) => d.format("%B %-d, %Y").to_string(),
    }
}
