//! The reports folder as untrusted ground, through the real binary: `send` and `overview` never read
//! through a symbolic link or hang on a FIFO, a crafted or corrupt report stops no other account,
//! a rebuilt overview never forgets an account whose report reads again, two runs on one folder
//! keep each other's rows, and a run delivers only the overview it wrote itself.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const DATE: &str = "2026-11-15";
/// What the env file holds: no output, message or file sent may ever show it.
const ENV_SECRET: &str = "sk_live_ENVFILEmustNeverBeSent";

fn reports(env: &TestEnv) -> PathBuf {
    env.dir.path().join("tiktok_reports")
}

fn report_path(env: &TestEnv, handle: &str, extension: &str) -> PathBuf {
    reports(env)
        .join(handle)
        .join(format!("report_{DATE}.{extension}"))
}

/// Runs the week to `AS_OF` for `handles` (each served once), quietly and without delivery.
async fn saved_week(env: &TestEnv, handles: &[&str]) {
    for handle in handles {
        serve_account_pages(env, handle, 1, Duration::ZERO).await;
    }
    env.cmd()
        .args(["run", "--user", &handles.join(","), "--as-of", AS_OF, "-q"])
        .assert()
        .success();
    env.verify_and_reset().await;
}

/// A generic webhook that takes every message.
async fn webhook() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// The bodies the webhook received.
async fn bodies(hook: &MockServer) -> Vec<Vec<u8>> {
    let requests = hook.received_requests().await.unwrap_or_default();
    requests.into_iter().map(|r| r.body).collect()
}

/// The accounts a webhook body carries: one report as saved, several as `{"date", "reports"}`, or
/// the overview's rows.
fn users_in(body: &[u8]) -> Vec<String> {
    let json: Value = serde_json::from_slice(body).unwrap();
    let name = |v: &Value, key: &str| v[key].as_str().unwrap().to_string();
    match (json["reports"].as_array(), json["rows"].as_array()) {
        (Some(reports), _) => reports.iter().map(|r| name(r, "user")).collect(),
        (None, Some(rows)) => rows.iter().map(|r| name(r, "handle")).collect(),
        (None, None) => vec![name(&json, "user")],
    }
}

/// `send` (with `args`) to the webhook; its exit code and stderr, neither showing the env secret.
fn send(env: &TestEnv, hook: &MockServer, args: &[&str]) -> (i32, String) {
    let output = env
        .bare_cmd()
        .arg("send")
        .args(args)
        .env(
            "TIKTOK_REVIEW_WEBHOOK_URL",
            format!("{}/hook/t0ken", hook.uri()),
        )
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(!stdout.contains(ENV_SECRET) && !stderr.contains(ENV_SECRET));
    (output.status.code().unwrap_or(-1), stderr)
}

/// `overview` (with `args`); its exit code and stderr.
fn overview(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let output = env.bare_cmd().arg("overview").args(args).output().unwrap();
    let (_, stderr) = texts(&output);
    (output.status.code().unwrap_or(-1), stderr)
}

/// The handles of the overview of `DATE` on disk.
fn overview_handles(env: &TestEnv) -> Vec<String> {
    let path = reports(env).join(format!("overview_{DATE}.json"));
    let json: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut handles: Vec<String> = (json["rows"].as_array().unwrap().iter())
        .map(|r| r["handle"].as_str().unwrap().to_string())
        .collect();
    handles.sort();
    handles
}

/// An env file holding a secret, outside the reports folder.
fn env_file(env: &TestEnv) -> PathBuf {
    let path = env.dir.path().join("secret.env");
    std::fs::write(&path, format!("SCAVIO_API_KEY={ENV_SECRET}\n")).unwrap();
    path
}

