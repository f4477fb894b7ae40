//! The fuzz targets in CI: every input saved under `tests/fuzz_regressions/
//! <target>/` (crashes found by `cargo fuzz`, kept as regression tests), then
//! a few hundred mutated and random inputs per target.

use crate::common;
#[path = "../common/fuzz_targets.rs"]
mod fuzz_targets;

use fuzz_targets::TARGETS;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// Run a target on a worker with a large stack, as ingest does.
fn run(target: fn(&[u8]), data: Vec<u8>) {
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || target(&data))
        .expect("spawn")
        .join()
        .expect("target panicked");
}

#[test]
fn saved_fuzz_findings_stay_fixed() {
    let root = common::root().join("tests").join("fuzz_regressions");
    let mut ran = 0;
    for (name, target) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).expect("read finding");
            eprintln!("{name}: {}", entry.path().display());
            run(*target, data);
            ran += 1;
        }
    }
    assert!(ran > 0, "no saved findings under {}", root.display());
}

/// Seed inputs per target: the bundled corpus and a few hand-made shapes.
fn seeds(name: &str) -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(common::corpus())
        .map(|d| {
            d.flatten()
                .filter_map(|e| std::fs::read(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    match name {
        "pdf_path" => {
            seeds = vec![
                common::simple_pdf("Leaders provide management oversight of social work."),
                common::pdf_from_objects(
                    &[
                        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>".to_vec(),
                        common::pdf_stream("", b"/X Do"),
                        common::pdf_stream("/Subtype /Form /Resources << /XObject << /X 5 0 R >> >>", b"/X Do"),
                    ],
                    "",
                ),
            ];
        }
        "html_cleaner" => seeds.push(
            b"<!DOCTYPE html><html><head><title>T</title><meta property=\"og:title\" content=\"x\">\
              </head><body><article><h1>T</h1><p>Text &amp; more</p><ul><li>a</li></ul>\
              <table><tr><td>c</td></tr></table></article></body></html>"
                .to_vec(),
        ),
        "query_parser" => seeds = vec![
            b"\"management oversight\"~3 (a OR b) -c NOT d supervis* authority:\"South Glos\" date:[2019 TO 2021]".to_vec(),
        ],
        _ => {}
    }
    seeds
}

/// A seed with random edits: overwrite, insert, delete, truncate, repeat.
fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((0u8..5, any::<usize>(), any::<u8>(), 1usize..64), 0..12);
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..2048),
        4 => (prop::sample::select(seeds), edits).prop_map(|(mut s, edits)| {
            for (op, at, byte, n) in edits {
                let at = if s.is_empty() { 0 } else { at % s.len() };
                match op {
                    0 if !s.is_empty() => s[at] = byte,
                    1 => s.insert(at, byte),
                    2 if !s.is_empty() => {
                        let end = (at + n).min(s.len());
                        s.drain(at..end);
                    }
                    3 => s.truncate(at),
                    _ => {
                        let end = (at + n).min(s.len());
                        let piece = s[at..end].to_vec();
                        for _ in 0..n {
                            s.splice(at..at, piece.iter().copied());
                        }
                    }
                }
            }
            s
        }),
    ]
}

#[test]
fn targets_survive_mutated_and_random_inputs() {
    for (name, target) in TARGETS {
        let cases = if *name == "pdf_path" { 200 } else { 300 };
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            rng_seed: seed(),
            ..Config::default()
        });
        runner
            .run(&mutated(seeds(name)), |data| {
                run(*target, data);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// A fixed seed, so CI explores the same cases every run (a red run must mean
/// a regression); set `PROPTEST_RNG_SEED` to explore others.
fn seed() -> RngSeed {
    match Config::default().rng_seed {
        RngSeed::Random => RngSeed::Fixed(20261124),
        fixed => fixed,
    }
}
