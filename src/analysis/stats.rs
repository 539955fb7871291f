//! The small numeric rules every analysis shares: the engagement-rate formula, rounding and the
//! median. Pure.

use crate::model::Post;

/// A post's engaged actions: likes + comments + shares (saves are not part of the rate).
pub(crate) fn engagements(post: &Post) -> u64 {
    post.likes
        .saturating_add(post.comments)
        .saturating_add(post.shares)
}

/// A post's engagement rate in percent, 2 decimals; `None` when it has no views.
pub(crate) fn engagement_rate(post: &Post) -> Option<f64> {
    raw_rate(post).map(round2)
}

/// A post's engagement rate, unrounded.
pub(crate) fn raw_rate(post: &Post) -> Option<f64> {
    rate(engagements(post), post.views)
}

/// `engaged / views × 100`, unrounded; `None` without views: the one engagement-rate formula.
pub(crate) fn rate(engaged: u64, views: u64) -> Option<f64> {
    (views > 0).then(|| engaged as f64 / views as f64 * 100.0)
}

/// Rounds to 2 decimals, halves away from zero.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The median of some counts; `None` when there are none.
pub(crate) fn median(values: impl IntoIterator<Item = u64>) -> Option<f64> {
    let mut v: Vec<u64> = values.into_iter().collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid] as f64
    } else {
        (v[mid - 1] as f64 + v[mid] as f64) / 2.0
    })
}

/// The median views of the posts that have views (a photo reporting 0 views says nothing about
/// how many people saw it); `None` when none has.
pub(crate) fn rated_median<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Option<f64> {
    median(posts.into_iter().map(|p| p.views).filter(|v| *v > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round2_rounds_halves_away_from_zero() {
        assert_eq!(round2(3.875), 3.88);
        assert_eq!(round2(0.125), 0.13);
        assert_eq!(round2(7.0), 7.0);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median([5, 1, 3]), Some(3.0));
        assert_eq!(median([4, 1, 3, 2]), Some(2.5));
        assert_eq!(median([]), None);
    }

    #[test]
    fn the_rate_needs_views() {
        assert_eq!(rate(5, 0), None);
        assert_eq!(rate(1, 8), Some(12.5));
    }
}
