//! The overview of a run over several accounts: one row per account (its headline figures, read
//! from its saved report, or why it failed), totals at the top, as JSON, Markdown and a
//! self-contained HTML page that links to each account's report. Pure: saved reports' bytes and
//! failures in, an [`Overview`] and its bytes out; the store reads and writes the files.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::{Deserialize, Serialize};

use crate::cli::Output;
use crate::handle::Handle;
use crate::report::fmt::{count, decimal, group_thousands, percent, plural};
use crate::report::render::post_link;
use crate::text::clean;

/// The version of the overview's JSON schema.
pub const SCHEMA_VERSION: u32 = 1;

/// The overview of one date, as written to `<reports-dir>/overview_<date>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The date of the reports it sums up (the run's as-of, in UTC).
    pub date: NaiveDate,
    /// When the run made it (a rebuild keeps the run's time, so that it gives the same bytes).
    pub generated_at: DateTime<Utc>,
    /// The sums over the rows.
    pub totals: Totals,
    /// One row per account: those with a report by views, most first; failed ones last.
    pub rows: Vec<Row>,
}

/// The sums over an overview's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Rows.
    pub accounts: u64,
    /// Rows with a report.
    pub ok: u64,
    /// Rows of accounts that failed.
    pub failed: u64,
    /// Posts of the week over all reports.
    pub posts: u64,
    /// Views of the week over all reports.
    pub views: u64,
    /// Followers over the reports that know them.
    pub followers: u64,
    /// Requests sent for all accounts, failed ones included.
    pub requests: u64,
    /// Credits the API charged for all accounts, failed ones included.
    pub credits_used: u64,
}

/// Whether an account's review produced a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its report of the date is saved.
    Ok,
    /// Its review failed; the row says why.
    Failed,
}

/// One account's row. Figures are `null` for a failed account, and wherever its report has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The account, without `@`.
    #[serde(with = "handle_text")]
    pub handle: Handle,
    /// `ok` or `failed`.
    pub status: Status,
    /// Why it failed: the one line the run printed for it (cleaned, the key redacted).
    pub reason: Option<String>,
    /// Followers at the time of the run.
    pub followers: Option<u64>,
    /// Change of followers since the account's previous report.
    pub followers_change: Option<i64>,
    /// Posts of the week.
    pub posts: Option<u64>,
    /// Views of the week.
    pub views: Option<u64>,
    /// Change of views since the previous report, in percent.
    pub views_change_pct: Option<f64>,
    /// The median views of the week's posts that have views.
    pub median_views: Option<f64>,
    /// The week's engagement rate, in percent.
    pub engagement_rate: Option<f64>,
    /// Change of the engagement rate since the previous report, in percentage points.
    pub engagement_rate_change_pts: Option<f64>,
    /// Posts of the week that broke out (at least 3× the account's median).
    pub breakouts: Option<u64>,
    /// The link of the week's most viewed post.
    pub best_post_url: Option<String>,
    /// The account's report, relative to the overview's folder (`<handle>/report_<date>.html`).
    pub report_file: Option<String>,
    /// Requests sent for this account.
    pub requests: u64,
    /// Credits the API charged for this account.
    pub credits_used: u64,
}

/// A handle written as its text and read back only when it is a valid handle, so that no edited
/// overview can put anything else into a link.
mod handle_text {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::handle::Handle;

    pub fn serialize<S: Serializer>(handle: &Handle, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(handle.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Handle, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.parse::<Handle>() {
            Ok(handle) if handle.as_str() == text => Ok(handle),
            _ => Err(D::Error::custom(format!("{text:?} is not a TikTok handle"))),
        }
    }
}

/// What the overview reads from an account's saved report: a small typed view of the report
/// schema (see [`crate::report::Report`]); every other field is skipped.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReportFigures {
    /// The report's schema version.
    pub schema_version: u32,
    /// Whose report it is.
    pub user: String,
    /// When its run made it.
    pub generated_at: DateTime<Utc>,
    /// `account.followers`.
    pub account: AccountFigures,
    /// The week's numbers the overview shows.
    pub metrics: MetricFigures,
    /// The changes since the previous report the overview shows.
    #[serde(default)]
    pub deltas: DeltaFigures,
    /// Whether each post broke out.
    #[serde(default)]
    pub posts: Vec<PostFlags>,
    /// The most viewed posts, most first.
    #[serde(default)]
    pub top_by_views: Vec<PostLink>,
    /// What its run spent.
    #[serde(default)]
    pub api: UsageFigures,
}

