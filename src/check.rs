//! `dateline check`: everything `build` validates, without writing, plus
//! what a copy desk would flag — missing images and static files, internal
//! links to nowhere, over-long headlines, pictures without alt text or
//! credit.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::content::Article;
use crate::error::{BuildError, Diagnostic};
use crate::pipeline::{dedup_template_errors, load, Loaded};
use crate::render::{Prepared, Renderer};
use crate::site::SiteOptions;

/// Headlines longer than this are flagged: they wrap badly in lists and are
/// cut off by search engines.
pub const MAX_HEADLINE_CHARS: usize = 110;

/// What `check` looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    pub site: SiteOptions,
    /// Also request every external link (http and https).
    pub external: bool,
}

/// Every error and warning in the site at `source`. Nothing is written.
pub fn check(source: &Path, options: CheckOptions) -> Vec<Diagnostic> {
    let options_site = options.site;
    let mut found = check_site(source, options_site, options.external);
    found.sort_by_key(|d| d.severity != crate::error::Severity::Error);
    found
}

fn check_site(source: &Path, options: SiteOptions, external: bool) -> Vec<Diagnostic> {
    let Loaded {
        config,
        theme,
        templates,
        site,
        ..
    } = match load(source, options) {
        Ok(loaded) => loaded,
        Err(BuildError::Invalid(d)) => return d,
        Err(e) => return e.diagnostics().to_vec(),
    };
    let bundle_files = site.bundle_files();
    let cache = crate::cache::Cache::at(&source.join(crate::cache::DEFAULT_DIR));
    let images = match crate::pipeline::plan_images(&config, &theme, &site, &bundle_files, &cache) {
        Ok(plan) => plan,
        Err(e) => return e.diagnostics().to_vec(),
    };
    let narrow = narrow_leads(&site, &images);
    let prepared = Prepared::new(&config, &site, std::sync::Arc::new(images));
    let renderer = Renderer::new(&templates, &config, &site, &prepared);
    let rendering: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .filter_map(|p| renderer.render(p).err())
        .flatten()
        .collect();
    let mut found = dedup_template_errors(rendering);
    found.extend(narrow);
    if let Err(BuildError::Invalid(mut clashes)) =
        crate::pipeline::check_clashes(&site, &theme, &bundle_files, &config)
    {
        found.append(&mut clashes);
    }
    let mut targets: HashSet<&str> = site.pages.iter().map(|p| p.path.as_str()).collect();
    targets.extend(theme.static_files.keys().map(String::as_str));
    targets.extend(bundle_files.iter().map(|(rel, _)| rel.as_str()));
    let exists = |url: &str| -> bool {
        let path = url.split(['#', '?']).next().unwrap_or("");
        let rel = path
            .strip_prefix(&config.base_path)
            .unwrap_or(path.trim_start_matches('/'));
        let rel = rel.strip_suffix("index.html").unwrap_or(rel);
        targets.contains(rel) || targets.contains(format!("{rel}/").as_str())
    };
    for article in &site.articles {
        found.extend(article_warnings(article));
        found.extend(missing_image(article, &exists));
        found.extend(dead_body_links(article, &exists));
    }
    if external {
        found.extend(crate::linkcheck::check_links(&external_links(
            &site.articles,
        )));
    }
    found
}

/// Lead photos narrower than the 1200 pixels Google Discover and social
/// cards want.
fn narrow_leads(site: &crate::site::Site, images: &crate::images::ImagePlan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (a, path) in site.articles.iter().zip(&site.article_paths) {
        let Some(image) = &a.image else { continue };
        let Some(rel) = crate::render::image_rel(image, path) else {
            continue;
        };
        if let Some(p) = images.picture(&rel) {
            if p.width < crate::images::SHARE_WIDTH {
                out.push(
                    Diagnostic::at(
                        &a.source,
                        a.line_of("image"),
                        None,
                        format!(
                            "lead image `{}` is {} px wide; search and social cards want at least {}",
                            image.src,
                            p.width,
                            crate::images::SHARE_WIDTH
                        ),
                    )
                    .warning(),
                );
            }
        }
    }
    out
}

/// Every http(s) link of the articles: body links and images, related
/// links and lead images, with where each was written.
fn external_links(articles: &[std::sync::Arc<Article>]) -> Vec<crate::linkcheck::Place> {
    let mut places = Vec::new();
    for a in articles {
        for link in &a.links {
            places.push(crate::linkcheck::Place {
                url: link.url.clone(),
                path: a.source.clone(),
                line: a.body_line + link.line - 1,
                column: Some(link.column),
            });
        }
        for r in &a.related {
            if let crate::content::RelatedTarget::External { url, .. } = &r.target {
                places.push(crate::linkcheck::Place {
                    url: url.clone(),
                    path: a.source.clone(),
                    line: r.line,
                    column: None,
                });
            }
        }
        if let Some(image) = &a.image {
            places.push(crate::linkcheck::Place {
                url: image.src.clone(),
                path: a.source.clone(),
                line: a.line_of("image"),
                column: None,
            });
        }
    }
    places.retain(|p| {
        let lower = p.url.to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    });
    places
}

fn is_site_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

fn article_warnings(a: &Article) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let chars = a.headline.chars().count();
    if chars > MAX_HEADLINE_CHARS {
        out.push(
            Diagnostic::at(
                &a.source,
                a.line_of("headline"),
                None,
                format!("headline is {chars} characters long"),
            )
            .with_hint(format!(
                "keep headlines under {MAX_HEADLINE_CHARS} characters"
            ))
            .warning(),
        );
    }
    if let Some(image) = &a.image {
        let line = a.line_of("image");
        if image.alt.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push(
                Diagnostic::at(&a.source, line, None, "lead image has no alt text")
                    .with_hint("describe the picture in `alt:` for readers who cannot see it")
                    .warning(),
            );
        }
        if image.credit.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push(
                Diagnostic::at(&a.source, line, None, "lead image has no credit")
                    .with_hint("add `credit:`")
                    .warning(),
            );
        }
    }
    out
}

fn missing_image(a: &Article, exists: &dyn Fn(&str) -> bool) -> Option<Diagnostic> {
    let src = &a.image.as_ref()?.src;
    if is_site_path(src) && !exists(src) {
        return Some(
            Diagnostic::at(
                &a.source,
                a.line_of("image"),
                None,
                format!("lead image `{src}` does not exist"),
            )
            .with_hint("put the file under static/ (static/images/x.jpg is /images/x.jpg)"),
        );
    }
    None
}

/// Links and images in the body that point at a site path with no page or
/// file behind it.
fn dead_body_links(a: &Article, exists: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    a.links
        .iter()
        .filter(|l| is_site_path(&l.url) && !exists(&l.url))
        .map(|l| {
            Diagnostic::at(
                &a.source,
                a.body_line + l.line - 1,
                Some(l.column),
                format!("link to `{}` points to no page or file", l.url),
            )
        })
        .collect()
}
