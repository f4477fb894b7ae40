//! Per-file guards: a deadline and a big stack for extraction, and limits that
//! refuse inputs whose cost is out of proportion to their size (decompression
//! bombs in PDFs, self-referencing PDF forms).
//!
//! Extraction of one file runs on its own worker thread. When it does not
//! finish within the file timeout the caller gets [`IngestError::TimedOut`] and
//! the run goes on; the worker cannot be killed, so it is left to finish (or to
//! end with the process) and its result is dropped.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::IngestError;

/// Default time one file may take to extract.
pub const DEFAULT_FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// Stack of an extraction worker. Only the pages touched are backed by memory,
/// so a large reservation costs nothing for ordinary files and lets deeply
/// nested (but finite) structures finish instead of aborting the process.
pub const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Largest size any one PDF stream may inflate to.
pub const MAX_PDF_STREAM_INFLATED: u64 = 256 * 1024 * 1024;

/// Largest total size all of a PDF's streams may inflate to.
pub const MAX_PDF_TOTAL_INFLATED: u64 = 1024 * 1024 * 1024;

/// Deepest chain of form XObjects (`Do` inside a form) followed.
pub const MAX_FORM_DEPTH: usize = 32;

/// Process-wide file timeout in milliseconds (0 = no limit).
static FILE_TIMEOUT_MS: AtomicU64 = AtomicU64::new(60_000);

/// Set the time one file may take to extract (`None`: no limit).
pub fn set_file_timeout(timeout: Option<Duration>) {
    let ms = timeout.map_or(0, |t| (t.as_millis() as u64).max(1));
    FILE_TIMEOUT_MS.store(ms, Ordering::Relaxed);
}

/// The time one file may take to extract (`None`: no limit).
pub fn file_timeout() -> Option<Duration> {
    match FILE_TIMEOUT_MS.load(Ordering::Relaxed) {
        0 => None,
        ms => Some(Duration::from_millis(ms)),
    }
}

/// Show a duration as seconds, e.g. `60s` or `0.5s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s}s")
    }
}

/// Run `f` on a worker thread with a big stack; give up waiting after `timeout`.
pub fn run<T: Send + 'static>(
    timeout: Option<Duration>,
    f: impl FnOnce() -> Result<T, IngestError> + Send + 'static,
) -> Result<T, IngestError> {
    quiet_worker_panics();
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name(WORKER_NAME.into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
                .unwrap_or_else(|payload| Err(IngestError::Panicked(panic_message(&*payload))));
            // The receiver is gone when the caller gave up: nothing to do.
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(IngestError::Corrupt(format!(
            "cannot start an extraction thread: {e}"
        )));
    }
    let received = match timeout {
        Some(t) => rx.recv_timeout(t).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => IngestError::TimedOut(seconds(t)),
            mpsc::RecvTimeoutError::Disconnected => {
                IngestError::Panicked("extraction thread ended without a result".into())
            }
        }),
        None => rx
            .recv()
            .map_err(|_| IngestError::Panicked("extraction thread ended without a result".into())),
    };
    received?
}

/// Name of extraction worker threads.
const WORKER_NAME: &str = "ofsearch-extract";

/// Panics in extraction workers become one-line per-file errors; keep the
/// default hook's multi-line report for every other thread.
fn quiet_worker_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(WORKER_NAME) {
                previous(info);
            }
        }));
    });
}

/// The message of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Deflate cannot expand data more than 1032 times (a 258-byte match in two
/// bits); a little is added for block headers.
const MAX_DEFLATE_RATIO: u64 = 1040;

/// Refuse a PDF whose Flate streams inflate beyond [`MAX_PDF_STREAM_INFLATED`]
/// each or [`MAX_PDF_TOTAL_INFLATED`] together, before any PDF library sees it.
pub fn check_pdf_inflation(bytes: &[u8]) -> Result<(), IngestError> {
    // Most files are too small to reach the limits whatever their streams
    // hold: proving that costs a scan, where measuring inflates every stream.
    if bounded_by_size(bytes) {
        return Ok(());
    }
    measure_inflation(bytes)
}

