//! Parsed articles kept in the build cache, so a rebuild reads again only
//! the files that changed.
//!
//! Two stores: `articles/` holds each parsed article under the hash of
//! everything its parse read (the file's bytes and paths, its bundle's
//! file list, the time zone, the shortcodes defined, the executable);
//! `sources/` holds one list per site of each file's size, time and that
//! hash, so an unchanged file is known by a `stat` and never opened. A
//! file whose time is too close to the list's making is read anyway (it
//! may have changed again within the clock's tick, as git's index
//! guards against). The encoding is this module's own: fields in order,
//! lengths in front, nothing that a newer serde could read differently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::article::{Article, Bundle, Correction, Image, Related, RelatedTarget};
use super::live::{Live, Update};
use crate::cache::bytes::{Reader, Writer};
use crate::cache::{Cache, Key, KeyBuilder};
use crate::markdown::{Arg, Body, BodyLink, Call};

const ARTICLES: &str = "articles";
const SOURCES: &str = "sources";

/// A file's size and modification time, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    pub mtime: i128,
}

impl Stat {
    pub fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        let t = meta.modified().ok()?;
        let mtime = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Some(Stat {
            size: meta.len(),
            mtime,
        })
    }
}

/// The last build's list of source files: content path → (stat, key).
#[derive(Debug, Default)]
pub struct Sources {
    pub files: HashMap<String, (Stat, Key)>,
    /// When the list was made; files modified this close to it are read.
    pub made: i128,
}

/// Files modified within this many nanoseconds of the list are read again.
const RACY_NS: i128 = 2_000_000_000;

fn sources_key(root: &Path) -> Key {
    KeyBuilder::new(SOURCES)
        .bytes(root.as_os_str().as_encoded_bytes())
        .key()
}

impl Sources {
    pub fn load(cache: &Cache, root: &Path) -> Sources {
        cache
            .get(SOURCES, &sources_key(root))
            .and_then(|bytes| {
                let mut r = Reader(&bytes);
                let made = r.i128()?;
                let n = r.len()?;
                let mut files = HashMap::with_capacity(n.min(bytes.len() / 40));
                for _ in 0..n {
                    let path = r.string()?;
                    let stat = Stat {
                        size: r.u64()?,
                        mtime: r.i128()?,
                    };
                    files.insert(path, (stat, r.key()?));
                }
                r.0.is_empty().then_some(Sources { files, made })
            })
            .unwrap_or_default()
    }

    /// The key of `path` if its stat is the one listed and safely older
    /// than the list.
    pub fn known(&self, path: &str, stat: Stat) -> Option<Key> {
        let (was, key) = self.files.get(path)?;
        (*was == stat && stat.mtime < self.made - RACY_NS).then_some(*key)
    }

    /// Stores the list; `made`: when the files were looked at, before any
    /// was read.
    pub fn save(cache: &Cache, root: &Path, files: &[(String, Stat, Key)], made: i128) {
        let mut w = Writer::default();
        w.i128(made);
        w.len(files.len());
        for (path, stat, key) in files {
            w.str(path);
            w.u64(stat.size);
            w.i128(stat.mtime);
            w.bytes_raw(key.bytes());
        }
        let _ = cache.put(SOURCES, &sources_key(root), &w.0);
    }
}

pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The parsed article under `key`, if stored and whole.
pub fn get(cache: &Cache, key: &Key) -> Option<Article> {
    let bytes = cache.get(ARTICLES, key)?;
    let mut r = Reader(&bytes);
    let a = Article::read(&mut r)?;
    r.0.is_empty().then_some(a)
}

pub fn put(cache: &Cache, key: &Key, article: &Article) {
    let mut w = Writer::default();
    article.write(&mut w);
    let _ = cache.put(ARTICLES, key, &w.0);
}

/// One source file as the next build's list will hold it.
pub struct Listed {
    pub path: String,
    pub stat: Stat,
    pub key: Key,
    /// Parsed by this build (not found in the cache).
    pub parsed: bool,
}

