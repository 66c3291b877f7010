//! The catalog in force ([`SharedCatalog`]) and its only writer, hot reload of `game_data/`: on
//! a file change (polled once a second) or SIGHUP, the whole directory is loaded and validated
//! again; a valid catalog replaces the old one atomically, an invalid one is logged problem by
//! problem and the old one stays. Either way the outcome is kept in the catalog's
//! [`ReloadStatus`] (problems until the files are valid again, warnings about items removed
//! while players hold them; see `status`), which the sandbox page shows, and counted in
//! `starmine_catalog_reloads_total{result}`. Orders keep their snapshot price and Redis keeps
//! sold counts, so a reload never touches money in flight.

mod status;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

pub use status::ReloadStatus;
use status::{removed_warning, track_removed, RemovedItem};

use crate::clock::now_ms;
use crate::domain::{Catalog, ItemId};
use crate::exit::{Exit, Failure};
use crate::game_data::{self, Problem};
use crate::store::Store;

/// The catalog in force and what its reloads came to. Handlers take a snapshot (`current`) per
/// request, so a reload never changes the catalog under a running handler. A std RwLock: held
/// only to clone an `Arc`, never across an `.await`. The status is a `watch` channel, so the
/// sandbox's event stream can wait for its next change.
#[derive(Clone)]
pub struct SharedCatalog {
    current: Arc<RwLock<Arc<Catalog>>>,
    status: Arc<watch::Sender<ReloadStatus>>,
}

impl SharedCatalog {
    pub fn new(catalog: Catalog) -> Self {
        let status = ReloadStatus::started(&catalog, now_ms());
        Self { current: Arc::new(RwLock::new(Arc::new(catalog))), status: Arc::new(watch::Sender::new(status)) }
    }

    pub fn current(&self) -> Arc<Catalog> {
        self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn replace(&self, catalog: Catalog) {
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(catalog);
    }

    /// What the reloads came to, as of now.
    pub fn status(&self) -> ReloadStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every later change of [`SharedCatalog::status`].
    pub fn subscribe(&self) -> watch::Receiver<ReloadStatus> {
        self.status.subscribe()
    }

    /// Changes the status; bumps its generation (and wakes subscribers) only if that changed it.
    fn update_status(&self, change: impl FnOnce(&mut ReloadStatus)) {
        self.status.send_if_modified(|status| {
            let before = status.clone();
            change(status);
            let modified = *status != before;
            if modified {
                status.generation = before.generation + 1;
            }
            modified
        });
    }
}

/// Loads `dir` for a start (of `serve` or a command), printing every problem.
pub fn load_catalog(dir: &Path) -> Result<Catalog, Failure> {
    game_data::load_dir(dir).map_err(|problems| {
        for problem in &problems {
            eprintln!("{problem}");
        }
        Failure::new(Exit::Refused, format!("{} problem(s) in {}", problems.len(), dir.display()))
    })
}

/// Name, size and modification time of every `*.toml`: cheap to read, changes on any edit.
fn stamp(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut stamp: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "toml"))
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            Some((entry.path(), meta.len(), meta.modified().ok()))
        })
        .collect();
    stamp.sort();
    stamp
}

/// What one reload came to.
enum Reloaded {
    /// A new catalog is in force; the one it replaced.
    Applied { previous: Arc<Catalog> },
    /// The files are valid and say what the catalog in force says.
    Unchanged,
    /// The files have problems; the catalog in force stays.
    Failed(Vec<Problem>),
}

/// Loads `dir` and swaps it in if valid; logs and counts the outcome.
fn reload(dir: &Path, catalog: &SharedCatalog, why: &str) -> Reloaded {
    let (reloaded, result) = match game_data::load_dir(dir) {
        Ok(fresh) if fresh.version == catalog.current().version => {
            tracing::info!(reason = why, "game data unchanged");
            (Reloaded::Unchanged, "unchanged")
        }
        Ok(fresh) => {
            tracing::info!(reason = why, "game data reloaded: {}", game_data::summary(&fresh));
            let previous = catalog.current();
            catalog.replace(fresh);
            (Reloaded::Applied { previous }, "ok")
        }
        Err(problems) => {
            for problem in &problems {
                tracing::error!("{problem}");
            }
            tracing::error!(
                reason = why,
                problems = problems.len(),
                "game data NOT reloaded: the files have problems; the previous catalog stays in force"
            );
            (Reloaded::Failed(problems), "failed")
        }
    };
    metrics::counter!("starmine_catalog_reloads_total", "result" => result).increment(1);
    reloaded
}

/// Watches `dir` until the task is aborted, keeping the catalog's status: `store` tells who
/// holds purchases of a removed item.
pub async fn watch(dir: PathBuf, catalog: SharedCatalog, store: Store) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangup = signal(SignalKind::hangup()).ok();
    let mut last = stamp(&dir);
    let mut watcher = Watcher { dir, catalog, store, removed: BTreeMap::new() };
    // Files edited between the start's load and now are applied at once.
    let on_disk = game_data::load_dir(&watcher.dir).map(|fresh| fresh.version);
    if on_disk.as_ref().ok() != Some(&watcher.catalog.current().version) {
        watcher.reload("file change").await;
    }
    let mut every = tokio::time::interval(Duration::from_secs(1));
    loop {
        let why = tokio::select! {
            _ = every.tick() => "file change",
            Some(()) = async { match hangup.as_mut() { Some(signal) => signal.recv().await, None => std::future::pending().await } } => "SIGHUP",
        };
        let now = stamp(&watcher.dir);
        if why == "SIGHUP" || now != last {
            last = now;
            watcher.reload(why).await;
        }
    }
}

/// What the watch task keeps between reloads.
struct Watcher {
    dir: PathBuf,
    catalog: SharedCatalog,
    store: Store,
    /// Every item removed since start and still missing: a later reload still warns of it.
    removed: BTreeMap<ItemId, RemovedItem>,
}

impl Watcher {
    /// Reloads and records the outcome in the catalog's status.
    async fn reload(&mut self, why: &str) {
        let catalog = &self.catalog;
        match reload(&self.dir, catalog, why) {
            Reloaded::Applied { previous } => {
                let fresh = catalog.current();
                track_removed(&mut self.removed, &previous, &fresh);
                let warnings = removed_still_held(&self.dir, &self.store, &self.removed).await;
                catalog.update_status(|status| {
                    status.version = fresh.version.clone();
                    status.applied_at_ms = now_ms();
                    status.problems.clear();
                    status.failed_at_ms = None;
                    status.warnings = warnings;
                });
            }
            Reloaded::Unchanged => catalog.update_status(|status| {
                status.problems.clear();
                status.failed_at_ms = None;
            }),
            Reloaded::Failed(problems) => catalog.update_status(|status| {
                status.problems = problems.iter().map(ToString::to_string).collect();
                status.failed_at_ms = Some(now_ms());
            }),
        }
    }
}

/// A warning (also logged) for each removed item that players hold purchases of, by the
/// per-player owned counts of what it was sold as.
async fn removed_still_held(dir: &Path, store: &Store, removed: &BTreeMap<ItemId, RemovedItem>) -> Vec<String> {
    let mut warnings = Vec::new();
    for item in removed.values() {
        let mut owners = 0;
        for id in &item.sold_as {
            match store.owners(id).await {
                Ok(count) => owners += count,
                Err(error) => tracing::warn!(%error, item = %id, "cannot tell who holds a removed item"),
            }
        }
        if owners > 0 {
            let warning = removed_warning(dir, item, owners);
            tracing::warn!("{warning}");
            warnings.push(warning);
        }
    }
    warnings
}
