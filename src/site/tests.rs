use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::content::parse_article;

fn config() -> Config {
    Config::parse(
        Path::new("/site"),
        "paginate = 2\ntimezone = \"America/New_York\"\n[sections]\nopinion = \"Opinion\"\n",
    )
    .unwrap()
}

fn article(path: &str, front: &str) -> Arc<Article> {
    let text = format!("---\n{front}\n---\nBody\n");
    Arc::new(
        parse_article(
            &Path::new("content").join(path),
            path,
            &text,
            config().timezone,
        )
        .unwrap(),
    )
}

/// Builds as of a fixed instant, after every sample article.
fn opts() -> SiteOptions {
    SiteOptions {
        now: Some(chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap()),
        ..SiteOptions::default()
    }
}

fn headlines(site: &Site, list: &[usize]) -> Vec<String> {
    list.iter()
        .map(|&i| site.articles[i].headline.clone())
        .collect()
}

fn sample() -> Vec<Arc<Article>> {
    vec![
        article(
            "news/us/a.md",
            "headline: A\ndate: 2026-11-01T10:00:00-05:00\ntags: [Politics]",
        ),
        article(
            "news/world/asia/b.md",
            "headline: B\ndate: 2026-11-03\ntags: [politics, Trade]\nrelated: [a]",
        ),
        article(
            "opinion/c.md",
            "headline: C\ndate: 2026-10-30T23:30:00-04:00\ntags: [Politics]",
        ),
        article("news/us/d.md", "headline: D\ndate: 2026-11-05\ndraft: true"),
    ]
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    assert_eq!(site.held.drafts, 1);
    assert!(site.articles.iter().all(|a| a.headline != "D"));
    let site = Site::assemble(
        &config(),
        sample(),
        &[],
        SiteOptions {
            drafts: true,
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(site.articles[0].headline, "D");
}

#[test]
fn sections_include_ancestors_newest_first() {
    let site = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    let paths: Vec<&str> = site.sections.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "news",
            "news/us",
            "news/world",
            "news/world/asia",
            "opinion"
        ]
    );
    assert_eq!(headlines(&site, &site.sections[0].articles), ["B", "A"]);
    let asia = &site.sections[3];
    assert_eq!(site.sections[asia.parent.unwrap()].path, "news/world");
    // site.toml names `opinion` first; the rest follow alphabetically.
    let nav: Vec<&str> = site
        .nav
        .iter()
        .map(|&i| site.sections[i].path.as_str())
        .collect();
    assert_eq!(nav, ["opinion", "news"]);
}

#[test]
fn tags_differing_in_case_are_one_tag() {
    let site = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    let politics = site.tags.iter().find(|t| t.slug == "politics").unwrap();
    assert_eq!(politics.name, "Politics");
    assert_eq!(headlines(&site, &politics.articles), ["B", "A", "C"]);
}

#[test]
fn archives_use_the_site_time_zone() {
    let site = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    let paths: Vec<&str> = site.archives.iter().map(|a| a.path.as_str()).collect();
    // C is 23:30 on Oct 30 in New York, though Oct 31 in UTC.
    assert_eq!(
        paths,
        [
            "2026/",
            "2026/11/",
            "2026/10/",
            "2026/11/03/",
            "2026/11/01/",
            "2026/10/30/"
        ]
    );
}

#[test]
fn pagination_lays_out_exact_pages() {
    let site = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    let home: Vec<&str> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Home)
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(home, ["", "page/2/"]);
}

#[test]
fn related_links_resolve_by_slug_or_path() {
    let site = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    let b = site
        .articles
        .iter()
        .position(|a| a.headline == "B")
        .unwrap();
    let RelatedLink::Article(target) = site.related[b][0] else {
        panic!()
    };
    assert_eq!(site.articles[target].headline, "A");
}

