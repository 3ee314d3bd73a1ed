//! The page record: for one output folder, which key each page file was
//! drawn from and its size, as the last build left them. A rebuild whose
//! key for a page is the same leaves the file alone instead of drawing it.
//!
//! The record names the output folder's marker as it was when the record
//! was made (size, time, inode): if the folder was written since by a
//! build that did not update this record (another cache, an older
//! Dateline), the marker differs and the record is not used.

use std::collections::HashMap;
use std::path::Path;

use super::{Cache, Key, KeyBuilder};

const STORE: &str = "pages";

/// Which key each page file of an output folder was drawn from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageRecord {
    /// Output file → (key, size).
    pub pages: HashMap<String, (Key, u64)>,
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
        let n = r.u64()? as usize;
        let mut pages = HashMap::with_capacity(n.min(bytes.len() / 40));
        for _ in 0..n {
            let file = String::from_utf8(r.take_framed()?.to_vec()).ok()?;
            let key = Key::from_bytes(r.take(32)?.try_into().ok()?);
            let size = r.u64()?;
            pages.insert(file, (key, size));
        }
        r.0.is_empty().then_some(PageRecord { pages })
    }

    /// Stores the record of `target`, whose `marker` is written.
    pub fn save(&self, cache: &Cache, target: &Path, marker: &Path) -> std::io::Result<()> {
        let id = marker_id(marker).ok_or_else(|| std::io::Error::other("no marker"))?;
        let mut sorted: Vec<(&String, &(Key, u64))> = self.pages.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::with_capacity(sorted.len() * 80 + 32);
        for part in id {
            out.extend_from_slice(&part.to_le_bytes());
        }
        out.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
        for (file, (key, size)) in sorted {
            out.extend_from_slice(&(file.len() as u64).to_le_bytes());
            out.extend_from_slice(file.as_bytes());
            out.extend_from_slice(key.bytes());
            out.extend_from_slice(&size.to_le_bytes());
        }
        cache.put(STORE, &entry_key(target), &out)
    }

    /// Forgets the record of `target`: its folder is about to change in
    /// ways the record does not know.
    pub fn forget(cache: &Cache, target: &Path) {
        let _ = cache.put(STORE, &entry_key(target), b"");
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn take_framed(&mut self) -> Option<&'a [u8]> {
        let n = self.u64()? as usize;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_only_while_the_marker_is_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(&dir.path().join("cache"));
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        let marker = out.join(".marker");
        std::fs::write(&marker, "one").unwrap();
        let mut record = PageRecord::default();
        let key = KeyBuilder::new("t").u64(7).key();
        record.pages.insert("a/index.html".into(), (key, 12));
        record.save(&cache, &out, &marker).unwrap();
        assert_eq!(PageRecord::load(&cache, &out, &marker), Some(record));
        std::fs::write(&marker, "other").unwrap();
        assert_eq!(PageRecord::load(&cache, &out, &marker), None);
        PageRecord::forget(&cache, &out);
        assert_eq!(PageRecord::load(&cache, &out, &marker), None);
    }
}
