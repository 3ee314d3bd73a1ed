//! `site.toml`: read the raw file, then resolve it into a checked [`Config`].
//!
//! Two layers, as in cobalt and mdBook: [`RawConfig`] mirrors the file and
//! rejects unknown keys; [`Config`] holds resolved, validated values so later
//! stages never re-check them.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{closest, io_diag, Diagnostic};

mod images;
use crate::text::line_col;
pub use images::{Images, DEFAULT_WIDTHS};

/// The name of the configuration file at the root of a site.
pub const CONFIG_FILE: &str = "site.toml";

/// Every key site.toml may have.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "timezone",
    "paginate",
    "theme",
    "sections",
    "description",
    "logo",
    "feed_limit",
    "related_limit",
    "permalink",
    "permalinks",
    "sitemap_limit",
    "safe_html",
    "minify",
    "compress",
    "images",
    "search",
];

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_MAX_URLS: usize = 50_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<Spanned<String>>,
    language: Option<String>,
    timezone: Option<Spanned<String>>,
    paginate: Option<Spanned<i64>>,
    theme: Option<Spanned<String>>,
    sections: Option<Spanned<toml::Table>>,
    description: Option<String>,
    logo: Option<String>,
    feed_limit: Option<Spanned<i64>>,
    related_limit: Option<Spanned<i64>>,
    permalink: Option<Spanned<String>>,
    permalinks: Option<Spanned<toml::Table>>,
    sitemap_limit: Option<Spanned<i64>>,
    #[serde(default)]
    safe_html: bool,
    #[serde(default)]
    minify: bool,
    compress: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    images: images::RawImages,
    search: Option<bool>,
}

/// A precompressed sibling written beside each text file of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    /// `page.html.gz`, for nginx's `gzip_static` and most hosts.
    Gzip,
    /// `page.html.br`, for `brotli_static` and CDNs that take it.
    Brotli,
}

