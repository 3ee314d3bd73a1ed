//! Front matter as other generators write it — YAML between `---`,
//! TOML between `+++`, or a JSON object — read into one shape, with the
//! line of each top-level key for the report.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// A source file's front matter and body.
#[derive(Debug, Default)]
pub struct Front {
    pub keys: Map<String, Value>,
    /// 1-based file line of each top-level key.
    pub lines: HashMap<String, usize>,
    pub body: String,
    /// 1-based file line where the body starts.
    pub body_line: usize,
    /// What was read leniently: (file line, what was done).
    pub notes: Vec<(usize, String)>,
}

impl Front {
    /// The line of `key`, or 1 (the opening fence) when it is absent.
    pub fn line(&self, key: &str) -> usize {
        self.lines.get(key).copied().unwrap_or(1)
    }

    /// The line of `table.key`, else of `table`.
    pub fn sub_line(&self, table: &str, key: &str) -> usize {
        match self.lines.get(&format!("{table}.{key}")) {
            Some(&n) => n,
            None => self.line(table),
        }
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.keys
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// A list of strings, or one string as a list of one.
    pub fn strings(&self, key: &str) -> Vec<String> {
        match self.keys.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.keys.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// Splits and parses `text`; the error is (line, message). Blank lines
/// or spaces before the opening fence are passed over, as Hugo does.
pub fn read(text: &str) -> Result<Front, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let fenced = ["---", "+++", "{"].iter().any(|f| trimmed.starts_with(f));
    if !fenced || trimmed.len() == text.len() {
        return read_at(text);
    }
    let lead = text[..text.len() - trimmed.len()].matches('\n').count();
    let mut front = read_at(trimmed).map_err(|(line, why)| (line + lead, why))?;
    front.lines.values_mut().for_each(|l| *l += lead);
    front.notes.iter_mut().for_each(|(l, _)| *l += lead);
    front.body_line += lead;
    Ok(front)
}

fn read_at(text: &str) -> Result<Front, (usize, String)> {
    let text = text.replace("\r\n", "\n");
    let first = text.lines().next().unwrap_or("").trim_end();
    let (fence, kind) = match first {
        "---" => ("---", Lang::Yaml),
        "+++" => ("+++", Lang::Toml),
        "{" => ("}", Lang::Json),
        _ => {
            return Ok(Front {
                body: text.to_string(),
                body_line: 1,
                ..Front::default()
            })
        }
    };
    let mut offset = first.len() + 1;
    let mut end = None;
    for (n, line) in (2..).zip(text.get(offset..).unwrap_or("").split_inclusive('\n')) {
        if line.trim_end() == fence {
            end = Some((offset, offset + line.len(), n));
            break;
        }
        offset += line.len();
    }
    let Some((close, body_start, close_line)) = end else {
        return Err((
            1,
            format!("front matter opened with `{first}` is never closed"),
        ));
    };
    let start = first.len() + 1;
    let inner = text.get(start.min(close)..close).unwrap_or("");
    let mut notes = Vec::new();
    let mut read_text = std::borrow::Cow::Borrowed(inner);
    let keys = match kind {
        Lang::Yaml => match yaml(inner) {
            Err((_, why)) if why.contains("duplicate entry") => {
                let (kept, dropped) = last_of_each_key(inner);
                for (line, key, later) in dropped {
                    notes.push((line + 2, format!("`{key}` is given again on line {}: the later value is kept, as Jekyll and Ruby read it", later + 2)));
                }
                let keys = yaml(&kept)?;
                read_text = std::borrow::Cow::Owned(kept);
                keys
            }
            other => other?,
        },
        Lang::Toml => toml_keys(inner)?,
        Lang::Json => json(&text[..body_start.min(text.len())])?,
    };
    let lines = key_lines(&read_text, 2, matches!(kind, Lang::Json));
    Ok(Front {
        keys,
        lines,
        body: text.get(body_start..).unwrap_or("").to_string(),
        body_line: close_line + 1,
        notes,
    })
}

/// YAML front matter with each top-level key only where it is last
/// given (what Ruby's YAML reads; serde_yaml refuses repeats), and for
/// each dropped one: (its line from 0, the key, the line it is given again).
fn last_of_each_key(text: &str) -> (String, Vec<(usize, String, usize)>) {
    let lines: Vec<&str> = text.lines().collect();
    // Each top-level key's block: its line and the indented lines after it.
    let mut blocks: Vec<(usize, usize, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let top = !line.starts_with([' ', '\t', '-', '#']) && line.contains(':');
        if top {
            let key = line
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            blocks.push((i, i + 1, key.to_string()));
        } else if let Some(last) = blocks.last_mut() {
            last.1 = i + 1;
        }
    }
    let mut dropped = Vec::new();
    let mut skip = vec![false; lines.len()];
    for (n, (start, end, key)) in blocks.iter().enumerate() {
        if let Some((later, _, _)) = blocks[n + 1..].iter().find(|(_, _, k)| k == key) {
            dropped.push((*start, key.clone(), *later));
            skip[*start..*end].iter_mut().for_each(|s| *s = true);
        }
    }
    let kept = lines
        .iter()
        .zip(&skip)
        .map(|(line, skipped)| if *skipped { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n");
    (kept, dropped)
}

enum Lang {
    Yaml,
    Toml,
    Json,
}

fn yaml(text: &str) -> Result<Map<String, Value>, (usize, String)> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map_or(1, |l| l.line() + 1);
        (line, format!("invalid YAML front matter: {e}"))
    })?;
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(_) => Err((2, "front matter is not a list of keys".into())),
        Err(e) => Err((2, format!("front matter cannot be read: {e}"))),
    }
}

