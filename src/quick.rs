//! The quick check: a build whose inputs are, file for file, as the last
//! build of the same output found them, run while the clock has not
//! changed what that build published, has nothing to do — and finds it
//! out without reading or parsing a single article.
//!
//! A cron job publishing every minute mostly finds nothing new. Loading a
//! 100,000-article archive to learn that took seconds (every source
//! statted and its parsed form read back, the model assembled); a walk
//! of the input folders takes a fraction of that.
//!
//! What is compared: the executable, the options, and every file under
//! the site folder's top level, `content/`, `templates/`, `themes/` and
//! `static/` by path, size and modification time. A file modified within
//! [`RACY`] of the last walk is not trusted (a file system with coarse
//! times could hide a second edit), and the output folder must still be
//! exactly as that build left it (the stamp's check, see
//! [`crate::output::unchanged`]).
//!
//! What the clock decides is kept as a window: the last build holds until
//! the next embargo lifts, a front's pick lapses, a live blog closes or
//! a story enters or leaves the news sitemap. Outside it, the build runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::cache::bytes::{Reader, Writer};
use crate::cache::{Cache, Key, KeyBuilder};
use crate::content::Stat;
use crate::error::{Diagnostic, Severity};
use crate::pipeline::PageCounts;
use crate::site::{HeldBack, Site};

/// Where the last build of each output folder is recorded.
const STORE: &str = "last-build";

/// Input folders walked whole; the site folder's own files are listed too.
const FOLDERS: &[&str] = &["content", "templates", "themes", "static"];

/// Files modified this close to the last walk are read again: some file
/// systems keep times to the second, or two.
const RACY: Duration = Duration::from_secs(2);

/// The inputs of a build as found when it started.
#[derive(Debug, Clone)]
pub struct Inputs {
    key: Key,
    /// The files under `content/`, for the loader (see [`Inputs::listing`]).
    content: Vec<Entry>,
    /// When the walk was made.
    at: SystemTime,
    /// The newest modification time among the inputs.
    newest: SystemTime,
}

/// What a build did, kept to tell the next one that finds nothing changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub pages: PageCounts,
    pub static_files: usize,
    pub held: HeldBack,
    pub images: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The record of the last build of one output folder.
#[derive(Debug, Clone, PartialEq)]
pub struct LastBuild {
    inputs: Key,
    walked_at: SystemTime,
    fingerprint: u64,
    /// The clock window the output is true in: from its build's `now`
    /// until the next change the clock alone makes (`None`: never).
    from: DateTime<FixedOffset>,
    until: Option<DateTime<FixedOffset>>,
    /// The files it produced and the folders walked for the rest, for
    /// the stamp's check.
    files: Vec<String>,
    walked: Vec<String>,
    pub summary: Summary,
}

/// What a build asked for beyond its files: a different answer gives a
/// different key.
pub struct Asked<'a> {
    pub source: &'a Path,
    pub output: &'a Path,
    pub cache: &'a Path,
    pub drafts: bool,
    pub future: bool,
}

/// Walks the inputs of the site in `asked.source`; `None` if a folder
/// cannot be read (the build then runs, and reports it).
pub fn inputs(asked: &Asked<'_>) -> Option<Inputs> {
    let at = SystemTime::now();
    let root = asked.source;
    let mut listed: Vec<Vec<Entry>> = FOLDERS
        .par_iter()
        .map(|f| {
            let dir = root.join(f);
            if dir.exists() {
                walk(&dir, f, 0)
            } else {
                Some(Vec::new())
            }
        })
        .collect::<Option<_>>()?;
    let top = top_files(root)?;
    let mut k = KeyBuilder::new(STORE);
    k.executable();
    for path in [asked.source, asked.output, asked.cache] {
        k.bytes(path.as_os_str().as_encoded_bytes()).bytes(b"\0");
    }
    k.u64(u64::from(asked.drafts)).u64(u64::from(asked.future));
    let mut newest = UNIX_EPOCH;
    for e in top.iter().chain(listed.iter().flatten()) {
        k.bytes(e.rel.as_bytes()).bytes(b"\0");
        k.u64(e.len).u64(nanos(e.modified));
        newest = newest.max(e.modified);
    }
    let content = FOLDERS
        .iter()
        .position(|f| *f == "content")
        .map(|i| std::mem::take(&mut listed[i]))
        .unwrap_or_default();
    Some(Inputs {
        key: k.key(),
        content,
        at,
        newest,
    })
}

