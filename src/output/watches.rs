//! `watch list`: each saved search with what it has seen and how many new
//! documents match it, as text, JSON lines or a table.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::watch::Watch;

/// One watch as listed: the watch, or the error that keeps it from loading,
/// and how many new documents match it.
#[derive(Debug)]
pub struct Listed<'a> {
    /// Its name.
    pub name: String,
    /// The watch, or why it cannot be read.
    pub watch: Result<&'a Watch, String>,
    /// New documents with a matching passage (none counted when it cannot be read).
    pub new_documents: usize,
}

/// A time as people read it, to the minute, UTC.
fn minute(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// One watch as a JSON object.
pub fn listed_object(l: &Listed) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("name".into(), json!(l.name));
    match &l.watch {
        Ok(w) => {
            o.insert("query".into(), json!(w.query));
            o.insert("filters".into(), json!(w.filters));
            o.insert("exact".into(), json!(w.exact));
            o.insert("created".into(), json!(w.created.to_string()));
            o.insert("seen".into(), json!(w.seen.to_string()));
            o.insert("read".into(), json!(w.read.map(|t| t.to_string())));
            o.insert("new_documents".into(), json!(l.new_documents));
        }
        Err(e) => {
            o.insert("error".into(), json!(e));
        }
    }
    o
}

/// Columns of `watch list` as a table.
pub const COLUMNS: &[&str] = &[
    "name",
    "query",
    "filters",
    "exact",
    "created",
    "seen",
    "read",
    "new_documents",
    "error",
];

/// One watch as a table row.
pub fn listed_row(l: &Listed) -> Vec<String> {
    match &l.watch {
        Ok(w) => vec![
            l.name.clone(),
            w.query.clone(),
            w.filters_line(),
            w.exact.to_string(),
            w.created.to_string(),
            w.seen.to_string(),
            w.read.map(|t| t.to_string()).unwrap_or_default(),
            l.new_documents.to_string(),
            String::new(),
        ],
        Err(e) => {
            let mut row = vec![String::new(); COLUMNS.len()];
            row[0] = l.name.clone();
            row[COLUMNS.len() - 1] = e.clone();
            row
        }
    }
}

/// Every watch for people: name, search, when last read, what is new.
pub fn write_text(out: &mut dyn Write, listed: &[Listed]) -> io::Result<()> {
    let width = listed
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0);
    for l in listed {
        match &l.watch {
            Ok(w) => {
                let mut search = w.query.clone();
                let filters = w.filters_line();
                if !filters.is_empty() {
                    if !search.is_empty() {
                        search.push(' ');
                    }
                    search.push_str(&filters);
                }
                if w.exact {
                    search.push_str(" (exact)");
                }
                let read = w.read.map_or_else(
                    || "never read".to_string(),
                    |t| format!("read {}", minute(t)),
                );
                let new = match l.new_documents {
                    0 => "nothing new".to_string(),
                    1 => "1 new document".to_string(),
                    n => format!("{n} new documents"),
                };
                writeln!(out, "{:width$}  {search}  · {read} · {new}", l.name)?;
            }
            Err(e) => writeln!(out, "{:width$}  damaged: {e}", l.name)?,
        }
    }
    Ok(())
}
