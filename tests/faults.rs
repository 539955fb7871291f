//! Fault injection: each fault the API, the network, the disk or the data can throw, through the
//! real binary. Every test checks the exit code, the stderr line, that no report or temporary file
//! was written, and that the earlier report is byte-identical afterwards.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

async fn serve_posts(env: &TestEnv, response: impl Respond + 'static, times: u64) {
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(response)
        .expect(times)
        .mount(&env.server)
        .await;
}

#[tokio::test]
async fn exits_75_when_every_attempt_times_out() {
    let (env, before) = with_last_week_saved().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(fixture("profile.json"))
        .set_delay(Duration::from_secs(5));
    env.serve_profile(slow, 5).await;
    let line = fails_leaving(
        &env,
        &before,
        &mut env.run(AS_OF, &["--timeout", "0.2"]),
        75,
    );
    assert!(
        line.contains("no answer within 0.2s (after 5 attempts); try again later"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_75_when_the_api_cannot_be_reached() {
    let (env, before) = with_last_week_saved().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let line = fails_leaving(
        &env,
        &before,
        env.run(AS_OF, &[]).env("SCAVIO_BASE_URL", &address),
        75,
    );
    assert!(
        line.contains(&format!(
            "could not connect to {address}/ (after 5 attempts)"
        )),
        "{line}"
    );
}

#[tokio::test]
async fn exits_75_at_once_when_retry_after_passes_the_retry_budget() {
    let (env, before) = with_last_week_saved().await;
    let busy = ResponseTemplate::new(429).insert_header("Retry-After", "120");
    env.serve_profile(busy, 1).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 75);
    assert!(
        line.contains("HTTP 429 (a further wait of 120.0s would pass the run's 60s retry budget)"),
        "{line}"
    );
}

#[tokio::test]
async fn refusals_are_never_retried() {
    for (status, code) in [
        (400, 65),
        (401, 77),
        (402, 77),
        (403, 77),
        (404, 67),
        (410, 65),
    ] {
        let (env, before) = with_last_week_saved().await;
        env.serve_profile(
            ResponseTemplate::new(status).set_body_json(json!({"error": "no"})),
            1,
        )
        .await;
        let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), code);
        assert!(line.contains(&format!("HTTP {status}: no")), "{line}");
    }
}

#[tokio::test]
async fn exits_73_when_the_report_cannot_be_replaced_and_leaves_no_temp_file() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    std::fs::create_dir(env.user_dir().join("report_2026-11-15.json")).unwrap();
    let before = history(&env);
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 73);
    assert!(
        line.contains("saving the report of @examplecreator: writing tiktok_reports/examplecreator/report_2026-11-15.json"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_73_when_the_reports_dir_cannot_be_created() {
    let env = TestEnv::new().await;
    let line = {
        let output = env
            .run(AS_OF, &["--reports-dir", "/proc/version/reports"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(73));
        texts(&output).1
    };
    assert!(
        line.contains("creating reports folder /proc/version/reports/examplecreator"),
        "{line}"
    );
}

/// A feed that always announces another page, each with a new cursor and a post of this week.
struct EndlessFeed;

impl Respond for EndlessFeed {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let cursor: u64 = body["cursor"].as_str().unwrap().parse().unwrap();
        let next = if cursor == 0 {
            1_794_700_000_000
        } else {
            cursor - 1_000
        };
        let id = format!("75790000{:011}", cursor % 100_000_000_000);
        let post = record(&id, 1_794_700_000, json!({"play_count": 10}));
        ResponseTemplate::new(200).set_body_json(posts_answer(vec![post], 1, &next.to_string()))
    }
}

#[tokio::test]
async fn exits_65_when_the_feed_never_ends_after_the_page_cap() {
    let (env, before) = with_last_week_saved().await;
    serve_posts(&env, EndlessFeed, 50).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains(
            "still announced more posts after 50 pages; stopped after 51 requests (51 credits used)"
        ),
        "{line}"
    );
}

#[tokio::test]
async fn exits_65_when_the_cursor_does_not_move() {
    let (env, before) = with_last_week_saved().await;
    let stuck = posts_answer(
        vec![record(
            "7579000000000000001",
            1_794_700_000,
            json!({"play_count": 10}),
        )],
        1,
        "0",
    );
    serve_posts(&env, ResponseTemplate::new(200).set_body_json(stuck), 1).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains(
            "feed repeats itself: page 2 of @examplecreator's posts would send cursor 0 again; stopped after 2 requests (2 credits used)"
        ),
        "{line}"
    );
}

