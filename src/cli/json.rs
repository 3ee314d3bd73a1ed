//! `--json`: one JSON object on stdout describing what a build or check
//! did, for CI jobs and publishing scripts. The shape is documented in
//! docs/json.md and pinned by a snapshot test; fields are only ever
//! added.

use serde::Serialize;

use dateline::{BuildReport, Diagnostic};

/// What a command did, as `--json` prints it.
#[derive(Serialize)]
pub struct Outcome {
    /// `build` or `check`.
    pub command: &'static str,
    pub ok: bool,
    pub exit_code: u8,
    pub exit_meaning: &'static str,
    /// The output folder (absolute); null when the build failed before it.
    pub output: Option<String>,
    pub pages: Option<Pages>,
    pub static_files: Option<usize>,
    pub files: Option<Files>,
    pub held_back: Option<Held>,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    pub elapsed_ms: u64,
}

#[derive(Serialize)]
pub struct Pages {
    pub total: usize,
    pub articles: usize,
    pub sections: usize,
    pub tags: usize,
    pub authors: usize,
    pub archives: usize,
    pub feeds: usize,
    pub other: usize,
}

#[derive(Serialize)]
pub struct Files {
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Pages not drawn again: their inputs were those of the file there.
    pub kept_pages: usize,
}

#[derive(Serialize)]
pub struct Held {
    pub drafts: usize,
    pub embargoed: usize,
    /// When the next held-back story becomes publishable (RFC 3339): the
    /// moment a scheduled build should run.
    pub next_due: Option<String>,
    /// When the next pick of fronts.yaml, or its banner, lapses: a build
    /// is due then too.
    pub next_lapse: Option<String>,
}

/// One problem, placed in its file.
#[derive(Serialize)]
pub struct Problem {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// What each exit code of `command` means, as docs/json.md says.
pub fn meaning(command: &str, code: u8) -> &'static str {
    match code {
        0 => "success",
        1 if command == "check" => "problems were found (errors, or warnings with --strict)",
        1 => "the site has errors (content, configuration or templates); nothing was written",
        2 => "usage error: bad arguments, or an output folder that is unsafe to replace",
        3 => "the output could not be written; the previous output is intact",
        _ => "unknown",
    }
}

fn problems<'a>(found: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<Problem> {
    found
        .into_iter()
        .map(|d| Problem {
            file: d.path.as_ref().map(|p| p.display().to_string()),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
        .collect()
}

impl Outcome {
    fn empty(command: &'static str, exit_code: u8, elapsed_ms: u64) -> Outcome {
        Outcome {
            command,
            ok: exit_code == 0,
            exit_code,
            exit_meaning: meaning(command, exit_code),
            output: None,
            pages: None,
            static_files: None,
            files: None,
            held_back: None,
            warnings: Vec::new(),
            errors: Vec::new(),
            elapsed_ms,
        }
    }

    /// A build that succeeded.
    pub fn built(report: &BuildReport, elapsed_ms: u64) -> Outcome {
        let p = &report.pages;
        let h = &report.held;
        Outcome {
            output: Some(report.output.display().to_string()),
            pages: Some(Pages {
                total: p.total(),
                articles: p.articles,
                sections: p.sections,
                tags: p.tags,
                authors: p.authors,
                archives: p.archives,
                feeds: p.feeds,
                other: p.other,
            }),
            static_files: Some(report.static_files),
            files: Some(Files {
                changed: report.files.changed,
                unchanged: report.files.unchanged,
                removed: report.files.removed,
                kept_pages: report.kept,
            }),
            held_back: Some(Held {
                drafts: h.drafts,
                embargoed: h.embargoed,
                next_due: h.next_due.map(|d| d.to_rfc3339()),
                next_lapse: h.next_lapse.map(|d| d.to_rfc3339()),
            }),
            warnings: problems(&report.warnings),
            ..Outcome::empty("build", 0, elapsed_ms)
        }
    }

    /// A build that failed with `diagnostics`.
    pub fn failed(exit_code: u8, diagnostics: &[Diagnostic], elapsed_ms: u64) -> Outcome {
        Outcome {
            errors: problems(diagnostics.iter().filter(|d| d.is_error())),
            warnings: problems(diagnostics.iter().filter(|d| !d.is_error())),
            ..Outcome::empty("build", exit_code, elapsed_ms)
        }
    }

    /// What `check` found.
    pub fn checked(exit_code: u8, found: &[Diagnostic], elapsed_ms: u64) -> Outcome {
        Outcome {
            errors: problems(found.iter().filter(|d| d.is_error())),
            warnings: problems(found.iter().filter(|d| !d.is_error())),
            ..Outcome::empty("check", exit_code, elapsed_ms)
        }
    }

    /// Prints the object on stdout, alone on its line.
    pub fn print(&self) {
        match serde_json::to_string_pretty(self) {
            Ok(text) => println!("{text}"),
            Err(e) => println!("{{\"ok\": false, \"error\": \"{e}\"}}"),
        }
    }
}
