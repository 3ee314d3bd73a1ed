//! Pack files: many small entries appended to one file, found by their
//! place in it.
//!
//! A store of one file per entry costs a file creation per entry, which
//! on a disk costs more than writing the bytes: a million articles made
//! a million files in the cache beside the million pages of the site.
//! A pack is written by one build, appended to and never rewritten; its
//! entries are found by a [`Loc`] that the build's own list records.
//! Every entry ends with the hash of its bytes, checked on every read,
//! so a torn, truncated or replaced pack is a miss, never a wrong
//! result. A build keeps every pack it reads open: one that another
//! process removes meanwhile stays readable to it.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

const CHECK_LEN: usize = 32;

/// Where an entry is: which of the build's packs, at what offset, how
/// long (without its check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    pub pack: u32,
    pub offset: u64,
    pub len: u32,
}

impl Loc {
    /// The bytes the entry takes in its pack.
    pub fn size(&self) -> u64 {
        u64::from(self.len) + CHECK_LEN as u64
    }
}

/// The packs one build reads, and the one it writes (created on the
/// first entry appended).
pub struct Packs {
    dir: PathBuf,
    names: Vec<String>,
    files: Vec<Option<File>>,
    /// This build's pack: its index in `names`, and its file and length
    /// once created.
    new: u32,
    writing: Mutex<Option<(File, u64)>>,
    /// The same file, for reads that need not wait for a write.
    written: OnceLock<File>,
}

impl std::fmt::Debug for Packs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packs({} in {})", self.names.len(), self.dir.display())
    }
}

impl Packs {
    /// The packs `names` in `dir`, opened now; `new_name` is the pack
    /// this build appends to.
    pub fn open(dir: &Path, names: Vec<String>, new_name: String) -> Packs {
        let mut files: Vec<Option<File>> =
            names.iter().map(|n| File::open(dir.join(n)).ok()).collect();
        let mut names = names;
        names.push(new_name);
        files.push(None);
        Packs {
            dir: dir.to_path_buf(),
            new: (names.len() - 1) as u32,
            names,
            files,
            writing: Mutex::new(None),
            written: OnceLock::new(),
        }
    }

    /// Every pack's name, indexed by [`Loc::pack`].
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The pack this build writes.
    pub fn new_pack(&self) -> u32 {
        self.new
    }

    /// The entry at `loc`, if its pack holds it whole.
    pub fn read(&self, loc: Loc) -> Option<Vec<u8>> {
        let mut bytes = vec![0; usize::try_from(loc.size()).ok()?];
        let file = match loc.pack == self.new {
            true => self.written.get()?,
            false => self.files.get(loc.pack as usize)?.as_ref()?,
        };
        file.read_exact_at(&mut bytes, loc.offset).ok()?;
        let body = loc.len as usize;
        if blake3::hash(&bytes[..body]).as_bytes() != &bytes[body..] {
            return None;
        }
        bytes.truncate(body);
        Some(bytes)
    }

    /// Appends `bytes` to this build's pack.
    pub fn append(&self, bytes: &[u8]) -> Option<Loc> {
        let len = u32::try_from(bytes.len()).ok()?;
        let mut entry = Vec::with_capacity(bytes.len() + CHECK_LEN);
        entry.extend_from_slice(bytes);
        entry.extend_from_slice(blake3::hash(bytes).as_bytes());
        let mut guard = self.writing.lock().ok()?;
        if guard.is_none() {
            std::fs::create_dir_all(&self.dir).ok()?;
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(self.dir.join(&self.names[self.new as usize]))
                .ok()?;
            let _ = self.written.set(file.try_clone().ok()?);
            *guard = Some((file, 0));
        }
        let (file, end) = guard.as_mut()?;
        file.write_all_at(&entry, *end).ok()?;
        let loc = Loc {
            pack: self.new,
            offset: *end,
            len,
        };
        *end += entry.len() as u64;
        Some(loc)
    }

    /// The length of pack `i` on disk (this build's as written so far).
    pub fn len_of(&self, i: u32) -> u64 {
        if i == self.new {
            return self
                .writing
                .lock()
                .ok()
                .and_then(|g| g.as_ref().map(|(_, n)| *n))
                .unwrap_or(0);
        }
        self.files
            .get(i as usize)
            .and_then(Option::as_ref)
            .and_then(|f| f.metadata().ok())
            .map_or(0, |m| m.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_from_this_build_and_the_next_and_damage_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let one = Packs::open(dir.path(), Vec::new(), "a.pack".into());
        let x = one.append(b"first entry").unwrap();
        let y = one.append(b"second").unwrap();
        assert_eq!(one.read(x).as_deref(), Some(&b"first entry"[..]));
        assert_eq!(one.read(y).as_deref(), Some(&b"second"[..]));
        drop(one);
        let two = Packs::open(dir.path(), vec!["a.pack".into()], "b.pack".into());
        assert_eq!(two.read(y).as_deref(), Some(&b"second"[..]));
        let mut bytes = std::fs::read(dir.path().join("a.pack")).unwrap();
        bytes[1] ^= 1;
        std::fs::write(dir.path().join("a.pack"), &bytes).unwrap();
        let three = Packs::open(dir.path(), vec!["a.pack".into()], "c.pack".into());
        assert_eq!(three.read(x), None, "a flipped bit is not trusted");
        assert_eq!(three.read(y).as_deref(), Some(&b"second"[..]));
        let past_end = Loc {
            offset: 1 << 20,
            ..y
        };
        assert_eq!(three.read(past_end), None);
    }
}
