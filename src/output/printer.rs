//! One printer per output format, chosen once from [`Format`]: every answer
//! a front end gives — hits, document groups, counts, facets, trends,
//! document lists, watches — goes through the same printer, so text, JSON
//! lines and CSV/TSV read the same from every command and from the server's
//! exports. Printers never query: what a hit shows besides itself (context,
//! the letter a news story quotes) comes with it.

use std::io;

use serde_json::{json, Value};
use termcolor::WriteColor;

use super::{json, table, text, watches, Format};
use crate::analysis::trend::Trend;
use crate::analysis::FacetRow;
use crate::document::{DocumentMeta, Passage};
use crate::query::{DocGroup, Hit};

/// A hit with what is shown around it.
#[derive(Debug, Clone, Copy)]
pub struct HitRow<'a> {
    /// The hit.
    pub hit: &'a Hit,
    /// Passages before and after it, when context is asked for.
    pub context: Option<(&'a [Passage], &'a [Passage])>,
    /// When asked for (`--with-letter`): the letter passage a news hit
    /// quotes, with the letter's path, if one was found.
    pub letter: Option<Option<(&'a str, &'a Passage)>>,
}

impl<'a> HitRow<'a> {
    /// Hits shown alone: no context, no letter.
    pub fn plain(hits: &'a [Hit]) -> Vec<HitRow<'a>> {
        hits.iter()
            .map(|hit| HitRow {
                hit,
                context: None,
                letter: None,
            })
            .collect()
    }
}

/// What a listing of hits carries on every row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Listing<'a> {
    /// A key and value each JSON line or table row carries first: a batch's
    /// query (`query`), a watch's name (`watch`).
    pub label: Option<(&'static str, &'a str)>,
    /// Context passages are shown (table columns `context_before`, `context_after`).
    pub context: bool,
    /// The letter passage is shown (JSON key `letter_passage`).
    pub with_letter: bool,
}

/// Writes answers in one format.
pub trait Printer: Send + Sync {
    /// Hits ranked from `first_rank` (a table's header comes with rank 1 only:
    /// one listing may be written in several calls).
    fn hits(
        &self,
        out: &mut dyn WriteColor,
        rows: &[HitRow],
        listing: &Listing,
        first_rank: usize,
    ) -> io::Result<()>;
    /// Documents with their hit counts and best passages.
    fn groups(
        &self,
        out: &mut dyn WriteColor,
        groups: &[DocGroup],
        listing: &Listing,
    ) -> io::Result<()>;
    /// Every passage naming an authority (text: grouped by document).
    fn mentions(&self, out: &mut dyn WriteColor, hits: &[Hit]) -> io::Result<()> {
        self.hits(out, &HitRow::plain(hits), &Listing::default(), 1)
    }
    /// Exact numbers of matching passages and documents.
    fn count(
        &self,
        out: &mut dyn WriteColor,
        query: &str,
        passages: usize,
        documents: usize,
    ) -> io::Result<()>;
    /// Passages and documents per value of a facet.
    fn facets(&self, out: &mut dyn WriteColor, by: &str, rows: &[FacetRow]) -> io::Result<()>;
    /// Documents matching each query per bucket.
    fn trend(&self, out: &mut dyn WriteColor, trend: &Trend) -> io::Result<()>;
    /// Documents with their passage counts.
    fn documents(&self, out: &mut dyn WriteColor, docs: &[(&DocumentMeta, u64)]) -> io::Result<()>;
    /// How many documents a listing holds.
    fn document_count(&self, out: &mut dyn WriteColor, documents: usize) -> io::Result<()>;
    /// Saved searches.
    fn watches(&self, out: &mut dyn WriteColor, listed: &[watches::Listed]) -> io::Result<()>;
}

/// The printer of a format.
pub fn printer(format: Format) -> Box<dyn Printer> {
    match format {
        Format::Text => Box::new(TextPrinter),
        Format::Json => Box::new(JsonPrinter),
        Format::Csv => Box::new(TablePrinter { tsv: false }),
        Format::Tsv => Box::new(TablePrinter { tsv: true }),
    }
}

/// For people: ranked passages with highlights.
struct TextPrinter;

/// One JSON object per line.
struct JsonPrinter;

/// Comma- or tab-separated values with a header.
struct TablePrinter {
    tsv: bool,
}