impl Inputs {
    /// The articles' files as the walk found them, for a build that loads
    /// the site: made only then, as the quick check does not need it.
    pub fn listing(&self) -> crate::content::Listing {
        crate::content::Listing {
            files: self
                .content
                .iter()
                .filter_map(|e| {
                    let path = e.rel.strip_prefix("content/")?;
                    Some((path.to_string(), Stat::at(e.len, e.modified)))
                })
                .collect(),
            made: Stat::at(0, self.at).mtime,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    rel: String,
    len: u64,
    modified: SystemTime,
}

/// Deeper than this is a symlink loop, not a site.
const MAX_DEPTH: usize = 64;

/// Every file under `dir` (`rel` from the site folder), in name order,
/// links followed; `None` if something cannot be read. Each file is
/// statted relative to its open folder (no path to resolve again), and
/// subfolders are walked side by side.
fn walk(dir: &Path, rel: &str, depth: usize) -> Option<Vec<Entry>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut entries: Vec<(String, std::fs::DirEntry)> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| e.map(|e| (e.file_name().to_string_lossy().into_owned(), e)))
        .collect::<Result<_, _>>()
        .ok()?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // Files here, then each folder's files in name order: a list of
    // parts, one per entry, joined in order.
    let parts: Vec<Vec<Entry>> = entries
        .par_iter()
        .map(|(name, e)| {
            let kind = e.file_type().ok()?;
            let path = || e.path();
            let meta = if kind.is_symlink() {
                std::fs::metadata(path()).ok()?
            } else if kind.is_dir() {
                return walk(&path(), &format!("{rel}/{name}"), depth + 1);
            } else {
                e.metadata().ok()?
            };
            if meta.is_dir() {
                return walk(&path(), &format!("{rel}/{name}"), depth + 1);
            }
            Some(vec![Entry {
                rel: format!("{rel}/{name}"),
                len: meta.len(),
                modified: meta.modified().ok()?,
            }])
        })
        .collect::<Option<_>>()?;
    Some(parts.into_iter().flatten().collect())
}

