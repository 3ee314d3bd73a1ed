//! The command line: clap derive, one Args struct per command.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use dateline::{build, BuildError, BuildOptions, BuildReport};

/// Dateline: a fast static site generator for news publishers.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about, propagate_version = true)]
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
    Build(BuildArgs),
    /// Preview the site: build in memory, serve it, rebuild on every save and
    /// reload the browser.
    ///
    /// Examples:
    ///   dateline serve
    ///   dateline serve --port 8080 --drafts --open
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub source: PathBuf,
    /// The port to listen on [default: 4020, or the next free one].
    #[arg(short, long)]
    pub port: Option<u16>,
    /// The address to listen on; anything but loopback exposes drafts to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Show articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Show articles dated or embargoed after now.
    #[arg(long)]
    pub future: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    fn run(self) -> ExitCode {
        let options = dateline::serve::ServeOptions {
            source: self.source,
            bind: self.bind,
            port: self.port,
            drafts: self.drafts,
            future: self.future,
            open: self.open,
        };
        match dateline::serve::serve(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                report_error(&err);
                ExitCode::from(err.exit_code())
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub source: PathBuf,
    /// Where to write the site [default: SOURCE/public].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Publish articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Replace an output folder that Dateline did not create.
    #[arg(long)]
    pub force: bool,
    /// Publish articles dated or embargoed after the build time.
    #[arg(long)]
    pub future: bool,
    /// Build as of another instant (RFC 3339, or YYYY-MM-DD in UTC): for
    /// embargoes and the news sitemap.
    #[arg(long, value_name = "DATE-TIME", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Print how long each stage took.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print errors only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

impl Cli {
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Build(args) => args.run(),
            Command::Serve(args) => args.run(),
        }
    }
}

impl BuildArgs {
    fn run(self) -> ExitCode {
        let start = Instant::now();
        let options = BuildOptions {
            source: self.source.clone(),
            output: self.output.clone(),
            drafts: self.drafts,
            force: self.force,
            future: self.future,
            now: self.now,
        };
        match build(&options) {
            Ok(report) => {
                if !self.quiet {
                    print_report(&report, start, self.verbose);
                }
                ExitCode::SUCCESS
            }
            Err(err) => {
                report_error(&err);
                ExitCode::from(err.exit_code())
            }
        }
    }
}

fn print_report(report: &BuildReport, start: Instant, verbose: bool) {
    if verbose {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<18} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    let p = &report.pages;
    let h = &report.held;
    let mut held = Vec::new();
    match h.drafts {
        0 => {}
        1 => held.push("1 draft".to_string()),
        n => held.push(format!("{n} drafts")),
    }
    if h.embargoed > 0 {
        let next = h
            .next_due
            .map(|d| format!(", next due {}", d.to_rfc3339()))
            .unwrap_or_default();
        held.push(format!("{} embargoed{next}", h.embargoed));
    }
    let held = if held.is_empty() {
        String::new()
    } else {
        format!("; held back: {}", held.join(", "))
    };
    eprintln!(
        "Built {} pages ({} articles, {} section, {} tag, {} author, {} archive, {} feed, {} other) and {} static files into {} in {:.2}s{held}",
        p.total(),
        p.articles,
        p.sections,
        p.tags,
        p.authors,
        p.archives,
        p.feeds,
        p.other,
        report.static_files,
        report.output.display(),
        start.elapsed().as_secs_f64(),
    );
}

/// `--now`: an RFC 3339 date-time, or a date or date-time in UTC.
fn parse_now(text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, String> {
    dateline::content::parse_date(text, chrono_tz::Tz::UTC)
}

/// Prints every diagnostic, then one summary line.
pub fn report_error(err: &BuildError) {
    for d in err.diagnostics() {
        eprintln!("error: {d}");
    }
    match err {
        BuildError::Invalid(d) => eprintln!(
            "error: build failed with {} error{}; the output folder was not changed",
            d.len(),
            if d.len() == 1 { "" } else { "s" }
        ),
        BuildError::Output(_) => {
            eprintln!("error: build failed while writing; the previous output is intact")
        }
        BuildError::Usage(_) => {}
    }
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
