//! The catalog in force ([`SharedCatalog`]) and its only writer, hot reload of `game_data/`: on
//! a file change (polled once a second) or SIGHUP, the whole directory is loaded and validated
//! again; a valid catalog replaces the old one atomically,
//! an invalid one is logged problem by problem and the old one stays. Orders keep their
//! snapshot price and Redis keeps sold counts, so a reload never touches money in flight.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use crate::domain::Catalog;
use crate::exit::{Exit, Failure};
use crate::game_data;

/// The catalog in force. Handlers take a snapshot (`current`) per request, so a reload never
/// changes the catalog under a running handler. A std RwLock: held only to clone an `Arc`,
/// never across an `.await`.
#[derive(Clone)]
pub struct SharedCatalog(Arc<RwLock<Arc<Catalog>>>);

impl SharedCatalog {
    pub fn new(catalog: Catalog) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(catalog))))
    }

    pub fn current(&self) -> Arc<Catalog> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn replace(&self, catalog: Catalog) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(catalog);
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

/// Loads `dir` and swaps it in if valid. Returns whether the catalog changed.
pub fn reload(dir: &Path, catalog: &SharedCatalog, why: &str) -> bool {
    match game_data::load_dir(dir) {
        Ok(fresh) => {
            if fresh.version == catalog.current().version {
                tracing::info!(reason = why, "game data unchanged");
                return false;
            }
            tracing::info!(reason = why, "game data reloaded: {}", game_data::summary(&fresh));
            catalog.replace(fresh);
            true
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
            false
        }
    }
}

/// Watches `dir` until the task is aborted.
pub async fn watch(dir: PathBuf, catalog: SharedCatalog) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangup = signal(SignalKind::hangup()).ok();
    let mut last = stamp(&dir);
    let mut every = tokio::time::interval(Duration::from_secs(1));
    loop {
        let why = tokio::select! {
            _ = every.tick() => "file change",
            Some(()) = async { match hangup.as_mut() { Some(signal) => signal.recv().await, None => std::future::pending().await } } => "SIGHUP",
        };
        let now = stamp(&dir);
        if why == "SIGHUP" || now != last {
            last = now;
            reload(&dir, &catalog, why);
        }
    }
}
