//! The `dateline` binary: parse the command line, run, pick the exit code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::Cli::parse().run()
}

// Rendering is allocation-heavy (template contexts, strings); mimalloc's
// thread-local free lists beat glibc malloc by a wide margin here. Its v2
// line (the `v2` feature) measured about 5% less CPU than v3 on a 10,000-
// article build, in alternating runs. Transparent huge pages are off for
// the process (`no_thp`): a rebuild touches its memory sparsely, and the
// kernel zeroing whole 2 MiB pages on first touch took a fifth of its
// CPU at 10,000 articles (one edit: 0.80 s of CPU against 1.03 s, medians
// of 9 in alternating blocks). Clean builds, and one edit at 100,000
// (whose model, built densely, gains from big pages what the rest loses),
// measured the same either way within the noise.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
