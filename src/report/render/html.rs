//! The report as one self-contained HTML page: inline CSS and SVG charts, no script, no external
//! request (a Content-Security-Policy forbids them), readable on a phone: each table marks its key
//! column (`th.key`), which stays in view at 412 px without scrolling sideways (wider tables move
//! their other columns under the post there).

use maud::{Markup, html};

use super::page::{REPORT_STYLE, page};
use super::{
    NEW_LEGEND, charts, count, empty_list, heatmap, movement, movement_text, percent, percent_text,
    plural, post_link, short_caption, untagged,
};
use crate::analysis::benchmark;
use crate::analysis::insights::Figures;
use crate::analysis::metrics::Metric;
use crate::report::fmt::group_thousands;
use crate::report::{Ranked, Report};
use crate::text::clean;

/// Renders `report` as a complete HTML document.
pub(crate) fn render(report: &Report) -> String {
    let title = format!(
        "@{} — week to {}",
        report.user,
        report.window.end.date_naive()
    );
    let body = html! {
        h1 { (title) }
        (headline(report))
        h2 { "This week" }
        div.card.scroll { (metrics_table(report)) }
        @if let Some(benchmark) = &report.benchmark {
            h2 { "Benchmark" }
            p { (benchmark.sentence()) }
            p.muted { (benchmark::CAVEAT) }
        }
        (super::rivals::html(report))
        h2 { "Views and engagement per post" }
        p.muted { "Times in " (super::timezone_name(report)) "." }
        div.card { (charts::views_and_engagement(&report.posts, super::timezone(report))) }
        h2 { "Top posts by engagement" }
        (ranked_table(&report.top, report))
        h2 { "Bottom posts by engagement" }
        (ranked_table(&report.bottom, report))
        (breakouts(report))
        (followup(report))
        @if !report.recommendations.is_empty() {
            h2 { "Recommendations" }
            ul.recs {
                @for r in &report.recommendations {
                    li { strong { (r.kind.label()) } " — " (clean(&r.message)) br; span.muted { (clean(&r.evidence)) } }
                }
            }
        }
        h2 { "Trend over " (plural(report.trend.len() as u64, "week")) }
        div.trends {
            div.card { (charts::trend(&report.trend, "Views", |p| Some(p.views as f64), |v| group_thousands(v as u64))) }
            div.card { (charts::trend(&report.trend, "Engagement rate", |p| p.engagement_rate, |v| percent(Some(v)))) }
            div.card { (charts::trend(&report.trend, "Followers", |p| p.followers.map(|f| f as f64), |v| group_thousands(v as u64))) }
        }
        (insights(report))
        p.muted {
            "Generated " (report.generated_at.format("%Y-%m-%d %H:%M UTC")) " by tiktok-review · "
            (plural(report.api.requests.into(), "request")) ", " (plural(report.api.credits_used, "credit")) " used"
            @if let Some(left) = report.api.credits_remaining { ", " (count(Some(left))) " left" }
            "."
        }
    };
    page(&title, REPORT_STYLE, body)
}

fn headline(report: &Report) -> Markup {
    let m = &report.metrics;
    let delta = report.deltas.get(&Metric::TotalViews);
    let class = match delta.and_then(|d| d.change) {
        Some(c) if c > 0.0 => "up",
        Some(c) if c < 0.0 => "down",
        _ => "",
    };
    html! {
        p.headline {
            strong { (plural(m.post_count, "post")) " · " (count(Some(m.total_views))) " views · " (percent_text(m.engagement_rate)) " engagement" }
            @if let Some(previous) = &report.previous {
                " · views " span class=(class) { (movement_text(delta)) } " vs " (previous.date)
            } @else {
                " · first report"
            }
        }
        p.muted {
            (report.window.start.format("%Y-%m-%d %H:%M")) " to " (report.window.end.format("%Y-%m-%d %H:%M")) " UTC"
        }
    }
}

fn metrics_table(report: &Report) -> Markup {
    html! {
        table.metrics {
            thead { tr { th { "" } th.key { "this week" } th { (super::previous_column(report)) } th { "change" } } }
            tbody {
                @for metric in Metric::ALL {
                    @let delta = report.deltas.get(&metric);
                    @let class = match delta.and_then(|d| d.change) { Some(c) if c > 0.0 => "up", Some(c) if c < 0.0 => "down", _ => "" };
                    @let (now, then) = super::metric_cells(report, metric);
                    tr {
                        td { (metric.label()) }
                        td { (now) }
                        td { (then) }
                        td class=(format!("change {class}").trim_end()) { (movement(delta)) }
                    }
                }
            }
        }
    }
}

