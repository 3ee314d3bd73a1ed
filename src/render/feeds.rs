//! Atom (RFC 4287) and RSS 2.0 feeds, rendered from the theme's `atom.xml`
//! and `rss.xml` templates with full article content.

use serde::Serialize;

use super::context::{DateCtx, PersonLink};
use super::Renderer;
use crate::error::Diagnostic;
use crate::site::{last_modified, FeedOf, Page, PageKind};

#[derive(Serialize)]
struct FeedCtx<'a> {
    title: String,
    subtitle: Option<&'a str>,
    /// The feed's permanent id: the absolute URL of the page it follows.
    id: String,
    /// The feed's own absolute URL (`rel="self"`).
    self_url: String,
    /// The HTML page the feed follows.
    alternate: String,
    /// The latest `modified` of its entries (or the build time when empty).
    updated: DateCtx,
    language: &'a str,
    entries: Vec<EntryCtx<'a>>,
}

#[derive(Serialize)]
struct EntryCtx<'a> {
    title: &'a str,
    /// Absolute URL of the article, also its id.
    url: String,
    published: DateCtx,
    updated: DateCtx,
    /// Absolute URLs of the author pages.
    authors: Vec<PersonLink>,
    summary: &'a str,
    /// Full content as HTML.
    content: std::borrow::Cow<'a, str>,
    categories: &'a [String],
    section: String,
}

impl Renderer<'_> {
    pub(super) fn atom(&self, of: FeedOf, page: &Page) -> Result<String, Vec<Diagnostic>> {
        let feed = self.feed_ctx(of, page)?;
        let mut ctx = self.context();
        ctx.insert("feed", &feed);
        self.finish("atom.xml", ctx, &self.urls.url(&page.path))
    }

    pub(super) fn rss(&self, page: &Page) -> Result<String, Vec<Diagnostic>> {
        let feed = self.feed_ctx(FeedOf::Home, page)?;
        let mut ctx = self.context();
        ctx.insert("feed", &feed);
        self.finish("rss.xml", ctx, &self.urls.url(&page.path))
    }

    fn feed_ctx(&self, of: FeedOf, page: &Page) -> Result<FeedCtx<'_>, Vec<Diagnostic>> {
        let site = self.site;
        let config = self.urls.config;
        let title = match of {
            FeedOf::Home => config.title.clone(),
            FeedOf::Section(i) => format!("{} — {}", site.sections[i].name, config.title),
            FeedOf::Tag(i) => format!("{} — {}", site.tags[i].name, config.title),
            FeedOf::Author(i) => format!("{} — {}", site.authors[i].name, config.title),
        };
        let html_path = site.list_base(of);
        let items = site.list(PageKind::Feed(of)).unwrap_or(&[]);
        let mut entries = Vec::new();
        for &i in items.iter().take(config.feed_limit) {
            let a = &site.articles[i];
            entries.push(EntryCtx {
                title: &a.headline,
                url: self.urls.permalink(&site.article_paths[i]),
                published: self.urls.date(&a.date),
                updated: self.urls.date(&last_modified(a)),
                authors: self.urls.author_links(site, &a.authors),
                summary: a.dek.as_deref().unwrap_or(&a.excerpt),
                content: self.body(i)?,
                categories: &a.tags,
                section: self.urls.section_link(site, &a.section).name,
            });
        }
        let updated = items
            .iter()
            .take(config.feed_limit)
            .map(|&i| site.modified[i])
            .max()
            .unwrap_or(site.now);
        Ok(FeedCtx {
            title,
            subtitle: config.description.as_deref(),
            id: self.urls.permalink(&html_path),
            self_url: self.urls.permalink(&page.path),
            alternate: self.urls.permalink(&html_path),
            updated: self.urls.date(&updated),
            language: &config.language,
            entries,
        })
    }
}
