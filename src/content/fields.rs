//! Checking and resolving front-matter fields one by one. Each check adds
//! its problems to a shared list, so one run reports them all.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde_yaml::Value;

use super::dates::parse_date;
use super::parts::{Correction, Image, Related, RelatedTarget};
use super::raw::{RawCorrection, RawImage};
use super::yaml::KeyLines;
use crate::error::Diagnostic;
use crate::urls::{check_section, check_segment, check_slug, slugify};

/// The problems found in one article's front matter, with where they are.
pub(super) struct Fields<'a> {
    pub source: &'a Path,
    pub lines: KeyLines<'a>,
    pub tz: Tz,
    pub errors: Vec<Diagnostic>,
}

impl Fields<'_> {
    pub(super) fn at(&mut self, key: &str, message: String) {
        let line = self.lines.line(key);
        self.errors
            .push(Diagnostic::at(self.source, line, None, message));
    }

    /// A required key that is missing: pointed at the opening fence.
    fn missing(&mut self, key: &str, hint: &str) {
        self.errors.push(
            Diagnostic::at(
                self.source,
                1,
                None,
                format!("missing required key `{key}`"),
            )
            .with_hint(hint),
        );
    }

    pub fn headline(&mut self, value: Option<Value>) -> String {
        match value {
            Some(Value::String(s)) if !s.trim().is_empty() => return s.trim().to_string(),
            Some(Value::String(_)) => self.at("headline", "headline is empty".into()),
            Some(other) => self.at(
                "headline",
                format!("headline must be a string, found {}", describe(&other)),
            ),
            None => self.missing("headline", "add `headline: \"...\"` to the front matter"),
        }
        String::new()
    }

    /// A date-valued key; `None` (with an error) when it is not a date.
    pub fn date(&mut self, key: &str, value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
        let value = value?;
        date_value(key, value, self.tz)
            .map_err(|m| self.at(key, m))
            .ok()
    }

    pub fn required_date(&mut self, value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
        if value.is_none() {
            self.missing(
                "date",
                "add `date: 2026-11-24` or `date: 2026-11-24T08:30:00-05:00`",
            );
        }
        self.date("date", value)
    }

    /// Corrections, oldest first.
    pub fn corrections(&mut self, raw: &[RawCorrection]) -> Vec<Correction> {
        let mut out = Vec::new();
        for c in raw {
            match date_value("corrections: date", &c.date, self.tz) {
                Ok(date) => out.push(Correction {
                    date,
                    text: c.text.trim().to_string(),
                }),
                Err(m) => self.at("corrections", m),
            }
        }
        out.sort_by_key(|c| c.date);
        out
    }

    pub fn aliases(&mut self, raw: &[String]) -> Vec<String> {
        for alias in raw {
            if let Err(why) = crate::urls::check_alias(alias) {
                let line = self.lines.line_of_item("aliases", alias);
                self.errors.push(Diagnostic::at(
                    self.source,
                    line,
                    None,
                    format!("alias `{alias}` {why}"),
                ));
            }
        }
        raw.iter().map(|a| a.trim().to_string()).collect()
    }

    /// The page path `path:` gives (`/2019/11/07/Async-await-stable/`,
    /// `/story.html`), site-relative (`story.html`), overriding the
    /// permalink patterns.
    pub fn path(&mut self, raw: Option<&str>) -> Option<String> {
        let path = raw?.trim();
        match crate::urls::check_alias(path) {
            Ok(()) => Some(crate::urls::alias_path(path)),
            Err(why) => {
                self.at("path", format!("path `{path}` {why}"));
                None
            }
        }
    }

    /// The section (given, or the article's folder) and the slug (given, or
    /// the file name), both checked to stay inside the output folder.
    pub fn place(
        &mut self,
        section: Option<&str>,
        slug: Option<&str>,
        content_path: &str,
    ) -> (String, String) {
        let folder = content_path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let resolved = match section.map(|s| s.trim().trim_end_matches('/')) {
            Some(s) => s.to_string(),
            None if folder.is_empty() => {
                self.at(
                    "section",
                    "an article directly in content/ needs a `section:`".into(),
                );
                String::new()
            }
            None => folder.to_string(),
        };
        // An empty section (`section: ""` or `"/"`) is refused too: it would
        // put the article at the site root.
        if section.is_some() || !folder.is_empty() {
            if let Err(why) = check_section(&resolved) {
                self.at(
                    "section",
                    format!("section `{}` {why}", section.unwrap_or(&resolved)),
                );
            }
        }
        let stem = content_path.rsplit('/').next().unwrap_or(content_path);
        let stem = stem.strip_suffix(".md").unwrap_or(stem);
        let slug_value = slug.map_or_else(|| stem.to_lowercase(), |s| s.trim().to_string());
        if let Err(why) = check_slug(&slug_value) {
            if slug.is_some() {
                self.at("slug", format!("slug `{slug_value}` {why}"));
            } else {
                let suggestion = slugify(&slug_value);
                self.errors.push(
                    Diagnostic::at(
                        self.source,
                        1,
                        None,
                        format!("file name `{stem}.md` is not a valid slug: it {why}"),
                    )
                    .with_hint(format!(
                        "rename the file to `{suggestion}.md` or set `slug: {suggestion}`"
                    )),
                );
            }
        }
        (resolved, slug_value)
    }

    pub fn kind(&mut self, kind: Option<String>) -> String {
        let kind = kind.map_or_else(|| "news".to_string(), |k| k.trim().to_lowercase());
        if let Err(why) = check_segment(&kind) {
            self.at("kind", format!("kind `{kind}` {why}"));
        }
        kind
    }

    /// Tags and their URL slugs, same order.
    pub fn tags(&mut self, raw: Vec<String>) -> (Vec<String>, Vec<String>) {
        let tags = clean_list(raw);
        let slugs: Vec<String> = tags.iter().map(|t| slugify(t)).collect();
        for (tag, slug) in tags.iter().zip(&slugs) {
            if slug.is_empty() {
                let line = self.lines.line_of_item("tags", tag);
                self.errors.push(Diagnostic::at(
                    self.source,
                    line,
                    None,
                    format!("tag `{tag}` has no letters or digits to make a URL from"),
                ));
            }
        }
        (tags, slugs)
    }

    /// The lead image; its `src` must be a web URL or a path, never a
    /// `javascript:` or `data:` URL.
    /// The lead image; `bundle` lists the files of the article's page
    /// bundle, where a relative `src` must be.
    pub fn image(&mut self, raw: RawImage, bundle: Option<&[String]>) -> Image {
        let src = raw.src.trim().to_string();
        let mut bundled = false;
        if let (Some(files), Some(rel)) = (bundle, crate::markdown::bundle_ref(&src)) {
            let name = crate::markdown::decoded(rel);
            bundled = files.iter().any(|f| *f == name);
            if !bundled {
                self.at(
                    "image",
                    format!("image src `{src}` is not a file of this page bundle (the article's folder)"),
                );
            }
        }
        let scheme = src
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.contains('/'));
        if src.is_empty() || (scheme.is_some() && !is_safe_url(&src)) {
            self.at(
                "image",
                format!(
                    "image src `{src}` must be an http(s) URL or a path like /images/photo.jpg"
                ),
            );
        }
        let focus = raw.focus.as_ref().and_then(|v| match focus(v) {
            Ok(f) => Some(f),
            Err(why) => {
                self.at("image", format!("image focus {why}"));
                None
            }
        });
        Image {
            src,
            bundled,
            alt: raw.alt,
            caption: raw.caption,
            credit: raw.credit,
            focus,
        }
    }

    pub fn related(&mut self, items: &[Value]) -> Vec<Related> {
        resolve_related(items, &self.lines, self.source, &mut self.errors)
    }
}

/// `[x, y]`, each a fraction of the width or height from 0 to 1.
fn focus(v: &Value) -> Result<(u16, u16), String> {
    let expected = "must be two fractions `[x, y]` from 0 to 1, like `[0.5, 0.3]`";
    let Value::Sequence(items) = v else {
        return Err(format!("{expected}, found {}", describe(v)));
    };
    let parts: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
    match parts[..] {
        [x, y] if items.len() == 2 && (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) => {
            Ok(((x * 1000.0).round() as u16, (y * 1000.0).round() as u16))
        }
        _ => Err(expected.to_string()),
    }
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

pub(super) fn clean_list(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
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
