//! The built-in shortcodes: the arguments each takes and what each adds to
//! its template's context beyond them (URLs resolved, a video's host
//! recognised, a related story's headline). The drawing is the theme's:
//! `templates/shortcodes/NAME.html`, which a site may override.

use serde::Serialize;

use super::Renderer;
use crate::config::title_case;
use crate::markdown::{Arg, Call};
use tera::Value;

/// The type an argument must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Str,
    Int,
}

/// Whether a shortcode takes a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Body {
    No,
    Yes,
    Maybe,
}

pub(super) struct Spec {
    pub name: &'static str,
    /// (name, type, required)
    pub params: &'static [(&'static str, Kind, bool)],
    pub body: Body,
}

use Kind::{Int, Str};

pub(super) const BUILTINS: &[Spec] = &[
    Spec {
        name: "figure",
        params: &[
            ("src", Str, true),
            ("alt", Str, false),
            ("caption", Str, false),
            ("credit", Str, false),
            ("link", Str, false),
            ("class", Str, false),
        ],
        body: Body::No,
    },
    Spec {
        name: "pullquote",
        params: &[("by", Str, false)],
        body: Body::Yes,
    },
    Spec {
        name: "related",
        params: &[("to", Str, true)],
        body: Body::No,
    },
    Spec {
        name: "factbox",
        params: &[("title", Str, false)],
        body: Body::Yes,
    },
    Spec {
        name: "video",
        params: &[
            ("url", Str, false),
            ("src", Str, false),
            ("title", Str, false),
            ("poster", Str, false),
        ],
        body: Body::No,
    },
    Spec {
        name: "post",
        params: &[
            ("url", Str, true),
            ("author", Str, true),
            ("text", Str, false),
            ("date", Str, false),
        ],
        body: Body::Maybe,
    },
    Spec {
        name: "embed",
        params: &[
            ("src", Str, true),
            ("title", Str, true),
            ("height", Int, false),
        ],
        body: Body::No,
    },
];

pub(super) fn spec(name: &str) -> Option<&'static Spec> {
    BUILTINS.iter().find(|s| s.name == name)
}

/// A problem with a call: message and hint.
pub(super) type Problem = (String, Option<String>);

fn problem(message: impl Into<String>, hint: Option<&str>) -> Problem {
    (message.into(), hint.map(str::to_string))
}

/// Every problem with `call`'s arguments and body against `spec`.
/// `open`: arguments beyond the spec are allowed (a site's own template
/// drawing the built-in may take more).
pub(super) fn check(spec: &Spec, call: &Call, open: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let name = spec.name;
    for &(param, kind, required) in spec.params {
        match (call.arg(param), kind) {
            (None, _) if required => problems.push(problem(
                format!("shortcode `{name}` needs the argument `{param}`"),
                Some(&format!("write `{param}=\"…\"` in the call")),
            )),
            (Some(Arg::Str(_)), Kind::Str) | (Some(Arg::Int(_)), Kind::Int) | (None, _) => {}
            (Some(other), _) => problems.push(problem(
                format!(
                    "argument `{param}` of `{name}` must be {}, found {}",
                    match kind {
                        Kind::Str => "a string",
                        Kind::Int => "an integer",
                    },
                    other.kind()
                ),
                None,
            )),
        }
    }
    if !open {
        for (key, _) in &call.args {
            if spec.params.iter().all(|(p, _, _)| p != key) {
                let names: Vec<&str> = spec.params.iter().map(|(p, _, _)| *p).collect();
                let hint = match crate::text::closest(key, &names) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("`{name}` takes {}", names.join(", ")),
                };
                problems.push(problem(
                    format!("shortcode `{name}` has no argument `{key}`"),
                    Some(&hint),
                ));
            }
        }
    }
    match (spec.body, call.body.is_some()) {
        (Body::No, true) => problems.push(problem(
            format!("shortcode `{name}` takes no body"),
            Some(&format!("write it inline: `{{{{ {name}(…) }}}}`")),
        )),
        (Body::Yes, false) => problems.push(problem(
            format!("shortcode `{name}` needs a body"),
            Some(&format!("write `{{% {name}(…) %}}…{{% end %}}`")),
        )),
        _ => {}
    }
    problems
}

