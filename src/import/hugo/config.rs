//! A Hugo site's configuration, wherever Hugo keeps it: `hugo.toml`
//! (or `.yaml`/`.json`, or the older `config.*`) at the root, and the
//! `config/_default/` folder, where a key may have a file of its own
//! (`permalinks.toml`). Hugo's keys are case-insensitive: all are
//! lower-cased here.

use std::path::Path;

use serde_json::{Map, Value};

use crate::import::ImportError;

/// What the importer needs of a Hugo config.
#[derive(Debug, Default)]
pub struct HugoConfig {
    pub all: Map<String, Value>,
    /// Which files it came from, relative to the site.
    pub files: Vec<String>,
}

impl HugoConfig {
    pub fn read(root: &Path) -> Result<HugoConfig, ImportError> {
        let mut config = HugoConfig::default();
        for name in ["config", "hugo"] {
            for ext in ["toml", "yaml", "yml", "json"] {
                let rel = format!("{name}.{ext}");
                if let Some(map) = read_file(root, &rel)? {
                    merge(&mut config.all, map);
                    config.files.push(rel);
                }
            }
        }
        let folder = root.join("config/_default");
        if let Ok(entries) = std::fs::read_dir(&folder) {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for file in names {
                let rel = format!("config/_default/{file}");
                let Some(map) = read_file(root, &rel)? else {
                    continue;
                };
                let stem = file
                    .rsplit_once('.')
                    .map_or(file.as_str(), |(s, _)| s)
                    .to_lowercase();
                if stem == "config" || stem == "hugo" {
                    merge(&mut config.all, map);
                } else {
                    let mut one = Map::new();
                    one.insert(stem, Value::Object(map));
                    merge(&mut config.all, one);
                }
                config.files.push(rel);
            }
        }
        if config.files.is_empty() {
            return Err(ImportError::Source(format!(
                "{} has no Hugo config (hugo.toml, config.toml or config/_default/)",
                root.display()
            )));
        }
        Ok(config)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.all.get(key)
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    pub fn bool(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }
}

fn read_file(root: &Path, rel: &str) -> Result<Option<Map<String, Value>>, ImportError> {
    let path = root.join(rel);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let ext = rel.rsplit('.').next().unwrap_or("");
    let bad = |why: String| ImportError::Source(format!("{}: {why}", path.display()));
    let value = match ext {
        "toml" => {
            let table: toml::Table = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
            crate::import::front::toml_value(toml::Value::Table(table))
        }
        "yaml" | "yml" => {
            let v: serde_yaml::Value =
                serde_yaml::from_str(&text).map_err(|e| bad(e.to_string()))?;
            serde_json::to_value(v).map_err(|e| bad(e.to_string()))?
        }
        "json" => serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?,
        _ => return Ok(None),
    };
    match lower(value) {
        Value::Object(map) => Ok(Some(map)),
        Value::Null => Ok(Some(Map::new())),
        _ => Err(bad("is not a table of settings".into())),
    }
}

/// Keys lower-cased at every level, as Hugo reads them; values as they are.
fn lower(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.to_lowercase(), lower(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lower).collect()),
        other => other,
    }
}

/// `over` merged into `base`, tables key by key.
fn merge(base: &mut Map<String, Value>, over: Map<String, Value>) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}
