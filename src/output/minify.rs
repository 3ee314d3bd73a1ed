//! `minify = true`: pages without what a browser does not need (comments,
//! runs of whitespace between tags, whitespace in inline CSS), the same
//! text and still valid HTML5. `<pre>`, `<code>`, `<textarea>` and every
//! `<script>` (the JSON-LD among them) are left exactly as they are.

use html_minifier::HTMLMinifier;

/// `html` minified; on the rare input the minifier refuses, as it was:
/// a page is never lost to its minifier.
pub fn minify_html(html: &[u8]) -> Vec<u8> {
    let mut minifier = HTMLMinifier::new();
    minifier.set_remove_comments(true);
    minifier.set_minify_css(true);
    minifier.set_minify_js(false);
    minifier.set_minify_code(false);
    match minifier.digest(html).and_then(|()| minifier.into_html()) {
        Ok(out) => out,
        Err(_) => html.to_vec(),
    }
}

/// Whether the output file at `rel` is an HTML page.
pub fn is_html(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

/// The bytes of the output file `rel` as published: minified when the
/// site asks and it is a page. Builds and previews both go through here.
pub fn published<'a>(minify: bool, rel: &str, bytes: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    if minify && is_html(rel) {
        std::borrow::Cow::Owned(minify_html(bytes))
    } else {
        std::borrow::Cow::Borrowed(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_comments_go_code_and_structured_data_stay() {
        let page = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <!-- a note -->\n    <title>A   page</title>\n\
            <script type=\"application/ld+json\">{\"headline\":  \"x\"}</script>\n  </head>\n  <body>\n\
            <p>Some   <em>text</em>  here.</p>\n    <pre><code>keep   this\n  indent</code></pre>\n  </body>\n</html>\n";
        let out = String::from_utf8(minify_html(page.as_bytes())).unwrap();
        assert!(out.len() < page.len());
        assert!(!out.contains("a note"), "{out}");
        assert!(out.contains("{\"headline\":  \"x\"}"), "{out}");
        assert!(out.contains("keep   this\n  indent"), "{out}");
        assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    }
}
