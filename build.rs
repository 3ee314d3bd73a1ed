//! Puts the git revision into `dateline --version` when the binary is built
//! from a git checkout (`cargo install --git …`, or a clone); a build from
//! a packaged source has the version alone.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let suffix = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(rev) if !rev.is_empty() => {
            let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_default();
            format!(" (git {rev} {date})")
        }
        _ => String::new(),
    };
    println!("cargo:rustc-env=DATELINE_VERSION_SUFFIX={suffix}");
    // A new commit or checkout changes HEAD or the branch it names.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={dir}/{head}");
        }
    }
}
