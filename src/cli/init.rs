//! `dateline init`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the site (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Add the site's files to a folder that is not empty.
    #[arg(long)]
    pub force: bool,
}

impl InitArgs {
    pub fn run(self) -> ExitCode {
        match dateline::scaffold::init(&self.dir, self.force) {
            Ok(files) => {
                for f in &files {
                    println!("  created {}", self.dir.join(f).display());
                }
                println!(
                    "New site in {}. Next: cd {} && dateline serve",
                    self.dir.display(),
                    self.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                super::print_diagnostics(&[d], &self.dir);
                ExitCode::from(2)
            }
        }
    }
}
