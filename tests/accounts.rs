//! Many accounts in one run: independent outcomes, the plan's concurrency limit (requests in flight
//! counted by a stand-in that holds each one open, also after the client gave up on it), and the
//! fewest credits (profile once, then only the pages the window needs; none with `--no-profile`).

mod common;
mod counting;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use counting::Hold;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn one_failing_account_does_not_stop_the_others() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "examplecreator", 1, Duration::ZERO).await;
    serve_account_pages(&env, "secondcreator", 1, Duration::ZERO).await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": "ghostuser" })))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "User not found"})))
        .expect(1)
        .mount(&env.server)
        .await;

    let output = env
        .cmd()
        .args([
            "run",
            "--as-of",
            AS_OF,
            "--user",
            "examplecreator",
            "--user",
            "ghostuser",
        ])
        .args(["--user", "secondcreator", "--concurrency", "2"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(67), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: error: @ghostuser: Scavio found nothing for the profile of @ghostuser \
         (HTTP 404: User not found); check the handle\n\
         tiktok-review: error: 1 of 3 accounts has no report of the week ending \
         2026-11-15T20:00:00Z: run `tiktok-review run --user ghostuser --as-of 2026-11-15T20:00:00Z` \
         to fill them\n"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("@examplecreator week to 2026-11-15: 7 posts"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("@secondcreator week to 2026-11-15: 7 posts"),
        "{stdout}"
    );
    assert_eq!(
        lines[2],
        "3 accounts: 2 reports written, 1 failed; 7 requests, 6 credits used, 6,543 left"
    );
    let reports = env.dir.path().join("tiktok_reports");
    assert!(
        reports
            .join("examplecreator/report_2026-11-15.json")
            .is_file()
    );
    assert!(
        reports
            .join("secondcreator/report_2026-11-15.json")
            .is_file()
    );
    assert!(!reports.join("ghostuser/report_2026-11-15.json").exists());
}

