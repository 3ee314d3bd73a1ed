//! An article body's words for the index: its HTML without tags, with
//! entities decoded and shortcode placeholders removed.

/// The text of `html`, block elements separated by spaces, runs of
/// white space made one space; script and style contents dropped.
pub fn plain_text(html: &str) -> String {
    let stripped;
    let html = if html.contains(crate::markdown::placeholders::OPEN) {
        stripped = crate::markdown::placeholders::strip(html);
        stripped.as_str()
    } else {
        html
    };
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let tag = &rest[lt + 1..];
        let Some(gt) = tag.find('>') else {
            rest = "";
            break;
        };
        rest = &tag[gt + 1..];
        for skipped in ["script", "style"] {
            if starts_with_name(tag, skipped) {
                rest = find_close(rest, skipped).map_or("", |end| &rest[end..]);
            }
        }
        space(&mut out);
    }
    push_text(&mut out, rest);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether the tag after `<` opens element `name` (`<script`, `<SCRIPT `).
fn starts_with_name(tag: &str, name: &str) -> bool {
    tag.len() >= name.len()
        && tag.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && !tag
            .as_bytes()
            .get(name.len())
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// Where `</name` starts in `text`, in any case.
fn find_close(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("</") {
        let at = from + at;
        if starts_with_name(&text[at + 2..], name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// A space, unless the text is empty or already ends in one.
fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// `text` with entities decoded and white space collapsed.
fn push_text(out: &mut String, text: &str) {
    for (i, run) in text.split(char::is_whitespace).enumerate() {
        if i > 0 {
            space(out);
        }
        push_decoded(out, run);
    }
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                // `&nbsp;` is white space like any other.
                if c.is_whitespace() {
                    space(out);
                } else {
                    out.push(c);
                }
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "hellip" => '…',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn tags_go_words_stay() {
        let html = "<h2>Fares</h2><p>Riders pay &#8220;more&#8221; &amp; wait.</p><script>var x = '<p>';</script><p>Done</p>";
        assert_eq!(plain_text(html), "Fares Riders pay “more” & wait. Done");
    }

    #[test]
    fn a_lone_ampersand_or_bracket_is_text() {
        assert_eq!(plain_text("A & B <3"), "A & B");
        assert_eq!(plain_text("AT&T"), "AT&T");
    }

    #[test]
    fn white_space_is_one_space_and_any_case_of_script_is_dropped() {
        let html =
            "  <p>One\n\t two&nbsp; three</p>\n<SCRIPT type=x>no</Script><scripts>yes</scripts> ";
        assert_eq!(plain_text(html), "One two three yes");
        assert_eq!(plain_text("<style>p{}</style>"), "");
        assert_eq!(plain_text("<script>never closed"), "");
    }
}
