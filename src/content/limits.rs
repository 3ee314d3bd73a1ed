//! Limits on front matter, so a runaway import or a slip of the keyboard
//! cannot blow a site up: one article with 16,000 tags once made a 7 GB
//! output (each of its tag feeds lists every tag). Beyond them, and for
//! front matter that cannot mean anything (a blank tag, a story related to
//! itself), the article is refused with the line.

use super::fields::Fields;
use super::raw::RawFrontMatter;

/// The most tags, authors, related links and aliases one article may have.
pub const MAX_TAGS: usize = 100;
pub const MAX_AUTHORS: usize = 50;
pub const MAX_RELATED: usize = 50;
pub const MAX_ALIASES: usize = 100;
/// The longest headline and dek, in characters.
pub const MAX_HEADLINE_CHARS: usize = 400;
pub const MAX_DEK_CHARS: usize = 2000;

/// Checks the sizes and blanks of `raw`'s lists and texts.
pub(super) fn check(f: &mut Fields, raw: &RawFrontMatter) {
    let counts = [
        ("tags", raw.tags.len(), MAX_TAGS),
        ("authors", raw.authors.len(), MAX_AUTHORS),
        ("related", raw.related.len(), MAX_RELATED),
        ("aliases", raw.aliases.len(), MAX_ALIASES),
    ];
    for (key, n, max) in counts {
        if n > max {
            f.at(key, format!("{n} {key}: an article may have at most {max}"));
        }
    }
    for (key, list) in [("tags", &raw.tags), ("authors", &raw.authors)] {
        if list.iter().any(|t| t.trim().is_empty()) {
            f.at(key, format!("an empty entry in `{key}`"));
        }
    }
    let long = |text: Option<&str>, max: usize| text.is_some_and(|t| t.chars().count() > max);
    if long(
        raw.headline.as_ref().and_then(|h| h.as_str()),
        MAX_HEADLINE_CHARS,
    ) {
        f.at(
            "headline",
            format!("the headline is longer than {MAX_HEADLINE_CHARS} characters"),
        );
    }
    if long(raw.dek.as_deref(), MAX_DEK_CHARS) {
        f.at(
            "dek",
            format!("the dek is longer than {MAX_DEK_CHARS} characters"),
        );
    }
}
