//! Incremental builds against clean ones: random sequences of newsroom
//! changes on a generated site, each rebuilt in place with the cache and
//! compared file by file with a clean build of the same input.
//!
//! `DATELINE_DIFF_STEPS=400 DATELINE_DIFF_SEED=7 cargo test --release
//! --test incremental` runs a longer sequence by hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dateline::{build, BuildOptions};

const SECTIONS: &[&str] = &["news/us", "news/world", "business", "sports", "opinion"];
const TAGS: &[&str] = &[
    "Harbor", "Transit", "Courts", "Weather", "Schools", "Budget", "Energy", "Health",
];
const NAMES: &[&str] = &["Ana Reyes", "Tom Brennan", "Li Wei", "Sam Okafor"];

/// A small deterministic random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// One story of the generated site.
#[derive(Clone)]
struct Story {
    section: String,
    slug: String,
    headline: String,
    day: u32,
    hour: u32,
    tags: Vec<String>,
    author: String,
    related: Option<String>,
    link: Option<String>,
    inline: Option<String>,
    embargo: Option<String>,
    corrections: usize,
    body: String,
}

impl Story {
    fn file(&self) -> String {
        format!("content/{}/{}.md", self.section, self.slug)
    }
    /// How other stories name this one (`section/slug`).
    fn key(&self) -> String {
        format!("{}/{}", self.section, self.slug)
    }
    fn text(&self) -> String {
        let mut t = format!(
            "---\nheadline: \"{}\"\ndate: 2026-03-{:02}T{:02}:00:00Z\ntags: [{}]\nauthors: [{}]\n",
            self.headline,
            self.day,
            self.hour,
            self.tags.join(", "),
            self.author
        );
        if let Some(r) = &self.related {
            t.push_str(&format!("related:\n  - {r}\n"));
        }
        if let Some(e) = &self.embargo {
            t.push_str(&format!("embargo: {e}\n"));
        }
        if self.corrections > 0 {
            t.push_str("corrections:\n");
            for n in 0..self.corrections {
                t.push_str(&format!(
                    "  - date: 2026-03-2{}T10:00:00Z\n    text: \"Correction {n}.\"\n",
                    n % 8
                ));
            }
        }
        t.push_str("---\n");
        t.push_str(&self.body);
        if let Some(l) = &self.link {
            t.push_str(&format!("\n\nSee [the earlier story](@/{l}.md).\n"));
        }
        if let Some(i) = &self.inline {
            t.push_str(&format!("\n{{{{ related(to=\"{i}\") }}}}\n"));
        }
        t
    }
}

struct Sim {
    rng: Rng,
    stories: Vec<Story>,
    site: PathBuf,
    next_id: usize,
    template: usize,
    paginate: usize,
    now_day: u32,
}

impl Sim {
    fn new(seed: u64, n: usize, site: PathBuf) -> Sim {
        let mut sim = Sim {
            rng: Rng(seed.max(1)),
            stories: Vec::new(),
            site,
            next_id: 0,
            template: 0,
            paginate: 4,
            now_day: 28,
        };
        for _ in 0..n {
            let s = sim.story();
            sim.stories.push(s);
        }
        sim
    }

