//! Making derivatives: decode a source once, then resize (Lanczos, with
//! `fast_image_resize`'s SIMD kernels) and encode each derivative the
//! cache lacks. The encoders write pixels only: no EXIF, GPS, XMP, IPTC
//! or ICC data reaches a published file.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use fast_image_resize::{
    images::Image as Frame, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};
use image::{DynamicImage, ExtendedColorType, ImageEncoder};
use rayon::prelude::*;

use super::decode::decode;
use super::plan::{crop_rect, use_error};
use super::{Crop, Format, ImagePlan, Variant, STORE};
use crate::cache::Cache;
use crate::error::Diagnostic;

/// What [`produce`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Produced {
    /// Derivatives encoded now.
    pub encoded: usize,
    /// Derivatives the cache already held.
    pub reused: usize,
    /// Sources decoded.
    pub decoded: usize,
    /// Thread time spent decoding and encoding.
    pub time: Duration,
}

/// Encodes every derivative of `plan` that `cache` lacks, in parallel:
/// each thread holds one decoded photo at a time, so memory is bounded by
/// the number of cores, not of photos.
pub fn produce(plan: &ImagePlan, cache: &Cache) -> Result<Produced, Vec<Diagnostic>> {
    let mut todo: Vec<Vec<usize>> = vec![Vec::new(); plan.sources.len()];
    let mut reused = 0;
    for (i, v) in plan.variants.iter().enumerate() {
        if cache.has(STORE, &v.key) {
            reused += 1;
        } else {
            todo[v.source].push(i);
        }
    }
    let budget = Budget::default();
    let results: Vec<Result<(usize, Duration), Diagnostic>> = todo
        .par_iter()
        .enumerate()
        .filter(|(_, vs)| !vs.is_empty())
        .map(|(s, vs)| {
            let source = &plan.sources[s];
            let _held = budget.take(u64::from(source.width) * u64::from(source.height));
            let start = Instant::now();
            let fail = |why: String| use_error(&source.used_at, &source.file, &why);
            let bytes = std::fs::read(&source.disk)
                .map_err(|e| fail(format!("it cannot be read ({e})")))?;
            let image = decode(&bytes).map_err(fail)?;
            drop(bytes);
            let upright = Upright::new(image, vs.iter().map(|&v| &plan.variants[v]));
            let mut resizer = Resizer::new();
            // Variants of one shape (width, crop) share one resize: the
            // WebP and the fallback are encoded from the same frame.
            let mut frame: Option<(Shape, Frame)> = None;
            for &v in vs {
                let variant = &plan.variants[v];
                let shape = Shape::of(&upright, variant);
                if frame.as_ref().map(|(s, _)| *s) != Some(shape) {
                    frame = Some((
                        shape,
                        resize(&mut resizer, &upright, variant).map_err(fail)?,
                    ));
                }
                let Some((_, pixels)) = &frame else { continue };
                let encoded = encode_frame(pixels, variant, shape.alpha).map_err(fail)?;
                cache.put(STORE, &variant.key, &encoded).map_err(|e| {
                    fail(format!(
                        "its derivative could not be stored in the cache ({e})"
                    ))
                })?;
            }
            Ok((vs.len(), start.elapsed()))
        })
        .collect();
    let mut done = Produced {
        reused,
        ..Produced::default()
    };
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((n, t)) => {
                done.encoded += n;
                done.decoded += 1;
                done.time += t;
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(errors)
    }
}

/// Pixels decoded at once across all threads. One photo per core bounds
/// memory by the number of cores; this bounds it on a many-core machine
/// handed a folder of 50-megapixel scans too (a photo larger than the
/// budget still runs, alone).
const PIXEL_BUDGET: u64 = 64_000_000;

#[derive(Default)]
struct Budget {
    used: Mutex<u64>,
    freed: Condvar,
}

struct Held<'a> {
    budget: &'a Budget,
    pixels: u64,
}

impl Budget {
    fn take(&self, pixels: u64) -> Held<'_> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + pixels > PIXEL_BUDGET {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += pixels;
        Held {
            budget: self,
            pixels,
        }
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.pixels;
        self.budget.freed.notify_all();
    }
}

