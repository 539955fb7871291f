//! The advice through the binary as cron runs it: five weeks of a made-up account whose last week
//! holds everything that fooled the old rules at once (a spike in posting, a slot that looks best
//! but is one evening's posts, two posts with bought-looking views, photos that trade reach for
//! engagement, posts too new to judge); and every claim of the demo's twelve weeks and the
//! fixture weeks checked against the tables it comes from.

mod claim_check;
mod common;
mod demo_data;

use chrono::TimeZone;
use claim_check::{Known, contradictions};
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const TZ: &str = "America/New_York";

/// What a post of the scenario is: its local time, views, engagement in per mille, and kind.
struct Spec {
    id: &'static str,
    /// `YYYY-MM-DD HH:MM` in New York.
    at: &'static str,
    views: u64,
    per_mille: u64,
    caption: &'static str,
    /// Seconds, or `None` for a photo post.
    length: Option<u64>,
}

const fn s(
    id: &'static str,
    at: &'static str,
    views: u64,
    per_mille: u64,
    caption: &'static str,
    length: Option<u64>,
) -> Spec {
    Spec {
        id,
        at,
        views,
        per_mille,
        caption,
        length,
    }
}

/// The five weeks, oldest first: `(as-of, posts of the week)`.
#[rustfmt::skip]
const WEEKS: [(&str, &[Spec]); 5] = [
    ("2026-10-18T20:00:00Z", &[
        s("7561000000000000001", "2026-10-13 12:30", 14_000, 80, "shaping a batard #bread", Some(20)),
        s("7561000000000000002", "2026-10-12 17:00", 10_000, 80, "crumb shot #bread", Some(22)),
        s("7561000000000000003", "2026-10-14 15:30", 1_500, 140, "the week in loaves", None),
        s("7561000000000000004", "2026-10-15 11:00", 3_000, 60, "a day at the market #vlog", Some(90)),
    ]),
    ("2026-10-25T20:00:00Z", &[
        s("7562000000000000001", "2026-10-20 12:40", 14_500, 80, "scoring patterns #bread", Some(20)),
        s("7562000000000000002", "2026-10-19 17:10", 10_500, 80, "levain check #bread", Some(22)),
        s("7562000000000000003", "2026-10-21 15:30", 1_600, 145, "flour haul, photos", None),
        s("7562000000000000004", "2026-10-22 11:00", 3_200, 60, "baker's sunday #vlog", Some(90)),
    ]),
    ("2026-11-01T20:00:00Z", &[
        s("7563000000000000001", "2026-10-27 12:20", 13_500, 80, "autolyse explained #bread", Some(20)),
        s("7563000000000000002", "2026-10-26 17:05", 9_800, 80, "oven spring #bread", Some(22)),
        s("7563000000000000003", "2026-10-28 15:30", 1_450, 135, "crumb gallery", None),
        s("7563000000000000004", "2026-10-29 11:00", 1_800, 65, "new bannetons #haul", Some(45)),
    ]),
    ("2026-11-08T20:00:00Z", &[
        s("7564000000000000001", "2026-11-03 12:35", 15_000, 80, "cold retard #bread", Some(20)),
        s("7564000000000000002", "2026-11-02 17:00", 10_200, 80, "bake day #bread", Some(22)),
        s("7564000000000000003", "2026-11-04 15:30", 1_550, 140, "loaf portraits", None),
        s("7564000000000000004", "2026-11-05 11:00", 1_700, 65, "a new lame #haul", Some(45)),
    ]),
    ("2026-11-15T20:00:00Z", &[
        s("7565000000000000001", "2026-11-10 12:30", 14_200, 80, "stretch and fold #bread", Some(20)),
        // One Friday evening of focaccia: the slot's three posts, all on one day.
        s("7565000000000000002", "2026-11-13 18:30", 42_000, 90, "friday focaccia, part 1 #bread", Some(25)),
        s("7565000000000000003", "2026-11-13 19:30", 45_000, 90, "friday focaccia, part 2 #bread", Some(25)),
        s("7565000000000000004", "2026-11-13 20:30", 40_000, 85, "friday focaccia, part 3 #bread", Some(25)),
        // Views far above the usual with almost no engagement: boosted or bought.
        s("7565000000000000005", "2026-11-11 10:00", 150_000, 0, "giveaway #fyp", Some(10)),
        s("7565000000000000006", "2026-11-11 11:00", 140_000, 0, "giveaway, again #fyp", Some(12)),
        s("7565000000000000007", "2026-11-12 09:00", 9_000, 80, "quick tip #fyp", Some(10)),
        // Posted less than 24 hours before the week ended.
        s("7565000000000000008", "2026-11-14 16:00", 600, 50, "more tins #haul", Some(45)),
        s("7565000000000000011", "2026-11-15 09:00", 400, 50, "and a scale #haul", Some(45)),
        s("7565000000000000009", "2026-11-12 15:30", 1_400, 150, "the focaccia, still", None),
        s("7565000000000000010", "2026-11-09 13:00", 3_100, 60, "market again #vlog", Some(90)),
    ]),
];

