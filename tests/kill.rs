//! A build killed at any instant (SIGKILL: no cleanup runs) leaves the
//! output exactly as the last complete build left it or exactly as the
//! new one would: never a mix. The site toggles between two versions that
//! differ in many pages; each round starts the real binary and kills it
//! after a random delay within a build's duration, then compares the
//! folder with the two snapshots, byte for byte.
//!
//! `DATELINE_KILL_ROUNDS=200 cargo test --test kill` runs longer by hand.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{snapshot, SiteTest};

const NOW: &str = "2026-04-01T12:00:00Z";

fn article(n: usize, version: char) -> String {
    let section = ["news/us", "business", "sports", "opinion"][n % 4];
    let tags = ["Harbor", "Courts", "Budget", "Energy", "Schools"];
    let body = "The council met on Tuesday and heard from residents. ".repeat(40);
    // Version B edits every fifth story's headline and retags every seventh.
    let headline = if version == 'b' && n.is_multiple_of(5) {
        format!("Story {n}, revised")
    } else {
        format!("Story {n}")
    };
    let tag = if version == 'b' && n.is_multiple_of(7) {
        tags[(n + 1) % 5]
    } else {
        tags[n % 5]
    };
    format!(
        "---\nheadline: \"{headline}\"\ndate: 2026-03-{:02}T{:02}:{:02}:00Z\nsection: {section}\n\
         tags: [{tag}, Local]\nauthors: [Ana Reyes]\n---\n{body}\n\n## More\n\n{body}\n",
        1 + n % 28,
        n % 24,
        n % 60
    )
}

/// Writes version `v` of the site: B also drops one story and adds two.
fn write_version(site: &SiteTest, v: char) {
    for n in 0..160 {
        let rel = format!("content/story-{n}.md");
        if v == 'b' && n == 3 {
            let _ = std::fs::remove_file(site.root.join(&rel));
        } else {
            site.write(&rel, article(n, v));
        }
    }
    for n in 160..162 {
        let rel = format!("content/story-{n}.md");
        match v {
            'b' => site.write(&rel, article(n, v)),
            _ => {
                let _ = std::fs::remove_file(site.root.join(&rel));
            }
        }
    }
}

fn dateline(site: &SiteTest) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dateline"));
    cmd.args(["build", "--now", NOW])
        .current_dir(&site.root)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn build_to_end(site: &SiteTest) -> Duration {
    let start = Instant::now();
    let out = dateline(site).output().expect("run dateline");
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// A small deterministic random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn which(
    tree: &BTreeMap<String, Vec<u8>>,
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
) -> Option<char> {
    if tree == a {
        Some('a')
    } else if tree == b {
        Some('b')
    } else {
        None
    }
}

fn describe(tree: &BTreeMap<String, Vec<u8>>, other: &BTreeMap<String, Vec<u8>>) -> String {
    let mut out = Vec::new();
    for (rel, bytes) in tree {
        match other.get(rel) {
            None => out.push(format!("+{rel}")),
            Some(b) if b != bytes => out.push(format!("~{rel}")),
            _ => {}
        }
    }
    out.extend(
        other
            .keys()
            .filter(|k| !tree.contains_key(*k))
            .map(|k| format!("-{k}")),
    );
    out.truncate(12);
    out.join(" ")
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let site = SiteTest::from_files(&[(
        "site.toml",
        "title = \"Kill test\"\nbase_url = \"https://kill.example.org/\"\npaginate = 7\n",
    )]);
    // The two snapshots, each from a complete build.
    write_version(&site, 'a');
    build_to_end(&site);
    let a = snapshot(&site.public());
    write_version(&site, 'b');
    let mut took = build_to_end(&site);
    let b = snapshot(&site.public());
    assert_ne!(a, b, "the versions must differ");
    let rounds: usize = std::env::var("DATELINE_KILL_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = BTreeMap::new();
    let mut current = 'b';
    for round in 0..rounds {
        let goal = if current == 'a' { 'b' } else { 'a' };
        write_version(&site, goal);
        // Up to a little past a whole build, so some rounds finish; every
        // other round in its last part, where the new tree goes live.
        let whole = took.as_micros() as u64;
        let from = if round % 2 == 1 { whole * 6 / 10 } else { 0 };
        let delay = Duration::from_micros(from + rng.below(whole * 11 / 10 - from));
        let mut child = dateline(&site).spawn().expect("start dateline");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let tree = snapshot(&site.public());
        let found = which(&tree, &a, &b).unwrap_or_else(|| {
            panic!(
                "round {round}: killed after {delay:?} on the way to {goal}, the output is a mix: \
                 against {goal}: {}",
                describe(&tree, if goal == 'a' { &a } else { &b })
            )
        });
        *outcomes.entry(found == goal).or_insert(0) += 1;
        current = found;
        // Every few rounds, a build left to finish reaches the goal exactly
        // from whatever the kill left behind (a half-made standby folder).
        if round % 4 == 3 {
            took = build_to_end(&site);
            assert_eq!(
                which(&snapshot(&site.public()), &a, &b),
                Some(goal),
                "round {round}: a complete build after a kill did not reach {goal}"
            );
            current = goal;
            // And a build with nothing changed still knows it.
            let out = dateline(&site).output().expect("run dateline");
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{said}");
            assert!(
                said.contains("(0 files changed,") && said.contains(" 0 pages drawn again"),
                "round {round}: a second build found changes: {said}"
            );
            assert_eq!(which(&snapshot(&site.public()), &a, &b), Some(goal));
        }
    }
    eprintln!("reached the goal: {outcomes:?}");
    // Not a test of the kill if every build was killed before starting
    // or after finishing.
    assert!(
        outcomes.len() == 2 || rounds < 6,
        "every round ended the same way ({outcomes:?}): the delays missed the build"
    );
}
