//! `search`, `mentions` and `facets`: run queries and write hits, groups,
//! counts or facet tables in the chosen format.

use std::io::{self, BufRead, Write};

use anyhow::{Context, Result};
use termcolor::{BufferedStandardStream, WriteColor};

use super::args::{Cli, FacetsArgs, GroupBy, MentionsArgs, SearchArgs};
use super::commands::{exit_for, open_reader, stdout};
use super::filters;
use super::EXIT_ERROR;
use crate::document::Passage;
use crate::index::Reader;
use crate::output::{json, table, text, Format};
use crate::query::{self, Hit, MatchOptions, MetaDetail, SearchRequest};

/// What to add around each hit.
#[derive(Clone, Copy)]
pub(super) struct Shape<'a> {
    pub format: Format,
    pub context: usize,
    /// A key and value each JSON line or CSV row carries first: a batch's
    /// query (`query`), a watch's name (`watch`).
    pub label: Option<(&'static str, &'a str)>,
    pub grouped_by_doc: bool,
    pub with_letter: bool,
}

impl Shape<'_> {
    /// How much of each hit's document this output shows: plain text heads
    /// each hit with its path, authority, date and visit type, nothing else.
    fn detail(&self) -> MetaDetail {
        if matches!(self.format, Format::Text) && !self.grouped_by_doc && !self.with_letter {
            MetaDetail::Header
        } else {
            MetaDetail::Full
        }
    }
}

pub(super) fn print_notes(notes: &[String]) {
    for n in notes {
        eprintln!("ofsearch: note: {n}");
    }
}

