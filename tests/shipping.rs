//! Shipping a site: `--json` for CI jobs, precompressed siblings, minified
//! pages, and the version a binary reports.

mod common;

use std::io::Read;

use common::SiteTest;
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: not one JSON object:\n{stdout}"))
}

/// The object with what differs from run to run (times, the temporary
/// folder) replaced, for the snapshot.
fn pinned(mut v: Value) -> String {
    v["elapsed_ms"] = Value::from(0);
    if v["output"].is_string() {
        v["output"] = Value::from("OUTPUT");
    }
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn build_json_is_one_object_with_counts_files_and_the_next_embargo() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/news/us/later.md",
        "---\nheadline: Embargoed\ndate: 2026-04-02T06:00:00-05:00\n---\nx\n",
    );
    let out = site.run(&["build", "--json", "--now", common::FIXED_NOW]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "nothing but JSON is printed");
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["held_back"]["embargoed"], 1);
    assert_eq!(v["held_back"]["next_due"], "2026-04-02T06:00:00-05:00");
    assert_eq!(
        v["output"].as_str().map(std::path::PathBuf::from),
        Some(site.public().canonicalize().unwrap())
    );
    let pages = &v["pages"];
    let sum: u64 = [
        "articles", "sections", "tags", "authors", "archives", "feeds", "other",
    ]
    .iter()
    .map(|k| pages[k].as_u64().unwrap())
    .sum();
    assert_eq!(pages["total"].as_u64(), Some(sum));
    insta::assert_snapshot!("build_json", pinned(v));
    // A second build changes nothing, and says so.
    let again = json(&site.run(&["build", "--json", "--now", common::FIXED_NOW]));
    assert_eq!(again["files"]["changed"], 0);
    assert!(again["files"]["unchanged"].as_u64().unwrap() > 0);
}

#[test]
fn build_json_lists_every_error_with_its_place_and_keeps_the_exit_code() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/news/us/broken.md",
        "---\nheadline: Broken\ndate: 2026-13-01\n---\n{{ figur() }}\n",
    );
    let out = site.run(&["build", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty());
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["exit_code"], 1);
    assert!(v["pages"].is_null() && v["output"].is_null());
    let errors = v["errors"].as_array().unwrap();
    assert!(!errors.is_empty());
    for e in errors {
        assert_eq!(e["file"], "content/news/us/broken.md", "{e}");
        assert!(e["line"].as_u64().is_some(), "{e}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
    }
    insta::assert_snapshot!("build_json_errors", pinned(v));
}

