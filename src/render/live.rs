//! Live blogs: the page shows the summary, then the updates newest first,
//! each with its anchor and time; the blog has an Atom feed of its own,
//! one entry per update; its JSON-LD is a `LiveBlogPosting`.

use serde::Serialize;
use tera::Value;

use super::context::DateCtx;
use super::{escape_html, joined, Renderer};
use crate::content::Live;
use crate::error::Diagnostic;
use crate::site::Page;

/// What `article.live` holds.
#[derive(Serialize)]
struct LiveCtx {
    /// The coverage still runs at the build's time: the page says "Live"
    /// and may refresh itself.
    active: bool,
    until: Option<DateCtx>,
    /// The live blog's own feed.
    feed: String,
    updates: Vec<Value>,
}

#[derive(Serialize)]
struct UpdateCtx<'a> {
    anchor: &'a str,
    /// `#anchor` on the page, root-relative.
    url: String,
    permalink: String,
    time: DateCtx,
    title: &'a str,
    /// The first update shown of its day: the theme prints the day.
    new_day: bool,
}

/// An update's drawn HTML, for its entry and its JSON-LD.
pub(super) struct Drawn {
    pub summary: String,
    /// Each update's HTML, in `Live::updates` order.
    pub updates: Vec<String>,
}

/// Splits a live blog's body HTML at its top-level `<h2>`s: what comes
/// before the first update is the summary, and each update runs from its
/// heading (left out: the theme draws it) to the next one. A heading that
/// is not an update stays with the part before it. `None` when the HTML's
/// headings do not match the source's (raw HTML headings in the body).
pub(super) fn split(html: &str, live: &Live) -> Option<Drawn> {
    let mut starts: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("<h2") {
        let at = from + at;
        if at == 0 || html.as_bytes()[at - 1] == b'\n' {
            starts.push(at);
        }
        from = at + 3;
    }
    if starts.len() != live.headings {
        return None;
    }
    let update_of = |heading: usize| live.updates.iter().position(|u| u.heading == heading);
    let mut summary = html[..starts.first().copied().unwrap_or(html.len())].to_string();
    let mut updates = vec![String::new(); live.updates.len()];
    let mut current: Option<usize> = None;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(html.len());
        let chunk = &html[start..end];
        match update_of(k) {
            Some(u) => {
                let body = chunk.find("</h2>").map_or("", |e| &chunk[e + 5..]);
                updates[u].push_str(body.trim_start_matches('\n'));
                current = Some(u);
            }
            None => match current {
                Some(u) => updates[u].push_str(chunk),
                None => summary.push_str(chunk),
            },
        }
    }
    Some(Drawn { summary, updates })
}

/// Text of some HTML, for `articleBody`: tags dropped, entities left.
pub(super) fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Renderer<'_> {
    /// `article.live` of article `i`, whose page is at `path`, from its
    /// drawn updates.
    pub(super) fn live_ctx(&self, live: &Live, drawn: &Drawn, path: &str) -> Value {
        let ctx = LiveCtx {
            active: live.active(self.site.now),
            until: live.until.as_ref().map(|u| self.urls.date(u)),
            feed: self
                .urls
                .url(&format!("{}atom.xml", crate::urls::page_folder(path))),
            updates: live
                .updates
                .iter()
                .zip(&drawn.updates)
                .enumerate()
                .map(|(n, (u, html))| {
                    let day = |t: &chrono::DateTime<chrono::FixedOffset>| {
                        t.with_timezone(&self.urls.config.timezone).date_naive()
                    };
                    let new_day = n == 0 || day(&live.updates[n - 1].time) != day(&u.time);
                    let update = UpdateCtx {
                        anchor: &u.anchor,
                        url: format!("{}#{}", self.urls.url(path), u.anchor),
                        permalink: format!("{}#{}", self.urls.permalink(path), u.anchor),
                        time: self.urls.date(&u.time),
                        title: &u.title,
                        new_day,
                    };
                    joined(
                        Value::from_serializable(&update),
                        "html",
                        Value::safe_string(html),
                    )
                })
                .collect(),
        };
        Value::from_serializable(&ctx)
    }

    /// A live blog's own feed: one entry per update, newest first.
    pub(super) fn live_feed(
        &self,
        i: usize,
        page: &Page,
        out: &mut Vec<u8>,
    ) -> Result<(), Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let Some(live) = &a.live else {
            return Ok(());
        };
        let path = &site.article_paths[i];
        // Not through the shared bodies: their uses are counted for the
        // article's page and its entry in the list feeds.
        let body = self.body(i)?;
        let body = match a.calls.is_empty() {
            true => body.into_owned(),
            false => self.expand(i, &body, true)?,
        };
        let html = body.as_str();
        let drawn = split(html, live).unwrap_or(Drawn {
            summary: html.to_string(),
            updates: vec![String::new(); live.updates.len()],
        });
        let authors = self.urls.author_links(site, &a.authors);
        let entries: Vec<Value> = live
            .updates
            .iter()
            .zip(&drawn.updates)
            .map(|(u, html)| {
                let entry = serde_json::json!({
                    "title": u.title,
                    "url": format!("{}#{}", self.urls.permalink(path), u.anchor),
                    "published": self.urls.date(&u.time),
                    "updated": self.urls.date(&u.time),
                    "authors": authors,
                    "summary": u.title,
                    "categories": a.tags,
                    "section": self.urls.section_link(site, &a.section).name,
                });
                let entry = joined(
                    Value::from_serializable(&entry),
                    "content",
                    Value::safe_string(&escape_html(html)),
                );
                joined(entry, "html", Value::safe_string(html))
            })
            .collect();
        let feed = serde_json::json!({
            "title": format!("{} — live", a.headline),
            "subtitle": a.dek,
            "id": self.urls.permalink(path),
            "self_url": self.urls.permalink(&page.path),
            "alternate": self.urls.permalink(path),
            "updated": self.urls.date(&crate::site::last_modified(a)),
            "language": self.urls.config.language,
        });
        let value = joined(Value::from_serializable(&feed), "entries", entries.into());
        let mut ctx = self.context();
        ctx.insert_value("feed", value);
        self.finish_to("atom.xml", ctx, &self.urls.url(&page.path), out)
    }
}
