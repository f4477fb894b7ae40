//! Search a Sphinx (or Manticore) cluster fed by `ofsearch export --to
//! sphinx`: the request translated to SphinxQL ([`translate`]), sent over
//! the MySQL protocol to the aggregator, and its answer read back into
//! [`Hit`]s and counts for the usual printers.
//!
//! An answer that lacks a shard is never passed off as whole: the
//! aggregator's warnings come back in [`Answer::partial`].

pub mod translate;

use std::sync::Arc;
use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder, Row};

use crate::document::{DocumentMeta, Passage};
use crate::export::form::DOC_ATTR;
use crate::export::sphinx::{INDEX, META_ATTR, PASSAGE_ATTR};
use crate::index::tokenize::{exact_analyzer, stemmed_analyzer};
use crate::query::build::Analyzers;
use crate::query::highlight::highlights;
use crate::query::Hit;
pub use translate::{translate, translate_query, TranslateError, Translated};

/// `SHOW META`'s rows: variable and value.
type Meta = Vec<(String, String)>;

/// How long to wait for the aggregator to accept, and for an answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Most documents counted exactly (the matches a grouping query keeps).
const MAX_GROUPS: usize = 200_000;

/// Most hits one search returns.
pub const MAX_HITS: usize = 100_000;

/// Talking to the cluster failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The `--engine` address is not `sphinx://HOST:PORT`.
    #[error("bad engine address '{0}': write sphinx://HOST:PORT, e.g. sphinx://127.0.0.1:9306")]
    Address(String),
    /// The request cannot run there.
    #[error(transparent)]
    Translate(#[from] TranslateError),
    /// The aggregator could not be reached or refused the query.
    #[error("sphinx://{address}: {message}")]
    Server {
        /// `HOST:PORT`.
        address: String,
        /// What went wrong.
        message: String,
    },
    /// The answer is not what an export stores.
    #[error("sphinx://{address}: unreadable answer: {message} (was the index made by `ofsearch export --to sphinx`?)")]
    Answer {
        /// `HOST:PORT`.
        address: String,
        /// What went wrong.
        message: String,
    },
}

/// A cluster's aggregator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// Its host name or address.
    pub host: String,
    /// Its SphinxQL port.
    pub port: u16,
}

/// Hits from the cluster.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Every matching passage the cluster found (not only those returned).
    pub total: usize,
    /// What the aggregator warned of (a shard that did not answer): the
    /// answer lacks that shard's passages when this is not empty.
    pub partial: Vec<String>,
}

/// Counts from the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterCount {
    /// Matching passages.
    pub passages: usize,
    /// Documents they belong to.
    pub documents: usize,
}

impl Engine {
    /// Parse `sphinx://HOST:PORT`.
    pub fn parse(url: &str) -> Result<Engine, EngineError> {
        let bad = || EngineError::Address(url.to_string());
        let rest = url.strip_prefix("sphinx://").ok_or_else(bad)?;
        let rest = rest.trim_end_matches('/');
        let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
        let port: u16 = port.parse().map_err(|_| bad())?;
        if host.is_empty() || port == 0 {
            return Err(bad());
        }
        Ok(Engine {
            host: host.trim_matches(|c| c == '[' || c == ']').to_string(),
            port,
        })
    }

    fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    fn server_err(&self, e: impl std::fmt::Display) -> EngineError {
        EngineError::Server {
            address: self.address(),
            message: e.to_string(),
        }
    }

    fn answer_err(&self, message: impl Into<String>) -> EngineError {
        EngineError::Answer {
            address: self.address(),
            message: message.into(),
        }
    }

    fn connect(&self) -> Result<Conn, EngineError> {
        // Sphinx knows no server variables: give what the client would ask for.
        let opts = OptsBuilder::new()
            .ip_or_hostname(Some(self.host.clone()))
            .tcp_port(self.port)
            .prefer_socket(false)
            .max_allowed_packet(Some(64 * 1024 * 1024))
            .stmt_cache_size(Some(0))
            .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
            .read_timeout(Some(READ_TIMEOUT))
            .write_timeout(Some(READ_TIMEOUT));
        Conn::new(opts).map_err(|e| self.server_err(e))
    }

    /// Run one statement and then `SHOW META`: its rows, and the meta as pairs.
    fn run(&self, conn: &mut Conn, sql: &str) -> Result<(Vec<Row>, Meta), EngineError> {
        let rows: Vec<Row> = conn.query(sql).map_err(|e| self.server_err(e))?;
        let meta: Vec<(String, String)> =
            conn.query("SHOW META").map_err(|e| self.server_err(e))?;
        Ok((rows, meta))
    }

