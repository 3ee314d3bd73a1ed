//! Lays out every page of the site and refuses two pages on one URL.

use std::collections::HashMap;

use super::Site;
use crate::error::Diagnostic;
use crate::urls::page_path;

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
    /// A date archive, by index into `Site::archives`.
    Archive(usize),
    /// The "page not found" page.
    NotFound,
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

/// Every page of the site, in a fixed order.
pub fn lay_out(site: &Site, paginate: usize) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let mut pages = Vec::new();
    let mut list = |kind: PageKind, base: &str, len: usize| {
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
    list(PageKind::Home, "", site.articles.len());
    for (i, s) in site.sections.iter().enumerate() {
        list(
            PageKind::Section(i),
            &format!("{}/", s.path),
            s.articles.len(),
        );
    }
    for (i, t) in site.tags.iter().enumerate() {
        list(
            PageKind::Tag(i),
            &format!("tags/{}/", t.slug),
            t.articles.len(),
        );
    }
    for (i, a) in site.archives.iter().enumerate() {
        list(PageKind::Archive(i), &a.path, a.articles.len());
    }
    pages.push(Page {
        kind: PageKind::Tags,
        number: 1,
        of: 1,
        path: "tags/".into(),
    });
    pages.push(Page {
        kind: PageKind::NotFound,
        number: 1,
        of: 1,
        path: "404.html".into(),
    });
    for (i, path) in site.article_paths.iter().enumerate() {
        pages.push(Page {
            kind: PageKind::Article(i),
            number: 1,
            of: 1,
            path: path.clone(),
        });
    }
    check_unique(site, &pages)?;
    Ok(pages)
}

fn check_unique(site: &Site, pages: &[Page]) -> Result<(), Vec<Diagnostic>> {
    let mut owner: HashMap<&str, &Page> = HashMap::with_capacity(pages.len());
    let mut errors = Vec::new();
    for page in pages {
        let Some(first) = owner.insert(&page.path, page) else {
            continue;
        };
        let message = format!(
            "two pages would be written to /{}: {} and {}",
            page.path,
            describe(site, first),
            describe(site, page)
        );
        let file = [page, first].into_iter().find_map(|p| match p.kind {
            PageKind::Article(i) => Some(&site.articles[i].source),
            _ => None,
        });
        errors.push(match file {
            Some(f) => Diagnostic::in_file(f, message)
                .with_hint("give one of them a different `slug:` or `section:`"),
            None => Diagnostic::new(message),
        });
    }
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
        PageKind::Section(i) => format!("the section front `{}`", site.sections[i].path),
        PageKind::Tag(i) => format!("the tag page `{}`", site.tags[i].name),
        PageKind::Tags => "the tag list".into(),
        PageKind::Archive(i) => format!("the date archive /{}", site.archives[i].path),
        PageKind::NotFound => "the 404 page".into(),
    }
}
