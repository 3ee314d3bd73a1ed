//! The `output` stage: write a complete site beside the old one, then swap.
//!
//! Pages go into a fresh staging folder next to the output folder (same
//! file system, so a swap is a rename). A page whose bytes equal the file
//! already in the output is not written at all, so a rebuild touches only
//! what changed and deploy tools see unchanged files as unchanged. Only
//! after every page has rendered are the changes applied, as a
//! transaction (see [`apply`]); if anything fails the previous site is
//! left as it was and the staging folder is removed.

mod apply;
mod compress;
mod exchange;
mod lock;
mod minify;
mod stamp;

pub use compress::{is_text, siblings};
pub use minify::{is_html, minify_html, published};
pub use stamp::{record as stamp, unchanged};

use rayon::slice::ParallelSliceMut;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{io_diag, BuildError, Diagnostic};
use crate::render::StaticSource;

/// A file Dateline leaves in every output folder, so it knows the folder
/// is its own to replace.
pub const MARKER: &str = ".dateline-output";
const MARKER_TEXT: &str =
    "This folder is written by `dateline build`; it is replaced on every build.\n";

/// Folders of a site that an output folder must never be or contain.
const SOURCE_DIRS: &[&str] = &["content", "templates", "static", "themes"];

/// What [`Staging::commit`] calls on the finished tree with the sizes of
/// the files it produced.
pub type Finish<'a> = dyn Fn(&Path, &FxHashMap<String, u64>) -> std::io::Result<()> + 'a;

/// A build in progress: a staging folder whose files become the output on
/// commit.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Whether an output folder was there to compare with and update.
    updating: bool,
    /// Every output file of this build, changed or not, with its size.
    produced: Mutex<Vec<(String, u64)>>,
    /// Files whose bytes differ from the output's.
    changed: AtomicUsize,
    committed: AtomicBool,
    faults: Faults,
    /// Precompressed siblings to write beside each text file.
    compress: Vec<crate::config::Compression>,
    /// When the output's marker was last written: a file changed after
    /// it was changed by hand, and is not kept unread.
    marker_time: Option<std::time::SystemTime>,
    /// The output folder held open, to stat the files it keeps from it.
    live: Option<stamp::Root>,
    /// No other build touches the folder while this one runs.
    _lock: lock::BuildLock,
}

/// Test hooks that make a build fail part-way, to prove a failure at any
/// point leaves the previous site as it was. Read from the environment:
/// `DATELINE_TEST_FAIL_WRITES=N` fails the write after N staged files,
/// `DATELINE_TEST_FAIL_APPLY=N` fails the step after N steps of applying.
#[derive(Debug, Default)]
struct Faults {
    writes: Option<usize>,
    apply: Option<usize>,
    written: AtomicUsize,
}

impl Faults {
    fn from_env() -> Faults {
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
        Faults {
            writes: number("DATELINE_TEST_FAIL_WRITES"),
            apply: number("DATELINE_TEST_FAIL_APPLY"),
            written: AtomicUsize::new(0),
        }
    }
}

/// What a commit did to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub output: PathBuf,
    /// Files written because they are new or their bytes changed.
    pub changed: usize,
    /// Files left alone because their bytes were the same.
    pub unchanged: usize,
    /// Files of the previous build that no page produces any more.
    pub removed: usize,
    /// The size of every file the build produced, by path, for the stamp.
    pub sizes: FxHashMap<String, u64>,
}

impl Staging {
    /// Checks that `target` is safe to replace and creates the staging folder.
    pub fn begin(target: &Path, site_root: &Path, force: bool) -> Result<Staging, BuildError> {
        Staging::begin_waiting(target, site_root, force, &|_| {})
    }

