//! Atom (RFC 4287) and RSS 2.0 feeds, rendered from the theme's `atom.xml`
//! and `rss.xml` templates with full article content.

use serde::Serialize;
use tera::Value;

use super::context::{DateCtx, PersonLink};
use super::{escape_html, joined, Renderer};
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
    /// Shared entries (see [`Renderer::entry`]), joined after serializing.
    #[serde(skip)]
    entries: Vec<Value>,
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
    categories: &'a [String],
    section: String,
}

impl Renderer<'_> {
    pub(super) fn atom(
        &self,
        of: FeedOf,
        page: &Page,
        out: &mut Vec<u8>,
    ) -> Result<(), Vec<Diagnostic>> {
        self.feed("atom.xml", of, page, out)
    }

    pub(super) fn rss(&self, page: &Page, out: &mut Vec<u8>) -> Result<(), Vec<Diagnostic>> {
        self.feed("rss.xml", FeedOf::Home, page, out)
    }

    fn feed(
        &self,
        template: &str,
        of: FeedOf,
        page: &Page,
        out: &mut Vec<u8>,
    ) -> Result<(), Vec<Diagnostic>> {
        let xml = self.feed_ctx(of, page).and_then(|mut feed| {
            let entries = std::mem::take(&mut feed.entries);
            let value = joined(Value::from_serializable(&feed), "entries", entries.into());
            let mut ctx = self.context();
            ctx.insert_value("feed", value);
            self.finish_to(template, ctx, &self.urls.url(&page.path), out)
        });
        // Counted whether or not the feed could be drawn, so a failed feed
        // cannot keep its entries in a preview server's memory.
        for &i in self.feed_items(of) {
            self.prepared.entries.used(i);
        }
        xml
    }

    /// The articles feed `of` carries, newest first.
    pub(super) fn feed_items(&self, of: FeedOf) -> &[usize] {
        let items = self.site.list(PageKind::Feed(of)).unwrap_or(&[]);
        &items[..items.len().min(self.urls.config.feed_limit)]
    }

    /// Article `i`'s feed entry, the same in every feed that carries it:
    /// built once and shared like cards (see [`shelf`](super::shelf)).
    fn entry(&self, i: usize) -> Result<Value, Vec<Diagnostic>> {
        self.prepared.entries.get(i, || {
            let site = self.site;
            let a = &site.articles[i];
            let entry = EntryCtx {
                title: &a.headline,
                url: self.urls.permalink(&site.article_paths[i]),
                published: self.urls.date(&a.date),
                updated: self.urls.date(&last_modified(a)),
                authors: self.urls.author_links(site, &a.authors),
                summary: a.dek.as_deref().unwrap_or(&a.excerpt),
                categories: &a.tags,
                section: self.urls.section_link(site, &a.section).name,
            };
            // `content`: the full HTML, escaped for XML here, once, rather
            // than by every feed that prints it (a tenth of a build's
            // work). Marked safe, so `{{ entry.content }}` prints it as is.
            // `html`: the same unescaped, shared with the article's page.
            let html = self.drawn_body(i, true)?;
            let escaped = escape_html(html.as_str().unwrap_or_default());
            let entry = joined(
                Value::from_serializable(&entry),
                "content",
                Value::safe_string(&escaped),
            );
            Ok(joined(entry, "html", html))
        })
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
        let items = self.feed_items(of);
        let entries = items
            .iter()
            .map(|&i| self.entry(i))
            .collect::<Result<_, _>>()?;
        let updated = items
            .iter()
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
