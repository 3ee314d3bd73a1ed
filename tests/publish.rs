//! Newsroom publishing: feeds, sitemaps, structured data, embargoes,
//! corrections, authors, related stories, permalinks and aliases. Every
//! XML file is parsed with an XML parser and every JSON-LD block as JSON.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{attrs, instant, texts, SiteTest};
use dateline::config::Config;
use dateline::content::{parse_article, Article};
use dateline::render::{Prepared, Renderer, Templates, Theme};
use dateline::site::{PageKind, Site, SiteOptions};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

fn built() -> SiteTest {
    let site = SiteTest::new("newsroom");
    site.build_ok();
    site
}

fn children<'a>(
    node: roxmltree::Node<'a, 'a>,
    ns: &str,
    name: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    node.children()
        .filter(|n| {
            if ns.is_empty() {
                n.has_tag_name(name)
            } else {
                n.has_tag_name((ns, name))
            }
        })
        .collect()
}

fn child_text(node: roxmltree::Node, ns: &str, name: &str) -> String {
    children(node, ns, name)
        .first()
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_site_atom_feed_has_every_required_element() {
    let site = built();
    let text = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed Atom");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    assert_eq!(child_text(feed, ATOM, "title"), "Fixture Gazette");
    assert_eq!(child_text(feed, ATOM, "id"), "https://gazette.example.com/");
    assert!(chrono::DateTime::parse_from_rfc3339(&child_text(feed, ATOM, "updated")).is_ok());
    let links = children(feed, ATOM, "link");
    let this = links
        .iter()
        .find(|l| l.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        this.attribute("href"),
        Some("https://gazette.example.com/atom.xml")
    );
    let entries = children(feed, ATOM, "entry");
    assert_eq!(entries.len(), 20, "feed_limit defaults to 20");
    let mut previous = None;
    for entry in &entries {
        for required in ["id", "title", "updated", "published", "summary", "content"] {
            assert!(
                !children(*entry, ATOM, required).is_empty(),
                "entry without {required}"
            );
        }
        let published =
            chrono::DateTime::parse_from_rfc3339(&child_text(*entry, ATOM, "published")).unwrap();
        assert!(previous.is_none_or(|p| p >= published), "newest first");
        previous = Some(published);
        let content = children(*entry, ATOM, "content")[0];
        assert_eq!(content.attribute("type"), Some("html"));
        assert!(
            content.text().unwrap().contains("<p>"),
            "full content as HTML"
        );
        let link = children(*entry, ATOM, "link")[0].attribute("href").unwrap();
        assert_eq!(child_text(*entry, ATOM, "id"), link);
        assert!(link.starts_with("https://gazette.example.com/"));
    }
    let chips = entries
        .iter()
        .find(|e| child_text(**e, ATOM, "title").contains("Chip Exports"))
        .unwrap();
    assert_eq!(
        child_text(*chips, ATOM, "title"),
        "Story 15: Chip Exports <script>alert(1)</script> & more"
    );
    let authors: Vec<String> = children(*chips, ATOM, "author")
        .iter()
        .map(|a| child_text(*a, ATOM, "name"))
        .collect();
    assert_eq!(authors, ["Ana Reyes", "Bo Chen"]);
    assert_eq!(
        child_text(*chips, ATOM, "summary"),
        "A dek with \"quotes\" and <b>tags</b>."
    );
    assert_eq!(
        child_text(*chips, ATOM, "updated"),
        "2026-03-16T09:00:00-06:00"
    );
}

#[test]
fn sections_tags_and_authors_have_their_own_feeds() {
    let site = built();
    for (path, count) in [
        ("news/world/asia/atom.xml", 6),
        ("tags/harbor/atom.xml", 20),
        ("authors/ana-reyes/atom.xml", 1),
        ("tags/semiconductors/atom.xml", 1),
    ] {
        let text = site.read(path);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            children(doc.root_element(), ATOM, "entry").len(),
            count,
            "{path}"
        );
        let self_link = children(doc.root_element(), ATOM, "link")
            .into_iter()
            .find(|l| l.attribute("rel") == Some("self"))
            .unwrap();
        assert_eq!(
            self_link.attribute("href").unwrap(),
            format!("https://gazette.example.com/{path}")
        );
    }
    let page = site.page("tags/harbor/");
    let feeds = attrs(
        &page,
        "link[rel=alternate][type=\"application/atom+xml\"]",
        "href",
    );
    assert!(
        feeds.contains(&"https://gazette.example.com/tags/harbor/atom.xml".to_string()),
        "{feeds:?}"
    );
    assert!(feeds.contains(&"https://gazette.example.com/atom.xml".to_string()));
}

