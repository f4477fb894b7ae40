//! Query: parse the query language, resolve filters, rank passages, highlight,
//! group and count.

mod boosted;
pub mod build;
pub mod docs;
mod every;
pub mod facets;
pub mod filter;
pub mod group;
pub mod highlight;
pub mod link;
pub mod page;
pub mod parse;
mod prune;
pub mod rank;
pub mod request;
pub mod search;
pub mod stats;
pub mod trend;
mod wand;

pub use crate::index::headers::MetaDetail;
pub use build::MatchOptions;
pub use facets::{
    facet_rows, facets, matched_documents, FacetBy, FacetRow, FacetSort, MatchedDocuments,
};
pub use group::{search_grouped, DocGroup, GroupPage, Grouped};
pub use parse::{parse, Expr, QueryError};
pub use search::{
    context, count, mentions, search, Counted, Found, Hit, SearchError, SearchRequest,
};
