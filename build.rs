//! Link the `ofsearch` binary as a fixed-address (non-PIE) executable on
//! Linux with the GNU toolchain.
//!
//! A position-independent executable of this size carries ~58 000 relocations
//! that the dynamic loader applies, page by page, at every start: 0.6 ms of a
//! 1.8 ms `ofsearch --version`, paid again by every scripted query. A fixed
//! address has none. Only the binary is linked this way (tests and benches
//! keep the defaults); the cost is that the executable's own code is not
//! placed at a random address (libraries, heap and stack still are).

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
