//! Every end-to-end test, in one binary (one link of the crate, not one
//! per file): a module per feature, sharing the fixtures in `tests/common`.
//! Run one feature with `cargo test --test it seeds::` (a module's name).

#[path = "../common/mod.rs"]
mod common;

mod acronyms;
mod check;
mod cli_conventions;
mod cluster;
mod html_articles;
mod letters;
mod other_letters;
mod pages;
mod pdf_pages;
mod real_corpus;
mod reliability;
mod reliability_fuzz;
mod reliability_index;
mod reliability_query;
mod seeds;
mod serve;
mod watch;
