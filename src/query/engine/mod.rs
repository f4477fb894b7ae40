//! The engine: a compiled query's matches walked over the index's segments
//! on every core — all of them, the exact top k (block-max pruning for words,
//! phrase plans, unions by WAND), and counts. Private to [`crate::query`];
//! what is re-exported here is all the rest of it uses.

mod boosted;
mod every;
mod forward;
mod prune;
mod wand;

pub(crate) use boosted::BoostedPhrase;
pub(crate) use every::{count_with_paths, every_match, top_matches};
pub(crate) use forward::ForwardOnly;
pub(crate) use prune::Plan;
