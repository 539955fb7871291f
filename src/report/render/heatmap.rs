//! The HTML report's heatmap of posting times: a column per weekday, a row per hour, each hour
//! shaded by how its posts did (their median views against the account's median, the insights'
//! basis's), not by how many went out; an hour of a single post is drawn as a dot, since one result
//! is not a pattern. Beside it, its legend in words; each cell's tooltip holds its count.
//!
//! The bands' edges are those of the recommendations (1.25× and 0.75× the account's median), so
//! a slot the advice names stands out in the same colour a reader looks for. Pure: cells in, SVG
//! and HTML out.

use maud::{Markup, html};

use crate::analysis::insights::{Cell, WEEKDAYS};
use crate::report::fmt::{decimal, group_thousands, plural};

/// At least this many times the account's median, and an hour did well: the recommendations'
/// `best_time` and `double_down` threshold.
pub(crate) const ABOVE: f64 = 1.25;
/// At most this many times the account's median, and an hour did poorly: the `drop` threshold.
pub(crate) const BELOW: f64 = 0.75;
/// Twice (or half) the account's median: far from it.
const FAR: f64 = 2.0;

/// How an hour's posts did against the account's median.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Band {
    /// At least [`FAR`]× the median.
    FarAbove,
    /// From [`ABOVE`]× to [`FAR`]×.
    Above,
    /// Between [`BELOW`]× and [`ABOVE`]×.
    About,
    /// From 1/[`FAR`]× to [`BELOW`]×.
    Below,
    /// At most 1/[`FAR`]× the median.
    FarBelow,
}

impl Band {
    /// The bands from best to worst, as the legend lists them.
    const ALL: [Band; 5] = [
        Band::FarAbove,
        Band::Above,
        Band::About,
        Band::Below,
        Band::FarBelow,
    ];

    /// The band of a median `ratio` times the account's.
    pub(crate) fn of(ratio: f64) -> Self {
        match ratio {
            r if r >= FAR => Band::FarAbove,
            r if r >= ABOVE => Band::Above,
            r if r > BELOW => Band::About,
            r if r > 1.0 / FAR => Band::Below,
            _ => Band::FarBelow,
        }
    }

    /// Its colour: blue above the median, grey about it, orange below (a scale that reads without
    /// telling red from green).
    pub(crate) fn colour(self) -> &'static str {
        match self {
            Band::FarAbove => "#1d4ed8",
            Band::Above => "#93c5fd",
            Band::About => "#a1a1aa",
            Band::Below => "#fdba74",
            Band::FarBelow => "#c2410c",
        }
    }

    /// Its words in the legend.
    fn words(self) -> &'static str {
        match self {
            Band::FarAbove => "2× your median views or more",
            Band::Above => "1.25× to 2× your median",
            Band::About => "about your median (0.75× to 1.25×)",
            Band::Below => "0.5× to 0.75× your median",
            Band::FarBelow => "half your median or less",
        }
    }
}

/// The colour of an hour without posts.
const EMPTY: &str = "#f3f4f6";
/// The outline of an hour whose posts have no view count (photos may report none).
const NO_VIEWS: &str = "#6b7280";

/// How one hour of the week is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shade {
    /// No post went out in it.
    Empty,
    /// Its posts have no view count, or the account has no median to compare with.
    NoViews,
    /// Two or more posts with views: a filled cell of their median's band.
    Filled(Band, f64),
    /// One post with views: a dot of its band.
    Single(Band, f64),
}

/// How `cell` is shaded against the account's median views `typical`; `cell` `None` is an hour
/// without posts.
pub(crate) fn shade(cell: Option<&Cell>, typical: Option<f64>) -> Shade {
    let Some(cell) = cell.filter(|c| c.posts > 0) else {
        return Shade::Empty;
    };
    let typical = typical.filter(|t| *t > 0.0);
    match (cell.median_views, typical) {
        (Some(median), Some(typical)) => {
            let ratio = median / typical;
            match cell.posts {
                1 => Shade::Single(Band::of(ratio), ratio),
                _ => Shade::Filled(Band::of(ratio), ratio),
            }
        }
        _ => Shade::NoViews,
    }
}

