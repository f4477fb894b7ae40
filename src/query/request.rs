//! Filters as front ends receive them (flags, URL parameters), resolved into
//! what the index stores. The CLI and the HTTP server both translate into
//! [`Filters`], so a filter means the same thing wherever it is typed.

use super::filter::{self, Resolved};
use super::parse::{FilterField, FilterValue, QueryError};

/// Filters as typed: each list is OR-ed within, the lists AND-ed together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Authorities (any alias; a misspelling is corrected with a note).
    pub authority: Vec<String>,
    /// Visit types (`focused`, `jtai`, …).
    pub visit_type: Vec<String>,
    /// Inspectors.
    pub inspector: Vec<String>,
    /// Sources (`ofsted` or a publisher).
    pub source: Vec<String>,
    /// Overall judgements (`ri` accepted).
    pub judgement: Vec<String>,
    /// Passage kinds (`finding`, `improvement`, …).
    pub kind: Vec<String>,
    /// Dated on or after this year, month or day.
    pub since: Option<String>,
    /// Dated on or before this year, month or day.
    pub until: Option<String>,
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Resolve into filter groups; corrections made are pushed to `notes`.
    pub fn resolve(&self, notes: &mut Vec<String>) -> Result<Vec<Vec<Resolved>>, QueryError> {
        let mut groups = Vec::new();
        let mut group = |field: FilterField, values: &[String]| -> Result<(), QueryError> {
            let values: Vec<&String> = values.iter().filter(|v| !v.trim().is_empty()).collect();
            if values.is_empty() {
                return Ok(());
            }
            let resolved = values
                .iter()
                .map(|v| filter::resolve(field, &FilterValue::One((*v).clone()), notes))
                .collect::<Result<Vec<_>, _>>()?;
            groups.push(resolved);
            Ok(())
        };
        group(FilterField::Authority, &self.authority)?;
        group(FilterField::Type, &self.visit_type)?;
        group(FilterField::Inspector, &self.inspector)?;
        group(FilterField::Source, &self.source)?;
        group(FilterField::Judgement, &self.judgement)?;
        group(FilterField::Kind, &self.kind)?;
        fn bound(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.trim().is_empty())
        }
        let (since, until) = (bound(&self.since), bound(&self.until));
        if since.is_some() || until.is_some() {
            let from = since.map(filter::date_start).transpose()?.flatten();
            let to = until.map(filter::date_end).transpose()?.flatten();
            groups.push(vec![Resolved::DateRange(from, to)]);
        }
        Ok(groups)
    }
}
