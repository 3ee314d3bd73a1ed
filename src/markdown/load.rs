//! The load-time pass over a body: shortcodes cut out, words counted,
//! links noted, HTML made — unless the body needs the site model.

use std::ops::Range;

use pulldown_cmark::{html, Event, LinkType, Parser, Tag};

use super::passes::Passes;
use super::placeholders;
use super::shortcodes::{self, Found, Item};
use super::stats::BodyStats;
use super::{bundle_ref, options, Body, BodyError, BodyLink, Call, Lines};

/// What a body's references may point at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env<'a> {
    /// The files of the article's page bundle, sorted, when it is one.
    pub bundle: Option<&'a [String]>,
}

/// What one pass over a body at load time yields.
pub struct Prerendered {
    pub body: Body,
    pub word_count: usize,
    pub excerpt: String,
    pub links: Vec<BodyLink>,
    /// The shortcodes, whose placeholders `body` holds.
    pub calls: Vec<Call>,
    pub errors: Vec<BodyError>,
}

/// Renders `body` and counts it in one pass: parsing is most of the cost
/// of either, and every article needs both.
pub fn prerender(body: &str, env: &Env) -> Prerendered {
    let mut pass = Pass {
        src: body,
        env,
        links: Vec::new(),
        errors: Vec::new(),
    };
    let mut stats = BodyStats::default();
    if !shortcodes::may_contain(body) {
        let top = pass.piece(body, &[(0, 0)], true, false, Some(&mut stats));
        let (word_count, excerpt) = stats.finish();
        return Prerendered {
            body: top,
            word_count,
            excerpt,
            links: pass.links,
            calls: Vec::new(),
            errors: pass.errors,
        };
    }
    // Private-use characters are the placeholders' own.
    let cleaned;
    let src = if body.contains([placeholders::OPEN, placeholders::CLOSE]) {
        cleaned = body.replace([placeholders::OPEN, placeholders::CLOSE], "\u{FFFD}");
        cleaned.as_str()
    } else {
        body
    };
    pass.src = src;
    let (items, scan_errors) = shortcodes::scan(src, &code_ranges(src));
    for e in scan_errors {
        let (line, column) = crate::text::line_col(src, e.offset);
        pass.errors.push(BodyError {
            line,
            column,
            message: e.message,
            hint: e.hint,
        });
    }
    let mut pending = Vec::new();
    let top = lay_out(src, 0..src.len(), &items, &mut pending);
    let body = pass.piece(&top.text, &top.map, true, true, Some(&mut stats));
    let calls = pending
        .into_iter()
        .map(|p| {
            let (line, column) = crate::text::line_col(src, p.found.range.start);
            Call {
                name: p.found.name.clone(),
                args: p.found.args.clone(),
                line,
                column,
                body: p
                    .body
                    .map(|laid| pass.piece(&laid.text, &laid.map, false, true, None)),
            }
        })
        .collect();
    let (word_count, excerpt) = stats.finish();
    Prerendered {
        body,
        word_count,
        excerpt,
        links: pass.links,
        calls,
        errors: pass.errors,
    }
}

/// Where code is in `text`: shortcode syntax there is not a call.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// A stretch of the source with its shortcodes replaced by placeholders,
/// and where each part of it came from: (offset in `text`, offset in the
/// source) at each seam.
struct Laid {
    text: String,
    map: Vec<(usize, usize)>,
}

struct Pending<'a> {
    found: &'a Found,
    body: Option<Laid>,
}

