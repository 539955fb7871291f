//! The overview of a run over several accounts: one row per account from the saved reports (a
//! failed account with the line the run printed), totals, a self-contained HTML page linking each
//! account's report; `tiktok-review overview` rebuilds the same bytes from disk without a request.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const DATE: &str = "2026-11-15";
const GHOST_REASON: &str = "Scavio found nothing for the profile of @ghostuser (HTTP 404: User not found); check the handle";

fn reports(env: &TestEnv) -> PathBuf {
    env.dir.path().join("tiktok_reports")
}

/// The overview files of `DATE` (and any other entry of the reports folder that is not an
/// account's folder) with their bytes.
fn overview_files(env: &TestEnv) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(reports(env)) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        // The folder's lock (its overview has one writer at a time) is not an overview file.
        .filter(|p| !p.is_dir() && !p.ends_with(".lock"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn overview_json(env: &TestEnv) -> Value {
    let path = reports(env).join(format!("overview_{DATE}.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Answers the profile of @ghostuser with 404, `times` times.
async fn serve_ghost(env: &TestEnv, times: u64) {
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": "ghostuser" })))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "User not found"})))
        .expect(times)
        .named("profile of ghostuser")
        .mount(&env.server)
        .await;
}

/// `run` to `AS_OF` over `users` plus `extra` flags.
fn run_over(env: &TestEnv, users: &[&str], extra: &[&str]) -> std::process::Output {
    let mut cmd = env.cmd();
    cmd.args(["run", "--as-of", AS_OF, "--concurrency", "2"]);
    for user in users {
        cmd.args(["--user", user]);
    }
    cmd.args(extra).output().unwrap()
}

/// A run over @examplecreator, @ghostuser (404) and @secondcreator; returns the env.
async fn three_accounts_one_failing() -> TestEnv {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "examplecreator", 1, Duration::ZERO).await;
    serve_account_pages(&env, "secondcreator", 1, Duration::ZERO).await;
    serve_ghost(&env, 1).await;
    let output = run_over(
        &env,
        &["examplecreator", "ghostuser", "secondcreator"],
        &["-q"],
    );
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(67), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "tiktok-review: error: @ghostuser: {GHOST_REASON}\n\
             tiktok-review: error: 1 of 3 accounts has no report of the week ending \
             2026-11-15T20:00:00Z: run `tiktok-review run --user ghostuser --as-of \
             2026-11-15T20:00:00Z` to fill them\n"
        )
    );
    env.verify_and_reset().await;
    env
}

#[tokio::test]
async fn a_run_over_three_accounts_with_one_failing_writes_three_rows_with_the_failures_reason() {
    let env = three_accounts_one_failing().await;
    let files = overview_files(&env);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            "overview_2026-11-15.html",
            "overview_2026-11-15.json",
            "overview_2026-11-15.md"
        ]
    );
    for bytes in files.values() {
        assert!(
            !String::from_utf8_lossy(bytes).contains(KEY),
            "the key leaked"
        );
    }
    let overview = overview_json(&env);
    assert_eq!(overview["schema_version"], 1);
    assert_eq!(overview["date"], DATE);
    let rows = overview["rows"].as_array().unwrap();
    let handles: Vec<&str> = rows.iter().map(|r| r["handle"].as_str().unwrap()).collect();
    assert_eq!(
        handles,
        ["examplecreator", "secondcreator", "ghostuser"],
        "by views (a tie: by handle), the failed one last"
    );
    let report = env.report(DATE);
    let first = &rows[0];
    assert_eq!(first["status"], "ok");
    assert_eq!(first["reason"], Value::Null);
    assert_eq!(first["posts"], report["metrics"]["post_count"]);
    assert_eq!(first["views"], report["metrics"]["total_views"]);
    assert_eq!(first["median_views"], report["metrics"]["median_views"]);
    assert_eq!(
        first["engagement_rate"],
        report["metrics"]["engagement_rate"]
    );
    assert_eq!(first["followers"], report["account"]["followers"]);
    assert_eq!(first["best_post_url"], report["top_by_views"][0]["url"]);
    let breakouts = (report["posts"].as_array().unwrap().iter())
        .filter(|p| p["breakout"] == true)
        .count();
    assert_eq!(first["breakouts"], breakouts);
    assert_eq!(
        first["report_file"],
        "examplecreator/report_2026-11-15.html"
    );
    assert_eq!(
        (first["requests"].as_u64(), first["credits_used"].as_u64()),
        (Some(3), Some(3))
    );
    let ghost = &rows[2];
    assert_eq!(ghost["status"], "failed");
    assert_eq!(ghost["reason"], GHOST_REASON, "the line the run printed");
    assert_eq!(
        (ghost["views"].clone(), ghost["report_file"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        overview["totals"],
        json!({
            "accounts": 3, "ok": 2, "failed": 1,
            "posts": 14, "views": rows[0]["views"].as_u64().unwrap() * 2,
            "followers": report["account"]["followers"].as_u64().unwrap() * 2,
            "requests": 7, "credits_used": 6
        }),
        "the totals line of the run says the same: 7 requests, 6 credits used"
    );
    let md = String::from_utf8(files["overview_2026-11-15.md"].clone()).unwrap();
    assert!(md.starts_with("# Overview — week to 2026-11-15\n"), "{md}");
    assert!(
        md.contains(&format!(
            "| | @ghostuser | | | | | | | | failed: {GHOST_REASON} |"
        )),
        "{md}"
    );
}

#[tokio::test]
async fn the_overview_page_is_self_contained_and_links_each_accounts_report() {
    let env = three_accounts_one_failing().await;
    let page = String::from_utf8(overview_files(&env)["overview_2026-11-15.html"].clone()).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    ));
    for forbidden in [
        "<script",
        "src=\"http",
        "href=\"http://",
        "<link",
        "@import",
        "url(",
    ] {
        assert!(!page.contains(forbidden), "{forbidden} in the page");
    }
    assert!(page.contains("name=\"viewport\""));
    for account in ["examplecreator", "secondcreator"] {
        let link = format!("{account}/report_2026-11-15.html");
        assert!(
            page.contains(&format!("<a href=\"{link}\">@{account}</a>")),
            "{page}"
        );
        assert!(reports(&env).join(&link).is_file(), "{link} is there");
    }
    assert!(page.contains(&format!("failed: {GHOST_REASON}")));
    assert!(!page.contains("href=\"ghostuser/"), "no report to link");
}

