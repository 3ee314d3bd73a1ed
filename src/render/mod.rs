//! The `render` stage: one page of the model to one string.
//!
//! [`Prepared`] holds what many pages share — the `site` block, one card per
//! article (built and drawn once, then shared by every list that shows
//! it), each feed entry built once, the archive tree. Rendering
//! is pure: nothing here touches the disk, which lets `output` write pages
//! as they come, `serve` render on request and tests render in memory.

mod article;
mod builtins;
mod chrome;
mod context;
mod escape;
mod feeds;
mod keys;
mod lists;
mod live;
mod pictures;
mod search;
mod shelf;
mod shortcodes;
mod sitemap;
mod templates;
mod theme;

use std::borrow::Cow;
use std::collections::HashMap;

use tera::Value;

pub use context::{image_rel, Card, CountedLink, DateCtx, Link, PageCtx, Paginator};
pub use escape::escape_html;
pub use keys::{global as global_key, Keys};
pub use templates::Templates;
pub use theme::{StaticSource, Theme};

use crate::config::Config;
use crate::content::Body;
use crate::error::Diagnostic;
use crate::site::{ArchiveKind, FeedOf, Page, PageKind, Site};
use crate::urls::page_path;
use context::Urls;
use tera::Context;

/// What many pages share, computed once per model. Owned, so a preview
/// server can keep it between edits and refresh a single article.
pub struct Prepared {
    site_ctx: Value,
    /// The navigation entries, for [`Renderer::chrome`].
    nav: Vec<context::Link>,
    chrome: chrome::ChromeCache,
    /// One card per article, as the card partial gets it: built when a
    /// page first shows it (a rebuild draws a few dozen pages and needs a
    /// few dozen cards, not one per article), dropped once drawn (see
    /// `drawn`).
    cards: shelf::Shelf,
    /// One feed entry per article a feed carries, built on first use and
    /// dropped after the last feed that carries it.
    entries: shelf::Shelf,
    /// The body HTML of each article a feed carries, kept from its page
    /// for its feed entry or the other way round, then dropped.
    bodies: shelf::Shelf,
    /// Each card with its `html`, drawn once by `partials/card.html`, as
    /// list pages get it, and dropped after the last list page that shows
    /// it: a million-article archive's cards do not fit in memory at once.
    drawn: shelf::Shelf,
    archive_children: HashMap<usize, Vec<usize>>,
    archive_parent: Vec<Option<usize>>,
    /// The photos' derivatives, which pages and cards show.
    images: std::sync::Arc<crate::images::ImagePlan>,
    /// Every article's suggested stories, when the build worked them out
    /// beforehand; otherwise each page works out its own.
    suggested: Option<crate::site::Suggested>,
}

impl Prepared {
    /// Prepares the shared parts of every page.
    pub fn new(
        config: &Config,
        site: &Site,
        images: std::sync::Arc<crate::images::ImagePlan>,
    ) -> Prepared {
        let urls = Urls {
            config,
            images: &images,
        };
        let feed_uses = feed_uses(config, site);
        let site_block = urls.site(site);
        let site_ctx = Value::from_serializable(&site_block);
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
            cards: shelf::Shelf::new((0..site.articles.len()).map(|_| None))
                .with_uses(vec![1; site.articles.len()]),
            entries: shelf::Shelf::new((0..site.articles.len()).map(|_| None))
                .with_uses(feed_uses.clone()),
            bodies: shelf::Shelf::new((0..site.articles.len()).map(|_| None)).with_uses(
                feed_uses
                    .iter()
                    .map(|&n| if n > 0 { 2 } else { 0 })
                    .collect(),
            ),
            drawn: shelf::Shelf::new((0..site.articles.len()).map(|_| None))
                .with_uses(list_uses(config, site)),
            archive_children,
            archive_parent,
            images,
            suggested: None,
        }
    }

    /// Draws related boxes from `suggested`, worked out for the site's
    /// `related_limit`, instead of weighing candidates page by page.
    pub fn with_suggested(mut self, suggested: crate::site::Suggested) -> Prepared {
        self.suggested = Some(suggested);
        self
    }

    /// The photo plan the pages are drawn with.
    pub fn images(&self) -> &std::sync::Arc<crate::images::ImagePlan> {
        &self.images
    }

    /// Refreshes article `i`'s card and feed entry after an edit that kept the
    /// model's shape (same URL, date, section and tags).
    pub fn refresh_article(&mut self, config: &Config, site: &Site, i: usize) {
        let urls = Urls {
            config,
            images: &self.images,
        };
        self.cards.set(i, Some(card_value(&urls, site, i)));
        self.entries.set(i, None);
        self.bodies.set(i, None);
        self.drawn.set(i, None);
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

/// How many list pages show each article's card. Other pages that show
/// a card (the home front's blocks, the corrections page) may find it
/// dropped and draw it again: the same bytes.
fn list_uses(config: &Config, site: &Site) -> Vec<usize> {
    let mut uses = vec![0; site.articles.len()];
    for page in &site.pages {
        if matches!(
            page.kind,
            PageKind::Home
                | PageKind::Section(_)
                | PageKind::Tag(_)
                | PageKind::Author(_)
                | PageKind::Archive(_)
        ) {
            if let Some(items) = site.list(page.kind) {
                for i in shown_items(site, config.paginate, items, page) {
                    uses[i] += 1;
                }
            }
        }
    }
    uses
}

/// The order to draw `site`'s pages in: by the newest article each shows
/// (an article's page by itself, a list page by its first card, a feed
/// by its first entry), the rest first. Each list shows its stories newest
/// first, so the pages that show one card are drawn close together, and a
/// card is dropped soon after it is drawn (see `list_uses`): a
/// million-article archive never holds all its cards at once. The order
/// decides nothing about any page's bytes.
pub fn schedule(config: &Config, site: &Site) -> Vec<usize> {
    let first = |page: &Page| -> usize {
        match page.kind {
            PageKind::Article(i) | PageKind::LiveFeed(i) | PageKind::Alias(i, _) => i,
            PageKind::Feed(_) | PageKind::Rss => site
                .list(page.kind)
                .and_then(|items| items.first().copied())
                .unwrap_or(0),
            kind => site
                .list(kind)
                .and_then(|items| {
                    shown_items(site, config.paginate, items, page)
                        .first()
                        .copied()
                })
                .unwrap_or(0),
        }
    };
    let mut order: Vec<(usize, usize)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(n, page)| (first(page), n))
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, n)| n).collect()
}

