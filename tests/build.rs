//! The core build over the `newsroom` fixture: every page exists, lists are
//! complete, ordered and paginated, the article page shows every field.

mod common;

use common::{attrs, card_headlines, texts, SiteTest};

fn built() -> SiteTest {
    let site = SiteTest::new("newsroom");
    site.build_ok();
    site
}

/// Card headlines of every page of a paginated list, page by page.
fn list_pages(site: &SiteTest, base: &str) -> Vec<Vec<String>> {
    let mut pages = vec![card_headlines(&site.page(base))];
    let mut n = 2;
    while site.exists(&format!("{base}page/{n}/")) {
        pages.push(card_headlines(&site.page(&format!("{base}page/{n}/"))));
        n += 1;
    }
    pages
}

fn card_times(site: &SiteTest, path: &str) -> Vec<chrono::DateTime<chrono::FixedOffset>> {
    attrs(&site.page(path), "article.card time", "datetime")
        .iter()
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap())
        .collect()
}

#[test]
fn every_kind_of_page_is_written() {
    let site = built();
    for path in [
        "",
        "page/2/",
        "page/3/",
        "news/",
        "news/us/",
        "news/world/",
        "news/world/asia/",
        "business/",
        "opinion/",
        "tags/",
        "tags/harbor/",
        "tags/trade/",
        "tags/semiconductors/",
        "2026/",
        "2026/03/",
        "2026/03/15/",
        "2025/",
        "2025/12/",
        "2025/12/31/",
        "news/world/asia/chip-exports/",
        "news/us/harbor-dredging/",
    ] {
        assert!(site.exists(path), "missing /{path}");
    }
    assert!(site.public().join("404.html").is_file());
    assert!(!site.exists("page/4/"));
    assert!(
        !site.exists("2026/01/01/"),
        "the column is Dec 31 in Chicago"
    );
}

#[test]
fn a_tag_with_25_articles_has_exactly_three_pages_of_ten() {
    let site = built();
    let pages = list_pages(&site, "tags/harbor/");
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 5]);
    let all: Vec<&String> = pages.iter().flatten().collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 25, "no article twice, none missing");
    // `harbor` and `Harbor` are one tag, named by the more common spelling.
    assert_eq!(texts(&site.page("tags/harbor/"), "h1"), ["Harbor"]);
    assert!(!site.exists("tags/harbor/page/4/"));
}

#[test]
fn pagination_links_point_to_neighbouring_pages() {
    let site = built();
    let page2 = site.page("tags/harbor/page/2/");
    assert_eq!(attrs(&page2, "a[rel=prev]", "href"), ["/tags/harbor/"]);
    assert_eq!(
        attrs(&page2, "a[rel=next]", "href"),
        ["/tags/harbor/page/3/"]
    );
    let first = site.page("tags/harbor/");
    assert!(attrs(&first, "a[rel=prev]", "href").is_empty());
    let last = site.page("tags/harbor/page/3/");
    assert!(attrs(&last, "a[rel=next]", "href").is_empty());
}

#[test]
fn lists_are_newest_first_across_pages() {
    let site = built();
    for base in ["tags/harbor/", "news/", "2026/", "2026/03/", "business/"] {
        let mut times = card_times(&site, base);
        let mut n = 2;
        while site.exists(&format!("{base}page/{n}/")) {
            times.extend(card_times(&site, &format!("{base}page/{n}/")));
            n += 1;
        }
        assert!(
            times.windows(2).all(|w| w[0] >= w[1]),
            "{base} not newest first: {times:?}"
        );
    }
}

#[test]
fn ties_are_broken_by_section_then_slug() {
    let site = built();
    let headlines: Vec<String> = list_pages(&site, "news/world/").concat();
    let canal = headlines
        .iter()
        .position(|h| h.contains("Canal Tolls"))
        .unwrap();
    let fishing = headlines
        .iter()
        .position(|h| h.contains("Fishing Quotas"))
        .unwrap();
    assert_eq!(
        fishing,
        canal + 1,
        "same instant: canal-tolls sorts before fishing-quotas"
    );
}

