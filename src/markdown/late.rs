//! Rendering a body that waited for the site model: `@/` links become
//! article URLs and a bundle's relative files the URLs beside its page.

use pulldown_cmark::{html, CowStr, Event, LinkType, Parser, Tag};

use super::passes::Passes;
use super::{bundle_ref, options};

/// A link that could not be resolved: the URL as written, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct LinkError {
    pub url: String,
    pub message: String,
}

/// Renders `body`, turning `@/path.md` links into URLs with `resolve`
/// and, when `bundle` is the URL of the article's folder, its relative
/// files into URLs there. `ids`: whether headings get anchors.
pub fn to_html(
    body: &str,
    resolve: impl Fn(&str) -> Option<String>,
    bundle: Option<&str>,
    ids: bool,
) -> Result<String, Vec<LinkError>> {
    let mut errors = Vec::new();
    let in_bundle = |url: CowStr<'static>| -> CowStr<'static> {
        match (bundle, bundle_ref(&url)) {
            (Some(base), Some(rel)) => {
                let suffix = &url[url.find(rel).map_or(url.len(), |at| at + rel.len())..];
                CowStr::from(format!("{base}{rel}{suffix}"))
            }
            _ => url,
        }
    };
    let events = Parser::new_ext(body, options()).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match dest_url.strip_prefix("@/") {
                None if link_type == LinkType::Email => owned(dest_url),
                None => in_bundle(owned(dest_url)),
                Some(target) => match resolve(target.split('#').next().unwrap_or(target)) {
                    // Keep `#anchor` after the resolved URL.
                    Some(url) => CowStr::from(match target.find('#') {
                        Some(at) => format!("{url}{}", &target[at..]),
                        None => url,
                    }),
                    None => {
                        errors.push(LinkError {
                            url: dest_url.to_string(),
                            message: format!(
                                "internal link `@/{target}` points to no published article"
                            ),
                        });
                        owned(dest_url)
                    }
                },
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: in_bundle(owned(dest_url)),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, Passes::new(events, ids));
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn owned(s: CowStr<'_>) -> CowStr<'static> {
    CowStr::from(s.into_string())
}
