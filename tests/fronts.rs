//! Curated fronts and the breaking banner of fronts.yaml: picks first,
//! no story twice on a front, lapses and embargoes falling back to the
//! newest, the banner on every page until it ends, and mistakes with
//! their line.

mod common;

use common::{attrs, card_headlines, instant, texts, SiteTest};

const SITE: &str = "title = \"Fronts Test\"\nbase_url = \"https://fronts.example.com/\"\ntimezone = \"UTC\"\npaginate = 10\n";

fn story(section: &str, slug: &str, day: u32) -> (String, String) {
    (
        format!("content/{section}/{slug}.md"),
        // Business stories an hour before the news ones of their day.
        format!(
            "---\nheadline: \"Story {slug}\"\ndate: 2026-03-{day:02}T{:02}:00:00Z\n---\nBody.\n",
            if section == "news" { 10 } else { 9 }
        ),
    )
}

fn site(fronts: &str) -> SiteTest {
    let mut files: Vec<(String, String)> = vec![("site.toml".into(), SITE.into())];
    for day in 1..=12 {
        files.push(story("news", &format!("n{day}"), day));
        files.push(story("business", &format!("b{day}"), day));
    }
    files.push((
        "content/news/later.md".into(),
        "---\nheadline: \"Story later\"\ndate: 2026-03-20T10:00:00Z\nembargo: 2026-05-01T00:00:00Z\n---\nx\n".into(),
    ));
    files.push(("fronts.yaml".into(), fronts.into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    SiteTest::from_files(&refs)
}

fn build_at(site: &SiteTest, now: &str) -> dateline::BuildReport {
    let mut options = site.options();
    options.now = Some(instant(now));
    dateline::build(&options).unwrap_or_else(|e| panic!("{:#?}", e.diagnostics()))
}

const PICKS: &str = "home:\n  lead: news/n2\n  top: [business/b1, n3]\n  until: 2026-03-30T00:00:00Z\nnews:\n  lead: n1\nbreaking:\n  text: Harbor closes\n  url: news/n2\n  until: 2026-03-29T00:00:00Z\n";

#[test]
fn picks_fill_the_first_slots_and_no_story_shows_twice() {
    let site = site(PICKS);
    let report = build_at(&site, "2026-03-25T00:00:00Z");
    let home = site.page("");
    let cards = card_headlines(&home);
    assert_eq!(
        cards[..4],
        ["Story n2", "Story b1", "Story n3", "Story n12"]
    );
    let mut seen = cards.clone();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        cards.len(),
        "no story twice on the front: {cards:?}"
    );
    // The section fronts: news leads with its pick; page 2 stays newest first.
    let news = card_headlines(&site.page("news/"));
    assert_eq!(news[0], "Story n1");
    assert_eq!(news[1], "Story n12");
    assert_eq!(card_headlines(&site.page("news/page/2/"))[0], "Story n2");
    assert_eq!(
        report.held.next_lapse.map(|d| d.to_rfc3339()),
        Some("2026-03-29T00:00:00+00:00".into())
    );
}

#[test]
fn the_banner_runs_on_every_page_until_it_ends() {
    let site = site(PICKS);
    build_at(&site, "2026-03-25T00:00:00Z");
    for path in ["", "news/", "business/b4/", "tags/"] {
        let page = site.page(path);
        assert_eq!(texts(&page, ".breaking a"), ["Harbor closes"], "/{path}");
        assert_eq!(
            attrs(&page, ".breaking a", "href"),
            ["/news/n2/"],
            "/{path}"
        );
    }
    build_at(&site, "2026-03-29T12:00:00Z");
    assert!(
        texts(&site.page(""), ".breaking").is_empty(),
        "gone after until"
    );
    assert_eq!(
        card_headlines(&site.page(""))[0],
        "Story n2",
        "the picks run on"
    );
    build_at(&site, "2026-03-31T00:00:00Z");
    assert_eq!(
        card_headlines(&site.page(""))[0],
        "Story n12",
        "lapsed: newest first"
    );
}

#[test]
fn an_embargoed_pick_falls_back_to_the_newest_without_a_word() {
    let site = site("home:\n  lead: news/later\n");
    build_at(&site, "2026-03-25T00:00:00Z");
    assert_eq!(card_headlines(&site.page(""))[0], "Story n12");
    build_at(&site, "2026-05-02T00:00:00Z");
    assert_eq!(card_headlines(&site.page(""))[0], "Story later");
}

#[test]
fn a_pick_of_no_story_or_a_front_of_no_section_is_an_error_with_its_line() {
    let site = site("home:\n  lead: news/n2\n  top:\n    - news/n33\nsports:\n  lead: n1\n");
    let mut options = site.options();
    options.now = Some(instant("2026-03-25T00:00:00Z"));
    let errors = match dateline::build(&options) {
        Ok(_) => panic!("the build should fail"),
        Err(e) => e.diagnostics().to_vec(),
    };
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    let all = text.join("\n");
    assert!(
        all.contains("fronts.yaml:4: story `news/n33` not found"),
        "{all}"
    );
    assert!(all.contains("did you mean `news/n3`?"), "{all}");
    assert!(
        all.contains("fronts.yaml:5: no section `sports` has a front"),
        "{all}"
    );
}
