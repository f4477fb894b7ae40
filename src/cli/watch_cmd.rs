//! `ofsearch watch`: save, list, remove and read saved searches, and the
//! lines `ingest` ends with for watches that have new documents.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use termcolor::WriteColor;

use super::args::{Cli, WatchAction, WatchAddArgs, WatchArgs, WatchListArgs, WatchRmArgs};
use super::commands::{exit_for, open_reader, stdout};
use super::search_cmd::{print_notes, write_hits, Shape};
use super::{index_dir, EXIT_ERROR, EXIT_OK};
use crate::index::stamps::{self, FirstIndexed};
use crate::index::Reader;
use crate::output::printer::printer;
use crate::output::{watches, Format};
use crate::query::request::Filters;
use crate::query::{self, Hit};
use crate::watch::{news, News, Start, Watch, WatchBook};

/// `ofsearch watch …`.
pub fn watch(cli: &Cli, args: &WatchArgs) -> Result<i32> {
    match &args.action {
        Some(WatchAction::Add(a)) => add(cli, a),
        Some(WatchAction::List(a)) => list(cli, a),
        Some(WatchAction::Rm(a)) => rm(cli, a),
        None => read(cli, args),
    }
}

/// Every document's first-indexed stamp in the reader's current snapshot.
fn snapshot(reader: &Reader) -> Result<FirstIndexed> {
    Ok(stamps::first_indexed(reader, &reader.searcher())?)
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// `watch add`.
fn add(cli: &Cli, args: &WatchAddArgs) -> Result<i32> {
    crate::watch::book::check_name(&args.name)?;
    let filters = Filters::from(&args.filters);
    if args.query.trim().is_empty() && filters.is_empty() {
        bail!(
            "watch \"{}\": give a query or a filter (--authority, --type …) to watch",
            args.name
        );
    }
    let reader = open_reader(cli)?;
    let dir = index_dir(cli);
    let mut book = WatchBook::open(&dir)?;
    let now = snapshot(&reader)?;
    // Everything indexed so far counts as seen: a watch tells what comes
    // next. The newest stamp, not the clock: an ingest under way stamps its
    // documents above every committed one, whenever it commits.
    let seen = stamps::to_timestamp(now.newest());
    let mut watch = Watch::new(&args.name, &args.query, &filters, args.exact, seen);
    if args.replace {
        if let Ok(old) = book.get(&args.name) {
            watch.seen = old.seen;
            watch.created = old.created;
            watch.read = old.read;
        }
    }
    // Refused now, not at its first read: a query or filter that does not resolve.
    let (today, notes) = crate::watch::news::request(&watch)?;
    print_notes(&notes);
    let counted =
        query::count(&reader, &today).with_context(|| format!("watch \"{}\"", args.name))?;
    book.add(watch, args.replace)?;
    book.save()?;
    eprintln!(
        "ofsearch: watch \"{}\" saved in {}: it matches {} now; `ofsearch watch {}` lists hits in documents indexed from now on",
        args.name,
        book.file().display(),
        plural(counted.documents, "document"),
        args.name
    );
    Ok(EXIT_OK)
}

/// New documents matching a watch in a snapshot (none when none are new).
fn new_matching(reader: &Reader, news: &News) -> Result<usize> {
    if news.documents.is_empty() {
        return Ok(0);
    }
    Ok(query::count(reader, &news.request)?.documents)
}

/// `watch list`.
fn list(cli: &Cli, args: &WatchListArgs) -> Result<i32> {
    let dir = index_dir(cli);
    let book = WatchBook::open(&dir)?;
    if book.is_empty() {
        eprintln!("ofsearch: no watches yet: `ofsearch watch add NAME QUERY [filters]` saves one");
        return Ok(exit_for(false));
    }
    let reader = open_reader(cli)?;
    let now = snapshot(&reader)?;
    let names = book.names();
    let mut listed = Vec::new();
    for (name, entry) in names.into_iter().zip(book.all()) {
        let counted = entry.map_err(|e| e.to_string()).and_then(|w| {
            let n = news(w, &now, Start::LastRead).map_err(|e| e.to_string())?;
            let count = new_matching(&reader, &n).map_err(|e| super::message(&e))?;
            Ok((w, count))
        });
        listed.push(match counted {
            Ok((w, new_documents)) => watches::Listed {
                name,
                watch: Ok(w),
                new_documents,
            },
            Err(e) => watches::Listed {
                name,
                watch: Err(e),
                new_documents: 0,
            },
        });
    }
    let mut out = stdout(cli);
    printer(args.output.format()).watches(&mut out, &listed)?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// `watch rm`: every name must be a watch, else nothing is removed.
fn rm(cli: &Cli, args: &WatchRmArgs) -> Result<i32> {
    let dir = index_dir(cli);
    let mut book = WatchBook::open(&dir)?;
    for name in &args.names {
        book.remove(name)?;
    }
    book.save()?;
    eprintln!(
        "ofsearch: removed {}",
        plural(args.names.len(), "watch").replace("watchs", "watches")
    );
    Ok(EXIT_OK)
}

/// `--since`: a day (midnight UTC) or an RFC 3339 time.
fn since(value: &str) -> Result<jiff::Timestamp> {
    let v = value.trim();
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        if let Ok(z) = d.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp());
        }
    }
    bail!("--since {value:?}: not a day (2026-11-30) or a time (2026-11-30T09:00:00Z)")
}

/// Hits newest document first (undated last); a document's passages stay
/// together in rank order, and documents of one date keep their best-match order.
fn newest_first(hits: &mut [Hit]) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, h) in hits.iter().enumerate() {
        first.entry(h.meta.path.clone()).or_insert(i);
    }
    hits.sort_by_key(|h| {
        let date = h.meta.date;
        (
            std::cmp::Reverse(date.is_some()),
            std::cmp::Reverse(date),
            first.get(&h.meta.path).copied().unwrap_or(usize::MAX),
        )
    });
}

