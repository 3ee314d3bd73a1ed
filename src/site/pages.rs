//! Lays out every page of the site and refuses two pages on one URL.

use rustc_hash::FxHashMap;

use super::Site;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::urls::{alias_path, output_file, page_path};

/// Google News reads at most this many URLs per news sitemap file.
pub const NEWS_SITEMAP_MAX: usize = 1_000;

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedOf {
    Home,
    Section(usize),
    Tag(usize),
    Author(usize),
}

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The front page: latest articles.
    Home,
    /// One article, by index.
    Article(usize),
    /// A section front, by index into `Site::sections`.
    Section(usize),
    /// A tag page, by index into `Site::tags`.
    Tag(usize),
    /// The list of all tags.
    Tags,
    /// An author page, by index into `Site::authors`.
    Author(usize),
    /// The list of all authors.
    Authors,
    /// A date archive, by index into `Site::archives`.
    Archive(usize),
    /// Every correction, newest first.
    Corrections,
    /// The "page not found" page.
    NotFound,
    /// A redirect from an old URL: (article, alias index).
    Alias(usize, usize),
    /// An Atom feed.
    Feed(FeedOf),
    /// The site's RSS 2.0 feed.
    Rss,
    /// A live blog's own Atom feed, one entry per update, by article.
    LiveFeed(usize),
    /// One sitemap file (0-based chunk of the HTML pages).
    Sitemap(usize),
    /// The sitemap index, when the pages need several files.
    SitemapIndex,
    /// One Google News sitemap file (0-based chunk of `Site::news`).
    NewsSitemap(usize),
    /// The news sitemap index, above 1,000 recent articles.
    NewsSitemapIndex,
    /// robots.txt, pointing at the sitemaps.
    Robots,
    /// The search page, which reads `?q=` (with `search` on).
    Search,
    /// The OpenSearch description browsers offer the site's search by.
    OpenSearch,
}

impl PageKind {
    /// Whether the page is an HTML page that belongs in the sitemap.
    pub fn in_sitemap(self) -> bool {
        !matches!(
            self,
            PageKind::NotFound
                | PageKind::Alias(..)
                | PageKind::Feed(_)
                | PageKind::LiveFeed(_)
                | PageKind::Rss
                | PageKind::Sitemap(_)
                | PageKind::SitemapIndex
                | PageKind::NewsSitemap(_)
                | PageKind::NewsSitemapIndex
                | PageKind::Robots
                | PageKind::Search
                | PageKind::OpenSearch
        )
    }
}

/// One page to render: a kind, which page of its list, and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub kind: PageKind,
    /// 1-based page number within a paginated list (1 for other pages).
    pub number: usize,
    /// Number of pages of the list (1 for other pages).
    pub of: usize,
    /// URL path relative to the site root: `news/us/page/2/`, `404.html`.
    pub path: String,
}

impl Page {
    fn single(kind: PageKind, path: impl Into<String>) -> Page {
        Page {
            kind,
            number: 1,
            of: 1,
            path: path.into(),
        }
    }
}

/// Every page of the site, in a fixed order.
pub fn lay_out(site: &Site, config: &Config) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let paginate = config.paginate;
    let mut pages = Vec::new();
    let list = |pages: &mut Vec<Page>, kind: PageKind, base: &str, len: usize| {
        let of = len.div_ceil(paginate).max(1);
        for number in 1..=of {
            pages.push(Page {
                kind,
                number,
                of,
                path: page_path(base, number),
            });
        }
    };
    // A list with a feed: its pages, then `atom.xml` beside the first.
    let with_feed = |pages: &mut Vec<Page>, kind: PageKind, of: FeedOf, len: usize| {
        let base = site.list_base(of);
        list(pages, kind, &base, len);
        pages.push(Page::single(PageKind::Feed(of), format!("{base}atom.xml")));
    };
    with_feed(
        &mut pages,
        PageKind::Home,
        FeedOf::Home,
        site.articles.len(),
    );
    pages.push(Page::single(PageKind::Rss, "rss.xml"));
    for (i, s) in site.sections.iter().enumerate() {
        with_feed(
            &mut pages,
            PageKind::Section(i),
            FeedOf::Section(i),
            s.articles.len(),
        );
    }
    pages.push(Page::single(PageKind::Tags, "tags/"));
    for (i, t) in site.tags.iter().enumerate() {
        with_feed(
            &mut pages,
            PageKind::Tag(i),
            FeedOf::Tag(i),
            t.articles.len(),
        );
    }
    pages.push(Page::single(PageKind::Authors, "authors/"));
    for (i, a) in site.authors.iter().enumerate() {
        with_feed(
            &mut pages,
            PageKind::Author(i),
            FeedOf::Author(i),
            a.articles.len(),
        );
    }
    for (i, a) in site.archives.iter().enumerate() {
        list(&mut pages, PageKind::Archive(i), &a.path, a.articles.len());
    }
    pages.push(Page::single(PageKind::Corrections, "corrections/"));
    pages.push(Page::single(PageKind::NotFound, "404.html"));
    if config.search {
        pages.push(Page::single(PageKind::Search, "search/"));
        pages.push(Page::single(PageKind::OpenSearch, "opensearch.xml"));
    }
    for (i, path) in site.article_paths.iter().enumerate() {
        pages.push(Page::single(PageKind::Article(i), path.clone()));
        if site.articles[i].live.is_some() {
            pages.push(Page::single(
                PageKind::LiveFeed(i),
                format!("{}atom.xml", site.article_dirs[i]),
            ));
        }
        for (n, alias) in site.articles[i].aliases.iter().enumerate() {
            pages.push(Page::single(PageKind::Alias(i, n), alias_path(alias)));
        }
    }
    add_sitemaps(site, config, &mut pages);
    check_unique(site, &pages)?;
    Ok(pages)
}

