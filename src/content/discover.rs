//! Finding the articles under `content/`. Folders are read side by side
//! (an archive has tens of thousands of files), and the list comes out in
//! the order one walk in name order would give.

use std::ffi::{OsStr, OsString};
use std::fs::DirEntry;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{is_article_name, mark_bundles, SourceFile, CONTENT_DIR};
use crate::error::{io_diag, Diagnostic};

/// Lists article files under `root/content`, sorted by path.
///
/// Hidden files and folders and editor droppings (`.#x.md`, `#x.md#`,
/// `x.md~`, `.x.swp`) are skipped: only names ending in `.md` that start
/// with a letter or digit are articles. Links are not followed into
/// folders, and a linked article must lie inside `content/`.
pub fn discover(root: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(vec![Diagnostic::in_file(
            CONTENT_DIR,
            "no content/ folder in the site",
        )
        .with_hint("articles live in content/<section>/<slug>.md")]);
    }
    let canonical = content
        .canonicalize()
        .map_err(|e| vec![io_diag(&content, "open", &e)])?;
    let walk = Walk {
        root,
        content: &content,
        canonical: &canonical,
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for found in walk.folder(&content) {
        match found {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    mark_bundles(&mut files);
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

type Found = Result<SourceFile, Diagnostic>;

struct Walk<'a> {
    root: &'a Path,
    content: &'a Path,
    canonical: &'a Path,
}

impl Walk<'_> {
    /// What `dir` holds, in name order, each subfolder's files where the
    /// subfolder's name sorts.
    fn folder(&self, dir: &Path) -> Vec<Found> {
        let listed = std::fs::read_dir(dir).and_then(|r| r.collect::<Result<Vec<_>, _>>());
        let entries = match listed {
            Ok(entries) => entries,
            Err(e) => return vec![Err(self.unreadable(dir, &e))],
        };
        let mut entries: Vec<(OsString, DirEntry)> = entries
            .into_iter()
            .map(|e| (e.file_name(), e))
            .filter(|(name, _)| !name.as_encoded_bytes().starts_with(b"."))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let parts: Vec<Vec<Found>> = entries
            .par_iter()
            .map(|(name, entry)| self.entry(name, entry))
            .collect();
        parts.into_iter().flatten().collect()
    }

    fn entry(&self, name: &OsStr, entry: &DirEntry) -> Vec<Found> {
        let path = entry.path();
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) => return vec![Err(self.unreadable(&path, &e))],
        };
        if kind.is_dir() {
            return self.folder(&path);
        }
        let name = name.to_string_lossy();
        let rel = rel_to(self.root, &path);
        if !is_article_name(&name) {
            // Editor droppings never end in `.md` (`#a.md#`, `a.md~`) or
            // are hidden; a visible `.md` file left out would be a story
            // silently missing from the site.
            if !name.ends_with(".md") {
                return Vec::new();
            }
            return vec![Err(Diagnostic::in_file(
                &rel,
                "not read as an article: its name does not start with a letter or digit",
            )
            .with_hint(
                "the file name is the article's URL; rename it, say to `story-name.md`",
            ))];
        }
        if kind.is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(self.canonical) && target.is_file() => {}
                _ => {
                    return vec![Err(Diagnostic::in_file(
                        &rel,
                        "symbolic link points outside content/ (or nowhere); refusing to follow it",
                    ))]
                }
            }
        }
        let content_path = path
            .strip_prefix(self.content)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        vec![Ok(SourceFile {
            abs: path,
            rel,
            content_path,
            bundle: false,
        })]
    }

    fn unreadable(&self, path: &Path, e: &std::io::Error) -> Diagnostic {
        Diagnostic::in_file(rel_to(self.root, path), format!("could not read: {e}"))
    }
}

fn rel_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visible_md_file_that_is_not_an_article_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let news = dir.path().join("content/news");
        std::fs::create_dir_all(&news).unwrap();
        for name in [
            "ok.md",
            "\u{1F680}.md",
            ".#ok.md",
            "ok.md~",
            "#ok.md#",
            "notes.txt",
        ] {
            std::fs::write(news.join(name), "x").unwrap();
        }
        let errors = discover(dir.path()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let text = errors[0].to_string();
        assert!(text.contains("content/news/\u{1F680}.md"), "{text}");
        assert!(text.contains("not read as an article"), "{text}");
    }

    #[test]
    fn files_come_in_path_order_and_hidden_folders_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for rel in [
            "world/b.md",
            "world/a.md",
            "world/asia/z.md",
            "news.md",
            "a/x.md",
            "b.md",
            ".drafts/hidden.md",
            "world/.git/c.md",
        ] {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found: Vec<String> = discover(dir.path())
            .unwrap()
            .into_iter()
            .map(|f| f.content_path)
            .collect();
        assert_eq!(
            found,
            [
                "a/x.md",
                "b.md",
                "news.md",
                "world/a.md",
                "world/asia/z.md",
                "world/b.md"
            ]
        );
    }
}
