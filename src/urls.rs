//! URL-safe names: slugs, section paths and the pages they become.
//!
//! Every name that ends up in an output path goes through [`check_segment`],
//! so no front matter can make the build write outside the output folder.

/// Makes a URL slug from free text: `Café Society` → `cafe-society`. A
/// slug that would be a Windows device name (a tag `CON`, an author `Nul`)
/// gets a `-1` so the site can be copied to any file system.
pub fn slugify(text: &str) -> String {
    let slug = slug::slugify(text);
    if WINDOWS_DEVICES.contains(&slug.as_str()) {
        format!("{slug}-1")
    } else {
        slug
    }
}

const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks one path segment (a slug, or one part of a section path).
///
/// Letters (any script), digits, `-` and `_` only: that excludes `.`/`..`,
/// separators, `%`-escapes, drive letters and trailing dots or spaces in one
/// rule. Windows device names are refused so a site can be built anywhere.
pub fn check_segment(segment: &str) -> Result<(), String> {
    if segment.is_empty() {
        return Err("is empty".into());
    }
    if let Some(bad) = segment
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "contains {bad:?}; use only letters, digits, `-` and `_`"
        ));
    }
    if segment.chars().any(char::is_uppercase) {
        return Err("contains upper-case letters; URLs are lower-case".into());
    }
    if WINDOWS_DEVICES.contains(&segment) {
        return Err(format!("`{segment}` is a reserved device name on Windows"));
    }
    Ok(())
}

/// Checks an article's slug: what URLs hold in practice — letters of any
/// script, digits, `-`, `_`, `.` and `~`, in the case written
/// (`1.94.1-release`, `Async-await-stable`). Refused: `.`/`..`, a leading
/// or trailing dot (hidden files, names Windows cannot hold), separators,
/// `%`-escapes, controls and Windows device names (`con`, `Aux.txt`).
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("is empty".into());
    }
    if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
    {
        return Err(format!(
            "contains {bad:?}; use only letters, digits, `-`, `_`, `.` and `~`"
        ));
    }
    if slug.starts_with('.') || slug.ends_with('.') {
        return Err(
            "starts or ends with a dot; such names are hidden or invalid on some systems".into(),
        );
    }
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_lowercase();
    if WINDOWS_DEVICES.contains(&stem.as_str()) {
        return Err(format!("`{slug}` is a reserved device name on Windows"));
    }
    Ok(())
}

/// Checks a slash-separated section path such as `news/world/asia`.
pub fn check_section(path: &str) -> Result<(), String> {
    if path.starts_with('/') || path.starts_with('\\') {
        return Err("must be relative, like `news/us` (no leading `/`)".into());
    }
    for segment in path.split('/') {
        check_segment(segment).map_err(|e| format!("part `{segment}` {e}"))?;
    }
    Ok(())
}

/// Checks an alias or a `path` (an old URL of an article, `/2019/old-slug/`
/// or `/old/story.html`). Old URLs may use upper case, `.html` and the
/// punctuation paths allow, but no segment may be empty, `.`/`..`, hidden,
/// or hold separators, `%`-escapes, `:`, `*` or quotes.
pub fn check_alias(alias: &str) -> Result<(), String> {
    let Some(rest) = alias.strip_prefix('/') else {
        return Err("must start with `/`".into());
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err("cannot be the home page".into());
    }
    for segment in rest.split('/') {
        if segment.is_empty() || segment.starts_with('.') || segment.ends_with('.') {
            return Err(format!("has an empty, hidden or dotted part `{segment}`"));
        }
        // Old URLs hold what a path may (RFC 3986 `pchar`) and every file
        // system can name: `c++-buildpack`, `what's-new`, `(part-2)`.
        if let Some(bad) = segment
            .chars()
            .find(|c| !(c.is_alphanumeric() || "-_.~!$&'()+,;=@".contains(*c)))
        {
            return Err(format!(
                "contains {bad:?}; use letters, digits and `-_.~!$&'()+,;=@`"
            ));
        }
        if WINDOWS_DEVICES.contains(&segment.to_ascii_lowercase().as_str()) {
            return Err(format!("`{segment}` is a reserved device name on Windows"));
        }
    }
    Ok(())
}

