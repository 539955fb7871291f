//! Data that is missing or odd, end to end through the binary against the Scavio stand-in: saves
//! an older app version did not send are unknown in every output (never 0), a partial sum of saves
//! is not compared, and a post with more shares than views is named, kept in the totals and left
//! out of the benchmark, beside a post whose counts came rounded as the web pages show them.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

/// Serves the profile and `page` (a fixture) as the first and only page of the week, each once.
async fn serve_one_page(env: &TestEnv, page: &str) {
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(
            json!({ "sec_user_id": "MS4wLjABAAAAexample", "cursor": "0" }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture(page)))
        .expect(1)
        .named(page)
        .mount(&env.server)
        .await;
}

/// One of a saved report's `posts`, as a report of schema 1–3 wrote it; `saves` left out when
/// `None` (a field the old report does not have).
fn old_post(id: &str, posted_at: &str, views: u64, saves: Option<u64>) -> Value {
    let mut post = json!({
        "id": id, "url": format!("https://www.tiktok.com/@examplecreator/video/{id}"),
        "caption": "an older post #coffee", "posted_at": posted_at, "views": views,
        "likes": views / 10, "comments": 3, "shares": 1, "duration_s": 21.0,
        "hashtags": ["coffee"], "pinned": false, "format": "video", "original_sound": true,
        "engagement_rate": 10.0, "age_hours": 50.0, "views_per_hour": 10.0, "too_new": false,
    });
    if let Some(saves) = saves {
        post["saves"] = json!(saves);
    }
    post
}

/// Last week's report as a run of schema 3 wrote it for an account on an older app version: 0
/// saves in its totals, 0 on one post, and a post without the field at all.
fn last_weeks_report_with_0_saves() -> String {
    let report = json!({
        "schema_version": 3, "user": USER, "generated_at": "2026-11-08T20:00:03Z",
        "window": { "start": "2026-11-01T20:00:00Z", "end": "2026-11-08T20:00:00Z" },
        "account": { "followers": 48210, "following": 12, "likes_total": 912345, "videos_total": 311 },
        "metrics": {
            "post_count": 2, "total_views": 30000, "total_likes": 3000, "total_comments": 6,
            "total_shares": 2, "total_saves": 0, "avg_views": 15000.0, "median_views": 15000.0,
            "avg_likes": 1500.0, "avg_comments": 3.0, "avg_shares": 1.0, "avg_saves": 0.0,
            "engagement_rate": 10.03, "mean_post_engagement_rate": 10.03, "top_post_share_pct": 66.67
        },
        "posts": [
            old_post("7574000000000000801", "2026-11-05T18:00:00Z", 20000, Some(0)),
            old_post("7573000000000000802", "2026-11-03T18:00:00Z", 10000, None),
        ],
        "top": [], "bottom": [], "top_by_views": [], "previous": null, "deltas": {},
        "followup": [], "recommendations": [],
        "api": { "requests": 2, "credits_used": 2, "credits_remaining": 6546 }
    });
    serde_json::to_string_pretty(&report).unwrap() + "\n"
}

fn read(env: &TestEnv, name: &str) -> String {
    std::fs::read_to_string(env.user_dir().join(name)).unwrap()
}

fn notes(report: &Value) -> Vec<&str> {
    (report["insights"]["data_quality"]
        .as_array()
        .unwrap()
        .iter())
    .map(|n| n.as_str().unwrap())
    .collect()
}

