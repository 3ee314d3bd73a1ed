//! Publishing a build in one step: the new site is made complete in a
//! standby folder beside the output, then the two are exchanged by one
//! `renameat2(RENAME_EXCHANGE)`. A build killed at any instant leaves the
//! output as the old site or as the new one, and a web server reading it
//! meanwhile never sees a new page linking to one not there yet.
//!
//! The standby folder is the site as it was one build ago; every file the
//! two builds did not change is the same inode in both (a hard link), so
//! bringing it up to date costs what changed in the last two builds, not
//! the size of the site, and unchanged files keep their times (rsync and
//! deploy tools compare them). What the last build changed is kept in a
//! state file beside the folders, naming both folders' inodes: after an
//! exchange they trade names, so a state file the build could not update
//! names the wrong ones and the standby folder is made afresh from the
//! output, which a state file never survives being wrong about.

use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

use crate::error::{io_diag, Diagnostic};

/// What the last exchange changed, as the standby folder lags behind.
struct State {
    output_ino: u64,
    standby_ino: u64,
    /// Files the last build wrote (new or changed): the standby folder
    /// holds their older version, or nothing.
    changed: Vec<String>,
    /// Files the last build removed: still in the standby folder.
    removed: Vec<String>,
    /// Every file of the output.
    files: Vec<String>,
}

/// The standby folder and state file of the output folder `target`.
pub struct Standby {
    dir: PathBuf,
    state: PathBuf,
}

impl Standby {
    pub fn of(target: &Path) -> Standby {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = target.parent().unwrap_or(Path::new("."));
        Standby {
            dir: parent.join(format!(".{name}.standby")),
            state: parent.join(format!(".{name}.standby-state")),
        }
    }

    /// The folder about to become the output.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Brings the standby folder to the new site: the files in `staging`
    /// (changed since the output) moved in, every other file of
    /// `produced` the output's own inode, nothing else. The output is not
    /// touched.
    /// `fail_after`: a test hook, failing once that many files are placed.
    pub fn prepare(
        &self,
        staging: &Path,
        target: &Path,
        produced: &FxHashSet<&str>,
        fail_after: Option<usize>,
    ) -> Result<Update, Diagnostic> {
        let mut steps = 0;
        let mut step = || {
            steps += 1;
            match fail_after {
                Some(n) if steps > n => Err(Diagnostic::in_file(
                    &self.dir,
                    "could not apply: injected fault (DATELINE_TEST_FAIL_APPLY)",
                )),
                _ => Ok(()),
            }
        };
        let staged = super::apply::files_under(staging);
        let state = self.read_state(target);
        // Nothing may trust the state while the folder changes.
        let _ = std::fs::remove_file(&self.state);
        let (lagging, previous): (Vec<String>, Vec<String>) = match state {
            Some(s) => (s.changed.into_iter().chain(s.removed).collect(), s.files),
            None => (Vec::new(), self.make_afresh(target)?),
        };
        let staged_set: FxHashSet<&str> = staged.iter().map(String::as_str).collect();
        for rel in &staged {
            step()?;
            let to = self.dir.join(rel);
            super::make_parent(&to)?;
            std::fs::rename(staging.join(rel), &to)
                .map_err(|e| io_diag(&to, "move the new file into place", &e))?;
        }
        for rel in &lagging {
            if staged_set.contains(rel.as_str()) {
                continue;
            }
            step()?;
            let to = self.dir.join(rel);
            if produced.contains(rel.as_str()) && target.join(rel).is_file() {
                link_over(&target.join(rel), &to)?;
            } else {
                remove_file(&self.dir, rel)?;
            }
        }
        let removed: Vec<String> = previous
            .iter()
            .filter(|rel| !produced.contains(rel.as_str()))
            .cloned()
            .collect();
        for rel in &removed {
            step()?;
            remove_file(&self.dir, rel)?;
        }
        Ok(Update {
            changed: staged,
            removed,
        })
    }

    /// Exchanges the standby folder and `target`; then records `update`
    /// and the output's `files` for the next build.
    pub fn exchange(
        &self,
        target: &Path,
        update: Update,
        files: Vec<String>,
    ) -> Result<(), Diagnostic> {
        exchange(&self.dir, target)
            .map_err(|e| io_diag(target, "exchange the new site into place", &e))?;
        let state = State {
            output_ino: ino(target).unwrap_or(0),
            standby_ino: ino(&self.dir).unwrap_or(0),
            changed: update.changed,
            removed: update.removed,
            files,
        };
        // Best effort: without it the next build makes the folder afresh.
        let _ = write_state(&self.state, &state);
        Ok(())
    }

