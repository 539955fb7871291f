//! Last week's posts, a week later: posts keep gathering views after their week ends, and the
//! pages a run fetches often reach back into last week. For every post of the previous report that
//! this run's pages hold again, how it grew. Pure, and never a request of its own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::insights::age_hours;
use super::stats::round2;
use crate::model::{Post, cmp_ids};

/// One post of the previous report, seen again on this run's pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// TikTok's id.
    pub(crate) id: String,
    /// Canonical link.
    pub(crate) url: String,
    /// Its caption, so that a reader knows which post it is.
    pub(crate) caption: String,
    /// When it was posted.
    pub(crate) posted_at: DateTime<Utc>,
    /// Views when the previous report was made.
    pub(crate) views_then: u64,
    /// Views now.
    pub(crate) views_now: u64,
    /// `(views_now − views_then) / views_then × 100`, 2 decimals; null from 0 views.
    pub(crate) growth_pct: Option<f64>,
    /// Hours from posting to the previous report's window end, 1 decimal.
    pub(crate) age_then_hours: f64,
    /// Hours from posting to this report's window end, 1 decimal.
    pub(crate) age_now_hours: f64,
}

/// The posts of `then` (the previous report's, whose window ended at `then_end`) that `fetched`
/// (this run's pages, whose window ends at `now_end`) holds again with readable statistics; most
/// grown first (by `growth_pct`, those from 0 views last), then by views gained, then by id.
pub(crate) fn followup<'a>(
    then: impl IntoIterator<Item = &'a Post>,
    then_end: DateTime<Utc>,
    fetched: &[Post],
    now_end: DateTime<Utc>,
) -> Vec<FollowUp> {
    let now_of = |id: &str| fetched.iter().find(|p| p.id == id && p.has_statistics);
    let mut seen: Vec<FollowUp> = then
        .into_iter()
        .filter_map(|old| {
            let now = now_of(&old.id)?;
            Some(FollowUp {
                id: now.id.clone(),
                url: now.url.clone(),
                caption: now.caption.clone(),
                posted_at: now.posted_at,
                views_then: old.views,
                views_now: now.views,
                growth_pct: (old.views > 0).then(|| {
                    round2((now.views as f64 - old.views as f64) / old.views as f64 * 100.0)
                }),
                age_then_hours: age_hours(old, then_end),
                age_now_hours: age_hours(now, now_end),
            })
        })
        .collect();
    seen.sort_by(|a, b| {
        let gained = |f: &FollowUp| i128::from(f.views_now) - i128::from(f.views_then);
        match (a.growth_pct, b.growth_pct) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (x, y) => x.is_none().cmp(&y.is_none()),
        }
        .then_with(|| gained(b).cmp(&gained(a)))
        .then_with(|| cmp_ids(&a.id, &b.id))
    });
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{at, post};

    const HOUR: i64 = 3_600;

    #[test]
    fn a_post_seen_again_shows_its_growth_and_ages() {
        // Posted at hour 0; last week's report ended at hour 48, this one at hour 216.
        let then = [
            post("1", 0, 1_000, 50, 0, 0),
            post("2", 10 * HOUR, 400, 4, 0, 0),
        ];
        let fetched = [
            post("2", 10 * HOUR, 500, 9, 0, 0),
            post("1", 0, 3_500, 90, 0, 0),
        ];
        let f = followup(&then, at(48 * HOUR), &fetched, at(216 * HOUR));
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].id.as_str(), f[0].views_then, f[0].views_now),
            ("1", 1_000, 3_500)
        );
        assert_eq!(f[0].growth_pct, Some(250.0));
        assert_eq!((f[0].age_then_hours, f[0].age_now_hours), (48.0, 216.0));
        assert_eq!((f[1].id.as_str(), f[1].growth_pct), ("2", Some(25.0)));
        assert_eq!((f[1].age_then_hours, f[1].age_now_hours), (38.0, 206.0));
    }

    #[test]
    fn a_post_not_seen_again_is_not_followed_up() {
        let then = [post("1", 0, 1_000, 0, 0, 0), post("9", 0, 10, 0, 0, 0)];
        let fetched = [post("1", 0, 1_100, 0, 0, 0), post("3", 0, 1, 0, 0, 0)];
        let f = followup(&then, at(0), &fetched, at(0));
        let ids: Vec<&str> = f.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["1"]);
        let mut unread = post("1", 0, 0, 0, 0, 0);
        unread.has_statistics = false;
        assert!(
            followup(&then, at(0), &[unread], at(0)).is_empty(),
            "no figures now"
        );
    }

    #[test]
    fn growth_from_zero_views_has_no_percentage_and_comes_last() {
        let then = [post("1", 0, 0, 0, 0, 0), post("2", 0, 100, 0, 0, 0)];
        let fetched = [post("1", 0, 900, 0, 0, 0), post("2", 0, 110, 0, 0, 0)];
        let f = followup(&then, at(0), &fetched, at(0));
        assert_eq!(
            f.iter()
                .map(|f| (f.id.as_str(), f.growth_pct))
                .collect::<Vec<_>>(),
            [("2", Some(10.0)), ("1", None)]
        );
    }

    #[test]
    fn equal_growth_goes_to_more_views_gained() {
        let then = [post("1", 0, 100, 0, 0, 0), post("2", 0, 1_000, 0, 0, 0)];
        let fetched = [post("1", 0, 200, 0, 0, 0), post("2", 0, 2_000, 0, 0, 0)];
        let ids: Vec<String> = followup(&then, at(0), &fetched, at(0))
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(ids, ["2", "1"]);
    }
}
