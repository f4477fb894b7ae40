//! What every request shares: the index folder, a reader of its last commit
//! (reopened when an ingest commits), and a bound on concurrent searches.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use tokio::sync::Semaphore;

use super::error::ApiError;
use crate::index::{self, Reader};

/// A reader and the commit it reads.
struct Loaded {
    stamp: Option<SystemTime>,
    reader: Arc<Reader>,
}

/// Shared by all requests.
pub struct AppState {
    dir: PathBuf,
    current: RwLock<Option<Loaded>>,
    /// A commit that could not be opened (a damaged file): the last good one
    /// keeps serving, and it is not tried again on every request.
    refused: Mutex<Option<Option<SystemTime>>>,
    /// Searches run on blocking threads; this many at once, the rest wait.
    pub searches: Semaphore,
}

/// Searches allowed to run at once: the index work is CPU-bound.
fn search_slots() -> usize {
    crate::cores::available() * 2
}

impl AppState {
    /// State for the index in `dir`.
    pub fn new(dir: PathBuf) -> AppState {
        AppState {
            dir,
            current: RwLock::new(None),
            refused: Mutex::new(None),
            searches: Semaphore::new(search_slots()),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// A reader of the last commit: the one already open while no ingest has
    /// committed since, else a fresh one (an ingest in another process commits
    /// by rewriting `meta.json`), its new files verified first. A commit that
    /// cannot be opened — a damaged file — is refused with one log line, and
    /// the last good one keeps serving.
    pub fn reader(&self) -> Result<Arc<Reader>, ApiError> {
        let stamp = std::fs::metadata(self.dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok();
        let last = self
            .current
            .read()
            .ok()
            .and_then(|guard| guard.as_ref().map(|l| (l.stamp == stamp, l.reader.clone())));
        let refused =
            |s: &Mutex<Option<Option<SystemTime>>>| s.lock().ok().and_then(|r| *r) == Some(stamp);
        match &last {
            Some((true, reader)) => return Ok(reader.clone()),
            Some((false, reader)) if refused(&self.refused) => return Ok(reader.clone()),
            _ => {}
        }
        let opened = index::open(&self.dir).and_then(|handle| Reader::open(&handle));
        match (opened, last) {
            (Ok(reader), _) => {
                let reader = Arc::new(reader);
                if let Ok(mut guard) = self.current.write() {
                    *guard = Some(Loaded {
                        stamp,
                        reader: reader.clone(),
                    });
                }
                Ok(reader)
            }
            (Err(e), Some((_, reader))) => {
                if let Ok(mut r) = self.refused.lock() {
                    if *r != Some(stamp) {
                        eprintln!(
                            "ofsearch: the new commit was refused, serving the last good one: {e}"
                        );
                        *r = Some(stamp);
                    }
                }
                Ok(reader)
            }
            (Err(e), None) => Err(ApiError::unavailable(e)),
        }
    }
}
