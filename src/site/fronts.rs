//! The editors' picks for the fronts and the breaking banner, resolved
//! against the published articles as of the build's time.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::related::Lookup;
use super::{Section, Status};
use crate::content::fronts::{BannerLink, Fronts, FRONTS_FILE};
use crate::content::Article;
use crate::error::Diagnostic;

/// The banner across every page while a story breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub text: String,
    /// An article (index into `Site::articles`) or an absolute URL.
    pub target: BannerTarget,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BannerTarget {
    Article(usize),
    Url(String),
}

/// What fronts.yaml decides for this build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Curated {
    /// The home page's picks, in slot order.
    pub home: Vec<usize>,
    /// Each section's picks, by index into `Site::sections`.
    pub sections: Vec<Vec<usize>>,
    pub banner: Option<Banner>,
    /// When the next pick or the banner lapses.
    pub next_lapse: Option<DateTime<FixedOffset>>,
}

/// Resolves `fronts` as of `now`. Picks past their `until`, and picks of
/// stories not out yet (embargoed, drafts), fall back to the newest
/// without a word; a pick or banner naming no article, or a front naming
/// no section, is an error at its line in fronts.yaml.
pub(crate) fn resolve(
    fronts: &Fronts,
    articles: &[Arc<Article>],
    all_keys: &[(String, Status)],
    sections: &[Section],
    now: DateTime<FixedOffset>,
) -> Result<Curated, Vec<Diagnostic>> {
    let mut out = Curated {
        sections: vec![Vec::new(); sections.len()],
        ..Curated::default()
    };
    if fronts.fronts.is_empty() && fronts.breaking.is_none() {
        return Ok(out);
    }
    let lookup = Lookup::new(articles, all_keys);
    let mut errors = Vec::new();
    let mut lapse = |until: Option<DateTime<FixedOffset>>| -> bool {
        match until {
            Some(u) if u <= now => false,
            Some(u) => {
                out.next_lapse = Some(out.next_lapse.map_or(u, |n| n.min(u)));
                true
            }
            None => true,
        }
    };
    let find = |key: &str, line: usize, errors: &mut Vec<Diagnostic>| -> Option<usize> {
        match lookup.find(key) {
            Ok(i) => Some(i),
            // A story not out yet: its slot falls back to the newest.
            Err(_) if unpublished(key, all_keys) => None,
            Err((message, hint)) => {
                let message = message.replace("related article", "story");
                let d = Diagnostic::at(FRONTS_FILE, line, None, message);
                errors.push(match hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                });
                None
            }
        }
    };
    for front in &fronts.fronts {
        let slot = if front.front == "home" {
            None
        } else {
            match sections.binary_search_by(|s| s.path.as_str().cmp(&front.front)) {
                Ok(i) => Some(i),
                Err(_) => {
                    let paths: Vec<&str> = ["home", "breaking"]
                        .into_iter()
                        .chain(sections.iter().map(|s| s.path.as_str()))
                        .collect();
                    let hint = crate::text::closest(&front.front, &paths).map_or_else(
                        || "name `home` or a section's path, such as `news/us`".to_string(),
                        |c| format!("did you mean `{c}`?"),
                    );
                    errors.push(
                        Diagnostic::at(
                            FRONTS_FILE,
                            front.line,
                            None,
                            format!("no section `{}` has a front", front.front),
                        )
                        .with_hint(hint),
                    );
                    continue;
                }
            }
        };
        let live = lapse(front.until);
        let mut picks: Vec<usize> = Vec::new();
        for pick in &front.picks {
            if let Some(i) = find(&pick.key, pick.line, &mut errors) {
                if !picks.contains(&i) {
                    picks.push(i);
                }
            }
        }
        if live {
            match slot {
                None => out.home = picks,
                Some(s) => out.sections[s] = picks,
            }
        }
    }
    if let Some(b) = &fronts.breaking {
        let target = match &b.link {
            BannerLink::Url(url) => Some(BannerTarget::Url(url.clone())),
            BannerLink::Article(pick) => {
                find(&pick.key, pick.line, &mut errors).map(BannerTarget::Article)
            }
        };
        // A banner for a story not out yet waits with it.
        if let Some(target) = target.filter(|_| lapse(b.until)) {
            out.banner = Some(Banner {
                text: b.text.clone(),
                target,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn unpublished(key: &str, all_keys: &[(String, Status)]) -> bool {
    all_keys
        .iter()
        .any(|(k, s)| (k == key || k.rsplit('/').next() == Some(key)) && *s != Status::Published)
}

/// `items` with `picks` first: the order of a curated front's first page.
pub fn curated(picks: &[usize], items: &[usize]) -> Vec<usize> {
    picks
        .iter()
        .copied()
        .chain(items.iter().copied().filter(|i| !picks.contains(i)))
        .collect()
}
