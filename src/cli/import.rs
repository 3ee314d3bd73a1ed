//! `dateline import`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dateline::import::{import, Kind, Options};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The system the site comes from: `hugo`, `zola`, `jekyll` or
    /// `wordpress`.
    pub kind: Kind,
    /// The other site's folder (for WordPress, its export file).
    pub source: PathBuf,
    /// Where to write the new Dateline site (created if missing).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Write into a folder that is not empty.
    #[arg(long)]
    pub force: bool,
    /// WordPress: import published pages too, into the section `pages`.
    #[arg(long)]
    pub pages: bool,
}

impl ImportArgs {
    pub fn run(self) -> ExitCode {
        let options = Options {
            force: self.force,
            pages: self.pages,
        };
        let report = match import(self.kind, &self.source, &self.output, options) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
        for f in &report.failed {
            eprintln!("error: {f}");
        }
        println!(
            "Imported {} articles and {} files into {} ({} warnings). Next: cd {} && dateline build",
            report.articles,
            report.files,
            self.output.display(),
            report.warnings.len(),
            self.output.display()
        );
        if report.failed.is_empty() {
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "error: {} posts could not be imported (listed above)",
                report.failed.len()
            );
            ExitCode::from(1)
        }
    }
}
