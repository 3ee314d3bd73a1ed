//! `dateline serve` over real HTTP: edits, new and deleted articles, broken
//! saves, editors' atomic saves, path traversal and live reload.

mod common;

use std::io::BufRead;
use std::time::{Duration, Instant};

use common::server::Server;
use common::{card_headlines, SiteTest};

fn started() -> (SiteTest, Server) {
    let site = SiteTest::new("newsroom");
    let server = Server::start(&site, &[]);
    (site, server)
}

fn article(headline: &str, tags: &str, body: &str) -> String {
    format!(
        "---\nheadline: {headline}\ndate: 2026-04-02T10:00:00-05:00\ntags: [{tags}]\n---\n{body}\n"
    )
}

#[test]
fn an_edited_article_shows_its_new_text() {
    let (site, server) = started();
    let path = "/news/us/harbor-dredging/";
    assert_eq!(server.get(path).status, 200);
    let file = site.root.join("content/news/us/harbor-dredging.md");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\nA sentence added while the preview runs.\n");
    std::fs::write(&file, text).unwrap();
    server.wait_for(path, "the new sentence", |r| {
        r.body.contains("A sentence added while the preview runs.")
    });
}

#[test]
fn a_new_article_appears_on_its_tag_page_and_the_home_page() {
    let (site, server) = started();
    site.write(
        "content/business/new-wharf.md",
        article("Brand new wharf opens", "Harbor", "Body."),
    );
    let tag = server.wait_for("/tags/harbor/", "the new article", |r| {
        card_headlines(&r.html()).contains(&"Brand new wharf opens".to_string())
    });
    assert_eq!(
        card_headlines(&tag.html())[0],
        "Brand new wharf opens",
        "newest first"
    );
    server.wait_for("/", "the new article on the home page", |r| {
        r.body.contains("Brand new wharf opens")
    });
    assert_eq!(server.get("/business/new-wharf/").status, 200);
}

#[test]
fn a_deleted_article_disappears_from_every_list() {
    let (site, server) = started();
    let gone = "Story 25: Port Bonds";
    for list in ["/tags/harbor/", "/business/", "/", "/2026/03/25/"] {
        assert!(
            server.get(list).body.contains(gone),
            "{list} lists it before"
        );
    }
    site.remove("content/business/port-bonds.md");
    server.wait_for("/business/port-bonds/", "a 404", |r| r.status == 404);
    for list in [
        "/tags/harbor/",
        "/tags/harbor/page/2/",
        "/tags/harbor/page/3/",
        "/business/",
        "/",
        "/2026/",
        "/2026/03/",
    ] {
        let r = server.get(list);
        assert!(
            !r.body.contains(gone),
            "{list} still lists the deleted article"
        );
    }
    assert_eq!(
        server.get("/2026/03/25/").status,
        404,
        "its day archive is gone"
    );
}

#[test]
fn a_broken_save_shows_the_overlay_and_keeps_serving_until_fixed() {
    let (site, server) = started();
    let file = "content/news/us/tide-gauges.md";
    let good = std::fs::read_to_string(site.root.join(file)).unwrap();
    site.write(file, "---\nheadline: [unclosed\ndate: 2026-03-05\n---\n");
    let page = server.wait_for("/news/us/tide-gauges/", "the overlay", |r| {
        r.body.contains("dateline-error")
    });
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Story 05: Tide Gauges"),
        "the last good version is still served"
    );
    let overlay = common::texts(&page.html(), "#dateline-error");
    assert!(
        overlay[0].contains("content/news/us/tide-gauges.md:3"),
        "{overlay:?}"
    );
    let other = server.get("/business/");
    assert_eq!(other.status, 200);
    assert!(card_headlines(&other.html()).len() == 6);
    site.write(file, good);
    server.wait_for("/news/us/tide-gauges/", "the overlay to clear", |r| {
        !r.body.contains("dateline-error")
    });
}

#[test]
fn a_template_error_shows_the_overlay_too() {
    let (site, server) = started();
    site.write("templates/tags.html", "{% if %}");
    let page = server.wait_for("/business/", "the overlay", |r| {
        r.body.contains("dateline-error")
    });
    assert!(page.body.contains("templates/tags.html:1"), "{}", page.body);
    std::fs::remove_file(site.root.join("templates/tags.html")).unwrap();
    server.wait_for("/business/", "the overlay to clear", |r| {
        !r.body.contains("dateline-error")
    });
}