impl Compression {
    /// The sibling's file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Gzip => "gz",
            Compression::Brotli => "br",
        }
    }
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder (holds site.toml, content/, templates/, static/).
    pub root: PathBuf,
    /// Site name, shown in the header and `<title>`.
    pub title: String,
    /// Absolute URL of the site root, always ending in `/` (`/` when unset).
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/news/`): prefix of every link.
    pub base_path: String,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Time zone for dates without an offset and for date archives.
    pub timezone: Tz,
    /// Articles per list page.
    pub paginate: usize,
    /// Theme folder name under `themes/`; `None` is the built-in theme.
    pub theme: Option<String>,
    /// Section display names in file order (`news/us` → `U.S.`).
    pub sections: Vec<(String, String)>,
    /// What the site is, for meta descriptions and feed subtitles.
    pub description: Option<String>,
    /// Publisher logo (site path or URL) for structured data.
    pub logo: Option<String>,
    /// Entries per feed.
    pub feed_limit: usize,
    /// Related stories per article, explicit ones included.
    pub related_limit: usize,
    /// Article URL pattern, such as `/:section/:slug/`.
    pub permalink: String,
    /// Patterns for the articles of some sections (`blog` →
    /// `/:year/:month/:day/:slug.html`), the longest section first.
    pub permalinks: Vec<(String, String)>,
    /// URLs per sitemap file before it is split (at most 50,000).
    pub sitemap_limit: usize,
    /// Sanitise raw HTML in bodies (scripts, event handlers, `javascript:`
    /// links) instead of trusting authors.
    pub safe_html: bool,
    /// Minify every HTML page.
    pub minify: bool,
    /// Precompressed siblings to write beside every text file.
    pub compress: Vec<Compression>,
    /// How local photos become derivatives (`[images]`).
    pub images: Images,
    /// A search page, its index and the masthead's search form.
    pub search: bool,
}

impl Config {
    /// Reads `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::in_file(&path, "no site.toml here: this is not a Dateline site")
                    .with_hint("run the command in the site folder or pass `--source DIR`")
            } else {
                io_diag(&path, "read the site configuration", &e)
            }
        })?;
        Config::parse(root, &text)
    }

    /// Parses the text of `site.toml`; errors name `site.toml` and the line.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Diagnostic> {
        let file = Path::new(CONFIG_FILE);
        let at = |offset: usize, msg: String| {
            let (line, col) = line_col(text, offset);
            Diagnostic::at(file, line, Some(col), msg)
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let mut msg = e.message().trim().to_string();
            // serde names the expected type, not the key: add the key.
            let line_start = text[..offset.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let key = text[line_start..].split('=').next().unwrap_or("").trim();
            if msg.starts_with("invalid type")
                && !key.is_empty()
                && !key.contains(char::is_whitespace)
            {
                msg = format!("`{key}`: {msg}");
            }
            let diag = at(offset, msg.clone());
            match unknown_key(&msg).and_then(|k| closest(k, KNOWN_KEYS)) {
                Some(k) => diag.with_hint(format!("did you mean `{k}`?")),
                None => diag,
            }
        })?;

        let (base_url, base_path) = match &raw.base_url {
            None => ("/".to_string(), "/".to_string()),
            Some(url) => resolve_base_url(url.get_ref()).ok_or_else(|| {
                at(
                    url.span().start,
                    format!("invalid base_url `{}`", url.get_ref()),
                )
                .with_hint("use an absolute URL like \"https://news.example.com/\"")
            })?,
        };
        let timezone = match &raw.timezone {
            None => Tz::UTC,
            Some(tz) => tz.get_ref().parse::<Tz>().map_err(|_| {
                at(
                    tz.span().start,
                    format!("unknown time zone `{}`", tz.get_ref()),
                )
                .with_hint("use an IANA name such as \"America/New_York\" or \"UTC\"")
            })?,
        };
        let paginate = match &raw.paginate {
            None => 20,
            Some(n) if *n.get_ref() >= 1 => *n.get_ref() as usize,
            Some(n) => {
                return Err(at(
                    n.span().start,
                    format!("paginate must be at least 1, found {}", n.get_ref()),
                ))
            }
        };
        let count =
            |v: &Option<Spanned<i64>>, name: &str, default: usize, min: i64, max: i64| match v {
                None => Ok(default),
                Some(n) if (min..=max).contains(n.get_ref()) => Ok(*n.get_ref() as usize),
                Some(n) => Err(at(
                    n.span().start,
                    format!(
                        "{name} must be between {min} and {max}, found {}",
                        n.get_ref()
                    ),
                )),
            };
        let feed_limit = count(&raw.feed_limit, "feed_limit", 20, 1, 10_000)?;
        let related_limit = count(&raw.related_limit, "related_limit", 5, 0, 100)?;
        let sitemap_limit = count(
            &raw.sitemap_limit,
            "sitemap_limit",
            SITEMAP_MAX_URLS,
            1,
            SITEMAP_MAX_URLS as i64,
        )?;
        let permalink = match &raw.permalink {
            None => DEFAULT_PERMALINK.to_string(),
            Some(p) => check_permalink(p.get_ref())
                .map_err(|why| at(p.span().start, format!("permalink `{}` {why}", p.get_ref())))?,
        };
        let mut permalinks = Vec::new();
        if let Some(table) = raw.permalinks {
            let span = table.span();
            for (section, value) in table.into_inner() {
                let pattern = value.as_str().ok_or_else(|| {
                    at(
                        span.start,
                        format!("[permalinks] \"{section}\" must be a pattern (a string)"),
                    )
                })?;
                let section = section.trim_matches('/').to_string();
                crate::urls::check_section(&section).map_err(|why| {
                    at(
                        span.start,
                        format!("[permalinks] section `{section}` {why}"),
                    )
                })?;
                let pattern = check_permalink(pattern).map_err(|why| {
                    at(
                        span.start,
                        format!("[permalinks] \"{section}\" = `{pattern}` {why}"),
                    )
                })?;
                permalinks.push((section, pattern));
            }
        }
        // Longest first, so `news/us` wins over `news` for its articles.
        permalinks.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let theme = match raw.theme {
            Some(t) if !is_plain_name(t.get_ref()) => {
                return Err(at(
                    t.span().start,
                    format!(
                        "theme `{}` must be a folder name under themes/",
                        t.get_ref()
                    ),
                ))
            }
            other => other.map(|t| t.into_inner()),
        };
        let mut compress = Vec::new();
        for name in raw.compress.map(Spanned::into_inner).unwrap_or_default() {
            let encoding = match name.get_ref().as_str() {
                "gzip" | "gz" => Compression::Gzip,
                "br" | "brotli" => Compression::Brotli,
                other => {
                    return Err(at(
                        name.span().start,
                        format!("compress: unknown encoding `{other}`"),
                    )
                    .with_hint("use [\"gzip\", \"br\"], or either alone"))
                }
            };
            if !compress.contains(&encoding) {
                compress.push(encoding);
            }
        }
        let images = raw.images.resolve().map_err(|(at_, msg)| at(at_, msg))?;
        let mut sections = Vec::new();
        let (sections_span, table) = match raw.sections {
            Some(t) => (t.span(), t.into_inner()),
            None => (0..0, toml::Table::new()),
        };
        for (key, value) in table {
            let name = value.as_str().ok_or_else(|| {
                at(
                    sections_span.start,
                    format!("[sections] \"{key}\" must be a display name (a string)"),
                )
            })?;
            let key = key.trim_matches('/').to_string();
            sections.push((key, name.to_string()));
        }

        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title.unwrap_or_else(|| "Untitled site".into()),
            base_url,
            base_path,
            language: raw.language.unwrap_or_else(|| "en".into()),
            timezone,
            paginate,
            theme,
            sections,
            description: raw.description,
            logo: raw.logo,
            feed_limit,
            related_limit,
            permalink,
            permalinks,
            sitemap_limit,
            safe_html: raw.safe_html,
            minify: raw.minify,
            search: raw.search.unwrap_or(true),
            compress,
            images,
        })
    }

    /// The display name of a section, from `[sections]` or its last segment.
    pub fn section_name(&self, path: &str) -> String {
        if let Some((_, name)) = self.sections.iter().find(|(k, _)| k == path) {
            return name.clone();
        }
        let last = path.rsplit('/').next().unwrap_or(path);
        title_case(last)
    }
}

