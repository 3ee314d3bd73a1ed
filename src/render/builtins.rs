//! What each built-in shortcode adds to its template's context beyond its
//! arguments: URLs resolved, a video's host recognised, a related story's
//! headline. The drawing is the theme's: `templates/shortcodes/NAME.html`,
//! which a site may override. The calls were checked at load
//! (`content::Shortcodes`), so what fails here is only what the model
//! decides.

use serde::Serialize;

use super::Renderer;
use crate::config::title_case;
use crate::content::shortcodes::{host, string, video_host, Problem};
use crate::markdown::{Arg, Call};
use tera::Value;

/// What the built-in adds to the context of article `i`'s call `n`.
pub(super) fn extras(
    r: &Renderer<'_>,
    i: usize,
    n: usize,
    call: &Call,
) -> Result<Vec<(&'static str, Value)>, Problem> {
    let text = |key: &str| string(call, key).unwrap_or("");
    let url = |key: &str| string(call, key).map(|v| Value::from(r.content_url(i, v).0));
    let mut out = Vec::new();
    match call.name.as_str() {
        "figure" => {
            let (mut src, mut permalink) = r.content_url(i, text("src"));
            let a = &r.site.articles[i];
            let picture = crate::images::local_rel(a, &r.site.article_paths[i], text("src"))
                .and_then(|rel| r.urls.picture(&rel, u32::MAX));
            if let Some((p, mid, share)) = picture {
                src = mid;
                permalink = share;
                out.push(("srcset", Value::from(p.srcset)));
                out.push(("webp_srcset", Value::from(p.webp_srcset)));
                out.push(("width", Value::from(p.width)));
                out.push(("height", Value::from(p.height)));
            }
            out.push(("src", Value::from(src)));
            out.push(("permalink", Value::from(permalink)));
            out.extend(url("link").map(|v| ("link", v)));
        }
        "related" => {
            let target = r.site.inline_related[i]
                .iter()
                .find(|(c, _)| *c == n)
                .map(|&(_, t)| t)
                .ok_or_else(|| ("related story not found".to_string(), None))?;
            let target = Value::from_serializable(&r.related_target(target));
            out.push(("target", target));
        }
        "video" => {
            // A planned poster is its 800 px derivative, as a figure's `src`
            // is: never the camera file.
            let planned = string(call, "poster")
                .and_then(|p| {
                    crate::images::local_rel(&r.site.articles[i], &r.site.article_paths[i], p)
                })
                .and_then(|rel| r.urls.picture(&rel, u32::MAX));
            match planned {
                Some((_, mid, _)) => out.push(("poster", Value::from(mid))),
                None => out.extend(url("poster").map(|v| ("poster", v))),
            }
            out.extend(url("src").map(|v| ("src", v)));
            if let Some(page) = string(call, "url") {
                let (provider, watch) = match video_host(page) {
                    Some((p, w)) => (p.to_string(), w),
                    None => (host(page), page.to_string()),
                };
                out.push(("provider", Value::from(provider)));
                out.push(("url", Value::from(watch)));
            }
        }
        "post" => {
            out.push(("host", Value::from(host(text("url")))));
            if let Some(date) = string(call, "date") {
                out.push(("date", Value::from_serializable(&r.loose_date(date))));
            }
        }
        "embed" => {
            let height = match call.arg("height") {
                Some(Arg::Int(h)) => *h,
                _ => 450,
            };
            out.push(("host", Value::from(host(text("src")))));
            out.push(("height", Value::from(height)));
        }
        _ => {}
    }
    Ok(out)
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
