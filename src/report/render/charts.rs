//! The HTML report's charts, as inline SVG written with maud: no script, no external request.

use maud::{Markup, html};

use crate::analysis::insights::Cell;
use crate::report::fmt::group_thousands;
use crate::report::{PostEntry, TrendPoint};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const BLUE: &str = "#2563eb";
const ORANGE: &str = "#ea580c";

/// One row per post of the week: views (log scale, so a viral post does not flatten the rest) and
/// engagement rate (linear).
pub(crate) fn views_and_engagement(posts: &[PostEntry]) -> Markup {
    let row = 26.0;
    let height = 30.0 + row * posts.len().max(1) as f64;
    let max_log = posts
        .iter()
        .map(|p| log_views(p.post.views))
        .fold(1.0, f64::max);
    let max_rate = posts
        .iter()
        .filter_map(|p| p.engagement_rate)
        .fold(1.0, f64::max);
    let (label_w, views_w, rate_x, rate_w) = (92.0, 300.0, 500.0, 150.0);
    html! {
        svg class="chart" viewBox=(format!("0 0 760 {height}")) role="img"
            aria-label="Views and engagement rate per post" {
            text x=(label_w) y="14" class="axis" { "views (log scale)" }
            text x=(rate_x) y="14" class="axis" { "engagement rate" }
            @for (i, p) in posts.iter().enumerate() {
                @let y = 22.0 + row * i as f64;
                @let vw = views_w * log_views(p.post.views) / max_log;
                text x="0" y=(y + 14.0) class="label" { (p.post.posted_at.format("%a %d %b")) }
                rect x=(label_w) y=(y) width=(fmt(vw)) height="18" rx="2" fill=(BLUE) {
                    title { (group_thousands(p.post.views)) " views" }
                }
                text x=(fmt(label_w + vw + 4.0)) y=(y + 14.0) class="value" { (group_thousands(p.post.views)) }
                @if let Some(rate) = p.engagement_rate {
                    @let rw = rate_w * rate / max_rate;
                    rect x=(rate_x) y=(y) width=(fmt(rw)) height="18" rx="2" fill=(ORANGE) {
                        title { (format!("{rate:.2}%")) " engagement" }
                    }
                    text x=(fmt(rate_x + rw + 4.0)) y=(y + 14.0) class="value" { (format!("{rate:.2}%")) }
                } @else {
                    text x=(rate_x) y=(y + 14.0) class="value" { "no views" }
                }
            }
        }
    }
}

/// When posts went out: weekday × hour, shaded by the number of posts.
pub(crate) fn heatmap(cells: &[Cell], timezone: &str) -> Markup {
    let (left, top, w, h) = (40.0, 22.0, 28.0, 24.0);
    let most = cells.iter().map(|c| c.posts).max().unwrap_or(1).max(1) as f64;
    html! {
        svg class="chart" viewBox=(format!("0 0 {} {}", left + 24.0 * w + 4.0, top + 7.0 * h + 4.0))
            role="img" aria-label=(format!("Posts by weekday and hour ({timezone})")) {
            @for hour in (0..24).step_by(3) {
                text x=(fmt(left + hour as f64 * w + 2.0)) y="14" class="axis" { (format!("{hour:02}h")) }
            }
            @for (d, day) in WEEKDAYS.iter().enumerate() {
                text x="0" y=(fmt(top + d as f64 * h + 16.0)) class="label" { (day) }
                @for hour in 0..24u32 {
                    @let cell = cells.iter().find(|c| c.weekday == *day && c.hour == hour);
                    @let posts = cell.map_or(0, |c| c.posts);
                    @let opacity = if posts == 0 { 0.06 } else { 0.25 + 0.75 * posts as f64 / most };
                    rect x=(fmt(left + hour as f64 * w)) y=(fmt(top + d as f64 * h)) width=(w - 2.0) height=(h - 2.0)
                        rx="3" fill=(BLUE) fill-opacity=(fmt(opacity)) {
                        title {
                            (day) " " (format!("{hour:02}:00")) ": " (posts) " posts"
                            @if let Some(median) = cell.and_then(|c| c.median_views) {
                                ", median " (group_thousands(median.round() as u64)) " views"
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A small line chart of one series over the weeks of the trend.
pub(crate) fn trend(
    points: &[TrendPoint],
    title: &str,
    series: impl Fn(&TrendPoint) -> Option<f64>,
    show: impl Fn(f64) -> String,
) -> Markup {
    let (left, right, top, bottom, width, height) = (8.0, 8.0, 24.0, 22.0, 360.0, 150.0);
    let values: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| series(p).map(|v| (i, v)))
        .collect();
    let lo = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
    let hi = values.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let step = (width - left - right) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| top + (height - top - bottom) * (1.0 - (v - lo) / span);
    let line: Vec<String> = values
        .iter()
        .map(|&(i, v)| format!("{},{}", fmt(x(i)), fmt(y(v))))
        .collect();
    html! {
        svg class="chart trend" viewBox=(format!("0 0 {width} {height}")) role="img" aria-label=(title) {
            text x=(left) y="14" class="axis" { (title) }
            @if values.is_empty() {
                text x=(left) y="60" class="value" { "no data yet" }
            } @else {
                polyline points=(line.join(" ")) fill="none" stroke=(BLUE) stroke-width="2" {}
                @for &(i, v) in &values {
                    circle cx=(fmt(x(i))) cy=(fmt(y(v))) r="3.5" fill=(BLUE) {
                        title { (points[i].date) ": " (show(v)) }
                    }
                }
                @if let (Some(first), Some(last)) = (values.first(), values.last()) {
                    text x=(left) y=(height - 6.0) class="label" { (points[first.0].date.format("%d %b")) }
                    text x=(width - right) y=(height - 6.0) class="label" text-anchor="end" { (points[last.0].date.format("%d %b")) }
                    text x=(width - right) y="14" class="value" text-anchor="end" { (show(last.1)) }
                }
            }
        }
    }
}

fn log_views(views: u64) -> f64 {
    ((views as f64) + 1.0).log10()
}

/// Coordinates with one decimal: short, stable SVG.
fn fmt(v: f64) -> String {
    format!("{:.1}", v)
}
