//! The `dateline` binary: parse the command line, run, pick the exit code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::Cli::parse().run()
}