#[tokio::test]
async fn overview_rebuilds_the_same_bytes_from_disk_without_a_request() {
    let env = three_accounts_one_failing().await;
    forbid_requests(&env).await;
    let written = overview_files(&env);
    std::fs::write(reports(&env).join("overview_2026-11-15.md"), "edited").unwrap();
    std::fs::remove_file(reports(&env).join("overview_2026-11-15.html")).unwrap();

    let output = env
        .bare_cmd()
        .args(["overview", "--date", DATE])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        "overview of 2026-11-15: 3 accounts, 1 failed; tiktok_reports/overview_2026-11-15.html\n"
    );
    assert_eq!(overview_files(&env), written, "the same bytes");

    // Without --date: the latest date of any report; the folder from the environment.
    std::fs::rename(reports(&env), env.dir.path().join("elsewhere")).unwrap();
    let output = env
        .bare_cmd()
        .env("TIKTOK_REVIEW_REPORTS_DIR", "elsewhere")
        .arg("overview")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.ends_with("elsewhere/overview_2026-11-15.html\n"),
        "{stdout}"
    );
    std::fs::rename(env.dir.path().join("elsewhere"), reports(&env)).unwrap();
    assert_eq!(overview_files(&env), written, "the same bytes");
    env.server.verify().await;
}

#[tokio::test]
async fn without_an_earlier_overview_the_rebuild_has_the_saved_reports_and_the_runs_time() {
    let env = three_accounts_one_failing().await;
    forbid_requests(&env).await;
    let before = overview_json(&env);
    for ext in ["json", "md", "html"] {
        std::fs::remove_file(reports(&env).join(format!("overview_{DATE}.{ext}"))).unwrap();
    }
    env.bare_cmd()
        .args(["overview", "--date", DATE])
        .assert()
        .success()
        .stderr("");
    let rebuilt = overview_json(&env);
    assert_eq!(rebuilt["generated_at"], before["generated_at"]);
    assert_eq!(
        rebuilt["rows"].as_array().unwrap().len(),
        2,
        "the failure was only in the overview"
    );
    assert_eq!(rebuilt["rows"][0], before["rows"][0]);
    assert_eq!(rebuilt["rows"][1], before["rows"][1]);
    env.server.verify().await;
}

#[tokio::test]
async fn a_report_saved_after_the_failure_replaces_its_row_in_the_rebuild() {
    let env = three_accounts_one_failing().await;
    serve_account_pages(&env, "ghostuser", 1, Duration::ZERO).await;
    env.cmd()
        .args(["run", "--as-of", AS_OF, "--user", "ghostuser", "-q"])
        .assert()
        .success()
        .stderr("");
    env.verify_and_reset().await;
    let before = overview_json(&env);
    assert_eq!(
        before["totals"]["failed"], 1,
        "a run of one account writes no overview"
    );

    forbid_requests(&env).await;
    env.bare_cmd()
        .args(["overview", "--date", DATE])
        .assert()
        .success()
        .stdout("overview of 2026-11-15: 3 accounts, 0 failed; tiktok_reports/overview_2026-11-15.html\n");
    let after = overview_json(&env);
    assert_eq!(after["generated_at"], before["generated_at"]);
    let statuses: Vec<&str> = (after["rows"].as_array().unwrap().iter())
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "ok", "ok"]);
    assert_eq!(
        after["totals"]["requests"], 9,
        "the failed try's request is gone with its row"
    );
    env.server.verify().await;
}

