//! Answering requests from the live model: pages rendered on demand and
//! cached until the next change, static files, the 404 page.

use std::sync::Arc;

use super::{Reply, Session};
use crate::error::Diagnostic;
use crate::render::{Renderer, StaticSource};
use crate::site::{Page, PageKind};

impl Session {
    /// Renders the pages of the touched articles now, so their errors show.
    pub(super) fn warm(&self, touched: &[String]) -> usize {
        let Some(model) = &self.model else { return 0 };
        let paths: Vec<String> = touched
            .iter()
            .filter_map(|p| model.site.by_content_path.get(p))
            .map(|&i| model.site.article_paths[i].clone())
            .collect();
        for path in &paths {
            self.respond(path);
        }
        paths.len()
    }

    /// The response for a site-relative, already decoded path
    /// (`news/us/slug/`, `css/dateline.css`, `no/such/`).
    pub fn respond(&self, rel: &str) -> Reply {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(rel).cloned()) {
            return hit;
        }
        let reply = self.respond_uncached(rel);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(rel.to_string(), reply.clone());
        }
        reply
    }

    fn respond_uncached(&self, rel: &str) -> Reply {
        let (Some(model), Some((theme, templates)), Some(config)) =
            (&self.model, &self.theme, &self.config)
        else {
            return html(500, b"<!DOCTYPE html><html lang=\"en\"><head><title>Build error</title></head><body><h1>The site could not be built</h1></body></html>".to_vec());
        };
        let page_path = rel.strip_suffix("index.html").unwrap_or(rel);
        let renderer = Renderer::new(templates, config, &model.site, &model.prepared);
        if let Some(&i) = model.by_path.get(page_path) {
            return match renderer.render(&model.site.pages[i]) {
                Ok(text) => {
                    // The preview shows the pages as the build writes them.
                    let file = crate::urls::output_file(&model.site.pages[i].path);
                    let bytes = crate::output::published(config.minify, &file, text.as_bytes());
                    let reply = html(200, bytes.into_owned());
                    if let Ok(mut good) = self.last_good.lock() {
                        good.insert(rel.to_string(), reply.clone());
                    }
                    reply
                }
                Err(e) => {
                    if let Ok(mut errors) = self.render_errors.lock() {
                        errors.insert(rel.to_string(), e.clone());
                    }
                    // The overlay shows the error over the last good version.
                    let good = self.last_good.lock().ok().and_then(|g| g.get(rel).cloned());
                    good.unwrap_or_else(|| html(500, error_page(&e)))
                }
            };
        }
        if config.search
            && rel
                .strip_prefix(crate::search::BUNDLE_DIR)
                .is_some_and(|r| r.starts_with('/'))
        {
            if let Some(reply) = self.search_file(&renderer, rel) {
                return reply;
            }
        }
        let images = model.prepared.images();
        if let Some(&v) = images.by_file.get(rel) {
            return match crate::images::render_variant(images, v, &self.image_cache) {
                Ok(bytes) => Reply {
                    status: 200,
                    content_type: images.variants[v].format.mime().to_string(),
                    body: Arc::new(bytes),
                },
                Err(why) => html(
                    500,
                    format!(
                        "<!DOCTYPE html><title>Image error</title><p>{}</p>",
                        crate::render::escape_html(&why)
                    )
                    .into_bytes(),
                ),
            };
        }
        // As in a build: a photo's original is published only as derivatives.
        let original = images.picture(rel).is_some();
        if let Some(source) = theme.static_files.get(rel).filter(|_| !original) {
            let bytes = match source {
                StaticSource::Embedded(b) => Some(b.to_vec()),
                StaticSource::Disk(p) => std::fs::read(p).ok().map(crate::images::without_metadata),
            };
            if let Some(bytes) = bytes {
                let mime = mime_guess::from_path(rel).first_or_octet_stream();
                return Reply {
                    status: 200,
                    content_type: content_type(&mime),
                    body: Arc::new(bytes),
                };
            }
        }
        if let Some(bytes) = bundle_file(&model.site, &model.by_path, rel)
            .filter(|_| !original)
            .map(crate::images::without_metadata)
        {
            let mime = mime_guess::from_path(rel).first_or_octet_stream();
            return Reply {
                status: 200,
                content_type: content_type(&mime),
                body: Arc::new(bytes),
            };
        }
        let not_found = Page {
            kind: PageKind::NotFound,
            number: 1,
            of: 1,
            path: "404.html".into(),
        };
        match renderer.render(&not_found) {
            Ok(text) => html(404, text.into_bytes()),
            Err(e) => html(500, error_page(&e)),
        }
    }
}

impl Session {
    /// A file of the search index, which is built from the live model at
    /// the first request after a change: a save shows in the next search.
    fn search_file(&self, renderer: &Renderer<'_>, rel: &str) -> Option<Reply> {
        let files = {
            let mut held = self.search.lock().ok()?;
            if held.is_none() {
                match crate::pipeline::search_index(renderer) {
                    Ok(files) => *held = Some(Arc::new(files.into_iter().collect())),
                    Err(e) => {
                        let diagnostics = e.diagnostics().to_vec();
                        return Some(html(500, error_page(&diagnostics)));
                    }
                }
            }
            held.clone()?
        };
        let bytes = files.get(rel)?;
        let mime = mime_guess::from_path(rel).first_or_octet_stream();
        Some(Reply {
            status: 200,
            content_type: content_type(&mime),
            body: Arc::new(bytes.clone()),
        })
    }
}

/// A page bundle's file at `rel`, read now: the article whose page is
/// the nearest folder above it owns it.
fn bundle_file(
    site: &crate::site::Site,
    by_path: &std::collections::HashMap<String, usize>,
    rel: &str,
) -> Option<Vec<u8>> {
    let mut split = rel.len();
    while let Some(at) = rel[..split].rfind('/') {
        let (page, file) = rel.split_at(at + 1);
        let article = match by_path.get(page).map(|&p| site.pages[p].kind) {
            Some(PageKind::Article(i)) => Some(i),
            // A page written as a file (`storm.html`) keeps its bundle in
            // the folder of its name (`storm/`), which is no page.
            _ => site.article_dirs.iter().position(|d| d == page),
        };
        if let Some(i) = article {
            let bundle = site.articles[i].bundle.as_ref()?;
            return match bundle.files.iter().any(|f| f == file) {
                true => std::fs::read(bundle.dir.join(file)).ok(),
                false => None,
            };
        }
        split = at;
    }
    None
}

fn html(status: u16, body: Vec<u8>) -> Reply {
    Reply {
        status,
        content_type: "text/html; charset=utf-8".into(),
        body: Arc::new(body),
    }
}

fn content_type(mime: &mime_guess::Mime) -> String {
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript"
            || mime.subtype() == "json"
            || mime.subtype() == "xml" =>
        {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

fn error_page(errors: &[Diagnostic]) -> Vec<u8> {
    let items: String = errors
        .iter()
        .map(|d| {
            format!(
                "<li><pre>{}</pre></li>",
                crate::render::escape_html(&d.to_string())
            )
        })
        .collect();
    format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Render error</title></head><body><h1>This page could not be rendered</h1><ul>{items}</ul></body></html>").into_bytes()
}