#[test]
fn sections_list_their_own_and_descendant_articles() {
    let site = built();
    let count = |base: &str| list_pages(&site, base).concat().len();
    assert_eq!(count("news/world/asia/"), 6);
    assert_eq!(count("news/world/"), 11);
    assert_eq!(count("news/us/"), 8);
    assert_eq!(count("news/"), 19);
    assert_eq!(count("business/"), 6);
    let home: Vec<String> = list_pages(&site, "")
        .into_iter()
        .skip(1)
        .flatten()
        .collect();
    let front = texts(
        &site.page(""),
        ".front .card__headline, .section-block .card__headline, .latest .card__headline",
    );
    let mut once = front.clone();
    once.sort();
    once.dedup();
    assert_eq!(
        once.len(),
        front.len(),
        "no story twice on the front page: {front:?}"
    );
    let mut all: Vec<String> = front.into_iter().chain(home).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 26, "the home pages reach every article");
    // Each top-level section's block shows its latest cards, drawn once
    // and printed as HTML, not as escaped text.
    let home = site.page("");
    let block = scraper::Selector::parse(".section-block").unwrap();
    let card = scraper::Selector::parse("article.card .card__headline a").unwrap();
    let per_block: Vec<usize> = home
        .select(&block)
        .map(|b| b.select(&card).count())
        .collect();
    assert!(
        !per_block.is_empty() && per_block.iter().all(|n| (1..=4).contains(n)),
        "{per_block:?}"
    );
    let asia = site.page("news/world/asia/");
    assert_eq!(
        texts(&asia, "h1"),
        ["Asia Pacific"],
        "display name from site.toml"
    );
    let world = site.page("news/world/");
    assert_eq!(texts(&world, ".subsections a"), ["Asia Pacific"]);
}

#[test]
fn date_archives_use_the_site_time_zone() {
    let site = built();
    assert_eq!(
        card_headlines(&site.page("2025/12/31/")),
        ["Year-end column"]
    );
    assert_eq!(list_pages(&site, "2026/03/").concat().len(), 25);
    assert_eq!(card_headlines(&site.page("2026/03/15/")).len(), 1);
    let year = site.page("2026/");
    assert_eq!(
        texts(&year, ".archive-nav a"),
        ["March 2026", "January 2026"].map(String::from)[..1]
    );
}

#[test]
fn the_tag_index_lists_every_tag_with_its_count() {
    let site = built();
    let page = site.page("tags/");
    let items = texts(&page, ".tag-index li");
    assert_eq!(items, ["Harbor 25", "Semiconductors 1", "Trade 10"]);
}

#[test]
fn the_draft_appears_nowhere() {
    let site = built();
    for (path, bytes) in site.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET DRAFT") && !text.contains("secret-draft"),
            "draft leaked into {path}"
        );
    }
    assert!(!site.exists("news/us/secret-draft/"));
    let drafts = dateline::build(&dateline::BuildOptions {
        drafts: true,
        ..site.options()
    })
    .unwrap();
    assert_eq!(drafts.held.drafts, 0);
    assert!(site.exists("news/us/secret-draft/"));
}

