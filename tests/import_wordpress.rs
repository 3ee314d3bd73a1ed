//! `dateline import wordpress`: a small WXR export written for this test
//! — classic-editor and block-editor bodies, a caption, a video link, a
//! featured image, a non-ASCII slug, a scheduled post, a draft, a page,
//! a `?p=` address — imported, built, and each post found at its URL.

mod common;

use common::{attrs, has_page, page_at, texts, SiteTest};

fn item(id: u32, title: &str, link: &str, kind: &str, status: &str, extra: &str) -> String {
    format!(
        r#"<item>
<title>{title}</title>
<link>{link}</link>
<dc:creator><![CDATA[ada]]></dc:creator>
<wp:post_id>{id}</wp:post_id>
<wp:post_date><![CDATA[2024-05-03 21:30:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[2024-05-04 01:30:00]]></wp:post_date_gmt>
<wp:post_type><![CDATA[{kind}]]></wp:post_type>
<wp:status><![CDATA[{status}]]></wp:status>
{extra}
</item>
"#
    )
}

fn export() -> String {
    let classic = r#"<content:encoded><![CDATA[The harbor reopened on Friday.
Crowds came.

[caption id="attachment_10" align="alignnone" width="640"]<img src="https://news.example.org/wp-content/uploads/pier.jpg" alt="The pier" width="640" /> The pier at dawn &amp; the ferry[/caption]

https://www.youtube.com/watch?v=dQw4w9WgXcQ

[gallery ids="10,11"]]]></content:encoded>
<excerpt:encoded><![CDATA[<p>After the storm</p>]]></excerpt:encoded>
<wp:post_name><![CDATA[harbor-opens]]></wp:post_name>
<category domain="category" nicename="news"><![CDATA[News]]></category>
<category domain="category" nicename="ferries"><![CDATA[Ferries]]></category>
<category domain="post_tag" nicename="storm"><![CDATA[Storm]]></category>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[10]]></wp:meta_value></wp:postmeta>"#;
    let block = r#"<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>The café is <strong>open</strong>, near <a href="http://news.example.org/2024/05/03/harbor-opens/#map">the harbor</a>.</p>
<!-- /wp:paragraph -->
<!-- wp:table -->
<figure class="wp-block-table"><table><tr><td colspan="2">Hours</td></tr></table></figure>
<!-- /wp:table -->]]></content:encoded>
<wp:post_name><![CDATA[caf%c3%a9-reopens]]></wp:post_name>
<category domain="category" nicename="news"><![CDATA[News]]></category>"#;
    let body = |slug: &str| {
        format!("<content:encoded><![CDATA[Text.]]></content:encoded><wp:post_name><![CDATA[{slug}]]></wp:post_name>")
    };
    let items = [
        item(1, "Harbor Opens &amp; Ferries Return", "https://news.example.org/2024/05/03/harbor-opens/", "post", "publish", classic),
        item(2, "Café reopens", "https://news.example.org/2024/05/03/caf%c3%a9-reopens/", "post", "publish", block),
        item(3, "Coming soon", "https://news.example.org/2030/01/01/soon/", "post", "future", &body("soon"))
            .replace("2024-05-03 21:30:00", "2030-01-01 08:00:00")
            .replace("2024-05-04 01:30:00", "2030-01-01 13:00:00"),
        item(4, "Unfinished", "https://news.example.org/?p=4", "post", "draft", &body("unfinished")),
        item(5, "About us", "https://news.example.org/about/", "page", "publish", &body("about")),
        item(6, "Plain address", "https://news.example.org/?p=6", "post", "publish", &body("plain-address")),
        item(10, "pier", "https://news.example.org/pier/", "attachment", "inherit", "<wp:attachment_url><![CDATA[https://news.example.org/wp-content/uploads/pier.jpg]]></wp:attachment_url>"),
    ];
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Harbor Herald</title>
<link>https://news.example.org</link>
<language>en-GB</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[ada]]></wp:author_login><wp:author_email><![CDATA[ada@example.org]]></wp:author_email><wp:author_display_name><![CDATA[Ada Byline]]></wp:author_display_name></wp:author>
{}</channel>
</rss>
"#,
        items.concat()
    )
}

