//! The week's metrics on small weeks with hand-computed figures: totals, averages, rates,
//! unknown saves, duplicates and huge counts.

use super::*;
use crate::analysis::stats::engagement_rate;
use crate::model::Format;
use chrono::{DateTime, Duration, Utc};

pub(crate) fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// A video post with the given counts, posted at `secs`.
pub(crate) fn post(
    id: &str,
    secs: i64,
    views: u64,
    likes: u64,
    comments: u64,
    shares: u64,
) -> Post {
    Post {
        id: id.to_string(),
        url: format!("https://www.tiktok.com/@x/video/{id}"),
        caption: String::new(),
        posted_at: at(secs),
        views,
        likes,
        comments,
        shares,
        saves: Some(0),
        has_statistics: true,
        duration_s: Some(20.0),
        hashtags: Vec::new(),
        pinned: false,
        format: Format::Video,
        original_sound: None,
    }
}

fn window() -> Window {
    Window::week_ending(at(1_000_000))
}

#[test]
fn an_empty_week_has_zero_totals_and_no_averages_or_rates() {
    let m = compute(&[], &window());
    assert_eq!(m.post_count, 0);
    assert_eq!(m.total_views, 0);
    assert_eq!(m.avg_views, None);
    assert_eq!(m.engagement_rate, None);
    assert_eq!(m.mean_post_engagement_rate, None);
}

#[test]
fn totals_averages_and_rates_are_computed_over_the_window_only() {
    let start = window().start.timestamp();
    let mut a = post("1", start, 1_000, 50, 10, 5);
    a.saves = Some(7);
    let b = post("2", start + 10, 3_000, 90, 0, 0);
    let outside = post("3", 1_000_000, 9_999, 9, 9, 9);
    let m = compute(&[a.clone(), b, outside, a], &window());
    assert_eq!(m.post_count, 2);
    assert_eq!(m.total_views, 4_000);
    assert_eq!(m.total_likes, 140);
    assert_eq!(m.total_saves, Some(7));
    assert_eq!(m.avg_views, Some(2_000.0));
    assert_eq!(m.avg_saves, Some(3.5));
    // (140 + 10 + 5) / 4000 × 100 = 3.875 → 3.88
    assert_eq!(m.engagement_rate, Some(3.88));
    // post rates 6.5 and 3.0 → mean 4.75
    assert_eq!(m.mean_post_engagement_rate, Some(4.75));
}

#[test]
fn a_zero_view_post_counts_but_has_no_rate() {
    let start = window().start.timestamp();
    let photo = post("1", start, 0, 40, 2, 1);
    let video = post("2", start, 200, 10, 0, 0);
    assert_eq!(engagement_rate(&photo), None);
    let m = compute(&[photo, video], &window());
    assert_eq!(m.post_count, 2);
    assert_eq!(m.engagement_rate, Some(26.5));
    assert_eq!(m.mean_post_engagement_rate, Some(5.0));
}

#[test]
fn the_median_counts_posts_with_views_and_the_top_share_is_of_all_views() {
    let start = window().start.timestamp();
    let photo = post("1", start, 0, 5, 0, 0);
    let week = [
        photo,
        post("2", start, 100, 0, 0, 0),
        post("3", start, 300, 0, 0, 0),
        post("4", start, 600, 0, 0, 0),
    ];
    let m = compute(&week, &window());
    // Views 100, 300, 600 → median 300; the top post made 600 of 1,000 views.
    assert_eq!(m.median_views, Some(300.0));
    assert_eq!(m.top_post_share_pct, Some(60.0));
    let m = compute(&week[..3], &window());
    assert_eq!(
        (m.median_views, m.top_post_share_pct),
        (Some(200.0), Some(75.0))
    );
    // 1 of 3 equal posts: 33.33 %.
    let thirds = [
        post("5", start, 7, 0, 0, 0),
        post("6", start, 7, 0, 0, 0),
        post("7", start, 7, 0, 0, 0),
    ];
    assert_eq!(compute(&thirds, &window()).top_post_share_pct, Some(33.33));
    let m = compute(&week[..1], &window());
    assert_eq!(
        (m.median_views, m.top_post_share_pct),
        (None, None),
        "no views"
    );
}