/// Write hits in the chosen format, ranked from `first_rank` (a table's header only with the
/// first: the hits of one listing may come in several calls).
pub(super) fn write_hits<W: WriteColor>(
    out: &mut W,
    reader: &Reader,
    hits: Vec<Hit>,
    shape: Shape,
    first_rank: usize,
) -> Result<()> {
    let contexts: Vec<(Vec<Passage>, Vec<Passage>)> = hits
        .iter()
        .map(|h| query::context(reader, h, shape.context))
        .collect::<Result<_, _>>()?;
    // The letter passage each news hit quotes, when asked for.
    let letters: Vec<Option<(String, Passage)>> = hits
        .iter()
        .map(|h| -> Result<_> {
            let Some(l) = h.meta.reports_on.as_ref().filter(|_| shape.with_letter) else {
                return Ok(None);
            };
            Ok(
                query::link::quoted_passage(reader, &l.path, &h.passage.text)?
                    .map(|(p, _)| (l.path.clone(), p)),
            )
        })
        .collect::<Result<_>>()?;
    match shape.format {
        Format::Text => {
            for (i, (hit, (before, after))) in hits.iter().zip(&contexts).enumerate() {
                if shape.context > 0 {
                    text::write_hit_with_context(out, first_rank + i, hit, before, after)?;
                } else {
                    text::write_hit(out, first_rank + i, hit)?;
                }
                if let Some((path, p)) = &letters[i] {
                    text::write_letter_passage(out, path, p)?;
                }
            }
        }
        Format::Json if shape.context == 0 && !shape.with_letter && shape.label.is_none() => {
            for hit in &hits {
                json::write_hit_line(out, hit)?;
            }
        }
        Format::Json => {
            for ((hit, (before, after)), letter) in hits.iter().zip(&contexts).zip(&letters) {
                let mut obj = if shape.context > 0 {
                    json::hit_with_context(hit, before, after)
                } else {
                    json::hit_object(hit)
                };
                if shape.with_letter {
                    obj.insert(
                        "letter_passage".into(),
                        letter.as_ref().map_or(serde_json::Value::Null, |(path, p)| {
                            serde_json::json!({"path": path, "paragraph": p.paragraph, "section": p.section, "text": p.text})
                        }),
                    );
                }
                if let Some((key, value)) = shape.label {
                    obj.insert(key.into(), serde_json::json!(value));
                }
                writeln!(out, "{}", serde_json::Value::Object(obj))?;
            }
        }
        Format::Csv | Format::Tsv => {
            let mut columns: Vec<&str> = table::hit_columns();
            if let Some((key, _)) = shape.label {
                columns.insert(0, key);
            }
            if shape.context > 0 {
                columns.extend(["context_before", "context_after"]);
            }
            let tsv = shape.format == Format::Tsv;
            let mut w = if first_rank == 1 {
                table::writer(&mut *out, tsv, &columns)?
            } else {
                table::writer_continued(&mut *out, tsv)
            };
            for (hit, (before, after)) in hits.iter().zip(&contexts) {
                let mut row = table::hit_row(hit);
                if let Some((_, value)) = shape.label {
                    row.insert(0, value.to_string());
                }
                if shape.context > 0 {
                    row.push(table::join_passages(before));
                    row.push(table::join_passages(after));
                }
                w.write_record(row)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

fn write_groups<W: WriteColor>(
    out: &mut W,
    groups: &[query::DocGroup],
    shape: Shape,
) -> Result<()> {
    match shape.format {
        Format::Text => {
            for (i, g) in groups.iter().enumerate() {
                text::write_group(out, i + 1, g)?;
            }
        }
        Format::Json => {
            for g in groups {
                let mut obj = json::group_object(g);
                if let Some((key, value)) = shape.label {
                    obj.insert(key.into(), serde_json::json!(value));
                }
                writeln!(out, "{}", serde_json::Value::Object(obj))?;
            }
        }
        Format::Csv | Format::Tsv => {
            let mut columns: Vec<&str> = table::document_columns();
            columns.extend(["hits", "score", "best_snippets"]);
            let mut w = table::writer(&mut *out, shape.format == Format::Tsv, &columns)?;
            for g in groups {
                w.write_record(table::group_row(g))?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

pub(super) fn write_count(
    out: &mut BufferedStandardStream,
    format: Format,
    query: &str,
    passages: usize,
    documents: usize,
) -> Result<()> {
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::Value::Object(json::count_object(query, passages, documents))
        )?,
        Format::Csv | Format::Tsv => {
            let mut w = table::writer(
                &mut *out,
                format == Format::Tsv,
                &["query", "passages", "documents"],
            )?;
            w.write_record([
                query.to_string(),
                passages.to_string(),
                documents.to_string(),
            ])?;
            w.flush()?;
        }
        Format::Text => writeln!(out, "{passages} passages in {documents} documents")?,
    }
    Ok(())
}

/// `ofsearch search`.
pub fn search(cli: &Cli, args: &SearchArgs) -> Result<i32> {
    let mut notes = Vec::new();
    let filters = filters::groups(&args.filters, &mut notes)?;
    print_notes(&notes);
    let reader = open_reader(cli)?;
    let grouped = args.group_by == Some(GroupBy::Doc);
    let make = |q: &str| SearchRequest {
        query: q.to_string(),
        filters: filters.clone(),
        options: MatchOptions { exact: args.exact },
        // Groups need every hit to count them; the limit then applies to groups.
        limit: if args.all || grouped {
            None
        } else {
            Some(args.limit)
        },
        detail: MetaDetail::Full,
        explain: args.explain,
    };
    let mut out = stdout(cli);
    let format = args.output.format();
    if args.query == "-" {
        return search_batch(&reader, &mut out, args, &make);
    }
    let shape = Shape {
        format,
        context: args.context,
        label: None,
        grouped_by_doc: grouped,
        with_letter: args.with_letter,
    };
    let found = run_one(&reader, &mut out, args, &make(&args.query), shape)?;
    out.flush()?;
    // The process ends next, and exit unmaps the whole address space at
    // once: closing the index file by file took 3.5 % of a top-10 at 1x.
    std::mem::forget(reader);
    Ok(exit_for(found))
}

/// Run one request and write its output; true when anything matched.
fn run_one(
    reader: &Reader,
    out: &mut BufferedStandardStream,
    args: &SearchArgs,
    request: &SearchRequest,
    shape: Shape,
) -> Result<bool> {
    let request = &SearchRequest {
        detail: shape.detail(),
        ..request.clone()
    };
    if args.count {
        let counted = query::count(reader, request)?;
        print_notes(&counted.notes);
        write_count(
            out,
            shape.format,
            &request.query,
            counted.passages,
            counted.documents,
        )?;
        return Ok(counted.passages > 0);
    }
    if shape.grouped_by_doc {
        // Documents ranked by their best hit; `--limit` counts documents.
        let grouped = query::search_grouped(
            reader,
            request,
            query::GroupPage {
                offset: 0,
                n: (!args.all).then_some(args.limit),
                newest_first: false,
            },
        )?;
        print_notes(&grouped.notes);
        write_groups(out, &grouped.groups, shape)?;
        return Ok(grouped.documents > 0);
    }
    if args.all {
        return list_all(reader, out, request, shape);
    }
    let found = query::search(reader, request)?;
    print_notes(&found.notes);
    let any = !found.hits.is_empty();
    let hits = found.hits;
    write_hits(out, reader, hits, shape, 1)?;
    Ok(any)
}

/// Hits of an exhaustive listing loaded a chunk at a time: each chunk is
/// written while the next one loads, and memory holds one chunk, not every
/// hit.
const LISTING_CHUNK: usize = 1024;

/// More than a listed hit takes in text (about 450 bytes on average), so a
/// chunk's buffer seldom grows.
const LISTING_BYTES_PER_HIT: usize = 2048;

/// Every hit of a request, written as it is loaded, in rank order.
fn list_all(
    reader: &Reader,
    out: &mut BufferedStandardStream,
    request: &SearchRequest,
    shape: Shape,
) -> Result<bool> {
    let mut rank = 1;
    let mut failed = None;
    let colored = out.supports_color();
    // Chunks are formatted on the loading threads; this one only writes.
    let format = |first: usize, hits: Vec<Hit>| -> Result<(usize, Vec<u8>)> {
        // Room for the whole chunk up front: growing a buffer copies it, and
        // pages reserved but never written cost nothing.
        let mut bytes = Vec::with_capacity(hits.len() * LISTING_BYTES_PER_HIT);
        let n = hits.len();
        if colored {
            write_hits(
                &mut termcolor::Ansi::new(&mut bytes),
                reader,
                hits,
                shape,
                first + 1,
            )?;
        } else {
            write_hits(
                &mut termcolor::NoColor::new(&mut bytes),
                reader,
                hits,
                shape,
                first + 1,
            )?;
        }
        Ok((n, bytes))
    };
    query::search::for_each_chunk_formatted(
        reader,
        request,
        LISTING_CHUNK,
        print_notes,
        format,
        |chunk| match chunk.and_then(|(n, buf)| Ok((n, out.write_all(&buf)?))) {
            Ok((n, ())) => {
                rank += n;
                true
            }
            Err(e) => {
                failed = Some(e);
                false
            }
        },
    )?;
    if let Some(e) = failed {
        return Err(e);
    }
    if rank == 1 {
        // No hit: still the header of a table.
        write_hits(out, reader, Vec::new(), shape, rank)?;
    }
    Ok(rank > 1)
}

/// One query per stdin line; JSON lines (or rows, or counts) carry their query.
/// A bad query is reported on stderr and the batch goes on (exit 2 at the end).
fn search_batch(
    reader: &Reader,
    out: &mut BufferedStandardStream,
    args: &SearchArgs,
    make: &dyn Fn(&str) -> SearchRequest,
) -> Result<i32> {
    let format = match args.output.format() {
        Format::Text => Format::Json,
        f => f,
    };
    let mut any_hit = false;
    let mut any_error = false;
    for line in io::stdin().lock().lines() {
        let line = line.context("reading queries from stdin")?;
        let q = line.trim();
        if q.is_empty() {
            continue;
        }
        let shape = Shape {
            format,
            context: args.context,
            label: Some(("query", q)),
            grouped_by_doc: args.group_by == Some(GroupBy::Doc),
            with_letter: args.with_letter,
        };
        match run_one(reader, out, args, &make(q), shape) {
            Ok(found) => any_hit |= found,
            Err(e) if e.downcast_ref::<query::SearchError>().is_some() => {
                any_error = true;
                eprintln!("ofsearch: query {q:?}: {e}");
            }
            Err(e) => return Err(e),
        }
    }
    out.flush()?;
    Ok(if any_error {
        EXIT_ERROR
    } else {
        exit_for(any_hit)
    })
}

/// `ofsearch mentions`.
pub fn mentions(cli: &Cli, args: &MentionsArgs) -> Result<i32> {
    let mut notes = Vec::new();
    let filters = filters::groups(&args.filters, &mut notes)?;
    print_notes(&notes);
    let reader = open_reader(cli)?;
    let found = query::mentions(&reader, &args.name, &filters)?;
    print_notes(&found.notes);
    let format = args.output.format();
    let mut out = stdout(cli);
    let hits = found.hits;
    let any = !hits.is_empty();
    if args.count {
        let docs: std::collections::HashSet<&str> =
            hits.iter().map(|h| h.meta.path.as_str()).collect();
        write_count(&mut out, format, &args.name, hits.len(), docs.len())?;
    } else if format == Format::Text {
        text::write_grouped(&mut out, &hits)?;
    } else {
        let shape = Shape {
            format,
            context: 0,
            label: None,
            grouped_by_doc: false,
            with_letter: false,
        };
        write_hits(&mut out, &reader, hits, shape, 1)?;
    }
    out.flush()?;
    Ok(exit_for(any))
}

/// `ofsearch facets`.
pub fn facets(cli: &Cli, args: &FacetsArgs) -> Result<i32> {
    let mut notes = Vec::new();
    let filters = filters::groups(&args.filters, &mut notes)?;
    print_notes(&notes);
    let reader = open_reader(cli)?;
    let request = SearchRequest {
        query: args.query.clone(),
        filters,
        options: MatchOptions { exact: args.exact },
        limit: None,
        detail: MetaDetail::Full,
        explain: false,
    };
    let sort = args.sort.map_or(args.by.default_sort(), Into::into);
    let (rows, notes) = query::facets(&reader, &request, args.by, sort)?;
    print_notes(&notes);
    let by = args.by.name();
    let mut out = stdout(cli);
    match args.output.format() {
        Format::Text => text::write_facets(&mut out, by, &rows)?,
        Format::Json => {
            for r in &rows {
                writeln!(
                    out,
                    "{}",
                    serde_json::Value::Object(json::facet_row_object(by, r))
                )?;
            }
        }
        f @ (Format::Csv | Format::Tsv) => {
            let mut w = table::writer(&mut out, f == Format::Tsv, &[by, "passages", "documents"])?;
            for r in &rows {
                w.write_record([
                    r.value.clone(),
                    r.passages.to_string(),
                    r.documents.to_string(),
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(exit_for(!rows.is_empty()))
}
