//! Making derivatives: decode a source once, then resize (Lanczos, with
//! `fast_image_resize`'s SIMD kernels) and encode each derivative the
//! cache lacks. The encoders write pixels only: no EXIF, GPS, XMP, IPTC
//! or ICC data reaches a published file.

use std::time::{Duration, Instant};

use fast_image_resize::{
    images::Image as Frame, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};
use image::{DynamicImage, ExtendedColorType, ImageEncoder};
use rayon::prelude::*;

use super::decode::decode;
use super::plan::{crop_rect, use_error};
use super::{Format, ImagePlan, Variant, STORE};
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
    let results: Vec<Result<(usize, Duration), Diagnostic>> = todo
        .par_iter()
        .enumerate()
        .filter(|(_, vs)| !vs.is_empty())
        .map(|(s, vs)| {
            let start = Instant::now();
            let source = &plan.sources[s];
            let fail = |why: String| use_error(&source.used_at, &source.file, &why);
            let bytes = std::fs::read(&source.disk)
                .map_err(|e| fail(format!("it cannot be read ({e})")))?;
            let image = decode(&bytes).map_err(fail)?;
            drop(bytes);
            let mut resizer = Resizer::new();
            for &v in vs {
                let variant = &plan.variants[v];
                let encoded = derive(&mut resizer, &image, variant).map_err(fail)?;
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
    let image = decode(&bytes)?;
    let encoded = derive(&mut Resizer::new(), &image, variant)?;
    let _ = cache.put(STORE, &variant.key, &encoded);
    Ok(encoded)
}

/// Resizes (and crops) `image` to `v` and encodes it.
fn derive(resizer: &mut Resizer, image: &DynamicImage, v: &Variant) -> Result<Vec<u8>, String> {
    let alpha = image.color().has_alpha() && v.format != Format::Jpeg;
    let upright: DynamicImage = if alpha {
        DynamicImage::ImageRgba8(image.to_rgba8())
    } else {
        match image {
            DynamicImage::ImageRgb8(_) => image.clone(),
            other => DynamicImage::ImageRgb8(other.to_rgb8()),
        }
    };
    let pixel = if alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let mut frame = Frame::new(v.width, v.height, pixel);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Some(c) = v.crop {
        let (w, h, left, top) = crop_rect(upright.width(), upright.height(), c.ratio, c.focus);
        options = options.crop(f64::from(left), f64::from(top), f64::from(w), f64::from(h));
    }
    resizer
        .resize(&upright, &mut frame, &options)
        .map_err(|e| format!("it could not be resized ({e})"))?;
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
    let mut out = Vec::new();
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
