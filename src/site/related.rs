//! Resolves `related:` entries to articles of the site.

use std::collections::HashMap;
use std::sync::Arc;

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

/// Resolves every article's related entries. `all_keys` lists the
/// `section/slug` of every article including drafts, so a link to a draft
/// can say so instead of "not found".
pub fn resolve(
    articles: &[Arc<Article>],
    all_keys: &[(String, bool)],
) -> Result<Vec<Vec<RelatedLink>>, Vec<Diagnostic>> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut by_slug: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        by_key.insert(format!("{}/{}", a.section, a.slug), i);
        by_slug.entry(a.slug.as_str()).or_default().push(i);
    }
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
            let found = match by_key.get(key) {
                Some(&i) => Ok(i),
                None if !key.contains('/') => match by_slug.get(key.as_str()).map(Vec::as_slice) {
                    Some([i]) => Ok(*i),
                    Some(many) => Err(ambiguous(key, many, articles)),
                    None => Err(missing(key, all_keys)),
                },
                None => Err(missing(key, all_keys)),
            };
            match found {
                Ok(i) => links.push(RelatedLink::Article(i)),
                Err((message, hint)) => {
                    let d = Diagnostic::at(&a.source, r.line, None, message);
                    errors.push(match hint {
                        Some(h) => d.with_hint(h),
                        None => d,
                    });
                }
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

type Problem = (String, Option<String>);

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

fn missing(key: &str, all_keys: &[(String, bool)]) -> Problem {
    let is_draft = all_keys
        .iter()
        .any(|(k, draft)| *draft && (k == key || k.rsplit('/').next() == Some(key)));
    if is_draft {
        return (
            format!("related article `{key}` is a draft and is not published"),
            Some("remove the link, or publish the draft (or build with --drafts)".into()),
        );
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
