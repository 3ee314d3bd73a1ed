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
            let _ = crate::content::body_stats(&body);
        }
    }
}