    fn story(&mut self) -> Story {
        let id = self.next_id;
        self.next_id += 1;
        let mut tags = vec![self.rng.pick(TAGS).to_string()];
        if self.rng.below(2) == 0 {
            let t = self.rng.pick(TAGS).to_string();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        Story {
            section: self.rng.pick(SECTIONS).to_string(),
            slug: format!("story-{id}"),
            headline: format!("Story number {id} about {}", tags[0]),
            day: 1 + self.rng.below(26) as u32,
            hour: self.rng.below(24) as u32,
            tags,
            author: self.rng.pick(NAMES).to_string(),
            related: None,
            link: None,
            inline: None,
            embargo: None,
            corrections: 0,
            body: format!("First paragraph of story {id}.\n\nA second paragraph.\n"),
        }
    }

    fn other(&mut self, not: usize) -> Option<String> {
        if self.stories.len() < 2 {
            return None;
        }
        let mut j = self.rng.below(self.stories.len());
        if j == not {
            j = (j + 1) % self.stories.len();
        }
        let s = &self.stories[j];
        // Links to held-back stories are refused; keep to published ones.
        if s.embargo.is_some() {
            return None;
        }
        Some(s.key())
    }

    fn write_all(&self) {
        let _ = std::fs::remove_dir_all(self.site.join("content"));
        for s in &self.stories {
            write(&self.site, &s.file(), &s.text());
        }
        self.write_config();
        self.write_template();
    }

    fn write_config(&self) {
        write(
            &self.site,
            "site.toml",
            &format!(
                "title = \"Diff Daily\"\nbase_url = \"https://diff.example.org/\"\n\
                 timezone = \"UTC\"\npaginate = {}\n",
                self.paginate
            ),
        );
    }

    fn write_template(&self) {
        let path = self.site.join("templates/tag.html");
        if self.template == 0 {
            let _ = std::fs::remove_file(&path);
            return;
        }
        write(
            &self.site,
            "templates/tag.html",
            &format!(
                "{{% extends \"base.html\" %}}{{% block main %}}<h1>{{{{ tag.name }}}} v{}</h1>\
                 {{% for item in paginator.items %}}<p>{{{{ item.headline }}}}</p>{{% endfor %}}\
                 {{% endblock main %}}",
                self.template
            ),
        );
    }

    fn now(&self) -> String {
        format!("2026-03-{:02}T12:00:00Z", self.now_day)
    }

    /// One random change; its description.
    fn step(&mut self) -> String {
        let n = self.stories.len();
        let i = self.rng.below(n.max(1));
        match self.rng.below(12) {
            0 | 1 if n > 0 => {
                self.stories[i].body.push_str("\nAn added paragraph.\n");
                self.rewrite(i);
                format!("edit body of {}", self.stories[i].slug)
            }
            2 if n > 0 => {
                self.stories[i].headline.push_str(" (updated)");
                self.rewrite(i);
                format!("edit headline of {}", self.stories[i].slug)
            }
            3 if n > 0 => {
                let t = self.rng.pick(TAGS).to_string();
                self.stories[i].tags = vec![t];
                self.rewrite(i);
                format!("retag {}", self.stories[i].slug)
            }
            4 => {
                let mut s = self.story();
                // The busiest tag and section.
                s.tags = vec![TAGS[0].to_string()];
                s.section = SECTIONS[0].to_string();
                s.day = 27;
                write(&self.site, &s.file(), &s.text());
                let d = format!("new story {}", s.slug);
                self.stories.push(s);
                d
            }
            5 if n > 3 => {
                let s = self.stories.remove(i);
                // Whatever named it must stop naming it.
                let gone = s.key();
                for j in 0..self.stories.len() {
                    let o = &mut self.stories[j];
                    let named = [&o.related, &o.link, &o.inline]
                        .iter()
                        .any(|r| r.as_deref() == Some(gone.as_str()));
                    if named {
                        o.related = None;
                        o.link = None;
                        o.inline = None;
                        self.rewrite(j);
                    }
                }
                std::fs::remove_file(self.site.join(s.file())).unwrap();
                format!("delete {}", s.slug)
            }
            6 if n > 0 => {
                let old = self.stories[i].clone();
                let section = self.rng.pick(SECTIONS).to_string();
                self.stories[i].section = section;
                self.stories[i].slug = format!("{}-moved", old.slug);
                for j in 0..self.stories.len() {
                    let o = &mut self.stories[j];
                    for r in [&mut o.related, &mut o.link, &mut o.inline] {
                        if r.as_deref() == Some(old.key().as_str()) {
                            *r = None;
                        }
                    }
                }
                std::fs::remove_file(self.site.join(old.file())).unwrap();
                for j in 0..self.stories.len() {
                    self.rewrite(j);
                }
                format!("rename {} to {}", old.slug, self.stories[i].slug)
            }
            7 if n > 0 => {
                // A story embargoed until two days on; time moves later.
                let mut s = self.story();
                s.embargo = Some(format!("2026-03-{:02}T06:00:00Z", self.now_day + 1));
                s.day = self.now_day;
                s.hour = 6;
                write(&self.site, &s.file(), &s.text());
                let d = format!("embargoed story {}", s.slug);
                self.stories.push(s);
                d
            }
            8 => {
                // The clock moves: embargoes lift.
                self.now_day = (self.now_day + 1).min(30);
                for s in &mut self.stories {
                    let lifted = s.embargo.as_deref().is_some_and(|e| {
                        e < format!("2026-03-{:02}T12:00:00Z", self.now_day).as_str()
                    });
                    if lifted {
                        s.embargo = None;
                        // The file keeps its embargo line: it has passed.
                    }
                }
                format!("clock to {}", self.now())
            }
            9 if n > 0 => {
                self.stories[i].corrections += 1;
                self.rewrite(i);
                format!("correct {}", self.stories[i].slug)
            }
            10 if n > 1 => {
                let target = self.other(i);
                match self.rng.below(3) {
                    0 => self.stories[i].related = target,
                    1 => self.stories[i].link = target,
                    _ => self.stories[i].inline = target,
                }
                self.rewrite(i);
                format!("link {} to another", self.stories[i].slug)
            }
            11 => {
                if self.rng.below(2) == 0 {
                    self.template = (self.template + 1) % 3;
                    self.write_template();
                    format!("template tag.html v{}", self.template)
                } else {
                    self.paginate = if self.paginate == 4 { 5 } else { 4 };
                    self.write_config();
                    format!("paginate = {}", self.paginate)
                }
            }
            _ => "nothing".to_string(),
        }
    }

    fn rewrite(&self, i: usize) {
        let s = &self.stories[i];
        write(&self.site, &s.file(), &s.text());
    }
}

/// Writes `rel` and dates it in the past, each write a millisecond after
/// the last: files saved seconds before a build, as a newsroom's are, so
/// the quick check (see `dateline::quick`) is tried on every step and
/// its verdict compared with a clean build too.
fn write(root: &Path, rel: &str, text: &str) {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let when = std::time::UNIX_EPOCH
        + std::time::Duration::from_secs(1_700_000_000)
        + std::time::Duration::from_millis(n);
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(when).unwrap();
}

/// Whether the build behind `report` found its inputs as the last build
/// left them and did nothing else.
fn quick(report: &dateline::BuildReport) -> bool {
    report.timings.first().map(|t| t.0) == Some("inputs as last built")
}

fn options(site: &Path, output: &Path, cache: &Path, now: &str) -> BuildOptions {
    BuildOptions {
        source: site.to_path_buf(),
        output: Some(output.to_path_buf()),
        drafts: false,
        force: false,
        future: false,
        now: Some(chrono::DateTime::parse_from_rfc3339(now).unwrap()),
        cache: Some(cache.to_path_buf()),
    }
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn same_trees(incremental: &Path, clean: &Path, log: &[String]) {
    let (a, b) = (tree(incremental), tree(clean));
    let only_inc: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_clean: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_inc.is_empty() && only_clean.is_empty(),
        "after {log:?}: only in the incremental build {only_inc:?}, only in the clean one {only_clean:?}"
    );
    // The marker last: its hash of the tree differs whenever a page does,
    // and the page says more.
    let mut files: Vec<&String> = a.keys().collect();
    files.sort_by_key(|rel| rel.as_str() == ".dateline-output");
    let differing: Vec<String> = files
        .iter()
        .filter(|rel| a[**rel] != b[**rel])
        .map(|r| r.to_string())
        .collect();
    for rel in files {
        let bytes = &a[rel];
        if bytes != &b[rel] {
            let (x, y) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[rel]),
            );
            let at = x
                .bytes()
                .zip(y.bytes())
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            let from = at.saturating_sub(120);
            if let Ok(keep) = std::env::var("DATELINE_DIFF_KEEP") {
                let keep = Path::new(&keep);
                std::fs::create_dir_all(keep).unwrap();
                std::fs::write(keep.join("incremental"), bytes).unwrap();
                std::fs::write(keep.join("clean"), &b[rel]).unwrap();
            }
            panic!(
                "after {log:?}: {differing:?} differ; {rel} at byte {at} ({} and {} bytes):\nincremental: {}\nclean:       {}",
                x.len(),
                y.len(),
                &x[from.min(x.len())..(at + 120).min(x.len())],
                &y[from.min(y.len())..(at + 120).min(y.len())]
            );
        }
    }
}

