//! `dateline check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use dateline::check::CheckOptions;
use dateline::report;
use dateline::site::SiteOptions;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub source: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Check embargoed and future articles too.
    #[arg(long)]
    pub future: bool,
    /// Also request every external link (8 at a time, 10 s timeout each);
    /// broken ones are warnings.
    #[arg(long)]
    pub external: bool,
    /// Print one JSON object on stdout with every error and warning, and
    /// nothing else.
    #[arg(long)]
    pub json: bool,
}

impl CheckArgs {
    pub fn run(self) -> ExitCode {
        let options = CheckOptions {
            site: SiteOptions {
                drafts: self.drafts,
                future: self.future,
                now: None,
            },
            external: self.external,
        };
        let start = std::time::Instant::now();
        let found = dateline::check::check(&self.source, options);
        let errors = found.iter().filter(|d| d.is_error()).count();
        let failed = errors > 0 || (self.strict && !found.is_empty());
        if self.json {
            let code = u8::from(failed);
            let ms = start.elapsed().as_millis() as u64;
            super::json::Outcome::checked(code, &found, ms).print();
            return ExitCode::from(code);
        }
        super::print_diagnostics(&found, &self.source);
        if failed {
            eprintln!("error: {}", report::summary(&found, "have problems"));
            ExitCode::from(1)
        } else {
            if found.is_empty() {
                eprintln!("No problems found.");
            } else {
                eprintln!("warning: {}", report::summary(&found, "have warnings"));
            }
            ExitCode::SUCCESS
        }
    }
}