/// The site folder's own files (site.toml, authors.yaml, fronts.yaml and
/// whatever else lies there), hidden ones aside: lock files change with
/// every build.
fn top_files(root: &Path) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let meta = std::fs::metadata(entry.path()).ok();
        let Some(meta) = meta.filter(std::fs::Metadata::is_file) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        out.push(Entry {
            rel: name,
            len: meta.len(),
            modified: meta.modified().ok()?,
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Some(out)
}

fn nanos(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Until when the output of `site` stays what the clock made it: the
/// next instant at which an embargo lifts, a front's pick lapses, a live
/// blog closes, or a story enters or leaves the news sitemap. A site with
/// no article prints the build time itself: it holds for no time at all.
pub fn stays_until(site: &Site) -> Option<DateTime<FixedOffset>> {
    let now = site.now;
    if site.articles.is_empty() {
        return Some(now);
    }
    let window = chrono::Duration::days(crate::site::NEWS_DAYS);
    let mut until = [site.held.next_due, site.held.next_lapse]
        .into_iter()
        .flatten()
        .min();
    let mut sooner = |t: DateTime<FixedOffset>| {
        if t > now && until.is_none_or(|u| t < u) {
            until = Some(t);
        }
    };
    for a in &site.articles {
        // In the news sitemap from its date through two days after it.
        sooner(a.date);
        sooner(a.date + window + chrono::Duration::nanoseconds(1));
        if let Some(end) = a.live.as_ref().and_then(|l| l.until) {
            sooner(end);
        }
    }
    until
}

impl LastBuild {
    /// The record of a build that started with `inputs`, built as of
    /// `now` (see [`stays_until`]), and produced `files`.
    pub fn new(
        inputs: &Inputs,
        fingerprint: u64,
        now: DateTime<FixedOffset>,
        until: Option<DateTime<FixedOffset>>,
        files: Vec<String>,
        walked: &[&str],
        summary: Summary,
    ) -> LastBuild {
        LastBuild {
            inputs: inputs.key,
            walked_at: inputs.at,
            fingerprint,
            from: now,
            until,
            files,
            walked: walked.iter().map(|s| s.to_string()).collect(),
            summary,
        }
    }

    /// The last build of `output`, if it holds for a build that found
    /// `inputs` as of `now`, and the output is as it left it: then the
    /// number of files it produced.
    pub fn holds(
        cache: &Cache,
        output: &Path,
        inputs: &Inputs,
        now: DateTime<FixedOffset>,
    ) -> Option<(LastBuild, usize)> {
        let last = LastBuild::decode(&cache.get(STORE, &entry_key(output))?)?;
        let racy = last.walked_at.checked_sub(RACY).unwrap_or(UNIX_EPOCH);
        if last.inputs != inputs.key
            || inputs.newest >= racy
            || now < last.from
            || last.until.is_some_and(|u| now >= u)
        {
            return None;
        }
        let walked: Vec<&str> = last.walked.iter().map(String::as_str).collect();
        let found = crate::output::unchanged(output, last.fingerprint, &last.files, &walked)?;
        let produced = last.files.len() + found + 1;
        Some((last, produced))
    }

    /// Keeps this record for the next build of `output`. Best effort:
    /// without it the next build does its work.
    pub fn save(&self, cache: &Cache, output: &Path) {
        let _ = cache.put(STORE, &entry_key(output), &self.encode());
    }

    /// Forgets the last build of `output` (a build that failed part-way
    /// may have changed it).
    pub fn forget(cache: &Cache, output: &Path) {
        let _ = cache.put(STORE, &entry_key(output), b"");
    }

    fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.files.len() * 48 + 256));
        w.key(&self.inputs);
        w.u64(nanos(self.walked_at));
        w.u64(self.fingerprint);
        time(&mut w, Some(self.from));
        time(&mut w, self.until);
        w.len(self.files.len());
        for f in &self.files {
            w.str(f);
        }
        w.len(self.walked.len());
        for f in &self.walked {
            w.str(f);
        }
        let s = &self.summary;
        let p = &s.pages;
        for n in [
            p.articles,
            p.sections,
            p.tags,
            p.archives,
            p.authors,
            p.feeds,
            p.other,
            s.static_files,
            s.images,
            s.held.drafts,
            s.held.embargoed,
        ] {
            w.len(n);
        }
        time(&mut w, s.held.next_due);
        time(&mut w, s.held.next_lapse);
        w.len(s.warnings.len());
        for d in &s.warnings {
            w.u64(u64::from(d.severity == Severity::Warning));
            w.str(
                &d.path
                    .as_ref()
                    .map_or(String::new(), |p| p.to_string_lossy().into_owned()),
            );
            w.u64(d.line.map_or(0, |n| n as u64));
            w.u64(d.column.map_or(0, |n| n as u64));
            w.str(&d.message);
            w.str(d.hint.as_deref().unwrap_or(""));
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<LastBuild> {
        let mut r = Reader(bytes);
        let inputs = r.key()?;
        let walked_at = UNIX_EPOCH + Duration::from_nanos(r.u64()?);
        let fingerprint = r.u64()?;
        let from = read_time(&mut r)??;
        let until = read_time(&mut r)?;
        let strings = |r: &mut Reader<'_>| -> Option<Vec<String>> {
            let n = r.len()?;
            // Every string takes at least its 8-byte length.
            if n > r.0.len() / 8 {
                return None;
            }
            (0..n).map(|_| r.string()).collect()
        };
        let files = strings(&mut r)?;
        let walked = strings(&mut r)?;
        let mut n = [0usize; 11];
        for slot in &mut n {
            *slot = r.len()?;
        }
        let held = HeldBack {
            drafts: n[9],
            embargoed: n[10],
            next_due: read_time(&mut r)?,
            next_lapse: read_time(&mut r)?,
        };
        let count = r.len()?;
        if count > r.0.len() / 8 {
            return None;
        }
        let mut warnings = Vec::with_capacity(count);
        for _ in 0..count {
            let warning = r.u64()? == 1;
            let path = r.string()?;
            let line = r.len()?;
            let column = r.len()?;
            let message = r.string()?;
            let hint = r.string()?;
            let mut d = Diagnostic::new(message);
            d.path = (!path.is_empty()).then(|| PathBuf::from(path));
            d.line = (line > 0).then_some(line);
            d.column = (column > 0).then_some(column);
            d.hint = (!hint.is_empty()).then_some(hint);
            if warning {
                d = d.warning();
            }
            warnings.push(d);
        }
        let summary = Summary {
            pages: PageCounts {
                articles: n[0],
                sections: n[1],
                tags: n[2],
                archives: n[3],
                authors: n[4],
                feeds: n[5],
                other: n[6],
            },
            static_files: n[7],
            images: n[8],
            held,
            warnings,
        };
        r.is_empty().then_some(LastBuild {
            inputs,
            walked_at,
            fingerprint,
            from,
            until,
            files,
            walked,
            summary,
        })
    }
}

