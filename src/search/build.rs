//! Writing the index: terms counted per document in parallel, merged
//! into postings, then sharded by their first characters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{Record, BUNDLE_DIR};

/// A term and its (document, weight) pairs, documents ascending.
type Postings<'a> = (&'a str, Vec<(u32, u32)>);

/// Documents per result chunk: a page of results is usually one file.
const CHUNK: usize = 100;

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
    records.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(a.url.cmp(&b.url)));
    let per_doc: Vec<FxHashMap<String, u32>> = records.par_iter().map(weights).collect();
    // Terms are hashed while merging and sorted once, at the end.
    let mut postings: FxHashMap<&str, Vec<(u32, u32)>> = FxHashMap::default();
    for (doc, terms) in per_doc.iter().enumerate() {
        for (term, &weight) in terms {
            postings
                .entry(term.as_str())
                .or_default()
                .push((doc as u32, weight.min(MAX_WEIGHT)));
        }
    }
    let mut postings: Vec<Postings> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut shards: BTreeMap<String, Vec<Postings>> = BTreeMap::new();
    for (term, mut list) in postings {
        list.sort_unstable();
        shards.entry(shard(term)).or_default().push((term, list));
    }

    let mut files: Vec<(String, Vec<u8>)> = shards
        .par_iter()
        .map(|(key, terms)| (format!("{BUNDLE_DIR}/t/{key}.json"), shard_json(terms)))
        .collect();
    for (k, chunk) in records.chunks(CHUNK).enumerate() {
        let docs: Vec<Doc> = chunk.iter().map(doc).collect();
        files.push((format!("{BUNDLE_DIR}/d/{k}.json"), json(&docs)));
    }
    let filters = filters(&records);
    let mut counts: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (name, values) in &filters {
        for (value, docs) in values {
            counts.entry(name).or_default().push((value, docs.len()));
            files.push((
                format!("{BUNDLE_DIR}/f/{name}/{}.json", hex(value)),
                json(docs),
            ));
        }
    }
    files.push((format!("{BUNDLE_DIR}/f.json"), json(&counts)));
    let meta = serde_json::json!({
        "version": 1,
        "docs": records.len(),
        "chunk": CHUNK,
        "shards": shards.keys().collect::<Vec<_>>(),
    });
    files.push((format!("{BUNDLE_DIR}/index.json"), json(&meta)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn weights(r: &Record) -> FxHashMap<String, u32> {
    let mut w: FxHashMap<String, u32> = FxHashMap::default();
    // One buffer for every word: a term is allocated once per document,
    // not once per occurrence.
    let mut buf = String::new();
    let mut add = |text: &str, weight: u32| {
        for word in super::words(text) {
            buf.clear();
            buf.extend(word.chars().flat_map(char::to_lowercase));
            match w.get_mut(buf.as_str()) {
                Some(n) => *n += weight,
                None => {
                    w.insert(buf.clone(), weight);
                }
            }
        }
    };
    add(&r.headline, HEADLINE);
    add(&r.standfirst, STANDFIRST);
    add(&r.body, BODY);
    for author in &r.authors {
        add(author, BYLINE);
    }
    w
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

/// The shard of a term: its first two characters (one for one-letter
/// terms), as hex of their UTF-8 bytes so any script makes a safe name.
pub fn shard(term: &str) -> String {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    hex(&term[..end])
}

fn hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `{"term":[doc,weight,…],…}`, written by hand: it is most of the index.
fn shard_json(terms: &[Postings]) -> Vec<u8> {
    let mut out = String::from("{");
    for (i, (term, list)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(term).unwrap_or_default());
        out.push_str(":[");
        for (j, (doc, weight)) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{doc},{weight}");
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
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
    fn documents_are_newest_first_and_terms_point_at_them() {
        let files: BTreeMap<String, Vec<u8>> = index(vec![
            record("/old/", "Harbor closes", "Boats wait.", 1),
            record("/new/", "Harbor opens", "Ferries sail.", 2),
        ])
        .into_iter()
        .collect();
        let docs: serde_json::Value =
            serde_json::from_slice(&files["search-index/d/0.json"]).unwrap();
        assert_eq!(docs[0]["url"], "/new/");
        assert_eq!(docs[1]["url"], "/old/");
        let shard: serde_json::Value =
            serde_json::from_slice(&files[&format!("search-index/t/{}.json", shard("harbor"))])
                .unwrap();
        assert_eq!(
            shard["harbor"],
            serde_json::json!([0, HEADLINE, 1, HEADLINE])
        );
        assert_eq!(shard_json(&[]), b"{}");
    }

    #[test]
    fn shards_take_two_characters_of_any_script() {
        assert_eq!(shard("ferry"), "6665");
        assert_eq!(shard("ñu"), hex("ñu"));
        assert_eq!(shard("東京"), hex("東京"));
        assert_eq!(shard("a"), "61");
    }
}
