//! The rules that read the insights' tables (`best_time`, `double_down`, `drop`, `trade_off`) on
//! both sides of each threshold, with hand-computed expectations.

use super::*;
use crate::analysis::recommend::claim::{Dimension, Measure};
use crate::model::Format;

/// Three #a posts on three Mondays at 18:00 with `a_views` (10 % engagement), and three #b posts
/// on one Tuesday at 01:00, 08:00 and 15:00 with 100 views (5 %).
pub(in super::super) fn two_groups(a_views: u64) -> Vec<Post> {
    let mut basis = Vec::new();
    for i in 0..3 {
        basis.push(tagged(
            &format!("a{i}"),
            MONDAY + 18 * HOUR + i * WEEK,
            a_views,
            100,
            "a",
        ));
        basis.push(tagged(
            &format!("b{i}"),
            MONDAY + DAY + (i * 7 + 1) * HOUR,
            100,
            50,
            "b",
        ));
    }
    basis
}

fn find<'a>(recs: &'a [Recommendation], kind: &str) -> &'a Recommendation {
    recs.iter().find(|r| r.kind.name() == kind).unwrap()
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
        "Posts at Mon 18:00–21:00 had a median of 167 views over 3 posts, 1.3× your median of 134; they went out on 3 different days"
    );
    let claim = recs[0].claim.as_ref().unwrap();
    assert_eq!(
        (claim.dimension, claim.group.as_deref(), claim.measure),
        (
            Dimension::Slot,
            Some("Mon 18:00–21:00"),
            Measure::MedianViews
        )
    );
    assert_eq!((claim.value, claim.baseline), (167.0, Some(133.5)));
    assert_eq!(claim.posts, ["a0", "a1", "a2"]);
    assert_eq!(
        recs[1].message,
        "Double down on #a posts: they beat your typical post."
    );
    // 100 / 133.5 = 0.749: just under the drop threshold.
    assert_eq!(
        recs[2].message,
        "Make fewer #b posts, or rework them: they trail your typical post."
    );

    // a_views = 166: 166 / 133 = 1.248 and 100 / 133 = 0.752: neither side qualifies, and the
    // best slot is no clear slot.
    let recs = run(&two_groups(166), &[]);
    assert_eq!(kinds(&recs), ["best_time"]);
    assert_eq!(
        recs[0].message,
        "No clear best time yet: no slot stands out over enough posts and days."
    );
    assert_eq!(
        recs[0].evidence,
        "No slot with 3 or more posts on 2 or more different days has a median of at least 1.25× yours (133 views)"
    );
    assert_eq!(recs[0].claim, None);
}

/// Three posts of one Monday evening at 1,000 views, three on three Tuesday mornings at 500, and
/// seven at 100 in seven different slots: the account's median is 100.
fn one_evening() -> Vec<Post> {
    let mut basis: Vec<Post> = (0..3)
        .map(|i| {
            post(
                &format!("A{i}"),
                MONDAY + 18 * HOUR + i * HOUR / 2,
                1_000,
                80,
                0,
                0,
            )
        })
        .collect();
    for i in 0..3 {
        basis.push(post(
            &format!("B{i}"),
            MONDAY + DAY + 10 * HOUR + i * WEEK,
            500,
            40,
            0,
            0,
        ));
    }
    for i in 0..7 {
        let (day, hour, week) = if i < 5 { (2 + i, 3, 0) } else { (i - 3, 6, 1) };
        let at = MONDAY + day * DAY + hour * HOUR + week * WEEK;
        basis.push(post(&format!("C{i}"), at, 100, 8, 0, 0));
    }
    basis
}

