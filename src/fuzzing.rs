//! The entry points of the fuzz targets (`fuzz/`), kept in the library so
//! `tests/fuzz_regressions.rs` can replay every saved input through
//! exactly the same code on stable Rust, in `cargo test`.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::content::parse_article;
use crate::render::{Prepared, Renderer, Templates, Theme};
use crate::site::{Site, SiteOptions};
use crate::text::decode_source;

const SOURCE: &str = "content/news/fuzz.md";
const CONTENT_PATH: &str = "news/fuzz.md";

/// Decodes, splits and parses `data` as an article file.
pub fn front_matter(data: &[u8]) {
    match decode_source(data) {
        Ok(text) => {
            let tz = chrono_tz::UTC;
            if let Err(errors) = parse_article(Path::new(SOURCE), CONTENT_PATH, &text, tz) {
                // Placing an error must not panic either.
                for e in errors {
                    let _ = e.to_string();
                }
            }
        }
        Err(e) => {
            let _ = e.describe();
        }
    }
}

/// Parses `data` as an article and renders every page of a site holding
/// only it. Odd lengths render with `safe_html = true`, so the sanitiser
/// is fuzzed too.
pub fn article_render(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let setups = setups();
    let (config, templates) = &setups[data.len() % 2];
    let Ok(article) = parse_article(Path::new(SOURCE), CONTENT_PATH, text, config.timezone) else {
        return;
    };
    let options = SiteOptions {
        drafts: true,
        future: true,
        now: None,
    };
    let Ok(site) = Site::assemble(config, vec![Arc::new(article)], &[], options) else {
        return;
    };
    let prepared = Prepared::new(config, &site, Default::default());
    let renderer = Renderer::new(templates, config, &site, &prepared);
    for page in &site.pages {
        let _ = renderer.render(page);
    }
}

/// Two sites with the built-in theme, trusting raw HTML and not.
fn setups() -> &'static [(Config, Templates); 2] {
    static SETUPS: OnceLock<[(Config, Templates); 2]> = OnceLock::new();
    SETUPS.get_or_init(|| {
        let setup = |safe: bool| {
            let toml = format!(
                "title = \"Fuzz\"\nbase_url = \"https://fuzz.example/\"\nsafe_html = {safe}\n"
            );
            let config = Config::parse(Path::new("/nowhere"), &toml).expect("fuzz site.toml");
            let theme = Theme::load(&config).expect("built-in theme");
            let templates = Templates::compile(&theme).expect("built-in templates");
            (config, templates)
        };
        [setup(false), setup(true)]
    })
}