#[test]
fn the_rss_feed_is_rss_2() {
    let site = built();
    let text = site.read("rss.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let rss = doc.root_element();
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = children(rss, "", "channel")[0];
    for required in ["title", "link", "description"] {
        assert!(
            !child_text(channel, "", required).is_empty(),
            "channel without {required}"
        );
    }
    let items = children(channel, "", "item");
    assert_eq!(items.len(), 20);
    for item in items {
        assert!(chrono::DateTime::parse_from_rfc2822(&child_text(item, "", "pubDate")).is_ok());
        assert!(child_text(item, "", "guid").starts_with("https://"));
    }
}

#[test]
fn the_sitemap_lists_every_page_with_lastmod() {
    let site = built();
    let text = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(doc.root_element().has_tag_name((SITEMAP, "urlset")));
    let urls = children(doc.root_element(), SITEMAP, "url");
    let locs: Vec<String> = urls
        .iter()
        .map(|u| child_text(*u, SITEMAP, "loc"))
        .collect();
    let html_pages = site
        .snapshot()
        .keys()
        // The search page is not a page to index (it says noindex).
        .filter(|p| p.ends_with("index.html") && *p != "search/index.html")
        .count();
    assert_eq!(
        locs.len(),
        html_pages,
        "every HTML page once (404 and feeds are not pages to index)"
    );
    assert!(locs.contains(&"https://gazette.example.com/news/world/asia/chip-exports/".to_string()));
    assert!(locs.contains(&"https://gazette.example.com/tags/harbor/page/3/".to_string()));
    for u in &urls {
        assert!(chrono::DateTime::parse_from_rfc3339(&child_text(*u, SITEMAP, "lastmod")).is_ok());
    }
    let chips = urls
        .iter()
        .find(|u| child_text(**u, SITEMAP, "loc").ends_with("/chip-exports/"))
        .unwrap();
    assert_eq!(
        child_text(*chips, SITEMAP, "lastmod"),
        "2026-03-16T09:00:00-06:00",
        "the update, not the date"
    );
    let robots = site.read("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://gazette.example.com/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn a_small_sitemap_limit_splits_the_sitemap_under_an_index() {
    let site = SiteTest::new("newsroom");
    let config = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        config.replace("paginate = 10", "paginate = 10\nsitemap_limit = 10"),
    );
    site.build_ok();
    let index = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert!(doc.root_element().has_tag_name((SITEMAP, "sitemapindex")));
    let files: Vec<String> = children(doc.root_element(), SITEMAP, "sitemap")
        .iter()
        .map(|s| child_text(*s, SITEMAP, "loc"))
        .collect();
    let mut total = 0;
    for (n, loc) in files.iter().enumerate() {
        assert_eq!(
            loc,
            &format!("https://gazette.example.com/sitemaps/sitemap-{}.xml", n + 1)
        );
        let text = site.read(loc.trim_start_matches("https://gazette.example.com/"));
        let part = roxmltree::Document::parse(&text).unwrap();
        let count = children(part.root_element(), SITEMAP, "url").len();
        assert!(count <= 10 && count > 0);
        total += count;
    }
    let html_pages = site
        .snapshot()
        .keys()
        // The search page is not a page to index (it says noindex).
        .filter(|p| p.ends_with("index.html") && *p != "search/index.html")
        .count();
    assert_eq!(total, html_pages);
}

/// A generated model of `n` one-line articles, all dated just before `now`.
fn generated(n: usize, now: &str, spacing_minutes: i64) -> (Config, Site, Templates) {
    let config = Config::parse(
        Path::new("/nowhere"),
        "title = \"Big\"\nbase_url = \"https://big.example/\"\npaginate = 1000",
    )
    .unwrap();
    let template = parse_article(
        Path::new("content/news/a.md"),
        "news/a.md",
        "---\nheadline: Item\ndate: 2026-01-01\n---\nText.\n",
        config.timezone,
    )
    .unwrap();
    let now = instant(now);
    let articles: Vec<Arc<Article>> = (0..n)
        .map(|i| {
            let mut a: Article = template.clone();
            a.slug = format!("item-{i}");
            a.headline = format!("Item {i}");
            a.date = now - chrono::Duration::minutes(spacing_minutes * (i as i64 + 1));
            Arc::new(a)
        })
        .collect();
    let site = Site::assemble(
        &config,
        articles,
        &[],
        SiteOptions {
            now: Some(now),
            ..SiteOptions::default()
        },
    )
    .unwrap();
    let templates = Templates::compile(&Theme::load(&config).unwrap()).unwrap();
    (config, site, templates)
}

fn render_kind(
    config: &Config,
    site: &Site,
    templates: &Templates,
    wanted: impl Fn(PageKind) -> bool,
) -> Vec<(String, String)> {
    let prepared = Prepared::new(config, site, Default::default());
    let renderer = Renderer::new(templates, config, site, &prepared);
    site.pages
        .iter()
        .filter(|p| wanted(p.kind))
        .map(|p| (p.path.clone(), renderer.render(p).unwrap()))
        .collect()
}

#[test]
fn above_50000_urls_the_sitemap_becomes_an_index() {
    // 50,000 articles plus their list pages: just over the limit.
    let (config, site, templates) = generated(50_000, "2026-06-01T00:00:00Z", 10);
    let html = site.pages.iter().filter(|p| p.kind.in_sitemap()).count();
    assert!(html > 50_000);
    let files = render_kind(&config, &site, &templates, |k| {
        matches!(k, PageKind::Sitemap(_) | PageKind::SitemapIndex)
    });
    let (index_path, index) = files.iter().find(|(p, _)| p == "sitemap.xml").unwrap();
    assert_eq!(index_path, "sitemap.xml");
    let doc = roxmltree::Document::parse(index).unwrap();
    assert_eq!(children(doc.root_element(), SITEMAP, "sitemap").len(), 2);
    let mut total = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("sitemaps/")) {
        let doc = roxmltree::Document::parse(text).unwrap();
        let count = children(doc.root_element(), SITEMAP, "url").len();
        assert!(count <= 50_000, "{path}: {count}");
        assert!(text.len() < 50 * 1024 * 1024);
        total += count;
    }
    assert_eq!(total, html);
}

