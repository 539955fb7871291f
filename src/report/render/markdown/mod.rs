//! The report as Markdown: reads well pasted into Slack, an email or a GitHub issue.

use std::fmt::Write;

use super::{
    NEW_LEGEND, count, empty_list, movement, movement_text, percent, percent_text, plural,
    post_link, short_caption, untagged,
};
use crate::analysis::benchmark;
use crate::analysis::insights::{Figures, Insights};
use crate::analysis::metrics::Metric;
use crate::model::Post;
use crate::report::{Ranked, Report};
use crate::text::clean;

/// Renders `report` as Markdown (UTF-8, trailing newline).
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    let m = &report.metrics;
    let _ = writeln!(
        out,
        "# @{} — week to {}\n",
        report.user,
        report.window.end.date_naive()
    );
    let change = match (&report.previous, report.deltas.get(&Metric::TotalViews)) {
        (Some(previous), Some(delta)) => {
            format!(
                " · views {} vs {}",
                movement_text(Some(delta)),
                previous.date
            )
        }
        _ => " · first report".to_string(),
    };
    let _ = writeln!(
        out,
        "**{} · {} views · {} engagement**{change}\n",
        plural(m.post_count, "post"),
        count(Some(m.total_views)),
        percent_text(m.engagement_rate),
    );
    let _ = writeln!(
        out,
        "Window {} to {} (UTC).\n",
        report.window.start.format("%Y-%m-%d %H:%M"),
        report.window.end.format("%Y-%m-%d %H:%M")
    );

    let _ = writeln!(
        out,
        "## This week\n\n| | this week | {} | change |\n|---|--:|--:|--:|",
        super::previous_column(report)
    );
    for metric in Metric::ALL {
        let (now, then) = super::metric_cells(report, metric);
        let _ = writeln!(
            out,
            "| {} | {now} | {then} | {} |",
            metric.label(),
            if report.previous.is_some() {
                movement(report.deltas.get(&metric))
            } else {
                "n/a".to_string()
            },
        );
    }

    if let Some(benchmark) = &report.benchmark {
        let _ = writeln!(
            out,
            "\n## Benchmark\n\n{}\n\n_{}_",
            benchmark.sentence(),
            benchmark::CAVEAT
        );
    }

    rivals::section(&mut out, report);
    posts_section(&mut out, report);
    ranked_section(&mut out, "Top posts by engagement", &report.top, report);
    ranked_section(
        &mut out,
        "Bottom posts by engagement",
        &report.bottom,
        report,
    );
    breakouts_section(&mut out, report);
    followup_section(&mut out, report);

    if !report.recommendations.is_empty() {
        out.push_str("\n## Recommendations\n\n");
        for r in &report.recommendations {
            let _ = writeln!(
                out,
                "- **{}** — {}  \n  _{}_",
                r.kind.label(),
                escape(&clean(&r.message)),
                escape(&clean(&r.evidence))
            );
        }
    }

    trend_section(&mut out, report);

    if let Some(i) = &report.insights {
        what_works(&mut out, i);
    }
    let _ = writeln!(
        out,
        "\n_{}, {} used{}._",
        plural(report.api.requests.into(), "request"),
        plural(report.api.credits_used, "credit"),
        report
            .api
            .credits_remaining
            .map(|n| format!(", {} left", count(Some(n))))
            .unwrap_or_default()
    );
    out
}

/// What works: the insights' tables and the data-quality notes.
fn what_works(out: &mut String, i: &Insights) {
    let sample = if i.basis.small_sample {
        " — a small sample: read with care"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\n## What works\n\nOver {} from {}{sample}; times in {}.\n",
        plural(i.basis.posts as u64, "post"),
        plural(i.basis.weeks as u64, "week"),
        i.timezone
    );
    if !i.posting_times.best_slots.is_empty() {
        out.push_str("**Best slots** (at least 2 posts)\n\n| slot | posts | median views | engagement |\n|---|--:|--:|--:|\n");
        for s in &i.posting_times.best_slots {
            let _ = writeln!(out, "| {} | {} |", s.slot, figures_cells(&s.figures));
        }
        out.push('\n');
    }
    out.push_str(
        "**By weekday**\n\n| day | posts | median views | engagement |\n|---|--:|--:|--:|\n",
    );
    for d in &i.posting_times.by_weekday {
        let _ = writeln!(out, "| {} | {} |", d.weekday, figures_cells(&d.figures));
    }
    out.push_str("\n**Hashtags** (most viewed)\n\n| hashtag | posts | views | engagement |\n|---|--:|--:|--:|\n");
    for t in i.hashtags.tags.iter().take(10) {
        let _ = writeln!(
            out,
            "| #{} | {} | {} | {} |",
            escape(&clean(&t.tag)),
            count(Some(t.figures.posts as u64)),
            count(Some(t.views)),
            percent(t.figures.engagement_rate)
        );
    }
    if let Some((share, posts, views, rate)) = untagged(i) {
        let _ = writeln!(
            out,
            "| (none: {share} of posts) | {} | {views} | {rate} |",
            count(Some(posts as u64))
        );
    }
    out.push_str("\n**Length and format**\n\n| group | posts | median views | engagement |\n|---|--:|--:|--:|\n");
    for (name, figures) in super::length_and_format(i) {
        let _ = writeln!(out, "| {name} | {} |", figures_cells(figures));
    }
    if !i.data_quality.is_empty() {
        out.push_str("\n## Data quality\n\n");
        for note in &i.data_quality {
            let _ = writeln!(out, "- {}", escape(&clean(note)));
        }
    }
}

