//! Every exit code of the README's table, produced by the real binary: each failure is one clear
//! line on stderr, writes no report, and never shows the API key.

mod common;

use std::fs::File;

use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// How the last line of a run of the fixture account that failed after it started ends: with the
/// command that fills the week.
const FILL: &str =
    "; to fill the week: `tiktok-review run --user examplecreator --as-of 2026-11-15T20:00:00Z`";

fn assert_no_report(env: &TestEnv) {
    let files = env.files();
    assert!(files.iter().all(|f| f == ".lock"), "left behind: {files:?}");
}

#[tokio::test]
async fn exits_64_for_a_bad_handle_without_spending_a_credit() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    for handle in ["../x", "a", "has space", "name/../../etc", "..", "naïve"] {
        let line = fails_with(env.cmd().args(["run", "--user", handle]), 64);
        assert!(line.contains("invalid TikTok handle"), "{line}");
    }
    assert!(!env.dir.path().join("tiktok_reports").exists());
}

#[tokio::test]
async fn exits_64_for_a_bad_as_of_or_time_zone_and_a_missing_user() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails_with(
        env.cmd()
            .args(["run", "--user", USER, "--as-of", "last sunday"]),
        64,
    );
    assert!(
        line.contains("--as-of") && line.contains("RFC 3339"),
        "{line}"
    );
    let line = fails_with(
        env.cmd()
            .args(["run", "--user", USER, "--as-of", "2999-01-01T00:00:00Z"]),
        64,
    );
    assert!(line.contains("in the future"), "{line}");
    let line = fails_with(env.cmd().args(["run"]), 64);
    assert!(
        line.contains("--user") && line.contains("TIKTOK_USERNAME"),
        "{line}"
    );
    let line = fails_with(
        env.cmd().args(["run", "--user", USER, "--no-such-flag"]),
        64,
    );
    assert!(line.contains("--no-such-flag"), "{line}");
}

#[tokio::test]
async fn exits_65_when_the_api_answers_garbage_twice() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(200).set_body_string("<html>oops</html>"),
        2,
    )
    .await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 65);
    assert!(line.ends_with(FILL), "{line}");
    assert!(line.contains("could not be understood"), "{line}");
    assert_no_report(&env);
}

#[tokio::test]
async fn exits_65_when_the_api_refuses_the_request_as_invalid() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "Invalid request", "details": [{"path": "cursor", "message": "Expected string"}]
        })))
        .expect(1)
        .mount(&env.server)
        .await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 65);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("HTTP 400: Invalid request; cursor: Expected string"),
        "{line}"
    );
    assert_no_report(&env);
}

#[tokio::test]
async fn exits_67_when_the_user_does_not_exist() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(404).set_body_json(json!({"error": "User not found"})),
        1,
    )
    .await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 67);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("HTTP 404: User not found") && line.contains("check the handle"),
        "{line}"
    );
    assert_no_report(&env);
}

#[tokio::test]
async fn exits_67_when_the_profile_comes_back_empty() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(json!({"data": {"user": {}}, "credits_used": 1})),
        1,
    )
    .await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 67);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("TikTok user @examplecreator does not exist"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_65_after_one_retry_when_the_profile_answer_has_no_user_at_all() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": {"status_code": 0}, "credits_used": 1})),
        2,
    )
    .await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 65);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("Scavio's answer for the profile of @examplecreator could not be understood twice: its `data` has no `user`"),
        "not read as a missing account: {line}"
    );
    assert_no_report(&env);
}

#[tokio::test]
async fn exits_73_when_the_reports_dir_is_a_file_before_spending_a_credit() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    std::fs::write(env.dir.path().join("tiktok_reports"), "not a folder").unwrap();
    let line = fails_with(&mut env.run(AS_OF, &[]), 73);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("creating reports folder tiktok_reports/examplecreator"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_75_when_the_api_keeps_answering_503() {
    let env = TestEnv::new().await;
    let unavailable = ResponseTemplate::new(503)
        .insert_header("Retry-After", "0")
        .set_body_json(json!({"error": "Upstream unavailable"}));
    env.serve_profile(unavailable, 5).await;
    let output = env.run(AS_OF, &[]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 5, "four retries, then the error: {stderr}");
    assert!(lines[0].starts_with("tiktok-review: warning: retrying the profile of @examplecreator in 0.0s (attempt 2 of 5): HTTP 503"));
    assert_eq!(
        lines[4],
        "tiktok-review: error: Scavio API unavailable for the profile of @examplecreator: \
         HTTP 503: Upstream unavailable (after 5 attempts); try again later; to fill the week: \
         `tiktok-review run --user examplecreator --as-of 2026-11-15T20:00:00Z`"
    );
    assert_no_report(&env);
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_and_the_run_succeeds() {
    let env = TestEnv::new().await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&env.server)
        .await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let started = std::time::Instant::now();
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After was honoured"
    );
    let r = env.report("2026-11-15");
    assert_eq!(r["api"]["requests"], 4, "the 429 counts as a request");
    assert_eq!(r["api"]["credits_used"], 3, "but costs no credit");
}

#[tokio::test]
async fn exits_75_when_another_run_holds_the_lock() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    let held = File::create(env.user_dir().join(".lock")).unwrap();
    held.try_lock().unwrap();
    let line = fails_with(&mut env.run(AS_OF, &[]), 75);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("another tiktok-review run holds the lock"),
        "{line}"
    );
    drop(held);
    assert_no_report(&env);
}

#[tokio::test]
async fn exits_77_when_the_key_is_rejected_and_never_echoes_it() {
    let env = TestEnv::new().await;
    let rejected = ResponseTemplate::new(401)
        .set_body_json(json!({"error": format!("Invalid API key {KEY}")}));
    env.serve_profile(rejected, 1).await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 77);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("Invalid API key ***") && line.contains("check SCAVIO_API_KEY"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_77_when_credits_are_exhausted() {
    let env = TestEnv::new().await;
    let broke = ResponseTemplate::new(402).set_body_json(json!({
        "error": {"code": "insufficient_credits", "message": "Out of credits"},
        "credit_balance": 0, "billing_url": "https://scavio.dev/billing"
    }));
    env.serve_profile(broke, 1).await;
    let line = fails_with(&mut env.run(AS_OF, &[]), 77);
    assert!(line.ends_with(FILL), "{line}");
    assert!(
        line.contains("credits are exhausted") && line.contains("https://scavio.dev/billing"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_78_without_an_api_key() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails_with(env.bare_cmd().args(["run", "--user", USER]), 78);
    assert!(line.contains("SCAVIO_API_KEY is not set"), "{line}");
}

#[tokio::test]
async fn exits_78_when_the_env_file_does_not_exist() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails_with(
        env.cmd()
            .args(["run", "--user", USER, "--env-file", "missing.env"]),
        78,
    );
    assert!(line.contains("env file missing.env not found"), "{line}");
}

#[test]
fn help_lists_the_exit_codes_and_exits_0() {
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .args(["run", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for code in ["64", "65", "67", "73", "75", "77", "78"] {
        assert!(
            help.contains(&format!("  {code}  ")),
            "{code} missing from:\n{help}"
        );
    }
}
