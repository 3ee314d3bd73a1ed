//! The `render` stage: one page of the model to one string.
//!
//! [`Prepared`] holds what many pages share — the `site` block, one card per
//! article (serialized once, so a list page only copies the twenty it
//! shows), the archive tree, article bodies rendered at most once. Rendering
//! is pure: nothing here touches the disk, which lets `output` write pages
//! as they come, `serve` render on request and tests render in memory.

mod article;
mod context;
mod feeds;
mod lists;
mod sitemap;
mod templates;
mod theme;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

pub use context::{Card, CountedLink, DateCtx, Link, PageCtx, Paginator};
pub use templates::{escape_html, Templates};
pub use theme::{StaticSource, Theme};

use crate::config::Config;
use crate::error::Diagnostic;
use crate::site::{ArchiveKind, FeedOf, Page, PageKind, Site};
use crate::urls::page_path;
use context::Urls;

/// What many pages share, computed once per model. Owned, so a preview
/// server can keep it between edits and refresh a single article.
pub struct Prepared {
    site_ctx: Value,
    cards: Vec<Value>,
    bodies: Vec<OnceLock<Result<String, Vec<Diagnostic>>>>,
    archive_children: HashMap<usize, Vec<usize>>,
    archive_parent: Vec<Option<usize>>,
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
            bodies: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
            archive_children,
            archive_parent,
        }
    }

    /// Refreshes article `i`'s card and body after an edit that kept the
    /// model's shape (same URL, date, section and tags).
    pub fn refresh_article(&mut self, config: &Config, site: &Site, i: usize) {
        if let Some(card) = self.cards.get_mut(i) {
            *card = card_value(&Urls { config }, site, i);
        }
        if let Some(body) = self.bodies.get_mut(i) {
            *body = OnceLock::new();
        }
    }
}

fn card_value(urls: &Urls<'_>, site: &Site, i: usize) -> Value {
    serde_json::to_value(urls.card(site, &site.articles[i], &site.article_paths[i]))
        .unwrap_or(Value::Null)
}

/// Renders pages of one site with one set of templates.
pub struct Renderer<'a> {
    templates: &'a Templates,
    site: &'a Site,
    urls: Urls<'a>,
    prepared: &'a Prepared,
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

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<String, Vec<Diagnostic>> {
        match page.kind {
            PageKind::Article(i) => self.article(i, page),
            PageKind::Feed(of) => self.atom(of, page),
            PageKind::Rss => self.rss(page),
            PageKind::Sitemap(k) => Ok(self.sitemap(k)),
            PageKind::SitemapIndex => Ok(self.sitemap_index()),
            PageKind::NewsSitemap(k) => Ok(self.news_sitemap(k)),
            PageKind::NewsSitemapIndex => Ok(self.news_sitemap_index()),
            PageKind::Robots => Ok(self.robots()),
            PageKind::Alias(i, _) => Ok(self.alias(i)),
            _ => self.list_page(page),
        }
    }

    /// Article `i`'s body as HTML, rendered once and shared by its page
    /// and every feed that carries it.
    fn body(&self, i: usize) -> Result<&str, Vec<Diagnostic>> {
        let site = self.site;
        let result = self.prepared.bodies[i].get_or_init(|| {
            let a = &site.articles[i];
            let html = crate::markdown::to_html(&a.body, |target| {
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
                    .collect()
            });
            if self.urls.config.safe_html {
                html.map(|h| sanitize(&h))
            } else {
                html
            }
        });
        result.as_deref().map_err(Clone::clone)
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

    fn page_ctx(
        &self,
        kind: &'static str,
        title: String,
        path: &str,
        description: Option<String>,
        feed: Option<FeedOf>,
    ) -> PageCtx {
        PageCtx {
            kind,
            title,
            url: self.urls.url(path),
            permalink: self.urls.permalink(path),
            description: description.or_else(|| self.urls.config.description.clone()),
            feed: feed.map(|f| self.urls.permalink(&feed_path(self.site, f))),
        }
    }

    fn context(&self) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.prepared.site_ctx);
        ctx
    }
}

/// Body HTML with scripts, event handlers, `javascript:` URLs and other
/// active content removed (`safe_html = true`). Ids and classes stay, so
/// footnotes and tables keep working.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .clean(html)
        .to_string()
}

/// Where the Atom feed of a list lives.
pub fn feed_path(site: &Site, of: FeedOf) -> String {
    format!("{}atom.xml", site.list_base(of))
}
