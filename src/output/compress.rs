//! Precompressed siblings (`page.html.gz`, `page.html.br`) of the text
//! files of a build, for hosts that serve them as they are (nginx's
//! `gzip_static` and `brotli_static`, object storage with a
//! content-encoding). Each is made from the very bytes written beside it,
//! deterministically: the same page always gives the same sibling.

use std::io::Write;

use crate::config::Compression;

/// Brotli's quality. Measured on the reference corpus's pages: quality 5
/// compresses to 23.9% at about 40 MB/s, 9 to 23.7% at 2 MB/s and 11 to
/// 20.5% at 1 MB/s; 5 is the knee.
const BROTLI_QUALITY: u32 = 5;
/// The window, 2^22 bytes: more than any page.
const BROTLI_WINDOW: u32 = 22;

/// Whether the file at `rel` is text worth compressing.
pub fn is_text(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "html"
            | "htm"
            | "xml"
            | "css"
            | "js"
            | "mjs"
            | "json"
            | "svg"
            | "txt"
            | "xsl"
            | "webmanifest"
    )
}

/// The siblings of `rel` under `encodings`, as output paths.
pub fn siblings<'a>(
    rel: &'a str,
    encodings: &'a [Compression],
) -> impl Iterator<Item = String> + 'a {
    encodings
        .iter()
        .filter(move |_| is_text(rel))
        .map(move |e| format!("{rel}.{}", e.extension()))
}

/// `bytes` compressed with `encoding`.
pub fn compress(encoding: Compression, bytes: &[u8]) -> Vec<u8> {
    match encoding {
        Compression::Gzip => {
            // No file name and a zero time in the header: deterministic.
            let mut out = flate2::GzBuilder::new().mtime(0).write(
                Vec::with_capacity(bytes.len() / 3),
                flate2::Compression::best(),
            );
            let _ = out.write_all(bytes);
            out.finish().unwrap_or_default()
        }
        Compression::Brotli => {
            let mut out = Vec::with_capacity(bytes.len() / 4);
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY as i32,
                lgwin: BROTLI_WINDOW as i32,
                ..Default::default()
            };
            let mut input = bytes;
            let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn each_sibling_decompresses_to_the_file_and_is_deterministic() {
        let page = "<!DOCTYPE html><p>Harbor ferry fares rise.</p>".repeat(200);
        let gz = compress(Compression::Gzip, page.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        let br = compress(Compression::Brotli, page.as_bytes());
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        assert!(br.len() < page.len() / 10 && gz.len() < page.len() / 10);
        assert_eq!(gz, compress(Compression::Gzip, page.as_bytes()));
        assert_eq!(br, compress(Compression::Brotli, page.as_bytes()));
    }

    #[test]
    fn only_text_files_get_siblings() {
        let both = [Compression::Gzip, Compression::Brotli];
        assert_eq!(
            siblings("news/index.html", &both).collect::<Vec<_>>(),
            ["news/index.html.gz", "news/index.html.br"]
        );
        assert_eq!(siblings("images/a.jpg", &both).count(), 0);
        assert!(is_text("css/site.CSS") && is_text("feed/atom.xml") && !is_text("a.png"));
    }
}