#[tokio::test]
async fn accounts_come_from_a_users_file_which_replaces_the_comma_separated_variable() {
    let env = TestEnv::new().await;
    for name in ["examplecreator", "thirdcreator"] {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    serve_account_pages(&env, "secondcreator", 0, Duration::ZERO).await;
    std::fs::write(
        env.dir.path().join("accounts.txt"),
        "# our creators\nthirdcreator\n\n@examplecreator   # again: reviewed once\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .env("TIKTOK_USERNAME", "examplecreator,secondcreator")
        .args([
            "run",
            "--as-of",
            AS_OF,
            "--users-file",
            "accounts.txt",
            "-q",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout, "", "--quiet prints no totals either");
    for name in ["examplecreator", "thirdcreator"] {
        assert!(
            env.dir
                .path()
                .join(format!("tiktok_reports/{name}/report_2026-11-15.json"))
                .is_file()
        );
    }
    assert!(
        !env.dir.path().join("tiktok_reports/secondcreator").exists(),
        "TIKTOK_USERNAME is not read when a users file is given"
    );
}

/// How long the counting stand-in holds each request before it answers.
const HOLD: Duration = Duration::from_millis(150);

/// Runs `names` at `--concurrency <concurrency>` (and `extra` flags) against the counting stand-in,
/// which holds each request as `hold` says; checks that the run succeeded, and returns the most
/// requests the stand-in saw in flight at once, every request it saw (sorted), and how many it was
/// still working on when the run ended.
async fn most_in_flight(
    names: &[&str],
    concurrency: &str,
    extra: &[&str],
    hold: impl Fn(&str, usize) -> Hold + Send + Sync + 'static,
) -> (usize, Vec<String>, usize) {
    let env = TestEnv::new().await;
    let (address, seen) = counting::start(hold).await;
    let mut cmd = env.cmd();
    cmd.env("SCAVIO_BASE_URL", &address)
        .args(["run", "--as-of", AS_OF, "-q", "--concurrency", concurrency])
        .args(extra);
    for name in names {
        cmd.args(["--user", name]);
    }
    // The stand-in answers on this runtime while the binary runs on a blocking thread.
    let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    let left = seen.in_flight.load(Ordering::SeqCst);
    (seen.most.load(Ordering::SeqCst), seen.sorted(), left)
}

/// Every account's profile and two pages, sorted.
fn each_account_once(names: &[&str]) -> Vec<String> {
    let mut expected: Vec<String> = names
        .iter()
        .flat_map(|n| counting::account_requests(n))
        .collect();
    expected.sort();
    expected
}

const FIVE: [&str; 5] = ["aaaa", "bbbb", "cccc", "dddd", "eeee"];

#[tokio::test]
async fn requests_in_flight_reach_but_never_exceed_a_concurrency_of_two() {
    let (most, requests, left) = most_in_flight(&FIVE, "2", &[], |_, _| Hold::For(HOLD)).await;
    assert_eq!(requests, each_account_once(&FIVE));
    assert_eq!((most, left), (2, 0));
}

#[tokio::test]
async fn requests_go_one_at_a_time_at_a_concurrency_of_one() {
    let (most, requests, left) = most_in_flight(&FIVE, "1", &[], |_, _| Hold::For(HOLD)).await;
    assert_eq!(requests, each_account_once(&FIVE));
    assert_eq!((most, left), (1, 0));
}

/// How long the stand-in works on each account's first profile request: longer than the client's
/// `--timeout 2`, and shorter than the 2 s timeout plus the retry's backoff plus a further 2 s.
const SLOW: Duration = Duration::from_secs(3);

#[tokio::test]
async fn a_request_the_client_gave_up_on_keeps_its_slot_while_the_server_may_still_work_on_it() {
    let names = ["aaaa", "bbbb"];
    let slow_first_profile = |label: &str, earlier: usize| match label.starts_with("profile") {
        true if earlier == 0 => Hold::For(SLOW),
        _ => Hold::For(HOLD),
    };
    let (most, requests, left) =
        most_in_flight(&names, "2", &["--timeout", "2"], slow_first_profile).await;
    let mut expected = each_account_once(&names);
    expected.extend(names.iter().map(|n| format!("profile {n}")));
    expected.sort();
    assert_eq!(
        requests, expected,
        "each profile once more after its timeout"
    );
    // Before the fix the retries went out while the stand-in still worked on both first profiles.
    assert_eq!(
        most, 2,
        "the stand-in held more requests than --concurrency 2"
    );
    assert_eq!(
        left, 0,
        "the run ended while the stand-in still worked on a request"
    );
}

#[tokio::test]
async fn no_profile_uses_the_cached_id_and_costs_only_the_pages() {
    let env = TestEnv::new().await;
    // The first run has no cached id yet: it asks for the profile once, even with --no-profile.
    env.serve_feed("profile_2026-11-08.json", [1, 1, 1, 0])
        .await;
    env.run(WEEK_BEFORE, &["-q", "--no-profile"])
        .assert()
        .success();
    assert_eq!(
        env.report("2026-11-08")["account"]["followers"],
        48210,
        "the profile was paid for"
    );
    env.verify_and_reset().await;
    assert_eq!(
        std::fs::read_to_string(env.user_dir().join(".sec_uid")).unwrap(),
        "MS4wLjABAAAAexample\n"
    );

    // The second run: pages 1 and 2 under the cached id, and never the profile.
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&env.server)
        .await;
    for (i, expected) in [1u64, 1].into_iter().enumerate() {
        Mock::given(method("POST"))
            .and(path(POSTS_PATH))
            .and(body_partial_json(
                json!({ "sec_user_id": "MS4wLjABAAAAexample", "cursor": CURSORS[i] }),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(fixture(&format!("posts_page{}.json", i + 1))),
            )
            .expect(expected)
            .mount(&env.server)
            .await;
    }
    env.run(AS_OF, &["-q", "--no-profile"]).assert().success();
    let r = env.report("2026-11-15");
    assert_eq!(r["api"]["requests"], 2);
    assert_eq!(r["account"]["followers"], Value::Null);
    assert_eq!(r["deltas"]["followers"]["change"], Value::Null);
    assert_eq!(r["metrics"]["post_count"], 7);
}

#[tokio::test]
async fn a_week_of_seven_posts_costs_two_credits() {
    let env = TestEnv::new().await;
    let day = 86_400;
    let end = 1_794_772_800; // AS_OF
    let mut posts: Vec<Value> = (1..=7)
        .map(|i| {
            record(
                &format!("75790000000000000{i:02}"),
                end - i * day + 3_600,
                json!({"play_count": 1000 * i, "digg_count": 50}),
            )
        })
        .collect();
    posts.push(record(
        "7570000000000000099",
        end - 9 * day,
        json!({"play_count": 5}),
    ));
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(
            posts,
            1,
            "1793995200000",
        )))
        .expect(1)
        .mount(&env.server)
        .await;
    env.run(AS_OF, &["-q"]).assert().success();
    let r = env.report("2026-11-15");
    assert_eq!(r["metrics"]["post_count"], 7);
    assert_eq!(r["api"]["requests"], 2);
    assert_eq!(r["api"]["credits_used"], 2);
}
