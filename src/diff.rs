//! Week-over-week deltas between this week's figures and the previous report's.
//!
//! Pure: values in, values out. Every `metrics` number and `followers` gets a [`Delta`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, Serializer};

use crate::metrics::{Metrics, round2};
use crate::model::Account;

/// How one number moved since the previous report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// Last report's value.
    #[serde(serialize_with = "number")]
    pub previous: Option<f64>,
    /// This week's value.
    #[serde(serialize_with = "number")]
    pub current: Option<f64>,
    /// `current − previous`, 2 decimals; `None` when either is missing.
    #[serde(serialize_with = "number")]
    pub change: Option<f64>,
    /// `change / previous × 100`, 2 decimals; `None` when previous is 0 or missing.
    pub change_pct: Option<f64>,
}

impl Delta {
    /// The delta from `previous` to `current`.
    pub fn between(previous: Option<f64>, current: Option<f64>) -> Self {
        let change = previous.zip(current).map(|(p, c)| c - p);
        let change_pct = previous
            .zip(change)
            .filter(|(p, _)| *p != 0.0)
            .map(|(p, change)| round2(change / p * 100.0));
        let change = change.map(round2);
        Self {
            previous,
            current,
            change,
            change_pct,
        }
    }
}

/// The figures one report contributes to a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    /// The week's metrics.
    pub metrics: &'a Metrics,
    /// The account's figures at the time.
    pub account: &'a Account,
}

/// Deltas for every metric and `followers`, keyed by field name; empty without a previous report.
pub fn deltas(previous: Option<Snapshot<'_>>, current: Snapshot<'_>) -> BTreeMap<String, Delta> {
    let Some(previous) = previous else {
        return BTreeMap::new();
    };
    let followers = |s: Snapshot<'_>| ("followers", s.account.followers.map(|n| n as f64));
    let before = previous
        .metrics
        .numbers()
        .into_iter()
        .chain([followers(previous)]);
    let after = current
        .metrics
        .numbers()
        .into_iter()
        .chain([followers(current)]);
    before
        .zip(after)
        .map(|((name, p), (_, c))| (name.to_string(), Delta::between(p, c)))
        .collect()
}

/// Writes whole numbers without a fractional part (`51877`, not `51877.0`).
fn number<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: larger floats are not exact integers
    match value {
        Some(v) if v.fract() == 0.0 && v.abs() < EXACT => serializer.serialize_i64(*v as i64),
        Some(v) => serializer.serialize_f64(*v),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::of_week;
    use crate::metrics::tests::post;

    #[test]
    fn delta_reports_change_and_percentage() {
        let d = Delta::between(Some(48_210.0), Some(51_877.0));
        assert_eq!(d.change, Some(3_667.0));
        assert_eq!(d.change_pct, Some(7.61));
        let d = Delta::between(Some(4.0), Some(3.0));
        assert_eq!(d.change, Some(-1.0));
        assert_eq!(d.change_pct, Some(-25.0));
    }

    #[test]
    fn no_percentage_from_a_zero_or_missing_baseline() {
        assert_eq!(Delta::between(Some(0.0), Some(5.0)).change_pct, None);
        assert_eq!(Delta::between(Some(0.0), Some(5.0)).change, Some(5.0));
        let d = Delta::between(None, Some(5.0));
        assert_eq!((d.change, d.change_pct), (None, None));
        let d = Delta::between(Some(5.0), None);
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
        assert_eq!(d.len(), 14);
        assert_eq!(d["post_count"].change, Some(1.0));
        assert_eq!(d["total_views"].change_pct, Some(300.0));
        assert_eq!(d["engagement_rate"].change, Some(-5.0));
        assert_eq!(d["followers"].previous, None);
        assert_eq!(d["followers"].change, None);
    }

    #[test]
    fn whole_numbers_serialize_without_a_fraction() {
        let json = serde_json::to_string(&Delta::between(Some(2.0), Some(3.5))).unwrap();
        assert_eq!(
            json,
            r#"{"previous":2,"current":3.5,"change":1.5,"change_pct":75.0}"#
        );
    }
}
