//! The week's numbers: which posts are in the window, their totals, averages and engagement rates.
//!
//! Pure: no I/O, no clock, no HTTP. Counts are `u64` and summed with saturation, so a viral post past
//! 2³² views (or hostile data) can neither overflow nor panic.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::stats::{rate, rated_median, raw_rate, round2};
use crate::model::{Account, Post, Window};

/// The posts of `posts` created inside `window`, newest first (ties by id), each id once: the first
/// occurrence of an id wins. Linear in the number of posts.
pub fn posts_in_window(posts: &[Post], window: &Window) -> Vec<Post> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut week: Vec<Post> = posts
        .iter()
        .filter(|p| window.contains(p.posted_at) && seen.insert(p.id.as_str()))
        .cloned()
        .collect();
    week.sort_by(|a, b| {
        b.posted_at
            .cmp(&a.posted_at)
            .then_with(|| crate::model::cmp_ids(&a.id, &b.id))
    });
    week
}

/// The week's metrics, as written under `metrics` in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Posts in the window.
    pub(crate) post_count: u64,
    /// Sum of views.
    pub(crate) total_views: u64,
    /// Sum of likes.
    pub(crate) total_likes: u64,
    /// Sum of comments.
    pub(crate) total_comments: u64,
    /// Sum of shares.
    pub(crate) total_shares: u64,
    /// Sum of the saves of the posts that reported them; `None` when posts with readable
    /// statistics came but none with a save count (schema 4: such weeks wrote 0 before).
    pub(crate) total_saves: Option<u64>,
    /// Views per post with readable statistics, 2 decimals; `None` without such posts.
    pub(crate) avg_views: Option<f64>,
    /// The median views of the week's posts that have views; `None` when none has (schema 3).
    #[serde(default)]
    pub(crate) median_views: Option<f64>,
    /// Likes per post.
    pub(crate) avg_likes: Option<f64>,
    /// Comments per post.
    pub(crate) avg_comments: Option<f64>,
    /// Shares per post.
    pub(crate) avg_shares: Option<f64>,
    /// Saves per post that reported them, 2 decimals; `None` when none did.
    pub(crate) avg_saves: Option<f64>,
    /// Posts with readable statistics that came without a save count, left out of
    /// `total_saves` and `avg_saves` (schema 4; absent, it reads as 0).
    #[serde(default)]
    pub(crate) posts_without_saves: u64,
    /// (likes + comments + shares) / views × 100 over the week's sums; `None` when views are 0.
    pub(crate) engagement_rate: Option<f64>,
    /// Mean of the per-post engagement rates of the posts that have one.
    pub(crate) mean_post_engagement_rate: Option<f64>,
    /// The share of the week's views that its most viewed post made, in percent, 2 decimals;
    /// `None` without views (schema 3). Over 50 %, one post carried the week.
    #[serde(default)]
    pub(crate) top_post_share_pct: Option<f64>,
}

/// One number of the week's review: a field of [`Metrics`] or the account's followers. Deltas,
/// labels and formatting are keyed by it, so a metric nobody labelled is a compile error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// `post_count`.
    PostCount,
    /// `total_views`.
    TotalViews,
    /// `total_likes`.
    TotalLikes,
    /// `total_comments`.
    TotalComments,
    /// `total_shares`.
    TotalShares,
    /// `total_saves`.
    TotalSaves,
    /// `avg_views`.
    AvgViews,
    /// `median_views`.
    MedianViews,
    /// `avg_likes`.
    AvgLikes,
    /// `avg_comments`.
    AvgComments,
    /// `avg_shares`.
    AvgShares,
    /// `avg_saves`.
    AvgSaves,
    /// `engagement_rate`.
    EngagementRate,
    /// `mean_post_engagement_rate`.
    MeanPostEngagementRate,
    /// `top_post_share_pct`.
    TopPostShare,
    /// The account's `followers`, from the profile.
    Followers,
}

/// What kind of number a [`Metric`] is, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetricKind {
    /// A whole number (`51,877`).
    Count,
    /// A per-post average (`26,083` in text; 2 decimals in the JSON).
    Average,
    /// A rate in percent (`8.00%` in a table; its changes in points).
    Rate,
}

impl Metric {
    /// Every metric, in report order.
    pub(crate) const ALL: [Metric; 16] = [
        Metric::PostCount,
        Metric::TotalViews,
        Metric::TotalLikes,
        Metric::TotalComments,
        Metric::TotalShares,
        Metric::TotalSaves,
        Metric::AvgViews,
        Metric::MedianViews,
        Metric::AvgLikes,
        Metric::AvgComments,
        Metric::AvgShares,
        Metric::AvgSaves,
        Metric::EngagementRate,
        Metric::MeanPostEngagementRate,
        Metric::TopPostShare,
        Metric::Followers,
    ];

