//! Each passage's kind, read from its segment's `passage_kind` column: a
//! dictionary of a handful of names, decoded once per segment into a table
//! from ordinal to [`PassageKind`].

use tantivy::columnar::StrColumn;
use tantivy::DocId;

use crate::document::PassageKind;

/// The kinds of one segment's passages.
#[derive(Clone)]
pub struct SegmentKinds {
    column: Option<StrColumn>,
    by_ord: Vec<PassageKind>,
}

impl SegmentKinds {
    /// The table of a segment's column (`None`: an index written before
    /// passages had kinds, where every passage reads as a finding).
    pub fn of(column: Option<StrColumn>) -> std::io::Result<SegmentKinds> {
        let by_ord = match &column {
            Some(c) => {
                let ords: Vec<u64> = (0..c.dictionary().num_terms() as u64).collect();
                super::reader::decode_sorted_with(c, &ords, |bytes| {
                    std::str::from_utf8(bytes)
                        .ok()
                        .and_then(PassageKind::parse)
                        .unwrap_or_default()
                })?
            }
            None => Vec::new(),
        };
        Ok(SegmentKinds { column, by_ord })
    }

    /// The kind of the passage `doc`.
    pub fn get(&self, doc: DocId) -> PassageKind {
        self.column
            .as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .and_then(|ord| self.by_ord.get(ord as usize).copied())
            .unwrap_or_default()
    }
}
