//! The report as Markdown: reads well pasted into Slack, an email or a GitHub issue.

use std::fmt::Write;

use super::{count, movement, percent, post_link, short_caption, value};
use crate::analysis::benchmark;
use crate::analysis::insights::Figures;
use crate::analysis::metrics::Metric;
use crate::report::{Ranked, Report};
use crate::text::clean;

/// Renders `report` as Markdown (UTF-8, trailing newline).
pub fn render(report: &Report) -> String {
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
            format!(" · views {} vs {}", movement(Some(delta)), previous.date)
        }
        _ => " · first report".to_string(),
    };
    let _ = writeln!(
        out,
        "**{} posts · {} views · {} engagement**{change}\n",
        m.post_count,
        count(Some(m.total_views)),
        percent(m.engagement_rate),
    );
    let _ = writeln!(
        out,
        "Window {} to {} (UTC).\n",
        report.window.start.format("%Y-%m-%d %H:%M"),
        report.window.end.format("%Y-%m-%d %H:%M")
    );

    out.push_str("## This week\n\n| | this week | last week | change |\n|---|--:|--:|--:|\n");
    for metric in Metric::ALL {
        let delta = report.deltas.get(&metric);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            metric.label(),
            value(metric.value(m, &report.account), metric.kind()),
            value(delta.and_then(|d| d.previous), metric.kind()),
            if report.previous.is_some() {
                movement(delta)
            } else {
                "n/a".to_string()
            },
        );
    }

    let _ = writeln!(
        out,
        "\n## Benchmark\n\n{}\n\n_{}_",
        report.benchmark.sentence(),
        benchmark::CAVEAT
    );

    ranked_section(&mut out, "Top posts by engagement", &report.top, report);
    ranked_section(
        &mut out,
        "Bottom posts by engagement",
        &report.bottom,
        report,
    );
    if report.bottom.iter().any(|r| r.entry.too_new) {
        out.push_str("\n_new_: posted less than 24 hours before the week ended; it has not had its chance yet.\n");
    }

    if !report.recommendations.is_empty() {
        out.push_str("\n## Recommendations\n\n");
        for r in &report.recommendations {
            let _ = writeln!(
                out,
                "- **{}** — {}  \n  _{}_",
                r.kind.replace('_', " "),
                escape(&clean(&r.message)),
                escape(&clean(&r.evidence))
            );
        }
    }

    let i = &report.insights;
    let sample = if i.basis.small_sample {
        " — a small sample: read with care"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\n## What works\n\nOver {} posts from {} week(s){sample}; times in {}.\n",
        i.basis.posts, i.basis.weeks, i.timezone
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
            t.figures.posts,
            count(Some(t.views)),
            percent(t.figures.engagement_rate)
        );
    }
    let untagged = &i.hashtags.without_hashtags;
    if let Some(avg) = untagged
        .figures
        .avg_views
        .filter(|_| untagged.figures.posts > 0)
    {
        let _ = writeln!(
            out,
            "| (none: {} of posts) | {} | {} | {} |",
            percent(untagged.share_pct),
            untagged.figures.posts,
            count(Some((avg * untagged.figures.posts as f64).round() as u64)),
            percent(untagged.figures.engagement_rate)
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
    let _ = writeln!(
        out,
        "\n_{} requests, {} credits used{}._",
        report.api.requests,
        report.api.credits_used,
        report
            .api
            .credits_remaining
            .map(|n| format!(", {} left", count(Some(n))))
            .unwrap_or_default()
    );
    out
}

fn ranked_section(out: &mut String, title: &str, list: &[Ranked], report: &Report) {
    let _ = writeln!(out, "\n## {title}\n");
    if list.is_empty() {
        out.push_str("No posts with views.\n");
        return;
    }
    out.push_str("| # | post | views | likes | comments | shares | engagement |\n|--:|---|--:|--:|--:|--:|--:|\n");
    for r in list {
        let (entry, p) = (&r.entry, &r.entry.post);
        let new = if entry.too_new { " _new_" } else { "" };
        let caption = escape(&short_caption(&p.caption, 48));
        let post = match post_link(&p.url, &report.user) {
            Some(link) => format!("[{caption}]({link})"),
            None => caption,
        };
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
}

/// `posts | median views | engagement` cells.
fn figures_cells(f: &Figures) -> String {
    format!(
        "{} | {} | {}",
        f.posts,
        f.median_views
            .map_or_else(|| "n/a".to_string(), |v| count(Some(v.round() as u64))),
        percent(f.engagement_rate)
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::render::tests::{hostile, report_of};

    #[test]
    fn outside_text_cannot_break_a_table_a_link_or_a_terminal() {
        let canonical = "https://www.tiktok.com/@xy/video/7578000000000000304";
        let forged = "https://evil.example/x)\n[click](https://evil.example";
        let report = report_of(
            &[
                hostile("7578000000000000304", canonical),
                hostile("7578000000000000305", forged),
            ],
            &["note | with ] `ticks` \u{1b}]0;title\u{7}and\nbreak"],
        );
        let md = render(&report);
        for banned in ["evil", "\u{1b}", "\u{202e}", "\u{7}", "[c](javascript"] {
            assert!(!md.contains(banned), "{banned:?} in\n{md}");
        }
        let rows: Vec<&str> = md.lines().filter(|l| l.contains("a \\| b")).collect();
        assert_eq!(rows.len(), 2, "both posts rank on top, one row each:\n{md}");
        for row in &rows {
            let cells = row.replace("\\|", "").matches('|').count();
            assert_eq!(cells, 8, "seven cells: {row}");
        }
        let caption = "a \\| b \\] \\[c\\](javascript:x) \\`d\\` redgnp.exe next";
        assert!(
            rows[0].contains(&format!("[{caption}]({canonical})")),
            "{}",
            rows[0]
        );
        assert!(
            rows[1].contains(&format!("| {caption} |")),
            "plain text: {}",
            rows[1]
        );
        assert!(md.contains("| #tag\\|x\\]z | 2 |"), "{md}");
        assert!(
            md.contains("- note \\| with \\] \\`ticks\\` and break\n"),
            "{md}"
        );
    }

    #[test]
    fn the_benchmark_follows_the_week_table_and_says_plainly_when_there_are_no_views() {
        let post = crate::analysis::metrics::tests::post(
            "7578000000000000304",
            1_794_600_000,
            1_000,
            10,
            1,
            1,
        );
        let md = render(&report_of(&[post], &[]));
        let at = |heading: &str| md.find(heading).unwrap();
        assert!(at("## This week") < at("## Benchmark") && at("## Benchmark") < at("## Top posts"));
        assert!(md.contains("\nEngagement 1.20% vs 3.40% median for TikTok brands (all industries; Rival IQ, 2024 TikTok Benchmark Report): 0.35×\n"), "{md}");
        assert!(
            md.contains("_The benchmark is a median of brands' accounts (companies, not creators; only the influencers row is of creators)")
        );
        let empty = render(&report_of(&[], &[]));
        assert!(
            empty.contains(
                "\nNo views this week, so no engagement rate to set against the 3.40% median"
            ),
            "{empty}"
        );
    }

    #[test]
    fn escape_keeps_tables_intact() {
        assert_eq!(
            escape("a | b [c](d) *e*\nf"),
            "a \\| b \\[c\\](d) \\*e\\* f"
        );
        assert_eq!(escape("`x`\r\n<b>\\_"), "\\`x\\`  \\<b\\>\\\\\\_");
    }
}
