//! `run --compare`: each competitor is reviewed once per run however many accounts there are, its
//! report saved in its own folder and marked as a competitor's; every account's report carries a
//! row per competitor (figures checked by hand below) and the account's position; a failing
//! competitor fails no account; the overview, `overview` and `send` leave competitors out.

mod common;
mod hooks;

use std::path::PathBuf;

use common::*;
use hooks::{Hooks, SLACK_PATH};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const DATE: &str = "2026-11-15";
const EARLIER: &str = "2026-11-08";

/// A post of `handle` in the API's shape.
fn post(handle: &str, id: &str, at: &str, counts: [u64; 4], caption: &str, seconds: u64) -> Value {
    let [views, likes, comments, shares] = counts;
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .timestamp();
    json!({
        "aweme_id": id, "desc": caption, "create_time": at, "is_top": 0, "aweme_type": 0,
        "statistics": { "play_count": views, "digg_count": likes, "comment_count": comments,
                        "share_count": shares, "collect_count": 0 },
        "video": { "duration": seconds * 1000 }, "author": { "unique_id": handle }
    })
}

/// The posts each account has on the pages of a run to `as_of` (the posts of both weeks once the
/// second week is over), and its followers then.
fn feed(handle: &str, as_of: &str) -> (Vec<Value>, u64) {
    let second = as_of == AS_OF;
    let (mut posts, earlier, followers) = match handle {
        // This week (2026-11-08 20:00 to 2026-11-15 20:00 UTC), three posts:
        //   7600000000000000003: 10,000 views, 800 + 100 + 100 = 1,000 engagements (10%)
        //   7600000000000000002:  4,000 views, 100 + 20 + 20 = 140 (3.5%)
        //   7600000000000000001:  2,000 views, 40 + 10 + 10 = 60 (3%)
        // → 16,000 views, median 4,000, engagement 1,200 / 16,000 = 7.5%.
        // The week before: one post of 8,000 views → views +100.0%. Followers 20,000 → 21,500.
        "rivalone" => (
            vec![
                post(
                    handle,
                    "7600000000000000003",
                    "2026-11-14T15:00:00Z",
                    [10_000, 800, 100, 100],
                    "the 3 second espresso trick #coffee #barista",
                    21,
                ),
                post(
                    handle,
                    "7600000000000000002",
                    "2026-11-12T18:00:00Z",
                    [4_000, 100, 20, 20],
                    "latte art fail #coffee",
                    34,
                ),
                post(
                    handle,
                    "7600000000000000001",
                    "2026-11-10T09:00:00Z",
                    [2_000, 40, 10, 10],
                    "grinder unboxing",
                    58,
                ),
            ],
            post(
                handle,
                "7600000000000000000",
                "2026-11-05T12:00:00Z",
                [8_000, 400, 20, 20],
                "old",
                15,
            ),
            if second { 21_500 } else { 20_000 },
        ),
        // One post this week, 1,000 views, 50 + 25 + 25 = 100 (10%); median 1,000.
        "rivaltwo" => (
            vec![post(
                handle,
                "7610000000000000001",
                "2026-11-13T10:00:00Z",
                [1_000, 50, 25, 25],
                "pour over in 60 seconds #coffee",
                60,
            )],
            post(
                handle,
                "7610000000000000000",
                "2026-11-04T10:00:00Z",
                [900, 50, 0, 0],
                "old",
                20,
            ),
            if second { 3_100 } else { 3_000 },
        ),
        // The accounts: 12,000 views (1,000 + 100 + 100 = 1,200, 10%) and 4,000 views
        // (200 + 40 + 80 = 320, 8%) → 16,000 views, median 8,000, engagement 1,520 / 16,000 =
        // 9.5%. Against @rivalone: 8,000 / 4,000 = 2.0×, 9.5 − 7.5 = 2.0 pts. The week before:
        // 5,000 views → views +220.0%. Followers 40,000 → 41,000.
        _ => (
            vec![
                post(
                    handle,
                    &format!("77{}01", id_of(handle)),
                    "2026-11-13T18:00:00Z",
                    [12_000, 1_000, 100, 100],
                    "my best one #coffee",
                    25,
                ),
                post(
                    handle,
                    &format!("77{}02", id_of(handle)),
                    "2026-11-11T18:00:00Z",
                    [4_000, 200, 40, 80],
                    "my other one",
                    30,
                ),
            ],
            post(
                handle,
                &format!("77{}00", id_of(handle)),
                "2026-11-04T18:00:00Z",
                [5_000, 300, 10, 10],
                "last week",
                20,
            ),
            if second { 41_000 } else { 40_000 },
        ),
    };
    if !second {
        posts.clear();
    }
    posts.push(earlier);
    (posts, followers)
}

