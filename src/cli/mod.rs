//! The command line: clap derive, one Args struct per command, each with
//! its own `run`. Output decisions (colour, quiet) live here; the library
//! never prints.

mod build;
mod check;
mod import;
mod init;
mod json;
mod list;
mod new;
mod serve;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use dateline::{report, BuildError, Diagnostic};

/// The version, with the git revision it was built from, if any.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("DATELINE_VERSION_SUFFIX"));

/// Dateline: a fast static site generator for news publishers.
#[derive(Debug, Parser)]
#[command(name = "dateline", version = VERSION, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder ready to deploy.
    ///
    /// Examples:
    ///   dateline build
    ///   dateline build --source ~/sites/ledger --output /var/www/ledger
    ///   dateline build --now 2026-11-28T06:00:00-05:00
    Build(build::BuildArgs),
    /// Preview the site: build in memory, serve it, rebuild on every save and
    /// reload the browser.
    ///
    /// Examples:
    ///   dateline serve
    ///   dateline serve --port 8080 --drafts --open
    Serve(serve::ServeArgs),
    /// Create a new site that builds at once.
    ///
    /// Examples:
    ///   dateline init my-paper
    ///   dateline init . --force
    Init(init::InitArgs),
    /// Start a new article, dated now, with its front matter filled in.
    ///
    /// Examples:
    ///   dateline new "Council approves seawall" --section news/us --tags "Port Calder,Climate"
    ///   dateline new "Keep the night ferry" --kind opinion --draft --edit
    New(new::NewArgs),
    /// Check the site without writing anything: everything `build` checks,
    /// plus missing images and files, dead internal links, long headlines
    /// and pictures without alt text or credit.
    ///
    /// Examples:
    ///   dateline check
    ///   dateline check --strict
    Check(check::CheckArgs),
    /// List the articles with their status (published, draft, embargoed).
    ///
    /// Examples:
    ///   dateline list
    ///   dateline list --drafts --future
    List(list::ListArgs),
    /// Import another generator's site as a new Dateline site, keeping
    /// every article's URL; prints what was kept, dropped or changed.
    ///
    /// Examples:
    ///   dateline import hugo ~/sites/old-blog -o ~/sites/new-blog
    Import(import::ImportArgs),
    /// Print a shell completion script.
    ///
    /// Examples:
    ///   dateline completions bash > /etc/bash_completion.d/dateline
    ///   dateline completions zsh > ~/.zfunc/_dateline
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

impl Cli {
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Build(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::List(args) => args.run(),
            Command::Import(args) => args.run(),
            Command::Completions { shell } => {
                let mut command = <Cli as clap::CommandFactory>::command();
                clap_complete::generate(shell, &mut command, "dateline", &mut std::io::stdout());
                ExitCode::SUCCESS
            }
        }
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set.
pub fn color_choice() -> ColorChoice {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

/// Prints diagnostics like rustc: file, line, column, the source line with
/// a caret, and the hint.
pub fn print_diagnostics(diagnostics: &[Diagnostic], root: &Path) {
    let stream = StandardStream::stderr(color_choice());
    let mut out = stream.lock();
    report::emit(&mut out, diagnostics, root);
}

/// Prints a failed command's diagnostics and its one-line summary; returns
/// the documented exit code.
pub fn fail(err: &BuildError, root: &Path) -> ExitCode {
    print_diagnostics(err.diagnostics(), root);
    match err {
        BuildError::Invalid(d) => {
            eprintln!(
                "error: {}; the output folder was not changed",
                report::summary(d, "failed to build")
            )
        }
        BuildError::Output(_) => {
            eprintln!("error: build failed while writing; the previous output is intact")
        }
        BuildError::Usage(_) => {}
    }
    ExitCode::from(err.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
