//! Live blogs: updates newest first with anchors and times, the "Live"
//! label and a reload notice while the coverage runs and not after, the
//! LiveBlogPosting JSON-LD, the live blog's own feed, and its mistakes.

mod common;

use common::{attrs, instant, texts, SiteTest};
use scraper::Html;
use serde_json::Value;

const SITE: &str =
    "title = \"Live Test\"\nbase_url = \"https://live.example.com/\"\ntimezone = \"America/New_York\"\n";

const LIVE: &str = "---\nheadline: \"Storm Helena: live updates\"\ndate: 2026-11-24T06:00:00-05:00\nkind: live\nlive_until: 2026-11-25T12:00:00-05:00\nauthors: [Dev Okafor]\n---\nSummary of the storm.\n\n## 09:15 Winds pick up\n\nGusts of 50 mph.\n\n## 2026-11-25 08:10 Ferries resume\n\nFirst sailing at 8:10.\n\n## 14:32 Power restored to Lowtown\n\nMost homes have power.\n";

fn site() -> SiteTest {
    SiteTest::from_files(&[
        ("site.toml", SITE),
        ("content/news/us/storm-live.md", LIVE),
        (
            "content/news/us/wire-brief.md",
            "---\nheadline: \"Wire brief\"\ndate: 2026-11-23\n---\nNo byline.\n",
        ),
    ])
}

fn build_at(site: &SiteTest, now: &str) {
    let mut options = site.options();
    options.now = Some(instant(now));
    if let Err(e) = dateline::build(&options) {
        panic!("{:#?}", e.diagnostics());
    }
}

fn json_ld(page: &Html) -> Value {
    serde_json::from_str(&texts(page, "script[type='application/ld+json']")[0]).unwrap()
}

#[test]
fn while_live_the_page_shows_updates_newest_first_with_the_label() {
    let site = site();
    build_at(&site, "2026-11-25T09:00:00-05:00");
    let page = site.page("news/us/storm-live/");
    assert_eq!(
        texts(&page, ".live-update .live-update__title"),
        [
            "8:10 AM EST Ferries resume",
            "2:32 PM EST Power restored to Lowtown",
            "9:15 AM EST Winds pick up"
        ]
    );
    assert_eq!(
        attrs(&page, ".live-update", "id"),
        [
            "update-2026-11-25-0810",
            "update-2026-11-24-1432",
            "update-2026-11-24-0915"
        ]
    );
    assert_eq!(
        attrs(&page, ".live-update time", "datetime"),
        [
            "2026-11-25T08:10:00-05:00",
            "2026-11-24T14:32:00-05:00",
            "2026-11-24T09:15:00-05:00"
        ]
    );
    assert_eq!(
        attrs(&page, ".live-update__link a", "href")[0],
        "/news/us/storm-live/#update-2026-11-25-0810"
    );
    assert_eq!(
        texts(&page, ".live-update__body p")[0],
        "First sailing at 8:10."
    );
    assert_eq!(texts(&page, ".story__body p"), ["Summary of the storm."]);
    assert_eq!(texts(&page, ".story__header .live-label"), ["Live"]);
    // No meta refresh (it would move the reader's place); a reload link.
    assert!(attrs(&page, "meta[http-equiv='refresh']", "content").is_empty());
    assert_eq!(
        attrs(&page, ".live-updates__reload a", "href"),
        ["/news/us/storm-live/"]
    );
    assert_eq!(
        attrs(
            &page,
            "link[rel='alternate'][type='application/atom+xml']",
            "href"
        )
        .iter()
        .filter(|h| h.ends_with("storm-live/atom.xml"))
        .count(),
        1
    );
    // The updated line and dateModified follow the latest update.
    let ld = json_ld(&page);
    assert_eq!(ld["@type"], "LiveBlogPosting");
    assert_eq!(ld["coverageStartTime"], "2026-11-24T06:00:00-05:00");
    assert_eq!(ld["coverageEndTime"], "2026-11-25T12:00:00-05:00");
    assert_eq!(ld["dateModified"], "2026-11-25T08:10:00-05:00");
    let updates = ld["liveBlogUpdate"].as_array().unwrap();
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[0]["@type"], "BlogPosting");
    assert_eq!(updates[0]["headline"], "Ferries resume");
    assert_eq!(
        updates[0]["url"],
        "https://live.example.com/news/us/storm-live/#update-2026-11-25-0810"
    );
    assert_eq!(updates[0]["articleBody"], "First sailing at 8:10.");
    assert_eq!(
        attrs(&page, ".story__updated time", "datetime"),
        ["2026-11-25T08:10:00-05:00"]
    );
    // Cards carry the label too.
    let home = site.page("");
    assert!(texts(&home, ".card .live-label").contains(&"Live".to_string()));
    // The sitemap's lastmod follows the latest update.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("2026-11-25T08:10:00-05:00"), "{sitemap}");
}

