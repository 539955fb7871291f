//! The docs stay true: docs/cli.md shows the real `--help`, `.env.example` lists every environment
//! variable the program reads, the README stays a short guide, and every link between the docs
//! leads to a file that exists.

use std::path::{Path, PathBuf};

use tiktok_review::config::Var;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

#[test]
fn the_cli_reference_shows_the_current_run_help() {
    let help = help(&["run", "--help"]);
    let reference = read("docs/cli.md");
    let block = reference
        .split("<!-- run-help:start -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n<!-- run-help:end -->").next())
        .expect("docs/cli.md has a run-help block");
    assert_eq!(
        block, help,
        "run `python3 scripts/sync_help.py` to update docs/cli.md from `tiktok-review run --help`"
    );
}

#[test]
fn env_example_lists_every_variable_the_program_reads() {
    let read_by_code: Vec<&str> = Var::all().iter().map(|var| var.name()).collect();
    assert!(read_by_code.contains(&"SCAVIO_API_KEY") && read_by_code.contains(&"TIKTOK_USERNAME"));
    let example = read(".env.example");
    let reference = read("docs/cli.md");
    let run_help = help(&["run", "--help"]);
    for name in &read_by_code {
        assert!(
            example.contains(&format!("{name}=")),
            "{name} missing from .env.example"
        );
        assert!(
            reference.contains(&format!("`{name}`")),
            "{name} missing from docs/cli.md"
        );
        assert!(run_help.contains(name), "{name} missing from run --help");
    }
}

/// The README is the creator's guide: short enough to read top to bottom, its first two commands
/// the demo and the tests; the reference lives in docs/.
#[test]
fn the_readme_is_a_short_guide_that_starts_with_the_demo_and_the_tests() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 250,
        "README.md has {lines} lines; move reference text to docs/"
    );
    let commands: Vec<&str> = readme
        .split("```sh\n")
        .nth(1)
        .expect("a sh block")
        .lines()
        .take(2)
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .collect();
    assert_eq!(commands, ["cargo run --example demo", "cargo test"]);
}

/// Every relative link of the README and docs/ leads to a file of the repository.
#[test]
fn every_link_between_the_docs_leads_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for target in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            if target.contains("://") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap_or(target);
            let path = page.parent().unwrap().join(file);
            assert!(
                path.exists(),
                "{} links to {target}, which does not exist",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} links checked");
}

/// `Var` lists what the program reads only if nothing else reads the environment: `config/env.rs`
/// is the one file that does, and no file writes to it.
#[test]
fn only_the_config_reads_the_environment_and_nothing_writes_it() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let reader = file.ends_with("src/config/env.rs");
        for call in [
            "env::var(",
            "env::var_os(",
            "env::vars(",
            "env::vars_os(",
            "dotenvy::",
        ] {
            assert!(
                reader || !text.contains(call),
                "{} reads the environment ({call}): go through config::Env",
                file.display()
            );
        }
        for call in [
            "set_var(",
            "remove_var(",
            "dotenvy::dotenv",
            "dotenvy::from_path",
            "dotenvy::from_read(",
        ] {
            assert!(
                !text.contains(call),
                "{} writes the environment ({call})",
                file.display()
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The binary's output for `args`, with an empty environment.
fn help(args: &[&str]) -> String {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .args(args)
        .env_clear()
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}
