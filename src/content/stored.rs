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

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset};

use super::article::{Article, Bundle, Correction, Image, Related, RelatedTarget};
use super::live::{Live, Update};
use crate::cache::bytes::{Reader, Writer};
use crate::cache::pack::{Loc, Packs};
use crate::cache::{Cache, Key, KeyBuilder};
use crate::markdown::{Arg, Body, BodyLink, Call};

const ARTICLES: &str = "articles";
/// The folder of the article packs, in the cache.
const PACKS: &str = "packs";
const SOURCES: &str = "sources";

/// A file's size and modification time, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    pub mtime: i128,
}

impl Stat {
    pub fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        Some(Stat::at(meta.len(), meta.modified().ok()?))
    }

    /// A file of `size` bytes modified at `t`.
    pub fn at(size: u64, t: std::time::SystemTime) -> Stat {
        let mtime = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Stat { size, mtime }
    }
}

/// The sources as a walk of `content/` just found them (path under
/// `content/` → size and time), so the loader need not stat each again.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub files: FxHashMap<String, Stat>,
    /// When the walk began, in nanoseconds since the epoch.
    pub made: i128,
}

/// Where one parsed article is: its fields, and its body apart, which a
/// build reads only when it draws the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub article: Loc,
    pub body: Loc,
}

/// One source file in the last build's list.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub stat: Stat,
    pub key: Key,
    pub at: Stored,
}

/// The last build's list of source files (content path → where its
/// parse is), with the packs holding them open.
pub struct Sources {
    pub files: FxHashMap<String, Entry>,
    /// When the list was made; files modified this close to it are read.
    pub made: i128,
    packs: Arc<Packs>,
    by_key: OnceLock<FxHashMap<Key, Stored>>,
    /// Parses an article again if its body is not where it was left.
    reparse: Arc<Reparse>,
}

/// What parsing an article again needs (see [`StoredBody::load`]).
pub struct Reparse {
    pub root: PathBuf,
    pub tz: chrono_tz::Tz,
    pub shortcodes: super::Shortcodes,
}

/// Files modified within this many nanoseconds of the list are read again.
const RACY_NS: i128 = 2_000_000_000;

fn sources_key(root: &Path) -> Key {
    // "packed": lists of the one-file-per-article store are never read.
    KeyBuilder::new(SOURCES)
        .bytes(b"packed")
        .bytes(root.as_os_str().as_encoded_bytes())
        .key()
}

/// Names this site's packs: each build's own, so two never write one.
fn pack_prefix(root: &Path) -> String {
    sources_key(root).short(16)
}

fn read_loc(r: &mut Reader<'_>, packs: usize) -> Option<Loc> {
    let pack = u32::try_from(r.u64()?)
        .ok()
        .filter(|p| (*p as usize) < packs)?;
    Some(Loc {
        pack,
        offset: r.u64()?,
        len: u32::try_from(r.u64()?).ok()?,
    })
}

fn write_loc(w: &mut Writer, loc: Loc, renumber: &HashMap<u32, u32>) {
    w.u64(u64::from(renumber[&loc.pack]));
    w.u64(loc.offset);
    w.u64(u64::from(loc.len));
}

impl Sources {
    pub fn load(cache: &Cache, root: &Path, reparse: Reparse) -> Sources {
        let (files, made, names) = cache
            .get(SOURCES, &sources_key(root))
            .and_then(|bytes| Sources::decode(&bytes))
            .unwrap_or_default();
        let new_name = format!(
            "{}-{}-{}.pack",
            pack_prefix(root),
            now_ns(),
            std::process::id()
        );
        Sources {
            files,
            made,
            packs: Arc::new(Packs::open(&cache.root().join(PACKS), names, new_name)),
            by_key: OnceLock::new(),
            reparse: Arc::new(reparse),
        }
    }