/// `account` of a saved report.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AccountFigures {
    /// Followers, when the profile said.
    #[serde(default)]
    pub followers: Option<u64>,
}

/// `metrics` of a saved report.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MetricFigures {
    /// Posts of the week.
    pub post_count: u64,
    /// Views of the week.
    pub total_views: u64,
    /// Median views (schema 3).
    #[serde(default)]
    pub median_views: Option<f64>,
    /// Engagement rate.
    #[serde(default)]
    pub engagement_rate: Option<f64>,
}

/// The `deltas` of a saved report the overview shows.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeltaFigures {
    /// Views.
    #[serde(default)]
    pub total_views: Option<Change>,
    /// Engagement rate (its change is in points).
    #[serde(default)]
    pub engagement_rate: Option<Change>,
    /// Followers.
    #[serde(default)]
    pub followers: Option<Change>,
}

/// One delta's change.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Change {
    /// `current − previous`.
    #[serde(default)]
    pub change: Option<f64>,
    /// The change in percent of `previous`.
    #[serde(default)]
    pub change_pct: Option<f64>,
}

/// What the overview reads of a post.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PostFlags {
    /// It broke out (schema 3).
    #[serde(default)]
    pub breakout: bool,
}

/// What the overview reads of a ranked post.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PostLink {
    /// Its link.
    #[serde(default)]
    pub url: String,
}

/// `api` of a saved report.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UsageFigures {
    /// Requests sent.
    #[serde(default)]
    pub requests: u64,
    /// Credits charged.
    #[serde(default)]
    pub credits_used: u64,
}

/// Reads the figures of a saved report's JSON.
pub fn read_figures(json: &[u8]) -> Result<ReportFigures, serde_json::Error> {
    serde_json::from_slice(json)
}

/// Reads an overview's JSON.
pub fn read(json: &[u8]) -> Result<Overview, serde_json::Error> {
    serde_json::from_slice(json)
}

/// One account of the overview: its saved report, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountResult {
    /// Its report of the date is saved.
    Saved {
        /// The account.
        handle: Handle,
        /// What its saved report says.
        figures: Box<ReportFigures>,
        /// Its readable report, relative to the overview's folder.
        report_file: String,
    },
    /// Its review failed.
    Failed {
        /// The account.
        handle: Handle,
        /// The one line the run printed for it.
        reason: String,
        /// Requests sent for it.
        requests: u64,
        /// Credits charged for it.
        credits_used: u64,
    },
}

impl AccountResult {
    /// The account.
    pub fn handle(&self) -> &Handle {
        match self {
            AccountResult::Saved { handle, .. } | AccountResult::Failed { handle, .. } => handle,
        }
    }

    /// The failed account of an overview's `failed` row; `None` for a row with a report.
    pub fn from_failed_row(row: &Row) -> Option<Self> {
        (row.status == Status::Failed).then(|| AccountResult::Failed {
            handle: row.handle.clone(),
            reason: row.reason.clone().unwrap_or_default(),
            requests: row.requests,
            credits_used: row.credits_used,
        })
    }
}

