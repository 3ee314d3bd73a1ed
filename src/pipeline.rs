//! The build, as a list of steps: load, model, render and write.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::error::{BuildError, Diagnostic};
use crate::output::{Staging, Written};
use crate::render::{Prepared, Renderer, Templates, Theme};
use crate::site::{HeldBack, PageKind, Site, SiteOptions};
use crate::urls::output_file;

/// What `dateline build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds site.toml).
    pub source: PathBuf,
    /// The output folder; `public/` in the site folder when `None`.
    pub output: Option<PathBuf>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Replace an output folder Dateline did not create.
    pub force: bool,
    /// Publish articles dated or embargoed after the build time.
    pub future: bool,
    /// Build as of this instant instead of now (embargoes, news sitemap).
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The build cache; `SOURCE/.dateline-cache` when `None`.
    pub cache: Option<PathBuf>,
}

impl BuildOptions {
    /// The cache this build reads and fills.
    pub fn cache(&self) -> crate::cache::Cache {
        let dir = self
            .cache
            .clone()
            .unwrap_or_else(|| self.source.join(crate::cache::DEFAULT_DIR));
        crate::cache::Cache::at(&dir)
    }
}

/// Told how far a build has got. Called from many threads at once.
pub trait Progress: Sync {
    /// A stage with `total` steps begins (`parsing articles`, `writing pages`).
    fn stage(&self, _name: &'static str, _total: usize) {}
    /// One more step of the current stage is done.
    fn step(&self) {}
    /// Another build (`holder`) is writing the same output folder: this one
    /// waits for it to finish.
    fn waiting(&self, _holder: &str) {}
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {}

/// Pages written, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageCounts {
    pub articles: usize,
    pub sections: usize,
    pub tags: usize,
    pub archives: usize,
    pub authors: usize,
    pub feeds: usize,
    pub other: usize,
}

impl PageCounts {
    pub fn total(&self) -> usize {
        self.articles
            + self.sections
            + self.tags
            + self.authors
            + self.archives
            + self.feeds
            + self.other
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    /// Files changed, left alone and removed in the output folder.
    pub files: crate::output::Written,
    pub pages: PageCounts,
    pub static_files: usize,
    pub held: HeldBack,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Photo derivatives encoded and reused.
    pub images: crate::images::Produced,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Pages not drawn again: drawn from the same inputs as the file the
    /// last build left.
    pub kept: usize,
}

/// A site loaded and checked, ready to render: everything `build` needs
/// before it touches the output folder.
pub struct Loaded {
    pub config: Config,
    pub theme: Theme,
    pub templates: Templates,
    pub site: Site,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Reads and checks the whole site; every error found is reported.
pub fn load(source: &std::path::Path, options: SiteOptions) -> Result<Loaded, BuildError> {
    load_with(source, options, &Silent)
}

/// [`load`], reporting progress.
pub fn load_with(
    source: &std::path::Path,
    options: SiteOptions,
    progress: &dyn Progress,
) -> Result<Loaded, BuildError> {
    load_cached(source, options, None, None, progress)
}

/// [`load_with`], reusing what `cache` kept of earlier builds' articles;
/// a `listing` of the sources made just before spares statting them.
pub fn load_cached(
    source: &std::path::Path,
    options: SiteOptions,
    cache: Option<&crate::cache::Cache>,
    listing: Option<&content::Listing>,
    progress: &dyn Progress,
) -> Result<Loaded, BuildError> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let config = Config::load(source).map_err(|d| BuildError::Invalid(vec![d]))?;
    lap("config", &mut timings);
    // The theme's files say which shortcodes exist, which the articles'
    // checks need; compiling the templates and parsing the articles are
    // then independent: both run, and problems in both are reported.
    let start = Instant::now();
    let theme = Theme::load(&config);
    let shortcodes = theme
        .as_ref()
        .map_or_else(|_| content::Shortcodes::any(), Theme::shortcodes);
    let theme_time = start.elapsed();
    let ((templates, template_time), (articles, parse_time)) = rayon::join(
        || {
            let start = Instant::now();
            let loaded = theme.and_then(|t| Templates::compile(&t).map(|c| (t, c)));
            (loaded, theme_time + start.elapsed())
        },
        || {
            let start = Instant::now();
            let step = || progress.step();
            let loaded = content::load_cached(
                &config,
                &shortcodes,
                cache,
                listing,
                &|total| progress.stage("parsing articles", total),
                &step,
            );
            (loaded, start.elapsed())
        },
    );
    // The two run side by side; their own times say which to speed up.
    timings.push(("templates", template_time));
    timings.push(("read and parse", parse_time));
    lap("(both, wall)", &mut timings);
    let mut errors: Vec<Diagnostic> = Vec::new();
    let (theme, templates) = match templates {
        Ok(t) => Some(t),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    }
    .unzip();
    let profiles = content::load_authors(source).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Vec::new()
    });
    let fronts = content::load_fronts(source, config.timezone).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Default::default()
    });
    let site = match articles {
        Ok(articles) => match Site::assemble_with(
            &config,
            articles.into_iter().map(std::sync::Arc::new).collect(),
            &profiles,
            &fronts,
            options,
        ) {
            Ok(site) => Some(site),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    lap("model", &mut timings);
    match (theme, templates, site) {
        (Some(theme), Some(templates), Some(site)) if errors.is_empty() => Ok(Loaded {
            config,
            theme,
            templates,
            site,
            timings,
        }),
        _ => Err(BuildError::Invalid(errors)),
    }
}

/// Builds the site into its output folder, replacing it only on success.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(options, &Silent)
}