/// The cell's tooltip: `Thu 18:00–19:00: 3 posts, median 12,000 views, 1.4× your median of
/// 8,500`.
pub(crate) fn title(day: &str, hour: u32, cell: Option<&Cell>, typical: Option<f64>) -> String {
    let when = format!("{day} {hour:02}:00–{:02}:00", (hour + 1) % 24);
    let posts = cell.map_or(0, |c| c.posts);
    let versus = |ratio: f64| {
        typical.map_or_else(String::new, |t| {
            format!(
                ", {}× your median of {}",
                decimal(ratio, 1),
                group_thousands(t.round() as u64)
            )
        })
    };
    let median = cell.and_then(|c| c.median_views).map(|m| m.round() as u64);
    match (shade(cell, typical), median) {
        (Shade::Empty, _) => format!("{when}: no posts"),
        (Shade::Single(_, ratio), Some(views)) => {
            format!("{when}: 1 post, {}{}", plural(views, "view"), versus(ratio))
        }
        (Shade::Filled(_, ratio), Some(views)) => format!(
            "{when}: {}, median {}{}",
            plural(posts as u64, "post"),
            plural(views, "view"),
            versus(ratio)
        ),
        _ => format!(
            "{when}: {}, no view count to compare",
            plural(posts as u64, "post")
        ),
    }
}

/// The week as a calendar of hours (times in `timezone`), each shaded against `typical`, the
/// account's median views.
pub(crate) fn heatmap(cells: &[Cell], typical: Option<f64>, timezone: &str) -> Markup {
    let (left, top, w, h) = (44.0, 22.0, 34.0, 12.0);
    let label = format!("Median views by weekday and hour against your median ({timezone})");
    html! {
        svg class="chart heatmap" viewBox=(format!("0 0 {} {}", left + 7.0 * w, top + 24.0 * h + 2.0))
            role="img" aria-label=(label) {
            @for (d, day) in WEEKDAYS.iter().enumerate() {
                text x=(fmt(left + d as f64 * w + (w - 2.0) / 2.0)) y="14" class="label" text-anchor="middle" { (day) }
            }
            @for hour in (0..24).step_by(3) {
                text x=(fmt(left - 6.0)) y=(fmt(top + hour as f64 * h + 10.0)) class="axis" text-anchor="end" { (format!("{hour:02}:00")) }
            }
            @for (d, day) in WEEKDAYS.iter().enumerate() {
                @for hour in 0..24u32 {
                    @let cell = cells.iter().find(|c| c.weekday == *day && c.hour == hour);
                    @let (x, y) = (left + d as f64 * w, top + hour as f64 * h);
                    g class="cell" {
                        title { (title(day, hour, cell, typical)) }
                        (cell_shape(shade(cell, typical), x, y, w - 2.0, h - 2.0))
                    }
                }
            }
        }
    }
}

/// One hour's shape: a rectangle `w` × `h` at (`x`, `y`), filled, outlined, or holding a dot.
fn cell_shape(shade: Shade, x: f64, y: f64, w: f64, h: f64) -> Markup {
    let rect = |fill: &str| {
        html! { rect x=(fmt(x)) y=(fmt(y)) width=(fmt(w)) height=(fmt(h)) rx="2" fill=(fill) {} }
    };
    match shade {
        Shade::Empty => rect(EMPTY),
        Shade::Filled(band, _) => rect(band.colour()),
        Shade::Single(band, _) => html! {
            (rect(EMPTY))
            circle cx=(fmt(x + w / 2.0)) cy=(fmt(y + h / 2.0)) r="4" fill=(band.colour()) {}
        },
        Shade::NoViews => html! {
            rect x=(fmt(x + 0.5)) y=(fmt(y + 0.5)) width=(fmt(w - 1.0)) height=(fmt(h - 1.0)) rx="2"
                fill="#ffffff" stroke=(NO_VIEWS) stroke-dasharray="2 2" {}
        },
    }
}

/// What the heatmap's colours mean, in words, to sit beside it: against `typical` (the account's
/// median views over the basis), a line for an hour without a view count only when `cells` have
/// one.
pub(crate) fn legend(cells: &[Cell], typical: Option<f64>) -> Markup {
    let typical = typical.filter(|t| *t > 0.0);
    let shades: Vec<Shade> = cells.iter().map(|c| shade(Some(c), typical)).collect();
    let no_views = shades.contains(&Shade::NoViews);
    html! {
        div.legend {
            @if let Some(t) = typical {
                p {
                    "Each hour is shaded by the median views of its posts against your median of "
                    (plural(t.round() as u64, "view")) ", not by how many went out. A dot is an hour of a single post: one result, not a pattern. A cell's tooltip gives its posts."
                }
                ul {
                    @for band in Band::ALL {
                        li { span.swatch style=(format!("background:{}", band.colour())) {} (band.words()) }
                    }
                    li { span.swatch.dot style=(format!("background:{}", Band::About.colour())) {} "a single post, coloured as above" }
                    li { span.swatch style=(format!("background:{EMPTY}")) {} "no posts" }
                    @if no_views {
                        li { span.swatch.none {} "posts without a view count" }
                    }
                }
            } @else {
                p { "No post has a view count yet, so the hours are not shaded by views: an outlined hour had posts." }
            }
        }
    }
}

/// Coordinates with one decimal: short, stable SVG.
fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests;