/// The overview of `date` over `accounts`: one row each, by views (most first, ties by handle),
/// failed accounts last (by handle), and the totals.
pub fn build(date: NaiveDate, generated_at: DateTime<Utc>, accounts: &[AccountResult]) -> Overview {
    let mut rows: Vec<Row> = accounts.iter().map(row).collect();
    rows.sort_by(|a, b| {
        (a.status == Status::Failed)
            .cmp(&(b.status == Status::Failed))
            .then_with(|| b.views.unwrap_or(0).cmp(&a.views.unwrap_or(0)))
            .then_with(|| a.handle.cmp(&b.handle))
    });
    let ok: Vec<&Row> = rows.iter().filter(|r| r.status == Status::Ok).collect();
    let totals = Totals {
        accounts: rows.len() as u64,
        ok: ok.len() as u64,
        failed: (rows.len() - ok.len()) as u64,
        posts: ok
            .iter()
            .filter_map(|r| r.posts)
            .fold(0, u64::saturating_add),
        views: ok
            .iter()
            .filter_map(|r| r.views)
            .fold(0, u64::saturating_add),
        followers: (ok.iter().filter_map(|r| r.followers)).fold(0, u64::saturating_add),
        requests: rows.iter().map(|r| r.requests).fold(0, u64::saturating_add),
        credits_used: rows
            .iter()
            .map(|r| r.credits_used)
            .fold(0, u64::saturating_add),
    };
    Overview {
        schema_version: SCHEMA_VERSION,
        date,
        generated_at,
        totals,
        rows,
    }
}

fn row(account: &AccountResult) -> Row {
    match account {
        AccountResult::Saved {
            handle,
            figures: f,
            report_file,
        } => Row {
            handle: handle.clone(),
            status: Status::Ok,
            reason: None,
            followers: f.account.followers,
            followers_change: (f.deltas.followers.as_ref())
                .and_then(|d| d.change)
                .map(|c| c.round() as i64),
            posts: Some(f.metrics.post_count),
            views: Some(f.metrics.total_views),
            views_change_pct: f.deltas.total_views.as_ref().and_then(|d| d.change_pct),
            median_views: f.metrics.median_views,
            engagement_rate: f.metrics.engagement_rate,
            engagement_rate_change_pts: f.deltas.engagement_rate.as_ref().and_then(|d| d.change),
            breakouts: Some(f.posts.iter().filter(|p| p.breakout).count() as u64),
            best_post_url: (f.top_by_views.first())
                .and_then(|p| post_link(&p.url, handle.as_str()))
                .map(str::to_string),
            report_file: Some(report_file.clone()),
            requests: f.api.requests,
            credits_used: f.api.credits_used,
        },
        AccountResult::Failed {
            handle,
            reason,
            requests,
            credits_used,
        } => Row {
            handle: handle.clone(),
            status: Status::Failed,
            reason: Some(reason_line(reason)),
            followers: None,
            followers_change: None,
            posts: None,
            views: None,
            views_change_pct: None,
            median_views: None,
            engagement_rate: None,
            engagement_rate_change_pts: None,
            breakouts: None,
            best_post_url: None,
            report_file: None,
            requests: *requests,
            credits_used: *credits_used,
        },
    }
}

/// A failure's reason on one line, cleaned (it may come from an edited overview file).
fn reason_line(reason: &str) -> String {
    let line = clean(reason)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if line.is_empty() {
        "no reason recorded".to_string()
    } else {
        line
    }
}

/// Pretty JSON with a trailing newline: the bytes of `overview_<date>.json`.
pub fn to_json(overview: &Overview) -> Vec<u8> {
    // Plain structs with string keys cannot fail to serialize; an empty object rather than a panic.
    let mut bytes = serde_json::to_vec_pretty(overview).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    bytes
}

/// The bytes of `overview` in the form `output`.
pub fn to_bytes(overview: &Overview, output: Output) -> Vec<u8> {
    match output {
        Output::Json => to_json(overview),
        Output::Md => markdown(overview).into_bytes(),
        Output::Html => html(overview).into_bytes(),
    }
}

/// The title of the overview: `Overview — week to 2026-11-15`.
fn title(overview: &Overview) -> String {
    format!("Overview — week to {}", overview.date)
}