/// [`super::load_file`] through the cache.
pub fn load_file(
    file: &super::SourceFile,
    config: &crate::config::Config,
    shortcodes: &super::Shortcodes,
    cache: &Cache,
    sources: &Sources,
    parse_key: &Key,
) -> Result<(Article, Option<Listed>), Vec<crate::error::Diagnostic>> {
    let stat = std::fs::metadata(&file.abs).ok().and_then(|m| Stat::of(&m));
    let listed = |key: Key, parsed: bool| {
        stat.map(|stat| Listed {
            path: file.content_path.clone(),
            stat,
            key,
            parsed,
        })
    };
    // A bundle's files may change with its index.md untouched: a bundle
    // is always read, to hash its file list with it.
    if let (Some(stat), false) = (stat, file.bundle) {
        if let Some(key) = sources.known(&file.content_path, stat) {
            if let Some(a) = get(cache, &key).filter(|a| a.source == file.rel) {
                return Ok((a, listed(key, false)));
            }
        }
    }
    let bytes = std::fs::read(&file.abs)
        .map_err(|e| vec![crate::error::io_diag(&file.rel, "read the article", &e)])?;
    let bundle = match file.bundle {
        true => Some(super::bundles::list(file)?),
        false => None,
    };
    let mut k = KeyBuilder::new(ARTICLES);
    k.bytes(parse_key.bytes())
        .bytes(file.rel.as_os_str().as_encoded_bytes())
        .bytes(file.content_path.as_bytes())
        .bytes(&bytes);
    if let Some(b) = &bundle {
        k.bytes(b.dir.as_os_str().as_encoded_bytes());
        for f in &b.files {
            k.bytes(f.as_bytes());
        }
    }
    let key = k.key();
    if let Some(a) = get(cache, &key) {
        return Ok((a, listed(key, false)));
    }
    let a = super::parse_bytes(file, config, shortcodes, &bytes, bundle)?;
    put(cache, &key, &a);
    Ok((a, listed(key, true)))
}

/// Lists this build's sources for the next; with `prune`, stored
/// articles no source has any more go.
pub fn remember(cache: &Cache, root: &Path, listed: &[Listed], made: i128, prune: bool) {
    let files: Vec<(String, Stat, Key)> = listed
        .iter()
        .map(|l| (l.path.clone(), l.stat, l.key))
        .collect();
    Sources::save(cache, root, &files, made);
    if prune {
        let keep = listed.iter().map(|l| l.key).collect();
        let _ = cache.prune(ARTICLES, &keep);
    }
}