#[test]
fn the_news_sitemap_holds_two_days_and_splits_above_1000() {
    // One article every two minutes: 1,440 in the last two days, then older ones.
    let (config, site, templates) = generated(2_000, "2026-06-01T00:00:00Z", 2);
    assert_eq!(site.news.len(), 1_440);
    let files = render_kind(&config, &site, &templates, |k| {
        matches!(k, PageKind::NewsSitemap(_) | PageKind::NewsSitemapIndex)
    });
    let index = &files
        .iter()
        .find(|(p, _)| p == "news-sitemap.xml")
        .unwrap()
        .1;
    let doc = roxmltree::Document::parse(index).unwrap();
    assert_eq!(children(doc.root_element(), SITEMAP, "sitemap").len(), 2);
    let mut counts = Vec::new();
    for (_, text) in files
        .iter()
        .filter(|(p, _)| p.starts_with("sitemaps/news-"))
    {
        let doc = roxmltree::Document::parse(text).unwrap();
        let urls = children(doc.root_element(), SITEMAP, "url");
        counts.push(urls.len());
        let news = children(urls[0], NEWS, "news")[0];
        let publication = children(news, NEWS, "publication")[0];
        assert_eq!(child_text(publication, NEWS, "name"), "Big");
        assert_eq!(child_text(publication, NEWS, "language"), "en");
        assert!(child_text(news, NEWS, "title").starts_with("Item "));
        let published =
            chrono::DateTime::parse_from_rfc3339(&child_text(news, NEWS, "publication_date"))
                .unwrap();
        assert!(published >= instant("2026-05-30T00:00:00Z"));
    }
    assert_eq!(counts, [1_000, 440]);
}