fn unix(local: &str) -> i64 {
    let tz: chrono_tz::Tz = TZ.parse().unwrap();
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
    tz.from_local_datetime(&naive).unwrap().timestamp()
}

fn record(spec: &Spec) -> Value {
    // The bought-looking posts: 100 and 90 likes on 150,000 and 140,000 views.
    let likes = match spec.per_mille {
        0 => spec.views / 1_500,
        m => spec.views * m / 1_000 * 8 / 10,
    };
    let rest = spec.views * spec.per_mille / 1_000 / 10;
    let mut r = json!({
        "aweme_id": spec.id, "desc": spec.caption, "create_time": unix(spec.at),
        "is_top": 0, "aweme_type": 0,
        "statistics": { "play_count": spec.views, "digg_count": likes, "comment_count": rest,
                        "share_count": rest, "collect_count": rest },
        "author": { "unique_id": USER },
    });
    match spec.length {
        Some(secs) => r["video"] = json!({ "duration": secs * 1_000 }),
        None => {
            r["aweme_type"] = json!(150);
            r["image_post_info"] = json!({ "images": [] });
            r["video"] = json!({ "duration": 0 });
        }
    }
    r
}

/// Serves one run: the profile and one page holding this week's posts and last week's (which
/// reach past the window, so the run asks for no second page).
async fn serve(env: &TestEnv, posts: Vec<Value>) {
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(json!({ "cursor": "0" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(posts, 1, "1")))
        .expect(1)
        .mount(&env.server)
        .await;
}

fn kinds(report: &Value) -> Vec<&str> {
    (report["recommendations"].as_array().unwrap().iter())
        .map(|r| r["kind"].as_str().unwrap())
        .collect()
}

fn recommendation<'a>(report: &'a Value, kind: &str) -> &'a Value {
    (report["recommendations"].as_array().unwrap().iter())
        .find(|r| r["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {:#}", report["recommendations"]))
}

