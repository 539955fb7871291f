//! The HTML report's charts, as inline SVG written with maud: no script, no external request.
//!
//! An SVG scales its text with its width, so each chart is drawn narrow (250 to 360 viewBox units
//! across, text at 12 units) and stacks rather than spreads: its text reads at 10 px or more on a
//! 390 px phone, and the page caps how wide a chart grows on a desktop. Text from outside (a
//! caption) is cleaned and cut to the room it has, since SVG text never wraps.

use chrono_tz::Tz;
use maud::{Markup, html};

use super::one_line;
use crate::report::fmt::{group_thousands, percent, plural};
use crate::report::{PostEntry, TrendPoint};

const BLUE: &str = "#2563eb";
const ORANGE: &str = "#ea580c";
/// The font size of every chart's text, in viewBox units (the page's CSS sets it).
const FONT: f64 = 12.0;
/// Roughly how far a capital letter reaches above the baseline at [`FONT`].
const CAP: f64 = 9.0;

/// The per-post chart's width in viewBox units.
const POSTS_WIDTH: f64 = 360.0;
/// The height of one post's rows: its label, its views bar and its engagement bar.
const POST_ROW: f64 = 50.0;
/// Room right of a bar for its value, `5,123,456,789` at [`FONT`].
const VALUE_ROOM: f64 = 96.0;
/// Where a post's label starts: a little in, as some glyphs reach left of their origin.
const INSET: f64 = 2.0;

/// One post of the week per row: its date, time and caption, then its views and its engagement
/// rate as two bars, each on a linear scale from zero (a bar twice as long is twice the number: a
/// log scale would draw a 10× breakout barely longer than the rest), each with its number beside
/// it. Times in `tz`.
pub(crate) fn views_and_engagement(posts: &[PostEntry], tz: Tz) -> Markup {
    let top = 24.0;
    let height = top + POST_ROW * posts.len().max(1) as f64;
    let bar = POSTS_WIDTH - VALUE_ROOM;
    let max_views = posts.iter().map(|p| p.post.views).max().unwrap_or(0).max(1) as f64;
    let max_rate = posts
        .iter()
        .filter_map(|p| p.engagement_rate)
        .fold(1.0, f64::max);
    html! {
        svg class="chart posts" viewBox=(format!("0 0 {POSTS_WIDTH} {height}")) role="img"
            aria-label="Views and engagement rate per post" {
            rect x="0" y="5" width="10" height="10" rx="2" fill=(BLUE) {}
            text x="14" y="14" class="axis" { "views" }
            rect x="150" y="5" width="10" height="10" rx="2" fill=(ORANGE) {}
            text x="164" y="14" class="axis" { "engagement rate" }
            @if posts.is_empty() {
                text x=(INSET) y=(fmt(top + 14.0)) class="value" { "no posts this week" }
            }
            @for (i, p) in posts.iter().enumerate() {
                @let y = top + POST_ROW * i as f64;
                @let vw = bar * p.post.views as f64 / max_views;
                text x=(INSET) y=(fmt(y + 12.0)) class="label" {
                    title { (one_line(&p.post.caption)) }
                    (post_label(p, tz, POSTS_WIDTH - 2.0 * INSET))
                }
                // A post without readable statistics has unknown counts, not 0 views.
                @if !p.post.has_statistics {
                    text x=(INSET) y=(fmt(y + 27.0)) class="value" { "counts unknown: the API sent none" }
                } @else {
                    rect x="0" y=(fmt(y + 17.0)) width=(fmt(vw)) height="12" rx="2" fill=(BLUE) {
                        title { (plural(p.post.views, "view")) }
                    }
                    text x=(fmt(vw + 4.0)) y=(fmt(y + 27.0)) class="value" { (group_thousands(p.post.views)) }
                    @if let Some(rate) = p.engagement_rate {
                        @let rw = bar * rate / max_rate;
                        rect x="0" y=(fmt(y + 32.0)) width=(fmt(rw)) height="12" rx="2" fill=(ORANGE) {
                            title { (percent(Some(rate))) " engagement" }
                        }
                        text x=(fmt(rw + 4.0)) y=(fmt(y + 42.0)) class="value" { (percent(Some(rate))) }
                    } @else {
                        text x=(INSET) y=(fmt(y + 42.0)) class="value" { "no views, no rate" }
                    }
                }
            }
        }
    }
}

