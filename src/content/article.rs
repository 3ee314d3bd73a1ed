//! One article: front matter checked and resolved into an [`Article`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_yaml::Value;

use super::dates::parse_date;
use super::split::split;
use crate::error::{closest, Diagnostic};
use crate::urls::{check_section, check_segment};

/// Every key an article's front matter may have.
pub const KNOWN_KEYS: &[&str] = &[
    "headline",
    "dek",
    "date",
    "section",
    "kind",
    "tags",
    "authors",
    "summary",
    "image",
    "related",
    "updated",
    "slug",
    "draft",
    "embargo",
    "corrections",
    "aliases",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    headline: Option<Value>,
    dek: Option<String>,
    date: Option<Value>,
    section: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    summary: Vec<String>,
    image: Option<RawImage>,
    #[serde(default)]
    related: Vec<Value>,
    updated: Option<Value>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    embargo: Option<Value>,
    #[serde(default)]
    corrections: Vec<RawCorrection>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    date: Value,
    text: String,
}

/// A published correction or clarification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: DateTime<FixedOffset>,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    src: String,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
}

/// A lead image with what a news page prints around it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Image {
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// What a `related` entry points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelatedTarget {
    /// Another article, by `slug` or `section/slug`; resolved by `site`.
    Article(String),
    /// A link off the site.
    External { title: String, url: String },
}

/// A `related` entry and the file line it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub target: RelatedTarget,
    pub line: usize,
}

/// A parsed, validated article; nothing after this stage reads its file.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to the site folder, for messages (`content/news/a.md`).
    pub source: PathBuf,
    /// Path relative to `content/`, the target of `@/` links (`news/a.md`).
    pub content_path: String,
    pub headline: String,
    pub dek: Option<String>,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Slash path such as `news/world/asia`.
    pub section: String,
    pub slug: String,
    /// `news`, `opinion`, `analysis`... lower-case; `news` when not given.
    pub kind: String,
    pub tags: Vec<String>,
    /// URL slug of each tag, same order as `tags`: computed here, in
    /// parallel, rather than once per list that shows the article.
    pub tag_slugs: Vec<String>,
    pub authors: Vec<String>,
    pub summary: Vec<String>,
    pub image: Option<Image>,
    pub related: Vec<Related>,
    pub draft: bool,
    /// Not published before this instant (nor before `date`).
    pub embargo: Option<DateTime<FixedOffset>>,
    /// Corrections, oldest first.
    pub corrections: Vec<Correction>,
    /// Old URL paths (`/2019/old-slug/`) that redirect here.
    pub aliases: Vec<String>,
    /// Words in the body.
    pub word_count: usize,
    /// The first paragraph as plain text, for lists and feeds.
    pub excerpt: String,
    /// File line of each top-level front-matter key, for later checks.
    pub key_lines: Vec<(String, usize)>,
    /// The markdown body.
    pub body: String,
    /// File line where the body starts, to place errors found in it.
    pub body_line: usize,
}

impl Article {
    /// File line of a front-matter key (the opening fence if absent).
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, l)| *l)
    }
}

