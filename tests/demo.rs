//! The demo's sample data (`demo/data/`, written by `scripts/gen_demo_data.py`) through the
//! real binary as cron runs it, twelve Sundays in a row, against a stand-in that expects each
//! answer exactly once; and the data itself: small, and true to how posts keep gathering views.

mod common;
mod demo_data;

use std::collections::HashMap;

use common::{TestEnv, texts};
use demo_data::{HANDLE, TZ, Week};
use serde_json::Value;

fn report(env: &TestEnv, date: &str) -> Value {
    let path =
        (env.dir.path().join("tiktok_reports").join(HANDLE)).join(format!("report_{date}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// `(id, create_time, views)` of every record on the week's pages, pinned posts left out.
fn fetched(week: &Week) -> Vec<(String, i64, u64)> {
    let mut posts = Vec::new();
    for (_, page) in &week.pages {
        let page: Value = serde_json::from_str(page).unwrap();
        for r in page["data"]["aweme_list"].as_array().unwrap() {
            if r["is_top"] == 1 {
                continue;
            }
            posts.push((
                r["aweme_id"].as_str().unwrap().to_string(),
                r["create_time"].as_i64().unwrap(),
                r["statistics"]["play_count"].as_u64().unwrap(),
            ));
        }
    }
    posts
}

fn end_of(week: &Week) -> i64 {
    week.as_of()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        .timestamp()
}

#[tokio::test]
async fn twelve_demo_weeks_run_through_the_binary_at_the_cost_of_their_pages() {
    let env = TestEnv::new().await;
    let weeks = demo_data::weeks().unwrap();
    assert_eq!(weeks.len(), 12);
    for week in &weeks {
        demo_data::serve(&env.server, week).await.unwrap();
        let output = (env.cmd())
            .args(["run", "--user", HANDLE, "--tz", TZ, "--as-of"])
            .arg(week.as_of())
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{stderr}");
        assert_eq!(stderr, "", "the demo data raises no warning");
        assert!(
            stdout.starts_with(&format!("@{HANDLE} week to {}: ", week.date)),
            "{stdout}"
        );
        // The profile and every page exactly once: no request more than the data holds.
        env.verify_and_reset().await;
        let saved = report(&env, &week.date);
        assert_eq!(saved["api"]["requests"], week.requests() as u64);
        assert_eq!(saved["insights"]["data_quality"], serde_json::json!([]));
    }

    let last = report(&env, "2026-11-22");
    let trend = last["trend"].as_array().unwrap();
    let dates: Vec<&str> = trend.iter().map(|p| p["date"].as_str().unwrap()).collect();
    let expected: Vec<&str> = weeks.iter().map(|w| w.date.as_str()).collect();
    assert_eq!(dates, expected, "12 points, one a week");
    for point in trend {
        let posts = point["posts"].as_u64().unwrap();
        match point["date"].as_str().unwrap() {
            "2026-10-25" => assert_eq!(posts, 0, "the week off"),
            _ => assert!((3..=6).contains(&posts), "{point}"),
        }
    }
    let followers: Vec<u64> = (trend.iter())
        .map(|p| p["followers"].as_u64().unwrap())
        .collect();
    assert!(followers.windows(2).all(|w| w[0] < w[1]), "{followers:?}");
    assert!((38_000..45_000).contains(&followers[0]) && followers[11] < 45_000);

    let insights = &last["insights"];
    assert_eq!(insights["timezone"], TZ);
    assert!(
        !insights["posting_times"]["heatmap"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        insights["posting_times"]["best_slots"][0]["slot"],
        "Thu 18:00–21:00"
    );
    let kinds: Vec<&str> = (last["recommendations"].as_array().unwrap().iter())
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "momentum",
            "best_time",
            "double_down",
            "drop",
            "trade_off",
            "consistency"
        ]
    );
    // The week's breakout: far above the account's typical post.
    let typical = insights["basis"]["median_views"].as_f64().unwrap();
    let top = (last["posts"].as_array().unwrap().iter())
        .map(|p| p["views"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert!((8.0..12.0).contains(&(top / typical)), "{top} vs {typical}");
}

#[test]
fn each_demo_run_sees_last_weeks_posts_again_with_more_views() {
    let weeks = demo_data::weeks().unwrap();
    let mut followed_up = 0;
    for pair in weeks.windows(2) {
        let (before, now) = (&pair[0], &pair[1]);
        let end = end_of(before);
        let then: HashMap<String, u64> = (fetched(before).into_iter())
            .filter(|(_, at, _)| (end - 7 * 86_400..end).contains(at))
            .map(|(id, _, views)| (id, views))
            .collect();
        let again: Vec<(u64, u64)> = (fetched(now).into_iter())
            .filter_map(|(id, _, views)| Some((then.get(&id).copied()?, views)))
            .collect();
        assert!(
            then.is_empty() || !again.is_empty(),
            "the run of {} sees none of last week's posts",
            now.date
        );
        assert!(again.iter().all(|(was, is)| is > was), "{again:?}");
        followed_up += again.len();
    }
    assert!(followed_up >= 30, "{followed_up}");
}

#[test]
fn each_demo_run_holds_the_pages_up_to_the_first_that_ends_before_its_week() {
    for week in demo_data::weeks().unwrap() {
        let start = end_of(&week) - 7 * 86_400;
        let mut cursor = "0".to_string();
        for (i, (asked, page)) in week.pages.iter().enumerate() {
            assert_eq!(asked, &cursor, "{} page {}", week.date, i + 1);
            let page: Value = serde_json::from_str(page).unwrap();
            let last = &page["data"]["aweme_list"]
                .as_array()
                .unwrap()
                .last()
                .unwrap();
            let older = last["is_top"] == 0 && last["create_time"].as_i64().unwrap() < start;
            assert_eq!(
                older,
                i + 1 == week.pages.len(),
                "{} page {}",
                week.date,
                i + 1
            );
            cursor = page["data"]["max_cursor"].as_u64().unwrap().to_string();
        }
    }
}

#[test]
fn demo_data_stays_small() {
    let mut bytes = 0;
    for week in demo_data::weeks().unwrap() {
        bytes += week.profile.len();
        bytes += week.pages.iter().map(|(_, p)| p.len()).sum::<usize>();
    }
    assert!(bytes < 512 * 1024, "{bytes} bytes");
}
