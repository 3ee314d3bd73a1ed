//! Site search: the Pagefind index a build writes holds every published
//! article and nothing held back, the masthead form and OpenSearch
//! description point at the search page, `search = false` writes none of
//! it, and `serve` keeps its index current.

mod common;

use std::collections::BTreeMap;
use std::io::Read;

use common::{attrs, SiteTest};

const SITE: &str =
    "title = \"Search Test\"\nbase_url = \"https://search.example.com/\"\ntimezone = \"UTC\"\n\n[sections]\n\"news/us\" = \"U.S.\"\n";

fn article(headline: &str, front: &str, body: &str) -> String {
    format!(
        "---\nheadline: \"{headline}\"\ndate: 2026-03-02T10:00:00Z\nsection: news/us\n{front}---\n{body}\n"
    )
}

fn site(config: &str) -> SiteTest {
    SiteTest::from_files(&[
        ("site.toml", config),
        (
            "content/news/us/ferry.md",
            &article(
                "Ferry fares rise",
                "dek: \"Riders pay more\"\ntags: [Transport]\nauthors: [Ada Byline]\n",
                "The harbor authority voted for the *quinquennial* increase.",
            ),
        ),
        (
            "content/news/us/seawall.md",
            &article("Seawall approved", "tags: [Climate]\n", "Council backs the wall."),
        ),
        (
            "content/sports/gulls.md",
            "---\nheadline: \"Gulls win\"\ndate: 2025-06-01T10:00:00Z\nsection: sports\n---\nA late goal.\n",
        ),
        (
            "content/news/us/draft.md",
            &article("Secret draft", "draft: true\n", "Unpublished zanzibarite text."),
        ),
        (
            "content/news/us/embargoed.md",
            &article(
                "Embargoed report",
                "embargo: 2099-01-01T00:00:00Z\n",
                "Embargoed xylophonist text.",
            ),
        ),
    ])
}

/// Every record of the index: Pagefind's fragments, gzipped JSON after a
/// `pagefind_dcd` signature.
fn fragments(site: &SiteTest) -> BTreeMap<String, serde_json::Value> {
    let dir = site.public().join("pagefind/fragment");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("fragment folder") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut text)
            .unwrap();
        let json = text.strip_prefix(b"pagefind_dcd").expect("signature");
        let value: serde_json::Value = serde_json::from_slice(json).unwrap();
        out.insert(value["url"].as_str().unwrap().to_string(), value);
    }
    out
}

#[test]
fn the_index_holds_every_published_article_and_nothing_held_back() {
    let site = site(SITE);
    site.build_ok();
    let records = fragments(&site);
    let urls: Vec<&str> = records.keys().map(String::as_str).collect();
    assert_eq!(
        urls,
        ["/news/us/ferry/", "/news/us/seawall/", "/sports/gulls/"]
    );
    let ferry = &records["/news/us/ferry/"];
    let content = ferry["content"].as_str().unwrap();
    for words in [
        "Ferry fares rise",
        "Riders pay more",
        "quinquennial",
        "Ada Byline",
    ] {
        assert!(content.contains(words), "{words} not indexed: {content}");
    }
    assert_eq!(ferry["meta"]["title"], "Ferry fares rise");
    assert_eq!(ferry["meta"]["dek"], "Riders pay more");
    assert_eq!(ferry["meta"]["section"], "U.S.");
    assert_eq!(ferry["filters"]["tag"], serde_json::json!(["Transport"]));
    assert_eq!(
        ferry["filters"]["author"],
        serde_json::json!(["Ada Byline"])
    );
    assert_eq!(ferry["filters"]["year"], serde_json::json!(["2026"]));
    assert_eq!(
        records["/sports/gulls/"]["filters"]["year"],
        serde_json::json!(["2025"])
    );
    // Nothing held back reaches any file of the index.
    for (rel, bytes) in site.snapshot() {
        if let Some(rest) = rel.strip_prefix("pagefind/") {
            let mut text = Vec::new();
            let plain = match flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut text) {
                Ok(_) => text,
                Err(_) => bytes.clone(),
            };
            for secret in [&b"zanzibarite"[..], b"xylophonist", b"Secret draft"] {
                assert!(!plain.windows(secret.len()).any(|w| w == secret), "{rest}");
            }
        }
    }
    assert!(site.public().join("pagefind/pagefind.js").exists());
}

#[test]
fn every_page_links_the_search_page_and_opensearch() {
    let site = site(SITE);
    site.build_ok();
    let page = site.page("news/us/ferry/");
    assert_eq!(attrs(&page, "form[role=search]", "action"), ["/search/"]);
    assert_eq!(
        attrs(&page, "form[role=search] input[type=search]", "name"),
        ["q"]
    );
    assert_eq!(
        attrs(&page, "link[rel=search]", "href"),
        ["/opensearch.xml"]
    );
    let search = site.page("search/");
    assert_eq!(
        attrs(&search, ".search-form", "data-bundle"),
        ["/pagefind/"]
    );
    assert_eq!(
        attrs(&search, "script[type=module]", "src"),
        ["/js/search.js"]
    );
    assert!(site.public().join("js/search.js").exists());

    let xml = site.read("opensearch.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let url = doc
        .descendants()
        .find(|n| n.has_tag_name("Url"))
        .expect("Url element");
    assert_eq!(
        url.attribute("template"),
        Some("https://search.example.com/search/?q={searchTerms}")
    );
    // Neither belongs in the sitemap.
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("/search/"));
}

#[test]
fn search_off_writes_no_index_no_page_and_no_form() {
    let site = site(&format!("search = false\n{SITE}"));
    site.build_ok();
    assert!(!site.public().join("pagefind").exists());
    assert!(!site.public().join("search").exists());
    assert!(!site.public().join("opensearch.xml").exists());
    let page = site.page("news/us/ferry/");
    assert!(attrs(&page, "form[role=search]", "action").is_empty());
    assert!(attrs(&page, "link[rel=search]", "href").is_empty());
}

fn index_files(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    site.snapshot()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("pagefind/"))
        .collect()
}

#[test]
fn the_index_is_the_same_bytes_build_after_build() {
    let site = site(SITE);
    site.build_ok();
    let first = index_files(&site);
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build_ok();
    let second = index_files(&site);
    assert!(first.len() > 5);
    assert_eq!(first, second);
}

#[test]
fn serve_keeps_its_index_current() {
    let site = site(SITE);
    let server = common::server::Server::start(&site, &[]);
    let count = |server: &common::server::Server| -> u64 {
        let entry = server.get("/pagefind/pagefind-entry.json");
        assert_eq!(entry.status, 200);
        let json: serde_json::Value = serde_json::from_str(&entry.body).unwrap();
        json["languages"]["en"]["page_count"].as_u64().unwrap()
    };
    assert_eq!(count(&server), 3);
    assert_eq!(server.get("/pagefind/pagefind.js").status, 200);
    site.write(
        "content/news/us/new.md",
        article("A new story", "", "Fresh words."),
    );
    server.wait_for("/news/us/new/", "the new story", |r| r.status == 200);
    assert_eq!(count(&server), 4);
}
