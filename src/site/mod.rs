//! The `site` stage: the model every page is rendered from.
//!
//! [`Site::assemble`] takes validated articles, drops drafts, sorts them
//! newest first and computes every list once — sections (with ancestors),
//! tags, date archives — as vectors of article indices. Because articles are
//! sorted before the lists are filled, every list comes out newest first
//! without sorting again. It also resolves related links and lays out the
//! pages, refusing two pages on one URL.

mod lists;
mod pages;
mod related;

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::content::Article;
use crate::error::Diagnostic;

pub use lists::{Archive, ArchiveKind, Section, Tag};
pub use pages::{Page, PageKind};
pub use related::RelatedLink;

/// Choices that change which articles are published.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteOptions {
    /// Publish articles marked `draft: true`.
    pub drafts: bool,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// Published articles, newest first (ties by URL).
    pub articles: Vec<Arc<Article>>,
    /// Each article's URL path relative to the site root (`news/us/slug/`).
    pub article_paths: Vec<String>,
    /// Each article's resolved related links, in front-matter order.
    pub related: Vec<Vec<RelatedLink>>,
    /// Every section and ancestor, sorted by path.
    pub sections: Vec<Section>,
    /// Indices of top-level sections in navigation order.
    pub nav: Vec<usize>,
    /// Tags merged by slug, sorted by slug.
    pub tags: Vec<Tag>,
    /// Years, months and days, newest first within each kind.
    pub archives: Vec<Archive>,
    /// Every page to write.
    pub pages: Vec<Page>,
    /// Drafts left out of this build.
    pub drafts_held: usize,
    /// Article index by path under content/ (`news/us/a.md`), for `@/` links.
    pub by_content_path: HashMap<String, usize>,
}

impl Site {
    /// Builds the model; fails with every broken link and URL clash.
    pub fn assemble(
        config: &Config,
        articles: Vec<Arc<Article>>,
        options: SiteOptions,
    ) -> Result<Site, Vec<Diagnostic>> {
        let total = articles.len();
        let all_keys: Vec<(String, bool)> = articles
            .iter()
            .map(|a| (format!("{}/{}", a.section, a.slug), a.draft))
            .collect();
        let mut articles: Vec<Arc<Article>> = articles
            .into_iter()
            .filter(|a| options.drafts || !a.draft)
            .collect();
        let drafts_held = total - articles.len();
        articles.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.section.cmp(&b.section))
                .then_with(|| a.slug.cmp(&b.slug))
                .then_with(|| a.source.cmp(&b.source))
        });
        let article_paths: Vec<String> = articles
            .iter()
            .map(|a| format!("{}/{}/", a.section, a.slug))
            .collect();

        let related = related::resolve(&articles, &all_keys);
        let sections = lists::sections(config, &articles);
        let nav = lists::nav(config, &sections);
        let tags = lists::tags(&articles);
        let archives = lists::archives(config, &articles);
        let by_content_path = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.content_path.clone(), i))
            .collect();
        let mut site = Site {
            articles,
            article_paths,
            related: Vec::new(),
            sections,
            nav,
            tags,
            archives,
            pages: Vec::new(),
            drafts_held,
            by_content_path,
        };
        let mut errors = Vec::new();
        match related {
            Ok(r) => site.related = r,
            Err(mut e) => errors.append(&mut e),
        }
        match pages::lay_out(&site, config.paginate) {
            Ok(p) => site.pages = p,
            Err(mut e) => errors.append(&mut e),
        }
        if errors.is_empty() {
            Ok(site)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests;
