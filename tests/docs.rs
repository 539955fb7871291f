//! The docs stay true: the README shows the real `--help`, and `.env.example` lists every
//! environment variable the program reads.

use std::path::{Path, PathBuf};

use tiktok_review::config::Var;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

#[test]
fn readme_shows_the_current_run_help() {
    let help = help(&["run", "--help"]);
    let readme = read("README.md");
    let block = readme
        .split("<!-- run-help:start -->\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n<!-- run-help:end -->").next())
        .expect("README has a run-help block");
    assert_eq!(
        block, help,
        "update the README's run-help block from `tiktok-review run --help`"
    );
}

#[test]
fn env_example_lists_every_variable_the_program_reads() {
    let read_by_code: Vec<&str> = Var::all().iter().map(|var| var.name()).collect();
    assert!(read_by_code.contains(&"SCAVIO_API_KEY") && read_by_code.contains(&"TIKTOK_USERNAME"));
    let example = read(".env.example");
    let readme = read("README.md");
    let run_help = help(&["run", "--help"]);
    for name in &read_by_code {
        assert!(
            example.contains(&format!("{name}=")),
            "{name} missing from .env.example"
        );
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} missing from the README"
        );
        assert!(run_help.contains(name), "{name} missing from run --help");
    }
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
