//! The benchmark end to end: `--industry` and `TIKTOK_REVIEW_INDUSTRY` pick the row of the
//! published table the week's engagement rate is read against, and a name that is not in it is a
//! usage error that spends no credit.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const SOURCE: &str = "Rival IQ, 2024 TikTok Benchmark Report";

/// The `benchmark` block of a week whose engagement rate is 8.00 % against `rate` of `industry`.
fn block(industry: &str, rate: f64, ratio: Option<f64>, account_rate: Option<f64>) -> Value {
    json!({
        "definition": "engagement per view on TikTok, (likes + comments + shares) / views × 100: \
                       rate is the median of brands' accounts, account_rate this account's over the week's posts \
                       but excluded_posts, which have more likes, comments or shares than views",
        "rate": rate,
        "source": SOURCE,
        "year": 2024,
        "industry": industry,
        "account_rate": account_rate,
        "ratio": ratio,
        "excluded_posts": [],
    })
}

#[tokio::test]
async fn industry_travel_compares_the_week_with_the_travel_median() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env
        .run(AS_OF, &["-q", "--industry", "travel"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let r = env.report("2026-11-15");
    // 8.00 / 3.0 = 2.666… → 2.67 in the JSON, 2.7× in the sentence
    assert_eq!(r["metrics"]["engagement_rate"], 8.0);
    assert_eq!(r["benchmark"], block("travel", 3.0, Some(2.67), Some(8.0)));
    let md = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.md")).unwrap();
    assert!(
        md.contains(&format!(
            "## Benchmark\n\nEngagement 8.0% vs 3.0% median for TikTok brands (travel; {SOURCE}): 2.7×\n"
        )),
        "{md}"
    );
    let html = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.html")).unwrap();
    assert!(
        html.contains(&format!(
            "<p>Engagement 8.0% vs 3.0% median for TikTok brands (travel; {SOURCE}): 2.7×</p>"
        )),
        "the HTML says it too"
    );
}

#[tokio::test]
async fn the_industry_variable_picks_the_row_and_the_flag_wins_over_it() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [2, 2, 0, 0]).await;
    let output = env
        .run(AS_OF, &["-q"])
        .env("TIKTOK_REVIEW_INDUSTRY", "media")
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    // 8.00 / 3.8 = 2.105… → 2.11
    assert_eq!(
        env.report("2026-11-15")["benchmark"],
        block("media", 3.8, Some(2.11), Some(8.0))
    );

    let output = env
        .run(AS_OF, &["--dry-run", "--industry", "Sports Teams"])
        .env("TIKTOK_REVIEW_INDUSTRY", "media")
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    // 8.00 / 9.2 = 0.869… → 0.87; the human spelling is read, the machine name written.
    assert_eq!(
        printed["benchmark"],
        block("sports-teams", 9.2, Some(0.87), Some(8.0))
    );
}

#[tokio::test]
async fn without_a_choice_the_week_is_read_against_all_industries() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    // 8.00 / 3.4 = 2.352… → 2.35
    assert_eq!(
        env.report("2026-11-15")["benchmark"],
        block("all", 3.4, Some(2.35), Some(8.0))
    );
}

#[tokio::test]
async fn a_week_without_views_has_no_rate_to_compare_and_says_so() {
    let env = TestEnv::new().await;
    let end = 1_794_772_800; // AS_OF
    let posts = vec![
        record(
            "7579000000000000001",
            end - 2 * 86_400,
            json!({"play_count": 0, "digg_count": 0}),
        ),
        record(
            "7570000000000000099",
            end - 9 * 86_400,
            json!({"play_count": 5}),
        ),
    ];
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
    let output = env
        .run(AS_OF, &["-q", "--industry", "retail"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        env.report("2026-11-15")["benchmark"],
        block("retail", 2.6, None, None)
    );
    let md = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.md")).unwrap();
    assert!(
        md.contains(&format!(
            "No views this week, so no engagement rate to set against the 2.6% median for TikTok brands (retail; {SOURCE})."
        )),
        "{md}"
    );
}

#[tokio::test]
async fn exits_64_when_the_industry_is_not_in_the_table_and_sends_no_request() {
    let (env, before) = with_last_week_saved().await;
    forbid_requests(&env).await;
    let valid = "all, sports-teams, nonprofits, influencers, alcohol, higher-education, media, \
                 travel, tech, fashion, health-and-beauty, retail, food-and-beverage";

    let line = fails_leaving(
        &env,
        &before,
        &mut env.run(AS_OF, &["--industry", "coffee"]),
        64,
    );
    assert_eq!(
        line,
        format!(
            "tiktok-review: error: invalid value 'coffee' for '--industry <NAME>': unknown industry; use one of {valid} (see --help)"
        )
    );

    let line = fails_leaving(
        &env,
        &before,
        env.run(AS_OF, &[]).env("TIKTOK_REVIEW_INDUSTRY", "coffee"),
        64,
    );
    assert_eq!(
        line,
        format!(
            "tiktok-review: error: TIKTOK_REVIEW_INDUSTRY \"coffee\": unknown industry; use one of {valid}"
        )
    );
}
