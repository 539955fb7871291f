//! The docs stay true: the README shows the real `--help`, and `.env.example` lists every
//! environment variable the program reads.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// Every `NAME` in `open NAME close` patterns of `text`.
fn names(text: &str, open: &str, close: char) -> BTreeSet<String> {
    text.split(open)
        .skip(1)
        .filter_map(|rest| rest.split(close).next())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

#[test]
fn readme_shows_the_current_run_help() {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .args(["run", "--help"])
        .env_clear()
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
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
    let mut read_by_code = names(&read("src/cli.rs"), "env = \"", '"');
    read_by_code.extend(names(&read("src/config.rs"), "env(\"", '"'));
    assert!(read_by_code.contains("SCAVIO_API_KEY") && read_by_code.contains("TIKTOK_USERNAME"));
    let example = read(".env.example");
    let readme = read("README.md");
    for name in &read_by_code {
        assert!(
            example.contains(&format!("{name}=")),
            "{name} missing from .env.example"
        );
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} missing from the README"
        );
    }
}