/// A value with a fixed encoding.
trait Codec: Sized {
    fn write(&self, w: &mut Writer);
    fn read(r: &mut Reader<'_>) -> Option<Self>;
}

impl Codec for String {
    fn write(&self, w: &mut Writer) {
        w.str(self);
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        r.string()
    }
}

impl Codec for usize {
    fn write(&self, w: &mut Writer) {
        w.len(*self);
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        r.len()
    }
}

impl Codec for u16 {
    fn write(&self, w: &mut Writer) {
        w.u64(u64::from(*self));
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        u16::try_from(r.u64()?).ok()
    }
}

impl Codec for i64 {
    fn write(&self, w: &mut Writer) {
        w.u64(*self as u64);
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        Some(r.u64()? as i64)
    }
}

impl Codec for f64 {
    fn write(&self, w: &mut Writer) {
        w.u64(self.to_bits());
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        Some(f64::from_bits(r.u64()?))
    }
}

impl Codec for bool {
    fn write(&self, w: &mut Writer) {
        w.0.push(u8::from(*self));
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        match r.take(1)?[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Codec for [u8; 32] {
    fn write(&self, w: &mut Writer) {
        w.bytes_raw(self);
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        r.take(32)?.try_into().ok()
    }
}

impl Codec for PathBuf {
    fn write(&self, w: &mut Writer) {
        w.len(self.as_os_str().len());
        w.bytes_raw(self.as_os_str().as_encoded_bytes());
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        let bytes = r.take(n)?;
        // Written from an OsStr on this same system, so the bytes are one.
        let s = std::str::from_utf8(bytes).ok()?;
        Some(PathBuf::from(s))
    }
}

impl Codec for DateTime<FixedOffset> {
    fn write(&self, w: &mut Writer) {
        w.str(&self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false));
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        DateTime::parse_from_rfc3339(&r.string()?).ok()
    }
}

impl<T: Codec> Codec for Option<T> {
    fn write(&self, w: &mut Writer) {
        match self {
            None => w.0.push(0),
            Some(v) => {
                w.0.push(1);
                v.write(w);
            }
        }
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        match r.take(1)?[0] {
            0 => Some(None),
            1 => Some(Some(T::read(r)?)),
            _ => None,
        }
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn write(&self, w: &mut Writer) {
        w.len(self.len());
        for v in self {
            v.write(w);
        }
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        let mut out = Vec::with_capacity(n.min(r.0.len()));
        for _ in 0..n {
            out.push(T::read(r)?);
        }
        Some(out)
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn write(&self, w: &mut Writer) {
        self.0.write(w);
        self.1.write(w);
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        Some((A::read(r)?, B::read(r)?))
    }
}

/// The encoding of a struct: its fields, in order.
macro_rules! fields {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Codec for $t {
            fn write(&self, w: &mut Writer) {
                $(self.$f.write(w);)*
            }
            fn read(r: &mut Reader<'_>) -> Option<Self> {
                Some($t { $($f: Codec::read(r)?),* })
            }
        }
    };
}

fields!(Correction { date, text });
fields!(Image {
    src,
    bundled,
    alt,
    caption,
    credit,
    focus
});
fields!(Related { target, line });
fields!(BodyLink {
    url,
    line,
    column,
    image
});
fields!(Call {
    name,
    args,
    line,
    column,
    body
});
fields!(Update {
    time,
    title,
    anchor,
    heading
});
fields!(Live {
    until,
    updates,
    headings
});
fields!(Bundle { dir, files });
fields!(Article {
    source,
    content_path,
    headline,
    dek,
    date,
    updated,
    section,
    slug,
    kind,
    tags,
    tag_slugs,
    authors,
    summary,
    image,
    related,
    draft,
    embargo,
    corrections,
    aliases,
    path,
    word_count,
    excerpt,
    key_lines,
    body,
    links,
    body_line,
    live,
    calls,
    bundle,
    source_hash,
});

impl Codec for RelatedTarget {
    fn write(&self, w: &mut Writer) {
        match self {
            RelatedTarget::Article(s) => {
                w.0.push(0);
                s.write(w);
            }
            RelatedTarget::External { title, url } => {
                w.0.push(1);
                title.write(w);
                url.write(w);
            }
        }
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        match r.take(1)?[0] {
            0 => Some(RelatedTarget::Article(String::read(r)?)),
            1 => Some(RelatedTarget::External {
                title: String::read(r)?,
                url: String::read(r)?,
            }),
            _ => None,
        }
    }
}

impl Codec for Body {
    fn write(&self, w: &mut Writer) {
        let (tag, text) = match self {
            Body::Html(t) => (0, t),
            Body::Markdown(t) => (1, t),
        };
        w.0.push(tag);
        text.write(w);
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        match r.take(1)?[0] {
            0 => Some(Body::Html(String::read(r)?)),
            1 => Some(Body::Markdown(String::read(r)?)),
            _ => None,
        }
    }
}

impl Codec for Arg {
    fn write(&self, w: &mut Writer) {
        match self {
            Arg::Str(s) => {
                w.0.push(0);
                s.write(w);
            }
            Arg::Int(n) => {
                w.0.push(1);
                n.write(w);
            }
            Arg::Float(f) => {
                w.0.push(2);
                f.write(w);
            }
            Arg::Bool(b) => {
                w.0.push(3);
                b.write(w);
            }
            Arg::Array(items) => {
                w.0.push(4);
                items.write(w);
            }
        }
    }
    fn read(r: &mut Reader<'_>) -> Option<Self> {
        match r.take(1)?[0] {
            0 => Some(Arg::Str(String::read(r)?)),
            1 => Some(Arg::Int(i64::read(r)?)),
            2 => Some(Arg::Float(f64::read(r)?)),
            3 => Some(Arg::Bool(bool::read(r)?)),
            4 => Some(Arg::Array(Vec::read(r)?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_reads_back_as_it_was_written() {
        let text = "---\nheadline: A storm\ndate: 2026-11-02T08:00:00-05:00\nsection: news/us\n\
tags: [Weather, Storms]\nauthors: [Ana Ruiz]\nsummary: [One, Two]\n\
image: {src: /a.jpg, alt: Sky, caption: Clouds, credit: AP, focus: [0.3, 0.4]}\n\
related: [{title: Elsewhere, url: 'https://example.org/'}]\n\
corrections: [{date: 2026-11-03, text: Fixed a name.}]\naliases: [/old/storm/]\n---\n\
Body with a [link](https://example.com).\n\n{% pullquote(by=\"Ana\") %}Quoted *words*{% end %}\n";
        let a = super::super::parse_article(
            Path::new("content/news/us/storm.md"),
            "news/us/storm.md",
            text,
            chrono_tz::UTC,
        )
        .unwrap();
        let mut w = Writer::default();
        a.write(&mut w);
        let mut r = Reader(&w.0);
        let back = Article::read(&mut r).unwrap();
        assert!(r.0.is_empty());
        assert_eq!(format!("{back:?}"), format!("{a:?}"));
        assert_eq!(back.calls.len(), 1);
        let args = vec![
            Arg::Str("s".into()),
            Arg::Int(-3),
            Arg::Float(1.5),
            Arg::Bool(true),
            Arg::Array(vec![Arg::Int(1)]),
        ];
        let mut w2 = Writer::default();
        args.write(&mut w2);
        assert_eq!(Vec::<Arg>::read(&mut Reader(&w2.0)), Some(args));
        // A cut entry is refused, not read short.
        let mut r = Reader(&w.0[..w.0.len() - 1]);
        assert!(Article::read(&mut r).is_none());
    }
}
