//! `fronts.yaml`: the editors' picks for the home page and section fronts,
//! and the breaking-news banner.
//!
//! ```yaml
//! home:
//!   lead: news/us/storm-helena-live        # the lead slot
//!   top: [news/us/ferry-fares, business/port-strike]
//!   until: 2026-11-26T06:00:00-05:00       # optional: the picks lapse then
//! news/us:
//!   lead: news/us/storm-helena-live
//! breaking:
//!   text: Storm Helena makes landfall
//!   url: news/us/storm-helena-live         # an article, or an absolute URL
//!   until: 2026-11-25T00:00:00-05:00
//! ```

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde_yaml::Value;

use crate::error::Diagnostic;

/// The fronts file at the root of a site.
pub const FRONTS_FILE: &str = "fronts.yaml";

/// An article named in fronts.yaml, by `slug` or `section/slug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub key: String,
    /// Its line in fronts.yaml.
    pub line: usize,
}

/// The picks of one front, in slot order: the lead, then the top stories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontPicks {
    /// `home`, or a section's path (`news/us`).
    pub front: String,
    pub line: usize,
    pub picks: Vec<Pick>,
    pub until: Option<DateTime<FixedOffset>>,
}

/// Where the banner links: an article, or an absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BannerLink {
    Article(Pick),
    Url(String),
}

/// The breaking-news banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breaking {
    pub text: String,
    pub link: BannerLink,
    pub until: Option<DateTime<FixedOffset>>,
    pub line: usize,
}

/// Everything fronts.yaml says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fronts {
    pub fronts: Vec<FrontPicks>,
    pub breaking: Option<Breaking>,
}

/// Reads `fronts.yaml` if the site has one; dates without an offset are
/// in `tz`.
pub fn load_fronts(root: &Path, tz: Tz) -> Result<Fronts, Vec<Diagnostic>> {
    match super::read_data_file(root, FRONTS_FILE)? {
        Some(text) => parse_fronts(&text, tz),
        None => Ok(Fronts::default()),
    }
}

