//! Many accounts in one run: independent outcomes, the plan's concurrency limit, and the fewest
//! credits (profile once, then only the pages the window needs; none with `--no-profile`).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

/// Serves the fixture feed for `username` under its own `sec_uid`; each response goes through
/// `respond` (which may delay it or record it).
async fn serve_account(env: &TestEnv, username: &str, pages: [u64; 2], respond: &Recorder) {
    let sec_uid = format!("sec-{username}");
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["sec_uid"] = json!(sec_uid);
    profile["data"]["user"]["unique_id"] = json!(username);
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": username })))
        .respond_with(respond.with(ResponseTemplate::new(200).set_body_json(profile)))
        .expect(pages[0])
        .mount(&env.server)
        .await;
    for (i, expected) in pages.into_iter().enumerate() {
        let page = page_of(i + 1, username);
        Mock::given(method("POST"))
            .and(path(POSTS_PATH))
            .and(body_partial_json(
                json!({ "sec_user_id": sec_uid, "cursor": CURSORS[i] }),
            ))
            .respond_with(respond.with(ResponseTemplate::new(200).set_body_json(page)))
            .expect(expected)
            .mount(&env.server)
            .await;
    }
}

/// Records when each request arrived, and answers after `delay`.
#[derive(Clone, Default)]
struct Recorder {
    arrivals: Arc<Mutex<Vec<Instant>>>,
    delay: Duration,
}

impl Recorder {
    fn with(&self, template: ResponseTemplate) -> Recorded {
        Recorded {
            recorder: self.clone(),
            template: template.set_delay(self.delay),
        }
    }

    fn arrivals(&self) -> Vec<Instant> {
        let mut arrivals = self.arrivals.lock().unwrap().clone();
        arrivals.sort();
        arrivals
    }
}

struct Recorded {
    recorder: Recorder,
    template: ResponseTemplate,
}

impl Respond for Recorded {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.recorder.arrivals.lock().unwrap().push(Instant::now());
        self.template.clone()
    }
}

#[tokio::test]
async fn one_failing_account_does_not_stop_the_others() {
    let env = TestEnv::new().await;
    let plain = Recorder::default();
    serve_account(&env, "examplecreator", [1, 1], &plain).await;
    serve_account(&env, "secondcreator", [1, 1], &plain).await;
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
    let plain = Recorder::default();
    for name in ["examplecreator", "thirdcreator"] {
        serve_account(&env, name, [1, 1], &plain).await;
    }
    serve_account(&env, "secondcreator", [0, 0], &plain).await;
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

#[tokio::test]
async fn requests_in_flight_never_exceed_the_concurrency_and_do_overlap() {
    const DELAY: Duration = Duration::from_millis(300);
    const LIMIT: usize = 3;
    let env = TestEnv::new().await;
    let recorder = Recorder {
        delay: DELAY,
        ..Recorder::default()
    };
    let names = ["aaaa", "bbbb", "cccc", "dddd", "eeee"];
    for name in names {
        serve_account(&env, name, [1, 1], &recorder).await;
    }
    let mut cmd = env.cmd();
    cmd.args(["run", "--as-of", AS_OF, "-q", "--concurrency", "3"]);
    for name in names {
        cmd.args(["--user", name]);
    }
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);

    let arrivals = recorder.arrivals();
    assert_eq!(arrivals.len(), 15);
    // A request can start only when one of the LIMIT before it has been answered, which takes DELAY.
    let tolerance = Duration::from_millis(30);
    for window in arrivals.windows(LIMIT + 1) {
        let spread = window[LIMIT] - window[0];
        assert!(
            spread + tolerance >= DELAY,
            "more than {LIMIT} requests in flight: {spread:?}"
        );
    }
    let overlapping = arrivals
        .windows(2)
        .filter(|w| w[1] - w[0] < DELAY / 3)
        .count();
    assert!(
        overlapping >= 5,
        "the limit was not used: only {overlapping} overlapping starts"
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
