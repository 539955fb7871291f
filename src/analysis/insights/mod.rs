//! What works and when: performance by posting time (in the creator's time zone), hashtag, length,
//! format and sound, over this week's posts plus the posts of earlier reports (the *basis*).
//!
//! Each group (a weekday, an hour, a slot, a hashtag, a length, a format, a sound) is computed
//! once, here, with `Figures` whose medians count only posts that have views; the recommendations
//! read these same tables, so a table and a suggestion cannot disagree.
//!
//! Pure: posts, the end of the window and a time zone in; tables out. No extra API credits: the
//! history is what earlier reports stored.

mod quality;
mod tables;

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize};

use super::stats::{engagements, rate, rated_median, round2};
use crate::model::Post;

pub(crate) use quality::{earlier_saves_note, exceeds_views};

/// Fewer basis posts than this and the insights are marked `small_sample`.
pub(crate) const SMALL_SAMPLE_POSTS: usize = 10;
/// A best slot needs at least this many posts.
pub(crate) const MIN_SLOT_POSTS: usize = 2;
/// How many best slots are listed.
pub(crate) const BEST_SLOTS: usize = 3;
/// How many hashtags are listed (the most viewed).
pub(crate) const MAX_HASHTAGS: usize = 25;
/// A post younger than this (hours) has not had its chance yet.
pub(crate) const TOO_NEW_HOURS: f64 = 24.0;
/// The length buckets, lower edge inclusive, in seconds.
pub(crate) const DURATION_BUCKETS: [(&str, f64); 5] = [
    ("0-15s", 0.0),
    ("15-30s", 15.0),
    ("30-60s", 30.0),
    ("60-180s", 60.0),
    ("180s+", 180.0),
];
/// The weekdays' names, Monday first: what the tables, slots and heatmap call them.
pub(crate) const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The `insights` block of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// What the insights were computed over.
    pub(crate) basis: Basis,
    /// The IANA time zone of `posting_times`.
    pub(crate) timezone: String,
    /// Performance by weekday and hour, and the best slots.
    pub(crate) posting_times: PostingTimes,
    /// Performance by hashtag.
    pub(crate) hashtags: Hashtags,
    /// Performance by video length (photo posts apart).
    pub(crate) durations: Vec<Bucket>,
    /// Performance by format and by sound.
    pub(crate) formats: Formats,
    /// Notes on data that looks wrong; empty when all is well.
    pub(crate) data_quality: Vec<String>,
}

/// The posts behind the insights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Basis {
    /// Weekly reports contributing, this one included.
    pub(crate) weeks: usize,
    /// Distinct posts.
    pub(crate) posts: usize,
    /// The oldest post.
    pub(crate) first_posted_at: Option<DateTime<Utc>>,
    /// The newest post.
    pub(crate) last_posted_at: Option<DateTime<Utc>>,
    /// Fewer than [`SMALL_SAMPLE_POSTS`] posts: read the insights with care.
    pub(crate) small_sample: bool,
    /// The median views of the basis posts that have views: the account's typical post.
    pub(crate) median_views: Option<f64>,
    /// (likes + comments + shares) / views × 100 over the basis's sums; null without views
    /// (schema 4): what a claim on `engagement_rate` is measured against.
    pub(crate) engagement_rate: Option<f64>,
    /// The ids of the basis posts, in basis order: what [`Figures::members`] point at. Not
    /// written in the report.
    #[serde(skip)]
    pub(crate) ids: Vec<String>,
}

/// How a group of posts performed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Figures {
    /// Posts in the group.
    pub(crate) posts: usize,
    /// Mean views; null for an empty group.
    pub(crate) avg_views: Option<f64>,
    /// Median views of the group's posts that have views; null when none has.
    pub(crate) median_views: Option<f64>,
    /// (likes + comments + shares) / views × 100 over the group; null without views.
    pub(crate) engagement_rate: Option<f64>,
    /// The group's posts, as places in the basis (see [`Basis::ids`]) in basis order, for the
    /// tables a recommendation may claim a row of (best slots, hashtags, lengths, formats,
    /// sounds; empty in the others). Not written in the tables: a claim carries the ids of the
    /// row it rests on.
    #[serde(skip)]
    pub(crate) members: Vec<u32>,
}

impl Figures {
    /// The figures of the basis posts at `members` (places in `basis`), which they keep.
    pub(crate) fn listing(basis: &[&Post], members: Vec<u32>) -> Self {
        let figures = Self::of(members_of(basis, &members));
        Self { members, ..figures }
    }

    /// The figures of `posts`, without their ids.
    pub(crate) fn of<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Self {
        let posts: Vec<&Post> = posts.into_iter().collect();
        let views = posts.iter().fold(0u64, |a, p| a.saturating_add(p.views));
        let n = posts.len();
        Self {
            posts: n,
            avg_views: (n > 0).then(|| round2(views as f64 / n as f64)),
            median_views: rated_median(posts.iter().copied()),
            engagement_rate: group_rate(posts.iter().copied()),
            members: Vec::new(),
        }
    }
}

