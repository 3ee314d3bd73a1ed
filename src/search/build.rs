//! Writing the index: terms counted per document in parallel, merged
//! into postings, then sharded by their first characters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::{Record, BUNDLE_DIR};
use crate::cache::{Key, KeyBuilder};

/// Documents per result chunk: results in date order are one or two
/// files a page, and a page in relevance order fetches little it skips.
const CHUNK: usize = 25;

/// A shard grows one character deeper (`co` becomes `con`, `cou`…) when
/// its terms would take more than this many bytes: a query downloads a
/// few shards, not a tenth of the index. Shards are 2 to [`MAX_DEPTH`]
/// characters.
const SHARD_BUDGET: usize = 96 * 1024;
const MAX_DEPTH: usize = 4;

/// A run ends after a document whose URL's hash has a low byte of 0 (one
/// in 256: the mean run is the size `build` counts in), or at this many
/// documents. By the URL, not the document's key: an edit then moves no
/// boundary, and the cut — which the shards' sizes, so the index's
/// layout, depend on — is the same for the same articles whatever
/// binary or template built them.
pub(super) const MAX_RUN: usize = 1024;

/// Weights of a term by where it stands: a headline word counts most.
const HEADLINE: u32 = 8;
const STANDFIRST: u32 = 3;
const BODY: u32 = 1;
const BYLINE: u32 = 2;
/// A posting's weight fits two digits of JSON.
const MAX_WEIGHT: u32 = 99;

#[derive(Serialize)]
struct Doc<'a> {
    url: &'a str,
    title: &'a str,
    dek: &'a str,
    date: &'a str,
    iso: &'a str,
    section: &'a str,
    section_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
}

/// The index's files for `records`, as output paths and bytes, sorted by
/// path. The same records give the same bytes.
pub fn index(mut records: Vec<Record>) -> Vec<(String, Vec<u8>)> {
    sort(&mut records);
    // Contiguous runs of documents are counted in parallel; each run's
    // postings are already in document order, so a term's full list is
    // its runs' lists one after another.
    let runs: Vec<Run> = cut(records.iter().map(|r| r.url.as_str()))
        .into_par_iter()
        .map(|range| Run::count(&records[range.clone()]).at(range.start as u32))
        .collect();
    collect(|emit| assemble(&records, runs, &keep_none, emit))
}

/// The runs that the documents with `urls` are counted in, in order:
/// the same cut for the same documents whichever way the index is made.
pub(super) fn cut<'a>(urls: impl Iterator<Item = &'a str>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut n = 0;
    for (i, url) in urls.enumerate() {
        n = i + 1;
        let end = crate::cache::hash_bytes(url.as_bytes()).bytes()[0] == 0;
        if end || n - start == MAX_RUN {
            out.push(start..n);
            start = n;
        }
    }
    if start < n {
        out.push(start..n);
    }
    out
}

/// Where the index's files go as they are made, from many threads: a
/// big archive's index is gigabytes, never all held at once.
pub type Emit<'a, E> = &'a (dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync);

/// Asked before a term shard or result chunk is made, with its path and
/// a key naming all its bytes are made from: `true` if the file the
/// last build made from the same key is kept as it is, and this one is
/// then neither made nor emitted. An edit changes a few of a big
/// archive's hundreds of shards and thousands of chunks; the rest are
/// hashed, not written out and compared.
pub type Keep<'a> = &'a (dyn Fn(&str, &Key) -> bool + Sync);

/// Keeps nothing: every file is made.
pub fn keep_none(_: &str, _: &Key) -> bool {
    false
}

/// The files `make` emits, sorted by path.
pub(super) fn collect(
    make: impl FnOnce(Emit<'_, std::convert::Infallible>) -> Result<(), std::convert::Infallible>,
) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    let push = |path: String, bytes: Vec<u8>| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path, bytes));
        Ok(())
    };
    let _ = make(&push);
    let mut files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Documents are numbered oldest first.
fn sort(records: &mut [Record]) {
    records.sort_by(oldest_first);
}

