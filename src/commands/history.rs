//! `tiktok-review history`: one row a week from the saved reports, as a table with a sparkline,
//! CSV or JSON. Saved reports in, text out: it costs no credits.

use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::stats::round2;
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::config::Local;
use crate::error::{self, Failure, Kind};
use crate::handle::Handle;
use crate::report::fmt::{count, group_thousands, percent};
use crate::report::{Earlier, Headline};
use crate::store;

/// `tiktok-review history`: the latest weekly reports of one account as a table, CSV or JSON.
/// The account and the folder come from `local` (flags, else environment); several accounts are
/// refused (64) naming them, since one table shows one account.
pub fn run(args: &HistoryArgs, local: &Local) -> anyhow::Result<String> {
    let handle = one_account(&local.accounts)?;
    let dir = store::user_dir(&local.reports_dir, handle);
    // A symbolic link as the account's folder is skipped with a warning, as `send` skips it.
    let reports = match store::account_dir(&local.reports_dir, handle) {
        Some(dir) => store::load_latest(&dir, handle, args.weeks as usize),
        None => Vec::new(),
    };
    if reports.is_empty() {
        error::warn(format!(
            "no saved reports of @{handle} in {}",
            dir.display()
        ));
    }
    let rows = rows(&reports);
    Ok(match args.format {
        HistoryFormat::Table => table(&rows),
        HistoryFormat::Csv => csv(&rows),
        HistoryFormat::Json => json(&rows),
    })
}

/// The one account of `accounts`: none or several is a usage error saying what to pass.
fn one_account(accounts: &[Handle]) -> Result<&Handle, Failure> {
    match accounts {
        [one] => Ok(one),
        [] => Err(Failure::new(
            Kind::Usage,
            "no TikTok account given: pass --user <HANDLE> or set TIKTOK_USERNAME",
        )),
        several => Err(Failure::new(
            Kind::Usage,
            format!(
                "history shows one account, but {} are given ({}); pass --user <HANDLE> with one of them",
                several.len(),
                several
                    .iter()
                    .map(|h| format!("@{h}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// One week of the history: part of its report's [`Headline`], with how each figure moved since
/// the row before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row {
    /// The report's date.
    pub(crate) date: NaiveDate,
    /// Posts that week.
    pub(crate) posts: u64,
    /// Change since the previous row.
    pub(crate) posts_change: Option<i128>,
    /// Views that week.
    pub(crate) views: u64,
    /// Change since the previous row.
    pub(crate) views_change: Option<i128>,
    /// Engagement rate that week.
    pub(crate) engagement_rate: Option<f64>,
    /// Change in percentage points since the previous row.
    pub(crate) engagement_rate_change: Option<f64>,
    /// Followers at the time.
    pub(crate) followers: Option<u64>,
    /// Change since the previous row.
    pub(crate) followers_change: Option<i128>,
}

/// Rows from saved reports given newest first; the rows come oldest first.
pub(crate) fn rows(newest_first: &[Earlier]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::with_capacity(newest_first.len());
    for earlier in newest_first.iter().rev() {
        let h = Headline::of(&earlier.report);
        let followers = h.followers;
        let before = rows.last();
        let diff = |now: u64, then: Option<u64>| then.map(|t| i128::from(now) - i128::from(t));
        rows.push(Row {
            date: earlier.reference.date,
            posts: h.posts,
            posts_change: diff(h.posts, before.map(|b| b.posts)),
            views: h.views,
            views_change: diff(h.views, before.map(|b| b.views)),
            engagement_rate: h.engagement_rate,
            engagement_rate_change: h
                .engagement_rate
                .zip(before.and_then(|b| b.engagement_rate))
                .map(|(now, then)| round2(now - then)),
            followers,
            followers_change: followers.and_then(|f| diff(f, before.and_then(|b| b.followers))),
        });
    }
    rows
}

/// An aligned text table with a views sparkline column.
pub(crate) fn table(rows: &[Row]) -> String {
    let header = [
        "week",
        "posts",
        "±",
        "views",
        "±",
        "engagement",
        "±",
        "followers",
        "±",
        "views",
    ];
    let spark = sparkline(&rows.iter().map(|r| r.views).collect::<Vec<_>>());
    let cells: Vec<[String; 10]> = rows
        .iter()
        .zip(spark.chars())
        .map(|(r, s)| {
            [
                r.date.to_string(),
                r.posts.to_string(),
                signed(r.posts_change),
                group_thousands(r.views),
                signed(r.views_change),
                percent(r.engagement_rate),
                r.engagement_rate_change
                    .map_or_else(String::new, |c| format!("{c:+.2}")),
                count(r.followers),
                signed(r.followers_change),
                s.to_string(),
            ]
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|c| c[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                if i == 0 || i == cells.len() - 1 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
    };
    line(&mut out, &header.map(String::from));
    for row in &cells {
        line(&mut out, row);
    }
    out
}

/// CSV with a header line; empty cells for missing values.
pub(crate) fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "date,posts,posts_change,views,views_change,engagement_rate,engagement_rate_change,followers,followers_change\n",
    );
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            r.date,
            r.posts,
            opt(r.posts_change.map(|c| c.to_string())),
            r.views,
            opt(r.views_change.map(|c| c.to_string())),
            opt(r.engagement_rate.map(|e| format!("{e:.2}"))),
            opt(r.engagement_rate_change.map(|c| format!("{c:.2}"))),
            opt(r.followers.map(|f| f.to_string())),
            opt(r.followers_change.map(|c| c.to_string())),
        );
    }
    out
}

/// The rows as a pretty JSON array with a trailing newline.
pub(crate) fn json(rows: &[Row]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// One block character per value, scaled from the smallest (▁) to the largest (█).
pub(crate) fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (lo, hi) = (
        values.iter().min().copied().unwrap_or(0),
        values.iter().max().copied().unwrap_or(0),
    );
    values
        .iter()
        .map(|&v| {
            if hi == lo {
                BARS[3]
            } else {
                let level = (v - lo) as f64 / (hi - lo) as f64 * 7.0;
                BARS[level.round() as usize]
            }
        })
        .collect()
}

fn signed(change: Option<i128>) -> String {
    match change {
        Some(c) if c > 0 => format!("+{}", group_thousands(c.unsigned_abs() as u64)),
        Some(c) if c < 0 => format!("-{}", group_thousands(c.unsigned_abs() as u64)),
        Some(_) => "0".into(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_the_smallest_to_the_largest() {
        assert_eq!(sparkline(&[1, 5, 8]), "▁▅█");
        assert_eq!(sparkline(&[3, 3]), "▄▄");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn history_shows_exactly_one_account_and_names_the_others() {
        let handles =
            |names: &[&str]| -> Vec<Handle> { names.iter().map(|n| n.parse().unwrap()).collect() };
        assert_eq!(one_account(&handles(&["alpha"])).unwrap().as_str(), "alpha");
        let none = one_account(&[]).unwrap_err();
        assert_eq!(none.kind, Kind::Usage);
        let several = one_account(&handles(&["alpha", "beta"])).unwrap_err();
        assert_eq!(several.kind, Kind::Usage);
        assert_eq!(
            several.to_string(),
            "history shows one account, but 2 are given (@alpha, @beta); pass --user <HANDLE> with one of them"
        );
    }

    #[test]
    fn signed_changes_carry_their_sign_and_grouping() {
        assert_eq!(signed(Some(3_667)), "+3,667");
        assert_eq!(signed(Some(-1)), "-1");
        assert_eq!(signed(Some(0)), "0");
        assert_eq!(signed(None), "");
    }
}
