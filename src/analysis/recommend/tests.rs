//! Momentum, consistency and the claim's shape, with hand-computed expectations; the rules that
//! read the tables are in `tables`.

use super::*;
use crate::analysis::diff::{Snapshot, deltas};
use crate::analysis::insights;
use crate::analysis::metrics::of_week;
use crate::analysis::metrics::tests::post;
use crate::model::Account;
use chrono_tz::Tz;

mod tables;

/// Monday 2026-11-09 00:00 UTC.
pub(super) const MONDAY: i64 = 1_794_182_400;
pub(super) const HOUR: i64 = 3_600;
pub(super) const DAY: i64 = 24 * HOUR;
pub(super) const WEEK: i64 = 7 * DAY;

/// A 20-second video with one hashtag (none when `tag` is empty) and `per_mille` engagement.
pub(super) fn tagged(id: &str, at: i64, views: u64, per_mille: u64, tag: &str) -> Post {
    let mut p = post(id, at, views, views * per_mille / 1_000, 0, 0);
    p.hashtags = (!tag.is_empty())
        .then(|| tag.to_string())
        .into_iter()
        .collect();
    p
}

pub(super) fn kinds(recs: &[Recommendation]) -> Vec<&str> {
    recs.iter().map(|r| r.kind.name()).collect()
}

/// What this week says of its posts besides their figures.
#[derive(Default)]
pub(super) struct Said<'a> {
    pub(crate) too_new: &'a [&'a str],
    pub(crate) breakouts: &'a [(&'a str, f64)],
    pub(crate) unengaged: &'a [&'a str],
    pub(crate) inflated: &'a [&'a str],
}

/// The suggestions over `basis`, all of it this week's posts, in UTC, with `earlier` weekly counts.
pub(super) fn run_with(basis: &[Post], earlier: &[u64], said: &Said<'_>) -> Vec<Recommendation> {
    let metrics = of_week(basis);
    let refs: Vec<&Post> = basis.iter().collect();
    let insights = insights::compute(&refs, 1, basis, Tz::UTC);
    let week: Vec<WeekPost> = (basis.iter())
        .map(|p| WeekPost {
            post: p,
            too_new: said.too_new.contains(&p.id.as_str()),
            breakout: (said.breakouts.iter())
                .find(|(id, _)| *id == p.id)
                .map(|(_, m)| *m),
        })
        .collect();
    recommend(&Evidence {
        metrics: &metrics,
        deltas: &BTreeMap::new(),
        weeks_since_previous: None,
        insights: &insights,
        earlier_post_counts: earlier,
        week: &week,
        unengaged: said.unengaged,
        inflated: said.inflated,
    })
}

pub(super) fn run(basis: &[Post], earlier: &[u64]) -> Vec<Recommendation> {
    run_with(basis, earlier, &Said::default())
}

fn momentum_of(last: &[Post], this: &[Post], breakouts: &[(&Post, f64)]) -> Recommendation {
    momentum_weeks_apart(last, this, breakouts, 1)
}

/// [`momentum_of`] with the previous report `weeks` weeks before this week.
fn momentum_weeks_apart(
    last: &[Post],
    this: &[Post],
    breakouts: &[(&Post, f64)],
    weeks: u64,
) -> Recommendation {
    let several_with_views = this.iter().filter(|p| p.views > 0).count() > 1;
    let (last, this) = (of_week(last), of_week(this));
    let account = Account::default();
    let snap = |m| Snapshot {
        metrics: m,
        account: &account,
    };
    let deltas = deltas(Some(snap(&last)), snap(&this));
    momentum(&deltas, &this, Some(weeks), several_with_views, breakouts).unwrap()
}

#[test]
fn momentum_quotes_the_views_change() {
    let r = momentum_of(
        &[post("1", 0, 1_000, 10, 0, 0)],
        &[post("2", 0, 1_500, 30, 0, 0)],
        &[],
    );
    assert_eq!(
        r.message,
        "Views rose 50.0% week over week; your median post rose 50.0%: repeat what this week's top posts did."
    );
    assert_eq!(
        r.evidence,
        "views 1,500 vs 1,000; median views 1,500 vs 1,000; engagement rate 2.0% vs 1.0%"
    );
    assert_eq!(r.claim, None);
    let this = of_week(&[post("2", 0, 1_500, 30, 0, 0)]);
    assert_eq!(
        momentum(&BTreeMap::new(), &this, None, false, &[]),
        None,
        "no previous report, no momentum"
    );
}

#[test]
fn momentum_after_a_skipped_week_names_the_span_and_a_share_short_of_all_is_not_100() {
    let r = momentum_weeks_apart(
        &[post("1", 0, 1_000, 10, 0, 0)],
        &[post("2", 0, 99_996, 30, 0, 0), post("3", 0, 4, 0, 0, 0)],
        &[],
        2,
    );
    assert!(
        r.message.starts_with(
            "Views rose 9,900.0% over the 2 weeks since your previous report, but one post made over 99% of them"
        ),
        "{}",
        r.message
    );
}

#[test]
fn momentum_says_when_one_post_carried_the_week_and_the_median_fell() {
    // Last week 1,000 and 1,000 (median 1,000); this week 8,100, 1,000 and 900: views
    // rose 2,000 → 10,000 (+400 %), the top post made 81 %, the median held at 1,000.
    let this = [
        post("3", 0, 8_100, 0, 0, 0),
        post("4", 0, 1_000, 0, 0, 0),
        post("5", 0, 900, 0, 0, 0),
    ];
    assert_eq!(of_week(&this).top_post_share_pct, Some(81.0));
    let steady = [post("1", 0, 1_000, 0, 0, 0), post("2", 0, 1_000, 0, 0, 0)];
    assert_eq!(
        momentum_of(&steady, &this, &[]).message,
        "Views rose 400.0% week over week, but one post made 81% of them; your median post held steady: repeat what this week's top posts did."
    );
    let higher = [post("1", 0, 5_000, 0, 0, 0), post("2", 0, 3_000, 0, 0, 0)];
    assert_eq!(
        momentum_of(&higher, &this, &[]).message,
        "Views rose 25.0% week over week, but one post made 81% of them; your median post fell 75.0%: look at what the top posts of earlier weeks did differently."
    );
}

