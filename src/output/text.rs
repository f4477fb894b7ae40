//! Text output for people: a header line per hit, then the passage with what
//! matched highlighted (colour only when the stream supports it).

use std::io;

use termcolor::{Color, ColorSpec, WriteColor};

use crate::analysis::FacetRow;
use crate::document::{DocumentMeta, Passage};
use crate::query::highlight::snippet_range;
use crate::query::{DocGroup, Hit};

/// "authority · date · visit type · path", skipping unknown parts.
pub fn header(meta: &DocumentMeta) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_header(&mut out, meta);
    String::from_utf8(out).unwrap_or_default()
}

/// [`header`], written in place: a long listing writes one per hit.
fn write_header(out: &mut dyn io::Write, meta: &DocumentMeta) -> io::Result<()> {
    out.write_all(
        meta.authority
            .as_deref()
            .unwrap_or("(no authority)")
            .as_bytes(),
    )?;
    let date = meta.date.map(|d| d.to_string());
    let rest = [
        date.as_deref(),
        meta.visit_type.map(|v| v.name()),
        Some(&meta.path),
    ];
    for part in rest.into_iter().flatten() {
        out.write_all(" · ".as_bytes())?;
        out.write_all(part.as_bytes())?;
    }
    Ok(())
}

fn set(out: &mut dyn WriteColor, color: Option<Color>, bold: bool) -> io::Result<()> {
    out.set_color(ColorSpec::new().set_fg(color).set_bold(bold))
}

/// Write `text[start..end]` with the spans inside it highlighted.
fn write_highlighted(
    out: &mut dyn WriteColor,
    text: &str,
    (start, end): (usize, usize),
    spans: &[(usize, usize)],
) -> io::Result<()> {
    let mut pos = start;
    for &(s, e) in spans {
        let s = s.clamp(pos, end);
        let e = e.clamp(s, end);
        if s >= e {
            continue;
        }
        out.write_all(text.get(pos..s).unwrap_or_default().as_bytes())?;
        set(out, Some(Color::Red), true)?;
        out.write_all(text.get(s..e).unwrap_or_default().as_bytes())?;
        out.reset()?;
        pos = e;
    }
    out.write_all(text.get(pos..end).unwrap_or_default().as_bytes())
}

/// "N. authority · date · visit type · path", coloured.
fn write_rank_header(out: &mut dyn WriteColor, rank: usize, meta: &DocumentMeta) -> io::Result<()> {
    set(out, Some(Color::Green), true)?;
    write!(out, "{rank}. ")?;
    out.reset()?;
    set(out, Some(Color::Magenta), false)?;
    write_header(out, meta)?;
    out.reset()
}

/// How a passage's kind shows after its section: findings and news pages'
/// text, most of what is found, go unmarked.
/// A passage's position: `¶N`, and `· p. P` when it comes from a PDF page.
fn position(p: &Passage) -> String {
    match p.page {
        Some(page) => format!("¶{} · p. {page}", p.paragraph),
        None => format!("¶{}", p.paragraph),
    }
}

fn kind_label(kind: crate::document::PassageKind) -> String {
    use crate::document::PassageKind;
    match kind {
        PassageKind::Finding | PassageKind::News => String::new(),
        other => format!(" [{other}]"),
    }
}

/// How a hit's score is made, on one line under it.
fn write_score_parts(
    out: &mut dyn WriteColor,
    p: &crate::query::rank::ScoreParts,
) -> io::Result<()> {
    set(out, Some(Color::Yellow), false)?;
    writeln!(
        out,
        "   score {:.3} = (words {:.3} + phrase {:.3} + filters {:.3}) × kind {} {:.2} × length {} words {:.2} × lead {} {:.2}",
        p.score,
        p.words,
        p.phrase,
        p.filters,
        p.kind,
        p.kind_weight,
        p.length,
        p.length_weight,
        p.lead.map_or("-".to_string(), |w| format!(
            "word {w}, named {}×",
            p.mentions
        )),
        p.lead_weight
    )?;
    out.reset()
}

/// Write one hit: rank and header, section, then the snippet.
pub fn write_hit(out: &mut dyn WriteColor, rank: usize, hit: &Hit) -> io::Result<()> {
    write_rank_header(out, rank, &hit.meta)?;
    writeln!(out)?;
    write_passage(out, hit)
}

/// The section and snippet of a hit, indented, then a blank line.
pub fn write_passage(out: &mut dyn WriteColor, hit: &Hit) -> io::Result<()> {
    write_passage_inner(out, hit, true)
}