/// Article URLs unless site.toml says otherwise.
pub const DEFAULT_PERMALINK: &str = "/:section/:slug/";

const PERMALINK_TOKENS: &[&str] = &[":section", ":year", ":month", ":day", ":slug"];

/// Checks a permalink pattern; returns it normalized: `/…/` for a
/// folder, `/….html` for a page written as that file.
fn check_permalink(pattern: &str) -> Result<String, String> {
    let trimmed = pattern.trim().trim_matches('/');
    if !trimmed.contains(":slug") {
        return Err("must contain `:slug`, or two articles could share a URL".into());
    }
    for part in trimmed.split('/') {
        // Each part as one article would fill it: the tokens known, the
        // rest what a slug may hold.
        let mut example = String::new();
        for (token, literal) in permalink_pieces(part) {
            if let Some(token) = token {
                if !PERMALINK_TOKENS.contains(&token) {
                    return Err(format!(
                        "has an unknown token `{token}`; use {}",
                        PERMALINK_TOKENS.join(", ")
                    ));
                }
                example.push('x');
            }
            example.push_str(literal);
        }
        if let Err(why) = crate::urls::check_slug(&example) {
            return Err(format!("part `{part}` {why}"));
        }
    }
    if is_file_pattern(trimmed) {
        Ok(format!("/{trimmed}"))
    } else {
        Ok(format!("/{trimmed}/"))
    }
}

/// Whether a pattern names a file (`/:year/:slug.html`), not a folder.
pub fn is_file_pattern(pattern: &str) -> bool {
    let last = pattern
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    !pattern.ends_with('/') && (last.ends_with(".html") || last.ends_with(".htm"))
}

/// A pattern part as (token, text after it) pieces: `:slug.html` is
/// `(Some(":slug"), ".html")`, `page-:year` is `(None, "page-")`,
/// `(Some(":year"), "")`. A token is `:` and the letters after it.
pub fn permalink_pieces(part: &str) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    let mut rest = part;
    if let Some(first) = rest.find(':') {
        out.push((None, &rest[..first]));
        rest = &rest[first..];
    } else {
        return vec![(None, part)];
    }
    while !rest.is_empty() {
        let name_end = rest[1..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map_or(rest.len(), |i| i + 1);
        let literal_end = rest[name_end..]
            .find(':')
            .map_or(rest.len(), |i| i + name_end);
        out.push((Some(&rest[..name_end]), &rest[name_end..literal_end]));
        rest = &rest[literal_end..];
    }
    out
}

impl Config {
    /// The settings as text, for fingerprints and cache keys: all but
    /// where the site lies, which no page shows. A build run from inside
    /// the site folder and one given its full path (a cron job) then find
    /// each other's work.
    pub fn settings_text(&self) -> String {
        let mut settings = self.clone();
        settings.root = PathBuf::new();
        format!("{settings:?}")
    }

