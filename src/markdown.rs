//! Markdown bodies to HTML, with `@/` links resolved to article URLs.
//!
//! `[text](@/news/us/seawall-vote.md)` names another article by its file
//! under content/, so the link survives a change of slug or permalink and a
//! typo fails the build instead of publishing a dead link.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// The markdown dialect of article bodies: CommonMark plus tables,
/// footnotes, strikethrough and smart punctuation.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A link or image of a body and where it was written, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub url: String,
    /// 1-based line in the body and column in characters.
    pub line: usize,
    pub column: usize,
}

/// What one pass over a body at load time yields.
pub struct Prerendered {
    /// The HTML, unless the body links another article by `@/` path,
    /// whose URL only the site model knows: then it is rendered later.
    pub html: Option<String>,
    pub word_count: usize,
    pub excerpt: String,
    pub links: Vec<BodyLink>,
}

/// Renders `body` and counts it in one pass: parsing is most of the cost
/// of either, and every article needs both.
pub fn prerender(body: &str) -> Prerendered {
    let mut stats = crate::content::BodyStats::default();
    let mut links = Vec::new();
    let mut lines = Lines::new(body);
    let mut internal = false;
    let events = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(event, range)| {
            stats.observe(&event);
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
                internal |=
                    matches!(event, Event::Start(Tag::Link { .. })) && dest_url.starts_with("@/");
                let (line, column) = lines.at(range.start);
                links.push(BodyLink {
                    url: dest_url.to_string(),
                    line,
                    column,
                });
            }
            event
        });
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events);
    let (word_count, excerpt) = stats.finish();
    Prerendered {
        html: (!internal).then_some(out),
        word_count,
        excerpt,
        links,
    }
}

/// Line and column of offsets met in order, counted incrementally: a
/// body with many links must not be rescanned from the start for each.
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            at: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        if offset < self.at || !self.text.is_char_boundary(offset) {
            return crate::text::line_col(self.text, offset);
        }
        for (i, b) in self.text.as_bytes()[self.at..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.at + i + 1;
            }
        }
        self.at = offset;
        (
            self.line,
            self.text[self.line_start..offset].chars().count() + 1,
        )
    }
}

/// A link that could not be resolved: byte offset in the body and why.
#[derive(Debug, PartialEq, Eq)]
pub struct LinkError {
    pub offset: usize,
    pub message: String,
}

/// Renders `body`, turning `@/path.md` links into URLs with `resolve`.
pub fn to_html(
    body: &str,
    resolve: impl Fn(&str) -> Option<String>,
) -> Result<String, Vec<LinkError>> {
    let mut errors = Vec::new();
    let events = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match dest_url.strip_prefix("@/") {
                    None => dest_url,
                    Some(target) => match resolve(target.split('#').next().unwrap_or(target)) {
                        // Keep `#anchor` after the resolved URL.
                        Some(url) => CowStr::from(match target.find('#') {
                            Some(at) => format!("{url}{}", &target[at..]),
                            None => url,
                        }),
                        None => {
                            errors.push(LinkError {
                                offset: range.start,
                                message: format!(
                                    "internal link `@/{target}` points to no published article"
                                ),
                            });
                            dest_url
                        }
                    },
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        });
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str) -> Option<String> {
        (path == "news/us/a.md").then(|| "/news/us/a/".to_string())
    }

    #[test]
    fn extensions_are_on() {
        let html = to_html(
            "| a |\n|---|\n| 1 |\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: Note.\n",
            resolve,
        )
        .unwrap();
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("\u{201c}quoted\u{201d}"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn internal_links_become_urls() {
        let html = to_html("**Related:** [A](@/news/us/a.md)", resolve).unwrap();
        assert!(html.contains(r#"<a href="/news/us/a/">A</a>"#), "{html}");
    }

    #[test]
    fn internal_links_keep_their_anchor() {
        let html = to_html("[A](@/news/us/a.md#reaction)", resolve).unwrap();
        assert!(html.contains(r#"href="/news/us/a/#reaction""#), "{html}");
    }

    #[test]
    fn prerendering_matches_rendering_and_counts_in_the_same_pass() {
        let body = "Intro with [a link](https://example.com/x) and ![art](/img/a.jpg).\n\n\
                    | a |\n|---|\n| 1 |\n\nSecond *para* [^1].\n\n[^1]: Note.\n";
        let pre = prerender(body);
        assert_eq!(
            pre.html.as_deref(),
            Some(to_html(body, resolve).unwrap().as_str())
        );
        assert_eq!(
            (pre.word_count, pre.excerpt),
            crate::content::body_stats(body)
        );
        let places: Vec<_> = pre
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.line, l.column))
            .collect();
        assert_eq!(
            places,
            [("https://example.com/x", 1, 12), ("/img/a.jpg", 1, 48)]
        );
    }

    #[test]
    fn a_body_linking_another_article_is_left_for_later() {
        let pre = prerender("See\n[A](@/news/us/a.md).\n");
        assert!(pre.html.is_none());
        assert_eq!(pre.links[0].url, "@/news/us/a.md");
        assert_eq!((pre.links[0].line, pre.links[0].column), (2, 1));
        // An image path is no article link.
        assert!(prerender("![x](@/img.jpg)").html.is_some());
    }

    #[test]
    fn missing_internal_links_report_their_offset() {
        let errors = to_html("intro\n\nsee [B](@/news/us/b.md)", resolve).unwrap_err();
        assert_eq!(errors[0].offset, 11);
        assert!(errors[0].message.contains("@/news/us/b.md"));
    }
}

#[cfg(test)]
mod hostile {
    use super::*;

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let quotes = format!("{} deep\n", ">".repeat(10_000));
        // `- - - item` nests a list in a list: 10,000 levels in 20 KB.
        let lists = format!("{}item\n", "- ".repeat(10_000));
        let brackets = "[".repeat(10_000) + &"]".repeat(10_000) + "(x)";
        for body in [quotes, lists, brackets] {
            let html = to_html(&body, |_| None).unwrap();
            assert!(!html.is_empty());
            let pre = prerender(&body);
            assert_eq!(pre.html.as_deref(), Some(html.as_str()));
        }
    }
}
