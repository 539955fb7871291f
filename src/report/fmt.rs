//! How numbers read in every output: a metric's value (counts and per-post averages as grouped
//! whole numbers, rates in percent) and its change with an arrow (a rate's in points only), with
//! the plain formatters of [`crate::fmt`] (re-exported here). Pure; the Markdown, the HTML, the
//! summary line, the chat messages and `history` all format through here. The JSON keeps its own
//! precision.

use crate::analysis::diff::Delta;
use crate::analysis::metrics::MetricKind;
pub(crate) use crate::fmt::{
    count, decimal, group_thousands, percent, percent_text, plural, points, sign,
};

/// A metric's value in a table cell: counts and per-post averages as grouped whole numbers
/// (halves rounded up), rates in percent with 2 decimals.
pub(crate) fn value(v: Option<f64>, kind: MetricKind) -> String {
    match (v, kind) {
        (None, _) => "n/a".to_string(),
        (Some(v), MetricKind::Rate) => format!("{v:.2}%"),
        (Some(v), MetricKind::Count) => group_thousands(v.max(0.0) as u64),
        (Some(v), MetricKind::Average) => group_thousands(v.max(0.0).round() as u64),
    }
}

/// How a number moved, for a table cell: `▲ 3,667 (+7.61%)`, `▲ 27,089 (+177.17%)`, `= 0` or
/// `n/a`; an average by the difference of the whole numbers shown, a rate in points only,
/// `▼ 0.6 pts` (a percentage of a percentage misleads).
pub(crate) fn movement(delta: Option<&Delta>) -> String {
    moved(delta, 2)
}

/// How a number moved, for a sentence: as [`movement`] with 1 decimal in its percentage,
/// `▲ 150,734 (+246.5%)`.
pub(crate) fn movement_text(delta: Option<&Delta>) -> String {
    moved(delta, 1)
}

fn moved(delta: Option<&Delta>, places: usize) -> String {
    let Some(delta) = delta else {
        return "n/a".to_string();
    };
    let Some(change) = delta.change else {
        return "n/a".to_string();
    };
    let arrow = if change > 0.0 {
        "▲"
    } else if change < 0.0 {
        "▼"
    } else {
        "="
    };
    let size = match (delta.kind, delta.previous, delta.current) {
        (MetricKind::Rate, ..) => return format!("{arrow} {}", points(change)),
        // Whole averages side by side: the change is their difference, so the row adds up.
        (MetricKind::Average, Some(previous), Some(current)) => {
            group_thousands((current.round() - previous.round()).abs() as u64)
        }
        (kind, ..) => value(Some(change.abs()), kind),
    };
    match delta.change_pct {
        Some(pct) if change != 0.0 => format!(
            "{arrow} {size} ({}{}%)",
            if pct > 0.0 { "+" } else { "" },
            decimal(pct, places)
        ),
        _ => format!("{arrow} {size}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_movements_read_as_people_write_them() {
        use MetricKind::*;
        assert_eq!(value(Some(731_949_924.14), Average), "731,949,924");
        assert_eq!(value(Some(8.0), Rate), "8.00%");
        assert_eq!(value(Some(7.0), Count), "7");
        let d = Delta::between(Some(48_210.0), Some(51_877.0), Count);
        assert_eq!(movement(Some(&d)), "▲ 3,667 (+7.61%)");
        // 8.00 − 8.64 = −0.64 points: a rate moves in points only.
        let d = Delta::between(Some(8.64), Some(8.0), Rate);
        assert_eq!(movement(Some(&d)), "▼ 0.6 pts");
        let d = Delta::between(Some(5.0), Some(5.0), Count);
        assert_eq!(movement(Some(&d)), "= 0");
        assert_eq!(movement(None), "n/a");
        let d = Delta::between(Some(156_500.0), Some(5_123_649_469.0), Count);
        assert_eq!(
            movement(Some(&d)),
            "▲ 5,123,492,969 (+3,273,797.42%)",
            "a change of 1,000 % or more is grouped too"
        );
        assert_eq!(value(Some(0.999), Average), "1", "rounds up into the whole");
    }

    #[test]
    fn the_demo_weeks_numbers_read_as_whole_counts_and_points() {
        use MetricKind::*;
        // The demo's week to 2026-11-22 against the week before.
        assert_eq!(value(Some(21_283.0), Average), "21,283");
        assert_eq!(value(Some(42_378.6), Average), "42,379");
        assert_eq!(value(Some(3_299.5), Average), "3,300", "a half rounds up");
        assert_eq!(value(Some(248.49), Average), "248");
        // 42,378.60 − 15,289.75 = 27,088.85 → 27,089; 27,088.85 / 15,289.75 = +177.17 %.
        let d = Delta::between(Some(15_289.75), Some(42_378.6), Average);
        assert_eq!(movement(Some(&d)), "▲ 27,089 (+177.17%)");
        assert_eq!(movement_text(Some(&d)), "▲ 27,089 (+177.2%)");
        // 64.68 − 47.61 = 17.07 points → 17.1; never "(+35.85%)" beside it.
        let d = Delta::between(Some(47.61), Some(64.68), Rate);
        assert_eq!(movement(Some(&d)), "▲ 17.1 pts");
        assert_eq!(movement_text(Some(&d)), "▲ 17.1 pts");
        // 15,477.50 → 21,283: shown as 15,478 and 21,283, so the change reads 5,805 (the
        // percentage is of the exact figures, 5,805.5 / 15,477.5 = +37.51 %).
        let d = Delta::between(Some(15_477.5), Some(21_283.0), Average);
        assert_eq!(movement(Some(&d)), "▲ 5,805 (+37.51%)");
        // 150,734 / 61,159 = +246.46 %.
        let d = Delta::between(Some(61_159.0), Some(211_893.0), Count);
        assert_eq!(movement_text(Some(&d)), "▲ 150,734 (+246.5%)");
        let d = Delta::between(Some(9.3), Some(9.3), Rate);
        assert_eq!(movement(Some(&d)), "= 0.0 pts");
        let d = Delta::between(Some(0.0), Some(5.5), Average);
        assert_eq!(movement(Some(&d)), "▲ 6", "no percentage from 0");
    }
}