#[test]
fn the_article_page_shows_every_field() {
    let site = built();
    let page = site.page("news/world/asia/chip-exports/");
    let headline = "Story 15: Chip Exports <script>alert(1)</script> & more";
    assert_eq!(texts(&page, "h1"), [headline]);
    assert!(
        texts(&page, "script:not([type=\"application/ld+json\"])").is_empty(),
        "front matter HTML must be escaped"
    );
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type=\"application/ld+json\"]")[0]).unwrap();
    assert_eq!(ld["headline"], headline);
    assert_eq!(
        texts(&page, "title"),
        [format!("{headline} | Fixture Gazette")]
    );
    assert_eq!(
        texts(&page, ".breadcrumbs a"),
        ["News", "World", "Asia Pacific"]
    );
    assert_eq!(
        attrs(&page, ".breadcrumbs a", "href"),
        ["/news/", "/news/world/", "/news/world/asia/"]
    );
    assert_eq!(texts(&page, ".story .kind"), ["Analysis"]);
    assert_eq!(
        texts(&page, ".story__dek"),
        ["A dek with \"quotes\" and <b>tags</b>."]
    );
    assert_eq!(
        texts(&page, ".highlights li"),
        ["First highlight.", "Second highlight."]
    );
    assert_eq!(
        attrs(&page, ".lead-image img", "src"),
        ["/images/chips.svg"]
    );
    assert_eq!(
        attrs(&page, ".lead-image img", "alt"),
        ["A wafer under a lamp"]
    );
    assert_eq!(
        texts(&page, ".lead-image figcaption"),
        ["Wafers at a plant. Staff Photographer / Gazette"]
    );
    assert_eq!(texts(&page, ".byline__author"), ["Ana Reyes", "Bo Chen"]);
    assert_eq!(
        attrs(&page, ".byline__author", "href"),
        ["/authors/ana-reyes/", "/authors/bo-chen/"]
    );
    let times = attrs(&page, ".story__dateline time", "datetime");
    assert_eq!(
        times,
        ["2026-03-15T08:15:00-06:00", "2026-03-16T09:00:00-06:00"]
    );
    assert_eq!(
        texts(&page, ".story__dateline time")[0],
        "March 15, 2026, 9:15 AM CDT",
        "shown in the site's zone, after the DST change"
    );
    assert_eq!(
        attrs(&page, ".story__tags a", "href"),
        ["/tags/harbor/", "/tags/trade/", "/tags/semiconductors/"]
    );
    let related = texts(&page, ".related li > a");
    assert_eq!(
        related.len(),
        5,
        "explicit links, then suggestions up to related_limit"
    );
    assert_eq!(
        related[..3],
        [
            "Story 01: Harbor Dredging",
            "Story 11: Shipping Rates",
            "Export statistics"
        ]
    );
    assert_eq!(
        attrs(&page, ".related li > a", "href")[..3],
        [
            "/news/us/harbor-dredging/",
            "/news/world/shipping-rates/",
            "https://example.org/stats"
        ]
    );
    assert_eq!(
        attrs(&page, ".story__body a", "href"),
        ["/news/us/harbor-dredging/"]
    );
    assert_eq!(texts(&page, ".story__body blockquote"), ["A quote."]);
    let share = attrs(&page, ".share a", "href");
    let permalink = "https://gazette.example.com/news/world/asia/chip-exports/";
    let tweet = share
        .iter()
        .find(|h| h.starts_with("https://twitter.com/"))
        .unwrap();
    assert_eq!(
        common::query_param(tweet, "url").as_deref(),
        Some(permalink)
    );
    assert_eq!(
        common::query_param(tweet, "text").as_deref(),
        Some(headline)
    );
    let mail = share.iter().find(|h| h.starts_with("mailto:")).unwrap();
    assert_eq!(
        common::query_param(mail, "body").as_deref(),
        Some(permalink)
    );
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://gazette.example.com/news/world/asia/chip-exports/"]
    );
}

#[test]
fn static_files_of_theme_and_site_are_copied() {
    let site = built();
    assert!(site.public().join("images/chips.svg").is_file());
    assert!(site.public().join("css/dateline.css").is_file());
}

#[test]
fn a_site_template_overrides_the_theme_by_name() {
    let site = SiteTest::new("newsroom");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost at sea</h1>{% endblock main %}",
    );
    site.build_ok();
    assert_eq!(texts(&site.page("404.html"), "h1"), ["Lost at sea"]);
    assert_eq!(
        texts(&site.page("tags/"), "h1"),
        ["Topics"],
        "other templates still come from the theme"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = built();
    let first = site.snapshot();
    site.build_ok();
    assert_eq!(first, site.snapshot());
    assert!(first.len() > 70, "{} files", first.len());
}

#[test]
fn a_rebuild_removes_pages_of_deleted_articles() {
    let site = built();
    assert!(site.exists("business/port-bonds/"));
    site.remove("content/business/port-bonds.md");
    site.build_ok();
    assert!(!site.exists("business/port-bonds/"));
    let all: Vec<String> = list_pages(&site, "tags/harbor/").concat();
    assert_eq!(all.len(), 24);
    assert!(!all.iter().any(|h| h.contains("Port Bonds")));
}

#[test]
fn bom_and_crlf_files_build() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/windows-file.md",
        "\u{feff}---\r\nheadline: Saved on Windows\r\ndate: 2026-04-01\r\n---\r\nLine one.\r\n",
    );
    site.build_ok();
    assert_eq!(
        texts(&site.page("business/windows-file/"), "h1"),
        ["Saved on Windows"]
    );
}

#[test]
fn a_site_with_only_site_toml_and_content_builds() {
    let site = SiteTest::new("newsroom");
    std::fs::remove_dir_all(site.root.join("static")).unwrap();
    site.build_ok();
    assert!(
        site.public().join("css/dateline.css").is_file(),
        "built-in theme's CSS"
    );
}