/// The site-relative page path of a checked alias: `/old/` → `old/`,
/// `/old.html` → `old.html`, `/old` → `old/`.
pub fn alias_path(alias: &str) -> String {
    let rest = alias.trim_start_matches('/');
    if rest.ends_with('/') || rest.ends_with(".html") || rest.ends_with(".htm") {
        rest.to_string()
    } else {
        format!("{rest}/")
    }
}

/// The folder a page's bundle files are published in: the page's own
/// folder (`news/storm/`), or for a page written as a file
/// (`2025/03/26/storm.html`) the folder of that name (`2025/03/26/storm/`).
pub fn page_folder(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        return path.to_string();
    }
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if dir.is_empty() {
        format!("{stem}/")
    } else {
        format!("{dir}/{stem}/")
    }
}

/// The output file for a site-relative URL path: `news/` → `news/index.html`.
pub fn output_file(url_path: &str) -> String {
    if url_path.is_empty() || url_path.ends_with('/') {
        format!("{url_path}index.html")
    } else {
        url_path.to_string()
    }
}

/// The URL path of page `n` (1-based) of a list whose first page is `base`.
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_page_keeps_its_bundle_in_a_folder_of_its_name() {
        assert_eq!(super::page_folder("news/storm/"), "news/storm/");
        assert_eq!(
            super::page_folder("2025/03/26/storm.html"),
            "2025/03/26/storm/"
        );
        assert_eq!(super::page_folder("story.html"), "story/");
    }

    #[test]
    fn slugs_hold_what_real_urls_hold() {
        for ok in [
            "1.94.1-release",
            "Async-await-stable",
            "~notes",
            "café-au-lait",
            "東京",
            "a_b",
        ] {
            assert_eq!(super::check_slug(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "end.",
            "a/b",
            "a\\b",
            "100%",
            "tab\there",
            "CON",
            "aux.txt",
            "a b",
        ] {
            assert!(super::check_slug(bad).is_err(), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn slugify_transliterates_accents() {
        assert_eq!(slugify("Café Society Returns"), "cafe-society-returns");
        assert_eq!(slugify("U.S. Politics"), "u-s-politics");
        assert_eq!(slugify("CON"), "con-1");
    }

    #[test]
    fn segments_that_escape_or_break_paths_are_refused() {
        for bad in [
            "..", ".", "a/b", "%2e%2e", "C:\\x", "con", "NUL", "x.", "x ", "", "a\\b", "Up",
        ] {
            assert!(check_segment(bad).is_err(), "{bad:?} should be refused");
        }
        for good in ["seawall-vote", "2026", "東京", "élan", "a_b"] {
            assert!(check_segment(good).is_ok(), "{good:?} should be allowed");
        }
    }

    #[test]
    fn sections_are_relative_paths_of_good_segments() {
        assert!(check_section("news/world/asia").is_ok());
        assert!(check_section("/abs").is_err());
        assert!(check_section("a/../../b").is_err());
        assert!(check_section("news//us").is_err());
    }

    #[test]
    fn aliases_are_old_urls_that_stay_inside() {
        for good in [
            "/2019/old-slug/",
            "/old/Story.html",
            "/a",
            "/post/making-a-useful-c++-buildpack/",
            "/what's-new-(part-2)/",
        ] {
            assert!(check_alias(good).is_ok(), "{good}");
        }
        for bad in [
            "old/",
            "/",
            "/../x",
            "/a/./b",
            "/a//b",
            "/%2e%2e/",
            "/.git/",
            "/con/",
            "/a\\b",
            "/a:b/",
            "/a*/",
            "/say-\"hi\"/",
            "/a#b/",
            "/a?b",
        ] {
            assert!(check_alias(bad).is_err(), "{bad}");
        }
        assert_eq!(alias_path("/a"), "a/");
        assert_eq!(alias_path("/a/b.html"), "a/b.html");
    }

    #[test]
    fn page_paths() {
        assert_eq!(page_path("news/", 1), "news/");
        assert_eq!(page_path("news/", 3), "news/page/3/");
        assert_eq!(page_path("", 2), "page/2/");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("404.html"), "404.html");
    }
}
