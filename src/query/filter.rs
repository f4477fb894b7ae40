//! Resolve filter values: authority aliases through the gazetteer, visit-type
//! and judgement synonyms, and dates given as years, months or days.

use super::parse::{FilterField, FilterValue, QueryError};

/// A filter resolved to what the index stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Exact match on a keyword field.
    Keyword(FilterField, String),
    /// Words that must appear in a text field (section, title).
    Words(FilterField, String),
    /// Inclusive range of days, as seconds since the epoch.
    DateRange(Option<i64>, Option<i64>),
    /// Passages of these documents only (by path): a saved search's new
    /// documents, for one.
    Documents(Vec<String>),
}

/// Canonical authority for a user-typed name. A misspelt name is taken as the
/// closest authority, with a note saying so; a name close to none is an error.
pub fn resolve_authority(value: &str, notes: &mut Vec<String>) -> Result<String, QueryError> {
    (crate::fields::AUTHORITY.spec().resolve)(value, notes).map_err(from_field)
}

/// A registry field's error as a query error.
fn from_field(e: crate::fields::FieldError) -> QueryError {
    QueryError::new(e.message, e.hint)
}

/// Resolve one filter; corrections made on the way are added to `notes`.
pub fn resolve(
    field: FilterField,
    value: &FilterValue,
    notes: &mut Vec<String>,
) -> Result<Resolved, QueryError> {
    if field == FilterField::Date {
        let (from, to) = match value {
            FilterValue::One(v) => (v.as_str(), v.as_str()),
            FilterValue::Range(a, b) => (a.as_str(), b.as_str()),
        };
        return Ok(Resolved::DateRange(date_start(from)?, date_end(to)?));
    }
    let FilterValue::One(v) = value else {
        return Err(QueryError::new(
            "a range is only allowed for date:",
            "write date:[2019 TO 2021]",
        ));
    };
    match field {
        FilterField::Mentions => Ok(Resolved::Keyword(field, resolve_authority(v, notes)?)),
        FilterField::Meta(id) => (id.spec().resolve)(v, notes)
            .map(|stored| Resolved::Keyword(field, stored))
            .map_err(from_field),
        FilterField::Section | FilterField::Title => Ok(Resolved::Words(field, v.clone())),
        FilterField::Date => unreachable_date(),
    }
}

fn unreachable_date() -> Result<Resolved, QueryError> {
    Err(QueryError::new(
        "internal: date handled above",
        "report this",
    ))
}

fn bad_date(value: &str) -> QueryError {
    QueryError::new(
        format!("impossible date '{value}'"),
        "write a year (2022), a month (2022-06) or a day (2022-06-15)",
    )
}

/// A date as year, month and optional day.
/// Year, optional month, optional day.
type PartialDate = (i16, Option<i8>, Option<i8>);

fn parse_partial(value: &str) -> Result<Option<PartialDate>, QueryError> {
    let v = value.trim();
    if v.is_empty() || v == "*" {
        return Ok(None);
    }
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str| s.parse::<i64>().map_err(|_| bad_date(value));
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y)?, None, None),
        [y, m] => (num(y)?, Some(num(m)?), None),
        [y, m, d] => (num(y)?, Some(num(m)?), Some(num(d)?)),
        _ => return Err(bad_date(value)),
    };
    if !(1900..=2200).contains(&y) {
        return Err(bad_date(value));
    }
    let m = m
        .map(|m| i8::try_from(m).map_err(|_| bad_date(value)))
        .transpose()?;
    let d = d
        .map(|d| i8::try_from(d).map_err(|_| bad_date(value)))
        .transpose()?;
    let check = jiff::civil::Date::new(y as i16, m.unwrap_or(1), d.unwrap_or(1));
    if check.is_err() {
        return Err(bad_date(value));
    }
    Ok(Some((y as i16, m, d)))
}

fn to_secs(date: jiff::civil::Date) -> Option<i64> {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// First second of the year, month or day given.
pub fn date_start(value: &str) -> Result<Option<i64>, QueryError> {
    let Some((y, m, d)) = parse_partial(value)? else {
        return Ok(None);
    };
    let date =
        jiff::civil::Date::new(y, m.unwrap_or(1), d.unwrap_or(1)).map_err(|_| bad_date(value))?;
    Ok(to_secs(date))
}

/// Last day (its first second) of the year, month or day given.
pub fn date_end(value: &str) -> Result<Option<i64>, QueryError> {
    let Some((y, m, d)) = parse_partial(value)? else {
        return Ok(None);
    };
    let date = match (m, d) {
        (None, _) => jiff::civil::Date::new(y, 12, 31),
        (Some(m), None) => jiff::civil::Date::new(y, m, 1).map(|d| d.last_of_month()),
        (Some(m), Some(d)) => jiff::civil::Date::new(y, m, d),
    }
    .map_err(|_| bad_date(value))?;
    Ok(to_secs(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_any_precision() {
        let day = |s: &str| crate::index::date_to_timestamp(s.parse().unwrap());
        assert_eq!(date_start("2022").unwrap(), day("2022-01-01"));
        assert_eq!(date_end("2022").unwrap(), day("2022-12-31"));
        assert_eq!(date_end("2023-02").unwrap(), day("2023-02-28"));
        assert_eq!(date_start("2023-06-15").unwrap(), day("2023-06-15"));
        assert_eq!(date_start("*").unwrap(), None);
        for bad in ["2023-13", "2023-02-30", "20x", "99999", "2023-1-2-3"] {
            assert!(date_start(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn synonyms() {
        assert_eq!(
            resolve(
                FilterField::Meta(crate::fields::TYPE),
                &FilterValue::One("Focused".into()),
                &mut vec![]
            )
            .unwrap(),
            Resolved::Keyword(
                FilterField::Meta(crate::fields::TYPE),
                "focused visit".into()
            )
        );
        assert_eq!(
            resolve(
                FilterField::Meta(crate::fields::JUDGEMENT),
                &FilterValue::One("RI".into()),
                &mut vec![]
            )
            .unwrap(),
            Resolved::Keyword(
                FilterField::Meta(crate::fields::JUDGEMENT),
                "requires improvement".into()
            )
        );
        assert_eq!(
            resolve(
                FilterField::Meta(crate::fields::AUTHORITY),
                &FilterValue::One("South Glos".into()),
                &mut vec![]
            )
            .unwrap(),
            Resolved::Keyword(
                FilterField::Meta(crate::fields::AUTHORITY),
                "South Gloucestershire".into()
            )
        );
        assert!(resolve(
            FilterField::Meta(crate::fields::TYPE),
            &FilterValue::One("party".into()),
            &mut vec![]
        )
        .is_err());
        let mut notes = vec![];
        assert_eq!(
            resolve_authority("Glocestershire", &mut notes).unwrap(),
            "Gloucestershire"
        );
        assert!(notes[0].contains("taken as 'Gloucestershire'"), "{notes:?}");
        assert!(resolve_authority("Atlantis Metropolitan", &mut notes).is_err());
    }
}
