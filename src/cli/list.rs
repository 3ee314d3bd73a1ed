//! `dateline list`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use dateline::config::Config;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub source: PathBuf,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Include embargoed and future articles.
    #[arg(long)]
    pub future: bool,
}

impl ListArgs {
    pub fn run(self) -> ExitCode {
        let loaded = Config::load(&self.source)
            .map_err(|d| vec![d])
            .and_then(|c| {
                dateline::content::load(&c, &dateline::content::Shortcodes::any()).map(|a| (c, a))
            });
        let (config, mut articles) = match loaded {
            Ok(x) => x,
            Err(d) => {
                super::print_diagnostics(&d, &self.source);
                return ExitCode::from(1);
            }
        };
        let now = chrono::Utc::now().fixed_offset();
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.source.cmp(&b.source)));
        let rows: Vec<[String; 5]> = articles
            .iter()
            .filter_map(|a| {
                let due = a.embargo.map_or(a.date, |e| e.max(a.date));
                let status = if a.draft {
                    "draft"
                } else if due > now {
                    "embargoed"
                } else {
                    "published"
                };
                let shown = status == "published"
                    || (status == "draft" && self.drafts)
                    || (status == "embargoed" && self.future);
                shown.then(|| {
                    [
                        a.date
                            .with_timezone(&config.timezone)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                        status.to_string(),
                        a.section.clone(),
                        a.headline.clone(),
                        a.source.display().to_string(),
                    ]
                })
            })
            .collect();
        print_table(&["DATE", "STATUS", "SECTION", "HEADLINE", "PATH"], &rows);
        ExitCode::SUCCESS
    }
}

/// Columns padded to their widest cell; long headlines are cut to fit.
fn print_table(header: &[&str; 5], rows: &[[String; 5]]) {
    const MAX_HEADLINE: usize = 60;
    let cell = |text: &str, col: usize| -> String {
        if col == 3 && text.chars().count() > MAX_HEADLINE {
            format!(
                "{}…",
                text.chars().take(MAX_HEADLINE - 1).collect::<String>()
            )
        } else {
            text.to_string()
        }
    };
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (i, text) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell(text, i).chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row.iter().enumerate().map(|(i, c)| cell(c, i)).collect());
    }
}
