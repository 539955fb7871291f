//! The readable outputs: Markdown and HTML beside the JSON, `--dry-run --format md`, the `history`
//! table, the `cron` entry and shell completions. Snapshots (insta) pin the text a person reads.

mod common;

use common::*;

/// Two weekly runs (to Nov 8 and Nov 15) with times in Berlin; returns the env.
async fn two_weeks(extra: &[&str]) -> TestEnv {
    let env = TestEnv::new().await;
    let args = [&["--tz", "Europe/Berlin"], extra].concat();
    env.with_last_week(&args).await;
    env.run(AS_OF, &[&["-q"], args.as_slice()].concat())
        .assert()
        .success();
    env
}

fn read(env: &TestEnv, name: &str) -> String {
    std::fs::read_to_string(env.user_dir().join(name)).unwrap()
}

#[tokio::test]
async fn markdown_report_reads_as_expected() {
    let env = two_weeks(&[]).await;
    insta::assert_snapshot!(
        "markdown_week_to_2026_11_15",
        read(&env, "report_2026-11-15.md")
    );
}

#[tokio::test]
async fn html_report_is_self_contained_with_charts() {
    let env = two_weeks(&[]).await;
    let html = read(&env, "report_2026-11-15.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("default-src 'none'"),
        "a CSP forbids any request"
    );
    for forbidden in [
        "<script",
        "src=\"http",
        "href=\"http://",
        "<link",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} in the page");
    }
    assert_eq!(
        html.matches("<svg").count(),
        5,
        "per-post chart, 3 trend charts, heatmap"
    );
    assert!(html.contains("Trend over 2 weeks"));
    assert!(html.contains("name=\"viewport\""));
}

/// The titles of a Markdown report's sections (`## …`) and tables (a `**…**` line over a table),
/// in order, as plain text.
fn markdown_titles(md: &str) -> Vec<String> {
    let lines: Vec<&str> = md.lines().collect();
    let mut titles = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(title) = line.strip_prefix("## ") {
            titles.push(title.to_string());
        } else if line.starts_with("**") && lines.get(i + 2).is_some_and(|l| l.starts_with('|')) {
            titles.push(line.replace("**", ""));
        }
    }
    titles
}

/// The text of an HTML report's `<h2>` and `<h3>` headings, in order, tags inside removed.
fn html_titles(html: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut rest = html;
    while let Some(start) = [rest.find("<h2>"), rest.find("<h3>")]
        .into_iter()
        .flatten()
        .min()
    {
        let end = rest[start..].find("</h").unwrap() + start;
        let mut text = String::new();
        let mut in_tag = false;
        for c in rest[start + 4..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        titles.push(text);
        rest = &rest[end..];
    }
    titles
}

#[tokio::test]
async fn markdown_and_html_carry_the_same_sections_in_the_same_order() {
    let env = two_weeks(&[]).await;
    let md = markdown_titles(&read(&env, "report_2026-11-15.md"));
    let html = html_titles(&read(&env, "report_2026-11-15.html"));
    assert_eq!(md, html);
    for title in [
        "Views and engagement per post",
        "Trend over 2 weeks",
        "By weekday",
        "Hashtags (most viewed)",
    ] {
        assert!(md.iter().any(|t| t == title), "{title:?} in {md:?}");
    }
    let page = read(&env, "report_2026-11-15.html");
    assert!(
        page.contains("<td class=\"text\">(none: 15.38% of posts)</td><td>2</td><td>21,900</td>"),
        "the untagged row"
    );
}

#[tokio::test]
async fn formats_choose_the_files_but_json_is_always_written() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q", "--formats", "md"])
        .assert()
        .success();
    assert_eq!(
        env.files(),
        [
            ".lock",
            ".sec_uid",
            "report_2026-11-15.json",
            "report_2026-11-15.md"
        ]
    );
}

#[tokio::test]
async fn dry_run_prints_markdown_when_asked_and_writes_nothing() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env
        .run(AS_OF, &["--dry-run", "--format", "md"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("# @examplecreator — week to 2026-11-15\n"),
        "{stdout}"
    );
    assert!(!env.dir.path().join("tiktok_reports").exists());
}

#[tokio::test]
async fn history_shows_one_row_a_week_in_every_format() {
    let env = two_weeks(&["--formats", "json"]).await;
    let history = |format: &str| {
        let output = env
            .bare_cmd()
            .args(["history", "--user", USER, "--format", format])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{stderr}");
        stdout
    };
    insta::assert_snapshot!("history_table", history("table"));
    insta::assert_snapshot!("history_csv", history("csv"));
    let rows: serde_json::Value = serde_json::from_str(&history("json")).unwrap();
    assert_eq!(rows[1]["followers_change"], 3667);
    assert_eq!(rows[1]["engagement_rate_change"], -0.64);
    assert_eq!(rows[0]["views_change"], serde_json::Value::Null);
}

#[tokio::test]
async fn history_of_an_account_without_reports_is_empty_with_a_warning() {
    let env = TestEnv::new().await;
    let output = env
        .bare_cmd()
        .args(["history", "--user", USER, "--format", "csv"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success());
    assert_eq!(stdout.lines().count(), 1, "just the header: {stdout}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: no saved reports of @examplecreator in tiktok_reports/examplecreator\n"
    );
}

#[test]
fn cron_prints_an_entry_with_absolute_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "SCAVIO_API_KEY=x\n").unwrap();
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .env_clear()
        .current_dir(dir.path())
        .args(["cron", "--user", "@ExampleCreator"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().last().unwrap();
    let binary = env!("CARGO_BIN_EXE_tiktok-review");
    let work = dir.path().canonicalize().unwrap();
    assert!(line.starts_with("0 20 * * 0 mkdir -p "), "{line}");
    assert!(
        line.contains(&format!(
            "&& {binary} run --user examplecreator --week-end sun@20:00 --env-file {}/.env",
            work.display()
        )),
        "{line}"
    );
    assert!(
        line.ends_with(&format!(
            ">> {}/tiktok_reports/tiktok-review.log 2>&1",
            work.display()
        )),
        "{line}"
    );
    assert!(text.contains("crontab -"), "explains how to install it");

    let bad = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .args(["cron", "--at", "every sunday"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(64));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(
            script.contains("tiktok-review") && script.contains("history"),
            "{shell}"
        );
    }
}