/// `Sat 21 Nov 18:05 · the 3 second espresso…`: when the post went out (in `tz`) and as much of
/// its caption as fits `width` viewBox units at [`FONT`].
fn post_label(entry: &PostEntry, tz: Tz, width: f64) -> String {
    let when = entry
        .post
        .posted_at
        .with_timezone(&tz)
        .format("%a %d %b %H:%M")
        .to_string();
    let head = format!("{when} · ");
    let room = width / FONT - em_width(&head);
    format!("{head}{}", fit(&one_line(&entry.post.caption), room))
}

/// The trend chart's size in viewBox units: three fit side by side on a desktop.
const TREND_WIDTH: f64 = 250.0;
const TREND_HEIGHT: f64 = 140.0;

/// A small line chart of one series over the weeks of the trend, its last value written next to
/// its last point.
pub(crate) fn trend(
    points: &[TrendPoint],
    title: &str,
    series: impl Fn(&TrendPoint) -> Option<f64>,
    show: impl Fn(f64) -> String,
) -> Markup {
    let (left, top, bottom) = (8.0, 30.0, TREND_HEIGHT - 26.0);
    let values: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| series(p).map(|v| (i, v)))
        .collect();
    let last_label = values.last().map(|&(_, v)| show(v)).unwrap_or_default();
    // The plot leaves room on its right for the last value, written beside its point.
    let right = TREND_WIDTH - label_room(&last_label);
    let lo = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
    let hi = values.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
    let step = (right - left) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| {
        if hi > lo {
            top + (bottom - top) * (1.0 - (v - lo) / (hi - lo))
        } else {
            (top + bottom) / 2.0
        }
    };
    let line: Vec<String> = values
        .iter()
        .map(|&(i, v)| format!("{},{}", fmt(x(i)), fmt(y(v))))
        .collect();
    html! {
        svg class="chart trend" viewBox=(format!("0 0 {TREND_WIDTH} {TREND_HEIGHT}")) role="img" aria-label=(title) {
            text x=(left) y="16" class="axis" { (title) }
            @if values.is_empty() {
                text x=(left) y="60" class="value" { "no data yet" }
            } @else {
                polyline points=(line.join(" ")) fill="none" stroke=(BLUE) stroke-width="2" {}
                @for &(i, v) in &values {
                    circle cx=(fmt(x(i))) cy=(fmt(y(v))) r="3.5" fill=(BLUE) {
                        title { (points[i].date) ": " (show(v)) }
                    }
                }
                @if let (Some(&(first, _)), Some(&(last, v))) = (values.first(), values.last()) {
                    @let (lx, ly) = point_label(x(last), y(v));
                    text x=(fmt(lx)) y=(fmt(ly)) class="value" { (last_label) }
                    text x=(fmt(x(first))) y=(TREND_HEIGHT - 6.0) class="label" { (points[first].date.format("%d %b")) }
                    @if last != first {
                        text x=(fmt(x(last))) y=(TREND_HEIGHT - 6.0) class="label" text-anchor="end" { (points[last].date.format("%d %b")) }
                    }
                }
            }
        }
    }
}

/// The gap between a trend's last point and its label.
const LABEL_GAP: f64 = 6.0;

/// How much of a trend chart's width its last value's label takes, gap included.
fn label_room(label: &str) -> f64 {
    LABEL_GAP + em_width(label) * FONT + 4.0
}

