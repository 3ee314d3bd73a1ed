//! The persistent build cache: what one build learned that the next can
//! reuse instead of doing again, kept in the site's `.dateline-cache/`
//! (or `--cache DIR`).
//!
//! Entries are content-addressed: an entry's [`Key`] is a stable hash
//! (BLAKE3, fixed by its specification, unlike `DefaultHasher`) of every
//! input that decides its bytes and of [`FORMAT`], so a stale entry is
//! never found rather than detected. Each entry ends with the hash of its
//! own bytes, checked on every read: a torn, truncated or edited file is
//! a miss, never a wrong result. Writes go to a unique temporary file that
//! is renamed into place, so a killed build or two processes sharing the
//! folder (`build` while `serve` runs) leave only whole entries.
//!
//! Stores are folders (`images/`, …): nothing in a key or a path assumes
//! one language or one output, so a multilingual site shares one cache.

pub mod bytes;
pub mod pack;
mod pages;

pub use pages::PageRecord;

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The cache folder a site uses when not told otherwise.
pub const DEFAULT_DIR: &str = ".dateline-cache";

/// Bumped whenever an entry's layout or meaning changes: older entries
/// then live under another folder and are never read.
pub const FORMAT: &str = "v1";

const CHECK_LEN: usize = 32;

/// A stable 256-bit hash naming an entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key([u8; 32]);

impl Key {
    /// Hex digits, the entry's file name.
    pub fn hex(&self) -> String {
        use std::fmt::Write as _;
        self.0.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// The first `n` hex digits, for URLs.
    pub fn short(&self, n: usize) -> String {
        let mut hex = self.hex();
        hex.truncate(n);
        hex
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.short(16))
    }
}

/// Builds a [`Key`] from its inputs, each framed by its length so that
/// `("ab", "c")` and `("a", "bc")` differ.
pub struct KeyBuilder(blake3::Hasher);

impl KeyBuilder {
    /// A key for `store`'s entries of `kind`.
    pub fn new(kind: &str) -> KeyBuilder {
        let mut h = blake3::Hasher::new();
        h.update(FORMAT.as_bytes());
        let mut b = KeyBuilder(h);
        b.bytes(kind.as_bytes());
        b
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn u64(&mut self, n: u64) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }

    pub fn key(&self) -> Key {
        Key(*self.0.finalize().as_bytes())
    }

    /// Adds the running executable: a rebuilt one may parse or draw
    /// differently under the same version number.
    pub fn executable(&mut self) -> &mut Self {
        self.bytes(env!("CARGO_PKG_VERSION").as_bytes());
        if let Some(meta) = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.metadata().ok())
        {
            self.u64(meta.len());
            let time = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            self.u64(time.map_or(0, |d| d.as_nanos() as u64));
        }
        self
    }
}

/// The stable hash of `bytes`: a source file's identity.
pub fn hash_bytes(bytes: &[u8]) -> Key {
    Key(*blake3::hash(bytes).as_bytes())
}

/// A cache folder. Every method is safe to call from many threads.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

static TEMP_SEQ: AtomicU64 = AtomicU64::new(0);

impl Cache {
    /// The cache in `dir` (created on first write).
    pub fn at(dir: &Path) -> Cache {
        Cache {
            root: dir.join(FORMAT),
        }
    }

    /// The folder holding this format's entries.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, store: &str, key: &Key) -> PathBuf {
        let hex = key.hex();
        self.root.join(store).join(&hex[..2]).join(&hex[2..])
    }

    /// The entry `key` of `store`, if present and whole.
    pub fn get(&self, store: &str, key: &Key) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.path(store, key)).ok()?;
        let body = bytes.len().checked_sub(CHECK_LEN)?;
        if blake3::hash(&bytes[..body]).as_bytes() != &bytes[body..] {
            return None;
        }
        bytes.truncate(body);
        Some(bytes)
    }

    /// Whether `key` has an entry, without reading it whole.
    pub fn has(&self, store: &str, key: &Key) -> bool {
        self.path(store, key)
            .metadata()
            .is_ok_and(|m| m.len() >= CHECK_LEN as u64)
    }

    /// Stores `bytes` as entry `key` of `store`, replacing any.
    pub fn put(&self, store: &str, key: &Key, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(store, key);
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let temp = dir.join(format!(
            ".tmp-{}-{}",
            std::process::id(),
            TEMP_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.write_all(blake3::hash(bytes).as_bytes())?;
            std::fs::rename(&temp, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }

    /// Removes every entry of `store` not in `keep`, and temporary files
    /// a killed process left; returns how many entries went.
    pub fn prune(&self, store: &str, keep: &HashSet<Key>) -> io::Result<usize> {
        let keep: HashSet<String> = keep.iter().map(Key::hex).collect();
        let dir = self.root.join(store);
        let Ok(shards) = std::fs::read_dir(&dir) else {
            return Ok(0);
        };
        let mut removed = 0;
        for shard in shards.flatten() {
            let prefix = shard.file_name().to_string_lossy().into_owned();
            let Ok(entries) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let stale_temp = name.starts_with(".tmp-")
                    && entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t.elapsed().is_ok_and(|d| d.as_secs() > 3600));
                let unused = !name.starts_with('.') && !keep.contains(&(prefix.clone() + &name));
                if stale_temp {
                    let _ = std::fs::remove_file(entry.path());
                } else if unused && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_and_a_damaged_one_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let key = KeyBuilder::new("test").bytes(b"input").key();
        assert_eq!(cache.get("s", &key), None);
        cache.put("s", &key, b"derived bytes").unwrap();
        assert_eq!(cache.get("s", &key).as_deref(), Some(&b"derived bytes"[..]));
        let path = cache.path("s", &key);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[0] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(cache.get("s", &key), None, "a flipped bit is not trusted");
        std::fs::write(&path, b"short").unwrap();
        assert_eq!(
            cache.get("s", &key),
            None,
            "a truncated entry is not trusted"
        );
    }

    #[test]
    fn keys_frame_their_inputs() {
        let a = KeyBuilder::new("k").bytes(b"ab").bytes(b"c").key();
        let b = KeyBuilder::new("k").bytes(b"a").bytes(b"bc").key();
        assert_ne!(a, b);
        assert_ne!(KeyBuilder::new("k").key(), KeyBuilder::new("j").key());
    }

    #[test]
    fn pruning_keeps_only_what_was_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let used = KeyBuilder::new("t").u64(1).key();
        let unused = KeyBuilder::new("t").u64(2).key();
        cache.put("s", &used, b"1").unwrap();
        cache.put("s", &unused, b"2").unwrap();
        let removed = cache.prune("s", &HashSet::from([used])).unwrap();
        assert_eq!(removed, 1);
        assert!(cache.get("s", &used).is_some());
        assert!(cache.get("s", &unused).is_none());
    }
}
