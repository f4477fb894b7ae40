//! The search page and the document view: server-rendered HTML that works
//! without JavaScript (the script only adds keyboard comfort). Every string
//! from a document goes through maud, which escapes it.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::error::ApiError;
use super::params::{Params, Sort};
use super::{blocking, page_request, search_request, AppState};
use crate::analysis::{docs, FacetBy, FacetRow};
use crate::document::{DocumentMeta, PassageKind};
use crate::fields::FieldId;
use crate::query::{self, Hit};

/// Facet values listed before "more".
const FACET_SHOWN: usize = 12;

/// The facets of the sidebar: what to count by, its label and its URL
/// parameter; every registry field that facets, in its order, with the year
/// third.
fn sidebar_facets() -> Vec<(FacetBy, &'static str, &'static str)> {
    let mut facets: Vec<_> = FieldId::all()
        .filter(|f| f.spec().facet)
        .map(|f| (FacetBy::Field(f), f.spec().label, f.name()))
        .collect();
    facets.insert(facets.len().min(2), (FacetBy::Year, "Year", "year"));
    facets
}

/// A page; `feed`, when given, is announced to browsers and feed readers.
fn layout(title: &str, feed: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · ofsearch" }
                link rel="stylesheet" href="/static/app.css";
                @if let Some(feed) = feed {
                    link rel="alternate" type="application/atom+xml" title="New matching documents" href=(feed);
                }
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to results" }
                (body)
            }
        }
    }
}

/// The text with the highlighted byte ranges in `<mark>`.
fn marked(text: &str, spans: &[(usize, usize)]) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut pos = 0;
    for &(s, e) in spans {
        let (s, e) = (s.clamp(pos, text.len()), e.clamp(pos, text.len()));
        if s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        parts.push((false, &text[pos..s]));
        parts.push((true, &text[s..e]));
        pos = e;
    }
    parts.push((false, &text[pos..]));
    html! {
        @for (hit, part) in parts {
            @if hit { mark { (part) } } @else { (part) }
        }
    }
}

fn meta_line(meta: &DocumentMeta, section: Option<&str>) -> Markup {
    let judgements: Vec<String> = meta
        .judgements
        .iter()
        .filter_map(|(k, v)| v.map(|g| format!("{}: {g}", k.replace('_', " "))))
        .collect();
    html! {
        span.authority { (meta.authority.as_deref().unwrap_or("(no authority)")) }
        @if let Some(d) = &meta.date { " · " time datetime=(d) { (d) } }
        @if let Some(v) = meta.visit_type { " · " span.type { (v.name()) } }
        @if !judgements.is_empty() { " · " span.judgements { (judgements.join("; ")) } }
        @if let Some(s) = section { " · " span.section { (s) } }
    }
}

fn search_form(p: &Params, error: Option<&ApiError>) -> Markup {
    html! {
        header.top {
            a.brand href="/" { "ofsearch" }
            form.search role="search" action="/" method="get" {
                label for="q" { "Search letters, reports and news" }
                div.row {
                    input #q type="search" name="q" value=(p.q) autocomplete="off"
                        aria-describedby="help" placeholder="\"management oversight\" authority:\"South Glos\"";
                    button type="submit" { "Search" }
                }
                @for (id, values) in &p.filters.values {
                    @for a in values { input type="hidden" name=(id.name()) value=(a); }
                }
                div.options {
                    label { "From " input type="text" name="since" size="10" inputmode="numeric" placeholder="2019" value=(p.filters.since.clone().unwrap_or_default()); }
                    label { "to " input type="text" name="until" size="10" inputmode="numeric" placeholder="2024-06" value=(p.filters.until.clone().unwrap_or_default()); }
                    label { "Sort "
                        select name="sort" {
                            option value="relevance" selected[p.sort == Sort::Relevance] { "relevance" }
                            option value="date" selected[p.sort == Sort::Date] { "date" }
                        }
                    }
                    label { input type="checkbox" name="group_by" value="doc" checked[p.group]; " one entry per document" }
                }
                @if let Some(e) = error {
                    p.error #error role="alert" { (e.error) @if !e.hint.is_empty() { " (hint: " (e.hint) ")" } }
                }
                details #help {
                    summary { "Query syntax" }
                    pre { (crate::cli::args::QUERY_HELP.trim_start_matches("Query language:\n")) }
                }
            }
        }
    }
}

