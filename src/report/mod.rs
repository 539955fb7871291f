//! The report: its schema (`schema_version` 6), a contract read by downstream scripts and by next
//! week's run; `build` assembles it, `fmt` formats its numbers and `render` turns
//! it into Markdown and HTML. Pure.

pub(crate) mod build;
pub(crate) mod competitors;
pub(crate) mod fmt;
mod headline;
mod output;
pub(crate) mod overview;
pub(crate) mod render;
mod saved;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::analysis::benchmark::Benchmark;
use crate::analysis::breakout::Baseline;
use crate::analysis::diff::Delta;
use crate::analysis::followup::FollowUp;
use crate::analysis::insights::{self, Insights};
use crate::analysis::metrics::{Metric, Metrics};
use crate::analysis::ranking::Band;
use crate::analysis::recommend::Recommendation;
use crate::analysis::stats;
use crate::model::{Account, ApiUsage, Post, Window};
use fmt::{group_thousands, percent_text, sign};

pub use build::{Inputs, build};
pub use competitors::{Competitor, Rival, Role};
#[cfg(test)]
pub(crate) use headline::BestPost;
pub(crate) use headline::Headline;
pub(crate) use output::Output;

/// The version of the report schema this build writes.
pub(crate) const SCHEMA_VERSION: u32 = 6;
/// The schema versions this build reads back (2 to 6 only added fields).
pub(crate) const READABLE_SCHEMAS: std::ops::RangeInclusive<u32> = 1..=SCHEMA_VERSION;

/// A weekly report, as written to `report_<date>.json`, and as read back from any schema of
/// `READABLE_SCHEMAS` (upgraded in one place, `report/saved.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "saved::Saved")]
pub struct Report {
    /// Always `SCHEMA_VERSION`.
    pub schema_version: u32,
    /// The handle, without `@`.
    pub user: String,
    /// `competitor` for a rival's report (`run --compare`); left out for an account's (schema 6).
    #[serde(skip_serializing_if = "Role::is_account")]
    pub role: Role,
    /// When the run made this report.
    pub generated_at: DateTime<Utc>,
    /// The week covered, `[start, end)`.
    pub window: Window,
    /// Profile figures at the time of the run.
    pub account: Account,
    /// The week's numbers.
    pub metrics: Metrics,
    /// Every post of the window, newest first.
    pub posts: Vec<PostEntry>,
    /// Best three by engagement rate.
    pub top: Vec<Ranked>,
    /// Worst three by engagement rate, never repeating `top`.
    pub bottom: Vec<Ranked>,
    /// Three most viewed.
    pub top_by_views: Vec<Ranked>,
    /// The lowest and highest engagement rate of the week's posts with views, and whether they
    /// sit within a narrow band (then `top` and `bottom` rank noise, and the readable reports say
    /// so); null with fewer than 2 such posts (schema 4).
    pub engagement_band: Option<Band>,
    /// The earlier report compared with, if any.
    pub previous: Option<PreviousRef>,
    /// Week-over-week change of every metric and `followers`; empty without `previous`.
    pub deltas: BTreeMap<Metric, Delta>,
    /// The previous report's posts seen again on this run's pages, most grown first (schema 3).
    pub followup: Vec<FollowUp>,
    /// What works and when, over this week and earlier reports; `None` only in a report read back
    /// that has none (schema 1) or one of an older shape.
    pub insights: Option<Insights>,
    /// This week and up to 11 earlier weeks, oldest first: what the HTML trend charts show.
    pub trend: Vec<TrendPoint>,
    /// The week's engagement rate against a published industry median; `None` only in a report
    /// read back that has none or one of an older shape.
    pub benchmark: Option<Benchmark>,
    /// Suggestions for next week.
    pub recommendations: Vec<Recommendation>,
    /// One row per rival of the run (`run --compare`), with the account's position against it;
    /// empty without rivals, and in a rival's own report (schema 6).
    pub competitors: Vec<Competitor>,
    /// What this run spent, and which leg of the API answered its feed (`leg`, schema 5).
    pub api: ApiUsage,
}

/// One post of the week, under `posts`: the post itself and what the report derives from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostEntry {
    /// The post as fetched.
    #[serde(flatten)]
    pub(crate) post: Post,
    /// (likes + comments + shares) / views × 100, 2 decimals; null with 0 views.
    pub(crate) engagement_rate: Option<f64>,
    /// Hours from posting to the window's end, 1 decimal (schema 2).
    #[serde(default)]
    pub(crate) age_hours: Option<f64>,
    /// Views per hour of age, 2 decimals (schema 2).
    #[serde(default)]
    pub(crate) views_per_hour: Option<f64>,
    /// Younger than 24 hours at the window's end: it has not had its chance yet (schema 2).
    #[serde(default)]
    pub(crate) too_new: bool,
    /// Its views divided by the median views of the other basis posts that have views, 2
    /// decimals; null without views or with fewer than 5 such others (schema 3).
    #[serde(default)]
    pub(crate) vs_median: Option<f64>,
    /// `vs_median` of 3 or more: it broke out of the account's usual range (schema 3); never
    /// with `views_without_engagement`.
    #[serde(default)]
    pub(crate) breakout: bool,
    /// Views far above the account's usual (a `vs_median` of 3 or more) with an engagement rate
    /// under a fifth of the account's median post engagement rate: boosted, promoted or bought
    /// views, never a breakout and never cited by a recommendation (schema 4).
    #[serde(default)]
    pub(crate) views_without_engagement: bool,
}