#[tokio::test]
async fn saves_an_older_app_did_not_send_are_unknown_in_every_output_never_0() {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    let last_week = last_weeks_report_with_0_saves();
    std::fs::write(env.user_dir().join("report_2026-11-08.json"), &last_week).unwrap();
    serve_one_page(&env, "posts_older_app.json").await;

    let output = env.run(AS_OF, &[]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "", "an older app version is not an error");
    // (1,730 + 702 + 1,288 + 64 + 18 + 97 + 41 + 9 + 35) / (21,480 + 9,215 + 15,032) = 3,984 /
    // 45,727 = 8.71 %; 45,727 / 30,000 = +52.4 %.
    assert!(
        stdout.starts_with(
            "@examplecreator week to 2026-11-15: 3 posts, 45,727 views, engagement 8.7%, views +52.4% vs 2026-11-08;"
        ),
        "{stdout}"
    );
    env.server.verify().await;

    let r = env.report("2026-11-15");
    let m = &r["metrics"];
    assert_eq!(
        (&m["total_views"], &m["total_likes"], &m["engagement_rate"]),
        (&json!(45_727), &json!(3_720), &json!(8.71))
    );
    assert_eq!(
        (
            &m["total_saves"],
            &m["avg_saves"],
            &m["posts_without_saves"]
        ),
        (&Value::Null, &Value::Null, &json!(3))
    );
    for list in ["posts", "top", "top_by_views"] {
        for post in r[list].as_array().unwrap() {
            assert_eq!(post["saves"], Value::Null, "{list}: {post}");
        }
    }
    // Last week's 0 is read back; this week's unknown is not compared with it.
    assert_eq!(
        r["deltas"]["total_saves"],
        json!({"previous": 0, "current": null, "change": null, "change_pct": null})
    );
    assert_eq!(r["deltas"]["avg_saves"]["change"], Value::Null);
    assert_eq!(r["deltas"]["total_views"]["change"], 15_727);
    assert_eq!(
        r["insights"]["basis"]["posts"], 5,
        "last week's posts read back"
    );
    assert_eq!(
        notes(&r),
        [
            "Saves were not in Scavio's answer for any of the week's 3 posts (older TikTok app versions leave collect_count out), so total saves and saves per post are unknown, not 0"
        ]
    );

    let md = read(&env, "report_2026-11-15.md");
    assert!(md.contains("\n| Saves | unknown | 0 | n/a |\n"), "{md}");
    assert!(
        md.contains("\n| Saves per post | unknown | 0 | n/a |\n"),
        "{md}"
    );
    // 45,727 / 3 = 15,242.33 views per post, written whole.
    assert!(
        md.contains("\n| Views per post | 15,242 | 15,000 | ▲ 242 (+1.62%) |\n"),
        "{md}"
    );
    assert!(md.contains("## Data quality\n\n- Saves were not in Scavio's answer"));
    let html = read(&env, "report_2026-11-15.html");
    assert!(
        html.contains(
            "<tr><td>Saves</td><td>unknown</td><td>0</td><td class=\"change\">n/a</td></tr>"
        ),
        "{html}"
    );
    assert_eq!(
        read(&env, "report_2026-11-08.json"),
        last_week,
        "the earlier report is never changed"
    );
}

