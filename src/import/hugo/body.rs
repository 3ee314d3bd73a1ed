//! Hugo bodies in Dateline's terms: `ref`/`relref` become `@/` links,
//! `figure`, `youtube`, `vimeo` and `highlight` their Dateline forms,
//! `param` the site's value; any other shortcode stays as written and is
//! reported with its line.

use std::collections::HashMap;

/// Finds the content file a `ref` names: by its path from the content
/// folder, with or without `.md` or a leading `/`, or by its file name
/// when only one page has it.
#[derive(Debug, Default)]
pub struct Refs {
    by_path: HashMap<String, String>,
    by_name: HashMap<String, Option<String>>,
    /// The site's `[params]` (keys lower-cased), for `{{< param x >}}`.
    pub params: serde_json::Map<String, serde_json::Value>,
}

impl Refs {
    /// `files`: every page's path from the content folder (`posts/a.md`,
    /// `posts/trip/index.md`) and where the import writes it.
    pub fn new<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> Refs {
        let mut refs = Refs::default();
        for (source, target) in files {
            let bare = source.strip_suffix(".md").unwrap_or(source);
            let folder = bare.strip_suffix("/index").unwrap_or(bare);
            for key in [source, bare, folder] {
                refs.by_path.insert(key.to_string(), target.to_string());
            }
            let name = folder.rsplit('/').next().unwrap_or(folder).to_string();
            refs.by_name
                .entry(name)
                .and_modify(|t| *t = None)
                .or_insert_with(|| Some(target.to_string()));
        }
        refs
    }

    fn find(&self, arg: &str) -> Option<&str> {
        let arg = arg.trim_start_matches('/');
        let bare = arg.strip_suffix(".md").unwrap_or(arg).trim_end_matches('/');
        if let Some(t) = self.by_path.get(arg).or_else(|| self.by_path.get(bare)) {
            return Some(t);
        }
        let name = bare.rsplit('/').next().unwrap_or(bare);
        self.by_name.get(name).and_then(|t| t.as_deref())
    }
}

/// `body` converted, and (line offset in the body, message) for what was
/// left or dropped.
pub fn convert(body: &str, refs: &Refs) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut rest = body;
    let mut consumed = 0;
    while let Some(at) = find_open(rest) {
        let close = if rest[at..].starts_with("{{%") {
            "%}}"
        } else {
            ">}}"
        };
        let Some(len) = rest[at + 3..].find(close) else {
            break;
        };
        let inner = rest[at + 3..at + 3 + len].trim();
        let end = at + 3 + len + 3;
        let line = body[..consumed + at].matches('\n').count();
        out.push_str(&rest[..at]);
        let call = Call::parse(inner);
        if let Some((link, note)) = as_link(&call) {
            out.push_str(&link);
            notes.push((line, note));
            consumed += end;
            rest = &rest[end..];
            continue;
        }
        match convert_one(&call, refs) {
            Ok(Some(text)) => out.push_str(&text),
            Ok(None) => out.push_str(&rest[at..end]),
            Err(why) => {
                out.push_str(&rest[at..end]);
                notes.push((line, why));
            }
        }
        consumed += end;
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, notes)
}

