//! How plain numbers read in every output: counts as grouped whole numbers (`41,200`), decimals
//! with their whole part grouped, percentages with two decimals in a table cell and one in a
//! sentence, changes of a rate in points, and counted nouns (`1 post`, `2 posts`). Pure and below
//! every stage: the analysis words its recommendations with these, the report its tables (and
//! `report::fmt` adds how a metric's value and change read).

/// `-` for a fall, `+` otherwise.
pub(crate) fn sign(change: f64) -> &'static str {
    if change < 0.0 { "-" } else { "+" }
}

/// A count as `5,123,649,469`, or `n/a` when missing.
pub(crate) fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "n/a".to_string(), group_thousands)
}

/// A rate in percent for a table cell, 2 decimals (`8.00%`, `3,273,797.42%`), or `n/a` when
/// missing.
pub(crate) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{}%", decimal(r, 2)))
}

/// A rate in percent for a sentence, 1 decimal (`9.6%`, `4,159.2%`), or `n/a` when missing.
pub(crate) fn percent_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{}%", decimal(r, 1)))
}

/// The size of a rate's change, in percentage points with 1 decimal: `17.1 pts`, `0.3 pts`.
pub(crate) fn points(change: f64) -> String {
    format!("{} pts", decimal(change.abs(), 1))
}

/// `n` and `noun`, in the plural (an `s` added) unless `n` is 1, `n` grouped: `1 post`,
/// `0 posts`, `1,204 credits`.
pub(crate) fn plural(n: u64, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", group_thousands(n))
}

/// `v` with `places` decimals and its whole part grouped: `41,200.50`, `-1,234.5`; `n/a` when it is
/// not a finite number.
pub(crate) fn decimal(v: f64, places: usize) -> String {
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
pub(crate) fn group_thousands(n: u64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