/// A post of the window's first second with these saves.
fn saving(id: &str, saves: Option<u64>) -> Post {
    let mut p = post(id, window().start.timestamp(), 1_000, 10, 0, 0);
    p.saves = saves;
    p
}

#[test]
fn saves_nobody_sent_are_unknown_and_a_partial_sum_says_how_many_lacked_them() {
    // No post sent a save count: no total, no average, not 0.
    let m = compute(&[saving("1", None), saving("2", None)], &window());
    assert_eq!(
        (m.total_saves, m.avg_saves, m.posts_without_saves),
        (None, None, 2)
    );
    assert_eq!(Metric::TotalSaves.value(&m, &Account::default()), None);
    // 12 + 0 + 7 over the 3 posts that sent a count: 19, 6.33 per post; 1 without.
    let week = [
        saving("1", Some(12)),
        saving("2", None),
        saving("3", Some(0)),
        saving("4", Some(7)),
    ];
    let m = compute(&week, &window());
    assert_eq!(
        (m.total_saves, m.avg_saves, m.posts_without_saves),
        (Some(19), Some(6.33), 1)
    );
    // A post whose statistics could not be read is not one "without saves".
    let mut unread = saving("5", None);
    unread.has_statistics = false;
    let m = compute(&[saving("1", Some(4)), unread.clone()], &window());
    assert_eq!(
        (m.total_saves, m.avg_saves, m.posts_without_saves),
        (Some(4), Some(4.0), 0)
    );
    // Nothing measured: nothing unknown either, as with the other totals.
    let m = compute(&[unread], &window());
    assert_eq!((m.total_saves, m.avg_saves), (Some(0), None));
    let m = compute(&[], &window());
    assert_eq!(
        (m.total_saves, m.avg_saves, m.posts_without_saves),
        (Some(0), None, 0)
    );
}

#[test]
fn metrics_of_reports_before_schema_4_still_read() {
    // Schema 1–3: total_saves always a number (0 when no post had one), no posts_without_saves.
    let old = serde_json::json!({
        "post_count": 2, "total_views": 100, "total_likes": 10, "total_comments": 1,
        "total_shares": 0, "total_saves": 0, "avg_views": 50.0, "avg_likes": 5.0,
        "avg_comments": 0.5, "avg_shares": 0.0, "avg_saves": 0.0,
        "engagement_rate": 11.0, "mean_post_engagement_rate": 11.0
    });
    let m: Metrics = serde_json::from_value(old).unwrap();
    assert_eq!(
        (m.total_saves, m.avg_saves, m.posts_without_saves),
        (Some(0), Some(0.0), 0)
    );
    let json = serde_json::to_value(compute(&[saving("1", None)], &window())).unwrap();
    assert_eq!(
        (
            &json["total_saves"],
            &json["avg_saves"],
            &json["posts_without_saves"]
        ),
        (
            &serde_json::Value::Null,
            &serde_json::Value::Null,
            &serde_json::json!(1)
        )
    );
}

#[test]
fn posts_without_statistics_count_as_posts_but_not_in_averages() {
    let start = window().start.timestamp();
    let mut unread = post("1", start, 0, 0, 0, 0);
    unread.has_statistics = false;
    let m = compute(&[unread, post("2", start, 1_000, 10, 0, 0)], &window());
    assert_eq!((m.post_count, m.avg_views), (2, Some(1_000.0)));
}

#[test]
fn counts_past_u32_and_near_u64_do_not_overflow() {
    let start = window().start.timestamp();
    let viral = post("1", start, 5_123_456_789, 398_765_432, 1, 1);
    let hostile = post("2", start + 1, u64::MAX, u64::MAX, u64::MAX, 0);
    let m = compute(std::slice::from_ref(&viral), &window());
    assert_eq!(m.total_views, 5_123_456_789);
    let m = compute(&[viral, hostile], &window());
    assert_eq!(m.total_views, u64::MAX);
    assert!(m.engagement_rate.is_some_and(f64::is_finite));
}