/// The sidebar shows documents per value, so a list in count order goes by
/// documents (then passages, then name), not by passages as the API's does:
/// read down, the numbers shown never go up.
fn most_documents_first(rows: &mut [FacetRow]) {
    rows.sort_by(|a, b| {
        (b.documents, b.passages)
            .cmp(&(a.documents, a.passages))
            .then_with(|| a.value.cmp(&b.value))
    });
}

fn facet_sidebar(p: &Params, facets: &[(FacetBy, &str, &str, Vec<FacetRow>)]) -> Markup {
    html! {
        aside.facets aria-label="Filters" {
            h2 { "Filters" }
            @for (by, label, param, rows) in facets {
                @let active = active_values(p, *by);
                section.facet {
                    h3 { (label) }
                    @if rows.is_empty() { p.none { "—" } }
                    ul {
                        @for (i, r) in rows.iter().enumerate() {
                            @let on = active.iter().any(|a| a.eq_ignore_ascii_case(&r.value));
                            @let href = format!("/?{}", p.link(|q| toggle(q, *by, &r.value)));
                            @if r.value == crate::analysis::facets::NONE && i < FACET_SHOWN {
                                li { span.plain { span.value { "(none)" } " " span.count { (r.documents) } } }
                            } @else if i < FACET_SHOWN || on {
                                li { a href=(href) aria-current=[on.then_some("true")] class=[on.then_some("on")] data-param=(param) {
                                    span.value { (r.value) } " " span.count { (r.documents) }
                                } }
                            }
                        }
                    }
                    @if rows.len() > FACET_SHOWN {
                        details { summary { "all " (rows.len()) }
                            ul { @for r in rows.iter().skip(FACET_SHOWN) {
                                @let on = active.iter().any(|a| a.eq_ignore_ascii_case(&r.value));
                                li { a href=(format!("/?{}", p.link(|q| toggle(q, *by, &r.value)))) aria-current=[on.then_some("true")] class=[on.then_some("on")] {
                                    span.value { (r.value) } " " span.count { (r.documents) }
                                } }
                            } }
                        }
                    }
                }
            }
            p.legend { "Counts are documents with a matching passage." }
        }
    }
}

fn active_values(p: &Params, by: FacetBy) -> Vec<String> {
    let f = &p.filters;
    match by {
        FacetBy::Field(id) => f.of(id).to_vec(),
        FacetBy::Year | FacetBy::Month => match (&f.since, &f.until) {
            (Some(s), Some(u)) if s == u => vec![s.clone()],
            _ => Vec::new(),
        },
    }
}

/// Click a value to filter by it; click it again to remove the filter.
fn toggle(p: &mut Params, by: FacetBy, value: &str) {
    p.offset = 0;
    let list = match by {
        FacetBy::Field(id) => p.filters.of_mut(id),
        FacetBy::Year | FacetBy::Month => {
            let same = p.filters.since.as_deref() == Some(value)
                && p.filters.until.as_deref() == Some(value);
            if same || value == crate::analysis::facets::NONE {
                p.filters.since = None;
                p.filters.until = None;
            } else {
                p.filters.since = Some(value.to_string());
                p.filters.until = Some(value.to_string());
            }
            return;
        }
    };
    if let Some(i) = list.iter().position(|v| v.eq_ignore_ascii_case(value)) {
        list.remove(i);
    } else if value != crate::analysis::facets::NONE {
        list.push(value.to_string());
    }
}

fn doc_link(meta: &DocumentMeta, p: &Params, paragraph: Option<usize>) -> String {
    let mut link = format!("/doc/{}", meta.id());
    let qs = Params {
        q: p.q.clone(),
        exact: p.exact,
        passage: paragraph,
        ..Params::default()
    }
    .link(|_| {});
    if !qs.is_empty() {
        link.push('?');
        link.push_str(&qs);
    }
    if let Some(n) = paragraph {
        link.push_str(&format!("#p{n}"));
    }
    link
}

/// Where a PDF passage's page opens in the original file (`#page=N`, read
/// by the browsers' PDF viewers).
fn pdf_page_link(meta: &DocumentMeta, page: u32) -> String {
    format!("/doc/{}/pdf#page={page}", meta.id())
}

fn hit_item(h: &Hit, p: &Params) -> Markup {
    let href = doc_link(&h.meta, p, Some(h.passage.paragraph));
    html! {
        li.hit tabindex="-1" {
            p.meta { (meta_line(&h.meta, h.passage.section.as_deref())) }
            p.title {
                a.open href=(href) { (h.meta.title) } " " span.para { "¶" (h.passage.paragraph) }
                @if let Some(n) = h.passage.page {
                    " " a.page href=(pdf_page_link(&h.meta, n)) title="Open the PDF at this page" { "p. " (n) }
                }
                @if !matches!(h.passage.kind, PassageKind::Finding | PassageKind::News) {
                    " " span.kind { (h.passage.kind.name()) }
                }
            }
            p.text { (marked(&h.passage.text, &h.highlights)) }
        }
    }
}

