//! Output: hits and documents as text for people, JSON lines or CSV/TSV for scripts.
//! Never queries; takes the plain data the query stage returns.

pub mod atom;
pub mod check;
pub mod envelope;
pub mod json;
pub mod plot;
pub mod printer;
pub mod table;
pub mod text;
pub mod watches;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: ranked passages with highlights.
    Text,
    /// One JSON object per line.
    Json,
    /// Comma-separated values with a header.
    Csv,
    /// Tab-separated values with a header.
    Tsv,
}
