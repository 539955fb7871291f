//! What works and when: performance by posting time (in the creator's time zone), hashtag, length,
//! format and sound, over this week's posts plus the posts of earlier reports (the *basis*).
//!
//! Pure: posts, the end of the window and a time zone in; tables out. No extra API credits: the
//! history is what earlier reports stored.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::stats::{engagements, median, round2};
use crate::model::{Format, Post};

/// Fewer basis posts than this and the insights are marked `small_sample`.
pub const SMALL_SAMPLE_POSTS: usize = 10;
/// A best slot needs at least this many posts.
pub const MIN_SLOT_POSTS: usize = 2;
/// How many best slots are listed.
pub const BEST_SLOTS: usize = 3;
/// How many hashtags are listed (the most viewed).
pub const MAX_HASHTAGS: usize = 25;
/// A post younger than this (hours) has not had its chance yet.
pub const TOO_NEW_HOURS: f64 = 24.0;
/// The length buckets, lower edge inclusive, in seconds.
pub const DURATION_BUCKETS: [(&str, f64); 5] = [
    ("0-15s", 0.0),
    ("15-30s", 15.0),
    ("30-60s", 30.0),
    ("60-180s", 60.0),
    ("180s+", 180.0),
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The `insights` block of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    /// What the insights were computed over.
    pub basis: Basis,
    /// The IANA time zone of `posting_times`.
    pub timezone: String,
    /// Performance by weekday and hour, and the best slots.
    pub posting_times: PostingTimes,
    /// Performance by hashtag.
    pub hashtags: Hashtags,
    /// Performance by video length (photo posts apart).
    pub durations: Vec<Bucket>,
    /// Performance by format and by sound.
    pub formats: Formats,
    /// Notes on data that looks wrong; empty when all is well.
    pub data_quality: Vec<String>,
}

/// The posts behind the insights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Basis {
    /// Weekly reports contributing, this one included.
    pub weeks: usize,
    /// Distinct posts.
    pub posts: usize,
    /// The oldest post.
    pub first_posted_at: Option<DateTime<Utc>>,
    /// The newest post.
    pub last_posted_at: Option<DateTime<Utc>>,
    /// Fewer than [`SMALL_SAMPLE_POSTS`] posts: read the insights with care.
    pub small_sample: bool,
}

/// How a group of posts performed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Posts in the group.
    pub posts: usize,
    /// Mean views; null for an empty group.
    pub avg_views: Option<f64>,
    /// Median views; null for an empty group.
    pub median_views: Option<f64>,
    /// (likes + comments + shares) / views × 100 over the group; null without views.
    pub engagement_rate: Option<f64>,
}

impl Figures {
    /// The figures of `posts`.
    pub fn of<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Self {
        let posts: Vec<&Post> = posts.into_iter().collect();
        let views = posts.iter().fold(0u64, |a, p| a.saturating_add(p.views));
        let engaged = posts
            .iter()
            .fold(0u64, |a, p| a.saturating_add(engagements(p)));
        let n = posts.len();
        Self {
            posts: n,
            avg_views: (n > 0).then(|| round2(views as f64 / n as f64)),
            median_views: median(posts.iter().map(|p| p.views)),
            engagement_rate: (views > 0).then(|| round2(engaged as f64 / views as f64 * 100.0)),
        }
    }
}

/// Posting-time tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostingTimes {
    /// Weekdays with posts, Monday first.
    pub by_weekday: Vec<Weekday>,
    /// Hours with posts, 0 first.
    pub by_hour: Vec<Hour>,
    /// Weekday × 3-hour slots with at least [`MIN_SLOT_POSTS`] posts, by median views.
    pub best_slots: Vec<Slot>,
    /// Weekday × hour cells with posts, Monday 0:00 first: what the HTML heatmap shows.
    pub heatmap: Vec<Cell>,
}