impl PostEntry {
    /// The entry of `post` in a report whose window ends at `as_of`, measured against `baseline`.
    pub fn new(post: Post, as_of: DateTime<Utc>, baseline: &Baseline) -> Self {
        let age = insights::age_hours(&post, as_of);
        let verdict = baseline.judge(&post);
        Self {
            engagement_rate: stats::engagement_rate(&post),
            age_hours: Some(age),
            views_per_hour: Some(insights::views_per_hour(&post, as_of)),
            too_new: age < insights::TOO_NEW_HOURS,
            vs_median: verdict.vs_median,
            breakout: verdict.breakout,
            views_without_engagement: verdict.views_without_engagement,
            post,
        }
    }
}

impl AsRef<Post> for PostEntry {
    fn as_ref(&self) -> &Post {
        &self.post
    }
}

/// One entry of `top`, `bottom` or `top_by_views`: a post of the week and its place in the list.
/// It carries the whole entry (the renderers need its caption); the JSON holds the figures only.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// 1-based place in its list.
    pub(crate) rank: usize,
    /// The post.
    pub(crate) entry: PostEntry,
}

impl Serialize for Ranked {
    /// `{rank, id, url, views, likes, comments, shares, saves, engagement_rate, too_new}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (e, p) = (&self.entry, &self.entry.post);
        let mut s = serializer.serialize_struct("Ranked", 10)?;
        s.serialize_field("rank", &self.rank)?;
        s.serialize_field("id", &p.id)?;
        s.serialize_field("url", &p.url)?;
        s.serialize_field("views", &p.views)?;
        s.serialize_field("likes", &p.likes)?;
        s.serialize_field("comments", &p.comments)?;
        s.serialize_field("shares", &p.shares)?;
        s.serialize_field("saves", &p.saves)?;
        s.serialize_field("engagement_rate", &e.engagement_rate)?;
        s.serialize_field("too_new", &e.too_new)?;
        s.end()
    }
}

/// How many weeks `trend` covers, this one included.
pub(crate) const TREND_WEEKS: u32 = 12;

/// One week of the trend: the date and part of its `Headline`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The week's report date.
    pub(crate) date: NaiveDate,
    /// Posts that week.
    pub(crate) posts: u64,
    /// Views that week.
    pub(crate) views: u64,
    /// Engagement rate that week.
    pub(crate) engagement_rate: Option<f64>,
    /// Followers at the time.
    pub(crate) followers: Option<u64>,
}

impl TrendPoint {
    /// The trend point of a report dated `date` whose headline is `headline`.
    pub(crate) fn new(date: NaiveDate, headline: &Headline) -> Self {
        Self {
            date,
            posts: headline.posts,
            views: headline.views,
            engagement_rate: headline.engagement_rate,
            followers: headline.followers,
        }
    }
}

/// Which earlier report a report was compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousRef {
    /// The earlier report's date (`YYYY-MM-DD`).
    pub date: NaiveDate,
    /// Its file name, relative to the user's reports folder.
    pub file: String,
}

impl Report {
    /// How many weeks before this week the report it compares with ended (1: last week's);
    /// `None` without one.
    pub(crate) fn weeks_since_previous(&self) -> Option<u64> {
        (self.previous.as_ref())
            .map(|p| crate::model::weeks_apart(self.window.end.date_naive(), p.date))
    }

    /// Why this report cannot be compared with, if it cannot: a window that is not one week, or
    /// figures no real week has (a count past [`MAX_COUNT`](crate::model::MAX_COUNT) a post, an
    /// average or rate that is negative or not finite). Only a hand-edited or damaged report says
    /// such things.
    pub(crate) fn implausible(&self) -> Option<String> {
        if self.window.end - self.window.start != chrono::Duration::days(7) {
            return Some("its window is not one week".into());
        }
        let m = &self.metrics;
        let posts = m.post_count.max(self.posts.len() as u64).max(1);
        let bound = crate::model::MAX_COUNT.saturating_mul(posts);
        let totals = [
            m.total_views,
            m.total_likes,
            m.total_comments,
            m.total_shares,
            m.total_saves.unwrap_or(0),
        ];
        let post_counts = self.posts.iter().flat_map(|e| {
            let p = &e.post;
            [p.views, p.likes, p.comments, p.shares, p.saves.unwrap_or(0)]
        });
        if totals.iter().any(|&n| n > bound)
            || post_counts.into_iter().any(|n| n > crate::model::MAX_COUNT)
        {
            return Some("it holds counts no TikTok post has".into());
        }
        let figures = Metric::ALL.map(|metric| metric.value(m, &self.account));
        if figures.iter().flatten().any(|v| !v.is_finite() || *v < 0.0) {
            return Some("it holds a negative or infinite figure".into());
        }
        None
    }
}

