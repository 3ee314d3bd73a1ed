//! Jekyll bodies in Dateline's terms. Jekyll runs Liquid over the whole
//! body before markdown, so its tags are converted wherever they stand:
//! `post_url` and `link` to a post become `@/` links, `{{ site.x }}` and
//! `{{ page.x }}` their values, `highlight` a fenced block, `raw` its
//! text, `comment` nothing. Any other tag is left as written and
//! reported.

use std::collections::HashMap;

use serde_json::Value;

/// What a body's Liquid can refer to.
pub struct Scope<'a> {
    /// `_config.yml`, for `site.x`.
    pub site: &'a Value,
    /// The post's front matter, for `page.x`.
    pub page: &'a serde_json::Map<String, Value>,
    /// A post's name (`2020-01-02-launch`, also with its folder under
    /// `_posts`) and its path from the site root → its Dateline file.
    pub posts: &'a HashMap<String, String>,
}

/// The converted body and, for each thing left or dropped, its line
/// (from 0) and why.
pub fn convert(body: &str, scope: &Scope) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut rest = body;
    while let Some(at) = next_open(rest) {
        out.push_str(&rest[..at]);
        let line = body.len() - rest.len() + at;
        let line = body[..line].matches('\n').count();
        let object = rest[at..].starts_with("{{");
        let close = if object { "}}" } else { "%}" };
        let Some(len) = rest[at + 2..].find(close) else {
            break;
        };
        let inner = rest[at + 2..at + 2 + len]
            .trim_matches('-')
            .trim()
            .to_string();
        let whole = &rest[at..at + 2 + len + 2];
        rest = &rest[at + 2 + len + 2..];
        if object {
            match variable(&inner, scope) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str(whole);
                    notes.push((line, format!("Liquid `{{{{ {inner} }}}}` has no value Dateline can fill; left as written")));
                }
            }
            continue;
        }
        let (tag, args) = inner
            .split_once(char::is_whitespace)
            .unwrap_or((&inner, ""));
        let args = args.trim();
        match tag {
            "post_url" => match scope.posts.get(args.trim_matches(['"', '\''])) {
                Some(file) => out.push_str(&format!("@/{file}")),
                None => {
                    out.push_str(whole);
                    notes.push((
                        line,
                        format!("`post_url {args}` names no post of the site; left as written"),
                    ));
                }
            },
            "link" => match scope.posts.get(args.trim_matches(['"', '\''])) {
                Some(file) => out.push_str(&format!("@/{file}")),
                None => {
                    out.push_str(whole);
                    notes.push((line, format!("`link {args}` names a page that was not imported (only posts are); left as written")));
                }
            },
            "highlight" => {
                let lang = args.split_whitespace().next().unwrap_or("");
                let (code, after) = until(rest, "endhighlight");
                let code = code.trim_matches('\n');
                out.push_str(&format!("```{lang}\n{code}\n```"));
                rest = after;
            }
            "raw" => {
                let (text, after) = until(rest, "endraw");
                out.push_str(text);
                rest = after;
            }
            "comment" => {
                let (_, after) = until(rest, "endcomment");
                rest = after;
            }
            _ => {
                out.push_str(whole);
                notes.push((
                    line,
                    format!("Liquid tag `{tag}` has no Dateline equivalent; left as written"),
                ));
            }
        }
    }
    out.push_str(rest);
    (out, notes)
}

fn next_open(text: &str) -> Option<usize> {
    match (text.find("{{"), text.find("{%")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The text up to `{% end %}` and what follows it; all of the text when
/// it is never closed.
fn until<'t>(text: &'t str, end: &str) -> (&'t str, &'t str) {
    let mut from = 0;
    while let Some(at) = text[from..].find("{%") {
        let start = from + at;
        let Some(len) = text[start + 2..].find("%}") else {
            break;
        };
        let inner = text[start + 2..start + 2 + len].trim_matches('-').trim();
        if inner == end {
            return (&text[..start], &text[start + 2 + len + 2..]);
        }
        from = start + 2;
    }
    (text, "")
}

/// `site.x` or `page.x` with no filter, when it holds text or a number.
fn variable(inner: &str, scope: &Scope) -> Option<String> {
    let (root, path) = inner.split_once('.')?;
    if path.contains(|c: char| c.is_whitespace() || c == '|') {
        return None;
    }
    // Jekyll's own defaults: a site without them prints nothing.
    if root == "site" && matches!(path, "baseurl" | "url") && scope.site.get(path).is_none() {
        return Some(String::new());
    }
    let mut value = match root {
        "site" => scope.site,
        "page" => scope.page.get(path.split('.').next()?)?,
        _ => return None,
    };
    let keys: Vec<&str> = path.split('.').collect();
    let keys = if root == "page" {
        &keys[1..]
    } else {
        &keys[..]
    };
    for key in keys {
        value = value.get(key)?;
    }
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_tags_become_dateline_or_are_reported() {
        let site = serde_json::json!({"baseurl": "", "author": {"name": "Desk"}});
        let page = serde_json::json!({"title": "Launch"});
        let posts = HashMap::from([
            (
                "2020-01-02-launch".to_string(),
                "blog/launch.md".to_string(),
            ),
            (
                "blog/_posts/2020-01-02-launch.md".to_string(),
                "blog/launch.md".to_string(),
            ),
        ]);
        let scope = Scope {
            site: &site,
            page: page.as_object().unwrap(),
            posts: &posts,
        };
        let body = "![a]({{ site.baseurl }}/img/a.png) by {{site.author.name}} on {{ page.title }}\n\
            [b]({% post_url 2020-01-02-launch %}) [c]({% link blog/_posts/2020-01-02-launch.md %})\n\
            {% highlight ruby linenos %}\nputs {{ x }}\n{% endhighlight %}\n\
            {% raw %}{{ kept }}{% endraw %}{% comment %}gone{% endcomment %}\n\
            {% include note.html %} {{ site.missing }} {% post_url 1999-01-01-none %}\n";
        let (out, notes) = convert(body, &scope);
        assert!(
            out.starts_with("![a](/img/a.png) by Desk on Launch\n"),
            "{out}"
        );
        assert!(
            out.contains("[b](@/blog/launch.md) [c](@/blog/launch.md)"),
            "{out}"
        );
        assert!(out.contains("```ruby\nputs {{ x }}\n```"), "{out}");
        assert!(
            out.contains("{{ kept }}\n") && !out.contains("gone"),
            "{out}"
        );
        let lines: Vec<usize> = notes.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [6, 6, 6], "{notes:?}");
    }
}
