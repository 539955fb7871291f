//! Competitors side by side (schema 6): a report's [`Role`], and the `competitors` rows an
//! account's report carries, one per rival of the run (`run --compare`), each from the rival's own
//! report of the same window, with the account's position against it. Pure: reports in, rows out.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Headline, Report};
use crate::analysis::stats::round2;
use crate::fmt::decimal;
use crate::handle::Handle;
use crate::model::Format;

/// Whose report it is: an account of the agency's, or a competitor reviewed beside them. A
/// competitor's report is left out of the run's overview, `overview` and `send`'s digest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// One of the accounts reviewed (the field is then left out of the JSON).
    #[default]
    Account,
    /// A rival named with `--compare`.
    Competitor,
}

impl Role {
    /// Whether it is an account's report (the JSON leaves `role` out then).
    pub(crate) fn is_account(&self) -> bool {
        *self == Role::Account
    }
}

/// A rival of the run: its report, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub enum Rival {
    /// Its report of the window (written to its own folder, or printed nowhere on `--dry-run`).
    Reviewed(Arc<Report>),
    /// Its review failed.
    Failed {
        /// The rival.
        handle: Handle,
        /// The one-line error, cleaned, secrets redacted.
        reason: String,
    },
}

/// Whether a rival's row holds its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its report was made: the row holds its figures.
    Ok,
    /// Its review failed: `reason` says why, every figure is null.
    Failed,
}

/// One rival's row in an account's report: its week's figures (null where unknown, never 0), its
/// most viewed post, and where the account stands against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Competitor {
    /// The rival, without `@`.
    pub(crate) handle: String,
    /// `ok` or `failed`.
    pub(crate) status: Status,
    /// Why it failed; null when `ok`.
    pub(crate) reason: Option<String>,
    /// Followers at the time of the run.
    pub(crate) followers: Option<u64>,
    /// Their change since the rival's previous report.
    pub(crate) followers_change: Option<i64>,
    /// Posts of the week.
    pub(crate) posts: Option<u64>,
    /// Views of the week.
    pub(crate) views: Option<u64>,
    /// The median views of the week's posts with views.
    pub(crate) median_views: Option<f64>,
    /// The week's engagement rate, in percent.
    pub(crate) engagement_rate: Option<f64>,
    /// Change of views since the rival's previous report, in percent.
    pub(crate) views_change_pct: Option<f64>,
    /// Posts of the week that broke out of the rival's usual range.
    pub(crate) breakouts: Option<u64>,
    /// The rival's most viewed post of the week.
    pub(crate) top_post: Option<TopPost>,
    /// The account against the rival.
    pub(crate) position: Position,
}

/// A rival's most viewed post of the week: what worked for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopPost {
    /// TikTok's id.
    pub(crate) id: String,
    /// Its link.
    pub(crate) url: String,
    /// Its caption.
    pub(crate) caption: String,
    /// Its hashtags, without `#`.
    pub(crate) hashtags: Vec<String>,
    /// Its length in seconds; null for a photo post or when unknown.
    pub(crate) duration_s: Option<f64>,
    /// `video` or `photo`.
    pub(crate) format: Format,
    /// When it went out (UTC).
    pub(crate) posted_at: DateTime<Utc>,
    /// Its views.
    pub(crate) views: u64,
    /// Its engagement rate, in percent; null with 0 views.
    pub(crate) engagement_rate: Option<f64>,
}

/// Where the account stands against one rival.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// The account's median views divided by the rival's, 2 decimals; null when either is
    /// unknown or 0.
    pub(crate) median_views_ratio: Option<f64>,
    /// The account's engagement rate minus the rival's, in percentage points, 2 decimals; null
    /// when either is unknown.
    pub(crate) engagement_rate_diff_pts: Option<f64>,
    /// `your median post drew 2.1× @rival's`; null without a ratio.
    pub(crate) sentence: Option<String>,
}

