//! Week-over-week deltas between this week's figures and the previous report's.
//!
//! Pure: values in, values out. Every `metrics` number and `followers` gets a [`Delta`].

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::metrics::{Metric, MetricKind, Metrics};
use super::stats::round2;
use crate::model::Account;

/// How one number moved since the previous report.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    /// Last report's value.
    pub(crate) previous: Option<f64>,
    /// This week's value.
    pub(crate) current: Option<f64>,
    /// `current − previous`, 2 decimals; `None` when either is missing.
    pub(crate) change: Option<f64>,
    /// `change / previous × 100`, 2 decimals; `None` when previous is 0 or missing.
    pub(crate) change_pct: Option<f64>,
    /// The kind of number (counts are written as whole numbers, rates change in points).
    pub(crate) kind: MetricKind,
}

impl Delta {
    /// The delta from `previous` to `current` of a number of `kind`.
    pub(crate) fn between(previous: Option<f64>, current: Option<f64>, kind: MetricKind) -> Self {
        let change = previous.zip(current).map(|(p, c)| c - p);
        let change_pct = previous
            .zip(change)
            .filter(|(p, _)| *p != 0.0)
            .map(|(p, change)| round2(change / p * 100.0));
        Self {
            previous,
            current,
            change: change.map(round2),
            change_pct,
            kind,
        }
    }

    /// Both values side by side with no change: they are not sums over comparable posts.
    pub(crate) fn incomparable(
        previous: Option<f64>,
        current: Option<f64>,
        kind: MetricKind,
    ) -> Self {
        Self {
            change: None,
            change_pct: None,
            ..Self::between(previous, current, kind)
        }
    }
}

impl Serialize for Delta {
    /// `{previous, current, change, change_pct}`; counts without a fractional part (`51877`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = |v: Option<f64>| Number(v, self.kind == MetricKind::Count);
        let mut s = serializer.serialize_struct("Delta", 4)?;
        s.serialize_field("previous", &value(self.previous))?;
        s.serialize_field("current", &value(self.current))?;
        s.serialize_field("change", &value(self.change))?;
        s.serialize_field("change_pct", &self.change_pct)?;
        s.end()
    }
}

/// A value that is written as an integer when it is a count.
struct Number(Option<f64>, bool);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            // Counts are u64 sums (at most 2^64); as i128 every change fits.
            Number(Some(v), true) => serializer.serialize_i128(v as i128),
            Number(Some(v), false) => serializer.serialize_f64(v),
            Number(None, _) => serializer.serialize_none(),
        }
    }
}

/// The figures one report contributes to a comparison.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Snapshot<'a> {
    /// The week's metrics.
    pub(crate) metrics: &'a Metrics,
    /// The account's figures at the time.
    pub(crate) account: &'a Account,
}

