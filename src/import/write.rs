//! Writing an import's site: site.toml, the articles and the files.

use std::path::Path;

use super::{ImportError, Imported};

pub(super) fn site(imported: &Imported, out: &Path) -> Result<(), ImportError> {
    let write = |rel: &str, bytes: &[u8]| -> Result<(), ImportError> {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ImportError::Write(parent.into(), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| ImportError::Write(path.clone(), e))
    };
    write(
        "site.toml",
        imported.site.to_file("another generator").as_bytes(),
    )?;
    for story in &imported.stories {
        write(
            &format!("content/{}", story.content_path),
            story.to_file().as_bytes(),
        )?;
    }
    if !imported.authors.is_empty() {
        let yaml = serde_yaml::to_string(&imported.authors).unwrap_or_default();
        write(
            crate::content::AUTHORS_FILE,
            format!("# Writers, imported by `dateline import`.\n{yaml}").as_bytes(),
        )?;
    }
    for (rel, source) in &imported.files {
        let bytes = std::fs::read(source).map_err(|e| ImportError::Write(source.clone(), e))?;
        write(rel, &bytes)?;
    }
    Ok(())
}
