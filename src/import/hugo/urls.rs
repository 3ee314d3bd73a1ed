//! The URL Hugo publishes a page at, from its file, front matter and the
//! site's permalink settings, so the import can keep it.

use chrono::{DateTime, Datelike, FixedOffset};

/// What decides a page's URL in Hugo.
pub struct Page<'a> {
    /// The page's path relative to the content folder, without the
    /// extension and, for a bundle, without `/index` (`posts/trip`).
    pub path: &'a str,
    pub slug: Option<&'a str>,
    pub url: Option<&'a str>,
    pub title: &'a str,
    pub date: DateTime<FixedOffset>,
}

/// The site settings that shape URLs.
pub struct Rules<'a> {
    /// Section → pattern, from `[permalinks]` (or `[permalinks.page]`).
    pub permalinks: &'a [(String, String)],
    pub ugly: &'a dyn Fn(&str) -> bool,
    pub lower: bool,
}

/// The page's URL path (`/posts/hello/`, `/2020/01/hello.html`), or why
/// it cannot be worked out.
pub fn url(page: &Page, rules: &Rules) -> Result<String, String> {
    if let Some(url) = page.url {
        let url = if url.starts_with('/') {
            url.to_string()
        } else {
            format!("/{url}")
        };
        let file = url.ends_with(".html") || url.ends_with(".htm") || url.ends_with('/');
        return Ok(if file { url } else { format!("{url}/") });
    }
    let (dir, name) = page.path.rsplit_once('/').unwrap_or(("", page.path));
    let section = page.path.split_once('/').map_or("", |(s, _)| s);
    let ugly = (rules.ugly)(section);
    let raw = match rules.permalinks.iter().find(|(s, _)| s == section) {
        Some((_, pattern)) => expand(pattern, page, section, dir, name)?,
        None => {
            let last = page.slug.unwrap_or(name);
            let mut path = String::from("/");
            if !dir.is_empty() {
                path.push_str(dir);
                path.push('/');
            }
            path.push_str(last);
            path.push('/');
            path
        }
    };
    let mut path = make_path(&raw);
    if rules.lower {
        path = path.to_lowercase();
    }
    if path.ends_with(".html") || path.ends_with(".htm") {
        return Ok(path);
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    if ugly && path.len() > 1 {
        path.pop();
        path.push_str(".html");
    }
    Ok(path)
}

fn expand(
    pattern: &str,
    page: &Page,
    section: &str,
    dir: &str,
    name: &str,
) -> Result<String, String> {
    let title = urlize(page.title);
    let d = page.date;
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let token = &after[..len];
        let value = match token {
            "year" => d.year().to_string(),
            "month" => format!("{:02}", d.month()),
            "monthname" => d.format("%B").to_string().to_lowercase(),
            "day" => format!("{:02}", d.day()),
            "weekday" => d.weekday().num_days_from_sunday().to_string(),
            "weekdayname" => d.format("%A").to_string().to_lowercase(),
            "yearday" => d.ordinal().to_string(),
            "section" => section.to_string(),
            "sections" => dir.to_string(),
            "title" => title.clone(),
            "slug" => page.slug.map_or_else(|| title.clone(), str::to_string),
            "filename" | "contentbasename" => name.to_string(),
            "slugorfilename" | "slugorcontentbasename" => page.slug.unwrap_or(name).to_string(),
            other => {
                return Err(format!(
                    "permalink token `:{other}` is not one Dateline can follow"
                ))
            }
        };
        if after[len..].starts_with('[') {
            return Err(format!(
                "permalink token `:{token}[…]` is not one Dateline can follow"
            ));
        }
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    Ok(out)
}

/// Hugo's path cleaning: spaces become `-`; letters, digits and
/// `. / _ - ~ + #` stay; the rest goes.
fn make_path(path: &str) -> String {
    path.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || "./_-~+#".contains(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// A title as Hugo puts it in a URL: cleaned and lower-cased.
fn urlize(text: &str) -> String {
    make_path(text.trim()).replace('/', "").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2020-03-07T10:00:00+01:00").unwrap()
    }

    fn page<'a>(path: &'a str, slug: Option<&'a str>) -> Page<'a> {
        Page {
            path,
            slug,
            url: None,
            title: "Hello, World!",
            date: date(),
        }
    }

    #[test]
    fn hugo_urls_from_files_patterns_and_settings() {
        let none: Vec<(String, String)> = Vec::new();
        let no = |_: &str| false;
        let rules = Rules {
            permalinks: &none,
            ugly: &no,
            lower: true,
        };
        assert_eq!(
            url(&page("posts/My Post", None), &rules).unwrap(),
            "/posts/my-post/"
        );
        assert_eq!(
            url(&page("posts/x", Some("Custom")), &rules).unwrap(),
            "/posts/custom/"
        );
        assert_eq!(url(&page("about", None), &rules).unwrap(), "/about/");
        let yes = |s: &str| s == "posts";
        let ugly = Rules {
            permalinks: &none,
            ugly: &yes,
            lower: true,
        };
        assert_eq!(url(&page("posts/x", None), &ugly).unwrap(), "/posts/x.html");
        let patterns = vec![(
            "posts".to_string(),
            "/:year/:month/:day/:title/".to_string(),
        )];
        let dated = Rules {
            permalinks: &patterns,
            ugly: &no,
            lower: true,
        };
        assert_eq!(
            url(&page("posts/x", None), &dated).unwrap(),
            "/2020/03/07/hello-world/"
        );
        let patterns = vec![(
            "posts".to_string(),
            "/:sections/:slugorfilename".to_string(),
        )];
        let kept = Rules {
            permalinks: &patterns,
            ugly: &no,
            lower: false,
        };
        assert_eq!(
            url(&page("posts/2020/Big", None), &kept).unwrap(),
            "/posts/2020/Big/"
        );
        let mut fixed = page("posts/x", None);
        fixed.url = Some("/old/Story.html");
        assert_eq!(url(&fixed, &rules).unwrap(), "/old/Story.html");
    }
}