fn run(seed: u64, steps: usize, stories: usize) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut sim = Sim::new(seed, stories, site.clone());
    sim.write_all();
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let mut log = Vec::new();
    build(&options(&site, &out, &cache, &sim.now())).expect("first build");
    let (mut kept_some, mut quick_some) = (false, false);
    for step in 0..steps {
        log.push(sim.step());
        let report = build(&options(&site, &out, &cache, &sim.now()))
            .unwrap_or_else(|e| panic!("incremental build after {log:?}: {e:?}"));
        kept_some |= report.kept > 0;
        quick_some |= quick(&report);
        let clean = dir.path().join(format!("clean-{step}"));
        let clean_cache = dir.path().join(format!("clean-cache-{step}"));
        build(&options(&site, &clean, &clean_cache, &sim.now()))
            .unwrap_or_else(|e| panic!("clean build after {log:?}: {e:?}"));
        same_trees(&out, &clean, &log);
        std::fs::remove_dir_all(&clean).unwrap();
        std::fs::remove_dir_all(&clean_cache).unwrap();
    }
    assert!(
        kept_some,
        "the incremental builds kept no page: nothing was tested"
    );
    if steps >= 20 {
        assert!(quick_some, "no build was a quick one: nothing was tested");
    }
}

#[test]
fn the_quick_check_runs_the_build_whenever_an_input_the_clock_or_the_output_changed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut sim = Sim::new(11, 12, site.clone());
    sim.write_all();
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let now = sim.now();
    let first = build(&options(&site, &out, &cache, &now)).unwrap();
    assert!(!quick(&first));
    let again = build(&options(&site, &out, &cache, &now)).unwrap();
    assert!(quick(&again), "nothing changed: {:?}", again.timings);
    assert_eq!(again.files.changed, 0);
    assert_eq!(again.pages, first.pages);
    assert_eq!(again.held, first.held);
    // A page deleted by hand is made again.
    let any_page = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.file_name() == "index.html" && e.depth() > 1)
        .unwrap()
        .into_path();
    std::fs::remove_file(&any_page).unwrap();
    let restored = build(&options(&site, &out, &cache, &now)).unwrap();
    assert!(!quick(&restored));
    assert!(any_page.is_file(), "{} not made again", any_page.display());
    assert!(quick(&build(&options(&site, &out, &cache, &now)).unwrap()));
    // An edited story is published.
    sim.stories[0].headline = "Harbor pilots walk out at dawn".into();
    sim.rewrite(0);
    let edited = build(&options(&site, &out, &cache, &now)).unwrap();
    assert!(!quick(&edited));
    assert!(tree(&out)
        .values()
        .any(|page| String::from_utf8_lossy(page).contains("Harbor pilots walk out at dawn")));
    // An embargo lifts with no file changed: the clock alone runs the build.
    let mut held = sim.story();
    held.headline = "Council budget vote set for the morning".into();
    held.embargo = Some("2026-03-28T12:30:00Z".into());
    held.day = 28;
    held.hour = 8;
    sim.stories.push(held);
    sim.rewrite(sim.stories.len() - 1);
    let waiting = build(&options(&site, &out, &cache, &now)).unwrap();
    assert_eq!(waiting.held.embargoed, 1);
    let still = build(&options(&site, &out, &cache, &now)).unwrap();
    assert!(quick(&still), "before the embargo lifts nothing changes");
    assert_eq!(still.held.embargoed, 1);
    let lifted = build(&options(&site, &out, &cache, "2026-03-28T12:30:00Z")).unwrap();
    assert!(!quick(&lifted));
    assert_eq!(lifted.held.embargoed, 0);
    assert!(tree(&out)
        .values()
        .any(|page| String::from_utf8_lossy(page)
            .contains("Council budget vote set for the morning")));
    // A clock turned back is not trusted either.
    let back = build(&options(&site, &out, &cache, "2026-03-28T11:00:00Z")).unwrap();
    assert!(!quick(&back));
    assert_eq!(back.held.embargoed, 1);
    // A file saved just now may hide a second save in the same tick.
    std::fs::write(site.join("notes.txt"), "desk notes").unwrap();
    build(&options(&site, &out, &cache, &now)).unwrap();
    let racy = build(&options(&site, &out, &cache, &now)).unwrap();
    assert!(
        !quick(&racy),
        "a file saved within the last seconds is read again"
    );
}

