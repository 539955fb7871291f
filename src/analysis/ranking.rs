//! Top and bottom posts of the week by engagement rate, the most viewed, and whether the week's
//! rates differ enough for that ranking to mean anything.
//!
//! Pure. Rates are compared exactly (cross-multiplied in `u128`), not as rounded floats, so two posts
//! tie only when their rates are truly equal; ties then go by views, then by id.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::stats::{engagement_rate, engagements};
use crate::model::{Post, cmp_ids};

/// How many posts each list holds at most.
pub(crate) const LIST_LEN: usize = 3;
/// The week's engagement rates sit within a narrow band when the highest is at most this many
/// times the lowest (8.0 % to 9.2 %, say): posts of one account differ by that much from one week
/// to the next without any lesson in it, so top and bottom by engagement would rank noise. The
/// demo's weeks spread 1.19× to 2.06×.
pub(crate) const NARROW_BAND: f64 = 1.15;

/// The spread of the week's engagement rates, over its posts with views (schema 4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// The lowest rate, as `posts[].engagement_rate` shows it.
    pub(crate) low: f64,
    /// The highest.
    pub(crate) high: f64,
    /// `high` at most [`NARROW_BAND`] × `low`: the order of top and bottom is noise.
    pub(crate) narrow: bool,
}

/// The band of the week's engagement rates; `None` with fewer than 2 posts with views.
pub(crate) fn band<T: AsRef<Post>>(week: &[T]) -> Option<Band> {
    let rates: Vec<f64> = week
        .iter()
        .filter_map(|t| engagement_rate(t.as_ref()))
        .collect();
    if rates.len() < 2 {
        return None;
    }
    let low = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let high = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(Band {
        low,
        high,
        narrow: high <= low * NARROW_BAND,
    })
}

/// The three ranked lists of a week, as references to its posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Rankings<'a, T> {
    /// Up to 3 posts by engagement rate, highest first; ties by views (more first), then id.
    pub(crate) top: Vec<&'a T>,
    /// Up to 3 posts by engagement rate, lowest first; ties by views (fewer first), then id.
    /// Never repeats a `top` post.
    pub(crate) bottom: Vec<&'a T>,
    /// Up to 3 posts by views, most first; ties by id.
    pub(crate) top_by_views: Vec<&'a T>,
}

/// Ranks the week's posts (anything that holds a [`Post`]). Posts with 0 views have no rate and
/// appear in none of the lists.
pub fn rank<T: AsRef<Post>>(week: &[T]) -> Rankings<'_, T> {
    let mut rated: Vec<&T> = week.iter().filter(|t| t.as_ref().views > 0).collect();

    rated.sort_by(|a, b| {
        let (a, b) = ((*a).as_ref(), (*b).as_ref());
        cmp_rate(b, a)
            .then(b.views.cmp(&a.views))
            .then_with(|| cmp_ids(&a.id, &b.id))
    });
    let top: Vec<&T> = rated.iter().copied().take(LIST_LEN).collect();

    let mut bottom: Vec<&T> = rated[top.len()..].to_vec();
    bottom.sort_by(|a, b| {
        let (a, b) = ((*a).as_ref(), (*b).as_ref());
        cmp_rate(a, b)
            .then(a.views.cmp(&b.views))
            .then_with(|| cmp_ids(&a.id, &b.id))
    });
    bottom.truncate(LIST_LEN);

    rated.sort_by(|a, b| {
        let (a, b) = ((*a).as_ref(), (*b).as_ref());
        b.views.cmp(&a.views).then_with(|| cmp_ids(&a.id, &b.id))
    });
    rated.truncate(LIST_LEN);

    Rankings {
        top,
        bottom,
        top_by_views: rated,
    }
}

