//! The live state of a preview: the site as last built, kept up to date by
//! small, incremental steps as files change.
//!
//! Articles are cached by file, so an edit re-reads one file. An edit that
//! keeps an article's place in every list (same URL, date, section, tags and
//! related links: the usual case while writing) swaps the article in place
//! and refreshes its card; anything else re-assembles the model from the
//! cached articles, which never re-reads a file. Pages are rendered when
//! requested and cached until the next change, so a rebuild renders only the
//! edited articles (eagerly, to surface their errors) and whatever the
//! browser asks for next.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod files;
mod respond;

use crate::config::Config;
use crate::content::{self, Article};
use crate::error::Diagnostic;
use crate::render::{Prepared, Templates, Theme};
use crate::site::{Site, SiteOptions};

/// What changed on disk since the last rebuild.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    /// site.toml changed: rebuild everything.
    pub config: bool,
    /// A template, theme or static file changed.
    pub theme: bool,
    /// A stylesheet changed (open tabs can swap it without reloading).
    pub styles: bool,
    /// Article files created, changed or removed (absolute paths).
    pub content: BTreeSet<PathBuf>,
    /// A folder under content/ changed, or the watcher lost events.
    pub rescan: bool,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.theme && !self.styles && !self.rescan && self.content.is_empty()
    }

    /// Folds a later change into this one.
    pub fn merge(&mut self, more: Change) {
        self.config |= more.config;
        self.theme |= more.theme;
        self.rescan |= more.rescan;
        self.styles |= more.styles;
        self.content.extend(more.content);
    }

    /// Only stylesheets changed.
    pub fn styles_only(&self) -> bool {
        self.styles && !self.config && !self.theme && !self.rescan && self.content.is_empty()
    }
}

/// What a rebuild did, for the terminal.
#[derive(Debug, Default, Clone)]
pub struct Rebuilt {
    /// Articles re-read from disk.
    pub reparsed: usize,
    /// Whether the model was re-assembled (false: edits swapped in place).
    pub reassembled: bool,
    /// Pages rendered during the rebuild.
    pub rendered: usize,
}

/// A response body and how to send it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Arc<Vec<u8>>,
}

impl Reply {
    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

struct Model {
    site: Site,
    prepared: Prepared,
    by_path: HashMap<String, usize>,
}

/// Everything the preview server serves.
pub struct Session {
    root: PathBuf,
    options: SiteOptions,
    base_url: String,
    config: Option<Config>,
    theme: Option<(Theme, Templates)>,
    /// The shortcodes the theme defines, which articles are checked against.
    shortcodes: content::Shortcodes,
    articles: BTreeMap<String, Arc<Article>>,
    file_errors: BTreeMap<String, Vec<Diagnostic>>,
    config_errors: Vec<Diagnostic>,
    theme_errors: Vec<Diagnostic>,
    model_errors: Vec<Diagnostic>,
    /// Photos that cannot be published, found when planning derivatives.
    image_errors: Vec<Diagnostic>,
    /// Where derivatives are kept: shared with `build`, so a photo the
    /// preview encoded is not encoded again by the build, nor the reverse.
    image_cache: crate::cache::Cache,
    model: Option<Model>,
    cache: Mutex<HashMap<String, Reply>>,
    /// Pages that failed to render since the last change, and why.
    render_errors: Mutex<BTreeMap<String, Vec<Diagnostic>>>,
    /// The last page that rendered at each path, served while it is broken.
    last_good: Mutex<HashMap<String, Reply>>,
    /// The search index's files, built at the first search after a change.
    search: Mutex<Option<Arc<SearchFiles>>>,
}

/// The search index's files by output path.
type SearchFiles = HashMap<String, Vec<u8>>;

impl Session {
    /// Loads the site; problems are kept as errors to show, never fatal.
    pub fn load(root: &Path, options: SiteOptions, base_url: &str) -> Session {
        Session::load_with_cache(root, options, base_url, None)
    }

    /// [`Session::load`] with the build cache in `cache` (default: the
    /// site's `.dateline-cache`).
    pub fn load_with_cache(
        root: &Path,
        options: SiteOptions,
        base_url: &str,
        cache: Option<&Path>,
    ) -> Session {
        let cache_dir =
            cache.map_or_else(|| root.join(crate::cache::DEFAULT_DIR), Path::to_path_buf);
        let mut session = Session {
            // Canonical, to match the watcher's (canonical) event paths.
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            options,
            base_url: base_url.to_string(),
            config: None,
            theme: None,
            shortcodes: content::Shortcodes::any(),
            articles: BTreeMap::new(),
            file_errors: BTreeMap::new(),
            config_errors: Vec::new(),
            theme_errors: Vec::new(),
            model_errors: Vec::new(),
            image_errors: Vec::new(),
            image_cache: crate::cache::Cache::at(&cache_dir),
            model: None,
            cache: Mutex::new(HashMap::new()),
            render_errors: Mutex::new(BTreeMap::new()),
            last_good: Mutex::new(HashMap::new()),
            search: Mutex::new(None),
        };
        session.reload_all();
        session
    }