/// The `competitors` rows of `account`'s report: one per rival, in the order given.
pub fn rows(account: &Report, rivals: &[Rival]) -> Vec<Competitor> {
    rivals.iter().map(|rival| row(account, rival)).collect()
}

fn row(account: &Report, rival: &Rival) -> Competitor {
    let report = match rival {
        Rival::Reviewed(report) => report,
        Rival::Failed { handle, reason } => return failed(handle.as_str(), reason),
    };
    let h = Headline::of(report);
    Competitor {
        handle: report.user.clone(),
        status: Status::Ok,
        reason: None,
        followers: h.followers,
        followers_change: h.followers_change.map(|c| c.round() as i64),
        posts: Some(h.posts),
        views: Some(h.views),
        median_views: report.metrics.median_views,
        engagement_rate: h.engagement_rate,
        views_change_pct: h.views_change_pct,
        breakouts: Some(report.posts.iter().filter(|p| p.breakout).count() as u64),
        top_post: report.top_by_views.first().map(|best| {
            let (entry, p) = (&best.entry, &best.entry.post);
            TopPost {
                id: p.id.clone(),
                url: p.url.clone(),
                caption: p.caption.clone(),
                hashtags: p.hashtags.clone(),
                duration_s: p.duration_s,
                format: p.format,
                posted_at: p.posted_at,
                views: p.views,
                engagement_rate: entry.engagement_rate,
            }
        }),
        position: position(account, report),
    }
}

/// The row of a rival whose review failed: why, and no figure.
fn failed(handle: &str, reason: &str) -> Competitor {
    Competitor {
        handle: handle.to_string(),
        status: Status::Failed,
        reason: Some(crate::text::one_line(reason)),
        followers: None,
        followers_change: None,
        posts: None,
        views: None,
        median_views: None,
        engagement_rate: None,
        views_change_pct: None,
        breakouts: None,
        top_post: None,
        position: Position::default(),
    }
}

/// `account` against `rival`: the ratio of their median views and the difference of their
/// engagement rates.
fn position(account: &Report, rival: &Report) -> Position {
    let positive = |m: Option<f64>| m.filter(|v| *v > 0.0 && v.is_finite());
    let ratio = match (
        positive(account.metrics.median_views),
        positive(rival.metrics.median_views),
    ) {
        (Some(ours), Some(theirs)) => Some(round2(ours / theirs)),
        _ => None,
    };
    let diff = match (
        account.metrics.engagement_rate,
        rival.metrics.engagement_rate,
    ) {
        (Some(ours), Some(theirs)) => Some(round2(ours - theirs)),
        _ => None,
    };
    Position {
        median_views_ratio: ratio,
        engagement_rate_diff_pts: diff,
        sentence: ratio.map(|r| {
            format!(
                "your median post drew {}× @{}'s",
                decimal(r, 1),
                crate::text::clean(&rival.user)
            )
        }),
    }
}