#[tokio::test]
async fn a_spike_week_with_one_evenings_slot_bought_views_photos_and_new_posts_gets_careful_advice()
{
    let env = TestEnv::new().await;
    let old = json!({ "aweme_id": "7550000000000000001", "desc": "an old loaf", "is_top": 0,
        "create_time": unix("2026-09-01 12:00"), "statistics": { "play_count": 9_000 },
        "video": { "duration": 20_000 }, "author": { "unique_id": USER } });
    let mut known = Known::exact();
    let mut reports = Vec::new();
    let mut last_week: Vec<Value> = vec![old];
    for (as_of, specs) in WEEKS {
        let this_week: Vec<Value> = specs.iter().map(record).collect();
        serve(&env, this_week.iter().chain(&last_week).cloned().collect()).await;
        env.run(as_of, &["-q", "--tz", TZ])
            .assert()
            .success()
            .stderr("");
        env.verify_and_reset().await;
        let report = env.report(&as_of[..10]);
        known.learn(&report);
        let wrong = contradictions(&report, &known);
        assert!(wrong.is_empty(), "{wrong:#?}");
        reports.push(report);
        last_week = this_week;
    }
    let last = reports.last().unwrap();
    assert_eq!(last["schema_version"], 6);
    assert_eq!(
        kinds(last),
        [
            "momentum",
            "best_time",
            "double_down",
            "drop",
            "trade_off",
            "consistency"
        ]
    );
    // Basis: 27 posts; their views' median is the 14th, 9,800.
    assert_eq!(last["insights"]["basis"]["median_views"], 9_800.0);

    // The two giveaway posts: 16.0× and 14.9× the others' median (9,400) at 0.07 %, under a fifth
    // of the median post engagement, 8.0 %.
    let posts = last["posts"].as_array().unwrap();
    let flagged: Vec<&str> = (posts.iter())
        .filter(|p| p["views_without_engagement"] == true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, ["7565000000000000006", "7565000000000000005"]);
    assert!(
        posts
            .iter()
            .all(|p| p["views_without_engagement"] == false || p["breakout"] == false)
    );
    let notes = last["insights"]["data_quality"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().starts_with(
            "Post 7565000000000000005 (“giveaway #fyp”) has 16.0× your median views but 0.1% engagement, under a fifth of your median post's 8.0%: views like these are often boosted, promoted or bought"
        )),
        "{notes:#?}"
    );

    // The story of the week is the strongest real breakout: 45,000 ÷ 9,400 = 4.79.
    let momentum = recommendation(last, "momentum");
    assert!(
        momentum["message"].as_str().unwrap().ends_with(
            ": this week's story is “friday focaccia, part 2 #bread”, 4.8× the median of your \
             other posts: work out what it did differently and make more like it."
        ),
        "{momentum}"
    );

    // Wed 09–12 (two bought posts) and Fri 18–21 (one evening) rank above Tue 12–15 in the table,
    // which is the best slot with 3 posts on 2 days: 14,200 over 5 posts on 5 days.
    let slots: Vec<&str> = (last["insights"]["posting_times"]["best_slots"]
        .as_array()
        .unwrap())
    .iter()
    .map(|s| s["slot"].as_str().unwrap())
    .collect();
    assert_eq!(
        slots,
        ["Wed 09:00–12:00", "Fri 18:00–21:00", "Tue 12:00–15:00"]
    );
    let best_time = recommendation(last, "best_time");
    assert_eq!(
        best_time["message"],
        "Post on Tue 12:00–15:00 (America/New_York): of the slots with 3 or more posts on 2 or more different days, it is your strongest."
    );
    assert_eq!(
        best_time["evidence"],
        "Posts at Tue 12:00–15:00 had a median of 14,200 views over 5 posts, 1.4× your median of 9,800; they went out on 5 different days"
    );
    assert_eq!(best_time["claim"]["value"], 14_200.0);

    // #bread: 12 posts, median (14,000 + 14,200) / 2; #fyp and 0-15s hold the bought posts.
    let double_down = recommendation(last, "double_down");
    assert_eq!(
        double_down["claim"],
        json!({
            "dimension": "hashtag", "group": "bread", "measure": "median_views",
            "value": 14_100.0, "baseline": 9_800.0,
            "posts": [
                "7565000000000000004", "7565000000000000003", "7565000000000000002",
                "7565000000000000001", "7564000000000000001", "7564000000000000002",
                "7563000000000000001", "7563000000000000002", "7562000000000000001",
                "7562000000000000002", "7561000000000000001", "7561000000000000002"
            ],
            "cited_post": "7565000000000000003"
        })
    );

    // #haul trails most (median 1,150) but two of its four posts are too new; photos trail too
    // but have the best engagement of the formats: #vlog (3,100) is the one to drop.
    let drop = recommendation(last, "drop");
    assert_eq!(
        drop["message"],
        "Make fewer #vlog posts, or rework them: they trail your typical post."
    );
    let trade_off = recommendation(last, "trade_off");
    assert_eq!(trade_off["claim"]["group"], "photo");
    assert_eq!(trade_off["claim"]["measure"], "engagement_rate");
    // Photos: 1,060 engaged of 7,500 views = 14.13 %; the two giveaways drag the account's rate
    // down to 4.11 %.
    assert_eq!(
        trade_off["evidence"],
        "Photo posts had a median of 1,500 views over 5 posts, 0.2× your median of 9,800, but an engagement rate of 14.1%, the best of your formats, against 4.1% over all your posts"
    );

    // 11 posts against the median of 4, 4, 4, 4.
    let consistency = recommendation(last, "consistency");
    assert_eq!(
        consistency["message"],
        "A busier week than usual: 11 posts against your usual 4 a week; see whether the extra posts kept their views before making it a habit."
    );
    assert_eq!(
        consistency["evidence"],
        "11 posts this week vs a median of 4 over the previous 4 weeks"
    );

    let md = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.md")).unwrap();
    assert!(
        md.contains("- **trade off** — Photo posts reach fewer people"),
        "{md}"
    );
    assert!(!md.contains("Fri 18:00–21:00 (America"), "{md}");
}

#[tokio::test]
async fn no_claim_of_the_demo_or_fixture_weeks_is_contradicted_by_its_table() {
    let env = TestEnv::new().await;
    let mut known = Known::default();
    let mut claims = 0;
    for week in demo_data::weeks().unwrap() {
        demo_data::serve(&env.server, &week).await.unwrap();
        (env.cmd())
            .args([
                "run",
                "-q",
                "--user",
                demo_data::HANDLE,
                "--tz",
                demo_data::TZ,
            ])
            .args(["--as-of", &week.as_of()])
            .assert()
            .success();
        env.verify_and_reset().await;
        let path = (env.dir.path().join("tiktok_reports"))
            .join(demo_data::HANDLE)
            .join(format!("report_{}.json", week.date));
        let report: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        known.learn(&report);
        let wrong = contradictions(&report, &known);
        assert!(wrong.is_empty(), "{wrong:#?}");
        claims += (report["recommendations"].as_array().unwrap().iter())
            .filter(|r| !r["claim"].is_null())
            .count();
    }
    assert!(claims >= 40, "{claims} claims over the demo");

    let mut known = Known::default();
    env.with_last_week(&[]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    for date in [WEEK_BEFORE, AS_OF] {
        let report = env.report(&date[..10]);
        known.learn(&report);
        let wrong = contradictions(&report, &known);
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