#[test]
fn the_news_sitemap_of_a_built_site_follows_now() {
    let site = SiteTest::new("newsroom");
    let out = site.run(&["build", "--now", "2026-03-20T18:00:00-06:00"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = site.read("news-sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let titles: Vec<String> = children(doc.root_element(), SITEMAP, "url")
        .iter()
        .map(|u| child_text(children(*u, NEWS, "news")[0], NEWS, "title"))
        .collect();
    // Stories 19 and 20 (March 19 and 20) are inside the two days; 18 (March 18, 11:15) is just outside.
    assert_eq!(
        titles,
        ["Story 20: Freight Rates", "Story 19: Island Freight"]
    );
}

#[test]
fn json_ld_is_valid_and_cannot_be_broken_out_of() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/opinion/breakout.md",
        "---\nheadline: \"Why </script><script>alert(1)</script> matters\"\ndate: 2026-03-31T10:00:00-06:00\nkind: opinion\nauthors: [Columnist]\ntags: [Harbor]\n---\nText.\n",
    );
    let config = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        format!("logo = \"/images/chips.svg\"\n{config}"),
    );
    site.build_ok();
    let page = site.page("opinion/breakout/");
    let blocks = texts(&page, "script[type=\"application/ld+json\"]");
    assert_eq!(blocks.len(), 1);
    assert!(
        texts(&page, "script:not([type=\"application/ld+json\"])").is_empty(),
        "no script escaped the JSON-LD"
    );
    let ld: serde_json::Value = serde_json::from_str(&blocks[0]).unwrap();
    assert_eq!(ld["@type"], "OpinionNewsArticle");
    assert_eq!(
        ld["headline"],
        "Why </script><script>alert(1)</script> matters"
    );
    assert_eq!(ld["datePublished"], "2026-03-31T10:00:00-06:00");
    assert_eq!(ld["author"][0]["@type"], "Person");
    assert_eq!(ld["author"][0]["name"], "Columnist");
    assert_eq!(
        ld["author"][0]["url"],
        "https://gazette.example.com/authors/columnist/"
    );
    assert_eq!(
        ld["mainEntityOfPage"]["@id"],
        "https://gazette.example.com/opinion/breakout/"
    );
    assert_eq!(ld["publisher"]["name"], "Fixture Gazette");
    assert_eq!(ld["publisher"]["logo"]["@type"], "ImageObject");
    assert_eq!(
        ld["publisher"]["logo"]["url"],
        "https://gazette.example.com/images/chips.svg"
    );

    let chips = site.page("news/world/asia/chip-exports/");
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&chips, "script[type=\"application/ld+json\"]")[0]).unwrap();
    assert_eq!(ld["@type"], "AnalysisNewsArticle");
    assert_eq!(ld["dateModified"], "2026-03-16T09:00:00-06:00");
    assert_eq!(
        ld["image"][0],
        "https://gazette.example.com/images/chips.svg"
    );
    assert_eq!(ld["articleSection"], "Asia Pacific");
    assert_eq!(
        ld["keywords"],
        serde_json::json!(["Harbor", "Trade", "Semiconductors"])
    );
    let meta = |p: &str| attrs(&chips, &format!("meta[property=\"{p}\"]"), "content");
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(
        meta("og:url"),
        ["https://gazette.example.com/news/world/asia/chip-exports/"]
    );
    assert_eq!(
        meta("og:image"),
        ["https://gazette.example.com/images/chips.svg"]
    );
    assert_eq!(
        meta("article:published_time"),
        ["2026-03-15T08:15:00-06:00"]
    );
    assert_eq!(meta("article:modified_time"), ["2026-03-16T09:00:00-06:00"]);
    assert_eq!(meta("article:section"), ["Asia Pacific"]);
    assert_eq!(meta("article:tag"), ["Harbor", "Trade", "Semiconductors"]);
    assert_eq!(meta("article:author").len(), 2);
    assert_eq!(
        attrs(&chips, "meta[name=\"twitter:card\"]", "content"),
        ["summary_large_image"]
    );
    assert_eq!(
        attrs(&chips, "meta[name=description]", "content"),
        ["A dek with \"quotes\" and <b>tags</b>."]
    );
}