#[test]
fn the_live_blog_has_its_own_feed_with_one_entry_per_update() {
    let site = site();
    build_at(&site, "2026-11-25T09:00:00-05:00");
    let feed = site.read("news/us/storm-live/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 3);
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(child(entries[0], "title"), "Ferries resume");
    assert_eq!(
        child(entries[0], "id"),
        "https://live.example.com/news/us/storm-live/#update-2026-11-25-0810"
    );
    assert_eq!(child(entries[0], "published"), "2026-11-25T08:10:00-05:00");
    assert!(child(entries[0], "content").contains("First sailing at 8:10."));
    assert_eq!(child(entries[2], "title"), "Winds pick up");
}

#[test]
fn after_live_until_the_page_reads_as_an_archive() {
    let site = site();
    build_at(&site, "2026-11-26T09:00:00-05:00");
    let page = site.page("news/us/storm-live/");
    assert!(texts(&page, ".live-label").is_empty());
    assert!(texts(&page, ".live-updates__reload").is_empty());
    assert_eq!(texts(&page, ".live-update").len(), 3, "the updates stay");
    assert!(texts(&page, ".live-updates__ended")[0].starts_with("Live coverage ended"));
    assert!(texts(&site.page(""), ".card .live-label").is_empty());
}

#[test]
fn an_impossible_update_time_is_an_error_naming_the_line() {
    let site = site();
    site.write(
        "content/news/us/storm-live.md",
        LIVE.replace("## 09:15 Winds", "## 25:99 Winds"),
    );
    let d = site.build_error("content/news/us/storm-live.md");
    assert_eq!(d.line, Some(10), "{d}");
    assert!(d.message.contains("`25:99` is not a time"), "{d}");
    site.write(
        "content/news/us/storm-live.md",
        LIVE.replace("kind: live\n", ""),
    );
    let d = site.build_error("content/news/us/storm-live.md");
    assert_eq!(d.line, Some(4), "{d}");
    assert!(d.message.contains("live_until"), "{d}");
}

#[test]
fn a_story_without_a_byline_names_the_publisher_as_its_author() {
    let site = site();
    build_at(&site, "2026-11-25T09:00:00-05:00");
    let ld = json_ld(&site.page("news/us/wire-brief/"));
    assert_eq!(ld["author"][0]["@type"], "Organization");
    assert_eq!(ld["author"][0]["name"], "Live Test");
    let ld = json_ld(&site.page("news/us/storm-live/"));
    assert_eq!(ld["author"][0]["@type"], "Person");
}

#[test]
fn a_rebuild_after_live_until_takes_the_label_down_with_no_file_changed() {
    let site = site();
    build_at(&site, "2026-11-25T09:00:00-05:00");
    assert_eq!(
        texts(
            &site.page("news/us/storm-live/"),
            ".story__header .live-label"
        ),
        ["Live"]
    );
    build_at(&site, "2026-11-25T13:00:00-05:00");
    let page = site.page("news/us/storm-live/");
    assert!(
        texts(&page, ".live-label").is_empty(),
        "the no-change shortcut must not keep it"
    );
    assert!(texts(&page, ".live-updates__reload").is_empty());
}