/// The offset just past the next `stream` keyword (not `endstream`) at or after `from`.
fn next_stream(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memmem::find(bytes.get(from..)?, b"stream")?;
        from = at + b"stream".len();
        if at < 3 || bytes.get(at - 3..at) != Some(b"end") {
            return Some(from);
        }
    }
}

/// True when no stream can inflate past the per-stream limit and all of them
/// together cannot pass the total one, judged from their compressed sizes.
fn bounded_by_size(bytes: &[u8]) -> bool {
    let finder = memchr::memmem::Finder::new(b"endstream");
    let mut total = 0u64;
    let mut pos = 0usize;
    while let Some(after) = next_stream(bytes, pos) {
        pos = after;
        // Without an end marker the stream runs to the end of the file.
        let rest = bytes.get(pos..).unwrap_or(&[]);
        let len = finder.find(rest).unwrap_or(rest.len()) as u64;
        let bound = len.saturating_mul(MAX_DEFLATE_RATIO);
        if bound > MAX_PDF_STREAM_INFLATED {
            return false;
        }
        total = total.saturating_add(bound);
        if total > MAX_PDF_TOTAL_INFLATED {
            return false;
        }
    }
    true
}

/// Inflate every zlib stream (into nothing) to measure what it expands to.
fn measure_inflation(bytes: &[u8]) -> Result<(), IngestError> {
    let mut total = 0u64;
    let mut pos = 0usize;
    while let Some(after) = next_stream(bytes, pos) {
        pos = after;
        let mut data_start = pos;
        if bytes.get(data_start) == Some(&b'\r') {
            data_start += 1;
        }
        if bytes.get(data_start) == Some(&b'\n') {
            data_start += 1;
        }
        let data = bytes.get(data_start..).unwrap_or(&[]);
        // Only zlib data is inflated here; a zlib header has a checksum, so
        // random bytes after `stream` are rejected at once.
        if !looks_like_zlib(data) {
            continue;
        }
        let mut decoder = flate2::read::ZlibDecoder::new(data);
        let mut sink = std::io::sink();
        let inflated = std::io::copy(
            &mut (&mut decoder).take(MAX_PDF_STREAM_INFLATED + 1),
            &mut sink,
        )
        .unwrap_or(0);
        if inflated > MAX_PDF_STREAM_INFLATED {
            return Err(IngestError::TooLargeInflated(MAX_PDF_STREAM_INFLATED));
        }
        total += inflated;
        if total > MAX_PDF_TOTAL_INFLATED {
            return Err(IngestError::TooLargeInflated(MAX_PDF_TOTAL_INFLATED));
        }
        pos = data_start + (decoder.total_in() as usize).max(1);
    }
    Ok(())
}

fn looks_like_zlib(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)).is_multiple_of(31)
        }
        _ => false,
    }
}

/// Refuse a loaded PDF whose structure would send the extractor round a loop:
/// a page whose `/Parent` chain cycles, or form XObjects that draw
/// themselves (directly or through others), nested more than
/// [`MAX_FORM_DEPTH`] deep. Mirrors how pdf-extract walks the document.
pub fn check_pdf_structure(doc: &pdf_extract::Document) -> Result<(), String> {
    let mut budget = 100_000usize;
    for page_id in doc.get_pages().into_values() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let resources = inherited_dict(doc, page, b"Resources")?;
        let _ = inherited_dict(doc, page, b"MediaBox")?;
        // Only form XObjects can draw other content: a page without any is
        // safe without decoding its content stream (the extractor decodes it
        // anyway; decoding it twice cost a third of the ingest time).
        if !has_forms(doc, resources) {
            continue;
        }
        let Ok(content) = doc.get_page_content(page_id) else {
            continue;
        };
        check_forms(doc, &content, resources, 0, &mut budget)?;
    }
    Ok(())
}

fn deref<'a>(
    doc: &'a pdf_extract::Document,
    o: &'a pdf_extract::Object,
) -> Option<&'a pdf_extract::Object> {
    match o {
        pdf_extract::Object::Reference(r) => doc.get_object(*r).ok(),
        _ => Some(o),
    }
}

