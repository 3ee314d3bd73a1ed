//! Files an import copies as they are: static folders and page bundles.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Imported;

/// Every file under `dir`, sorted, as (`prefix` + its path from `dir`,
/// the source file); a bundle's markdown is left out with `skip_markdown`.
pub fn under(dir: &Path, prefix: &str, skip_markdown: bool) -> Vec<(String, PathBuf)> {
    let mut files: Vec<_> = WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| !skip_markdown || e.path().extension().is_none_or(|x| x != "md"))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((format!("{prefix}{rel}"), e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    files
}

/// A page bundle's files (all but its markdown) copied beside `target`
/// (`posts/trip/index.md`); returns their paths within the bundle.
pub fn bundle(dir: &Path, target: &str, imported: &mut Imported) -> Vec<String> {
    let prefix = format!(
        "content/{}",
        target.strip_suffix("index.md").unwrap_or(target)
    );
    let files = under(dir, &prefix, true);
    let names = files
        .iter()
        .map(|(rel, _)| rel.trim_start_matches(&prefix).to_string())
        .collect();
    imported.files.extend(files);
    names
}
