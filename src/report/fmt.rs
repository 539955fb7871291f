//! How numbers read in every output: grouped counts, rates with two decimals, and changes with an
//! arrow and a sign. Pure; the Markdown, the HTML, the summary line, the recommendations and
//! `history` all format through here.

use crate::analysis::diff::Delta;

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

/// A value of a `metrics` field: whole numbers grouped, averages and rates with 2 decimals.
pub fn value(v: Option<f64>, is_count: bool, is_rate: bool) -> String {
    match v {
        None => "n/a".to_string(),
        Some(v) if is_rate => format!("{v:.2}%"),
        Some(v) if is_count => group_thousands(v.max(0.0) as u64),
        Some(v) => {
            let whole = group_thousands(v.trunc().max(0.0) as u64);
            format!(
                "{whole}.{:02}",
                ((v.fract() * 100.0).round() as u64).min(99)
            )
        }
    }
}

/// `▲ 3,667 (+7.61%)`, `▼ 0.64 pts (−7.41%)`, `= 0` or `n/a`: how a number moved.
pub fn movement(delta: Option<&Delta>, is_rate: bool) -> String {
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
    let size = if is_rate {
        format!("{:.2} pts", change.abs())
    } else {
        value(Some(change.abs()), delta.is_count, false)
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
        assert_eq!(value(Some(731_949_924.14), false, false), "731,949,924.14");
        assert_eq!(value(Some(8.0), false, true), "8.00%");
        assert_eq!(value(Some(7.0), true, false), "7");
        let d = Delta::between(Some(48_210.0), Some(51_877.0), true);
        assert_eq!(movement(Some(&d), false), "▲ 3,667 (+7.61%)");
        let d = Delta::between(Some(8.64), Some(8.0), false);
        assert_eq!(movement(Some(&d), true), "▼ 0.64 pts (-7.41%)");
        let d = Delta::between(Some(5.0), Some(5.0), true);
        assert_eq!(movement(Some(&d), false), "= 0");
        assert_eq!(movement(None, false), "n/a");
    }

    #[test]
    fn group_thousands_inserts_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(5_123_456_789), "5,123,456,789");
    }
}