fn find_open(text: &str) -> Option<usize> {
    match (text.find("{{<"), text.find("{{%")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Ok(Some): the Dateline text; Ok(None): leave as is silently;
/// Err: leave as is and report why.
fn convert_one(call: &Call, refs: &Refs) -> Result<Option<String>, String> {
    let kept = |what: &str| Err(format!("{what}; left as written"));
    match call.name.as_str() {
        "ref" | "relref" => {
            let Some(target) = call.arg(0, "path") else {
                return kept("`ref` without a page");
            };
            let (page, anchor) = target
                .split_once('#')
                .map_or((target, None), |(p, a)| (p, Some(a)));
            match refs.find(page) {
                Some(file) => Ok(Some(match anchor {
                    Some(a) => format!("@/{file}#{a}"),
                    None => format!("@/{file}"),
                })),
                None if page.is_empty() => Ok(Some(format!("#{}", anchor.unwrap_or("")))),
                None => kept(&format!(
                    "`{}` names `{page}`, which is not a page of the site",
                    call.name
                )),
            }
        }
        "figure" => {
            let Some(src) = call.arg(0, "src") else {
                return kept("`figure` without `src`");
            };
            let mut args = vec![("src", src.to_string())];
            for (from, to) in [
                ("alt", "alt"),
                ("caption", "caption"),
                ("attr", "credit"),
                ("link", "link"),
                ("class", "class"),
            ] {
                if let Some(v) = call.named(from) {
                    args.push((to, v.to_string()));
                }
            }
            if call.named("caption").is_none() {
                if let Some(title) = call.named("title") {
                    args.push(("caption", title.to_string()));
                }
            }
            Ok(Some(dateline_call("figure", &args)))
        }
        "youtube" | "vimeo" => {
            let Some(id) = call.arg(0, "id") else {
                return kept(&format!("`{}` without a video id", call.name));
            };
            let url = match call.name.as_str() {
                "youtube" => format!("https://www.youtube.com/watch?v={id}"),
                _ => format!("https://vimeo.com/{id}"),
            };
            let mut args = vec![("url", url)];
            if let Some(title) = call.named("title") {
                args.push(("title", title.to_string()));
            }
            Ok(Some(dateline_call("video", &args)))
        }
        "param" => {
            let Some(name) = call.arg(0, "name") else {
                return kept("`param` without a name");
            };
            // `{{< param "social.x" >}}`: a dotted path into [params].
            let mut value = refs
                .params
                .get(&name.split('.').next().unwrap_or(name).to_lowercase());
            for key in name.split('.').skip(1) {
                value = value.and_then(|v| v.get(key.to_lowercase()));
            }
            match value {
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
                Some(serde_json::Value::Bool(b)) => Ok(Some(b.to_string())),
                _ => kept(&format!("`param {name}` is no text value of the site's [params] (a page's own params are not read)")),
            }
        }
        "highlight" => Ok(Some(format!("```{}", call.arg(0, "lang").unwrap_or("")))),
        "/highlight" => Ok(Some("```".into())),
        name if name.starts_with('/') => Ok(None),
        name => kept(&format!("shortcode `{name}` has no Dateline equivalent")),
    }
}

/// Embeds of other services (`x`, `tweet`, `instagram`, `gist`) as a
/// link to what they showed, and a note: Dateline's `post` shortcode
/// needs the post's own words, which the shortcode does not hold.
fn as_link(call: &Call) -> Option<(String, String)> {
    let (label, url) = match call.name.as_str() {
        "x" | "tweet" | "twitter" => {
            let user = call.arg(0, "user")?;
            let id = call.arg(1, "id")?;
            (
                format!("Post by @{user}"),
                format!("https://x.com/{user}/status/{id}"),
            )
        }
        "instagram" => {
            let id = call.arg(0, "id")?;
            (
                "Instagram post".to_string(),
                format!("https://www.instagram.com/p/{id}/"),
            )
        }
        "gist" => {
            let user = call.arg(0, "user")?;
            let id = call.arg(1, "id")?;
            (
                format!("Gist by {user}"),
                format!("https://gist.github.com/{user}/{id}"),
            )
        }
        _ => return None,
    };
    let note = format!("shortcode `{}` became a link to {url}; to embed it, paste its words into `{{{{ post(url=\"{url}\", text=\"…\") }}}}`", call.name);
    Some((format!("[{label}]({url})"), note))
}

/// `{{ name(key="value", …) }}`, quoting each value so it survives.
fn dateline_call(name: &str, args: &[(&str, String)]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|(k, v)| {
            if v.contains('"') && !v.contains('\'') {
                format!("{k}='{v}'")
            } else {
                format!("{k}=\"{}\"", v.replace('"', "\u{201d}"))
            }
        })
        .collect();
    format!("{{{{ {name}({}) }}}}", args.join(", "))
}

/// A parsed Hugo shortcode call: its name, positional and named
/// arguments (quoted with `"` or `` ` ``, or bare).
struct Call {
    name: String,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Call {
    fn parse(inner: &str) -> Call {
        let mut tokens = Vec::new();
        let mut chars = inner.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
                continue;
            }
            let mut token = String::new();
            let mut quote: Option<char> = None;
            while let Some(&c) = chars.peek() {
                match quote {
                    Some(q) if c == q => {
                        quote = None;
                        chars.next();
                    }
                    Some('"') if c == '\\' => {
                        chars.next();
                        if let Some(escaped) = chars.next() {
                            token.push(escaped);
                        }
                    }
                    Some(_) => {
                        token.push(c);
                        chars.next();
                    }
                    None if c == '"' || c == '`' => {
                        quote = Some(c);
                        chars.next();
                    }
                    None if c.is_whitespace() => break,
                    None => {
                        token.push(c);
                        chars.next();
                    }
                }
            }
            tokens.push(token);
        }
        let mut tokens = tokens.into_iter().peekable();
        let mut name = tokens.next().unwrap_or_default();
        // `{{< / highlight >}}` closes like `{{< /highlight >}}`.
        if name == "/" {
            name.push_str(&tokens.next().unwrap_or_default());
        }
        let mut call = Call {
            name,
            positional: Vec::new(),
            named: Vec::new(),
        };
        for token in tokens {
            match token.split_once('=') {
                Some((k, v))
                    if !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_') =>
                {
                    call.named.push((k.to_string(), v.to_string()));
                }
                _ => call.positional.push(token),
            }
        }
        call
    }

    fn named(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The `n`th positional argument, or the named one.
    fn arg(&self, n: usize, key: &str) -> Option<&str> {
        self.positional
            .get(n)
            .map(String::as_str)
            .or_else(|| self.named(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_dateline_forms_and_the_rest_is_reported() {
        let refs = Refs::new(
            [
                ("posts/first.md", "posts/first.md"),
                ("posts/trip/index.md", "posts/trip/index.md"),
            ]
            .into_iter(),
        );
        let body =
            "See [it]({{< ref \"posts/first.md\" >}}) and [trip]({{< relref \"trip#day-2\" >}}).\n\
                    {{< figure src=\"/img/a.jpg\" caption=\"The \\\"quay\\\"\" attr=\"Ana\" >}}\n\
                    {{< youtube dQw4w9WgXcQ >}}\n\
                    {{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< / highlight >}}\n\
                    {{< gist user 123 >}}\n\
                    {{< ref \"missing\" >}}\n\
                    {{< x user=\"harbor\" id=\"99\" >}} {{< note >}}\n";
        let (out, notes) = convert(body, &refs);
        assert!(out.contains("[it](@/posts/first.md)"), "{out}");
        assert!(out.contains("[trip](@/posts/trip/index.md#day-2)"), "{out}");
        assert!(
            out.contains("{{ figure(src=\"/img/a.jpg\", caption="),
            "{out}"
        );
        assert!(out.contains("credit=\"Ana\""), "{out}");
        assert!(
            out.contains("{{ video(url=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\") }}"),
            "{out}"
        );
        assert!(out.contains("```go\nfunc main() {}\n```"), "{out}");
        assert!(
            out.contains("[Gist by user](https://gist.github.com/user/123)"),
            "{out}"
        );
        assert!(
            out.contains("[Post by @harbor](https://x.com/harbor/status/99)"),
            "{out}"
        );
        assert!(
            out.contains("{{< note >}}"),
            "unknown: left as written: {out}"
        );
        let lines: Vec<usize> = notes.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [6, 7, 8, 8], "{notes:?}");
        assert!(notes[0].1.contains("`gist` became a link"));
    }
}
