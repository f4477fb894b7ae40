//! Sphinx 2.2 / Manticore: one xmlpipe2 source per shard (a document's
//! passages stay in one shard), a configuration per shard's `searchd` and
//! one for the aggregator, whose `distributed` index asks every shard.
//!
//! The text is exported as ofsearch's tokens ([`super::form`]): field
//! `stem` (stemmed, what words match) and `exact` (what phrases match, the
//! punctuation gaps kept). Every registry field is a multi-valued attribute
//! of hashed values, the date a day number, the document and passage as
//! JSON string attributes (to print hits as ofsearch does).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::form::{
    self, ALL, ALL_FIELD, DATE_ATTR, DOC_ATTR, EXACT_FIELD, MENTIONS_ATTR, STEM_FIELD,
};
use super::{for_each_document, make_dir, remove_stale, write_err, ExportError, ExportSummary};
use crate::document::{DocumentMeta, Passage};
use crate::fields::{FieldId, Values};
use crate::index::tokenize::{exact_analyzer, stemmed_analyzer, SENTENCE_GAP};
use crate::index::Reader;

/// The distributed index's name; shard `k`'s local index is `ofsearch_k`.
pub const INDEX: &str = "ofsearch";

/// Attribute holding the document record (JSON).
pub const META_ATTR: &str = "meta";

/// Attribute holding the passage (JSON).
pub const PASSAGE_ATTR: &str = "passage";

/// Where the cluster listens.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Shards (documents spread over them by their number).
    pub shards: usize,
    /// The address every `searchd` listens on.
    pub host: String,
    /// The aggregator's SphinxQL (MySQL protocol) port.
    pub port: u16,
    /// The first shard's port (Sphinx's own protocol); shard `k` listens on `shard_port + k`.
    pub shard_port: u16,
}

/// The shard a document goes to.
pub fn shard_of(meta: &DocumentMeta, shards: usize) -> usize {
    (form::doc_number(&meta.id()) % shards.max(1) as u64) as usize
}

/// Every attribute, as (name, xmlpipe2 type).
fn attributes() -> Vec<(String, &'static str)> {
    let mut out = vec![
        (DOC_ATTR.to_string(), "bigint"),
        ("paragraph".to_string(), "int"),
        (DATE_ATTR.to_string(), "bigint"),
    ];
    for id in FieldId::all() {
        out.push((form::attr_name(id), "multi"));
    }
    out.push((MENTIONS_ATTR.to_string(), "multi"));
    out.push((META_ATTR.to_string(), "string"));
    out.push((PASSAGE_ATTR.to_string(), "string"));
    out
}

fn schema() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sphinx:docset>\n<sphinx:schema>\n",
    );
    for field in [STEM_FIELD, EXACT_FIELD, ALL_FIELD] {
        s.push_str(&format!("<sphinx:field name=\"{field}\"/>\n"));
    }
    for (name, kind) in attributes() {
        s.push_str(&format!("<sphinx:attr name=\"{name}\" type=\"{kind}\"/>\n"));
    }
    s.push_str("</sphinx:schema>\n");
    s
}

/// `text` escaped for XML character data, without the characters XML 1.0 forbids.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// One passage as an xmlpipe2 `<sphinx:document>`, appended to `out`.
pub struct DocumentWriter {
    stemmed: tantivy::tokenizer::TextAnalyzer,
    exact: tantivy::tokenizer::TextAnalyzer,
    tokens: String,
}

impl Default for DocumentWriter {
    fn default() -> Self {
        DocumentWriter {
            stemmed: stemmed_analyzer(),
            exact: exact_analyzer(),
            tokens: String::new(),
        }
    }
}

