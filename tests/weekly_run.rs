//! The weekly run end to end: the real binary against the Scavio stand-in serving realistic pages.

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn week_report_matches_the_hand_checked_figures_with_three_requests() {
    let env = TestEnv::new().await;
    // Profile + pages 1 and 2: page 2 holds a post older than the window, so page 3 is never bought.
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;

    let output = env.run(AS_OF, &[]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        "@examplecreator week to 2026-11-15: 7 posts, 5,123,649,469 views, engagement 8.0%, \
         first report; report tiktok_reports/examplecreator/report_2026-11-15.json\n"
    );

    let r = env.report("2026-11-15");
    assert_eq!(r["schema_version"], 6);
    assert_eq!(r["user"], "examplecreator");
    assert_eq!(
        r["window"],
        json!({"start": "2026-11-08T20:00:00Z", "end": "2026-11-15T20:00:00Z"})
    );
    assert_eq!(
        r["account"],
        json!({"followers": 51877, "following": 12, "likes_total": 915004, "videos_total": 318})
    );
    assert_eq!(
        r["metrics"],
        json!({
            "post_count": 7,
            "total_views": 5_123_649_469u64,
            "total_likes": 398_780_826,
            "total_comments": 1_235_076,
            "total_shares": 9_877_110,
            "total_saves": 23_459_796,
            "avg_views": 731_949_924.14,
            "median_views": 35_175.0,
            "avg_likes": 56_968_689.43,
            "avg_comments": 176_439.43,
            "avg_shares": 1_411_015.71,
            "avg_saves": 3_351_399.43,
            "posts_without_saves": 0,
            "engagement_rate": 8.0,
            "mean_post_engagement_rate": 7.81,
            "top_post_share_pct": 100.0,
        })
    );

    // Newest first; the old pinned post and the post exactly at the window's end are out, the
    // in-week pinned post (also repeated further down page 1) is in once, the post exactly at the
    // window's start is in.
    assert_eq!(
        ids(&r["posts"]),
        [
            "7579000000000000302",
            "7578000000000000303",
            "7578000000000000304",
            "7577000000000000305",
            "7577000000000000204",
            "7576000000000000401",
            "7576000000000000402",
        ]
    );
    let post = |id: &str| -> Value {
        r["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        post("7578000000000000304"),
        json!({
            "id": "7578000000000000304",
            "url": "https://www.tiktok.com/@examplecreator/video/7578000000000000304",
            "caption": "the 3 second espresso trick #coffee #barista #fyp",
            "posted_at": "2026-11-13T21:45:00Z",
            "views": 5_123_456_789u64,
            "likes": 398_765_432,
            "comments": 1_234_567,
            "shares": 9_876_543,
            "saves": 23_456_789,
            "engagement_rate": 8.0,
            "duration_s": 15.9,
            "hashtags": ["coffee", "barista", "fyp"],
            "pinned": false,
            "format": "video",
            "original_sound": true,
            "age_hours": 46.3,
            "views_per_hour": 110_777_444.09,
            "too_new": false,
            // The other posts with views: 7,730, 18,200, 18,350, 52,000, 96,400 → median 18,350.
            "vs_median": 279_207.45,
            "breakout": true,
            // 8 % engagement against a median post of about 8 %: a real breakout.
            "views_without_engagement": false,
        })
    );
    assert_eq!(
        post("7579000000000000302")["too_new"],
        true,
        "posted 5 h 55 min before as-of"
    );
    assert_eq!(post("7579000000000000302")["age_hours"], 5.9);
    let photo = post("7578000000000000303");
    assert_eq!(
        (
            &photo["format"],
            &photo["views"],
            &photo["engagement_rate"],
            &photo["duration_s"]
        ),
        (&json!("photo"), &json!(0), &Value::Null, &Value::Null)
    );
    assert_eq!(post("7577000000000000204")["pinned"], true);
    assert_eq!(
        post("7576000000000000401")["views"],
        18200,
        "string counts are read"
    );
    assert_eq!(
        post("7576000000000000402")["url"],
        "https://www.tiktok.com/@examplecreator/video/7576000000000000402",
        "the link from share_info, without its query"
    );
    assert_eq!(post("7579000000000000302")["original_sound"], false);

    assert_eq!(
        ids(&r["top"]),
        [
            "7577000000000000204",
            "7576000000000000402",
            "7579000000000000302"
        ]
    );
    assert_eq!(
        ids(&r["bottom"]),
        [
            "7576000000000000401",
            "7577000000000000305",
            "7578000000000000304"
        ]
    );
    assert_eq!(
        ids(&r["top_by_views"]),
        [
            "7578000000000000304",
            "7577000000000000204",
            "7576000000000000402"
        ]
    );
    assert_eq!(
        r["top"][0],
        json!({
            "rank": 1, "id": "7577000000000000204",
            "url": "https://www.tiktok.com/@examplecreator/video/7577000000000000204",
            "views": 96400, "likes": 8120, "comments": 233, "shares": 402, "saves": 1210,
            "engagement_rate": 9.08, "too_new": false,
        })
    );
    assert_eq!(
        r["top"][2]["too_new"], true,
        "a post under 24 h old is marked wherever it ranks"
    );
    assert_eq!(r["previous"], Value::Null);
    assert_eq!(r["deltas"], json!({}));
    assert_eq!(
        r["insights"]["basis"],
        json!({"weeks": 1, "posts": 7, "first_posted_at": "2026-11-08T20:00:00Z",
               "last_posted_at": "2026-11-15T14:05:00Z", "small_sample": true,
               "median_views": 35175.0, "engagement_rate": 8.0})
    );
    assert_eq!(r["insights"]["timezone"], "UTC");
    assert_eq!(
        r["insights"]["data_quality"],
        json!([
            "1 post reports 0 views (photo posts often do), so it has no engagement rate: 7578000000000000303"
        ])
    );
    assert_eq!(
        r["api"],
        json!({"requests": 3, "credits_used": 3, "credits_remaining": 6543, "leg": "app"})
    );
    assert!(r["generated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        env.files(),
        [
            ".lock",
            ".sec_uid",
            "report_2026-11-15.html",
            "report_2026-11-15.json",
            "report_2026-11-15.md"
        ]
    );
}

#[tokio::test]
async fn two_weekly_runs_compare_with_deltas() {
    let env = TestEnv::new().await;
    // The earlier week needs pages 1 to 3: its window starts further down the feed.
    env.serve_feed("profile_2026-11-08.json", [1, 1, 1, 0])
        .await;
    env.run(WEEK_BEFORE, &["--quiet"])
        .assert()
        .success()
        .stdout("");
    env.verify_and_reset().await;

    let first = env.report("2026-11-08");
    assert_eq!(first["metrics"]["post_count"], 6);
    assert_eq!(first["metrics"]["total_views"], 156_500);
    assert_eq!(
        first["metrics"]["total_saves"], 3452,
        "a post without collect_count is left out of the sum (see tests/data_quality.rs)"
    );
    assert_eq!(first["metrics"]["engagement_rate"], 8.64);
    assert_eq!(first["metrics"]["mean_post_engagement_rate"], 8.11);
    assert_eq!(first["metrics"]["avg_views"], 26_083.33);
    assert_eq!(
        ids(&first["top"]),
        [
            "7573000000000000502",
            "7574000000000000405",
            "7575000000000000404"
        ]
    );
    assert_eq!(first["api"]["requests"], 4);
    let saved_before = std::fs::read(env.user_dir().join("report_2026-11-08.json")).unwrap();

    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &[]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("views +3,273,797.4% vs 2026-11-08"),
        "{stdout}"
    );

    let r = env.report("2026-11-15");
    assert_eq!(
        r["previous"],
        json!({"date": "2026-11-08", "file": "report_2026-11-08.json"})
    );
    assert_eq!(r["deltas"].as_object().unwrap().len(), 16);
    assert_eq!(
        r["deltas"]["followers"],
        json!({"previous": 48210, "current": 51877, "change": 3667, "change_pct": 7.61})
    );
    assert_eq!(
        r["deltas"]["post_count"],
        json!({"previous": 6, "current": 7, "change": 1, "change_pct": 16.67})
    );
    assert_eq!(
        r["deltas"]["engagement_rate"],
        json!({"previous": 8.64, "current": 8.0, "change": -0.64, "change_pct": -7.41})
    );
    let momentum = &r["recommendations"][0];
    assert_eq!(momentum["kind"], "momentum");
    assert_eq!(
        momentum["evidence"],
        "views 5,123,649,469 vs 156,500; median views 35,175 vs 20,100; engagement rate 8.0% vs 8.6%"
    );
    assert_eq!(
        std::fs::read(env.user_dir().join("report_2026-11-08.json")).unwrap(),
        saved_before,
        "the earlier report is never changed"
    );
}

#[tokio::test]
async fn skipped_week_still_compares_with_the_last_report() {
    let env = TestEnv::new().await;
    env.serve_feed("profile_2026-11-08.json", [1, 1, 1, 0])
        .await;
    env.run(WEEK_BEFORE, &["-q"]).assert().success();
    env.verify_and_reset().await;

    // Two weeks later: page 1 already reaches past the window's start.
    env.serve_feed("profile.json", [1, 0, 0, 0]).await;
    env.run("2026-11-22T20:00:00Z", &["-q"]).assert().success();
    let r = env.report("2026-11-22");
    assert_eq!(r["previous"]["date"], "2026-11-08");
    assert_eq!(
        ids(&r["posts"]),
        ["7579000000000000301"],
        "the post at the old window's end starts this one"
    );
    assert_eq!(r["deltas"]["post_count"]["change"], -5);
    assert_eq!(r["api"]["requests"], 2);
}

#[tokio::test]
async fn insights_draw_on_a_growing_history_of_weekly_reports() {
    let env = TestEnv::new().await;
    // Week to Nov 1: the whole feed (its oldest post is inside that week), so 5 requests.
    env.serve_feed("profile_2026-11-08.json", [1, 1, 1, 1])
        .await;
    env.run("2026-11-01T20:00:00Z", &["-q", "--tz", "Europe/Berlin"])
        .assert()
        .success();
    env.verify_and_reset().await;
    env.with_last_week(&["--tz", "Europe/Berlin"]).await;
    env.run(AS_OF, &["-q", "--tz", "Europe/Berlin"])
        .assert()
        .success();

    let basis = |date: &str| {
        let b = &env.report(date)["insights"]["basis"];
        (
            b["weeks"].as_u64().unwrap(),
            b["posts"].as_u64().unwrap(),
            b["small_sample"].as_bool().unwrap(),
        )
    };
    assert_eq!(basis("2026-11-01"), (1, 2, true));
    assert_eq!(basis("2026-11-08"), (2, 8, true));
    assert_eq!(basis("2026-11-15"), (3, 15, false));

    let r = env.report("2026-11-15");
    assert_eq!(
        r["insights"]["basis"]["first_posted_at"],
        "2026-10-26T10:00:00Z"
    );
    assert_eq!(r["insights"]["timezone"], "Europe/Berlin");
    // 7576000000000000402 was posted Sun 2026-11-08 20:00 UTC: 21:00 in Berlin.
    let sunday = r["insights"]["posting_times"]["by_weekday"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["weekday"] == "Sun")
        .unwrap();
    assert_eq!(sunday["posts"], 3);
    let hashtags = &r["insights"]["hashtags"];
    assert_eq!(hashtags["tags"][0]["tag"], "coffee");
    assert_eq!(hashtags["tags"][0]["posts"], 9);
    assert_eq!(hashtags["without_hashtags"]["posts"], 2);
    let kinds: Vec<&str> = r["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rec| rec["kind"].as_str().unwrap())
        .collect();
    // No slot has 3 posts on 2 days yet; 7 posts against a usual 4 (4 and 4) is a busier week.
    assert_eq!(
        kinds,
        ["momentum", "best_time", "double_down", "consistency"]
    );
    assert_eq!(r["recommendations"][1]["claim"], Value::Null);
    assert_eq!(
        r["recommendations"][2]["evidence"],
        "#coffee posts had a median of 35,175 views over 9 posts, 1.9× your median of 18,275; \
         this week's breakout among them: “the 3 second espresso trick #coffee…” drew \
         5,123,456,789 views, 281,508.6× the median of your other posts",
        "the same 9 posts as the hashtag table; the median counts the 8 with views"
    );
    assert_eq!(
        r["recommendations"][2]["claim"]["posts"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    assert_eq!(
        r["recommendations"][3]["evidence"],
        "7 posts this week vs a median of 4 over the previous 2 weeks"
    );
}

#[tokio::test]
async fn rerunning_the_same_day_replaces_the_report_and_never_compares_with_itself() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [2, 2, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    env.run("2026-11-15T20:00:00Z", &["-q"]).assert().success();
    let r = env.report("2026-11-15");
    assert_eq!(r["previous"], Value::Null);
    assert_eq!(
        env.files(),
        [
            ".lock",
            ".sec_uid",
            "report_2026-11-15.html",
            "report_2026-11-15.json",
            "report_2026-11-15.md"
        ]
    );
}

#[tokio::test]
async fn dry_run_prints_the_report_and_writes_nothing() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["--dry-run"]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["metrics"]["post_count"], 7);
    assert_eq!(r["api"]["requests"], 3);
    assert!(
        !env.dir.path().join("tiktok_reports").exists(),
        "nothing written, not even a folder"
    );
}

#[tokio::test]
async fn dry_run_still_compares_with_saved_reports() {
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    let output = env.run(AS_OF, &["--dry-run"]).output().unwrap();
    let r: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(r["previous"]["date"], "2026-11-08");
    assert_eq!(
        env.files(),
        [
            ".lock",
            ".sec_uid",
            "report_2026-11-08.html",
            "report_2026-11-08.json",
            "report_2026-11-08.md"
        ]
    );
}

#[tokio::test]
async fn settings_come_from_a_dot_env_file_and_the_handle_from_a_profile_link() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    std::fs::write(
        env.dir.path().join(".env"),
        format!("SCAVIO_API_KEY={KEY}\nTIKTOK_REVIEW_REPORTS_DIR=out\n"),
    )
    .unwrap();
    let output = env
        .bare_cmd()
        .args([
            "run",
            "--user",
            "https://www.tiktok.com/@ExampleCreator?lang=en",
            "--as-of",
            AS_OF,
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.ends_with("report out/examplecreator/report_2026-11-15.json\n"),
        "{stdout}"
    );
}

#[tokio::test]
async fn the_user_and_reports_dir_come_from_the_environment_and_env_file_flag() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let env_file = env.dir.path().join("review.env");
    std::fs::write(&env_file, format!("SCAVIO_API_KEY={KEY}\n")).unwrap();
    env.bare_cmd()
        .env("TIKTOK_USERNAME", "@examplecreator")
        .env("TIKTOK_REVIEW_REPORTS_DIR", "elsewhere")
        .args(["run", "--quiet", "--as-of", AS_OF, "--env-file"])
        .arg(&env_file)
        .assert()
        .success()
        .stdout("");
    assert!(
        env.dir
            .path()
            .join("elsewhere/examplecreator/report_2026-11-15.json")
            .is_file()
    );
}
