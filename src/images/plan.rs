//! Deciding every derivative from the model: which local photos the
//! articles show, where each use was written, and what sizes each needs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{names, probe, Crop, Format, ImagePlan, Picture, Source, Use};
use crate::cache::Cache;
use crate::config::Images;
use crate::content::Article;
use crate::error::Diagnostic;
use crate::markdown::{bundle_ref, decoded};
use crate::site::Site;

/// The narrowest image social networks and Google Discover show large.
pub const SHARE_WIDTH: u32 = 1200;

/// Structured-data crops, as Google asks for them.
const RATIOS: [(u32, u32); 3] = [(16, 9), (4, 3), (1, 1)];

/// What planning reads.
pub struct PlanInput<'a> {
    pub settings: &'a Images,
    pub site: &'a Site,
    /// Every file the output would copy, by output path: static files
    /// and page-bundle files.
    pub files: &'a HashMap<String, PathBuf>,
    /// Whether a file not in `files` is published anyway (a theme's
    /// built-in file).
    pub exists: &'a (dyn Fn(&str) -> bool + Sync),
    pub cache: &'a Cache,
    /// The site folder, to name files in messages.
    pub root: &'a Path,
}

/// What kind of file an image path names, by its extension.
enum Kind {
    /// JPEG, PNG, WebP: made into derivatives.
    Raster,
    /// A format browsers do not show (TIFF, HEIC, camera raw…).
    Unshowable(&'static str),
    /// SVG, GIF, AVIF and the rest: published as they are.
    AsIs,
}

fn kind(rel: &str) -> Kind {
    let ext = rel
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" | "webp" => Kind::Raster,
        "tif" | "tiff" => Kind::Unshowable("TIFF"),
        "heic" | "heif" => Kind::Unshowable("HEIC"),
        "bmp" => Kind::Unshowable("BMP"),
        "psd" => Kind::Unshowable("Photoshop"),
        "cr2" | "cr3" | "nef" | "arw" | "dng" | "orf" | "raf" | "rw2" => {
            Kind::Unshowable("camera raw")
        }
        _ => Kind::AsIs,
    }
}

/// The output path a local image `src` of the article at `path` names:
/// a bundle file beside the page, or a site path. `None` for URLs.
pub fn local_rel(a: &Article, path: &str, src: &str) -> Option<String> {
    let clean = src.split(['#', '?']).next().unwrap_or("");
    if a.bundle.is_some() {
        if let Some(rel) = bundle_ref(clean) {
            let folder = crate::urls::page_folder(path);
            return Some(format!("{folder}{}", decoded(rel)));
        }
    }
    match clean.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') && !rest.is_empty() => Some(decoded(rest).into()),
        _ => None,
    }
}

/// Every image use of an article: lead, figures, body images.
fn uses(a: &Article) -> Vec<(Use, bool)> {
    let mut out = Vec::new();
    if let Some(image) = &a.image {
        let at = Use {
            article: a.source.clone(),
            line: a.line_of("image"),
            column: None,
            src: image.src.clone(),
        };
        out.push((at, true));
    }
    let photo_args = |c: &crate::markdown::Call| match c.name.as_str() {
        "figure" => Some("src"),
        // A poster is a photo too, shown before the video plays.
        "video" => Some("poster"),
        _ => None,
    };
    for (call, key) in a.calls.iter().filter_map(|c| photo_args(c).map(|k| (c, k))) {
        if let Some(src) = crate::content::shortcodes::string(call, key) {
            let at = Use {
                article: a.source.clone(),
                line: call.line,
                column: Some(call.column),
                src: src.to_string(),
            };
            out.push((at, false));
        }
    }
    for link in a.links.iter().filter(|l| l.image) {
        let at = Use {
            article: a.source.clone(),
            line: a.body_line + link.line - 1,
            column: Some(link.column),
            src: link.url.clone(),
        };
        out.push((at, false));
    }
    out
}

/// What one use of a photo turned out to be.
enum Looked {
    /// A local path with no file behind it.
    Missing(Use),
    Error(Diagnostic),
    /// A photo to make derivatives of; `lead`: the article's lead, with
    /// its focus point if it has one.
    Raster {
        rel: String,
        at: Use,
        lead: Option<Option<(u16, u16)>>,
    },
}