#[test]
fn random_newsroom_changes_rebuild_exactly_as_a_clean_build() {
    let steps = std::env::var("DATELINE_DIFF_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let seed = std::env::var("DATELINE_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261203);
    run(seed, steps, 40);
}

#[test]
fn a_corrupt_cache_is_rebuilt_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut sim = Sim::new(5, 20, site.clone());
    sim.write_all();
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let now = sim.now();
    build(&options(&site, &out, &cache, &now)).unwrap();
    // Every cache file flipped in one byte, or cut short.
    for (n, entry) in walkdir::WalkDir::new(&cache)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .enumerate()
    {
        let mut bytes = std::fs::read(entry.path()).unwrap();
        if bytes.is_empty() {
            continue;
        }
        if n % 2 == 0 {
            let mid = bytes.len() / 2;
            bytes[mid] ^= 0x55;
        } else {
            bytes.truncate(bytes.len() / 2);
        }
        std::fs::write(entry.path(), bytes).unwrap();
    }
    sim.stories[0].headline = "A changed headline".into();
    sim.rewrite(0);
    build(&options(&site, &out, &cache, &now)).expect("a build over a corrupt cache");
    same_as_clean(
        dir.path(),
        &site,
        &out,
        &now,
        "corrupt cache, one headline changed",
    );
}

/// Builds `site` afresh in `dir/clean` and compares `out` with it.
fn same_as_clean(dir: &Path, site: &Path, out: &Path, now: &str, what: &str) {
    let clean = dir.join("clean");
    build(&options(site, &clean, &dir.join("clean-cache"), now)).unwrap();
    same_trees(out, &clean, &[what.into()]);
}

#[test]
fn the_same_site_named_by_another_path_keeps_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut sim = Sim::new(7, 20, site.clone());
    sim.write_all();
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let now = sim.now();
    build(&options(&site, &out, &cache, &now)).unwrap();
    sim.stories[0].headline = "A changed headline".into();
    sim.rewrite(0);
    // The editor's path to the site folder, not the cron job's.
    let same = dir.path().join(".").join("site");
    let report = build(&options(&same, &out, &cache, &now)).unwrap();
    let total = report.pages.total();
    assert!(
        report.kept * 2 > total,
        "only {} of {total} pages kept",
        report.kept
    );
    same_as_clean(
        dir.path(),
        &site,
        &out,
        &now,
        "one headline changed, site named by another path",
    );
}
