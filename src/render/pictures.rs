//! Markdown images of a body drawn as responsive pictures: each `<img>`
//! whose `src` is a local photo gets its derivatives (`<picture>` with a
//! WebP `<source>`, `srcset`, `sizes`, `width` and `height`, lazy
//! loading). In a feed, where readers ignore `srcset`, it gets one
//! mid-sized derivative by absolute URL.

use std::borrow::Cow;
use std::collections::HashMap;

use super::context::PictureCtx;
use super::escape::escape_html;
use super::Renderer;

/// The display width of a body image in the default theme's story
/// column (44rem, less the page's 1rem margins on a phone).
pub const BODY_SIZES: &str = "(min-width: 46rem) 44rem, calc(100vw - 2rem)";

impl Renderer<'_> {
    /// `html` (article `i`'s body) with its local photos as pictures.
    pub(super) fn body_pictures<'h>(&self, i: usize, html: &'h str, feed: bool) -> Cow<'h, str> {
        let a = &self.site.articles[i];
        let path = &self.site.article_paths[i];
        let mut by_src: HashMap<String, (PictureCtx, String, String)> = HashMap::new();
        for link in a.links.iter().filter(|l| l.image) {
            let Some(rel) = crate::images::local_rel(a, path, &link.url) else {
                continue;
            };
            let Some(found) = self.urls.picture(&rel, u32::MAX) else {
                continue;
            };
            // As written (a body rendered at load) or resolved (one that
            // waited for the model): both name the same photo.
            by_src.insert(self.urls.url(&rel), found.clone());
            by_src.insert(link.url.clone(), found);
        }
        if by_src.is_empty() {
            return Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(html.len() + 512);
        let mut rest = html;
        while let Some(at) = rest.find("<img ") {
            out.push_str(&rest[..at]);
            let tag = &rest[at..];
            let Some(end) = tag_end(tag) else {
                out.push_str(tag);
                return Cow::Owned(out);
            };
            let (tag, tail) = tag.split_at(end);
            let attrs = attributes(tag);
            let src = attrs
                .iter()
                .find(|(k, _)| *k == "src")
                .map(|(_, v)| unescape(v));
            match src.and_then(|s| by_src.get(s.as_ref())) {
                Some((p, mid, _)) if feed => {
                    let absolute =
                        format!("{}{}", self.urls.config.base_url.trim_end_matches('/'), mid);
                    push_img(&mut out, &attrs, &absolute, p, None, false);
                }
                Some((p, mid, _)) => {
                    out.push_str("<picture>");
                    if !p.webp_srcset.is_empty() {
                        out.push_str("<source type=\"image/webp\" srcset=\"");
                        out.push_str(&escape_html(&p.webp_srcset));
                        out.push_str("\" sizes=\"");
                        out.push_str(BODY_SIZES);
                        out.push_str("\">");
                    }
                    push_img(&mut out, &attrs, mid, p, Some(BODY_SIZES), true);
                    out.push_str("</picture>");
                }
                None => out.push_str(tag),
            }
            rest = tail;
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

fn push_img(
    out: &mut String,
    attrs: &[(&str, &str)],
    src: &str,
    p: &PictureCtx,
    sizes: Option<&str>,
    lazy: bool,
) {
    out.push_str("<img src=\"");
    out.push_str(&escape_html(src));
    out.push('"');
    if let Some(sizes) = sizes {
        out.push_str(" srcset=\"");
        out.push_str(&escape_html(&p.srcset));
        out.push_str("\" sizes=\"");
        out.push_str(sizes);
        out.push('"');
    }
    out.push_str(&format!(" width=\"{}\" height=\"{}\"", p.width, p.height));
    for (k, v) in attrs {
        if !matches!(
            *k,
            "src" | "srcset" | "sizes" | "width" | "height" | "loading" | "decoding"
        ) {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
    }
    if lazy {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    out.push('>');
}

/// Where the tag opened at `tag[0]` ends (after its `>`), quotes minded.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The attributes of an `<img …>` tag, values as written (still escaped).
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let inner = tag
        .trim_start_matches("<img")
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut out = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            if !name.is_empty() {
                out.push((name, value));
            }
            rest = tail.trim_start();
        } else {
            if !name.is_empty() {
                out.push((name, ""));
            }
            if name.is_empty() {
                break;
            }
        }
    }
    out
}

fn unescape(v: &str) -> Cow<'_, str> {
    if !v.contains('&') {
        return Cow::Borrowed(v);
    }
    Cow::Owned(
        v.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_with_their_quotes() {
        let tag = r#"<img src="/a b.jpg" alt="say &quot;hi&quot;" title='t' hidden />"#;
        assert_eq!(tag_end(tag), Some(tag.len()));
        assert_eq!(
            attributes(tag),
            vec![
                ("src", "/a b.jpg"),
                ("alt", "say &quot;hi&quot;"),
                ("title", "t"),
                ("hidden", "")
            ]
        );
        assert_eq!(tag_end(r#"<img alt="a > b" src="x">rest"#), Some(25));
    }
}
