//! `link` and `links`: news documents and the letters they are about.

use std::io::Write;

use anyhow::Result;

use super::args::{Cli, LinksArgs};
use super::commands::{exit_for, open_reader, stdout};
use super::{index_dir, EXIT_OK};
use crate::analysis::link;
use crate::output::{json, table, text, Format};

/// `ofsearch link`.
pub fn link(cli: &Cli) -> Result<i32> {
    let reader = open_reader(cli)?;
    let (news, linked) = crate::pipeline::relink(reader.handle())?;
    eprintln!(
        "ofsearch: {linked} of {news} news documents linked to a letter or report in {}",
        index_dir(cli).display()
    );
    Ok(EXIT_OK)
}

/// `ofsearch links`.
pub fn links(cli: &Cli, args: &LinksArgs) -> Result<i32> {
    let reader = open_reader(cli)?;
    let linked = match link::stored_links(&reader)? {
        Some(linked) => linked,
        None => link::link_all(&reader)?,
    };
    let mut out = stdout(cli);
    let format = args.output.format();
    match format {
        Format::Text => {
            for (story, l) in &linked {
                writeln!(out, "{}  {}", text::header(story), story.title)?;
                match l {
                    Some(l) => {
                        writeln!(
                            out,
                            "   → {} · {} · confidence {:.2}  {}",
                            l.date
                                .map(|d| d.to_string())
                                .as_deref()
                                .unwrap_or("undated"),
                            l.path,
                            l.confidence,
                            l.title
                        )?;
                        for e in &l.evidence {
                            writeln!(out, "     {e}")?;
                        }
                    }
                    None => writeln!(out, "   → no letter or report in the index fits")?,
                }
            }
        }
        Format::Json => {
            for (story, l) in &linked {
                let mut obj = json::document_object(story);
                obj.insert("reports_on".into(), serde_json::json!(l));
                writeln!(out, "{}", serde_json::Value::Object(obj))?;
            }
        }
        Format::Csv | Format::Tsv => {
            let mut w = table::writer(
                &mut out,
                format == Format::Tsv,
                &[
                    "path",
                    "title",
                    "authority",
                    "date",
                    "reports_on",
                    "reports_on_date",
                    "confidence",
                ],
            )?;
            for (story, l) in &linked {
                w.write_record([
                    story.path.clone(),
                    story.title.clone(),
                    story.authority.clone().unwrap_or_default(),
                    story.date.map(|d| d.to_string()).unwrap_or_default(),
                    l.as_ref().map(|l| l.path.clone()).unwrap_or_default(),
                    l.as_ref()
                        .and_then(|l| l.date)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    l.as_ref()
                        .map(|l| format!("{:.3}", l.confidence))
                        .unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(exit_for(!linked.is_empty()))
}