#[test]
fn an_atomic_rename_save_is_picked_up() {
    let (site, server) = started();
    let dir = site.root.join("content/business");
    let target = dir.join("fuel-prices.md");
    let text = std::fs::read_to_string(&target)
        .unwrap()
        .replace("Fixture body", "Saved atomically");
    let temp = dir.join(".fuel-prices.md.tmp4711");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &target).unwrap();
    server.wait_for("/business/fuel-prices/", "the renamed-in text", |r| {
        r.body.contains("Saved atomically")
    });
}

#[test]
fn traversal_attempts_get_404_and_never_file_contents() {
    let (_site, server) = started();
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/%2E%2E%2Fsite.toml",
        "/content/business/port-bonds.md",
        "/site.toml",
        "//etc/passwd",
        "/..\\site.toml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            !r.body.contains("paginate") && !r.body.contains("headline:"),
            "{path} leaked a file"
        );
    }
    let r = server.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert_eq!(
        common::texts(&r.html(), "h1"),
        ["Page not found"],
        "the site's own 404 page"
    );
}

#[test]
fn content_types_are_right() {
    let (_site, server) = started();
    let r = server.get("/");
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        server.get("/css/dateline.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        server.get("/images/chips.svg").header("content-type"),
        Some("image/svg+xml")
    );
}

#[test]
fn served_pages_carry_the_reload_script_and_built_pages_do_not() {
    let (site, server) = started();
    assert!(server.get("/").body.contains("/__dateline/events"));
    site.build_ok();
    for (path, bytes) in site.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("/__dateline/events"),
            "{path}"
        );
    }
}

#[test]
fn a_save_sends_a_reload_event() {
    let (site, server) = started();
    let mut events = server.events();
    site.write(
        "content/business/fuel-prices.md",
        article("Fuel prices, revised", "Harbor", "Body."),
    );
    let start = Instant::now();
    let mut line = String::new();
    loop {
        line.clear();
        events.read_line(&mut line).expect("event stream");
        if line.starts_with("event: reload") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no reload event");
    }
}

#[test]
fn a_new_folder_of_articles_is_picked_up() {
    let (site, server) = started();
    let staging = site.root.join("incoming");
    std::fs::create_dir_all(staging.join("metro")).unwrap();
    std::fs::write(
        staging.join("metro/new-bridge.md"),
        article("A bridge in a new section", "Harbor", "Body."),
    )
    .unwrap();
    std::fs::rename(&staging, site.root.join("content/metro-desk")).unwrap();
    server.wait_for(
        "/metro-desk/metro/new-bridge/",
        "the moved-in folder",
        |r| r.status == 200,
    );
    assert!(server
        .get("/metro-desk/")
        .body
        .contains("A bridge in a new section"));
}

#[test]
fn a_vim_style_save_is_one_rebuild() {
    let (site, server) = started();
    let dir = site.root.join("content/business");
    let file = dir.join("fuel-prices.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Fixture body", "Saved by vim");
    // vim: swap file, rename the original to a backup, write anew, drop the backup.
    std::fs::write(dir.join(".fuel-prices.md.swp"), "swap").unwrap();
    std::fs::rename(&file, dir.join("fuel-prices.md~")).unwrap();
    std::fs::write(&file, text).unwrap();
    std::fs::remove_file(dir.join("fuel-prices.md~")).unwrap();
    std::fs::remove_file(dir.join(".fuel-prices.md.swp")).unwrap();
    server.wait_for("/business/fuel-prices/", "the saved text", |r| {
        r.body.contains("Saved by vim")
    });
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(server.rebuilds(), 1, "{:?}", server.output.lock().unwrap());
}

#[test]
fn a_renamed_article_moves_and_leaves_nothing_behind() {
    let (site, server) = started();
    let dir = site.root.join("content/business");
    std::fs::rename(dir.join("port-bonds.md"), dir.join("harbor-bonds.md")).unwrap();
    server.wait_for("/business/harbor-bonds/", "the new URL", |r| {
        r.status == 200
    });
    assert_eq!(server.get("/business/port-bonds/").status, 404);
    let tag: Vec<String> = [
        "/tags/harbor/",
        "/tags/harbor/page/2/",
        "/tags/harbor/page/3/",
    ]
    .iter()
    .flat_map(|p| common::attrs(&server.get(p).html(), ".card__headline a", "href"))
    .collect();
    assert!(tag.contains(&"/business/harbor-bonds/".to_string()));
    assert!(!tag.contains(&"/business/port-bonds/".to_string()));
}

