use super::*;
use chrono_tz::Tz;

fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
    parse_article(
        Path::new("content/news/us/seawall-vote.md"),
        "news/us/seawall-vote.md",
        text,
        Tz::UTC,
    )
}

fn one_error(text: &str) -> Diagnostic {
    let mut errors = parse(text).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.remove(0)
}

#[test]
fn minimal_article_takes_section_and_slug_from_its_path() {
    let a = parse("---\nheadline: Seawall vote\ndate: 2026-11-24\n---\nBody.\n").unwrap();
    assert_eq!(a.headline, "Seawall vote");
    assert_eq!(a.section, "news/us");
    assert_eq!(a.slug, "seawall-vote");
    assert_eq!(a.kind, "news");
    assert_eq!(a.body, Body::Html("<p>Body.</p>\n".to_string()));
    assert_eq!(a.body_line, 5);
    assert!(!a.draft);
}

#[test]
fn every_field_is_read() {
    let text = r#"---
headline: "Typhoon: ports reopen"
dek: Ships return.
date: 2026-11-24T08:30:00+09:00
updated: 2026-11-25T10:00:00+09:00
section: news/world/asia
kind: Analysis
tags: [Asia, Trade]
authors: [Mina Cho]
summary:
  - One.
  - Two.
image:
  src: /images/port.svg
  alt: Cranes at dawn
  caption: Cranes resume work.
  credit: Lee / Ledger
related:
  - news/us/other
  - title: Report
    url: https://example.org/r
slug: typhoon-ports
draft: true
---
"#;
    let a = parse(text).unwrap();
    assert_eq!(a.headline, "Typhoon: ports reopen");
    assert_eq!(a.section, "news/world/asia");
    assert_eq!(a.slug, "typhoon-ports");
    assert_eq!(a.kind, "analysis");
    assert_eq!(a.tags, ["Asia", "Trade"]);
    assert_eq!(a.summary.len(), 2);
    assert_eq!(
        a.image.as_ref().unwrap().credit.as_deref(),
        Some("Lee / Ledger")
    );
    assert_eq!(
        a.related[0],
        Related {
            target: RelatedTarget::Article("news/us/other".into()),
            line: 19
        }
    );
    assert!(
        matches!(&a.related[1].target, RelatedTarget::External { url, .. } if url == "https://example.org/r")
    );
    assert_eq!(a.related[1].line, 21);
    assert!(a.updated.is_some());
    assert!(a.draft);
}

#[test]
fn unknown_key_suggests_the_closest_on_its_line() {
    let d = one_error("---\nhedline: x\ndate: 2026-01-01\n---\n");
    assert_eq!(d.line, Some(2));
    assert!(
        d.message.contains("unknown front-matter key `hedline`"),
        "{}",
        d.message
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `headline`?"));
}

#[test]
fn malformed_yaml_points_at_the_file_line() {
    let d = one_error("---\nheadline: x\ndate: 2026-01-01\ntags: [a, b\n---\n");
    assert!(d.line.unwrap() >= 4, "{d}");
    assert!(d.message.starts_with("invalid front matter"), "{d}");
    assert!(
        !d.message.contains("at line"),
        "YAML-relative positions are dropped: {d}"
    );
}

#[test]
fn missing_or_wrong_headline() {
    let d = one_error("---\ndate: 2026-01-01\n---\n");
    assert!(d.message.contains("missing required key `headline`"));
    let d = one_error("---\ndate: 2026-01-01\nheadline: [a, b]\n---\n");
    assert_eq!(d.line, Some(3));
    assert!(
        d.message
            .contains("headline must be a string, found a list"),
        "{d}"
    );
    let d = one_error("---\ndate: 2026-01-01\nheadline: 42\n---\n");
    assert!(d.message.contains("found a number"), "{d}");
}

#[test]
fn missing_or_impossible_date() {
    let d = one_error("---\nheadline: x\n---\n");
    assert!(d.message.contains("missing required key `date`"));
    let d = one_error("---\nheadline: x\n\ndate: 2019-02-30\n---\n");
    assert_eq!(d.line, Some(4));
    assert!(d.message.contains("2019-02-30"), "{d}");
}

#[test]
fn wrong_types_name_the_field() {
    let d = one_error("---\nheadline: x\ndate: 2026-01-01\ntags: {a: 1}\n---\n");
    assert_eq!(d.line, Some(4));
    assert!(d.message.contains("tags"), "{d}");
}

#[test]
fn slugs_and_sections_cannot_escape_the_output() {
    for (key, value) in [
        ("slug", "../../x"),
        ("section", "../../etc"),
        ("section", "/abs"),
        ("slug", "a/b"),
    ] {
        let d = one_error(&format!(
            "---\nheadline: x\ndate: 2026-01-01\n{key}: \"{value}\"\n---\n"
        ));
        assert_eq!(d.line, Some(4), "{d}");
        assert!(d.message.contains(key), "{d}");
    }
}

#[test]
fn a_bad_file_name_suggests_a_slug() {
    let e = parse_article(
        Path::new("content/news/My Story.md"),
        "news/My Story.md",
        "---\nheadline: x\ndate: 2026-01-01\n---\n",
        Tz::UTC,
    )
    .unwrap_err();
    assert!(
        e[0].hint.as_deref().unwrap().contains("my-story"),
        "{:?}",
        e[0]
    );
}

#[test]
fn unsafe_related_urls_are_refused() {
    let d = one_error("---\nheadline: x\ndate: 2026-01-01\nrelated:\n  - title: t\n    url: javascript:alert(1)\n---\n");
    assert_eq!(d.line, Some(6));
}

#[test]
fn all_errors_of_a_file_are_reported_together() {
    let errors = parse("---\nheadline: 3\ndate: 2026-02-30\nslug: A B\n---\n").unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn script_urls_are_refused_as_image_sources() {
    for src in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "",
    ] {
        let d = one_error(&format!(
            "---\nheadline: x\ndate: 2026-01-01\nimage:\n  src: \"{src}\"\n---\n"
        ));
        assert_eq!(d.line, Some(4), "{src}: {d}");
    }
    for src in ["/images/a.jpg", "images/a.jpg", "https://cdn.example/a.jpg"] {
        assert!(
            parse(&format!(
                "---\nheadline: x\ndate: 2026-01-01\nimage:\n  src: \"{src}\"\n---\n"
            ))
            .is_ok(),
            "{src}"
        );
    }
}

#[test]
fn emoji_only_tags_get_a_deterministic_slug() {
    let a = parse("---\nheadline: x\ndate: 2026-01-01\ntags:\n  - Politics\n  - \"🎉\"\n---\n")
        .unwrap();
    assert_eq!(a.tag_slugs, ["politics", "tada"]);
}
