//! The URL Jekyll publishes a post at: its `permalink` (or the site's,
//! or the posts collection's), a style name or a pattern of
//! placeholders filled from the post's date in the site's time zone, its
//! categories and its slug, as Jekyll 3 and 4 fill them.

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

/// Jekyll's named permalink styles.
pub fn style(name: &str) -> &str {
    match name {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        pattern => pattern,
    }
}

/// What decides a post's URL.
pub struct Post<'a> {
    /// `slug` from the front matter, else the file name's, after its date.
    pub slug: &'a str,
    /// In order: the folders above `_posts`, then `categories`, `category`.
    pub categories: &'a [String],
    pub date: DateTime<Tz>,
    /// The file's path from the site root without its extension.
    pub path: &'a str,
}

/// The post's URL path, as the file Jekyll writes: `/x/` for a folder,
/// `/x.html` for a file (Jekyll writes `/x` as `x.html` too).
pub fn url(pattern: &str, post: &Post) -> String {
    let mut out = String::from("/");
    let mut rest = style(pattern);
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let name_len = rest[at + 1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(rest.len() - at - 1);
        let name = &rest[at + 1..at + 1 + name_len];
        match value(name, post) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[at..at + 1 + name_len]),
        }
        rest = &rest[at + 1 + name_len..];
    }
    out.push_str(rest);
    let mut clean = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '/' && clean.ends_with('/')) {
            clean.push(c);
        }
    }
    if !(clean.ends_with('/') || clean.ends_with(".html") || clean.ends_with(".htm")) {
        clean.push_str(".html");
    }
    clean
}

fn value(name: &str, post: &Post) -> Option<String> {
    let d = post.date;
    Some(match name {
        "year" => format!("{}", d.year()),
        "short_year" => format!("{:02}", d.year() % 100),
        "month" => format!("{:02}", d.month()),
        "i_month" => d.month().to_string(),
        "short_month" => d.format("%b").to_string(),
        "long_month" => d.format("%B").to_string(),
        "day" => format!("{:02}", d.day()),
        "i_day" => d.day().to_string(),
        "y_day" => format!("{:03}", d.ordinal()),
        "week" => format!("{:02}", d.iso_week().week()),
        "w_year" => d.iso_week().year().to_string(),
        "short_day" => d.format("%a").to_string(),
        "long_day" => d.format("%A").to_string(),
        "hour" => format!("{:02}", d.hour()),
        "minute" => format!("{:02}", d.minute()),
        "second" => format!("{:02}", d.second()),
        "title" => slugify(post.slug, true, true),
        "slug" => slugify(post.slug, false, false),
        "name" => post
            .path
            .rsplit('/')
            .next()
            .unwrap_or(post.path)
            .to_string(),
        "path" => post.path.to_string(),
        "output_ext" => ".html".into(),
        "categories" => categories(post.categories, |c| c.to_lowercase()),
        "slugified_categories" => categories(post.categories, |c| slugify(c, false, false)),
        _ => return None,
    })
}

fn categories(list: &[String], each: impl Fn(&str) -> String) -> String {
    let mut seen: Vec<String> = Vec::new();
    for c in list {
        let c = each(c);
        if !c.is_empty() && !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.join("/")
}

/// Jekyll's `Utils.slugify`: `pretty` keeps letters, digits and
/// `._~!$&'()+,;=@`, `default` letters and digits; runs of anything else
/// become one `-`; lower-cased unless `cased`.
pub fn slugify(text: &str, pretty: bool, cased: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    match cased {
        true => out.to_string(),
        false => out.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn jekyll_fills_its_patterns_as_jekyll_does() {
        let date = chrono_tz::Tz::UTC
            .with_ymd_and_hms(2017, 9, 11, 8, 0, 0)
            .unwrap();
        let categories = ["blog".to_string(), "Release".into(), "blog".into()];
        let post = Post {
            slug: "Scalafix v0.5",
            categories: &categories,
            date,
            path: "blog/_posts/2017-09-11-scalafix",
        };
        assert_eq!(
            url("date", &post),
            "/blog/release/2017/09/11/Scalafix-v0.5.html"
        );
        assert_eq!(url("/:year/:slug", &post), "/2017/scalafix-v0-5.html");
        assert_eq!(url("/news/:title/", &post), "/news/Scalafix-v0.5/");
        let none = Post {
            categories: &[],
            ..post
        };
        assert_eq!(url("pretty", &none), "/2017/09/11/Scalafix-v0.5/");
        assert_eq!(url("ordinal", &none), "/2017/254/Scalafix-v0.5.html");
    }
}