/// One weekday × hour cell of the heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// `Mon` … `Sun`.
    pub weekday: &'static str,
    /// 0 … 23.
    pub hour: u32,
    /// Posts in the cell.
    pub posts: usize,
    /// Their median views.
    pub median_views: Option<f64>,
}

/// One weekday's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weekday {
    /// `Mon` … `Sun`.
    pub weekday: &'static str,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// One hour's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hour {
    /// 0 … 23.
    pub hour: u32,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A weekday × 3-hour slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    /// `Thu 18:00–21:00`.
    pub slot: String,
    /// `Mon` … `Sun`.
    pub weekday: &'static str,
    /// 0, 3, 6, … 21.
    pub start_hour: u32,
    /// Its figures (`posts` is the sample size).
    #[serde(flatten)]
    pub figures: Figures,
}

/// Hashtag tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hashtags {
    /// Per hashtag, most viewed first.
    pub tags: Vec<Tag>,
    /// Posts without any hashtag.
    pub without_hashtags: Untagged,
}

/// One hashtag's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    /// Without `#`.
    pub tag: String,
    /// Posts carrying it.
    pub posts: usize,
    /// Their total views.
    pub views: u64,
    /// Their mean views.
    pub avg_views: Option<f64>,
    /// Their engagement rate.
    pub engagement_rate: Option<f64>,
}

/// Posts without hashtags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Untagged {
    /// Their share of the basis, in percent.
    pub share_pct: Option<f64>,
    /// Their figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// One length bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// `0-15s` … `180s+`.
    pub bucket: &'static str,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// Format and sound tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Formats {
    /// `video` and `photo`.
    pub by_format: Vec<Kind>,
    /// `original` and `borrowed` sound (posts whose sound is unknown are left out).
    pub by_sound: Vec<Kind>,
}

/// A named group's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kind {
    /// The group's name.
    pub kind: &'static str,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The basis: `this_week` first, then earlier reports' posts newest report first; each id once, the
/// first (newest) figures winning, and left out when those figures could not be read.
pub fn basis(this_week: &[Post], earlier: &[Vec<Post>]) -> Vec<Post> {
    let mut seen = std::collections::HashSet::new();
    this_week
        .iter()
        .chain(earlier.iter().flatten())
        .filter(|p| seen.insert(p.id.clone()) && p.has_statistics)
        .cloned()
        .collect()
}

/// The insights over `basis` (from [`basis`]), `weeks` reports in all, with times in `tz`;
/// `week` (this week's posts) feeds `data_quality`.
pub fn compute(basis: &[Post], weeks: usize, week: &[Post], tz: Tz) -> Insights {
    Insights {
        basis: Basis {
            weeks,
            posts: basis.len(),
            first_posted_at: basis.iter().map(|p| p.posted_at).min(),
            last_posted_at: basis.iter().map(|p| p.posted_at).max(),
            small_sample: basis.len() < SMALL_SAMPLE_POSTS,
        },
        timezone: tz.name().to_string(),
        posting_times: posting_times(basis, tz),
        hashtags: hashtags(basis),
        durations: durations(basis),
        formats: Formats {
            by_format: [("video", Format::Video), ("photo", Format::Photo)]
                .into_iter()
                .map(|(kind, format)| Kind {
                    kind,
                    figures: Figures::of(basis.iter().filter(|p| p.format == format)),
                })
                .collect(),
            by_sound: [("original", true), ("borrowed", false)]
                .into_iter()
                .map(|(kind, original)| Kind {
                    kind,
                    figures: Figures::of(
                        basis.iter().filter(|p| p.original_sound == Some(original)),
                    ),
                })
                .collect(),
        },
        data_quality: data_quality(week),
    }
}

/// Weekday (0 = Monday) and hour of a post in `tz`.
pub fn local_weekday_hour(post: &Post, tz: Tz) -> (usize, u32) {
    let local = post.posted_at.with_timezone(&tz);
    (
        local.weekday().num_days_from_monday() as usize,
        local.hour(),
    )
}