/// Fifteen digits that tell the accounts' post ids apart.
fn id_of(handle: &str) -> String {
    format!(
        "{:015}",
        handle.len() * 1_000 + handle.bytes().map(u64::from).sum::<u64>() as usize
    )
}

/// Serves `handle`'s profile and its one page for a run to `as_of`, each expected `times` times.
async fn serve(env: &TestEnv, handle: &str, as_of: &str, times: u64) {
    let (posts, followers) = feed(handle, as_of);
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["unique_id"] = json!(handle);
    profile["data"]["user"]["sec_uid"] = json!(format!("sec-{handle}"));
    profile["data"]["user"]["follower_count"] = json!(followers);
    profile["data"]["user"]["aweme_count"] = json!(posts.len());
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": handle })))
        .respond_with(ResponseTemplate::new(200).set_body_json(profile))
        .expect(times)
        .named(format!("profile of {handle}"))
        .mount(&env.server)
        .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(
            json!({ "sec_user_id": format!("sec-{handle}") }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(posts, 0, "0")))
        .expect(times)
        .named(format!("posts of {handle}"))
        .mount(&env.server)
        .await;
}

/// Answers the profile of @ghostrival with 404, `times` times.
async fn serve_ghost(env: &TestEnv, times: u64) {
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": "ghostrival" })))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "User not found"})))
        .expect(times)
        .named("profile of ghostrival")
        .mount(&env.server)
        .await;
}

