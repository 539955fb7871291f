//! Each recommendation rule on both sides of its threshold, with hand-computed expectations.

use super::*;
use crate::analysis::diff::{Snapshot, deltas};
use crate::analysis::insights;
use crate::analysis::metrics::of_week;
use crate::analysis::metrics::tests::post;
use crate::model::Account;
use chrono_tz::Tz;

/// Monday 2026-11-09 00:00 UTC.
const MONDAY: i64 = 1_794_182_400;
const HOUR: i64 = 3_600;

fn tagged(id: &str, at: i64, views: u64, tag: &str) -> Post {
    let mut p = post(id, at, views, views / 10, 0, 0);
    p.hashtags = vec![tag.to_string()];
    p
}

fn kinds(recs: &[Recommendation]) -> Vec<&str> {
    recs.iter().map(|r| r.kind.as_str()).collect()
}

fn run(basis: &[Post], earlier: &[u64]) -> Vec<Recommendation> {
    let metrics = of_week(basis);
    let insights = insights::compute(&insights::basis(basis), 1, basis, Tz::UTC);
    recommend(&Evidence {
        metrics: &metrics,
        deltas: &BTreeMap::new(),
        insights: &insights,
        earlier_post_counts: earlier,
        breakouts: &[],
    })
}

#[test]
fn momentum_quotes_the_views_change() {
    let last = of_week(&[post("1", 0, 1_000, 10, 0, 0)]);
    let this = of_week(&[post("2", 0, 1_500, 30, 0, 0)]);
    let account = Account::default();
    let snap = |m| Snapshot {
        metrics: m,
        account: &account,
    };
    let d = deltas(Some(snap(&last)), snap(&this));
    let r = momentum(&d, &this).unwrap();
    assert_eq!(
        r.message,
        "Views rose 50.0% week over week; your median post rose 50.0%: repeat what this week's top posts did."
    );
    assert_eq!(
        r.evidence,
        "views 1,500 vs 1,000; median views 1,500 vs 1,000; engagement rate 2.0% vs 1.0%"
    );
    assert_eq!(
        momentum(&BTreeMap::new(), &this),
        None,
        "no previous report, no momentum"
    );
}

#[test]
fn momentum_says_when_one_post_carried_the_week_and_the_median_fell() {
    // Last week 1,000 and 1,000 (median 1,000); this week 8,100, 1,000 and 900: views
    // rose 2,000 → 10,000 (+400 %), the top post made 81 %, the median fell to 1,000 → 1,000.
    let last = of_week(&[post("1", 0, 1_000, 0, 0, 0), post("2", 0, 1_000, 0, 0, 0)]);
    let this = of_week(&[
        post("3", 0, 8_100, 0, 0, 0),
        post("4", 0, 1_000, 0, 0, 0),
        post("5", 0, 900, 0, 0, 0),
    ]);
    assert_eq!(this.top_post_share_pct, Some(81.0));
    let account = Account::default();
    let snap = |m| Snapshot {
        metrics: m,
        account: &account,
    };
    let d = deltas(Some(snap(&last)), snap(&this));
    let r = momentum(&d, &this).unwrap();
    assert_eq!(
        r.message,
        "Views rose 400.0% week over week, but one post made 81% of them; your median post held steady: repeat what this week's top posts did."
    );
    let last = of_week(&[post("1", 0, 5_000, 0, 0, 0), post("2", 0, 3_000, 0, 0, 0)]);
    let d = deltas(Some(snap(&last)), snap(&this));
    let r = momentum(&d, &this).unwrap();
    assert_eq!(
        r.message,
        "Views rose 25.0% week over week, but one post made 81% of them; your median post fell 75.0%: look at what the top posts of earlier weeks did differently."
    );
}

/// Three #a posts at Mon 18:00–21:00 with `a_views`, and three #b posts on Tue mornings at 100.
fn two_groups(a_views: u64) -> Vec<Post> {
    let mut basis = Vec::new();
    for i in 0..3 {
        basis.push(tagged(
            &format!("a{i}"),
            MONDAY + 18 * HOUR + i * 60,
            a_views,
            "a",
        ));
        basis.push(tagged(
            &format!("b{i}"),
            MONDAY + 24 * HOUR + (i * 7 + 1) * HOUR,
            100,
            "b",
        ));
    }
    basis
}

