//! Diagnostics shared by every stage.
//!
//! A stage never stops at the first bad article: it collects one
//! [`Diagnostic`] per problem so the user can fix them all in one pass, the
//! way ripgrep keeps searching after an unreadable file. The build then fails
//! once, with every diagnostic, before anything touches the output folder.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Severity {
    /// The site cannot be built as it is.
    #[default]
    Error,
    /// Worth fixing; fails only `dateline check --strict`.
    Warning,
}

/// One problem found in the user's input, pointing at where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file at fault, relative to the site folder where possible.
    pub path: Option<PathBuf>,
    /// 1-based line in `path`.
    pub line: Option<usize>,
    /// 1-based column in `line`.
    pub column: Option<usize>,
    /// What is wrong, and what was expected.
    pub message: String,
    /// How to fix it, when we can tell (`did you mean ...`).
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with no file attached (a command-line mistake, say).
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem in a file, position unknown.
    pub fn in_file(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: Some(path.as_ref().to_path_buf()),
            ..Diagnostic::new(message)
        }
    }

    /// A problem at a line (and column) of a file.
    pub fn at(
        path: impl AsRef<Path>,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            line: Some(line),
            column,
            ..Diagnostic::in_file(path, message)
        }
    }

    /// Marks the problem as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Adds a hint telling the user how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Why a build failed. The variant decides the process exit code.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Bad content, configuration or templates: the user's input is at fault.
    #[error("{} error{} in the site's sources", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Diagnostic>),
    /// The output could not be written (permissions, disk full...).
    #[error("{0}")]
    Output(Diagnostic),
    /// The command was asked for something that cannot be done safely.
    #[error("{0}")]
    Usage(Diagnostic),
}

impl BuildError {
    /// Every diagnostic carried by this error, in report order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            BuildError::Invalid(d) => d,
            BuildError::Output(d) | BuildError::Usage(d) => std::slice::from_ref(d),
        }
    }

    /// Process exit code documented in docs/cli.md.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Invalid(_) => 1,
            BuildError::Usage(_) => 2,
            BuildError::Output(_) => 3,
        }
    }
}

/// Turns an I/O error into a diagnostic naming the path it happened on.
pub fn io_diag(path: &Path, action: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::in_file(path, format!("could not {action}: {err}"))
}

/// The known name closest to `unknown`, if it is close enough to be a typo.
pub fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_column() {
        let d = Diagnostic::at("content/a.md", 3, Some(5), "bad").with_hint("fix it");
        assert_eq!(d.to_string(), "content/a.md:3:5: bad\n  = help: fix it");
    }

    #[test]
    fn closest_suggests_typos_but_not_unrelated_words() {
        let known = ["headline", "date", "tags"];
        assert_eq!(closest("hedline", &known), Some("headline"));
        assert_eq!(closest("tag", &known), Some("tags"));
        assert_eq!(closest("photographer", &known), None);
    }
}
