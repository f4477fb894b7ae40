//! The fast-field columns of one snapshot, each opened once.
//!
//! Opening a column is not free: tantivy reads the header of every 512-row
//! block of a blockwise-linear column when it opens it (about 1 250 per
//! column per segment at 100x, 50–90 µs). A ranked search with many ties
//! reads paths, dates and positions to order them, then its loader reads
//! them again, and each loading thread opened its own; here they share one,
//! and so do the queries of a batch (`search -`) or of `serve` that read the
//! same snapshot (see [`super::Reader::open_columns`]).

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::columnar::{BytesColumn, Column, StrColumn};
use tantivy::fastfield::FastFieldReaders;
use tantivy::{DateTime, Searcher};

/// A column as opened, by its type; `None` when no document has the field.
#[derive(Clone)]
enum Opened {
    U64(Option<Column<u64>>),
    Date(Option<Column<DateTime>>),
    Str(Option<StrColumn>),
    Bytes(Option<BytesColumn>),
}

/// Columns of one searcher's segments, opened on first use and shared by
/// every thread and request reading them.
pub struct OpenColumns {
    searcher: Searcher,
    opened: Mutex<HashMap<(u32, &'static str), Opened>>,
}

impl OpenColumns {
    /// No column of this searcher's segments opened yet.
    pub fn new(searcher: &Searcher) -> OpenColumns {
        OpenColumns {
            searcher: searcher.clone(),
            opened: Mutex::default(),
        }
    }

    /// Whether these are the columns of `searcher`'s snapshot.
    pub fn are_of(&self, searcher: &Searcher) -> bool {
        self.searcher.generation().generation_id() == searcher.generation().generation_id()
    }

    /// A u64 fast field of one segment.
    pub fn u64s(
        &self,
        segment_ord: u32,
        field: &'static str,
    ) -> tantivy::Result<Option<Column<u64>>> {
        self.get(
            segment_ord,
            field,
            |fast| fast.column_opt::<u64>(field).map(Opened::U64),
            |o| match o {
                Opened::U64(c) => Some(c.clone()),
                _ => None,
            },
        )
    }

    /// A date fast field of one segment.
    pub fn dates(
        &self,
        segment_ord: u32,
        field: &'static str,
    ) -> tantivy::Result<Option<Column<DateTime>>> {
        self.get(
            segment_ord,
            field,
            |fast| fast.column_opt::<DateTime>(field).map(Opened::Date),
            |o| match o {
                Opened::Date(c) => Some(c.clone()),
                _ => None,
            },
        )
    }

    /// A string (dictionary) fast field of one segment.
    pub fn strs(
        &self,
        segment_ord: u32,
        field: &'static str,
    ) -> tantivy::Result<Option<StrColumn>> {
        self.get(
            segment_ord,
            field,
            |fast| fast.str(field).map(Opened::Str),
            |o| match o {
                Opened::Str(c) => Some(c.clone()),
                _ => None,
            },
        )
    }

    /// A bytes (dictionary) fast field of one segment.
    pub fn bytes(
        &self,
        segment_ord: u32,
        field: &'static str,
    ) -> tantivy::Result<Option<BytesColumn>> {
        self.get(
            segment_ord,
            field,
            |fast| fast.bytes(field).map(Opened::Bytes),
            |o| match o {
                Opened::Bytes(c) => Some(c.clone()),
                _ => None,
            },
        )
    }

    fn get<T>(
        &self,
        segment_ord: u32,
        field: &'static str,
        open: impl FnOnce(&FastFieldReaders) -> tantivy::Result<Opened>,
        pick: impl Fn(&Opened) -> Option<Option<T>>,
    ) -> tantivy::Result<Option<T>> {
        let key = (segment_ord, field);
        if let Some(found) = self.lock().get(&key).and_then(&pick) {
            return Ok(found);
        }
        // Opened outside the lock: two threads opening two columns at once
        // (a ranking's paths beside its positions) do not wait for each other.
        let opened = open(self.searcher.segment_reader(segment_ord).fast_fields())?;
        let column = pick(&opened).flatten();
        self.lock().entry(key).or_insert(opened);
        Ok(column)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(u32, &'static str), Opened>> {
        self.opened.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_opened_once_and_read_alike() {
        let (_dir, handle) =
            super::super::test_index::with_segments(&[&["a", "b", "c"]], |d, f, path| {
                d.add_u64(
                    f.paragraph,
                    path.len() as u64 + u64::from(path.as_bytes()[0]),
                );
                d.add_date(f.date, DateTime::from_timestamp_secs(86_400));
            });
        let reader = super::super::Reader::open(&handle).unwrap();
        let searcher = reader.searcher();
        let columns = OpenColumns::new(&searcher);
        let first = columns.u64s(0, "paragraph").unwrap().unwrap();
        let again = columns.u64s(0, "paragraph").unwrap().unwrap();
        let direct = searcher
            .segment_reader(0)
            .fast_fields()
            .column_opt::<u64>("paragraph")
            .unwrap()
            .unwrap();
        let values = |c: &Column<u64>| (0..3).map(|d| c.first(d)).collect::<Vec<_>>();
        assert_eq!(values(&first), vec![Some(98), Some(99), Some(100)]);
        assert_eq!(values(&again), values(&direct));
        assert_eq!(columns.lock().len(), 1);
        assert!(columns.dates(0, "date").unwrap().is_some());
        assert!(columns.strs(0, "path").unwrap().is_some());
        // A field no document has comes back empty, and is remembered too.
        let section = columns.strs(0, "section").unwrap();
        assert!(section.is_none_or(|c| c.term_ords(0).next().is_none()));
        assert_eq!(columns.lock().len(), 4);
        let _ = columns.strs(0, "section").unwrap();
        assert_eq!(columns.lock().len(), 4);
    }

    #[test]
    fn requests_on_one_snapshot_share_their_columns() {
        let (_dir, handle) =
            super::super::test_index::with_segments(&[&["a", "b"]], |d, f, path| {
                d.add_u64(f.paragraph, path.len() as u64);
            });
        let reader = super::super::Reader::open(&handle).unwrap();
        let first = reader.open_columns(&reader.searcher());
        assert!(first.u64s(0, "paragraph").unwrap().is_some());
        let second = reader.open_columns(&reader.searcher());
        assert!(std::sync::Arc::ptr_eq(&first, &second));
        assert_eq!(second.lock().len(), 1);
    }
}
