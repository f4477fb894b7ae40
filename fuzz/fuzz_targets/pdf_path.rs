//! cargo fuzz target `pdf_path`; the body lives in tests/common/fuzz_targets.rs so
//! that CI runs it too (tests/it/reliability_fuzz.rs).
#![no_main]

#[path = "../../tests/common/fuzz_targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(
    init: {
        // pdf-extract panics on some damaged files; ingest catches those panics
        // (one failed file). libfuzzer-sys's hook would abort on them even when
        // caught; an uncaught panic still aborts through its catch_unwind.
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| targets::pdf_path(data)
);