/// An earlier report, and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// Its date and file name.
    pub reference: PreviousRef,
    /// What it says.
    pub report: Report,
}

impl Report {
    /// Pretty JSON with a trailing newline: the bytes written to disk or printed by `--dry-run`.
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain structs with string keys cannot fail; fall back to an empty object
        // rather than panic if it ever did.
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_else(|_| b"{}".to_vec());
        bytes.push(b'\n');
        bytes
    }

    /// The one line a normal run prints: posts, views, engagement, change versus last week, path.
    pub(crate) fn summary_line(&self, path: &str) -> String {
        let m = &self.metrics;
        let engagement = percent_text(m.engagement_rate);
        let change = match (&self.previous, self.deltas.get(&Metric::TotalViews)) {
            (Some(previous), Some(delta)) => {
                let how = match (delta.change, delta.change_pct) {
                    (Some(c), Some(p)) if c != 0.0 => {
                        format!("{}{}%", sign(c), fmt::decimal(p.abs(), 1))
                    }
                    (Some(c), None) if c != 0.0 => {
                        format!("{}{}", sign(c), group_thousands(c.abs() as u64))
                    }
                    _ => "unchanged".to_string(),
                };
                format!("views {how} vs {}", previous.date)
            }
            _ => "first report".to_string(),
        };
        format!(
            "@{} week to {}: {}, {} views, engagement {engagement}, {change}; report {path}",
            self.user,
            self.window.end.date_naive(),
            crate::fmt::plural(m.post_count, "post"),
            group_thousands(m.total_views),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A saved report of `schema_version` whose one post has `saves` (left out when `None`).
    fn saved(schema_version: u32, saves: Option<serde_json::Value>) -> Report {
        let mut post = serde_json::json!({
            "id": "7", "url": "https://www.tiktok.com/@x/video/7", "caption": "",
            "posted_at": "2026-11-05T18:00:00Z", "views": 100, "likes": 10, "comments": 0,
            "shares": 0, "duration_s": null, "hashtags": [], "pinned": false, "format": "video",
            "original_sound": null, "engagement_rate": 10.0
        });
        if let Some(saves) = saves {
            post["saves"] = saves;
        }
        serde_json::from_value(serde_json::json!({
            "schema_version": schema_version, "user": "x", "generated_at": "2026-11-08T20:00:03Z",
            "window": { "start": "2026-11-01T20:00:00Z", "end": "2026-11-08T20:00:00Z" },
            "account": {},
            "metrics": { "post_count": 1, "total_views": 100, "total_likes": 10,
                "total_comments": 0, "total_shares": 0, "total_saves": 0, "avg_views": 100.0,
                "avg_likes": 10.0, "avg_comments": 0.0, "avg_shares": 0.0, "avg_saves": 0.0,
                "engagement_rate": 10.0, "mean_post_engagement_rate": 10.0 },
            "posts": [post]
        }))
        .unwrap()
    }

    #[test]
    fn reports_whose_saves_were_0_or_absent_still_read_and_compare() {
        // Schema 1–3 wrote 0 saves, even for a post whose collect_count was missing: read as 0.
        let old = saved(3, Some(serde_json::json!(0)));
        assert_eq!(old.posts[0].post.saves, Some(0));
        assert_eq!(old.metrics.total_saves, Some(0));
        assert_eq!(old.metrics.posts_without_saves, 0);
        assert_eq!(old.implausible(), None);
        // A post without the field (hand-written or older still) has unknown saves.
        let absent = saved(1, None);
        assert_eq!(absent.posts[0].post.saves, None);
        assert_eq!(absent.implausible(), None);
        // What this build writes reads back the same.
        let null = saved(SCHEMA_VERSION, Some(serde_json::Value::Null));
        assert_eq!(null.posts[0].post.saves, None);
        let huge = saved(3, Some(serde_json::json!(crate::model::MAX_COUNT + 1)));
        assert_eq!(
            huge.implausible().as_deref(),
            Some("it holds counts no TikTok post has")
        );
    }

    #[test]
    fn the_leg_of_schema_5_reads_back_and_older_reports_have_none() {
        use crate::model::Leg;
        // Schema 4 and older had no `api.leg`: unknown.
        let old = saved(4, None);
        assert_eq!((old.schema_version, old.api.leg), (4, None));
        for leg in [Leg::App, Leg::Web, Leg::Mixed] {
            let mut report = saved(SCHEMA_VERSION, None);
            report.api.leg = Some(leg);
            let read: Report = serde_json::from_slice(&report.to_json()).unwrap();
            assert_eq!(read.api.leg, Some(leg));
        }
        assert_eq!(Leg::joined(None, Leg::Web), Leg::Web);
        assert_eq!(Leg::joined(Some(Leg::App), Leg::App), Leg::App);
        assert_eq!(Leg::joined(Some(Leg::App), Leg::Web), Leg::Mixed);
        assert_eq!(Leg::joined(Some(Leg::Mixed), Leg::App), Leg::Mixed);
    }
}
