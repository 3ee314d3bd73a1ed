//! Small text helpers shared by the parsers: positions and decoding.

/// 1-based (line, column) of a byte offset; the column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The name in `names` closest to `name`, if one is close enough to be
/// what was meant (a typo: at most a third of its letters off).
pub fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    names
        .iter()
        .map(|n| (strsim::levenshtein(name, n), *n))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n)
}

/// `text` escaped for HTML onto `out`, as pulldown-cmark escapes code.
pub fn escape_html_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Decodes a source file as UTF-8, with a BOM allowed and CRLF turned into LF.
///
/// Editors on Windows save both; treating them here means every later
/// position is computed on the same text the user sees.
pub fn decode_source(bytes: &[u8]) -> Result<String, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&String::from_utf8_lossy(bytes), e.valid_up_to());
        DecodeError::NotUtf8 { line, col }
    })?;
    if let Some(at) = text.find('\0') {
        let (line, col) = line_col(text, at);
        return Err(DecodeError::Nul { line, col });
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

/// Why a source file could not be read as text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A UTF-16 byte-order mark: the file was saved in the wrong encoding.
    Utf16,
    /// Bytes that are not UTF-8 (Latin-1, say), first seen at this position.
    NotUtf8 { line: usize, col: usize },
    /// A NUL byte, which never belongs in an article.
    Nul { line: usize, col: usize },
}

impl DecodeError {
    /// (line, column, message) for a diagnostic.
    pub fn describe(&self) -> (usize, Option<usize>, String) {
        match self {
            DecodeError::Utf16 => (
                1,
                None,
                "file is UTF-16 encoded; Dateline reads UTF-8 (save the file as UTF-8)".into(),
            ),
            DecodeError::NotUtf8 { line, col } => (
                *line,
                Some(*col),
                "file is not valid UTF-8 (is it Latin-1 or Windows-1252?); save it as UTF-8".into(),
            ),
            DecodeError::Nul { line, col } => (
                *line,
                Some(*col),
                "file contains a NUL byte; is it a binary file?".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 4));
        assert_eq!(line_col(t, 99), (3, 2));
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        let text = decode_source(b"\xEF\xBB\xBF---\r\na: 1\r\n").unwrap();
        assert_eq!(text, "---\na: 1\n");
    }

    #[test]
    fn decode_rejects_latin1_utf16_and_nul() {
        assert_eq!(
            decode_source(b"ok\ncaf\xE9").unwrap_err(),
            DecodeError::NotUtf8 { line: 2, col: 4 }
        );
        assert_eq!(
            decode_source(b"\xFF\xFEa\0").unwrap_err(),
            DecodeError::Utf16
        );
        assert_eq!(
            decode_source(b"a\0").unwrap_err(),
            DecodeError::Nul { line: 1, col: 2 }
        );
    }
}
