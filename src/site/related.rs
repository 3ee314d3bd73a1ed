//! Resolves `related:` entries to articles of the site.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use super::{Site, Status};
use crate::content::{Article, RelatedTarget};
use crate::error::Diagnostic;

/// A related link after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelatedLink {
    /// Another published article, by index into `Site::articles`.
    Article(usize),
    /// A link off the site.
    External { title: String, url: String },
}

/// Finds articles by `slug` or `section/slug`, as `related:` and the
/// `related(to=…)` shortcode name them.
pub(crate) struct Lookup<'a> {
    articles: &'a [Arc<Article>],
    all_keys: &'a [(String, Status)],
    by_key: FxHashMap<String, usize>,
    by_slug: FxHashMap<&'a str, Vec<usize>>,
}

impl<'a> Lookup<'a> {
    pub(crate) fn new(
        articles: &'a [Arc<Article>],
        all_keys: &'a [(String, Status)],
    ) -> Lookup<'a> {
        let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
        let mut by_slug: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, a) in articles.iter().enumerate() {
            by_key.insert(format!("{}/{}", a.section, a.slug), i);
            by_slug.entry(a.slug.as_str()).or_default().push(i);
        }
        Lookup {
            articles,
            all_keys,
            by_key,
            by_slug,
        }
    }

    pub(crate) fn find(&self, key: &str) -> Result<usize, Problem> {
        match self.by_key.get(key) {
            Some(&i) => Ok(i),
            None if !key.contains('/') => match self.by_slug.get(key).map(Vec::as_slice) {
                Some([i]) => Ok(*i),
                Some(many) => Err(ambiguous(key, many, self.articles)),
                None => Err(missing(key, self.all_keys)),
            },
            None => Err(missing(key, self.all_keys)),
        }
    }
}