fn pager(p: &Params, total: usize) -> Markup {
    let pages = total.div_ceil(p.n).max(1);
    let current = p.page();
    let mut shown: Vec<usize> = vec![1, pages];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(pages));
    shown.sort_unstable();
    shown.dedup();
    html! {
        @if pages > 1 {
            nav.pages aria-label="Pages" {
                @if current > 1 { a rel="prev" href=(format!("/?{}", p.link(|q| q.offset = (current - 2) * q.n))) { "‹ Previous" } }
                @for (i, n) in shown.iter().enumerate() {
                    @if i > 0 && *n > shown[i - 1] + 1 { span.gap { "…" } }
                    @if *n == current { span.current aria-current="page" { (n) } }
                    @else { a href=(format!("/?{}", p.link(|q| q.offset = (n - 1) * q.n))) { (n) } }
                }
                @if current < pages { a rel="next" href=(format!("/?{}", p.link(|q| q.offset = current * q.n))) { "Next ›" } }
            }
        }
    }
}

/// `GET /`: the search page.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let p = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return page_with_error(&Params::default(), e).into_response(),
    };
    if p.is_blank() {
        return Html(home(&p).into_string()).into_response();
    }
    let p2 = p.clone();
    let answered = blocking(&state, move |reader| {
        let request = search_request(&p2, None)?;
        // Matched and grouped once for every facet of the sidebar, and for
        // the page's totals.
        let matched = crate::analysis::matched_documents(&reader, &request)?;
        let totals = query::Counted {
            passages: matched.documents.iter().map(|(_, n)| n).sum(),
            documents: matched.documents.len(),
            notes: matched.notes.clone(),
        };
        let page = query::page::page_with_totals(&reader, &page_request(&p2)?, totals)?;
        let mut facets = Vec::new();
        for (by, label, param) in sidebar_facets() {
            let mut rows = crate::analysis::facet_rows(&matched, by, by.default_sort());
            // A field no matching document has (a JTAI theme among focused
            // visits) says nothing: left out.
            if rows
                .iter()
                .all(|r| r.value == crate::analysis::facets::NONE)
            {
                continue;
            }
            if by.default_sort() == crate::analysis::FacetSort::Count {
                most_documents_first(&mut rows);
            }
            facets.push((by, label, param, rows));
        }
        // The query's trend by year, as `ofsearch trend` draws it.
        let mut page = page;
        let chart = if p2.q.trim().is_empty() {
            None
        } else {
            // A chart that cannot be drawn is said, not hidden; the results stand.
            let drawn = super::trend_of(&reader, &p2, FacetBy::Year, Some(&matched))
                .map_err(|e| e.error)
                .and_then(|t| crate::output::plot::svg(&t, 20).map_err(|e| e.to_string()));
            match drawn {
                Ok(svg) => Some(svg),
                Err(e) => {
                    page.notes
                        .push(format!("the trend chart could not be drawn: {e}"));
                    None
                }
            }
        };
        Ok((page, facets, chart))
    })
    .await;
    match answered {
        Ok((page, facets, chart)) => {
            Html(results(&p, &page, &facets, chart.as_deref()).into_string()).into_response()
        }
        Err(e) => page_with_error(&p, e).into_response(),
    }
}

fn home(p: &Params) -> Markup {
    layout(
        "Search",
        None,
        html! {
            (search_form(p, None))
            main #main {
                p #count role="status" aria-live="polite" {}
                section.intro {
                    h1 { "Search Ofsted letters, reports and the news about them" }
                    p { "Type words or a phrase, for example " a href="/?q=%22management+oversight%22" { "\"management oversight\"" }
                        ", or everything about one council: " a href="/?q=&authority=South+Gloucestershire" { "South Gloucestershire" } "." }
                }
            }
        },
    )
}

fn page_with_error(p: &Params, e: ApiError) -> (StatusCode, Html<String>) {
    let markup = layout(
        "Search",
        None,
        html! {
            (search_form(p, Some(&e)))
            main #main { p #count role="status" aria-live="polite" { (e.error) } }
        },
    );
    (e.status, Html(markup.into_string()))
}