#[test]
fn best_time_and_double_down_need_a_lift_of_1_25_over_three_posts() {
    // Medians: #a = a_views, #b = 100, account = (a_views + 100) / 2.
    // a_views = 167 gives a ratio of 167 / 133.5 = 1.251: just over the lift.
    let recs = run(&two_groups(167), &[]);
    assert_eq!(kinds(&recs), ["best_time", "double_down", "drop"]);
    assert_eq!(
        recs[0].message,
        "Post on Mon 18:00–21:00 (UTC): it is your strongest slot."
    );
    assert_eq!(
        recs[0].evidence,
        "Posts at Mon 18:00–21:00 had a median of 167 views over 3 posts, 1.3× your median of 134"
    );
    assert_eq!(
        recs[1].message,
        "Double down on #a posts: they beat your typical post."
    );
    // 100 / 133.5 = 0.749: just under the drop threshold.
    assert_eq!(
        recs[2].message,
        "Make fewer #b posts, or rework them: they trail your typical post."
    );

    // a_views = 166: 166 / 133 = 1.248 and 100 / 133 = 0.752: neither side qualifies.
    assert!(run(&two_groups(166), &[]).is_empty());
}

#[test]
fn double_down_cites_the_strongest_breakout_or_stands_on_it_alone() {
    let mut star = post("9", 0, 12_000, 0, 0, 0);
    star.caption = "the one latte art trick that made everyone stop scrolling".into();
    let breakouts = [(&star, 9.84), (&star, 3.1)];
    let r = double_down(&[], &breakouts).unwrap();
    assert_eq!(
        r.message,
        "Double down on what made “the one latte art trick that made…” break out: make more like it."
    );
    assert_eq!(
        r.evidence,
        "“the one latte art trick that made…” drew 12,000 views, 9.8× the median of your other posts"
    );
    let group = Group {
        label: "#latte posts".into(),
        median: 300.0,
        posts: 4,
        typical: 200.0,
    };
    let r = double_down(std::slice::from_ref(&group), &breakouts).unwrap();
    assert_eq!(
        r.message,
        "Double down on #latte posts: they beat your typical post."
    );
    assert!(
        r.evidence.ends_with("; this week's breakout: “the one latte art trick that made…” drew 12,000 views, 9.8× the median of your other posts"),
        "{}",
        r.evidence
    );
    assert_eq!(double_down(&[], &[]), None);
}

#[test]
fn two_posts_are_not_enough_evidence() {
    let mut basis = two_groups(1_000);
    basis.retain(|p| p.id != "a2" && p.id != "b2");
    assert!(run(&basis, &[]).is_empty(), "groups of 2 never qualify");
}

#[test]
fn consistency_compares_with_at_least_two_earlier_weeks() {
    assert_eq!(consistency(3, &[6]), None, "one earlier week is not enough");
    let dip = consistency(3, &[6, 4]).unwrap();
    assert_eq!(
        dip.message,
        "Post more regularly: about 5 a week, as before, keeps the audience coming back."
    );
    assert_eq!(
        dip.evidence,
        "3 posts this week vs an average of 5.0 over the previous 2 weeks"
    );
    // 4 is above 0.75 × 5 = 3.75: not a dip.
    let steady = consistency(4, &[5, 5, 5, 5]).unwrap();
    assert_eq!(steady.message, "Keep your rhythm of about 5 posts a week.");
    let empty = consistency(0, &[]).unwrap();
    assert!(empty.message.starts_with("You posted nothing this week"));
    assert_eq!(empty.evidence, "0 posts this week");
}

#[test]
fn evidence_counts_read_as_people_write_them() {
    let one = consistency(1, &[1, 1]).unwrap();
    assert_eq!(one.message, "Keep your rhythm of about 1 post a week.");
    assert_eq!(
        one.evidence,
        "1 post this week vs an average of 1.0 over the previous 2 weeks"
    );
    let quiet = consistency(0, &[1_500]).unwrap();
    assert_eq!(
        quiet.evidence,
        "0 posts this week vs an average of 1,500.0 over the previous 1 week"
    );
    let group = Group {
        label: "#coffee posts".into(),
        median: 41_200.0,
        posts: 1_204,
        typical: 20.0,
    };
    assert_eq!(
        group.evidence(),
        "#coffee posts had a median of 41,200 views over 1,204 posts, 2,060.0× your median of 20"
    );
}

#[test]
fn the_rules_appear_in_their_order() {
    let recs = run(&two_groups(1_000), &[6, 6]);
    assert_eq!(
        kinds(&recs),
        ["best_time", "double_down", "drop", "consistency"]
    );
}