/// The order of documents: oldest first, and among stories of the same
/// second the one with the greater URL. The newest story is then the
/// last: publishing it numbers no other document anew, so a rebuild
/// rewrites only the shards of its words and the last result file. The
/// script reads numbers downwards for newest first.
pub(super) fn oldest_first(a: &Record, b: &Record) -> std::cmp::Ordering {
    a.timestamp.cmp(&b.timestamp).then(b.url.cmp(&a.url))
}

/// Emits the files for `records`, whose terms `runs` counted: one run
/// after another, covering every document once, in order.
pub(super) fn assemble<E: Send>(
    records: &[Record],
    runs: Vec<Run>,
    keep: Keep<'_>,
    emit: Emit<'_, E>,
) -> Result<(), E> {
    let made_by = KeyBuilder::new("search-files").executable().key();
    let sizes = runs
        .par_iter()
        .map(Run::prefix_sizes)
        .reduce(FxHashMap::default, |mut a, b| {
            for (prefix, size) in b {
                *a.entry(prefix).or_default() += size;
            }
            a
        });
    let size = |p: &str| sizes.get(p).copied().unwrap_or(0);
    // Every shard some term lands in, in byte order (which is also the
    // order of their hex names).
    let mut keys: Vec<String> = runs
        .par_iter()
        .map(|run| {
            let mut found: FxHashSet<&str> = FxHashSet::default();
            for t in 0..run.len() {
                found.insert(shard_key(run.term(t), size));
            }
            found.into_iter().map(str::to_string).collect::<Vec<_>>()
        })
        .flatten()
        .collect();
    keys.par_sort_unstable();
    keys.dedup();
    keys.par_iter().try_for_each(|key| {
        let path = format!("{BUNDLE_DIR}/t/{}.json", hex(key));
        if keep(&path, &shard_key_of(&made_by, &runs, key, &size)) {
            return Ok(());
        }
        emit(path, shard_json(&runs, key, &size))
    })?;
    let names: Vec<String> = keys.iter().map(|k| hex(k)).collect();
    let meta = serde_json::json!({
        "version": 1,
        "docs": records.len(),
        "chunk": CHUNK,
        "shards": names,
    });
    drop(runs);
    records
        .par_chunks(CHUNK)
        .enumerate()
        .try_for_each(|(k, chunk)| {
            let path = format!("{BUNDLE_DIR}/d/{k}.json");
            let docs: Vec<Doc> = chunk.iter().map(doc).collect();
            if keep(&path, &chunk_key(&made_by, &docs)) {
                return Ok(());
            }
            emit(path, json(&docs))
        })?;
    let filters = filters(records);
    let mut counts: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (name, values) in &filters {
        for (value, docs) in values {
            counts.entry(name).or_default().push((value, docs.len()));
            emit(
                format!("{BUNDLE_DIR}/f/{name}/{}.json", hex(value)),
                json(docs),
            )?;
        }
    }
    emit(format!("{BUNDLE_DIR}/f.json"), json(&counts))?;
    emit(format!("{BUNDLE_DIR}/index.json"), json(&meta))
}

/// The postings of one run of documents, grouped by term: compact, as a
/// million-article archive holds some 4,000 runs and 350 million postings
/// while its index is made.
#[derive(Default)]
pub(super) struct Run {
    /// The number of the run's first document: `docs` count from it.
    first: u32,
    /// The terms' text, one after another, terms in byte order.
    text: String,
    /// Each term's end in `text` and the end of its postings.
    ends: Vec<(u32, u32)>,
    /// The postings, term by term, documents ascending: the document
    /// (a run has at most [`MAX_RUN`] of them) and the term's weight in it.
    docs: Vec<u16>,
    weights: Vec<u8>,
}