/// The articles a list page shows, curated as the page draws them: only
/// a front's first page is curated.
fn shown_items(site: &Site, per: usize, items: &[usize], page: &Page) -> Vec<usize> {
    let picks = match page.kind {
        PageKind::Home if page.number == 1 => &site.curated.home[..],
        PageKind::Section(i) if page.number == 1 => &site.curated.sections[i][..],
        _ => &[],
    };
    let shown = |items: &[usize]| {
        items
            .iter()
            .skip((page.number - 1) * per)
            .take(per)
            .copied()
            .collect()
    };
    if picks.is_empty() {
        shown(items)
    } else {
        shown(&crate::site::curated(picks, items))
    }
}

fn card_value(urls: &Urls<'_>, site: &Site, i: usize) -> Value {
    Value::from_serializable(&urls.card(site, &site.articles[i], &site.article_paths[i]))
}

/// The map `value` with `key` set to `item`: how a part built apart (a
/// card's HTML, a page's cards) joins a serialized context struct.
fn joined(value: Value, key: &'static str, item: Value) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), item);
    Value::from(map)
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
            urls: Urls {
                config,
                images: &prepared.images,
            },
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
            PageKind::LiveFeed(i) => self.live_feed(i, page, out),
            PageKind::Sitemap(k) => text(self.sitemap(k)),
            PageKind::SitemapIndex => text(self.sitemap_index()),
            PageKind::NewsSitemap(k) => text(self.news_sitemap(k)),
            PageKind::NewsSitemapIndex => text(self.news_sitemap_index()),
            PageKind::Robots => text(self.robots()),
            PageKind::OpenSearch => text(self.opensearch()),
            PageKind::Alias(i, _) => text(self.alias(i)),
            _ => self.list_page(page, out),
        }
    }

    /// Article `i`'s body as HTML, marked safe (a template prints it as
    /// it is), from [`Prepared::bodies`] or made.
    /// Keeping every body would hold the archive's HTML in memory; keeping
    /// none would render those in feeds twice. `used` counts this as one
    /// of the two uses (its page and its feed entry) a kept body has.
    fn shared_body(&self, i: usize) -> Result<Value, Vec<Diagnostic>> {
        if self.ready_body(i) {
            return self.body(i).map(|html| Value::safe_string(&html));
        }
        let body = self
            .prepared
            .bodies
            .get(i, || self.body(i).map(|html| Value::safe_string(&html)))?;
        self.prepared.bodies.used(i);
        Ok(body)
    }

    /// Whether article `i`'s final HTML is in the article already: rendered
    /// at load, with nothing to sanitise.
    fn ready_body(&self, i: usize) -> bool {
        matches!(self.site.articles[i].body, Body::Html(_)) && !self.urls.config.safe_html
    }

    /// Article `i`'s body as HTML: rendered at load, or now for bodies
    /// that link other articles; sanitised if the site asks.
    fn body(&self, i: usize) -> Result<Cow<'a, str>, Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let body = a.body_text().map_err(|why| {
            vec![Diagnostic::in_file(
                &a.source,
                format!("could not read this article's body again: {why}"),
            )
            .with_hint("build again")]
        })?;
        let html = match body {
            Cow::Borrowed(Body::Html(html)) => Cow::Borrowed(html.as_str()),
            Cow::Owned(Body::Html(html)) => Cow::Owned(html),
            Cow::Borrowed(Body::Markdown(markdown)) => {
                Cow::Owned(self.late_html(i, markdown, true)?)
            }
            Cow::Owned(Body::Markdown(markdown)) => Cow::Owned(self.late_html(i, &markdown, true)?),
        };
        Ok(if self.urls.config.safe_html {
            sanitize(&html).into()
        } else {
            html
        })
    }

    /// Article `i`'s body with its shortcodes drawn, for its page or (with
    /// `feed`) its feed entry, where embeds become links.
    fn drawn_body(&self, i: usize, feed: bool) -> Result<Value, Vec<Diagnostic>> {
        let body = self.shared_body(i)?;
        let a = &self.site.articles[i];
        let photos = !self.urls.images.pictures.is_empty() && a.links.iter().any(|l| l.image);
        if a.calls.is_empty() && !photos {
            return Ok(body);
        }
        let html = body.as_str().unwrap_or_default();
        let html = if a.calls.is_empty() {
            Cow::Borrowed(html)
        } else {
            Cow::Owned(self.expand(i, html, feed)?)
        };
        let html = if photos {
            self.body_pictures(i, &html, feed).into_owned()
        } else {
            html.into_owned()
        };
        Ok(Value::safe_string(&html))
    }

    /// Markdown of article `i` that waited for the model, rendered: `@/`
    /// links and bundle files resolved. `ids`: headings get anchors.
    fn late_html(&self, i: usize, markdown: &str, ids: bool) -> Result<String, Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let bundle = a
            .bundle
            .as_ref()
            .map(|_| self.urls.url(&site.article_dirs[i]));
        let resolve = |target: &str| {
            site.by_content_path
                .get(target)
                .map(|&t| self.urls.url(&site.article_paths[t]))
        };
        crate::markdown::to_html(markdown, resolve, bundle.as_deref(), ids).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let place = a.links.iter().find(|l| l.url == e.url);
                    let (line, col) =
                        place.map_or((1, None), |l| (a.body_line + l.line - 1, Some(l.column)));
                    Diagnostic::at(&a.source, line, col, e.message)
                })
                .collect()
        })
    }

    /// Article `i`'s card for a list, with `html`: the card drawn by the
    /// theme's `partials/card.html`, once per build rather than once per
    /// list that shows it (an article is on eight lists or more).
    fn card(&self, i: usize) -> Result<Value, Vec<Diagnostic>> {
        let drawn = self.prepared.drawn.get(i, || {
            let card = self.prepared.cards.get(i, || {
                Ok::<_, Vec<Diagnostic>>(card_value(&self.urls, self.site, i))
            })?;
            self.prepared.cards.used(i);
            let mut ctx = self.context();
            ctx.insert_value("item", card.clone());
            let a = &self.site.articles[i];
            let label = format!("the card of {}", a.source.display());
            let html = self.finish("partials/card.html", ctx, &label)?;
            Ok::<_, Vec<Diagnostic>>(joined(card, "html", Value::safe_string(&html)))
        })?;
        self.prepared.drawn.used(i);
        Ok(drawn)
    }

    /// The articles on `page` of the list `items`.
    pub(super) fn shown<'i>(
        &self,
        items: &'i [usize],
        page: &Page,
    ) -> impl Iterator<Item = usize> + 'i {
        let per = self.urls.config.paginate;
        items
            .iter()
            .skip((page.number - 1) * per)
            .take(per)
            .copied()
    }

    /// The paginator of `page`.
    fn paginator(
        &self,
        items: &[usize],
        page: &Page,
        base: &str,
    ) -> Result<Paginator, Vec<Diagnostic>> {
        let shown = self
            .shown(items, page)
            .map(|i| self.card(i))
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
    fn insert_page(&self, ctx: &mut Context, page: &PageCtx) -> Result<(), Vec<Diagnostic>> {
        ctx.insert_value("chrome", self.chrome(&page.url)?);
        ctx.insert("page", page);
        Ok(())
    }

    fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.prepared.site_ctx.clone());
        ctx
    }

    /// Renders `template` with `ctx`; `label` names the page in errors.
    fn finish(&self, template: &str, ctx: Context, label: &str) -> Result<String, Vec<Diagnostic>> {
        let mut out = Vec::new();
        self.finish_to(template, ctx, label, &mut out)?;
        Ok(text(out))
    }

    /// [`Renderer::finish`], drawing the page onto the end of `out`.
    fn finish_to(
        &self,
        template: &str,
        ctx: Context,
        label: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), Vec<Diagnostic>> {
        self.templates
            .render_to(template, &ctx, label, out)
            .map_err(|d| vec![d])
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