/// `3 accounts · 14 posts · 103,754 views · 96,420 followers` (followers only when a report
/// knows them).
fn headline(overview: &Overview) -> String {
    let t = &overview.totals;
    let followers = match overview.rows.iter().any(|r| r.followers.is_some()) {
        true => format!(" · {} followers", count(Some(t.followers))),
        false => String::new(),
    };
    format!(
        "{} · {} · {} views{followers}",
        plural(t.accounts, "account"),
        plural(t.posts, "post"),
        count(Some(t.views)),
    )
}

/// `2 reports, 1 failed · 7 requests, 6 credits used`.
fn spent(t: &Totals) -> String {
    format!(
        "{}, {} failed · {}, {} used",
        plural(t.ok, "report"),
        t.failed,
        plural(t.requests, "request"),
        plural(t.credits_used, "credit"),
    )
}

/// Each row's place among the rows with a report (1 for the most viewed); `None` for a failed row.
fn ranks(rows: &[Row]) -> Vec<Option<usize>> {
    let mut rank = 0;
    rows.iter()
        .map(|row| {
            (row.status == Status::Ok).then(|| {
                rank += 1;
                rank
            })
        })
        .collect()
}

/// The direction of a change: `▲`, `▼` or `=`.
fn arrow(change: f64) -> &'static str {
    if change > 0.0 {
        "▲"
    } else if change < 0.0 {
        "▼"
    } else {
        "="
    }
}

/// `▲ 120`, `▼ 5`, `= 0`.
fn count_change(change: i64) -> String {
    format!(
        "{} {}",
        arrow(change as f64),
        group_thousands(change.unsigned_abs())
    )
}

/// `▲ 7.61%`.
fn pct_change(change: f64) -> String {
    format!("{} {}%", arrow(change), decimal(change.abs(), 2))
}

/// `▼ 0.64 pts`.
fn pts_change(change: f64) -> String {
    format!("{} {} pts", arrow(change), decimal(change.abs(), 2))
}

/// The readable cells of an `ok` row: followers, posts, views, median views, engagement,
/// breakouts, each with its change where there is one.
struct Cells {
    followers: (String, Option<String>, f64),
    posts: String,
    views: (String, Option<String>, f64),
    median_views: String,
    engagement: (String, Option<String>, f64),
    breakouts: String,
}

fn cells(row: &Row) -> Cells {
    let followers_change = row.followers_change.unwrap_or(0) as f64;
    Cells {
        followers: (
            count(row.followers),
            row.followers_change.map(count_change),
            followers_change,
        ),
        posts: count(row.posts),
        views: (
            count(row.views),
            row.views_change_pct.map(pct_change),
            row.views_change_pct.unwrap_or(0.0),
        ),
        median_views: row
            .median_views
            .map_or_else(|| "n/a".to_string(), |v| count(Some(v.round() as u64))),
        engagement: (
            percent(row.engagement_rate),
            row.engagement_rate_change_pts.map(pts_change),
            row.engagement_rate_change_pts.unwrap_or(0.0),
        ),
        breakouts: count(row.breakouts),
    }
}

