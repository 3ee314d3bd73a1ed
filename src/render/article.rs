//! The article page: every front-matter field, related stories, and the
//! structured data search engines and social sites read.

use super::joined;
use serde::Serialize;

use super::context::{DateCtx, ImageCtx, Link, PersonLink};
use super::Renderer;
use crate::config::title_case;
use crate::content::Article;
use crate::error::Diagnostic;
use crate::site::{computed_related, last_modified, RelatedLink};

#[derive(Serialize)]
struct ArticleCtx<'a> {
    headline: &'a str,
    dek: Option<&'a str>,
    /// The dek, or else the first paragraph.
    excerpt: &'a str,
    url: String,
    permalink: String,
    date: DateCtx,
    updated: Option<DateCtx>,
    /// The latest of date, updated and corrections.
    modified: DateCtx,
    kind: &'a str,
    kind_label: String,
    section: Link,
    breadcrumbs: Vec<Link>,
    summary: &'a [String],
    image: Option<ImageCtx<'a>>,
    authors: Vec<PersonLink>,
    tags: Vec<Link>,
    related: Vec<RelatedCtx<'a>>,
    corrections: Vec<CorrectionCtx<'a>>,
    word_count: usize,
    reading_minutes: usize,
    /// schema.org JSON-LD, escaped for a `<script>` element.
    json_ld: String,
    /// The next older article in the same section.
    previous: Option<Link>,
    /// The next newer article in the same section.
    next: Option<Link>,
}

#[derive(Serialize)]
struct RelatedCtx<'a> {
    title: String,
    url: String,
    external: bool,
    /// Suggested from shared tags rather than chosen by the editor.
    computed: bool,
    /// The target's dek (or first paragraph), for this site's articles.
    /// Not the whole card: five cards per page cost more to serialize
    /// than the rest of the article context.
    excerpt: Option<&'a str>,
}

#[derive(Serialize)]
struct CorrectionCtx<'a> {
    date: DateCtx,
    text: &'a str,
}

