//! The page chrome: masthead and footer, drawn once per place in the
//! navigation rather than once per page.
//!
//! They are the same on thousands of pages, and drawing them was a sixth
//! of all template work on a news archive. What makes one page's masthead
//! differ from another's is only which navigation entries it sits under, so
//! `partials/header.html` and `partials/footer.html` get a context of
//! exactly that — `site` and `nav` (name, url, current) — and each page gets
//! the results as `chrome.header` and `chrome.footer`. A partial that
//! reaches for anything else fails with an error naming it, never silently
//! with stale content.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use tera::Value;

use super::Renderer;
use crate::error::Diagnostic;

/// `{header, footer}`, or why they could not be drawn.
type Drawn = Result<Value, Vec<Diagnostic>>;

/// Drawn chrome by navigation state: which `nav` entries are current.
#[derive(Default)]
pub(super) struct ChromeCache(Mutex<HashMap<Vec<bool>, Drawn>>);

#[derive(Serialize)]
struct NavItem<'a> {
    name: &'a str,
    url: &'a str,
    /// The page is this entry's section or inside it.
    current: bool,
}

impl Renderer<'_> {
    /// The chrome of the page at `url`, as `{header, footer}`.
    pub(super) fn chrome(&self, url: &str) -> Drawn {
        let nav = &self.prepared.nav;
        let state: Vec<bool> = nav.iter().map(|l| url.starts_with(&l.url)).collect();
        let cache = &self.prepared.chrome.0;
        if let Some(found) = cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&state)
        {
            return found.clone();
        }
        // Drawn outside the lock: two threads may both draw a new state
        // once, with the same result, rather than all wait on one.
        let items: Vec<NavItem> = nav
            .iter()
            .zip(&state)
            .map(|(l, &current)| NavItem {
                name: &l.name,
                url: &l.url,
                current,
            })
            .collect();
        let drawn = self.draw_chrome(&items);
        cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(state, drawn.clone());
        drawn
    }

    fn draw_chrome(&self, nav: &[NavItem]) -> Drawn {
        let mut drawn = tera::Map::new();
        for (key, template) in [
            ("header", "partials/header.html"),
            ("footer", "partials/footer.html"),
        ] {
            let mut ctx = tera::Context::new();
            ctx.insert_value("site", self.prepared.site_ctx.clone());
            ctx.insert("nav", nav);
            let html = self.finish(template, ctx, "the page chrome")?;
            drawn.insert(key.into(), Value::safe_string(&html));
        }
        Ok(Value::from(drawn))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::content::parse_article;
    use crate::render::{Prepared, Templates, Theme};
    use crate::site::{Site, SiteOptions};

    const HEADER: &str =
        "{% for s in nav %}{{ s.name }}{% if s.current %}*{% endif %} {% endfor %}";

    /// Chrome of each of `urls` on a two-section site whose masthead is
    /// `header`, and how many navigation states were drawn.
    fn chrome_of(header: &str, urls: &[&str]) -> (Vec<Drawn>, usize) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"The Ledger\"\nbase_url = \"https://example.com\"\n\
             [sections]\nnews = \"News\"\nsport = \"Sport\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::write(dir.path().join("templates/partials/header.html"), header).unwrap();
        let config = Config::load(dir.path()).unwrap();
        let articles = ["news/council.md", "sport/final.md"]
            .iter()
            .map(|path| {
                let text = "---\nheadline: A story\ndate: 2026-10-27\n---\nText.\n";
                let source = dir.path().join("content").join(path);
                Arc::new(parse_article(&source, path, text, config.timezone).unwrap())
            })
            .collect();
        let site = Site::assemble(&config, articles, &[], SiteOptions::default()).unwrap();
        let templates = Templates::compile(&Theme::load(&config).unwrap()).unwrap();
        let prepared = Prepared::new(&config, &site, Default::default());
        let renderer = Renderer::new(&templates, &config, &site, &prepared);
        let drawn = urls.iter().map(|u| renderer.chrome(u)).collect();
        let states = prepared.chrome.0.lock().unwrap().len();
        (drawn, states)
    }

    #[test]
    fn the_current_section_is_marked_and_each_state_drawn_once() {
        let urls = [
            "/news/us/a-story/",
            "/sport/",
            "/tags/",
            "/news/",
            "/sport/page/2/",
        ];
        let (drawn, states) = chrome_of(HEADER, &urls);
        let headers: Vec<&str> = drawn
            .iter()
            .map(|d| {
                d.as_ref()
                    .unwrap()
                    .get_from_path("header")
                    .unwrap()
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(
            headers,
            [
                "News* Sport ",
                "News Sport* ",
                "News Sport ",
                "News* Sport ",
                "News Sport* "
            ]
        );
        assert_eq!(states, 3, "five pages, three places in the navigation");
        let footer = drawn[0]
            .as_ref()
            .unwrap()
            .get_from_path("footer")
            .unwrap()
            .as_str()
            .unwrap();
        assert!(footer.contains("The Ledger"), "{footer}");
    }

    #[test]
    fn a_partial_reaching_for_the_page_is_an_error_naming_it() {
        let (drawn, _) = chrome_of("{{ page.title }}", &["/"]);
        let text = drawn[0].as_ref().unwrap_err()[0].to_string();
        assert!(text.contains("partials/header.html"), "{text}");
        assert!(text.contains("the page chrome"), "{text}");
    }
}
