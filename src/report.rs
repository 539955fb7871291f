//! The report schema (`schema_version` 2), how a week's report is assembled, and its rendering.
//!
//! Pure: [`build`] takes the fetched posts, the window and the previous report and returns the
//! [`Report`]; [`Report::to_json`] renders the bytes the store writes. Field names are a contract
//! read by downstream scripts and by next week's run.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::diff::{self, Delta, Snapshot};
use crate::handle::Handle;
use crate::insights::{self, Insights};
use crate::metrics::{self, Metrics};
use crate::model::{Account, Format, Post, Window};
use crate::ranking::{self, Ranked};
use crate::recommend::{self, Recommendation};
use crate::scavio::ApiUsage;

/// The version of the report schema this build writes.
pub const SCHEMA_VERSION: u32 = 2;
/// The schema versions this build reads back (2 only added fields to 1).
pub const READABLE_SCHEMAS: std::ops::RangeInclusive<u32> = 1..=SCHEMA_VERSION;

/// A weekly report, as written to `report_<date>.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The handle, without `@`.
    pub user: String,
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
    /// The earlier report compared with, if any.
    pub previous: Option<PreviousRef>,
    /// Week-over-week change of every metric and `followers`; empty without `previous`.
    pub deltas: BTreeMap<String, Delta>,
    /// What works and when, over this week and earlier reports.
    pub insights: Insights,
    /// This week and up to 11 earlier weeks, oldest first: what the HTML trend charts show.
    pub trend: Vec<TrendPoint>,
    /// Suggestions for next week.
    pub recommendations: Vec<Recommendation>,
    /// What this run spent.
    pub api: ApiUsage,
}

/// One post of the week, under `posts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostEntry {
    /// TikTok's id.
    pub id: String,
    /// Canonical link, no query string.
    pub url: String,
    /// Caption.
    pub caption: String,
    /// When it was posted (UTC).
    pub posted_at: DateTime<Utc>,
    /// Views.
    pub views: u64,
    /// Likes.
    pub likes: u64,
    /// Comments.
    pub comments: u64,
    /// Shares.
    pub shares: u64,
    /// Saves.
    pub saves: u64,
    /// (likes + comments + shares) / views × 100, 2 decimals; null with 0 views.
    pub engagement_rate: Option<f64>,
    /// Video length in seconds; null for photos or when unknown.
    pub duration_s: Option<f64>,
    /// Hashtags without `#`, lowercased.
    pub hashtags: Vec<String>,
    /// Pinned to the profile.
    pub pinned: bool,
    /// `video` or `photo`.
    pub format: Format,
    /// Whether the sound is the creator's own; null when the API did not say.
    pub original_sound: Option<bool>,
    /// Hours from posting to the window's end, 1 decimal (schema 2).
    #[serde(default)]
    pub age_hours: Option<f64>,
    /// Views per hour of age, 2 decimals (schema 2).
    #[serde(default)]
    pub views_per_hour: Option<f64>,
    /// Younger than 24 hours at the window's end: it has not had its chance yet (schema 2).
    #[serde(default)]
    pub too_new: bool,
}

impl PostEntry {
    /// The entry of `p` in a report whose window ends at `as_of`.
    pub fn new(p: &Post, as_of: DateTime<Utc>) -> Self {
        let age = insights::age_hours(p, as_of);
        Self {
            id: p.id.clone(),
            url: p.url.clone(),
            caption: p.caption.clone(),
            posted_at: p.posted_at,
            views: p.views,
            likes: p.likes,
            comments: p.comments,
            shares: p.shares,
            saves: p.saves,
            engagement_rate: metrics::engagement_rate(p),
            duration_s: p.duration_s,
            hashtags: p.hashtags.clone(),
            pinned: p.pinned,
            format: p.format,
            original_sound: p.original_sound,
            age_hours: Some(age),
            views_per_hour: Some(insights::views_per_hour(p, as_of)),
            too_new: age < insights::TOO_NEW_HOURS,
        }
    }
}

