//! Every recommendation is a claim its table backs: random histories of a few weeks, each week's
//! report built as the weekly run builds it (reading the earlier reports back from their JSON),
//! and every claim of every report checked against its tables by `claim_check`, with medians and
//! rates recomputed from the posts' own figures.

mod claim_check;

use chrono::{DateTime, Utc};
use claim_check::{Known, contradictions};
use proptest::prelude::*;
use tiktok_review::model::{Account, ApiUsage, Format, Post, Window};
use tiktok_review::report::{self, Earlier, PreviousRef, Report};

/// Sunday 2026-10-04 20:00 UTC: the end of the first week.
const FIRST_END: i64 = 1_791_144_000;
const HOUR: i64 = 3_600;

/// One post as drawn: (weekday, hour, minute, views, per-mille engagement, tags, length, photo,
/// original sound).
type Drawn = (
    i64,
    i64,
    i64,
    u64,
    u64,
    Vec<&'static str>,
    Option<f64>,
    bool,
    Option<bool>,
);

fn drawn() -> impl Strategy<Value = Drawn> {
    let views = prop_oneof![
        3 => 500u64..30_000,
        1 => 30_000u64..300_000,
        1 => Just(0u64),
    ];
    // Mostly ordinary engagement, sometimes almost none (bought views), sometimes high, rarely
    // more likes than views (a broken count).
    let engagement = prop_oneof![
        8 => 40u64..120,
        2 => 0u64..3,
        2 => 120u64..250,
        1 => 1_300u64..2_000,
    ];
    (
        0i64..7,
        prop::sample::select(vec![1i64, 9, 10, 19, 20, 23]),
        0i64..60,
        views,
        engagement,
        prop::sample::subsequence(vec!["bread", "cake", "fyp", "vlog"], 0..3),
        prop::option::of(prop::sample::select(vec![8.0, 22.5, 45.0, 90.0, 200.0])),
        prop::bool::weighted(0.2),
        prop::option::of(any::<bool>()),
    )
}

fn post(n: usize, week_end: i64, d: &Drawn) -> Post {
    let (day, hour, minute, views, per_mille, tags, length, photo, sound) = d;
    let at = week_end - 7 * 24 * HOUR + day * 24 * HOUR + hour * HOUR + minute * 60;
    let engaged = views * per_mille / 1_000;
    let id = format!("{}", 7_560_000_000_000_000_000u64 + n as u64);
    Post {
        url: format!("https://www.tiktok.com/@prop/video/{id}"),
        id,
        caption: format!("post {n} #{}", tags.join(" #")),
        posted_at: DateTime::from_timestamp(at, 0).unwrap(),
        views: *views,
        likes: engaged * 8 / 10,
        comments: engaged / 10,
        shares: engaged / 10,
        saves: Some(engaged / 20),
        duration_s: if *photo { None } else { *length },
        hashtags: tags.iter().map(|t| t.to_string()).collect(),
        pinned: false,
        format: if *photo { Format::Photo } else { Format::Video },
        original_sound: *sound,
        has_statistics: true,
    }
}

/// The posts of `weeks` weeks, each drawn post numbered in order.
fn history() -> impl Strategy<Value = (Vec<Vec<Drawn>>, &'static str)> {
    (
        prop::collection::vec(prop::collection::vec(drawn(), 0..9), 2..6),
        prop::sample::select(vec!["UTC", "America/New_York", "Asia/Tokyo"]),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_claim_of_every_week_is_backed_by_its_table((weeks, tz) in history()) {
        let handle = "prop".parse().unwrap();
        let mut earlier: Vec<Earlier> = Vec::new();
        let mut known = Known::exact();
        let mut n = 0;
        let mut last_week: Vec<Post> = Vec::new();
        for (w, drawn) in weeks.iter().enumerate() {
            let end = FIRST_END + w as i64 * 7 * 24 * HOUR;
            let week: Vec<Post> = drawn.iter().map(|d| { n += 1; post(n, end, d) }).collect();
            // This run's pages reach back into last week, whose posts have gained views.
            let again = last_week.iter().map(|p| Post { views: p.views + p.views / 10, ..p.clone() });
            let fetched: Vec<Post> = week.iter().cloned().chain(again).collect();
            let end: DateTime<Utc> = DateTime::from_timestamp(end, 0).unwrap();
            let built = report::build(report::Inputs {
                user: &handle,
                generated_at: end,
                window: Window::week_ending(end),
                account: &Account::default(),
                posts: &fetched,
                previous: earlier.first(),
                history: &earlier,
                history_weeks: 8,
                tz: tz.parse().unwrap(),
                api: ApiUsage::default(),
                fetch_notes: &[],
                industry: Default::default(),
            });
            let json: serde_json::Value = serde_json::from_slice(&built.to_json()).unwrap();
            known.learn(&json);
            for p in &fetched[week.len()..] {
                known.fetched_again(serde_json::to_value(p).unwrap());
            }
            let wrong = contradictions(&json, &known);
            prop_assert!(wrong.is_empty(), "{wrong:#?}\n{:#?}", json["recommendations"]);
            let saved: Report = serde_json::from_value(json).unwrap();
            earlier.insert(0, Earlier {
                reference: PreviousRef {
                    date: end.date_naive(),
                    file: format!("report_{}.json", end.date_naive()),
                },
                report: saved,
            });
            last_week = week;
        }
    }
}