    /// [`Staging::begin`], first waiting for any other build of `target`
    /// to finish; `wait` is told who holds it.
    pub fn begin_waiting(
        target: &Path,
        site_root: &Path,
        force: bool,
        wait: &dyn Fn(&str),
    ) -> Result<Staging, BuildError> {
        let target = absolute(target)
            .map_err(|e| BuildError::Output(io_diag(target, "resolve the output folder", &e)))?;
        let root = absolute(site_root)
            .map_err(|e| BuildError::Output(io_diag(site_root, "resolve the site folder", &e)))?;
        check_target(&target, &root, force)?;
        let parent = target
            .parent()
            .ok_or_else(|| usage(&target, "the output folder cannot be a file-system root"))?;
        std::fs::create_dir_all(parent).map_err(|e| {
            BuildError::Output(io_diag(parent, "create the output's parent folder", &e))
        })?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Before anything is cleared: another build's staging is not stale.
        let lock = lock::acquire(parent, &name, wait)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        clear_stale(parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}-{stamp}", std::process::id()));
        std::fs::create_dir(&dir)
            .map_err(|e| BuildError::Output(io_diag(&dir, "create the staging folder", &e)))?;
        let marker_time = std::fs::metadata(target.join(MARKER))
            .and_then(|m| m.modified())
            .ok();
        let updating = target.is_dir();
        let staging = Staging {
            marker_time,
            live: updating.then(|| stamp::Root::open(&target)).flatten(),
            updating,
            target,
            dir,
            produced: Mutex::new(Vec::new()),
            changed: AtomicUsize::new(0),
            committed: AtomicBool::new(false),
            faults: Faults::from_env(),
            compress: Vec::new(),
            _lock: lock,
        };
        staging
            .write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(BuildError::Output)?;
        Ok(staging)
    }

    /// The output folder, absolute.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes precompressed siblings of every text file from now on.
    pub fn with_compression(mut self, encodings: &[crate::config::Compression]) -> Staging {
        self.compress = encodings.to_vec();
        self
    }

