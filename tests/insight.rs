//! Insight from pages already fetched: last week's posts followed up a week later, breakouts
//! against the account's own baseline, and not one request more for either.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_partial_json, method, path};

/// Unix seconds of a day in 2026 at 12:00 UTC.
fn noon(month: u32, day: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, month, day)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

fn rec(id: &str, at: i64, views: u64) -> Value {
    record(
        id,
        at,
        json!({ "play_count": views, "digg_count": views / 10 }),
    )
}

/// Serves one week: the profile and a single page holding `posts`, each expected once.
async fn serve_week(env: &TestEnv, posts: Vec<Value>) {
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    wiremock::Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(json!({ "cursor": "0" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(posts, 1, "1")))
        .expect(1)
        .mount(&env.server)
        .await;
}

#[tokio::test]
async fn last_weeks_posts_are_followed_up_from_the_pages_already_fetched() {
    let env = TestEnv::new().await;
    let old = rec("7500000000000000001", noon(9, 1), 50);
    let weeks: [(&str, Vec<Value>); 3] = [
        (
            "2026-11-01T20:00:00Z",
            vec![
                rec("7571000000000000002", noon(10, 30), 500),
                rec("7571000000000000001", noon(10, 28), 1_000),
                old.clone(),
            ],
        ),
        (
            "2026-11-08T20:00:00Z",
            vec![
                rec("7572000000000000002", noon(11, 7), 0),
                rec("7572000000000000001", noon(11, 5), 2_000),
                rec("7571000000000000002", noon(10, 30), 500),
                rec("7571000000000000001", noon(10, 28), 1_800),
                old.clone(),
            ],
        ),
        (
            "2026-11-15T20:00:00Z",
            vec![
                rec("7573000000000000001", noon(11, 12), 900),
                rec("7572000000000000002", noon(11, 7), 400),
                rec("7572000000000000001", noon(11, 5), 3_000),
                rec("7571000000000000001", noon(10, 28), 2_100),
            ],
        ),
    ];
    let mut reports = Vec::new();
    for (as_of, posts) in weeks {
        serve_week(&env, posts).await;
        env.run(as_of, &["-q"]).assert().success().stderr("");
        env.verify_and_reset().await;
        reports.push(env.report(&as_of[..10]));
    }
    for r in &reports {
        assert_eq!(r["api"]["requests"], 2, "the profile and one page, no more");
    }
    assert_eq!(reports[0]["followup"], json!([]), "no previous report");

    // Week 2 follows up week 1's two posts: 1,000 → 1,800 (+80 %), 500 → 500.
    let f = &reports[1]["followup"];
    assert_eq!(
        f[0],
        json!({
            "id": "7571000000000000001",
            "url": "https://www.tiktok.com/@examplecreator/video/7571000000000000001",
            "caption": "post 7571000000000000001 #test",
            "posted_at": "2026-10-28T12:00:00Z",
            "views_then": 1_000, "views_now": 1_800, "growth_pct": 80.0,
            // Oct 28 12:00 → Nov 1 20:00 is 104 h; → Nov 8 20:00 is 272 h.
            "age_then_hours": 104.0, "age_now_hours": 272.0,
        })
    );
    assert_eq!(
        (f[1]["id"].as_str(), &f[1]["growth_pct"]),
        (Some("7571000000000000002"), &json!(0.0))
    );
    assert_eq!(f.as_array().unwrap().len(), 2);

    // Week 3 follows up week 2's posts only: 2,000 → 3,000 (+50 %), and 0 → 400 (no percentage).
    let f = &reports[2]["followup"];
    let rows: Vec<(&str, &Value, &Value)> = f
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["id"].as_str().unwrap(), &x["views_now"], &x["growth_pct"]))
        .collect();
    assert_eq!(
        rows,
        [
            ("7572000000000000001", &json!(3_000), &json!(50.0)),
            ("7572000000000000002", &json!(400), &Value::Null),
        ]
    );
    let md = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.md")).unwrap();
    assert!(
        md.contains(
            "2 of last week's 2 posts were seen again on this week's pages (no extra request)."
        ),
        "{md}"
    );
    assert!(
        md.contains("| 2,000 | 3,000 | +50.00% |") && md.contains("| 0 | 400 | from 0 |"),
        "{md}"
    );

    // Week 1's post seen again in week 3 counts in the basis with its newest figures (2,100).
    let basis = &reports[2]["insights"]["basis"];
    assert_eq!(basis["posts"], 5);
    // Views with readable figures: 900, 400, 3,000, 2,100, 500 → median 900.
    assert_eq!(basis["median_views"], 900.0);
}
