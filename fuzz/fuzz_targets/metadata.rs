//! cargo fuzz target `metadata`; the body lives in tests/common/fuzz_targets.rs so
//! that CI runs it too (tests/it/reliability_fuzz.rs).
#![no_main]

#[path = "../../tests/common/fuzz_targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::metadata(data));
