//! The stamp a build leaves in the output's marker file: the build's
//! fingerprint and a hash of the paths and sizes of the files it produced.
//! A later build with the same fingerprint may skip its work only if the
//! folder is still as that build left it, so a page deleted, edited or
//! added by hand is dealt with as a full build would.
//!
//! "As left" means: every produced file there with its size, and neither
//! a file nor a folder on their paths modified after the marker was
//! written (editing a file changes its time, adding or removing one
//! changes its folder's). Times are compared, not stored, so the marker's
//! bytes stay the same from build to build: the output is deterministic.
//! Statting the known files in parallel is ten times faster than walking
//! the folder.

use rustc_hash::FxHashMap;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use super::{MARKER, MARKER_TEXT};

/// Whether `target` holds the output of a build with `fingerprint`,
/// untouched since: then the number of files found in `folders`. `files`
/// are the paths the build produces; `folders` hold files whose names
/// are known only once made (the search index's hash their contents),
/// so they are walked instead.
pub fn unchanged(
    target: &Path,
    fingerprint: u64,
    files: &[String],
    folders: &[&str],
) -> Option<usize> {
    let text = std::fs::read_to_string(target.join(MARKER)).ok()?;
    let stamp = parse(&text)?;
    let written = target
        .join(MARKER)
        .metadata()
        .and_then(|m| m.modified())
        .ok()?;
    if stamp.fingerprint != fingerprint || tree_hash(target, files, written)? != stamp.tree {
        return None;
    }
    let (count, hash) = walk(target, folders, Some(written))?;
    (hash == stamp.walked).then_some(count)
}

/// Stamps the marker of a complete `target`, last, so its time is the
/// newest. A killed build leaves the old marker or the new one. `sizes` are those
/// the build wrote: reading them back would mean a stat per file.
pub fn record(
    target: &Path,
    fingerprint: u64,
    files: &[String],
    sizes: &FxHashMap<String, u64>,
    folders: &[&str],
) -> std::io::Result<()> {
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| sizes.get(f).copied())
        .collect::<Option<_>>()
        .ok_or_else(|| std::io::Error::other("a file of the build was not written"))?;
    let tree = hash(files, &sizes);
    let (_, walked) = walk(target, folders, None)
        .ok_or_else(|| std::io::Error::other("a folder of the build could not be read"))?;
    // A new file renamed over the old: the old may be the same inode as
    // the live output's (see `exchange`). The rename changes the folder's
    // time, so the marker's is set after it, to stay the newest.
    let marker = target.join(MARKER);
    let temp = target.join(format!("{MARKER}.tmp"));
    std::fs::write(
        &temp,
        format!("{MARKER_TEXT}build {fingerprint:016x} {tree:016x} {walked:016x}\n"),
    )?;
    std::fs::rename(&temp, &marker)?;
    let file = std::fs::File::options().write(true).open(&marker)?;
    file.set_modified(SystemTime::now())
}

struct Stamp {
    fingerprint: u64,
    tree: u64,
    walked: u64,
}

fn parse(text: &str) -> Option<Stamp> {
    let line = text.lines().find_map(|l| l.strip_prefix("build "))?;
    let mut parts = line.split(' ').map(|p| u64::from_str_radix(p, 16).ok());
    Some(Stamp {
        fingerprint: parts.next()??,
        tree: parts.next()??,
        walked: parts.next()??,
    })
}

/// The number of files under `folders` and a hash of their paths and
/// sizes, in name order; `None` if one cannot be read or (with
/// `written`) it or a folder was modified after it.
fn walk(target: &Path, folders: &[&str], written: Option<SystemTime>) -> Option<(usize, u64)> {
    let mut entries: Vec<(String, u64)> = Vec::new();
    for folder in folders {
        let root = target.join(folder);
        if !root.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.ok()?;
            let meta = entry.metadata().ok()?;
            if written.is_some_and(|w| meta.modified().is_ok_and(|m| m > w)) {
                return None;
            }
            if meta.is_file() {
                let rel = entry.path().strip_prefix(target).ok()?;
                entries.push((rel.to_string_lossy().into_owned(), meta.len()));
            }
        }
    }
    let (paths, sizes): (Vec<String>, Vec<u64>) = entries.into_iter().unzip();
    Some((paths.len(), hash(&paths, &sizes)))
}