impl From<&PostEntry> for Post {
    /// A post back from a saved report (its statistics were there when it was saved).
    fn from(e: &PostEntry) -> Self {
        Post {
            id: e.id.clone(),
            url: e.url.clone(),
            caption: e.caption.clone(),
            posted_at: e.posted_at,
            views: e.views,
            likes: e.likes,
            comments: e.comments,
            shares: e.shares,
            saves: e.saves,
            has_statistics: true,
            duration_s: e.duration_s,
            hashtags: e.hashtags.clone(),
            pinned: e.pinned,
            format: e.format,
            original_sound: e.original_sound,
        }
    }
}

/// How many weeks `trend` covers, this one included.
pub const TREND_WEEKS: u32 = 12;

/// One week of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The week's report date.
    pub date: NaiveDate,
    /// Posts that week.
    pub posts: u64,
    /// Views that week.
    pub views: u64,
    /// Engagement rate that week.
    pub engagement_rate: Option<f64>,
    /// Followers at the time.
    pub followers: Option<u64>,
}

impl TrendPoint {
    /// The trend point of a report dated `date`.
    pub fn new(date: NaiveDate, metrics: &Metrics, account: &Account) -> Self {
        Self {
            date,
            posts: metrics.post_count,
            views: metrics.total_views,
            engagement_rate: metrics.engagement_rate,
            followers: account.followers,
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

/// The part of an earlier report that a new run reads back. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedReport {
    /// One of [`READABLE_SCHEMAS`].
    pub schema_version: u32,
    /// Whose report it is.
    pub user: String,
    /// The week it covered.
    pub window: Window,
    /// Profile figures then.
    pub account: Account,
    /// That week's numbers.
    pub metrics: Metrics,
    /// That week's posts.
    #[serde(default)]
    pub posts: Vec<PostEntry>,
}

/// An earlier report, and where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// Its date and file name.
    pub reference: PreviousRef,
    /// What it says.
    pub report: SavedReport,
}

/// How far an earlier week may reach into the week after it and still count as a week of its own:
/// a run a few hours late, or a day early, is still that week's run.
pub const WEEK_OVERLAP: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Picks one report per week from reports walked newest first, so that comparisons (`previous`),
/// the trend, the `history` rows and the insights' week count never set overlapping windows side by
/// side (a Wednesday run is not "last week" for Sunday's report).
///
/// The rule: a report is kept when its window ends no later than [`WEEK_OVERLAP`] after the start
/// of the window last kept (the run's own week to begin with, or nothing for `history`, which then
/// keeps the newest report). Of several reports inside one week the newest is kept, because the
/// walk goes newest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weeks {
    last_start: Option<DateTime<Utc>>,
}

impl Weeks {
    /// The weeks before `window`, the run's own week.
    pub fn before(window: &Window) -> Self {
        Self {
            last_start: Some(window.start),
        }
    }

    /// Whether the next report walked (newest first), covering `window`, makes a week of its own;
    /// if so it becomes the week the following ones are measured against.
    pub fn keep(&mut self, window: &Window) -> bool {
        let keep = self
            .last_start
            .is_none_or(|start| window.end <= start + WEEK_OVERLAP);
        if keep {
            self.last_start = Some(window.start);
        }
        keep
    }
}

/// Everything a report is made of, gathered by the run.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Whose report.
    pub user: &'a Handle,
    /// When the run happens.
    pub generated_at: DateTime<Utc>,
    /// The week.
    pub window: Window,
    /// Profile figures.
    pub account: &'a Account,
    /// Every post fetched (the week is selected from them).
    pub posts: &'a [Post],
    /// The most recent earlier week's report (see [`Weeks`]), if any: what the deltas compare with.
    pub previous: Option<&'a Earlier>,
    /// Earlier reports, one per week (see [`Weeks`]), newest first, at least as far back as
    /// `history_weeks` and the trend need.
    pub history: &'a [Earlier],
    /// Weeks of earlier reports the insights draw on.
    pub history_weeks: u32,
    /// The creator's time zone.
    pub tz: Tz,
    /// What the run spent.
    pub api: ApiUsage,
    /// Data-quality notes from the fetch (unreadable counts and records), for `data_quality`.
    pub fetch_notes: &'a [String],
}