#[test]
fn embargoed_articles_appear_nowhere_until_now_passes() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/quarterly-results.md",
        "---\nheadline: EMBARGOED quarterly results\ndate: 2026-03-31T08:00:00-06:00\nembargo: 2026-04-02T06:00:00-06:00\ntags: [Harbor]\nauthors: [Ana Reyes]\n---\nNumbers.\n",
    );
    let before = site.run(&["build", "--now", "2026-04-02T05:59:00-06:00"]);
    let stderr = String::from_utf8_lossy(&before.stderr);
    assert!(before.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 embargoed, next due 2026-04-02T06:00:00-06:00"),
        "{stderr}"
    );
    for (path, bytes) in site.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("EMBARGOED") && !text.contains("quarterly-results"),
            "leaked into {path}"
        );
    }
    let after = site.run(&["build", "--now", "2026-04-02T06:00:00-06:00"]);
    assert!(after.status.success());
    assert!(site.exists("business/quarterly-results/"));
    assert!(site
        .read("atom.xml")
        .contains("EMBARGOED quarterly results"));
    assert!(site
        .read("sitemap.xml")
        .contains("/business/quarterly-results/"));
    let future = site.run(&["build", "--now", "2026-04-01T00:00:00-06:00", "--future"]);
    assert!(future.status.success());
    assert!(
        site.exists("business/quarterly-results/"),
        "--future publishes it early"
    );
}

#[test]
fn a_related_link_to_an_embargoed_story_is_an_error() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/results.md",
        "---\nheadline: Results\ndate: 2026-05-01\n---\nLater.\n",
    );
    site.write(
        "content/business/preview.md",
        "---\nheadline: Preview\ndate: 2026-03-31\nrelated:\n  - business/results\n---\nSoon.\n",
    );
    let err = site.build().unwrap_err();
    let text = err
        .diagnostics()
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains(
            "content/business/preview.md:5: related article `business/results` is embargoed until"
        ),
        "{text}"
    );
}