#[tokio::test]
async fn exits_65_on_a_body_past_the_size_cap_without_reading_it_all() {
    let (env, before) = with_last_week_saved().await;
    let huge = format!(
        "{{\"data\":{{\"user\":{{\"signature\":\"{}\"}}}}}}",
        "x".repeat(50 * 1024 * 1024)
    );
    env.serve_profile(
        ResponseTemplate::new(200).set_body_raw(huge, "application/json"),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(line.contains("the answer is larger than 16 MiB"), "{line}");
}

#[tokio::test]
async fn hostile_records_are_counted_and_noted_never_read_as_numbers() {
    let env = TestEnv::new().await;
    let in_week = 1_794_700_000; // 2026-11-13, inside the window ending AS_OF
    let page1 = posts_answer(
        vec![
            record(
                "1",
                in_week,
                json!({"play_count": -50, "digg_count": "40", "comment_count": "x"}),
            ),
            record("2", in_week - 10, json!("not an object")),
            record("3", 0, json!({"play_count": 999})),
            record("4", 4_102_444_800, json!({"play_count": 999})), // 2100: in the future
            record(
                "5",
                in_week - 20,
                json!({"play_count": u64::MAX, "digg_count": u64::MAX, "share_count": u64::MAX}),
            ),
            record(
                "7",
                in_week - 30,
                json!({"play_count": 1_000, "digg_count": 50}),
            ),
            record(
                "8",
                in_week - 40,
                json!({"play_count": 10, "digg_count": 12}),
            ),
            json!({"desc": "no id"}),
        ],
        1,
        "1794699980000",
    );
    let page2 = posts_answer(
        vec![
            record("1", in_week, json!({"play_count": 7})), // a duplicate across pages
            record("6", 1_790_000_000, json!({"play_count": 5})), // older than the window
        ],
        1,
        "1790000000000",
    );
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    for (cursor, answer) in [("0", page1), ("1794699980000", page2)] {
        Mock::given(method("POST"))
            .and(path(POSTS_PATH))
            .and(wiremock::matchers::body_partial_json(
                json!({ "cursor": cursor }),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .expect(1)
            .mount(&env.server)
            .await;
    }
    let output = env.run(AS_OF, &["-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "tiktok-review: warning: @examplecreator: 3 posts of the week came without readable statistics, left out of averages, rankings and insights (see data_quality)",
            "tiktok-review: warning: @examplecreator: 1 post of the week has figures that look wrong (see data_quality)",
            "tiktok-review: warning: @examplecreator: 2 records of the feed could not be read (no numeric aweme_id or usable create_time) and were left out",
        ]
    );
    let r = env.report("2026-11-15");
    assert_eq!(ids(&r["posts"]), ["1", "2", "5", "7", "8"]);
    let post1 = &r["posts"][0];
    assert_eq!(
        (&post1["views"], &post1["likes"], &post1["comments"]),
        (&json!(0), &json!(0), &json!(0)),
        "a post with an unreadable count has no statistics, not half of them"
    );
    assert_eq!(
        r["metrics"]["total_views"], 1_010,
        "no saturated 18-quintillion headline"
    );
    assert_eq!(ids(&r["top"]), ["8", "7"]);
    assert_eq!(
        r["metrics"]["avg_views"], 505.0,
        "posts without statistics are not zeros in an average"
    );
    let notes: Vec<&str> = r["insights"]["data_quality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for expected in [
        "3 posts came without readable statistics, so they are left out of averages, rankings and insights: 1, 2, 5",
        "post 1: statistics.play_count is -50, not a count; its statistics were left out",
        "post 5: statistics.play_count is 18446744073709551615, not a count; its statistics were left out",
        "2 records of the feed could not be read (no numeric aweme_id or usable create_time) and were left out",
        "post 8 has more likes (12) than views (10): it counts in the totals but not in the benchmark's engagement rate",
    ] {
        assert!(notes.contains(&expected), "{expected} not in {notes:#?}");
    }
}

#[tokio::test]
async fn unreadable_earlier_reports_are_skipped_with_a_warning_and_never_changed() {
    let (env, _) = with_last_week_saved().await;
    let bad: [(&str, &[u8]); 5] = [
        (
            "report_2026-11-09.json",
            b"{\"schema_version\": 1, \"user\": \"exam",
        ),
        ("report_2026-11-10.json", b""),
        ("report_2026-11-11.json", b"[1, 2, 3]\n"),
        (
            "report_2026-11-12.json",
            b"{\"schema_version\": 99, \"user\": \"examplecreator\"}",
        ),
        ("report_2026-11-13.json", b"\xff\xfe not json"),
    ];
    for (name, bytes) in bad {
        std::fs::write(env.user_dir().join(name), bytes).unwrap();
    }
    std::fs::write(
        env.user_dir().join("report_2026-11-14.json"),
        earlier_report("2026-11-14", 1, 1).replace("\"examplecreator\"", "\"someoneelse\""),
    )
    .unwrap();
    let before = history(&env);
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;

    let output = env.run(AS_OF, &["-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 6, "{stderr}");
    for (line, day) in warnings.iter().zip(["14", "13", "12", "11", "10", "09"]) {
        assert!(
            line.starts_with(&format!("tiktok-review: warning: skipping earlier report tiktok_reports/examplecreator/report_2026-11-{day}.json: "))
                && line.ends_with("(left untouched)"),
            "{line}"
        );
    }
    assert!(
        warnings[0].contains("it belongs to @someoneelse"),
        "{stderr}"
    );
    assert!(
        warnings[2].contains("schema_version 99 is not one this version reads (1–6)"),
        "{stderr}"
    );
    assert!(warnings[4].contains("it is empty"), "{stderr}");
    assert_eq!(env.report("2026-11-15")["previous"]["date"], "2026-11-08");
    let mut after = history(&env);
    for written in [
        "report_2026-11-15.json",
        "report_2026-11-15.md",
        "report_2026-11-15.html",
    ] {
        after.remove(written);
    }
    assert_eq!(after, before, "earlier files are byte-identical");
}

#[tokio::test]
async fn verbose_logs_every_request_without_the_key() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["-v", "-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    // One line a request, once its answer is in: the account, the path, the status, the time, the
    // size and the JSON body.
    let lines: Vec<String> = stderr.lines().map(without_millis).collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(
        lines[0],
        "tiktok-review: debug: @examplecreator: POST /api/v1/tiktok/profile -> 200 (N ms, 492 bytes) \
         {\"username\":\"examplecreator\"}"
    );
    assert!(
        lines[1].starts_with(
            "tiktok-review: debug: @examplecreator: POST /api/v1/tiktok/user/posts -> 200 (N ms, "
        ),
        "{stderr}"
    );
    assert!(
        lines[2].contains("\"cursor\":\"1794335400000\""),
        "{stderr}"
    );
    assert!(!stderr.to_lowercase().contains("authorization") && !stderr.contains("Bearer"));
}

/// `line` with the milliseconds of its `(<n> ms` replaced by `N`.
fn without_millis(line: &str) -> String {
    match line.split_once(" (") {
        Some((head, rest)) => match rest.split_once(" ms") {
            Some((n, tail)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{head} (N ms{tail}")
            }
            _ => line.to_string(),
        },
        None => line.to_string(),
    }
}