#[test]
fn static_files_get_their_content_types() {
    let site = SiteTest::new("newsroom");
    for (name, bytes) in [
        ("app.js", &b"1"[..]),
        ("feed.xml", b"<a/>"),
        ("data.json", b"{}"),
        ("font.woff2", b"wOF2"),
        ("photo.jpg", b"\xff\xd8"),
        ("pic.png", b"png"),
        ("pic.webp", b"RIFF"),
    ] {
        site.write(&format!("static/{name}"), bytes);
    }
    let server = Server::start(&site, &[]);
    for (path, want) in [
        ("/app.js", "text/javascript"),
        ("/feed.xml", "xml"),
        ("/data.json", "application/json"),
        ("/font.woff2", "font/woff2"),
        ("/photo.jpg", "image/jpeg"),
        ("/pic.png", "image/png"),
        ("/pic.webp", "image/webp"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        let ct = r.header("content-type").unwrap_or_default();
        assert!(ct.contains(want), "{path}: {ct}");
    }
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let (site, mut server) = started();
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(
        !site.public().exists(),
        "serve never writes an output folder"
    );
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let site = SiteTest::new("newsroom");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = site.run(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn adding_an_embargo_takes_the_story_down_everywhere() {
    let (site, server) = started();
    let file = "content/business/port-bonds.md";
    let text = std::fs::read_to_string(site.root.join(file)).unwrap();
    site.write(
        file,
        text.replace("authors:", "embargo: 2099-01-01T00:00:00Z\nauthors:"),
    );
    server.wait_for(
        "/business/port-bonds/",
        "the embargoed story to vanish",
        |r| r.status == 404,
    );
    assert!(!server.get("/business/").body.contains("Port Bonds"));
    assert!(!server.get("/atom.xml").body.contains("Port Bonds"));
}

#[test]
fn a_template_runtime_error_shows_the_overlay_over_the_last_good_page() {
    let (site, server) = started();
    let good = server.get("/tags/");
    assert_eq!(good.status, 200);
    site.write(
        "templates/tags.html",
        "{% extends \"base.html\" %}{% block main %}{{ no.such.value }}{% endblock main %}",
    );
    let page = server.wait_for("/tags/", "the overlay", |r| {
        r.body.contains("dateline-error")
    });
    assert_eq!(page.status, 200, "the last good version is served");
    assert!(page.body.contains("Topics"), "{}", page.body);
    let overlay = &common::texts(&page.html(), "#dateline-error")[0];
    assert!(overlay.contains("`no` is not defined"), "{overlay}");
    assert!(overlay.contains("templates/tags.html:1:"), "{overlay}");
    std::fs::remove_file(site.root.join("templates/tags.html")).unwrap();
    server.wait_for("/tags/", "the overlay to clear", |r| {
        !r.body.contains("dateline-error")
    });
}

#[test]
fn only_its_own_host_and_origin_are_answered() {
    let (_site, server) = started();
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    // DNS rebinding: a foreign name that resolves to 127.0.0.1.
    let r = server.get_as("/", &format!("attacker.example:{port}"), None);
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("Fixture Gazette"));
    let r = server.get_as(
        "/news/us/secret-draft/",
        &format!("attacker.example:{port}"),
        None,
    );
    assert_eq!(r.status, 403);
    // A page elsewhere reading the event stream or a page cross-origin.
    let r = server.get_as(
        "/__dateline/events",
        &server.addr,
        Some("http://attacker.example"),
    );
    assert_eq!(r.status, 403);
    let r = server.get_as("/", &server.addr, Some("http://attacker.example"));
    assert_eq!(r.status, 403);
    assert_eq!(
        server
            .get_as("/", &format!("localhost:{port}"), None)
            .status,
        200
    );
    let same = server.get_as("/", &server.addr, Some(&format!("http://{}", server.addr)));
    assert_eq!(same.status, 200);
    assert!(same.header("access-control-allow-origin").is_none());
}

#[test]
fn it_binds_loopback_unless_told_otherwise_and_then_warns() {
    let (_site, server) = started();
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);

    let site = SiteTest::new("newsroom");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .current_dir(&site.root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let warned = std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(10)).ok())
        .any(|line| line.contains("warning: listening on 0.0.0.0"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(warned, "no warning about listening beyond loopback");
}

#[test]
fn a_base_path_set_while_serving_is_followed() {
    let (site, server) = started();
    let story = "news/us/harbor-dredging/";
    assert_eq!(server.get(&format!("/{story}")).status, 200);
    let config = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        config.replace(
            "https://gazette.example.com/",
            "https://gazette.example.com/gazette/",
        ),
    );
    let page = server.wait_for(&format!("/gazette/{story}"), "the new base path", |r| {
        r.status == 200
    });
    assert!(
        page.body.contains("href=\"/gazette/news/"),
        "links carry the new base path"
    );
    assert_eq!(server.get(&format!("/{story}")).status, 404);
}

#[test]
fn an_edited_shortcode_template_and_bundle_photo_show_live() {
    let (site, server) = started();
    site.write(
        "templates/shortcodes/callout.html",
        "<div class=\"callout\">first: {{ body }}</div>",
    );
    site.write(
        "content/news/us/flood-map/index.md",
        "---\nheadline: Mapping the flood\ndate: 2026-03-30T10:00:00-05:00\n---\n![map](map.svg)\n\n{% callout() %}Evacuate.{% end %}\n",
    );
    site.write("content/news/us/flood-map/map.svg", "<svg>first</svg>");
    let page = "/news/us/flood-map/";
    server.wait_for(page, "the bundle's page", |r| {
        r.status == 200 && r.body.contains("first: <p>Evacuate.</p>")
    });
    server.wait_for("/news/us/flood-map/map.svg", "the bundle's photo", |r| {
        r.status == 200 && r.body == "<svg>first</svg>"
    });
    site.write(
        "templates/shortcodes/callout.html",
        "<div class=\"callout\">second: {{ body }}</div>",
    );
    server.wait_for(page, "the edited shortcode template", |r| {
        r.body.contains("second: <p>Evacuate.</p>")
    });
    site.write("content/news/us/flood-map/map.svg", "<svg>second</svg>");
    server.wait_for("/news/us/flood-map/map.svg", "the edited photo", |r| {
        r.body == "<svg>second</svg>"
    });
    // A photo added to the bundle is served too.
    site.write("content/news/us/flood-map/new.svg", "<svg>new</svg>");
    server.wait_for("/news/us/flood-map/new.svg", "the new photo", |r| {
        r.status == 200 && r.body == "<svg>new</svg>"
    });
}

#[test]
fn a_shortcode_template_added_while_serving_mends_the_articles_that_call_it() {
    let (site, server) = started();
    site.write(
        "content/news/us/badge-story.md",
        "---\nheadline: Badge story\ndate: 2026-03-30T10:00:00-05:00\n---\nText {{ badge(label=\"Live\") }}.\n",
    );
    server.wait_for("/news/us/badge-story/", "the error shown", |r| {
        r.body.contains("unknown shortcode `badge`")
    });
    site.write(
        "templates/shortcodes/badge.html",
        "<span class=\"badge\">{{ label }}</span>",
    );
    server.wait_for("/news/us/badge-story/", "the shortcode drawn", |r| {
        r.status == 200 && r.body.contains("<span class=\"badge\">Live</span>")
    });
}

#[test]
fn an_edited_fronts_file_recurates_the_home_page() {
    let (site, server) = started();
    let first = card_headlines(&server.get("/").html())[0].clone();
    assert_ne!(first, "Story 20: Freight Rates");
    site.write("fronts.yaml", "home:\n  lead: business/freight-rates\nbreaking:\n  text: Freight rates climb\n  url: business/freight-rates\n");
    let home = server.wait_for("/", "the pick in the lead", |r| {
        card_headlines(&r.html()).first().map(String::as_str) == Some("Story 20: Freight Rates")
    });
    assert!(home.body.contains("Freight rates climb"), "the banner too");
}

#[test]
fn a_new_live_update_shows_at_the_top_of_the_live_blog() {
    let (site, server) = started();
    let live = "---\nheadline: Harbor storm live\ndate: 2026-03-30T06:00:00-05:00\nkind: live\n---\nSummary.\n\n## 07:00 Winds rise\n\nFirst.\n";
    site.write("content/news/us/harbor-live.md", live);
    server.wait_for("/news/us/harbor-live/", "the live blog", |r| {
        r.status == 200 && r.body.contains("Winds rise")
    });
    site.write(
        "content/news/us/harbor-live.md",
        format!("{live}\n## 09:30 Harbor closes\n\nSecond.\n"),
    );
    let page = server.wait_for("/news/us/harbor-live/", "the new update", |r| {
        r.body.contains("Harbor closes")
    });
    let titles = common::texts(&page.html(), ".live-update__title");
    assert!(
        titles[0].ends_with("Harbor closes"),
        "newest first: {titles:?}"
    );
}