fn add_sitemaps(site: &Site, config: &Config, pages: &mut Vec<Page>) {
    let urls = pages.iter().filter(|p| p.kind.in_sitemap()).count();
    let chunks = urls.div_ceil(sitemap_chunk(config, pages)).max(1);
    if chunks == 1 {
        pages.push(Page::single(PageKind::Sitemap(0), "sitemap.xml"));
    } else {
        pages.push(Page::single(PageKind::SitemapIndex, "sitemap.xml"));
        for k in 0..chunks {
            pages.push(Page::single(
                PageKind::Sitemap(k),
                format!("sitemaps/sitemap-{}.xml", k + 1),
            ));
        }
    }
    let news_chunks = site.news.len().div_ceil(NEWS_SITEMAP_MAX).max(1);
    if news_chunks == 1 {
        pages.push(Page::single(PageKind::NewsSitemap(0), "news-sitemap.xml"));
    } else {
        pages.push(Page::single(PageKind::NewsSitemapIndex, "news-sitemap.xml"));
        for k in 0..news_chunks {
            pages.push(Page::single(
                PageKind::NewsSitemap(k),
                format!("sitemaps/news-sitemap-{}.xml", k + 1),
            ));
        }
    }
    pages.push(Page::single(PageKind::Robots, "robots.txt"));
}

/// URLs per sitemap file: the configured limit, lowered if the site's
/// longest URL could push a file past the 50 MB the protocol allows.
pub fn sitemap_chunk(config: &Config, pages: &[Page]) -> usize {
    // An entry is its escaped URL (at most 5 bytes per byte of path, for
    // `&amp;`) and ~90 bytes of markup; stay under 45 MB to be safe.
    const MAX_BYTES: usize = 45 * 1024 * 1024;
    let longest = pages.iter().map(|p| p.path.len()).max().unwrap_or(0);
    let per_entry = config.base_url.len() + 5 * longest + 90;
    config.sitemap_limit.min(MAX_BYTES / per_entry).max(1)
}

/// Two pages may not write the same file (`news/` and an alias
/// `/news/index.html` both write `news/index.html`), and no page may write a
/// file where another needs a folder (`sitemap.xml` and `sitemap.xml/`).
fn check_unique(site: &Site, pages: &[Page]) -> Result<(), Vec<Diagnostic>> {
    let mut owner: FxHashMap<String, &Page> =
        FxHashMap::with_capacity_and_hasher(pages.len(), Default::default());
    let mut errors = Vec::new();
    // Keyed by the lower-cased file: two URLs that differ only in case
    // are one file on case-insensitive disks, hosts and CDNs.
    for page in pages {
        let Some(first) = owner.insert(output_file(&page.path).to_lowercase(), page) else {
            continue;
        };
        let message = if first.path == page.path {
            format!(
                "two pages would be written to /{}: {} and {}",
                page.path,
                describe(site, first),
                describe(site, page)
            )
        } else {
            format!(
                "two pages differ only in case, /{} and /{}, which is one file on case-insensitive hosts and CDNs: {} and {}",
                first.path,
                page.path,
                describe(site, first),
                describe(site, page)
            )
        };
        let file = [page, first].into_iter().find_map(|p| match p.kind {
            PageKind::Article(i) | PageKind::Alias(i, _) | PageKind::LiveFeed(i) => {
                Some(&site.articles[i].source)
            }
            _ => None,
        });
        errors.push(match file {
            Some(f) => Diagnostic::in_file(f, message)
                .with_hint("give one of them a different `slug:`, `section:` or alias"),
            None => Diagnostic::new(message),
        });
    }
    for (file, page) in &owner {
        let mut folder = file.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(other) = owner.get(parent) {
                errors.push(Diagnostic::new(format!(
                    "{} is written as the file /{parent}, but {} needs a folder there",
                    describe(site, other),
                    describe(site, page)
                )));
            }
            folder = parent;
        }
    }
    errors.sort_by(|a, b| a.message.cmp(&b.message));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn describe(site: &Site, page: &Page) -> String {
    match page.kind {
        PageKind::Home => "the home page".into(),
        PageKind::Article(i) => format!("the article {}", site.articles[i].source.display()),
        PageKind::Alias(i, _) => format!("an alias of {}", site.articles[i].source.display()),
        PageKind::Section(i) => format!("the section front `{}`", site.sections[i].path),
        PageKind::Tag(i) => format!("the tag page `{}`", site.tags[i].name),
        PageKind::Author(i) => format!("the author page `{}`", site.authors[i].name),
        PageKind::Archive(i) => format!("the date archive /{}", site.archives[i].path),
        PageKind::Feed(_) | PageKind::Rss => "a feed".into(),
        PageKind::LiveFeed(i) => format!("the live feed of {}", site.articles[i].source.display()),
        PageKind::Tags => "the tag list".into(),
        PageKind::Authors => "the author list".into(),
        PageKind::Corrections => "the corrections page".into(),
        PageKind::NotFound => "the 404 page".into(),
        PageKind::Search => "the search page".into(),
        PageKind::OpenSearch => "the OpenSearch description".into(),
        _ => "a sitemap".into(),
    }
}
