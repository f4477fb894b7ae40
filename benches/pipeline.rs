//! Criterion micro-benchmarks: cleaners, passage splitting, metadata
//! extraction, query + snippet. `cargo bench --bench pipeline`.
//!
//! Inputs: one real report when `../shared/corpus/ofsted-reports` is present
//! (PDF cleaner, text cleaner over its extracted text), otherwise, and always
//! for HTML and the query bench, built-in text shaped like a report.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use ofsearch::index;
use ofsearch::ingest::{self, metadata, passages, pdf, report_meta, text};
use ofsearch::pipeline::{self, IngestOptions};
use ofsearch::query::{self, MatchOptions, SearchRequest};

const REPORTS: &str = "../shared/corpus/ofsted-reports";

const PARAGRAPHS: &[&str] = &[
    "Children in Kingston upon Thames receive good services. Leaders have a clear understanding of the strengths and areas for development, and management oversight of casework is regular and purposeful.",
    "What needs to improve?",
    "The quality and consistency of management oversight and supervision, so that plans for children progress without delay.",
    "Social workers know their children well. They visit regularly and see children alone, and their direct work is creative and helps children to understand their histories.",
    "The local authority’s multi-agency safeguarding hub responds promptly to contacts and referrals. Thresholds are well understood by partner agencies, and decisions are timely and proportionate.",
    "Care leavers are supported by personal advisers who are persistent and keep in touch. Most care leavers live in suitable accommodation and many are in education, employment or training.",
    "Inspectors found that independent reviewing officers do not consistently challenge drift, and the footprint of their oversight on children's records is variable.",
];

fn synthetic_report(repeat: usize) -> String {
    let mut s = String::from(
        "Inspection of Kingston upon Thames children’s services\n\nInspection dates: 12 to 16 June 2023\n\nLead inspector: Jane Smith, Her Majesty’s Inspector\n\n",
    );
    for i in 0..repeat {
        for p in PARAGRAPHS {
            s.push_str(p);
            s.push_str(if i % 3 == 0 { " " } else { "\n\n" });
        }
        s.push_str("\n\n");
    }
    s
}

fn first_report() -> Option<PathBuf> {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(REPORTS)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs.into_iter().next()
}

fn cleaners(c: &mut Criterion) {
    let mut g = c.benchmark_group("clean");
    let synthetic = synthetic_report(20);
    g.throughput(Throughput::Bytes(synthetic.len() as u64));
    g.bench_function("text/synthetic", |b| {
        b.iter(|| text::clean(black_box(&synthetic)))
    });
    let html = format!(
        "<html><head><title>Council services rated good</title></head><body><nav>Home Menu</nav><article><h1>Council services rated good</h1>{}</article><footer>© 2024 Gazette</footer></body></html>",
        PARAGRAPHS
            .iter()
            .cycle()
            .take(60)
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>()
    );
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("html/synthetic", |b| {
        b.iter(|| ingest::html::extract_str(black_box(&html)))
    });
    if let Some(path) = first_report() {
        if let Ok(bytes) = std::fs::read(&path) {
            if let Ok(raw) = pdf::extract_text(&bytes) {
                g.throughput(Throughput::Bytes(raw.len() as u64));
                g.bench_function("pdf/report", |b| b.iter(|| pdf::clean(black_box(&raw))));
                g.throughput(Throughput::Bytes(bytes.len() as u64));
                g.sample_size(10);
                g.bench_function("pdf/extract_text", |b| {
                    b.iter(|| pdf::extract_text(black_box(&bytes)))
                });
            }
        }
    }
    g.finish();
}

/// The real news pages of the HTML benchmark, gunzipped; empty when ../shared is absent.
fn benchmark_pages() -> Vec<Vec<u8>> {
    use std::io::Read;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/html-articles/html");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping html pages: {} not found", dir.display());
        return Vec::new();
    };
    let mut pages = Vec::new();
    for entry in entries.flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .is_ok()
        {
            pages.push(out);
        }
    }
    pages
}

