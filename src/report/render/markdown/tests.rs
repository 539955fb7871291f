//! The Markdown renderer on hostile text, plurals, empty lists, grouped numbers and the benchmark.

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
    let caption = "a \\| b \\] \\[c\\](javascript:x) \\`d\\` redgnp.exe next";
    let (per_post, ranked) = md.split_once("## Top posts").unwrap();
    // Each post has a row in the per-post table (four cells) and in the top list (seven).
    for (part, pipes) in [(per_post, 5), (ranked, 8)] {
        let rows: Vec<&str> = part.lines().filter(|l| l.contains("a \\| b")).collect();
        assert_eq!(rows.len(), 2, "one row a post:\n{md}");
        for row in &rows {
            let cells = row.replace("\\|", "").matches('|').count();
            assert_eq!(cells, pipes, "{row}");
        }
        let linked = format!("[{caption}]({canonical})");
        assert!(rows.iter().any(|r| r.contains(&linked)), "{rows:?}");
        let plain = format!("| {caption} |");
        assert!(rows.iter().any(|r| r.contains(&plain)), "{rows:?}");
    }
    assert!(md.contains("| #tag\\|x\\]z | 2 |"), "{md}");
    assert!(
        md.contains("- note \\| with \\] \\`ticks\\` and break\n"),
        "{md}"
    );
}

/// 2026-11-15 20:00 UTC, the end of [`report_of`]'s week.
const END: i64 = 1_794_772_800;

#[test]
fn one_post_reads_in_the_singular_and_its_new_mark_is_explained_under_its_table() {
    use crate::analysis::metrics::tests::post;
    let report = report_of(&[post("1", END - 3_600, 1_000, 10, 1, 1)], &[]);
    let md = render(&report);
    assert!(md.contains("**1 post · 1,000 views · "), "{md}");
    assert!(md.contains("Over 1 post from 1 week — "), "{md}");
    assert!(md.contains("## Trend over 1 week\n"), "{md}");
    assert!(md.contains("_0 requests, 0 credits used._"), "{md}");
    let (top, bottom) = md.split_once("## Bottom posts").unwrap();
    assert!(top.contains(" _new_ | 1,000 |"), "{top}");
    assert!(
        top.ends_with(&format!("\n_new_: {NEW_LEGEND}\n\n")),
        "{top}"
    );
    assert!(
        bottom.starts_with(" by engagement\n\nAll rated posts are in the top list.\n"),
        "{bottom}"
    );
    assert!(!bottom.contains("_new_"), "no mark, no legend: {bottom}");
}

#[test]
fn a_week_without_views_says_so_in_both_lists() {
    use crate::analysis::metrics::tests::post;
    let report = report_of(&[post("1", END - 90_000, 0, 0, 0, 0)], &[]);
    let md = render(&report);
    assert_eq!(md.matches("No posts with views.").count(), 2, "{md}");
}

#[test]
fn rates_within_a_narrow_band_are_called_noise_above_both_lists() {
    use crate::analysis::metrics::tests::post;
    // 8.0 %, 8.5 %, 8.8 % and 9.0 %: the highest is 1.125× the lowest.
    let posts: Vec<_> = [80, 85, 88, 90]
        .into_iter()
        .enumerate()
        .map(|(i, likes)| post(&i.to_string(), END - 90_000 - i as i64, 1_000, likes, 0, 0))
        .collect();
    let md = render(&report_of(&posts, &[]));
    let note = "_This week's engagement rates all sit between 8.0% and 9.0%: the order below is \
                noise, not a lesson._\n\n| # |";
    let (top, bottom) = md.split_once("## Bottom posts").unwrap();
    assert!(top.contains(note) && bottom.contains(note), "{md}");
    // 7.0 % to 9.0 % is 1.29×: a ranking worth reading, without the note.
    let wider: Vec<_> = [70, 85, 88, 90]
        .into_iter()
        .enumerate()
        .map(|(i, likes)| post(&i.to_string(), END - 90_000 - i as i64, 1_000, likes, 0, 0))
        .collect();
    assert!(!render(&report_of(&wider, &[])).contains("is noise"));
}