fn mtimes(site: &SiteTest) -> std::collections::BTreeMap<String, std::time::SystemTime> {
    site.snapshot()
        .keys()
        .map(|p| {
            (
                p.clone(),
                std::fs::metadata(site.public().join(p))
                    .unwrap()
                    .modified()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_rewrites_only_the_files_whose_bytes_changed() {
    let site = built();
    let before = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = site.build_ok();
    assert_eq!(report.files.changed, 0);
    assert_eq!(report.files.unchanged, before.len());
    assert_eq!(
        mtimes(&site),
        before,
        "no file touched when nothing changed"
    );

    let file = site.root.join("content/business/port-bonds.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Fixture body", "Edited body");
    std::fs::write(&file, text).unwrap();
    let report = site.build_ok();
    let after = mtimes(&site);
    assert!(
        report.files.changed >= 1 && report.files.changed < before.len() / 4,
        "{:?}",
        report.files
    );
    assert_ne!(
        after["business/port-bonds/index.html"],
        before["business/port-bonds/index.html"]
    );
    assert_eq!(
        after["news/us/harbor-dredging/index.html"],
        before["news/us/harbor-dredging/index.html"]
    );
    assert!(site
        .read_page_text("business/port-bonds/")
        .contains("Edited body"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_content_are_refused_and_loops_do_not_hang() {
    let site = SiteTest::new("newsroom");
    std::os::unix::fs::symlink(
        site.root.join("content"),
        site.root.join("content/news/loop"),
    )
    .unwrap();
    site.build_ok();
    let outside = site.root.join("elsewhere.md");
    std::fs::write(&outside, "---\nheadline: Outside\ndate: 2026-01-01\n---\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("content/news/outside.md")).unwrap();
    let d = site.build_error("content/news/outside.md");
    assert!(d.message.contains("outside content/"), "{d}");
}

fn skipped(report: &dateline::BuildReport) -> bool {
    report
        .timings
        .iter()
        .any(|(stage, _)| *stage == "fingerprint (same)")
}

#[test]
fn a_rebuild_with_nothing_changed_skips_the_work_but_not_hand_edits() {
    let site = built();
    let marker = site.read(".dateline-output");
    let page = "news/us/harbor-dredging/index.html";
    let original = site.read(page);
    assert!(skipped(&site.build_ok()), "nothing changed: skipped");
    assert_eq!(
        site.read(".dateline-output"),
        marker,
        "the marker is stable"
    );

    // A page edited by hand (same size, so only its time tells) is put back.
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(&format!("public/{page}"), original.replace("<h1", "<h2"));
    let report = site.build_ok();
    assert!(!skipped(&report));
    assert_eq!(site.read(page), original);
    assert!(skipped(&site.build_ok()));

    // A file added by hand goes, as a full build would remove it; a
    // deleted one comes back.
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write("public/news/us/stray.html", "stray");
    std::fs::remove_file(site.public().join("tags/index.html")).unwrap();
    assert!(!skipped(&site.build_ok()));
    assert!(!site.public().join("news/us/stray.html").exists());
    assert!(site.public().join("tags/index.html").is_file());

    // A template change is an input change.
    site.write(
        "templates/partials/footer.html",
        "<footer><p>Changed footer</p></footer>",
    );
    assert!(!skipped(&site.build_ok()));
    assert!(site.read(page).contains("Changed footer"));
    assert!(skipped(&site.build_ok()));
}

#[cfg(unix)]
#[test]
fn static_symlinks_inside_the_site_are_followed_and_others_refused() {
    use std::os::unix::fs::symlink;
    let site = SiteTest::new("newsroom");
    site.write("assets/logo.svg", "<svg/>");
    symlink(
        site.root.join("assets/logo.svg"),
        site.root.join("static/logo.svg"),
    )
    .unwrap();
    site.build_ok();
    assert_eq!(
        site.read("logo.svg"),
        "<svg/>",
        "a link inside the site is followed"
    );

    // One that leads out of the site would publish whatever it points at.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    symlink(
        outside.path().join("secret.txt"),
        site.root.join("static/secret.txt"),
    )
    .unwrap();
    let before = site.snapshot();
    let d = site.build_error("static/secret.txt");
    assert!(d.message.contains("outside the site"), "{d}");
    assert_eq!(site.snapshot(), before, "the previous site is intact");
}