fn lay_out<'a>(
    src: &str,
    range: Range<usize>,
    items: &'a [Item],
    calls: &mut Vec<Pending<'a>>,
) -> Laid {
    let mut laid = Laid {
        text: String::with_capacity(range.len()),
        map: vec![(0, range.start)],
    };
    let mut cursor = range.start;
    for item in items {
        let span = match item {
            Item::Call(found) => found.range.clone(),
            Item::Literal { range, .. } => range.clone(),
        };
        laid.text.push_str(&src[cursor..span.start]);
        laid.map.push((laid.text.len(), span.start));
        match item {
            // Backslashes keep the syntax from being read as markdown or
            // given curly quotes: every ASCII punctuation mark may be
            // escaped so.
            Item::Literal { text, .. } => {
                for c in text.chars() {
                    if c.is_ascii_punctuation() {
                        laid.text.push('\\');
                    }
                    laid.text.push(c);
                }
            }
            Item::Call(found) => {
                let n = calls.len();
                calls.push(Pending { found, body: None });
                if let Some((inner, inner_items)) = &found.body {
                    let body = lay_out(src, inner.clone(), inner_items, calls);
                    calls[n].body = Some(body);
                }
                // A call on lines of its own is a block of its own, even
                // with no blank line around it: a figure never lands in a
                // paragraph.
                let alone = (span.start == range.start || src[..span.start].ends_with('\n'))
                    && (span.end == range.end || src[span.end..].starts_with('\n'));
                if alone {
                    laid.text.push('\n');
                }
                placeholders::push(&mut laid.text, n);
                if alone {
                    laid.text.push('\n');
                }
            }
        }
        cursor = span.end;
        laid.map.push((laid.text.len(), cursor));
    }
    laid.text.push_str(&src[cursor..range.end]);
    laid
}

/// Where offset `at` of a laid-out text was in the source.
fn source_offset(map: &[(usize, usize)], at: usize) -> usize {
    let i = map.partition_point(|&(t, _)| t <= at).saturating_sub(1);
    let (t, s) = map[i];
    s + (at - t)
}

struct Pass<'a> {
    src: &'a str,
    env: &'a Env<'a>,
    links: Vec<BodyLink>,
    errors: Vec<BodyError>,
}

