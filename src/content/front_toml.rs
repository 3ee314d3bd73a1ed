//! Reading a TOML front matter (between `+++` lines, as Hugo and Zola
//! write it) into the same shapes as YAML, with the same errors.

use std::path::Path;

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use super::raw::{RawFrontMatter, KNOWN_KEYS};
use super::yaml::KeyLines;
use crate::error::{closest, Diagnostic};

pub(super) fn parse_toml(
    source: &Path,
    text: &str,
    first_line: usize,
) -> Result<RawFrontMatter, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::at(source, 1, None, "front matter is empty")
            .with_hint("add at least `headline = \"…\"` and `date = …`"));
    }
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((first_line, None), |span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count();
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            (first_line + line, Some(column + 1))
        });
        Diagnostic::at(
            source,
            line,
            column,
            format!("invalid front matter: {}", e.message().trim()),
        )
    })?;
    let lines = KeyLines::new(text, first_line);
    let at_key =
        |key: &str, message: String| Diagnostic::at(source, lines.line(key), Some(1), message);
    for key in table.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            let d = at_key(key, format!("unknown front-matter key `{key}`"));
            return Err(match closest(key, KNOWN_KEYS) {
                Some(k) => d.with_hint(format!("did you mean `{k}`?")),
                None => d.with_hint(format!("known keys: {}", KNOWN_KEYS.join(", "))),
            });
        }
    }
    let mapping: Mapping = table
        .iter()
        .map(|(k, v)| (Value::String(k.clone()), value(v)))
        .collect();
    RawFrontMatter::deserialize(Value::Mapping(mapping.clone())).map_err(|whole| {
        // The error has no position: find the key whose value is wrong.
        let culprit = mapping.iter().find_map(|(k, v)| {
            let one: Mapping = std::iter::once((k.clone(), v.clone())).collect();
            let key = k.as_str()?.to_string();
            RawFrontMatter::deserialize(Value::Mapping(one))
                .err()
                .map(|e| (key, e))
        });
        match culprit {
            Some((key, e)) => at_key(&key, format!("invalid front matter: `{key}`: {e}")),
            None => Diagnostic::at(
                source,
                first_line,
                None,
                format!("invalid front matter: {whole}"),
            ),
        }
    })
}

/// A TOML value as the YAML reader would have produced it; dates become
/// their text, which the date parser reads like a YAML date.
fn value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(n) => Value::Number((*n).into()),
        toml::Value::Float(f) => Value::Number((*f).into()),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.iter().map(value).collect()),
        toml::Value::Table(t) => Value::Mapping(
            t.iter()
                .map(|(k, v)| (Value::String(k.clone()), value(v)))
                .collect(),
        ),
    }
}
