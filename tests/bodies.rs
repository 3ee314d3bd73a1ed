//! Rich article bodies: every built-in shortcode as the default theme draws
//! it, a site's own shortcode, code left literal and highlighted, page
//! bundles, heading anchors, and each mistake reported with its place.

mod common;

use common::{attrs, texts, SiteTest};
use scraper::{Html, Selector};

const SITE: &str =
    "title = \"Body Test\"\nbase_url = \"https://bodies.example.com/\"\ntimezone = \"UTC\"\n";

fn article(headline: &str, date: &str, body: &str) -> String {
    format!("---\nheadline: \"{headline}\"\ndate: {date}\n---\n{body}")
}

/// A site whose `news/us/story.md` has `body`, beside a target story.
fn site_with(body: &str) -> SiteTest {
    SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/seawall-vote.md",
            "---\nheadline: \"Council approves the seawall\"\ndate: 2026-03-01\nkind: analysis\n---\nText.\n",
        ),
        (
            "content/news/us/story.md",
            &article("The story", "2026-03-02", body),
        ),
    ])
}

fn story(site: &SiteTest) -> Html {
    site.page("news/us/story/")
}

fn one(html: &Html, selector: &str) -> usize {
    html.select(&Selector::parse(selector).unwrap()).count()
}

#[test]
fn figure_draws_the_photo_with_alt_caption_and_credit() {
    let site = site_with(
        "Intro.\n\n{{ figure(src=\"/images/x.svg\", alt=\"A gull\", caption=\"On the pier.\", credit=\"Ana / Ledger\") }}\n",
    );
    site.build_ok();
    let page = story(&site);
    assert_eq!(
        attrs(&page, ".story__body figure img", "src"),
        ["/images/x.svg"]
    );
    assert_eq!(attrs(&page, ".story__body figure img", "alt"), ["A gull"]);
    assert_eq!(
        texts(&page, ".story__body figcaption .photo__caption"),
        ["On the pier."]
    );
    assert_eq!(
        texts(&page, ".story__body figcaption .photo__credit"),
        ["Ana / Ledger"]
    );
    // On a line of its own, the figure is not wrapped in a paragraph.
    assert_eq!(one(&page, ".story__body p figure"), 0);
}

#[test]
fn pullquote_carries_who_said_it() {
    let site = site_with("{% pullquote(by=\"Mayor Ruiz\") %}We will *build* it.{% end %}\n");
    site.build_ok();
    let page = story(&site);
    assert_eq!(texts(&page, ".pullquote blockquote"), ["We will build it."]);
    assert_eq!(one(&page, ".pullquote blockquote em"), 1);
    assert_eq!(texts(&page, ".pullquote figcaption"), ["Mayor Ruiz"]);
}

#[test]
fn related_box_links_the_target_with_its_headline_and_kind() {
    let site = site_with("Before.\n\n{{ related(to=\"news/us/seawall-vote\") }}\n\nAfter.\n");
    site.build_ok();
    let page = story(&site);
    assert_eq!(
        attrs(&page, ".inline-related a", "href"),
        ["/news/us/seawall-vote/"]
    );
    assert_eq!(
        texts(&page, ".inline-related a"),
        ["Council approves the seawall"]
    );
    assert_eq!(texts(&page, ".inline-related .kind"), ["Analysis"]);
    // A bare slug finds it too.
    let site = site_with("{{ related(to=\"seawall-vote\") }}\n");
    site.build_ok();
    assert_eq!(
        attrs(&story(&site), ".inline-related a", "href"),
        ["/news/us/seawall-vote/"]
    );
}

#[test]
fn factbox_holds_a_titled_list() {
    let site = site_with("{% factbox(title=\"At a glance\") %}\n- one\n- two\n{% end %}\n");
    site.build_ok();
    let page = story(&site);
    assert_eq!(
        texts(&page, "aside.factbox .factbox__title"),
        ["At a glance"]
    );
    assert_eq!(texts(&page, "aside.factbox li"), ["one", "two"]);
}

#[test]
fn video_is_a_facade_that_requests_nothing_from_the_host() {
    let site = site_with(
        "{{ video(url=\"https://youtu.be/aqz-KE-bpKQ\", title=\"The surge\") }}\n\n{{ video(src=\"/video/tide.mp4\", title=\"Tide\") }}\n",
    );
    site.build_ok();
    let text = site.read_page_text("news/us/story/");
    let page = Html::parse_document(&text);
    assert_eq!(one(&page, "iframe"), 0);
    assert!(!text.contains("<script src"), "no third-party script");
    assert!(!text.contains("ytimg") && !text.contains("youtube.com/embed"));
    assert_eq!(
        attrs(&page, ".video--facade a", "href"),
        ["https://www.youtube.com/watch?v=aqz-KE-bpKQ"]
    );
    assert_eq!(texts(&page, ".video--facade .video__title"), ["The surge"]);
    assert_eq!(
        texts(&page, ".video--facade .video__host"),
        ["Watch on YouTube"]
    );
    assert_eq!(attrs(&page, "video[controls]", "src"), ["/video/tide.mp4"]);
}

