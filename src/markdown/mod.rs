//! Markdown bodies to HTML, as small passes over pulldown-cmark's events.
//!
//! At load ([`prerender`]) a body is scanned for shortcodes, which are cut
//! out and left as placeholders for the render stage to draw through the
//! theme; its words are counted, headings get anchors and fenced code is
//! highlighted, all in one pass. What only the site model knows waits for
//! [`to_html`]: `[text](@/news/us/seawall-vote.md)` names another article
//! by its file under content/, so the link survives a change of slug or
//! permalink and a typo fails the build instead of publishing a dead link;
//! and a page bundle's files are linked next to wherever its page lands.

mod highlight;
mod late;
mod load;
mod passes;
pub mod placeholders;
pub mod shortcodes;
pub mod stats;

use pulldown_cmark::Options;

pub use late::{to_html, LinkError};
pub use load::{prerender, Env, Prerendered};
pub use shortcodes::Arg;

/// The markdown dialect of article bodies: CommonMark plus tables,
/// footnotes, strikethrough, smart punctuation and `{#id}` on headings.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A link or image of a body and where it was written, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub url: String,
    /// 1-based line in the body and column in characters.
    pub line: usize,
    pub column: usize,
    /// An image (`![alt](src)`), not a link.
    pub image: bool,
}

/// A body (an article's, or a body shortcode's) as HTML, or as markdown
/// still to render when it links other articles or bundle files, whose
/// URLs only the site model knows. Either may hold shortcode placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Html(String),
    Markdown(String),
}

/// A shortcode call of a body, in document order: the placeholder `n` in
/// a body stands for call `n`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, Arg)>,
    /// 1-based line (in the body, until the content stage makes it the
    /// file's) and column in characters.
    pub line: usize,
    pub column: usize,
    /// What a `{% name() %}…{% end %}` call encloses.
    pub body: Option<Body>,
}

impl Call {
    /// The argument `key`, if given.
    pub fn arg(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A problem found in a body at load, placed in the body's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// A reference written relative to a page bundle's folder (`photo.jpg`,
/// `./docs/report.pdf`): its path in the bundle, without `#` or `?`
/// parts. `None` for URLs, site paths, anchors, `@/` links and `../`.
pub fn bundle_ref(url: &str) -> Option<&str> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let path = path.strip_prefix("./").unwrap_or(path);
    if path.is_empty()
        || path.starts_with(['/', '@', '.'])
        || path.contains("..")
        || path.ends_with('/')
    {
        return None;
    }
    // A scheme (`https:`, `mailto:`) comes before any `/`.
    let first = path.split('/').next().unwrap_or(path);
    if first.contains(':') {
        return None;
    }
    Some(path)
}

/// A bundle reference's file name: `my%20photo.jpg` is `my photo.jpg`.
pub fn decoded(rel: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(rel).decode_utf8_lossy()
}

/// Line and column of offsets met in order, counted incrementally: a
/// body with many links must not be rescanned from the start for each.
pub(crate) struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            at: 0,
            line: 1,
            line_start: 0,
        }
    }

    pub(crate) fn at(&mut self, offset: usize) -> (usize, usize) {
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
            None,
            true,
        )
        .unwrap();
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("\u{201c}quoted\u{201d}"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn internal_links_become_urls() {
        let html = to_html("**Related:** [A](@/news/us/a.md)", resolve, None, true).unwrap();
        assert!(html.contains(r#"<a href="/news/us/a/">A</a>"#), "{html}");
    }

    #[test]
    fn internal_links_keep_their_anchor() {
        let html = to_html("[A](@/news/us/a.md#reaction)", resolve, None, true).unwrap();
        assert!(html.contains(r#"href="/news/us/a/#reaction""#), "{html}");
    }

    #[test]
    fn prerendering_matches_rendering_and_counts_in_the_same_pass() {
        let body = "Intro with [a link](https://example.com/x) and ![art](/img/a.jpg).\n\n\
                    | a |\n|---|\n| 1 |\n\nSecond *para* [^1].\n\n[^1]: Note.\n";
        let pre = prerender(body, &Env::default());
        assert_eq!(
            pre.body,
            Body::Html(to_html(body, resolve, None, true).unwrap())
        );
        assert_eq!((pre.word_count, pre.excerpt), stats::body_stats(body));
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
        let pre = prerender("See\n[A](@/news/us/a.md).\n", &Env::default());
        assert!(matches!(pre.body, Body::Markdown(_)));
        assert_eq!(pre.links[0].url, "@/news/us/a.md");
        assert_eq!((pre.links[0].line, pre.links[0].column), (2, 1));
        // An image path is no article link.
        assert!(matches!(
            prerender("![x](@/img.jpg)", &Env::default()).body,
            Body::Html(_)
        ));
    }

    #[test]
    fn missing_internal_links_report_their_offset() {
        let errors = to_html("intro\n\nsee [B](@/news/us/b.md)", resolve, None, true).unwrap_err();
        assert_eq!(errors[0].url, "@/news/us/b.md");
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
            let html = to_html(&body, |_| None, None, true).unwrap();
            assert!(!html.is_empty());
            let pre = prerender(&body, &Env::default());
            assert_eq!(pre.body, Body::Html(html));
        }
    }
}
