//! What every request shares: the index folder, a reader of its last commit
//! (reopened when an ingest commits), and a bound on concurrent searches.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
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
            searches: Semaphore::new(search_slots()),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// A reader of the last commit: the one already open while no ingest has
    /// committed since, else a fresh one (an ingest in another process commits
    /// by rewriting `meta.json`).
    pub fn reader(&self) -> Result<Arc<Reader>, ApiError> {
        let stamp = std::fs::metadata(self.dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok();
        if let Ok(guard) = self.current.read() {
            if let Some(l) = guard.as_ref().filter(|l| l.stamp == stamp) {
                return Ok(l.reader.clone());
            }
        }
        let handle = index::open(&self.dir).map_err(ApiError::unavailable)?;
        let reader = Arc::new(Reader::open(&handle).map_err(ApiError::unavailable)?);
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(Loaded {
                stamp,
                reader: reader.clone(),
            });
        }
        Ok(reader)
    }
}
