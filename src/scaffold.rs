//! `dateline init` and `dateline new`: files a writer starts from.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::error::{io_diag, Diagnostic};
use crate::urls::{check_section, slugify};

/// site.toml for a new site: every key, commented, with its default.
pub const SITE_TOML: &str = r#"# Dateline site configuration. Every key is optional; defaults are shown.

# The site's name, shown in the masthead, page titles and feeds.
title = "My Newsroom"

# What the site is, for meta descriptions and feed subtitles.
# description = "Local news, every day."

# The absolute URL the site is published at. Its path (say /news/) prefixes
# every link, so the site can live below a domain's root.
base_url = "https://news.example.com/"

# Language of the pages (<html lang>) and feeds.
language = "en"

# Time zone (IANA name) for dates written without an offset, for displayed
# times and for the date archives.
timezone = "UTC"

# Articles per list page (home, sections, tags, authors, archives).
paginate = 20

# Article URLs. Tokens: :section, :year, :month, :day, :slug.
# permalink = "/:section/:slug/"
# A pattern may end in .html; per-section patterns: [permalinks] below.

# Entries per Atom feed, and related stories per article.
# feed_limit = 20
# related_limit = 5

# Publisher logo for structured data (a site path or a URL).
# logo = "/images/logo.png"

# URLs per sitemap file before it is split under an index (at most 50,000).
# sitemap_limit = 50000

# Raw HTML in article bodies is trusted. Set true to strip scripts, event
# handlers and javascript: links from it (for contributors you do not know).
# safe_html = false

# Minify every HTML page (smaller files, same text; see docs/deploy.md).
# minify = false

# Write precompressed siblings (page.html.gz, page.html.br) of every text
# file, for hosts that serve them as they are (nginx gzip_static).
# compress = ["gzip", "br"]

# A search page, its index and a search form in the masthead (docs/search.md).
# search = true

# Local photos (JPEG, PNG, WebP) are published as derivatives at these
# widths, in WebP and their own format, without EXIF or GPS data.
# [images]
# widths = [480, 800, 1200, 1600, 2400]
# quality = 80
# webp = true
# originals = false

# A theme folder under themes/. Leave it out to use the built-in theme.
# theme = "broadsheet"

# Section display names, in navigation order. Sections not listed are named
# after their folder.
[sections]
"news" = "News"
"opinion" = "Opinion"

# URL patterns for some sections; the nearest section wins (docs/urls.md).
# [permalinks]
# "opinion" = "/:year/:month/:day/:slug.html"
"#;

/// An example article that uses every front-matter field.
pub const EXAMPLE_ARTICLE: &str = r#"---
headline: "Welcome to your newsroom"
dek: "This example article uses every front-matter field Dateline knows."
date: 2026-01-15T09:00:00Z
updated: 2026-01-15T11:30:00Z
section: news
kind: news
# With `kind: live` the article is a live blog: each `## 14:32 Headline` of
# its body is an update, and the coverage ends at `live_until`.
# live_until: 2026-01-16T09:00:00Z
tags: [Getting Started, Dateline]
authors: [The Editors]
summary:
  - "Articles are markdown files under content/<section>/."
  - "Front matter between the --- lines holds the headline, date and the rest."
image:
  src: /images/welcome.svg
  alt: "A folded newspaper on a desk"
  caption: "Replace this picture with your own lead photo."
  credit: "The Editors"
related:
  - title: "Dateline's README"
    url: "https://example.com/dateline"
slug: welcome
draft: false
embargo: 2026-01-15T09:00:00Z
corrections:
  - date: 2026-01-15T11:30:00Z
    text: "An earlier version of this example had no correction."
aliases: [/2026/welcome/]
# A fixed URL instead of the permalink pattern's (docs/urls.md):
# path: /2026/01/15/welcome.html
---
Write the story here, in markdown: paragraphs, **bold**, *italics*, lists,
tables, footnotes[^1] and quotes.

> "Every article is a plain text file," said the editor.

Link to another article by its file: `[text](@/news/other-story.md)`.

[^1]: Footnotes work too.
"#;

const TEMPLATES_NOTE: &str = "# Overriding the theme\n\n\
A file here replaces the built-in theme's template of the same name: copy\n\
`article.html` from the theme (see docs/themes.md in Dateline's repository) and edit it. Files in\n\
`static/` are copied into the site as they are, over the theme's own.\n";

const WELCOME_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\" viewBox=\"0 0 1200 675\">\
<title>A folded newspaper</title><rect width=\"1200\" height=\"675\" fill=\"#e9e4da\"/>\
<rect x=\"330\" y=\"160\" width=\"540\" height=\"360\" fill=\"#fbfaf7\" stroke=\"#8a8578\" stroke-width=\"6\"/>\
<rect x=\"380\" y=\"210\" width=\"440\" height=\"40\" fill=\"#3b3a36\"/>\
<rect x=\"380\" y=\"280\" width=\"200\" height=\"190\" fill=\"#b9b2a3\"/>\
<rect x=\"610\" y=\"280\" width=\"210\" height=\"14\" fill=\"#8a8578\"/><rect x=\"610\" y=\"314\" width=\"210\" height=\"14\" fill=\"#8a8578\"/>\
<rect x=\"610\" y=\"348\" width=\"180\" height=\"14\" fill=\"#8a8578\"/></svg>\n";