    /// The best `limit` passages for a translated request, and how many matched.
    pub fn search(&self, t: &Translated, limit: usize) -> Result<Answer, EngineError> {
        let limit = limit.clamp(1, MAX_HITS);
        let sql = format!(
            "SELECT id, WEIGHT() AS w, {META_ATTR}, {PASSAGE_ATTR} FROM {INDEX}{} ORDER BY w DESC, id ASC LIMIT 0, {limit} OPTION ranker=bm25, max_matches={}",
            where_sql(t),
            limit.max(1000)
        );
        let mut conn = self.connect()?;
        let (rows, meta) = self.run(&mut conn, &sql)?;
        let mut hits = Vec::with_capacity(rows.len());
        let mut analyzers = Analyzers {
            stemmed: stemmed_analyzer(),
            exact: exact_analyzer(),
        };
        let mut metas: std::collections::HashMap<String, Arc<DocumentMeta>> =
            std::collections::HashMap::new();
        for row in rows {
            let (Some(w), Some(m), Some(p)) = (
                row.get_opt::<f64, _>(1).and_then(Result::ok),
                row.get_opt::<String, _>(2).and_then(Result::ok),
                row.get_opt::<String, _>(3).and_then(Result::ok),
            ) else {
                return Err(self.answer_err("a row without weight, meta or passage"));
            };
            let meta = match metas.get(&m) {
                Some(meta) => meta.clone(),
                None => {
                    let parsed: DocumentMeta = serde_json::from_str(&m)
                        .map_err(|e| self.answer_err(format!("document record: {e}")))?;
                    let parsed = Arc::new(parsed);
                    metas.insert(m, parsed.clone());
                    parsed
                }
            };
            let passage: Passage =
                serde_json::from_str(&p).map_err(|e| self.answer_err(format!("passage: {e}")))?;
            let highlights = highlights(&passage.text, &t.matchers, &mut analyzers);
            hits.push(Hit {
                meta,
                passage,
                score: w as f32,
                highlights,
                explain: None,
            });
        }
        Ok(Answer {
            hits,
            total: total_found(&meta),
            partial: warnings(&meta),
        })
    }

    /// Exact counts of passages and documents, and the aggregator's warnings.
    pub fn count(&self, t: &Translated) -> Result<(ClusterCount, Vec<String>), EngineError> {
        let mut conn = self.connect()?;
        let w = where_sql(t);
        let (_, meta) = self.run(
            &mut conn,
            &format!("SELECT id FROM {INDEX}{w} LIMIT 0, 1 OPTION ranker=none"),
        )?;
        let passages = total_found(&meta);
        let mut partial = warnings(&meta);
        // A document's passages are all in one shard: its group is counted once.
        let (rows, meta) = self.run(
            &mut conn,
            &format!(
                "SELECT {DOC_ATTR} FROM {INDEX}{w} GROUP BY {DOC_ATTR} LIMIT 0, {MAX_GROUPS} OPTION ranker=none, max_matches={MAX_GROUPS}"
            ),
        )?;
        if rows.len() >= MAX_GROUPS {
            return Err(self.answer_err(format!(
                "more than {MAX_GROUPS} documents match: too many to count exactly"
            )));
        }
        for w in warnings(&meta) {
            if !partial.contains(&w) {
                partial.push(w);
            }
        }
        Ok((
            ClusterCount {
                passages,
                documents: rows.len(),
            },
            partial,
        ))
    }
}

fn where_sql(t: &Translated) -> String {
    t.where_clause()
        .map(|w| format!(" WHERE {w}"))
        .unwrap_or_default()
}

fn total_found(meta: &[(String, String)]) -> usize {
    meta.iter()
        .find(|(k, _)| k == "total_found")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// The warnings (and errors) `SHOW META` reports.
fn warnings(meta: &[(String, String)]) -> Vec<String> {
    meta.iter()
        .filter(|(k, v)| (k == "warning" || k == "error") && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            Engine::parse("sphinx://127.0.0.1:9306").unwrap(),
            Engine {
                host: "127.0.0.1".into(),
                port: 9306
            }
        );
        for bad in [
            "127.0.0.1:9306",
            "sphinx://host",
            "sphinx://:1",
            "sphinx://h:x",
            "http://h:1",
        ] {
            assert!(Engine::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn meta_is_read() {
        let meta = vec![
            ("total".to_string(), "10".to_string()),
            ("total_found".to_string(), "1234".to_string()),
            (
                "warning".to_string(),
                "agent 127.0.0.1:1: connection refused".to_string(),
            ),
        ];
        assert_eq!(total_found(&meta), 1234);
        assert_eq!(warnings(&meta).len(), 1);
    }
}