#[test]
fn post_is_a_static_quote_card() {
    let site = site_with(
        "{{ post(url=\"https://bsky.app/profile/x/post/1\", author=\"@watch\", date=\"2026-03-01T04:02:00Z\", text=\"Water at the top step.\") }}\n",
    );
    site.build_ok();
    let page = story(&site);
    assert_eq!(texts(&page, ".post blockquote"), ["Water at the top step."]);
    assert_eq!(texts(&page, ".post .post__author"), ["@watch"]);
    assert_eq!(
        attrs(&page, ".post time", "datetime"),
        ["2026-03-01T04:02:00+00:00"]
    );
    assert_eq!(
        attrs(&page, ".post a", "href"),
        ["https://bsky.app/profile/x/post/1"]
    );
    assert_eq!(one(&page, "script:not([type='application/ld+json'])"), 0);
}

#[test]
fn embed_is_a_lazy_sandboxed_frame_and_a_link_in_feeds() {
    let site = site_with(
        "{{ embed(src=\"https://charts.example.org/c/1/\", title=\"Flood depth chart\", height=420) }}\n",
    );
    site.build_ok();
    let page = story(&site);
    let frame = |a: &str| attrs(&page, ".story__body iframe", a);
    assert_eq!(frame("src"), ["https://charts.example.org/c/1/"]);
    assert_eq!(frame("title"), ["Flood depth chart"]);
    assert_eq!(frame("loading"), ["lazy"]);
    assert_eq!(frame("height"), ["420"]);
    assert_eq!(frame("referrerpolicy"), ["strict-origin-when-cross-origin"]);
    let sandbox = frame("sandbox").pop().unwrap();
    assert!(sandbox.contains("allow-scripts"), "{sandbox}");
    assert!(!sandbox.contains("top-navigation"), "{sandbox}");
    // The feed entry links the source instead.
    let feed = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .and_then(|n| n.text())
        .unwrap()
        .to_string();
    let entry = Html::parse_fragment(&content);
    assert_eq!(one(&entry, "iframe"), 0);
    assert_eq!(
        attrs(&entry, "a", "href"),
        ["https://charts.example.org/c/1/"]
    );
}

#[test]
fn a_site_shortcode_gets_its_arguments_and_rendered_body_and_overrides_a_built_in() {
    let site = site_with(
        "{% callout(tone=\"warning\", level=2, loud=true) %}Evacuate **now**.{% end %}\n\n{{ figure(src=\"/a.jpg\", wide=true) }}\n",
    );
    site.write(
        "templates/shortcodes/callout.html",
        "<div class=\"callout callout--{{ tone }}\" data-level=\"{{ level }}\" data-loud=\"{{ loud }}\">{{ body }}</div>",
    );
    site.write(
        "templates/shortcodes/figure.html",
        "<figure class=\"mine{% if wide %} wide{% endif %}\"><img src=\"{{ src }}\" alt=\"\"></figure>",
    );
    site.build_ok();
    let page = story(&site);
    assert_eq!(attrs(&page, ".callout--warning", "data-level"), ["2"]);
    assert_eq!(attrs(&page, ".callout--warning", "data-loud"), ["true"]);
    assert_eq!(texts(&page, ".callout strong"), ["now"]);
    assert_eq!(attrs(&page, "figure.mine.wide img", "src"), ["/a.jpg"]);
}

#[test]
fn shortcode_syntax_in_code_and_escapes_stays_literal() {
    let site = site_with(
        "Inline `{{ figure(src=\"x\") }}` code.\n\n```\n{% factbox() %}\n```\n\nEscaped {{/* figure(src=\"y\") */}} here.\n",
    );
    site.build_ok();
    let page = story(&site);
    assert_eq!(
        texts(&page, ".story__body p code"),
        ["{{ figure(src=\"x\") }}"]
    );
    assert_eq!(texts(&page, ".story__body pre code"), ["{% factbox() %}"]);
    assert!(texts(&page, ".story__body p")
        .iter()
        .any(|p| p == "Escaped {{ figure(src=\"y\") }} here."));
    assert_eq!(one(&page, ".story__body figure"), 0);
}