/// Where the label of a trend's last point at (`px`, `py`) starts: just right of the point, its
/// middle level with it, whatever the value (the plot leaves [`label_room`] on the right, so the
/// label stays inside the chart).
fn point_label(px: f64, py: f64) -> (f64, f64) {
    (px + LABEL_GAP, py + CAP / 2.0)
}

/// `text` cut (on a space in its second half when there is one, else anywhere) with `…` so that
/// it takes at most `room` em.
fn fit(text: &str, room: f64) -> String {
    if em_width(text) <= room {
        return text.to_string();
    }
    let room = room - em_width("…");
    let mut used = 0.0;
    let mut cut = String::new();
    for c in text.chars() {
        used += char_em(c);
        if used > room {
            break;
        }
        cut.push(c);
    }
    let cut = match cut.rfind(' ') {
        Some(space) if space >= cut.len() / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// A generous estimate of how wide `text` is drawn, in em: the advance widths of DejaVu Sans (the
/// widest of the usual sans-serif fonts, and Linux's default) rounded up, so that a cut label fits
/// its chart in any of them.
fn em_width(text: &str) -> f64 {
    text.chars().map(char_em).sum()
}

fn char_em(c: char) -> f64 {
    match c {
        ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '·' | 'i' | 'j' | 'l' | 'I' | 'J' => 0.34,
        'f' | 'r' | 't' | '(' | ')' | '[' | ']' | '!' | '-' | '/' | '\\' => 0.42,
        'W' | 'm' | '%' | '@' | '—' | '…' => 1.0,
        'M' | 'w' | '#' | '+' | '<' | '=' | '>' | '^' | '~' => 0.9,
        'A'..='Z' | '&' => 0.8,
        c if c.is_ascii() => 0.66,
        c if is_wide(c) => 1.25,
        _ => 0.92,
    }
}

/// East Asian wide characters and emoji, drawn about a full em wide.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x2600..=0x27BF | 0x1F000..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// Coordinates with one decimal: short, stable SVG.
fn fmt(v: f64) -> String {
    format!("{:.1}", v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;
    use chrono::NaiveDate;

    fn week(day: u32, views: u64) -> TrendPoint {
        TrendPoint {
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            posts: 3,
            views,
            engagement_rate: None,
            followers: None,
        }
    }

    /// The (x, y) of the text holding `label` in `svg`.
    fn position_of(svg: &str, label: &str) -> (f64, f64) {
        let end = svg.find(&format!(">{label}</text>")).unwrap();
        let start = svg[..end].rfind("<text").unwrap();
        let attr = |name: &str| -> f64 {
            let tag = &svg[start..end];
            let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[from..][..tag[from..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        (attr("x"), attr("y"))
    }

    fn views_chart(points: &[TrendPoint]) -> String {
        trend(
            points,
            "Views",
            |p| Some(p.views as f64),
            |v| group_thousands(v as u64),
        )
        .into_string()
    }

    /// The centre of the last point drawn in `svg`.
    fn last_point(svg: &str) -> (f64, f64) {
        let circle = &svg[svg.rfind("<circle").unwrap()..];
        let attr = |name: &str| -> f64 {
            let from = circle.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            circle[from..][..circle[from..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        (attr("cx"), attr("cy"))
    }

    #[test]
    fn the_last_value_is_written_beside_its_point_even_when_it_is_the_lowest() {
        let svg = views_chart(&[week(1, 9_000), week(8, 12_000), week(15, 1_000)]);
        let (px, py) = last_point(&svg);
        assert_eq!(py, 114.0, "the lowest point sits at the plot's bottom");
        // Its label starts 6 units right of it, level with it: low in the chart, not at its top
        // right, and inside the chart.
        let (x, y) = position_of(&svg, "1,000");
        assert_eq!((x, y), (px + 6.0, 118.5));
        assert!(x + em_width("1,000") * FONT <= TREND_WIDTH, "{svg}");

        let svg = views_chart(&[week(1, 1_000), week(8, 12_000)]);
        let (px, py) = last_point(&svg);
        assert_eq!(py, 30.0, "the highest point sits at the plot's top");
        assert_eq!(position_of(&svg, "12,000"), (px + 6.0, 34.5));
    }

    #[test]
    fn a_long_last_value_narrows_the_plot_so_that_it_stays_inside() {
        let svg = views_chart(&[week(8, 156_500), week(15, 5_123_649_469)]);
        let (x, _) = position_of(&svg, "5,123,649,469");
        let drawn = em_width("5,123,649,469") * FONT;
        assert!(x + drawn <= TREND_WIDTH, "{x} + {drawn}");
        assert_eq!(point_label(100.0, 50.0), (106.0, 54.5));
    }

    #[test]
    fn a_flat_or_single_week_trend_draws_its_point_mid_height() {
        let svg = views_chart(&[week(15, 4_000)]);
        assert!(svg.contains("cy=\"72.0\""), "{svg}");
        assert_eq!(svg.matches("15 Nov").count(), 1, "one date label: {svg}");
    }

    #[test]
    fn post_rows_are_labelled_with_date_time_and_a_caption_that_fits() {
        let mut p = post("1", 1_794_600_000, 1_000, 10, 1, 1);
        p.caption = "x".repeat(300);
        let entry = PostEntry::new(
            p,
            chrono::DateTime::from_timestamp(1_794_772_800, 0).unwrap(),
            &crate::analysis::breakout::Baseline::of([]),
        );
        let label = post_label(&entry, chrono_tz::Europe::Berlin, POSTS_WIDTH);
        assert!(label.starts_with("Fri 13 Nov 21:00 · xxx"), "{label}");
        assert!(label.ends_with('…'));
        assert!(em_width(&label) * FONT <= POSTS_WIDTH, "{label}");

        let mut short = entry.clone();
        short.post.caption = "moka pot\nvs aeropress".into();
        let label = post_label(&short, Tz::UTC, POSTS_WIDTH);
        assert_eq!(label, "Fri 13 Nov 20:00 · moka pot vs aeropress");
    }

    /// The widths of the views bars (blue) of `svg`, in order.
    fn views_bars(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(2)
            .filter(|r| r.contains(&format!("fill=\"{BLUE}\"")))
            .map(|r| {
                let from = r.find(" width=\"").unwrap() + 8;
                r[from..][..r[from..].find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn views_bars_are_to_scale_from_zero() {
        let base = crate::analysis::breakout::Baseline::of([]);
        let end = chrono::DateTime::from_timestamp(1_794_772_800, 0).unwrap();
        let entries: Vec<PostEntry> = [("1", 40_000), ("2", 10_000), ("3", 1_000), ("4", 0)]
            .into_iter()
            .map(|(id, views)| PostEntry::new(post(id, 1_794_600_000, views, 10, 1, 1), end, &base))
            .collect();
        let svg = views_and_engagement(&entries, Tz::UTC).into_string();
        assert!(
            svg.contains(">views</text>") && !svg.contains("log"),
            "{svg}"
        );
        let bar = POSTS_WIDTH - VALUE_ROOM;
        // 40,000 is the whole bar; 10,000 a quarter of it, 1,000 a fortieth: 264 × 1/40 = 6.6.
        assert_eq!(views_bars(&svg), [bar, bar / 4.0, 6.6, 0.0]);
    }

    #[test]
    fn captions_are_cut_to_their_room_on_a_space_when_one_is_near() {
        assert_eq!(fit("short", 10.0), "short");
        assert_eq!(
            fit("the espresso ratio nobody tells you", 12.0),
            "the espresso ratio…"
        );
        let wide = fit(&"咖啡".repeat(40), 20.0);
        assert!(em_width(&wide) <= 20.0, "{wide}");
        assert!(
            wide.chars().count() < 20,
            "wide characters take more room: {wide}"
        );
    }
}
