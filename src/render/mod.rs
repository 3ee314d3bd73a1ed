//! The `render` stage: one page of the model to one HTML string.
//!
//! [`Renderer::new`] prepares what many pages share — the `site` block and
//! one card per article, serialized once — so a list page only copies the
//! twenty cards it shows. Rendering is pure: nothing here touches the disk,
//! which lets `output` write pages as they come and tests render in memory.

mod context;
mod markdown;
mod templates;
mod theme;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

pub use context::{CountedLink, DateCtx, Link, PageCtx, Paginator};
pub use markdown::to_html as markdown_to_html;
pub use templates::{escape_html, Templates};
pub use theme::{StaticSource, Theme};

use crate::config::{title_case, Config};
use crate::content::Image;
use crate::error::Diagnostic;
use crate::site::{ArchiveKind, Page, PageKind, RelatedLink, Site};
use crate::urls::page_path;
use context::Urls;

/// What many pages share, computed once per model: the `site` block, one
/// card per article, the archive tree. Owned, so a preview server can keep
/// it between edits and refresh a single card.
pub struct Prepared {
    site_ctx: Value,
    cards: Vec<Value>,
    all: Vec<usize>,
    archive_children: HashMap<usize, Vec<usize>>,
    archive_parent: Vec<Option<usize>>,
}

/// Renders pages of one site with one set of templates.
pub struct Renderer<'a> {
    templates: &'a Templates,
    site: &'a Site,
    urls: Urls<'a>,
    prepared: &'a Prepared,
}

#[derive(Serialize)]
struct ArticleCtx<'a> {
    headline: &'a str,
    dek: Option<&'a str>,
    url: String,
    permalink: String,
    date: DateCtx,
    updated: Option<DateCtx>,
    kind: &'a str,
    kind_label: String,
    section: Link,
    breadcrumbs: Vec<Link>,
    summary: &'a [String],
    image: Option<&'a Image>,
    authors: &'a [String],
    tags: Vec<Link>,
    related: Vec<RelatedCtx<'a>>,
    body: String,
    /// The next older article in the same section.
    previous: Option<Link>,
    /// The next newer article in the same section.
    next: Option<Link>,
}

#[derive(Serialize)]
struct RelatedCtx<'a> {
    title: String,
    url: String,
    external: bool,
    /// The target's card, for internal links.
    article: Option<&'a Value>,
}

#[derive(Serialize)]
struct ListCtx {
    name: String,
    url: String,
    /// `year`, `month` or `day` for archives; the section path; the tag slug.
    key: String,
    count: usize,
    breadcrumbs: Vec<Link>,
    parent: Option<Link>,
    children: Vec<CountedLink>,
}

#[derive(Serialize)]
struct HomeSection<'a> {
    name: String,
    url: String,
    items: Vec<&'a Value>,
}

impl Prepared {
    /// Prepares the shared parts of every page.
    pub fn new(config: &Config, site: &Site) -> Prepared {
        use rayon::prelude::*;
        let urls = Urls { config };
        let cards = (0..site.articles.len())
            .into_par_iter()
            .map(|i| card_value(&urls, site, i))
            .collect();
        let site_ctx = serde_json::to_value(urls.site(site)).unwrap_or(Value::Null);
        let mut archive_children: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut archive_parent = vec![None; site.archives.len()];
        let mut parent_of: HashMap<(ArchiveKind, i32, u32), usize> = HashMap::new();
        for (i, a) in site.archives.iter().enumerate() {
            parent_of.insert((a.kind, a.year, a.month), i);
        }
        for (i, a) in site.archives.iter().enumerate() {
            let parent = match a.kind {
                ArchiveKind::Year => None,
                ArchiveKind::Month => parent_of.get(&(ArchiveKind::Year, a.year, 0)),
                ArchiveKind::Day => parent_of.get(&(ArchiveKind::Month, a.year, a.month)),
            };
            if let Some(&p) = parent {
                archive_parent[i] = Some(p);
                archive_children.entry(p).or_default().push(i);
            }
        }
        Prepared {
            site_ctx,
            cards,
            all: (0..site.articles.len()).collect(),
            archive_children,
            archive_parent,
        }
    }

    /// Re-serializes article `i`'s card after an edit that kept the model's
    /// shape (same URL, date, section and tags).
    pub fn refresh_card(&mut self, config: &Config, site: &Site, i: usize) {
        if let Some(card) = self.cards.get_mut(i) {
            *card = card_value(&Urls { config }, site, i);
        }
    }
}

fn card_value(urls: &Urls<'_>, site: &Site, i: usize) -> Value {
    serde_json::to_value(urls.card(site, &site.articles[i], &site.article_paths[i]))
        .unwrap_or(Value::Null)
}

