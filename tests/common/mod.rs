//! Test helpers: a `TestEnv` owning a temp working dir and a wiremock stand-in for Scavio that
//! serves the realistic pages in `tests/fixtures/`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key every test run uses; no output may ever contain it.
pub const KEY: &str = "sk_live_TESTKEY_must_never_leak";
/// The fixture account.
pub const USER: &str = "examplecreator";
/// The end of the fixture's latest week: Sunday 2026-11-15 20:00 UTC.
pub const AS_OF: &str = "2026-11-15T20:00:00Z";
/// One week earlier.
pub const WEEK_BEFORE: &str = "2026-11-08T20:00:00Z";
/// The `max_cursor` of fixture pages 1, 2 and 3 (page 2 sends it as a string).
pub const CURSORS: [&str; 4] = ["0", "1794335400000", "1793831400000", "1793440800000"];

pub const PROFILE_PATH: &str = "/api/v1/tiktok/profile";
pub const POSTS_PATH: &str = "/api/v1/tiktok/user/posts";

/// A fixture file as JSON.
pub fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A temp working dir plus a Scavio stand-in.
pub struct TestEnv {
    pub server: MockServer,
    pub dir: TempDir,
}

impl TestEnv {
    pub async fn new() -> Self {
        Self {
            server: MockServer::start().await,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The binary as cron runs it: empty environment but the key and the stand-in's address.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare_cmd();
        cmd.env("SCAVIO_API_KEY", KEY);
        cmd
    }

    /// The binary with only the stand-in's address in its environment.
    pub fn bare_cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiktok-review"));
        cmd.env_clear()
            .env("SCAVIO_BASE_URL", self.server.uri())
            .current_dir(self.dir.path());
        cmd
    }

    /// `run --user examplecreator --as-of <as_of>` plus `extra`.
    pub fn run(&self, as_of: &str, extra: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.args(["run", "--user", USER, "--as-of", as_of])
            .args(extra);
        cmd
    }

    /// The account's reports folder under the default reports dir.
    pub fn user_dir(&self) -> PathBuf {
        self.dir.path().join("tiktok_reports").join(USER)
    }

    /// The report written for `date`, as JSON.
    pub fn report(&self, date: &str) -> Value {
        let path = self.user_dir().join(format!("report_{date}.json"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap()
    }

    /// Names of the files in the account's folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.user_dir()) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Serves `profile_fixture` and the four feed pages, each page expected `pages_expected[i]`
    /// times and the profile as often as page 1 (every run asks for both once).
    pub async fn serve_feed(&self, profile_fixture: &str, pages_expected: [u64; 4]) {
        let profile = ResponseTemplate::new(200).set_body_json(fixture(profile_fixture));
        self.serve_profile(profile, pages_expected[0]).await;
        for (i, expected) in pages_expected.into_iter().enumerate() {
            Mock::given(method("POST"))
                .and(path(POSTS_PATH))
                .and(header("authorization", format!("Bearer {KEY}").as_str()))
                .and(body_partial_json(serde_json::json!({
                    "sec_user_id": "MS4wLjABAAAAexample",
                    "cursor": CURSORS[i],
                })))
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_json(fixture(&format!("posts_page{}.json", i + 1))),
                )
                .expect(expected)
                .named(format!("posts page {}", i + 1))
                .mount(&self.server)
                .await;
        }
    }

    /// Runs last week's review (to `WEEK_BEFORE`, with `extra` flags), then serves this week's feed
    /// (profile and pages 1–2, each expected once) for the test's own run to `AS_OF`.
    pub async fn with_last_week(&self, extra: &[&str]) {
        self.serve_feed("profile_2026-11-08.json", [1, 1, 1, 0])
            .await;
        self.run(WEEK_BEFORE, &[&["-q"], extra].concat())
            .assert()
            .success();
        self.verify_and_reset().await;
        self.serve_feed("profile.json", [1, 1, 0, 0]).await;
    }

    /// Answers the profile endpoint with `response`, expected `times` times.
    pub async fn serve_profile(&self, response: ResponseTemplate, times: u64) {
        Mock::given(method("POST"))
            .and(path(PROFILE_PATH))
            .and(header("authorization", format!("Bearer {KEY}").as_str()))
            .and(body_partial_json(serde_json::json!({ "username": USER })))
            .respond_with(response)
            .expect(times)
            .named("profile")
            .mount(&self.server)
            .await;
    }

    /// Checks every expectation so far, then forgets the mocks (for the next run of a test).
    pub async fn verify_and_reset(&self) {
        self.server.verify().await;
        self.server.reset().await;
    }
}

/// Whether `line` starts with a UTC time in RFC 3339 to the second and a space
/// (`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ `), as every stderr line does when stderr is not a terminal.
pub fn is_stamped(line: &str) -> bool {
    let b = line.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    b.len() >= 21
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && &b[19..21] == b"Z "
}

/// `stderr` with the time stamp that starts each line removed, after checking that every line
/// has one (stderr is a pipe in tests).
pub fn unstamped(stderr: &str) -> String {
    (stderr.split_inclusive('\n'))
        .map(|line| {
            assert!(is_stamped(line), "a stderr line without its time: {line:?}");
            &line[21..]
        })
        .collect()
}

/// Stdout and stderr of an output, checked never to contain the key; every stderr line is checked
/// to start with its UTC time, which is removed.
pub fn texts(output: &std::process::Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = unstamped(&String::from_utf8_lossy(&output.stderr));
    assert!(
        !stdout.contains(KEY) && !stderr.contains(KEY),
        "the key leaked:\n{stdout}\n{stderr}"
    );
    (stdout, stderr)
}

/// IDs of a report list such as `top`.
pub fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect()
}

