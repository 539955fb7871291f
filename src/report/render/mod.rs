//! The readable outputs of a report: Markdown for chat and mail, a self-contained HTML page with
//! charts. Pure: a [`Report`] in, bytes out; both are made from the same
//! report data the JSON holds, and carry the same sections (the HTML draws some as charts).

mod charts;
mod heatmap;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod page;
pub(crate) mod rivals;

use chrono_tz::Tz;

use crate::analysis::followup::FollowUp;
use crate::analysis::insights::{Figures, Insights};
use crate::analysis::metrics::Metric;
use crate::analysis::recommend::rate_in_prose;
pub(crate) use crate::report::fmt::{
    count, decimal, movement, movement_text, percent, percent_text, plural, value,
};
use crate::report::{Output, PostEntry, Report};
use crate::text;

/// What the `new` mark of a ranked post means; printed under every list that uses it.
pub(crate) const NEW_LEGEND: &str =
    "posted less than 24 hours before the week ended; it has not had its chance yet.";

/// The bytes of `report` in the form `output`.
pub(crate) fn to_bytes(report: &Report, output: Output) -> Vec<u8> {
    match output {
        Output::Json => report.to_json(),
        Output::Md => markdown::render(report).into_bytes(),
        Output::Html => html::render(report).into_bytes(),
    }
}

/// What a week's row of the metrics table shows for `metric`, given the `posts` of that week:
/// its value, or `unknown` for saves none of the week's posts came with (the API did not send
/// them: a 0 there would be made up).
pub(crate) fn metric_cell(metric: Metric, v: Option<f64>, posts: Option<f64>) -> String {
    match (v, metric) {
        (None, Metric::TotalSaves | Metric::AvgSaves) if posts.is_some_and(|n| n > 0.0) => {
            "unknown".to_string()
        }
        _ => value(v, metric.kind()),
    }
}

/// The `this week` and `last week` cells of the metrics table for `metric`.
pub(crate) fn metric_cells(report: &Report, metric: Metric) -> (String, String) {
    let m = &report.metrics;
    let previous = |metric: Metric| report.deltas.get(&metric).and_then(|d| d.previous);
    (
        metric_cell(
            metric,
            metric.value(m, &report.account),
            Some(m.post_count as f64),
        ),
        metric_cell(metric, previous(metric), previous(Metric::PostCount)),
    )
}

/// The length buckets, formats and sounds that have posts, named for a table's first column.
pub(crate) fn length_and_format(i: &Insights) -> Vec<(String, &Figures)> {
    let durations = i
        .durations
        .iter()
        .map(|b| (b.bucket.to_string(), &b.figures));
    let formats = i
        .formats
        .by_format
        .iter()
        .map(|k| (k.kind.to_string(), &k.figures));
    let sounds = i
        .formats
        .by_sound
        .iter()
        .map(|k| (format!("{} sound", k.kind), &k.figures));
    durations
        .chain(formats)
        .chain(sounds)
        .filter(|(_, f)| f.posts > 0)
        .collect()
}

/// What an empty top or bottom list says: no post had views, or every post with views (each has
/// a rate) is already in the top list.
pub(crate) fn empty_list(report: &Report) -> &'static str {
    if report.top.is_empty() {
        "No posts with views."
    } else {
        "All rated posts are in the top list."
    }
}

/// What the top and bottom lists say above themselves when the week's engagement rates all sit
/// within a narrow band (see [`crate::analysis::ranking::NARROW_BAND`]); `None` otherwise.
pub(crate) fn narrow_band(report: &Report) -> Option<String> {
    let band = report.engagement_band.filter(|b| b.narrow)?;
    Some(format!(
        "This week's engagement rates all sit between {} and {}: the order below is noise, not a \
         lesson.",
        rate_in_prose(band.low),
        rate_in_prose(band.high)
    ))
}

/// The posts without a hashtag, as the hashtag table's last row: (share of the basis's posts,
/// posts, their views, engagement rate); `None` when every post has one.
pub(crate) fn untagged(i: &Insights) -> Option<(String, usize, String, String)> {
    let untagged = &i.hashtags.without_hashtags;
    let f = &untagged.figures;
    let avg = f.avg_views.filter(|_| f.posts > 0)?;
    Some((
        percent(untagged.share_pct),
        f.posts,
        count(Some((avg * f.posts as f64).round() as u64)),
        percent(f.engagement_rate),
    ))
}

/// The week's breakouts, strongest first.
pub(crate) fn breakouts(report: &Report) -> Vec<&PostEntry> {
    let mut list: Vec<&PostEntry> = report.posts.iter().filter(|e| e.breakout).collect();
    list.sort_by(|a, b| {
        b.vs_median
            .unwrap_or(0.0)
            .total_cmp(&a.vs_median.unwrap_or(0.0))
    });
    list
}

/// What the breakouts section says above its list.
pub(crate) const BREAKOUTS_INTRO: &str = "Posts with at least 3× the median views of your other \
     posts (this week's and the earlier reports'):";