fn reports(env: &TestEnv) -> PathBuf {
    env.dir.path().join("tiktok_reports")
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn report_of(env: &TestEnv, handle: &str, date: &str) -> Value {
    read_json(
        reports(env)
            .join(handle)
            .join(format!("report_{date}.json")),
    )
}

/// `run --as-of <as_of> --concurrency 2` over `users`, plus `extra`.
fn run_over(env: &TestEnv, as_of: &str, users: &[&str], extra: &[&str]) -> std::process::Output {
    let mut cmd = env.cmd();
    cmd.args(["run", "--as-of", as_of, "--concurrency", "2"]);
    for user in users {
        cmd.args(["--user", user]);
    }
    cmd.args(extra).output().unwrap()
}

/// Two weeks of two accounts with @rivalone and @rivaltwo: each profile and page asked exactly
/// once per run, the competitors' reports in their own folders; returns the env after week two.
async fn two_weeks_two_accounts() -> TestEnv {
    let env = TestEnv::new().await;
    let users = ["examplecreator", "secondcreator"];
    for as_of in [WEEK_BEFORE, AS_OF] {
        for handle in ["examplecreator", "secondcreator", "rivalone", "rivaltwo"] {
            serve(&env, handle, as_of, 1).await;
        }
        let output = run_over(
            &env,
            as_of,
            &users,
            &["--compare", "rivalone,rivaltwo", "--no-notify"],
        );
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert_eq!(stderr, "");
        let date = &as_of[..10];
        assert!(
            stdout.starts_with(&format!("competitor @rivalone week to {date}: ")),
            "{stdout}"
        );
        assert!(
            stdout.contains("2 accounts: 2 reports written, 0 failed, 2 competitors (0 failed); 8 requests, 8 credits used"),
            "{stdout}"
        );
        // Each competitor's profile and page once, however many accounts compare with it.
        env.verify_and_reset().await;
    }
    env
}

#[tokio::test]
async fn each_competitor_is_fetched_once_per_run_and_every_account_compares_with_it() {
    let env = two_weeks_two_accounts().await;
    for rival in ["rivalone", "rivaltwo"] {
        for date in [EARLIER, DATE] {
            let own = report_of(&env, rival, date);
            assert_eq!(own["role"], "competitor");
            assert_eq!(own["competitors"], json!([]));
        }
    }
    let rival = report_of(&env, "rivalone", DATE);
    assert_eq!(rival["previous"]["date"], EARLIER, "its history accrues");
    for account in ["examplecreator", "secondcreator"] {
        let report = report_of(&env, account, DATE);
        assert_eq!(report["schema_version"], 6);
        assert_eq!(
            report.get("role"),
            None,
            "an account's report carries no role"
        );
        let rows = report["competitors"].as_array().unwrap();
        let handles: Vec<&str> = rows.iter().map(|r| r["handle"].as_str().unwrap()).collect();
        assert_eq!(handles, ["rivalone", "rivaltwo"]);
        // The figures of the comments of `feed`, worked out by hand.
        assert_eq!(
            rows[0],
            json!({
                "handle": "rivalone", "status": "ok", "reason": null,
                "followers": 21500, "followers_change": 1500, "posts": 3, "views": 16000,
                "median_views": 4000.0, "engagement_rate": 7.5, "views_change_pct": 100.0,
                "breakouts": 0,
                "top_post": {
                    "id": "7600000000000000003",
                    "url": "https://www.tiktok.com/@rivalone/video/7600000000000000003",
                    "caption": "the 3 second espresso trick #coffee #barista",
                    "hashtags": ["coffee", "barista"], "duration_s": 21.0, "format": "video",
                    "posted_at": "2026-11-14T15:00:00Z", "views": 10000, "engagement_rate": 10.0
                },
                "position": {
                    "median_views_ratio": 2.0, "engagement_rate_diff_pts": 2.0,
                    "sentence": "your median post drew 2.0× @rivalone's"
                }
            })
        );
        // 8,000 / 1,000 = 8.0×; 9.5 − 10 = −0.5 pts; views 1,000 vs 900 → +11.11%.
        assert_eq!(rows[1]["position"]["median_views_ratio"], 8.0);
        assert_eq!(rows[1]["position"]["engagement_rate_diff_pts"], -0.5);
        assert_eq!(rows[1]["views_change_pct"], 11.11);
    }
    let md =
        std::fs::read_to_string(reports(&env).join(format!("examplecreator/report_{DATE}.md")))
            .unwrap();
    for line in [
        "## Competitors",
        "| **@examplecreator (you)** | 2 | 16,000 | 8,000 | 9.50% | 41,000 | +220.0% |",
        "| @rivalone | 3 | 16,000 | 4,000 | 7.50% | 21,500 | +100.0% |",
        "- Your median post drew 2.0× @rivalone's; your engagement rate is 2.0 pts above theirs (9.5% vs 7.5%).",
        "**What worked for @rivalone this week:** its most viewed post, [the 3 second espresso trick #coffee #barista](https://www.tiktok.com/@rivalone/video/7600000000000000003), drew 10,000 views at 10.0% engagement: a 21-second video with #coffee #barista, went out Sat 14 Nov at 15:00 (UTC).",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    let html =
        std::fs::read_to_string(reports(&env).join(format!("examplecreator/report_{DATE}.html")))
            .unwrap();
    assert!(html.contains("<h2>Competitors</h2>"));
    assert!(html.contains("<th class=\"key\">median views</th>"));
}

#[tokio::test]
async fn the_overview_and_send_leave_competitors_out_but_mention_them_in_one_line() {
    let env = two_weeks_two_accounts().await;
    let overview_path = reports(&env).join(format!("overview_{DATE}.json"));
    let overview = read_json(overview_path.clone());
    let rows = overview["rows"].as_array().unwrap();
    let handles: Vec<&str> = rows.iter().map(|r| r["handle"].as_str().unwrap()).collect();
    assert_eq!(
        handles,
        ["examplecreator", "secondcreator"],
        "no competitor row"
    );
    assert_eq!(overview["totals"]["accounts"], 2);
    assert_eq!(
        rows[0]["competitors"],
        "vs @rivalone: median views 2.0× · vs @rivaltwo: median views 8.0×"
    );
    let md = std::fs::read_to_string(reports(&env).join(format!("overview_{DATE}.md"))).unwrap();
    assert!(
        md.contains(
            "\n@examplecreator: vs @rivalone: median views 2.0× · vs @rivaltwo: median views 8.0×\n"
        ),
        "{md}"
    );
    // `overview` rebuilds the same bytes from disk, competitors' folders and all.
    let before: Vec<Vec<u8>> = ["json", "md", "html"]
        .iter()
        .map(|ext| std::fs::read(reports(&env).join(format!("overview_{DATE}.{ext}"))).unwrap())
        .collect();
    let output = env
        .bare_cmd()
        .args(["overview", "--date", DATE])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for (ext, bytes) in ["json", "md", "html"].iter().zip(before) {
        let after = std::fs::read(reports(&env).join(format!("overview_{DATE}.{ext}"))).unwrap();
        assert!(after == bytes, "overview_{DATE}.{ext} changed on a rebuild");
    }
    // `send` delivers the accounts only, each with its line against the competitors.
    let hooks = Hooks::start().await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(200).set_body_string("ok"),
            1,
        )
        .await;
    let mut cmd = env.bare_cmd();
    cmd.args(["send", "--date", DATE]);
    let output = hooks.configure(&mut cmd, &[SLACK_PATH]).output().unwrap();
    let (_, stderr) = hooks::outputs(&output, &hooks);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let message = hooks.json(SLACK_PATH).await.to_string();
    assert!(message.contains("*@examplecreator*") && message.contains("*@secondcreator*"));
    assert!(
        !message.contains("*@rivalone*") && !message.contains("*@rivaltwo*"),
        "{message}"
    );
    assert!(
        message.contains("vs @rivalone: median views 2.0×"),
        "{message}"
    );
    // `history` still shows a competitor's weeks.
    let output = env
        .bare_cmd()
        .args(["history", "--user", "rivalone", "--format", "csv"])
        .output()
        .unwrap();
    let (stdout, _) = texts(&output);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout.contains(EARLIER) && stdout.contains(DATE),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_failing_competitor_is_one_warning_and_a_failed_row_never_a_failed_account() {
    let env = TestEnv::new().await;
    serve(&env, "examplecreator", AS_OF, 1).await;
    serve(&env, "rivalone", AS_OF, 1).await;
    serve_ghost(&env, 1).await;
    let output = run_over(
        &env,
        AS_OF,
        &["examplecreator"],
        &["--compare", "ghostrival", "--compare", "rivalone", "-q"],
    );
    let (stdout, stderr) = texts(&output);
    let reason = "Scavio found nothing for the profile of @ghostrival (HTTP 404: User not found); check the handle";
    assert_eq!(
        output.status.code(),
        Some(0),
        "the run's code, as without it: {stderr}"
    );
    assert_eq!(
        stderr,
        format!(
            "tiktok-review: warning: competitor @ghostrival: {reason}; the accounts' reports show it as failed\n"
        )
    );
    assert_eq!(stdout, "");
    env.verify_and_reset().await;
    let report = report_of(&env, "examplecreator", DATE);
    let rows = report["competitors"].as_array().unwrap();
    assert_eq!(rows[0]["handle"], "ghostrival");
    assert_eq!(rows[0]["status"], "failed");
    assert_eq!(rows[0]["reason"], reason);
    for field in [
        "followers",
        "posts",
        "views",
        "median_views",
        "engagement_rate",
        "top_post",
    ] {
        assert_eq!(rows[0][field], Value::Null, "{field}: unknown, never 0");
    }
    assert_eq!(rows[0]["position"]["median_views_ratio"], Value::Null);
    assert_eq!(rows[1]["status"], "ok");
    assert!(
        !reports(&env)
            .join("ghostrival")
            .join(format!("report_{DATE}.json"))
            .exists()
    );
    let md =
        std::fs::read_to_string(reports(&env).join(format!("examplecreator/report_{DATE}.md")))
            .unwrap();
    assert!(md.contains("| @ghostrival | failed | | | | | |"), "{md}");
    assert!(
        md.contains(&format!(
            "- @ghostrival could not be reviewed this week: {reason}."
        )),
        "{md}"
    );

    // Without --compare, no competitor.
    serve(&env, "examplecreator", AS_OF, 1).await;
    let output = run_over(&env, AS_OF, &["examplecreator"], &["-q"]);
    assert_eq!(output.status.code(), Some(0));
    env.verify_and_reset().await;
    assert_eq!(
        report_of(&env, "examplecreator", DATE)["competitors"],
        json!([])
    );
    let md =
        std::fs::read_to_string(reports(&env).join(format!("examplecreator/report_{DATE}.md")))
            .unwrap();
    assert!(!md.contains("Competitors"));
}

#[tokio::test]
async fn a_dry_run_shows_the_competitors_and_writes_nothing() {
    let env = TestEnv::new().await;
    serve(&env, "examplecreator", AS_OF, 1).await;
    serve(&env, "rivalone", AS_OF, 1).await;
    let output = run_over(
        &env,
        AS_OF,
        &["examplecreator"],
        &[
            "--compare",
            "@rivalone",
            "--dry-run",
            "--dry-run-format",
            "md",
        ],
    );
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.starts_with("# @examplecreator — week to 2026-11-15"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| @rivalone | 3 | 16,000 | 4,000 | 7.50% | 21,500 | n/a |"),
        "{stdout}"
    );
    env.verify_and_reset().await;
    assert!(!reports(&env).exists(), "nothing written");
}

#[tokio::test]
async fn a_bad_competitor_or_one_that_is_also_an_account_is_refused_before_any_request() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails_with(&mut env.run(AS_OF, &["--compare", "not a handle!"]), 64);
    assert!(line.contains("--compare"), "{line}");
    let line = fails_with(
        env.run(AS_OF, &[])
            .env("TIKTOK_REVIEW_COMPARE", "ok,bad handle"),
        64,
    );
    assert!(line.contains("TIKTOK_REVIEW_COMPARE"), "{line}");
    let line = fails_with(
        &mut env.run(AS_OF, &["--compare", "rivalone,@examplecreator"]),
        64,
    );
    assert_eq!(
        line,
        "tiktok-review: error: @examplecreator is both an account and a competitor (--compare or TIKTOK_REVIEW_COMPARE): name it once"
    );
    env.server.verify().await;
}

#[tokio::test]
async fn a_competitor_whose_api_stays_unavailable_leaves_the_accounts_code_as_it_was() {
    let env = TestEnv::new().await;
    serve(&env, "examplecreator", AS_OF, 1).await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": "downrival" })))
        .respond_with(ResponseTemplate::new(500).insert_header("Retry-After", "0"))
        .expect(2..)
        .named("profile of downrival, unavailable")
        .mount(&env.server)
        .await;
    let output = run_over(
        &env,
        AS_OF,
        &["examplecreator"],
        &["--compare", "downrival"],
    );
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "not 75: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one warning line: {stderr}");
    assert!(
        lines[0].starts_with("tiktok-review: warning: competitor @downrival: ")
            && lines[0].ends_with("; the accounts' reports show it as failed"),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("@examplecreator week to 2026-11-15: "),
        "{stdout}"
    );
    env.verify_and_reset().await;
    let row = &report_of(&env, "examplecreator", DATE)["competitors"][0];
    assert_eq!(row["status"], "failed");
    let reason = row["reason"].as_str().unwrap();
    assert!(
        lines[0].contains(reason),
        "the row says what the warning said: {reason}"
    );
    assert!(!reason.contains(KEY));
}

