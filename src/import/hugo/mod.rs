//! Hugo: `hugo.toml` (or `config.*`, `config/_default/`), `content/`
//! with its page bundles, `static/`. Every page keeps the URL Hugo gave
//! it: a `[permalinks]` pattern Dateline can follow becomes one, and any
//! page whose URL no pattern gives gets a `path`.

mod body;
mod config;
mod page;
mod urls;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{ImportError, Imported, SiteToml, Warning};
use config::HugoConfig;

pub(super) fn read(root: &Path) -> Result<Imported, ImportError> {
    let config = HugoConfig::read(root)?;
    let mut imported = Imported::default();
    let site = Settings::from(&config, root, &mut imported.warnings);
    let content = root.join(&site.content_dir);
    if !content.is_dir() {
        return Err(ImportError::Source(format!(
            "{} has no content folder ({})",
            root.display(),
            site.content_dir
        )));
    }
    let pages = page::find(&content, &site, &mut imported.warnings);
    let writers = super::authors::read(&root.join("data"));
    let mut refs = body::Refs::new(pages.iter().map(|p| (p.source.as_str(), p.target.as_str())));
    if let Some(Value::Object(params)) = config.all.get("params") {
        refs.params = params.clone();
    }
    let mut sections = crate::import::names::section_titles(&content);
    for found in &pages {
        page::import(&content, found, (&site, &refs, &writers), &mut imported);
    }
    for dir in &site.static_dirs {
        let files = super::files::under(&root.join(dir), "static/", false);
        imported.files.extend(files);
    }
    // Only the sections that have articles are named.
    let used: std::collections::BTreeSet<String> = imported
        .stories
        .iter()
        .map(|s| {
            s.section
                .clone()
                .unwrap_or_else(|| s.content_path.split('/').next().unwrap_or("").to_string())
        })
        .collect();
    sections.retain(|name, _| used.contains(name));
    imported.authors = writers.into_values().collect();
    imported.site = SiteToml {
        title: config.str("title").unwrap_or("Imported site").to_string(),
        base_url: config.str("baseurl").unwrap_or("/").to_string(),
        language: site.language.clone(),
        timezone: config.str("timezone").map(str::to_string),
        paginate: site.paginate,
        permalink: crate::config::DEFAULT_PERMALINK.to_string(),
        permalinks: site.dateline_patterns.clone(),
        sections: sections.into_iter().collect(),
    };
    Ok(imported)
}

/// The settings that decide where Hugo put things.
pub(super) struct Settings {
    pub content_dir: String,
    pub static_dirs: Vec<String>,
    /// Section → Hugo pattern.
    pub permalinks: Vec<(String, String)>,
    /// Section → Dateline pattern, where Hugo's translates.
    pub dateline_patterns: BTreeMap<String, String>,
    pub ugly: UglyUrls,
    pub lower: bool,
    pub language: Option<String>,
    /// Languages other than the default, whose pages are reported.
    pub other_languages: Vec<String>,
    pub taxonomies: Vec<String>,
    pub paginate: Option<u32>,
    pub timezone: chrono_tz::Tz,
}

pub(super) enum UglyUrls {
    All(bool),
    Sections(BTreeMap<String, bool>),
}

impl UglyUrls {
    pub fn of(&self, section: &str) -> bool {
        match self {
            UglyUrls::All(b) => *b,
            UglyUrls::Sections(map) => map.get(section).copied().unwrap_or(false),
        }
    }
}