/// The bytes of derivative `v`, from the cache or encoded now (and then
/// cached): what `serve` answers when a page asks for one.
pub fn render_variant(plan: &ImagePlan, v: usize, cache: &Cache) -> Result<Vec<u8>, String> {
    let variant = &plan.variants[v];
    if let Some(bytes) = cache.get(STORE, &variant.key) {
        return Ok(bytes);
    }
    let source = &plan.sources[variant.source];
    let bytes =
        std::fs::read(&source.disk).map_err(|e| format!("{}: {e}", source.disk.display()))?;
    let upright = Upright::new(decode(&bytes)?, std::iter::once(variant));
    let alpha = Shape::of(&upright, variant).alpha;
    let frame = resize(&mut Resizer::new(), &upright, variant)?;
    let encoded = encode_frame(&frame, variant, alpha)?;
    let _ = cache.put(STORE, &variant.key, &encoded);
    Ok(encoded)
}

/// A decoded source in the pixel layouts its variants need, converted
/// once: RGB for JPEG and opaque photos, RGBA where a WebP or PNG keeps
/// transparency.
struct Upright {
    rgb: Option<DynamicImage>,
    rgba: Option<DynamicImage>,
}

impl Upright {
    fn new<'a>(image: DynamicImage, variants: impl Iterator<Item = &'a Variant>) -> Upright {
        let has_alpha = image.color().has_alpha();
        let (mut rgb, mut rgba) = (false, false);
        for v in variants {
            if has_alpha && v.format != Format::Jpeg {
                rgba = true;
            } else {
                rgb = true;
            }
        }
        let rgb_image = rgb.then(|| match &image {
            DynamicImage::ImageRgb8(_) => None,
            other => Some(DynamicImage::ImageRgb8(other.to_rgb8())),
        });
        let rgba_image = rgba.then(|| match &image {
            DynamicImage::ImageRgba8(_) => None,
            other => Some(DynamicImage::ImageRgba8(other.to_rgba8())),
        });
        // The decoded image itself serves whichever layout it already is.
        let (rgb, rgba) = match (rgb_image, rgba_image) {
            (Some(None), r) => (Some(image), r.flatten()),
            (r, Some(None)) => (r.flatten(), Some(image)),
            (r, a) => (r.flatten(), a.flatten()),
        };
        Upright { rgb, rgba }
    }

    fn layout(&self, alpha: bool) -> Option<&DynamicImage> {
        if alpha {
            self.rgba.as_ref()
        } else {
            self.rgb.as_ref()
        }
    }
}

/// What one resize makes: variants equal in it differ only in format.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Shape {
    width: u32,
    height: u32,
    crop: Option<Crop>,
    alpha: bool,
}

impl Shape {
    fn of(upright: &Upright, v: &Variant) -> Shape {
        Shape {
            width: v.width,
            height: v.height,
            crop: v.crop,
            alpha: v.format != Format::Jpeg && upright.rgba.is_some(),
        }
    }
}

/// Resizes (and crops) the source to `v`'s shape.
fn resize(resizer: &mut Resizer, upright: &Upright, v: &Variant) -> Result<Frame<'static>, String> {
    let alpha = Shape::of(upright, v).alpha;
    let image = upright
        .layout(alpha)
        .ok_or_else(|| "its pixels were not prepared for this derivative".to_string())?;
    let pixel = if alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let mut frame = Frame::new(v.width, v.height, pixel);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Some(c) = v.crop {
        let (w, h, left, top) = crop_rect(image.width(), image.height(), c.ratio, c.focus);
        options = options.crop(f64::from(left), f64::from(top), f64::from(w), f64::from(h));
    }
    resizer
        .resize(image, &mut frame, &options)
        .map_err(|e| format!("it could not be resized ({e})"))?;
    Ok(frame)
}

fn encode_frame(frame: &Frame, v: &Variant, alpha: bool) -> Result<Vec<u8>, String> {
    encode(
        frame.buffer(),
        v.width,
        v.height,
        alpha,
        v.format,
        v.quality,
    )
}

fn encode(
    pixels: &[u8],
    w: u32,
    h: u32,
    alpha: bool,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let color = if alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    // Sized for a typical derivative so the buffer rarely regrows.
    let mut out = Vec::with_capacity(pixels.len() / 8);
    match format {
        Format::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(pixels, w, h, color)
            .map_err(|e| format!("JPEG encoding failed ({e})"))?,
        Format::Png => image::codecs::png::PngEncoder::new(&mut out)
            .write_image(pixels, w, h, color)
            .map_err(|e| format!("PNG encoding failed ({e})"))?,
        Format::WebP => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(pixels, w, h)
            } else {
                webp::Encoder::from_rgb(pixels, w, h)
            };
            let memory = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| format!("WebP encoding failed ({e:?})"))?;
            out.extend_from_slice(&memory);
        }
    }
    Ok(out)
}
