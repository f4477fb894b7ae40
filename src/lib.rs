//! ofsearch: full-text search over Ofsted children's services inspection
//! reports and the news written about them.
//!
//! The pipeline runs one way: [`ingest`] (files → clean passages + metadata) →
//! [`index`] (tantivy) → [`query`] (parse, filter, rank, highlight) →
//! [`output`] (text, JSON lines, CSV) → front ends: [`cli`] and [`serve`].

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod acronyms;
pub mod analysis;
pub mod cli;
pub mod cluster;
pub mod cores;
pub mod document;
pub mod export;
pub mod fields;
pub mod gazetteer;
pub mod index;
pub mod ingest;
pub mod output;
pub mod pipeline;
pub mod query;
pub mod serve;
pub mod watch;

#[cfg(test)]
mod layers;