/// Pages per second of the HTML cleaner on one core (criterion reports elements/s).
fn html_pages(c: &mut Criterion) {
    let pages = benchmark_pages();
    if pages.is_empty() {
        return;
    }
    let mut g = c.benchmark_group("html-pages");
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.sample_size(10);
    g.bench_function("extract/102-benchmark-pages", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(ingest::html::extract(black_box(p)));
            }
        })
    });
    g.finish();
}

fn passage_split(c: &mut Criterion) {
    let cleaned = text::clean(&synthetic_report(20));
    c.bench_function("passages/synthetic", |b| {
        b.iter(|| passages::passages(black_box(&cleaned.blocks)))
    });
}

fn metadata_extraction(c: &mut Criterion) {
    let synthetic = synthetic_report(20);
    let extracted = match ingest::extract(synthetic.as_bytes(), Some("txt")) {
        Ok(e) => e,
        Err(e) => panic!("synthetic report does not extract: {e}"),
    };
    let passages = passages::passages(&extracted.blocks);
    c.bench_function("metadata/document_meta", |b| {
        b.iter(|| metadata::document_meta("bench.txt", "hash", black_box(&extracted), &passages))
    });
    c.bench_function("metadata/report_meta", |b| {
        b.iter(|| report_meta::extract(black_box(&extracted.full_text)))
    });
}

fn query_snippet(c: &mut Criterion) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temp dir: {e}"),
    };
    let corpus = dir.path().join("corpus");
    let idx = dir.path().join("index");
    if let Err(e) = std::fs::create_dir_all(&corpus) {
        panic!("cannot create {}: {e}", corpus.display());
    }
    for i in 0..200 {
        let body = synthetic_report(1 + i % 5).replace("Kingston upon Thames", "Leeds");
        if let Err(e) = std::fs::write(corpus.join(format!("r{i:04}.txt")), body) {
            panic!("cannot write corpus: {e}");
        }
    }
    let options = IngestOptions {
        first_indexed: Default::default(),
        paths: vec![corpus],
        prune: true,
        memory_budget: 50 * 1024 * 1024,
        progress: false,
    };
    if let Err(e) = pipeline::ingest_into(&idx, &options, |_| {}) {
        panic!("bench index: {e}");
    }
    let handle = match index::open(Path::new(&idx)) {
        Ok(h) => h,
        Err(e) => panic!("open bench index: {e}"),
    };
    let reader = match index::Reader::open(&handle) {
        Ok(r) => r,
        Err(e) => panic!("reader: {e}"),
    };
    let request = |q: &str, limit: Option<usize>| SearchRequest {
        query: q.to_string(),
        filters: Vec::new(),
        options: MatchOptions::default(),
        limit,
        detail: Default::default(),
        explain: false,
    };
    let mut g = c.benchmark_group("query");
    let top = request("\"management oversight\"", Some(10));
    g.bench_function("phrase/top10", |b| {
        b.iter(|| query::search(&reader, black_box(&top)).map(|f| f.hits.len()))
    });
    let all = request("\"management oversight\"", None);
    g.bench_function("phrase/all", |b| {
        b.iter(|| query::search(&reader, black_box(&all)).map(|f| f.hits.len()))
    });
    let words = request("supervision drift", Some(10));
    g.bench_function("words/top10", |b| {
        b.iter(|| query::search(&reader, black_box(&words)).map(|f| f.hits.len()))
    });
    g.finish();
    let spans = vec![(40usize, 60usize)];
    let text = PARAGRAPHS[0];
    c.bench_function("snippet", |b| {
        b.iter(|| query::highlight::snippet(black_box(text), black_box(&spans)))
    });
}

criterion_group!(
    benches,
    html_pages,
    cleaners,
    passage_split,
    metadata_extraction,
    query_snippet
);
criterion_main!(benches);
