//! Front matter as written: the serde shapes YAML is read into, before
//! any field is checked. `fields` turns them into an article's parts.

use serde::Deserialize;
use serde_yaml::Value;

/// Every key an article's front matter may have.
pub const KNOWN_KEYS: &[&str] = &[
    "headline",
    "dek",
    "date",
    "section",
    "kind",
    "tags",
    "authors",
    "summary",
    "image",
    "related",
    "updated",
    "live_until",
    "slug",
    "draft",
    "embargo",
    "corrections",
    "aliases",
    "path",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrontMatter {
    pub(super) headline: Option<Value>,
    pub(super) dek: Option<String>,
    pub(super) date: Option<Value>,
    pub(super) section: Option<String>,
    pub(super) kind: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) authors: Vec<String>,
    #[serde(default)]
    pub(super) summary: Vec<String>,
    pub(super) image: Option<RawImage>,
    #[serde(default)]
    pub(super) related: Vec<Value>,
    pub(super) updated: Option<Value>,
    pub(super) live_until: Option<Value>,
    pub(super) slug: Option<String>,
    #[serde(default)]
    pub(super) draft: bool,
    pub(super) embargo: Option<Value>,
    #[serde(default)]
    pub(super) corrections: Vec<RawCorrection>,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) path: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCorrection {
    pub(super) date: Value,
    pub(super) text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImage {
    pub(super) src: String,
    pub(super) alt: Option<String>,
    pub(super) caption: Option<String>,
    pub(super) credit: Option<String>,
    pub(super) focus: Option<Value>,
}
