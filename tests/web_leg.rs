//! The web leg end to end: a week whose feed Scavio answers in TikTok's web shape (`itemList`,
//! `statsV2`, `hasMore`, a string `cursor`) gives the report the app leg's answer gives, but for
//! the `api` block, which says which leg answered.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

/// Answers page `n` (1-based) of the feed with `body`, only for the cursor the previous page
/// named, sent as a JSON string, expected `times` times.
async fn serve_page(env: &TestEnv, n: usize, body: Value, times: u64) {
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(json!({
            "sec_user_id": "MS4wLjABAAAAexample",
            "cursor": CURSORS[n - 1],
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(times)
        .named(format!("posts page {n}"))
        .mount(&env.server)
        .await;
}

/// Serves the profile once and pages 1 and 2 once each, from the fixtures named by `pages`;
/// pages 3 and 4 must never be asked for.
async fn serve_week(env: &TestEnv, pages: [&str; 2]) {
    let profile = ResponseTemplate::new(200).set_body_json(fixture("profile.json"));
    env.serve_profile(profile, 1).await;
    for (i, name) in pages.into_iter().enumerate() {
        serve_page(env, i + 1, fixture(name), 1).await;
    }
    for n in 3..=4 {
        serve_page(env, n, fixture(&format!("web_page{n}.json")), 0).await;
    }
}

/// What one run to `AS_OF` wrote and printed, the time of the run made neutral.
struct Week {
    stdout: String,
    json: Value,
    markdown: String,
    html: String,
}

/// Runs the week against `env`'s stand-in, then checks every expected request came once.
async fn run_week(env: &TestEnv) -> Week {
    let output = env.run(AS_OF, &[]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    env.server.verify().await;
    let mut json = env.report("2026-11-15");
    let generated: chrono::DateTime<chrono::Utc> =
        json["generated_at"].as_str().unwrap().parse().unwrap();
    json["generated_at"] = json!("NOW");
    let read = |ext: &str| {
        let text = std::fs::read_to_string(env.user_dir().join(format!("report_2026-11-15.{ext}")))
            .unwrap();
        text.replace(&generated.format("%Y-%m-%d %H:%M UTC").to_string(), "NOW")
    };
    Week {
        stdout,
        markdown: read("md"),
        html: read("html"),
        json,
    }
}

/// The report without its `api` block, and each post's length in whole seconds: the web leg
/// states whole seconds (`video.duration` 35 where the app leg says 34,700 ms).
fn comparable(report: &Value) -> Value {
    let mut report = report.clone();
    report.as_object_mut().unwrap().remove("api");
    for post in report["posts"].as_array_mut().unwrap() {
        if let Some(seconds) = post["duration_s"].as_f64() {
            post["duration_s"] = json!((seconds + 0.5).floor());
        }
    }
    report
}

/// The app leg's week, as `weekly_run` reads it.
async fn app_week() -> Week {
    let env = TestEnv::new().await;
    serve_week(&env, ["posts_page1.json", "posts_page2.json"]).await;
    run_week(&env).await
}

#[tokio::test]
async fn a_web_leg_week_gives_the_app_leg_report_but_for_the_api_block() {
    let app = app_week().await;
    let env = TestEnv::new().await;
    // Two web pages: page 1 says `hasMore: true` and `cursor: "1794335400000"`, which page 2's
    // request sends back as that string; page 2 reaches past the week, so page 3 is never bought.
    serve_week(&env, ["web_page1.json", "web_page2.json"]).await;
    let web = run_week(&env).await;

    assert_eq!(web.stdout, app.stdout);
    assert_eq!(
        app.json["api"],
        json!({ "requests": 3, "credits_used": 3, "credits_remaining": 6543, "leg": "app" })
    );
    assert_eq!(
        web.json["api"],
        json!({ "requests": 3, "credits_used": 3, "credits_remaining": 6543, "leg": "web" })
    );
    // The one difference but `api`: the web leg states a length in whole seconds.
    let seconds = |week: &Week| week.json["posts"][0]["duration_s"].clone();
    assert_eq!((seconds(&app), seconds(&web)), (json!(34.7), json!(35.0)));
    assert_eq!(comparable(&web.json), comparable(&app.json));
    assert_eq!(web.markdown, app.markdown);
    assert_eq!(web.html, app.html);

    // What the web leg's shape decided, read from the report: exact counts from statsV2 (stats
    // says 5.1B), a save count statsV2 left out taken from stats, seconds, pins, photos, tags.
    let post = |id: &str| -> Value {
        let posts = web.json["posts"].as_array().unwrap();
        posts.iter().find(|p| p["id"] == id).unwrap().clone()
    };
    let big = post("7578000000000000304");
    assert_eq!(
        (big["views"].as_u64(), big["duration_s"].as_f64()),
        (Some(5_123_456_789), Some(16.0))
    );
    assert_eq!(big["hashtags"], json!(["coffee", "barista", "fyp"]));
    assert_eq!(post("7579000000000000302")["saves"], 512);
    assert_eq!(post("7577000000000000204")["pinned"], true);
    let photo = post("7578000000000000303");
    assert_eq!(
        (photo["format"].as_str(), &photo["duration_s"]),
        (Some("photo"), &Value::Null)
    );
    assert_eq!(
        post("7577000000000000305")["url"],
        "https://www.tiktok.com/@examplecreator/video/7577000000000000305"
    );
}

#[tokio::test]
async fn a_feed_whose_pages_come_from_both_legs_is_mixed() {
    let app = app_week().await;
    let env = TestEnv::new().await;
    serve_week(&env, ["web_page1.json", "posts_page2.json"]).await;
    let mixed = run_week(&env).await;
    assert_eq!(mixed.json["api"]["leg"], "mixed");
    assert_eq!(comparable(&mixed.json), comparable(&app.json));
}

#[tokio::test]
async fn a_web_page_that_cannot_be_understood_is_exit_65_and_no_report() {
    let not_a_list = {
        let mut page = fixture("web_page1.json");
        page["data"]["itemList"] = json!({ "0": "not a list" });
        page
    };
    let both_disagreeing = {
        let mut page = fixture("web_page1.json");
        page["data"]["aweme_list"] = fixture("posts_page2.json")["data"]["aweme_list"].clone();
        page
    };
    let unsure = {
        let mut page = fixture("web_page1.json");
        page["data"]["hasMore"] = json!("maybe");
        page
    };
    let empty = {
        let mut page = fixture("web_page1.json");
        page["data"]["itemList"] = json!([]);
        page["data"]["hasMore"] = json!(false);
        page
    };
    for (page, says, asked) in [
        (
            empty,
            "counts 318 posts but the first page of its feed has none",
            1,
        ),
        (not_a_list, "`itemList` is not a list", 2),
        (both_disagreeing, "they disagree", 2),
        (unsure, "`has_more` is \"maybe\", neither true nor false", 2),
    ] {
        let env = TestEnv::new().await;
        let profile = ResponseTemplate::new(200).set_body_json(fixture("profile.json"));
        env.serve_profile(profile, 1).await;
        // An unreadable answer is asked for once more before the run gives up; a readable but
        // empty first page is not.
        serve_page(&env, 1, page, asked).await;
        let line = fails_with(&mut env.run(AS_OF, &[]), 65);
        assert!(line.contains(says), "{line}");
        assert!(
            env.files().iter().all(|f| !f.starts_with("report_")),
            "{:?}",
            env.files()
        );
        env.server.verify().await;
    }
}
