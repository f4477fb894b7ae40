//! A panic — in ofsearch or inside a dependency reading a damaged index — is
//! one line on stderr and exit status 2, never a backtrace (unless
//! `RUST_BACKTRACE` asks for one).

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock};

/// The first panic's message: a panic on a worker thread reaches the
/// command's thread as "a scoped thread panicked", which says nothing.
static FIRST: Mutex<Option<String>> = Mutex::new(None);

/// Keep panics quiet unless `RUST_BACKTRACE` is set (then the standard
/// report follows): [`catch`] says what happened in one line. Installed once
/// per process.
pub fn install_hook() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let loud = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
        let standard = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Ok(mut first) = FIRST.lock() {
                first.get_or_insert_with(|| message(info.payload()));
            }
            if loud {
                standard(info);
            }
        }));
    });
}

/// Run `work`; a panic becomes `Err` with its message (the first panic's,
/// when a worker thread's panic reached this one).
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        FIRST
            .lock()
            .ok()
            .and_then(|mut first| first.take())
            .unwrap_or_else(|| message(payload.as_ref()))
    })
}

/// A panic's message, when it carries one.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "no message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        // (No `install_hook` here: it would silence every other test's failures.)
        assert_eq!(catch(|| 7), Ok(7));
        let slice: &[u8] = &[1, 2];
        let at = slice.len() + 3;
        let err = catch(|| slice[at]).unwrap_err();
        assert!(err.contains("out of bounds"), "{err}");
        let err = catch(|| panic!("{}", String::from("owned"))).unwrap_err();
        assert_eq!(err, "owned");
    }
}
