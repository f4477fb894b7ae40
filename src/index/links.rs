//! Links between news documents and the letters or reports they are about,
//! kept beside the index in one small file that `ofsearch link` (and every
//! ingest that changes the index) rewrites whole, so a reader sees either the
//! old links or the new ones.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::{DocumentMeta, LinkRef};

/// File name of the links beside the index.
pub const LINKS_FILE: &str = "ofsearch-links.json";

/// Every document's links, by path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Links {
    /// News document path → the letter or report it is about.
    pub reports_on: HashMap<String, LinkRef>,
    /// Letter or report path → the news documents about it.
    pub reported_by: HashMap<String, Vec<LinkRef>>,
}

impl Links {
    /// Read the links of the index in `dir` (none when there is no file or it is unreadable).
    pub fn read(dir: &Path) -> Links {
        std::fs::read(dir.join(LINKS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Write the links beside the index in `dir`, replacing the old ones at once.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(format!("{LINKS_FILE}.tmp"));
        std::fs::write(
            &tmp,
            serde_json::to_vec(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, dir.join(LINKS_FILE))
    }

    /// Put a document's links on its metadata.
    pub fn attach(&self, meta: &mut DocumentMeta) {
        if self.reports_on.is_empty() {
            return;
        }
        meta.reports_on = self.reports_on.get(&meta.path).cloned();
        meta.reported_by = self
            .reported_by
            .get(&meta.path)
            .cloned()
            .unwrap_or_default();
    }
}