#[test]
fn fenced_code_is_highlighted_with_classes_and_unknown_languages_are_plain() {
    let site =
        site_with("```rust\nfn main() { let x = \"harbor\"; }\n```\n\n```klingon\nqapla'\n```\n");
    site.build_ok();
    let page = story(&site);
    assert_eq!(attrs(&page, "pre.hl", "data-lang"), ["rust"]);
    let keywords = texts(&page, "pre.hl span.hl-keyword, pre.hl span.hl-storage");
    assert!(keywords.iter().any(|k| k == "fn"), "{keywords:?}");
    assert!(texts(&page, "pre.hl span.hl-string")
        .iter()
        .any(|s| s.contains("harbor")));
    assert_eq!(one(&page, "pre [style]"), 0, "classes, not inline colours");
    assert_eq!(texts(&page, "pre code.language-klingon"), ["qapla'"]);
}

#[test]
fn body_headings_get_stable_unique_ids() {
    let site = site_with("## The vote\n\ntext\n\n### The vote\n\n## Who pays {#money}\n");
    site.build_ok();
    let page = story(&site);
    assert_eq!(
        attrs(&page, ".story__body h2, .story__body h3", "id"),
        ["the-vote", "the-vote-1", "money"]
    );
}

#[test]
fn a_page_bundle_publishes_its_files_and_resolves_relative_references() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/flood-map/index.md",
            "---\nheadline: \"Mapping the flood\"\ndate: 2026-03-02\nimage:\n  src: map.svg\n  alt: \"Map\"\n---\nSee ![the street](photos/street.gif) and [the data](blocks.csv).\n\n{{ figure(src=\"./photos/street.gif\", alt=\"Street\") }}\n",
        ),
        ("content/news/us/flood-map/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("content/news/us/flood-map/photos/street.gif", "GIF89a"),
        ("content/news/us/flood-map/blocks.csv", "a,b\n"),
        (
            "content/news/us/plain.md",
            &article("A single-file story", "2026-03-01", "Text.\n"),
        ),
    ]);
    site.build_ok();
    let base = "news/us/flood-map/";
    for file in ["map.svg", "photos/street.gif", "blocks.csv"] {
        let written = std::fs::read(site.public().join(base).join(file)).unwrap();
        let source = std::fs::read(site.root.join("content").join(base).join(file)).unwrap();
        assert_eq!(written, source, "{file}");
    }
    assert!(
        site.exists("news/us/plain/"),
        "bundles and single files mix"
    );
    let page = site.page(base);
    assert_eq!(
        attrs(&page, ".story__body img", "src"),
        [
            "/news/us/flood-map/photos/street.gif",
            "/news/us/flood-map/photos/street.gif"
        ]
    );
    assert_eq!(
        attrs(&page, ".story__body p a", "href"),
        ["/news/us/flood-map/blocks.csv"]
    );
    assert_eq!(
        attrs(&page, ".lead-image img", "src"),
        ["/news/us/flood-map/map.svg"]
    );
    assert_eq!(
        attrs(&page, "meta[property='og:image']", "content"),
        ["https://bodies.example.com/news/us/flood-map/map.svg"]
    );
    let ld = attrs(&page, "script[type='application/ld+json']", "type");
    assert_eq!(ld.len(), 1);
    let json: serde_json::Value =
        serde_json::from_str(&texts(&page, "script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(
        json["image"][0],
        "https://bodies.example.com/news/us/flood-map/map.svg"
    );
    // The feed links the photo where it is published.
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("/news/us/flood-map/photos/street.gif"),
        "{feed}"
    );
}

