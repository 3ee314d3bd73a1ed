//! Names every importer needs: article files Dateline accepts, the slug a
//! file gives, sections' display names, and no two articles in one file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::front;
use super::{Imported, Story};

/// A name Dateline accepts as a file name: lower-cased, other characters
/// as `-` (the URL is kept by `slug` or `path` anyway).
pub fn clean_name(name: &str) -> String {
    let cleaned = crate::urls::slugify(name);
    if cleaned.is_empty() {
        "page".into()
    } else {
        cleaned
    }
}

pub fn clean_path(path: &str) -> String {
    path.split('/')
        .map(clean_name)
        .collect::<Vec<_>>()
        .join("/")
}

/// A name's words capitalised, as Jekyll titles a post from its slug:
/// `harbor-opens` → `Harbor Opens`.
pub fn titleize(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

/// The name Dateline takes a slug from: the file's stem, or a bundle's
/// folder.
pub fn bundle_name(content_path: &str) -> String {
    let trimmed = content_path
        .strip_suffix("/index.md")
        .unwrap_or(content_path);
    let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// Display names of the top-level sections, from their `_index.md` titles.
pub fn section_titles(content: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(content) else {
        return out;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let dir = entry.path();
        let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        for index in ["_index.md", "_index.markdown"] {
            let Ok(text) = std::fs::read_to_string(dir.join(index)) else {
                continue;
            };
            let title = front::read(&text).ok().and_then(|f| {
                f.keys
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("title"))
                    .and_then(|(_, v)| v.as_str().map(str::to_string))
            });
            if let Some(title) = title {
                out.insert(clean_name(name), title);
            }
        }
    }
    out
}

/// Two stories cleaned to one file name (`A.md` and `a.md`) get `-2`,
/// `-3`…, keeping their slug as it was; a renamed bundle's files move
/// with it.
pub fn one_file_each(imported: &mut Imported) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for story in imported.stories.iter_mut() {
        let n = seen.entry(story.content_path.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            continue;
        }
        let stem = bundle_name(&story.content_path);
        if story.slug.is_none() {
            story.slug = Some(stem.clone());
        }
        story.content_path = match story.content_path.strip_suffix("/index.md") {
            Some(dir) => {
                let moved = format!("{dir}-{n}");
                // The files this story's bundle brought, not the first's.
                let (from, to) = (format!("content/{dir}/"), format!("content/{moved}/"));
                for (path, _) in imported.files.iter_mut().filter(|(_, src)| {
                    story
                        .source_dir
                        .as_deref()
                        .is_some_and(|d| src.starts_with(d))
                }) {
                    if let Some(rest) = path.strip_prefix(&from) {
                        *path = format!("{to}{rest}");
                    }
                }
                format!("{moved}/index.md")
            }
            None => format!("{}-{n}.md", story.content_path.trim_end_matches(".md")),
        };
    }
}

/// `@/` links written in the old site's terms (its content paths) point
/// to where those articles now are. A link that already names an article
/// of the new site is left as it is.
pub fn retarget_links(stories: &mut [Story]) {
    let finals: HashSet<String> = stories.iter().map(|s| s.content_path.clone()).collect();
    let moved: HashMap<String, String> = stories
        .iter()
        .filter(|s| !s.source.is_empty() && !finals.contains(&s.source))
        .map(|s| (s.source.clone(), s.content_path.clone()))
        .collect();
    if moved.is_empty() {
        return;
    }
    for story in stories.iter_mut() {
        if story.body.contains("@/") {
            story.body = retarget(&story.body, &moved);
        }
    }
}

/// Links to an article by its old address — absolute (`https://old.site/
/// 2024/05/03/x/`, as WordPress writes them) or from the site root — become
/// `@/` links, so they follow the article and the build checks them.
pub fn link_old_urls(stories: &mut [Story], base_url: &str) {
    let base = base_url.trim_end_matches('/');
    let host_only = base.matches('/').count() <= 2;
    let mut by_url: HashMap<String, String> = HashMap::new();
    for story in stories.iter() {
        // A draft or embargoed article is no link target until it is out.
        if story.old_url.is_empty() || story.draft || story.embargo.is_some() {
            continue;
        }
        let file = format!("@/{}", story.content_path);
        by_url.insert(format!("{base}{}", story.old_url), file.clone());
        if let Some(other) = other_scheme(base) {
            by_url.insert(format!("{other}{}", story.old_url), file.clone());
        }
        if host_only {
            by_url.insert(story.old_url.clone(), file);
        }
    }
    if by_url.is_empty() {
        return;
    }
    for story in stories.iter_mut() {
        if story.body.contains("](") {
            story.body = relink(&story.body, &by_url);
        }
    }
}