fn ranked_table(list: &[Ranked], report: &Report) -> Markup {
    let user = &report.user;
    html! {
        @if list.is_empty() {
            p.muted { (empty_list(report)) }
        } @else {
            @if let Some(note) = super::narrow_band(report) { p.muted { (note) } }
            div.card.scroll { table {
                thead { tr { th { "#" } th.text { "post" } th { "views" } th.more { "likes" } th.more { "comments" } th.more { "shares" } th.key { "engagement" } } }
                tbody {
                    @for r in list {
                        @let (entry, p) = (&r.entry, &r.entry.post);
                        tr {
                            td { (r.rank) }
                            td.text {
                                (post_title(&p.url, &p.caption, user))
                                @if entry.too_new { " " span.tag title="posted less than 24 hours before the week ended" { "new" } }
                                span.counts { (plural(p.likes, "like")) " · " (plural(p.comments, "comment")) " · " (plural(p.shares, "share")) }
                            }
                            td { (count(Some(p.views))) }
                            td.more { (count(Some(p.likes))) }
                            td.more { (count(Some(p.comments))) }
                            td.more { (count(Some(p.shares))) }
                            td { (percent(entry.engagement_rate)) }
                        }
                    }
                }
            } }
            @if list.iter().any(|r| r.entry.too_new) {
                p.muted { span.tag { "new" } " " (NEW_LEGEND) }
            }
        }
    }
}

/// The week's breakouts with their multiple; nothing when there are none.
fn breakouts(report: &Report) -> Markup {
    let list = super::breakouts(report);
    html! {
        @if !list.is_empty() {
            h2 { "Breakouts" }
            p.muted { (super::BREAKOUTS_INTRO) }
            div.card.scroll { table {
                thead { tr { th.text { "post" } th { "views" } th.key { "× your median" } } }
                tbody {
                    @for e in &list {
                        tr {
                            td.text {
                                (post_title(&e.post.url, &e.post.caption, &report.user))
                                @if e.too_new { " " span.tag title="posted less than 24 hours before the week ended" { "new" } }
                            }
                            td { (count(Some(e.post.views))) }
                            td { (super::multiple(e.vs_median)) }
                        }
                    }
                }
            } }
            @if list.iter().any(|e| e.too_new) {
                p.muted { span.tag { "new" } " " (NEW_LEGEND) }
            }
        }
    }
}

