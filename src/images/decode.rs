//! Reading a source photo safely: its format told by its bytes, its
//! header checked against limits before any pixel is allocated, so a
//! small file claiming 50,000 × 50,000 pixels (a decompression bomb)
//! costs nothing, and a whole decode stays within a bounded allocation.

use std::io::Cursor;

use image::{metadata::Orientation, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::Format;

/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels accepted: 50 megapixels, above any newsroom camera's
/// (a 45-megapixel body writes 8256 × 5504).
pub const MAX_PIXELS: u64 = 50_000_000;
/// What one decode may allocate: 50 megapixels in 8-bit RGBA, with room.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// The header of a source: displayed size and format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// The format `bytes` hold, by their first bytes, whatever the file is
/// called.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Ok(Format::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Ok(Format::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Ok(Format::WebP),
        _ => Err(match image::guess_format(bytes) {
            Ok(other) => format!(
                "it is a {} file, which the image pipeline does not read",
                format_name(other)
            ),
            Err(_) if bytes.is_empty() => "the file is empty".into(),
            Err(_) => "it is not a JPEG, PNG or WebP image".into(),
        }),
    }
}

fn format_name(f: ImageFormat) -> String {
    f.extensions_str()
        .first()
        .map_or_else(|| format!("{f:?}"), |e| e.to_uppercase())
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn reader(bytes: &[u8], format: Format) -> ImageReader<Cursor<&[u8]>> {
    let f = match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::WebP => ImageFormat::WebP,
    };
    let mut r = ImageReader::with_format(Cursor::new(bytes), f);
    r.limits(limits());
    r
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err("its header gives it no pixels".into());
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "its header claims {width} × {height} pixels, over the limit of {MAX_SIDE} a side and {} megapixels",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

fn rotates(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Reads the header only: no pixel is decoded.
pub fn header(bytes: &[u8]) -> Result<Header, String> {
    let format = sniff(bytes)?;
    let mut decoder = reader(bytes, format).into_decoder().map_err(describe)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if rotates(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Header {
        width,
        height,
        format,
    })
}

/// Decodes every pixel, turned upright by its EXIF orientation.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let format = sniff(bytes)?;
    if format == Format::Jpeg && !ends_whole(bytes) {
        return Err(
            "the file is truncated: its JPEG data stops before the end-of-image marker".into(),
        );
    }
    let mut decoder = reader(bytes, format).into_decoder().map_err(describe)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether a JPEG reaches its end-of-image marker. The decoder forgives a
/// file cut short and paints the rest grey; a newsroom wants to hear that
/// the upload broke. Cameras may append data after the marker, so it is
/// looked for near the end, not only at it.
fn ends_whole(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

fn describe(e: image::ImageError) -> String {
    use image::ImageError as E;
    match e {
        E::Limits(l) => format!("decoding it would pass the memory limit ({l})"),
        E::Unsupported(u) => format!("it uses a feature the decoder does not support ({u})"),
        E::Decoding(d) => {
            format!("it cannot be decoded ({d}); the file may be truncated or damaged")
        }
        E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file is truncated".into()
        }
        other => format!("it cannot be decoded ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_told_by_its_bytes_not_its_name() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(Format::Jpeg));
        assert!(sniff(b"<html>not a photo</html>")
            .unwrap_err()
            .contains("not a JPEG, PNG or WebP"));
        assert!(sniff(b"GIF89a....").unwrap_err().contains("GIF"));
        assert!(sniff(b"").unwrap_err().contains("empty"));
    }

    #[test]
    fn a_header_claiming_a_huge_image_is_refused_before_decoding() {
        // A PNG header claiming 60,000 × 60,000 pixels, and nothing else.
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(60_000u32.to_be_bytes());
        ihdr.extend(60_000u32.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        png.extend(13u32.to_be_bytes());
        png.extend(&ihdr);
        png.extend(crc32(&ihdr).to_be_bytes());
        let err = header(&png).unwrap_err();
        assert!(err.contains("limit"), "{err}");
        assert!(decode(&png).is_err());
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
