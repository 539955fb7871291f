//! Many accounts in one run: independent outcomes, the plan's concurrency limit (requests in flight
//! counted by a stand-in that holds each one open), and the fewest credits (profile once, then only
//! the pages the window needs; none with `--no-profile`).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

/// The fixture profile as `username`'s, with the `sec_uid` `sec-<username>`.
fn profile_of(username: &str) -> Value {
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["sec_uid"] = json!(format!("sec-{username}"));
    profile["data"]["user"]["unique_id"] = json!(username);
    profile
}

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
         (HTTP 404: User not found); check the handle\n"
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

/// What the counting stand-in saw.
#[derive(Default)]
struct Seen {
    /// Requests received and not yet answered.
    in_flight: AtomicUsize,
    /// The most requests in flight at once.
    most: AtomicUsize,
    /// Each request, as `profile <user>` or `page <n> of <user>` (or `unexpected …`).
    requests: Mutex<Vec<String>>,
}

/// A Scavio stand-in on a local port that counts the requests in flight: each request counts from
/// the moment its body has arrived until its answer, `HOLD` later, is about to be written. A
/// request is thus counted only while the client holds it open, and requests the client lets
/// overlap are seen together. It serves the fixture feed of any account (see `profile_of`).
async fn counting_stand_in() -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let shared = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer_connection(stream, Arc::clone(&shared)));
        }
    });
    (address, seen)
}

/// Answers the HTTP/1.1 requests of one kept-alive connection, one after another.
async fn answer_connection(mut stream: TcpStream, seen: Arc<Seen>) {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if !read_more(&mut stream, &mut buffer).await {
                return;
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            if !read_more(&mut stream, &mut buffer).await {
                return;
            }
        }
        let body: Value =
            serde_json::from_slice(&buffer[head_end..head_end + length]).unwrap_or(Value::Null);
        buffer.drain(..head_end + length);
        let path = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();

        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most.fetch_max(now, Ordering::SeqCst);
        let (label, answer) = answer(&path, &body);
        seen.requests.lock().unwrap().push(label);
        tokio::time::sleep(HOLD).await;
        // Uncounted before the answer leaves: the client's next request cannot arrive before this.
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        let (status, body) = match answer {
            Some(answer) => ("200 OK", answer.to_string()),
            None => ("404 Not Found", "{}".to_owned()),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads what has arrived onto `buffer`; false once the connection is closed.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// The stand-in's answer to a request for `path` with `body`, and how the request is recorded.
fn answer(path: &str, body: &Value) -> (String, Option<Value>) {
    if path == PROFILE_PATH
        && let Some(user) = body["username"].as_str()
    {
        return (format!("profile {user}"), Some(profile_of(user)));
    }
    if path == POSTS_PATH {
        let user = body["sec_user_id"]
            .as_str()
            .and_then(|s| s.strip_prefix("sec-"));
        let page = CURSORS.iter().position(|c| body["cursor"] == *c);
        if let (Some(user), Some(i)) = (user, page) {
            return (
                format!("page {} of {user}", i + 1),
                Some(page_of(i + 1, user)),
            );
        }
    }
    (format!("unexpected {path} {body}"), None)
}

/// Runs five accounts at `--concurrency <concurrency>` against the counting stand-in; returns the
/// most requests it saw in flight at once, having checked that each account cost exactly its
/// profile and two pages.
async fn most_in_flight(concurrency: &str) -> usize {
    let env = TestEnv::new().await;
    let (address, seen) = counting_stand_in().await;
    let names = ["aaaa", "bbbb", "cccc", "dddd", "eeee"];
    let mut cmd = env.cmd();
    cmd.env("SCAVIO_BASE_URL", &address).args([
        "run",
        "--as-of",
        AS_OF,
        "-q",
        "--concurrency",
        concurrency,
    ]);
    for name in names {
        cmd.args(["--user", name]);
    }
    // The stand-in answers on this runtime while the binary runs on a blocking thread.
    let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);

    let mut requests = seen.requests.lock().unwrap().clone();
    requests.sort();
    let mut expected: Vec<String> = names
        .iter()
        .flat_map(|n| {
            [
                format!("page 1 of {n}"),
                format!("page 2 of {n}"),
                format!("profile {n}"),
            ]
        })
        .collect();
    expected.sort();
    assert_eq!(requests, expected);
    assert_eq!(seen.in_flight.load(Ordering::SeqCst), 0);
    seen.most.load(Ordering::SeqCst)
}

#[tokio::test]
async fn requests_in_flight_reach_but_never_exceed_a_concurrency_of_two() {
    assert_eq!(most_in_flight("2").await, 2);
}

#[tokio::test]
async fn requests_go_one_at_a_time_at_a_concurrency_of_one() {
    assert_eq!(most_in_flight("1").await, 1);
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
