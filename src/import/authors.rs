//! Hugo and Jekyll sites often keep writers in a data file
//! (`data/authors.*`, `_data/authors.yml`), keyed by a short name that
//! posts give as `author` (or Hugo's `params.author`): the keys become
//! names in bylines, and the entries `authors.yaml` profiles.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::content::{AuthorProfile, ProfileLink};

/// Key → profile, from the first `authors.*` found in the data folder.
pub(super) fn read(data: &Path) -> BTreeMap<String, AuthorProfile> {
    let mut out = BTreeMap::new();
    for ext in ["yaml", "yml", "toml", "json"] {
        let path = data.join(format!("authors.{ext}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value: Option<Value> = match ext {
            "toml" => toml::from_str::<toml::Table>(&text)
                .ok()
                .map(|t| crate::import::front::toml_value(toml::Value::Table(t))),
            "json" => serde_json::from_str(&text).ok(),
            _ => serde_yaml::from_str::<serde_yaml::Value>(&text)
                .ok()
                .and_then(|v| serde_json::to_value(v).ok()),
        };
        let Some(Value::Object(map)) = value else {
            continue;
        };
        for (key, entry) in map {
            if let Some(profile) = profile(&key, &entry) {
                out.insert(key, profile);
            }
        }
        break;
    }
    out
}

fn profile(key: &str, entry: &Value) -> Option<AuthorProfile> {
    let field = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let name = field("name").unwrap_or(key).to_string();
    let mut links = Vec::new();
    if let Some(email) = field("email") {
        links.push(ProfileLink {
            title: "Email".into(),
            url: format!("mailto:{email}"),
        });
    }
    for k in ["website", "url", "homepage"] {
        if let Some(url) =
            field(k).filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            links.push(ProfileLink {
                title: "Website".into(),
                url: url.to_string(),
            });
        }
    }
    let photo = ["avatar", "photo", "image"]
        .iter()
        .find_map(|k| field(k))
        .filter(|p| p.starts_with('/') || p.starts_with("https://"))
        .map(str::to_string);
    Some(AuthorProfile {
        name,
        bio: field("bio")
            .or_else(|| field("description"))
            .map(str::to_string),
        photo,
        links,
    })
}

/// The byline names of a post's `keys` (the first present; also under
/// `params`): a data key becomes its name; `{name: …}` its name.
pub(super) fn names(
    keys: &serde_json::Map<String, Value>,
    data: &BTreeMap<String, AuthorProfile>,
    byline_keys: &[&str],
) -> Vec<String> {
    let params = keys.get("params");
    let found = byline_keys
        .iter()
        .find_map(|k| keys.get(*k).or_else(|| params.and_then(|p| p.get(*k))));
    let values: Vec<&Value> = match found {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    values
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(
                data.get(s.trim())
                    .map_or_else(|| s.trim().to_string(), |p| p.name.clone()),
            ),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .map(|n| n.trim().to_string()),
            _ => None,
        })
        .filter(|n| !n.is_empty())
        .collect()
}
