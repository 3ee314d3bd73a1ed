//! `dateline serve`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

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
    /// Keep the build cache (photo derivatives) in DIR, shared with
    /// `build` [default: SOURCE/.dateline-cache].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<std::path::PathBuf>,
}

impl ServeArgs {
    pub fn run(self) -> ExitCode {
        let options = dateline::serve::ServeOptions {
            source: self.source.clone(),
            bind: self.bind,
            port: self.port,
            drafts: self.drafts,
            future: self.future,
            open: self.open,
            cache: self.cache.clone(),
        };
        match dateline::serve::serve(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => super::fail(&err, &self.source),
        }
    }
}
