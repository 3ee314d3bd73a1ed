//! The `render` stage: one page of the model to one string.
//!
//! [`Prepared`] holds what many pages share — the `site` block, one card per
//! article (serialized once, so a list page only copies the twenty it
//! shows), each feed entry built once, the archive tree. Rendering
//! is pure: nothing here touches the disk, which lets `output` write pages
//! as they come, `serve` render on request and tests render in memory.

mod article;
mod chrome;
mod context;
mod escape;
mod feeds;
mod lists;
mod shelf;
mod sitemap;
mod templates;
mod theme;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

pub use context::{Card, CountedLink, DateCtx, Link, PageCtx, Paginator};
pub use escape::escape_html;
pub use templates::Templates;
pub use theme::{StaticSource, Theme};

use crate::config::Config;
use crate::content::Body;
use crate::error::Diagnostic;
use crate::site::{ArchiveKind, FeedOf, Page, PageKind, Site};
use crate::urls::page_path;
use context::Urls;

/// What many pages share, computed once per model. Owned, so a preview
/// server can keep it between edits and refresh a single article.
pub struct Prepared {
    site_ctx: Value,
    /// The navigation entries, for [`Renderer::chrome`].
    nav: Vec<context::Link>,
    chrome: chrome::ChromeCache,
    /// One card per article, lent to list pages (see [`Renderer::lend`]).
    cards: shelf::Shelf,
    /// One feed entry per article a feed carries, built on first use and
    /// dropped after the last feed that carries it.
    entries: shelf::Shelf,
    /// The body HTML of each article a feed carries, kept from its page
    /// for its feed entry or the other way round, then dropped.
    bodies: shelf::Shelf,
    /// Each card drawn once by `partials/card.html`, for list pages.
    card_html: Vec<OnceLock<Result<String, Vec<Diagnostic>>>>,
    archive_children: HashMap<usize, Vec<usize>>,
    archive_parent: Vec<Option<usize>>,
}

impl Prepared {
    /// Prepares the shared parts of every page.
    pub fn new(config: &Config, site: &Site) -> Prepared {
        use rayon::prelude::*;
        let urls = Urls { config };
        let feed_uses = feed_uses(config, site);
        let cards = (0..site.articles.len())
            .into_par_iter()
            .map(|i| Some(card_value(&urls, site, i)))
            .collect::<Vec<_>>();
        let site_block = urls.site(site);
        let site_ctx = serde_json::to_value(&site_block).unwrap_or(Value::Null);
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
            nav: site_block.nav,
            chrome: chrome::ChromeCache::default(),
            cards: shelf::Shelf::new(cards),
            entries: shelf::Shelf::new((0..site.articles.len()).map(|_| None))
                .with_uses(feed_uses.clone()),
            bodies: shelf::Shelf::new((0..site.articles.len()).map(|_| None)).with_uses(
                feed_uses
                    .iter()
                    .map(|&n| if n > 0 { 2 } else { 0 })
                    .collect(),
            ),
            card_html: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
            archive_children,
            archive_parent,
        }
    }

    /// Refreshes article `i`'s card and feed entry after an edit that kept the
    /// model's shape (same URL, date, section and tags).
    pub fn refresh_article(&mut self, config: &Config, site: &Site, i: usize) {
        self.cards
            .set(i, Some(card_value(&Urls { config }, site, i)));
        self.entries.set(i, None);
        self.bodies.set(i, None);
        if let Some(html) = self.card_html.get_mut(i) {
            *html = OnceLock::new();
        }
    }
}

