//! Saved searches ("watches") and what is new for them. A watch is a query
//! and filters under a name, kept beside the index in a small file people can
//! read ([`book`]); reading one lists the hits in documents first indexed
//! since it was last read ([`news`]), using the index's first-indexed stamps
//! ([`crate::index::stamps`]).

pub mod book;
pub mod news;

pub use book::{Watch, WatchBook, WatchError};
pub use news::{news, News, Start};
