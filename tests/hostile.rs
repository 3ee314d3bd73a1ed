//! Hostile content through a whole build: a 50 MB article, and nesting
//! deep enough to overflow a recursive parser or sanitiser. Each must end
//! in a built site or a clear error, in bounded time and memory.

mod common;

use common::{texts, SiteTest};

const CONFIG: &str = "title = \"Hostile\"\nbase_url = \"https://hostile.example/\"\n";

#[test]
fn a_50_mb_article_builds() {
    let paragraph = "The council met again to weigh the harbour levy, and the \
                     debate ran long into the night as members traded figures. ";
    let mut body = String::with_capacity(52 << 20);
    let mut n = 0;
    while body.len() < 50 << 20 {
        n += 1;
        body.push_str(&format!("Paragraph {n}. {}\n\n", paragraph.repeat(4)));
    }
    let site = SiteTest::from_files(&[
        ("site.toml", CONFIG),
        (
            "content/news/huge.md",
            &format!(
                "---\nheadline: The longest story\ndate: 2026-01-01\ntags: [Levy]\n---\n{body}"
            ),
        ),
    ]);
    let out = site.run(&["build", "-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = site.page("news/huge/");
    assert_eq!(texts(&page, "h1"), ["The longest story"]);
    let paragraphs = page
        .select(&scraper::Selector::parse(".story__body p").unwrap())
        .count();
    assert_eq!(paragraphs, n, "every paragraph is on the page");
}

#[test]
fn nesting_10000_deep_builds_with_and_without_the_sanitiser() {
    let quotes = format!("{} deep quote\n", ">".repeat(10_000));
    let lists = format!("{}deep item\n", "- ".repeat(10_000));
    let html = format!(
        "{}deep div{}\n",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    for safe in [false, true] {
        let site = SiteTest::from_files(&[
            ("site.toml", &format!("{CONFIG}safe_html = {safe}\n")),
            (
                "content/news/quotes.md",
                &format!("---\nheadline: Quotes\ndate: 2026-01-01\n---\n{quotes}"),
            ),
            (
                "content/news/lists.md",
                &format!("---\nheadline: Lists\ndate: 2026-01-02\n---\n{lists}"),
            ),
            (
                "content/news/divs.md",
                &format!("---\nheadline: Divs\ndate: 2026-01-03\n---\n{html}"),
            ),
        ]);
        let out = site.run(&["build", "-q"]);
        assert!(
            out.status.success(),
            "safe_html = {safe}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for (slug, text) in [
            ("quotes", "deep quote"),
            ("lists", "deep item"),
            ("divs", "deep div"),
        ] {
            assert!(
                site.read_page_text(&format!("news/{slug}/")).contains(text),
                "{slug}, safe_html = {safe}"
            );
        }
    }
}

/// Every error of building a site with one article, as `file:line: message`.
fn errors_of(front_matter: &str) -> String {
    let site = SiteTest::from_files(&[
        ("site.toml", CONFIG),
        (
            "content/news/story.md",
            &format!("---\nheadline: A story\ndate: 2026-01-01\n{front_matter}---\nBody.\n"),
        ),
        (
            "content/news/other.md",
            "---\nheadline: Another\ndate: 2026-01-01\n---\nBody.\n",
        ),
    ]);
    match site.build() {
        Ok(_) => String::new(),
        Err(e) => {
            assert!(!site.public().exists(), "nothing is written");
            e.diagnostics()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

#[test]
fn a_runaway_import_is_refused_at_its_line_before_anything_is_written() {
    let tags: Vec<String> = (0..16_000).map(|n| format!("tag {n}")).collect();
    let start = std::time::Instant::now();
    let all = errors_of(&format!("tags: [{}]\n", tags.join(", ")));
    assert!(
        all.contains("content/news/story.md:4: 16000 tags: an article may have at most 100"),
        "{all}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
    let authors: Vec<String> = (0..51).map(|n| format!("Writer {n}")).collect();
    let all = errors_of(&format!("authors: [{}]\n", authors.join(", ")));
    assert!(
        all.contains("51 authors: an article may have at most 50"),
        "{all}"
    );
    let all = errors_of(&format!("dek: \"{}\"\n", "x".repeat(2001)));
    assert!(
        all.contains("content/news/story.md:4: the dek is longer than 2000"),
        "{all}"
    );
    // At the limits, it builds.
    let tags: Vec<String> = (0..100).map(|n| format!("tag {n}")).collect();
    assert_eq!(errors_of(&format!("tags: [{}]\n", tags.join(", "))), "");
}

#[test]
fn front_matter_that_cannot_mean_anything_is_an_error_with_its_line() {
    let all = errors_of("tags: [Harbor, \"  \"]\n");
    assert!(
        all.contains("content/news/story.md:4: an empty entry in `tags`"),
        "{all}"
    );
    let all = errors_of("related:\n  - news/story\n");
    assert!(
        all.contains("content/news/story.md:5: an article cannot be related to itself"),
        "{all}"
    );
    let all = errors_of("related: [story]\n");
    assert!(all.contains("related to itself"), "{all}");
    assert_eq!(errors_of("related: [other]\n"), "");
}
