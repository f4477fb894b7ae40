//! A request's URL parameters: the query, the CLI's filters, paging, sort,
//! grouping and context. Every view is a function of these, so any URL is a
//! permalink; [`Params::link`] writes one with a change applied.

use super::error::ApiError;
use crate::analysis::FacetBy;
use crate::fields::FieldId;
use crate::query::request::Filters;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most hits on one page.
pub const MAX_PAGE_SIZE: usize = 500;
/// Most context passages around a hit.
pub const MAX_CONTEXT: usize = 5;
/// Most values of one parameter.
const MAX_VALUES: usize = 50;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest document first.
    Date,
}

/// Everything a search view or API call is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// The query, in the query language.
    pub q: String,
    /// Filters, as typed.
    pub filters: Filters,
    /// Hits (or documents) per page.
    pub n: usize,
    /// Hits skipped before this page.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// One entry per document.
    pub group: bool,
    /// Passages of context around each hit.
    pub context: usize,
    /// No stemming.
    pub exact: bool,
    /// Say how each hit's score is made (`/api/search`).
    pub explain: bool,
    /// Facet to count by (`/api/facets`).
    pub by: Option<FacetBy>,
    /// A document's passage to show (`/doc/{id}`).
    pub passage: Option<usize>,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            q: String::new(),
            filters: Filters::default(),
            n: 10,
            offset: 0,
            sort: Sort::Relevance,
            group: false,
            context: 0,
            exact: false,
            explain: false,
            by: None,
            passage: None,
        }
    }
}

fn number(key: &str, v: &str) -> Result<usize, ApiError> {
    v.trim().parse::<usize>().map_err(|_| {
        ApiError::bad_request(
            format!("parameter {key} is not a whole number: '{v}'"),
            format!("write {key}=10"),
        )
    })
}

fn flag(v: &str) -> bool {
    matches!(v.trim(), "1" | "true" | "on" | "yes" | "doc")
}

impl Params {
    /// Parse a query string (`None` or empty: the defaults).
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        let mut p = Params::default();
        let mut page: Option<usize> = None;
        let mut counts = std::collections::HashMap::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let (key, value) = (key.into_owned(), value.into_owned());
            let seen = counts.entry(key.clone()).or_insert(0usize);
            *seen += 1;
            if *seen > MAX_VALUES {
                return Err(ApiError::bad_request(
                    format!("too many values for {key}"),
                    format!("give at most {MAX_VALUES}"),
                ));
            }
            let f = &mut p.filters;
            match key.as_str() {
                "q" | "name" => p.q = value,
                "since" => f.since = Some(value).filter(|v| !v.is_empty()),
                "until" => f.until = Some(value).filter(|v| !v.is_empty()),
                // `limit` as the CLI's `--limit` names it.
                "n" | "limit" => p.n = number(&key, &value)?,
                "offset" => p.offset = number("offset", &value)?,
                "page" => page = Some(number("page", &value)?),
                "context" => p.context = number("context", &value)?,
                "p" | "passage" => p.passage = Some(number("p", &value)?),
                "exact" => p.exact = flag(&value),
                "explain" => p.explain = flag(&value),
                "group_by" | "group" => p.group = flag(&value),
                "sort" => {
                    p.sort = match value.as_str() {
                        "" | "relevance" | "rank" => Sort::Relevance,
                        "date" => Sort::Date,
                        other => {
                            return Err(ApiError::bad_request(
                                format!("unknown sort '{other}'"),
                                "use sort=relevance or sort=date",
                            ))
                        }
                    }
                }
                "by" => {
                    p.by = Some(FacetBy::named(&value).ok_or_else(|| {
                        ApiError::bad_request(
                            format!("unknown facet '{value}'"),
                            format!("use by={}", FacetBy::names().join(", by=")),
                        )
                    })?)
                }
                // A metadata field of the registry, by its name or an alias.
                other => {
                    if let Some(id) = FieldId::named(other) {
                        f.push(id, value);
                    }
                    // Unknown parameters are ignored, as browsers add their own.
                }
            }
        }
        if p.q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::bad_request(
                format!("query too long ({} characters)", p.q.chars().count()),
                format!("keep it under {MAX_QUERY_CHARS} characters"),
            ));
        }
        if p.n == 0 || p.n > MAX_PAGE_SIZE {
            return Err(ApiError::bad_request(
                format!("page size {} (n or limit) is out of range", p.n),
                format!("use 1 to {MAX_PAGE_SIZE}, or /api/export for every hit"),
            ));
        }
        if p.context > MAX_CONTEXT {
            return Err(ApiError::bad_request(
                format!("context={} is too large", p.context),
                format!("use 0 to {MAX_CONTEXT}"),
            ));
        }
        if let Some(page) = page {
            if page == 0 {
                return Err(ApiError::bad_request("page=0", "pages start at 1"));
            }
            p.offset = (page - 1).saturating_mul(p.n);
        }
        Ok(p)
    }

    /// The 1-based page this offset falls on.
    pub fn page(&self) -> usize {
        self.offset / self.n.max(1) + 1
    }

    /// True when there is nothing to search for.
    pub fn is_blank(&self) -> bool {
        self.q.trim().is_empty() && self.filters.is_empty()
    }

    /// A query string for these parameters with `change` applied (defaults left out).
    pub fn link(&self, change: impl FnOnce(&mut Params)) -> String {
        let mut p = self.clone();
        change(&mut p);
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !p.q.is_empty() {
            s.append_pair("q", &p.q);
        }
        let f = &p.filters;
        for (id, vs) in &f.values {
            for v in vs {
                s.append_pair(id.name(), v);
            }
        }
        if let Some(v) = &f.since {
            s.append_pair("since", v);
        }
        if let Some(v) = &f.until {
            s.append_pair("until", v);
        }
        if p.sort == Sort::Date {
            s.append_pair("sort", "date");
        }
        if p.group {
            s.append_pair("group_by", "doc");
        }
        if p.exact {
            s.append_pair("exact", "1");
        }
        if p.context > 0 {
            s.append_pair("context", &p.context.to_string());
        }
        if p.n != 10 {
            s.append_pair("n", &p.n.to_string());
        }
        if p.offset > 0 {
            s.append_pair("page", &p.page().to_string());
        }
        if let Some(n) = p.passage {
            s.append_pair("p", &n.to_string());
        }
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeats_and_round_trips() {
        let p = Params::parse(Some(
            "q=%22management+oversight%22&authority=Leeds&authority=York&type=focused&page=3&n=20&sort=date&group_by=doc",
        ))
        .unwrap();
        assert_eq!(p.q, "\"management oversight\"");
        assert_eq!(p.filters.of(crate::fields::AUTHORITY), ["Leeds", "York"]);
        assert_eq!(p.offset, 40);
        assert_eq!(p.page(), 3);
        assert!(p.group);
        let again = Params::parse(Some(&p.link(|_| {}))).unwrap();
        assert_eq!(again, p);
        let limit = Params::parse(Some("q=oversight&limit=7")).unwrap();
        assert_eq!(limit.n, 7);
    }

    #[test]
    fn refuses_what_it_cannot_serve() {
        for bad in [
            "n=0",
            "n=100000",
            "limit=0",
            "page=0",
            "n=x",
            "sort=up",
            "context=99",
            "by=colour",
        ] {
            let e = Params::parse(Some(bad)).unwrap_err();
            assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST, "{bad}");
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(Params::parse(Some(&long)).is_err());
    }
}
