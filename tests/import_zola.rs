//! `dateline import zola`: a small Zola site written for this test — a
//! section, dated file names, a `path` with capitals, a page bundle, a
//! root page, a translation, `@/` links and shortcodes — imported, built,
//! and every page found at the URL Zola gives it.

mod common;

use common::{attrs, has_page, page_at, SiteTest};

const CONFIG: &str = r#"base_url = "https://zola.example.org"
title = "Harbor Notes"
default_language = "en"

[slugify]
paths = "on"

[languages.fr]
title = "Notes du port"
"#;

fn zola_site() -> SiteTest {
    SiteTest::from_files(&[
        ("config.toml", CONFIG),
        ("content/_index.md", "+++\ntitle = \"Front\"\n+++\n"),
        (
            "content/blog/_index.md",
            "+++\ntitle = \"Dispatches\"\nsort_by = \"date\"\npaginate_by = 7\n+++\n",
        ),
        (
            "content/blog/2024-05-03-harbor-opens.md",
            "+++\ntitle = \"Harbor Opens Again\"\ndescription = \"After the storm\"\nupdated = 2024-05-04T10:00:00Z\naliases = [\"old/harbor.html\"]\nauthors = [\"Ada Byline\"]\n\n[taxonomies]\ntags = [\"Harbor\", \"Ferries\"]\n\n[extra]\nimage = \"/img/ferry.svg\"\nteam = \"Port desk\"\n+++\nSee [the trip](@/blog/trip/index.md#day-2).\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{{ gist(url=\"https://gist.example.org/1\") }}\n",
        ),
        (
            "content/blog/harbor-opens.fr.md",
            "+++\ntitle = \"Le port rouvre\"\ndate = 2024-05-03\n+++\nBonjour.\n",
        ),
        (
            "content/blog/trip/index.md",
            "+++\ntitle = \"A Day Trip\"\ndate = 2024-07-01T12:00:00Z\n+++\n![The pier](pier.txt)\n\n## Day 2\n\nBack [home](../).\n",
        ),
        ("content/blog/trip/pier.txt", "pretend photo"),
        (
            "content/stable.md",
            "+++\npath = \"2019/11/07/Async-await-stable\"\ntitle = \"Async-await is stable\"\n+++\nRead [the harbor story](@/blog/2024-05-03-harbor-opens.md).\n",
        ),
        (
            "content/news/Crates.io-Incident.md",
            "+++\ntitle = \"An incident\"\ndate = 2023-03-02\n+++\nWhat happened.\n",
        ),
        ("content/undated.md", "+++\ntitle = \"No date\"\n+++\nBody.\n"),
        (
            "static/img/ferry.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
        ),
    ])
}

#[test]
fn a_zola_site_imports_builds_and_keeps_every_url() {
    let zola = zola_site();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("new");
    let new = target.to_str().unwrap();
    let run = zola.run(&["import", "zola", ".", "-o", new]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/undated.md:1: has no `date`"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("content/blog/2024-05-03-harbor-opens.md:13: front-matter key `extra.team`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/blog/2024-05-03-harbor-opens.md:19: shortcode `gist`"),
        "{stderr}"
    );
    assert!(stderr.contains("`fr`"), "the other language: {stderr}");
    assert!(stderr.contains("1 translations"), "{stderr}");

    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(target.join("site.toml")).unwrap()).unwrap();
    assert_eq!(config["title"].as_str(), Some("Harbor Notes"));
    assert_eq!(
        config["base_url"].as_str(),
        Some("https://zola.example.org")
    );
    assert_eq!(config["language"].as_str(), Some("en"));
    assert_eq!(config["sections"]["blog"].as_str(), Some("Dispatches"));
    assert_eq!(config["paginate"].as_integer(), Some(7));

    let build = zola.run(&["build", "--source", new]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let public = target.join("public");
    for url in [
        "blog/harbor-opens/",
        "blog/trip/",
        "2019/11/07/Async-await-stable/",
        "news/crates-io-incident/",
        "old/harbor.html",
    ] {
        assert!(has_page(&public, url), "{url} missing");
    }
    assert!(public.join("blog/trip/pier.txt").is_file(), "bundle file");

    let page = |url: &str| page_at(&public, url);
    let harbor = page("blog/harbor-opens/");
    let links = attrs(&harbor, "main a", "href");
    assert!(
        links.iter().any(|l| l == "/blog/trip/#day-2"),
        "the @/ link kept its anchor: {links:?}"
    );
    let tags = attrs(&harbor, "a[href^='/tags/']", "href");
    assert!(tags.iter().any(|t| t == "/tags/ferries/"), "{tags:?}");
    let html = harbor.html();
    assert!(html.contains("After the storm") && html.contains("Ada Byline"));
    assert!(html.contains("youtube"), "the video facade links YouTube");
    // A root page's `@/` link follows the article into its new folder.
    let stable = page("2019/11/07/Async-await-stable/");
    let links = attrs(&stable, "main a", "href");
    assert!(
        links.iter().any(|l| l == "/blog/harbor-opens/"),
        "{links:?}"
    );
    // The bundle's link out of itself points where it pointed.
    let trip = page("blog/trip/");
    let links = attrs(&trip, "main a", "href");
    assert!(links.iter().any(|l| l == "/blog/"), "{links:?}");
    assert!(!std::fs::read_to_string(public.join("sitemap.xml"))
        .unwrap()
        .contains("rouvre"));
}