fn entry_key(output: &Path) -> Key {
    KeyBuilder::new(STORE)
        .bytes(output.as_os_str().as_encoded_bytes())
        .key()
}

/// A time as its instant and offset, or none.
fn time(w: &mut Writer, t: Option<DateTime<FixedOffset>>) {
    match t {
        None => w.u64(0),
        Some(t) => {
            w.u64(1);
            w.i128(
                i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos()),
            );
            w.u64(t.offset().local_minus_utc() as u32 as u64);
        }
    }
}

fn read_time(r: &mut Reader<'_>) -> Option<Option<DateTime<FixedOffset>>> {
    match r.u64()? {
        0 => Some(None),
        1 => {
            let ns = r.i128()?;
            let offset = FixedOffset::east_opt(r.u64()? as u32 as i32)?;
            let secs = i64::try_from(ns.div_euclid(1_000_000_000)).ok()?;
            let sub = ns.rem_euclid(1_000_000_000) as u32;
            Some(Some(
                DateTime::from_timestamp(secs, sub)?.with_timezone(&offset),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn a_record_reads_back_as_written_and_damage_is_refused() {
        let mut warning = Diagnostic::at("content/a.md", 3, Some(1), "7 images are missing")
            .with_hint("run `dateline check`")
            .warning();
        warning.column = Some(1);
        let last = LastBuild {
            inputs: KeyBuilder::new("t").u64(1).key(),
            walked_at: UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_456_789),
            fingerprint: 0xfeed,
            from: at("2026-12-06T10:00:00+01:00"),
            until: Some(at("2026-12-07T09:30:00-05:00")),
            files: vec!["index.html".into(), "news/a/index.html".into()],
            walked: vec!["search-index".into()],
            summary: Summary {
                pages: PageCounts {
                    articles: 2,
                    feeds: 3,
                    ..PageCounts::default()
                },
                static_files: 4,
                held: HeldBack {
                    drafts: 1,
                    embargoed: 2,
                    next_due: Some(at("2026-12-08T06:00:00Z")),
                    next_lapse: None,
                },
                images: 5,
                warnings: vec![warning],
            },
        };
        let bytes = last.encode();
        assert_eq!(LastBuild::decode(&bytes), Some(last));
        for cut in [0, 10, 40, bytes.len() - 1] {
            assert_eq!(LastBuild::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(LastBuild::decode(&longer), None);
    }
}