    #[allow(clippy::type_complexity)]
    fn decode(bytes: &[u8]) -> Option<(FxHashMap<String, Entry>, i128, Vec<String>)> {
        let mut r = Reader(bytes);
        let made = r.i128()?;
        let n_packs = r.len()?;
        let mut names = Vec::with_capacity(n_packs.min(bytes.len()));
        for _ in 0..n_packs {
            // A name is only ever this module's: nothing to climb out by.
            names.push(r.string().filter(|n| !n.contains(['/', '\\']))?);
        }
        let n = r.len()?;
        let mut files =
            FxHashMap::with_capacity_and_hasher(n.min(bytes.len() / 80), Default::default());
        for _ in 0..n {
            let path = r.string()?;
            let stat = Stat {
                size: r.u64()?,
                mtime: r.i128()?,
            };
            let key = r.key()?;
            let at = Stored {
                article: read_loc(&mut r, n_packs)?,
                body: read_loc(&mut r, n_packs)?,
            };
            files.insert(path, Entry { stat, key, at });
        }
        r.is_empty().then_some((files, made, names))
    }

    /// The key of `path` if its stat is the one listed and safely older
    /// than the list.
    pub fn known(&self, path: &str, stat: Stat) -> Option<Entry> {
        let e = self.files.get(path)?;
        (e.stat == stat && stat.mtime < self.made - RACY_NS).then_some(*e)
    }

    /// Where the article parsed under `key` is, if any listed file had it.
    fn by_key(&self, key: &Key) -> Option<Stored> {
        self.by_key
            .get_or_init(|| self.files.values().map(|e| (e.key, e.at)).collect())
            .get(key)
            .copied()
    }

    /// The article stored at `at`, its body left where it is.
    fn article(&self, at: Stored) -> Option<Article> {
        let bytes = self.packs.read(at.article)?;
        let mut r = Reader(&bytes);
        let mut a = Article::read(&mut r)?;
        r.is_empty().then_some(())?;
        a.stored_body = Some(StoredBody {
            packs: self.packs.clone(),
            at: at.body,
            reparse: self.reparse.clone(),
        });
        Some(a)
    }

    /// Appends `a` to this build's pack, its body apart; in memory, the
    /// body is then left there. `None` (and `a` as it was) if the pack
    /// cannot be written.
    fn store(&self, mut a: Article) -> (Article, Option<Stored>) {
        let mut w = Writer::default();
        a.body.write(&mut w);
        let Some(body) = self.packs.append(&w.0) else {
            return (a, None);
        };
        let empty = empty_like(&a.body);
        let text = std::mem::replace(&mut a.body, empty);
        let mut w = Writer::default();
        a.write(&mut w);
        let Some(article) = self.packs.append(&w.0) else {
            a.body = text;
            return (a, None);
        };
        a.stored_body = Some(StoredBody {
            packs: self.packs.clone(),
            at: body,
            reparse: self.reparse.clone(),
        });
        (a, Some(Stored { article, body }))
    }