impl Settings {
    fn from(config: &HugoConfig, root: &Path, warnings: &mut Vec<Warning>) -> Settings {
        let file = config.files.first().cloned().unwrap_or_default();
        let mut warn = |message: String| {
            warnings.push(Warning {
                file: file.clone().into(),
                line: 0,
                message,
            });
        };
        let default_lang = config
            .str("defaultcontentlanguage")
            .unwrap_or("en")
            .to_string();
        let mut other_languages = Vec::new();
        let mut content_dir = config.str("contentdir").unwrap_or("content").to_string();
        if let Some(Value::Object(langs)) = config.get("languages") {
            for (code, settings) in langs {
                if *code == default_lang {
                    if let Some(dir) = settings.get("contentdir").and_then(Value::as_str) {
                        content_dir = dir.to_string();
                    }
                } else {
                    other_languages.push(code.clone());
                }
            }
            if !other_languages.is_empty() {
                warn(format!(
                    "the site is multilingual: its default language `{default_lang}` is imported; {} are not yet (Dateline's multilingual editions come later)",
                    other_languages.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        let permalinks = match config.get("permalinks") {
            Some(Value::Object(map)) => {
                let map = match map.get("page") {
                    Some(Value::Object(page)) => page,
                    _ => map,
                };
                map.iter()
                    .filter_map(|(k, v)| {
                        Some((k.trim_matches('/').to_string(), v.as_str()?.to_string()))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let ugly = match config.get("uglyurls") {
            Some(Value::Bool(b)) => UglyUrls::All(*b),
            Some(Value::Object(map)) => UglyUrls::Sections(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.as_bool().unwrap_or(false)))
                    .collect(),
            ),
            _ => UglyUrls::All(false),
        };
        let lower = !config.bool("disablepathtolower");
        let mut dateline_patterns = BTreeMap::new();
        for (section, pattern) in &permalinks {
            match translate(pattern, ugly.of(section)) {
                Some(p) => {
                    dateline_patterns.insert(section.clone(), p);
                }
                None => warn(format!(
                    "permalink pattern `{pattern}` of `{section}` has tokens Dateline's patterns lack; each of its pages gets a `path` with its URL"
                )),
            }
        }
        for (section, ugly_section) in match &ugly {
            UglyUrls::Sections(map) => map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            UglyUrls::All(true) => vec![("*".to_string(), true)],
            UglyUrls::All(false) => Vec::new(),
        } {
            if ugly_section && section != "*" && !dateline_patterns.contains_key(&section) {
                dateline_patterns.insert(section, "/:section/:slug.html".into());
            }
        }
        let mut taxonomies: Vec<String> = match config.get("taxonomies") {
            Some(Value::Object(map)) => map
                .values()
                .filter_map(|v| v.as_str().map(str::to_lowercase))
                .collect(),
            _ => vec!["tags".into(), "categories".into()],
        };
        taxonomies.sort();
        let paginate = config
            .get("paginate")
            .or_else(|| config.get("pagination").and_then(|p| p.get("pagersize")))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        let static_dirs = match config.get("staticdir") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => vec!["static".into()],
        };
        if root.join("layouts").is_dir() || root.join("themes").is_dir() {
            warn("the site's layouts and themes are not imported: Dateline's default theme draws every page (docs/themes.md to make your own)".into());
        }
        let timezone = config
            .str("timezone")
            .and_then(|z| z.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC);
        Settings {
            content_dir,
            static_dirs,
            permalinks,
            dateline_patterns,
            ugly,
            lower,
            language: config
                .str("languagecode")
                .map(str::to_string)
                .or(Some(default_lang)),
            other_languages,
            taxonomies,
            paginate,
            timezone,
        }
    }
}

/// A Hugo pattern in Dateline's tokens, when every token has one:
/// `/:year/:month/:slug/` stays, `:title`, `:filename` and the like
/// become `:slug` (each page's slug is set to what Hugo put there).
fn translate(pattern: &str, ugly: bool) -> Option<String> {
    let mut out = String::new();
    let mut rest = pattern;
    let mut named = false;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let token = match &after[..len] {
            t @ ("year" | "month" | "day" | "section") => format!(":{t}"),
            "slug"
            | "title"
            | "filename"
            | "contentbasename"
            | "slugorfilename"
            | "slugorcontentbasename"
                if !named =>
            {
                named = true;
                ":slug".to_string()
            }
            _ => return None,
        };
        out.push_str(&token);
        rest = &after[len..];
    }
    out.push_str(rest);
    if !named {
        return None;
    }
    let mut out = format!("/{}", out.trim_start_matches('/'));
    if !out.ends_with(".html") && !out.ends_with('/') {
        out.push('/');
    }
    if ugly && out.ends_with('/') {
        out.pop();
        out.push_str(".html");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hugo_patterns_translate_where_every_token_has_a_dateline_one() {
        assert_eq!(
            super::translate("/:year/:month/:title/", false).as_deref(),
            Some("/:year/:month/:slug/")
        );
        assert_eq!(
            super::translate(":section/:slug", true).as_deref(),
            Some("/:section/:slug.html")
        );
        assert_eq!(super::translate("/:year/:yearday/:slug/", false), None);
        assert_eq!(super::translate("/:year/", false), None);
    }
}