/// Every error of the build, as `file:line:col message` lines.
fn errors(site: &SiteTest) -> Vec<String> {
    match site.build() {
        Ok(_) => panic!("the build should fail"),
        Err(e) => e.diagnostics().iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn every_shortcode_mistake_is_reported_with_file_line_and_column_in_one_run() {
    let site = site_with(
        "Intro.\n\n{{ figur(src=\"/a.jpg\") }}\n\n{{ figure(alt=\"no src\") }}\n\n{{ embed(src=\"https://e.org/\", title=\"T\", height=\"tall\") }}\n\n{{ embed(src=\"http://plain.org/\", title=\"T\") }}\n\n{{ figure(src=\"/a.jpg\", captoin=\"x\") }}\n\n{{ pullquote(by=\"x\") }}\n\n{% factbox(title=\"Open\") %}\n- never closed\n",
    );
    site.write(
        "content/business/other.md",
        article(
            "Other",
            "2026-03-01",
            "{{ video(title=\"no source\") }}\n\n{{ post(url=\"https://x.org/p/1\", author=\"a\") }}\n",
        ),
    );
    let all = errors(&site).join("\n");
    assert!(!site.public().exists(), "nothing is written");
    for expected in [
        "content/news/us/story.md:7:1: unknown shortcode `figur`",
        "did you mean `figure`?",
        "content/news/us/story.md:9:1: shortcode `figure` needs the argument `src`",
        "content/news/us/story.md:11:1: argument `height` of `embed` must be an integer, found a string",
        "content/news/us/story.md:13:1: embed src `http://plain.org/` must be an https:// URL",
        "content/news/us/story.md:15:1: shortcode `figure` has no argument `captoin`",
        "did you mean `caption`?",
        "content/news/us/story.md:17:1: shortcode `pullquote` needs a body",
        "content/news/us/story.md:19:1: unclosed body shortcode `factbox`",
        "content/business/other.md:5:1: shortcode `video` needs `url`",
        "content/business/other.md:7:1: shortcode `post` needs the post's words",
    ] {
        assert!(all.contains(expected), "{expected} in:\n{all}");
    }
    // `check` reports the same, and exits non-zero.
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown shortcode `figur`"), "{stderr}");
}

#[test]
fn a_related_box_to_a_missing_or_embargoed_story_fails_with_its_place() {
    let site = site_with("Text.\n\n{{ related(to=\"seawall-vot\") }}\n");
    let all = errors(&site).join("\n");
    assert!(
        all.contains("content/news/us/story.md:7:1: related article `seawall-vot` not found"),
        "{all}"
    );
    assert!(
        all.contains("did you mean `news/us/seawall-vote`?"),
        "{all}"
    );
    site.write(
        "content/news/us/later.md",
        "---\nheadline: \"Later\"\ndate: 2026-03-01\nembargo: 2030-01-01T00:00:00Z\n---\nx\n",
    );
    site.write(
        "content/news/us/story.md",
        article(
            "The story",
            "2026-03-02",
            "{{ related(to=\"news/us/later\") }}\n",
        ),
    );
    let all = errors(&site).join("\n");
    assert!(
        all.contains("content/news/us/story.md:5:1: related article `news/us/later` is embargoed"),
        "{all}"
    );
}

#[test]
fn a_missing_bundle_file_is_an_error_naming_the_article_and_line() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/flood-map/index.md",
            "---\nheadline: \"Mapping the flood\"\ndate: 2026-03-02\n---\nText.\n\n![gone](gone.jpg)\n",
        ),
        ("content/news/us/flood-map/map.png", "png"),
    ]);
    let all = errors(&site).join("\n");
    assert!(
        all.contains(
            "content/news/us/flood-map/index.md:7:1: `gone.jpg` is not a file of this page bundle"
        ),
        "{all}"
    );
}

#[test]
fn with_safe_html_the_body_is_sanitised_and_its_shortcodes_still_drawn() {
    let site = site_with(
        "## Where it came in\n\n<script>alert(1)</script>\n\n{% factbox(title=\"F\") %}\n<img src=x onerror=alert(2)>\n{% end %}\n\n{{ embed(src=\"https://charts.example.org/c/1/\", title=\"Chart\") }}\n\n{{ video(url=\"https://vimeo.com/76979871\", title=\"Surge\") }}\n",
    );
    site.write("site.toml", format!("{SITE}safe_html = true\n"));
    site.build_ok();
    let text = site.read_page_text("news/us/story/");
    assert!(!text.contains("alert(1)"), "the script is gone");
    assert!(
        !text.contains("alert(2)"),
        "shortcode bodies are sanitised too"
    );
    let page = Html::parse_document(&text);
    assert_eq!(attrs(&page, ".story__body iframe", "title"), ["Chart"]);
    assert_eq!(attrs(&page, ".story__body h2", "id"), ["where-it-came-in"]);
    // In the feed, the video facade is a link to the video.
    let feed = site.read("atom.xml");
    assert!(feed.contains("https://vimeo.com/76979871"), "{feed}");
    assert!(!feed.contains("video__play"), "no facade in feeds");
}

#[test]
fn a_bundle_file_that_would_overwrite_a_page_is_an_error_naming_it() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/flood-map/index.md",
            "---\nheadline: \"Mapping the flood\"\ndate: 2026-03-02\n---\nText.\n",
        ),
        (
            "content/news/us/flood-map/index.html",
            "<p>an old export</p>",
        ),
    ]);
    let d = site.build_error("content/news/us/flood-map/index.html");
    assert!(
        d.message
            .contains("would overwrite /news/us/flood-map/index.html"),
        "{d}"
    );
    assert!(!site.public().exists(), "nothing is written");
}
