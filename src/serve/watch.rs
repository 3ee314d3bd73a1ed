//! Watches the site's sources and turns bursts of file events into one
//! [`Change`] per save.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, DebouncedEvent};

use super::session::Change;
use crate::config::CONFIG_FILE;
use crate::content::{is_article_name, is_editor_droppings, AUTHORS_FILE, CONTENT_DIR};

/// How long the file system must be quiet before a rebuild. Editors write a
/// save as several events (temp file, rename, chmod) within a few ms.
pub const DEBOUNCE: Duration = Duration::from_millis(8);

/// How often the debouncer looks for quiet files: a change is seen between
/// `DEBOUNCE` and `DEBOUNCE + TICK` after its last event.
const TICK: Duration = Duration::from_millis(2);

/// Folders of a site that are watched, when present.
pub const WATCHED: &[&str] = &[CONTENT_DIR, "templates", "themes", "static"];

/// The file-system watch over a site's sources.
pub struct Watcher {
    root: PathBuf,
    debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching `root`; each batch of events arrives as one [`Change`].
    pub fn start(root: &Path) -> notify::Result<(Watcher, mpsc::Receiver<Change>)> {
        let (tx, rx) = mpsc::channel();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let classify_root = root.clone();
        let mut debouncer =
            new_debouncer(DEBOUNCE, Some(TICK), move |result: DebounceEventResult| {
                let change = match result {
                    Ok(events) => classify(&classify_root, &events),
                    // Lost events: look at everything again.
                    Err(_) => Change {
                        rescan: true,
                        theme: true,
                        ..Change::default()
                    },
                };
                if !change.is_empty() {
                    let _ = tx.send(change);
                }
            })?;
        // site.toml is watched through its folder (not recursively: the
        // output folder lives there too), so an editor replacing the file
        // by rename does not end the watch.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            root,
            debouncer,
            watched: Vec::new(),
        };
        watcher.watch_new_folders(&[]);
        Ok((watcher, rx))
    }

    /// Adds a recursive watch on each source folder that exists and is not
    /// watched yet. The folders named in `renew` are unwatched and watched
    /// again: a folder deleted and recreated (a `git checkout`, a tool
    /// regenerating static/) is a new folder the old watch does not see.
    pub fn watch_new_folders(&mut self, renew: &[&str]) {
        let root = self.root.clone();
        let debouncer = &mut self.debouncer;
        self.watched.retain(|path| {
            let renewing = renew.iter().any(|dir| root.join(dir) == *path);
            if renewing {
                let _ = debouncer.unwatch(path);
            }
            !renewing
        });
        self.watched.retain(|p| p.is_dir());
        for dir in WATCHED {
            let path = self.root.join(dir);
            if path.is_dir()
                && !self.watched.contains(&path)
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(path);
            }
        }
    }
}

/// Sorts a batch of events into what needs redoing.
pub fn classify(root: &Path, events: &[DebouncedEvent]) -> Change {
    let mut change = Change::default();
    for event in events {
        if event.need_rescan() {
            change.rescan = true;
            change.theme = true;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            classify_path(root, path, &event.kind, &mut change);
        }
    }
    change
}

fn classify_path(root: &Path, path: &Path, kind: &EventKind, change: &mut Change) {
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if rel == Path::new(CONFIG_FILE) {
        change.config = true;
        return;
    }
    if rel == Path::new(AUTHORS_FILE) || rel == Path::new(crate::content::FRONTS_FILE) {
        // Profiles feed the lists, not single articles: re-assemble.
        change.rescan = true;
        return;
    }
    if is_editor_droppings(&name) {
        return;
    }
    let top = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    match top.as_deref() {
        Some(CONTENT_DIR) => {
            let content = root.join(CONTENT_DIR);
            let folder_gone = matches!(kind, EventKind::Remove(_)) && path.extension().is_none();
            if is_article_name(&name) {
                change.content.insert(PathBuf::from(path));
                // An article beside a bundle's index.md ends the bundle,
                // and its removal may make one: re-read the index too.
                if let Some(index) = crate::content::bundle_of(path, &content) {
                    change.content.insert(index);
                }
            } else if path.is_dir() || path.extension().is_none() || folder_gone {
                // A folder created, renamed or removed: its files moved with it.
                change.rescan = true;
            } else if let Some(index) = crate::content::bundle_of(path, &content) {
                // A bundle's photo: its article lists its files anew.
                change.content.insert(index);
            } else if matches!(kind, EventKind::Remove(_)) {
                change.rescan = true;
            }
        }
        Some("static" | "themes") if name.ends_with(".css") => change.styles = true,
        Some("templates" | "themes" | "static") => change.theme = true,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RenameMode};
    use notify::Event;
    use std::time::Instant;

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn an_atomic_save_is_one_article_change() {
        let events = [
            event(
                EventKind::Create(CreateKind::File),
                &["/s/content/news/.a.md.tmp123"],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/s/content/news/.a.md.tmp123", "/s/content/news/a.md"],
            ),
        ];
        let change = classify(Path::new("/s"), &events);
        assert_eq!(
            change.content.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("/s/content/news/a.md")]
        );
        assert!(!change.rescan && !change.theme && !change.config);
    }

    #[test]
    fn lost_events_make_a_rescan_of_everything() {
        // What the watcher reports when its queue overflowed.
        let overflow = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        let change = classify(
            Path::new("/s"),
            &[DebouncedEvent::new(overflow, Instant::now())],
        );
        assert!(change.rescan && change.theme);
    }

    #[test]
    fn swap_and_backup_files_are_ignored() {
        let events = [
            event(
                EventKind::Create(CreateKind::File),
                &["/s/content/news/.a.md.swp"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/s/content/news/a.md~"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/s/content/news/#a.md#"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/s/content/news/4913"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/s/public/index.html"],
            ),
        ];
        assert!(classify(Path::new("/s"), &events).is_empty());
    }

    #[test]
    fn a_stylesheet_edit_is_styles_only() {
        let events = [event(
            EventKind::Modify(ModifyKind::Any),
            &["/s/static/css/site.css"],
        )];
        let change = classify(Path::new("/s"), &events);
        assert!(change.styles_only());
    }

    #[test]
    fn config_templates_and_static_are_told_apart() {
        let events = [
            event(EventKind::Modify(ModifyKind::Any), &["/s/site.toml"]),
            event(
                EventKind::Modify(ModifyKind::Any),
                &["/s/templates/article.html"],
            ),
        ];
        let change = classify(Path::new("/s"), &events);
        assert!(change.config && change.theme && change.content.is_empty());
    }
}