#[test]
fn a_wordpress_export_imports_builds_and_keeps_every_url() {
    let site = SiteTest::from_files(&[("export.xml", &export())]);
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("new");
    let new = target.to_str().unwrap();
    let run = site.run(&["import", "wordpress", "export.xml", "-o", new]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("shortcode `[gallery]`"), "{stderr}");
    assert!(stderr.contains("1 draft posts not imported"), "{stderr}");
    assert!(stderr.contains("1 pages not imported"), "{stderr}");
    assert!(
        stderr.contains("`https://news.example.org/?p=6`"),
        "{stderr}"
    );

    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(target.join("site.toml")).unwrap()).unwrap();
    assert_eq!(config["title"].as_str(), Some("The Harbor Herald"));
    assert_eq!(
        config["base_url"].as_str(),
        Some("https://news.example.org/")
    );
    assert_eq!(config["language"].as_str(), Some("en-GB"));
    assert_eq!(config["sections"]["news"].as_str(), Some("News"));

    let build = site.run(&["build", "--source", new]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let public = target.join("public");
    // The local date (21:30 at -04:00) gives the URL's day, as WordPress did.
    for file in [
        "2024/05/03/harbor-opens/index.html",
        "2024/05/03/café-reopens/index.html",
    ] {
        assert!(has_page(&public, file), "{file} missing");
    }
    assert!(
        !public.join("2030/01/01/soon/index.html").exists(),
        "embargoed"
    );
    assert!(
        !public.join("about/index.html").exists(),
        "pages only with --pages"
    );

    let page = |url: &str| page_at(&public, url);
    let harbor = page("2024/05/03/harbor-opens/");
    assert_eq!(texts(&harbor, "h1"), ["Harbor Opens & Ferries Return"]);
    let html = harbor.html();
    assert!(
        html.contains("Ada Byline") && html.contains("After the storm"),
        "{html}"
    );
    assert!(
        html.contains("The pier at dawn &amp; the ferry"),
        "the caption"
    );
    assert!(html.contains("youtube"), "the video");
    let images = attrs(&harbor, "img", "src");
    assert!(
        images
            .iter()
            .any(|s| s.ends_with("/wp-content/uploads/pier.jpg")),
        "{images:?}"
    );
    let tags = attrs(&harbor, "a[href^='/tags/']", "href");
    for tag in ["/tags/ferries/", "/tags/storm/"] {
        assert!(tags.iter().any(|t| t == tag), "{tags:?}");
    }
    // A link by the old absolute address now names the article's file.
    let cafe_md = std::fs::read_to_string(target.join("content/news/cafe-reopens.md")).unwrap();
    assert!(
        cafe_md.contains("(@/news/harbor-opens.md#map)"),
        "{cafe_md}"
    );
    let cafe = page("2024/05/03/café-reopens/");
    let links = attrs(&cafe, "main a", "href");
    assert!(
        links.iter().any(|l| l == "/2024/05/03/harbor-opens/#map"),
        "{links:?}"
    );
    assert_eq!(texts(&cafe, "main strong"), ["open"]);
    assert!(
        cafe.html().contains("colspan=\"2\""),
        "the table kept as HTML"
    );

    // With --pages, the page comes too, at its address.
    let again = out.path().join("with-pages");
    let run = site.run(&[
        "import",
        "wordpress",
        "export.xml",
        "-o",
        again.to_str().unwrap(),
        "--pages",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let build = site.run(&["build", "--source", again.to_str().unwrap()]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(again.join("public/about/index.html").is_file());
}

#[test]
fn a_broken_export_is_refused_with_its_line() {
    let broken = export().replace("</channel>", "<item><title>cut off</channel>");
    let site = SiteTest::from_files(&[("export.xml", &broken)]);
    let out = tempfile::tempdir().unwrap();
    let run = site.run(&[
        "import",
        "wordpress",
        "export.xml",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    let line = broken.lines().position(|l| l.contains("cut off")).unwrap() + 1;
    assert!(stderr.contains(&format!("export.xml:{line}:")), "{stderr}");
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );
}