#[tokio::test]
async fn a_single_account_run_writes_no_overview() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    assert!(env.user_dir().join("report_2026-11-15.json").is_file());
    assert_eq!(overview_files(&env), BTreeMap::new());
}

#[tokio::test]
async fn a_dry_run_over_several_accounts_writes_no_overview() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "examplecreator", 1, Duration::ZERO).await;
    serve_account_pages(&env, "secondcreator", 1, Duration::ZERO).await;
    let output = run_over(
        &env,
        &["examplecreator", "secondcreator"],
        &["--dry-run", "--dry-run-format", "md"],
    );
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(!reports(&env).exists(), "nothing written at all");
}

#[tokio::test]
async fn a_run_whose_accounts_all_failed_writes_no_overview() {
    let env = TestEnv::new().await;
    serve_ghost(&env, 1).await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": "nobodyhere" })))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "User not found"})))
        .expect(1)
        .mount(&env.server)
        .await;
    let output = run_over(&env, &["ghostuser", "nobodyhere"], &["-q"]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(67), "{stderr}");
    assert_eq!(overview_files(&env), BTreeMap::new(), "{stderr}");
    assert!(!reports(&env).join("ghostuser").exists());
}

#[tokio::test]
async fn exits_73_when_the_overview_cannot_be_written_and_keeps_every_report() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "examplecreator", 1, Duration::ZERO).await;
    serve_account_pages(&env, "secondcreator", 1, Duration::ZERO).await;
    // Something in the way of the overview's JSON, which is renamed last.
    std::fs::create_dir_all(reports(&env).join("overview_2026-11-15.json")).unwrap();
    let output = run_over(&env, &["examplecreator", "secondcreator"], &[]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: not reading the earlier overview: reading \
         tiktok_reports/overview_2026-11-15.json: it is not a regular file; rebuilding it from the \
         reports alone\n\
         tiktok-review: error: saving the overview of 2026-11-15: writing \
         tiktok_reports/overview_2026-11-15.json: Is a directory (os error 21); the accounts' \
         reports are saved: fix the folder, then run `tiktok-review overview --date 2026-11-15`\n"
    );
    assert_eq!(
        stdout.lines().count(),
        3,
        "both summaries and the totals: {stdout}"
    );
    for account in ["examplecreator", "secondcreator"] {
        let dir = reports(&env).join(account);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != ".sec_uid" && n != ".lock")
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "report_2026-11-15.html",
                "report_2026-11-15.json",
                "report_2026-11-15.md"
            ]
        );
    }
    assert_eq!(
        overview_files(&env),
        BTreeMap::new(),
        "all or none: no Markdown, no HTML, no temporary file"
    );
    assert!(reports(&env).join("overview_2026-11-15.json").is_dir());

    // Once the folder is fixed, the command writes it without a request.
    std::fs::remove_dir(reports(&env).join("overview_2026-11-15.json")).unwrap();
    env.verify_and_reset().await;
    forbid_requests(&env).await;
    env.bare_cmd()
        .args(["overview", "--date", DATE])
        .assert()
        .success();
    assert_eq!(overview_json(&env)["totals"]["ok"], 2);
}

#[tokio::test]
async fn the_overview_follows_formats_and_links_the_form_that_was_written() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "examplecreator", 1, Duration::ZERO).await;
    serve_account_pages(&env, "secondcreator", 1, Duration::ZERO).await;
    let output = run_over(
        &env,
        &["examplecreator", "secondcreator"],
        &["-q", "--formats", "json,md"],
    );
    assert!(output.status.success(), "{}", texts(&output).1);
    assert_eq!(
        overview_files(&env).keys().collect::<Vec<_>>(),
        ["overview_2026-11-15.json", "overview_2026-11-15.md"]
    );
    assert_eq!(
        overview_json(&env)["rows"][0]["report_file"],
        "examplecreator/report_2026-11-15.md"
    );
}

#[tokio::test]
async fn overview_without_saved_reports_exits_64_without_a_request() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails_with(env.bare_cmd().arg("overview"), 64);
    assert_eq!(
        line,
        "tiktok-review: error: no saved reports in tiktok_reports: pass --reports-dir with the folder `run` writes to"
    );
    std::fs::create_dir_all(reports(&env).join("examplecreator")).unwrap();
    std::fs::write(
        reports(&env).join("examplecreator/report_2026-11-08.json"),
        earlier_report("2026-11-08", 6, 156_500),
    )
    .unwrap();
    let line = fails_with(env.bare_cmd().args(["overview", "--date", DATE]), 64);
    assert!(
        line.contains("no account in tiktok_reports has a report of 2026-11-15"),
        "{line}"
    );
    let line = fails_with(
        env.bare_cmd().args(["overview", "--date", "15.11.2026"]),
        64,
    );
    assert!(line.contains("'--date <YYYY-MM-DD>'"), "{line}");
    env.bare_cmd().arg("overview").assert().success();
    assert!(reports(&env).join("overview_2026-11-08.html").is_file());
    assert!(!Path::new(&reports(&env).join("overview_2026-11-15.json")).exists());
}