#[test]
fn corrections_show_on_the_article_and_move_every_modified_date() {
    let site = SiteTest::new("newsroom");
    let file = "content/business/port-bonds.md";
    let text = std::fs::read_to_string(site.root.join(file)).unwrap().replace(
        "authors: [Fixture Writer]",
        "authors: [Fixture Writer]\ncorrections:\n  - date: 2026-03-27T09:00:00-06:00\n    text: An earlier version misstated the bond's rate.\n  - date: 2026-03-28T10:30:00-06:00\n    text: The issuer is the port authority, not the city.",
    );
    site.write(file, text);
    site.build_ok();
    let page = site.page("business/port-bonds/");
    let notes = texts(&page, ".corrections li");
    assert_eq!(notes.len(), 2);
    assert!(
        notes[0].contains("The issuer is the port authority"),
        "newest first: {notes:?}"
    );
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type=\"application/ld+json\"]")[0]).unwrap();
    assert_eq!(ld["dateModified"], "2026-03-28T10:30:00-06:00");
    let atom = site.read("business/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entry = children(doc.root_element(), ATOM, "entry")
        .into_iter()
        .find(|e| child_text(*e, ATOM, "title").contains("Port Bonds"))
        .unwrap();
    assert_eq!(
        child_text(entry, ATOM, "updated"),
        "2026-03-28T10:30:00-06:00"
    );
    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let url = children(doc.root_element(), SITEMAP, "url")
        .into_iter()
        .find(|u| child_text(*u, SITEMAP, "loc").ends_with("/business/port-bonds/"))
        .unwrap();
    assert_eq!(
        child_text(url, SITEMAP, "lastmod"),
        "2026-03-28T10:30:00-06:00"
    );
    let list = site.page("corrections/");
    let entries = texts(&list, ".corrections-list li");
    assert_eq!(entries.len(), 2);
    assert!(entries[0].contains("port authority") && entries[1].contains("misstated"));
}

#[test]
fn authors_get_pages_with_their_profiles() {
    let site = SiteTest::new("newsroom");
    site.write(
        "authors.yaml",
        "- name: Ana Reyes\n  bio: Covers chips and trade.\n  photo: /images/chips.svg\n  links:\n    - title: Email\n      url: mailto:ana@example.org\n",
    );
    site.build_ok();
    let index = site.page("authors/");
    assert!(texts(&index, ".tag-index li").contains(&"Fixture Writer 24".to_string()));
    let ana = site.page("authors/ana-reyes/");
    assert_eq!(texts(&ana, "h1"), ["Ana Reyes"]);
    assert_eq!(
        texts(&ana, ".author-header__bio"),
        ["Covers chips and trade."]
    );
    assert_eq!(
        attrs(&ana, ".author-header__links a", "href"),
        ["mailto:ana@example.org"]
    );
    assert_eq!(common::card_headlines(&ana).len(), 1);
    assert!(
        site.exists("authors/fixture-writer/page/3/"),
        "24 articles at 10 a page"
    );
    site.write("authors.yaml", "- name: Ana Reyes\n  biography: oops\n");
    let d = site.build_error("authors.yaml");
    assert_eq!(d.line, Some(2));
}

#[test]
fn computed_related_stories_follow_rare_tags_then_time() {
    // Worked by hand. Six articles; A's tags are `rare` (on A, B, C: weight
    // ln(7/3) = 0.85) and `common` (on A, B, D, E: ln(7/4) = 0.56).
    // B shares both (1.41), C rare (0.85), D and E common (0.56 each); D is
    // two days from A, E five, so D wins the tie. F shares nothing. A lists F
    // explicitly; related_limit = 4 leaves room for B, C and D.
    let article = |headline: &str, date: &str, tags: &str, extra: &str| {
        format!("---\nheadline: {headline}\ndate: {date}\ntags: [{tags}]\n{extra}---\nText.\n")
    };
    let site = SiteTest::from_files(&[
        ("site.toml", "title = \"R\"\nrelated_limit = 4\n"),
        (
            "content/news/a.md",
            &article("A", "2026-03-10", "rare, common", "related: [f]\n"),
        ),
        (
            "content/news/b.md",
            &article("B", "2026-02-01", "rare, common", ""),
        ),
        ("content/news/c.md", &article("C", "2026-03-09", "rare", "")),
        (
            "content/news/d.md",
            &article("D", "2026-03-12", "common", ""),
        ),
        (
            "content/news/e.md",
            &article("E", "2026-03-05", "common", ""),
        ),
        (
            "content/news/f.md",
            &article("F", "2026-03-11", "other", ""),
        ),
    ]);
    site.build_ok();
    let page = site.page("news/a/");
    assert_eq!(texts(&page, ".related li > a"), ["F", "B", "C", "D"]);
}