impl Printer for TextPrinter {
    fn hits(
        &self,
        out: &mut dyn WriteColor,
        rows: &[HitRow],
        _: &Listing,
        first_rank: usize,
    ) -> io::Result<()> {
        for (i, row) in rows.iter().enumerate() {
            match row.context {
                Some((before, after)) => {
                    text::write_hit_with_context(out, first_rank + i, row.hit, before, after)?
                }
                None => text::write_hit(out, first_rank + i, row.hit)?,
            }
            if let Some(Some((path, p))) = row.letter {
                text::write_letter_passage(out, path, p)?;
            }
        }
        Ok(())
    }

    fn groups(&self, out: &mut dyn WriteColor, groups: &[DocGroup], _: &Listing) -> io::Result<()> {
        for (i, g) in groups.iter().enumerate() {
            text::write_group(out, i + 1, g)?;
        }
        Ok(())
    }

    fn mentions(&self, out: &mut dyn WriteColor, hits: &[Hit]) -> io::Result<()> {
        text::write_grouped(out, hits)
    }

    fn count(
        &self,
        out: &mut dyn WriteColor,
        _: &str,
        passages: usize,
        documents: usize,
    ) -> io::Result<()> {
        writeln!(out, "{passages} passages in {documents} documents")
    }

    fn facets(&self, out: &mut dyn WriteColor, by: &str, rows: &[FacetRow]) -> io::Result<()> {
        text::write_facets(out, by, rows)
    }

    fn trend(&self, out: &mut dyn WriteColor, trend: &Trend) -> io::Result<()> {
        text::write_trend(out, trend)
    }

    fn documents(&self, out: &mut dyn WriteColor, docs: &[(&DocumentMeta, u64)]) -> io::Result<()> {
        for (meta, passages) in docs {
            writeln!(
                out,
                "{}  ({passages} passages)  {}",
                text::header(meta),
                meta.title
            )?;
        }
        Ok(())
    }

    fn document_count(&self, out: &mut dyn WriteColor, documents: usize) -> io::Result<()> {
        writeln!(out, "{documents} documents")
    }

    fn watches(&self, out: &mut dyn WriteColor, listed: &[watches::Listed]) -> io::Result<()> {
        watches::write_text(out, listed)
    }
}

/// An object with the listing's label (a batch's query, a watch's name) added.
fn labelled(mut obj: serde_json::Map<String, Value>, listing: &Listing) -> Value {
    if let Some((key, value)) = listing.label {
        obj.insert(key.into(), json!(value));
    }
    Value::Object(obj)
}

fn line(out: &mut dyn WriteColor, value: Value) -> io::Result<()> {
    writeln!(out, "{value}")
}

impl Printer for JsonPrinter {
    fn hits(
        &self,
        out: &mut dyn WriteColor,
        rows: &[HitRow],
        listing: &Listing,
        _: usize,
    ) -> io::Result<()> {
        for row in rows {
            if row.context.is_none() && row.letter.is_none() && listing.label.is_none() {
                json::write_hit_line(out, row.hit)?;
                continue;
            }
            let mut obj = match row.context {
                Some((before, after)) => json::hit_with_context(row.hit, before, after),
                None => json::hit_object(row.hit),
            };
            if let Some(letter) = row.letter {
                obj.insert(
                    "letter_passage".into(),
                    letter.map_or(Value::Null, |(path, p)| {
                        json!({"path": path, "paragraph": p.paragraph, "section": p.section, "text": p.text})
                    }),
                );
            }
            line(out, labelled(obj, listing))?;
        }
        Ok(())
    }

    fn groups(
        &self,
        out: &mut dyn WriteColor,
        groups: &[DocGroup],
        listing: &Listing,
    ) -> io::Result<()> {
        for g in groups {
            line(out, labelled(json::group_object(g), listing))?;
        }
        Ok(())
    }

    fn count(
        &self,
        out: &mut dyn WriteColor,
        query: &str,
        passages: usize,
        documents: usize,
    ) -> io::Result<()> {
        line(
            out,
            Value::Object(json::count_object(query, passages, documents)),
        )
    }

    fn facets(&self, out: &mut dyn WriteColor, by: &str, rows: &[FacetRow]) -> io::Result<()> {
        for r in rows {
            line(out, Value::Object(json::facet_row_object(by, r)))?;
        }
        Ok(())
    }

    fn trend(&self, out: &mut dyn WriteColor, trend: &Trend) -> io::Result<()> {
        for row in trend.rows() {
            line(out, serde_json::to_value(&row).map_err(io::Error::other)?)?;
        }
        Ok(())
    }