/// Parses one article's text. `source` is relative to the site folder,
/// `content_path` relative to `content/`.
pub fn parse_article(
    source: &Path,
    content_path: &str,
    text: &str,
    tz: Tz,
) -> Result<Article, Vec<Diagnostic>> {
    let parts = split(text).map_err(|(line, msg, hint)| {
        vec![Diagnostic::at(source, line, None, msg).with_hint(hint)]
    })?;
    let lines = KeyLines::new(parts.yaml, parts.yaml_line);
    let raw = parse_yaml(source, parts.yaml, parts.yaml_line).map_err(|d| vec![d])?;

    let mut errors = Vec::new();
    let at = |key: &str, msg: String| Diagnostic::at(source, lines.line(key), None, msg);

    let headline = match raw.headline {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::String(_)) => {
            errors.push(at("headline", "headline is empty".into()));
            String::new()
        }
        Some(other) => {
            errors.push(at(
                "headline",
                format!("headline must be a string, found {}", describe(&other)),
            ));
            String::new()
        }
        None => {
            errors.push(
                Diagnostic::at(source, 1, None, "missing required key `headline`")
                    .with_hint("add `headline: \"...\"` to the front matter"),
            );
            String::new()
        }
    };
    let date = match &raw.date {
        None => {
            errors.push(
                Diagnostic::at(source, 1, None, "missing required key `date`")
                    .with_hint("add `date: 2026-11-24` or `date: 2026-11-24T08:30:00-05:00`"),
            );
            None
        }
        Some(v) => date_value("date", v, tz)
            .map_err(|m| errors.push(at("date", m)))
            .ok(),
    };
    let updated = match &raw.updated {
        None => None,
        Some(v) => date_value("updated", v, tz)
            .map_err(|m| errors.push(at("updated", m)))
            .ok(),
    };
    let embargo = match &raw.embargo {
        None => None,
        Some(v) => date_value("embargo", v, tz)
            .map_err(|m| errors.push(at("embargo", m)))
            .ok(),
    };
    let mut corrections = Vec::new();
    for c in &raw.corrections {
        match date_value("corrections: date", &c.date, tz) {
            Ok(date) => corrections.push(Correction {
                date,
                text: c.text.trim().to_string(),
            }),
            Err(m) => errors.push(at("corrections", m)),
        }
    }
    corrections.sort_by_key(|c| c.date);
    for alias in &raw.aliases {
        if let Err(why) = crate::urls::check_alias(alias) {
            errors.push(Diagnostic::at(
                source,
                lines.line_of_item("aliases", alias),
                None,
                format!("alias `{alias}` {why}"),
            ));
        }
    }

    let folder = folder_of(content_path);
    let section = match raw
        .section
        .as_deref()
        .map(|s| s.trim().trim_end_matches('/'))
    {
        Some(s) => s.to_string(),
        None if folder.is_empty() => {
            errors.push(at(
                "section",
                "an article directly in content/ needs a `section:`".into(),
            ));
            String::new()
        }
        None => folder.to_string(),
    };
    let section_given = raw.section.is_some() || !folder.is_empty();
    if section_given {
        // An empty section (`section: ""` or `"/"`) is refused here too:
        // it would put the article at the site root.
        if let Err(why) = check_section(&section) {
            let shown = raw.section.as_deref().unwrap_or(&section);
            errors.push(at("section", format!("section `{shown}` {why}")));
        }
    }
    let stem = content_path.rsplit('/').next().unwrap_or(content_path);
    let stem = stem.strip_suffix(".md").unwrap_or(stem);
    let slug = match &raw.slug {
        Some(s) => s.trim().to_string(),
        None => stem.to_lowercase(),
    };
    if let Err(why) = check_segment(&slug) {
        let suggestion = crate::urls::slugify(&slug);
        let d = match raw.slug {
            Some(_) => Diagnostic::at(
                source,
                lines.line("slug"),
                None,
                format!("slug `{slug}` {why}"),
            ),
            None => Diagnostic::at(
                source,
                1,
                None,
                format!("file name `{stem}.md` is not a valid slug: it {why}"),
            )
            .with_hint(format!(
                "rename the file to `{suggestion}.md` or set `slug: {suggestion}`"
            )),
        };
        errors.push(d);
    }
    let kind = raw
        .kind
        .map_or_else(|| "news".to_string(), |k| k.trim().to_lowercase());
    if let Err(why) = check_segment(&kind) {
        errors.push(at("kind", format!("kind `{kind}` {why}")));
    }
    let tags = clean_list(raw.tags);
    let tag_slugs: Vec<String> = tags.iter().map(|t| crate::urls::slugify(t)).collect();
    for (tag, slug) in tags.iter().zip(&tag_slugs) {
        if slug.is_empty() {
            let line = lines.line_of_item("tags", tag);
            errors.push(Diagnostic::at(
                source,
                line,
                None,
                format!("tag `{tag}` has no letters or digits to make a URL from"),
            ));
        }
    }
    let related = resolve_related(&raw.related, &lines, source, &mut errors);
    let image = raw.image.map(|i| Image {
        src: i.src,
        alt: i.alt,
        caption: i.caption,
        credit: i.credit,
    });

    let Some(date) = date.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let (word_count, excerpt) = super::stats::body_stats(parts.body);
    Ok(Article {
        source: source.to_path_buf(),
        content_path: content_path.to_string(),
        headline,
        dek: raw
            .dek
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        date,
        updated,
        section,
        slug,
        kind,
        tags,
        tag_slugs,
        authors: clean_list(raw.authors),
        summary: clean_list(raw.summary),
        image,
        related,
        draft: raw.draft,
        embargo,
        corrections,
        aliases: raw.aliases.iter().map(|a| a.trim().to_string()).collect(),
        word_count,
        excerpt,
        key_lines: lines.all(),
        body: parts.body.to_string(),
        body_line: parts.body_line,
    })
}