impl Renderer<'_> {
    /// Up to `wanted` stories suggested beside article `i`.
    pub(super) fn suggestions(&self, i: usize, wanted: usize) -> Vec<usize> {
        match &self.prepared.suggested {
            Some(s) => s.of_article(i).take(wanted).collect(),
            None => computed_related(self.site, i, wanted),
        }
    }

    pub(super) fn article(
        &self,
        i: usize,
        page: &crate::site::Page,
        out: &mut Vec<u8>,
    ) -> Result<(), Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let body = self.drawn_body(i, false)?;
        let live_drawn = a
            .live
            .as_ref()
            .and_then(|live| super::live::split(body.as_str().unwrap_or_default(), live));
        let mut related: Vec<RelatedCtx> = site.related[i]
            .iter()
            .map(|r| match r {
                RelatedLink::Article(t) => self.related_article(*t, false),
                RelatedLink::External { title, url } => RelatedCtx {
                    title: title.clone(),
                    url: url.clone(),
                    external: true,
                    computed: false,
                    excerpt: None,
                },
            })
            .collect();
        let wanted = self.urls.config.related_limit.saturating_sub(related.len());
        related.extend(
            self.suggestions(i, wanted)
                .into_iter()
                .map(|t| self.related_article(t, true)),
        );
        let (previous, next) = self.neighbours(i);
        let ctx = ArticleCtx {
            headline: &a.headline,
            dek: a.dek.as_deref(),
            excerpt: a.dek.as_deref().unwrap_or(&a.excerpt),
            url: self.urls.url(&page.path),
            permalink: self.urls.permalink(&page.path),
            date: self.urls.date(&a.date),
            updated: a.updated.as_ref().map(|u| self.urls.date(u)),
            modified: self.urls.date(&last_modified(a)),
            kind: &a.kind,
            kind_label: title_case(&a.kind),
            section: self.urls.section_link(site, &a.section),
            breadcrumbs: self.urls.breadcrumbs(site, &a.section),
            summary: &a.summary,
            image: a
                .image
                .as_ref()
                .map(|img| self.urls.image(img, &site.article_paths[i], u32::MAX)),
            authors: self.urls.author_links(site, &a.authors),
            tags: a
                .tags
                .iter()
                .zip(&a.tag_slugs)
                .map(|(name, slug)| Link {
                    name: name.clone(),
                    url: self.urls.url(&format!("tags/{slug}/")),
                })
                .collect(),
            related,
            corrections: a
                .corrections
                .iter()
                .rev()
                .map(|c| CorrectionCtx {
                    date: self.urls.date(&c.date),
                    text: &c.text,
                })
                .collect(),
            word_count: a.word_count,
            reading_minutes: crate::content::reading_minutes(a.word_count),
            json_ld: script_json(&self.json_ld(a, &page.path, live_drawn.as_ref())),
            previous,
            next,
        };
        let mut tera_ctx = self.context();
        let article = tera::Value::from_serializable(&ctx);
        // Only a live blog's context gets `live`: joining a field rebuilds
        // the map, which every other article would pay for.
        let (article, body) = match (&a.live, live_drawn) {
            (Some(live), Some(drawn)) => (
                joined(article, "live", self.live_ctx(live, &drawn, &page.path)),
                tera::Value::safe_string(&drawn.summary),
            ),
            _ => (article, body),
        };
        tera_ctx.insert_value("article", joined(article, "body", body));
        let section_feed = site
            .sections
            .binary_search_by(|s| s.path.as_str().cmp(&a.section))
            .ok()
            .map(crate::site::FeedOf::Section);
        let page_ctx = self.page_ctx(
            "article",
            a.headline.clone(),
            &page.path,
            Some(ctx.excerpt.to_string()),
            section_feed,
        );
        drop(ctx);
        self.insert_page(&mut tera_ctx, &page_ctx)?;
        let label = format!("{} ({})", self.urls.url(&page.path), a.source.display());
        self.finish_to("article.html", tera_ctx, &label, out)
    }

    fn related_article(&self, t: usize, computed: bool) -> RelatedCtx<'_> {
        let target = &self.site.articles[t];
        RelatedCtx {
            title: target.headline.clone(),
            url: self.urls.url(&self.site.article_paths[t]),
            external: false,
            computed,
            excerpt: Some(target.dek.as_deref().unwrap_or(&target.excerpt)),
        }
    }

    /// Older and newer neighbours of article `i` in its own section.
    /// The structured-data images of a lead photo: its 16×9, 4×3 and 1×1
    /// crops around its focus, as Google asks, or the image as written.
    fn image_ld(&self, image: &crate::content::Image, path: &str) -> Vec<String> {
        let plan = self.urls.images;
        let crops = super::context::image_rel(image, path)
            .and_then(|rel| plan.crops(&rel, image.focus).copied());
        match crops {
            Some(crops) => crops
                .iter()
                .map(|&v| self.urls.permalink(&plan.variants[v].file))
                .collect(),
            None => vec![self.urls.image(image, path, u32::MAX).permalink],
        }
    }

    fn neighbours(&self, i: usize) -> (Option<Link>, Option<Link>) {
        let site = self.site;
        let link = |j: usize| Link {
            name: site.articles[j].headline.clone(),
            url: self.urls.url(&site.article_paths[j]),
        };
        let (older, newer) = self.neighbour_indices(i);
        (older.map(link), newer.map(link))
    }

    /// The nearest older and newer articles of article `i`'s own section.
    pub(super) fn neighbour_indices(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let site = self.site;
        let section = &site.articles[i].section;
        let Ok(s) = site
            .sections
            .binary_search_by(|s| s.path.as_str().cmp(section))
        else {
            return (None, None);
        };
        let list = &site.sections[s].articles;
        let Ok(pos) = list.binary_search(&i) else {
            return (None, None);
        };
        // The section's list includes its subsections: skip to the nearest
        // article of this very section on each side.
        let older = list[pos + 1..]
            .iter()
            .find(|&&j| &site.articles[j].section == section);
        let newer = list[..pos]
            .iter()
            .rev()
            .find(|&&j| &site.articles[j].section == section);
        (older.copied(), newer.copied())
    }

    /// schema.org NewsArticle (or its opinion and analysis kinds, or a
    /// LiveBlogPosting with its updates).
    fn json_ld<'s>(
        &'s self,
        a: &'s Article,
        path: &str,
        live: Option<&super::live::Drawn>,
    ) -> NewsArticleLd<'s> {
        let config = self.urls.config;
        let permalink = self.urls.permalink(path);
        let mut author: Vec<PersonLd> = self
            .urls
            .author_links(self.site, &a.authors)
            .into_iter()
            .map(|l| PersonLd {
                kind: "Person",
                name: l.name,
                url: l.permalink,
            })
            .collect();
        // Wire copy and briefings carry no byline: the publisher is the
        // author, as Google asks, rather than none.
        if author.is_empty() {
            author.push(PersonLd {
                kind: "Organization",
                name: config.title.clone(),
                url: config.base_url.clone(),
            });
        }
        let updates = match (&a.live, live) {
            (Some(l), Some(drawn)) => l
                .updates
                .iter()
                .zip(&drawn.updates)
                .map(|(u, html)| BlogPostingLd {
                    kind: "BlogPosting",
                    headline: u.title.clone(),
                    date_published: u.time.to_rfc3339(),
                    url: format!("{permalink}#{}", u.anchor),
                    article_body: super::live::plain_text(html),
                })
                .collect(),
            _ => Vec::new(),
        };
        NewsArticleLd {
            context: "https://schema.org",
            kind: match a.kind.as_str() {
                "opinion" => "OpinionNewsArticle",
                "analysis" => "AnalysisNewsArticle",
                "live" => "LiveBlogPosting",
                _ => "NewsArticle",
            },
            coverage_start_time: a.live.as_ref().map(|_| a.date.to_rfc3339()),
            coverage_end_time: a
                .live
                .as_ref()
                .and_then(|l| l.until)
                .map(|u| u.to_rfc3339()),
            live_blog_update: updates,
            headline: &a.headline,
            description: a.dek.as_deref().unwrap_or(&a.excerpt),
            date_published: a.date.to_rfc3339(),
            date_modified: last_modified(a).to_rfc3339(),
            author,
            publisher: PublisherLd {
                kind: "Organization",
                name: &config.title,
                url: &config.base_url,
                logo: config.logo.as_ref().map(|logo| ImageLd {
                    kind: "ImageObject",
                    url: self.urls.resolve(logo).1,
                }),
            },
            main_entity_of_page: WebPageLd {
                kind: "WebPage",
                id: permalink.clone(),
            },
            url: permalink,
            article_section: self.urls.section_link(self.site, &a.section).name,
            keywords: &a.tags,
            word_count: a.word_count,
            in_language: &config.language,
            image: a.image.as_ref().map(|image| self.image_ld(image, path)),
        }
    }
}

