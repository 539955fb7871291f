//! Assembles one week's [`Report`] from the fetched posts, the window and the earlier reports:
//! every analysis runs once here, in pipeline order. Pure.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Earlier, PostEntry, Ranked, Report, SCHEMA_VERSION, TREND_WEEKS, TrendPoint};
use crate::analysis::diff::{self, Snapshot};
use crate::analysis::{insights, metrics, ranking, recommend};
use crate::handle::Handle;
use crate::model::{Account, ApiUsage, Post, Window};

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
    /// The most recent earlier week's report (see [`Weeks`](crate::model::Weeks)), if any: what the deltas compare with.
    pub previous: Option<&'a Earlier>,
    /// Earlier reports, one per week (see [`Weeks`](crate::model::Weeks)), newest first, at least as far back as
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
    let posts: Vec<PostEntry> = week.into_iter().map(|p| PostEntry::new(p, as_of)).collect();
    let rankings = ranking::rank(&posts);
    let ranked = |list: &[&PostEntry]| -> Vec<Ranked> {
        (list.iter().enumerate())
            .map(|(i, entry)| Ranked {
                rank: i + 1,
                entry: (*entry).clone(),
            })
            .collect()
    };
    let (top, bottom, top_by_views) = (
        ranked(&rankings.top),
        ranked(&rankings.bottom),
        ranked(&rankings.top_by_views),
    );
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
    let this_week = posts.iter().map(|e| &e.post);
    let earlier_posts = history
        .iter()
        .flat_map(|e| &e.report.posts)
        .map(|e| &e.post);
    let basis = insights::basis(this_week.clone().chain(earlier_posts));
    let mut insights = insights::compute(&basis, history.len() + 1, this_week, inputs.tz);
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
        insights: &insights,
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
        top,
        bottom,
        top_by_views,
        previous: inputs.previous.map(|earlier| earlier.reference.clone()),
        deltas,
        insights,
        trend,
        recommendations,
        api: inputs.api,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::Metrics;
    use crate::report::PreviousRef;
    use chrono::NaiveDate;

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
}