impl Run {
    /// Adds `term`, after every term already added in byte order, with
    /// its postings; `None` if a document or weight does not fit.
    pub(super) fn push(
        &mut self,
        term: &str,
        postings: impl IntoIterator<Item = (u32, u32)>,
    ) -> Option<()> {
        self.text.push_str(term);
        for (doc, weight) in postings {
            self.docs.push(u16::try_from(doc).ok()?);
            self.weights.push(u8::try_from(weight).ok()?);
        }
        let text_end = u32::try_from(self.text.len()).ok()?;
        let pairs_end = u32::try_from(self.docs.len()).ok()?;
        self.ends.push((text_end, pairs_end));
        Some(())
    }

    /// The number of terms.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The number of postings.
    pub(super) fn pair_count(&self) -> usize {
        self.docs.len()
    }

    /// Term `t`.
    pub(super) fn term(&self, t: usize) -> &str {
        let start = if t == 0 { 0 } else { self.ends[t - 1].0 };
        &self.text[start as usize..self.ends[t].0 as usize]
    }

    /// Where term `t`'s postings are.
    fn range(&self, t: usize) -> std::ops::Range<usize> {
        let start = if t == 0 { 0 } else { self.ends[t - 1].1 };
        start as usize..self.ends[t].1 as usize
    }

    /// Term `t`'s postings as (document from the run's first, weight).
    pub(super) fn postings(&self, t: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let range = self.range(t);
        self.docs[range.clone()]
            .iter()
            .zip(&self.weights[range])
            .map(|(&d, &w)| (u32::from(d), u32::from(w)))
    }

