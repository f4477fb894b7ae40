//! Turn filter flags into resolved filter groups.

use super::args::FilterArgs;
use crate::query::filter::{self, Resolved};
use crate::query::parse::{FilterField, FilterValue, QueryError};

/// One OR-group per repeated flag, AND-ed together.
pub fn groups(
    args: &FilterArgs,
    notes: &mut Vec<String>,
) -> Result<Vec<Vec<Resolved>>, QueryError> {
    let mut groups = Vec::new();
    let mut group = |field: FilterField, values: &[String]| -> Result<(), QueryError> {
        if values.is_empty() {
            return Ok(());
        }
        let resolved = values
            .iter()
            .map(|v| filter::resolve(field, &FilterValue::One(v.clone()), notes))
            .collect::<Result<Vec<_>, _>>()?;
        groups.push(resolved);
        Ok(())
    };
    group(FilterField::Authority, &args.authority)?;
    group(FilterField::Type, &args.visit_type)?;
    group(FilterField::Inspector, &args.inspector)?;
    group(FilterField::Source, &args.source)?;
    group(FilterField::Judgement, &args.judgement)?;
    if args.since.is_some() || args.until.is_some() {
        let from = args
            .since
            .as_deref()
            .map(filter::date_start)
            .transpose()?
            .flatten();
        let to = args
            .until
            .as_deref()
            .map(filter::date_end)
            .transpose()?
            .flatten();
        groups.push(vec![Resolved::DateRange(from, to)]);
    }
    Ok(groups)
}
