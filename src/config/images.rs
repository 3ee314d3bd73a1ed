//! `[images]` in site.toml: how local photos become derivatives.

use serde::Deserialize;
use toml::Spanned;

/// Widths made when `[images] widths` is not given: a phone's first
/// screen (480), a column at 2× (800 — 1600), Discover's 1200, and a
/// full-width lead on a large 2× screen (2400).
pub const DEFAULT_WIDTHS: &[u32] = &[480, 800, 1200, 1600, 2400];

/// The raw table.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImages {
    widths: Option<Spanned<Vec<Spanned<i64>>>>,
    quality: Option<Spanned<i64>>,
    webp: Option<bool>,
    originals: Option<bool>,
}

/// The resolved `[images]` settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Images {
    /// Derivative widths, ascending, without repeats.
    pub widths: Vec<u32>,
    /// Lossy quality, 1–100, for JPEG and WebP derivatives.
    pub quality: u8,
    /// Offer WebP beside the source's own format.
    pub webp: bool,
    /// Publish each original too (re-encoded, without metadata) at its
    /// own path; otherwise an original is published only as derivatives.
    pub originals: bool,
}

impl Default for Images {
    fn default() -> Images {
        Images {
            widths: DEFAULT_WIDTHS.to_vec(),
            quality: 80,
            webp: true,
            originals: false,
        }
    }
}

impl RawImages {
    /// Checks the table; an error is (offset in site.toml, message).
    pub(super) fn resolve(self) -> Result<Images, (usize, String)> {
        let mut images = Images::default();
        if let Some(list) = self.widths {
            let start = list.span().start;
            let mut widths = Vec::new();
            for w in list.into_inner() {
                let n = *w.get_ref();
                if !(16..=8192).contains(&n) {
                    return Err((
                        w.span().start,
                        format!("[images] widths: {n} is not a width from 16 to 8192 pixels"),
                    ));
                }
                widths.push(n as u32);
            }
            if widths.is_empty() {
                return Err((start, "[images] widths must list at least one width".into()));
            }
            widths.sort_unstable();
            widths.dedup();
            images.widths = widths;
        }
        if let Some(q) = self.quality {
            let n = *q.get_ref();
            if !(1..=100).contains(&n) {
                return Err((
                    q.span().start,
                    format!("[images] quality must be from 1 to 100, found {n}"),
                ));
            }
            images.quality = n as u8;
        }
        images.webp = self.webp.unwrap_or(images.webp);
        images.originals = self.originals.unwrap_or(images.originals);
        Ok(images)
    }
}
