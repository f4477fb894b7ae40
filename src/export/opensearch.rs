//! OpenSearch / Elasticsearch 8 / Quickwit: an index mapping made from the
//! metadata registry and bulk NDJSON files of every passage.
//!
//! Each passage is one search document with its document's metadata; its id
//! is `{doc_id}-{paragraph}`, the same on every run. Bulk files hold whole
//! action/document pairs and stay under [`MAX_BULK_BYTES`].

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::{for_each_document, make_dir, remove_stale, write_err, ExportError, ExportSummary};
use crate::document::{DocumentMeta, Passage};
use crate::fields::{FieldId, Values};
use crate::index::Reader;

/// Largest bulk file, in bytes (a bulk request of 10 MB).
pub const MAX_BULK_BYTES: u64 = 10 * 1000 * 1000;

/// The index name the bulk files' action lines and the Quickwit config use.
pub const INDEX_NAME: &str = "ofsearch";

/// The mapping (`PUT /ofsearch` body): keyword facets from the registry,
/// dates, the passage text stemmed (English analyzer) with an unstemmed
/// `text.exact` subfield for exact phrases.
pub fn mapping() -> Value {
    let mut properties = Map::new();
    let keyword = || json!({"type": "keyword"});
    for key in ["doc_id", "path"] {
        properties.insert(key.into(), keyword());
    }
    for id in FieldId::all() {
        properties.insert(id.spec().index.into(), keyword());
    }
    properties.insert("authorities_mentioned".into(), keyword());
    properties.insert(
        "title".into(),
        json!({"type": "text", "analyzer": "english", "fields": {"exact": {"type": "text", "analyzer": "standard"}}}),
    );
    properties.insert(
        "text".into(),
        json!({"type": "text", "analyzer": "english", "fields": {"exact": {"type": "text", "analyzer": "standard"}}}),
    );
    properties.insert(
        "section".into(),
        json!({"type": "text", "analyzer": "english"}),
    );
    for key in ["date", "inspection_start", "inspection_end"] {
        properties.insert(key.into(), json!({"type": "date", "format": "yyyy-MM-dd"}));
    }
    for key in ["paragraph", "page"] {
        properties.insert(key.into(), json!({"type": "integer"}));
    }
    // The whole document record, for printing a hit as ofsearch does; not searched.
    properties.insert("meta".into(), json!({"type": "object", "enabled": false}));
    json!({
        "settings": {"number_of_shards": 1},
        "mappings": {"dynamic": "strict", "properties": Value::Object(properties)}
    })
}

/// Quickwit's index configuration with the same fields (its `en_stem`
/// tokenizer for text; Quickwit has no subfields, so exact phrases run on
/// the stemmed text there).
pub fn quickwit_config() -> String {
    let mut out = String::new();
    out.push_str(
        "version: 0.8\nindex_id: ofsearch\ndoc_mapping:\n  mode: lenient\n  field_mappings:\n",
    );
    let keyword = |name: &str, out: &mut String| {
        out.push_str(&format!(
            "    - name: {name}\n      type: array<text>\n      tokenizer: raw\n      fast: true\n"
        ));
    };
    for key in ["doc_id", "path"] {
        keyword(key, &mut out);
    }
    for id in FieldId::all() {
        keyword(id.spec().index, &mut out);
    }
    keyword("authorities_mentioned", &mut out);
    for key in ["title", "section", "text"] {
        out.push_str(&format!(
            "    - name: {key}\n      type: text\n      tokenizer: en_stem\n      record: position\n"
        ));
    }
    out.push_str("    - name: date\n      type: datetime\n      input_formats: [\"%Y-%m-%d\"]\n      fast: true\n");
    out.push_str("    - name: paragraph\n      type: u64\n      fast: true\n");
    out.push_str("    - name: meta\n      type: json\n      indexed: false\n");
    out.push_str("  timestamp_field: null\nsearch_settings:\n  default_search_fields: [text]\n");
    out
}

/// One passage as a search document.
pub fn passage_document(meta: &DocumentMeta, p: &Passage) -> Value {
    let mut m = Map::new();
    m.insert("doc_id".into(), json!(meta.id()));
    m.insert("path".into(), json!(meta.path));
    m.insert("title".into(), json!(meta.title));
    m.insert("date".into(), json!(meta.date));
    m.insert("inspection_start".into(), json!(meta.inspection_start));
    m.insert("inspection_end".into(), json!(meta.inspection_end));
    for id in FieldId::all() {
        let spec = id.spec();
        let values: Vec<String> = match spec.values {
            Values::Document(of) => of(meta),
            Values::Passage(of) => of(p),
        };
        let stored: Vec<String> = values.iter().map(|v| spec.stored(v)).collect();
        m.insert(spec.index.into(), json!(stored));
    }
    m.insert("section".into(), json!(p.section));
    m.insert("paragraph".into(), json!(p.paragraph));
    m.insert("page".into(), json!(p.page));
    m.insert("text".into(), json!(p.text));
    m.insert(
        "authorities_mentioned".into(),
        json!(p.authorities_mentioned),
    );
    m.insert(
        "meta".into(),
        serde_json::to_value(meta).unwrap_or(Value::Null),
    );
    Value::Object(m)
}

