//! The log on stderr, through the real binary: `-v` and `RUST_LOG` (from the environment or the
//! env file) turn on one line per request, each naming its account so that concurrent accounts
//! can be told apart; retries show at once; lines of other crates, headers and the key never do.

mod common;

use std::time::Duration;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// The request lines of `stderr` (prefix through `POST`) for `account`.
fn requests_of<'a>(stderr: &'a str, account: &str) -> Vec<&'a str> {
    let prefix = format!("tiktok-review: debug: @{account}: POST ");
    stderr
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .collect()
}

#[tokio::test]
async fn two_accounts_at_concurrency_2_log_each_line_with_its_account() {
    let env = TestEnv::new().await;
    // Slow answers, so that both accounts have a request in flight at once.
    let delay = Duration::from_millis(150);
    serve_account_pages(&env, USER, 1, delay).await;
    serve_account_pages(&env, "secondcreator", 1, delay).await;
    let output = env
        .cmd()
        .args([
            "run",
            "--user",
            "examplecreator,secondcreator",
            "--as-of",
            AS_OF,
        ])
        .args(["--concurrency", "2", "-v", "-q"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 6, "{stderr}");
    for (account, sec_uid) in [
        (USER, "sec-examplecreator"),
        ("secondcreator", "sec-secondcreator"),
    ] {
        let lines = requests_of(&stderr, account);
        assert_eq!(lines.len(), 3, "{account}: {stderr}");
        assert!(
            lines[0].contains("POST /api/v1/tiktok/profile -> 200 (")
                && lines[0].ends_with(&format!("{{\"username\":\"{account}\"}}")),
            "{stderr}"
        );
        for page in &lines[1..] {
            assert!(
                page.contains("POST /api/v1/tiktok/user/posts -> 200 (")
                    && page.contains(&format!("\"sec_user_id\":\"{sec_uid}\"")),
                "each page line names the account whose feed it read: {stderr}"
            );
        }
    }
    // Both profiles were in flight together: their lines come first, one of each account.
    let first: Vec<&str> = stderr.lines().take(2).collect();
    assert!(
        first.iter().all(|l| l.contains("/api/v1/tiktok/profile"))
            && first[0].split(": ").nth(2) != first[1].split(": ").nth(2),
        "the two accounts ran at once: {stderr}"
    );
}

#[tokio::test]
async fn rust_log_from_the_environment_or_the_env_file_turns_on_the_request_log() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [3, 3, 0, 0]).await;
    for filter in ["debug", "warn,tiktok_review=debug"] {
        let output = env
            .run(AS_OF, &["-q"])
            .env("RUST_LOG", filter)
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert!(output.status.success(), "{filter}: {stderr}");
        assert_eq!(requests_of(&stderr, USER).len(), 3, "{filter}: {stderr}");
        assert_eq!(stderr.lines().count(), 3, "{filter}: {stderr}");
    }
    std::fs::write(
        env.dir.path().join(".env"),
        format!("SCAVIO_API_KEY={KEY}\nRUST_LOG=debug\n"),
    )
    .unwrap();
    let output = env
        .bare_cmd()
        .args(["run", "--user", USER, "--as-of", AS_OF, "-q"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        requests_of(&stderr, USER).len(),
        3,
        "the env file's RUST_LOG: {stderr}"
    );
}

#[tokio::test]
async fn rust_log_at_trace_shows_no_other_crates_line_and_no_header() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env
        .run(AS_OF, &["-q"])
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(requests_of(&stderr, USER).len(), 3, "{stderr}");
    assert_eq!(
        stderr.lines().count(),
        3,
        "only this program's lines: {stderr}"
    );
    let lower = stderr.to_lowercase();
    assert!(
        !lower.contains("authorization") && !lower.contains("bearer"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_rust_log_that_does_not_parse_is_a_warning_and_the_run_goes_on_quietly() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env
        .run(AS_OF, &["-q"])
        .env("RUST_LOG", "tiktok_review=loud")
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: RUST_LOG: ignoring \"tiktok_review=loud\", which is not a log \
         filter such as debug or tiktok_review=debug\n"
    );
}

#[tokio::test]
async fn with_verbose_a_retry_is_a_warning_at_once_naming_its_account() {
    let env = TestEnv::new().await;
    let once_503 = || {
        Mock::given(method("POST"))
            .and(path(PROFILE_PATH))
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .with_priority(1)
    };
    once_503().expect(1).mount(&env.server).await;
    env.serve_feed("profile.json", [2, 2, 0, 0]).await;

    let output = env.run(AS_OF, &["-q", "-v"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{stderr}");
    assert!(
        lines[0].starts_with(
            "tiktok-review: debug: @examplecreator: POST /api/v1/tiktok/profile -> 503 ("
        ),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "tiktok-review: warning: @examplecreator: retrying the profile of @examplecreator in 0.0s \
         (attempt 2 of 5): HTTP 503"
    );

    // Without -v a retry that ends well prints nothing.
    once_503().expect(1).mount(&env.server).await;
    env.run("2026-11-16T20:00:00Z", &["-q"])
        .assert()
        .success()
        .stderr("");
}
