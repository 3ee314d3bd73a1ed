//! The stories suggested beside every article ([`computed_related`]),
//! worked out once a build and kept in the cache under a hash of all
//! they are worked out from: which tags each article has and where it
//! stands in them, every tag's list, every article's date and how many
//! links it names itself. An edit to a story's words changes none of
//! these, so a rebuild reads the suggestions back instead of weighing
//! some hundred candidates for each of the archive's articles (a third
//! of a second at 100,000 articles) to key its pages.

use rayon::prelude::*;

use super::related::computed_related;
use super::{RelatedLink, Site};
use crate::cache::bytes::{Reader, Writer};
use crate::cache::{Cache, Key, KeyBuilder};

const STORE: &str = "suggested";

/// Each article's suggestions, in order.
pub struct Suggested(Vec<Vec<u32>>);

impl Suggested {
    /// The suggestions for every article of `site`, up to `limit` links
    /// in all beside each, read from `cache` if it holds them.
    pub fn of(site: &Site, limit: usize, cache: &Cache) -> Suggested {
        let key = inputs(site, limit);
        if let Some(found) = cache.get(STORE, &key).and_then(|b| decode(&b, site)) {
            return found;
        }
        let made = Suggested::compute(site, limit);
        // Best effort, as every store: without it the next build computes.
        let _ = cache.put(STORE, &key, &made.encode());
        let _ = cache.prune(STORE, &[key].into());
        made
    }

    /// The suggestions worked out afresh.
    pub fn compute(site: &Site, limit: usize) -> Suggested {
        Suggested(
            (0..site.articles.len())
                .into_par_iter()
                .map(|i| {
                    computed_related(site, i, wanted(site, i, limit))
                        .into_iter()
                        .map(|t| t as u32)
                        .collect()
                })
                .collect(),
        )
    }

    /// Article `i`'s suggestions.
    pub fn of_article(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.0.get(i).into_iter().flatten().map(|&t| t as usize)
    }

    fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.0.len() * 16 + 8));
        w.len(self.0.len());
        for list in &self.0 {
            w.len(list.len());
            for &t in list {
                w.bytes_raw(&t.to_le_bytes());
            }
        }
        w.0
    }
}

/// How many suggestions article `i` gets: what its own links leave.
fn wanted(site: &Site, i: usize, limit: usize) -> usize {
    limit.saturating_sub(site.related[i].len())
}

/// Everything [`computed_related`] reads, hashed.
fn inputs(site: &Site, limit: usize) -> Key {
    let mut k = KeyBuilder::new(STORE);
    k.executable();
    k.u64(site.articles.len() as u64);
    for (i, a) in site.articles.iter().enumerate() {
        k.u64(wanted(site, i, limit) as u64);
        k.u64(a.date.timestamp() as u64);
        k.u64(site.article_tags[i].len() as u64);
        for &(t, at) in &site.article_tags[i] {
            k.u64(t as u64).u64(at as u64);
        }
        for r in &site.related[i] {
            if let RelatedLink::Article(t) = r {
                k.u64(*t as u64);
            }
        }
        k.bytes(b"|");
    }
    for tag in &site.tags {
        k.u64(tag.articles.len() as u64);
        for &a in &tag.articles {
            k.u64(a as u64);
        }
    }
    k.key()
}

/// A stored list, if it is whole and names only articles of `site`.
fn decode(bytes: &[u8], site: &Site) -> Option<Suggested> {
    let mut r = Reader(bytes);
    let n = r.len()?;
    if n != site.articles.len() {
        return None;
    }
    let mut lists = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.len()?;
        let raw = r.take(len.checked_mul(4)?)?;
        let list: Vec<u32> = raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if list.iter().any(|&t| t as usize >= n) {
            return None;
        }
        lists.push(list);
    }
    r.is_empty().then_some(Suggested(lists))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_list_reads_back_and_damage_is_refused() {
        let site = crate::site::tests::sample_site(12);
        let made = Suggested::compute(&site, 3);
        assert!(
            made.0.iter().any(|l| !l.is_empty()),
            "the sample suggests something"
        );
        let bytes = made.encode();
        let back = decode(&bytes, &site).expect("reads back");
        assert_eq!(back.0, made.0);
        assert!(decode(&bytes[..bytes.len() - 1], &site).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, &site).is_none());
    }

    #[test]
    fn the_cache_serves_the_same_suggestions_and_a_new_limit_is_another_entry() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let site = crate::site::tests::sample_site(12);
        let first = Suggested::of(&site, 3, &cache);
        assert_eq!(first.0, Suggested::compute(&site, 3).0);
        assert!(cache.has(STORE, &inputs(&site, 3)));
        let again = Suggested::of(&site, 3, &cache);
        assert_eq!(again.0, first.0);
        assert_ne!(inputs(&site, 3), inputs(&site, 2));
        let fewer = Suggested::of(&site, 2, &cache);
        assert_eq!(fewer.0, Suggested::compute(&site, 2).0);
    }
}