    /// Every current problem, config first, then templates, then articles.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut all = self.config_errors.clone();
        all.extend(self.theme_errors.iter().cloned());
        all.extend(self.file_errors.values().flatten().cloned());
        all.extend(self.model_errors.iter().cloned());
        all.extend(self.image_errors.iter().cloned());
        if let Ok(render) = self.render_errors.lock() {
            for d in render.values().flatten() {
                if !all.contains(d) {
                    all.push(d.clone());
                }
            }
        }
        all
    }

    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Number of pages in the current model.
    pub fn page_count(&self) -> usize {
        self.model.as_ref().map_or(0, |m| m.site.pages.len())
    }

    fn reload_all(&mut self) {
        self.config_errors.clear();
        match Config::load(&self.root) {
            Ok(mut config) => {
                config.base_url = format!(
                    "{}{}",
                    self.base_url.trim_end_matches('/'),
                    config.base_path
                );
                self.config = Some(config);
            }
            Err(d) => {
                self.config_errors.push(d);
                return;
            }
        }
        self.reload_theme();
        self.articles.clear();
        self.file_errors.clear();
        self.rescan(&BTreeSet::new());
        self.reassemble();
    }

    fn reload_theme(&mut self) {
        let Some(config) = &self.config else { return };
        self.theme_errors.clear();
        let theme = Theme::load(config);
        self.shortcodes = theme
            .as_ref()
            .map_or_else(|_| content::Shortcodes::any(), Theme::shortcodes);
        match theme.and_then(|t| Templates::compile(&t).map(|c| (t, c))) {
            Ok(t) => self.theme = Some(t),
            Err(e) => self.theme_errors = e,
        }
    }

    /// The files of articles whose checks depend on the templates: those
    /// calling shortcodes, and those that failed (perhaps on a shortcode
    /// that now exists).
    fn shortcode_dependents(&self) -> BTreeSet<PathBuf> {
        let content = self.root.join(content::CONTENT_DIR);
        self.articles
            .iter()
            .filter(|(_, a)| !a.calls.is_empty())
            .map(|(path, _)| path)
            .chain(self.file_errors.keys().filter(|k| !k.is_empty()))
            .map(|path| content.join(path))
            .collect()
    }

    /// Applies a change and says what was redone.
    pub fn apply(&mut self, change: &Change) -> Rebuilt {
        let mut done = Rebuilt::default();
        if change.config || self.config.is_none() {
            self.reload_all();
            done.reassembled = true;
            done.reparsed = self.articles.len();
            self.clear_cache();
            return done;
        }
        let mut reread = change.content.clone();
        if change.theme || change.styles {
            let shortcodes = self.shortcodes.clone();
            self.reload_theme();
            if self.shortcodes != shortcodes {
                reread.extend(self.shortcode_dependents());
            }
        }
        let before: BTreeMap<String, Arc<Article>> = self.articles.clone();
        let touched = if change.rescan {
            self.rescan(&reread)
        } else {
            self.reparse(&reread)
        };
        done.reparsed = touched.len();
        let in_place = !change.theme && self.swap_in_place(&touched, &before);
        if !in_place && (!touched.is_empty() || change.theme || change.rescan) {
            self.reassemble();
            done.reassembled = true;
        }
        self.clear_cache();
        done.rendered = self.warm(&touched);
        done
    }