/// Last week's posts seen again on this week's pages, and how they grew; only with a previous
/// report to follow up.
fn followup(report: &Report) -> Markup {
    html! {
        @if report.previous.is_some() {
            h2 { (super::followup_heading(report)) }
            p { (super::followup_sentence(report)) }
            @if !report.followup.is_empty() {
                div.card.scroll { table {
                    thead { tr { th.text { "post" } th { "views then" } th { "views now" } th.key { "growth" } } }
                    tbody {
                        @for f in &report.followup {
                            tr {
                                td.text { (post_title(&f.url, &f.caption, &report.user)) }
                                td { (count(Some(f.views_then))) }
                                td { (count(Some(f.views_now))) }
                                td { (super::growth(f)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// A post's short caption, linked when its URL has the canonical shape.
fn post_title(url: &str, caption: &str, user: &str) -> Markup {
    html! {
        @if let Some(link) = post_link(url, user) {
            a href=(link) { (short_caption(caption, 60)) }
        } @else {
            (short_caption(caption, 60))
        }
    }
}

fn insights(report: &Report) -> Markup {
    let Some(i) = &report.insights else {
        return html! {};
    };
    let groups = super::length_and_format(i);
    html! {
        h2 { "What works" }
        p.muted {
            "Over " (plural(i.basis.posts as u64, "post")) " from " (plural(i.basis.weeks as u64, "week")) "; times in " (i.timezone) "."
            @if i.basis.small_sample { " A small sample: read with care." }
        }
        div.pair {
            div.card {
                (heatmap::heatmap(&i.posting_times.heatmap, i.basis.median_views, &i.timezone))
                (heatmap::legend(&i.posting_times.heatmap, i.basis.median_views))
            }
            div {
                @if !i.posting_times.best_slots.is_empty() {
                    div.card.scroll {
                        h3 { "Best slots " span.muted { "(at least 2 posts)" } }
                        table {
                            thead { tr { th { "slot" } th { "posts" } th.key { "median views" } th { "engagement" } } }
                            tbody { @for s in &i.posting_times.best_slots { tr { td { (s.slot) } (figure_cells(&s.figures)) } } }
                        }
                    }
                }
                div.card.scroll {
                    h3 { "By weekday" }
                    table {
                        thead { tr { th { "day" } th { "posts" } th.key { "median views" } th { "engagement" } } }
                        tbody { @for d in &i.posting_times.by_weekday { tr { td { (d.weekday) } (figure_cells(&d.figures)) } } }
                    }
                }
            }
        }
        div.card.scroll {
            h3 { "Hashtags " span.muted { "(most viewed)" } }
            table {
                thead { tr { th.text { "hashtag" } th { "posts" } th.key { "views" } th { "engagement" } } }
                tbody {
                    @for t in i.hashtags.tags.iter().take(10) {
                        tr { td.text { "#" (clean(&t.tag)) } td { (count(Some(t.figures.posts as u64))) } td { (count(Some(t.views))) } td { (percent(t.figures.engagement_rate)) } }
                    }
                    @if let Some((share, posts, views, rate)) = untagged(i) {
                        tr { td.text { "(none: " (share) " of posts)" } td { (count(Some(posts as u64))) } td { (views) } td { (rate) } }
                    }
                }
            }
        }
        div.card.scroll {
            h3 { "Length and format" }
            table {
                thead { tr { th { "group" } th { "posts" } th.key { "median views" } th { "engagement" } } }
                tbody { @for (name, f) in &groups { tr { td { (name) } (figure_cells(f)) } } }
            }
        }
        @if !i.data_quality.is_empty() {
            h2 { "Data quality" }
            ul { @for note in &i.data_quality { li { (clean(note)) } } }
        }
    }
}

fn figure_cells(f: &Figures) -> Markup {
    html! {
        td { (count(Some(f.posts as u64))) }
        td { (f.median_views.map_or_else(|| "n/a".to_string(), |v| count(Some(v.round() as u64)))) }
        td { (percent(f.engagement_rate)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::render::tests::{hostile, report_of};

    #[test]
    fn outside_text_is_cleaned_and_only_canonical_links_are_links() {
        let canonical = "https://www.tiktok.com/@xy/video/7578000000000000304";
        let report = report_of(
            &[
                hostile("7578000000000000304", canonical),
                hostile("7578000000000000305", "javascript:alert(1)"),
            ],
            &["note <b>\u{1b}[31m</b>"],
        );
        let page = render(&report);
        for banned in ["javascript:alert", "\u{1b}", "\u{202e}", "<b>"] {
            assert!(!page.contains(banned), "{banned:?} in the page");
        }
        assert_eq!(
            page.matches("<a href=").count(),
            1,
            "one link, the canonical one"
        );
        assert!(page.contains(&format!("<a href=\"{canonical}\">a | b ]")));
        assert!(page.contains("<li>note &lt;b&gt;&lt;/b&gt;</li>"));
        assert!(page.contains("<td class=\"text\">#tag|x]z</td>"));
    }

    /// 2026-11-15 20:00 UTC, the end of [`report_of`]'s week.
    const END: i64 = 1_794_772_800;

    #[test]
    fn the_page_carries_the_weekday_table_the_untagged_row_and_every_legend() {
        use crate::analysis::metrics::tests::post;
        let mut report = report_of(&[post("1", END - 3_600, 1_000, 10, 1, 1)], &[]);
        report.api.credits_remaining = Some(6_543);
        let page = render(&report);
        assert!(page.contains("<strong>1 post · 1,000 views · "), "{page}");
        assert!(page.contains("<h3>By weekday</h3>"));
        assert!(page.contains("<tr><td>Sun</td><td>1</td><td>1,000</td><td>1.20%</td></tr>"));
        assert!(page.contains("<td class=\"text\">(none: 100.00% of posts)</td><td>1</td>"));
        assert!(page.contains("Trend over 1 week<"));
        assert!(
            page.contains("Sun 15 Nov 19:00 · (no caption)"),
            "the per-post chart's label"
        );
        let (top, bottom) = page.split_once("Bottom posts by engagement").unwrap();
        assert!(top.contains(&format!("<span class=\"tag\">new</span> {NEW_LEGEND}")));
        assert!(bottom.contains("All rated posts are in the top list."));
        assert!(!bottom.contains(NEW_LEGEND));
        assert!(
            page.contains("0 requests, 0 credits used, 6,543 left."),
            "{page}"
        );
    }

    #[test]
    fn rates_within_a_narrow_band_are_called_noise_above_both_lists() {
        use crate::analysis::metrics::tests::post;
        let posts: Vec<_> = (0..4)
            .map(|i| {
                post(
                    &i.to_string(),
                    END - 90_000 - i,
                    1_000,
                    80 + 3 * i as u64,
                    0,
                    0,
                )
            })
            .collect();
        let page = render(&report_of(&posts, &[]));
        let note = "<p class=\"muted\">This week's engagement rates all sit between 8.0% and 8.9%";
        assert_eq!(page.matches(note).count(), 2, "{page}");
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
        let page = render(&report_of(&[post], &[]));
        let at = |text: &str| page.find(text).unwrap();
        assert!(
            at(">This week<") < at("<h2>Benchmark</h2>")
                && at("<h2>Benchmark</h2>") < at("Views and engagement per post")
        );
        assert!(page.contains("<p>Engagement 1.2% vs 3.4% median for TikTok brands (all industries; Rival IQ, 2024 TikTok Benchmark Report): 0.4×</p>"), "{page}");
        let empty = render(&report_of(&[], &[]));
        assert!(empty.contains(
            "<p>No views this week, so no engagement rate to set against the 3.4% median"
        ));
    }
}