#[test]
fn week_posts_are_newest_first() {
    let start = window().start;
    let old = post("1", start.timestamp(), 1, 0, 0, 0);
    let new = post("2", (start + Duration::days(2)).timestamp(), 1, 0, 0, 0);
    let ids: Vec<String> = posts_in_window(&[old, new], &window())
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, ["2", "1"]);
}

#[test]
fn duplicates_keep_their_first_occurrence() {
    let start = window().start.timestamp();
    let first = post("1", start + 5, 100, 0, 0, 0);
    let again = post("1", start + 5, 999, 0, 0, 0);
    let tie = post("2", start + 5, 7, 0, 0, 0);
    let week = posts_in_window(&[tie, first, again], &window());
    let seen: Vec<(&str, u64)> = week.iter().map(|p| (p.id.as_str(), p.views)).collect();
    assert_eq!(
        seen,
        [("1", 100), ("2", 7)],
        "ties by id, the first copy kept"
    );

    // Its speed (100,000 posts, each twice) is measured in benches/pipeline.rs.
}

mod properties {
    use super::*;
    use crate::analysis::benchmark::{self, Industry};
    use crate::analysis::insights::exceeds_views;
    use proptest::prelude::*;

    /// Up to 12 posts, each with or without a save count, some with more shares than views, some
    /// without readable statistics (all 0, saves unknown, as the reader leaves them).
    fn weeks() -> impl Strategy<Value = Vec<Post>> {
        let one = (
            0u64..1 << 30,
            0u64..1 << 30,
            prop::option::of(0u64..1 << 30),
            any::<bool>(),
        );
        prop::collection::vec(one, 0..12).prop_map(|all| {
            (all.into_iter().enumerate())
                .map(|(i, (views, shares, saves, readable))| {
                    let id = format!("{}", 7_000 + i);
                    let mut p = post(&id, 0, views, views / 10, 1, shares);
                    if !readable {
                        // What the reader makes of unreadable statistics.
                        p = post(&id, 0, 0, 0, 0, 0);
                        p.has_statistics = false;
                    }
                    p.saves = saves.filter(|_| readable);
                    p
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn saves_sum_what_was_sent_and_are_unknown_only_when_nothing_was(week in weeks()) {
            let m = of_week(&week);
            let measured: Vec<&Post> = week.iter().filter(|p| p.has_statistics).collect();
            let sent: Vec<u64> = measured.iter().filter_map(|p| p.saves).collect();
            prop_assert_eq!(m.posts_without_saves, (measured.len() - sent.len()) as u64);
            prop_assert_eq!(m.total_saves.is_none(), !measured.is_empty() && sent.is_empty());
            prop_assert_eq!(m.total_saves.unwrap_or(0), sent.iter().sum::<u64>());
            prop_assert_eq!(m.avg_saves.is_none(), sent.is_empty());
        }

        #[test]
        fn the_benchmark_rate_is_the_weeks_rate_over_the_posts_not_excluded(week in weeks()) {
            let b = benchmark::of_week(Industry::default(), &week);
            let excluded: Vec<&str> = (week.iter())
                .filter(|p| exceeds_views(p))
                .map(|p| p.id.as_str())
                .collect();
            prop_assert_eq!(&b.excluded_posts, &excluded);
            let kept: Vec<Post> = (week.iter())
                .filter(|p| !excluded.contains(&p.id.as_str()))
                .cloned()
                .collect();
            prop_assert_eq!(b.account_rate, of_week(&kept).engagement_rate);
            if excluded.is_empty() {
                prop_assert_eq!(b.account_rate, of_week(&week).engagement_rate);
            }
            // No kept post has more engagement than views, so neither has their sum.
            prop_assert!(b.account_rate.is_none_or(|r| r <= 300.0));
        }
    }
}