    fn clear_cache(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.clear();
        }
        if let Ok(mut errors) = self.render_errors.lock() {
            errors.clear();
        }
        if let Ok(mut search) = self.search.lock() {
            *search = None;
        }
    }

    /// Swaps edited articles into the model when no list changes shape.
    fn swap_in_place(
        &mut self,
        touched: &[String],
        before: &BTreeMap<String, Arc<Article>>,
    ) -> bool {
        let (Some(model), Some(config)) = (self.model.as_mut(), self.config.as_ref()) else {
            return false;
        };
        if touched.is_empty() || !self.model_errors.is_empty() {
            return false;
        }
        let mut swaps = Vec::new();
        for path in touched {
            let (Some(old), Some(new)) = (before.get(path), self.articles.get(path)) else {
                return false;
            };
            if Arc::ptr_eq(old, new) {
                continue;
            }
            if !same_shape(old, new) {
                return false;
            }
            let Some(&i) = model.site.by_content_path.get(path) else {
                // A draft that is not published: nothing to show either way.
                if new.draft && !self.options.drafts {
                    continue;
                }
                return false;
            };
            swaps.push((i, new.clone()));
        }
        for (i, article) in swaps {
            model.site.articles[i] = article;
            model.prepared.refresh_article(config, &model.site, i);
        }
        // An edited article may show another photo, or a bundle's photo
        // may have been replaced: the cards show derivatives, so they are
        // made anew when the plan changed.
        let (images, errors) = self.plan_images(self.model.as_ref().map(|m| &m.site));
        self.image_errors = errors;
        if let (Some(model), Some(config)) = (self.model.as_mut(), self.config.as_ref()) {
            if images.digest() != model.prepared.images().digest() {
                model.prepared = Prepared::new(config, &model.site, images);
            }
        }
        true
    }

    /// The photos' derivatives for `site`, planned (never encoded: the
    /// preview encodes each when a page first asks for it).
    fn plan_images(&self, site: Option<&Site>) -> (Arc<crate::images::ImagePlan>, Vec<Diagnostic>) {
        let (Some(site), Some(config), Some((theme, _))) = (site, &self.config, &self.theme) else {
            return (Arc::default(), Vec::new());
        };
        let bundle_files = site.bundle_files();
        match crate::pipeline::plan_images(config, theme, site, &bundle_files, &self.image_cache) {
            Ok(plan) => (Arc::new(plan), Vec::new()),
            Err(e) => (Arc::default(), e.diagnostics().to_vec()),
        }
    }

    fn reassemble(&mut self) {
        let Some(config) = &self.config else { return };
        let articles: Vec<Arc<Article>> = self.articles.values().cloned().collect();
        let profiles = match content::load_authors(&self.root) {
            Ok(p) => p,
            Err(e) => {
                self.model_errors = e;
                return;
            }
        };
        let fronts = match content::load_fronts(&self.root, config.timezone) {
            Ok(f) => f,
            Err(e) => {
                self.model_errors = e;
                return;
            }
        };
        match Site::assemble_with(config, articles, &profiles, &fronts, self.options) {
            Ok(site) => {
                let (images, errors) = self.plan_images(Some(&site));
                self.image_errors = errors;
                let Some(config) = &self.config else { return };
                let prepared = Prepared::new(config, &site, images);
                let by_path = site
                    .pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.path.clone(), i))
                    .collect();
                self.model = Some(Model {
                    site,
                    prepared,
                    by_path,
                });
                self.model_errors.clear();
            }
            Err(e) => self.model_errors = e,
        }
    }
}

/// Whether two versions of an article sit in the same places in every list.
/// Everything that decides which pages exist and which lists an article is
/// on: anything else (headline, dek, body, image...) shows only in its own
/// page and its card, which an in-place swap refreshes.
fn same_shape(a: &Article, b: &Article) -> bool {
    a.section == b.section
        && a.slug == b.slug
        && a.date == b.date
        && a.draft == b.draft
        && a.embargo == b.embargo
        && a.updated == b.updated
        && a.corrections == b.corrections
        && a.aliases == b.aliases
        && a.authors == b.authors
        && a.tag_slugs == b.tag_slugs
        && a.tags == b.tags
        && a.related
            .iter()
            .map(|r| &r.target)
            .eq(b.related.iter().map(|r| &r.target))
        && inline_related(a).eq(inline_related(b))
}

/// The `related(to=…)` shortcodes of an article, numbered: the model
/// resolves them, so a change to one re-assembles it.
fn inline_related(a: &Article) -> impl Iterator<Item = (usize, Option<&crate::markdown::Arg>)> {
    a.calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name == "related")
        .map(|(n, c)| (n, c.arg("to")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the newsroom fixture in a temporary folder.
    fn fixture() -> tempfile::TempDir {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/newsroom");
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk fixture");
            let to = dir
                .path()
                .join(entry.path().strip_prefix(&from).expect("inside"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        dir
    }

    fn text(reply: &Reply) -> String {
        String::from_utf8_lossy(&reply.body).into_owned()
    }

    #[test]
    fn a_rescan_finds_what_the_watcher_missed() {
        let dir = fixture();
        let options = SiteOptions {
            drafts: false,
            future: false,
            now: None,
        };
        let mut session = Session::load(dir.path(), options, "http://127.0.0.1:1");
        assert_eq!(session.respond("business/port-bonds/").status, 200);
        // Changes no event told of, as after a watcher overflow.
        let business = dir.path().join("content/business");
        std::fs::remove_file(business.join("port-bonds.md")).expect("remove");
        std::fs::write(
            business.join("missed.md"),
            "---\nheadline: The story the watcher missed\ndate: 2026-03-30T09:00:00Z\n---\nBody.\n",
        )
        .expect("write");
        session.apply(&Change {
            rescan: true,
            theme: true,
            ..Change::default()
        });
        assert_eq!(session.respond("business/port-bonds/").status, 404);
        assert_eq!(session.respond("business/missed/").status, 200);
        let front = text(&session.respond("business/"));
        assert!(front.contains("The story the watcher missed"));
        assert!(!front.contains("/business/port-bonds/"));
    }
}
