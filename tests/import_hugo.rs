//! `dateline import hugo`: a small Hugo site written for this test — TOML
//! and YAML front matter, a `[permalinks]` pattern, a page bundle, a
//! fixed `url`, shortcodes, a translation, a page without a date —
//! imported, built, and every page found at the URL Hugo gives it.

mod common;

use std::path::Path;
use std::process::Command;

use common::{attrs, has_page, page_at, SiteTest};

const HUGO_TOML: &str = r#"baseURL = "https://old.example.org/"
title = "The Old Gazette"
languageCode = "en-gb"
defaultContentLanguage = "en"
timeZone = "Europe/London"

[pagination]
pagerSize = 12

[permalinks]
posts = "/:year/:month/:title/"

[taxonomies]
tag = "tags"
series = "series"

[params]
desk = "the Harbor desk"

[languages.en]
weight = 1
[languages.fr]
weight = 2
"#;

fn hugo_site() -> SiteTest {
    SiteTest::from_files(&[
        ("hugo.toml", HUGO_TOML),
        ("content/posts/_index.md", "---\ntitle: Dispatches\n---\n"),
        (
            "content/posts/first.md",
            "---\ntitle: \"Harbor Opens Again\"\ndate: 2024-05-03T09:00:00+01:00\nlastMod: 2024-05-04T10:00:00+01:00\ndescription: After the storm\ntags: [Harbor, Ferries]\nseries: [Storm]\nauthor: Ada Byline\naliases: [/old/harbor-opens/]\nweight: 3\n---\nThe harbor is open. See [the trip]({{< ref \"trip\" >}}).\n\n{{< gist ada 42 >}}\n",
        ),
        (
            "content/posts/first.fr.md",
            "---\ntitle: Le port rouvre\ndate: 2024-05-03\n---\nBonjour.\n",
        ),
        (
            "content/posts/second.md",
            "+++\ntitle = \"Ferry Fares: What Changes\"\ndate = 2024-06-10T08:00:00Z\ncategories = [\"Transport\"]\nimages = [\"/img/ferry.svg\"]\n+++\n{{< figure src=\"/img/ferry.svg\" caption=\"The night ferry\" attr=\"Dev Okafor\" >}}\n\n{{< youtube dQw4w9WgXcQ >}}\n\nBack to [the first]({{< relref \"posts/first.md\" >}}).\n\nFiled by {{< param \"desk\" >}}.\n",
        ),
        (
            "content/posts/trip/index.md",
            "---\ntitle: A Day Trip\ndate: 2024-07-01T12:00:00Z\nparams:\n  author: ada\n---\n![The pier](pier.txt)\n",
        ),
        ("content/posts/trip/pier.txt", "pretend photo"),
        (
            "content/posts/kept.md",
            "---\ntitle: Kept As Is\ndate: 2023-01-02\nurl: /legacy/Kept-Story.html\n---\nOld.\n",
        ),
        ("content/about.md", "---\ntitle: About us\ndate: 2020-01-01\n---\nWho we are.\n"),
        ("content/posts/undated.md", "---\ntitle: No date here\n---\nBody.\n"),
        (
            "content/posts/legacy.adoc",
            "---\ntitle: Old format\ndate: 2019-01-01\n---\n= Old\n",
        ),
        ("data/authors.yaml", "ada:\n  name: Ada Byline\n  email: ada@example.org\n"),
        ("static/img/ferry.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>"),
    ])
}

fn dateline(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("run dateline")
}

#[test]
fn a_hugo_site_imports_builds_and_keeps_every_url() {
    let hugo = hugo_site();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("new");
    let run = dateline(
        &[
            "import",
            "hugo",
            hugo.root.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ],
        &hugo.root,
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The undated page could not be imported: exit 1, naming it.
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/posts/undated.md:1: has no `date`"),
        "{stderr}"
    );
    // What was dropped or left is reported with its line.
    assert!(
        stderr.contains("content/posts/first.md:10: front-matter key `weight`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/posts/first.md:14: shortcode `gist`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/posts/legacy.adoc: a `.adoc` page is not imported"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`fr`"),
        "the other language is reported: {stderr}"
    );

    let toml = std::fs::read_to_string(target.join("site.toml")).unwrap();
    let config: toml::Table = toml::from_str(&toml).unwrap();
    assert_eq!(
        config["base_url"].as_str(),
        Some("https://old.example.org/")
    );
    assert_eq!(config["title"].as_str(), Some("The Old Gazette"));
    assert_eq!(config["timezone"].as_str(), Some("Europe/London"));
    assert_eq!(config["paginate"].as_integer(), Some(12));
    assert_eq!(config["language"].as_str(), Some("en-gb"));
    assert_eq!(
        config["permalinks"]["posts"].as_str(),
        Some("/:year/:month/:slug/")
    );
    assert_eq!(config["sections"]["posts"].as_str(), Some("Dispatches"));

    let build = dateline(&["build"], &target);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let public = target.join("public");
    // Every URL Hugo published, as the page or a redirect.
    for url in [
        "2024/05/harbor-opens-again/",
        "2024/06/ferry-fares-what-changes/",
        "2024/07/a-day-trip/",
        "legacy/Kept-Story.html",
        "about/",
        "old/harbor-opens/",
    ] {
        assert!(has_page(&public, url), "{url} missing");
    }
    assert!(
        public.join("2024/07/a-day-trip/pier.txt").is_file(),
        "bundle file"
    );
    assert!(public.join("img/ferry.svg").is_file(), "static file");

    let page = |url: &str| page_at(&public, url);
    let first = page("2024/05/harbor-opens-again/");
    let links = attrs(&first, "main a", "href");
    assert!(
        links.iter().any(|l| l == "/2024/07/a-day-trip/"),
        "ref became a link: {links:?}"
    );
    assert!(
        links.iter().any(|l| l == "https://gist.github.com/ada/42"),
        "the gist became a link: {links:?}"
    );
    let tags = attrs(&first, "a[rel=tag], .tags a, a[href^='/tags/']", "href");
    assert!(
        tags.iter().any(|t| t == "/tags/storm/"),
        "a taxonomy became a tag: {tags:?}"
    );
    assert!(first.html().contains("Ada Byline") && first.html().contains("After the storm"));
    let second = page("2024/06/ferry-fares-what-changes/");
    assert!(second.html().contains("The night ferry") && second.html().contains("Dev Okafor"));
    assert!(second.html().contains("Filed by the Harbor desk."), "param");
    let links = attrs(&second, "main a", "href");
    assert!(
        links.iter().any(|l| l == "/2024/05/harbor-opens-again/"),
        "{links:?}"
    );
    assert!(
        second.html().contains("youtube"),
        "the video facade links YouTube"
    );
    // Only the default language was imported.
    assert!(!std::fs::read_to_string(public.join("sitemap.xml"))
        .unwrap()
        .contains("port-rouvre"));
}

#[test]
fn import_refuses_a_folder_that_is_not_empty() {
    let hugo = hugo_site();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("keep.txt"), "mine").unwrap();
    let run = dateline(
        &[
            "import",
            "hugo",
            hugo.root.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
        ],
        &hugo.root,
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(out.path().join("keep.txt")).unwrap(),
        "mine"
    );
    assert!(!out.path().join("site.toml").exists());
}