impl DocumentWriter {
    /// Append `p` of `meta` (whose JSON is `meta_json`) to `out`.
    pub fn passage(&mut self, meta: &DocumentMeta, meta_json: &str, p: &Passage, out: &mut String) {
        let doc_id = meta.id();
        out.push_str(&format!(
            "<sphinx:document id=\"{}\">\n",
            form::passage_id(&doc_id, p.paragraph)
        ));
        self.tokens.clear();
        form::stem_text(&mut self.stemmed, &p.text, &mut self.tokens);
        out.push_str(&format!("<{STEM_FIELD}>"));
        out.push_str(&self.tokens);
        out.push_str(&format!("</{STEM_FIELD}>\n<{EXACT_FIELD}>"));
        self.tokens.clear();
        form::exact_text(&mut self.exact, &p.text, &mut self.tokens);
        out.push_str(&self.tokens);
        out.push_str(&format!(
            "</{EXACT_FIELD}>\n<{ALL_FIELD}>{ALL}</{ALL_FIELD}>\n"
        ));
        let day = meta.date.and_then(form::day_of).unwrap_or(form::NO_DATE);
        out.push_str(&format!(
            "<{DOC_ATTR}>{}</{DOC_ATTR}>\n<paragraph>{}</paragraph>\n<{DATE_ATTR}>{day}</{DATE_ATTR}>\n",
            form::doc_number(&doc_id),
            p.paragraph
        ));
        for id in FieldId::all() {
            let spec = id.spec();
            let values = match spec.values {
                Values::Document(of) => of(meta),
                Values::Passage(of) => of(p),
            };
            let hashes: Vec<String> = values
                .iter()
                .map(|v| form::value_hash(&spec.stored(v)).to_string())
                .collect();
            let name = form::attr_name(id);
            out.push_str(&format!("<{name}>{}</{name}>\n", hashes.join(",")));
        }
        let mentioned: Vec<String> = p
            .authorities_mentioned
            .iter()
            .map(|a| form::value_hash(a).to_string())
            .collect();
        out.push_str(&format!(
            "<{MENTIONS_ATTR}>{}</{MENTIONS_ATTR}>\n<{META_ATTR}>",
            mentioned.join(",")
        ));
        escape_into(meta_json, out);
        out.push_str(&format!("</{META_ATTR}>\n<{PASSAGE_ATTR}>"));
        escape_into(&serde_json::to_string(p).unwrap_or_default(), out);
        out.push_str(&format!("</{PASSAGE_ATTR}>\n</sphinx:document>\n"));
    }
}

/// The configuration of shard `k`'s `searchd` (and its `indexer`).
pub fn shard_config(dir: &Path, layout: &Layout, k: usize) -> String {
    let d = dir.display();
    format!(
        "# ofsearch shard {k} of {n}: indexer --config {d}/shard-{k}.conf --all; searchd --config {d}/shard-{k}.conf\n\
source {INDEX}_{k}\n{{\n    type = xmlpipe2\n    xmlpipe_command = cat '{d}/shard-{k}.xml'\n    xmlpipe_fixup_utf8 = 1\n}}\n\n\
index {INDEX}_{k}\n{{\n    source = {INDEX}_{k}\n    path = {d}/data/{INDEX}_{k}\n    docinfo = extern\n    dict = keywords\n\
    # the text is ofsearch's tokens, ASCII letters and digits, space separated\n    charset_table = 0..9, a..z\n    min_word_len = 1\n\
    # a sentence end: the position gap ofsearch's tokenizer opens there\n    phrase_boundary = U+2E\n    phrase_boundary_step = {SENTENCE_GAP}\n}}\n\n\
indexer\n{{\n    mem_limit = 256M\n}}\n\n\
searchd\n{{\n    listen = {host}:{port}\n    log = {d}/run/shard-{k}.log\n    query_log = {d}/run/shard-{k}.query.log\n    pid_file = {d}/run/shard-{k}.pid\n    binlog_path =\n    workers = threads\n    read_timeout = 5\n}}\n",
        n = layout.shards,
        host = layout.host,
        port = usize::from(layout.shard_port) + k,
    )
}

/// The aggregator's configuration: the `distributed` index over every shard.
pub fn aggregator_config(dir: &Path, layout: &Layout) -> String {
    let d = dir.display();
    let mut agents = String::new();
    for k in 0..layout.shards {
        agents.push_str(&format!(
            "    agent = {}:{}:{INDEX}_{k}\n",
            layout.host,
            usize::from(layout.shard_port) + k
        ));
    }
    format!(
        "# ofsearch aggregator: searchd --config {d}/sphinx.conf, then\n# ofsearch search --engine sphinx://{host}:{port} QUERY\n\
index {INDEX}\n{{\n    type = distributed\n{agents}    agent_connect_timeout = 1000\n    agent_query_timeout = 30000\n}}\n\n\
searchd\n{{\n    listen = {host}:{port}:mysql41\n    log = {d}/run/aggregator.log\n    query_log = {d}/run/aggregator.query.log\n    pid_file = {d}/run/aggregator.pid\n    binlog_path =\n    workers = threads\n    read_timeout = 5\n}}\n",
        host = layout.host,
        port = layout.port,
    )
}