    /// Stages one file at a `/`-separated path, unless the output already
    /// holds exactly these bytes there; and its compressed siblings, made
    /// anew only when the file changed or a sibling is missing.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let changed = self.write_one(rel, bytes)?;
        if self.compress.is_empty() || !is_text(rel) {
            return Ok(());
        }
        for &encoding in &self.compress {
            let sibling = format!("{rel}.{}", encoding.extension());
            if !changed && self.updating {
                if let Ok(meta) = std::fs::metadata(self.target.join(&sibling)) {
                    self.produced_file(&sibling, meta.len());
                    continue;
                }
            }
            self.write_one(&sibling, &compress::compress(encoding, bytes))?;
        }
        Ok(())
    }

    /// Keeps the output's file `rel` (and its compressed siblings) as it
    /// is, without its bytes: the caller knows they would be the same.
    /// `false`, and nothing kept, unless the file is there with `size`
    /// and untouched since the last build.
    pub fn keep(&self, rel: &str, size: u64) -> bool {
        let (Some(marker), true, Some(live)) = (self.marker_time, self.updating, &self.live) else {
            return false;
        };
        let untouched = |rel: &str| {
            live.file(rel)
                .filter(|(_, modified)| *modified <= marker)
                .map(|(len, _)| len)
        };
        if untouched(rel) != Some(size) {
            return false;
        }
        let mut siblings = Vec::new();
        if is_text(rel) {
            for encoding in &self.compress {
                let sibling = format!("{rel}.{}", encoding.extension());
                match untouched(&sibling) {
                    Some(len) => siblings.push((sibling, len)),
                    None => return false,
                }
            }
        }
        self.produced_file(rel, size);
        for (sibling, len) in siblings {
            self.produced_file(&sibling, len);
        }
        true
    }

    /// The marker file of the output folder.
    pub fn marker(&self) -> PathBuf {
        self.target.join(MARKER)
    }

    fn produced_file(&self, rel: &str, len: u64) {
        if let Ok(mut produced) = self.produced.lock() {
            produced.push((rel.to_string(), len));
        }
    }

    /// [`Staging::write`] of one file; whether its bytes changed.
    fn write_one(&self, rel: &str, bytes: &[u8]) -> Result<bool, Diagnostic> {
        let path = self.inside(rel)?;
        self.produced_file(rel, bytes.len() as u64);
        if self.updating && same_bytes(&self.target.join(rel), bytes) {
            return Ok(false);
        }
        if let Some(limit) = self.faults.writes {
            if self.faults.written.fetch_add(1, Ordering::SeqCst) >= limit {
                return Err(Diagnostic::in_file(
                    &path,
                    "could not write: injected fault (DATELINE_TEST_FAIL_WRITES)",
                ));
            }
        }
        make_parent(&path)?;
        std::fs::write(&path, bytes).map_err(|e| io_diag(&path, "write", &e))?;
        self.changed.fetch_add(1, Ordering::Relaxed);
        Ok(true)
    }

    /// Stages a theme or site static file (site files override the theme's),
    /// a file from disk passed through `clean` first.
    pub fn copy_static(
        &self,
        rel: &str,
        source: &StaticSource,
        clean: impl Fn(Vec<u8>) -> Vec<u8>,
    ) -> Result<(), Diagnostic> {
        match source {
            StaticSource::Embedded(bytes) => self.write(rel, bytes),
            StaticSource::Disk(from) => {
                let bytes =
                    std::fs::read(from).map_err(|e| io_diag(from, "read static file", &e))?;
                self.write(rel, &clean(bytes))
            }
        }
    }

    /// Makes the staged build the output: a rename when there was none,
    /// otherwise one exchange with the standby folder brought up to date
    /// (see [`exchange`]), or where the system cannot exchange, the changed
    /// files moved in and the vanished ones out, all undone if any step
    /// fails. `finish` is called on the folder about to become the output,
    /// complete, just before it does (the stamp is written there).
    pub fn commit(self, finish: &Finish) -> Result<Written, Diagnostic> {
        let produced = std::mem::take(
            &mut *self
                .produced
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let sizes: FxHashMap<String, u64> = produced.into_iter().collect();
        let changed = self.changed.load(Ordering::Relaxed);
        let finished = |dir: &Path| {
            finish(dir, &sizes).map_err(|e| io_diag(&dir.join(MARKER), "stamp the new output", &e))
        };
        if !self.updating {
            finished(&self.dir)?;
            std::fs::rename(&self.dir, &self.target)
                .map_err(|e| io_diag(&self.target, "move the new output into place", &e))?;
            self.committed.store(true, Ordering::SeqCst);
            return Ok(Written {
                output: self.target.clone(),
                changed,
                unchanged: 0,
                removed: 0,
                sizes,
            });
        }
        let keep: FxHashSet<&str> = sizes.keys().map(String::as_str).collect();
        let removed = if exchange::supported_at(&self.dir) {
            let standby = exchange::Standby::of(&self.target);
            let update = standby.prepare(&self.dir, &self.target, &keep, self.faults.apply)?;
            let removed = update.removed.len();
            finished(standby.dir())?;
            let mut files: Vec<String> = sizes.keys().cloned().collect();
            files.par_sort_unstable();
            standby.exchange(&self.target, update, files)?;
            removed
        } else {
            let backup = PathBuf::from(format!("{}.old", self.dir.display()));
            let removed = apply::apply(&self.dir, &self.target, &backup, &keep, self.faults.apply)?;
            finished(&self.target)?;
            removed
        };
        Ok(Written {
            output: self.target.clone(),
            changed,
            unchanged: sizes.len().saturating_sub(changed),
            removed,
            sizes,
        })
    }

    /// `rel` inside the staging folder. Every path the model makes is
    /// checked long before this; this is the last line of defence against
    /// one that could still leave the folder (absolute, `..`, a prefix).
    fn inside(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let escapes = rel.is_empty()
            || Path::new(rel)
                .components()
                .any(|c| !matches!(c, Component::Normal(_)));
        if escapes {
            return Err(Diagnostic::new(format!(
                "refusing to write `{rel}`: the path would leave the output folder"
            )));
        }
        Ok(self.dir.join(rel))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed.load(Ordering::SeqCst) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether `path` is a file holding exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Removes staging and old-output folders that an interrupted build (Ctrl-C,
/// a crash, a full disk) left beside the output.
/// Creates the folder `path` goes in, if it is not there.
fn make_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) => {
            std::fs::create_dir_all(parent).map_err(|e| io_diag(parent, "create folder", &e))
        }
        None => Ok(()),
    }
}