fn toml_keys(text: &str) -> Result<Map<String, Value>, (usize, String)> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count());
        (
            line + 2,
            format!("invalid TOML front matter: {}", e.message().trim()),
        )
    })?;
    Ok(table.into_iter().map(|(k, v)| (k, toml_value(v))).collect())
}

/// TOML as JSON; dates become their RFC 3339 text.
pub fn toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(n) => Value::from(n),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_value).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_value(v))).collect())
        }
    }
}

fn json(text: &str) -> Result<Map<String, Value>, (usize, String)> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err((1, "front matter is not a JSON object".into())),
        Err(e) => Err((e.line(), format!("invalid JSON front matter: {e}"))),
    }
}

/// The line of each top-level key: `key:` (YAML), `key =` or `[key]`
/// (TOML), `"key":` (JSON); and of the keys one level in, as
/// `table.key` (under a TOML `[table]`, or indented under a YAML `table:`).
fn key_lines(text: &str, first: usize, json: bool) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    // The table the lines belong to, and whether a TOML header opened it.
    let mut parent: Option<(String, bool)> = None;
    for (i, raw) in text.lines().enumerate() {
        // JSON's keys are indented; YAML's and TOML's top-level ones not.
        let line = if json { raw.trim_start() } else { raw };
        let indented = line.starts_with([' ', '\t']);
        if indented || line.starts_with(['-', '#']) {
            if let (Some((table, false)), true, false) = (&parent, indented, json) {
                if let Some(key) = key_of(raw.trim_start()) {
                    out.entry(format!("{table}.{key}")).or_insert(first + i);
                }
            }
            continue;
        }
        let line = line.trim_start_matches('"');
        if let Some(header) = line.strip_prefix('[') {
            let key = header
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            if !key.is_empty() && !key.contains(' ') {
                out.entry(key.clone()).or_insert(first + i);
                parent = Some((key, true));
            }
            continue;
        }
        let Some(key) = key_of(line) else {
            continue;
        };
        match &parent {
            Some((table, true)) => {
                out.entry(format!("{table}.{key}")).or_insert(first + i);
            }
            _ => {
                out.entry(key.clone()).or_insert(first + i);
                parent = (!json).then_some((key, false));
            }
        }
    }
    out
}

fn key_of(line: &str) -> Option<String> {
    let key = line
        .trim_start_matches('"')
        .split([':', '=', '"'])
        .next()
        .unwrap_or("")
        .trim();
    (!key.is_empty() && !key.contains(' ')).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_before_the_fence_is_passed_over_and_lines_still_count() {
        let f = read("\n ---\ntitle: Hi\ndate: 2018-11-26\n---\nBody\n").unwrap();
        assert_eq!(f.str("title"), Some("Hi"));
        assert_eq!(f.line("date"), 4);
        assert_eq!(f.body_line, 6);
    }

    #[test]
    fn a_repeated_yaml_key_keeps_the_later_value_and_says_so() {
        let f = read("---\npublished: false\ntitle: Hi\ncategory: a\npublished: true\ncategory:\n  - b\n---\nBody\n").unwrap();
        assert_eq!(f.bool("published"), Some(true));
        assert_eq!(f.strings("category"), ["b"]);
        assert_eq!(f.line("title"), 3, "lines stay where they were");
        let lines: Vec<usize> = f.notes.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4], "{:?}", f.notes);
        assert!(f.notes[0].1.contains("line 5"), "{:?}", f.notes);
    }

    #[test]
    fn yaml_toml_and_json_read_alike_with_their_key_lines() {
        let y = read("---\ntitle: Hi\ntags: [a, b]\n---\nBody\n").unwrap();
        assert_eq!(y.str("title"), Some("Hi"));
        assert_eq!(y.strings("tags"), ["a", "b"]);
        assert_eq!(y.line("tags"), 3);
        assert_eq!((y.body.as_str(), y.body_line), ("Body\n", 5));
        let t =
            read("+++\ntitle = \"Hi\"\ndate = 2020-01-02T03:04:05Z\n[params]\nx = 1\n+++\nBody\n")
                .unwrap();
        assert_eq!(t.str("date"), Some("2020-01-02T03:04:05Z"));
        assert_eq!(t.line("params"), 4);
        let j = read("{\n  \"title\": \"Hi\",\n  \"draft\": true\n}\nBody\n").unwrap();
        assert_eq!(j.bool("draft"), Some(true));
        assert_eq!(j.line("draft"), 3);
        assert_eq!(j.body, "Body\n");
        assert_eq!(read("+++\ntitle = \n+++\n").unwrap_err().0, 2);
        assert!(read("---\ntitle: x\n").is_err());
    }
}