fn results(
    p: &Params,
    page: &query::page::Page,
    facets: &[(FacetBy, &str, &str, Vec<FacetRow>)],
    chart: Option<&str>,
) -> Markup {
    let total = if p.group {
        page.documents
    } else {
        page.passages
    };
    let export = p.link(|q| {
        q.offset = 0;
        q.n = 10;
        q.group = false;
    });
    layout(
        &p.q,
        Some(&super::feed::feed_link(p)),
        html! {
            (search_form(p, None))
            div.layout {
                (facet_sidebar(p, facets))
                main #main {
                    p #count role="status" aria-live="polite" {
                        (page.passages) " passages in " (page.documents) " documents"
                        @if total > 0 { " · page " (p.page()) " of " (total.div_ceil(p.n).max(1)) }
                    }
                    @for n in &page.notes { p.note { "Note: " (n) } }
                    @if let Some(svg) = chart {
                        details.trend {
                            summary { "Share of documents matching, by year" }
                            // Drawn by plotters, which escapes its text; inline so the points' tooltips work.
                            figure { (maud::PreEscaped(svg)) }
                            p.downloads { a href=(format!("/api/trend?{}", p.link(|q| { q.offset = 0; q.n = 10; q.group = false; }))) { "the numbers (JSON)" } }
                        }
                    }
                    p.downloads { "Download every hit: "
                        a href=(format!("/api/export.csv?{export}")) download { "CSV" } " · "
                        a href=(format!("/api/export.jsonl?{export}")) download { "JSON lines" }
                        " · New matches in a feed reader: " a.subscribe href=(super::feed::feed_link(p)) type="application/atom+xml" { "subscribe (Atom)" } }
                    @if p.group {
                        ol.hits.groups start=(p.offset + 1) {
                            @for g in &page.groups {
                                li.hit tabindex="-1" {
                                    p.meta { (meta_line(&g.meta, None)) " · " (g.hits) (if g.hits == 1 { " hit" } else { " hits" }) }
                                    p.title { a.open href=(doc_link(&g.meta, p, g.best.first().map(|h| h.passage.paragraph))) { (g.meta.title) } }
                                    @for h in &g.best { p.text { span.para { "¶" (h.passage.paragraph) " " } (marked(&h.passage.text, &h.highlights)) } }
                                }
                            }
                        }
                    } @else {
                        ol.hits start=(p.offset + 1) { @for h in &page.hits { (hit_item(h, p)) } }
                    }
                    @if total == 0 { p.empty { "Nothing matched. Try fewer words, or remove a filter." } }
                    (pager(p, total))
                }
            }
        },
    )
}

