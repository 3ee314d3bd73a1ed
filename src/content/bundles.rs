//! Page bundles: an article as a folder, `content/news/storm/index.md`,
//! with its photos and documents beside it.
//!
//! A folder is a bundle when it sits in a section (`content/news/storm/`,
//! not `content/about/`), holds an `index.md` and no other article anywhere
//! beneath it; otherwise `index.md` is an ordinary article, as it always
//! was, so a section folder with an index page keeps working.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{is_article_name, Bundle, SourceFile};
use crate::error::Diagnostic;

/// Marks each file that is the article of a page bundle.
pub fn mark_bundles(files: &mut [SourceFile]) {
    for f in files {
        f.bundle = f.content_path.ends_with("/index.md")
            && f.content_path.matches('/').count() >= 2
            && f.abs.parent().is_some_and(|dir| !holds_other_articles(dir));
    }
}

fn holds_other_articles(dir: &Path) -> bool {
    walk(dir).any(|e| {
        let name = e.file_name().to_string_lossy();
        e.file_type().is_file() && is_article_name(&name) && !(e.depth() == 1 && name == "index.md")
    })
}

fn walk(dir: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
}

/// The files of the bundle whose article is `file`, sorted. Hidden files
/// and editor backups are left out; a symbolic link must stay inside
/// the bundle's folder.
pub(super) fn list(file: &SourceFile) -> Result<Bundle, Vec<Diagnostic>> {
    let dir = file.abs.parent().unwrap_or(Path::new(".")).to_path_buf();
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.clone());
    let shown = file.rel.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in walk(&dir).filter(|e| e.depth() > 0) {
        let rel: Vec<String> = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if rel == "index.md" || super::is_editor_droppings(name) {
            continue;
        }
        if entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical) && t.is_file());
            if inside {
                files.push(rel);
            } else {
                errors.push(Diagnostic::in_file(
                    shown.join(&rel),
                    "symbolic link points outside the page bundle (or nowhere); refusing to follow it",
                ));
            }
            continue;
        }
        if entry.file_type().is_file() {
            files.push(rel);
        }
    }
    files.sort();
    if errors.is_empty() {
        Ok(Bundle { dir, files })
    } else {
        Err(errors)
    }
}

/// The `index.md` of the bundle a file under content/ belongs to, if it
/// is in one: what a preview re-reads when a bundle's photo changes, or an
/// article appears in its folder (which makes it a bundle no longer).
pub fn bundle_of(path: &Path, content: &Path) -> Option<PathBuf> {
    let mut dir = path.parent()?;
    while dir.starts_with(content) && dir != content {
        let index = dir.join("index.md");
        if index.is_file() && index != path {
            return Some(index);
        }
        dir = dir.parent()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(root: &Path, content_path: &str) -> SourceFile {
        SourceFile {
            abs: root.join("content").join(content_path),
            rel: Path::new("content").join(content_path),
            content_path: content_path.into(),
            bundle: false,
        }
    }

    #[test]
    fn a_folder_with_index_md_and_no_other_article_is_a_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("content/news/storm/index.md", "x"),
            ("content/news/storm/photo.jpg", "jpg"),
            ("content/news/storm/docs/report.pdf", "pdf"),
            ("content/news/storm/.hidden", "x"),
            ("content/news/storm/#notes.txt#", "x"),
            ("content/about/index.md", "x"),
            ("content/news/index.md", "x"),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let mut files = vec![
            source(root, "news/storm/index.md"),
            source(root, "news/index.md"),
            source(root, "about/index.md"),
        ];
        mark_bundles(&mut files);
        assert!(files[0].bundle);
        assert!(!files[1].bundle, "news/ holds another article");
        assert!(!files[2].bundle, "a bundle sits in a section");
        let bundle = list(&files[0]).unwrap();
        assert_eq!(bundle.files, ["docs/report.pdf", "photo.jpg"]);
        assert_eq!(
            bundle_of(
                &root.join("content/news/storm/docs/report.pdf"),
                &root.join("content")
            ),
            Some(root.join("content/news/storm/index.md"))
        );
    }
}