    /// Stores the list of `files`, keeping only the packs it names and
    /// folding packs mostly of dead entries into this build's; `made`:
    /// when the files were looked at, before any was read.
    fn save(&self, cache: &Cache, root: &Path, files: &mut [Listed], made: i128) {
        self.compact(files);
        let mut renumber: HashMap<u32, u32> = HashMap::new();
        let mut names = Vec::new();
        for l in files.iter() {
            for loc in [l.at.article, l.at.body] {
                renumber.entry(loc.pack).or_insert_with(|| {
                    names.push(self.packs.names()[loc.pack as usize].clone());
                    (names.len() - 1) as u32
                });
            }
        }
        let mut w = Writer::default();
        w.i128(made);
        w.len(names.len());
        for n in &names {
            w.str(n);
        }
        w.len(files.len());
        for l in files.iter() {
            w.str(&l.path);
            w.u64(l.stat.size);
            w.i128(l.stat.mtime);
            w.bytes_raw(l.key.bytes());
            write_loc(&mut w, l.at.article, &renumber);
            write_loc(&mut w, l.at.body, &renumber);
        }
        if cache.put(SOURCES, &sources_key(root), &w.0).is_err() {
            return;
        }
        // The list no longer names them: this site's other packs go (a
        // build still reading one keeps it open, and so readable).
        let keep: HashSet<&str> = names.iter().map(String::as_str).collect();
        let prefix = format!("{}-", pack_prefix(root));
        if let Ok(dir) = std::fs::read_dir(self.packs.dir()) {
            for entry in dir.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && !keep.contains(name.as_str()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        // The store of one file per article, from before packs.
        let _ = std::fs::remove_dir_all(cache.root().join(ARTICLES));
    }

    /// Copies into this build's pack the live entries of packs that are
    /// mostly dead, or small when there are many, so that the packs kept
    /// stay few and a deleted archive does not stay on disk.
    fn compact(&self, files: &mut [Listed]) {
        let mut live: HashMap<u32, u64> = HashMap::new();
        for l in files.iter() {
            for loc in [l.at.article, l.at.body] {
                *live.entry(loc.pack).or_default() += loc.size();
            }
        }
        let new = self.packs.new_pack();
        let sizes: HashMap<u32, u64> = live.keys().map(|&p| (p, self.packs.len_of(p))).collect();
        let largest = sizes.values().copied().max().unwrap_or(0);
        let many = live.len() > MAX_PACKS;
        let fold: HashSet<u32> = live
            .iter()
            .filter(|(&p, &bytes)| {
                p != new && (bytes * 2 < sizes[&p] || (many && sizes[&p] * 8 < largest))
            })
            .map(|(&p, _)| p)
            .collect();
        if fold.is_empty() {
            return;
        }
        for l in files.iter_mut() {
            for loc in [&mut l.at.article, &mut l.at.body] {
                if fold.contains(&loc.pack) {
                    // An entry that cannot be copied stays where it is.
                    if let Some(moved) = self.packs.read(*loc).and_then(|b| self.packs.append(&b)) {
                        *loc = moved;
                    }
                }
            }
        }
    }
}

/// More packs than this, and the small ones are folded together.
const MAX_PACKS: usize = 16;

/// A body of the same kind, without its text.
fn empty_like(body: &Body) -> Body {
    match body {
        Body::Html(_) => Body::Html(String::new()),
        Body::Markdown(_) => Body::Markdown(String::new()),
    }
}

/// An article's body left in the build's packs: a million bodies are
/// most of what an archive weighs, and each is needed only while its
/// page (and, for the latest, a feed entry) is drawn.
#[derive(Clone)]
pub struct StoredBody {
    packs: Arc<Packs>,
    at: Loc,
    reparse: Arc<Reparse>,
}

impl std::fmt::Debug for StoredBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredBody({:?})", self.at)
    }
}

impl StoredBody {
    /// The body of `a`, from its pack; parsed from its source again if
    /// the pack lost it (the cache was damaged meanwhile), which must
    /// still be the text the build read.
    pub fn load(&self, a: &Article) -> Result<Body, String> {
        let stored = self.packs.read(self.at).and_then(|bytes| {
            let mut r = Reader(&bytes);
            let body = Body::read(&mut r)?;
            r.is_empty().then_some(body)
        });
        if let Some(body) = stored {
            return Ok(body);
        }
        let file = super::SourceFile {
            abs: self.reparse.root.join(&a.source),
            rel: a.source.clone(),
            content_path: a.content_path.clone(),
            bundle: a.bundle.is_some(),
        };
        let changed = || format!("{} changed during the build", a.source.display());
        let bytes = std::fs::read(&file.abs).map_err(|e| format!("{}: {e}", a.source.display()))?;
        let env = super::ParseEnv {
            tz: self.reparse.tz,
            shortcodes: &self.reparse.shortcodes,
        };
        let text = super::decode_source(&bytes).map_err(|_| changed())?;
        let again = super::article::parse_article_in(
            &a.source,
            &a.content_path,
            &text,
            &env,
            a.bundle.clone(),
        )
        .map_err(|_| changed())?;
        match again.source_hash == a.source_hash {
            true => Ok(again.body),
            false => Err(changed()),
        }
    }
}

pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// One source file as the next build's list will hold it.
pub struct Listed {
    pub path: String,
    pub stat: Stat,
    pub key: Key,
    pub at: Stored,
    /// Known by its stat alone, as the list has it.
    pub unchanged: bool,
}