#[test]
fn a_slot_counts_only_with_three_posts_on_two_different_days() {
    let basis = one_evening();
    let recs = run(&basis, &[]);
    assert_eq!(kinds(&recs), ["best_time"]);
    assert_eq!(
        recs[0].message,
        "Post on Tue 09:00–12:00 (UTC): of the slots with 3 or more posts on 2 or more different days, it is your strongest."
    );
    assert_eq!(
        recs[0].evidence,
        "Posts at Tue 09:00–12:00 had a median of 500 views over 3 posts, 5.0× your median of 100; they went out on 3 different days"
    );
    assert_eq!(recs[0].claim.as_ref().unwrap().posts, ["B0", "B1", "B2"]);

    // Two Tuesday posts are too few; the Monday evening is one day: no clear slot.
    let fewer: Vec<Post> = basis.into_iter().filter(|p| p.id != "B2").collect();
    let recs = run(&fewer, &[]);
    assert_eq!(
        recs[0].evidence,
        "No slot with 3 or more posts on 2 or more different days has a median of at least 1.25× yours (100 views); a slot whose posts all went out on one day does not count"
    );
    assert_eq!(recs[0].claim, None);
}

#[test]
fn double_down_cites_a_breakout_only_from_its_own_posts() {
    let mut basis = two_groups(1_000);
    basis[2].caption = "the one latte art trick that made everyone stop scrolling".into();
    // b0 is the stronger breakout, but not a #a post: the claim cites a1.
    let said = Said {
        breakouts: &[("b0", 5.0), ("a1", 3.5)],
        ..Said::default()
    };
    let recs = run_with(&basis, &[], &said);
    let r = find(&recs, "double_down");
    let claim = r.claim.as_ref().unwrap();
    assert_eq!(claim.cited_post.as_deref(), Some("a1"));
    assert_eq!((claim.value, claim.baseline), (1_000.0, Some(550.0)));
    assert_eq!(
        r.evidence,
        "#a posts had a median of 1,000 views over 3 posts, 1.8× your median of 550; this week's breakout among them: “the one latte art trick that made…” drew 1,000 views, 3.5× the median of your other posts"
    );
    let said = Said {
        breakouts: &[("b0", 5.0)],
        ..Said::default()
    };
    let recs = run_with(&basis, &[], &said);
    let r = find(&recs, "double_down");
    assert_eq!(r.claim.as_ref().unwrap().cited_post, None);
    assert_eq!(
        r.evidence,
        "#a posts had a median of 1,000 views over 3 posts, 1.8× your median of 550"
    );
}

#[test]
fn no_group_holding_views_without_engagement_is_recommended() {
    // a0's views came without engagement: neither its slot nor its hashtag is advice.
    let said = Said {
        unengaged: &["a0"],
        ..Said::default()
    };
    let recs = run_with(&two_groups(1_000), &[], &said);
    assert_eq!(kinds(&recs), ["best_time", "drop"]);
    assert_eq!(recs[0].claim, None);
    // Nor is a trailing group holding it something to drop.
    let said = Said {
        unengaged: &["b0"],
        ..Said::default()
    };
    let recs = run_with(&two_groups(1_000), &[], &said);
    assert_eq!(kinds(&recs), ["best_time", "double_down"]);
}

/// #a and #c: three posts each at 1,000 views and 8 %; #b: three at 100 views and 5 %; three
/// photos without hashtags at 100 views and 20 %. The account's median is (100 + 1,000) / 2.
fn trailing_groups() -> Vec<Post> {
    let mut basis = Vec::new();
    for i in 0..3 {
        basis.push(tagged(&format!("a{i}"), MONDAY + i * DAY, 1_000, 80, "a"));
        basis.push(tagged(
            &format!("c{i}"),
            MONDAY + i * DAY + HOUR,
            1_000,
            80,
            "c",
        ));
        basis.push(tagged(
            &format!("b{i}"),
            MONDAY + i * DAY + 5 * HOUR,
            100,
            50,
            "b",
        ));
        let mut photo = tagged(&format!("p{i}"), MONDAY + i * DAY + 9 * HOUR, 100, 200, "");
        (photo.format, photo.duration_s) = (Format::Photo, None);
        basis.push(photo);
    }
    basis
}

