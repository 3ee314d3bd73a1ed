//! The native format as migrated archives need it: slugs as real URLs
//! hold them, TOML front matter, export timestamps, `.html` permalinks,
//! per-section patterns and per-article paths — and the clash checks that
//! keep every URL one file.

mod common;

use common::{attrs, texts, SiteTest};

const SITE: &str = "title = \"Archive\"\nbase_url = \"https://archive.example.com/\"\ntimezone = \"UTC\"\n";

fn yaml(headline: &str, front: &str) -> String {
    format!("---\nheadline: \"{headline}\"\ndate: 2025-03-26T10:00:00Z\n{front}---\nBody of {headline}.\n")
}

#[test]
fn dotted_and_capitalised_slugs_keep_their_urls() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        ("content/blog/release.md", &yaml("Rust 1.94.1", "slug: 1.94.1-release\n")),
        ("content/blog/async.md", &yaml("Async-await", "slug: Async-await-stable\n")),
    ]);
    site.build_ok();
    let page = site.page("blog/1.94.1-release/");
    assert_eq!(texts(&page, "h1"), ["Rust 1.94.1"]);
    let page = site.page("blog/Async-await-stable/");
    let canonical = attrs(&page, "link[rel=canonical]", "href");
    assert_eq!(canonical, ["https://archive.example.com/blog/Async-await-stable/"]);
    let front = site.page("blog/");
    let links = attrs(&front, "main a", "href");
    assert!(links.iter().any(|l| l == "/blog/1.94.1-release/"), "{links:?}");
}

#[test]
fn unsafe_slugs_are_refused_with_their_line() {
    for bad in ["..", ".hidden", "trailing.", "a%20b", "con"] {
        let site = SiteTest::from_files(&[
            ("site.toml", SITE),
            ("content/blog/x.md", &yaml("X", &format!("slug: \"{bad}\"\n"))),
        ]);
        let d = site.build_error("content/blog/x.md");
        assert_eq!(d.line, Some(4), "{bad}: {d}");
        assert!(d.message.contains("slug"), "{bad}: {d}");
    }
}

#[test]
fn urls_differing_only_in_case_are_a_clash_naming_both_files() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        ("content/blog/a.md", &yaml("A", "slug: Ferry-Vote\n")),
        ("content/blog/b.md", &yaml("B", "slug: ferry-vote\n")),
    ]);
    let err = site.build().expect_err("a case-only clash must fail");
    let text = err.to_string() + &format!("{:?}", err.diagnostics());
    assert!(text.contains("differ only in case"), "{text}");
    assert!(text.contains("content/blog/a.md") && text.contains("content/blog/b.md"), "{text}");
    assert!(!site.public().exists(), "nothing may be written");
}

#[test]
fn toml_front_matter_reads_like_yaml() {
    let toml = "+++\nheadline = \"Harbor reopens\"\ndate = 2025-01-29T18:15:32+05:30\ntags = [\"Harbor\", \"Ferries\"]\nauthors = [\"Ada Byline\"]\ndek = \"After the storm\"\n\n[image]\nsrc = \"/images/harbor.jpg\"\nalt = \"The harbor\"\n+++\nThe harbor is open.\n";
    let site = SiteTest::from_files(&[("site.toml", SITE), ("content/news/harbor.md", toml)]);
    site.build_ok();
    let page = site.page("news/harbor/");
    assert_eq!(texts(&page, "h1"), ["Harbor reopens"]);
    let times = attrs(&page, "time", "datetime");
    assert!(times.iter().any(|t| t == "2025-01-29T18:15:32+05:30"), "{times:?}");
    assert!(site.exists("tags/harbor/") && site.exists("tags/ferries/"));
    assert!(site.page("news/harbor/").html().contains("After the storm"));
}

#[test]
fn toml_errors_name_the_file_line_and_column() {
    let cases = [
        // A syntax error: the value on line 3 is not TOML.
        ("+++\nheadline = \"X\"\ndate = 2025-01-29 oops\n+++\n", 3, "invalid front matter"),
        // An unknown key, with the closest known one.
        ("+++\nheadline = \"X\"\ndate = 2025-01-29\nsecton = \"news\"\n+++\n", 4, "unknown front-matter key `secton`"),
        // A value of the wrong type.
        ("+++\nheadline = \"X\"\ndate = 2025-01-29\ntags = 5\n+++\n", 4, "`tags`"),
        // A bad date, checked like YAML's.
        ("+++\nheadline = \"X\"\ndate = \"2019-02-30\"\n+++\n", 3, "day 30 does not exist"),
        // Never closed.
        ("+++\nheadline = \"X\"\n", 1, "never closed"),
    ];
    for (text, line, needle) in cases {
        let site = SiteTest::from_files(&[("site.toml", SITE), ("content/news/x.md", text)]);
        let d = site.build_error("content/news/x.md");
        assert_eq!(d.line, Some(line), "{text:?}: {d}");
        assert!(d.message.contains(needle), "{text:?}: {d}");
        if needle == "invalid front matter" {
            assert!(d.column.is_some(), "{d}");
        }
    }
}

#[test]
fn export_timestamps_are_dates() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/a.md",
            "---\nheadline: A\ndate: 2025-01-29 18:15:32 +0530\n---\nA.\n",
        ),
        (
            "content/news/b.md",
            "---\nheadline: B\ndate: 2025-01-29 18:15\n---\nB.\n",
        ),
    ]);
    site.build_ok();
    let a = attrs(&site.page("news/a/"), "time", "datetime");
    assert!(a.iter().any(|t| t == "2025-01-29T18:15:32+05:30"), "{a:?}");
    let b = attrs(&site.page("news/b/"), "time", "datetime");
    assert!(b.iter().any(|t| t == "2025-01-29T18:15:00+00:00"), "{b:?}");
}
