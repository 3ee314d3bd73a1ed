//! Reading the YAML of a front matter, and where each key was written.

use std::path::Path;

use super::raw::{RawFrontMatter, KNOWN_KEYS};
use crate::error::{closest, Diagnostic};

pub(super) fn parse_yaml(
    source: &Path,
    yaml: &str,
    yaml_line: usize,
) -> Result<RawFrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Err(Diagnostic::at(source, 1, None, "front matter is empty")
            .with_hint("add at least `headline:` and `date:`"));
    }
    serde_yaml::from_str(yaml).map_err(|e| {
        let (line, column) = e.location().map_or((yaml_line, None), |l| {
            (yaml_line + l.line() - 1, Some(l.column()))
        });
        let message = yaml_message(&e);
        if let Some(key) = unknown_key(&message) {
            let d = Diagnostic::at(
                source,
                line,
                column,
                format!("unknown front-matter key `{key}`"),
            );
            return match closest(key, KNOWN_KEYS) {
                Some(k) => d.with_hint(format!("did you mean `{k}`?")),
                None => d.with_hint(format!("known keys: {}", KNOWN_KEYS.join(", "))),
            };
        }
        Diagnostic::at(
            source,
            line,
            column,
            format!("invalid front matter: {message}"),
        )
    })
}

/// serde_yaml's message without the "at line N column M" positions it adds
/// (relative to the YAML block), which we restate in file coordinates.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let mut text = e.to_string();
    while let Some(start) = text.find(" at line ") {
        let rest = &text[start + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_len = digits(rest);
        let Some(after) = rest[line_len..].strip_prefix(" column ") else {
            break;
        };
        let end = start + " at line ".len() + line_len + " column ".len() + digits(after);
        text.replace_range(start..end, "");
    }
    text
}

fn unknown_key(message: &str) -> Option<&str> {
    let start = message.find("unknown field `")? + "unknown field `".len();
    message[start..].split('`').next()
}

/// File lines of top-level front-matter keys, so a problem found after
/// parsing still points at the line the user wrote.
pub(super) struct KeyLines<'a> {
    lines: Vec<&'a str>,
    first: usize,
}

impl<'a> KeyLines<'a> {
    pub(super) fn new(yaml: &'a str, first: usize) -> Self {
        KeyLines {
            lines: yaml.lines().collect(),
            first,
        }
    }

    /// The line of `key: …` (YAML), `key = …` or a `[key]` / `[[key]]`
    /// table header (TOML).
    fn index(&self, key: &str) -> Option<usize> {
        self.lines.iter().position(|l| {
            let header = l.trim().trim_start_matches('[').trim_end_matches(']');
            l.starts_with('[') && header.trim() == key
                || l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
        })
    }

    /// Line of `key:`, or the opening fence when the key is absent.
    pub(super) fn line(&self, key: &str) -> usize {
        self.index(key).map_or(1, |i| self.first + i)
    }

    /// Every top-level key and its file line.
    pub(super) fn all(&self) -> Vec<(String, usize)> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let key = l.split([':', '=']).next()?.trim_end();
                let ok = l.contains([':', '='])
                    && !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                ok.then(|| (key.to_string(), self.first + i))
            })
            .collect()
    }

    /// Line of the list item under `key` that mentions `needle`.
    pub(super) fn line_of_item(&self, key: &str, needle: &str) -> usize {
        let Some(start) = self.index(key) else {
            return 1;
        };
        self.lines[start..]
            .iter()
            .position(|l| l.contains(needle))
            .map_or(self.first + start, |i| self.first + start + i)
    }
}