#[test]
fn check_json_reports_warnings_and_errors_apart() {
    let site = SiteTest::new("newsroom");
    let out = site.run(&["check", "--json", "--strict"]);
    let v = json(&out);
    assert_eq!(v["command"], "check");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(
        v["ok"],
        warnings.is_empty() && v["errors"].as_array().unwrap().is_empty()
    );
    assert_eq!(out.status.code(), Some(if v["ok"] == true { 0 } else { 1 }));
    assert_eq!(v["exit_code"].as_u64(), out.status.code().map(|c| c as u64));
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn compressed_siblings_match_their_files_and_follow_every_rebuild() {
    let site = SiteTest::new("newsroom");
    let toml = site.root.join("site.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("compress = [\"gzip\", \"br\"]\n{config}")).unwrap();
    site.build_ok();
    let files = site.snapshot();
    let mut text_files = 0;
    for (rel, bytes) in &files {
        let text = dateline::output::is_text(rel);
        let (gz, br) = (
            files.get(&format!("{rel}.gz")),
            files.get(&format!("{rel}.br")),
        );
        if text {
            text_files += 1;
            assert_eq!(&gunzip(gz.expect(rel)), bytes, "{rel}.gz");
            assert_eq!(&unbrotli(br.expect(rel)), bytes, "{rel}.br");
        } else if !rel.ends_with(".gz") && !rel.ends_with(".br") {
            assert!(gz.is_none() && br.is_none(), "{rel} is not text");
        }
    }
    assert!(text_files > 50, "{text_files}");
    // A no-change rebuild recompresses nothing: every sibling keeps its time.
    let sibling = site.public().join("index.html.br");
    let time = std::fs::metadata(&sibling).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = site.build_ok();
    assert_eq!(report.files.changed, 0);
    assert_eq!(
        std::fs::metadata(&sibling).unwrap().modified().unwrap(),
        time
    );
    // An edit recompresses that page's siblings; a removed page takes its
    // siblings with it.
    let article = site.root.join("content/news/us/harbor-dredging.md");
    let mut text = std::fs::read_to_string(&article).unwrap();
    text.push_str("\nA new closing sentence.\n");
    std::fs::write(&article, text).unwrap();
    site.remove("content/business/port-bonds.md");
    site.build_ok();
    let page = site.read("news/us/harbor-dredging/index.html");
    let gz = std::fs::read(site.public().join("news/us/harbor-dredging/index.html.gz")).unwrap();
    assert_eq!(gunzip(&gz), page.as_bytes());
    assert!(page.contains("A new closing sentence."));
    for gone in ["index.html", "index.html.gz", "index.html.br"] {
        assert!(
            !site
                .public()
                .join("business/port-bonds")
                .join(gone)
                .exists(),
            "{gone}"
        );
    }
    // Deleting a sibling by hand is mended by the next build.
    std::fs::remove_file(&sibling).unwrap();
    site.build_ok();
    assert!(sibling.is_file());
}

#[test]
fn an_unknown_compression_is_an_error_naming_site_toml() {
    let site = SiteTest::new("newsroom");
    let toml = site.root.join("site.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("compress = [\"zstd\"]\n{config}")).unwrap();
    let d = site.build_error("site.toml");
    assert_eq!(d.line, Some(1));
    assert!(d.message.contains("zstd"), "{d}");
}

#[test]
fn the_version_names_the_git_revision_when_built_from_git() {
    let site = SiteTest::new("newsroom");
    let out = site.run(&["--version"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!("dateline {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let in_git = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(rev) = in_git {
        let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
        assert!(text.contains(&format!("(git {rev} ")), "{text}");
    }
}

/// The visible text of a page, whitespace collapsed, and its JSON-LD.
fn text_and_data(html: &str) -> (String, Vec<Value>) {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").unwrap();
    let text = doc
        .select(&body)
        .flat_map(|b| b.text())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let ld = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let data = doc
        .select(&ld)
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).unwrap())
        .collect();
    (text, data)
}

#[test]
fn minified_pages_are_smaller_with_the_same_text_and_structured_data() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/news/us/with-code.md",
        "---\nheadline: With code\ndate: 2026-03-30\n---\nText.\n\n```python\ndef f():\n    return  1\n```\n\n    indented   code\n",
    );
    site.build_ok();
    let plain = site.snapshot();
    let toml = site.root.join("site.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("minify = true\n{config}")).unwrap();
    site.build_ok();
    let minified = site.snapshot();
    let (mut pages, mut before, mut after) = (0, 0, 0);
    for (rel, bytes) in &plain {
        if !rel.ends_with(".html") {
            continue;
        }
        let small = &minified[rel];
        let (a, b) = (
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(small),
        );
        assert_eq!(text_and_data(&a), text_and_data(&b), "{rel}");
        assert!(b.starts_with("<!DOCTYPE html>"), "{rel}");
        pages += 1;
        before += bytes.len();
        after += small.len();
    }
    assert!(pages > 50);
    assert!(after < before, "{after} >= {before}");
    // Code keeps every space and line.
    let pre = |bytes: &[u8]| -> Vec<String> {
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        let sel = scraper::Selector::parse("pre").unwrap();
        doc.select(&sel).map(|p| p.inner_html()).collect()
    };
    let page = "news/us/with-code/index.html";
    assert_eq!(pre(&plain[page]).len(), 2);
    assert_eq!(pre(&plain[page]), pre(&minified[page]));
}