fn other_scheme(base: &str) -> Option<String> {
    match (base.strip_prefix("https://"), base.strip_prefix("http://")) {
        (Some(rest), _) => Some(format!("http://{rest}")),
        (_, Some(rest)) => Some(format!("https://{rest}")),
        _ => None,
    }
}

/// Rewrites markdown link destinations found in `by_url` (with or without
/// a trailing `/`; a `#fragment` kept).
fn relink(body: &str, by_url: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| c == ')' || c.is_whitespace())
            .unwrap_or(rest.len());
        let dest = &rest[..end];
        let (url, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(u, f)| (u, Some(f)));
        let found = by_url
            .get(url)
            .or_else(|| by_url.get(&format!("{url}/")))
            .or_else(|| url.strip_suffix('/').and_then(|u| by_url.get(u)));
        match (found, fragment) {
            (Some(file), Some(f)) => out.push_str(&format!("{file}#{f}")),
            (Some(file), None) => out.push_str(file),
            (None, _) => out.push_str(dest),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn retarget(body: &str, moved: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("@/") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| matches!(c, ')' | '#' | '"' | '\'' | '>' | '?') || c.is_whitespace())
            .unwrap_or(rest.len());
        match moved.get(&rest[..end]) {
            Some(to) => out.push_str(to),
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A bundle body's relative links that name no file of the bundle, made
/// absolute from the page's old URL: they point where they pointed
/// (Dateline reads a bundle's relative links as its files).
pub fn absolute_links(body: &str, page_url: &str, files: &[String]) -> String {
    let base = page_url.rsplit_once('/').map_or("/", |(dir, _)| dir);
    let fix = |dest: &str| -> Option<String> {
        let plain = dest.split(['#', '?']).next().unwrap_or(dest);
        let external =
            dest.starts_with(['/', '#', '@', '<']) || dest.contains(':') || plain.is_empty();
        let bundled = files.iter().any(|f| f == plain.trim_start_matches("./"));
        (!external && !bundled).then(|| join(base, dest))
    };
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        // `[label]: dest` definitions.
        if let Some((label, dest)) = line
            .trim_start()
            .strip_prefix('[')
            .and_then(|l| l.split_once("]:"))
        {
            let target = dest.trim();
            if let Some(fixed) = fix(target.split_whitespace().next().unwrap_or("")) {
                let rest = target
                    .split_once(char::is_whitespace)
                    .map_or("", |(_, r)| r);
                let end = if line.ends_with('\n') { "\n" } else { "" };
                out.push_str(format!("[{label}]: {fixed} {rest}").trim_end());
                out.push_str(end);
                continue;
            }
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            let end = rest.find([')', ' ']).unwrap_or(rest.len());
            match fix(&rest[..end]) {
                Some(fixed) => out.push_str(&fixed),
                None => out.push_str(&rest[..end]),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
    }
    out
}

/// `dest` resolved against the folder `base` (`/2023/11/09/post`), with
/// `./` and `../` taken away.
fn join(base: &str, dest: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in dest.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let trailing = if dest.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_links_in_a_bundle_point_where_they_pointed() {
        let files = vec!["photo.jpg".to_string()];
        let body = "![a](photo.jpg) [b](other.html#x) [c](../up/) [d](https://x.org/) [e](/abs/)\n[ref]: ./notes.md \"T\"\n";
        let out = super::absolute_links(body, "/2023/11/09/post/", &files);
        assert!(out.contains("![a](photo.jpg)"), "{out}");
        assert!(out.contains("[b](/2023/11/09/post/other.html#x)"), "{out}");
        assert!(out.contains("[c](/2023/11/09/up/)"), "{out}");
        assert!(
            out.contains("[d](https://x.org/)") && out.contains("[e](/abs/)"),
            "{out}"
        );
        assert!(
            out.contains("[ref]: /2023/11/09/post/notes.md \"T\""),
            "{out}"
        );
    }
}
