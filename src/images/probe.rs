//! A source's identity and header, memoised: hashing a 10 MB camera file
//! on every build would cost more than the rest of a rebuild, so the
//! result is kept in the cache under the file's path, size and time, and
//! read back while those stay the same.

use std::path::Path;
use std::time::UNIX_EPOCH;

use super::decode::{header, Header};
use super::Format;
use crate::cache::{hash_bytes, Cache, Key, KeyBuilder};

pub const STORE: &str = "probes";

/// What the pipeline knows of a source without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub hash: Key,
    pub header: Header,
}

/// Probes the file at `disk`: an error says why it cannot be used.
pub fn probe(cache: &Cache, disk: &Path) -> Result<(Probe, Key), String> {
    let meta = std::fs::metadata(disk).map_err(|e| format!("it cannot be read ({e})"))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    let memo = KeyBuilder::new("probe")
        .bytes(disk.as_os_str().as_encoded_bytes())
        .u64(meta.len())
        .u64(mtime)
        .key();
    if let Some(p) = cache.get(STORE, &memo).and_then(|b| decode_memo(&b)) {
        return Ok((p, memo));
    }
    let bytes = std::fs::read(disk).map_err(|e| format!("it cannot be read ({e})"))?;
    let header = header(&bytes)?;
    let p = Probe {
        hash: hash_bytes(&bytes),
        header,
    };
    // Best effort: without the memo the next build hashes again.
    let _ = cache.put(STORE, &memo, &encode_memo(&p));
    Ok((p, memo))
}

fn encode_memo(p: &Probe) -> Vec<u8> {
    let mut out = p.hash.bytes().to_vec();
    out.extend(p.header.width.to_le_bytes());
    out.extend(p.header.height.to_le_bytes());
    out.push(match p.header.format {
        Format::Jpeg => 0,
        Format::Png => 1,
        Format::WebP => 2,
    });
    out
}

fn decode_memo(b: &[u8]) -> Option<Probe> {
    if b.len() != 41 {
        return None;
    }
    let hash: [u8; 32] = b[..32].try_into().ok()?;
    let width = u32::from_le_bytes(b[32..36].try_into().ok()?);
    let height = u32::from_le_bytes(b[36..40].try_into().ok()?);
    let format = match b[40] {
        0 => Format::Jpeg,
        1 => Format::Png,
        2 => Format::WebP,
        _ => return None,
    };
    Some(Probe {
        hash: Key::from_bytes(hash),
        header: Header {
            width,
            height,
            format,
        },
    })
}