fn write_passage_inner(out: &mut dyn WriteColor, hit: &Hit, blank_after: bool) -> io::Result<()> {
    set(out, Some(Color::Cyan), false)?;
    match &hit.passage.section {
        Some(s) => write!(out, "   {} · {s}", position(&hit.passage))?,
        None => write!(out, "   {}", position(&hit.passage))?,
    }
    writeln!(out, "{}", kind_label(hit.passage.kind))?;
    out.reset()?;
    let text = &hit.passage.text;
    let (start, end) = snippet_range(text, &hit.highlights);
    write!(out, "   ")?;
    if start > 0 {
        write!(out, "…")?;
    }
    write_highlighted(out, text, (start, end), &hit.highlights)?;
    if end < text.len() {
        write!(out, "…")?;
    }
    writeln!(out)?;
    if let Some(parts) = &hit.explain {
        write_score_parts(out, parts)?;
    }
    if blank_after {
        writeln!(out)?;
    }
    Ok(())
}

/// Mentions grouped by document: a header per document, its passages under it.
pub fn write_grouped(out: &mut dyn WriteColor, hits: &[Hit]) -> io::Result<()> {
    let mut current: Option<&str> = None;
    for hit in hits {
        if current != Some(hit.meta.path.as_str()) {
            current = Some(hit.meta.path.as_str());
            set(out, Some(Color::Magenta), true)?;
            write!(out, "{}", header(&hit.meta))?;
            out.reset()?;
            writeln!(out, "  {}", hit.meta.title)?;
        }
        write_passage(out, hit)?;
    }
    Ok(())
}

/// A context passage, dimmed and marked.
pub fn write_context(out: &mut dyn WriteColor, p: &Passage) -> io::Result<()> {
    out.set_color(ColorSpec::new().set_dimmed(true))?;
    let text: String = if p.text.len() > 240 {
        let mut end = 240;
        while !p.text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &p.text[..end])
    } else {
        p.text.clone()
    };
    writeln!(out, "   {} (context) {text}", position(p))?;
    out.reset()
}

/// One document group: header, hit count, title, then its best passages.
pub fn write_group(out: &mut dyn WriteColor, rank: usize, group: &DocGroup) -> io::Result<()> {
    write_rank_header(out, rank, &group.meta)?;
    writeln!(
        out,
        "  ({} {})  {}",
        group.hits,
        if group.hits == 1 { "hit" } else { "hits" },
        group.meta.title
    )?;
    for hit in &group.best {
        write_passage(out, hit)?;
    }
    Ok(())
}

/// Facet counts as an aligned table.
pub fn write_facets(out: &mut dyn io::Write, by: &str, rows: &[FacetRow]) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|r| r.value.chars().count())
        .chain(std::iter::once(by.len()))
        .max()
        .unwrap_or(0);
    writeln!(out, "{by:<width$}  {:>8}  {:>9}", "passages", "documents")?;
    for r in rows {
        writeln!(
            out,
            "{:<width$}  {:>8}  {:>9}",
            r.value, r.passages, r.documents
        )?;
    }
    Ok(())
}

/// A hit with its context passages around it.
pub fn write_hit_with_context(
    out: &mut dyn WriteColor,
    rank: usize,
    hit: &Hit,
    before: &[Passage],
    after: &[Passage],
) -> io::Result<()> {
    write_rank_header(out, rank, &hit.meta)?;
    writeln!(out)?;
    for p in before {
        write_context(out, p)?;
    }
    write_passage_inner(out, hit, false)?;
    for p in after {
        write_context(out, p)?;
    }
    writeln!(out)
}

/// One document as indexed: its metadata, then each passage as `¶N · p. P · section`
/// and its text; `focus` (a passage number) is marked when given.
pub fn write_document(
    out: &mut dyn WriteColor,
    meta: &DocumentMeta,
    passages: &[Passage],
    focus: Option<usize>,
) -> io::Result<()> {
    set(out, Some(Color::Magenta), true)?;
    writeln!(out, "{}", meta.title)?;
    out.reset()?;
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    let judgements: Vec<String> = meta
        .judgements
        .iter()
        .filter_map(|(k, v)| v.map(|g| format!("{k}: {g}")))
        .collect();
    let rows = [
        ("path", meta.path.clone()),
        ("doc_id", meta.id()),
        ("source", dash(meta.source.as_deref())),
        ("authority", dash(meta.authority.as_deref())),
        ("date", dash(meta.date.map(|d| d.to_string()).as_deref())),
        ("visit type", dash(meta.visit_type.map(|v| v.name()))),
        (
            "visit dates",
            format!(
                "{} to {}",
                dash(meta.inspection_start.map(|d| d.to_string()).as_deref()),
                dash(meta.inspection_end.map(|d| d.to_string()).as_deref())
            ),
        ),
        ("inspectors", meta.inspectors.join("; ")),
        ("lead inspector", dash(meta.lead_inspector.as_deref())),
        ("judgements", judgements.join("; ")),
    ];
    for (k, v) in rows {
        if !v.is_empty() && v != "-" && v != "- to -" {
            writeln!(out, "{k:>14}: {v}")?;
        }
    }
    writeln!(out)?;
    for p in passages {
        let marked = focus == Some(p.paragraph);
        set(out, Some(Color::Cyan), marked)?;
        write!(out, "{}", position(p))?;
        if let Some(s) = &p.section {
            write!(out, " · {s}")?;
        }
        write!(out, "{}", kind_label(p.kind))?;
        if marked {
            write!(out, "  ◀")?;
        }
        out.reset()?;
        writeln!(out)?;
        writeln!(out, "{}\n", p.text)?;
    }
    Ok(())
}

