//! Which shortcodes a site has, and the checks a call must pass before
//! anything is drawn: the built-ins' arguments, their types and bodies,
//! and the values that can be judged from the text alone (an embed over
//! plain http, a bundle photo that is not there). Run at load, with every
//! other problem of the article, so one run reports them all.

use std::collections::BTreeMap;

use crate::markdown::{bundle_ref, Arg, Call};

/// The shortcodes a site can use: the templates `shortcodes/NAME.html` of
/// its theme and its own, each marked when it is the site's or theme's
/// own drawing rather than the built-in one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shortcodes {
    /// Name → whether its template is the site's or theme's own.
    defined: BTreeMap<String, bool>,
    /// Accept any name: the templates could not be read, so an unknown
    /// name would be a guess.
    any: bool,
}

impl Shortcodes {
    /// The built-ins, as the default theme draws them.
    pub fn built_in() -> Shortcodes {
        Shortcodes {
            defined: BUILTINS
                .iter()
                .map(|s| (s.name.to_string(), false))
                .collect(),
            any: false,
        }
    }

    /// Any name is taken as defined.
    pub fn any() -> Shortcodes {
        Shortcodes {
            any: true,
            ..Shortcodes::built_in()
        }
    }

    /// The shortcodes of `templates`: (name, whether the site's or theme's
    /// own rather than the built-in drawing).
    pub fn from_templates<'a>(templates: impl IntoIterator<Item = (&'a str, bool)>) -> Shortcodes {
        Shortcodes {
            defined: templates
                .into_iter()
                .map(|(name, own)| (name.to_string(), own))
                .collect(),
            any: false,
        }
    }

    /// Every problem with `call`, in an article whose page bundle holds
    /// `bundle` (sorted), as (message, hint).
    pub fn check(&self, call: &Call, bundle: Option<&[String]>) -> Vec<Problem> {
        let own = match self.defined.get(&call.name) {
            Some(&own) => own,
            None if self.any => true,
            None => {
                let names: Vec<&str> = self.defined.keys().map(String::as_str).collect();
                return vec![unknown(&call.name, &names)];
            }
        };
        let Some(spec) = spec(&call.name) else {
            return Vec::new();
        };
        let mut problems = check_args(spec, call, own);
        if problems.is_empty() {
            problems.extend(check_values(call, bundle).err());
        }
        problems
    }
}

fn unknown(name: &str, known: &[&str]) -> Problem {
    let hint = match crate::text::closest(name, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "the shortcodes are {}; add templates/shortcodes/{name}.html to define it",
            known.join(", ")
        ),
    };
    (format!("unknown shortcode `{name}`"), Some(hint))
}

/// The type an argument must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
}

/// Whether a shortcode takes a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRule {
    No,
    Yes,
    Maybe,
}

pub struct Spec {
    pub name: &'static str,
    /// (name, type, required)
    pub params: &'static [(&'static str, Kind, bool)],
    pub body: BodyRule,
}

use Kind::{Int, Str};

pub const BUILTINS: &[Spec] = &[
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
        body: BodyRule::No,
    },
    Spec {
        name: "pullquote",
        params: &[("by", Str, false)],
        body: BodyRule::Yes,
    },
    Spec {
        name: "related",
        params: &[("to", Str, true)],
        body: BodyRule::No,
    },
    Spec {
        name: "factbox",
        params: &[("title", Str, false)],
        body: BodyRule::Yes,
    },
    Spec {
        name: "video",
        params: &[
            ("url", Str, false),
            ("src", Str, false),
            ("title", Str, false),
            ("poster", Str, false),
        ],
        body: BodyRule::No,
    },
    Spec {
        name: "post",
        params: &[
            ("url", Str, true),
            ("author", Str, true),
            ("text", Str, false),
            ("date", Str, false),
        ],
        body: BodyRule::Maybe,
    },
    Spec {
        name: "embed",
        params: &[
            ("src", Str, true),
            ("title", Str, true),
            ("height", Int, false),
        ],
        body: BodyRule::No,
    },
];

pub fn spec(name: &str) -> Option<&'static Spec> {
    BUILTINS.iter().find(|s| s.name == name)
}

