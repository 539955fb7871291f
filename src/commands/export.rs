//! `tiktok-review export`: one row per post per saved weekly report, as CSV (RFC 4180, for a
//! spreadsheet) or JSON Lines, from the saved reports only: no request, no credit. A count the
//! report does not know (a post without readable statistics, saves the API did not send) is an
//! empty cell or `null`, never 0; a CSV cell that a spreadsheet would run as a formula is prefixed
//! with `'`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::cli::{AccountArgs, ExportArgs, ExportFormat};
use crate::config::Local;
use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::model::Format;
use crate::report::{PostEntry, Report};
use crate::store;

/// The columns, in order: the CSV header and the JSON keys.
const COLUMNS: [&str; 17] = [
    "handle",
    "week_end",
    "id",
    "url",
    "posted_at",
    "caption",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "engagement_rate",
    "duration_s",
    "format",
    "hashtags",
    "pinned",
    "breakout",
];

/// One post of one saved week. Unknown values are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row<'a> {
    handle: &'a str,
    week_end: NaiveDate,
    id: &'a str,
    url: &'a str,
    posted_at: String,
    caption: &'a str,
    views: Option<u64>,
    likes: Option<u64>,
    comments: Option<u64>,
    shares: Option<u64>,
    saves: Option<u64>,
    engagement_rate: Option<f64>,
    duration_s: Option<f64>,
    format: Format,
    hashtags: &'a [String],
    pinned: bool,
    breakout: bool,
}

impl<'a> Row<'a> {
    /// The row of `entry` in `report`.
    fn new(report: &'a Report, entry: &'a PostEntry) -> Self {
        let post = entry.as_ref();
        let known = |count: u64| post.has_statistics.then_some(count);
        Self {
            handle: &report.user,
            week_end: report.window.end.date_naive(),
            id: &post.id,
            url: &post.url,
            posted_at: post
                .posted_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            caption: &post.caption,
            views: known(post.views),
            likes: known(post.likes),
            comments: known(post.comments),
            shares: known(post.shares),
            saves: post.saves.filter(|_| post.has_statistics),
            engagement_rate: entry.engagement_rate.filter(|_| post.has_statistics),
            duration_s: post.duration_s,
            format: post.format,
            hashtags: &post.hashtags,
            pinned: post.pinned,
            breakout: entry.breakout,
        }
    }

    /// The row's cells as text, in the order of [`COLUMNS`]; unknown values are empty.
    fn cells(&self) -> [String; 17] {
        let text = |value: Option<u64>| value.map(|v| v.to_string()).unwrap_or_default();
        // As the report's JSON writes it (`20.0`, `8.58`).
        let float = |value: Option<f64>| {
            value
                .map(|v| serde_json::Value::from(v).to_string())
                .unwrap_or_default()
        };
        [
            self.handle.to_string(),
            self.week_end.to_string(),
            self.id.to_string(),
            self.url.to_string(),
            self.posted_at.clone(),
            self.caption.to_string(),
            text(self.views),
            text(self.likes),
            text(self.comments),
            text(self.shares),
            text(self.saves),
            float(self.engagement_rate),
            float(self.duration_s),
            match self.format {
                Format::Video => "video",
                Format::Photo => "photo",
            }
            .to_string(),
            self.hashtags.join(" "),
            self.pinned.to_string(),
            self.breakout.to_string(),
        ]
    }
}

/// The flags `config::Local` resolves the reports folder from (`--reports-dir`, else
/// `TIKTOK_REVIEW_REPORTS_DIR`, else the default); the accounts are `--user` only.
pub fn folder(args: &ExportArgs) -> AccountArgs {
    AccountArgs {
        user: Vec::new(),
        reports_dir: args.reports_dir.clone(),
    }
}

/// `tiktok-review export`: the saved weeks of `--user` (each, or without it every account folder
/// of `local.reports_dir`) whose week ends within `--since`..=`--until`, oldest week first, in the
/// chosen format. A report that cannot be read is skipped with a warning naming it.
pub fn run(args: &ExportArgs, local: &Local) -> anyhow::Result<String> {
    let reports_dir = local.reports_dir.as_path();
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since > until
    {
        return Err(Failure::new(
            Kind::Usage,
            format!("--since {since} is after --until {until}: no week can be in between"),
        )
        .into());
    }
    let accounts: Vec<Handle> = if args.user.is_empty() {
        store::account_dirs(reports_dir)
            .into_iter()
            .map(|(handle, _)| handle)
            .collect()
    } else {
        args.user.clone()
    };
    let mut weeks: Vec<Report> = Vec::new();
    for handle in &accounts {
        let Some(dir) = store::account_dir(reports_dir, handle) else {
            warn(format!(
                "no saved reports of @{handle} in {}",
                reports_dir.display()
            ));
            continue;
        };
        let mut reports: Vec<Report> = store::load_latest(&dir, handle, usize::MAX)
            .into_iter()
            .map(|earlier| earlier.report)
            .filter(|report| within(report.window.end.date_naive(), args))
            .collect();
        reports.reverse();
        weeks.extend(reports);
    }
    let rows = weeks.iter().flat_map(|report| {
        report
            .posts
            .iter()
            .map(move |entry| Row::new(report, entry))
    });
    Ok(match args.format {
        ExportFormat::Csv => csv(rows),
        ExportFormat::Jsonl => jsonl(rows),
    })
}

/// Whether a week ending on `date` is within `--since` and `--until` (both inclusive).
fn within(date: NaiveDate, args: &ExportArgs) -> bool {
    args.since.is_none_or(|since| date >= since) && args.until.is_none_or(|until| date <= until)
}

/// RFC 4180: a header, CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF.
fn csv<'a>(rows: impl Iterator<Item = Row<'a>>) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.cells().iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV field: prefixed with `'` when a spreadsheet would read it as a formula (it begins with
/// `=`, `+`, `-`, `@`, a tab or a CR), then quoted when it must be.
pub(crate) fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One JSON object a line; unknown values `null`, hashtags a list.
fn jsonl<'a>(rows: impl Iterator<Item = Row<'a>>) -> String {
    let mut out = String::new();
    for row in rows {
        // A row of strings, numbers and booleans always serializes.
        out.push_str(&serde_json::to_string(&row).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_prefixed_then_quoted() {
        for (cell, written) in [
            ("plain caption", "plain caption"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1 tip", "'+1 tip"),
            ("-5 mistakes", "'-5 mistakes"),
            ("@mention first", "'@mention first"),
            ("\tindented", "'\tindented"),
            ("\rreturn", "\"'\rreturn\""),
            ("a, b", "\"a, b\""),
            ("two\nlines", "\"two\nlines\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("", ""),
            ("ünïcode 🍞", "ünïcode 🍞"),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn the_header_names_every_column_once() {
        let header = csv(std::iter::empty());
        assert_eq!(
            header,
            "handle,week_end,id,url,posted_at,caption,views,likes,comments,shares,saves,\
             engagement_rate,duration_s,format,hashtags,pinned,breakout\r\n"
        );
    }
}
