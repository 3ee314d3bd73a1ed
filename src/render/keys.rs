//! What each page is drawn from, as one stable hash per page: a rebuild
//! draws again only the pages whose key changed, and every other page is
//! left as the last build wrote it.
//!
//! A key must change whenever the page's bytes could, so it lists what
//! this module's siblings read for the page: the site-wide part (the
//! executable, config, templates, photo plan, the `site` block and
//! sections) and the page's own — an article's source and URL, the
//! stories its related box, neighbours, inline boxes and `@/` links name;
//! a list's facts and the cards it shows; a feed's entries. Pages drawn
//! from the whole archive (sitemaps, the tag and author indexes, the home
//! front's first page) get no key and are always drawn: they are few, and
//! a key for them would cost what drawing them does. The differential
//! test (`tests/incremental.rs`) checks the list against clean builds.

use rayon::prelude::*;

use super::{Prepared, Renderer, Theme};
use crate::cache::{Key, KeyBuilder};
use crate::config::Config;
use crate::site::{FeedOf, Page, PageKind, RelatedLink, Site};

/// The site-wide inputs of every keyed page.
pub fn global(config: &Config, theme: &Theme, site: &Site, prepared: &Prepared) -> Key {
    let mut k = KeyBuilder::new("pages");
    k.executable();
    k.bytes(config.settings_text().as_bytes());
    for t in &theme.templates {
        k.bytes(t.name.as_bytes()).bytes(t.text.as_bytes());
    }
    for rel in theme.static_files.keys() {
        k.bytes(rel.as_bytes());
    }
    k.bytes(prepared.images.digest().bytes());
    k.bytes(prepared.site_ctx.to_string().as_bytes());
    for s in &site.sections {
        k.bytes(s.path.as_bytes()).bytes(s.name.as_bytes());
    }
    k.key()
}

/// Article `i` as other pages show it: its source and where it lives.
fn base(site: &Site, i: usize) -> Key {
    let a = &site.articles[i];
    let mut k = KeyBuilder::new("article");
    k.bytes(&a.source_hash)
        .bytes(a.content_path.as_bytes())
        .bytes(site.article_paths[i].as_bytes())
        .bytes(site.article_dirs[i].as_bytes());
    k.bytes(site.modified[i].to_rfc3339().as_bytes());
    // A byline prints each author's name as the site spells it (the first
    // article to name them decides): not in the source, so keyed here. A
    // new author elsewhere changes no other page.
    for name in &a.authors {
        let slug = crate::urls::slugify(name);
        match site
            .authors
            .binary_search_by(|x| x.slug.as_str().cmp(&slug))
        {
            Ok(j) => k.bytes(site.authors[j].name.as_bytes()),
            Err(_) => k.bytes(b"-"),
        };
    }
    if let Some(live) = &a.live {
        k.u64(u64::from(live.active(site.now)));
    }
    k.key()
}

/// The keys of one build.
pub struct Keys {
    /// One per page of the model, in order; `None`: always drawn.
    pub pages: Vec<Option<Key>>,
    /// One per article: everything its body and card are drawn from
    /// (the search index's records are keyed by it).
    pub articles: Vec<Key>,
}