/// A minimal valid earlier report of the fixture account for `date` (a Sunday).
pub fn earlier_report(date: &str, post_count: u64, total_views: u64) -> String {
    let start = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap() - chrono::Days::new(7);
    let report = serde_json::json!({
        "schema_version": 1,
        "user": USER,
        "generated_at": format!("{date}T20:00:03Z"),
        "window": { "start": format!("{start}T20:00:00Z"), "end": format!("{date}T20:00:00Z") },
        "account": { "followers": 48210, "following": 12, "likes_total": 912345, "videos_total": 311 },
        "metrics": {
            "post_count": post_count, "total_views": total_views, "total_likes": 100,
            "total_comments": 10, "total_shares": 5, "total_saves": 7,
            "avg_views": null, "avg_likes": null, "avg_comments": null, "avg_shares": null,
            "avg_saves": null, "engagement_rate": null, "mean_post_engagement_rate": null
        },
        "posts": [], "top": [], "bottom": [], "top_by_views": [], "previous": null,
        "deltas": {}, "recommendations": [],
        "api": { "requests": 3, "credits_used": 3, "credits_remaining": 6560 }
    });
    serde_json::to_string_pretty(&report).unwrap() + "\n"
}

/// Every entry of the account's folder but the lock and the id cache, with its bytes (`<dir>` for
/// a folder): the history, plus any file a run should not have left.
pub fn history(env: &TestEnv) -> std::collections::BTreeMap<String, Vec<u8>> {
    env.files()
        .into_iter()
        .filter(|name| name != ".lock" && name != ".sec_uid")
        .map(|name| {
            let path = env.user_dir().join(&name);
            let bytes = if path.is_dir() {
                b"<dir>".to_vec()
            } else {
                std::fs::read(path).unwrap()
            };
            (name, bytes)
        })
        .collect()
}

/// A raw post record in the API's shape, with the given creation time and statistics.
pub fn record(id: &str, create_time: i64, statistics: Value) -> Value {
    serde_json::json!({
        "aweme_id": id, "desc": format!("post {id} #test"), "create_time": create_time,
        "is_top": 0, "aweme_type": 0, "statistics": statistics,
        "video": { "duration": 20000 }, "author": { "unique_id": USER }
    })
}

/// A `user/posts` answer holding `records`.
pub fn posts_answer(records: Vec<Value>, has_more: u8, max_cursor: &str) -> Value {
    serde_json::json!({
        "data": { "status_code": 0, "has_more": has_more, "max_cursor": max_cursor,
                  "aweme_list": records },
        "credits_used": 1, "credits_remaining": 100
    })
}

/// Fixture feed page `n` (1–4) as `username`'s: every record names that account as its author.
pub fn page_of(n: usize, username: &str) -> Value {
    let mut page = fixture(&format!("posts_page{n}.json"));
    for record in page["data"]["aweme_list"].as_array_mut().unwrap() {
        record["author"]["unique_id"] = serde_json::json!(username);
    }
    page
}

/// Serves one account, `username`, under its own `sec_uid` (`sec-<username>`): the profile and
/// feed pages 1 and 2 (what the window to `AS_OF` needs), each expected `times` times and answered
/// after `delay`.
pub async fn serve_account_pages(
    env: &TestEnv,
    username: &str,
    times: u64,
    delay: std::time::Duration,
) {
    let sec_uid = format!("sec-{username}");
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["sec_uid"] = serde_json::json!(sec_uid);
    profile["data"]["user"]["unique_id"] = serde_json::json!(username);
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(
            serde_json::json!({ "username": username }),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(profile)
                .set_delay(delay),
        )
        .expect(times)
        .named(format!("profile of {username}"))
        .mount(&env.server)
        .await;
    for page in 1..=2 {
        Mock::given(method("POST"))
            .and(path(POSTS_PATH))
            .and(body_partial_json(
                serde_json::json!({ "sec_user_id": sec_uid, "cursor": CURSORS[page - 1] }),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page_of(page, username))
                    .set_delay(delay),
            )
            .expect(times)
            .named(format!("posts page {page} of {username}"))
            .mount(&env.server)
            .await;
    }
}

/// Fails the test if the binary sends any request at all (a usage error spends no credit).
pub async fn forbid_requests(env: &TestEnv) {
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("no request at all")
        .mount(&env.server)
        .await;
}

/// Runs `cmd`, checks the exit code and an empty stdout, and returns stderr's last line, which must
/// be an error line.
pub fn fails_with(cmd: &mut Command, code: i32) -> String {
    let output = cmd.output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stdout, "");
    let last = stderr.lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with("tiktok-review: error: "), "{stderr}");
    last
}

/// As [`fails_with`], and checks that the account's folder is exactly as `before`: no earlier
/// report changed, no file gained.
pub fn fails_leaving(
    env: &TestEnv,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    cmd: &mut Command,
    code: i32,
) -> String {
    let line = fails_with(cmd, code);
    assert_eq!(
        &history(env),
        before,
        "the history changed or gained a file"
    );
    line
}

/// A test env whose account already has last week's report, and the folder's entries then.
pub async fn with_last_week_saved() -> (TestEnv, std::collections::BTreeMap<String, Vec<u8>>) {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    std::fs::write(
        env.user_dir().join("report_2026-11-08.json"),
        earlier_report("2026-11-08", 6, 156_500),
    )
    .unwrap();
    let before = history(&env);
    (env, before)
}
