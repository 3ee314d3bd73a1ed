//! A WordPress post's HTML as Dateline markdown. WordPress stores bodies
//! without paragraph tags (it adds them when it shows a post), with
//! shortcodes in square brackets and, from the block editor, `<figure>`
//! blocks. Photos with captions and video embeds become Dateline
//! shortcodes; the rest is converted by htmd, which keeps as HTML what
//! markdown cannot say (tables with spans, iframes, classes).

use std::sync::OnceLock;

/// The markdown and, for each thing left as written, its line in the
/// post's HTML (from 0) and why.
pub fn convert(html: &str) -> (String, Vec<(usize, String)>) {
    let mut calls = Vec::new();
    let mut notes = Vec::new();
    // The block editor and some plugins store paragraphs; the classic
    // editor does not.
    let has_paragraphs = html.contains("<p>") || html.contains("<p ") || html.contains("<!-- wp:");
    let html = block_comments(html);
    let html = shortcodes(&html, &mut calls, &mut notes);
    let html = figures(&html, &mut calls);
    let html = embeds(&html, &mut calls);
    let html = if has_paragraphs { html } else { autop(&html) };
    let markdown = match converter().convert(&html) {
        Ok(m) => m,
        Err(e) => {
            notes.push((
                0,
                format!("the HTML could not be converted ({e}); kept as HTML"),
            ));
            html.clone()
        }
    };
    let mut out = markdown;
    for (n, call) in calls.iter().enumerate() {
        out = out.replace(&marker(n), call);
    }
    (format!("{}\n", out.trim()), notes)
}

fn converter() -> &'static htmd::HtmlToMarkdown {
    static CONVERTER: OnceLock<htmd::HtmlToMarkdown> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        htmd::HtmlToMarkdown::builder()
            .options(htmd::options::Options {
                translation_mode: htmd::options::TranslationMode::Faithful,
                ..Default::default()
            })
            .skip_tags(vec!["script", "style"])
            .build()
    })
}

/// The block editor's `<!-- wp:… -->` markers, which only it reads.
fn block_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        let marker = rest[at + 4..].trim_start();
        let Some(len) = rest[at..].find("-->") else {
            break;
        };
        out.push_str(&rest[..at]);
        if !(marker.starts_with("wp:") || marker.starts_with("/wp:")) {
            out.push_str(&rest[at..at + len + 3]);
        }
        rest = &rest[at + len + 3..];
    }
    out.push_str(rest);
    out
}

/// A word htmd passes through as it is, standing for a Dateline call.
fn marker(n: usize) -> String {
    format!("DATELINECALL{n}X")
}

fn hold(call: String, calls: &mut Vec<String>) -> String {
    calls.push(call);
    format!("\n\n<p>{}</p>\n\n", marker(calls.len() - 1))
}

/// `[caption]`, `[embed]`, `[youtube]`, `[video]` become calls; other
/// shortcodes stay as written and are reported.
fn shortcodes(html: &str, calls: &mut Vec<String>, notes: &mut Vec<(usize, String)>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('[') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let opens = !name.is_empty()
            && after[name.len()..].starts_with([' ', ']', '/'])
            && after.contains(']');
        if !opens {
            out.push('[');
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find(']') else {
            out.push('[');
            rest = after;
            continue;
        };
        let attrs = &after[name.len()..tag_end];
        let close = format!("[/{name}]");
        let (inner, next) = match after[tag_end + 1..].find(&close) {
            Some(len) => (
                &after[tag_end + 1..tag_end + 1 + len],
                &after[tag_end + 1 + len + close.len()..],
            ),
            None => ("", &after[tag_end + 1..]),
        };
        let line = html[..html.len() - rest.len() + at].matches('\n').count();
        match convert_shortcode(&name, attrs, inner) {
            Some(call) => out.push_str(&hold(call, calls)),
            None if attrs.contains('=') || !inner.is_empty() || KNOWN.contains(&name.as_str()) => {
                notes.push((
                    line,
                    format!("shortcode `[{name}]` has no Dateline equivalent; left as written"),
                ));
                out.push_str(&rest[at..rest.len() - next.len()]);
            }
            // `[sic]`, `[1]`: text in brackets, not a shortcode.
            None => out.push_str(&rest[at..rest.len() - next.len()]),
        }
        rest = next;
    }
    out.push_str(rest);
    out
}

/// WordPress's own shortcodes, reported even without arguments.
const KNOWN: &[&str] = &["gallery", "audio", "playlist", "embed", "caption", "video"];

fn convert_shortcode(name: &str, attrs: &str, inner: &str) -> Option<String> {
    match name {
        "caption" | "wp_caption" => {
            let src = attr(inner, "src")?;
            let alt = attr(inner, "alt").unwrap_or_default();
            let caption = attr(attrs, "caption").unwrap_or_else(|| {
                let without_img = match (inner.find("<img"), inner.rfind('>')) {
                    (Some(_), Some(end)) => &inner[end + 1..],
                    _ => inner,
                };
                text_of(without_img)
            });
            Some(figure(&src, &alt, &caption))
        }
        "embed" => video(inner.trim()),
        "youtube" | "vimeo" => {
            let target = attr(attrs, "id")
                .or_else(|| attr(attrs, "url"))
                .unwrap_or_else(|| attrs.trim().trim_start_matches('=').to_string());
            match name {
                "youtube" if !target.contains('/') => {
                    video(&format!("https://www.youtube.com/watch?v={target}"))
                }
                "vimeo" if !target.contains('/') => video(&format!("https://vimeo.com/{target}")),
                _ => video(&target),
            }
        }
        "video" => {
            let src = ["src", "mp4", "webm"].iter().find_map(|k| attr(attrs, k))?;
            Some(format!("{{{{ video(src={}) }}}}", quoted(&src)))
        }
        _ => None,
    }
}