pub(super) fn string<'c>(call: &'c Call, key: &str) -> Option<&'c str> {
    match call.arg(key) {
        Some(Arg::Str(s)) => Some(s.trim()),
        _ => None,
    }
}

/// What the built-in adds to the context of article `i`'s call.
pub(super) fn extras<'a>(
    r: &Renderer<'a>,
    i: usize,
    n: usize,
    call: &Call,
) -> Result<Vec<(&'static str, Value)>, Problem> {
    Ok(match call.name.as_str() {
        "figure" => {
            let (src, permalink) = r.content_url(i, string(call, "src").unwrap_or(""))?;
            let mut out = vec![
                ("src", Value::from(src)),
                ("permalink", Value::from(permalink)),
            ];
            if let Some(link) = string(call, "link") {
                out.push(("link", Value::from(r.content_url(i, link)?.0)));
            }
            out
        }
        "related" => {
            let target = r.site.inline_related[i]
                .iter()
                .find(|(c, _)| *c == n)
                .map(|&(_, t)| t)
                .ok_or_else(|| problem("related story not found", None))?;
            vec![(
                "target",
                Value::from_serializable(&r.related_target(target)),
            )]
        }
        "video" => video(r, i, call)?,
        "post" => {
            let url = https(string(call, "url").unwrap_or(""), "post", "url")?;
            let mut out = vec![("host", Value::from(host(&url)))];
            out.push(("url", Value::from(url)));
            if let Some(date) = string(call, "date") {
                out.push(("date", Value::from_serializable(&r.loose_date(date))));
            }
            out
        }
        "embed" => {
            let src = https(string(call, "src").unwrap_or(""), "embed", "src")?;
            let height = match call.arg("height") {
                Some(Arg::Int(h)) if (40..=4000).contains(h) => *h,
                Some(Arg::Int(h)) => {
                    return Err(problem(
                        format!("embed height {h} is out of range"),
                        Some("give a height in pixels between 40 and 4000"),
                    ))
                }
                _ => 450,
            };
            vec![
                ("host", Value::from(host(&src))),
                ("src", Value::from(src)),
                ("height", Value::from(height)),
            ]
        }
        _ => Vec::new(),
    })
}

/// A related box's target, as the template gets it.
#[derive(Serialize)]
pub(super) struct Target<'a> {
    pub headline: &'a str,
    pub url: String,
    pub kind: &'a str,
    pub kind_label: String,
    pub dek: Option<&'a str>,
}

impl<'a> Renderer<'a> {
    fn related_target(&self, t: usize) -> Target<'a> {
        let a: &'a crate::content::Article = &self.site.articles[t];
        Target {
            headline: &a.headline,
            url: self.urls.url(&self.site.article_paths[t]),
            kind: &a.kind,
            kind_label: title_case(&a.kind),
            dek: a.dek.as_deref(),
        }
    }

    /// A date as written in a call: shown as the site shows dates when it
    /// parses, else as written.
    fn loose_date(&self, text: &str) -> super::DateCtx {
        match crate::content::parse_date(text, self.urls.config.timezone) {
            Ok(d) => self.urls.date(&d),
            Err(_) => super::DateCtx {
                iso: String::new(),
                display: text.to_string(),
                time: String::new(),
                rfc2822: String::new(),
                archive_url: String::new(),
            },
        }
    }
}