/// Renders `overview` as Markdown (UTF-8, trailing newline).
pub fn markdown(overview: &Overview) -> String {
    let t = &overview.totals;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(overview));
    let _ = writeln!(out, "**{}**\n", headline(overview));
    let _ = writeln!(out, "{}.\n", spent(t));
    out.push_str(
        "| # | account | followers | posts | views | median views | engagement | breakouts | best post | status |\n\
         |--:|---|--:|--:|--:|--:|--:|--:|---|---|\n",
    );
    let with_change = |(value, change, _): (String, Option<String>, f64)| match change {
        Some(change) => format!("{value} ({change})"),
        None => value,
    };
    for (row, rank) in overview.rows.iter().zip(ranks(&overview.rows)) {
        let account = match &row.report_file {
            Some(file) => format!("[@{}]({})", escape(row.handle.as_str()), file_link(file)),
            None => format!("@{}", escape(row.handle.as_str())),
        };
        if row.status == Status::Failed {
            let reason = escape(&reason_line(row.reason.as_deref().unwrap_or_default()));
            let _ = writeln!(out, "| | {account} | | | | | | | | failed: {reason} |");
            continue;
        }
        let rank = rank.unwrap_or_default();
        let c = cells(row);
        let best = (row.best_post_url.as_deref())
            .and_then(|url| post_link(url, row.handle.as_str()))
            .map_or_else(|| "n/a".to_string(), |url| format!("[watch]({url})"));
        let _ = writeln!(
            out,
            "| {rank} | {account} | {} | {} | {} | {} | {} | {} | {best} | ok |",
            with_change(c.followers),
            c.posts,
            with_change(c.views),
            c.median_views,
            with_change(c.engagement),
            c.breakouts,
        );
    }
    let _ = writeln!(
        out,
        "\nChanges are since each account's previous report. Generated {} by tiktok-review.",
        overview.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    out
}

/// A report file's relative path as a link target, when it has exactly the shape the store
/// gives it (`<handle>/report_<date>.<ext>`); anything else (an edited file) is not linked.
fn file_link(file: &str) -> &str {
    let safe = file.len() <= 64
        && (file.bytes())
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/'))
        && !file.starts_with('/')
        && !file.contains("..");
    if safe { file } else { "#" }
}

/// Escapes what would break a table cell or start Markdown formatting.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --up: #15803d; --down: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); background: #f9fafb; overflow-wrap: break-word; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
.headline { font-size: 1.1rem; }
.muted { color: var(--muted); font-size: 13px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 8px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { white-space: normal; vertical-align: bottom; }
th:first-child, td:first-child, .text { text-align: left; }
td.text { white-space: normal; overflow-wrap: anywhere; min-width: 8rem; }
td.account { text-align: left; }
.change { display: block; font-size: 12px; }
.up { color: var(--up); } .down { color: var(--down); }
a { color: #1d4ed8; }
@media (max-width: 600px) {
  main { padding: 12px 8px; } .card { padding: 8px; }
  table { font-size: 13px; } th, td { padding: 4px 5px; }
}
";

/// Renders `overview` as one self-contained HTML page: inline CSS, no script, no external request
/// (a Content-Security-Policy forbids them), each account linked to its report file.
pub fn html(overview: &Overview) -> String {
    let t = &overview.totals;
    let title = title(overview);
    let page: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    h1 { (title) }
                    p.headline { strong { (headline(overview)) } }
                    p.muted { (spent(t)) "." }
                    div.card.scroll { table {
                        thead { tr {
                            th { "#" } th.text { "account" } th { "followers" } th { "posts" } th { "views" }
                            th { "median views" } th { "engagement" } th { "breakouts" } th.text { "best post" }
                        } }
                        tbody { (rows_html(overview)) }
                    } }
                    p.muted {
                        "Changes are since each account's previous report. Generated "
                        (overview.generated_at.format("%Y-%m-%d %H:%M UTC")) " by tiktok-review."
                    }
                }
            }
        }
    };
    page.into_string()
}

