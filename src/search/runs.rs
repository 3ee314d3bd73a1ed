//! Counting the terms of a big archive once: the documents are cut into
//! runs at points their own URLs choose (see `build::cut`, which the
//! plain index uses too, so both give the same bytes), and each run's
//! counted terms are kept in the build cache under the keys of its
//! documents. A rebuild counts again only the runs whose documents
//! changed. A new story, the newest, takes the last number; one dated
//! among older stories shifts the numbers of every document after it,
//! but no run's contents, since runs store their documents' numbers from
//! their own first.

use rayon::prelude::*;

use super::build::{assemble, cut, oldest_first, Emit, Keep, Run};
use super::Record;
use crate::cache::bytes::{Reader, Writer};
use crate::cache::{Cache, Key, KeyBuilder};

/// Where the counted runs are kept.
pub const STORE: &str = "search";

/// Emits the index for `records` (their bodies empty), `keys[i]` naming
/// all that `records[i]` is made of; `body(i)` fills record `i`'s body
/// when its run must be counted; files `keep` keeps are not emitted. Returns the keys of the runs used, for
/// pruning the store.
pub fn index_cached<E: Send>(
    records: Vec<Record>,
    keys: &[Key],
    cache: &Cache,
    body: &(dyn Fn(usize) -> Result<String, E> + Sync),
    keep: Keep<'_>,
    emit: Emit<'_, E>,
) -> Result<Vec<Key>, E> {
    let mut records: Vec<(Record, usize)> = records.into_iter().zip(0..).collect();
    records.sort_by(|(a, _), (b, _)| oldest_first(a, b));
    let bounds = cut(records.iter().map(|(r, _)| r.url.as_str()));
    let run_keys: Vec<Key> = bounds
        .iter()
        .map(|r| {
            let mut k = KeyBuilder::new(STORE);
            for (_, i) in &records[r.clone()] {
                k.bytes(keys[*i].bytes());
            }
            k.key()
        })
        .collect();
    let runs: Vec<Run> = bounds
        .par_iter()
        .zip(&run_keys)
        .map(|(range, key)| {
            if let Some(run) = cache.get(STORE, key).and_then(|b| decode(&b)) {
                return Ok(run.at(range.start as u32));
            }
            let mut chunk: Vec<Record> = records[range.clone()]
                .iter()
                .map(|(r, _)| r.clone())
                .collect();
            for (r, (_, i)) in chunk.iter_mut().zip(&records[range.clone()]) {
                r.body = body(*i)?;
            }
            let run = Run::count(&chunk);
            // Best effort: a run not kept is counted again next time.
            let _ = cache.put(STORE, key, &encode(&run));
            Ok(run.at(range.start as u32))
        })
        .collect::<Result<_, E>>()?;
    let records: Vec<Record> = records.into_iter().map(|(r, _)| r).collect();
    assemble(&records, runs, keep, emit)?;
    Ok(run_keys)
}

/// A run as stored: its terms with their pair counts, then every pair,
/// term by term, as document and weight.
fn encode(run: &Run) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(
        run.len() * 16 + run.pair_count() * 5 + 16,
    ));
    w.len(run.len());
    w.len(run.pair_count());
    for t in 0..run.len() {
        w.str(run.term(t));
        w.len(run.postings(t).count());
    }
    // In term order, so a decoded term's pairs follow the previous one's.
    for t in 0..run.len() {
        for (doc, weight) in run.postings(t) {
            w.bytes_raw(&doc.to_le_bytes());
            w.bytes_raw(&[weight.min(255) as u8]);
        }
    }
    w.0
}

fn decode(bytes: &[u8]) -> Option<Run> {
    let mut r = Reader(bytes);
    let n_terms = r.len()?;
    let n_pairs = r.len()?;
    // Counts from the file are checked against its length before use.
    if n_terms > bytes.len() || n_pairs > bytes.len() / 5 {
        return None;
    }
    let mut terms: Vec<(&str, usize)> = Vec::with_capacity(n_terms);
    let mut total = 0usize;
    for _ in 0..n_terms {
        let text = r.str()?;
        let count = r.len()?;
        total = total.checked_add(count)?;
        terms.push((text, count));
    }
    if total != n_pairs {
        return None;
    }
    let mut pairs = r.take(n_pairs.checked_mul(5)?)?.chunks_exact(5).map(|p| {
        (
            u32::from_le_bytes([p[0], p[1], p[2], p[3]]),
            u32::from(p[4]),
        )
    });
    let mut run = Run::default();
    for (text, count) in terms {
        run.push(text, pairs.by_ref().take(count))?;
    }
    r.is_empty().then_some(run)
}

#[cfg(test)]
mod tests {
    use super::super::build::MAX_RUN;
    use super::*;

    fn record(n: usize) -> Record {
        Record {
            url: format!("/s{n}/"),
            headline: format!("Harbor story {n}"),
            body: String::new(),
            section: "News".into(),
            year: "2026".into(),
            timestamp: n as i64 * 60,
            ..Record::default()
        }
    }