fn problem_at(
    a: &Article,
    line: usize,
    column: Option<usize>,
    (message, hint): Problem,
) -> Diagnostic {
    let d = Diagnostic::at(&a.source, line, column, message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// Resolves every article's related entries. `all_keys` lists the
/// `section/slug` of every article including unpublished ones, so a link to
/// a draft or an embargoed story can say so instead of "not found".
pub(crate) fn resolve(
    articles: &[Arc<Article>],
    all_keys: &[(String, Status)],
) -> Result<Vec<Vec<RelatedLink>>, Vec<Diagnostic>> {
    let lookup = Lookup::new(articles, all_keys);
    let mut errors = Vec::new();
    let mut resolved = Vec::with_capacity(articles.len());
    for a in articles {
        let mut links = Vec::with_capacity(a.related.len());
        for r in &a.related {
            let key = match &r.target {
                RelatedTarget::External { title, url } => {
                    links.push(RelatedLink::External {
                        title: title.clone(),
                        url: url.clone(),
                    });
                    continue;
                }
                RelatedTarget::Article(key) => key,
            };
            match lookup.find(key) {
                Ok(i) => links.push(RelatedLink::Article(i)),
                Err(problem) => errors.push(problem_at(a, r.line, None, problem)),
            }
        }
        resolved.push(links);
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

/// The targets of each article's `related(to=…)` shortcodes, as (call,
/// article) pairs, checked exactly like `related:` entries. A call without
/// a string `to` is left for the renderer to report.
pub(crate) fn resolve_inline(
    articles: &[Arc<Article>],
    all_keys: &[(String, Status)],
) -> Result<Vec<Vec<(usize, usize)>>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut resolved = vec![Vec::new(); articles.len()];
    if articles.iter().all(|a| a.calls.is_empty()) {
        return Ok(resolved);
    }
    let lookup = Lookup::new(articles, all_keys);
    for (a, out) in articles.iter().zip(&mut resolved) {
        for (n, call) in a.calls.iter().enumerate() {
            let Some(crate::markdown::Arg::Str(key)) =
                call.arg("to").filter(|_| call.name == "related")
            else {
                continue;
            };
            match lookup.find(key.trim().trim_matches('/')) {
                Ok(t) => out.push((n, t)),
                Err(problem) => errors.push(problem_at(a, call.line, Some(call.column), problem)),
            }
        }
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

pub(crate) type Problem = (String, Option<String>);

fn ambiguous(key: &str, candidates: &[usize], articles: &[Arc<Article>]) -> Problem {
    let options: Vec<String> = candidates
        .iter()
        .map(|&i| format!("`{}/{}`", articles[i].section, articles[i].slug))
        .collect();
    (
        format!("related article `{key}` is ambiguous: several articles have that slug"),
        Some(format!("write the section too: {}", options.join(" or "))),
    )
}

fn missing(key: &str, all_keys: &[(String, Status)]) -> Problem {
    let status = all_keys
        .iter()
        .find(|(k, _)| k == key || k.rsplit('/').next() == Some(key))
        .map(|(_, s)| *s);
    match status {
        Some(Status::Draft) => {
            return (
                format!("related article `{key}` is a draft and is not published"),
                Some("remove the link, or publish the draft (or build with --drafts)".into()),
            )
        }
        Some(Status::Embargoed(until)) => {
            return (
                format!("related article `{key}` is embargoed until {}", until.to_rfc3339()),
                Some("a published story cannot point to one that is not out yet; add the link when it is".into()),
            )
        }
        _ => {}
    }
    let names: Vec<&str> = all_keys.iter().map(|(k, _)| k.as_str()).collect();
    let wanted_slug = key.rsplit('/').next().unwrap_or(key);
    let hint = names
        .iter()
        .min_by_key(|k| strsim::levenshtein(k.rsplit('/').next().unwrap_or(k), wanted_slug))
        .filter(|k| strsim::levenshtein(k.rsplit('/').next().unwrap_or(k), wanted_slug) <= 3)
        .map(|k| format!("did you mean `{k}`?"));
    (format!("related article `{key}` not found"), hint)
}

/// How far, in each tag's list, to look on either side of an article for
/// stories to suggest. Bounded so a tag on half the archive costs the same
/// as a rare one: the suggestions favour stories close in time anyway.
const WINDOW: usize = 25;

/// Up to `n` stories to suggest beside article `i`, explicit `related`
/// links excluded: those sharing its tags, rarer tags weighing more
/// (inverse document frequency), ties going to the story closest in time,
/// then to the newer one. Deterministic.
pub fn computed_related(site: &Site, i: usize, n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let article = &site.articles[i];
    let total = site.articles.len() as f64;
    // Every (candidate, weight) hit, summed per candidate after sorting:
    // a few hundred entries, cheaper than hashing each one. Hits are
    // numbered in tag order and sorted by (candidate, number), so the sums
    // add in tag order and are the same on every run.
    let mut hits: Vec<(usize, u32, f64)> = Vec::new();
    for &(t, at) in &site.article_tags[i] {
        let list = &site.tags[t].articles;
        let weight = ((total + 1.0) / list.len() as f64).ln();
        let window = &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())];
        hits.extend(window.iter().filter(|&&c| c != i).map(|&c| (c, 0, weight)));
    }
    for (n, hit) in hits.iter_mut().enumerate() {
        hit.1 = n as u32;
    }
    hits.sort_unstable_by_key(|&(c, n, _)| (c, n));
    let explicit: Vec<usize> = site.related[i]
        .iter()
        .filter_map(|r| match r {
            RelatedLink::Article(t) => Some(*t),
            RelatedLink::External { .. } => None,
        })
        .collect();
    let mut ranked: Vec<(usize, f64)> = Vec::new();
    for (c, _, weight) in hits {
        match ranked.last_mut() {
            Some(last) if last.0 == c => last.1 += weight,
            _ => ranked.push((c, weight)),
        }
    }
    ranked.retain(|(c, _)| !explicit.contains(c));
    // Dates break ties, but reading one means a cache miss on another
    // article, so only the candidates that tie with the n-th best are read;
    // finding the n-th best needs no full sort.
    if ranked.len() > n {
        let (_, &mut (_, cutoff), _) =
            ranked.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.retain(|&(_, score)| score >= cutoff);
    }
    let at = article.date.timestamp();
    let mut ranked: Vec<(usize, f64, u64)> = ranked
        .into_iter()
        .map(|(c, score)| (c, score, site.articles[c].date.timestamp().abs_diff(at)))
        .collect();
    // The key is total (index last), so an unstable sort is deterministic.
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(c, _, _)| c).collect()
}
