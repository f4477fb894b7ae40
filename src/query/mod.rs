//! Query: the query language (`parse`, `build`, `filter`, `request`) and
//! search over it (`search`, `rank`, `highlight`, `group`, `page`), run by the
//! private [`engine`]. What is built on search is the `analysis` part.

pub mod build;
mod engine;
pub mod filter;
pub mod group;
pub mod highlight;
pub mod page;
pub mod parse;
pub mod rank;
pub mod request;
pub mod search;

pub use crate::index::headers::MetaDetail;
pub use build::MatchOptions;
pub use group::{search_grouped, DocGroup, GroupPage, Grouped};
pub use parse::{parse, Expr, QueryError};
pub use search::{
    context, count, mentions, search, Counted, Found, Hit, SearchError, SearchRequest,
};