    /// The first term not before `key`.
    fn seek(&self, key: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.term(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The run placed at document `first`.
    pub(super) fn at(mut self, first: u32) -> Run {
        self.first = first;
        self
    }

    /// The terms of `records`, numbered from 0.
    pub(super) fn count(records: &[Record]) -> Run {
        let mut ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        // Every occurrence as (term, doc, weight) in one list, and for
        // each term where its entry for the current document is: no
        // list per term to grow.
        let mut entries: Vec<(u32, u32, u32)> = Vec::new();
        let mut current: Vec<(u32, usize)> = Vec::new();
        let mut lower = String::new();
        for (i, r) in records.iter().enumerate() {
            let doc = i as u32;
            let mut add = |text: &str, weight: u32| {
                for word in super::words(text) {
                    let term = lowercase(word, &mut lower);
                    let id = match ids.get(term) {
                        Some(&id) => id,
                        None => {
                            let id = current.len() as u32;
                            ids.insert(term.into(), id);
                            current.push((u32::MAX, 0));
                            id
                        }
                    };
                    let (seen, at) = &mut current[id as usize];
                    if *seen == doc {
                        let w = &mut entries[*at].2;
                        *w = (*w + weight).min(MAX_WEIGHT);
                    } else {
                        *seen = doc;
                        *at = entries.len();
                        entries.push((id, doc, weight.min(MAX_WEIGHT)));
                    }
                }
            };
            add(&r.headline, HEADLINE);
            add(&r.standfirst, STANDFIRST);
            add(&r.body, BODY);
            for author in &r.authors {
                add(author, BYLINE);
            }
        }
        // Grouped by term with a counting sort; documents stay in order.
        let mut starts = vec![0usize; current.len() + 1];
        for &(id, _, _) in &entries {
            starts[id as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut fill = starts.clone();
        let mut pairs = vec![(0u32, 0u32); entries.len()];
        for (id, doc, weight) in entries {
            pairs[fill[id as usize]] = (doc, weight);
            fill[id as usize] += 1;
        }
        let mut terms: Vec<(Box<str>, std::ops::Range<usize>)> = ids
            .into_iter()
            .map(|(term, id)| (term, starts[id as usize]..starts[id as usize + 1]))
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut run = Run::default();
        for (term, range) in terms {
            // Documents are below MAX_RUN and weights at most MAX_WEIGHT:
            // every posting fits.
            let _ = run.push(&term, pairs[range].iter().copied());
        }
        run
    }

    /// The bytes this run's terms add under each prefix that a shard
    /// could be split by (2 to `MAX_DEPTH - 1` characters).
    fn prefix_sizes(&self) -> FxHashMap<Box<str>, usize> {
        let mut sizes: FxHashMap<Box<str>, usize> = FxHashMap::default();
        for t in 0..self.len() {
            let term = self.term(t);
            // About what the term and its pairs take in the shard's JSON.
            let size = term.len() + 4 + self.range(t).len() * 8;
            for depth in 2..MAX_DEPTH {
                match prefix(term, depth) {
                    Some(p) => match sizes.get_mut(p) {
                        Some(n) => *n += size,
                        None => {
                            sizes.insert(p.into(), size);
                        }
                    },
                    None => break,
                }
            }
        }
        sizes
    }
}

/// The first `depth` characters of `term`, if it is longer than that.
fn prefix(term: &str, depth: usize) -> Option<&str> {
    term.char_indices().nth(depth).map(|(i, _)| &term[..i])
}

/// The prefix naming `term`'s shard: two characters (or the whole of a
/// shorter term), a character more while the shard would be over budget.
/// The script finds it as the longest listed shard that begins the term.
fn shard_key(term: &str, size: impl Fn(&str) -> usize) -> &str {
    let mut depth = 2;
    loop {
        let Some(p) = prefix(term, depth) else {
            return term;
        };
        if depth == MAX_DEPTH || size(p) <= SHARD_BUDGET {
            return p;
        }
        depth += 1;
    }
}

/// `word` lower-cased as the search script's `toLowerCase` does it,
/// without allocating for the ASCII words that are most of a body.
fn lowercase<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word.is_ascii() {
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        *buf = word.to_lowercase();
    }
    buf.as_str()
}

fn doc(r: &Record) -> Doc<'_> {
    Doc {
        url: &r.url,
        title: &r.headline,
        dek: &r.dek,
        date: &r.date,
        iso: &r.iso,
        section: &r.section,
        section_url: &r.section_url,
        image: r.image.as_deref(),
    }
}

/// Each filter's values and the documents (ascending) that have them.
fn filters(records: &[Record]) -> BTreeMap<&'static str, BTreeMap<&str, Vec<u32>>> {
    let mut out: BTreeMap<&'static str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (doc, r) in records.iter().enumerate() {
        let doc = doc as u32;
        let entries: Vec<(&'static str, &str)> = std::iter::once(("section", r.section.as_str()))
            .chain(r.tags.iter().map(|t| ("tag", t.as_str())))
            .chain(r.authors.iter().map(|a| ("author", a.as_str())))
            .chain(std::iter::once(("year", r.year.as_str())))
            .collect();
        for (name, value) in entries {
            let docs = out.entry(name).or_default().entry(value).or_default();
            if docs.last() != Some(&doc) {
                docs.push(doc);
            }
        }
    }
    out
}

fn hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `{"term":[gap,weight,…],…}` for the shard `key`, written by hand:
/// it is most of the index. Terms are in byte order; a term's list is
/// its runs' lists in run (so document) order. A shard's terms begin
/// with its key, so in each run they follow one another from the first
/// term not before it; those a deeper shard takes are left out.
fn shard_json(runs: &[Run], key: &str, size: &(dyn Fn(&str) -> usize + Sync)) -> Vec<u8> {
    // Each term with its run.
    let mut terms: Vec<(&str, &Run, usize)> = runs
        .iter()
        .flat_map(|run| shard_terms(run, key, size).map(move |t| (run.term(t), run, t)))
        .collect();
    // Stable: equal terms keep their runs' order.
    terms.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::from("{");
    let mut number = itoa::Buffer::new();
    let mut last: Option<&str> = None;
    // Documents are written as the gap from the term's previous one:
    // small numbers, about half the bytes of the documents themselves.
    let mut previous = 0;
    for (term, run, t) in terms {
        if last == Some(term) {
            out.push(',');
        } else {
            previous = 0;
            if last.is_some() {
                out.push_str("],");
            }
            out.push_str(&serde_json::to_string(term).unwrap_or_default());
            out.push_str(":[");
            last = Some(term);
        }
        for (j, (doc, weight)) in run.postings(t).enumerate() {
            let doc = run.first + doc;
            if j > 0 {
                out.push(',');
            }
            out.push_str(number.format(doc - previous));
            previous = doc;
            out.push(',');
            out.push_str(number.format(weight));
        }
    }
    if last.is_some() {
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

/// The terms of `run` that shard `key` holds, in byte order. They begin
/// with the key, so they follow one another from the first term not
/// before it; those a deeper shard takes are left out.
fn shard_terms<'a>(
    run: &'a Run,
    key: &'a str,
    size: &'a (dyn Fn(&str) -> usize + Sync),
) -> impl Iterator<Item = usize> + 'a {
    (run.seek(key)..run.len())
        .take_while(move |&t| run.term(t).starts_with(key))
        .filter(move |&t| shard_key(run.term(t), size) == key)
}

/// What shard `key`'s bytes are made from: each run's first document
/// and the terms it gives the shard, with their postings — all that
/// [`shard_json`] reads.
fn shard_key_of(
    made_by: &Key,
    runs: &[Run],
    key: &str,
    size: &(dyn Fn(&str) -> usize + Sync),
) -> Key {
    let mut k = KeyBuilder::new("shard");
    k.bytes(made_by.bytes()).bytes(key.as_bytes());
    let mut part: Vec<u8> = Vec::new();
    for run in runs {
        part.clear();
        for t in shard_terms(run, key, size) {
            let term = run.term(t);
            let range = run.range(t);
            part.extend_from_slice(&(term.len() as u32).to_le_bytes());
            part.extend_from_slice(term.as_bytes());
            part.extend_from_slice(&(range.len() as u32).to_le_bytes());
            for d in &run.docs[range.clone()] {
                part.extend_from_slice(&d.to_le_bytes());
            }
            part.extend_from_slice(&run.weights[range]);
        }
        if !part.is_empty() {
            k.u64(u64::from(run.first)).bytes(&part);
        }
    }
    k.key()
}

/// What a result chunk's bytes are made from: its documents' fields.
fn chunk_key(made_by: &Key, docs: &[Doc<'_>]) -> Key {
    let mut k = KeyBuilder::new("chunk");
    k.bytes(made_by.bytes());
    for d in docs {
        for field in [
            d.url,
            d.title,
            d.dek,
            d.date,
            d.iso,
            d.section,
            d.section_url,
        ] {
            k.bytes(field.as_bytes());
        }
        match d.image {
            Some(image) => k.u64(1).bytes(image.as_bytes()),
            None => k.u64(0),
        };
    }
    k.key()
}

fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, headline: &str, body: &str, timestamp: i64) -> Record {
        Record {
            url: url.into(),
            headline: headline.into(),
            body: body.into(),
            section: "News".into(),
            year: "2026".into(),
            timestamp,
            ..Record::default()
        }
    }