    fn documents(&self, out: &mut dyn WriteColor, docs: &[(&DocumentMeta, u64)]) -> io::Result<()> {
        for (meta, passages) in docs {
            let mut obj = json::document_object(meta);
            obj.insert("passages".into(), json!(passages));
            line(out, Value::Object(obj))?;
        }
        Ok(())
    }

    fn document_count(&self, out: &mut dyn WriteColor, documents: usize) -> io::Result<()> {
        line(out, json!({ "documents": documents }))
    }

    fn watches(&self, out: &mut dyn WriteColor, listed: &[watches::Listed]) -> io::Result<()> {
        for l in listed {
            line(out, Value::Object(watches::listed_object(l)))?;
        }
        Ok(())
    }
}

impl TablePrinter {
    /// A table with a header.
    fn table<'w>(
        &self,
        out: &'w mut dyn WriteColor,
        columns: &[&str],
    ) -> io::Result<csv::Writer<&'w mut dyn WriteColor>> {
        Ok(table::writer(out, self.tsv, columns)?)
    }
}

impl Printer for TablePrinter {
    fn hits(
        &self,
        out: &mut dyn WriteColor,
        rows: &[HitRow],
        listing: &Listing,
        first_rank: usize,
    ) -> io::Result<()> {
        let mut columns: Vec<&str> = table::hit_columns();
        if let Some((key, _)) = listing.label {
            columns.insert(0, key);
        }
        if listing.context {
            columns.extend(["context_before", "context_after"]);
        }
        let mut w = if first_rank == 1 {
            self.table(out, &columns)?
        } else {
            table::writer_continued(out, self.tsv)
        };
        for row in rows {
            let mut cells = table::hit_row(row.hit);
            if let Some((_, value)) = listing.label {
                cells.insert(0, value.to_string());
            }
            if listing.context {
                let (before, after) = row.context.unwrap_or_default();
                cells.push(table::join_passages(before));
                cells.push(table::join_passages(after));
            }
            w.write_record(cells)?;
        }
        w.flush()
    }

    fn groups(&self, out: &mut dyn WriteColor, groups: &[DocGroup], _: &Listing) -> io::Result<()> {
        let mut columns: Vec<&str> = table::document_columns();
        columns.extend(["hits", "score", "best_snippets"]);
        let mut w = self.table(out, &columns)?;
        for g in groups {
            w.write_record(table::group_row(g))?;
        }
        w.flush()
    }

    fn count(
        &self,
        out: &mut dyn WriteColor,
        query: &str,
        passages: usize,
        documents: usize,
    ) -> io::Result<()> {
        let mut w = self.table(out, &["query", "passages", "documents"])?;
        w.write_record([
            query.to_string(),
            passages.to_string(),
            documents.to_string(),
        ])?;
        w.flush()
    }

    fn facets(&self, out: &mut dyn WriteColor, by: &str, rows: &[FacetRow]) -> io::Result<()> {
        let mut w = self.table(out, &[by, "passages", "documents"])?;
        for r in rows {
            w.write_record([
                r.value.clone(),
                r.passages.to_string(),
                r.documents.to_string(),
            ])?;
        }
        w.flush()
    }

    fn trend(&self, out: &mut dyn WriteColor, trend: &Trend) -> io::Result<()> {
        let mut w = self.table(
            out,
            &[
                "by",
                "bucket",
                "bucket_documents",
                "query",
                "documents",
                "share",
                "passages",
            ],
        )?;
        for r in trend.rows() {
            w.write_record([
                r.by.to_string(),
                r.bucket.to_string(),
                r.bucket_documents.to_string(),
                r.query.to_string(),
                r.documents.to_string(),
                r.share.map(|s| format!("{s:.4}")).unwrap_or_default(),
                r.passages.to_string(),
            ])?;
        }
        w.flush()
    }

    fn documents(&self, out: &mut dyn WriteColor, docs: &[(&DocumentMeta, u64)]) -> io::Result<()> {
        let mut w = self.table(out, &table::doc_columns())?;
        for (meta, passages) in docs {
            w.write_record(table::doc_row(meta, *passages))?;
        }
        w.flush()
    }

    fn document_count(&self, out: &mut dyn WriteColor, documents: usize) -> io::Result<()> {
        // As before: tables of documents count in plain words.
        writeln!(out, "{documents} documents")
    }

    fn watches(&self, out: &mut dyn WriteColor, listed: &[watches::Listed]) -> io::Result<()> {
        let mut w = self.table(out, watches::COLUMNS)?;
        for l in listed {
            w.write_record(watches::listed_row(l))?;
        }
        w.flush()
    }
}