/// `9.8×`: a post's views against the median of the others.
pub(crate) fn multiple(vs_median: Option<f64>) -> String {
    vs_median.map_or_else(|| "n/a".into(), |v| format!("{}×", decimal(v, 1)))
}

/// How many weeks back the previous report is, when weeks were skipped: `Some(2)`; `None` for
/// last week's (or none).
fn skipped_to(report: &Report) -> Option<u64> {
    report.weeks_since_previous().filter(|weeks| *weeks > 1)
}

/// The metrics table's column of the previous report: `last week`, or `2 weeks before` when the
/// report compared with is older.
pub(crate) fn previous_column(report: &Report) -> String {
    match skipped_to(report) {
        Some(weeks) => format!("{weeks} weeks before"),
        None => "last week".into(),
    }
}

/// The heading of the posts of the previous report seen again.
pub(crate) fn followup_heading(report: &Report) -> String {
    match skipped_to(report) {
        Some(weeks) => format!("Posts of {weeks} weeks before, {weeks} weeks later"),
        None => "Last week's posts, a week later".into(),
    }
}

/// `3 of last week's 4 posts were seen again on this week's pages (no extra request).`, or `… of
/// the 4 posts of 2 weeks before …` when the previous report is older.
pub(crate) fn followup_sentence(report: &Report) -> String {
    let posts_then = (report.deltas.get(&Metric::PostCount))
        .and_then(|d| d.previous)
        .map(|n| plural(n as u64, "post"));
    let seen = report.followup.len() as u64;
    let verb = if seen == 1 { "was" } else { "were" };
    let which = match (posts_then, skipped_to(report)) {
        (Some(then), None) => format!("{seen} of last week's {then}"),
        (Some(then), Some(weeks)) => format!("{seen} of the {then} of {weeks} weeks before"),
        (None, None) => format!("{} of last week", plural(seen, "post")),
        (None, Some(weeks)) => format!("{} of {weeks} weeks before", plural(seen, "post")),
    };
    format!("{which} {verb} seen again on this week's pages (no extra request).")
}

/// `+25.00%`, or `from 0` when the post had no views a week ago.
pub(crate) fn growth(f: &FollowUp) -> String {
    match f.growth_pct {
        Some(g) => format!(
            "{}{}%",
            if g < 0.0 { "-" } else { "+" },
            decimal(g.abs(), 2)
        ),
        None => "from 0".into(),
    }
}

/// The time zone the report's insights use (the run's `--tz`), for the times of posts; UTC when
/// its name is not one this build knows (an edited report, say).
pub(crate) fn timezone(report: &Report) -> Tz {
    timezone_name(report).parse().unwrap_or(Tz::UTC)
}

/// The name of the time zone the report's insights use; `UTC` for a report without insights.
pub(crate) fn timezone_name(report: &Report) -> &str {
    report
        .insights
        .as_ref()
        .map_or("UTC", |i| i.timezone.as_str())
}

/// The link of a post when `url` has exactly the shape the run builds,
/// `https://www.tiktok.com/@<user>/video/<digits>`; `None` for anything else (an old or edited saved
/// report, say), which is then shown as plain text. So no URL can break out of a Markdown link or
/// point a reader elsewhere.
pub(crate) fn post_link<'a>(url: &'a str, user: &str) -> Option<&'a str> {
    let handle_like = !user.is_empty()
        && (user.bytes())
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    let id = url
        .strip_prefix("https://www.tiktok.com/@")?
        .strip_prefix(user)?
        .strip_prefix("/video/")?;
    let numeric = (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    (handle_like && numeric).then_some(url)
}

/// A caption on one line, cleaned (see [`text::clean`]), its runs of white space made one space;
/// `(no caption)` when nothing is left.
pub(crate) fn one_line(caption: &str) -> String {
    let line = text::one_line(caption);
    if line.is_empty() {
        "(no caption)".to_string()
    } else {
        line
    }
}