/// The dictionary under `key` in `dict` or its `/Parent` chain (a cycle is an error).
fn inherited_dict<'a>(
    doc: &'a pdf_extract::Document,
    mut dict: &'a pdf_extract::Dictionary,
    key: &[u8],
) -> Result<Option<&'a pdf_extract::Dictionary>, String> {
    let mut seen = std::collections::HashSet::new();
    loop {
        if let Ok(o) = dict.get(key) {
            return Ok(deref(doc, o).and_then(|o| o.as_dict().ok()));
        }
        let Ok(parent) = dict.get(b"Parent").and_then(|p| p.as_reference()) else {
            return Ok(None);
        };
        if !seen.insert(parent) {
            return Err("the page tree has a /Parent reference cycle".into());
        }
        match doc.get_dictionary(parent) {
            Ok(d) => dict = d,
            Err(_) => return Ok(None),
        }
    }
}

/// Does this resource dictionary name any form XObject?
fn has_forms(doc: &pdf_extract::Document, resources: Option<&pdf_extract::Dictionary>) -> bool {
    let Some(xobjects) = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    else {
        return false;
    };
    xobjects.iter().any(|(_, o)| {
        deref(doc, o)
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.dict.get(b"Subtype").ok())
            .and_then(|t| t.as_name().ok())
            .is_some_and(|t| t == b"Form")
    })
}

fn check_forms(
    doc: &pdf_extract::Document,
    content: &[u8],
    resources: Option<&pdf_extract::Dictionary>,
    depth: usize,
    budget: &mut usize,
) -> Result<(), String> {
    if depth > 0 && !has_forms(doc, resources) {
        return Ok(());
    }
    let Ok(ops) = pdf_extract::content::Content::decode(content) else {
        return Ok(());
    };
    for op in ops.operations.iter().filter(|op| op.operator == "Do") {
        let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
            continue;
        };
        let Some(xobjects) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
        else {
            continue;
        };
        let Some(stream) = xobjects
            .get(name)
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_stream().ok())
        else {
            continue;
        };
        if depth >= MAX_FORM_DEPTH {
            return Err(format!(
                "form XObjects nested more than {MAX_FORM_DEPTH} deep (a reference cycle?)"
            ));
        }
        *budget = budget.saturating_sub(1);
        if *budget == 0 {
            return Err("too many form XObjects drawn".into());
        }
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .or(resources);
        let data = if stream.filters().is_ok() {
            stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone())
        } else {
            stream.content.clone()
        };
        check_forms(doc, &data, inner, depth + 1, budget)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_reports_the_limit() {
        let r: Result<(), _> = run(Some(Duration::from_millis(20)), || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(())
        });
        assert!(
            matches!(r, Err(IngestError::TimedOut(ref s)) if s == "0.02s"),
            "{r:?}"
        );
        assert_eq!(run(None, || Ok(7)).ok(), Some(7));
    }

    #[test]
    fn panics_become_errors() {
        let r: Result<(), _> = run(None, || panic!("boom"));
        assert!(matches!(r, Err(IngestError::Panicked(ref m)) if m == "boom"));
    }

    #[test]
    fn deep_recursion_fits_the_worker_stack() {
        fn depth(n: u64) -> u64 {
            let pad = std::hint::black_box([0u8; 256]);
            if n == 0 {
                u64::from(pad[0])
            } else {
                1 + depth(n - 1) + u64::from(pad[1])
            }
        }
        // ~100,000 frames of >256 bytes: far beyond a default 2-8 MB stack.
        assert_eq!(run(None, || Ok(depth(100_000))).ok(), Some(100_000));
    }

    #[test]
    fn inflation_bomb_is_refused() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            enc.write_all(&zeros).unwrap();
        }
        let z = enc.finish().unwrap();
        let mut pdf = b"%PDF-1.4\n1 0 obj <</Length 9>> stream\n".to_vec();
        pdf.extend_from_slice(&z);
        pdf.extend_from_slice(b"\nendstream endobj\n");
        assert!(matches!(
            check_pdf_inflation(&pdf),
            Err(IngestError::TooLargeInflated(_))
        ));
        let small = b"%PDF-1.4\n1 0 obj <<>> stream\nBT ET\nendstream endobj\n";
        assert!(check_pdf_inflation(small).is_ok());
        // Small files pass on their size alone; a big stream must be measured.
        assert!(bounded_by_size(small));
        assert!(!bounded_by_size(&pdf));
    }
}