fn rows_html(overview: &Overview) -> Markup {
    let changed = |(value, change, sign): (String, Option<String>, f64)| {
        let class = if sign > 0.0 {
            "change up"
        } else if sign < 0.0 {
            "change down"
        } else {
            "change"
        };
        html! { (value) @if let Some(change) = change { span class=(class) { (change) } } }
    };
    html! {
        @for (row, rank) in overview.rows.iter().zip(ranks(&overview.rows)) {
            @let account = html! {
                @if let Some(file) = &row.report_file {
                    a href=(file_link(file)) { "@" (row.handle) }
                } @else {
                    "@" (row.handle)
                }
            };
            @if row.status == Status::Failed {
                tr {
                    td { "" }
                    td.account { (account) }
                    td.text.down colspan="7" { "failed: " (reason_line(row.reason.as_deref().unwrap_or_default())) }
                }
            } @else {
                @let c = cells(row);
                tr {
                    td { (rank.unwrap_or_default()) }
                    td.account { (account) }
                    td { (changed(c.followers)) }
                    td { (c.posts) }
                    td { (changed(c.views)) }
                    td { (c.median_views) }
                    td { (changed(c.engagement)) }
                    td { (c.breakouts) }
                    td.text {
                        @if let Some(url) = row.best_post_url.as_deref().and_then(|u| post_link(u, row.handle.as_str())) {
                            a href=(url) { "watch" }
                        } @else { "n/a" }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;
    use crate::report::render::tests::report_of;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 15).unwrap()
    }

    fn at() -> DateTime<Utc> {
        "2026-11-15T20:00:03Z".parse().unwrap()
    }

    /// The figures of a real report of `@xy` holding `posts`, read back from its JSON.
    fn saved(handle: &str, views: &[u64]) -> AccountResult {
        let posts: Vec<_> = (views.iter().enumerate())
            .map(|(i, v)| {
                let mut p = post(
                    &format!("75780000000000003{i:02}"),
                    1_794_600_000,
                    *v,
                    10,
                    1,
                    1,
                );
                p.url = format!("https://www.tiktok.com/@{handle}/video/{}", p.id);
                p
            })
            .collect();
        let mut report = report_of(&posts, &[]);
        report.user = handle.to_string();
        report.api.requests = 3;
        report.api.credits_used = 2;
        AccountResult::Saved {
            handle: handle.parse().unwrap(),
            figures: Box::new(read_figures(&report.to_json()).unwrap()),
            report_file: format!("{handle}/report_2026-11-15.html"),
        }
    }

    fn failed(handle: &str, reason: &str) -> AccountResult {
        AccountResult::Failed {
            handle: handle.parse().unwrap(),
            reason: reason.to_string(),
            requests: 1,
            credits_used: 0,
        }
    }

    #[test]
    fn rows_go_by_views_with_failed_accounts_last_and_the_totals_sum_them() {
        let overview = build(
            date(),
            at(),
            &[
                failed("zed", "Scavio rejected the key"),
                saved("small", &[100, 200]),
                failed("ghost", "TikTok user @ghost does not exist"),
                saved("big", &[5_000, 1_000, 50]),
                saved("tie", &[300]),
            ],
        );
        let order: Vec<&str> = overview.rows.iter().map(|r| r.handle.as_str()).collect();
        assert_eq!(order, ["big", "small", "tie", "ghost", "zed"]);
        assert_eq!(
            overview.totals,
            Totals {
                accounts: 5,
                ok: 3,
                failed: 2,
                posts: 6,
                views: 6_650,
                followers: 0,
                requests: 11,
                credits_used: 6,
            }
        );
        let big = &overview.rows[0];
        assert_eq!(big.status, Status::Ok);
        assert_eq!(big.posts, Some(3));
        assert_eq!(big.median_views, Some(1_000.0));
        assert_eq!(
            big.best_post_url.as_deref(),
            Some("https://www.tiktok.com/@big/video/7578000000000000300")
        );
        assert_eq!(
            big.report_file.as_deref(),
            Some("big/report_2026-11-15.html")
        );
        let ghost = &overview.rows[3];
        assert_eq!(ghost.status, Status::Failed);
        assert_eq!(
            ghost.reason.as_deref(),
            Some("TikTok user @ghost does not exist")
        );
        assert_eq!((ghost.views, ghost.report_file.as_deref()), (None, None));
    }

    #[test]
    fn the_json_reads_back_to_the_same_overview_and_the_same_bytes() {
        let overview = build(
            date(),
            at(),
            &[saved("big", &[5_000, 1_000]), failed("ghost", "gone")],
        );
        let json = to_json(&overview);
        let back = read(&json).unwrap();
        assert_eq!(back, overview);
        assert_eq!(to_json(&back), json);
        let failed_rows: Vec<AccountResult> = back
            .rows
            .iter()
            .filter_map(AccountResult::from_failed_row)
            .collect();
        assert_eq!(failed_rows, [failed("ghost", "gone")]);
        let text = String::from_utf8(json).unwrap();
        assert!(text.contains("\"status\": \"failed\""), "{text}");
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn an_edited_overview_cannot_smuggle_a_handle_into_a_link() {
        let overview = build(date(), at(), &[failed("ghost", "gone")]);
        let text = String::from_utf8(to_json(&overview)).unwrap();
        for bad in ["../x", "a\"b", "GHOST", "@ghost"] {
            let edited = text.replace("\"ghost\"", &serde_json::to_string(bad).unwrap());
            assert!(read(edited.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn changes_read_with_their_arrow_and_unit() {
        let mut account = saved("big", &[5_000]);
        if let AccountResult::Saved { figures, .. } = &mut account {
            figures.account.followers = Some(48_210);
            figures.deltas = DeltaFigures {
                total_views: Some(Change {
                    change: Some(-100.0),
                    change_pct: Some(-1.96),
                }),
                engagement_rate: Some(Change {
                    change: Some(0.64),
                    change_pct: Some(7.0),
                }),
                followers: Some(Change {
                    change: Some(1_204.0),
                    change_pct: Some(2.5),
                }),
            };
        }
        let overview = build(date(), at(), &[account]);
        let md = markdown(&overview);
        assert!(
            md.contains("| 1 | [@big](big/report_2026-11-15.html) | 48,210 (▲ 1,204) | 1 | 5,000 (▼ 1.96%) | 5,000 | 0.24% (▲ 0.64 pts) | 0 | [watch](https://www.tiktok.com/@big/video/7578000000000000300) | ok |"),
            "{md}"
        );
        let page = html(&overview);
        assert!(
            page.contains("48,210<span class=\"change up\">▲ 1,204</span>"),
            "{page}"
        );
        assert!(page.contains("5,000<span class=\"change down\">▼ 1.96%</span>"));
    }

    #[test]
    fn a_failed_row_says_why_in_both_forms_and_outside_text_stays_text() {
        let overview = build(
            date(),
            at(),
            &[
                saved("big", &[5_000]),
                failed("ghost", "nope | [x](javascript:y) <b>\u{1b}[31m\nnext"),
            ],
        );
        let md = markdown(&overview);
        assert!(
            md.contains(
                "| | @ghost | | | | | | | | failed: nope \\| \\[x\\](javascript:y) \\<b\\> next |"
            ),
            "{md}"
        );
        let page = html(&overview);
        assert!(page.contains(
            "<td class=\"text down\" colspan=\"7\">failed: nope | [x](javascript:y) &lt;b&gt; next</td>"
        ), "{page}");
        assert!(!page.contains('\u{1b}') && !md.contains('\u{1b}'));
        assert!(page.contains("<a href=\"big/report_2026-11-15.html\">@big</a>"));
        assert!(page.contains("default-src 'none'"));
        assert!(!page.contains("<script") && !page.contains("src=\"http"));
    }

    #[test]
    fn the_headline_counts_in_the_singular_and_plural() {
        let overview = build(
            date(),
            at(),
            &[saved("big", &[5_000]), failed("ghost", "x")],
        );
        let md = markdown(&overview);
        assert!(md.starts_with(
            "# Overview — week to 2026-11-15\n\n**2 accounts · 1 post · 5,000 views**\n\n1 report, 1 failed · 4 requests, 2 credits used.\n"
        ), "{md}");
    }

    #[test]
    fn only_report_files_of_the_stores_shape_are_linked() {
        assert_eq!(
            file_link("ab/report_2026-11-15.html"),
            "ab/report_2026-11-15.html"
        );
        for bad in [
            "/etc/passwd",
            "../x/report.html",
            "javascript:x",
            "a b",
            "x\"y",
        ] {
            assert_eq!(file_link(bad), "#", "{bad}");
        }
    }
}