/// The photo uses of the article `a`, published at `path`.
fn look(input: &PlanInput, a: &Article, path: &str) -> Vec<Looked> {
    let mut out = Vec::new();
    for (at, lead) in uses(a) {
        let Some(rel) = local_rel(a, path, &at.src) else {
            continue;
        };
        let Some(disk) = input.files.get(&rel) else {
            if !(input.exists)(&rel) {
                out.push(Looked::Missing(at));
            }
            continue;
        };
        match kind(&rel) {
            Kind::AsIs => continue,
            Kind::Unshowable(what) => {
                out.push(Looked::Error(use_error(
                    &at,
                    &rel_to(input.root, disk),
                    &format!("it is a {what} file, which browsers do not show"),
                )));
                continue;
            }
            Kind::Raster => {}
        }
        let lead = lead.then(|| a.image.as_ref().and_then(|i| i.focus));
        out.push(Looked::Raster { rel, at, lead });
    }
    out
}

/// Plans every derivative; a photo that cannot be read is an error at
/// its first use. A local path with no file behind it is `missing`.
pub fn plan(input: &PlanInput) -> Result<ImagePlan, Vec<Diagnostic>> {
    let site = input.site;
    let mut errors = Vec::new();
    let mut missing = Vec::new();
    // Sorted by path: the plan, and so the output, is the same whatever
    // order the articles were read in.
    let mut found: BTreeMap<String, Use> = BTreeMap::new();
    let mut leads: BTreeSet<(String, Option<(u16, u16)>)> = BTreeSet::new();
    // Each article's uses are looked at side by side, then gathered in
    // article order, so the first use of a photo is the one named.
    let looked: Vec<Vec<Looked>> = site
        .articles
        .par_iter()
        .zip(&site.article_paths)
        .map(|(a, path)| look(input, a, path))
        .collect();
    for looked in looked.into_iter().flatten() {
        match looked {
            Looked::Missing(at) => missing.push(at),
            Looked::Error(e) => errors.push(e),
            Looked::Raster { rel, at, lead } => {
                if let Some(focus) = lead {
                    leads.insert((rel.clone(), focus));
                }
                found.entry(rel).or_insert(at);
            }
        }
    }
    let found: Vec<(String, Use)> = found.into_iter().collect();
    let probed: Vec<_> = found
        .par_iter()
        .map(|(rel, at)| {
            let disk = &input.files[rel];
            probe::probe(input.cache, disk)
                .map_err(|why| use_error(at, &rel_to(input.root, disk), &why))
        })
        .collect();
    let mut plan = ImagePlan {
        missing,
        ..ImagePlan::default()
    };
    let mut memos = Vec::new();
    for ((rel, at), probed) in found.into_iter().zip(probed) {
        match probed {
            Ok((p, memo)) => {
                memos.push(memo);
                let disk = input.files[&rel].clone();
                plan.sources.push(Source {
                    file: rel_to(input.root, &disk),
                    disk,
                    rel,
                    hash: p.hash,
                    width: p.header.width,
                    height: p.header.height,
                    format: p.header.format,
                    used_at: at,
                });
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    plan.probes = memos;
    for i in 0..plan.sources.len() {
        add_picture(&mut plan, i, input.settings);
    }
    for (rel, focus) in leads {
        if let Some(&i) = plan.pictures.get(&rel).map(|p| &p.source) {
            let crops = RATIOS.map(|ratio| add_crop(&mut plan, i, ratio, focus, input.settings));
            plan.crops.insert((rel, focus), crops);
        }
    }
    Ok(plan)
}

/// Why the image `at` names (the site's `file`) cannot be published.
pub(super) fn use_error(at: &Use, file: &str, why: &str) -> Diagnostic {
    Diagnostic::at(
        &at.article,
        at.line,
        at.column,
        format!("image `{}` ({file}) cannot be published: {why}", at.src),
    )
    .with_hint("replace the file with a whole JPEG, PNG or WebP photo")
}

fn rel_to(root: &Path, disk: &Path) -> String {
    disk.strip_prefix(root)
        .unwrap_or(disk)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The widths a source of `width` pixels gets: each configured width
/// below it, and its own width where that is not above the widest.
fn widths(width: u32, settings: &Images) -> Vec<u32> {
    let mut out: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w < width)
        .collect();
    if settings.widths.last().is_some_and(|&max| width <= max) {
        out.push(width);
    }
    out
}

fn scaled(w: u32, src_w: u32, src_h: u32) -> u32 {
    ((u64::from(w) * u64::from(src_h) + u64::from(src_w) / 2) / u64::from(src_w)).max(1) as u32
}

fn push(plan: &mut ImagePlan, v: super::Variant) -> usize {
    if let Some(&i) = plan.by_file.get(&v.file) {
        return i;
    }
    plan.by_file.insert(v.file.clone(), plan.variants.len());
    plan.variants.push(v);
    plan.variants.len() - 1
}

fn add_picture(plan: &mut ImagePlan, i: usize, settings: &Images) {
    let source = plan.sources[i].clone();
    let (sw, sh) = (source.width, source.height);
    let mut fallback = Vec::new();
    let mut webp = Vec::new();
    for w in widths(sw, settings) {
        let h = scaled(w, sw, sh);
        let q = settings.quality;
        fallback.push(push(
            plan,
            names::variant(i, &source, w, h, source.format, None, q),
        ));
        if settings.webp && source.format != Format::WebP {
            webp.push(push(
                plan,
                names::variant(i, &source, w, h, Format::WebP, None, q),
            ));
        }
    }
    if settings.originals {
        // The original, re-encoded at full size: published at its own
        // path, but without its metadata.
        let mut v = names::variant(i, &source, sw, sh, source.format, None, settings.quality);
        v.file = source.rel.clone();
        push(plan, v);
    }
    let share = fallback
        .iter()
        .copied()
        .find(|&v| plan.variants[v].width >= SHARE_WIDTH)
        .or_else(|| fallback.last().copied())
        .unwrap_or(0);
    plan.pictures.insert(
        source.rel.clone(),
        Picture {
            source: i,
            width: sw,
            height: sh,
            fallback,
            webp,
            share,
        },
    );
}

/// A crop to `ratio` around `focus` (the centre when none), at most
/// [`SHARE_WIDTH`] wide.
fn add_crop(
    plan: &mut ImagePlan,
    i: usize,
    ratio: (u32, u32),
    focus: Option<(u16, u16)>,
    settings: &Images,
) -> usize {
    let source = plan.sources[i].clone();
    let (cw, _, _, _) = crop_rect(
        source.width,
        source.height,
        ratio,
        focus.unwrap_or((500, 500)),
    );
    let w = cw.min(SHARE_WIDTH);
    let h = scaled(w, ratio.0, ratio.1);
    let crop = Crop {
        ratio,
        focus: focus.unwrap_or((500, 500)),
    };
    let v = names::variant(
        i,
        &source,
        w,
        h,
        source.format,
        Some(crop),
        settings.quality,
    );
    push(plan, v)
}

/// The largest `ratio` rectangle of a `w` × `h` image centred as near
/// `focus` (thousandths) as the edges allow: (width, height, left, top).
pub fn crop_rect(w: u32, h: u32, ratio: (u32, u32), focus: (u16, u16)) -> (u32, u32, u32, u32) {
    let (rw, rh) = (u64::from(ratio.0), u64::from(ratio.1));
    let (w64, h64) = (u64::from(w), u64::from(h));
    let (cw, ch) = if w64 * rh > h64 * rw {
        ((h64 * rw / rh).max(1), h64)
    } else {
        (w64, (w64 * rh / rw).max(1))
    };
    let centre = |size: u64, crop: u64, f: u16| {
        let c = size * u64::from(f.min(1000)) / 1000;
        c.saturating_sub(crop / 2).min(size - crop)
    };
    let left = centre(w64, cw, focus.0);
    let top = centre(h64, ch, focus.1);
    (cw as u32, ch as u32, left as u32, top as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_gets_the_widths_below_it_and_its_own() {
        let s = Images::default();
        assert_eq!(widths(4000, &s), vec![480, 800, 1200, 1600, 2400]);
        assert_eq!(widths(1000, &s), vec![480, 800, 1000]);
        assert_eq!(widths(300, &s), vec![300]);
        assert_eq!(widths(2400, &s), vec![480, 800, 1200, 1600, 2400]);
    }

    #[test]
    fn crops_follow_the_focus_and_stay_inside() {
        // 4000 × 3000, 16:9 → 4000 × 2250; focus at the top pins it there.
        assert_eq!(crop_rect(4000, 3000, (16, 9), (500, 0)), (4000, 2250, 0, 0));
        assert_eq!(
            crop_rect(4000, 3000, (16, 9), (500, 500)),
            (4000, 2250, 0, 375)
        );
        // 1:1 of a landscape photo: the square slides to the focus.
        assert_eq!(
            crop_rect(4000, 3000, (1, 1), (250, 500)),
            (3000, 3000, 0, 0)
        );
        assert_eq!(
            crop_rect(4000, 3000, (1, 1), (1000, 500)),
            (3000, 3000, 1000, 0)
        );
        assert_eq!(
            crop_rect(4000, 3000, (1, 1), (600, 500)),
            (3000, 3000, 900, 0)
        );
    }
}
