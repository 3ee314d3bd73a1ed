//! Removing metadata from photos published as they are: a JPEG, PNG or
//! WebP in `static/` or a page bundle that no article shows through the
//! pipeline (a logo, a file linked from raw HTML) is still copied, but
//! without the EXIF, XMP, IPTC and text blocks that can hold a GPS
//! position. Lossless: the pixel data is copied byte for byte.

use img_parts::jpeg::{markers, Jpeg, JpegSegment};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use super::decode::sniff;
use super::Format;

/// `bytes` without metadata when they are a JPEG, PNG or WebP file;
/// anything else, or a file the container parser cannot read (the
/// browser may not either), as it was.
pub fn without_metadata(bytes: Vec<u8>) -> Vec<u8> {
    let Ok(format) = sniff(&bytes) else {
        return bytes;
    };
    let all = Bytes::from(bytes);
    let cleaned = match format {
        Format::Jpeg => jpeg(all.clone()),
        Format::Png => png(all.clone()),
        Format::WebP => webp(all.clone()),
    };
    cleaned.unwrap_or_else(|| all.to_vec())
}

fn jpeg(all: Bytes) -> Option<Vec<u8>> {
    let mut image = Jpeg::from_bytes(all).ok()?;
    image.segments_mut().retain(keep_jpeg_segment);
    // The scan data runs to the end of the file, and so carries whatever
    // follows the end-of-image marker: a phone's second picture (MPF),
    // with its own EXIF. Only the first picture is kept.
    let entropy: usize = image
        .segments()
        .iter()
        .filter(|s| s.has_entropy())
        .map(|s| s.len_with_entropy() - s.len())
        .sum();
    let mut out = image.encoder().bytes().to_vec();
    let start = out.len().checked_sub(entropy)?;
    let end = start + end_of_image(&out[start..]);
    out.truncate(end);
    Some(out)
}

/// JFIF, the ICC profile and Adobe's colour-transform flag decide how the
/// pixels look; every other application segment and comment is metadata.
fn keep_jpeg_segment(segment: &JpegSegment) -> bool {
    match segment.marker() {
        markers::APP0 | markers::APP14 => true,
        markers::APP2 => segment.contents().starts_with(b"ICC_PROFILE\0"),
        m if (markers::APP1..=markers::APP15).contains(&m) || m == markers::COM => false,
        _ => true,
    }
}

/// The length of the entropy-coded data up to and including the first
/// end-of-image marker, skipping stuffed bytes, restart markers and the
/// tables and scan headers between a progressive file's scans.
fn end_of_image(data: &[u8]) -> usize {
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] != 0xFF {
            i += 1;
            continue;
        }
        match data[i + 1] {
            0x00 | 0xD0..=0xD7 | 0x01 | 0xD8 => i += 2,
            0xFF => i += 1,
            0xD9 => return i + 2,
            _ => {
                let Some(len) = data.get(i + 2..i + 4) else {
                    break;
                };
                i += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
            }
        }
    }
    data.len()
}

fn png(all: Bytes) -> Option<Vec<u8>> {
    let mut image = Png::from_bytes(all).ok()?;
    for kind in [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"] {
        image.remove_chunks_by_type(kind);
    }
    Some(image.encoder().bytes().to_vec())
}

fn webp(all: Bytes) -> Option<Vec<u8>> {
    let mut image = WebP::from_bytes(all).ok()?;
    image.remove_chunks_by_id(*b"XMP ");
    // Also rewrites the VP8X flags to say no metadata follows.
    image.set_exif(None);
    Some(image.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_end_of_image_ends_the_file() {
        // Scan data with a stuffed byte, a restart marker, a table between
        // scans, then EOI and a second picture.
        let data = [
            0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xC4, 0x00, 0x04, 0xFF, 0xD9, 0x78,
            0xFF, 0xD9, 0xFF, 0xD8, 0xAA,
        ];
        assert_eq!(end_of_image(&data), 16);
    }

    #[test]
    fn other_files_pass_through() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec();
        assert_eq!(without_metadata(svg.clone()), svg);
        let broken = b"\xFF\xD8\xFF\xE1\x00".to_vec();
        assert_eq!(without_metadata(broken.clone()), broken);
    }
}