/// [`build`], reporting progress.
pub fn build_with(
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    // The output is checked, and locked, before anything is read or
    // cached: a build refused its folder leaves the site as it was, and
    // one that waited for another reads the sources as they are after it.
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| options.source.join("public"));
    let wait = |holder: &str| progress.waiting(holder);
    let staging = Staging::begin_waiting(&target, &options.source, options.force, &wait)?;
    let cache = options.cache();
    // Walked before anything is read: a file changed while this build
    // runs makes the next one differ from this record and run.
    let clock = Instant::now();
    let inputs = crate::quick::inputs(&crate::quick::Asked {
        source: &options.source,
        output: staging.target(),
        cache: cache.root(),
        drafts: options.drafts,
        future: options.future,
    });
    let inputs_time = clock.elapsed();
    let clock = Instant::now();
    let now = options
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    if let Some((last, produced)) = inputs
        .as_ref()
        .and_then(|inputs| crate::quick::LastBuild::holds(&cache, staging.target(), inputs, now))
    {
        // Nothing to read, render or write: `staging` is dropped, unused.
        let target = staging.target().to_path_buf();
        let summary = last.summary;
        return Ok(BuildReport {
            output: target.clone(),
            files: Written {
                output: target,
                changed: 0,
                unchanged: produced,
                removed: 0,
                sizes: Default::default(),
            },
            kept: summary.pages.total(),
            pages: summary.pages,
            static_files: summary.static_files,
            held: summary.held,
            images: crate::images::Produced {
                reused: summary.images,
                ..Default::default()
            },
            warnings: summary.warnings,
            timings: vec![
                ("inputs as last built", inputs_time),
                ("output as it left it", clock.elapsed()),
            ],
        });
    }
    let listing = inputs.as_ref().map(crate::quick::Inputs::listing);
    let loaded = load_cached(
        &options.source,
        SiteOptions {
            drafts: options.drafts,
            future: options.future,
            now: options.now,
        },
        Some(&cache),
        listing.as_ref(),
        progress,
    )?;
    let Loaded {
        config,
        theme,
        templates,
        site,
        mut timings,
    } = loaded;
    let staging = staging.with_compression(&config.compress);
    timings.insert(0, ("inputs walked", inputs_time));

    let clock = Instant::now();
    let mut bundle_files = site.bundle_files();
    // The suggested stories need only the model: worked out beside the
    // photo plan and the fingerprint, which take a thread between them.
    let (planned, suggested) = rayon::join(
        || -> Result<_, BuildError> {
            let images = plan_images(&config, &theme, &site, &bundle_files, &cache)?;
            let planned = clock.elapsed();
            let fingerprint = crate::fingerprint::of(
                &config,
                &theme,
                &site,
                &crate::fingerprint::Options {
                    drafts: options.drafts,
                    future: options.future,
                },
                &images,
            );
            Ok((images, fingerprint, planned))
        },
        || crate::site::Suggested::of(&site, config.related_limit, &cache),
    );
    let (images, fingerprint, planned) = planned?;
    timings.push(("images planned", planned));
    let (statics, originals) = published_statics(&theme, &images);
    bundle_files.retain(|(rel, _)| !originals.contains(rel.as_str()));
    let files: Vec<String> = site
        .pages
        .iter()
        .map(|p| output_file(&p.path))
        .chain(statics.iter().map(|(rel, _)| rel.to_string()))
        .chain(bundle_files.iter().map(|(rel, _)| rel.clone()))
        .chain(images.variants.iter().map(|v| v.file.clone()))
        .collect();
    // The compressed siblings are the build's files too: the stamp covers
    // them, so one deleted by hand is made again.
    let files: Vec<String> = if config.compress.is_empty() {
        files
    } else {
        let siblings: Vec<String> = files
            .iter()
            .flat_map(|f| crate::output::siblings(f, &config.compress))
            .collect();
        files.into_iter().chain(siblings).collect()
    };
    let walked: &[&str] = if config.search {
        &[crate::search::BUNDLE_DIR]
    } else {
        &[]
    };
    // What the next build's quick check will be told, whichever way this
    // one ends.
    let made = Made {
        fingerprint,
        site: &site,
        files: &files,
        walked,
        statics: statics.len(),
        images: images.variants.len(),
    };
    if let Some(index_files) =
        crate::output::unchanged(staging.target(), fingerprint, &files, walked)
    {
        // Nothing to render or write: `staging` is dropped, unused.
        timings.push(("fingerprint (same)", clock.elapsed() - planned));
        let produced = files.len() + index_files + 1;
        let warnings = missing_warning(&images);
        remember(&cache, staging.target(), inputs.as_ref(), made, &warnings);
        let target = staging.target().to_path_buf();
        let report = BuildReport {
            output: target.clone(),
            files: Written {
                output: target,
                changed: 0,
                unchanged: produced,
                removed: 0,
                sizes: Default::default(),
            },
            pages: count_pages(&site),
            static_files: statics.len(),
            held: site.held.clone(),
            images: crate::images::Produced {
                reused: images.variants.len(),
                ..Default::default()
            },
            warnings,
            timings,
            kept: site.pages.len(),
        };
        free_later(site);
        return Ok(report);
    }
    timings.push(("fingerprint", clock.elapsed() - planned));

    let clock = Instant::now();
    // A clash is reported before a photo that would not encode.
    let (clashes, produced) = rayon::join(
        || check_clashes(&site, &theme, &bundle_files, &config),
        || crate::images::produce(&images, &cache).map_err(BuildError::Invalid),
    );
    clashes?;
    let produced = produced?;
    timings.push(("images encoded", clock.elapsed()));
    let clock = Instant::now();
    let images = std::sync::Arc::new(images);
    let prepared = Prepared::new(&config, &site, images.clone()).with_suggested(suggested);
    let renderer = Renderer::new(&templates, &config, &site, &prepared);
    // A template error is the user's to fix and is reported for every page;
    // a write error (disk full, permissions) fails the build as an I/O error.
    progress.stage("writing pages", site.pages.len());
    // Rendering and writing interleave on every thread; their summed thread
    // times show which of the two a build spends its time on.
    let (render_ns, write_ns) = (AtomicU64::new(0), AtomicU64::new(0));
    let group_ns: [AtomicU64; 4] = Default::default();
    let add = |counter: &AtomicU64, since: Instant| {
        counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed)
    };
    // A page drawn from the same inputs as the file the last build left
    // is not drawn again (see `render::keys`).
    let crate::render::Keys {
        pages: keys,
        articles: article_keys,
    } = renderer.page_keys(&crate::render::global_key(
        &config, &theme, &site, &prepared,
    ));
    let record = crate::cache::PageRecord::load(&cache, staging.target(), &staging.marker())
        .unwrap_or_default();
    let kept = AtomicU64::new(0);
    timings.push(("page keys", clock.elapsed()));
    // The index's file names hash its contents, so the no-change check
    // walks its folder instead of listing them beforehand. It is made
    // before the pages so that its runs and files are freed before the
    // pages' cards are drawn: the two never take memory together.
    let index_keys = if config.search {
        write_index(
            &renderer,
            &article_keys,
            &cache,
            &record,
            &staging,
            &mut timings,
        )?
    } else {
        Vec::new()
    };
    let clock = Instant::now();
    // Each page is drawn into a buffer its thread reuses, then written,
    // in an order that lets shared parts go soon after their last use.
    let order = crate::render::schedule(&config, &site);
    let failures: Vec<Failure> = order
        .par_iter()
        .map(|&n| (&site.pages[n], &keys[n]))
        .inspect(|_| progress.step())
        .map_init(Vec::new, |out: &mut Vec<u8>, (page, key)| {
            if let Some(key) = key {
                let file = output_file(&page.path);
                match record.pages.get(&file) {
                    Some((was, size)) if was == key && staging.keep(&file, *size) => {
                        kept.fetch_add(1, Ordering::Relaxed);
                        return None;
                    }
                    _ => {}
                }
            }
            out.clear();
            let start = Instant::now();
            let rendered = renderer.render_to(page, out);
            add(&render_ns, start);
            add(&group_ns[render_group(page.kind)], start);
            match rendered {
                Err(e) => Some(Failure::Render(e)),
                Ok(()) => {
                    let start = Instant::now();
                    let file = output_file(&page.path);
                    let bytes = crate::output::published(config.minify, &file, out);
                    let written = staging.write(&file, &bytes);
                    add(&write_ns, start);
                    written.err().map(Failure::Write)
                }
            }
        })
        .flatten()
        .collect();
    let mut errors = Vec::new();
    for failure in failures {
        match failure {
            Failure::Write(d) => return Err(BuildError::Output(d)),
            Failure::Render(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(BuildError::Invalid(dedup_template_errors(errors)));
    }
    timings.push((
        "render (threads)",
        Duration::from_nanos(render_ns.into_inner()),
    ));
    for (name, ns) in RENDER_GROUPS.iter().zip(group_ns) {
        timings.push((name, Duration::from_nanos(ns.into_inner())));
    }
    timings.push((
        "write (threads)",
        Duration::from_nanos(write_ns.into_inner()),
    ));
    timings.push(("render+write, wall", clock.elapsed()));
    let kept = kept.into_inner() as usize;

    let clock = Instant::now();
    for (rel, source) in &statics {
        staging
            .copy_static(rel, source, crate::images::without_metadata)
            .map_err(BuildError::Output)?;
    }
    write_images(&staging, &images, &cache)?;
    for (rel, source) in bundle_files {
        staging
            .copy_static(
                &rel,
                &crate::render::StaticSource::Disk(source),
                crate::images::without_metadata,
            )
            .map_err(BuildError::Output)?;
    }
    // Best effort: without a stamp the next build just does its work.
    let written = staging
        .commit(&|dir, sizes| {
            let _ = crate::output::stamp(dir, fingerprint, &files, sizes, walked);
            Ok(())
        })
        .map_err(BuildError::Output)?;
    timings.push(("static and swap", clock.elapsed()));
    let clock = Instant::now();
    let warnings = missing_warning(&images);
    // The records for the next build are independent: at 100,000
    // articles each is a few megabytes to encode and write.
    rayon::join(
        || {
            let record = crate::cache::PageRecord {
                pages: site
                    .pages
                    .iter()
                    .zip(keys)
                    .filter_map(|(page, key)| Some((output_file(&page.path), key?)))
                    .chain(index_keys)
                    .filter_map(|(file, key)| {
                        let size = *written.sizes.get(&file)?;
                        Some((file, (key, size)))
                    })
                    .collect(),
            };
            let _ = record.save(
                &cache,
                &written.output,
                &written.output.join(crate::output::MARKER),
            );
        },
        || {
            // Only after the site is in place: a failed build keeps what
            // it made.
            images.prune(&cache);
            remember(&cache, &written.output, inputs.as_ref(), made, &warnings);
        },
    );
    timings.push(("records", clock.elapsed()));
    let report = BuildReport {
        output: written.output.clone(),
        files: written,
        pages: count_pages(&site),
        static_files: statics.len(),
        held: site.held.clone(),
        images: produced,
        warnings,
        timings,
        kept,
    };
    free_later((site, prepared));
    Ok(report)
}

/// Writes the search index as its files are made, keeping those made from
/// the same key as the last build's; returns each shard's and result
/// file's key, which the page record keeps for the next build.
fn write_index(
    renderer: &Renderer<'_>,
    article_keys: &[crate::cache::Key],
    cache: &crate::cache::Cache,
    record: &crate::cache::PageRecord,
    staging: &Staging,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Vec<(String, crate::cache::Key)>, BuildError> {
    let clock = Instant::now();
    let records = renderer.search_heads();
    timings.push(("search records", clock.elapsed()));
    let clock = Instant::now();
    let keys: std::sync::Mutex<Vec<(String, crate::cache::Key)>> = Default::default();
    // Each file is written as it is made: a big archive's index is never
    // held whole.
    let runs = crate::search::index_cached(
        records,
        article_keys,
        cache,
        &|i| renderer.search_body(i).map_err(BuildError::Invalid),
        &|rel, key| {
            keys.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((rel.to_string(), *key));
            matches!(record.pages.get(rel),
                Some((was, size)) if was == key && staging.keep(rel, *size))
        },
        &|rel, bytes| staging.write(&rel, &bytes).map_err(BuildError::Output),
    )?;
    // Best effort, as every store: an unpruned run only takes room.
    let _ = cache.prune(crate::search::STORE, &runs.into_iter().collect());
    timings.push(("search index and write", clock.elapsed()));
    Ok(keys
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// What a finished build made, as the next build's quick check needs it.
struct Made<'a> {
    fingerprint: u64,
    site: &'a Site,
    files: &'a [String],
    walked: &'a [&'a str],
    statics: usize,
    /// Photo derivatives, all reused by a build that finds nothing changed.
    images: usize,
}

/// Records this build for the next one's quick check (see [`crate::quick`]).
fn remember(
    cache: &crate::cache::Cache,
    output: &std::path::Path,
    inputs: Option<&crate::quick::Inputs>,
    made: Made<'_>,
    warnings: &[Diagnostic],
) {
    let Some(inputs) = inputs else {
        return;
    };
    let site = made.site;
    let summary = crate::quick::Summary {
        pages: count_pages(site),
        static_files: made.statics,
        held: site.held.clone(),
        images: made.images,
        warnings: warnings.to_vec(),
    };
    crate::quick::LastBuild::new(
        inputs,
        made.fingerprint,
        site.now,
        crate::quick::stays_until(site),
        made.files.to_vec(),
        made.walked,
        summary,
    )
    .save(cache, output);
}

/// The search index's files, from the model every page was drawn from.
pub fn search_index(renderer: &Renderer<'_>) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let records = renderer.search_records().map_err(BuildError::Invalid)?;
    Ok(crate::search::index(records))
}

/// Plans the photos' derivatives from the files the build would copy.
pub fn plan_images(
    config: &Config,
    theme: &Theme,
    site: &Site,
    bundle_files: &[(String, std::path::PathBuf)],
    cache: &crate::cache::Cache,
) -> Result<crate::images::ImagePlan, BuildError> {
    let mut files: std::collections::HashMap<String, std::path::PathBuf> = theme
        .static_files
        .iter()
        .filter_map(|(rel, s)| match s {
            crate::render::StaticSource::Disk(p) => Some((rel.clone(), p.clone())),
            crate::render::StaticSource::Embedded(_) => None,
        })
        .collect();
    files.extend(bundle_files.iter().cloned());
    let exists = |rel: &str| theme.static_files.contains_key(rel);
    crate::images::plan(&crate::images::PlanInput {
        settings: &config.images,
        site,
        files: &files,
        exists: &exists,
        cache,
        root: &config.root,
    })
    .map_err(BuildError::Invalid)
}

/// The static files copied as they are, and the originals of photos,
/// which are published only as derivatives (with `[images] originals`, a
/// full-size one at the original's path, without its metadata).
fn published_statics<'t>(
    theme: &'t Theme,
    images: &crate::images::ImagePlan,
) -> (
    Vec<(&'t String, &'t crate::render::StaticSource)>,
    std::collections::HashSet<String>,
) {
    let originals: std::collections::HashSet<String> =
        images.originals().map(str::to_string).collect();
    let statics = theme
        .static_files
        .iter()
        .filter(|(rel, _)| !originals.contains(rel.as_str()))
        .collect();
    (statics, originals)
}

/// Writes every derivative from the cache, where `produce` left it.
fn write_images(
    staging: &Staging,
    images: &crate::images::ImagePlan,
    cache: &crate::cache::Cache,
) -> Result<(), BuildError> {
    images.variants.par_iter().try_for_each(|v| {
        let bytes = crate::images::render_variant(images, images.by_file[&v.file], cache).map_err(
            |why| {
                BuildError::Output(Diagnostic::in_file(
                    &images.sources[v.source].disk,
                    format!("could not write the derivative {}: {why}", v.file),
                ))
            },
        )?;
        staging.write(&v.file, &bytes).map_err(BuildError::Output)
    })
}

/// One warning for every local image with no file behind it: a missing
/// photo must not block a breaking story, nor bury the build's output in
/// a line per article (`check` lists each).
fn missing_warning(images: &crate::images::ImagePlan) -> Vec<Diagnostic> {
    let Some(first) = images.missing.first() else {
        return Vec::new();
    };
    let n = images.missing.len();
    let what = if n == 1 {
        "1 image points at a file that does not exist".to_string()
    } else {
        format!("{n} images point at files that do not exist")
    };
    vec![Diagnostic::at(
        &first.article,
        first.line,
        first.column,
        format!(
            "{what} (first: `{}`); they are published as written",
            first.src
        ),
    )
    .with_hint("run `dateline check` to list each one")
    .warning()]
}

/// Frees `value` on a thread of its own. A built site is hundreds of
/// thousands of small allocations — a tenth of a second at 10,000
/// articles, on one core — and nothing needs to wait for them: a command
/// that ends then exits without, a server goes on serving.
fn free_later<T: Send + 'static>(value: T) {
    // If no thread can be had, the value is dropped here, as usual.
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// How `build -v` splits the render time: which templates cost what.
const RENDER_GROUPS: [&str; 4] = ["  articles", "  lists", "  feeds and sitemaps", "  other"];

fn render_group(kind: PageKind) -> usize {
    match kind {
        PageKind::Article(_) => 0,
        PageKind::Home
        | PageKind::Section(_)
        | PageKind::Tag(_)
        | PageKind::Author(_)
        | PageKind::Archive(_)
        | PageKind::Tags
        | PageKind::Authors
        | PageKind::Corrections
        | PageKind::Search => 1,
        PageKind::Feed(_)
        | PageKind::LiveFeed(_)
        | PageKind::Rss
        | PageKind::Sitemap(_)
        | PageKind::SitemapIndex
        | PageKind::NewsSitemap(_)
        | PageKind::NewsSitemapIndex => 2,
        PageKind::NotFound | PageKind::Alias(..) | PageKind::Robots | PageKind::OpenSearch => 3,
    }
}

/// One template mistake fails every page that uses it; say it once.
pub(crate) fn dedup_template_errors(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in errors {
        let same = out
            .iter_mut()
            .find(|(o, _)| o.path == d.path && o.line == d.line && o.message == d.message);
        match same {
            Some((_, more)) => *more += 1,
            None => out.push((d, 0)),
        }
    }
    out.into_iter()
        .map(|(d, more)| match (more, d.hint.clone()) {
            (0, _) | (_, None) => d,
            (n, Some(h)) => d.with_hint(format!(
                "{h} (and {n} more page{})",
                if n == 1 { "" } else { "s" }
            )),
        })
        .collect()
}

enum Failure {
    Render(Vec<Diagnostic>),
    Write(Diagnostic),
}

fn count_pages(site: &Site) -> PageCounts {
    let mut counts = PageCounts::default();
    for page in &site.pages {
        match page.kind {
            PageKind::Article(_) => counts.articles += 1,
            PageKind::Section(_) => counts.sections += 1,
            PageKind::Tag(_) | PageKind::Tags => counts.tags += 1,
            PageKind::Author(_) | PageKind::Authors => counts.authors += 1,
            PageKind::Archive(_) => counts.archives += 1,
            PageKind::Feed(_) | PageKind::LiveFeed(_) | PageKind::Rss => counts.feeds += 1,
            _ => counts.other += 1,
        }
    }
    counts
}

/// Nothing written may silently replace something else: a static file
/// a page, or a page-bundle file a page or a static file (a photo named
/// `index.html`). Each clash names the file to rename, relative to the
/// site folder `root`.
pub(crate) fn check_clashes(
    site: &Site,
    theme: &Theme,
    bundle_files: &[(String, PathBuf)],
    config: &Config,
) -> Result<(), BuildError> {
    let root = config.root.as_path();
    // The search index owns its folder: nothing else may write there.
    let index = format!("{}/", crate::search::BUNDLE_DIR);
    let in_index = |file: &str| config.search && file.starts_with(&index);
    let owned = |what: &str| {
        format!("{what} is in /{index}, which the search index writes (search = true)")
    };
    let articles = site
        .articles
        .iter()
        .zip(&site.article_paths)
        .filter(|(_, path)| in_index(path))
        .map(|(a, path)| {
            Diagnostic::in_file(&a.source, owned(&format!("this article's page /{path}")))
                .with_hint("give it another section or slug")
        });
    let reserved_statics = theme
        .static_files
        .keys()
        .filter(|file| in_index(file))
        .map(|file| {
            Diagnostic::in_file(format!("static/{file}"), owned("this static file"))
                .with_hint("move the file, or set search = false")
        });
    // A few static and bundle files, many pages: each page is looked up
    // among the former.
    let few: rustc_hash::FxHashSet<&str> = theme
        .static_files
        .keys()
        .map(String::as_str)
        .chain(bundle_files.iter().map(|(rel, _)| rel.as_str()))
        .collect();
    let taken: Vec<String> = site
        .pages
        .par_iter()
        .map(|p| output_file(&p.path))
        .filter(|file| few.contains(file.as_str()))
        .collect();
    let taken_set: rustc_hash::FxHashSet<&str> = taken.iter().map(String::as_str).collect();
    let statics = taken
        .iter()
        .filter(|file| theme.static_files.contains_key(*file))
        .map(|file| {
            Diagnostic::in_file(
                format!("static/{file}"),
                format!("static file would overwrite the generated page /{file}"),
            )
            .with_hint("rename or remove the static file")
        });
    let bundles = bundle_files
        .iter()
        .filter(|(rel, _)| {
            taken_set.contains(rel.as_str())
                || theme.static_files.contains_key(rel)
                || in_index(rel)
        })
        .map(|(rel, source)| {
            Diagnostic::in_file(
                source.strip_prefix(root).unwrap_or(source),
                format!("this page-bundle file would overwrite /{rel}"),
            )
            .with_hint("rename the file")
        });
    let mut errors: Vec<Diagnostic> = statics
        .chain(bundles)
        .chain(articles)
        .chain(reserved_statics)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        Err(BuildError::Invalid(errors))
    }
}
