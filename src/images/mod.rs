//! Photos: every local JPEG, PNG or WebP an article shows — its lead
//! image, a `figure`, a markdown image — published as derivatives at the
//! widths of `[images]`, in WebP and in the source's own format, with the
//! metadata (EXIF, GPS position, XMP, IPTC, ICC) left behind and the EXIF
//! orientation applied.
//!
//! Two steps, so that a page never waits for an encoder: [`plan`] reads
//! each source's header (size, orientation, format; memoised in the
//! cache by file size and time) and decides every derivative's name and
//! size, which is all rendering needs; [`produce`] encodes the ones the
//! cache lacks, on every core, one decoded photo per thread. A build runs
//! both; `serve` plans, then encodes a derivative when it is first asked
//! for. Derivatives live in the cache under a key of the source's bytes
//! and the parameters, so no photo is encoded twice.

mod decode;
mod encode;
mod metadata;
mod names;
mod plan;
mod probe;

pub use encode::{produce, render_variant, Produced};
pub use metadata::without_metadata;
pub use plan::{local_rel, plan, PlanInput, SHARE_WIDTH};

use std::collections::HashMap;

use crate::cache::Key;

/// The cache store derivatives live in.
pub const STORE: &str = "images";

/// A source format the pipeline reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }
}

/// A crop to an aspect ratio around a focus point, for structured data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Crop {
    /// The ratio, as `16`×`9`.
    pub ratio: (u32, u32),
    /// Focus in thousandths of the width and height (500, 500 = centre).
    pub focus: (u16, u16),
}

/// A lead photo's path and focus (thousandths), naming its crops.
pub type CropKey = (String, Option<(u16, u16)>);

/// A source photo, as its header described it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its output path as written in content (`images/harbor.jpg`).
    pub rel: String,
    pub disk: std::path::PathBuf,
    /// `disk` relative to the site folder, for messages.
    pub file: String,
    /// The stable hash of its bytes.
    pub hash: Key,
    /// As displayed: after the EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Where an article first shows it, for messages.
    pub used_at: Use,
}

/// Where content names an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The article's file, relative to the site folder.
    pub article: std::path::PathBuf,
    pub line: usize,
    pub column: Option<usize>,
    /// The image as written.
    pub src: String,
}

/// One derivative file.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Index into [`ImagePlan::sources`].
    pub source: usize,
    /// Its output path (`img/3fa9c2d1e0b4/harbor-800.webp`).
    pub file: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub crop: Option<Crop>,
    pub quality: u8,
    /// Its cache key: the source's bytes and all of the above.
    pub key: Key,
}

/// What a page needs to show one source: its derivatives by width.
#[derive(Debug, Clone)]
pub struct Picture {
    pub source: usize,
    pub width: u32,
    pub height: u32,
    /// Fallback (source-format) derivatives, narrowest first.
    pub fallback: Vec<usize>,
    /// WebP derivatives, same widths; empty when the fallback is WebP or
    /// `[images] webp = false`.
    pub webp: Vec<usize>,
    /// The fallback derivative for sharing (`og:image`): the narrowest at
    /// least 1200 px wide, or the widest there is.
    pub share: usize,
}

/// Every derivative a build publishes and what each page shows.
#[derive(Debug, Default)]
pub struct ImagePlan {
    pub sources: Vec<Source>,
    pub variants: Vec<Variant>,
    /// By the source's output path as content names it.
    pub pictures: HashMap<String, Picture>,
    /// Structured-data crops (16×9, 4×3, 1×1) by source path and focus.
    pub crops: HashMap<CropKey, [usize; 3]>,
    /// Variants by output file, for `serve`.
    pub by_file: HashMap<String, usize>,
    /// Local images with no file behind them, published as written.
    pub missing: Vec<Use>,
    /// The cache's memos of the sources' headers, kept when pruning.
    pub probes: Vec<Key>,
}

impl ImagePlan {
    /// The picture of the file content names as `rel`.
    pub fn picture(&self, rel: &str) -> Option<&Picture> {
        self.pictures.get(rel)
    }

    /// The crops of a lead image.
    pub fn crops(&self, rel: &str, focus: Option<(u16, u16)>) -> Option<&[usize; 3]> {
        self.crops.get(&(rel.to_string(), focus))
    }

    /// Output paths of the originals, which are never copied as they are
    /// (with `originals = true` a re-encoded copy is one of the variants).
    pub fn originals(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.rel.as_str())
    }

    /// Drops every cache entry this plan does not use: derivatives of
    /// photos no longer shown, memos of files gone. Returns how many.
    pub fn prune(&self, cache: &crate::cache::Cache) -> usize {
        let keep: std::collections::HashSet<Key> = self.variants.iter().map(|v| v.key).collect();
        let probes: std::collections::HashSet<Key> = self.probes.iter().copied().collect();
        cache.prune(STORE, &keep).unwrap_or(0) + cache.prune(probe::STORE, &probes).unwrap_or(0)
    }

    /// One hash of every derivative's key and name: with it, the build
    /// fingerprint covers the photos without reading them.
    pub fn digest(&self) -> Key {
        let mut k = crate::cache::KeyBuilder::new("image-plan");
        for v in &self.variants {
            k.bytes(v.key.bytes()).bytes(v.file.as_bytes());
        }
        for s in &self.sources {
            k.bytes(s.rel.as_bytes()).bytes(s.hash.bytes());
        }
        for m in &self.missing {
            k.bytes(m.src.as_bytes());
        }
        k.key()
    }
}