/// A problem with a call: message and hint.
pub type Problem = (String, Option<String>);

fn problem(message: impl Into<String>, hint: Option<&str>) -> Problem {
    (message.into(), hint.map(str::to_string))
}

/// Every problem with `call`'s arguments and body against `spec`.
/// `open`: arguments beyond the spec are allowed (a site's own template
/// drawing the built-in may take more).
fn check_args(spec: &Spec, call: &Call, open: bool) -> Vec<Problem> {
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
        (BodyRule::No, true) => problems.push(problem(
            format!("shortcode `{name}` takes no body"),
            Some(&format!("write it inline: `{{{{ {name}(…) }}}}`")),
        )),
        (BodyRule::Yes, false) => problems.push(problem(
            format!("shortcode `{name}` needs a body"),
            Some(&format!("write `{{% {name}(…) %}}…{{% end %}}`")),
        )),
        _ => {}
    }
    problems
}

pub fn string<'c>(call: &'c Call, key: &str) -> Option<&'c str> {
    match call.arg(key) {
        Some(Arg::Str(s)) => Some(s.trim()),
        _ => None,
    }
}

/// What can be told of a built-in's values from the text: URLs that must
/// be https, a video's source, a size in range, a bundle file present.
fn check_values(call: &Call, bundle: Option<&[String]>) -> Result<(), Problem> {
    let local = |key: &str| -> Result<(), Problem> {
        let Some(src) = string(call, key) else {
            return Ok(());
        };
        if let (Some(files), Some(rel)) = (bundle, bundle_ref(src)) {
            let name = crate::markdown::decoded(rel);
            if files.binary_search_by(|f| f.as_str().cmp(&name)).is_err() {
                return Err(problem(
                    format!("`{rel}` is not a file of this page bundle (the article's folder)"),
                    Some(
                        "put the file beside index.md, or write a site path such as /images/x.jpg",
                    ),
                ));
            }
        }
        let scheme = src
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.contains('/'));
        if src.is_empty() || (scheme.is_some() && !super::is_safe_url(src)) {
            return Err(problem(
                format!(
                    "{} {key} `{src}` must be an http(s) URL or a site path like /images/photo.jpg",
                    call.name
                ),
                None,
            ));
        }
        Ok(())
    };
    match call.name.as_str() {
        "figure" => {
            local("src")?;
            local("link")
        }
        "post" => {
            https(string(call, "url").unwrap_or(""), "post", "url")?;
            match (string(call, "text"), &call.body) {
                (None, None) => Err(problem(
                    "shortcode `post` needs the post's words: `text=\"…\"` or a body",
                    None,
                )),
                _ => Ok(()),
            }
        }
        "embed" => {
            https(string(call, "src").unwrap_or(""), "embed", "src")?;
            match call.arg("height") {
                Some(Arg::Int(h)) if !(40..=4000).contains(h) => Err(problem(
                    format!("embed height {h} is out of range"),
                    Some("give a height in pixels between 40 and 4000"),
                )),
                _ => Ok(()),
            }
        }
        "video" => {
            local("poster")?;
            match (string(call, "url"), string(call, "src")) {
                (Some(url), None) if video_host(url).is_none() => {
                    https(url, "video", "url").map(drop)
                }
                (Some(_), None) => Ok(()),
                (None, Some(_)) => local("src"),
                (Some(_), Some(_)) => Err(problem(
                    "video takes `url` or `src`, not both",
                    Some("`url` for YouTube or Vimeo, `src` for a video file of the site"),
                )),
                (None, None) => Err(problem(
                    "shortcode `video` needs `url` (a YouTube or Vimeo page) or `src` (a video file)",
                    None,
                )),
            }
        }
        _ => Ok(()),
    }
}

/// `url` when it is an https URL; anything else is an error, so a frame or
/// a link never loads over plain http or runs a `javascript:` URL.
pub fn https(url: &str, name: &str, key: &str) -> Result<String, Problem> {
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
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// A video on YouTube or Vimeo: (provider, the page that plays it).
pub fn video_host(url: &str) -> Option<(&'static str, String)> {
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
