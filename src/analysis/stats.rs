//! What an index holds: documents and passages by source and visit type, the
//! dates covered, the authorities covered (and missing), its size on disk,
//! its schema version and when it was last written.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::gazetteer::{Gazetteer, HISTORIC_EXTRAS};
use crate::index::{schema, IndexError, Reader};

/// Documents and passages of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Documents.
    pub documents: usize,
    /// Passages.
    pub passages: u64,
}

/// A summary of an index.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Every document and passage.
    pub total: Tally,
    /// By source (`ofsted`, a publisher, `(none)`).
    pub by_source: BTreeMap<String, Tally>,
    /// By visit type (`(none)` for none).
    pub by_visit_type: BTreeMap<String, Tally>,
    /// Earliest document date.
    pub first_date: Option<crate::document::Day>,
    /// Latest document date.
    pub last_date: Option<crate::document::Day>,
    /// Children's services authorities that some document is about.
    pub authorities_covered: usize,
    /// Current children's services authorities.
    pub authorities_total: usize,
    /// Current authorities that no document is about, in name order.
    pub authorities_missing: Vec<String>,
    /// Bytes of the index folder on disk.
    pub index_bytes: u64,
    /// Schema version of the index.
    pub schema_version: u32,
    /// When the index was last committed (UTC, RFC 3339), when known.
    pub last_ingest: Option<String>,
}

const NONE: &str = "(none)";

/// Summarise the index a reader reads.
pub fn stats(reader: &Reader) -> Result<Stats, IndexError> {
    let docs = reader.documents()?;
    let mut s = Stats {
        schema_version: schema::SCHEMA_VERSION,
        ..Stats::default()
    };
    let mut covered = BTreeSet::new();
    for d in &docs {
        let m = &d.meta;
        for (map, key) in [
            (&mut s.by_source, m.source.as_deref().unwrap_or(NONE)),
            (
                &mut s.by_visit_type,
                m.visit_type.map_or(NONE, |v| v.name()),
            ),
        ] {
            let t = map.entry(key.to_string()).or_default();
            t.documents += 1;
            t.passages += d.passages;
        }
        s.total.documents += 1;
        s.total.passages += d.passages;
        if let Some(date) = m.date {
            if s.first_date.is_none_or(|f| date < f) {
                s.first_date = Some(date);
            }
            if s.last_date.is_none_or(|l| date > l) {
                s.last_date = Some(date);
            }
        }
        if let Some(a) = &m.authority {
            covered.insert(a.clone());
        }
    }
    let current: Vec<&str> = Gazetteer::get()
        .authorities()
        .iter()
        .map(|a| a.name)
        .filter(|n| !HISTORIC_EXTRAS.contains(n))
        .collect();
    s.authorities_total = current.len();
    s.authorities_covered = current.iter().filter(|n| covered.contains(**n)).count();
    let mut missing: Vec<String> = current
        .iter()
        .filter(|n| !covered.contains(**n))
        .map(|n| n.to_string())
        .collect();
    missing.sort();
    s.authorities_missing = missing;
    let dir = &reader.handle().dir;
    s.index_bytes = folder_bytes(dir);
    s.last_ingest = std::fs::metadata(dir.join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    Ok(s)
}

fn folder_bytes(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