#[tokio::test]
async fn no_profile_spares_a_competitors_profile_once_its_id_is_cached() {
    let env = TestEnv::new().await;
    for handle in ["examplecreator", "rivalone"] {
        serve(&env, handle, WEEK_BEFORE, 1).await;
    }
    let output = run_over(
        &env,
        WEEK_BEFORE,
        &["examplecreator"],
        &["--compare", "rivalone", "-q"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    env.verify_and_reset().await;
    assert_eq!(
        std::fs::read_to_string(reports(&env).join("rivalone/.sec_uid")).unwrap(),
        "sec-rivalone\n"
    );
    // The week after: each one's page under its cached id, and no profile.
    for handle in ["examplecreator", "rivalone"] {
        serve(&env, handle, AS_OF, 1).await;
    }
    let output = run_over(
        &env,
        AS_OF,
        &["examplecreator"],
        &["--compare", "rivalone", "-q", "--no-profile"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let rival = report_of(&env, "rivalone", DATE);
    assert_eq!(rival["api"]["requests"], 1, "its page only");
    let row = &report_of(&env, "examplecreator", DATE)["competitors"][0];
    assert_eq!(
        (&row["followers"], &row["followers_change"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(row["views_change_pct"], 100.0);
    let asked = env.server.received_requests().await.unwrap();
    let paths: Vec<&str> = asked.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, [POSTS_PATH, POSTS_PATH], "one page each, no profile");
    // The profiles served above were not asked for, as they should not be.
    env.server.reset().await;
}

#[tokio::test]
async fn an_account_reviewed_later_as_a_competitor_of_the_same_date_leaves_the_overview() {
    let env = TestEnv::new().await;
    let rows = |env: &TestEnv| -> Vec<String> {
        let overview = read_json(reports(env).join(format!("overview_{DATE}.json")));
        (overview["rows"].as_array().unwrap().iter())
            .map(|r| r["handle"].as_str().unwrap().to_string())
            .collect()
    };
    // First @rivalone is one of the run's accounts, then a competitor of a run of the same date.
    for handle in ["examplecreator", "rivalone"] {
        serve(&env, handle, AS_OF, 1).await;
    }
    let output = run_over(
        &env,
        AS_OF,
        &["examplecreator", "rivalone"],
        &["--no-notify"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    assert_eq!(rows(&env), ["examplecreator", "rivalone"]);
    env.verify_and_reset().await;
    for handle in ["examplecreator", "secondcreator", "rivalone"] {
        serve(&env, handle, AS_OF, 1).await;
    }
    let users = ["examplecreator", "secondcreator"];
    let output = run_over(
        &env,
        AS_OF,
        &users,
        &["--compare", "rivalone", "--no-notify"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    assert_eq!(report_of(&env, "rivalone", DATE)["role"], "competitor");
    assert_eq!(
        rows(&env),
        users,
        "the competitor's report is no account's row"
    );
    // `overview` rebuilds it the same way.
    let output = (env.bare_cmd())
        .args(["overview", "--date", DATE])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(rows(&env), users);
}
