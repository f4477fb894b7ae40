//! Group hits by document: one entry per document with its hit count and best passages.

use super::search::Hit;
use crate::document::DocumentMeta;

/// One document's share of the hits.
#[derive(Debug, Clone)]
pub struct DocGroup {
    /// The document.
    pub meta: std::sync::Arc<DocumentMeta>,
    /// How many of its passages matched.
    pub hits: usize,
    /// Its best passages, best first.
    pub best: Vec<Hit>,
}

/// Passages shown per document.
pub const BEST_PER_DOC: usize = 3;

/// Group ranked hits (best first) by document, keeping rank order of each
/// document's best hit.
pub fn by_document(hits: Vec<Hit>) -> Vec<DocGroup> {
    let mut groups: Vec<DocGroup> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for hit in hits {
        match index.get(&hit.meta.path) {
            Some(&i) => {
                let g = &mut groups[i];
                g.hits += 1;
                if g.best.len() < BEST_PER_DOC {
                    g.best.push(hit);
                }
            }
            None => {
                index.insert(hit.meta.path.clone(), groups.len());
                groups.push(DocGroup {
                    meta: hit.meta.clone(),
                    hits: 1,
                    best: vec![hit],
                });
            }
        }
    }
    groups
}
