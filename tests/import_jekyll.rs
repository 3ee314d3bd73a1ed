//! `dateline import jekyll`: a small Jekyll site written for this test —
//! the default `date` permalink with categories from folders and front
//! matter, a post's own permalink, a day-first date, `defaults`,
//! `redirect_from`, Liquid (`post_url`, `site.baseurl`, `highlight`,
//! `include`), writers in `_data/authors.yml`, a page, a static file —
//! imported, built, and every post found at the URL Jekyll gives it.

mod common;

use common::{attrs, has_page, page_at, texts, SiteTest};

const CONFIG: &str = "title: Harbor Weekly\nurl: https://jekyll.example.org\nbaseurl: /paper\ntimezone: America/New_York\nlang: en_US\npaginate: 8\nexclude: [notes]\ndefaults:\n  - scope: {path: \"\", type: posts}\n    values: {layout: post}\n";

fn jekyll_site() -> SiteTest {
    SiteTest::from_files(&[
        ("_config.yml", CONFIG),
        (
            "_posts/2024-05-03-harbor-opens.md",
            "---\ntitle: Harbor Opens Again\ncategories: [Port, Ferries]\ntags: storm weather\nauthor: ada\nexcerpt: After the storm\nredirect_from:\n  - /old/harbor\nimage: /img/ferry.svg\nsidebar: left\n---\nSee [the fares]({% post_url 2024-06-10-fares %}).\n\n![Ferry]({{ site.baseurl }}/img/ferry.svg)\n\n{% include promo.html %}\n",
        ),
        (
            // Late evening in New York is the next day in UTC: the URL
            // keeps New York's date.
            "blog/_posts/2024-06-10-fares.md",
            "---\ntitle: \"Fares: What Changes\"\ndate: 2024-06-10 22:30:00 -0400\ncategory: Transport\n---\n{% highlight ruby %}\nfare = 3\n{% endhighlight %}\n",
        ),
        (
            "_posts/2017-09-11-scalafix.md",
            "---\ntitle: Scalafix\ndate: 11-9-2017\npermalink: /news/Scalafix-v0.5.html\n---\nOld.\n",
        ),
        (
            "_posts/2023-01-02-draft.md",
            "---\ntitle: Not yet\npublished: false\n---\nLater.\n",
        ),
        ("_posts/2023-13-40-bad-name.md", "---\ntitle: Never a post\n---\n"),
        ("_data/authors.yml", "ada:\n  name: Ada Byline\n  bio: Port reporter\n"),
        ("about.md", "---\ntitle: About\n---\nWho we are.\n"),
        ("img/ferry.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>"),
        ("notes/private.txt", "excluded"),
        ("_drafts/idea.md", "---\ntitle: Idea\n---\n"),
    ])
}

#[test]
fn a_jekyll_site_imports_builds_and_keeps_every_url() {
    let jekyll = jekyll_site();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("new");
    let new = target.to_str().unwrap();
    let run = jekyll.run(&["import", "jekyll", ".", "-o", new]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("_posts/2024-05-03-harbor-opens.md:10: front-matter key `sidebar`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("_posts/2024-05-03-harbor-opens.md:16: Liquid tag `include`"),
        "{stderr}"
    );
    assert!(stderr.contains("1 pages"), "the page is counted: {stderr}");
    assert!(
        !stderr.contains("`layout`"),
        "a default is no key of the post"
    );

    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(target.join("site.toml")).unwrap()).unwrap();
    assert_eq!(config["title"].as_str(), Some("Harbor Weekly"));
    assert_eq!(
        config["base_url"].as_str(),
        Some("https://jekyll.example.org/paper/")
    );
    assert_eq!(config["timezone"].as_str(), Some("America/New_York"));
    assert_eq!(config["language"].as_str(), Some("en-US"));
    assert_eq!(config["paginate"].as_integer(), Some(8));
    assert!(
        !target.join("static/notes/private.txt").exists(),
        "excluded"
    );
    assert!(target.join("static/img/ferry.svg").is_file());
    assert!(
        !target.join("static/about.md").exists(),
        "a page is no static file"
    );

    let build = jekyll.run(&["build", "--source", new]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let public = target.join("public");
    for file in [
        "port/ferries/2024/05/03/harbor-opens.html",
        "blog/transport/2024/06/10/fares.html",
        "news/Scalafix-v0.5.html",
        "old/harbor.html",
    ] {
        assert!(has_page(&public, file), "{file} missing");
    }
    assert!(
        !public.join("posts/draft/index.html").exists(),
        "unpublished"
    );

    let page = |url: &str| page_at(&public, url);
    let harbor = page("port/ferries/2024/05/03/harbor-opens.html");
    let links = attrs(&harbor, "main a", "href");
    assert!(
        links
            .iter()
            .any(|l| l.ends_with("/blog/transport/2024/06/10/fares.html")),
        "post_url became a link: {links:?}"
    );
    let tags = attrs(&harbor, "a[href*='/tags/']", "href");
    for tag in ["storm", "ferries", "port"] {
        assert!(
            tags.iter().any(|t| t.ends_with(&format!("/tags/{tag}/"))),
            "{tags:?}"
        );
    }
    let html = harbor.html();
    assert!(html.contains("Ada Byline") && html.contains("After the storm"));
    assert!(html.contains("/img/ferry.svg") && !html.contains("site.baseurl"));
    let fares = page("blog/transport/2024/06/10/fares.html");
    assert_eq!(texts(&fares, "main pre code"), ["fare = 3"]);
}