/// A hash of the path and size of each of `files`, or `None` if one is
/// missing or it or a folder on its path was modified after `written`.
fn tree_hash(target: &Path, files: &[String], written: SystemTime) -> Option<u64> {
    let mut dirs: Vec<&str> = files
        .iter()
        .flat_map(|file| file.match_indices('/').map(|(i, _)| &file[..i]))
        .chain([""])
        .collect();
    dirs.par_sort_unstable();
    dirs.dedup();
    // Each file is looked up from its grandparent folder and each folder
    // from its parent, held open: a page's folder and file then cost a
    // path component each, where most of a stat's time is the path walk.
    let mut lookups: Vec<Lookup<'_>> = files
        .iter()
        .enumerate()
        .map(|(i, f)| Lookup::new(f, 2, Some(i)))
        .chain(dirs.iter().map(|d| Lookup::new(d, 1, None)))
        .collect();
    lookups.par_sort_unstable_by(|a, b| a.base.cmp(b.base));
    let root = Root::open(target)?;
    let batches: Vec<&[Lookup<'_>]> = lookups
        .chunk_by(|a, b| a.base == b.base)
        .flat_map(|group| group.chunks(BATCH))
        .collect();
    let found: Vec<Vec<(usize, u64)>> = batches
        .into_par_iter()
        .map(|batch| {
            let base = root.sub(batch[0].base)?;
            let mut sizes = Vec::new();
            for lookup in batch {
                let (len, modified) = base.stat(lookup.name)?;
                if modified > written {
                    return None;
                }
                if let Some(i) = lookup.file {
                    sizes.push((i, len));
                }
            }
            Some(sizes)
        })
        .collect::<Option<_>>()?;
    let mut sizes = vec![0; files.len()];
    for (i, len) in found.into_iter().flatten() {
        sizes[i] = len;
    }
    Some(hash(files, &sizes))
}

/// Lookups from one open folder, at most: a folder with tens of
/// thousands of pages (every tag's) is shared among the threads.
const BATCH: usize = 512;

/// A path to stat, split into the folder it is looked up from and the
/// rest; `file`: its index among the build's files, `None` for a folder.
struct Lookup<'a> {
    base: &'a str,
    name: &'a str,
    file: Option<usize>,
}

impl<'a> Lookup<'a> {
    /// `path` looked up from the folder `up` components above it (the
    /// output's root if it is not that deep).
    fn new(path: &'a str, up: usize, file: Option<usize>) -> Lookup<'a> {
        let mut cut = Some(path.len());
        for _ in 0..up {
            cut = cut.and_then(|c| path[..c].rfind('/'));
        }
        match cut {
            Some(i) => Lookup {
                base: &path[..i],
                name: &path[i + 1..],
                file,
            },
            None => Lookup {
                base: "",
                name: path,
                file,
            },
        }
    }
}

/// The output folder, held open so that each of its hundreds of
/// thousands of files is looked up from it rather than from `/`: the
/// path walk is most of a stat's cost.
pub(super) struct Root {
    #[cfg(target_os = "linux")]
    dir: std::fs::File,
    #[cfg(not(target_os = "linux"))]
    dir: std::path::PathBuf,
}

impl Root {
    pub(super) fn open(target: &Path) -> Option<Root> {
        #[cfg(target_os = "linux")]
        let dir = std::fs::File::open(target).ok()?;
        #[cfg(not(target_os = "linux"))]
        let dir = target.to_path_buf();
        Some(Root { dir })
    }

    /// The folder `rel` under this one (`""`: this one), held open.
    #[cfg(target_os = "linux")]
    fn sub(&self, rel: &str) -> Option<Root> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let name = std::ffi::CString::new(if rel.is_empty() { "." } else { rel }).ok()?;
        // SAFETY: `name` is NUL-terminated and the folder stays open; the
        // descriptor returned is owned by the `File` made from it alone.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                name.as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return None;
        }
        // SAFETY: `fd` was just opened and nothing else owns it.
        let dir = unsafe { std::fs::File::from_raw_fd(fd) };
        Some(Root { dir })
    }

    #[cfg(not(target_os = "linux"))]
    fn sub(&self, rel: &str) -> Option<Root> {
        Some(Root {
            dir: self.dir.join(rel),
        })
    }

    /// The size and modification time of `rel` (`""`: the folder
    /// itself), links not followed.
    fn stat(&self, rel: &str) -> Option<(u64, SystemTime)> {
        self.stat_kind(rel).map(|(len, time, _)| (len, time))
    }

    /// The size and modification time of the plain file `rel`.
    pub(super) fn file(&self, rel: &str) -> Option<(u64, SystemTime)> {
        self.stat_kind(rel)
            .filter(|(_, _, file)| *file)
            .map(|(len, time, _)| (len, time))
    }

    /// [`Root::stat`], and whether it is a plain file.
    #[cfg(target_os = "linux")]
    fn stat_kind(&self, rel: &str) -> Option<(u64, SystemTime, bool)> {
        use std::os::fd::AsRawFd;
        let name = std::ffi::CString::new(if rel.is_empty() { "." } else { rel }).ok()?;
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: `name` is NUL-terminated, `st` is written by the call
        // and read only if it succeeded, and the folder stays open.
        let st = unsafe {
            if libc::fstatat(
                self.dir.as_raw_fd(),
                name.as_ptr(),
                st.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            ) != 0
            {
                return None;
            }
            st.assume_init()
        };
        let since = std::time::Duration::new(
            u64::try_from(st.st_mtime).ok()?,
            u32::try_from(st.st_mtime_nsec).ok()?,
        );
        Some((
            u64::try_from(st.st_size).ok()?,
            std::time::UNIX_EPOCH + since,
            st.st_mode & libc::S_IFMT == libc::S_IFREG,
        ))
    }

    #[cfg(not(target_os = "linux"))]
    fn stat_kind(&self, rel: &str) -> Option<(u64, SystemTime, bool)> {
        let meta = std::fs::symlink_metadata(self.dir.join(rel)).ok()?;
        Some((meta.len(), meta.modified().ok()?, meta.is_file()))
    }
}

