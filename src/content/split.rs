//! Splits an article into its front matter (YAML between `---` lines, or
//! TOML between `+++` lines, as Hugo and Zola write it) and markdown body.

/// The language of a front matter, told by its fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// An article's text cut at its fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter between the fences (YAML or TOML).
    pub yaml: &'a str,
    pub format: Format,
    /// 1-based file line of the first YAML line (fence line + 1).
    pub yaml_line: usize,
    /// The markdown after the closing fence.
    pub body: &'a str,
    /// 1-based file line where the body starts.
    pub body_line: usize,
}

/// Why the front matter could not be found: (line, message, hint).
pub type SplitError = (usize, String, String);

fn fence(line: &str) -> Option<Format> {
    match line.trim_end() {
        "---" => Some(Format::Yaml),
        "+++" => Some(Format::Toml),
        _ => None,
    }
}

/// Splits `text` (already BOM- and CRLF-free).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err((
            1,
            "file is empty".into(),
            "an article starts with front matter: a `---` line, `headline:` and `date:`, then `---`".into(),
        ));
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    let Some(format) = fence(&text[..first_end]) else {
        return Err((
            1,
            "no front matter: the first line must be `---` (or `+++` for TOML)".into(),
            "start the file with a `---` line, then `headline:` and `date:`, then `---`".into(),
        ));
    };
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, raw) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if fence(raw.trim_end_matches('\n')) == Some(format) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                format,
                yaml_line: 2,
                body: &text[offset + raw.len()..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    let close = if format == Format::Toml { "+++" } else { "---" };
    Err((
        1,
        "front matter opened on line 1 is never closed".into(),
        format!("add a line with just `{close}` after the last front-matter key"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_their_lines() {
        let s = split("---\nheadline: x\ndate: 2026-01-01\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "headline: x\ndate: 2026-01-01\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn plus_fences_hold_toml() {
        let s = split("+++\nheadline = \"x\"\n+++\nBody\n---\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.yaml, "headline = \"x\"\n");
        assert_eq!(s.body, "Body\n---\n");
        let e = split("+++\nheadline = \"x\"\n---\n").unwrap_err();
        assert!(e.2.contains("`+++`"), "{e:?}");
    }

    #[test]
    fn front_matter_without_body_is_fine() {
        let s = split("---\nheadline: x\n---").unwrap();
        assert_eq!(s.body, "");
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, "");
    }

    #[test]
    fn a_dash_rule_inside_the_body_is_not_a_fence() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }

    #[test]
    fn errors_if_empty_unopened_or_unclosed() {
        assert!(split("").unwrap_err().1.contains("empty"));
        assert!(split("  \n").unwrap_err().1.contains("empty"));
        assert!(split("headline: x\n").unwrap_err().1.contains("first line"));
        assert!(split("---\nheadline: x\n")
            .unwrap_err()
            .1
            .contains("never closed"));
    }
}
