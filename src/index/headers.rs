//! A document's header facts (path, authority, date, visit type) read from
//! fast fields, for printers that show nothing else of it: a text listing
//! heads every hit with these four and needs no document's metadata JSON
//! read from its dictionary or parsed.

use std::collections::HashMap;

use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId};

use super::reader::decode_sorted;
use super::OpenColumns;
use crate::document::{DocumentMeta, VisitType};

/// How much of each hit's document a loader reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MetaDetail {
    /// Everything the index keeps of it (its metadata JSON, news links attached).
    #[default]
    Full,
    /// Its path, authority, date and visit type only; the other fields are
    /// left empty.
    Header,
}

/// The fast fields a header is read from, in one segment, with the few
/// distinct authorities and visit types decoded once.
#[derive(Clone)]
pub(super) struct HeaderColumns {
    /// Metadata is keyed by this column's ordinals in header mode.
    pub(super) path: Option<StrColumn>,
    authority: Option<StrColumn>,
    visit_type: Option<StrColumn>,
    date: Option<Column<DateTime>>,
    authorities: HashMap<u64, String>,
    visit_types: HashMap<u64, Option<VisitType>>,
}

impl HeaderColumns {
    /// The header columns of one segment.
    pub(super) fn open(columns: &OpenColumns, segment_ord: u32) -> tantivy::Result<HeaderColumns> {
        Ok(HeaderColumns {
            path: columns.strs(segment_ord, "path")?,
            authority: columns.strs(segment_ord, "authority")?,
            visit_type: columns.strs(segment_ord, "visit_type")?,
            date: columns.dates(segment_ord, "date")?,
            authorities: HashMap::new(),
            visit_types: HashMap::new(),
        })
    }

    /// Header-only metadata of documents given as sorted, distinct `path`
    /// ordinals, each with one of its passages (or its record).
    pub(super) fn metas(&mut self, wanted: &[(u64, DocId)]) -> std::io::Result<Vec<DocumentMeta>> {
        let ords: Vec<u64> = wanted.iter().map(|&(ord, _)| ord).collect();
        let paths = match &self.path {
            Some(column) => decode_sorted(column, &ords)?,
            None => Vec::new(),
        };
        let docs: Vec<DocId> = wanted.iter().map(|&(_, doc)| doc).collect();
        let authority = ords_of(self.authority.as_ref(), &docs);
        let visit_type = ords_of(self.visit_type.as_ref(), &docs);
        fill(
            self.authority.as_ref(),
            &authority,
            &mut self.authorities,
            |s| s,
        )?;
        fill(
            self.visit_type.as_ref(),
            &visit_type,
            &mut self.visit_types,
            |s| VisitType::parse(&s),
        )?;
        let mut out = Vec::with_capacity(wanted.len());
        for (i, path) in paths.into_iter().enumerate() {
            let date = self
                .date
                .as_ref()
                .and_then(|c| c.first(docs[i]))
                .and_then(|d| day_of(d.into_timestamp_secs()));
            out.push(DocumentMeta {
                path,
                authority: authority[i].and_then(|o| self.authorities.get(&o).cloned()),
                visit_type: visit_type[i].and_then(|o| self.visit_types.get(&o).copied().flatten()),
                date,
                ..DocumentMeta::default()
            });
        }
        Ok(out)
    }
}

/// Each document's first ordinal in a string column.
fn ords_of(column: Option<&StrColumn>, docs: &[DocId]) -> Vec<Option<u64>> {
    docs.iter()
        .map(|&doc| column?.term_ords(doc).next())
        .collect()
}

/// Decode into `cache`, in one pass, the values of these ordinals it lacks.
fn fill<T>(
    column: Option<&StrColumn>,
    ords: &[Option<u64>],
    cache: &mut HashMap<u64, T>,
    make: impl Fn(String) -> T,
) -> std::io::Result<()> {
    let Some(column) = column else {
        return Ok(());
    };
    let missing = super::reader::distinct_sorted(
        ords.iter()
            .copied()
            .filter(|o| o.is_some_and(|o| !cache.contains_key(&o))),
    );
    let values = decode_sorted(column, &missing)?;
    cache.extend(missing.into_iter().zip(values.into_iter().map(make)));
    Ok(())
}

/// The day a document's date was written from: dates are indexed as
/// midnight UTC of that day.
fn day_of(seconds: i64) -> Option<crate::document::Day> {
    let at = jiff::Timestamp::from_second(seconds).ok()?;
    Some(at.to_zoned(jiff::tz::TimeZone::UTC).date())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_come_back_as_written() {
        for day in ["2024-02-29", "1999-12-31", "2026-01-01", "0900-06-15"] {
            let seconds = super::super::date_to_timestamp(day.parse().unwrap()).unwrap();
            assert_eq!(
                super::day_of(seconds).map(|d| d.to_string()).as_deref(),
                Some(day)
            );
        }
    }
}
