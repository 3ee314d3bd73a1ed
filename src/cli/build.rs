//! `dateline build`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use dateline::{build_with, BuildOptions, BuildReport, Progress};

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
    /// Keep the build cache (photo derivatives) in DIR
    /// [default: SOURCE/.dateline-cache].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Print how long each stage took.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print errors only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print one JSON object on stdout describing the build (pages, files
    /// changed, held-back stories and the next embargo, every problem),
    /// and nothing else.
    #[arg(long, conflicts_with_all = ["verbose", "quiet"])]
    pub json: bool,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let start = Instant::now();
        let options = BuildOptions {
            source: self.source.clone(),
            output: self.output.clone(),
            drafts: self.drafts,
            force: self.force,
            future: self.future,
            now: self.now,
            cache: self.cache.clone(),
        };
        let mut bar = Bar::new(!self.quiet && !self.json && std::io::stderr().is_terminal());
        bar.announce = !self.quiet && !self.json;
        let result = build_with(&options, &bar);
        bar.finish();
        if self.json {
            let ms = start.elapsed().as_millis() as u64;
            return match result {
                Ok(report) => {
                    super::json::Outcome::built(&report, ms).print();
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    let code = err.exit_code();
                    super::json::Outcome::failed(code, err.diagnostics(), ms).print();
                    ExitCode::from(code)
                }
            };
        }
        match result {
            Ok(report) => {
                if !self.quiet {
                    print_report(&report, start, self.verbose, &self.source);
                }
                ExitCode::SUCCESS
            }
            Err(err) => super::fail(&err, &self.source),
        }
    }
}

/// `--now`: an RFC 3339 date-time, or a date or date-time in UTC.
pub fn parse_now(text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, String> {
    dateline::content::parse_date(text, chrono_tz::Tz::UTC)
}

/// A progress bar that appears only on a terminal, and only once a build
/// has run for a second: quick builds and CI logs stay clean.
struct Bar {
    bar: ProgressBar,
    enabled: bool,
    /// Say so when waiting for another build (not with -q or --json).
    announce: bool,
    start: Instant,
    shown: Mutex<bool>,
}

impl Bar {
    fn new(enabled: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            enabled,
            announce: false,
            start: Instant::now(),
            shown: Mutex::new(false),
        }
    }

    fn reveal(&self) {
        if !self.enabled || self.start.elapsed() < Duration::from_secs(1) {
            return;
        }
        if let Ok(mut shown) = self.shown.lock() {
            if !*shown {
                *shown = true;
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn stage(&self, name: &'static str, total: usize) {
        self.bar.set_message(name);
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
        self.reveal();
    }

    fn step(&self) {
        self.bar.inc(1);
        self.reveal();
    }

    fn waiting(&self, holder: &str) {
        if self.announce {
            eprintln!("Waiting for the other build of this output folder to finish ({holder})…");
        }
    }
}

fn print_report(report: &BuildReport, start: Instant, verbose: bool, root: &std::path::Path) {
    if verbose {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<18} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
        let i = &report.images;
        eprintln!(
            "  images: {} photos decoded, {} derivatives encoded in {:.1} s of thread time, {} reused from the cache",
            i.decoded,
            i.encoded,
            i.time.as_secs_f64(),
            i.reused
        );
    }
    super::print_diagnostics(&report.warnings, root);
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
    if let Some(lapse) = h.next_lapse {
        held.push(format!(
            "front picks or banner lapse {}",
            lapse.to_rfc3339()
        ));
    }
    let f = &report.files;
    let files = if f.unchanged + f.removed > 0 {
        let files = |n: usize| {
            if n == 1 {
                "1 file".to_string()
            } else {
                format!("{n} files")
            }
        };
        format!(
            " ({} changed, {} unchanged, {} removed; {} pages drawn again)",
            files(f.changed),
            f.unchanged,
            f.removed,
            p.total().saturating_sub(report.kept)
        )
    } else {
        String::new()
    };
    let held = if held.is_empty() {
        String::new()
    } else {
        format!("; held back: {}", held.join(", "))
    };
    eprintln!(
        "Built {} pages ({} articles, {} section, {} tag, {} author, {} archive, {} feed, {} other) and {} static files into {}{files} in {:.2}s{held}",
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