    /// The field name in the report (`total_views`), also the key of `deltas`.
    pub(crate) fn name(self) -> &'static str {
        self.about().0
    }

    /// The human name (`Views`).
    pub(crate) fn label(self) -> &'static str {
        self.about().1
    }

    /// Count, average or rate.
    pub(crate) fn kind(self) -> MetricKind {
        self.about().2
    }

    fn about(self) -> (&'static str, &'static str, MetricKind) {
        use MetricKind::*;
        match self {
            Metric::PostCount => ("post_count", "Posts", Count),
            Metric::TotalViews => ("total_views", "Views", Count),
            Metric::TotalLikes => ("total_likes", "Likes", Count),
            Metric::TotalComments => ("total_comments", "Comments", Count),
            Metric::TotalShares => ("total_shares", "Shares", Count),
            Metric::TotalSaves => ("total_saves", "Saves", Count),
            Metric::AvgViews => ("avg_views", "Views per post", Average),
            Metric::MedianViews => ("median_views", "Median views", Average),
            Metric::AvgLikes => ("avg_likes", "Likes per post", Average),
            Metric::AvgComments => ("avg_comments", "Comments per post", Average),
            Metric::AvgShares => ("avg_shares", "Shares per post", Average),
            Metric::AvgSaves => ("avg_saves", "Saves per post", Average),
            Metric::EngagementRate => ("engagement_rate", "Engagement rate", Rate),
            Metric::MeanPostEngagementRate => {
                ("mean_post_engagement_rate", "Mean post engagement", Rate)
            }
            Metric::TopPostShare => ("top_post_share_pct", "Top post's share of views", Rate),
            Metric::Followers => ("followers", "Followers", Count),
        }
    }

    /// This metric's value in a week's `metrics` and the account's figures then.
    pub(crate) fn value(self, m: &Metrics, account: &Account) -> Option<f64> {
        let count = |n: u64| Some(n as f64);
        match self {
            Metric::PostCount => count(m.post_count),
            Metric::TotalViews => count(m.total_views),
            Metric::TotalLikes => count(m.total_likes),
            Metric::TotalComments => count(m.total_comments),
            Metric::TotalShares => count(m.total_shares),
            Metric::TotalSaves => m.total_saves.and_then(count),
            Metric::AvgViews => m.avg_views,
            Metric::MedianViews => m.median_views,
            Metric::AvgLikes => m.avg_likes,
            Metric::AvgComments => m.avg_comments,
            Metric::AvgShares => m.avg_shares,
            Metric::AvgSaves => m.avg_saves,
            Metric::EngagementRate => m.engagement_rate,
            Metric::MeanPostEngagementRate => m.mean_post_engagement_rate,
            Metric::TopPostShare => m.top_post_share_pct,
            Metric::Followers => account.followers.map(|n| n as f64),
        }
    }
}

/// Ordered by name, so that `deltas` (a map keyed by metric) is written in the same order as a
/// map keyed by the names.
impl Ord for Metric {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Metric {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The metrics of `posts` inside `window` (posts outside it are ignored, duplicates counted once).
#[cfg(test)]
pub(crate) fn compute(posts: &[Post], window: &Window) -> Metrics {
    of_week(&posts_in_window(posts, window))
}

/// The metrics of posts already selected for the week.
pub fn of_week(week: &[Post]) -> Metrics {
    let sum = |field: fn(&Post) -> u64| {
        week.iter()
            .fold(0u64, |acc, p| acc.saturating_add(field(p)))
    };
    let total_views = sum(|p| p.views);
    let total_likes = sum(|p| p.likes);
    let total_comments = sum(|p| p.comments);
    let total_shares = sum(|p| p.shares);
    let post_count = week.len() as u64;
    // Posts whose statistics could not be read count as posts, not as zeros in an average.
    let measured = week.iter().filter(|p| p.has_statistics).count();
    let avg = |total: u64, over: usize| (over > 0).then(|| round2(total as f64 / over as f64));
    // Saves the API did not send are unknown: summed over the posts that sent them, and no
    // total at all when none did.
    let saves: Vec<u64> = (week.iter())
        .filter(|p| p.has_statistics)
        .filter_map(|p| p.saves)
        .collect();
    let saves_sum = saves.iter().fold(0u64, |acc, n| acc.saturating_add(*n));
    let total_saves = (!saves.is_empty() || measured == 0).then_some(saves_sum);
    let rates: Vec<f64> = week.iter().filter_map(raw_rate).collect();
    Metrics {
        post_count,
        total_views,
        total_likes,
        total_comments,
        total_shares,
        total_saves,
        avg_views: avg(total_views, measured),
        median_views: rated_median(week),
        avg_likes: avg(total_likes, measured),
        avg_comments: avg(total_comments, measured),
        avg_shares: avg(total_shares, measured),
        avg_saves: avg(saves_sum, saves.len()),
        posts_without_saves: (measured - saves.len()) as u64,
        engagement_rate: rate(
            total_likes
                .saturating_add(total_comments)
                .saturating_add(total_shares),
            total_views,
        )
        .map(round2),
        mean_post_engagement_rate: (!rates.is_empty())
            .then(|| round2(rates.iter().sum::<f64>() / rates.len() as f64)),
        top_post_share_pct: week
            .iter()
            .map(|p| p.views)
            .max()
            .filter(|_| total_views > 0)
            .map(|top| round2(top as f64 / total_views as f64 * 100.0)),
    }
}

#[cfg(test)]
pub(crate) mod tests;