fn parse_yaml(source: &Path, yaml: &str, yaml_line: usize) -> Result<RawFrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Err(Diagnostic::at(source, 1, None, "front matter is empty")
            .with_hint("add at least `headline:` and `date:`"));
    }
    serde_yaml::from_str(yaml).map_err(|e| {
        let (line, column) = e.location().map_or((yaml_line, None), |l| {
            (yaml_line + l.line() - 1, Some(l.column()))
        });
        let message = yaml_message(&e);
        if let Some(key) = unknown_key(&message) {
            let d = Diagnostic::at(
                source,
                line,
                column,
                format!("unknown front-matter key `{key}`"),
            );
            return match closest(key, KNOWN_KEYS) {
                Some(k) => d.with_hint(format!("did you mean `{k}`?")),
                None => d.with_hint(format!("known keys: {}", KNOWN_KEYS.join(", "))),
            };
        }
        Diagnostic::at(
            source,
            line,
            column,
            format!("invalid front matter: {message}"),
        )
    })
}

/// serde_yaml's message without the "at line N column M" positions it adds
/// (relative to the YAML block), which we restate in file coordinates.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let mut text = e.to_string();
    while let Some(start) = text.find(" at line ") {
        let rest = &text[start + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_len = digits(rest);
        let Some(after) = rest[line_len..].strip_prefix(" column ") else {
            break;
        };
        let end = start + " at line ".len() + line_len + " column ".len() + digits(after);
        text.replace_range(start..end, "");
    }
    text
}

fn unknown_key(message: &str) -> Option<&str> {
    let start = message.find("unknown field `")? + "unknown field `".len();
    message[start..].split('`').next()
}

fn date_value(key: &str, v: &Value, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    match v {
        Value::String(s) => parse_date(s, tz).map_err(|m| format!("{key}: {m}")),
        other => Err(format!(
            "{key} must be a date like `2026-11-24` or `2026-11-24T08:30:00-05:00`, found {}",
            describe(other)
        )),
    }
}

fn resolve_related(
    items: &[Value],
    lines: &KeyLines,
    source: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Related> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::String(key) => {
                let key = key.trim().trim_matches('/').to_string();
                let line = lines.line_of_item("related", &key);
                out.push(Related { target: RelatedTarget::Article(key), line });
            }
            Value::Mapping(map) => {
                let get = |k: &str| map.get(k).and_then(Value::as_str).map(str::trim);
                let line = get("url").map_or(lines.line("related"), |u| lines.line_of_item("related", u));
                match (get("title"), get("url")) {
                    (Some(title), Some(url)) if is_safe_url(url) => out.push(Related {
                        target: RelatedTarget::External { title: title.into(), url: url.into() },
                        line,
                    }),
                    (Some(_), Some(url)) => errors.push(Diagnostic::at(
                        source,
                        line,
                        None,
                        format!("related link `{url}` must be an http(s) URL or a site path"),
                    )),
                    _ => errors.push(Diagnostic::at(
                        source,
                        line,
                        None,
                        "a related link needs both `title` and `url`",
                    )),
                }
            }
            other => errors.push(Diagnostic::at(
                source,
                lines.line("related"),
                None,
                format!(
                    "related entries are slugs (`news/us/seawall-vote`) or {{title, url}} links, found {}",
                    describe(other)
                ),
            )),
        }
    }
    out
}

/// Only web links and site paths: never `javascript:` or `data:`.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

fn clean_list(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn folder_of(content_path: &str) -> &str {
    content_path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// File lines of top-level front-matter keys, so a problem found after
/// parsing still points at the line the user wrote.
struct KeyLines<'a> {
    lines: Vec<&'a str>,
    first: usize,
}

impl<'a> KeyLines<'a> {
    fn new(yaml: &'a str, first: usize) -> Self {
        KeyLines {
            lines: yaml.lines().collect(),
            first,
        }
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.lines.iter().position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    }

    /// Line of `key:`, or the opening fence when the key is absent.
    fn line(&self, key: &str) -> usize {
        self.index(key).map_or(1, |i| self.first + i)
    }

    /// Every top-level key and its file line.
    fn all(&self) -> Vec<(String, usize)> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let key = l.split(':').next()?;
                let ok = l.contains(':')
                    && !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                ok.then(|| (key.to_string(), self.first + i))
            })
            .collect()
    }

    /// Line of the list item under `key` that mentions `needle`.
    fn line_of_item(&self, key: &str, needle: &str) -> usize {
        let Some(start) = self.index(key) else {
            return 1;
        };
        self.lines[start..]
            .iter()
            .position(|l| l.contains(needle))
            .map_or(self.first + start, |i| self.first + start + i)
    }
}

#[cfg(test)]
mod tests;
