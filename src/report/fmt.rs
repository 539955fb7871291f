//! How numbers read in every output: counts and per-post averages as grouped whole numbers
//! (`41,200`), percentages with two decimals in a table cell and one in a sentence, changes with an
//! arrow (a rate's in points only), and counted nouns (`1 post`, `2 posts`). Pure; the Markdown,
//! the HTML, the summary line, the chat messages, the recommendations and `history` all format
//! through here. The JSON keeps its own precision.

use crate::analysis::diff::Delta;
use crate::analysis::metrics::MetricKind;

/// `-` for a fall, `+` otherwise.
pub fn sign(change: f64) -> &'static str {
    if change < 0.0 { "-" } else { "+" }
}

/// A count as `5,123,649,469`, or `n/a` when missing.
pub fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "n/a".to_string(), group_thousands)
}

/// A rate in percent for a table cell, 2 decimals (`8.00%`, `3,273,797.42%`), or `n/a` when
/// missing.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{}%", decimal(r, 2)))
}

/// A rate in percent for a sentence, 1 decimal (`9.6%`, `4,159.2%`), or `n/a` when missing.
pub fn percent_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{}%", decimal(r, 1)))
}

/// The size of a rate's change, in percentage points with 1 decimal: `17.1 pts`, `0.3 pts`.
pub fn points(change: f64) -> String {
    format!("{} pts", decimal(change.abs(), 1))
}

/// `n` and `noun`, in the plural (an `s` added) unless `n` is 1, `n` grouped: `1 post`,
/// `0 posts`, `1,204 credits`.
pub fn plural(n: u64, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", group_thousands(n))
}

/// `v` with `places` decimals and its whole part grouped: `41,200.50`, `-1,234.5`; `n/a` when it is
/// not a finite number.
pub fn decimal(v: f64, places: usize) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let digits = format!("{:.*}", places, v.abs());
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    let mut out = String::with_capacity(digits.len() + whole.len() / 3 + 1);
    // `-0.00` reads as `0.00`: the sign only when the rounded number is not zero.
    if v < 0.0 && digits.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    out.push_str(&group_digits(whole));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// `1234567` → `"1,234,567"`.
pub fn group_thousands(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A string of ASCII digits with a comma before every group of three from the right.
fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A metric's value in a table cell: counts and per-post averages as grouped whole numbers
/// (halves rounded up), rates in percent with 2 decimals.
pub fn value(v: Option<f64>, kind: MetricKind) -> String {
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
pub fn movement(delta: Option<&Delta>) -> String {
    moved(delta, 2)
}

/// How a number moved, for a sentence: as [`movement`] with 1 decimal in its percentage,
/// `▲ 150,734 (+246.5%)`.
pub fn movement_text(delta: Option<&Delta>) -> String {
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

    #[test]
    fn percentages_have_two_decimals_in_a_table_and_one_in_a_sentence() {
        assert_eq!(percent(Some(9.62)), "9.62%");
        assert_eq!(percent_text(Some(9.62)), "9.6%");
        assert_eq!(percent_text(Some(8.0)), "8.0%");
        // 4,159.24 %: the week the capture with more shares than views made.
        assert_eq!(percent_text(Some(4_159.24)), "4,159.2%");
        assert_eq!(percent_text(Some(64.68)), "64.7%");
        assert_eq!(percent_text(None), "n/a");
        assert_eq!(points(-0.64), "0.6 pts");
        assert_eq!(points(17.07), "17.1 pts");
    }

    #[test]
    fn decimals_group_their_whole_part_and_keep_a_sign() {
        assert_eq!(decimal(41_200.0, 1), "41,200.0");
        assert_eq!(decimal(3_273_797.424, 2), "3,273,797.42");
        assert_eq!(decimal(-1_234.56, 1), "-1,234.6");
        assert_eq!(decimal(999.996, 2), "1,000.00");
        assert_eq!(decimal(-0.001, 2), "0.00");
        assert_eq!(decimal(7.0, 0), "7");
        assert_eq!(decimal(f64::NAN, 2), "n/a");
        assert_eq!(percent(Some(1_234.5)), "1,234.50%");
        assert_eq!(percent(None), "n/a");
    }

    #[test]
    fn counted_nouns_are_singular_only_for_one() {
        assert_eq!(plural(1, "post"), "1 post");
        assert_eq!(plural(0, "post"), "0 posts");
        assert_eq!(plural(2, "week"), "2 weeks");
        assert_eq!(plural(1_204, "credit"), "1,204 credits");
        assert_eq!(plural(1, "request"), "1 request");
    }

    #[test]
    fn group_thousands_inserts_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(5_123_456_789), "5,123,456,789");
    }
}
