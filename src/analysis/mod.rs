//! Analysis: what is built on search rather than search itself — facets
//! (counts by field), trends over time, the index's statistics, document
//! listings, and the links from news stories to the letters they report.

pub mod docs;
pub mod facets;
pub mod link;
pub mod stats;
pub mod trend;

pub use facets::{
    facet_rows, facets, matched_documents, FacetBy, FacetRow, FacetSort, MatchedDocuments,
};