/// A YouTube or Vimeo address as a Dateline video.
fn video(url: &str) -> Option<String> {
    let host = url.split("//").nth(1)?.split('/').next()?;
    let known = [
        "youtube.com",
        "www.youtube.com",
        "youtu.be",
        "vimeo.com",
        "www.vimeo.com",
        "m.youtube.com",
    ];
    known
        .contains(&host)
        .then(|| format!("{{{{ video(url={}) }}}}", quoted(url)))
}

/// Block-editor photos: `<figure …><img …><figcaption>…</figcaption></figure>`.
fn figures(html: &str, calls: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<figure") {
        out.push_str(&rest[..at]);
        let Some(len) = rest[at..].find("</figure>") else {
            break;
        };
        let block = &rest[at..at + len + "</figure>".len()];
        let photo = !block.contains("<iframe")
            && !block.contains("<video")
            && block.matches("<img").count() == 1;
        match (photo, attr(block, "src")) {
            (true, Some(src)) => {
                let caption = block
                    .find("<figcaption")
                    .and_then(|s| {
                        let open_end = block[s..].find('>')? + s + 1;
                        let close = block[open_end..].find("</figcaption>")? + open_end;
                        Some(text_of(&block[open_end..close]))
                    })
                    .unwrap_or_default();
                let alt = attr(block, "alt").unwrap_or_default();
                out.push_str(&hold(figure(&src, &alt, &caption), calls));
            }
            _ => out.push_str(block),
        }
        rest = &rest[at + block.len()..];
    }
    out.push_str(rest);
    out
}

/// A YouTube or Vimeo address alone on its line, which WordPress shows
/// as the video.
fn embeds(html: &str, calls: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        let bare = line.trim();
        let bare = bare
            .strip_prefix("<p>")
            .and_then(|l| l.strip_suffix("</p>"))
            .unwrap_or(bare)
            .trim();
        match (
            bare.starts_with("https://") || bare.starts_with("http://"),
            video(bare),
        ) {
            (true, Some(call)) if !bare.contains(char::is_whitespace) => {
                out.push_str(&hold(call, calls))
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// WordPress's `wpautop`, simply: blank-line-separated text becomes
/// paragraphs (a line break within one a `<br>`), block elements stay.
fn autop(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<table",
        "<blockquote",
        "<pre",
        "<figure",
        "<p>",
        "<p ",
        "<hr",
        "<iframe",
        "<section",
        "<dl",
        "<!--",
        "<address",
    ];
    let text = html.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 64);
    for chunk in text.split("\n\n").map(str::trim).filter(|c| !c.is_empty()) {
        if BLOCKS.iter().any(|b| chunk.starts_with(b)) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br>"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

fn figure(src: &str, alt: &str, caption: &str) -> String {
    let mut call = format!("{{{{ figure(src={}", quoted(src));
    if !alt.is_empty() {
        call.push_str(&format!(", alt={}", quoted(alt)));
    }
    if !caption.is_empty() {
        call.push_str(&format!(", caption={}", quoted(caption)));
    }
    call.push_str(") }}");
    call
}

/// A Dateline shortcode string argument.
fn quoted(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ");
    format!("\"{escaped}\"")
}

/// The value of `name="…"` (or `'…'`) in a tag or shortcode.
fn attr(text: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = text[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = start == 0 || text[..start].ends_with([' ', '\n', '\t', '<']);
        let rest = text[from..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value = value.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let inner = value[1..].split(quote).next()?;
        return Some(text_of(inner));
    }
    None
}

/// The text of some HTML, entities decoded: the search index's reading.
pub(super) fn text_of(html: &str) -> String {
    crate::search::plain_text(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_html_becomes_markdown_with_dateline_calls() {
        let html = "The council met.\nIt voted.\n\n[caption id=\"a\" width=\"300\"]<img src=\"https://x.example/up/c.jpg\" alt=\"The hall\" /> The hall &amp; its &quot;dome&quot;[/caption]\n\nhttps://www.youtube.com/watch?v=abc\n\n<h2>Next</h2>\n\n[gallery ids=\"1,2\"]\n\nSee [sic] and <strong>this</strong>.\n\n<table><tr><td colspan=\"2\">Wide</td></tr></table>";
        let (md, notes) = convert(html);
        assert!(md.starts_with("The council met.  \nIt voted.\n"), "{md}");
        assert!(
            md.contains("{{ figure(src=\"https://x.example/up/c.jpg\", alt=\"The hall\", caption=\"The hall & its \\\"dome\\\"\") }}"),
            "{md}"
        );
        assert!(
            md.contains("{{ video(url=\"https://www.youtube.com/watch?v=abc\") }}"),
            "{md}"
        );
        assert!(md.contains("## Next") && md.contains("**this**"), "{md}");
        // Left as written: markdown escapes the brackets, so they print.
        assert!(
            md.contains("\\[gallery ids=\"1,2\"\\]") && md.contains("\\[sic\\]"),
            "{md}"
        );
        assert!(
            md.contains("colspan"),
            "structure markdown cannot hold stays HTML: {md}"
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, 9);

        let block = "<!-- wp:image -->\n<figure class=\"wp-block-image\"><img src=\"/up/a.jpg\" alt=\"\"/><figcaption>Rain <em>again</em></figcaption></figure>\n<!-- /wp:image -->\n<!-- wp:paragraph -->\n<p>Text.</p>\n<!-- /wp:paragraph -->";
        let (md, _) = convert(block);
        assert!(
            md.contains("{{ figure(src=\"/up/a.jpg\", caption=\"Rain again\") }}"),
            "{md}"
        );
        assert!(md.contains("Text.") && !md.contains("wp:paragraph"), "{md}");
    }
}