/// Write `shard-K.xml` and `shard-K.conf` per shard and `sphinx.conf` (the
/// aggregator) into `dir`, with `data/` and `run/` for the indexes and the
/// daemons' files.
pub fn export(reader: &Reader, dir: &Path, layout: &Layout) -> Result<ExportSummary, ExportError> {
    if layout.shards == 0 || layout.shards > 256 {
        return Err(ExportError::Invalid(format!(
            "--shards {}: give 1 to 256 shards",
            layout.shards
        )));
    }
    if usize::from(layout.shard_port) + layout.shards > usize::from(u16::MAX) + 1 {
        return Err(ExportError::Invalid(format!(
            "--shard-port {} with {} shards runs past port 65535",
            layout.shard_port, layout.shards
        )));
    }
    make_dir(dir)?;
    let dir = std::fs::canonicalize(dir).map_err(write_err(dir))?;
    remove_stale(&dir, "shard-", &[".xml", ".conf"])?;
    make_dir(&dir.join("data"))?;
    make_dir(&dir.join("run"))?;
    let mut summary = ExportSummary::default();
    let mut outs: Vec<(PathBuf, BufWriter<File>)> = Vec::with_capacity(layout.shards);
    let head = schema();
    for k in 0..layout.shards {
        let path = dir.join(format!("shard-{k}.xml"));
        let file = File::create(&path).map_err(write_err(&path))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        w.write_all(head.as_bytes()).map_err(write_err(&path))?;
        summary.bytes += head.len() as u64;
        summary.files.push(path.clone());
        outs.push((path, w));
    }
    let mut writer = DocumentWriter::default();
    let mut buf = String::with_capacity(1 << 16);
    for_each_document(reader, |meta, passages| {
        if passages.len() > form::MAX_PARAGRAPHS {
            return Err(ExportError::Invalid(format!(
                "{}: {} passages, more than the {} a Sphinx id holds",
                meta.path,
                passages.len(),
                form::MAX_PARAGRAPHS
            )));
        }
        summary.documents += 1;
        let meta_json = serde_json::to_string(meta).unwrap_or_default();
        let (path, w) = &mut outs[shard_of(meta, layout.shards)];
        for p in passages {
            buf.clear();
            writer.passage(meta, &meta_json, p, &mut buf);
            w.write_all(buf.as_bytes()).map_err(write_err(path))?;
            summary.bytes += buf.len() as u64;
            summary.passages += 1;
        }
        Ok(())
    })?;
    for (path, mut w) in outs {
        w.write_all(b"</sphinx:docset>\n")
            .map_err(write_err(&path))?;
        w.flush().map_err(write_err(&path))?;
    }
    for k in 0..layout.shards {
        let path = dir.join(format!("shard-{k}.conf"));
        let text = shard_config(&dir, layout, k);
        std::fs::write(&path, &text).map_err(write_err(&path))?;
        summary.bytes += text.len() as u64;
        summary.files.push(path);
    }
    let path = dir.join("sphinx.conf");
    let text = aggregator_config(&dir, layout);
    std::fs::write(&path, &text).map_err(write_err(&path))?;
    summary.bytes += text.len() as u64;
    summary.files.push(path);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_is_its_tokens_and_attributes() {
        let meta = DocumentMeta {
            path: "a.pdf".into(),
            date: Some(jiff::civil::date(1970, 1, 3)),
            authority: Some("Bristol".into()),
            ..Default::default()
        };
        let p = Passage {
            paragraph: 0,
            page: None,
            section: None,
            text: "Managers, a <b> & c.".into(),
            authorities_mentioned: vec![],
            kind: Default::default(),
        };
        let mut out = String::new();
        DocumentWriter::default().passage(&meta, "{\"x\":\"<\"}", &p, &mut out);
        assert!(out.contains("<exact>managers zqgap a b c</exact>"), "{out}");
        assert!(out.contains("<stem>manag a b c</stem>"), "{out}");
        assert!(out.contains("<day>2</day>"));
        assert!(out.contains(&format!(
            "<f_authority>{}</f_authority>",
            form::value_hash("Bristol")
        )));
        assert!(out.contains("{\"x\":\"&lt;\"}"));
    }

    #[test]
    fn configs_name_every_shard() {
        let layout = Layout {
            shards: 2,
            host: "127.0.0.1".into(),
            port: 9306,
            shard_port: 9312,
        };
        let agg = aggregator_config(Path::new("/x"), &layout);
        assert!(agg.contains("agent = 127.0.0.1:9312:ofsearch_0"));
        assert!(agg.contains("agent = 127.0.0.1:9313:ofsearch_1"));
        assert!(agg.contains("listen = 127.0.0.1:9306:mysql41"));
        assert!(shard_config(Path::new("/x"), &layout, 1).contains("listen = 127.0.0.1:9313\n"));
    }
}