/// A passage's stable id.
pub fn passage_id(meta: &DocumentMeta, p: &Passage) -> String {
    format!("{}-{}", meta.id(), p.paragraph)
}

struct Chunks {
    dir: PathBuf,
    current: Option<(PathBuf, BufWriter<File>)>,
    written: u64,
    summary: ExportSummary,
}

impl Chunks {
    fn write_pair(&mut self, pair: &[u8]) -> Result<(), ExportError> {
        let len = pair.len() as u64;
        if self.current.is_none() || self.written + len > MAX_BULK_BYTES {
            self.finish()?;
            let path = self
                .dir
                .join(format!("bulk-{:05}.ndjson", self.summary.files.len() + 1));
            let file = File::create(&path).map_err(write_err(&path))?;
            self.summary.files.push(path.clone());
            self.current = Some((path, BufWriter::with_capacity(1 << 20, file)));
            self.written = 0;
        }
        if let Some((path, w)) = self.current.as_mut() {
            w.write_all(pair).map_err(write_err(path))?;
        }
        self.written += len;
        self.summary.bytes += len;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ExportError> {
        if let Some((path, mut w)) = self.current.take() {
            w.flush().map_err(write_err(&path))?;
        }
        Ok(())
    }
}

/// Write `mapping.json`, `quickwit-index.yaml` and `bulk-NNNNN.ndjson` into `dir`.
pub fn export(reader: &Reader, dir: &Path) -> Result<ExportSummary, ExportError> {
    make_dir(dir)?;
    remove_stale(dir, "bulk-", &[".ndjson"])?;
    let mut chunks = Chunks {
        dir: dir.to_path_buf(),
        current: None,
        written: 0,
        summary: ExportSummary::default(),
    };
    let mapping_path = dir.join("mapping.json");
    let mapping = serde_json::to_string_pretty(&mapping()).unwrap_or_default() + "\n";
    std::fs::write(&mapping_path, &mapping).map_err(write_err(&mapping_path))?;
    let quickwit_path = dir.join("quickwit-index.yaml");
    std::fs::write(&quickwit_path, quickwit_config()).map_err(write_err(&quickwit_path))?;
    let mut pair = Vec::with_capacity(1 << 16);
    for_each_document(reader, |meta, passages| {
        chunks.summary.documents += 1;
        for p in passages {
            pair.clear();
            let action = json!({"index": {"_index": INDEX_NAME, "_id": passage_id(meta, p)}});
            let io = |e: serde_json::Error| {
                ExportError::Invalid(format!("cannot encode a passage: {e}"))
            };
            serde_json::to_writer(&mut pair, &action).map_err(io)?;
            pair.push(b'\n');
            serde_json::to_writer(&mut pair, &passage_document(meta, p)).map_err(io)?;
            pair.push(b'\n');
            chunks.write_pair(&pair)?;
            chunks.summary.passages += 1;
        }
        Ok(())
    })?;
    chunks.finish()?;
    let mut summary = chunks.summary;
    summary.bytes += (mapping.len() + quickwit_config().len()) as u64;
    summary.files.insert(0, quickwit_path);
    summary.files.insert(0, mapping_path);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_has_every_registry_field_as_a_keyword() {
        let m = mapping();
        let props = &m["mappings"]["properties"];
        for id in FieldId::all() {
            assert_eq!(props[id.spec().index]["type"], "keyword", "{}", id.name());
        }
        assert_eq!(props["text"]["analyzer"], "english");
        assert_eq!(props["text"]["fields"]["exact"]["analyzer"], "standard");
        assert_eq!(props["date"]["type"], "date");
    }

    #[test]
    fn a_passage_has_a_stable_id_and_its_fields() {
        let meta = DocumentMeta {
            path: "a.pdf".into(),
            authority: Some("Bristol".into()),
            inspectors: vec!["Tom Anthony".into()],
            ..Default::default()
        };
        let p = Passage {
            paragraph: 3,
            page: None,
            section: None,
            text: "Text".into(),
            authorities_mentioned: vec![],
            kind: Default::default(),
        };
        assert_eq!(passage_id(&meta, &p), format!("{}-3", meta.id()));
        let d = passage_document(&meta, &p);
        assert_eq!(d["authority"], json!(["Bristol"]));
        assert_eq!(d["inspector"], json!(["tom anthony"]));
    }
}