/// Assembles the week's report from its inputs.
pub fn build(inputs: Inputs<'_>) -> Report {
    let as_of = inputs.window.end;
    let week = metrics::posts_in_window(inputs.posts, &inputs.window);
    let metrics = metrics::of_week(&week);
    let mut ranked = ranking::rank(&week);
    let posts: Vec<PostEntry> = week.iter().map(|p| PostEntry::new(p, as_of)).collect();
    for entry in ranked
        .top
        .iter_mut()
        .chain(&mut ranked.bottom)
        .chain(&mut ranked.top_by_views)
    {
        entry.too_new = posts.iter().any(|p| p.id == entry.id && p.too_new);
    }
    let deltas = diff::deltas(
        inputs.previous.map(|earlier| Snapshot {
            metrics: &earlier.report.metrics,
            account: &earlier.report.account,
        }),
        Snapshot {
            metrics: &metrics,
            account: inputs.account,
        },
    );
    let date = as_of.date_naive();
    let within = |weeks: u32| {
        let since = date - chrono::Days::new(7 * u64::from(weeks));
        move |e: &&Earlier| e.reference.date >= since
    };
    let history: Vec<&Earlier> = inputs
        .history
        .iter()
        .filter(within(inputs.history_weeks))
        .collect();
    let earlier_posts: Vec<Vec<Post>> = history
        .iter()
        .map(|e| e.report.posts.iter().map(Post::from).collect())
        .collect();
    let basis = insights::basis(&week, &earlier_posts);
    let mut insights = insights::compute(&basis, history.len() + 1, &week, inputs.tz);
    insights
        .data_quality
        .extend(inputs.fetch_notes.iter().cloned());
    let earlier_post_counts: Vec<u64> = history
        .iter()
        .map(|e| e.report.metrics.post_count)
        .collect();
    let mut trend: Vec<TrendPoint> = inputs
        .history
        .iter()
        .filter(within(TREND_WEEKS - 1))
        .map(|e| TrendPoint::new(e.reference.date, &e.report.metrics, &e.report.account))
        .collect();
    trend.reverse();
    trend.push(TrendPoint::new(date, &metrics, inputs.account));
    let recommendations = recommend::recommend(&recommend::Evidence {
        metrics: &metrics,
        deltas: &deltas,
        basis: &basis,
        tz: inputs.tz,
        earlier_post_counts: &earlier_post_counts,
    });
    Report {
        schema_version: SCHEMA_VERSION,
        user: inputs.user.to_string(),
        generated_at: inputs.generated_at,
        window: inputs.window,
        account: inputs.account.clone(),
        posts,
        metrics,
        top: ranked.top,
        bottom: ranked.bottom,
        top_by_views: ranked.top_by_views,
        previous: inputs.previous.map(|earlier| earlier.reference.clone()),
        deltas,
        insights,
        trend,
        recommendations,
        api: inputs.api,
    }
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
    pub fn summary_line(&self, path: &str) -> String {
        let m = &self.metrics;
        let engagement = percent(m.engagement_rate);
        let change = match (&self.previous, self.deltas.get("total_views")) {
            (Some(previous), Some(delta)) => {
                let how = match (delta.change, delta.change_pct) {
                    (Some(c), Some(p)) if c != 0.0 => format!("{}{:.1}%", sign(c), p.abs()),
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
            "@{} week to {}: {} posts, {} views, engagement {engagement}, {change}; report {path}",
            self.user,
            self.window.end.date_naive(),
            m.post_count,
            group_thousands(m.total_views),
        )
    }
}

fn sign(change: f64) -> &'static str {
    if change < 0.0 { "-" } else { "+" }
}

/// A count as `5,123,649,469`, or `n/a` when missing.
pub fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "n/a".to_string(), group_thousands)
}

