//! Machine-read files: sitemaps (sitemaps.org), the Google News sitemap,
//! robots.txt and redirect pages for aliases. Written here rather than by
//! templates: their format is fixed by others, not by a theme.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};

use super::{escape_html as escape, Renderer};
use crate::site::{sitemap_chunk, Page, PageKind, NEWS_SITEMAP_MAX};

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

impl Renderer<'_> {
    /// Sitemap file `k`: a slice of every HTML page with its last change.
    pub(super) fn sitemap(&self, k: usize) -> String {
        let chunk = sitemap_chunk(self.urls.config, &self.site.pages);
        let mut out = format!("{XML_HEAD}<urlset xmlns=\"{SITEMAP_NS}\">\n");
        for page in self
            .site
            .pages
            .iter()
            .filter(|p| p.kind.in_sitemap())
            .skip(k * chunk)
            .take(chunk)
        {
            let _ = writeln!(
                out,
                "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
                escape(&self.urls.permalink(&page.path)),
                self.lastmod(page).to_rfc3339()
            );
        }
        out.push_str("</urlset>\n");
        out
    }

    pub(super) fn sitemap_index(&self) -> String {
        let files = self
            .site
            .pages
            .iter()
            .filter(|p| matches!(p.kind, PageKind::Sitemap(_)));
        self.index(files, self.newest())
    }

    /// Google News sitemap file `k`: articles of the last two days.
    pub(super) fn news_sitemap(&self, k: usize) -> String {
        let config = self.urls.config;
        let mut out =
            format!("{XML_HEAD}<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">\n");
        for &i in self
            .site
            .news
            .iter()
            .skip(k * NEWS_SITEMAP_MAX)
            .take(NEWS_SITEMAP_MAX)
        {
            let a = &self.site.articles[i];
            let _ = writeln!(
                out,
                "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication>\
                 <news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
                escape(&self.urls.permalink(&self.site.article_paths[i])),
                escape(&config.title),
                escape(&config.language),
                a.date.to_rfc3339(),
                escape(&a.headline)
            );
        }
        out.push_str("</urlset>\n");
        out
    }

    pub(super) fn news_sitemap_index(&self) -> String {
        let files = self
            .site
            .pages
            .iter()
            .filter(|p| matches!(p.kind, PageKind::NewsSitemap(_)));
        self.index(files, self.newest())
    }

    fn index<'p>(
        &self,
        files: impl Iterator<Item = &'p Page>,
        lastmod: DateTime<FixedOffset>,
    ) -> String {
        let mut out = format!("{XML_HEAD}<sitemapindex xmlns=\"{SITEMAP_NS}\">\n");
        for page in files {
            let _ = writeln!(
                out,
                "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>",
                escape(&self.urls.permalink(&page.path)),
                lastmod.to_rfc3339()
            );
        }
        out.push_str("</sitemapindex>\n");
        out
    }

    pub(super) fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
            self.urls.permalink("sitemap.xml"),
            self.urls.permalink("news-sitemap.xml")
        )
    }

    /// A page at an old URL that sends readers (and search engines) on.
    pub(super) fn alias(&self, i: usize) -> String {
        let url = self.urls.url(&self.site.article_paths[i]);
        let permalink = self.urls.permalink(&self.site.article_paths[i]);
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <link rel=\"canonical\" href=\"{permalink}\"><meta name=\"robots\" content=\"noindex\">\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\"></head>\
             <body><p>This article has moved: <a href=\"{url}\">{title}</a>.</p></body></html>\n",
            lang = escape(&self.urls.config.language),
            title = escape(&self.site.articles[i].headline),
            permalink = escape(&permalink),
            url = escape(&url),
        )
    }

    /// When a page last changed: its article's, or the newest of its list.
    fn lastmod(&self, page: &Page) -> DateTime<FixedOffset> {
        let site = self.site;
        if let PageKind::Article(i) = page.kind {
            return site.modified[i];
        }
        let per = self.urls.config.paginate;
        match site.list(page.kind) {
            Some(items) => items
                .iter()
                .skip((page.number - 1) * per)
                .take(per)
                .map(|&i| site.modified[i])
                .max()
                .unwrap_or(site.now),
            None => self.newest(),
        }
    }

    fn newest(&self) -> DateTime<FixedOffset> {
        self.site
            .modified
            .iter()
            .copied()
            .max()
            .unwrap_or(self.site.now)
    }
}