/// How many feeds carry each article.
fn feed_uses(config: &Config, site: &Site) -> Vec<usize> {
    let mut carried = vec![0; site.articles.len()];
    for page in &site.pages {
        if matches!(page.kind, PageKind::Feed(_) | PageKind::Rss) {
            let items = site.list(page.kind).unwrap_or(&[]);
            for &i in items.iter().take(config.feed_limit) {
                carried[i] += 1;
            }
        }
    }
    carried
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
        let mut out = Vec::new();
        self.render_to(page, &mut out)?;
        Ok(text(out))
    }

    /// Renders one page onto the end of `out`, which a build reuses: most
    /// pages are drawn straight into it.
    pub fn render_to(&self, page: &Page, out: &mut Vec<u8>) -> Result<(), Vec<Diagnostic>> {
        let mut text = |s: String| {
            out.extend_from_slice(s.as_bytes());
            Ok(())
        };
        match page.kind {
            PageKind::Article(i) => self.article(i, page, out),
            PageKind::Feed(of) => self.atom(of, page, out),
            PageKind::Rss => self.rss(page, out),
            PageKind::Sitemap(k) => text(self.sitemap(k)),
            PageKind::SitemapIndex => text(self.sitemap_index()),
            PageKind::NewsSitemap(k) => text(self.news_sitemap(k)),
            PageKind::NewsSitemapIndex => text(self.news_sitemap_index()),
            PageKind::Robots => text(self.robots()),
            PageKind::Alias(i, _) => text(self.alias(i)),
            _ => self.list_page(page, out),
        }
    }

    /// Article `i`'s body as HTML, taken from [`Prepared::bodies`] or
    /// made. Keeping every body would hold the archive's HTML in memory;
    /// keeping none would render those in feeds twice.
    fn take_body(&self, i: usize) -> Result<String, Vec<Diagnostic>> {
        if self.ready_body(i) {
            return self.body(i);
        }
        let taken = self
            .prepared
            .bodies
            .take(i, || self.body(i).map(Value::String))?;
        match taken {
            Value::String(html) => Ok(html),
            _ => self.body(i),
        }
    }

    /// Keeps article `i`'s body for its feed entry, unless it is as cheap
    /// to copy from the article again.
    fn keep_body(&self, i: usize, html: String) {
        if !self.ready_body(i) {
            let kept = Value::String(html);
            self.prepared
                .bodies
                .put_back(std::iter::once(i), vec![kept]);
        }
    }

    /// Whether article `i`'s final HTML is in the article already: rendered
    /// at load, with nothing to sanitise.
    fn ready_body(&self, i: usize) -> bool {
        matches!(self.site.articles[i].body, Body::Html(_)) && !self.urls.config.safe_html
    }

    /// Article `i`'s body as HTML: rendered at load, or now for bodies
    /// that link other articles; sanitised if the site asks.
    fn body(&self, i: usize) -> Result<String, Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let html = match &a.body {
            Body::Html(html) => html.clone(),
            Body::Markdown(markdown) => crate::markdown::to_html(markdown, |target| {
                site.by_content_path
                    .get(target)
                    .map(|&t| self.urls.url(&site.article_paths[t]))
            })
            .map_err(|errors| {
                errors
                    .into_iter()
                    .map(|e| {
                        let (line, col) = crate::text::line_col(markdown, e.offset);
                        Diagnostic::at(&a.source, a.body_line + line - 1, Some(col), e.message)
                    })
                    .collect::<Vec<_>>()
            })?,
        };
        Ok(if self.urls.config.safe_html {
            sanitize(&html)
        } else {
            html
        })
    }

    /// Article `i`'s card for a list, with `html`: the card drawn by the
    /// theme's `partials/card.html`, once per build rather than once per
    /// list that shows it (an article is on eight lists or more). Lent, to
    /// be handed back by [`Renderer::give_back`] after the render.
    fn lend(&self, i: usize) -> Result<Value, Vec<Diagnostic>> {
        let card = self.prepared.cards.take(i, || {
            Ok::<_, Vec<Diagnostic>>(card_value(&self.urls, self.site, i))
        })?;
        if card.get("html").is_some() {
            return Ok(card);
        }
        let (html, card) = self.card_html(i, card);
        let mut card = card.unwrap_or_else(|| card_value(&self.urls, self.site, i));
        if let Value::Object(map) = &mut card {
            map.insert("html".into(), Value::String(html?));
        }
        Ok(card)
    }

    /// Returns cards lent by [`Renderer::lend`], in the order lent.
    fn give_back(&self, indices: impl Iterator<Item = usize>, cards: Vec<Value>) {
        self.prepared.cards.put_back(indices, cards);
    }

    /// A copy of article `i`'s card, with its `html`.
    fn card(&self, i: usize) -> Result<Value, Vec<Diagnostic>> {
        let card = self.lend(i)?;
        let copy = card.clone();
        self.give_back(std::iter::once(i), vec![card]);
        Ok(copy)
    }

    /// The card drawn by the theme's `partials/card.html`, once per build.
    /// The card is moved into the template's context and handed back (when
    /// it was drawn by this call), since copying it cost more than drawing.
    fn card_html(&self, i: usize, card: Value) -> (Result<String, Vec<Diagnostic>>, Option<Value>) {
        let mut card = Some(card);
        let html = self.prepared.card_html[i]
            .get_or_init(|| {
                let mut ctx = self.context();
                ctx.insert_value("item", card.take().unwrap_or_default());
                let a = &self.site.articles[i];
                let label = format!("the card of {}", a.source.display());
                let (html, ctx) = self.finish_with("partials/card.html", ctx, &label);
                card = ctx.into_json().get_mut("item").map(Value::take);
                html
            })
            .clone();
        (html, card)
    }

    /// The articles on `page` of the list `items`.
    fn shown<'i>(&self, items: &'i [usize], page: &Page) -> impl Iterator<Item = usize> + 'i {
        let per = self.urls.config.paginate;
        items
            .iter()
            .skip((page.number - 1) * per)
            .take(per)
            .copied()
    }

    /// The paginator of `page`, its cards lent (see [`Renderer::lend`]).
    fn paginator(
        &self,
        items: &[usize],
        page: &Page,
        base: &str,
    ) -> Result<Paginator, Vec<Diagnostic>> {
        let shown = self
            .shown(items, page)
            .map(|i| self.lend(i))
            .collect::<Result<_, _>>()?;
        let url = |n: usize| self.urls.url(&page_path(base, n));
        Ok(Paginator {
            items: shown,
            current: page.number,
            total_pages: page.of,
            total_items: items.len(),
            first: url(1),
            last: url(page.of),
            previous: (page.number > 1).then(|| url(page.number - 1)),
            next: (page.number < page.of).then(|| url(page.number + 1)),
        })
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

    /// Inserts `page` and the [`Renderer::chrome`] of its place.
    fn insert_page(&self, ctx: &mut Ctx, page: &PageCtx) -> Result<(), Vec<Diagnostic>> {
        ctx.insert_value("chrome", self.chrome(&page.url)?);
        ctx.insert("page", page);
        Ok(())
    }

    fn context(&self) -> Ctx {
        let mut ctx = Ctx(serde_json::Map::new());
        ctx.insert_value("site", self.prepared.site_ctx.clone());
        ctx
    }

    /// Renders `template` with `ctx`; `label` names the page in errors.
    fn finish(&self, template: &str, ctx: Ctx, label: &str) -> Result<String, Vec<Diagnostic>> {
        self.finish_with(template, ctx, label).0
    }

    /// [`Renderer::finish`], handing the context back for its lent cards.
    fn finish_with(
        &self,
        template: &str,
        ctx: Ctx,
        label: &str,
    ) -> (Result<String, Vec<Diagnostic>>, tera::Context) {
        let mut out = Vec::new();
        let (done, ctx) = self.finish_to(template, ctx, label, &mut out);
        (done.map(|()| text(out)), ctx)
    }

    /// [`Renderer::finish_with`], drawing the page onto the end of `out`.
    fn finish_to(
        &self,
        template: &str,
        ctx: Ctx,
        label: &str,
        out: &mut Vec<u8>,
    ) -> (Result<(), Vec<Diagnostic>>, tera::Context) {
        let ctx = tera::Context::from_value(Value::Object(ctx.0)).unwrap_or_default();
        let done = self
            .templates
            .render_to(template, &ctx, label, out)
            .map_err(|d| vec![d]);
        (done, ctx)
    }
}

/// A template context built as JSON directly. `tera::Context::insert`
/// serializes each value again, and for prepared cards, which are JSON
/// already, that copy was the largest cost of a list page.
struct Ctx(serde_json::Map<String, Value>);

impl Ctx {
    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        // Our context types are plain structs with string keys, which
        // always serialize.
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.insert_value(key, value);
    }

    fn insert_value(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_string(), value);
    }
}

/// Rendered bytes as a string: templates and values are all text, so they
/// are UTF-8.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
