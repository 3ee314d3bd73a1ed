//! The `dateline` binary: parse the command line, run, pick the exit code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::Cli::parse().run()
}

// Rendering is allocation-heavy (template contexts, strings); mimalloc's
// thread-local free lists beat glibc malloc by a wide margin here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