fn clear_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn usage(path: &Path, message: &str) -> BuildError {
    BuildError::Usage(Diagnostic::in_file(path, message))
}

/// Refuses output folders whose replacement would destroy sources or
/// someone else's files.
fn check_target(target: &Path, root: &Path, force: bool) -> Result<(), BuildError> {
    if root.starts_with(target) {
        return Err(usage(
            target,
            "the output folder holds the site itself; replacing it would delete the sources",
        ));
    }
    for dir in SOURCE_DIRS {
        if target.starts_with(root.join(dir)) {
            return Err(usage(
                target,
                &format!("the output folder is inside the site's {dir}/ folder"),
            ));
        }
    }
    if target.join("site.toml").exists() || target.join(".git").exists() {
        return Err(usage(
            target,
            "the output folder holds a site or a repository; refusing to replace it",
        ));
    }
    let is_ours = target.join(MARKER).is_file();
    let is_empty = match std::fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => true,
    };
    if target.exists() && !target.is_dir() {
        return Err(usage(target, "the output path is a file, not a folder"));
    }
    if !is_ours && !is_empty && !force {
        return Err(BuildError::Usage(
            Diagnostic::in_file(
                target,
                "the output folder is not empty and was not written by Dateline",
            )
            .with_hint("choose another folder with --output, or pass --force to replace it"),
        ));
    }
    Ok(())
}

/// An absolute, normalized path, resolving symlinks of the part that exists.
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut normal = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Resolve symlinks on the longest existing prefix, keep the rest as is.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_builds_leave_no_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        let staging = Staging::begin(&site.join("public"), &site, false).unwrap();
        staging.write("a/index.html", b"x").unwrap();
        let dir = staging.dir().to_path_buf();
        drop(staging);
        assert!(!dir.exists());
        assert!(!site.join("public").exists());
    }

    #[test]
    fn commit_replaces_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::begin(&out, tmp.path().join("site").as_path(), false).unwrap();
        s.write("old.html", b"1").unwrap();
        s.commit(&|_, _| Ok(())).unwrap();
        let s = Staging::begin(&out, tmp.path().join("site").as_path(), false).unwrap();
        s.write("new.html", b"2").unwrap();
        s.commit(&|_, _| Ok(())).unwrap();
        assert!(out.join("new.html").exists());
        assert!(!out.join("old.html").exists());
        let mut leftovers: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            [
                ".public.lock",
                ".public.standby",
                ".public.standby-state",
                "public"
            ],
            "only public/, its lock and the standby copy remain"
        );
        // The standby copy is the previous site, sharing unchanged files.
        assert!(tmp.path().join(".public.standby/old.html").exists());
    }

    #[test]
    fn leftovers_of_interrupted_builds_are_cleared() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(tmp.path().join(".public.tmp-1-2.old/x")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.tmp-3-4")).unwrap();
        let s = Staging::begin(&out, tmp.path().join("site").as_path(), false).unwrap();
        s.commit(&|_, _| Ok(())).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // The lock stays: removing it would let a third build lock a new
        // file while a second still waits on the old one.
        assert_eq!(names, [".public.lock", "public"]);
    }

    #[test]
    fn writes_cannot_leave_the_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::begin(
            &tmp.path().join("public"),
            tmp.path().join("site").as_path(),
            false,
        )
        .unwrap();
        for bad in ["/etc/x", "../x", "a/../../x", ""] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_folders_that_hold_sources_or_foreign_files() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        for bad in [
            site.clone(),
            site.join("content"),
            site.join("content/x"),
            tmp.path().to_path_buf(),
            site.join(".."),
        ] {
            assert!(
                matches!(Staging::begin(&bad, &site, true), Err(BuildError::Usage(_))),
                "{bad:?}"
            );
        }
        let foreign = tmp.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.txt"), "mine").unwrap();
        assert!(matches!(
            Staging::begin(&foreign, &site, false),
            Err(BuildError::Usage(_))
        ));
        assert!(Staging::begin(&foreign, &site, true).is_ok());
    }
}
