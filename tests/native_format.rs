//! The native format as migrated archives need it: slugs as real URLs
//! hold them, TOML front matter, export timestamps, `.html` permalinks,
//! per-section patterns and per-article paths — and the clash checks that
//! keep every URL one file.

mod common;

use common::{attrs, texts, SiteTest};

const SITE: &str =
    "title = \"Archive\"\nbase_url = \"https://archive.example.com/\"\ntimezone = \"UTC\"\n";

fn yaml(headline: &str, front: &str) -> String {
    format!("---\nheadline: \"{headline}\"\ndate: 2025-03-26T10:00:00Z\n{front}---\nBody of {headline}.\n")
}

#[test]
fn dotted_and_capitalised_slugs_keep_their_urls() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/blog/release.md",
            &yaml("Rust 1.94.1", "slug: 1.94.1-release\n"),
        ),
        (
            "content/blog/async.md",
            &yaml("Async-await", "slug: Async-await-stable\n"),
        ),
    ]);
    site.build_ok();
    let page = site.page("blog/1.94.1-release/");
    assert_eq!(texts(&page, "h1"), ["Rust 1.94.1"]);
    let page = site.page("blog/Async-await-stable/");
    let canonical = attrs(&page, "link[rel=canonical]", "href");
    assert_eq!(
        canonical,
        ["https://archive.example.com/blog/Async-await-stable/"]
    );
    let front = site.page("blog/");
    let links = attrs(&front, "main a", "href");
    assert!(
        links.iter().any(|l| l == "/blog/1.94.1-release/"),
        "{links:?}"
    );
}