    #[test]
    fn documents_are_oldest_first_and_terms_point_at_them() {
        let files: BTreeMap<String, Vec<u8>> = index(vec![
            record("/new/", "Harbor opens", "Ferries sail.", 2),
            record("/old/", "Harbor closes", "Boats wait.", 1),
            record("/a-same-second/", "Harbor waits", "", 1),
        ])
        .into_iter()
        .collect();
        let docs: serde_json::Value =
            serde_json::from_slice(&files["search-index/d/0.json"]).unwrap();
        // Read downwards, newest first; in one second, by URL.
        assert_eq!(docs[2]["url"], "/new/");
        assert_eq!(docs[1]["url"], "/a-same-second/");
        assert_eq!(docs[0]["url"], "/old/");
        let shard: serde_json::Value =
            serde_json::from_slice(&files[&format!("search-index/t/{}.json", hex("ha"))]).unwrap();
        assert_eq!(
            shard["harbor"],
            serde_json::json!([0, HEADLINE, 1, HEADLINE, 1, HEADLINE])
        );
        let many: Vec<Record> = (0..3)
            .map(|i| record(&format!("/{i}/"), "Tide", "", 10 + i * 3))
            .collect();
        let files: BTreeMap<String, Vec<u8>> = index(many).into_iter().collect();
        let shard: serde_json::Value =
            serde_json::from_slice(&files[&format!("search-index/t/{}.json", hex("ti"))]).unwrap();
        // Gaps from the previous document: 0, 1, 2 written as 0, 1, 1.
        assert_eq!(
            shard["tide"],
            serde_json::json!([0, HEADLINE, 1, HEADLINE, 1, HEADLINE])
        );
        assert_eq!(shard_json(&[], "a", &|_| 0), b"{}");
    }

