//! Zola bodies already use Dateline's shortcode syntax and `@/` links:
//! `youtube`/`vimeo` become `video`, and a shortcode Dateline lacks is
//! escaped so the site builds, and reported.

/// Zola bodies already use Dateline's shortcode syntax and `@/` links;
/// a `youtube(id=…)` or `vimeo(id=…)` becomes `video`, a shortcode
/// Dateline lacks is reported.
pub(super) fn convert(body: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut rest = body;
    let mut done = 0;
    // Open body shortcodes: whether each was escaped.
    let mut blocks: Vec<bool> = Vec::new();
    while let Some(at) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let open = &rest[at..at + 2];
        let close = if open == "{{" { "}}" } else { "%}" };
        let Some(len) = rest[at + 2..].find(close) else {
            break;
        };
        let inner = rest[at + 2..at + 2 + len].trim();
        let end = at + 2 + len + 2;
        let line = body[..done + at].matches('\n').count();
        out.push_str(&rest[..at]);
        let name: String = inner
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let call = inner[name.len()..].trim_start().starts_with('(');
        match (name.as_str(), call) {
            ("youtube" | "vimeo", true) => {
                let id = arg(inner, "id").unwrap_or_default();
                let url = match name.as_str() {
                    "youtube" => format!("https://www.youtube.com/watch?v={id}"),
                    _ => format!("https://vimeo.com/{id}"),
                };
                out.push_str(&format!("{{{{ video(url=\"{url}\") }}}}"));
            }
            (n, true) if crate::content::shortcodes::spec(n).is_none() => {
                // Escaped, the call prints as written and the site builds;
                // a `{% end %}` of its body is escaped alike.
                out.push_str(&format!("{open}/* {inner} */{close}"));
                if open == "{%" {
                    blocks.push(true);
                }
                notes.push((line, format!("shortcode `{n}` is not one of Dateline's: printed as text; to draw it, add templates/shortcodes/{n}.html and remove the `/* */` around it")));
            }
            ("end", false) if open == "{%" => match blocks.pop() {
                Some(true) => out.push_str("{%/* end */%}"),
                _ => out.push_str(&rest[at..end]),
            },
            (_, true) if open == "{%" => {
                blocks.push(false);
                out.push_str(&rest[at..end]);
            }
            _ => out.push_str(&rest[at..end]),
        }
        done += end;
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, notes)
}

/// The value of `key="…"` in a shortcode call.
fn arg(call: &str, key: &str) -> Option<String> {
    let at = call.find(&format!("{key}="))? + key.len() + 1;
    let rest = &call[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next().map(str::to_string)
}