#[test]
fn counts_of_a_thousand_or_more_are_grouped() {
    use crate::analysis::metrics::tests::post;
    let posts: Vec<_> = (0..1_200)
        .map(|i| post(&i.to_string(), END - 90_000 - i, 10, 1, 0, 0))
        .collect();
    let mut report = report_of(&posts, &[]);
    report.api.requests = 1_001;
    report.api.credits_used = 1_001;
    let md = render(&report);
    assert!(md.contains("**1,200 posts · 12,000 views"), "{md}");
    assert!(md.contains("Over 1,200 posts from 1 week;"), "{md}");
    assert!(md.contains("| Sat | 1,200 | 10 | 10.00% |"), "{md}");
    assert!(md.contains("| (none: 100.00% of posts) | 1,200 | 12,000 | 10.00% |"));
    assert!(md.contains("_1,001 requests, 1,001 credits used._"));
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
    assert!(md.contains("\nEngagement 1.2% vs 3.4% median for TikTok brands (all industries; Rival IQ, 2024 TikTok Benchmark Report): 0.4×\n"), "{md}");
    assert!(
        md.contains("_The benchmark is a median of brands' accounts (companies, not creators; only the influencers row is of creators)")
    );
    let empty = render(&report_of(&[], &[]));
    assert!(
        empty
            .contains("\nNo views this week, so no engagement rate to set against the 3.4% median"),
        "{empty}"
    );
}

#[test]
fn saves_nobody_sent_read_unknown_and_averages_read_whole() {
    use crate::analysis::metrics::tests::post;
    let unsaved = |id: &str, views: u64| {
        let mut p = post(id, END - 90_000, views, 10, 1, 1);
        p.saves = None;
        p
    };
    // Views 1,000 and 2,001: 1,500.5 a post, written 1,501.
    let md = render(&report_of(&[unsaved("1", 1_000), unsaved("2", 2_001)], &[]));
    assert!(md.contains("\n| Saves | unknown | n/a | n/a |\n"), "{md}");
    assert!(
        md.contains("\n| Saves per post | unknown | n/a | n/a |\n"),
        "{md}"
    );
    assert!(
        md.contains("\n| Views per post | 1,501 | n/a | n/a |\n"),
        "{md}"
    );
    assert!(
        md.contains("\n| Median views | 1,501 | n/a | n/a |\n"),
        "{md}"
    );
    // (10 + 1 + 1) × 2 / 3,001 = 0.80 %: two decimals in the table, one in the headline.
    assert!(
        md.contains("\n| Engagement rate | 0.80% | n/a | n/a |\n"),
        "{md}"
    );
    assert!(md.contains("**2 posts · 3,001 views · 0.8% engagement** · first report"));
    // A saved 0 is a 0, and a week without posts has no saves to be unknown.
    let mut saved = unsaved("3", 1_000);
    saved.saves = Some(0);
    assert!(render(&report_of(&[saved], &[])).contains("\n| Saves | 0 | n/a | n/a |\n"));
    let empty = render(&report_of(&[], &[]));
    assert!(empty.contains("\n| Saves | 0 | n/a | n/a |\n"), "{empty}");
    assert!(
        empty.contains("\n| Saves per post | n/a | n/a | n/a |\n"),
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
    // A caption's `&#124;` stays text, not a character reference that would render as `|`.
    assert_eq!(escape("a &#124; b &amp;"), "a \\&#124; b \\&amp;");
}

#[test]
fn the_overview_escape_is_the_same_but_keeps_ampersands() {
    assert_eq!(
        escape_keeping_ampersands("a | b [c] &amp; `d`\ne"),
        "a \\| b \\[c\\] &amp; \\`d\\` e"
    );
}
