//! The date and path of the documents passages belong to, read from fast
//! fields: what a long listing sorts documents by, without decoding any
//! document's metadata first.

use std::collections::BTreeMap;

use tantivy::{DocAddress, DocId};

use super::reader::decode_sorted;
use super::{IndexError, OpenColumns, Reader};

/// Each passage's document as a `(date, path)` key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentKeys {
    /// Each distinct (segment, path) once: the date as a Unix timestamp
    /// (`None` when undated) and the path. A document whose passages are
    /// split between segments appears once per segment, with equal keys.
    pub docs: Vec<(Option<i64>, String)>,
    /// For the i-th passage asked about, its entry in `docs`.
    pub of_passage: Vec<u32>,
}

impl Reader {
    /// The document keys of these passages (any order), from the `path` and
    /// `date` fast fields.
    pub fn document_keys(
        &self,
        columns: &OpenColumns,
        addrs: &[DocAddress],
    ) -> Result<DocumentKeys, IndexError> {
        let mut by_segment: BTreeMap<u32, Vec<(usize, DocId)>> = BTreeMap::new();
        for (i, addr) in addrs.iter().enumerate() {
            by_segment
                .entry(addr.segment_ord)
                .or_default()
                .push((i, addr.doc_id));
        }
        let mut keys = DocumentKeys {
            docs: Vec::new(),
            of_passage: vec![0; addrs.len()],
        };
        let io_err = |e: std::io::Error| self.err(e.into());
        for (segment_ord, passages) in by_segment {
            let path = columns.strs(segment_ord, "path").map_err(|e| self.err(e))?;
            let date = columns
                .dates(segment_ord, "date")
                .map_err(|e| self.err(e))?;
            let path_ord = |doc: DocId| path.as_ref().and_then(|c| c.term_ords(doc).next());
            let mut of_passage: Vec<Option<u64>> = Vec::with_capacity(passages.len());
            let mut ords: Vec<(u64, DocId)> = Vec::new();
            for &(_, doc) in &passages {
                let ord = path_ord(doc);
                // A document's passages mostly come one after another.
                if let Some(ord) = ord.filter(|&o| ords.last().is_none_or(|&(last, _)| last != o)) {
                    ords.push((ord, doc));
                }
                of_passage.push(ord);
            }
            ords.sort_unstable();
            ords.dedup_by_key(|(ord, _)| *ord);
            let sorted: Vec<u64> = ords.iter().map(|(ord, _)| *ord).collect();
            let paths = match &path {
                Some(column) => decode_sorted(column, &sorted).map_err(io_err)?,
                None => Vec::new(),
            };
            let first = keys.docs.len();
            // A document's passages all carry its date: one passage's will do.
            for (&(_, doc), path) in ords.iter().zip(paths) {
                let when = date
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .map(|d| d.into_timestamp_secs());
                keys.docs.push((when, path));
            }
            // Passages without a path (none are written so) share one empty key.
            let mut pathless = None;
            for (&(i, _), ord) in passages.iter().zip(of_passage) {
                let at = match ord.and_then(|ord| sorted.binary_search(&ord).ok()) {
                    Some(at) => first + at,
                    None => *pathless.get_or_insert_with(|| {
                        keys.docs.push((None, String::new()));
                        keys.docs.len() - 1
                    }),
                };
                keys.of_passage[i] = u32::try_from(at).unwrap_or(u32::MAX);
            }
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{DateTime, DocAddress};

    /// Keys come from the fast fields: dated and undated documents, and a
    /// document split between two segments keyed alike in both.
    #[test]
    fn keys_are_dates_and_paths_per_document() {
        let day = |s: &str| super::super::date_to_timestamp(s.parse().unwrap()).unwrap();
        let dated = [
            ("b", Some("2021-05-04")),
            ("a", None),
            ("c", Some("2019-01-02")),
        ];
        let (_dir, handle) = super::super::test_index::with_segments(
            &[&["b", "b", "a"], &["c", "b", "c"]],
            |d, f, path| {
                if let Some((_, Some(date))) = dated.iter().find(|(p, _)| *p == path) {
                    d.add_date(f.date, DateTime::from_timestamp_secs(day(date)));
                }
            },
        );
        let reader = super::Reader::open(&handle).unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let mut addrs = Vec::new();
        let mut expected = Vec::new();
        for (ord, segment) in (0u32..).zip(searcher.segment_readers()) {
            let paths = segment.fast_fields().str("path").unwrap().unwrap();
            for doc in 0..segment.max_doc() {
                let mut path = Vec::new();
                let term = paths.term_ords(doc).next().unwrap();
                paths.dictionary().ord_to_term(term, &mut path).unwrap();
                let path = String::from_utf8(path).unwrap();
                let date = dated.iter().find(|(p, _)| *p == path).unwrap().1.map(day);
                addrs.push(DocAddress::new(ord, doc));
                expected.push((date, path));
            }
        }
        // Asked in reverse order, answered in the order asked.
        addrs.reverse();
        expected.reverse();
        let columns = super::super::OpenColumns::new(&searcher);
        let keys = reader.document_keys(&columns, &addrs).unwrap();
        let got: Vec<(Option<i64>, String)> = keys
            .of_passage
            .iter()
            .map(|&i| keys.docs[i as usize].clone())
            .collect();
        assert_eq!(got, expected);
        // One entry per document and segment: b twice, a and c once each.
        assert_eq!(keys.docs.len(), 4);
    }
}