/// [`super::load_file`] through the cache.
pub fn load_file(
    file: &super::SourceFile,
    config: &crate::config::Config,
    shortcodes: &super::Shortcodes,
    sources: &Sources,
    parse_key: &Key,
    listing: Option<&Listing>,
) -> Result<(Article, Option<Listed>), Vec<crate::error::Diagnostic>> {
    let stat = match listing.and_then(|l| l.files.get(&file.content_path)) {
        Some(stat) => Some(*stat),
        None => std::fs::metadata(&file.abs).ok().and_then(|m| Stat::of(&m)),
    };
    let listed = |key: Key, at: Option<Stored>, unchanged: bool| {
        Some(Listed {
            path: file.content_path.clone(),
            stat: stat?,
            key,
            at: at?,
            unchanged,
        })
    };
    // A bundle's files may change with its index.md untouched: a bundle
    // is always read, to hash its file list with it.
    if let (Some(stat), false) = (stat, file.bundle) {
        if let Some(e) = sources.known(&file.content_path, stat) {
            if let Some(a) = sources.article(e.at).filter(|a| a.source == file.rel) {
                return Ok((a, listed(e.key, Some(e.at), true)));
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
    if let Some(at) = sources.by_key(&key) {
        if let Some(a) = sources.article(at).filter(|a| a.source == file.rel) {
            return Ok((a, listed(key, Some(at), false)));
        }
    }
    let a = super::parse_bytes(file, config, shortcodes, &bytes, bundle)?;
    let (a, at) = sources.store(a);
    Ok((a, listed(key, at, false)))
}

/// Lists this build's sources for the next, in the packs that hold them.
/// A list that would say what the last one says is not written again: at
/// a million articles it is a hundred megabytes.
pub fn remember(cache: &Cache, root: &Path, sources: &Sources, listed: &mut [Listed], made: i128) {
    let same = listed.len() == sources.files.len() && listed.iter().all(|l| l.unchanged);
    if !same {
        sources.save(cache, root, listed, made);
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
/// Fields after `;` are not written, and read back as their default.
macro_rules! fields {
    ($t:ident { $($f:ident),* $(,)? } $(; $($skip:ident),*)?) => {
        impl Codec for $t {
            fn write(&self, w: &mut Writer) {
                $(self.$f.write(w);)*
            }
            fn read(r: &mut Reader<'_>) -> Option<Self> {
                Some($t { $($f: Codec::read(r)?,)* $($($skip: Default::default(),)*)? })
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
}; stored_body);

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
    fn a_body_left_in_the_pack_reads_back_or_is_parsed_again_or_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let rel = Path::new("content/news/storm.md");
        let text = "---\nheadline: A storm\ndate: 2026-11-02T08:00:00-05:00\nsection: news\n---\n\
Rain *all* day.\n";
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
        let cache = Cache::at(&dir.path().join("cache"));
        let reparse = || Reparse {
            root: root.clone(),
            tz: chrono_tz::UTC,
            shortcodes: super::super::Shortcodes::any(),
        };
        let sources = Sources::load(&cache, &root, reparse());
        let parsed =
            super::super::parse_article(rel, "news/storm.md", text, chrono_tz::UTC).unwrap();
        let html = parsed.body.clone();
        let (a, at) = sources.store(parsed);
        let at = at.expect("the pack is written");
        assert_eq!(a.body, Body::Html(String::new()), "not kept in memory");
        assert_eq!(*a.body_text().unwrap(), html);
        // A later build finds it by its place in the pack.
        let again = sources.article(at).unwrap();
        assert_eq!(again.headline, "A storm");
        assert_eq!(*again.body_text().unwrap(), html);
        // The body's bytes damaged: parsed again from the unchanged source.
        let pack = sources
            .packs
            .dir()
            .join(&sources.packs.names()[at.body.pack as usize]);
        let mut bytes = std::fs::read(&pack).unwrap();
        bytes[at.body.offset as usize + 3] ^= 0x20;
        std::fs::write(&pack, &bytes).unwrap();
        assert_eq!(*a.body_text().unwrap(), html);
        // …unless the source changed since: the build must not mix the two.
        std::fs::write(root.join(rel), text.replace("Rain", "Snow")).unwrap();
        let err = a.body_text().unwrap_err();
        assert!(err.contains("changed during the build"), "{err}");
    }

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