/// Parses the text of fronts.yaml.
pub fn parse_fronts(text: &str, tz: Tz) -> Result<Fronts, Vec<Diagnostic>> {
    let rel = Path::new(FRONTS_FILE);
    if text.trim().is_empty() {
        return Ok(Fronts::default());
    }
    let value: Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((1, None), |l| (l.line(), Some(l.column())));
        vec![Diagnostic::at(
            rel,
            line,
            col,
            format!("invalid fronts file: {e}"),
        )]
    })?;
    let Value::Mapping(map) = value else {
        return Err(vec![Diagnostic::at(
            rel,
            1,
            None,
            "fronts.yaml must map fronts (`home`, a section's path, `breaking`) to their picks",
        )]);
    };
    let mut errors = Vec::new();
    let mut out = Fronts::default();
    let mut finder = Lines { text, from: 0 };
    for (key, entry) in &map {
        let Some(key) = key.as_str() else {
            errors.push(Diagnostic::at(
                rel,
                1,
                None,
                "a front's name must be a string",
            ));
            continue;
        };
        let line = finder.key(key);
        let at = |message: String| Diagnostic::at(rel, line, None, message);
        let Value::Mapping(fields) = entry else {
            errors.push(at(format!("`{key}` must hold `lead`, `top` and `until` (or for `breaking`, `text`, `url` and `until`)")));
            continue;
        };
        let string = |name: &str| fields.get(name).and_then(Value::as_str).map(str::trim);
        let until = match fields.get("until") {
            None => None,
            Some(v) => match v.as_str().map(|s| crate::content::parse_date(s, tz)) {
                Some(Ok(d)) => Some(d),
                Some(Err(m)) => {
                    errors.push(Diagnostic::at(
                        rel,
                        finder.after(line, "until"),
                        None,
                        format!("`{key}` until: {m}"),
                    ));
                    None
                }
                None => {
                    errors.push(at(format!("`{key}` until must be a date-time")));
                    None
                }
            },
        };
        let allowed: &[&str] = if key == "breaking" {
            &["text", "url", "until"]
        } else {
            &["lead", "top", "until"]
        };
        for name in fields.keys().filter_map(Value::as_str) {
            if !allowed.contains(&name) {
                let hint = crate::text::closest(name, allowed).map_or_else(
                    || format!("`{key}` takes {}", allowed.join(", ")),
                    |c| format!("did you mean `{c}`?"),
                );
                errors.push(
                    Diagnostic::at(
                        rel,
                        finder.after(line, name),
                        None,
                        format!("unknown key `{name}` in `{key}`"),
                    )
                    .with_hint(hint),
                );
            }
        }
        if key == "breaking" {
            let (Some(text), Some(url)) = (string("text"), string("url")) else {
                errors.push(at("`breaking` needs `text` and `url`".into()));
                continue;
            };
            let url_line = finder.after(line, "url");
            let link = if url.starts_with("https://") || url.starts_with("http://") {
                BannerLink::Url(url.to_string())
            } else {
                BannerLink::Article(Pick {
                    key: url.trim_matches('/').to_string(),
                    line: url_line,
                })
            };
            out.breaking = Some(Breaking {
                text: text.to_string(),
                link,
                until,
                line,
            });
            continue;
        }
        let mut picks = Vec::new();
        if let Some(lead) = string("lead") {
            picks.push(Pick {
                key: lead.trim_matches('/').to_string(),
                line: finder.after(line, "lead"),
            });
        }
        match fields.get("top") {
            None => {}
            Some(Value::Sequence(items)) => {
                let top_line = finder.after(line, "top");
                for item in items {
                    match item.as_str() {
                        Some(k) => picks.push(Pick {
                            key: k.trim().trim_matches('/').to_string(),
                            line: finder.containing(top_line, k.trim()),
                        }),
                        None => errors.push(Diagnostic::at(
                            rel,
                            top_line,
                            None,
                            format!("`{key}` top: each pick is a slug or section/slug"),
                        )),
                    }
                }
            }
            Some(_) => errors.push(Diagnostic::at(
                rel,
                finder.after(line, "top"),
                None,
                format!("`{key}` top must be a list of stories"),
            )),
        }
        out.fronts.push(FrontPicks {
            front: key.trim_matches('/').to_string(),
            line,
            picks,
            until,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Finds the lines things were written on, for messages.
struct Lines<'a> {
    text: &'a str,
    from: usize,
}

impl Lines<'_> {
    /// The line of the top-level key `key`.
    fn key(&mut self, key: &str) -> usize {
        for (n, line) in self.text.lines().enumerate().skip(self.from) {
            let l = line.trim_end();
            let bare = l.strip_suffix(':').map(|k| k.trim_matches(['"', '\'']));
            if !line.starts_with([' ', '\t', '#'])
                && (bare == Some(key) || l.starts_with(&format!("{key}:")))
            {
                self.from = n + 1;
                return n + 1;
            }
        }
        1
    }

    /// The first line from `line` on whose text starts with `name:`.
    fn after(&self, line: usize, name: &str) -> usize {
        self.containing_prefix(line, &format!("{name}:"))
            .unwrap_or(line)
    }

    fn containing_prefix(&self, line: usize, prefix: &str) -> Option<usize> {
        self.text
            .lines()
            .enumerate()
            .skip(line.saturating_sub(1))
            .find(|(_, l)| l.trim_start().trim_start_matches("- ").starts_with(prefix))
            .map(|(n, _)| n + 1)
    }

    /// The first line from `line` on that holds `needle`.
    fn containing(&self, line: usize, needle: &str) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(line.saturating_sub(1))
            .find(|(_, l)| l.contains(needle))
            .map_or(line, |(n, _)| n + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_banner_and_their_lines_are_read() {
        let text = "home:\n  lead: news/us/storm\n  top:\n    - business/strike\n    - ferry-fares\n  until: 2026-11-26T06:00:00-05:00\nnews/us:\n  lead: news/us/storm\nbreaking:\n  text: Storm makes landfall\n  url: news/us/storm\n  until: 2026-11-25T00:00:00-05:00\n";
        let f = parse_fronts(text, Tz::UTC).unwrap();
        assert_eq!(f.fronts.len(), 2);
        let home = &f.fronts[0];
        let keys: Vec<_> = home
            .picks
            .iter()
            .map(|p| (p.key.as_str(), p.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("news/us/storm", 2),
                ("business/strike", 4),
                ("ferry-fares", 5)
            ]
        );
        assert_eq!(
            home.until.unwrap().to_rfc3339(),
            "2026-11-26T06:00:00-05:00"
        );
        assert_eq!(f.fronts[1].front, "news/us");
        let b = f.breaking.unwrap();
        assert_eq!(b.text, "Storm makes landfall");
        assert!(
            matches!(b.link, BannerLink::Article(Pick { ref key, line: 11 }) if key == "news/us/storm")
        );
    }

    #[test]
    fn mistakes_name_their_line() {
        let errors = parse_fronts("home:\n  leed: x\n  until: tomorrow\n", Tz::UTC).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors
            .iter()
            .any(|e| e.line == Some(2) && e.hint.as_deref() == Some("did you mean `lead`?")));
        assert!(errors.iter().any(|e| e.line == Some(3)));
    }
}