/// `Thu 18:00–21:00` for weekday 3 and the block starting at 18.
pub fn slot_label(weekday: usize, start_hour: u32) -> String {
    format!(
        "{} {start_hour:02}:00–{:02}:00",
        WEEKDAYS[weekday % 7],
        (start_hour + 3) % 24
    )
}

fn posting_times(basis: &[Post], tz: Tz) -> PostingTimes {
    let mut days: [Vec<&Post>; 7] = Default::default();
    let mut hours: [Vec<&Post>; 24] = Default::default();
    let mut slots: [Vec<&Post>; 56] = std::array::from_fn(|_| Vec::new());
    let mut cells: [Vec<&Post>; 168] = std::array::from_fn(|_| Vec::new());
    for post in basis {
        let (day, hour) = local_weekday_hour(post, tz);
        days[day].push(post);
        hours[hour as usize].push(post);
        slots[day * 8 + hour as usize / 3].push(post);
        cells[day * 24 + hour as usize].push(post);
    }
    let heatmap = cells
        .iter()
        .zip(0u32..)
        .filter(|(posts, _)| !posts.is_empty())
        .map(|(posts, i)| Cell {
            weekday: WEEKDAYS[(i / 24) as usize],
            hour: i % 24,
            posts: posts.len(),
            median_views: median(posts.iter().map(|p| p.views)),
        })
        .collect();
    let by_weekday = days
        .iter()
        .enumerate()
        .filter(|(_, posts)| !posts.is_empty())
        .map(|(d, posts)| Weekday {
            weekday: WEEKDAYS[d],
            figures: Figures::of(posts.iter().copied()),
        })
        .collect();
    let by_hour = hours
        .iter()
        .zip(0..)
        .filter(|(posts, _)| !posts.is_empty())
        .map(|(posts, hour)| Hour {
            hour,
            figures: Figures::of(posts.iter().copied()),
        })
        .collect();
    let mut best_slots: Vec<Slot> = slots
        .iter()
        .zip(0u32..)
        .filter(|(posts, _)| posts.len() >= MIN_SLOT_POSTS)
        .map(|(posts, i)| {
            let (day, start) = ((i / 8) as usize, i % 8 * 3);
            Slot {
                slot: slot_label(day, start),
                weekday: WEEKDAYS[day],
                start_hour: start,
                figures: Figures::of(posts.iter().copied()),
            }
        })
        .collect();
    best_slots.sort_by(|a, b| {
        b.figures
            .median_views
            .total_cmp_opt(&a.figures.median_views)
            .then(b.figures.posts.cmp(&a.figures.posts))
    });
    best_slots.truncate(BEST_SLOTS);
    PostingTimes {
        by_weekday,
        by_hour,
        best_slots,
        heatmap,
    }
}

fn hashtags(basis: &[Post]) -> Hashtags {
    let mut by_tag: BTreeMap<&str, Vec<&Post>> = BTreeMap::new();
    for post in basis {
        for tag in &post.hashtags {
            by_tag.entry(tag).or_default().push(post);
        }
    }
    let mut tags: Vec<Tag> = by_tag
        .into_iter()
        .map(|(tag, posts)| {
            let views = posts.iter().fold(0u64, |a, p| a.saturating_add(p.views));
            let figures = Figures::of(posts);
            Tag {
                tag: tag.to_string(),
                posts: figures.posts,
                views,
                avg_views: figures.avg_views,
                engagement_rate: figures.engagement_rate,
            }
        })
        .collect();
    tags.sort_by(|a, b| b.views.cmp(&a.views).then_with(|| a.tag.cmp(&b.tag)));
    tags.truncate(MAX_HASHTAGS);
    let untagged = Figures::of(basis.iter().filter(|p| p.hashtags.is_empty()));
    Hashtags {
        tags,
        without_hashtags: Untagged {
            share_pct: (!basis.is_empty())
                .then(|| round2(untagged.posts as f64 / basis.len() as f64 * 100.0)),
            figures: untagged,
        },
    }
}

