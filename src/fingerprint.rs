//! A build's fingerprint: one hash of everything that decides its output.
//!
//! When the fingerprint and the output folder are both as the last build
//! left them, a rebuild has nothing to do: rendering ten thousand pages
//! only to find every byte the same costs seconds, and on a disk each
//! unchanged file must still be read back to compare. Anything not
//! covered here would make a skipped build wrong, so the list is broad:
//! the executable itself, the options, site.toml, every template and
//! static file, every article's source, and the parts of the model that
//! depend on the clock.

use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use crate::config::Config;
use crate::render::{StaticSource, Theme};
use crate::site::Site;

/// Articles hashed together on one thread.
const RUN: usize = 4096;

/// What a build was asked to do, beyond its inputs.
#[derive(Hash)]
pub struct Options {
    pub drafts: bool,
    pub future: bool,
}

/// The fingerprint of a build of `site` with `theme` and `config`.
pub fn of(
    config: &Config,
    theme: &Theme,
    site: &Site,
    options: &Options,
    images: &crate::images::ImagePlan,
) -> u64 {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // A rebuilt executable may render differently under the same version.
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.metadata().ok())
    {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    options.hash(&mut h);
    config.settings_text().hash(&mut h);
    for t in &theme.templates {
        (&t.name, &t.origin, &t.text).hash(&mut h);
    }
    // The photos by the hashes their plan already holds (memoised by
    // file size and time): a folder of camera files is not read again.
    images.digest().hash(&mut h);
    let planned: std::collections::HashSet<&str> = images.originals().collect();
    for (rel, source) in &theme.static_files {
        rel.hash(&mut h);
        if planned.contains(rel.as_str()) {
            continue;
        }
        match source {
            StaticSource::Embedded(bytes) => bytes.hash(&mut h),
            // By content, not path or time: a copy of the site elsewhere
            // must stamp the same bytes into its output.
            StaticSource::Disk(path) => std::fs::read(path).ok().hash(&mut h),
        }
    }
    // The articles, their order and their URLs; then what the clock
    // decided: which are held back, which are recent enough for the news
    // sitemap, and the build time itself where a page shows it (the
    // `updated` of an empty feed).
    // A hundred thousand of them: hashed in runs side by side, the runs'
    // hashes then in order.
    let runs: Vec<u64> = site
        .articles
        .par_chunks(RUN)
        .zip(site.article_paths.par_chunks(RUN))
        .map(|(articles, paths)| {
            let mut h = DefaultHasher::new();
            for (a, path) in articles.iter().zip(paths) {
                (&a.source, a.source_hash, path).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    runs.hash(&mut h);
    for (rel, source) in site.bundle_files() {
        if planned.contains(rel.as_str()) {
            rel.hash(&mut h);
        } else {
            (rel, std::fs::read(source).ok()).hash(&mut h);
        }
    }
    format!("{:?}", site.authors).hash(&mut h);
    format!("{:?}", site.curated).hash(&mut h);
    // A live blog stops reading as live at its `live_until` with no file
    // changed: the clock's verdict is an input too.
    for a in &site.articles {
        if let Some(live) = &a.live {
            live.active(site.now).hash(&mut h);
        }
    }
    format!("{:?}", site.held).hash(&mut h);
    site.news.hash(&mut h);
    if site.articles.is_empty() {
        site.now.hash(&mut h);
    }
    h.finish()
}
