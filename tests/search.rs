//! Site search: the index a build writes holds every published
//! article and nothing held back, the masthead form and OpenSearch
//! description point at the search page, `search = false` writes none of
//! it, and `serve` keeps its index current.

mod common;

use std::collections::BTreeMap;

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

fn json(site: &SiteTest, rel: &str) -> serde_json::Value {
    let bytes = std::fs::read(site.public().join("search-index").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_slice(&bytes).unwrap()
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Every document of the index, in its order, from its result chunks.
fn documents(site: &SiteTest) -> Vec<serde_json::Value> {
    let meta = json(site, "index.json");
    let (n, chunk) = (
        meta["docs"].as_u64().unwrap(),
        meta["chunk"].as_u64().unwrap(),
    );
    (0..n.div_ceil(chunk))
        .flat_map(|k| {
            json(site, &format!("d/{k}.json"))
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}

/// The documents (by URL) a term's postings name.
fn holding(site: &SiteTest, term: &str) -> Vec<String> {
    let docs = documents(site);
    // As the script does: the longest listed shard that begins the term.
    let meta = json(site, "index.json");
    let shards: Vec<&str> = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    let Some(key) = shards
        .iter()
        .filter(|k| hex(term).starts_with(*k))
        .max_by_key(|k| k.len())
    else {
        return Vec::new();
    };
    let shard = json(site, &format!("t/{key}.json"));
    let list = shard[term].as_array().cloned().unwrap_or_default();
    // Postings hold each document as the gap from the previous one.
    let mut doc = 0;
    list.chunks(2)
        .map(|p| {
            doc += p[0].as_u64().unwrap() as usize;
            docs[doc]["url"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn the_index_holds_every_published_article_and_nothing_held_back() {
    let site = site(SITE);
    site.build_ok();
    let docs = documents(&site);
    let urls: Vec<&str> = docs.iter().map(|d| d["url"].as_str().unwrap()).collect();
    // Oldest first: the script reads them downwards for newest first.
    assert_eq!(
        urls,
        ["/sports/gulls/", "/news/us/seawall/", "/news/us/ferry/"]
    );
    let ferry = &docs[2];
    assert_eq!(ferry["title"], "Ferry fares rise");
    assert_eq!(ferry["dek"], "Riders pay more");
    assert_eq!(ferry["section"], "U.S.");
    assert_eq!(ferry["section_url"], "/news/us/");
    // Headline, dek, body and byline words all find it.
    for term in ["ferry", "riders", "quinquennial", "byline"] {
        assert_eq!(holding(&site, term), ["/news/us/ferry/"], "{term}");
    }
    let mut council = holding(&site, "council");
    council.sort();
    assert_eq!(council, ["/news/us/seawall/"]);
    // Filters: values with counts, and the documents of each.
    let counts = json(&site, "f.json");
    assert_eq!(
        counts["tag"],
        serde_json::json!([["Climate", 1], ["Transport", 1]])
    );
    assert_eq!(
        counts["year"],
        serde_json::json!([["2025", 1], ["2026", 2]])
    );
    assert_eq!(
        json(&site, &format!("f/author/{}.json", hex("Ada Byline"))),
        serde_json::json!([2])
    );
    assert_eq!(
        json(&site, &format!("f/section/{}.json", hex("Sports"))),
        serde_json::json!([0])
    );
    // Nothing held back reaches any file of the index.
    for (rel, bytes) in site.snapshot() {
        if rel.starts_with("search-index/") {
            let text = String::from_utf8(bytes).unwrap().to_lowercase();
            for secret in ["zanzibarite", "xylophonist", "secret draft", "embargoed"] {
                assert!(!text.contains(secret), "{rel} holds {secret}");
            }
        }
    }
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
        ["/search-index/"]
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
    assert!(!site.public().join("search-index").exists());
    assert!(!site.public().join("search").exists());
    assert!(!site.public().join("opensearch.xml").exists());
    let page = site.page("news/us/ferry/");
    assert!(attrs(&page, "form[role=search]", "action").is_empty());
    assert!(attrs(&page, "link[rel=search]", "href").is_empty());
}

fn index_files(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    site.snapshot()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("search-index/"))
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
        let entry = server.get("/search-index/index.json");
        assert_eq!(entry.status, 200);
        let json: serde_json::Value = serde_json::from_str(&entry.body).unwrap();
        json["docs"].as_u64().unwrap()
    };
    assert_eq!(count(&server), 3);
    assert_eq!(server.get("/search-index/f.json").status, 200);
    site.write(
        "content/news/us/new.md",
        article("A new story", "", "Fresh words."),
    );
    server.wait_for("/news/us/new/", "the new story", |r| r.status == 200);
    assert_eq!(count(&server), 4);
}

#[test]
fn nothing_else_may_write_into_the_index_folder() {
    let site = site(SITE);
    site.build_ok();
    let before = site.snapshot();
    site.write("static/search-index/index.json", "{}");
    site.write(
        "content/search-index/story.md",
        "---\nheadline: \"In the way\"\ndate: 2026-03-01\n---\nText.\n",
    );
    let err = site.build().expect_err("clashes with the index");
    let messages: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("static/search-index/index.json") && m.contains("search index")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("content/search-index/story.md")),
        "{messages:?}"
    );
    assert_eq!(site.snapshot(), before, "the previous site is intact");
}