/// What an index holds, as a short report.
pub fn write_stats(
    out: &mut dyn io::Write,
    s: &crate::analysis::stats::Stats,
    missing: bool,
) -> io::Result<()> {
    writeln!(
        out,
        "{} documents, {} passages",
        s.total.documents, s.total.passages
    )?;
    let table = |out: &mut dyn io::Write,
                 title: &str,
                 rows: &std::collections::BTreeMap<String, crate::analysis::stats::Tally>|
     -> io::Result<()> {
        let width = rows
            .keys()
            .map(|k| k.chars().count())
            .chain(std::iter::once(title.len()))
            .max()
            .unwrap_or(0);
        writeln!(
            out,
            "\n{title:<width$}  {:>9}  {:>8}",
            "documents", "passages"
        )?;
        for (k, t) in rows {
            writeln!(out, "{k:<width$}  {:>9}  {:>8}", t.documents, t.passages)?;
        }
        Ok(())
    };
    table(out, "source", &s.by_source)?;
    table(out, "visit type", &s.by_visit_type)?;
    writeln!(out)?;
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let day = |v: &Option<crate::document::Day>| v.map_or_else(|| "-".into(), |d| d.to_string());
    writeln!(
        out,
        "dates:        {} to {}",
        day(&s.first_date),
        day(&s.last_date)
    )?;
    writeln!(
        out,
        "authorities:  {} of {} children's services authorities have a document{}",
        s.authorities_covered,
        s.authorities_total,
        if missing || s.authorities_covered == s.authorities_total {
            ""
        } else {
            " (--missing lists the others)"
        }
    )?;
    writeln!(
        out,
        "index:        {:.1} MiB on disk, schema {}, last written {}",
        s.index_bytes as f64 / (1024.0 * 1024.0),
        s.schema_version,
        dash(&s.last_ingest)
    )?;
    if missing {
        writeln!(out, "\nno document ({}):", s.authorities_missing.len())?;
        for a in &s.authorities_missing {
            writeln!(out, "  {a}")?;
        }
    }
    Ok(())
}

/// A trend as an aligned table: a bucket per row, three columns per query.
pub fn write_trend(out: &mut dyn io::Write, t: &crate::analysis::trend::Trend) -> io::Result<()> {
    let key_w = t
        .buckets
        .iter()
        .map(|b| b.key.chars().count())
        .chain(std::iter::once(t.by.len()))
        .max()
        .unwrap_or(4);
    const CELL: usize = 26;
    write!(out, "{:<key_w$}  {:>9}", "", "")?;
    for q in &t.queries {
        let q: String = q.chars().take(CELL).collect();
        write!(out, "  {q:<CELL$}")?;
    }
    writeln!(out)?;
    write!(out, "{:<key_w$}  {:>9}", t.by, "documents")?;
    for _ in &t.queries {
        write!(out, "  {:>8} {:>7} {:>9}", "matching", "share", "passages")?;
    }
    writeln!(out)?;
    for b in &t.buckets {
        write!(out, "{:<key_w$}  {:>9}", b.key, b.documents)?;
        if b.documents == 0 {
            writeln!(out, "  (no documents)")?;
            continue;
        }
        for c in &b.cells {
            let share = c
                .share
                .map_or("-".to_string(), |s| format!("{:.1}%", s * 100.0));
            write!(out, "  {:>8} {:>7} {:>9}", c.documents, share, c.passages)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The letter passage a news hit quotes (`search --with-letter`).
pub fn write_letter_passage(out: &mut dyn WriteColor, path: &str, p: &Passage) -> io::Result<()> {
    set(out, Some(Color::Cyan), false)?;
    write!(out, "   ↳ in the letter {path} ¶{}", p.paragraph)?;
    if let Some(s) = &p.section {
        write!(out, " · {s}")?;
    }
    out.reset()?;
    writeln!(out)?;
    writeln!(out, "   {}\n", p.text)
}