/// The basis posts at `members`.
pub(crate) fn members_of<'a>(
    basis: &'a [&'a Post],
    members: &'a [u32],
) -> impl Iterator<Item = &'a Post> + 'a {
    members.iter().map(|&i| basis[i as usize])
}

/// (likes + comments + shares) / views × 100 over the sums of `posts`, 2 decimals.
fn group_rate<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Option<f64> {
    let (engaged, views) = posts.into_iter().fold((0u64, 0u64), |(e, v), p| {
        (e.saturating_add(engagements(p)), v.saturating_add(p.views))
    });
    rate(engaged, views).map(round2)
}

/// Posting-time tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PostingTimes {
    /// Weekdays with posts, Monday first.
    pub(crate) by_weekday: Vec<Weekday>,
    /// Hours with posts, 0 first.
    pub(crate) by_hour: Vec<Hour>,
    /// Weekday × 3-hour slots with at least [`MIN_SLOT_POSTS`] posts, by median views.
    pub(crate) best_slots: Vec<Slot>,
    /// Weekday × hour cells with posts, Monday 0:00 first: what the HTML heatmap shows.
    pub(crate) heatmap: Vec<Cell>,
}

/// One weekday × hour cell of the heatmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Cell {
    /// `Mon` … `Sun`.
    #[serde(deserialize_with = "weekday_name")]
    pub(crate) weekday: Name,
    /// 0 … 23.
    pub(crate) hour: u32,
    /// Posts in the cell.
    pub(crate) posts: usize,
    /// Their median views.
    pub(crate) median_views: Option<f64>,
}

/// One weekday's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Weekday {
    /// `Mon` … `Sun`.
    #[serde(deserialize_with = "weekday_name")]
    pub(crate) weekday: Name,
    /// Its figures.
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// One hour's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Hour {
    /// 0 … 23.
    pub(crate) hour: u32,
    /// Its figures.
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// A weekday × 3-hour slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Slot {
    /// `Thu 18:00–21:00`.
    pub(crate) slot: String,
    /// `Mon` … `Sun`.
    #[serde(deserialize_with = "weekday_name")]
    pub(crate) weekday: Name,
    /// 0, 3, 6, … 21.
    pub(crate) start_hour: u32,
    /// The different days (in the creator's time zone) its posts went out on (schema 4): one
    /// evening's posts are one day, not a habit.
    pub(crate) days: usize,
    /// Its figures (`posts` is the sample size).
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// Hashtag tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Hashtags {
    /// Per hashtag, most viewed first.
    pub(crate) tags: Vec<Tag>,
    /// Posts without any hashtag.
    pub(crate) without_hashtags: Untagged,
}

/// One hashtag's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Tag {
    /// Without `#`.
    pub(crate) tag: String,
    /// The total views of the posts carrying it (what the list is sorted by).
    pub(crate) views: u64,
    /// Their figures.
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// Posts without hashtags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Untagged {
    /// Their share of the basis, in percent.
    pub(crate) share_pct: Option<f64>,
    /// Their figures.
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// One length bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Bucket {
    /// `0-15s` … `180s+`.
    #[serde(deserialize_with = "bucket_name")]
    pub(crate) bucket: Name,
    /// Its figures.
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// Format and sound tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Formats {
    /// `video` and `photo`.
    pub(crate) by_format: Vec<Kind>,
    /// `original` and `borrowed` sound (posts whose sound is unknown are left out).
    pub(crate) by_sound: Vec<Kind>,
}

/// A named group's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Kind {
    /// The group's name.
    #[serde(deserialize_with = "kind_name")]
    pub(crate) kind: Name,
    /// Its figures.
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

/// A fixed name (`&'static str`), spelled so that reading it back borrows nothing from the input.
type Name = &'static str;

/// The kinds of [`Formats`] rows.
const KINDS: [&str; 4] = ["video", "photo", "original", "borrowed"];

fn weekday_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    super::names::one_of(deserializer, &WEEKDAYS)
}

fn bucket_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    super::names::one_of(deserializer, &DURATION_BUCKETS.map(|(name, _)| name))
}

fn kind_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    super::names::one_of(deserializer, &KINDS)
}

/// The basis: posts given newest report first (this week's first); each id once, the first
/// (newest) figures winning, and left out when those figures could not be read.
pub(crate) fn basis<'a>(newest_first: impl IntoIterator<Item = &'a Post>) -> Vec<&'a Post> {
    let mut seen = std::collections::HashSet::new();
    newest_first
        .into_iter()
        .filter(|p| seen.insert(p.id.as_str()) && p.has_statistics)
        .collect()
}

/// The insights over `basis` (from `basis`), `weeks` reports in all, with times in `tz`;
/// `week` (this week's posts) feeds `data_quality`.
pub fn compute<'a>(
    basis: &[&Post],
    weeks: usize,
    week: impl IntoIterator<Item = &'a Post>,
    tz: Tz,
) -> Insights {
    Insights {
        basis: Basis {
            weeks,
            posts: basis.len(),
            first_posted_at: basis.iter().map(|p| p.posted_at).min(),
            last_posted_at: basis.iter().map(|p| p.posted_at).max(),
            small_sample: basis.len() < SMALL_SAMPLE_POSTS,
            median_views: rated_median(basis.iter().copied()),
            engagement_rate: group_rate(basis.iter().copied()),
            ids: basis.iter().map(|p| p.id.clone()).collect(),
        },
        timezone: tz.name().to_string(),
        posting_times: tables::posting_times(basis, tz),
        hashtags: tables::hashtags(basis),
        durations: tables::durations(basis),
        formats: tables::formats(basis),
        data_quality: quality::data_quality(week),
    }
}