    fn body(n: usize) -> String {
        format!("ferries council tide{} word{n}", n % 7)
    }

    fn key(n: usize, version: u64) -> Key {
        KeyBuilder::new("t").u64(n as u64).u64(version).key()
    }

    /// The keys of `n` records, record `edited` in its second version.
    fn keys_of(n: usize, edited: Option<usize>) -> Vec<Key> {
        (0..n)
            .map(|i| key(i, u64::from(Some(i) == edited)))
            .collect()
    }

    /// Record `i`'s body, changed if it is the `edited` one.
    fn body_of(i: usize, edited: Option<usize>) -> String {
        if Some(i) == edited {
            "edited".to_string()
        } else {
            body(i)
        }
    }

    /// The plain index of `n` records with their bodies.
    fn plain(n: usize, edited: Option<usize>) -> Vec<(String, Vec<u8>)> {
        super::super::index(
            (0..n)
                .map(|i| Record {
                    body: body_of(i, edited),
                    ..record(i)
                })
                .collect(),
        )
    }

    #[test]
    fn cached_runs_give_the_plain_index_and_count_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let n = 3000;
        let counted = std::sync::atomic::AtomicUsize::new(0);
        let build = |n: usize, edited: Option<usize>| {
            counted.store(0, std::sync::atomic::Ordering::SeqCst);
            let keys = keys_of(n, edited);
            let files = super::super::build::collect(|emit| {
                index_cached(
                    (0..n).map(record).collect(),
                    &keys,
                    &cache,
                    &|i| {
                        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        Ok(body_of(i, edited))
                    },
                    &super::super::build::keep_none,
                    emit,
                )
                .map(|_| ())
            });
            (files, counted.load(std::sync::atomic::Ordering::SeqCst))
        };
        let (first, all) = build(n, None);
        assert_eq!(all, n);
        assert!(
            first == plain(n, None),
            "cached index differs from the plain one"
        );
        let (again, none) = build(n, None);
        assert_eq!(none, 0, "nothing changed, nothing counted");
        assert!(again == first);
        let (edited, some) = build(n, Some(1234));
        assert!(edited == plain(n, Some(1234)));
        assert!(some > 0 && some <= MAX_RUN * 2, "counted {some}");
        // A newer story takes the last number: only the last run grows.
        let (grown, few) = build(n + 1, None);
        assert!(grown == plain(n + 1, None));
        assert!(few <= MAX_RUN, "counted {few} of {}", n + 1);
    }

    #[test]
    fn files_made_from_the_last_builds_keys_are_kept_and_the_rest_made() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let n = 2000;
        let last: std::sync::Mutex<std::collections::HashMap<String, Key>> = Default::default();
        // Each build: the files emitted, and the paths kept.
        let build = |edited: Option<usize>| {
            let keys = keys_of(n, edited);
            let seen: std::sync::Mutex<Vec<(String, Key)>> = Default::default();
            let kept: std::sync::Mutex<Vec<String>> = Default::default();
            let files = super::super::build::collect(|emit| {
                index_cached(
                    (0..n).map(record).collect(),
                    &keys,
                    &cache,
                    &|i| Ok(body_of(i, edited)),
                    &|path, key| {
                        seen.lock().unwrap().push((path.to_string(), *key));
                        let same = last.lock().unwrap().get(path) == Some(key);
                        if same {
                            kept.lock().unwrap().push(path.to_string());
                        }
                        same
                    },
                    emit,
                )
                .map(|_| ())
            });
            *last.lock().unwrap() = seen.into_inner().unwrap().into_iter().collect();
            (files, kept.into_inner().unwrap())
        };
        let (first, none) = build(None);
        assert!(none.is_empty());
        assert!(first == plain(n, None));
        let (again, all) = build(None);
        assert!(
            again
                .iter()
                .all(|(p, _)| !p.contains("/t/") && !p.contains("/d/")),
            "nothing changed: no shard or chunk made again"
        );
        assert_eq!(all.len(), last.lock().unwrap().len());
        // An edit: the files it changes are made; the kept ones are the
        // first build's bytes, and the two together are the plain index.
        let (edited, kept) = build(Some(1234));
        let made: Vec<&String> = edited.iter().map(|(p, _)| p).collect();
        assert!(made.iter().any(|p| p.contains("/t/")), "a shard changed");
        assert!(
            kept.len() > made.len(),
            "most files kept: {} kept, {} made",
            kept.len(),
            made.len()
        );
        let mut whole: Vec<(String, Vec<u8>)> = edited.clone();
        for path in &kept {
            let (_, bytes) = first.iter().find(|(p, _)| p == path).unwrap();
            whole.push((path.clone(), bytes.clone()));
        }
        whole.sort();
        assert!(whole == plain(n, Some(1234)));
    }

    #[test]
    fn a_damaged_run_is_not_used() {
        let run = Run::count(&[Record {
            body: "ferries sail".into(),
            ..record(1)
        }]);
        let bytes = encode(&run);
        assert!(decode(&bytes).is_some());
        for cut in [0, 3, 8, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