/// Creates a new site in `dir`; refuses a non-empty folder unless `force`.
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let non_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !force {
        return Err(
            Diagnostic::in_file(dir, "the folder is not empty").with_hint(
                "pick an empty or new folder, or pass --force to add the site's files to it",
            ),
        );
    }
    let files: [(&str, &str); 5] = [
        ("site.toml", SITE_TOML),
        ("content/news/welcome.md", EXAMPLE_ARTICLE),
        ("templates/README.md", TEMPLATES_NOTE),
        ("static/images/welcome.svg", WELCOME_SVG),
        (".gitignore", "/public\n/.public.lock\n/.dateline-cache\n"),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if path.exists() {
            return Err(Diagnostic::in_file(
                &path,
                "already exists; init never overwrites a file",
            ));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_diag(parent, "create", &e))?;
        }
        std::fs::write(&path, text).map_err(|e| io_diag(&path, "write", &e))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// What `dateline new` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub headline: String,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub kind: Option<String>,
    pub draft: bool,
}

/// Writes `content/<section>/<slug>.md` for a new article, dated `now` in
/// the site's time zone. Never overwrites. Returns the path written.
pub fn new_article(
    config: &Config,
    spec: &NewArticle,
    now: DateTime<Utc>,
) -> Result<PathBuf, Diagnostic> {
    let headline = spec.headline.trim();
    let slug = slugify(headline);
    if slug.is_empty() {
        return Err(Diagnostic::new(format!(
            "the headline `{headline}` has no letters or digits to make a file name from"
        )));
    }
    let section = spec
        .section
        .clone()
        .or_else(|| config.sections.first().map(|(s, _)| s.clone()))
        .unwrap_or_else(|| "news".to_string());
    let section = section.trim_matches('/').to_string();
    check_section(&section).map_err(|why| Diagnostic::new(format!("section `{section}` {why}")))?;
    let date = now
        .with_timezone(&config.timezone)
        .format("%Y-%m-%dT%H:%M:%S%:z");
    let mut text = format!("---\nheadline: {}\ndate: {date}\n", yaml_scalar(&headline));
    if let Some(kind) = &spec.kind {
        text.push_str(&format!("kind: {}\n", yaml_scalar(&kind)));
    }
    text.push_str(&format!(
        "tags: {}\nauthors: []\ndek: \"\"\n",
        yaml_scalar(&spec.tags)
    ));
    if spec.draft {
        text.push_str("draft: true\n");
    }
    text.push_str("---\nWrite the story here.\n");
    let rel = Path::new(CONTENT_DIR)
        .join(&section)
        .join(format!("{slug}.md"));
    let path = config.root.join(&rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_diag(parent, "create", &e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::in_file(
                    &rel,
                    "already exists; `dateline new` never overwrites an article",
                )
                .with_hint("choose another headline, or edit the existing file")
            } else {
                io_diag(&rel, "create", &e)
            }
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| io_diag(&rel, "write", &e))?;
    Ok(rel)
}

/// JSON strings and arrays are valid YAML flow scalars, and serde_json
/// escapes them correctly: quotes, colons and `#` cannot break the YAML.
fn yaml_scalar<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_article_and_site_toml_parse() {
        let config = Config::parse(Path::new("/x"), SITE_TOML).unwrap();
        // Every key of site.toml is in the file, commented out or set.
        for key in crate::config::KNOWN_KEYS {
            assert!(
                SITE_TOML.contains(&format!("{key} =")) || SITE_TOML.contains(&format!("[{key}]")),
                "{key} missing"
            );
        }
        assert_eq!(config.title, "My Newsroom");
        let a = crate::content::parse_article(
            Path::new("content/news/welcome.md"),
            "news/welcome.md",
            EXAMPLE_ARTICLE,
            config.timezone,
        )
        .unwrap();
        assert_eq!(a.slug, "welcome");
        for key in crate::content::KNOWN_KEYS {
            // Keys that need another kind are shown, commented out.
            assert!(
                EXAMPLE_ARTICLE.contains(&format!("\n{key}:"))
                    || EXAMPLE_ARTICLE.contains(&format!("\n# {key}:")),
                "the example article lacks `{key}`"
            );
        }
        assert_eq!(a.corrections.len(), 1);
    }

    #[test]
    fn new_articles_are_named_from_the_headline_and_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::parse(dir.path(), "timezone = \"America/New_York\"").unwrap();
        let spec = NewArticle {
            headline: "Café Society: \"Returns\"".into(),
            section: Some("culture".into()),
            tags: vec!["Arts".into()],
            ..Default::default()
        };
        let now = DateTime::parse_from_rfc3339("2026-11-27T13:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let rel = new_article(&config, &spec, now).unwrap();
        assert_eq!(rel, Path::new("content/culture/cafe-society-returns.md"));
        let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        let a = crate::content::parse_article(
            &rel,
            "culture/cafe-society-returns.md",
            &text,
            config.timezone,
        )
        .unwrap();
        assert_eq!(a.headline, "Café Society: \"Returns\"");
        assert_eq!(a.date.to_rfc3339(), "2026-11-27T08:05:00-05:00");
        assert_eq!(a.tags, ["Arts"]);
        assert!(new_article(&config, &spec, now)
            .unwrap_err()
            .message
            .contains("never overwrites"));
    }
}
