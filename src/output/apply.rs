//! Applying a staged build to an existing output folder, as a transaction.
//!
//! Only files whose bytes changed were staged. Each step of the update —
//! moving a vanished file out, an old version aside, a new file in, making
//! a folder — is journalled; if any step fails, the journal is played
//! backwards and the output is as it was. Old versions wait in a backup
//! folder beside the output until the update has fully succeeded.

use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{io_diag, Diagnostic};

enum Step {
    /// A file of the previous build that no page produces any more, moved
    /// to the backup folder.
    Removed(String),
    /// A changed or new file moved in; `true` if an old version was moved
    /// to the backup folder first.
    Replaced(String, bool),
    /// A folder made in the output for a new file.
    MadeDir(PathBuf),
}

/// Moves the staged files into `target` and the files not in `keep` out.
/// Returns how many files were removed. `fail_after` is a test hook: fail
/// once that many steps are done.
pub fn apply(
    staging: &Path,
    target: &Path,
    backup: &Path,
    keep: &FxHashSet<&str>,
    fail_after: Option<usize>,
) -> Result<usize, Diagnostic> {
    let staged = files_under(staging);
    let removed: Vec<String> = files_under(target)
        .into_iter()
        .filter(|rel| !keep.contains(rel.as_str()))
        .collect();
    let mut journal = Vec::with_capacity(staged.len() + removed.len());
    let injected = |journal: &Vec<Step>| match fail_after {
        Some(n) if journal.len() >= n => Err(Diagnostic::in_file(
            target,
            "could not apply: injected fault (DATELINE_TEST_FAIL_APPLY)",
        )),
        _ => Ok(()),
    };
    let result = (|| {
        for rel in &removed {
            injected(&journal)?;
            move_file(&target.join(rel), &backup.join(rel))?;
            journal.push(Step::Removed(rel.clone()));
        }
        for rel in &staged {
            injected(&journal)?;
            let to = target.join(rel);
            let had_old = std::fs::symlink_metadata(&to).is_ok();
            if had_old {
                move_file(&to, &backup.join(rel))?;
            }
            if let Some(parent) = to.parent() {
                make_dirs(parent, &mut journal)?;
            }
            // Journalled before the move so a half-done step is undone too.
            journal.push(Step::Replaced(rel.clone(), had_old));
            std::fs::rename(staging.join(rel), &to)
                .map_err(|e| io_diag(&to, "move the new file into place", &e))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        roll_back(journal, staging, target, backup);
        let _ = std::fs::remove_dir_all(backup);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(backup);
    for rel in &removed {
        prune_empty_parents(target, rel);
    }
    Ok(removed.len())
}

/// Plays the journal backwards: the output ends as it was.
fn roll_back(journal: Vec<Step>, staging: &Path, target: &Path, backup: &Path) {
    for step in journal.into_iter().rev() {
        match step {
            Step::Removed(rel) => {
                let _ = std::fs::rename(backup.join(&rel), target.join(&rel));
            }
            Step::Replaced(rel, had_old) => {
                let _ = std::fs::rename(target.join(&rel), staging.join(&rel));
                if had_old {
                    let _ = std::fs::rename(backup.join(&rel), target.join(&rel));
                }
            }
            Step::MadeDir(dir) => {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

fn move_file(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    super::make_parent(to)?;
    std::fs::rename(from, to).map_err(|e| io_diag(from, "move aside", &e))
}

/// Creates `dir` and any missing parents, journalling each one made.
fn make_dirs(dir: &Path, journal: &mut Vec<Step>) -> Result<(), Diagnostic> {
    let mut missing = Vec::new();
    let mut cursor = Some(dir);
    while let Some(d) = cursor {
        if d.is_dir() {
            break;
        }
        missing.push(d.to_path_buf());
        cursor = d.parent();
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d).map_err(|e| io_diag(&d, "create folder", &e))?;
        journal.push(Step::MadeDir(d));
    }
    Ok(())
}

/// Every file (and symlink) below `dir`, as `/`-separated relative paths.
pub(super) fn files_under(dir: &Path) -> Vec<String> {
    WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect()
}

/// Removes the folders a removed file leaves empty.
fn prune_empty_parents(target: &Path, rel: &str) {
    let mut dir = target.join(rel);
    while dir.pop() && dir.starts_with(target) && dir != target {
        if std::fs::remove_dir(&dir).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, String)> {
        files_under(dir)
            .into_iter()
            .map(|rel| {
                (
                    rel.clone(),
                    std::fs::read_to_string(dir.join(&rel)).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn changed_files_move_in_and_vanished_ones_out() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, target, backup) = (
            tmp.path().join("s"),
            tmp.path().join("t"),
            tmp.path().join("b"),
        );
        for (rel, text) in [
            ("keep.html", "same"),
            ("change/index.html", "old"),
            ("gone/deep/index.html", "bye"),
        ] {
            std::fs::create_dir_all(target.join(rel).parent().unwrap()).unwrap();
            std::fs::write(target.join(rel), text).unwrap();
        }
        std::fs::create_dir_all(staging.join("change")).unwrap();
        std::fs::write(staging.join("change/index.html"), "new").unwrap();
        std::fs::create_dir_all(staging.join("fresh/a")).unwrap();
        std::fs::write(staging.join("fresh/a/index.html"), "hello").unwrap();
        let keep: FxHashSet<&str> =
            FxHashSet::from_iter(["keep.html", "change/index.html", "fresh/a/index.html"]);
        assert_eq!(apply(&staging, &target, &backup, &keep, None).unwrap(), 1);
        assert_eq!(
            tree(&target),
            [
                ("change/index.html".into(), "new".into()),
                ("fresh/a/index.html".into(), "hello".into()),
                ("keep.html".into(), "same".into())
            ]
        );
        assert!(!target.join("gone").exists(), "emptied folders are pruned");
        assert!(!backup.exists());
    }

    #[test]
    fn a_failing_step_leaves_the_output_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, target, backup) = (
            tmp.path().join("s"),
            tmp.path().join("t"),
            tmp.path().join("b"),
        );
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("a.html"), "old a").unwrap();
        std::fs::write(target.join("blocker"), "a file where a folder must go").unwrap();
        std::fs::write(target.join("gone.html"), "old gone").unwrap();
        std::fs::create_dir_all(staging.join("blocker")).unwrap();
        std::fs::write(staging.join("a.html"), "new a").unwrap();
        // `blocker` is kept as a file, so `blocker/x.html` cannot be placed.
        std::fs::write(staging.join("blocker/x.html"), "x").unwrap();
        let before = tree(&target);
        let keep: FxHashSet<&str> = FxHashSet::from_iter(["a.html", "blocker", "blocker/x.html"]);
        assert!(apply(&staging, &target, &backup, &keep, None).is_err());
        assert_eq!(tree(&target), before);
        assert!(!backup.exists());
    }
}
