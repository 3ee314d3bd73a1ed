//! Diagnostics as people read them: like rustc, with the file, line and
//! column, the offending source line with a caret under the problem, and a
//! hint. The library never prints; this renders to a string or a
//! colour-capable writer and the binary decides where it goes.

use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor, Config};

use crate::error::{Diagnostic, Severity};

/// Writes every diagnostic to `out`; source lines are read from the files
/// under `root` that the diagnostics name.
pub fn emit(out: &mut dyn WriteColor, diagnostics: &[Diagnostic], root: &Path) {
    let config = Config::default();
    let mut files = SimpleFiles::new();
    for d in diagnostics {
        let report = to_report(d, root, &mut files);
        if term::emit_to_write_style(out, &config, &files, &report).is_err() {
            let _ = writeln!(out, "{}: {d}", label(d.severity));
        }
    }
}

/// The diagnostics as plain text, exactly as a pipe or CI log gets them.
pub fn render_plain(diagnostics: &[Diagnostic], root: &Path) -> String {
    let mut buffer = term::termcolor::NoColor::new(Vec::new());
    emit(&mut buffer, diagnostics, root);
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

/// One line summing up a failed run:
/// `error: 3 files failed to build (2 errors, 1 warning)`.
pub fn summary(diagnostics: &[Diagnostic], verb: &str) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut files: Vec<&Path> = diagnostics
        .iter()
        .filter_map(|d| d.path.as_deref())
        .collect();
    files.sort();
    files.dedup();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let counts = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    match files.len() {
        0 => format!("{verb} ({counts})"),
        n => format!("{} {verb} ({counts})", plural(n, "file")),
    }
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_report(
    d: &Diagnostic,
    root: &Path,
    files: &mut SimpleFiles<String, String>,
) -> Report<usize> {
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let mut report = Report::new(level).with_message(&d.message);
    if let Some(hint) = &d.hint {
        report = report.with_notes(vec![format!("help: {hint}")]);
    }
    let Some(path) = &d.path else { return report };
    let name = path.display().to_string();
    let source = std::fs::read(root.join(path))
        .ok()
        .map(|b| String::from_utf8_lossy(&b).replace("\r\n", "\n"))
        .filter(|text| d.line.is_some_and(|l| l <= text.lines().count().max(1)));
    match (source, d.line) {
        (Some(text), Some(line)) => {
            let range = span(&text, line, d.column);
            let id = files.add(name, text);
            report.with_labels(vec![Label::primary(id, range)])
        }
        // No source to show: keep the position in the message.
        (_, line) => {
            let at = match (line, d.column) {
                (Some(l), Some(c)) => format!("{name}:{l}:{c}"),
                (Some(l), None) => format!("{name}:{l}"),
                _ => name,
            };
            report.with_notes(vec![format!("in {at}")])
        }
    }
}

/// The byte range to underline: the word at (line, column), or the line's
/// text when there is no column.
fn span(text: &str, line: usize, column: Option<usize>) -> std::ops::Range<usize> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let line_text = text[start_of_line..].split('\n').next().unwrap_or("");
    match column {
        Some(col) => {
            let offset = line_text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i);
            let rest = &line_text[offset..];
            let word = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            let len = if word == 0 {
                rest.chars().next().map_or(0, char::len_utf8)
            } else {
                word
            };
            start_of_line + offset..start_of_line + offset + len
        }
        None => {
            let lead = line_text.len() - line_text.trim_start().len();
            start_of_line + lead..start_of_line + line_text.trim_end().len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_word_at_the_column_or_the_whole_line() {
        let text = "---\nhedline: x\n  date: 2019-02-30\n";
        assert_eq!(&text[span(text, 2, Some(1))], "hedline");
        assert_eq!(&text[span(text, 3, None)], "date: 2019-02-30");
    }

    #[test]
    fn summary_counts_files_errors_and_warnings() {
        let d = vec![
            Diagnostic::at("a.md", 1, None, "x"),
            Diagnostic::at("a.md", 2, None, "y").warning(),
            Diagnostic::at("b.md", 1, None, "z"),
        ];
        assert_eq!(
            summary(&d, "failed to build"),
            "2 files failed to build (2 errors, 1 warning)"
        );
    }
}
