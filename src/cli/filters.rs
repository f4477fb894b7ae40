//! Turn filter flags into the library's [`Filters`], resolved.

use super::args::FilterArgs;
use crate::query::filter::Resolved;
use crate::query::parse::QueryError;
use crate::query::request::Filters;

impl From<&FilterArgs> for Filters {
    fn from(a: &FilterArgs) -> Filters {
        Filters {
            authority: a.authority.clone(),
            visit_type: a.visit_type.clone(),
            inspector: a.inspector.clone(),
            source: a.source.clone(),
            judgement: a.judgement.clone(),
            kind: a.kind.clone(),
            since: a.since.clone(),
            until: a.until.clone(),
        }
    }
}

/// One OR-group per repeated flag, AND-ed together.
pub fn groups(
    args: &FilterArgs,
    notes: &mut Vec<String>,
) -> Result<Vec<Vec<Resolved>>, QueryError> {
    Filters::from(args).resolve(notes)
}
