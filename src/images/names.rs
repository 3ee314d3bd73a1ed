//! Where each derivative is published: `img/<folder>/<stem>-<label>.<ext>`.
//! The folder is a hash of the source's bytes and the encoding settings,
//! so a URL never serves other bytes than it did (CDNs may keep it
//! forever), and a replaced photo gets new URLs.

use super::{Crop, Format, Source, Variant};
use crate::cache::KeyBuilder;

/// The folder all derivatives are published under.
pub const ROOT: &str = "img";

/// The readable part of a derivative's name, from the source's file name:
/// lower-case ASCII letters, digits and hyphens, as a URL likes them.
pub fn stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let name = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "image".into()
    } else {
        out.to_string()
    }
}

/// The derivative of source `i` at `width` × `height`.
pub fn variant(
    i: usize,
    source: &Source,
    width: u32,
    height: u32,
    format: Format,
    crop: Option<Crop>,
    quality: u8,
) -> Variant {
    let folder = KeyBuilder::new("image-folder")
        .bytes(source.hash.bytes())
        .u64(u64::from(quality))
        .key()
        .short(12);
    let label = match crop {
        None => width.to_string(),
        Some(Crop {
            ratio: (w, h),
            focus: (500, 500),
        }) => format!("{w}x{h}"),
        Some(Crop {
            ratio: (w, h),
            focus: (x, y),
        }) => format!("{w}x{h}-{x}-{y}"),
    };
    let file = format!(
        "{ROOT}/{folder}/{}-{label}.{}",
        stem(&source.rel),
        format.extension()
    );
    let mut key = KeyBuilder::new("image-derivative");
    key.bytes(source.hash.bytes())
        .u64(u64::from(width))
        .u64(u64::from(height))
        .bytes(format.extension().as_bytes())
        .u64(u64::from(quality));
    if let Some(c) = crop {
        key.u64(u64::from(c.ratio.0))
            .u64(u64::from(c.ratio.1))
            .u64(u64::from(c.focus.0))
            .u64(u64::from(c.focus.1));
    }
    Variant {
        source: i,
        file,
        width,
        height,
        format,
        crop,
        quality,
        key: key.key(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_plain_url_words() {
        assert_eq!(stem("news/us/IMG_2041 (1).JPG"), "img-2041-1");
        assert_eq!(stem("images/Überschwemmung.jpg"), "berschwemmung");
        assert_eq!(stem("images/日本.png"), "image");
    }
}