/// A rate in percent with 2 decimals (`8.00%`), or `n/a` when missing.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{r:.2}%"))
}

/// `1234567` → `"1,234,567"`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week_to(end: &str) -> Window {
        Window::week_ending(end.parse().unwrap())
    }

    #[test]
    fn a_midweek_run_between_two_sundays_is_not_a_week_of_its_own() {
        let (sunday_1, wednesday, sunday_2) = (
            week_to("2026-11-08T20:00:00Z"),
            week_to("2026-11-11T20:00:00Z"),
            week_to("2026-11-15T20:00:00Z"),
        );
        // Sunday 2's run walks back: Wednesday overlaps it by three days, Sunday 1 does not.
        let mut weeks = Weeks::before(&sunday_2);
        assert!(!weeks.keep(&wednesday));
        assert!(weeks.keep(&sunday_1));
        // `history` keeps the newest report, then the same rule.
        let mut weeks = Weeks::default();
        let kept: Vec<bool> = [sunday_2, wednesday, sunday_1]
            .iter()
            .map(|w| weeks.keep(w))
            .collect();
        assert_eq!(kept, [true, false, true]);
        // Wednesday's own run has no earlier week: Sunday 1 overlaps it too.
        assert!(!Weeks::before(&wednesday).keep(&sunday_1));
    }

    #[test]
    fn a_run_up_to_a_day_late_or_early_still_counts_as_its_week() {
        let this = week_to("2026-11-15T20:00:00Z");
        assert!(Weeks::before(&this).keep(&week_to("2026-11-09T20:00:00Z")));
        assert!(!Weeks::before(&this).keep(&week_to("2026-11-09T20:00:01Z")));
        assert!(Weeks::before(&this).keep(&week_to("2026-11-07T20:00:00Z")));
        // Each kept week becomes the one the next is measured against.
        let mut weeks = Weeks::before(&this);
        assert!(weeks.keep(&week_to("2026-11-09T20:00:00Z")));
        assert!(!weeks.keep(&week_to("2026-11-08T20:00:00Z")));
        assert!(weeks.keep(&week_to("2026-11-02T20:00:00Z")));
    }

    fn with_views_change(previous: u64, current: u64) -> Report {
        let end = "2026-11-15T20:00:00Z".parse().unwrap();
        let before = metrics::of_week(&[]);
        let mut report = build(Inputs {
            user: &"examplecreator".parse().unwrap(),
            generated_at: end,
            window: Window::week_ending(end),
            account: &Account::default(),
            posts: &[],
            previous: None,
            history: &[],
            history_weeks: 4,
            tz: Tz::UTC,
            api: ApiUsage::default(),
            fetch_notes: &[],
        });
        let then = Metrics {
            total_views: previous,
            ..before.clone()
        };
        let now = Metrics {
            total_views: current,
            ..before
        };
        let snapshot = |metrics| Snapshot {
            metrics,
            account: &report.account,
        };
        report.deltas = diff::deltas(Some(snapshot(&then)), snapshot(&now));
        report.previous = Some(PreviousRef {
            date: NaiveDate::from_ymd_opt(2026, 11, 8).unwrap(),
            file: "report_2026-11-08.json".into(),
        });
        report
    }

    #[test]
    fn the_summary_line_signs_a_change_once() {
        let line = |p, c| with_views_change(p, c).summary_line("r.json");
        assert!(
            line(1_000, 0).contains("views -100.0% vs 2026-11-08"),
            "{}",
            line(1_000, 0)
        );
        assert!(line(1_000, 1_500).contains("views +50.0% vs"));
        assert!(line(0, 1_500).contains("views +1,500 vs"));
        assert!(line(1_000, 1_000).contains("views unchanged vs"));
    }

    #[test]
    fn group_thousands_inserts_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(5_123_456_789), "5,123,456,789");
    }
}