fn symlink(target: &Path, link: &Path) {
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

#[tokio::test]
async fn send_never_reads_through_a_link_nor_hangs_on_a_fifo() {
    let env = TestEnv::new().await;
    saved_week(&env, &["alpha1", "beta22"]).await;
    let secret = env_file(&env);
    let hook = webhook().await;
    // The overview's JSON (what the webhook gets) and an account's report point at the env file.
    symlink(
        &secret,
        &reports(&env).join(format!("overview_{DATE}.json")),
    );
    let (code, stderr) = send(&env, &hook, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: not sending the overview tiktok_reports/overview_{DATE}.json: it is a symbolic link, which tiktok-review never follows"
        )),
        "{stderr}"
    );
    symlink(&secret, &report_path(&env, "beta22", "json"));
    let (code, stderr) = send(&env, &hook, &["--date", DATE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: skipping the report tiktok_reports/beta22/report_2026-11-15.json: it is a symbolic link"),
        "{stderr}"
    );
    // A FIFO named like a report: read without blocking, refused, the others still sent.
    mkfifo(&report_path(&env, "beta22", "json"));
    let (code, stderr) = send(&env, &hook, &["--date", DATE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: skipping the report tiktok_reports/beta22/report_2026-11-15.json: it is not a regular file"),
        "{stderr}"
    );
    let (code, stderr) = send(&env, &hook, &["--user", "beta22", "--date", DATE]);
    assert_eq!(code, 65, "nothing readable is left: {stderr}");
    let sent: Vec<Vec<String>> = bodies(&hook).await.iter().map(|b| users_in(b)).collect();
    assert_eq!(
        sent,
        [vec!["alpha1", "beta22"], vec!["alpha1"], vec!["alpha1"]]
    );
    for body in bodies(&hook).await {
        assert!(!String::from_utf8_lossy(&body).contains(ENV_SECRET));
    }
}

#[tokio::test]
async fn a_symlinked_account_folder_is_skipped_by_send_and_overview_with_a_warning() {
    let env = TestEnv::new().await;
    saved_week(&env, &["alpha1", "beta22"]).await;
    let elsewhere = env.dir.path().join("elsewhere");
    std::fs::rename(reports(&env).join("beta22"), &elsewhere).unwrap();
    symlink(&elsewhere, &reports(&env).join("beta22"));
    let hook = webhook().await;
    let (code, stderr) = send(&env, &hook, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: skipping tiktok_reports/beta22: the account folder is a symbolic link, which tiktok-review never follows; replace it with a folder"),
        "{stderr}"
    );
    assert_eq!(users_in(&bodies(&hook).await[0]), ["alpha1"]);
    let (code, stderr) = overview(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(overview_handles(&env), ["alpha1"]);
    let output = env
        .bare_cmd()
        .args(["history", "--user", "beta22"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(
        stderr.starts_with("tiktok-review: warning: skipping tiktok_reports/beta22: the account folder is a symbolic link"),
        "history reads nothing through it: {stderr}"
    );
    // A run refuses it before a request: its target would receive the lock and the reports.
    forbid_requests(&env).await;
    let before: Vec<String> = std::fs::read_dir(&elsewhere)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let line = fails_with(
        env.cmd()
            .args(["run", "--user", "beta22", "--as-of", AS_OF]),
        73,
    );
    assert_eq!(
        line,
        "tiktok-review: error: the account folder tiktok_reports/beta22 is a symbolic link, which tiktok-review never follows; replace it with a folder; to fill the week: `tiktok-review run --user beta22 --as-of 2026-11-15T20:00:00Z`"
    );
    let after: Vec<String> = std::fs::read_dir(&elsewhere)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(before, after, "nothing written into the link's target");
}

#[tokio::test]
async fn a_crafted_later_report_or_a_corrupt_one_stops_no_other_account() {
    let env = TestEnv::new().await;
    saved_week(&env, &["alpha1", "beta22"]).await;
    // A folder and garbage named like later reports: the default date stays the latest that reads.
    std::fs::create_dir(reports(&env).join("alpha1/report_2099-01-01.json")).unwrap();
    std::fs::write(
        reports(&env).join("beta22/report_2099-02-02.json"),
        "garbage",
    )
    .unwrap();
    let hook = webhook().await;
    let passed_over = "tiktok-review: warning: passing over tiktok_reports/beta22/report_2099-02-02.json: it is not a report (expected value at line 1 column 1) (left untouched)\n\
         tiktok-review: warning: passing over tiktok_reports/alpha1/report_2099-01-01.json: it is not a regular file (left untouched)\n";
    let (code, stderr) = send(&env, &hook, &[]);
    assert_eq!((code, stderr.as_str()), (0, passed_over), "{stderr}");
    let (code, stderr) = overview(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("passing over tiktok_reports/alpha1/report_2099-01-01.json"),
        "{stderr}"
    );
    assert!(
        std::fs::read_to_string(reports(&env).join(format!("overview_{DATE}.json"))).is_ok(),
        "the overview of the latest readable date"
    );
    // One corrupt report of the date: the other account is still sent, the corrupt one named.
    let good = std::fs::read(report_path(&env, "beta22", "json")).unwrap();
    std::fs::write(report_path(&env, "beta22", "json"), "{\"trunc").unwrap();
    let (code, stderr) = send(&env, &hook, &["--date", DATE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: skipping the report tiktok_reports/beta22/report_2026-11-15.json: it is not a report"),
        "{stderr}"
    );
    let sent: Vec<Vec<String>> = bodies(&hook).await.iter().map(|b| users_in(b)).collect();
    assert_eq!(sent, [vec!["alpha1", "beta22"], vec!["alpha1"]]);
    // `overview` while it is corrupt leaves it out, and brings it back once it reads again.
    let (code, stderr) = overview(&env, &["--date", DATE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: skipping @beta22: reading "),
        "{stderr}"
    );
    assert_eq!(overview_handles(&env), ["alpha1"]);
    std::fs::write(report_path(&env, "beta22", "json"), good).unwrap();
    let (code, stderr) = overview(&env, &["--date", DATE]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        overview_handles(&env),
        ["alpha1", "beta22"],
        "never forgotten"
    );
}

#[tokio::test]
async fn two_runs_with_different_accounts_on_one_folder_keep_each_others_rows() {
    let env = TestEnv::new().await;
    saved_week(&env, &["alpha1", "beta22"]).await;
    saved_week(&env, &["gamma3", "delta4"]).await;
    assert_eq!(
        overview_handles(&env),
        ["alpha1", "beta22", "delta4", "gamma3"]
    );
    // The rebuild agrees with what the second run wrote.
    let path = reports(&env).join(format!("overview_{DATE}.json"));
    let written = std::fs::read(&path).unwrap();
    let (code, stderr) = overview(&env, &["--date", DATE]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(std::fs::read(&path).unwrap(), written);
}

#[tokio::test]
async fn a_run_whose_overview_cannot_be_written_never_delivers_an_earlier_one() {
    let env = TestEnv::new().await;
    saved_week(&env, &["alpha1", "beta22"]).await;
    let earlier = std::fs::read(reports(&env).join(format!("overview_{DATE}.json"))).unwrap();
    // Something in the way of the overview's HTML: this run's overview cannot be written, and
    // the earlier one of the same date stays on disk.
    let html = reports(&env).join(format!("overview_{DATE}.html"));
    std::fs::remove_file(&html).unwrap();
    std::fs::create_dir(&html).unwrap();
    for handle in ["alpha1", "beta22"] {
        serve_account_pages(&env, handle, 1, Duration::ZERO).await;
    }
    let hook = webhook().await;
    let output = env
        .cmd()
        .args(["run", "--user", "alpha1,beta22", "--as-of", AS_OF, "-q"])
        .env(
            "TIKTOK_REVIEW_WEBHOOK_URL",
            format!("{}/hook/t0ken", hook.uri()),
        )
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    let sent = bodies(&hook).await;
    assert_eq!(sent.len(), 1);
    assert_ne!(sent[0], earlier, "not the earlier overview");
    let body: Value = serde_json::from_slice(&sent[0]).unwrap();
    assert_eq!(body["reports"].as_array().unwrap().len(), 2, "{body}");
}