#[test]
fn unsafe_slugs_are_refused_with_their_line() {
    for bad in ["..", ".hidden", "trailing.", "a%20b", "con"] {
        let site = SiteTest::from_files(&[
            ("site.toml", SITE),
            (
                "content/blog/x.md",
                &yaml("X", &format!("slug: \"{bad}\"\n")),
            ),
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
    assert!(
        text.contains("content/blog/a.md") && text.contains("content/blog/b.md"),
        "{text}"
    );
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
    assert!(
        times.iter().any(|t| t == "2025-01-29T18:15:32+05:30"),
        "{times:?}"
    );
    assert!(site.exists("tags/harbor/") && site.exists("tags/ferries/"));
    assert!(site.page("news/harbor/").html().contains("After the storm"));
}

#[test]
fn toml_errors_name_the_file_line_and_column() {
    let cases = [
        // A syntax error: the value on line 3 is not TOML.
        (
            "+++\nheadline = \"X\"\ndate = 2025-01-29 oops\n+++\n",
            3,
            "invalid front matter",
        ),
        // An unknown key, with the closest known one.
        (
            "+++\nheadline = \"X\"\ndate = 2025-01-29\nsecton = \"news\"\n+++\n",
            4,
            "unknown front-matter key `secton`",
        ),
        // A value of the wrong type.
        (
            "+++\nheadline = \"X\"\ndate = 2025-01-29\ntags = 5\n+++\n",
            4,
            "`tags`",
        ),
        // A bad date, checked like YAML's.
        (
            "+++\nheadline = \"X\"\ndate = \"2019-02-30\"\n+++\n",
            3,
            "day 30 does not exist",
        ),
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

/// A Hugo-style archive: `.html` dated URLs for the blog, a folder
/// pattern for news, per-article paths, a bundle on a `.html` page.
fn archive() -> SiteTest {
    let config = format!(
        "{SITE}permalink = \"/:section/:slug/\"\n\n[permalinks]\nblog = \"/:year/:month/:day/:slug.html\"\n\"news/us\" = \"/us/:year/:slug/\"\n"
    );
    SiteTest::from_files(&[
        ("site.toml", &config),
        (
            "content/blog/async.md",
            &yaml(
                "Async-await hits stable",
                "slug: Async-await-stable\ntags: [Rust]\naliases: [/old/async/]\nrelated: [news/us/ferry]\n",
            ),
        ),
        ("content/news/us/ferry.md", &yaml("Ferry fares", "related: [blog/Async-await-stable]\n")),
        ("content/news/world/quake.md", &yaml("Quake", "")),
        (
            "content/opinion/fixed.md",
            &yaml("Fixed path", "path: /2019/11/07/Kept-As-Is/\n"),
        ),
        ("content/opinion/story.md", &yaml("A story file", "path: /story.html\n")),
        (
            "content/blog/storm/index.md",
            "---\nheadline: Storm\ndate: 2025-03-27T09:00:00Z\n---\n![Waves](waves.txt)\n\n[Before](@/blog/async.md)\n",
        ),
        ("content/blog/storm/waves.txt", "pretend photo"),
    ])
}

#[test]
fn html_patterns_section_patterns_and_paths_give_the_old_urls() {
    let site = archive();
    site.build_ok();
    let public = site.public();
    for file in [
        "2025/03/26/Async-await-stable.html",
        "us/2025/ferry/index.html",
        "news/world/quake/index.html",
        "2019/11/07/Kept-As-Is/index.html",
        "story.html",
        "2025/03/27/storm.html",
        "2025/03/27/storm/waves.txt",
        "old/async/index.html",
    ] {
        assert!(public.join(file).is_file(), "{file} missing");
    }
    assert!(!public
        .join("2025/03/26/Async-await-stable.html/index.html")
        .exists());
    let page = site.page("2025/03/26/Async-await-stable.html");
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://archive.example.com/2025/03/26/Async-await-stable.html"]
    );
    // Related links both ways follow the real URLs.
    let links = attrs(&page, "a", "href");
    assert!(links.iter().any(|l| l == "/us/2025/ferry/"), "{links:?}");
    let ferry = attrs(&site.page("us/2025/ferry/"), "a", "href");
    assert!(
        ferry
            .iter()
            .any(|l| l == "/2025/03/26/Async-await-stable.html"),
        "{ferry:?}"
    );
    // `@/` links and bundle files of a page written as a file.
    let storm = site.page("2025/03/27/storm.html");
    let links = attrs(&storm, "main a", "href");
    assert!(
        links
            .iter()
            .any(|l| l == "/2025/03/26/Async-await-stable.html"),
        "{links:?}"
    );
    let imgs = attrs(&storm, "main img", "src");
    assert!(
        imgs.iter().any(|s| s == "/2025/03/27/storm/waves.txt"),
        "{imgs:?}"
    );
    // The alias redirects to the real URL.
    let alias = site.read("old/async/index.html");
    assert!(
        alias.contains("/2025/03/26/Async-await-stable.html"),
        "{alias}"
    );
    // Feeds, sitemap and structured data carry the same URLs.
    let feed = site.read("atom.xml");
    assert!(feed.contains("https://archive.example.com/2025/03/26/Async-await-stable.html"));
    assert!(feed.contains("https://archive.example.com/story.html"));
    let sitemap = site.read("sitemap.xml");
    for url in [
        "https://archive.example.com/2025/03/26/Async-await-stable.html",
        "https://archive.example.com/us/2025/ferry/",
        "https://archive.example.com/2019/11/07/Kept-As-Is/",
        "https://archive.example.com/story.html",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} not in sitemap"
        );
    }
    let ld = site.read("story.html");
    assert!(
        ld.contains("\"https://archive.example.com/story.html\""),
        "JSON-LD URL"
    );
    // Tag pages list the article at its real URL.
    let tag = attrs(&site.page("tags/rust/"), "main a", "href");
    assert!(
        tag.iter()
            .any(|l| l == "/2025/03/26/Async-await-stable.html"),
        "{tag:?}"
    );
}

#[test]
fn a_path_is_checked_and_clashes_like_any_url() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        ("content/news/a.md", &yaml("A", "path: /news/b/\n")),
        ("content/news/b.md", &yaml("B", "")),
    ]);
    let err = site.build().expect_err("two pages on one URL");
    let text = format!("{:?}", err.diagnostics());
    assert!(
        text.contains("content/news/a.md") && text.contains("content/news/b.md"),
        "{text}"
    );
    for bad in ["no-slash/", "/../up/", "/a/%2e/", "/"] {
        let site = SiteTest::from_files(&[
            ("site.toml", SITE),
            (
                "content/news/x.md",
                &yaml("X", &format!("path: \"{bad}\"\n")),
            ),
        ]);
        let d = site.build_error("content/news/x.md");
        assert_eq!(d.line, Some(4), "{bad}: {d}");
        assert!(d.message.contains("path"), "{bad}: {d}");
    }
}

#[test]
fn serve_previews_pages_written_as_files() {
    let site = archive();
    let server = common::server::Server::start(&site, &[]);
    let page = server.get("/2025/03/26/Async-await-stable.html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Async-await hits stable"));
    let file = server.get("/2025/03/27/storm/waves.txt");
    assert_eq!(file.status, 200);
    assert_eq!(file.body, "pretend photo");
}