#[test]
fn momentum_tells_the_story_of_the_weeks_strongest_breakout() {
    // The median fell (4,000 → 1,000), yet the week has a story: the 9.84× breakout, not the 3.1×.
    let mut star = post("9", 0, 8_100, 0, 0, 0);
    star.caption = "the one latte art trick that made everyone stop scrolling".into();
    let other = post("8", 0, 3_000, 0, 0, 0);
    let this = [
        star.clone(),
        post("4", 0, 1_000, 0, 0, 0),
        post("5", 0, 900, 0, 0, 0),
    ];
    let last = [post("1", 0, 5_000, 0, 0, 0), post("2", 0, 3_000, 0, 0, 0)];
    let r = momentum_of(&last, &this, &[(&other, 3.1), (&star, 9.84)]);
    assert_eq!(
        r.message,
        "Views rose 25.0% week over week, but one post made 81% of them; your median post fell 75.0%: this week's story is “the one latte art trick that made…”, 9.8× the median of your other posts: work out what it did differently and make more like it."
    );
}

#[test]
fn consistency_keeps_the_rhythm_only_within_half_the_usual_week_either_way() {
    // The usual week is the median of 4, 4: ±50 % is 2 to 6 posts, both ends included.
    let ids = |n: usize| -> Vec<String> { (0..n).map(|i| i.to_string()).collect() };
    let of = |n: usize, earlier: &[u64]| {
        let week = ids(n);
        let refs: Vec<&str> = week.iter().map(String::as_str).collect();
        rules::consistency(&refs, earlier)
    };
    assert_eq!(of(3, &[6]), None, "one earlier week is not enough");
    for n in [2, 4, 6] {
        let r = of(n, &[4, 4]).unwrap();
        assert_eq!(
            r.message, "Keep your rhythm of about 4 posts a week.",
            "{n}"
        );
    }
    let busier = of(7, &[4, 4]).unwrap();
    assert_eq!(
        busier.message,
        "A busier week than usual: 7 posts against your usual 4 a week; see whether the extra posts kept their views before making it a habit."
    );
    assert_eq!(
        busier.evidence,
        "7 posts this week vs a median of 4 over the previous 2 weeks"
    );
    let quieter = of(1, &[4, 4]).unwrap();
    assert_eq!(
        quieter.message,
        "A quieter week than usual: 1 post against your usual 4 a week; a steady schedule keeps the audience coming back."
    );
    // The issue's spike: 14 posts against earlier weeks of 0 to 6 (median 4, mean 3.75).
    let spike = of(14, &[3, 6, 4, 5, 5, 4, 0, 3]).unwrap();
    assert!(
        spike
            .message
            .starts_with("A busier week than usual: 14 posts against your usual 4 a week")
    );
    assert_eq!(
        spike.evidence,
        "14 posts this week vs a median of 4 over the previous 8 weeks"
    );
    let between = of(5, &[4, 5]).unwrap();
    assert_eq!(between.message, "Keep your rhythm of about 5 posts a week.");
    assert_eq!(
        between.evidence,
        "5 posts this week vs a median of 4.5 over the previous 2 weeks"
    );
    let empty = of(0, &[]).unwrap();
    assert!(empty.message.starts_with("You posted nothing this week"));
    assert_eq!(empty.evidence, "0 posts this week");
    let one = of(1, &[1, 1]).unwrap();
    assert_eq!(one.message, "Keep your rhythm of about 1 post a week.");
}

#[test]
fn a_claim_is_written_in_the_fields_the_readme_promises() {
    let week = ["7", "8", "9"];
    let r = rules::consistency(&week, &[2, 4, 9]).unwrap();
    assert_eq!(r.message, "Keep your rhythm of about 4 posts a week.");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "kind": "consistency",
            "message": "Keep your rhythm of about 4 posts a week.",
            "evidence": "3 posts this week vs a median of 4 over the previous 3 weeks",
            "claim": {
                "dimension": "cadence", "group": null, "measure": "posts_per_week",
                "value": 3.0, "baseline": 4.0, "posts": ["7", "8", "9"], "cited_post": null
            }
        })
    );
    // Reports of schema 3 and before have no claim: it reads back as none.
    let old: Recommendation =
        serde_json::from_str(r#"{"kind":"drop","message":"m","evidence":"e"}"#).unwrap();
    assert_eq!(old.claim, None);
}

#[test]
fn the_rules_appear_in_their_order() {
    let recs = run(&tables::two_groups(1_000), &[6, 6]);
    assert_eq!(
        kinds(&recs),
        ["best_time", "double_down", "drop", "consistency"]
    );
}

#[test]
fn each_kind_is_written_in_the_json_as_its_name() {
    for kind in RecommendationKind::ALL {
        let json = serde_json::to_value(kind).unwrap();
        assert_eq!(json, kind.name());
        assert_eq!(RecommendationKind::from_name(kind.name()), Some(kind));
        assert_eq!(kind.label(), kind.name().replace('_', " "));
    }
    assert_eq!(RecommendationKind::from_name("Best_Time"), None);
}