#[test]
fn broken_related_links_name_the_slug_and_line() {
    let mut articles = sample();
    articles.push(article(
        "news/us/e.md",
        "headline: E\ndate: 2026-11-02\nrelated:\n  - news/us/zzz\n  - d",
    ));
    let errors = Site::assemble(&config(), articles, &[], opts()).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].message.contains("`news/us/zzz` not found"));
    assert_eq!(errors[0].line, Some(5));
    assert!(errors[1].message.contains("is a draft"));
}

#[test]
fn two_articles_on_one_url_name_both_files() {
    let mut articles = sample();
    articles.push(article(
        "news/us/other.md",
        "headline: X\ndate: 2026-11-02\nslug: a",
    ));
    let errors = Site::assemble(&config(), articles, &[], opts()).unwrap_err();
    // B's `related: [a]` is now ambiguous too; the clash is the other error.
    let clash = errors
        .iter()
        .find(|e| e.message.starts_with("two pages"))
        .unwrap();
    let text = clash.to_string();
    assert!(
        text.contains("content/news/us/a.md") && text.contains("content/news/us/other.md"),
        "{text}"
    );
}

#[test]
fn urls_differing_only_in_case_clash_naming_both_files() {
    let mut articles = sample();
    articles.push(article(
        "news/us/other.md",
        "headline: X\ndate: 2026-11-02\nslug: Ferry-Vote",
    ));
    articles.push(article(
        "news/us/third.md",
        "headline: Y\ndate: 2026-11-03\nslug: ferry-vote",
    ));
    let errors = Site::assemble(&config(), articles, &[], opts()).unwrap_err();
    let clash = errors
        .iter()
        .find(|e| e.message.contains("differ only in case"))
        .unwrap_or_else(|| panic!("{errors:?}"));
    let text = clash.to_string();
    assert!(
        text.contains("content/news/us/other.md")
            && text.contains("content/news/us/third.md")
            && text.contains("/news/us/Ferry-Vote/")
            && text.contains("/news/us/ferry-vote/"),
        "{text}"
    );
}

#[test]
fn a_section_named_like_a_reserved_page_clashes() {
    let mut articles = sample();
    articles.push(article("tags/x.md", "headline: X\ndate: 2026-11-02"));
    assert!(Site::assemble(&config(), articles, &[], opts()).is_err());
}

#[test]
fn input_order_does_not_change_the_model() {
    let forward = Site::assemble(&config(), sample(), &[], opts()).unwrap();
    let mut reversed = sample();
    reversed.reverse();
    let backward = Site::assemble(&config(), reversed, &[], opts()).unwrap();
    assert_eq!(forward.article_paths, backward.article_paths);
    assert_eq!(forward.tags, backward.tags);
    assert_eq!(forward.pages, backward.pages);
}

#[test]
fn ties_on_date_go_to_the_section_then_the_slug() {
    let same = "date: 2026-11-02T09:00:00Z";
    let articles = vec![
        article("sports/b.md", &format!("headline: Sports B\n{same}")),
        article("news/z.md", &format!("headline: News Z\n{same}")),
        article("news/a.md", &format!("headline: News A\n{same}")),
    ];
    let site = Site::assemble(&config(), articles, &[], opts()).unwrap();
    assert_eq!(
        headlines(&site, &site.all),
        ["News A", "News Z", "Sports B"]
    );
}

/// A site of `n` articles sharing a few tags, for the modules beside
/// this one.
pub(super) fn sample_site(n: usize) -> Site {
    let tags = ["Politics", "Trade", "Courts", "Weather"];
    let articles = (0..n)
        .map(|i| {
            let front = format!(
                "headline: Story {i}\ndate: 2026-11-{:02}T{:02}:00:00Z\ntags: [{}, {}]",
                1 + i % 28,
                i % 24,
                tags[i % 4],
                tags[(i / 4) % 4],
            );
            article(&format!("news/s{i}.md"), &front)
        })
        .collect();
    Site::assemble(&config(), articles, &[], opts()).unwrap()
}
