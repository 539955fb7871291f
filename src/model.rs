//! Domain values shared by the stages: a post, the account's profile, the report window, what a
//! run spent, and the order of post ids.

use chrono::{DateTime, Duration, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// No TikTok count comes near this (the most viewed videos have a few billion views): a larger
/// one is garbage, not a number to sum.
pub(crate) const MAX_COUNT: u64 = 1_000_000_000_000;

/// One TikTok post as the rest of the program sees it, whatever shape the API gave it in: the
/// fields of a report's `posts[]` entries, in that order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// TikTok's `aweme_id`.
    pub id: String,
    /// Canonical link, `https://www.tiktok.com/@<handle>/video/<id>`.
    pub url: String,
    /// The caption (`desc`), cleaned.
    pub caption: String,
    /// When it was posted (UTC).
    pub posted_at: DateTime<Utc>,
    /// Plays (`play_count`).
    pub views: u64,
    /// Likes (`digg_count`).
    pub likes: u64,
    /// Comments (`comment_count`).
    pub comments: u64,
    /// Shares (`share_count`).
    pub shares: u64,
    /// Saves / bookmarks (`collect_count`); `None` when the API did not send it (older app
    /// versions leave it out) or the statistics could not be read: unknown, never 0. Reports
    /// before schema 4 wrote 0 for it; a post without the field reads as unknown.
    #[serde(default)]
    pub saves: Option<u64>,
    /// Video length in seconds; `None` for photo posts or when unknown.
    pub duration_s: Option<f64>,
    /// Hashtags, lowercased, without `#`, in first-seen order.
    pub hashtags: Vec<String>,
    /// Pinned to the top of the profile (`is_top`).
    pub pinned: bool,
    /// Video or photo carousel.
    pub format: Format,
    /// Whether the sound is the creator's own, when the API says.
    pub original_sound: Option<bool>,
    /// False when the record's statistics could not be read: its counts are then 0 (its saves
    /// unknown) and it is left out of averages, rankings and insights. Written only when false
    /// (reports before this field only held posts whose statistics were read or counted as 0).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub has_statistics: bool,
}

impl AsRef<Post> for Post {
    fn as_ref(&self) -> &Post {
        self
    }
}

fn yes() -> bool {
    true
}

fn is_yes(flag: &bool) -> bool {
    *flag
}

/// The kind of post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A video.
    Video,
    /// A photo carousel (`aweme_type` 150 / `image_post_info`).
    Photo,
}

/// The account figures from the profile endpoint; each is `None` when the API left it out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Followers.
    pub(crate) followers: Option<u64>,
    /// Accounts followed.
    pub(crate) following: Option<u64>,
    /// Likes received over all time.
    pub(crate) likes_total: Option<u64>,
    /// Posts over all time.
    pub(crate) videos_total: Option<u64>,
}

/// The half-open reporting window `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First instant inside the window.
    pub start: DateTime<Utc>,
    /// First instant after the window.
    pub end: DateTime<Utc>,
}

impl Window {
    /// The 7 days before `end`: `[end − 7 days, end)`.
    pub fn week_ending(end: DateTime<Utc>) -> Self {
        Self {
            start: end - Duration::days(7),
            end,
        }
    }

    /// Whether `at` lies inside the window (start inclusive, end exclusive).
    pub(crate) fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// What a run spent, as the report's `api` block shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiUsage {
    /// HTTP requests sent, retries included.
    pub(crate) requests: u32,
    /// Credits the API said it charged.
    pub(crate) credits_used: u64,
    /// Credits left, as of the last answer that said.
    pub(crate) credits_remaining: Option<u64>,
    /// Which upstream leg answered the feed's pages; `None` when no feed page was read (schema 5).
    #[serde(default)]
    pub(crate) leg: Option<Leg>,
}

/// Which upstream leg of Scavio answered a feed page: TikTok's app shape (`aweme_list`) or its
/// web shape (`itemList`); `mixed` when one feed's pages came from both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Leg {
    /// The app leg: `aweme_list`.
    App,
    /// The web leg: `itemList`.
    Web,
    /// Pages of both legs in one feed.
    Mixed,
}

impl Leg {
    /// The leg of a feed whose pages so far came from `so_far` (`None`: no page yet) and whose
    /// next page came from `page`.
    pub(crate) fn joined(so_far: Option<Leg>, page: Leg) -> Leg {
        match so_far {
            None => page,
            Some(leg) if leg == page => leg,
            Some(_) => Leg::Mixed,
        }
    }
}

/// Orders post ids numerically when they are digit strings (shorter first), then as text.
pub(crate) fn cmp_ids(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// How many weeks before `later` the report dated `earlier` ended, rounded and at least 1: 1 for
/// last week's report, 2 when a week was skipped (a midweek run counts to the nearest week).
pub(crate) fn weeks_apart(later: NaiveDate, earlier: NaiveDate) -> u64 {
    let days = (later - earlier).num_days().max(0) as f64;
    ((days / 7.0).round() as u64).max(1)
}

/// How far an earlier week may reach into the week after it and still count as a week of its own:
/// a run a few hours late, or a day early, is still that week's run.
pub(crate) const WEEK_OVERLAP: TimeDelta = TimeDelta::hours(24);

/// Picks one report per week from reports walked newest first, so that comparisons (`previous`),
/// the trend, the `history` rows and the insights' week count never set overlapping windows side by
/// side (a Wednesday run is not "last week" for Sunday's report).
///
/// The rule: a report is kept when its window ends no later than [`WEEK_OVERLAP`] after the start
/// of the window last kept (the run's own week to begin with, or nothing for `history`, which then
/// keeps the newest report). Of several reports inside one week the newest is kept, because the
/// walk goes newest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Weeks {
    last_start: Option<DateTime<Utc>>,
}

impl Weeks {
    /// The weeks before `window`, the run's own week.
    pub(crate) fn before(window: &Window) -> Self {
        Self {
            last_start: Some(window.start),
        }
    }

    /// Whether the next report walked (newest first), covering `window`, makes a week of its own;
    /// if so it becomes the week the following ones are measured against.
    pub(crate) fn keep(&mut self, window: &Window) -> bool {
        let keep = self
            .last_start
            .is_none_or(|start| window.end <= start + WEEK_OVERLAP);
        if keep {
            self.last_start = Some(window.start);
        }
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_includes_its_start_and_excludes_its_end() {
        let end = DateTime::from_timestamp(1_795_982_400, 0).unwrap();
        let window = Window::week_ending(end);
        assert!(window.contains(window.start));
        assert!(!window.contains(end));
        assert!(window.contains(end - Duration::seconds(1)));
        assert!(!window.contains(window.start - Duration::seconds(1)));
    }

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
}
