//! How numbers read in every output: grouped counts (`41,200`), rates with two decimals, changes
//! with an arrow and a sign, and counted nouns (`1 post`, `2 posts`). Pure; the Markdown, the HTML,
//! the summary line, the recommendations and `history` all format through here.

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

/// A rate in percent with 2 decimals (`8.00%`, `3,273,797.42%`), or `n/a` when missing.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{}%", decimal(r, 2)))
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

/// A metric's value: counts grouped, averages with 2 decimals, rates in percent.
pub fn value(v: Option<f64>, kind: MetricKind) -> String {
    match (v, kind) {
        (None, _) => "n/a".to_string(),
        (Some(v), MetricKind::Rate) => format!("{v:.2}%"),
        (Some(v), MetricKind::Count) => group_thousands(v.max(0.0) as u64),
        (Some(v), MetricKind::Average) => decimal(v.max(0.0), 2),
    }
}

/// `▲ 3,667 (+7.61%)`, `▼ 0.64 pts (−7.41%)`, `= 0` or `n/a`: how a number moved (a rate in
/// percentage points).
pub fn movement(delta: Option<&Delta>) -> String {
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
    let size = match delta.kind {
        MetricKind::Rate => format!("{:.2} pts", change.abs()),
        kind => value(Some(change.abs()), kind),
    };
    match delta.change_pct {
        Some(pct) if change != 0.0 => format!(
            "{arrow} {size} ({}{}%)",
            if pct > 0.0 { "+" } else { "" },
            decimal(pct, 2)
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
        assert_eq!(value(Some(731_949_924.14), Average), "731,949,924.14");
        assert_eq!(value(Some(8.0), Rate), "8.00%");
        assert_eq!(value(Some(7.0), Count), "7");
        let d = Delta::between(Some(48_210.0), Some(51_877.0), Count);
        assert_eq!(movement(Some(&d)), "▲ 3,667 (+7.61%)");
        let d = Delta::between(Some(8.64), Some(8.0), Rate);
        assert_eq!(movement(Some(&d)), "▼ 0.64 pts (-7.41%)");
        let d = Delta::between(Some(5.0), Some(5.0), Count);
        assert_eq!(movement(Some(&d)), "= 0");
        assert_eq!(movement(None), "n/a");
        let d = Delta::between(Some(156_500.0), Some(5_123_649_469.0), Count);
        assert_eq!(
            movement(Some(&d)),
            "▲ 5,123,492,969 (+3,273,797.42%)",
            "a change of 1,000 % or more is grouped too"
        );
        assert_eq!(
            value(Some(0.999), Average),
            "1.00",
            "rounds up into the whole"
        );
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