/// Compares the engagement rates of two posts with views, exactly.
fn cmp_rate(a: &Post, b: &Post) -> Ordering {
    let lhs = u128::from(engagements(a)) * u128::from(b.views);
    let rhs = u128::from(engagements(b)) * u128::from(a.views);
    lhs.cmp(&rhs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;

    fn ids<'a>(list: &[&'a Post]) -> Vec<&'a str> {
        list.iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn six_posts_split_into_top_three_and_bottom_three() {
        let week: Vec<Post> = (1..=6)
            .map(|i| post(&i.to_string(), 0, 100, i * 2, 0, 0))
            .collect();
        let r = rank(&week);
        assert_eq!(ids(&r.top), ["6", "5", "4"]);
        assert_eq!(ids(&r.bottom), ["1", "2", "3"]);
    }

    #[test]
    fn bottom_never_repeats_a_top_post() {
        let week: Vec<Post> = (1..=4)
            .map(|i| post(&i.to_string(), 0, 100, i, 0, 0))
            .collect();
        let r = rank(&week);
        assert_eq!(ids(&r.top), ["4", "3", "2"]);
        assert_eq!(ids(&r.bottom), ["1"]);

        let r = rank(&week[..2]);
        assert_eq!(ids(&r.top), ["2", "1"]);
        assert!(r.bottom.is_empty());
    }

    #[test]
    fn zero_view_posts_are_in_no_list() {
        let week = vec![post("1", 0, 0, 50, 5, 5), post("2", 0, 10, 1, 0, 0)];
        let r = rank(&week);
        assert_eq!(ids(&r.top), ["2"]);
        assert!(r.bottom.is_empty());
        assert_eq!(ids(&r.top_by_views), ["2"]);
    }

    #[test]
    fn top_ties_go_to_more_views_then_lower_id() {
        // All at 10 %: 10/100, 20/200, 20/200 (ids 9 and 10), 30/300.
        let week = vec![
            post("9", 0, 200, 20, 0, 0),
            post("10", 0, 200, 20, 0, 0),
            post("5", 0, 100, 10, 0, 0),
            post("7", 0, 300, 30, 0, 0),
        ];
        let r = rank(&week);
        assert_eq!(ids(&r.top), ["7", "9", "10"]);
        assert_eq!(ids(&r.bottom), ["5"]);
    }

    #[test]
    fn bottom_ties_go_to_fewer_views_then_lower_id() {
        let mut week: Vec<Post> = (1..=3)
            .map(|i| post(&format!("9{i}"), 0, 100, 90, 0, 0))
            .collect();
        week.extend([
            post("3", 0, 200, 2, 0, 0),
            post("2", 0, 100, 1, 0, 0),
            post("1", 0, 100, 1, 0, 0),
        ]);
        let r = rank(&week);
        assert_eq!(ids(&r.bottom), ["1", "2", "3"]);
    }

    #[test]
    fn rates_that_round_alike_still_rank_exactly() {
        // 1.001 % and 1.004 % both print as 1.00, but the second is higher.
        let week = vec![
            post("1", 0, 100_000, 1_001, 0, 0),
            post("2", 0, 100_000, 1_004, 0, 0),
        ];
        let r = rank(&week);
        assert_eq!(ids(&r.top), ["2", "1"]);
        assert_eq!(
            crate::analysis::stats::engagement_rate(r.top[0]),
            crate::analysis::stats::engagement_rate(r.top[1])
        );
    }

    #[test]
    fn top_by_views_ranks_by_views_then_id() {
        let week = vec![
            post("3", 0, 5_000_000_000, 1, 0, 0),
            post("2", 0, 10, 1, 0, 0),
            post("1", 0, 10, 1, 0, 0),
            post("4", 0, 5, 1, 0, 0),
        ];
        assert_eq!(ids(&rank(&week).top_by_views), ["3", "1", "2"]);
    }

    #[test]
    fn rates_within_fifteen_percent_of_each_other_are_a_narrow_band() {
        // 8.00 %, 8.50 % and 9.20 %: 9.20 = 1.15 × 8.00, the edge, still narrow.
        let week = vec![
            post("1", 0, 1_000, 80, 0, 0),
            post("2", 0, 1_000, 85, 0, 0),
            post("3", 0, 1_000, 92, 0, 0),
        ];
        let b = band(&week).unwrap();
        assert_eq!((b.low, b.high, b.narrow), (8.0, 9.2, true));
        // 9.21 % is past it.
        let wider = vec![
            post("1", 0, 10_000, 800, 0, 0),
            post("4", 0, 10_000, 921, 0, 0),
        ];
        assert!(!band(&wider).unwrap().narrow);
        // All at 0 % are as narrow as can be; a post without views has no rate to compare.
        let flat = vec![post("1", 0, 10, 0, 0, 0), post("2", 0, 20, 0, 0, 0)];
        assert!(band(&flat).unwrap().narrow);
        assert_eq!(
            band(&[post("1", 0, 10, 1, 0, 0), post("2", 0, 0, 5, 0, 0)]),
            None
        );
    }

    #[test]
    fn ids_compare_as_numbers_when_lengths_differ() {
        assert_eq!(cmp_ids("9", "10"), Ordering::Less);
        assert_eq!(
            cmp_ids("7579000000000000302", "7579000000000000301"),
            Ordering::Greater
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::analysis::metrics::of_week;
    use crate::analysis::metrics::tests::post;
    use crate::analysis::stats::engagement_rate;
    use proptest::prelude::*;

    fn ids<'a>(list: &[&'a Post]) -> Vec<&'a str> {
        list.iter().map(|p| p.id.as_str()).collect()
    }

    /// Up to 12 posts with distinct ids and counts small enough that sums are exact.
    fn weeks() -> impl Strategy<Value = Vec<Post>> {
        let counts = (0u64..1 << 40, 0u64..1 << 36, 0u64..1 << 30, 0u64..1 << 30);
        prop::collection::vec(prop_oneof![Just((0, 5, 1, 0)), counts], 0..12).prop_map(|all| {
            all.into_iter()
                .enumerate()
                .map(|(i, (v, l, c, s))| post(&format!("{}", 7_000 + i), 0, v, l, c, s))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn totals_are_the_sums_of_the_posts(week in weeks()) {
            let m = of_week(&week);
            prop_assert_eq!(m.post_count, week.len() as u64);
            prop_assert_eq!(m.total_views, week.iter().map(|p| p.views).sum::<u64>());
            prop_assert_eq!(m.total_likes, week.iter().map(|p| p.likes).sum::<u64>());
            prop_assert_eq!(m.total_comments, week.iter().map(|p| p.comments).sum::<u64>());
            prop_assert_eq!(m.total_shares, week.iter().map(|p| p.shares).sum::<u64>());
        }

        #[test]
        fn rates_are_non_negative_and_null_exactly_without_views(week in weeks()) {
            for p in &week {
                let rate = engagement_rate(p);
                prop_assert_eq!(rate.is_none(), p.views == 0);
                prop_assert!(rate.is_none_or(|r| r.is_finite() && r >= 0.0));
            }
            let m = of_week(&week);
            prop_assert_eq!(m.engagement_rate.is_none(), m.total_views == 0);
            prop_assert!(m.engagement_rate.is_none_or(|r| r.is_finite() && r >= 0.0));
        }

        #[test]
        fn top_and_bottom_never_overlap_and_are_as_long_as_they_can_be(week in weeks()) {
            let r = rank(&week);
            let rated = week.iter().filter(|p| p.views > 0).count();
            prop_assert_eq!(r.top.len(), rated.min(LIST_LEN));
            prop_assert_eq!(r.bottom.len(), (rated - r.top.len()).min(LIST_LEN));
            for entry in &r.bottom {
                prop_assert!(r.top.iter().all(|t| t.id != entry.id));
            }
            for list in [&r.top, &r.bottom, &r.top_by_views] {
                prop_assert!(list.iter().all(|e| e.views > 0 && engagement_rate(e).is_some()));
            }
        }

        #[test]
        fn reordering_the_posts_changes_nothing(
            (week, shuffled) in weeks().prop_flat_map(|w| (Just(w.clone()), Just(w).prop_shuffle()))
        ) {
            prop_assert_eq!(of_week(&week), of_week(&shuffled));
            let (a, b) = (rank(&week), rank(&shuffled));
            prop_assert_eq!(ids(&a.top), ids(&b.top));
            prop_assert_eq!(ids(&a.bottom), ids(&b.bottom));
            prop_assert_eq!(ids(&a.top_by_views), ids(&b.top_by_views));
        }
    }
}