/// The one line the overview and the chat messages give a report's competitors: `vs @a: median
/// views 2.1× · vs @b: median views n/a · vs @c: failed`; `None` without competitors.
pub(crate) fn mention(report: &Report) -> Option<String> {
    let parts: Vec<String> = (report.competitors.iter())
        .map(|c| {
            let handle = crate::text::clean(&c.handle);
            match (c.status, c.position.median_views_ratio) {
                (Status::Failed, _) => format!("vs @{handle}: failed"),
                (Status::Ok, Some(r)) => format!("vs @{handle}: median views {}×", decimal(r, 1)),
                (Status::Ok, None) => format!("vs @{handle}: median views n/a"),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;
    use crate::report::render::tests::report_of;

    /// 2026-11-15 20:00 UTC, the end of [`report_of`]'s week.
    const END: i64 = 1_794_772_800;

    #[test]
    fn a_row_holds_the_rivals_figures_and_the_accounts_position() {
        // Ours: views 1,000 and 3,000 → median 2,000; likes 100 + 300 = 400 of 4,000 views: 10%.
        let ours = report_of(
            &[
                post("1", END - 90_000, 1_000, 100, 0, 0),
                post("2", END - 95_000, 3_000, 300, 0, 0),
            ],
            &[],
        );
        // Theirs: views 500 and 1,500 → median 1,000; likes 10 + 90 = 100 of 2,000 views: 5%.
        let mut theirs = report_of(
            &[
                post("3", END - 90_000, 500, 10, 0, 0),
                post("4", END - 95_000, 1_500, 90, 0, 0),
            ],
            &[],
        );
        theirs.user = "rival".into();
        theirs.role = Role::Competitor;
        let failed = Rival::Failed {
            handle: "gone".parse().unwrap(),
            reason: "no such user\nsecond line".into(),
        };
        let rows = rows(&ours, &[Rival::Reviewed(Arc::new(theirs)), failed]);
        let ok = &rows[0];
        assert_eq!((ok.posts, ok.views), (Some(2), Some(2_000)));
        assert_eq!(ok.median_views, Some(1_000.0));
        assert_eq!(ok.engagement_rate, Some(5.0));
        assert_eq!(ok.followers, None, "unknown, never 0");
        assert_eq!(ok.top_post.as_ref().unwrap().id, "4");
        assert_eq!(ok.position.median_views_ratio, Some(2.0));
        assert_eq!(ok.position.engagement_rate_diff_pts, Some(5.0));
        assert_eq!(
            ok.position.sentence.as_deref(),
            Some("your median post drew 2.0× @rival's")
        );
        let gone = &rows[1];
        assert_eq!(gone.status, Status::Failed);
        assert_eq!(gone.reason.as_deref(), Some("no such user second line"));
        assert_eq!(
            (gone.posts, gone.views, gone.top_post.as_ref()),
            (None, None, None)
        );
        let mut with = ours.clone();
        with.competitors = rows;
        assert_eq!(
            mention(&with).as_deref(),
            Some("vs @rival: median views 2.0× · vs @gone: failed")
        );
        assert_eq!(mention(&ours), None);
    }

    #[test]
    fn a_median_of_0_or_unknown_gives_no_ratio() {
        let ours = report_of(&[], &[]);
        let theirs = report_of(&[post("3", END - 90_000, 500, 10, 0, 0)], &[]);
        let row = &rows(&ours, &[Rival::Reviewed(Arc::new(theirs))])[0];
        assert_eq!(row.position.median_views_ratio, None);
        assert_eq!(row.position.engagement_rate_diff_pts, None);
        assert_eq!(row.position.sentence, None);
    }

    #[test]
    fn a_saved_report_reads_back_its_role_and_rows_and_an_unreadable_block_stays_unknown() {
        let ours = report_of(&[post("1", END - 90_000, 1_000, 100, 0, 0)], &[]);
        let mut theirs = report_of(&[post("3", END - 90_000, 500, 10, 0, 0)], &[]);
        theirs.user = "rival".into();
        theirs.role = Role::Competitor;
        let theirs = Arc::new(theirs);
        let mut with = ours.clone();
        with.competitors = rows(&ours, &[Rival::Reviewed(Arc::clone(&theirs))]);
        for report in [&with, theirs.as_ref()] {
            let back: Report = serde_json::from_slice(&report.to_json()).unwrap();
            assert_eq!(
                (back.role, &back.competitors),
                (report.role, &report.competitors)
            );
        }
        let json = String::from_utf8(with.to_json()).unwrap();
        assert!(
            !json.contains("\"role\""),
            "an account's report carries no role"
        );
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        value["role"] = serde_json::json!("owner");
        value["competitors"] = serde_json::json!([{"handle": 7}]);
        let back: Report = serde_json::from_value(value).unwrap();
        assert_eq!((back.role, back.competitors.len()), (Role::Account, 0));
    }
}