/// Every post of the week, newest first, with when it went out: what the HTML's per-post chart
/// draws.
fn posts_section(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "\n## Views and engagement per post\n\nTimes in {}.\n",
        super::timezone_name(report)
    );
    if report.posts.is_empty() {
        out.push_str("No posts this week.\n");
        return;
    }
    out.push_str("| when | post | views | engagement |\n|---|---|--:|--:|\n");
    let tz = super::timezone(report);
    for entry in &report.posts {
        let p = &entry.post;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            p.posted_at.with_timezone(&tz).format("%a %d %b %H:%M"),
            post_cell(p, report),
            // A post without readable statistics has unknown counts, not 0 views.
            if p.has_statistics {
                count(Some(p.views))
            } else {
                "unknown".to_string()
            },
            percent(entry.engagement_rate),
        );
    }
}

/// A post's caption, cut and escaped, linked when its URL has the canonical shape.
fn post_cell(p: &Post, report: &Report) -> String {
    let caption = escape(&short_caption(&p.caption, 48));
    match post_link(&p.url, &report.user) {
        Some(link) => format!("[{caption}]({link})"),
        None => caption,
    }
}

fn ranked_section(out: &mut String, title: &str, list: &[Ranked], report: &Report) {
    let _ = writeln!(out, "\n## {title}\n");
    if list.is_empty() {
        let _ = writeln!(out, "{}", empty_list(report));
        return;
    }
    if let Some(note) = super::narrow_band(report) {
        let _ = writeln!(out, "_{note}_\n");
    }
    out.push_str("| # | post | views | likes | comments | shares | engagement |\n|--:|---|--:|--:|--:|--:|--:|\n");
    for r in list {
        let (entry, p) = (&r.entry, &r.entry.post);
        let new = if entry.too_new { " _new_" } else { "" };
        let post = post_cell(p, report);
        let _ = writeln!(
            out,
            "| {} | {post}{new} | {} | {} | {} | {} | {} |",
            r.rank,
            count(Some(p.views)),
            count(Some(p.likes)),
            count(Some(p.comments)),
            count(Some(p.shares)),
            percent(entry.engagement_rate),
        );
    }
    if list.iter().any(|r| r.entry.too_new) {
        let _ = writeln!(out, "\n_new_: {NEW_LEGEND}");
    }
}

/// The week's breakouts with their multiple; nothing when there are none.
fn breakouts_section(out: &mut String, report: &Report) {
    let list = super::breakouts(report);
    if list.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Breakouts\n\n{}\n\n| post | views | × your median |\n|---|--:|--:|",
        super::BREAKOUTS_INTRO
    );
    for e in &list {
        let new = if e.too_new { " _new_" } else { "" };
        let _ = writeln!(
            out,
            "| {}{new} | {} | {} |",
            post_cell(&e.post, report),
            count(Some(e.post.views)),
            super::multiple(e.vs_median)
        );
    }
    if list.iter().any(|e| e.too_new) {
        let _ = writeln!(out, "\n_new_: {NEW_LEGEND}");
    }
}

/// Last week's posts seen again on this week's pages, and how they grew; only with a previous
/// report to follow up.
fn followup_section(out: &mut String, report: &Report) {
    if report.previous.is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## {}\n\n{}",
        super::followup_heading(report),
        super::followup_sentence(report)
    );
    if report.followup.is_empty() {
        return;
    }
    out.push_str("\n| post | views then | views now | growth |\n|---|--:|--:|--:|\n");
    for f in &report.followup {
        let caption = escape(&short_caption(&f.caption, 48));
        let post = match post_link(&f.url, &report.user) {
            Some(link) => format!("[{caption}]({link})"),
            None => caption,
        };
        let _ = writeln!(
            out,
            "| {post} | {} | {} | {} |",
            count(Some(f.views_then)),
            count(Some(f.views_now)),
            super::growth(f)
        );
    }
}

/// The weeks of the trend, oldest first: what the HTML's trend charts draw.
fn trend_section(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "\n## Trend over {}\n\n| week to | views | engagement | followers |\n|---|--:|--:|--:|",
        plural(report.trend.len() as u64, "week")
    );
    for t in &report.trend {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t.date,
            count(Some(t.views)),
            percent(t.engagement_rate),
            count(t.followers)
        );
    }
}

/// `posts | median views | engagement` cells.
fn figures_cells(f: &Figures) -> String {
    format!(
        "{} | {} | {}",
        count(Some(f.posts as u64)),
        f.median_views
            .map_or_else(|| "n/a".to_string(), |v| count(Some(v.round() as u64))),
        percent(f.engagement_rate)
    )
}

/// Escapes what would break a table cell or start Markdown formatting, `&` included (so that an
/// entity such as `&#124;` shows as written instead of becoming a `|`).
pub(crate) fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// [`escape`] leaving `&` as it is: the overview's Markdown has always kept it so, and its bytes
/// stay what they were.
pub(crate) fn escape_keeping_ampersands(text: &str) -> String {
    escape_with(text, false)
}

/// The one Markdown escape: a backslash before what would break a table cell or start
/// formatting (before `&` only when `ampersand`), line breaks made spaces.
fn escape_with(text: &str, ampersand: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' if !ampersand => out.push(c),
            '|' | '&' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

mod rivals;
#[cfg(test)]
mod tests;