/// `GET /doc/{id}`: one document with every passage, the hits marked.
pub async fn document(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let p = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return page_with_error(&Params::default(), e).into_response(),
    };
    let p2 = p.clone();
    let answered = blocking(&state, move |reader| {
        let found = docs::find(&reader, &id)?;
        let shown = docs::read(&reader, &found)?;
        let marks = if p2.q.trim().is_empty() {
            vec![Vec::new(); shown.passages.len()]
        } else {
            let texts: Vec<&str> = shown.passages.iter().map(|x| x.text.as_str()).collect();
            query::search::highlight_texts(
                &reader,
                &p2.q,
                crate::query::MatchOptions { exact: p2.exact },
                &texts,
            )
            .unwrap_or_else(|_| vec![Vec::new(); texts.len()])
        };
        Ok((shown, marks))
    })
    .await;
    let (shown, marks) = match answered {
        Ok(x) => x,
        Err(e) => return page_with_error(&p, e).into_response(),
    };
    let meta = &shown.meta;
    let hits = marks.iter().filter(|m| !m.is_empty()).count();
    // A section heading stands over the first passage under it.
    let headings: Vec<Option<&str>> = shown
        .passages
        .iter()
        .enumerate()
        .map(|(i, psg)| {
            let prev = i
                .checked_sub(1)
                .and_then(|j| shown.passages[j].section.as_deref());
            psg.section
                .as_deref()
                .filter(|s| i == 0 || prev != Some(*s))
        })
        .collect();
    let back = format!(
        "/?{}",
        Params {
            q: p.q.clone(),
            exact: p.exact,
            ..Params::default()
        }
        .link(|_| {})
    );
    let markup = layout(
        &meta.title,
        None,
        html! {
            (search_form(&Params { q: p.q.clone(), ..Params::default() }, None))
            main #main.document {
                p.back { a href=(back) { "‹ Back to the search" } }
                h1 { (meta.title) }
                p #count role="status" aria-live="polite" {
                    (shown.passages.len()) " passages"
                    @if !p.q.trim().is_empty() { ", " (hits) " matching" }
                }
                dl.meta {
                    dt { "Authority" } dd { (meta.authority.as_deref().unwrap_or("—")) }
                    dt { "Date" } dd { (meta.date.map_or_else(|| "—".to_string(), |d| d.to_string())) }
                    dt { "Visit type" } dd { (meta.visit_type.map_or("—", |v| v.name())) }
                    @if meta.inspection_start.is_some() {
                        dt { "Visit dates" } dd { (meta.inspection_start.map(|d| d.to_string()).unwrap_or_default()) " to " (meta.inspection_end.map(|d| d.to_string()).unwrap_or_default()) }
                    }
                    @if !meta.inspectors.is_empty() { dt { "Inspectors" } dd { (meta.inspectors.join("; ")) } }
                    @if let Some(l) = &meta.lead_inspector { dt { "Lead inspector" } dd { (l) } }
                    @for (k, v) in meta.judgements.iter() { @if let Some(g) = v { dt { (k.replace('_', " ")) } dd { (g.name()) } } }
                    @if let Some(s) = &meta.source { dt { "Source" } dd { (s) } }
                    dt { "File" } dd { a href=(format!("/doc/{}/file", meta.id())) download { (meta.path) } }
                }
                @for ((psg, spans), heading) in shown.passages.iter().zip(&marks).zip(&headings) {
                    @if let Some(s) = heading { h2 { (s) } }
                    @let focus = p.passage == Some(psg.paragraph);
                    p id=(format!("p{}", psg.paragraph)) class=(format!("passage{}{}", if spans.is_empty() { "" } else { " hit" }, if focus { " focus" } else { "" })) {
                        a.para href=(format!("#p{}", psg.paragraph)) { "¶" (psg.paragraph) } " "
                        @if let Some(n) = psg.page {
                            a.page href=(pdf_page_link(meta, n)) title="Open the PDF at this page" { "p. " (n) } " "
                        }
                        (marked(&psg.text, spans))
                    }
                }
            }
        },
    );
    Html(markup.into_string()).into_response()
}

/// The original file of a document in the index, with a safe file name:
/// the path comes from the index, never from the request.
async fn original(state: &Arc<AppState>, id: String) -> Result<(Vec<u8>, String), ApiError> {
    let meta = blocking(state, move |reader| Ok(docs::find(&reader, &id)?.meta)).await?;
    let bytes = tokio::fs::read(&meta.path).await.map_err(|e| {
        ApiError::not_found(
            format!("{} is no longer readable: {e}", meta.path),
            "re-run ofsearch ingest",
        )
    })?;
    let name: String = std::path::Path::new(&meta.path)
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
                .collect()
        })
        .filter(|n: &String| !n.is_empty())
        .unwrap_or_else(|| "document".into());
    Ok((bytes, name))
}

/// `GET /doc/{id}/pdf`: a PDF in the index, shown in the browser (so that
/// `#page=N` opens it at a passage's page). Anything that is not a PDF is 404:
/// only the download route serves other files.
pub async fn pdf(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let (bytes, name) = match original(&state, id.clone()).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if !crate::ingest::pdf::has_pdf_header(&bytes) {
        return ApiError::not_found(
            "this document is not a PDF",
            format!("download it from /doc/{id}/file"),
        )
        .into_response();
    }
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // The browser's PDF viewer is an embedded object: `object-src` must let it
    // load, so the pages' `default-src 'none'` is not sent here. Served as
    // application/pdf with nosniff, the bytes are never read as a page.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PDF_CSP),
    );
    resp
}

/// The policy of a PDF shown inline: its viewer may load, nothing may frame it.
pub const PDF_CSP: &str =
    "object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /doc/{id}/file`: the original file, only for a document in the index.
pub async fn file(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let (bytes, name) = match original(&state, id).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let pdf = bytes.starts_with(b"%PDF");
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if pdf {
            "application/pdf"
        } else {
            "application/octet-stream"
        }),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // A saved page must never run as this site.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    resp
}

/// Anything else.
pub async fn not_found() -> Response {
    let e = ApiError::not_found("no such page", "start from the search page");
    page_with_error(&Params::default(), e).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidebar_counts_go_down() {
        let row = |value: &str, passages, documents| FacetRow {
            value: value.into(),
            passages,
            documents,
        };
        let mut rows = vec![
            row("a", 18, 2),
            row("b", 4, 4),
            row("c", 9, 4),
            row("d", 3, 4),
        ];
        most_documents_first(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(order, ["c", "b", "d", "a"]);
    }
}
