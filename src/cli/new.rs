//! `dateline new`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use dateline::config::Config;
use dateline::scaffold::{new_article, NewArticle};

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The headline; the file name is made from it.
    pub headline: String,
    /// The section folder [default: the first section in site.toml, or news].
    #[arg(long, value_name = "PATH")]
    pub section: Option<String>,
    /// Tags, separated by commas.
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// The kind label: news, opinion, analysis...
    #[arg(long)]
    pub kind: Option<String>,
    /// Mark the article as a draft.
    #[arg(long)]
    pub draft: bool,
    /// Open the new file in $EDITOR.
    #[arg(long)]
    pub edit: bool,
    /// The site folder, holding site.toml.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub source: PathBuf,
}

impl NewArgs {
    pub fn run(self) -> ExitCode {
        let config = match Config::load(&self.source) {
            Ok(c) => c,
            Err(d) => {
                super::print_diagnostics(&[d], &self.source);
                return ExitCode::from(1);
            }
        };
        let spec = NewArticle {
            headline: self.headline.clone(),
            section: self.section.clone(),
            tags: self
                .tags
                .iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            kind: self.kind.clone(),
            draft: self.draft,
        };
        let rel = match new_article(&config, &spec, chrono::Utc::now()) {
            Ok(rel) => rel,
            Err(d) => {
                super::print_diagnostics(&[d], &self.source);
                return ExitCode::from(1);
            }
        };
        println!("{}", rel.display());
        if self.edit {
            let editor = std::env::var("VISUAL")
                .or_else(|_| std::env::var("EDITOR"))
                .unwrap_or_else(|_| "vi".into());
            let status = std::process::Command::new(&editor)
                .arg(self.source.join(&rel))
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!(
                    "warning: could not run the editor `{editor}`; the article is at {}",
                    rel.display()
                );
            }
        }
        ExitCode::SUCCESS
    }
}