    /// The URL pattern of an article in `section`: the `[permalinks]`
    /// entry of its section or the nearest one above it, else `permalink`.
    pub fn permalink_for(&self, section: &str) -> &str {
        self.permalinks
            .iter()
            .find(|(s, _)| {
                section == s
                    || section
                        .strip_prefix(s.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .map_or(&self.permalink, |(_, p)| p)
    }
}

/// `news-analysis` → `News Analysis`.
pub fn title_case(word: &str) -> String {
    word.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// Splits a base URL into (absolute URL ending in `/`, path ending in `/`).
fn resolve_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    if url.starts_with('/') && !url.starts_with("//") {
        let path = format!("{}/", url.trim_end_matches('/'));
        return Some((path.clone(), path));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    let path = path.trim_matches('/');
    let base_path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    let scheme_len = url.len() - rest.len();
    Some((
        format!("{}{host}{base_path}", &url[..scheme_len]),
        base_path,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("/site"), text)
    }

    #[test]
    fn defaults_fill_an_empty_file() {
        let c = parse("").unwrap();
        assert_eq!(c.paginate, 20);
        assert_eq!(c.base_path, "/");
        assert_eq!(c.timezone, Tz::UTC);
        assert!(c.theme.is_none());
    }

    #[test]
    fn base_url_path_becomes_the_link_prefix() {
        let c = parse("base_url = \"https://example.com/ledger\"").unwrap();
        assert_eq!(c.base_url, "https://example.com/ledger/");
        assert_eq!(c.base_path, "/ledger/");
    }

    #[test]
    fn sections_keep_file_order_and_names() {
        let c = parse("[sections]\n\"news/us\" = \"U.S.\"\nopinion = \"Opinion\"\n").unwrap();
        assert_eq!(c.sections[0], ("news/us".into(), "U.S.".into()));
        assert_eq!(c.section_name("news/us"), "U.S.");
        assert_eq!(c.section_name("news/world"), "World");
        assert_eq!(c.section_name("real-estate"), "Real Estate");
    }

    #[test]
    fn unknown_key_names_the_line_and_suggests() {
        let err = parse("title = \"x\"\ntimezon = \"UTC\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.hint.as_deref(), Some("did you mean `timezone`?"));
    }

    #[test]
    fn bad_values_name_their_line() {
        let err = parse("title = \"x\"\n\ntimezone = \"Mars/Olympus\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("Mars/Olympus"));
        let err = parse("paginate = 0").unwrap_err();
        assert_eq!(err.line, Some(1));
        let err = parse("base_url = \"ftp:/x\"").unwrap_err();
        assert!(err.message.contains("base_url"));
    }

    #[test]
    fn permalink_patterns_are_checked() {
        let c = parse("permalink = \":year/:month/:slug\"").unwrap();
        assert_eq!(c.permalink, "/:year/:month/:slug/");
        assert!(parse("permalink = \"/:section/\"").is_err());
        assert!(parse("permalink = \"/:sektion/:slug/\"").is_err());
        assert!(parse("permalink = \"/../:slug/\"").is_err());
        let c = parse("permalink = \"/:year/:month/:day/:slug.html\"").unwrap();
        assert_eq!(c.permalink, "/:year/:month/:day/:slug.html");
        assert!(parse("permalink = \"/:year/:slug.:sektion\"").is_err());
        assert!(parse("permalink = \"/:year/.:slug\"").is_err());
        let c = parse("[permalinks]\nnews = \"/:year/:slug/\"\n\"news/us\" = \"/us/:slug.html\"")
            .unwrap();
        assert_eq!(
            c.permalinks,
            [
                ("news/us".to_string(), "/us/:slug.html".to_string()),
                ("news".to_string(), "/:year/:slug/".to_string())
            ]
        );
        assert!(parse("[permalinks]\nnews = \"/:year/\"").is_err());
        assert!(parse("[permalinks]\n\"../x\" = \"/:slug/\"").is_err());
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let err = parse("title = \"x\"\npaginate = = 3\n").unwrap_err();
        assert_eq!(err.path.as_deref(), Some(Path::new("site.toml")));
        assert_eq!(err.line, Some(2));
    }
}
