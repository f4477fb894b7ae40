//! Filters as front ends receive them (flags, URL parameters), resolved into
//! what the index stores. The CLI and the HTTP server both translate into
//! [`Filters`], so a filter means the same thing wherever it is typed.

use std::collections::BTreeMap;

use super::filter::{self, Resolved};
use super::parse::{FilterField, FilterValue, QueryError};
use crate::fields::FieldId;

/// Filters as typed: each list is OR-ed within, the lists AND-ed together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Values typed for each registry field ([`crate::fields::FIELDS`]),
    /// in the order typed (authority aliases, `ri`, misspellings accepted).
    pub values: BTreeMap<FieldId, Vec<String>>,
    /// Dated on or after this year, month or day.
    pub since: Option<String>,
    /// Dated on or before this year, month or day.
    pub until: Option<String>,
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        self.values.values().all(Vec::is_empty) && self.since.is_none() && self.until.is_none()
    }

    /// The values typed for a field.
    pub fn of(&self, field: FieldId) -> &[String] {
        self.values.get(&field).map_or(&[], Vec::as_slice)
    }

    /// The values typed for a field, to change.
    pub fn of_mut(&mut self, field: FieldId) -> &mut Vec<String> {
        self.values.entry(field).or_default()
    }

    /// Add a value for a field.
    pub fn push(&mut self, field: FieldId, value: impl Into<String>) {
        self.of_mut(field).push(value.into());
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
        for (field, values) in &self.values {
            group(FilterField::Meta(*field), values)?;
        }
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