#[test]
fn permalink_patterns_shape_article_urls_and_links_follow() {
    let site = SiteTest::new("newsroom");
    let config = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        format!("permalink = \"/:year/:month/:day/:slug/\"\n{config}"),
    );
    site.build_ok();
    assert!(site.exists("2026/03/15/chip-exports/"));
    assert!(!site.exists("news/world/asia/chip-exports/"));
    let page = site.page("2026/03/15/chip-exports/");
    assert_eq!(
        attrs(&page, ".story__body a", "href"),
        ["/2026/03/01/harbor-dredging/"]
    );
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://gazette.example.com/2026/03/15/chip-exports/"]
    );
}

#[test]
fn aliases_redirect_old_urls_to_the_article() {
    let site = SiteTest::new("newsroom");
    let file = "content/business/port-bonds.md";
    let text = std::fs::read_to_string(site.root.join(file))
        .unwrap()
        .replace(
            "authors:",
            "aliases: [/2019/old-port-bonds/, /legacy/bonds.html]\nauthors:",
        );
    site.write(file, &text);
    site.build_ok();
    for old in ["2019/old-port-bonds/index.html", "legacy/bonds.html"] {
        let page = scraper::Html::parse_document(&site.read(old));
        assert_eq!(
            attrs(&page, "link[rel=canonical]", "href"),
            ["https://gazette.example.com/business/port-bonds/"]
        );
        assert_eq!(
            attrs(&page, "meta[http-equiv=refresh]", "content"),
            ["0; url=/business/port-bonds/"]
        );
    }
    site.write(
        file,
        text.replace("/legacy/bonds.html", "/business/fuel-prices/"),
    );
    let err = site.build().unwrap_err();
    assert!(err.diagnostics().iter().any(|d| d
        .message
        .contains("two pages would be written to /business/fuel-prices/")));
}

#[test]
fn reading_time_and_excerpts_reach_the_page() {
    let site = built();
    let page = site.page("news/us/harbor-dredging/");
    assert_eq!(texts(&page, ".story__reading"), ["1 min read"]);
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type=\"application/ld+json\"]")[0]).unwrap();
    assert_eq!(ld["wordCount"], 5);
    assert_eq!(
        ld["description"], "Fixture body about harbor dredging.",
        "no dek: the first paragraph"
    );
}

#[test]
fn raw_html_is_trusted_by_default_and_sanitised_with_safe_html() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/raw.md",
        "---\nheadline: Raw HTML\ndate: 2026-03-31\n---\nText[^1].\n\n<script>alert(1)</script>\n\n<img src=\"/images/chips.svg\" onerror=\"alert(2)\" alt=\"chip\">\n\n<a href=\"javascript:alert(3)\">bad link</a>\n\n[^1]: A note.\n",
    );
    site.build_ok();
    let page = site.read_page_text("business/raw/");
    assert!(
        page.contains("<script>alert(1)</script>"),
        "trusted authors by default"
    );
    let config = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write("site.toml", format!("safe_html = true\n{config}"));
    site.build_ok();
    let html = scraper::Html::parse_document(&site.read_page_text("business/raw/"));
    let body = texts(&html, ".story__body");
    assert!(!body[0].contains("alert(1)"), "{body:?}");
    assert!(attrs(&html, ".story__body img", "onerror").is_empty());
    assert_eq!(
        attrs(&html, ".story__body img", "src"),
        ["/images/chips.svg"]
    );
    assert!(attrs(&html, ".story__body a", "href")
        .iter()
        .all(|h| !h.starts_with("javascript:")));
    assert!(
        !attrs(&html, ".story__body [id]", "id").is_empty(),
        "footnote ids survive"
    );
}
