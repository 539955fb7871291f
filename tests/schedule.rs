//! The schedule owns the week and the cron log can be read: `--week-end` dates a late run by the
//! week it belongs to, every stderr line off a terminal starts with its UTC time, a failed run's
//! last line names the command that fills the week, and `--shard K/N` splits the accounts.

mod common;

use std::collections::BTreeSet;

use chrono::{DurationRound, TimeDelta, Utc};
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// Every profile request answered 404: each account fails with 67 after one request.
async fn no_such_users(env: &TestEnv) {
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "User not found"})))
        .mount(&env.server)
        .await;
}

/// The usernames the stand-in was asked for, in order.
async fn asked(env: &TestEnv) -> Vec<String> {
    let requests = env.server.received_requests().await.unwrap_or_default();
    (requests.iter())
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body["username"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn every_stderr_line_has_its_time_and_the_last_names_the_command_that_fills_the_week() {
    let env = TestEnv::new().await;
    no_such_users(&env).await;
    let output = (env.cmd())
        .args(["run", "--user", "aaaa,bbbb", "--as-of", AS_OF])
        .args(["--reports-dir", "out", "--env-file", "my env"])
        .output()
        .unwrap();
    let raw = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(raw.lines().all(is_stamped), "{raw}");
    // The env file is missing: 78, before any request, on a stamped line too.
    assert_eq!(output.status.code(), Some(78), "{raw}");
    std::fs::write(env.dir.path().join("my env"), "").unwrap();

    let output = (env.cmd())
        .args(["run", "--user", "aaaa,bbbb", "--as-of", AS_OF])
        .args(["--reports-dir", "out", "--env-file", "my env"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(67), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with("tiktok-review: error: @aaaa: "),
        "{stderr}"
    );
    assert_eq!(
        lines[2],
        "tiktok-review: error: 2 of 2 accounts have no report of the week ending \
         2026-11-15T20:00:00Z: run `tiktok-review run --user aaaa,bbbb --as-of 2026-11-15T20:00:00Z \
         --reports-dir out --env-file 'my env'` to fill them"
    );
}

#[tokio::test]
async fn one_account_s_failure_line_ends_with_the_command_that_fills_the_week() {
    let env = TestEnv::new().await;
    let unavailable = ResponseTemplate::new(503)
        .insert_header("Retry-After", "0")
        .set_body_json(json!({"error": "Upstream unavailable"}));
    env.serve_profile(unavailable, 5).await;
    let output = (env.run(AS_OF, &["--week-end", "sun@20:00"]))
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        5,
        "four retries of one line each, then the error: {stderr}"
    );
    assert!(
        lines[4].ends_with(
            "try again later; to fill the week: `tiktok-review run --user examplecreator --as-of 2026-11-15T20:00:00Z`"
        ),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_command_that_fills_the_week_repeats_what_shapes_the_review() {
    let env = TestEnv::new().await;
    no_such_users(&env).await;
    let shaping = [
        "--tz",
        "Europe/Berlin",
        "--industry",
        "travel",
        "--history-weeks",
        "2",
        "--formats",
        "json,md",
        "--no-profile",
    ];
    let output = env.run(AS_OF, &shaping).output().unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(67), "{stderr}");
    let fill = format!(
        "to fill the week: `tiktok-review run --user {USER} --as-of 2026-11-15T20:00:00Z {}`",
        shaping.join(" ")
    );
    assert!(stderr.trim_end().ends_with(&fill), "{stderr}");
    // The same settings from the environment are repeated too: a hand-run fill has no cron env.
    let output = (env.run(AS_OF, &[]))
        .env("TIKTOK_REVIEW_TZ", "Europe/Berlin")
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(
        stderr
            .trim_end()
            .ends_with("2026-11-15T20:00:00Z --tz Europe/Berlin`"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_retry_printed_at_the_end_carries_the_time_it_happened() {
    let env = TestEnv::new().await;
    let unavailable = ResponseTemplate::new(503)
        .insert_header("Retry-After", "1")
        .set_body_json(json!({"error": "Upstream unavailable"}));
    env.serve_profile(unavailable, 5).await;
    let output = env.run(AS_OF, &[]).output().unwrap();
    assert_eq!(output.status.code(), Some(75));
    let raw = String::from_utf8_lossy(&output.stderr).into_owned();
    let times: Vec<chrono::DateTime<Utc>> = (raw.lines())
        .map(|line| line[..20].parse().unwrap())
        .collect();
    assert_eq!(times.len(), 5, "four retries, then the error: {raw}");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{raw}");
    // A second between attempts: the first retry was decided four seconds before the error.
    assert!(times[4] - times[0] >= TimeDelta::seconds(3), "{raw}");
}

/// Serves the profile and the first page of the feed, as often as asked.
async fn serve_any_week(env: &TestEnv) {
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("profile.json")))
        .mount(&env.server)
        .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("posts_page1.json")))
        .mount(&env.server)
        .await;
}

/// The JSON report of `env`'s account of `date`, without the line of `generated_at` (the clock).
fn report_without_clock(env: &TestEnv, date: &str) -> String {
    let path = env.user_dir().join(format!("report_{date}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines = text.lines().filter(|l| !l.contains("\"generated_at\""));
    lines.collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn a_run_with_week_end_reports_the_same_week_as_the_equivalent_as_of() {
    // Three hours ago, to the minute: the latest instant of its weekday and time.
    let end = (Utc::now() - TimeDelta::hours(3))
        .duration_trunc(TimeDelta::minutes(1))
        .unwrap();
    let week_end = end.format("%a@%H:%M").to_string();
    let as_of = end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let date = end.format("%Y-%m-%d").to_string();

    let late = TestEnv::new().await;
    serve_any_week(&late).await;
    (late.cmd())
        .args([
            "run",
            "--user",
            USER,
            "-q",
            "--week-end",
            &week_end.to_uppercase(),
        ])
        .assert()
        .success()
        .stderr("");
    let on_time = TestEnv::new().await;
    serve_any_week(&on_time).await;
    (on_time.run(&as_of, &["-q"])).assert().success().stderr("");

    assert_eq!(late.files(), on_time.files(), "dated by the week's end");
    let report = report_without_clock(&late, &date);
    assert!(
        report.contains(&format!("\"end\": \"{as_of}\"")),
        "{report}"
    );
    assert_eq!(report, report_without_clock(&on_time, &date));
    assert_eq!(
        late.report(&date)["generated_at"]
            .as_str()
            .map(|t| t > as_of.as_str()),
        Some(true),
        "the run itself happened later"
    );
}

#[tokio::test]
async fn a_bad_week_end_or_shard_is_a_usage_error_before_any_request() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    for (flag, value) in [
        ("--week-end", "sunday"),
        ("--week-end", "sun@25:00"),
        ("--shard", "0/3"),
        ("--shard", "4/3"),
        ("--shard", "x/3"),
        ("--shard", "1/0"),
    ] {
        let line = fails_with(&mut env.run(AS_OF, &[flag, value]), 64);
        let form = if flag == "--shard" {
            "K/N"
        } else {
            "DAY@HH:MM"
        };
        assert!(line.contains(form), "{flag} {value}: {line}");
    }
    let line = fails_with(
        env.run(AS_OF, &[])
            .env("TIKTOK_REVIEW_WEEK_END", "sun 20:00"),
        64,
    );
    assert!(
        line.contains("TIKTOK_REVIEW_WEEK_END \"sun 20:00\": expected DAY@HH:MM"),
        "{line}"
    );
}

/// The accounts asked for by each of the three shards of `handles`, given in that order.
async fn shards_of(handles: &[String]) -> Vec<BTreeSet<String>> {
    let mut shards = Vec::new();
    for k in 1..=3 {
        let env = TestEnv::new().await;
        no_such_users(&env).await;
        std::fs::write(env.dir.path().join("users.txt"), handles.join("\n")).unwrap();
        let shard = format!("{k}/3");
        let output = (env.cmd())
            .args(["run", "--users-file", "users.txt", "--as-of", AS_OF])
            .args(["--shard", &shard, "--concurrency", "5"])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        let asked: BTreeSet<String> = asked(&env).await.into_iter().collect();
        match asked.len() {
            0 => assert_eq!(output.status.code(), Some(0), "{stderr}"),
            n => {
                assert_eq!(output.status.code(), Some(67), "{stderr}");
                // The last line's command fills exactly this shard's accounts.
                let last = stderr.lines().last().unwrap();
                let (_, users) = last.split_once(" --user ").unwrap();
                let users: BTreeSet<String> = (users.split(' ').next().unwrap().split(','))
                    .map(str::to_string)
                    .collect();
                assert_eq!(users, asked, "{last}");
                if n > 1 {
                    let totals = format!("{n} accounts: 0 reports written, {n} failed");
                    assert!(stdout.starts_with(&totals), "{stdout}");
                }
            }
        }
        shards.push(asked);
    }
    shards
}

#[tokio::test]
async fn three_shards_cover_every_account_once_whatever_the_order_of_the_users_file() {
    let handles: Vec<String> = (1..=20).map(|i| format!("creator_{i:02}")).collect();
    let mut reversed = handles.clone();
    reversed.reverse();
    reversed.rotate_left(7);
    let first = shards_of(&handles).await;
    let second = shards_of(&reversed).await;
    assert_eq!(first, second, "the order of the file does not matter");
    let mut all: Vec<&String> = first.iter().flatten().collect();
    all.sort();
    assert_eq!(all.len(), 20, "no account in two shards: {first:?}");
    assert_eq!(all.into_iter().cloned().collect::<Vec<_>>(), handles);
    assert!(first.iter().all(|s| !s.is_empty()), "{first:?}");
}

#[tokio::test]
async fn a_shard_without_accounts_says_so_and_sends_no_request() {
    // Of two shards of one account, one holds it and the other holds none: that one asks for
    // neither the account nor its competitor.
    let mut empty = Vec::new();
    for k in 1..=2 {
        let env = TestEnv::new().await;
        no_such_users(&env).await;
        let shard = format!("{k}/2");
        let args = ["--shard", &shard, "--compare", "rivalone"];
        let output = env.run(AS_OF, &args).output().unwrap();
        let (stdout, stderr) = texts(&output);
        match asked(&env).await.as_slice() {
            [] => {
                assert_eq!(output.status.code(), Some(0), "{stderr}");
                assert_eq!(stderr, "");
                let line =
                    format!("shard {shard} holds none of the 1 account named: nothing to do\n");
                assert_eq!(stdout, line);
                empty.push(k);
            }
            [rival, user] => {
                assert_eq!([rival.as_str(), user.as_str()], ["rivalone", USER]);
                assert_eq!(output.status.code(), Some(67), "{stderr}");
                // The command that fills the week compares with the same competitor.
                let fill = "to fill the week: `tiktok-review run --user examplecreator --as-of \
                            2026-11-15T20:00:00Z --compare rivalone`";
                assert!(stderr.trim_end().ends_with(fill), "{stderr}");
            }
            more => panic!("asked {more:?}"),
        }
    }
    assert_eq!(empty.len(), 1, "{empty:?}");
}

#[tokio::test]
async fn cron_sets_the_week_end_of_its_schedule() {
    let env = TestEnv::new().await;
    let output = (env.bare_cmd())
        .args(["cron", "--user", USER, "--at", "30 19 * * sun"])
        .output()
        .unwrap();
    let (stdout, _) = texts(&output);
    assert_eq!(output.status.code(), Some(0));
    let line = stdout.lines().last().unwrap();
    assert!(line.starts_with("30 19 * * sun "), "{line}");
    assert!(
        line.contains(&format!(" run --user {USER} --week-end sun@19:30 ")),
        "{line}"
    );
}
