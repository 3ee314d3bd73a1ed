//! The page record: for one output folder, which key each page file was
//! drawn from and its size, as the last build left them. A rebuild whose
//! key for a page is the same leaves the file alone instead of drawing it.
//!
//! The record names the output folder's marker as it was when the record
//! was made (size, time, inode): if the folder was written since by a
//! build that did not update this record (another cache, an older
//! Dateline), the marker differs and the record is not used.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::bytes::{Reader, Writer};
use super::{Cache, Key, KeyBuilder};

const STORE: &str = "pages";

/// Which key each page file of an output folder was drawn from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageRecord {
    /// Output file → (key, size).
    pub pages: FxHashMap<String, (Key, u64)>,
}

/// The identity of an output folder's marker file, which every build
/// rewrites last.
fn marker_id(marker: &Path) -> Option<[u64; 3]> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(marker).ok()?;
    let time = (meta.mtime() as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(meta.mtime_nsec() as u64);
    Some([meta.len(), time, meta.ino()])
}

fn entry_key(target: &Path) -> Key {
    KeyBuilder::new(STORE)
        .bytes(target.as_os_str().as_encoded_bytes())
        .key()
}

impl PageRecord {
    /// The record of `target`, if there is one, whole, and still true of
    /// the folder (judged by its `marker`).
    pub fn load(cache: &Cache, target: &Path, marker: &Path) -> Option<PageRecord> {
        let bytes = cache.get(STORE, &entry_key(target))?;
        let id = marker_id(marker)?;
        let mut r = Reader(&bytes);
        for part in id {
            if r.u64()? != part {
                return None;
            }
        }
        let n = r.len()?;
        let mut pages =
            FxHashMap::with_capacity_and_hasher(n.min(bytes.len() / 40), Default::default());
        for _ in 0..n {
            let file = r.string()?;
            let key = r.key()?;
            let size = r.u64()?;
            pages.insert(file, (key, size));
        }
        r.is_empty().then_some(PageRecord { pages })
    }

    /// Stores the record of `target`, whose `marker` is written.
    pub fn save(&self, cache: &Cache, target: &Path, marker: &Path) -> std::io::Result<()> {
        let id = marker_id(marker).ok_or_else(|| std::io::Error::other("no marker"))?;
        let mut sorted: Vec<(&String, &(Key, u64))> = self.pages.iter().collect();
        sorted.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut w = Writer(Vec::with_capacity(sorted.len() * 80 + 32));
        for part in id {
            w.u64(part);
        }
        w.len(sorted.len());
        for (file, (key, size)) in sorted {
            w.str(file);
            w.key(key);
            w.u64(*size);
        }
        cache.put(STORE, &entry_key(target), &w.0)
    }

    /// Forgets the record of `target`: its folder is about to change in
    /// ways the record does not know.
    pub fn forget(cache: &Cache, target: &Path) {
        let _ = cache.put(STORE, &entry_key(target), b"");
    }
}