/// `watch [NAME]`: what is new for one watch or all of them.
fn read(cli: &Cli, args: &WatchArgs) -> Result<i32> {
    let start = match &args.since {
        Some(v) => Start::Since(since(v)?),
        None => Start::LastRead,
    };
    let dir = index_dir(cli);
    let book = WatchBook::open(&dir)?;
    let chosen: Vec<Result<Watch, crate::watch::WatchError>> = match &args.name {
        Some(name) => vec![book.get(name).cloned()],
        None => book.all().into_iter().map(|w| w.cloned()).collect(),
    };
    if chosen.is_empty() {
        eprintln!("ofsearch: no watches yet: `ofsearch watch add NAME QUERY [filters]` saves one");
        return Ok(exit_for(false));
    }
    let reader = open_reader(cli)?;
    let now = snapshot(&reader)?;
    let format = args.output.format();
    let printer = printer(format);
    let mut out = stdout(cli);
    let mut rank = 1;
    let mut any_hit = false;
    let mut any_error = false;
    let mut read_up_to: Vec<(String, jiff::Timestamp)> = Vec::new();
    for watch in chosen {
        let answered = watch.map_err(anyhow::Error::from).and_then(|w| {
            let n = news(&w, &now, start)?;
            print_notes(&n.notes);
            let mut hits = if n.documents.is_empty() {
                Vec::new()
            } else {
                query::search(&reader, &n.request)
                    .with_context(|| format!("watch \"{}\"", w.name))?
                    .hits
            };
            newest_first(&mut hits);
            Ok((w, n, hits))
        });
        let (w, n, hits) = match answered {
            Ok(a) => a,
            Err(e) => {
                any_error = true;
                eprintln!("ofsearch: {}", super::message(&e));
                continue;
            }
        };
        let documents = hits
            .iter()
            .map(|h| h.meta.path.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len();
        if format == Format::Text {
            write_heading(&mut out, &w, &n, hits.len(), documents)?;
        }
        let shape = Shape {
            format,
            printer: printer.as_ref(),
            context: 0,
            label: Some(("watch", &w.name)),
            grouped_by_doc: false,
            with_letter: false,
        };
        let first = if format == Format::Text { 1 } else { rank };
        any_hit |= !hits.is_empty();
        rank += hits.len();
        if !hits.is_empty() || (first == 1 && format != Format::Text) {
            write_hits(&mut out, &reader, hits, shape, first)?;
        }
        if format != Format::Text && rank == 1 {
            // The table's header is written once, with the first rows.
            rank = 2;
        }
        read_up_to.push((w.name.clone(), n.seen));
    }
    out.flush()?;
    if args.since.is_none() && !args.no_mark {
        mark_read(&dir, &read_up_to)?;
    }
    Ok(if any_error {
        EXIT_ERROR
    } else {
        exit_for(any_hit)
    })
}

/// A text listing's line before each watch's hits.
fn write_heading(
    out: &mut impl WriteColor,
    w: &Watch,
    n: &News,
    passages: usize,
    documents: usize,
) -> Result<()> {
    let from = if n.after == 0 {
        "ever".to_string()
    } else {
        stamps::to_timestamp(n.after)
            .strftime("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    };
    let mut spec = termcolor::ColorSpec::new();
    spec.set_bold(true);
    out.set_color(&spec)?;
    write!(out, "watch \"{}\"", w.name)?;
    out.reset()?;
    if n.documents.is_empty() {
        writeln!(out, ": nothing indexed since {from}")?;
    } else if passages == 0 {
        writeln!(
            out,
            ": no match in the {} indexed since {from}",
            plural(n.documents.len(), "new document")
        )?;
    } else {
        writeln!(
            out,
            ": {} in {} of {} indexed since {from}",
            plural(passages, "passage"),
            plural(documents, "document"),
            plural(n.documents.len(), "new document")
        )?;
    }
    Ok(())
}

/// Record what each watch has now seen. The file is read again first: a
/// watch added or removed meanwhile by another process stays as it is.
fn mark_read(dir: &Path, read: &[(String, jiff::Timestamp)]) -> Result<()> {
    if read.is_empty() {
        return Ok(());
    }
    let mut book = WatchBook::open(dir)?;
    let now = jiff::Timestamp::now();
    for (name, seen) in read {
        if let Ok(w) = book.get(name) {
            let mut w = w.clone();
            w.seen = w.seen.max(*seen);
            w.read = Some(now);
            book.update(&w)?;
        }
    }
    book.save()?;
    Ok(())
}

/// After an ingest: one line on stderr for each watch with new matching
/// documents, and one for each that cannot be read. Never fails the ingest.
pub fn report_after_ingest(dir: &Path) {
    let Ok(book) = WatchBook::open(dir) else {
        return;
    };
    if book.is_empty() {
        return;
    }
    let reader = match crate::index::open(dir).and_then(|h| Reader::open(&h)) {
        Ok(r) => r,
        Err(_) => return,
    };
    let Ok(now) = snapshot(&reader) else {
        return;
    };
    for entry in book.all() {
        let counted = entry.map_err(anyhow::Error::from).and_then(|w| {
            let n = news(w, &now, Start::LastRead)?;
            Ok((w.name.clone(), new_matching(&reader, &n)?))
        });
        match counted {
            Ok((_, 0)) => {}
            Ok((name, n)) => eprintln!("ofsearch: watch \"{name}\": {}", plural(n, "new document")),
            Err(e) => eprintln!("ofsearch: {}", super::message(&e)),
        }
    }
}
