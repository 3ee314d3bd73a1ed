//! One article: front matter checked and resolved into an [`Article`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;

pub use crate::markdown::{Body, Call};

pub use super::parts::{Correction, Image, Related, RelatedTarget};
pub use super::raw::KNOWN_KEYS;

use super::fields::{clean_list, Fields};
use super::shortcodes::Shortcodes;
use super::split::{split, Format};
use super::yaml::{parse_yaml, KeyLines};
use crate::error::Diagnostic;

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
    /// The page path front matter fixed (`2019/11/07/Async-await-stable/`,
    /// `story.html`), instead of the permalink pattern's.
    pub path: Option<String>,
    /// Words in the body.
    pub word_count: usize,
    /// The first paragraph as plain text, for lists and feeds.
    pub excerpt: String,
    /// File line of each top-level front-matter key, for later checks.
    pub key_lines: Vec<(String, usize)>,
    /// The body, rendered at load unless it links other articles.
    pub body: Body,
    /// Every link and image of the body, where it was written (`check`).
    pub links: Vec<crate::markdown::BodyLink>,
    /// File line where the body starts, to place errors found in it.
    pub body_line: usize,
    /// A live blog's coverage and updates (`kind: live`).
    pub live: Option<super::live::Live>,
    /// The shortcodes of the body, whose placeholders it holds.
    pub calls: Vec<Call>,
    /// The folder and files of a page bundle (`content/news/storm/index.md`
    /// with its photos beside it), published next to the page.
    pub bundle: Option<Bundle>,
    /// A hash of the whole source text: with the path, all a build needs
    /// to tell that this article has not changed since the last one.
    pub source_hash: [u8; 32],
    /// Where the body's text is when a build left it in its cache rather
    /// than in memory; `body` then holds its kind, empty.
    pub stored_body: Option<super::stored::StoredBody>,
}

/// A page bundle: the article's folder and the files beside its index.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The folder, to read the files from.
    pub dir: PathBuf,
    /// Each file's path in the folder, with `/`, sorted.
    pub files: Vec<String>,
}

impl Article {
    /// The body, from memory or from where the build left it.
    pub fn body_text(&self) -> Result<std::borrow::Cow<'_, Body>, String> {
        match &self.stored_body {
            None => Ok(std::borrow::Cow::Borrowed(&self.body)),
            Some(stored) => stored.load(self).map(std::borrow::Cow::Owned),
        }
    }

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
    let env = ParseEnv {
        tz,
        shortcodes: &Shortcodes::built_in(),
    };
    parse_article_in(source, content_path, text, &env, None)
}

/// What parsing an article needs beyond its text.
pub struct ParseEnv<'a> {
    /// The site's time zone, for dates without an offset.
    pub tz: Tz,
    /// The shortcodes its bodies may call.
    pub shortcodes: &'a Shortcodes,
}

/// [`parse_article`] for an article that may be a page bundle's, with the
/// site's shortcodes.
pub fn parse_article_in(
    source: &Path,
    content_path: &str,
    text: &str,
    env: &ParseEnv,
    bundle: Option<Bundle>,
) -> Result<Article, Vec<Diagnostic>> {
    let tz = env.tz;
    let parts = split(text).map_err(|(line, msg, hint)| {
        vec![Diagnostic::at(source, line, None, msg).with_hint(hint)]
    })?;
    let raw = match parts.format {
        Format::Yaml => parse_yaml(source, parts.yaml, parts.yaml_line),
        Format::Toml => super::front_toml::parse_toml(source, parts.yaml, parts.yaml_line),
    }
    .map_err(|d| vec![d])?;
    let mut f = Fields {
        source,
        lines: KeyLines::new(parts.yaml, parts.yaml_line),
        tz,
        errors: Vec::new(),
    };

    super::limits::check(&mut f, &raw);
    let headline = f.headline(raw.headline);
    let date = f.required_date(raw.date.as_ref());
    let updated = f.date("updated", raw.updated.as_ref());
    let embargo = f.date("embargo", raw.embargo.as_ref());
    let corrections = f.corrections(&raw.corrections);
    let aliases = f.aliases(&raw.aliases);
    let path = f.path(raw.path.as_deref());
    // A bundle's article is named by its folder: news/storm/index.md is
    // the story `storm` in the section `news`.
    let placed = match (&bundle, content_path.strip_suffix("/index.md")) {
        (Some(_), Some(folder)) => format!("{folder}.md"),
        _ => content_path.to_string(),
    };
    let (section, slug) = f.place(raw.section.as_deref(), raw.slug.as_deref(), &placed);
    let kind = f.kind(raw.kind);
    let live_until = f.date("live_until", raw.live_until.as_ref());
    let (tags, tag_slugs) = f.tags(raw.tags);
    let related = f.related(&raw.related);
    for r in &related {
        if let RelatedTarget::Article(key) = &r.target {
            if *key == format!("{section}/{slug}") || (!key.contains('/') && *key == slug) {
                f.errors.push(Diagnostic::at(
                    source,
                    r.line,
                    None,
                    "an article cannot be related to itself",
                ));
            }
        }
    }
    let files = bundle.as_ref().map(|b| b.files.as_slice());
    let image = raw.image.map(|i| f.image(i, files));
    let pre = crate::markdown::prerender(parts.body, &crate::markdown::Env { bundle: files });
    for call in &pre.calls {
        for (message, hint) in env.shortcodes.check(call, files) {
            let d = Diagnostic::at(
                source,
                parts.body_line + call.line - 1,
                Some(call.column),
                message,
            );
            f.errors.push(match hint {
                Some(h) => d.with_hint(h),
                None => d,
            });
        }
    }
    for e in &pre.errors {
        let d = Diagnostic::at(
            source,
            parts.body_line + e.line - 1,
            Some(e.column),
            e.message.clone(),
        );
        f.errors.push(match &e.hint {
            Some(h) => d.with_hint(h.clone()),
            None => d,
        });
    }

    let live = match date.filter(|_| kind == "live") {
        Some(date) => match super::live::updates(parts.body, date, tz) {
            Ok((updates, headings)) => Some(super::live::Live {
                until: live_until,
                updates,
                headings,
            }),
            Err(errors) => {
                for (line, message) in errors {
                    let line = parts.body_line + line - 1;
                    f.errors.push(Diagnostic::at(source, line, None, message));
                }
                None
            }
        },
        None => {
            if live_until.is_some() && kind != "live" {
                let line = f.lines.line("live_until");
                f.errors.push(
                    Diagnostic::at(source, line, None, "`live_until` is for live blogs")
                        .with_hint("add `kind: live`, or remove `live_until`"),
                );
            }
            None
        }
    };
    let Some(date) = date.filter(|_| f.errors.is_empty()) else {
        return Err(f.errors);
    };
    Ok(Article {
        stored_body: None,
        source_hash: *blake3::hash(text.as_bytes()).as_bytes(),
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
        aliases,
        path,
        word_count: pre.word_count,
        excerpt: pre.excerpt,
        key_lines: f.lines.all(),
        body: pre.body,
        live,
        calls: pre
            .calls
            .into_iter()
            .map(|mut c| {
                c.line += parts.body_line - 1;
                c
            })
            .collect(),
        bundle,
        links: pre.links,
        body_line: parts.body_line,
    })
}

#[cfg(test)]
mod tests;
