//! Where a shortcode was cut out of a body: a placeholder of private-use
//! characters that markdown passes through as text, untouched by smart
//! punctuation, escaping and sanitising, and that no real text holds.

/// Opens and closes a placeholder: `\u{E000}3\u{E001}` is call 3.
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

/// Appends the placeholder of call `n`.
pub fn push(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{OPEN}{n}{CLOSE}");
}

/// `text` without its placeholders, for word counts and excerpts.
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.find(CLOSE) {
            Some(end) => rest = &rest[end + CLOSE.len_utf8()..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// `html` with each placeholder replaced by what `draw` writes for its
/// call. A placeholder alone in a paragraph (a shortcode on a line of its
/// own) replaces the paragraph: a `<figure>` cannot sit inside a `<p>`.
pub fn expand<E>(
    html: &str,
    mut draw: impl FnMut(usize, &mut String) -> Result<(), E>,
) -> Result<String, E> {
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            break;
        };
        let Ok(n) = after[..close].parse::<usize>() else {
            out.push_str(&rest[..at + OPEN.len_utf8()]);
            rest = after;
            continue;
        };
        let before = &rest[..at];
        let tail = &after[close + CLOSE.len_utf8()..];
        let (before, tail) = match (before.strip_suffix("<p>"), tail.strip_prefix("</p>")) {
            (Some(b), Some(t)) => (b, t),
            _ => (before, tail),
        };
        out.push_str(before);
        draw(n, &mut out)?;
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(n: usize) -> String {
        let mut s = String::new();
        push(&mut s, n);
        s
    }

    #[test]
    fn a_placeholder_alone_replaces_its_paragraph() {
        let html = format!("<p>{}</p>\n<p>a {} b</p>\n", marked(0), marked(1));
        let out = expand(&html, |n, out| {
            out.push_str(&format!("<X{n}>"));
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(out, "<X0>\n<p>a <X1> b</p>\n");
    }

    #[test]
    fn stripping_leaves_the_text_around() {
        assert_eq!(strip(&format!("a{}b{}", marked(12), marked(3))), "ab");
    }
}