    fn read_state(&self, target: &Path) -> Option<State> {
        let text = std::fs::read_to_string(&self.state).ok()?;
        let mut lines = text.lines();
        let head: Vec<u64> = lines
            .next()?
            .strip_prefix("standby ")?
            .split(' ')
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?;
        let [output_ino, standby_ino] = head[..] else {
            return None;
        };
        if Some(output_ino) != ino(target) || Some(standby_ino) != ino(&self.dir) {
            return None;
        }
        let (mut changed, mut removed, mut files) = (Vec::new(), Vec::new(), Vec::new());
        let mut whole = false;
        for line in lines {
            if line == "end" {
                whole = true;
                break;
            }
            match line.split_at_checked(2)? {
                ("c ", rel) => changed.push(rel.to_string()),
                ("r ", rel) => removed.push(rel.to_string()),
                ("f ", rel) => files.push(rel.to_string()),
                _ => return None,
            }
        }
        whole.then_some(State {
            output_ino,
            standby_ino,
            changed,
            removed,
            files,
        })
    }

    /// The standby folder as a copy of `target` made of hard links; the
    /// files copied.
    fn make_afresh(&self, target: &Path) -> Result<Vec<String>, Diagnostic> {
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir)
                .map_err(|e| io_diag(&self.dir, "clear the standby folder", &e))?;
        }
        std::fs::create_dir(&self.dir)
            .map_err(|e| io_diag(&self.dir, "create the standby folder", &e))?;
        let files = super::apply::files_under(target);
        for rel in &files {
            let to = self.dir.join(rel);
            super::make_parent(&to)?;
            std::fs::hard_link(target.join(rel), &to)
                .map_err(|e| io_diag(&to, "link into the standby folder", &e))?;
        }
        Ok(files)
    }
}

/// What a build changed, for the state file.
pub struct Update {
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

/// Replaces `to` by a hard link to `from`, in one rename.
fn link_over(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    super::make_parent(to)?;
    let temp = to.with_file_name(format!(
        ".link-{}",
        to.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    let _ = std::fs::remove_file(&temp);
    std::fs::hard_link(from, &temp)
        .and_then(|()| std::fs::rename(&temp, to))
        .map_err(|e| io_diag(to, "link the unchanged file", &e))
}

/// Removes `rel` from `root`, if there, and the folders it leaves empty.
fn remove_file(root: &Path, rel: &str) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_diag(&path, "remove", &e)),
    }
    let mut dir = path;
    while dir.pop() && dir.starts_with(root) && dir != root {
        if std::fs::remove_dir(&dir).is_err() {
            break;
        }
    }
    Ok(())
}

fn ino(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).ok().map(|m| m.ino())
}

fn write_state(path: &Path, state: &State) -> std::io::Result<()> {
    let mut text = format!("standby {} {}\n", state.output_ino, state.standby_ino);
    for rel in &state.changed {
        text.push_str("c ");
        text.push_str(rel);
        text.push('\n');
    }
    for rel in &state.removed {
        text.push_str("r ");
        text.push_str(rel);
        text.push('\n');
    }
    for rel in &state.files {
        text.push_str("f ");
        text.push_str(rel);
        text.push('\n');
    }
    text.push_str("end\n");
    let temp = path.with_extension("tmp");
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path)
}

/// Whether the file system of `dir` (a folder beside the output) can
/// exchange two folders in one step: tried on two empty ones, as some
/// (network and overlay file systems) refuse. Set
/// `DATELINE_NO_EXCHANGE=1` to apply changes file by file instead.
pub fn supported_at(dir: &Path) -> bool {
    if std::env::var_os("DATELINE_NO_EXCHANGE").is_some() {
        return false;
    }
    let (a, b) = (dir.join(".probe-a"), dir.join(".probe-b"));
    let works = std::fs::create_dir(&a).is_ok()
        && std::fs::create_dir(&b).is_ok()
        && exchange(&a, &b).is_ok();
    let _ = std::fs::remove_dir(&a);
    let _ = std::fs::remove_dir(&b);
    works
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|_| std::io::Error::other("a NUL in a path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}