/// Weekday (0 = Monday) and hour of a post in `tz`.
pub(crate) fn local_weekday_hour(post: &Post, tz: Tz) -> (usize, u32) {
    let local = post.posted_at.with_timezone(&tz);
    (
        local.weekday().num_days_from_monday() as usize,
        local.hour(),
    )
}

/// `Thu 18:00–21:00` for weekday 3 and the block starting at 18.
pub(crate) fn slot_label(weekday: usize, start_hour: u32) -> String {
    format!(
        "{} {start_hour:02}:00–{:02}:00",
        WEEKDAYS[weekday % 7],
        (start_hour + 3) % 24
    )
}

/// Hours from a post's publication to `as_of`, 1 decimal (never negative).
pub(crate) fn age_hours(post: &Post, as_of: DateTime<Utc>) -> f64 {
    (exact_age_hours(post, as_of) * 10.0).round() / 10.0
}

fn exact_age_hours(post: &Post, as_of: DateTime<Utc>) -> f64 {
    (as_of - post.posted_at).num_seconds().max(0) as f64 / 3600.0
}

/// Views per hour of age, 2 decimals, over the exact age (not the rounded [`age_hours`]); ages
/// under an hour count as one hour.
pub(crate) fn views_per_hour(post: &Post, as_of: DateTime<Utc>) -> f64 {
    round2(post.views as f64 / exact_age_hours(post, as_of).max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{at, post};

    #[test]
    fn medians_count_only_posts_with_views() {
        let mut photo = post("1", 0, 0, 40, 0, 0);
        photo.format = crate::model::Format::Photo;
        let f = Figures::of([
            &photo,
            &post("2", 0, 100, 1, 0, 0),
            &post("3", 0, 300, 1, 0, 0),
        ]);
        assert_eq!(
            (f.posts, f.median_views, f.avg_views),
            (3, Some(200.0), Some(133.33))
        );
        assert_eq!(Figures::of([&photo]).median_views, None);
    }

    /// 2026-11-15 (a Sunday) 23:30 UTC.
    const SUNDAY_2330: i64 = 1_794_785_400;

    fn berlin() -> Tz {
        "Europe/Berlin".parse().unwrap()
    }

    #[test]
    fn sunday_2330_utc_is_monday_in_berlin() {
        let p = post("1", SUNDAY_2330, 100, 1, 0, 0);
        assert_eq!(local_weekday_hour(&p, Tz::UTC), (6, 23));
        assert_eq!(local_weekday_hour(&p, berlin()), (0, 0));
        let i = compute(&[&p], 1, [], berlin());
        assert_eq!(i.posting_times.by_weekday[0].weekday, "Mon");
        assert_eq!(i.posting_times.by_hour[0].hour, 0);
        assert_eq!(i.timezone, "Europe/Berlin");
    }

    #[test]
    fn basis_keeps_the_newest_figures_of_each_post() {
        let this_week = vec![post("1", 0, 500, 0, 0, 0)];
        let mut unread = post("3", 0, 0, 0, 0, 0);
        unread.has_statistics = false;
        let earlier = vec![
            post("1", 0, 100, 0, 0, 0),
            post("2", 0, 50, 0, 0, 0),
            unread,
            post("2", 0, 10, 0, 0, 0),
        ];
        let b = basis(this_week.iter().chain(&earlier));
        let views: Vec<_> = b.iter().map(|p| (p.id.as_str(), p.views)).collect();
        assert_eq!(views, [("1", 500), ("2", 50)], "no post without statistics");
        let i = compute(&b, 3, &this_week, Tz::UTC);
        assert_eq!(
            (i.basis.weeks, i.basis.posts, i.basis.small_sample),
            (3, 2, true)
        );
        assert_eq!(i.basis.median_views, Some(275.0));
    }

    #[test]
    fn age_and_views_per_hour() {
        let p = post("1", 0, 1_000, 0, 0, 0);
        assert_eq!(age_hours(&p, at(36 * 3600)), 36.0);
        assert_eq!(views_per_hour(&p, at(36 * 3600)), 27.78);
        // 46 h 15 min: the age shows as 46.3 h, but the rate divides by 46.25 h.
        let big = post("2", 0, 5_123_456_789, 0, 0, 0);
        assert_eq!(age_hours(&big, at(46 * 3600 + 900)), 46.3);
        assert_eq!(views_per_hour(&big, at(46 * 3600 + 900)), 110_777_444.09);
        assert_eq!(age_hours(&p, at(90)), 0.0);
        assert_eq!(
            views_per_hour(&p, at(90)),
            1_000.0,
            "under an hour counts as one"
        );
    }
}