impl Renderer<'_> {
    /// The keys of every page and article.
    pub fn page_keys(&self, global: &Key) -> Keys {
        let site = self.site;
        let bases: Vec<Key> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| base(site, i))
            .collect();
        let owns: Vec<Key> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| self.own(&bases, i))
            .collect();
        let pages = site
            .pages
            .par_iter()
            .map(|page| self.page_key(global, &bases, &owns, page))
            .collect();
        let articles = owns
            .par_iter()
            .map(|own| {
                KeyBuilder::new("drawn")
                    .bytes(global.bytes())
                    .bytes(own.bytes())
                    .key()
            })
            .collect();
        Keys { pages, articles }
    }

    /// Article `i` with what its body shows of others: the `@/` links'
    /// targets and the inline related boxes.
    fn own(&self, bases: &[Key], i: usize) -> Key {
        let site = self.site;
        let a = &site.articles[i];
        let mut k = KeyBuilder::new("own");
        k.bytes(bases[i].bytes());
        for link in &a.links {
            if let Some(target) = link.url.strip_prefix("@/") {
                let target = target.split(['#', '?']).next().unwrap_or(target);
                match site.by_content_path.get(target) {
                    Some(&t) => k.bytes(site.article_paths[t].as_bytes()),
                    None => k.bytes(b"-"),
                };
            }
        }
        for &(_, t) in &site.inline_related[i] {
            k.bytes(bases[t].bytes());
        }
        k.key()
    }

    fn page_key(&self, global: &Key, bases: &[Key], owns: &[Key], page: &Page) -> Option<Key> {
        let site = self.site;
        let mut k = KeyBuilder::new("page");
        k.bytes(global.bytes()).bytes(page.path.as_bytes());
        k.u64(page.number as u64).u64(page.of as u64);
        match page.kind {
            PageKind::Article(i) => {
                k.bytes(owns[i].bytes());
                for r in &site.related[i] {
                    match r {
                        RelatedLink::Article(t) => k.bytes(bases[*t].bytes()),
                        RelatedLink::External { title, url } => {
                            k.bytes(title.as_bytes()).bytes(url.as_bytes())
                        }
                    };
                }
                let wanted = self
                    .urls
                    .config
                    .related_limit
                    .saturating_sub(site.related[i].len());
                for t in self.suggestions(i, wanted) {
                    k.bytes(bases[t].bytes());
                }
                let (older, newer) = self.neighbour_indices(i);
                for n in [older, newer] {
                    match n {
                        Some(j) => k.bytes(bases[j].bytes()),
                        None => k.bytes(b"-"),
                    };
                }
            }
            PageKind::Alias(i, _) => {
                k.bytes(bases[i].bytes());
            }
            PageKind::Home if page.number == 1 => return None,
            PageKind::Home | PageKind::Tag(_) => {
                self.list_facts(&mut k, page);
            }
            PageKind::Author(i) => {
                k.bytes(format!("{:?}", site.authors[i].profile).as_bytes());
                self.list_facts(&mut k, page);
            }
            PageKind::Section(i) => {
                let s = &site.sections[i];
                for &c in &s.children {
                    k.u64(site.sections[c].articles.len() as u64);
                }
                self.list_facts(&mut k, page);
            }
            PageKind::Archive(i) => {
                let children = self.prepared.archive_children.get(&i);
                for &c in children.into_iter().flatten() {
                    k.bytes(site.archives[c].path.as_bytes());
                    k.u64(site.archives[c].articles.len() as u64);
                }
                if let Some(p) = self.prepared.archive_parent[i] {
                    k.bytes(site.archives[p].path.as_bytes());
                }
                self.list_facts(&mut k, page);
            }
            PageKind::Feed(of) => self.feed_facts(&mut k, owns, of),
            PageKind::Rss => self.feed_facts(&mut k, owns, FeedOf::Home),
            PageKind::LiveFeed(i) => {
                k.bytes(owns[i].bytes());
            }
            _ => return None,
        }
        if let Some(items) = site.list(page.kind) {
            if !matches!(page.kind, PageKind::Feed(_) | PageKind::Rss) {
                for i in self.shown_items(items, page) {
                    k.bytes(owns[i].bytes());
                }
            }
        }
        Some(k.key())
    }

    /// What a list page says of its list beyond its cards.
    fn list_facts(&self, k: &mut KeyBuilder, page: &Page) {
        let site = self.site;
        let name = match page.kind {
            PageKind::Tag(i) => site.tags[i].name.as_str(),
            PageKind::Author(i) => site.authors[i].name.as_str(),
            _ => "",
        };
        k.bytes(name.as_bytes());
        k.u64(site.list(page.kind).map_or(0, <[usize]>::len) as u64);
    }

    fn feed_facts(&self, k: &mut KeyBuilder, owns: &[Key], of: FeedOf) {
        let site = self.site;
        let name = match of {
            FeedOf::Home => "",
            FeedOf::Section(i) => site.sections[i].name.as_str(),
            FeedOf::Tag(i) => site.tags[i].name.as_str(),
            FeedOf::Author(i) => site.authors[i].name.as_str(),
        };
        k.bytes(name.as_bytes());
        let items = self.feed_items(of);
        for &i in items {
            k.bytes(owns[i].bytes());
        }
        // An empty feed is dated by the build itself.
        if items.is_empty() {
            k.bytes(site.now.to_rfc3339().as_bytes());
        }
    }

    /// The articles a list page shows, curated as the page draws them.
    fn shown_items(&self, items: &[usize], page: &Page) -> Vec<usize> {
        super::shown_items(self.site, self.urls.config.paginate, items, page)
    }
}