impl<'a> Renderer<'a> {
    /// A renderer over prepared shared parts.
    pub fn new(
        templates: &'a Templates,
        config: &'a Config,
        site: &'a Site,
        prepared: &'a Prepared,
    ) -> Renderer<'a> {
        Renderer {
            templates,
            site,
            urls: Urls { config },
            prepared,
        }
    }

    /// Renders one page to HTML.
    pub fn render(&self, page: &Page) -> Result<String, Vec<Diagnostic>> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.prepared.site_ctx);
        let site = self.site;
        let (template, title, list): (&str, String, Option<(&[usize], String)>) = match page.kind {
            PageKind::Article(i) => return self.article(i, page, ctx),
            PageKind::Home => {
                if page.number == 1 {
                    ctx.insert("home_sections", &self.home_sections());
                }
                (
                    "index.html",
                    site_title_of(self),
                    Some((&self.prepared.all, String::new())),
                )
            }
            PageKind::Section(i) => {
                let s = &site.sections[i];
                let base = format!("{}/", s.path);
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
                let breadcrumbs = self.urls.breadcrumbs(site, &s.path);
                ctx.insert(
                    "section",
                    &self.list_ctx(
                        &s.name,
                        &base,
                        &s.path,
                        s.articles.len(),
                        breadcrumbs,
                        parent,
                        children,
                    ),
                );
                ("section.html", s.name.clone(), Some((&s.articles, base)))
            }
            PageKind::Tag(i) => {
                let t = &site.tags[i];
                let base = format!("tags/{}/", t.slug);
                ctx.insert(
                    "tag",
                    &self.list_ctx(
                        &t.name,
                        &base,
                        &t.slug,
                        t.articles.len(),
                        Vec::new(),
                        None,
                        Vec::new(),
                    ),
                );
                ("tag.html", t.name.clone(), Some((&t.articles, base)))
            }
            PageKind::Archive(i) => {
                let a = &site.archives[i];
                let title = archive_title(a.kind, a.year, a.month, a.day);
                let children = self
                    .prepared
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
                let parent = self.archive_parent(i);
                let kind = format!("{:?}", a.kind).to_lowercase();
                ctx.insert(
                    "archive",
                    &self.list_ctx(
                        &title,
                        &a.path,
                        &kind,
                        a.articles.len(),
                        Vec::new(),
                        parent,
                        children,
                    ),
                );
                ("archive.html", title, Some((&a.articles, a.path.clone())))
            }
            PageKind::Tags => {
                let mut tags: Vec<CountedLink> = site
                    .tags
                    .iter()
                    .map(|t| self.counted(&t.name, &format!("tags/{}/", t.slug), t.articles.len()))
                    .collect();
                tags.sort_by(|a, b| {
                    a.name
                        .to_lowercase()
                        .cmp(&b.name.to_lowercase())
                        .then_with(|| a.url.cmp(&b.url))
                });
                ctx.insert("tags", &tags);
                ("tags.html", "Tags".to_string(), None)
            }
            PageKind::NotFound => ("404.html", "Page not found".to_string(), None),
        };
        if let Some((items, base)) = list {
            ctx.insert("paginator", &self.paginator(items, page, &base));
        }
        let title = if page.number > 1 {
            format!("{title} — Page {}", page.number)
        } else {
            title
        };
        ctx.insert(
            "page",
            &self.page_ctx(kind_name(page.kind), title, &page.path, None),
        );
        self.templates
            .render(template, &ctx, &self.urls.url(&page.path))
            .map_err(|d| vec![d])
    }

    fn article(
        &self,
        i: usize,
        page: &Page,
        mut ctx: tera::Context,
    ) -> Result<String, Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let body = markdown::to_html(&a.body, |target| {
            site.by_content_path
                .get(target)
                .map(|&t| self.urls.url(&site.article_paths[t]))
        })
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let (line, col) = crate::text::line_col(&a.body, e.offset);
                    Diagnostic::at(&a.source, a.body_line + line - 1, Some(col), e.message)
                })
                .collect::<Vec<_>>()
        })?;
        let related = site.related[i]
            .iter()
            .map(|r| match r {
                RelatedLink::Article(t) => RelatedCtx {
                    title: site.articles[*t].headline.clone(),
                    url: self.urls.url(&site.article_paths[*t]),
                    external: false,
                    article: Some(&self.prepared.cards[*t]),
                },
                RelatedLink::External { title, url } => RelatedCtx {
                    title: title.clone(),
                    url: url.clone(),
                    external: true,
                    article: None,
                },
            })
            .collect();
        let (previous, next) = self.neighbours(i);
        let article = ArticleCtx {
            headline: &a.headline,
            dek: a.dek.as_deref(),
            url: self.urls.url(&page.path),
            permalink: self.urls.permalink(&page.path),
            date: self.urls.date(&a.date),
            updated: a.updated.as_ref().map(|u| self.urls.date(u)),
            kind: &a.kind,
            kind_label: title_case(&a.kind),
            section: self.urls.section_link(site, &a.section),
            breadcrumbs: self.urls.breadcrumbs(site, &a.section),
            summary: &a.summary,
            image: a.image.as_ref(),
            authors: &a.authors,
            tags: a
                .tags
                .iter()
                .zip(&a.tag_slugs)
                .map(|(name, slug)| Link {
                    name: name.clone(),
                    url: self.urls.url(&format!("tags/{slug}/")),
                })
                .collect(),
            related,
            body,
            previous,
            next,
        };
        ctx.insert("article", &article);
        ctx.insert(
            "page",
            &self.page_ctx("article", a.headline.clone(), &page.path, a.dek.clone()),
        );
        self.templates
            .render(
                "article.html",
                &ctx,
                &format!("{} ({})", self.urls.url(&page.path), a.source.display()),
            )
            .map_err(|d| vec![d])
    }

    /// Older and newer neighbours of article `i` in its own section.
    fn neighbours(&self, i: usize) -> (Option<Link>, Option<Link>) {
        let site = self.site;
        let Ok(s) = site
            .sections
            .binary_search_by(|s| s.path.as_str().cmp(&site.articles[i].section))
        else {
            return (None, None);
        };
        let list: Vec<usize> = site.sections[s]
            .articles
            .iter()
            .copied()
            .filter(|&j| site.articles[j].section == site.articles[i].section)
            .collect();
        let Ok(pos) = list.binary_search(&i) else {
            return (None, None);
        };
        let link = |j: usize| Link {
            name: site.articles[j].headline.clone(),
            url: self.urls.url(&site.article_paths[j]),
        };
        (
            list.get(pos + 1).map(|&j| link(j)),
            pos.checked_sub(1).map(|p| link(list[p])),
        )
    }

    fn paginator<'s>(&'s self, items: &[usize], page: &Page, base: &str) -> Paginator<'s> {
        let per = self.urls.config.paginate;
        let start = (page.number - 1) * per;
        let shown = items
            .iter()
            .skip(start)
            .take(per)
            .map(|&i| &self.prepared.cards[i])
            .collect();
        let url = |n: usize| self.urls.url(&page_path(base, n));
        Paginator {
            items: shown,
            current: page.number,
            total_pages: page.of,
            total_items: items.len(),
            first: url(1),
            last: url(page.of),
            previous: (page.number > 1).then(|| url(page.number - 1)),
            next: (page.number < page.of).then(|| url(page.number + 1)),
        }
    }

    fn home_sections(&self) -> Vec<HomeSection<'_>> {
        self.site
            .nav
            .iter()
            .map(|&i| {
                let s = &self.site.sections[i];
                HomeSection {
                    name: s.name.clone(),
                    url: self.urls.url(&format!("{}/", s.path)),
                    items: s
                        .articles
                        .iter()
                        .take(4)
                        .map(|&a| &self.prepared.cards[a])
                        .collect(),
                }
            })
            .collect()
    }

    fn archive_parent(&self, i: usize) -> Option<Link> {
        self.prepared.archive_parent[i].map(|p| {
            let a = &self.site.archives[p];
            Link {
                name: archive_title(a.kind, a.year, a.month, a.day),
                url: self.urls.url(&a.path),
            }
        })
    }

    fn counted(&self, name: &str, path: &str, count: usize) -> CountedLink {
        CountedLink {
            name: name.to_string(),
            url: self.urls.url(path),
            count,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn list_ctx(
        &self,
        name: &str,
        base: &str,
        key: &str,
        count: usize,
        breadcrumbs: Vec<Link>,
        parent: Option<Link>,
        children: Vec<CountedLink>,
    ) -> ListCtx {
        ListCtx {
            name: name.to_string(),
            url: self.urls.url(base),
            key: key.to_string(),
            count,
            breadcrumbs,
            parent,
            children,
        }
    }

    fn page_ctx(
        &self,
        kind: &'static str,
        title: String,
        path: &str,
        description: Option<String>,
    ) -> PageCtx {
        PageCtx {
            kind,
            title,
            url: self.urls.url(path),
            permalink: self.urls.permalink(path),
            description,
        }
    }
}

fn site_title_of(r: &Renderer<'_>) -> String {
    r.urls.config.title.clone()
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home",
        PageKind::Article(_) => "article",
        PageKind::Section(_) => "section",
        PageKind::Tag(_) => "tag",
        PageKind::Tags => "tags",
        PageKind::Archive(_) => "archive",
        PageKind::NotFound => "404",
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
