//! End-to-end tests of the authoring commands in fresh temporary folders:
//! init, new, check, list, completions, and how diagnostics read.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{texts, SiteTest};

fn dateline(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("run dateline")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_then_new_then_build_works() {
    let tmp = tempfile::tempdir().unwrap();
    let out = dateline(tmp.path(), &["init", "paper"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = tmp.path().join("paper");
    for file in [
        "site.toml",
        "content/news/welcome.md",
        "templates/README.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let out = dateline(
        &site,
        &[
            "new",
            "Café Society Returns",
            "--section",
            "culture",
            "--tags",
            "Arts,Food",
            "--kind",
            "review",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "content/culture/cafe-society-returns.md"
    );
    let out = dateline(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.join("public/culture/cafe-society-returns/index.html"))
        .unwrap();
    let html = scraper::Html::parse_document(&page);
    assert_eq!(texts(&html, "h1"), ["Café Society Returns"]);
    assert_eq!(texts(&html, ".story .kind"), ["Review"]);
    assert!(site.join("public/tags/food/index.html").is_file());
    let welcome = std::fs::read_to_string(site.join("public/news/welcome/index.html")).unwrap();
    assert!(welcome.contains("Welcome to your newsroom"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = dateline(tmp.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert!(!tmp.path().join("site.toml").exists());
    let out = dateline(tmp.path(), &["init", ".", "--force"]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_never_overwrites() {
    let site = SiteTest::new("newsroom");
    let out = site.run(&["new", "Harbor dredging", "--section", "news/us"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "harbor-dredging.md exists: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("never overwrites"),
        "{}",
        stderr(&out)
    );
    let text =
        std::fs::read_to_string(site.root.join("content/news/us/harbor-dredging.md")).unwrap();
    assert!(
        text.contains("Story 01: Harbor Dredging"),
        "the existing article is untouched"
    );
}

#[test]
fn check_finds_each_problem_with_its_line_and_writes_nothing() {
    let site = SiteTest::new("newsroom");
    let long = "A".repeat(40) + " " + &"very long headline words ".repeat(4);
    site.write(
        "content/business/problems.md",
        format!(
            "---\nheadline: \"{long}\"\ndate: 2026-03-30\nimage:\n  src: /images/missing.jpg\n---\nIntro.\n\nSee [the port](/business/no-such-page/) and [bonds](/business/port-bonds/).\n"
        ),
    );
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lead image `/images/missing.jpg` does not exist")
            && err.contains("content/business/problems.md:4:"),
        "{err}"
    );
    assert!(
        err.contains("link to `/business/no-such-page/` points to no page or file")
            && err.contains("content/business/problems.md:9:"),
        "{err}"
    );
    assert!(
        !err.contains("/business/port-bonds/` points"),
        "a real page is fine: {err}"
    );
    assert!(
        err.contains("warning: headline is 140 characters long")
            && err.contains("content/business/problems.md:2:"),
        "{err}"
    );
    assert!(err.contains("warning: lead image has no alt text"), "{err}");
    assert!(err.contains("warning: lead image has no credit"), "{err}");
    assert!(
        err.contains("1 file have problems (2 errors, 3 warnings)")
            || err.contains("(2 errors, 3 warnings)"),
        "{err}"
    );
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn check_passes_clean_sites_and_strict_fails_on_warnings() {
    let site = SiteTest::new("newsroom");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("No problems found"));
    site.write("content/business/no-alt.md", "---\nheadline: Picture\ndate: 2026-03-30\nimage:\n  src: /images/chips.svg\n  credit: Staff\n---\nText.\n");
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "warnings alone pass: {}",
        stderr(&out)
    );
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/business/no-alt.md:4:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_reports_build_errors_too() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/bad.md",
        "---\nheadline: x\ndate: 2026-02-30\n---\n",
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/business/bad.md:3:"),
        "{}",
        stderr(&out)
    );
    assert!(!site.public().exists());
}

#[test]
fn list_shows_each_status() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/later.md",
        "---\nheadline: Results next century\ndate: 2099-01-01\n---\nLater.\n",
    );
    let out = site.run(&["list", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} missing:\n{text}"))
            .to_string()
    };
    assert!(text.lines().next().unwrap().starts_with("DATE"));
    assert!(row("Results next century").contains("embargoed"));
    assert!(row("SECRET DRAFT").contains("draft"));
    assert!(row("Story 01: Harbor Dredging").contains("published"));
    assert!(row("Story 01: Harbor Dredging").contains("content/news/us/harbor-dredging.md"));
    let plain = stdout(&site.run(&["list"]));
    assert!(!plain.contains("SECRET DRAFT") && !plain.contains("next century"));
    assert_eq!(plain.lines().count(), 1 + 26);
}

#[test]
fn no_colour_codes_when_output_is_not_a_terminal() {
    let site = SiteTest::new("newsroom");
    site.write(
        "content/business/bad.md",
        "---\nhedline: x\ndate: 2026-02-03\n---\n",
    );
    for args in [&["build"][..], &["check"][..]] {
        let out = site.run(args);
        assert!(
            !out.stderr.contains(&0x1b),
            "ANSI escape in {args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("did you mean `headline`?"));
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = dateline(tmp.path(), &["completions", shell]);
        assert!(out.status.success());
        assert!(stdout(&out).contains("dateline"), "{shell}");
    }
}

#[test]
fn every_command_has_help_with_examples() {
    let tmp = tempfile::tempdir().unwrap();
    for command in [
        "build",
        "serve",
        "init",
        "new",
        "check",
        "list",
        "completions",
    ] {
        let out = dateline(tmp.path(), &[command, "--help"]);
        assert!(out.status.success());
        assert!(
            stdout(&out).contains("Examples:"),
            "{command} --help has no examples"
        );
    }
    let out = dateline(tmp.path(), &["--version"]);
    assert!(stdout(&out).starts_with("dateline "));
}

/// How the core build errors read, as a pipe or CI log shows them.
#[test]
fn diagnostics_read_like_rustc() {
    let cases: [(&str, &str, &[u8]); 8] = [
        ("unknown_key", "content/news/us/bad.md", b"---\nhedline: x\ndate: 2026-01-01\n---\n"),
        ("malformed_yaml", "content/news/us/bad.md", b"---\nheadline: x\ntags: [a, b\n---\n"),
        ("impossible_date", "content/news/us/bad.md", b"---\nheadline: x\ndate: 2019-02-30\n---\n"),
        ("missing_headline", "content/news/us/bad.md", b"---\ndate: 2026-01-01\n---\n"),
        ("unclosed", "content/news/us/bad.md", b"---\nheadline: x\ndate: 2026-01-01\n"),
        ("not_utf8", "content/news/us/bad.md", b"---\nheadline: Caf\xe9\ndate: 2026-01-01\n---\n"),
        ("missing_related", "content/news/us/bad.md", b"---\nheadline: x\ndate: 2026-01-01\nrelated:\n  - news/us/harbor-dredgin\n---\n"),
        ("template_syntax", "templates/tag.html", b"{% extends \"base.html\" %}\n{% block main %}\n{{ tag.name | }}\n{% endblock main %}\n"),
    ];
    for (name, file, bytes) in cases {
        let site = SiteTest::new("newsroom");
        site.write(file, bytes);
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        insta::assert_snapshot!(name, stderr(&out));
    }
}

/// A tiny loopback web server: `/ok` answers 200, `/get-only` refuses HEAD
/// but answers GET, anything else 404. Serves at most `limit` requests.
fn link_target_server(limit: usize) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(limit) {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = reader.read_line(&mut request);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut parts = request.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let status = match (method, path) {
                (_, "/ok") | ("GET", "/get-only") => "200 OK",
                ("HEAD", "/get-only") => "405 Method Not Allowed",
                _ => "404 Not Found",
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    addr
}

#[test]
fn check_external_flags_broken_links_as_warnings() {
    let site = SiteTest::new("newsroom");
    let addr = link_target_server(20);
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    site.write(
        "content/business/links.md",
        format!(
            "---\nheadline: Links\ndate: 2026-03-30\nrelated:\n  - title: Gone\n    url: http://{addr}/gone\n---\n\
             [fine](http://{addr}/ok), [picky](http://{addr}/get-only)\n\n[missing](http://{addr}/missing) and [nobody](http://127.0.0.1:{dead_port}/)\n"
        ),
    );
    let out = site.run(&["check", "--external"]);
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "broken external links are warnings: {err}"
    );
    assert!(
        err.contains(&format!(
            "external link `http://{addr}/gone` is broken: HTTP 404"
        )) && err.contains("content/business/links.md:6"),
        "{err}"
    );
    assert!(
        err.contains(&format!("external link `http://{addr}/missing` is broken"))
            && err.contains("content/business/links.md:10:"),
        "{err}"
    );
    assert!(
        err.contains(&format!("http://127.0.0.1:{dead_port}/` is broken")),
        "{err}"
    );
    assert!(
        !err.contains("/ok` is broken") && !err.contains("/get-only` is broken"),
        "{err}"
    );
    let strict = site.run(&["check", "--external", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}
