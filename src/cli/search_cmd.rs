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
use crate::output::printer::{printer, HitRow, Listing, Printer};
use crate::output::Format;
use crate::query::{self, Hit, MatchOptions, MetaDetail, SearchRequest};

/// What to add around each hit, and the printer that writes them.
#[derive(Clone, Copy)]
pub(super) struct Shape<'a> {
    pub format: Format,
    pub printer: &'a dyn Printer,
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

    fn listing(&self) -> Listing<'_> {
        Listing {
            label: self.label,
            context: self.context > 0,
            with_letter: self.with_letter,
        }
    }
}

pub(super) fn print_notes(notes: &[String]) {
    for n in notes {
        eprintln!("ofsearch: note: {n}");
    }
}

/// Write hits ranked from `first_rank`, with the context and letter
/// passages asked for (read here: printers never query).
pub(super) fn write_hits<W: WriteColor>(
    out: &mut W,
    reader: &Reader,
    hits: Vec<Hit>,
    shape: Shape,
    first_rank: usize,
) -> Result<()> {
    let contexts: Vec<(Vec<Passage>, Vec<Passage>)> = if shape.context > 0 {
        hits.iter()
            .map(|h| query::context(reader, h, shape.context))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    // The letter passage each news hit quotes, when asked for.
    let letters: Vec<Option<(String, Passage)>> = hits
        .iter()
        .map(|h| -> Result<_> {
            let Some(l) = h.meta.reports_on.as_ref().filter(|_| shape.with_letter) else {
                return Ok(None);
            };
            Ok(
                crate::analysis::link::quoted_passage(reader, &l.path, &h.passage.text)?
                    .map(|(p, _)| (l.path.clone(), p)),
            )
        })
        .collect::<Result<_>>()?;
    let rows: Vec<HitRow> = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| HitRow {
            hit,
            context: contexts.get(i).map(|(b, a)| (b.as_slice(), a.as_slice())),
            letter: shape
                .with_letter
                .then(|| letters[i].as_ref().map(|(path, p)| (path.as_str(), p))),
        })
        .collect();
    shape
        .printer
        .hits(out, &rows, &shape.listing(), first_rank)?;
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
    let printer = printer(format);
    let shape = Shape {
        format,
        printer: printer.as_ref(),
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
        shape
            .printer
            .count(out, &request.query, counted.passages, counted.documents)?;
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
        shape
            .printer
            .groups(out, &grouped.groups, &shape.listing())?;
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
    let printer = printer(format);
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
            printer: printer.as_ref(),
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
    let printer = printer(args.output.format());
    let mut out = stdout(cli);
    let hits = found.hits;
    let any = !hits.is_empty();
    if args.count {
        let docs: std::collections::HashSet<&str> =
            hits.iter().map(|h| h.meta.path.as_str()).collect();
        printer.count(&mut out, &args.name, hits.len(), docs.len())?;
    } else {
        printer.mentions(&mut out, &hits)?;
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
    let (rows, notes) = crate::analysis::facets(&reader, &request, args.by, sort)?;
    print_notes(&notes);
    let by = args.by.name();
    let mut out = stdout(cli);
    printer(args.output.format()).facets(&mut out, by, &rows)?;
    out.flush()?;
    Ok(exit_for(!rows.is_empty()))
}
