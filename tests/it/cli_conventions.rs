//! Terminal conventions: colour only when asked or on a terminal, NO_COLOR,
//! quiet broken pipes, completions and the man page.

use crate::common;

use common::{ofsearch, seed_index};

#[test]
fn colour_only_when_asked() {
    let index = seed_index();
    let plain = ofsearch(index.path())
        .args(["search", "oversight"])
        .output()
        .unwrap();
    assert!(!plain.stdout.contains(&0x1b), "no escapes when piped");
    let always = ofsearch(index.path())
        .args(["search", "oversight", "--color", "always"])
        .output()
        .unwrap();
    assert!(always.stdout.contains(&0x1b));
    let never = ofsearch(index.path())
        .args(["search", "oversight", "--color", "auto"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!never.stdout.contains(&0x1b));
}

#[test]
fn broken_pipe_exits_quietly() {
    let index = seed_index();
    let bin = assert_cmd::cargo::cargo_bin("ofsearch");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' search children --all | head -1; exit ${{PIPESTATUS:-0}}",
            bin.display()
        ))
        .env("OFSEARCH_INDEX", index.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = ofsearch(std::path::Path::new("unused"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            script.contains("ofsearch") && script.contains("mentions"),
            "{shell}"
        );
    }
    let man = ofsearch(std::path::Path::new("unused"))
        .arg("man")
        .output()
        .unwrap();
    assert!(man.status.success());
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH ofsearch"));
}

/// Each subcommand's help and man entry open with the description written on
/// the subcommand (its arguments are built late, and their struct must not
/// replace it), and its completions still offer the global options.
#[test]
fn subcommands_keep_their_descriptions() {
    let run = |args: &[&str]| {
        let out = ofsearch(std::path::Path::new("unused"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for (cmd, about) in [
        ("search", "Search passages, ranked"),
        ("ingest", "Index files and folders"),
        ("serve", "Serve a search page"),
    ] {
        let help = run(&[cmd, "--help"]);
        assert!(help.starts_with(about), "{cmd}: {help}");
        assert!(help.contains("--index"), "{cmd}: global options listed");
    }
    let man = run(&["man"]);
    assert!(!man.contains("Arguments of"), "{man}");
    assert!(man.contains("Search passages, ranked"));
    let bash = run(&["completions", "bash"]);
    let search = bash
        .lines()
        .find(|l| l.contains("opts=") && l.contains("--limit"))
        .unwrap_or_default();
    assert!(
        search.contains("--index") && search.contains("--color"),
        "{search}"
    );
}

#[test]
fn search_help_summarises_the_query_language() {
    let out = ofsearch(std::path::Path::new("unused"))
        .args(["search", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for piece in [
        "\"management oversight\"~3",
        "supervis*",
        "authority:",
        "date:[2019 TO 2021]",
    ] {
        assert!(help.contains(piece), "{piece}");
    }
}