/// `url` when it is an https URL; anything else is an error, so a frame or
/// a link never loads over plain http or runs a `javascript:` URL.
fn https(url: &str, name: &str, key: &str) -> Result<String, Problem> {
    let rest = url.strip_prefix("https://").unwrap_or("");
    if rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace) {
        return Err(problem(
            format!("{name} {key} `{url}` must be an https:// URL"),
            Some("plain http and site paths are refused: the page is served over https"),
        ));
    }
    Ok(url.to_string())
}

/// The host of an https URL, without `www.`.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// A video on YouTube or Vimeo: (provider, the page that plays it).
pub(super) fn video_host(url: &str) -> Option<(&'static str, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest
        .strip_prefix("www.")
        .or_else(|| rest.strip_prefix("m."))
        .unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let id_ok = |id: &str| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let youtube = |id: &str| ("YouTube", format!("https://www.youtube.com/watch?v={id}"));
    match (host, segments.as_slice()) {
        ("youtu.be", [id, ..]) if id_ok(id) => Some(youtube(id)),
        ("youtube.com" | "youtube-nocookie.com", ["watch"]) => query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .filter(|id| id_ok(id))
            .map(youtube),
        ("youtube.com" | "youtube-nocookie.com", ["embed" | "shorts" | "live", id, ..])
            if id_ok(id) =>
        {
            Some(youtube(id))
        }
        ("vimeo.com", [id, ..]) | ("player.vimeo.com", ["video", id, ..])
            if id.chars().all(|c| c.is_ascii_digit()) && !id.is_empty() =>
        {
            Some(("Vimeo", format!("https://vimeo.com/{id}")))
        }
        _ => None,
    }
}

fn video(r: &Renderer<'_>, i: usize, call: &Call) -> Result<Vec<(&'static str, Value)>, Problem> {
    let mut out = Vec::new();
    if let Some(poster) = string(call, "poster") {
        out.push(("poster", Value::from(r.content_url(i, poster)?.0)));
    }
    match (string(call, "url"), string(call, "src")) {
        (Some(url), None) => {
            let (provider, watch) = match video_host(url) {
                Some((p, w)) => (p.to_string(), w),
                None => {
                    let url = https(url, "video", "url")?;
                    (host(&url), url)
                }
            };
            out.push(("provider", Value::from(provider)));
            out.push(("url", Value::from(watch)));
        }
        (None, Some(src)) => out.push(("src", Value::from(r.content_url(i, src)?.0))),
        (Some(_), Some(_)) => {
            return Err(problem(
                "video takes `url` or `src`, not both",
                Some("`url` for YouTube or Vimeo, `src` for a video file of the site"),
            ))
        }
        (None, None) => {
            return Err(problem(
                "shortcode `video` needs `url` (a YouTube or Vimeo page) or `src` (a video file)",
                None,
            ))
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_and_vimeo_urls_are_recognised_in_their_usual_forms() {
        let watch = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
        for url in [
            watch,
            "https://youtu.be/dQw4w9WgXcQ?t=3",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://m.youtube.com/watch?feature=x&v=dQw4w9WgXcQ",
            "https://youtube.com/shorts/dQw4w9WgXcQ",
        ] {
            assert_eq!(
                video_host(url),
                Some(("YouTube", watch.to_string())),
                "{url}"
            );
        }
        assert_eq!(
            video_host("https://player.vimeo.com/video/76979871"),
            Some(("Vimeo", "https://vimeo.com/76979871".into()))
        );
        assert_eq!(video_host("https://example.com/watch?v=x"), None);
        assert_eq!(video_host("https://vimeo.com/channels"), None);
    }

    #[test]
    fn embeds_take_https_only() {
        assert!(https("https://datawrapper.dwcdn.net/abc/", "embed", "src").is_ok());
        for bad in [
            "http://x.com",
            "javascript:alert(1)",
            "/local",
            "https://",
            "https:// x",
        ] {
            assert!(https(bad, "embed", "src").is_err(), "{bad}");
        }
        assert_eq!(host("https://www.bsky.app/profile/x"), "bsky.app");
    }
}