/// A caption cut to `max` characters on a word boundary (anywhere when it has no space), one line,
/// cleaned (see [`one_line`]).
pub(crate) fn short_caption(caption: &str, max: usize) -> String {
    text::cut_on_word(one_line(caption), max)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;
    use crate::model::{Account, Post, Window};
    use crate::report::{self, Inputs};

    /// A report of `@xy` for the week to 2026-11-15 20:00 UTC holding `posts`, their
    /// `data_quality` notes replaced by `notes`.
    pub(crate) fn report_of(posts: &[Post], notes: &[&str]) -> Report {
        let end = "2026-11-15T20:00:00Z".parse().unwrap();
        let mut report = report::build(Inputs {
            user: &"xy".parse().unwrap(),
            generated_at: end,
            window: Window::week_ending(end),
            account: &Account::default(),
            posts,
            previous: None,
            history: &[],
            history_weeks: 4,
            tz: chrono_tz::Tz::UTC,
            api: Default::default(),
            fetch_notes: &[],
            industry: Default::default(),
        });
        report.insights.as_mut().unwrap().data_quality =
            notes.iter().map(|n| n.to_string()).collect();
        report
    }

    /// A post of the report's week with an outside caption, hashtag and link.
    pub(crate) fn hostile(id: &str, url: &str) -> Post {
        let mut p = post(id, 1_794_600_000, 1_000, 10, 1, 1);
        p.caption = "a | b ] [c](javascript:x) `d` \u{1b}[31mred\u{202e}gnp.exe\nnext".into();
        p.url = url.into();
        p.hashtags = vec!["tag|x]\u{1b}[2Kz".into()];
        p
    }

    #[test]
    fn a_previous_report_two_weeks_back_is_never_called_last_week() {
        let mut report = report_of(&[post("1", 1_794_600_000, 1_000, 10, 1, 1)], &[]);
        for (date, column, heading) in [
            ("2026-11-08", "last week", "Last week's posts, a week later"),
            (
                "2026-11-01",
                "2 weeks before",
                "Posts of 2 weeks before, 2 weeks later",
            ),
        ] {
            report.previous = Some(report::PreviousRef {
                date: date.parse().unwrap(),
                file: format!("report_{date}.json"),
            });
            let md = markdown::render(&report);
            assert!(
                md.contains(&format!("| | this week | {column} | change |")),
                "{md}"
            );
            assert!(md.contains(&format!("\n## {heading}\n")), "{md}");
            let html = html::render(&report);
            assert!(html.contains(&format!("<th>{column}</th>")));
            assert!(html.contains(&format!("<h2>{heading}</h2>")));
        }
        assert!(!markdown::render(&report).contains("last week"));
    }

    #[test]
    fn a_post_without_readable_statistics_shows_unknown_counts_never_zero_views() {
        let mut unread = post("2", 1_794_600_000, 0, 0, 0, 0);
        unread.has_statistics = false;
        let report = report_of(&[post("1", 1_794_500_000, 1_000, 10, 1, 1), unread], &[]);
        let md = markdown::render(&report);
        let (_, table) = md.split_once("## Views and engagement per post").unwrap();
        let rows: Vec<&str> = (table.lines())
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.contains("| (no caption) |"))
            .collect();
        assert_eq!(rows.len(), 2, "{table}");
        // Newest first: the unread post, then the other.
        assert!(rows[0].ends_with("| unknown | n/a |"), "{rows:?}");
        assert!(rows[1].ends_with("| 1,000 | 1.20% |"), "{rows:?}");
        let html = html::render(&report);
        assert_eq!(html.matches("counts unknown: the API sent none").count(), 1);
        assert!(!html.contains("<title>0 views</title>"), "{html}");
    }

    #[test]
    fn post_links_are_only_the_canonical_shape() {
        let ok = "https://www.tiktok.com/@xy/video/7578000000000000304";
        assert_eq!(post_link(ok, "xy"), Some(ok));
        for bad in [
            "https://www.tiktok.com/@xy/video/",
            "https://www.tiktok.com/@xy/video/123)",
            "https://www.tiktok.com/@xy/video/12?x=1",
            "https://www.tiktok.com/@xy/video/12\n[a](https://evil.example)",
            "https://www.tiktok.com/@other/video/12",
            "https://www.tiktok.com/@xyz/video/12",
            "http://www.tiktok.com/@xy/video/12",
            "https://www.tiktok.com.evil.example/@xy/video/12",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(post_link(bad, "xy"), None, "{bad:?}");
        }
        assert_eq!(post_link("https://www.tiktok.com/@/video/12", ""), None);
        assert_eq!(
            post_link("https://www.tiktok.com/@x)y/video/12", "x)y"),
            None
        );
    }

    #[test]
    fn only_saves_are_unknown_when_missing_in_a_week_with_posts() {
        use Metric::*;
        assert_eq!(metric_cell(TotalSaves, None, Some(3.0)), "unknown");
        assert_eq!(metric_cell(AvgSaves, None, Some(1.0)), "unknown");
        assert_eq!(metric_cell(TotalSaves, None, Some(0.0)), "n/a", "no posts");
        assert_eq!(metric_cell(TotalSaves, None, None), "n/a", "no such week");
        assert_eq!(metric_cell(AvgViews, None, Some(3.0)), "n/a");
        assert_eq!(metric_cell(TotalSaves, Some(0.0), Some(3.0)), "0");
        assert_eq!(metric_cell(AvgSaves, Some(479.4), Some(5.0)), "479");
    }

    #[test]
    fn captions_are_cut_on_a_word() {
        assert_eq!(
            short_caption("the 3 second espresso trick #coffee", 20),
            "the 3 second…"
        );
        assert_eq!(short_caption("  ", 20), "(no caption)");
        assert_eq!(short_caption("a\nb", 20), "a b");
        assert_eq!(
            short_caption("\u{1b}[31mred\u{202e}txt.exe", 20),
            "redtxt.exe"
        );
        assert_eq!(short_caption(&"x".repeat(300), 5), "xxxxx…");
    }
}
