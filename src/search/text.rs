//! An article body's words for the index: its HTML without tags, with
//! entities decoded and shortcode placeholders removed.

/// The text of `html`, block elements separated by spaces; script and
/// style contents dropped.
pub fn plain_text(html: &str) -> String {
    let html = crate::markdown::placeholders::strip(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html.as_str();
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let tag = &rest[lt..];
        let Some(gt) = tag.find('>') else {
            rest = "";
            break;
        };
        let name: String = tag[1..gt]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &tag[gt + 1..];
        if !tag[1..].starts_with('/') && (name == "script" || name == "style") {
            let close = format!("</{name}");
            rest = rest
                .to_ascii_lowercase()
                .find(&close)
                .map_or("", |end| &rest[end..]);
        }
        if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    push_decoded(&mut out, rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
                out.push(c);
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
}
