//! Query: parse the query language, resolve filters, rank passages, highlight.

pub mod build;
pub mod filter;
pub mod highlight;
pub mod parse;
pub mod search;

pub use build::MatchOptions;
pub use parse::{parse, Expr, QueryError};
pub use search::{count, mentions, search, Hit, SearchError, SearchRequest};