fn durations(basis: &[Post]) -> Vec<Bucket> {
    let mut buckets: [Vec<&Post>; DURATION_BUCKETS.len()] = Default::default();
    for post in basis {
        if let Some(i) = duration_bucket_index(post) {
            buckets[i].push(post);
        }
    }
    DURATION_BUCKETS
        .iter()
        .zip(buckets)
        .map(|(&(bucket, _), posts)| Bucket {
            bucket,
            figures: Figures::of(posts),
        })
        .collect()
}

/// The length bucket of a video; `None` for photos and unknown lengths.
pub fn duration_bucket(post: &Post) -> Option<&'static str> {
    duration_bucket_index(post).map(|i| DURATION_BUCKETS[i].0)
}

fn duration_bucket_index(post: &Post) -> Option<usize> {
    if post.format == Format::Photo {
        return None;
    }
    let seconds = post.duration_s?;
    DURATION_BUCKETS
        .iter()
        .rposition(|(_, lower)| seconds >= *lower)
}

/// Whether a post's counts look rounded: at least two counts of 10 000 or more, all ending in 000.
pub fn looks_rounded(post: &Post) -> bool {
    let large: Vec<u64> = [
        post.views,
        post.likes,
        post.comments,
        post.shares,
        post.saves,
    ]
    .into_iter()
    .filter(|&n| n >= 10_000)
    .collect();
    large.len() >= 2 && large.iter().all(|n| n % 1_000 == 0)
}