#[tokio::test]
async fn a_post_with_more_shares_than_views_is_named_kept_in_the_totals_and_out_of_the_benchmark() {
    let env = TestEnv::new().await;
    serve_one_page(&env, "posts_odd_counts.json").await;

    let output = env.run(AS_OF, &[]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: @examplecreator: 1 post of the week has figures that look wrong (see data_quality)\n"
    );
    // (42,598 + 1,292 + 417,700) / 700,344 = 65.91 %: the week's totals keep the odd post.
    assert!(
        stdout.starts_with("@examplecreator week to 2026-11-15: 3 posts, 700,344 views, engagement 65.9%, first report;"),
        "{stdout}"
    );
    env.server.verify().await;

    let r = env.report("2026-11-15");
    let m = &r["metrics"];
    assert_eq!(
        [
            &m["total_views"],
            &m["total_likes"],
            &m["total_comments"],
            &m["total_shares"],
            &m["total_saves"],
            &m["engagement_rate"]
        ],
        [
            &json!(700_344),
            &json!(42_598),
            &json!(1_292),
            &json!(417_700),
            &json!(12_697),
            &json!(65.91)
        ]
    );
    // Without it: (1,010 + 37 + 22 + 41,200 + 1,234 + 2,100) / (12,480 + 682,900) = 45,603 /
    // 695,380 = 6.56 %, and 6.56 / 3.4 = 1.93 (19.39 with it).
    let b = &r["benchmark"];
    assert_eq!(
        (&b["account_rate"], &b["ratio"], &b["excluded_posts"]),
        (&json!(6.56), &json!(1.93), &json!(["7579000000000000701"]))
    );
    // (388 + 21 + 415,578) / 4,964 = 8,380.08 %: the post keeps its own figures.
    let odd = &r["posts"][0];
    assert_eq!(
        (&odd["id"], &odd["shares"], &odd["engagement_rate"]),
        (
            &json!("7579000000000000701"),
            &json!(415_578),
            &json!(8380.08)
        )
    );
    assert_eq!(
        notes(&r),
        [
            "post 7579000000000000701 has more shares (415,578) than views (4,964): it counts in the totals but not in the benchmark's engagement rate",
            "1 post has counts that look rounded, as TikTok's web pages show them (59.1K, 2.4M), so its figures are approximate: 7577000000000000703",
        ]
    );

    let md = read(&env, "report_2026-11-15.md");
    assert!(
        md.contains("\n**3 posts · 700,344 views · 65.9% engagement** · first report\n"),
        "{md}"
    );
    let sentence = "Engagement 6.6% vs 3.4% median for TikTok brands (all industries; Rival IQ, 2024 \
         TikTok Benchmark Report): 1.9×, leaving out 1 post with more likes, comments or shares \
         than views (see Data quality)";
    assert!(
        md.contains(&format!("## Benchmark\n\n{sentence}\n")),
        "{md}"
    );
    assert!(read(&env, "report_2026-11-15.html").contains(&format!("<p>{sentence}</p>")));
}

#[tokio::test]
async fn a_post_without_collect_count_is_left_out_of_the_sum_and_a_partial_sum_is_not_compared() {
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    // The week to 2026-11-08: 7575000000000000404 came without collect_count.
    let first = env.report("2026-11-08");
    let m = &first["metrics"];
    // 402 + 1,940 + 260 + 700 + 150 = 3,452 over 5 of 6 posts: 690.4 a post, never / 6.
    assert_eq!(
        (
            &m["total_saves"],
            &m["avg_saves"],
            &m["posts_without_saves"]
        ),
        (&json!(3452), &json!(690.4), &json!(1))
    );
    let without = (first["posts"].as_array().unwrap().iter())
        .find(|p| p["id"] == "7575000000000000404")
        .unwrap();
    assert_eq!(without["saves"], Value::Null);
    assert!(notes(&first).contains(
        &"1 of 6 posts came without a save count (collect_count), so total saves and saves per post are over the other 5; total saves are not compared with the previous report's: 7575000000000000404"
    ));

    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    let r = env.report("2026-11-15");
    assert_eq!(
        r["deltas"]["total_saves"],
        json!({"previous": 3452, "current": 23_459_796, "change": null, "change_pct": null})
    );
    // 3,351,399.43 saves a post against 690.40 a post that sent a count.
    assert_eq!(r["deltas"]["avg_saves"]["change"], 3_350_709.03);
    assert!(notes(&r).contains(
        &"Last week's total saves (3,452) were over 5 of its 6 posts (the others came without a save count), so this week's are not compared with them"
    ));
    let md = read(&env, "report_2026-11-15.md");
    assert!(
        md.contains("\n| Saves | 23,459,796 | 3,452 | n/a |\n"),
        "{md}"
    );
    assert!(
        md.contains("\n| Saves per post | 3,351,399 | 690 | ▲ 3,350,709 (+485,328.65%) |\n"),
        "{md}"
    );
}
