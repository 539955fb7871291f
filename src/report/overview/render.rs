//! The overview as Markdown and as a self-contained HTML page (inline CSS, no script, no external
//! request), from the same rows and totals. On a phone the page keeps its key column, views, in
//! view: the other counts move under the account. Pure.

use std::fmt::Write;

use maud::{Markup, html};

use super::{Overview, Row, Status, Totals, reason_line};
use crate::report::fmt::{count, decimal, group_thousands, percent, plural, points};
use crate::report::render::markdown::escape_keeping_ampersands;
use crate::report::render::page::{OVERVIEW_STYLE, page};
use crate::report::render::post_link;

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

/// `▼ 0.6 pts`.
fn pts_change(change: f64) -> String {
    format!("{} {}", arrow(change), points(change))
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
pub(crate) fn markdown(overview: &Overview) -> String {
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
            Some(file) => format!(
                "[@{}]({})",
                escape_keeping_ampersands(row.handle.as_str()),
                file_link(file)
            ),
            None => format!("@{}", escape_keeping_ampersands(row.handle.as_str())),
        };
        if row.status == Status::Failed {
            let reason =
                escape_keeping_ampersands(&reason_line(row.reason.as_deref().unwrap_or_default()));
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
    for (handle, line) in competitor_lines(overview) {
        let _ = writeln!(
            out,
            "\n@{}: {}",
            escape_keeping_ampersands(handle),
            escape_keeping_ampersands(&line)
        );
    }
    let _ = writeln!(
        out,
        "\nChanges are since each account's previous report. Generated {} by tiktok-review.",
        overview.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    out
}

/// Each account's line against its competitors, `(handle, line)`, cleaned; none without any.
fn competitor_lines(overview: &Overview) -> Vec<(&str, String)> {
    (overview.rows.iter())
        .filter_map(|row| Some((row.handle.as_str(), row.competitors.as_deref()?)))
        .map(|(handle, line)| (handle, crate::text::one_line(line)))
        .collect()
}

/// A report file's relative path as a link target, when it has exactly the shape the store
/// gives it (`<handle>/report_<date>.<ext>`); anything else (an edited file) is not linked.
pub(super) fn file_link(file: &str) -> &str {
    let safe = file.len() <= 64
        && (file.bytes())
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/'))
        && !file.starts_with('/')
        && !file.contains("..");
    if safe { file } else { "#" }
}

/// Renders `overview` as one self-contained HTML page: inline CSS, no script, no external request
/// (a Content-Security-Policy forbids them), each account linked to its report file.
pub(crate) fn html(overview: &Overview) -> String {
    let t = &overview.totals;
    let title = title(overview);
    let body = html! {
        h1 { (title) }
        p.headline { strong { (headline(overview)) } }
        p.muted { (spent(t)) "." }
        div.card.scroll { table {
            thead { tr {
                th { "#" } th.text { "account" } th.more { "followers" } th.more { "posts" } th.key { "views" }
                th.more { "median views" } th { "engagement" } th.more { "breakouts" } th.text { "best post" }
            } }
            tbody { (rows_html(overview)) }
        } }
        @for (handle, line) in competitor_lines(overview) {
            p { strong { "@" (handle) } ": " (line) }
        }
        p.muted {
            "Changes are since each account's previous report. Generated "
            (overview.generated_at.format("%Y-%m-%d %H:%M UTC")) " by tiktok-review."
        }
    };
    page(&title, OVERVIEW_STYLE, body)
}

/// The counts a phone shows under the account instead of in their columns: `43,079 followers ·
/// 5 posts · median 21,283 views · 1 breakout`.
fn counts(row: &Row) -> String {
    let parts = [
        row.followers.map(|n| plural(n, "follower")),
        row.posts.map(|n| plural(n, "post")),
        (row.median_views).map(|m| format!("median {}", plural(m.round() as u64, "view"))),
        row.breakouts.map(|n| plural(n, "breakout")),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
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
                    td.account { (account) span.counts { (counts(row)) } }
                    td.more { (changed(c.followers)) }
                    td.more { (c.posts) }
                    td { (changed(c.views)) }
                    td.more { (c.median_views) }
                    td { (changed(c.engagement)) }
                    td.more { (c.breakouts) }
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