impl Pass<'_> {
    /// One body (the article's or a shortcode's) to HTML, unless it needs
    /// the site model; its links noted, its words counted into `stats`.
    /// `marked`: it may hold placeholders.
    fn piece(
        &mut self,
        text: &str,
        map: &[(usize, usize)],
        ids: bool,
        marked: bool,
        mut stats: Option<&mut BodyStats>,
    ) -> Body {
        let mut lines = Lines::new(self.src);
        let mut later = false;
        let has_placeholders = marked && text.contains(placeholders::OPEN);
        let events = Parser::new_ext(text, options())
            .into_offset_iter()
            .map(|(event, range)| {
                if let Some(stats) = stats.as_deref_mut() {
                    match &event {
                        Event::Text(t) if has_placeholders && t.contains(placeholders::OPEN) => {
                            stats.observe(&Event::Text(placeholders::strip(t).into()))
                        }
                        other => stats.observe(other),
                    }
                }
                if let Event::Start(
                    tag @ (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }),
                ) = &event
                {
                    let (line, column) = lines.at(source_offset(map, range.start));
                    let image = matches!(tag, Tag::Image { .. });
                    // `<events@example.org>` is a mail address, not a file.
                    let email = matches!(
                        tag,
                        Tag::Link {
                            link_type: LinkType::Email,
                            ..
                        }
                    );
                    later |= !image && dest_url.starts_with("@/");
                    later |= !email && self.bundled(dest_url, image, line, column);
                    self.links.push(BodyLink {
                        url: dest_url.to_string(),
                        line,
                        column,
                        image,
                    });
                }
                event
            });
        let mut out = String::with_capacity(text.len() * 3 / 2);
        html::push_html(&mut out, Passes::new(events, ids));
        if later {
            Body::Markdown(text.to_string())
        } else {
            Body::Html(out)
        }
    }

    /// Whether `url` is a file of the article's bundle (linked later, next
    /// to the page); a missing one is an error. Links that do not look
    /// like files (`other-story`, no extension) are left alone.
    fn bundled(&mut self, url: &str, image: bool, line: usize, column: usize) -> bool {
        let (Some(files), Some(rel)) = (self.env.bundle, bundle_ref(url)) else {
            return false;
        };
        let name = super::decoded(rel);
        if files.binary_search_by(|f| f.as_str().cmp(&name)).is_ok() {
            return true;
        }
        let looks_like_file = rel.rsplit('/').next().is_some_and(|n| n.contains('.'));
        if image || looks_like_file {
            self.errors.push(BodyError {
                line,
                column,
                message: format!(
                    "`{rel}` is not a file of this page bundle (the article's folder)"
                ),
                hint: Some(
                    "put the file beside index.md, or write a site path such as `/images/x.jpg`"
                        .into(),
                ),
            });
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(body: &Body) -> &str {
        match body {
            Body::Html(h) | Body::Markdown(h) => h,
        }
    }

    #[test]
    fn a_body_without_shortcodes_has_no_calls() {
        let pre = prerender("Plain *text*.\n", &Env::default());
        assert!(pre.calls.is_empty());
        assert_eq!(html(&pre.body), "<p>Plain <em>text</em>.</p>\n");
    }

    #[test]
    fn shortcodes_become_placeholders_and_keep_their_place() {
        let body = "Intro.\n\n{{ figure(src=\"/a.jpg\") }}\n\n{% factbox(title=\"F\") %}\n- [x](https://e.com)\n{% end %}\n\n[late](https://l.com)\n";
        let pre = prerender(body, &Env::default());
        assert_eq!(pre.calls.len(), 2);
        assert_eq!((pre.calls[0].line, pre.calls[0].column), (3, 1));
        assert_eq!(
            (pre.calls[1].line, pre.calls[1].name.as_str()),
            (5, "factbox")
        );
        let mut expected = String::new();
        placeholders::push(&mut expected, 0);
        assert!(html(&pre.body).contains(&format!("<p>{expected}</p>")));
        assert!(html(pre.calls[1].body.as_ref().unwrap())
            .contains("<li><a href=\"https://e.com\">x</a></li>"));
        let places: Vec<_> = pre
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.line, l.column))
            .collect();
        assert_eq!(places, [("https://l.com", 9, 1), ("https://e.com", 6, 3)]);
        assert_eq!(pre.word_count, 2, "placeholders are not words");
        assert_eq!(pre.excerpt, "Intro.");
    }

    #[test]
    fn a_call_on_its_own_line_is_a_block_even_without_blank_lines() {
        let pre = prerender(
            "Text.\n{{ figure(src=\"/a.jpg\") }}\nMore.\n",
            &Env::default(),
        );
        let mut marker = String::new();
        placeholders::push(&mut marker, 0);
        let html = html(&pre.body);
        assert!(html.contains(&format!("<p>{marker}</p>")), "{html}");
        assert!(html.starts_with("<p>Text.</p>"), "{html}");
        let inline = prerender("Text {{ badge() }} more.\n", &Env::default());
        assert!(html_of(&inline).contains(&format!("<p>Text {marker} more.</p>")));
    }

    fn html_of(pre: &Prerendered) -> &str {
        html(&pre.body)
    }

    #[test]
    fn scan_errors_carry_their_body_line_and_column() {
        let pre = prerender("a\n\nb {{ figure(src=) }}\n", &Env::default());
        assert_eq!(pre.errors.len(), 1);
        assert_eq!((pre.errors[0].line, pre.errors[0].column), (3, 17));
    }

    #[test]
    fn bundle_files_wait_for_the_model_and_missing_ones_are_errors() {
        let files = vec!["photo.jpg".to_string()];
        let env = Env {
            bundle: Some(&files),
        };
        let pre = prerender("![a](photo.jpg) [b](other-story)\n", &env);
        assert!(matches!(pre.body, Body::Markdown(_)));
        assert!(pre.errors.is_empty());
        let pre = prerender("x\n\n![a](./gone.png)\n", &env);
        assert_eq!(pre.errors.len(), 1);
        assert_eq!((pre.errors[0].line, pre.errors[0].column), (3, 1));
        assert!(pre.errors[0].message.contains("gone.png"));
        // A mail autolink is no file of the bundle.
        let pre = prerender("Write to <desk@example.org>.\n", &env);
        assert!(pre.errors.is_empty(), "{:?}", pre.errors);
    }
}
