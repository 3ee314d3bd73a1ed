//! Small passes over pulldown-cmark's events: heading anchors and
//! highlighted code. Each buffers only the events of one heading or one
//! code block, so a body streams through as before.

use std::collections::VecDeque;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

/// Ids the default theme gives its own parts of an article page: a body
/// heading never takes one (`## Main` becomes `main-1`).
const RESERVED: &[&str] = &[
    "main",
    "highlights-title",
    "corrections-title",
    "related-title",
    "share-title",
    "latest-title",
    "updates-title",
];

/// Gives h2–h4 headings a stable `id` from their text (`## The vote` →
/// `id="the-vote"`, the second of that name `the-vote-1`), keeps ids the
/// writer gave (`## The vote {#vote}`), and highlights fenced code that
/// names a language.
pub struct Passes<'a, I> {
    inner: I,
    ids: bool,
    used: Vec<String>,
    queue: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Passes<'a, I> {
    /// `ids`: whether headings get anchors (the article body's do; a
    /// fact box's do not, it is an aside, not a section to link).
    pub fn new(inner: I, ids: bool) -> Self {
        Passes {
            inner,
            ids,
            used: RESERVED.iter().map(|id| id.to_string()).collect(),
            queue: VecDeque::new(),
        }
    }

    fn heading(&mut self, start: Event<'a>) -> Event<'a> {
        let mut text = String::new();
        let mut held = Vec::new();
        for event in self.inner.by_ref() {
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            held.push(event);
            if end {
                break;
            }
        }
        self.queue.extend(held);
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = start
        else {
            return start;
        };
        let text = super::placeholders::strip(&text);
        let id = id.or_else(|| Some(CowStr::from(self.unique(&text))));
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        })
    }

    fn unique(&mut self, text: &str) -> String {
        let mut base = slug::slugify(text);
        if base.is_empty() {
            base = "section".into();
        }
        let mut id = base.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.push(id.clone());
        id
    }

    fn code(&mut self, lang: &str) -> Option<Event<'a>> {
        let mut code = String::new();
        for event in self.inner.by_ref() {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let highlighted = match lang {
            "" => None,
            lang => super::highlight::to_html(lang, &code),
        };
        Some(Event::Html(CowStr::from(
            highlighted.unwrap_or_else(|| plain(lang, &code)),
        )))
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Passes<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.queue.pop_front() {
            return Some(e);
        }
        let event = self.inner.next()?;
        match &event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4,
                id: None,
                ..
            }) if self.ids => Some(self.heading(event)),
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                self.used.push(id.to_string());
                Some(event)
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => language(info).to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code(&lang)
            }
            _ => Some(event),
        }
    }
}

/// The language of a fence's info string: `rust` of `rust,ignore` or
/// `rust {linenos=true}`.
fn language(info: &str) -> &str {
    info.split([',', ' ', '{']).next().unwrap_or("").trim()
}

/// Code without a language, or in one the highlighter does not know, in
/// the same box. Focusable, as every `<pre>` is: a box that scrolls must
/// scroll from the keyboard too.
fn plain(lang: &str, code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    out.push_str("<pre class=\"code\" tabindex=\"0\"><code");
    if !lang.is_empty() {
        out.push_str(" class=\"language-");
        crate::text::escape_html_into(lang, &mut out);
        out.push('"');
    }
    out.push('>');
    crate::text::escape_html_into(code, &mut out);
    out.push_str("</code></pre>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Parser};

    fn render(md: &str, ids: bool) -> String {
        let mut out = String::new();
        html::push_html(
            &mut out,
            Passes::new(Parser::new_ext(md, super::super::options()), ids),
        );
        out
    }

    #[test]
    fn headings_get_unique_ids_and_keep_given_ones() {
        let html = render(
            "## The vote\n\n### The vote\n\n#### Café *au* lait\n\n## Own {#mine}\n\n##### Deep\n\n## Main\n",
            true,
        );
        assert!(
            html.contains(r#"<h2 id="the-vote">The vote</h2>"#),
            "{html}"
        );
        assert!(html.contains(r#"<h3 id="the-vote-1">"#), "{html}");
        assert!(html.contains(r#"<h4 id="cafe-au-lait">"#), "{html}");
        assert!(html.contains(r#"<h2 id="mine">Own</h2>"#), "{html}");
        assert!(html.contains("<h5>Deep</h5>"), "{html}");
        assert!(html.contains(r#"<h2 id="main-1">Main</h2>"#), "{html}");
        assert!(render("## A\n", false).contains("<h2>A</h2>"));
    }

    #[test]
    fn unknown_languages_fall_back_to_plain_text() {
        let html = render("```klingon\nqapla' <b>\n```\n", true);
        assert!(
            html.contains(
                r#"<pre class="code" tabindex="0"><code class="language-klingon">qapla' &lt;b&gt;"#
            ),
            "{html}"
        );
    }

    #[test]
    fn a_known_language_is_highlighted_with_classes() {
        let html = render("```rust\nfn main() { let x = \"s\"; }\n```\n", true);
        assert!(html.starts_with("<pre class=\"code hl\""), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
