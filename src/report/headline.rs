//! A week's headline: the few numbers of a [`Report`] that a one-line summary shows (a chat
//! message, an overview row, a week of the trend or of `history`), computed from the report in one
//! place. Text from outside (captions, advice) is cleaned here, for people to read. Pure.

use super::Report;
use crate::analysis::metrics::Metric;
use crate::text::clean;

/// The few numbers of one report a summary shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Headline {
    /// Posts of the week.
    pub(crate) posts: u64,
    /// Views of the week.
    pub(crate) views: u64,
    /// Change of views since the previous report.
    pub(crate) views_change: Option<f64>,
    /// The same in percent (null from 0).
    pub(crate) views_change_pct: Option<f64>,
    /// Engagement rate, in percent.
    pub(crate) engagement_rate: Option<f64>,
    /// Its change, in percentage points.
    pub(crate) engagement_rate_change: Option<f64>,
    /// Followers at the time of the run.
    pub(crate) followers: Option<u64>,
    /// Their change.
    pub(crate) followers_change: Option<f64>,
    /// The report was compared with an earlier one.
    pub(crate) compared: bool,
    /// The most viewed post of the week, when its link is `https://`.
    pub(crate) best_post: Option<BestPost>,
    /// The message of the report's first actionable recommendation (`best_time`, `double_down` or
    /// `drop`), cleaned; from schema 4 on, only one that rests on a claim.
    pub(crate) advice: Option<String>,
    /// The account against the run's competitors on one line (`vs @rival: median views 2.1×`),
    /// cleaned; `None` without competitors (schema 6).
    pub(crate) rivals: Option<String>,
}

/// The week's most viewed post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BestPost {
    /// Its link (`https://` only), cleaned.
    pub(crate) url: String,
    /// Its caption, cleaned (may be empty).
    pub(crate) caption: String,
    /// Its views.
    pub(crate) views: u64,
}

impl Headline {
    /// The headline of `report`.
    pub(crate) fn of(report: &Report) -> Self {
        let delta = |metric: Metric| report.deltas.get(&metric);
        let best_post = report.top_by_views.first().and_then(|best| {
            let post = &best.entry.post;
            let url = clean(&post.url);
            url.starts_with("https://").then(|| BestPost {
                caption: clean(&post.caption).trim().to_string(),
                url,
                views: post.views,
            })
        });
        Self {
            posts: report.metrics.post_count,
            views: report.metrics.total_views,
            views_change: delta(Metric::TotalViews).and_then(|d| d.change),
            views_change_pct: delta(Metric::TotalViews).and_then(|d| d.change_pct),
            engagement_rate: report.metrics.engagement_rate,
            engagement_rate_change: delta(Metric::EngagementRate).and_then(|d| d.change),
            followers: report.account.followers,
            followers_change: delta(Metric::Followers).and_then(|d| d.change),
            compared: report.previous.is_some(),
            best_post,
            // From schema 4 on, advice rests on a claim: "no clear best time yet" is none.
            advice: (report.recommendations.iter())
                .filter(|r| r.kind.is_actionable())
                .filter(|r| report.schema_version < 4 || r.claim.is_some())
                .map(|r| clean(&r.message).trim().to_string())
                .find(|m| !m.is_empty()),
            rivals: super::competitors::mention(report),
        }
    }
}
