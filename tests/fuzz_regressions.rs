//! Replays every saved fuzz input — the seeds and each input that once
//! crashed a target (`fuzz/regressions/`) — through the same entry points
//! the fuzz targets call, so a fixed crash stays fixed without nightly
//! Rust or libFuzzer. See fuzz/README.md for running the fuzzers.

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut found = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() && path.file_name().is_some_and(|n| n != ".gitkeep") {
                found.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

/// Runs every saved input of `target` through `run`; a panic names the file.
fn replay(target: &str, run: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(inputs.len() >= 5, "the seeds of {target} are there");
    for (name, data) in inputs {
        eprintln!("{name}");
        run(&data);
    }
}

#[test]
fn front_matter_inputs_never_panic() {
    replay("front_matter", dateline::fuzzing::front_matter);
}

#[test]
fn article_render_inputs_never_panic() {
    replay("article_render", dateline::fuzzing::article_render);
}
