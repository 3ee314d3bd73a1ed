//! What an import writes: articles in Dateline's front matter and the
//! settings of site.toml.

use serde::Serialize;

/// One article of the new site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Story {
    /// Its file, relative to `content/` (`posts/hello.md`, or
    /// `posts/trip/index.md` for a page bundle).
    #[serde(skip)]
    pub content_path: String,
    /// Its file in the old site, relative to its content folder, as the
    /// old site's internal links name it.
    #[serde(skip)]
    pub source: String,
    /// The file reports about the whole story name, relative to the old
    /// site (`content/posts/x.md`, `export.xml`), and its line there.
    #[serde(skip)]
    pub origin: std::path::PathBuf,
    #[serde(skip)]
    pub source_line: usize,
    /// The URL path the old site published it at (`/2024/05/03/x.html`),
    /// for importers that leave fitting patterns to [`super::place`].
    #[serde(skip)]
    pub old_url: String,
    /// The old bundle folder whose files this story brought.
    #[serde(skip)]
    pub source_dir: Option<std::path::PathBuf>,
    pub headline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dek: Option<String>,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embargo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<StoryImage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip)]
    pub body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StoryImage {
    pub src: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

impl Story {
    /// The article file: YAML front matter, then the body.
    pub fn to_file(&self) -> String {
        let yaml = serde_yaml::to_string(self).unwrap_or_default();
        let body = self.body.trim_start_matches('\n');
        format!("---\n{yaml}---\n{body}")
    }
}

/// The settings an import carries over into site.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteToml {
    pub title: String,
    pub base_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paginate: Option<u32>,
    pub permalink: String,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub permalinks: std::collections::BTreeMap<String, String>,
    /// Section display names, from the old site's section pages.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub sections: std::collections::BTreeMap<String, String>,
}

impl SiteToml {
    pub fn to_file(&self, origin: &str) -> String {
        let toml = toml::to_string(self).unwrap_or_default();
        format!("# Imported from {origin} by `dateline import`; see docs/configuration.md.\n{toml}")
    }
}