fn hash(files: &[String], sizes: &[u64]) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    files.hash(&mut h);
    sizes.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path) -> (Vec<String>, FxHashMap<String, u64>) {
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/index.html"), "one").unwrap();
        std::fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        let files = vec!["a/index.html".to_string()];
        let sizes = FxHashMap::from_iter([(files[0].clone(), 3)]);
        (files, sizes)
    }

    #[test]
    fn a_stamped_untouched_folder_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let (files, sizes) = site(dir.path());
        assert!(
            unchanged(dir.path(), 7, &files, &[]).is_none(),
            "no stamp yet"
        );
        record(dir.path(), 7, &files, &sizes, &[]).unwrap();
        assert!(unchanged(dir.path(), 7, &files, &[]).is_some());
        assert!(
            unchanged(dir.path(), 8, &files, &[]).is_none(),
            "another fingerprint"
        );
        // The sizes recorded are the build's; a file that is not what the
        // build wrote is caught even with an old time.
        let wrong = FxHashMap::from_iter([(files[0].clone(), 4)]);
        record(dir.path(), 7, &files, &wrong, &[]).unwrap();
        assert!(
            unchanged(dir.path(), 7, &files, &[]).is_none(),
            "size differs"
        );
        assert!(record(dir.path(), 7, &files, &FxHashMap::default(), &[]).is_err());
    }

    #[test]
    fn a_file_edited_added_or_removed_by_hand_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let (files, sizes) = site(dir.path());
        let page = dir.path().join("a/index.html");
        record(dir.path(), 7, &files, &sizes, &[]).unwrap();
        // Same size, so only the time tells.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&page, "two").unwrap();
        assert!(unchanged(dir.path(), 7, &files, &[]).is_none(), "edited");
        record(dir.path(), 7, &files, &sizes, &[]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("a/extra.html"), "").unwrap();
        assert!(unchanged(dir.path(), 7, &files, &[]).is_none(), "added");
        record(dir.path(), 7, &files, &sizes, &[]).unwrap();
        std::fs::remove_file(&page).unwrap();
        assert!(unchanged(dir.path(), 7, &files, &[]).is_none(), "removed");
    }

    #[test]
    fn a_path_is_looked_up_from_the_folder_above_it() {
        let parts = |path, up| {
            let l = Lookup::new(path, up, None);
            (l.base, l.name)
        };
        assert_eq!(
            parts("news/world/slug/index.html", 2),
            ("news/world", "slug/index.html")
        );
        assert_eq!(parts("news/index.html", 2), ("", "news/index.html"));
        assert_eq!(parts("index.html", 2), ("", "index.html"));
        assert_eq!(parts("news/world", 1), ("news", "world"));
        assert_eq!(parts("news", 1), ("", "news"));
        assert_eq!(parts("", 1), ("", ""));
    }

    #[test]
    fn a_walked_folder_counts_and_notices_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let (files, sizes) = site(dir.path());
        std::fs::create_dir_all(dir.path().join("idx/sub")).unwrap();
        std::fs::write(dir.path().join("idx/a.bin"), "aa").unwrap();
        std::fs::write(dir.path().join("idx/sub/b.bin"), "b").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        record(dir.path(), 7, &files, &sizes, &["idx"]).unwrap();
        assert_eq!(unchanged(dir.path(), 7, &files, &["idx"]), Some(2));
        std::fs::remove_file(dir.path().join("idx/sub/b.bin")).unwrap();
        assert_eq!(unchanged(dir.path(), 7, &files, &["idx"]), None);
    }
}