/// The JSON-LD of an article page, serialized straight to text. Keys are
/// in alphabetical order, as the `json!` map this replaces wrote them, so
/// pages stay byte-for-byte the same.
#[derive(Serialize)]
struct NewsArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection")]
    article_section: String,
    author: Vec<PersonLd>,
    #[serde(rename = "coverageEndTime", skip_serializing_if = "Option::is_none")]
    coverage_end_time: Option<String>,
    #[serde(rename = "coverageStartTime", skip_serializing_if = "Option::is_none")]
    coverage_start_time: Option<String>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<Vec<String>>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    keywords: &'a [String],
    #[serde(rename = "liveBlogUpdate", skip_serializing_if = "Vec::is_empty")]
    live_blog_update: Vec<BlogPostingLd>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: WebPageLd,
    publisher: PublisherLd<'a>,
    url: String,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

/// One update of a live blog, in its JSON-LD.
#[derive(Serialize)]
struct BlogPostingLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleBody")]
    article_body: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    headline: String,
    url: String,
}

#[derive(Serialize)]
struct PersonLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct PublisherLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<ImageLd>,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct ImageLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct WebPageLd {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
}

/// JSON for a `<script>` element: `<`, `>` and `&` as `\u` escapes, so a
/// headline holding `</script>` cannot end the element early.
pub fn script_json(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    // Most documents hold none of these: return them as they are.
    let risky = |b: &u8| matches!(b, b'<' | b'>' | b'&' | 0xe2);
    if !text.as_bytes().iter().any(risky) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "A </script><script>alert(1)</script> & more"});
        let text = script_json(&v);
        assert!(!text.contains('<') && !text.contains('>'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);

        let plain = json!({"headline": "Council votes — 5 to 4"});
        assert_eq!(script_json(&plain), serde_json::to_string(&plain).unwrap());
        let separators = json!({"headline": "a\u{2028}b\u{2029}c"});
        assert_eq!(
            script_json(&separators),
            r#"{"headline":"a\u2028b\u2029c"}"#
        );
    }
}