/// Deltas for every [`Metric`]; empty without a previous report. Total saves get no change when
/// either week has posts without a save count: a sum over some of a week's posts does not compare
/// with another week's (saves per post still do).
pub(crate) fn deltas(
    previous: Option<Snapshot<'_>>,
    current: Snapshot<'_>,
) -> BTreeMap<Metric, Delta> {
    let Some(previous) = previous else {
        return BTreeMap::new();
    };
    let value = |s: Snapshot<'_>, m: Metric| m.value(s.metrics, s.account);
    let partial = |s: Snapshot<'_>| s.metrics.posts_without_saves > 0;
    Metric::ALL
        .into_iter()
        .map(|m| {
            let (then, now) = (value(previous, m), value(current, m));
            let delta = match m {
                Metric::TotalSaves if partial(previous) || partial(current) => {
                    Delta::incomparable(then, now, m.kind())
                }
                _ => Delta::between(then, now, m.kind()),
            };
            (m, delta)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::of_week;
    use crate::analysis::metrics::tests::post;

    #[test]
    fn delta_reports_change_and_percentage() {
        let d = Delta::between(Some(48_210.0), Some(51_877.0), MetricKind::Count);
        assert_eq!(d.change, Some(3_667.0));
        assert_eq!(d.change_pct, Some(7.61));
        let d = Delta::between(Some(4.0), Some(3.0), MetricKind::Average);
        assert_eq!(d.change, Some(-1.0));
        assert_eq!(d.change_pct, Some(-25.0));
    }

    #[test]
    fn no_percentage_from_a_zero_or_missing_baseline() {
        assert_eq!(
            Delta::between(Some(0.0), Some(5.0), MetricKind::Count).change_pct,
            None
        );
        assert_eq!(
            Delta::between(Some(0.0), Some(5.0), MetricKind::Count).change,
            Some(5.0)
        );
        let d = Delta::between(None, Some(5.0), MetricKind::Count);
        assert_eq!((d.change, d.change_pct), (None, None));
        let d = Delta::between(Some(5.0), None, MetricKind::Count);
        assert_eq!((d.change, d.change_pct), (None, None));
    }

    #[test]
    fn every_metric_and_followers_get_a_delta_only_with_a_previous_report() {
        let last = of_week(&[post("1", 0, 100, 10, 0, 0)]);
        let this = of_week(&[post("2", 0, 300, 15, 0, 0), post("3", 0, 100, 5, 0, 0)]);
        let account = Account {
            followers: Some(10),
            ..Account::default()
        };
        let current = Snapshot {
            metrics: &this,
            account: &account,
        };
        assert!(deltas(None, current).is_empty());
        let previous = Snapshot {
            metrics: &last,
            account: &Account::default(),
        };
        let d = deltas(Some(previous), current);
        assert_eq!(d.len(), 16);
        assert_eq!(d[&Metric::PostCount].change, Some(1.0));
        assert_eq!(d[&Metric::TotalViews].change_pct, Some(300.0));
        assert_eq!(d[&Metric::EngagementRate].change, Some(-5.0));
        assert_eq!(d[&Metric::Followers].previous, None);
        assert_eq!(d[&Metric::Followers].change, None);
        let keys: Vec<&str> = d.keys().map(|m| m.name()).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "written in the order of their names");
    }

    #[test]
    fn unknown_saves_have_no_change_and_a_partial_sum_is_not_compared() {
        let with = |saves: Option<u64>| {
            let mut p = post("1", 0, 100, 10, 0, 0);
            p.saves = saves;
            p
        };
        let account = Account::default();
        let delta = |then: &Metrics, now: &Metrics, metric: Metric| {
            let snapshot = |metrics| Snapshot {
                metrics,
                account: &account,
            };
            deltas(Some(snapshot(then)), snapshot(now))[&metric].clone()
        };
        let known = of_week(&[with(Some(40)), with(Some(20))]);
        let unknown = of_week(&[with(None), with(None)]);
        // 30 saves on one post, the other without a save count: a total over 1 of 2 posts.
        let partial = of_week(&[with(Some(30)), with(None)]);
        let d = delta(&known, &unknown, Metric::TotalSaves);
        assert_eq!((d.previous, d.current, d.change), (Some(60.0), None, None));
        let d = delta(&known, &unknown, Metric::AvgSaves);
        assert_eq!((d.previous, d.current, d.change), (Some(30.0), None, None));
        let d = delta(&known, &partial, Metric::TotalSaves);
        assert_eq!(
            (d.previous, d.current, d.change, d.change_pct),
            (Some(60.0), Some(30.0), None, None)
        );
        let d = delta(&partial, &known, Metric::TotalSaves);
        assert_eq!(
            (d.change, d.change_pct),
            (None, None),
            "either side partial"
        );
        // Saves per post that sent them: 30 vs 30.
        let d = delta(&known, &partial, Metric::AvgSaves);
        assert_eq!((d.change, d.change_pct), (Some(0.0), Some(0.0)));
        let d = delta(&known, &of_week(&[with(Some(90))]), Metric::TotalSaves);
        assert_eq!((d.change, d.change_pct), (Some(30.0), Some(50.0)));
        let json = serde_json::to_string(&delta(&known, &unknown, Metric::TotalSaves)).unwrap();
        assert_eq!(
            json,
            r#"{"previous":60,"current":null,"change":null,"change_pct":null}"#
        );
    }

    #[test]
    fn counts_serialize_as_integers_and_rates_as_decimals() {
        let json = |d: &Delta| serde_json::to_string(d).unwrap();
        assert_eq!(
            json(&Delta::between(Some(2.0), Some(3.0), MetricKind::Count)),
            r#"{"previous":2,"current":3,"change":1,"change_pct":50.0}"#
        );
        assert_eq!(
            json(&Delta::between(Some(8.64), Some(8.0), MetricKind::Rate)),
            r#"{"previous":8.64,"current":8.0,"change":-0.64,"change_pct":-7.41}"#
        );
        assert_eq!(
            json(&Delta::between(
                None,
                Some(5_123_456_789.0),
                MetricKind::Count
            )),
            r#"{"previous":null,"current":5123456789,"change":null,"change_pct":null}"#
        );
    }
}