    #[test]
    fn a_new_newest_story_renumbers_nothing() {
        let archive: Vec<Record> = (0..60)
            .map(|i| record(&format!("/s{i}/"), "Tide report", "Calm seas.", i))
            .collect();
        let before: BTreeMap<String, Vec<u8>> = index(archive.clone()).into_iter().collect();
        let mut grown = archive;
        grown.push(record("/new/", "Harbor opens", "Ferries sail.", 1000));
        let after: BTreeMap<String, Vec<u8>> = index(grown).into_iter().collect();
        let tide = format!("search-index/t/{}.json", hex("ti"));
        assert_eq!(before[&tide], after[&tide], "a shard of words it lacks");
        for chunk in ["search-index/d/0.json", "search-index/d/1.json"] {
            assert_eq!(before[chunk], after[chunk], "{chunk}");
        }
        let last: serde_json::Value =
            serde_json::from_slice(&after["search-index/d/2.json"]).unwrap();
        assert_eq!(last[10]["url"], "/new/", "numbered 60, the last");
    }

    /// The shard the script would read for `term`.
    fn shard_of<'a>(files: &'a BTreeMap<String, Vec<u8>>, term: &str) -> &'a str {
        let meta: serde_json::Value =
            serde_json::from_slice(&files["search-index/index.json"]).unwrap();
        let key = meta["shards"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|k| k.as_str())
            .filter(|k| hex(term).starts_with(k))
            .max_by_key(|k| k.len())
            .unwrap()
            .to_string();
        files
            .keys()
            .find(|p| **p == format!("search-index/t/{key}.json"))
            .unwrap()
    }

    #[test]
    fn a_crowded_shard_splits_and_every_term_is_where_the_script_looks() {
        let records: Vec<Record> = (0..14_000)
            .map(|i| record(&format!("/s{i}/"), "Concert council", "cod co c", i))
            .collect();
        let files: BTreeMap<String, Vec<u8>> = index(records).into_iter().collect();
        for (term, shard) in [
            ("concert", "conc"),
            ("council", "coun"),
            ("cod", "cod"),
            ("co", "co"),
            ("c", "c"),
        ] {
            let path = shard_of(&files, term);
            assert_eq!(path, format!("search-index/t/{}.json", hex(shard)));
            let json: serde_json::Value = serde_json::from_slice(&files[path]).unwrap();
            assert_eq!(json[term].as_array().unwrap().len(), 28_000, "{term}");
        }
        assert!(!files.contains_key(&format!("search-index/t/{}.json", hex("con"))));
    }

    #[test]
    fn shards_take_two_characters_of_any_script_and_more_when_crowded() {
        let small = |_: &str| 0;
        assert_eq!(shard_key("ferry", small), "fe");
        assert_eq!(shard_key("ñu", small), "ñu");
        assert_eq!(shard_key("東京都", small), "東京");
        assert_eq!(shard_key("a", small), "a");
        let crowded = |p: &str| {
            if p.starts_with("co") {
                SHARD_BUDGET + 1
            } else {
                0
            }
        };
        assert_eq!(shard_key("council", crowded), "coun");
        assert_eq!(shard_key("cod", crowded), "cod");
        assert_eq!(shard_key("co", crowded), "co");
        assert_eq!(shard_key("ferry", crowded), "fe");
    }
}