fn data_quality(week: &[Post]) -> Vec<String> {
    let ids = |pred: &dyn Fn(&Post) -> bool| -> Vec<&str> {
        week.iter()
            .filter(|p| pred(p))
            .map(|p| p.id.as_str())
            .collect()
    };
    let mut notes = Vec::new();
    let missing = ids(&|p| !p.has_statistics);
    if !missing.is_empty() {
        notes.push(format!(
            "{} post(s) came without statistics, so their counts read as 0: {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    let zero = ids(&|p| p.has_statistics && p.views == 0);
    if !zero.is_empty() {
        notes.push(format!(
            "{} post(s) report 0 views (photo posts often do), so they have no engagement rate: {}",
            zero.len(),
            zero.join(", ")
        ));
    }
    let rounded = ids(&looks_rounded);
    if !rounded.is_empty() {
        notes.push(format!(
            "{} post(s) have counts that look rounded (every count of 10,000 or more ends in 000): {}",
            rounded.len(),
            rounded.join(", ")
        ));
    }
    notes
}

/// Hours from a post's publication to `as_of`, 1 decimal (never negative).
pub fn age_hours(post: &Post, as_of: DateTime<Utc>) -> f64 {
    (exact_age_hours(post, as_of) * 10.0).round() / 10.0
}

fn exact_age_hours(post: &Post, as_of: DateTime<Utc>) -> f64 {
    (as_of - post.posted_at).num_seconds().max(0) as f64 / 3600.0
}

/// Views per hour of age, 2 decimals, over the exact age (not the rounded [`age_hours`]); ages
/// under an hour count as one hour.
pub fn views_per_hour(post: &Post, as_of: DateTime<Utc>) -> f64 {
    round2(post.views as f64 / exact_age_hours(post, as_of).max(1.0))
}

/// Compares optional floats, `None` lowest.
trait TotalCmpOpt {
    fn total_cmp_opt(&self, other: &Self) -> std::cmp::Ordering;
}

impl TotalCmpOpt for Option<f64> {
    fn total_cmp_opt(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Some(a), Some(b)) => a.total_cmp(b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{at, post};

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
        let i = compute(std::slice::from_ref(&p), 1, &[], berlin());
        assert_eq!(i.posting_times.by_weekday[0].weekday, "Mon");
        assert_eq!(i.posting_times.by_hour[0].hour, 0);
        assert_eq!(i.timezone, "Europe/Berlin");
    }

    #[test]
    fn weekday_and_hour_tables_hold_only_slots_with_posts() {
        let monday_9 = SUNDAY_2330 - 23 * 3600 - 1800 + 24 * 3600 + 9 * 3600; // Mon 09:00 UTC
        let posts = [
            post("1", monday_9, 100, 10, 0, 0),
            post("2", monday_9 + 60, 300, 10, 0, 0),
            post("3", SUNDAY_2330, 50, 5, 0, 0),
        ];
        let t = posting_times(&posts, Tz::UTC);
        let days: Vec<_> = t
            .by_weekday
            .iter()
            .map(|d| (d.weekday, d.figures.posts))
            .collect();
        assert_eq!(days, [("Mon", 2), ("Sun", 1)]);
        let mon = &t.by_weekday[0].figures;
        assert_eq!(
            (mon.avg_views, mon.median_views, mon.engagement_rate),
            (Some(200.0), Some(200.0), Some(5.0))
        );
        let hours: Vec<_> = t.by_hour.iter().map(|h| h.hour).collect();
        assert_eq!(hours, [9, 23]);
        assert_eq!(t.best_slots.len(), 1, "only Mon 09:00–12:00 has 2 posts");
        assert_eq!(t.best_slots[0].slot, "Mon 09:00–12:00");
        assert_eq!(t.best_slots[0].figures.posts, 2);
        let cells: Vec<_> = t
            .heatmap
            .iter()
            .map(|c| (c.weekday, c.hour, c.posts))
            .collect();
        assert_eq!(cells, [("Mon", 9, 2), ("Sun", 23, 1)]);
    }

    #[test]
    fn best_slots_rank_by_median_views() {
        let base = SUNDAY_2330 + 1800 + 18 * 3600; // Mon 18:00 UTC
        let mut posts = Vec::new();
        for (i, views) in [100, 120, 5_000].into_iter().enumerate() {
            posts.push(post(&format!("a{i}"), base + i as i64 * 60, views, 1, 0, 0)); // Mon 18–21
        }
        for (i, views) in [900, 1_100].into_iter().enumerate() {
            posts.push(post(
                &format!("b{i}"),
                base + 86_400 + i as i64 * 60,
                views,
                1,
                0,
                0,
            )); // Tue 18–21
        }
        let slots = posting_times(&posts, Tz::UTC).best_slots;
        let ranked: Vec<_> = slots
            .iter()
            .map(|s| (s.slot.as_str(), s.figures.median_views))
            .collect();
        assert_eq!(
            ranked,
            [
                ("Tue 18:00–21:00", Some(1_000.0)),
                ("Mon 18:00–21:00", Some(120.0))
            ]
        );
    }

    #[test]
    fn hashtags_sorted_by_views_with_the_untagged_share() {
        let mut a = post("1", 0, 1_000, 50, 0, 0);
        a.hashtags = vec!["coffee".into(), "latte".into()];
        let mut b = post("2", 0, 3_000, 30, 0, 0);
        b.hashtags = vec!["coffee".into()];
        let c = post("3", 0, 500, 5, 0, 0);
        let h = hashtags(&[a, b, c]);
        let tags: Vec<_> = h
            .tags
            .iter()
            .map(|t| (t.tag.as_str(), t.posts, t.views))
            .collect();
        assert_eq!(tags, [("coffee", 2, 4_000), ("latte", 1, 1_000)]);
        assert_eq!(h.tags[0].avg_views, Some(2_000.0));
        assert_eq!(h.tags[0].engagement_rate, Some(2.0));
        assert_eq!(h.without_hashtags.share_pct, Some(33.33));
        assert_eq!(h.without_hashtags.figures.posts, 1);
        assert_eq!(h.without_hashtags.figures.engagement_rate, Some(1.0));
    }

    #[test]
    fn duration_buckets_include_their_lower_edge_and_leave_photos_out() {
        let with = |secs: Option<f64>, format| {
            let mut p = post("1", 0, 1, 0, 0, 0);
            p.duration_s = secs;
            p.format = format;
            duration_bucket(&p)
        };
        assert_eq!(with(Some(0.5), Format::Video), Some("0-15s"));
        assert_eq!(with(Some(14.99), Format::Video), Some("0-15s"));
        assert_eq!(with(Some(15.0), Format::Video), Some("15-30s"));
        assert_eq!(with(Some(30.0), Format::Video), Some("30-60s"));
        assert_eq!(with(Some(60.0), Format::Video), Some("60-180s"));
        assert_eq!(with(Some(180.0), Format::Video), Some("180s+"));
        assert_eq!(with(Some(20.0), Format::Photo), None);
        assert_eq!(with(None, Format::Video), None);
        let i = compute(&[post("1", 0, 10, 1, 0, 0)], 1, &[], Tz::UTC);
        let names: Vec<_> = i
            .durations
            .iter()
            .map(|b| (b.bucket, b.figures.posts))
            .collect();
        assert_eq!(
            names,
            [
                ("0-15s", 0),
                ("15-30s", 1),
                ("30-60s", 0),
                ("60-180s", 0),
                ("180s+", 0)
            ]
        );
    }

    #[test]
    fn formats_split_video_photo_and_original_borrowed_sound() {
        let mut photo = post("1", 0, 0, 40, 0, 0);
        photo.format = Format::Photo;
        let mut own = post("2", 0, 100, 10, 0, 0);
        own.original_sound = Some(true);
        let mut borrowed = post("3", 0, 300, 3, 0, 0);
        borrowed.original_sound = Some(false);
        let f = compute(&[photo, own, borrowed], 1, &[], Tz::UTC).formats;
        let by: Vec<_> = f
            .by_format
            .iter()
            .map(|k| (k.kind, k.figures.posts))
            .collect();
        assert_eq!(by, [("video", 2), ("photo", 1)]);
        assert_eq!(
            f.by_format[1].figures.engagement_rate, None,
            "no views, no rate"
        );
        let sound: Vec<_> = f
            .by_sound
            .iter()
            .map(|k| (k.kind, k.figures.engagement_rate))
            .collect();
        assert_eq!(sound, [("original", Some(10.0)), ("borrowed", Some(1.0))]);
    }

    #[test]
    fn data_quality_notes_missing_statistics_zero_views_and_rounded_counts() {
        assert!(data_quality(&[post("1", 0, 123_456, 7_891, 12, 3)]).is_empty());
        let mut missing = post("1", 0, 0, 0, 0, 0);
        missing.has_statistics = false;
        let zero = post("2", 0, 0, 10, 0, 0);
        let rounded = post("3", 0, 1_200_000, 45_000, 312, 12);
        let one_round = post("4", 0, 52_000, 4_160, 148, 96);
        let notes = data_quality(&[missing, zero, rounded, one_round]);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(
            notes[0].starts_with("1 post(s) came without statistics") && notes[0].ends_with(": 1")
        );
        assert!(notes[1].contains("0 views") && notes[1].ends_with(": 2"));
        assert!(notes[2].contains("look rounded") && notes[2].ends_with(": 3"));
    }

    #[test]
    fn basis_keeps_the_newest_figures_of_each_post() {
        let this_week = vec![post("1", 0, 500, 0, 0, 0)];
        let earlier = vec![
            vec![post("1", 0, 100, 0, 0, 0), post("2", 0, 50, 0, 0, 0)],
            vec![post("2", 0, 10, 0, 0, 0)],
        ];
        let b = basis(&this_week, &earlier);
        let views: Vec<_> = b.iter().map(|p| (p.id.as_str(), p.views)).collect();
        assert_eq!(views, [("1", 500), ("2", 50)]);
        let i = compute(&b, 3, &this_week, Tz::UTC);
        assert_eq!(
            (i.basis.weeks, i.basis.posts, i.basis.small_sample),
            (3, 2, true)
        );
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

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median([3, 1, 2]), Some(2.0));
        assert_eq!(median([4, 1, 3, 2]), Some(2.5));
        assert_eq!(median([]), None);
    }
}
