//! How numbers read in every output: grouped counts, rates with two decimals, and changes with an
//! arrow and a sign. Pure; the Markdown, the HTML, the summary line, the recommendations and
//! `history` all format through here.

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

/// A metric's value: counts grouped, averages with 2 decimals, rates in percent.
pub fn value(v: Option<f64>, kind: MetricKind) -> String {
    match (v, kind) {
        (None, _) => "n/a".to_string(),
        (Some(v), MetricKind::Rate) => format!("{v:.2}%"),
        (Some(v), MetricKind::Count) => group_thousands(v.max(0.0) as u64),
        (Some(v), MetricKind::Average) => {
            let whole = group_thousands(v.trunc().max(0.0) as u64);
            format!(
                "{whole}.{:02}",
                ((v.fract() * 100.0).round() as u64).min(99)
            )
        }
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
            "{arrow} {size} ({}{pct:.2}%)",
            if pct > 0.0 { "+" } else { "" }
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
    }

    #[test]
    fn group_thousands_inserts_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(5_123_456_789), "5,123,456,789");
    }
}
