//! Keeping the cached articles in step with the files under content/.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Session;
use crate::content::{self, Article, SourceFile, CONTENT_DIR};
use crate::error::Diagnostic;

impl Session {
    /// Re-reads the given article files; returns the content paths touched.
    pub(super) fn reparse(&mut self, paths: &BTreeSet<PathBuf>) -> Vec<String> {
        let content_dir = self.root.join(CONTENT_DIR);
        let files: Vec<SourceFile> = paths
            .iter()
            .filter_map(|abs| {
                let rel = abs.strip_prefix(&content_dir).ok()?;
                // The same files `build` reads: nothing hidden, no symlink
                // out of content/.
                if rel
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                {
                    return None;
                }
                if abs.is_symlink()
                    && !abs
                        .canonicalize()
                        .is_ok_and(|t| t.starts_with(&content_dir))
                {
                    return None;
                }
                let content_path = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                Some(SourceFile {
                    abs: abs.clone(),
                    rel: Path::new(CONTENT_DIR).join(rel),
                    bundle: false,
                    content_path,
                })
            })
            .collect();
        let mut files = files;
        crate::content::mark_bundles(&mut files);
        let mut touched = Vec::new();
        let mut present = Vec::new();
        for f in files {
            if f.abs.is_file() {
                present.push(f);
            } else {
                self.articles.remove(&f.content_path);
                self.file_errors.remove(&f.content_path);
                touched.push(f.content_path);
            }
        }
        touched.extend(self.parse_files(present));
        touched
    }

    /// Walks content/ again: new files are read, vanished ones dropped, and
    /// `also` re-read even if already known.
    pub(super) fn rescan(&mut self, also: &BTreeSet<PathBuf>) -> Vec<String> {
        let files = match content::discover(&self.root) {
            Ok(files) => files,
            Err(e) => {
                self.file_errors.insert(String::new(), e);
                return Vec::new();
            }
        };
        self.file_errors.remove("");
        let present: BTreeSet<&str> = files.iter().map(|f| f.content_path.as_str()).collect();
        let gone: Vec<String> = self
            .articles
            .keys()
            .chain(self.file_errors.keys())
            .filter(|k| !present.contains(k.as_str()))
            .cloned()
            .collect();
        for k in &gone {
            self.articles.remove(k);
            self.file_errors.remove(k);
        }
        let wanted: Vec<SourceFile> = files
            .into_iter()
            .filter(|f| {
                also.contains(&f.abs)
                    || !self.articles.contains_key(&f.content_path)
                    || self.file_errors.contains_key(&f.content_path)
            })
            .collect();
        let mut touched = gone;
        touched.extend(self.parse_files(wanted));
        touched
    }

    fn parse_files(&mut self, files: Vec<SourceFile>) -> Vec<String> {
        let Some(config) = &self.config else {
            return Vec::new();
        };
        let shortcodes = &self.shortcodes;
        let parsed: Vec<(String, Result<Article, Vec<Diagnostic>>)> = files
            .par_iter()
            .map(|f| {
                let loaded = content::load_file(f, config, shortcodes);
                (f.content_path.clone(), loaded)
            })
            .collect();
        let mut touched = Vec::with_capacity(parsed.len());
        for (path, result) in parsed {
            match result {
                Ok(article) => {
                    self.file_errors.remove(&path);
                    self.articles.insert(path.clone(), Arc::new(article));
                }
                // The last good version stays in the site while the file is broken.
                Err(e) => {
                    self.file_errors.insert(path.clone(), e);
                }
            }
            touched.push(path);
        }
        touched
    }
}
