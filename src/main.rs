//! The `ofsearch` binary: parse arguments, run, exit with the status.

use clap::Parser;

fn main() {
    let cli = ofsearch::cli::Cli::parse();
    std::process::exit(ofsearch::cli::run(cli));
}
