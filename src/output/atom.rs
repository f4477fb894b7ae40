//! Atom feeds (RFC 4287) of matching documents, newest first, so a feed
//! reader can subscribe to a search: one entry per document with its best
//! passage as the summary. Written with quick-xml, which escapes; characters
//! XML 1.0 cannot carry (form feeds from PDFs) are dropped first.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::document::DocumentMeta;
use crate::query::DocGroup;

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedHead {
    /// Its title ("ofsearch: \"neglect\" · authority=Hull").
    pub title: String,
    /// The feed's own absolute URL: also its id.
    pub self_url: String,
    /// The results page for the same search.
    pub page_url: String,
    /// Where the server is (`http://127.0.0.1:8080`), for the documents' links.
    pub base_url: String,
}

/// One document of a feed.
#[derive(Debug, Clone)]
pub struct FeedEntry<'a> {
    /// The document and its best passages.
    pub group: &'a DocGroup,
    /// When it first entered the index: the entry's `updated`.
    pub first_indexed: jiff::Timestamp,
}

/// Keep only the characters XML 1.0 allows.
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect()
}

/// A document date as an Atom date-time.
fn day(d: crate::document::Day) -> String {
    format!("{d}T00:00:00Z")
}

/// A timestamp as an Atom date-time, to the second.
fn instant(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn text_element<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(value)))?;
    Ok(())
}

/// An entry's title: the document's, with its authority and date when the
/// title does not say them.
fn entry_title(meta: &DocumentMeta) -> String {
    let mut title = meta.title.clone();
    if let Some(a) = meta.authority.as_deref().filter(|a| !title.contains(a)) {
        title = format!("{a}: {title}");
    }
    if let Some(d) = meta.date {
        title.push_str(&format!(" ({d})"));
    }
    title
}

/// Write a whole feed.
pub fn write_feed(out: &mut dyn Write, head: &FeedHead, entries: &[FeedEntry]) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let updated = entries
        .iter()
        .map(|e| e.first_indexed)
        .max()
        .unwrap_or_else(jiff::Timestamp::now);
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .write_inner_content(|w| {
            text_element(w, "id", &head.self_url)?;
            text_element(w, "title", &head.title)?;
            text_element(w, "updated", &instant(updated))?;
            w.create_element("link")
                .with_attributes([
                    ("rel", "self"),
                    ("type", "application/atom+xml"),
                    ("href", xml_text(&head.self_url).as_str()),
                ])
                .write_empty()?;
            w.create_element("link")
                .with_attributes([
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", xml_text(&head.page_url).as_str()),
                ])
                .write_empty()?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", "ofsearch"))?;
            w.create_element("generator")
                .with_attribute(("version", env!("CARGO_PKG_VERSION")))
                .write_text_content(BytesText::new("ofsearch"))?;
            for e in entries {
                write_entry(w, head, e)?;
            }
            Ok(())
        })?;
    w.into_inner().write_all(b"\n")
}

fn write_entry<W: Write>(w: &mut Writer<W>, head: &FeedHead, entry: &FeedEntry) -> io::Result<()> {
    let meta = &entry.group.meta;
    let best = entry.group.best.first();
    let mut link = format!("{}/doc/{}", head.base_url, meta.id());
    if let Some(h) = best {
        link.push_str(&format!("?p={0}#p{0}", h.passage.paragraph));
    }
    w.create_element("entry").write_inner_content(|w| {
        // The document's id, not the search's: the same letter is the same
        // entry in every feed that lists it.
        text_element(w, "id", &format!("urn:ofsearch:doc:{}", meta.id()))?;
        text_element(w, "title", &entry_title(meta))?;
        text_element(w, "updated", &instant(entry.first_indexed))?;
        if let Some(d) = meta.date.map(day) {
            text_element(w, "published", &d)?;
        }
        w.create_element("link")
            .with_attributes([
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", xml_text(&link).as_str()),
            ])
            .write_empty()?;
        // A publisher we do not know is left to the feed's author.
        if let Some(source) = meta.source.as_deref() {
            let author = if source == "ofsted" { "Ofsted" } else { source };
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", author))?;
        }
        for (scheme, term) in [
            ("authority", meta.authority.clone()),
            ("type", meta.visit_type.map(|t| t.to_string())),
        ] {
            if let Some(term) = term {
                let term = xml_text(&term);
                w.create_element("category")
                    .with_attributes([
                        ("scheme", format!("urn:ofsearch:{scheme}").as_str()),
                        ("term", term.as_str()),
                    ])
                    .write_empty()?;
            }
        }
        if let Some(h) = best {
            let section = h
                .passage
                .section
                .as_deref()
                .map(|s| format!("{s}: "))
                .unwrap_or_default();
            w.create_element("summary")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(&xml_text(&format!(
                    "{section}{}",
                    h.passage.text
                ))))?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_what_xml_cannot_carry() {
        assert_eq!(xml_text("a\u{c}b\tc\u{0}"), "ab\tc");
        assert_eq!(day(jiff::civil::date(2024, 3, 5)), "2024-03-05T00:00:00Z");
    }
}