#[test]
fn a_group_with_the_best_engagement_is_a_trade_off_not_a_drop() {
    let recs = run(&trailing_groups(), &[]);
    // #b and photos both trail at 100 / 550 = 0.18×; photos lead the formats on engagement
    // (60 / 300 = 20 % against the videos' 495 / 6,300 = 7.86 %), #b does not lead the hashtags
    // (5 % against 8 %).
    let drop = find(&recs, "drop");
    assert_eq!(
        drop.message,
        "Make fewer #b posts, or rework them: they trail your typical post."
    );
    assert_eq!(
        drop.evidence,
        "#b posts had a median of 100 views over 3 posts, 0.2× your median of 550"
    );
    let trade = find(&recs, "trade_off");
    assert_eq!(
        trade.message,
        "Photo posts reach fewer people but engage them best: a trade-off to weigh, not a reason to make fewer."
    );
    // All posts: 555 engaged of 6,600 views = 8.41 %.
    assert_eq!(
        trade.evidence,
        "Photo posts had a median of 100 views over 3 posts, 0.2× your median of 550, but an engagement rate of 20.0%, the best of your formats, against 8.4% over all your posts"
    );
    let claim = trade.claim.as_ref().unwrap();
    assert_eq!(
        (claim.dimension, claim.group.as_deref(), claim.measure),
        (Dimension::Format, Some("photo"), Measure::EngagementRate)
    );
    assert_eq!((claim.value, claim.baseline), (20.0, Some(8.41)));
    assert_eq!(claim.posts, ["p0", "p1", "p2"]);
}

#[test]
fn nothing_trails_on_posts_too_new_to_judge() {
    let basis = trailing_groups();
    let said = Said {
        too_new: &["b1"],
        ..Said::default()
    };
    let recs = run_with(&basis, &[], &said);
    assert!(!kinds(&recs).contains(&"drop"), "{recs:#?}");
    assert_eq!(
        find(&recs, "trade_off").claim.as_ref().unwrap().posts,
        ["p0", "p1", "p2"]
    );
    let said = Said {
        too_new: &["p2"],
        ..Said::default()
    };
    let recs = run_with(&basis, &[], &said);
    assert!(!kinds(&recs).contains(&"trade_off"), "{recs:#?}");
    assert_eq!(
        find(&recs, "drop").claim.as_ref().unwrap().group.as_deref(),
        Some("b")
    );
}

#[test]
fn no_trade_off_rests_on_a_post_with_more_engagement_than_views() {
    let mut basis = trailing_groups();
    // p1 reports 150 shares on 100 views: the photos' 20 % would not be theirs to claim.
    basis[7].shares = 150;
    assert_eq!(basis[7].id, "p1");
    let said = Said {
        inflated: &["p1"],
        ..Said::default()
    };
    let recs = run_with(&basis, &[], &said);
    assert!(!kinds(&recs).contains(&"trade_off"), "{recs:#?}");
    assert_eq!(
        find(&recs, "drop").claim.as_ref().unwrap().group.as_deref(),
        Some("b")
    );
}

#[test]
fn groups_of_two_posts_are_not_enough_evidence() {
    let mut basis = two_groups(1_000);
    basis.retain(|p| p.id != "a2" && p.id != "b2");
    let recs = run(&basis, &[]);
    assert_eq!(kinds(&recs), ["best_time"], "groups of 2 never qualify");
    assert_eq!(recs[0].claim, None);
}

#[test]
fn evidence_counts_read_as_people_write_them() {
    let claim = Claim {
        dimension: Dimension::Hashtag,
        group: Some("coffee".into()),
        measure: Measure::MedianViews,
        value: 41_200.0,
        baseline: Some(20.0),
        posts: (0..1_204).map(|i| i.to_string()).collect(),
        cited_post: None,
    };
    assert_eq!(
        claim::views_sentence("#coffee posts", &claim),
        "#coffee posts had a median of 41,200 views over 1,204 posts, 2,060.0× your median of 20"
    );
}
