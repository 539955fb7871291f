//! The **Competitors** section of a report (only when it has `competitors`), in HTML here and in
//! Markdown (`markdown/rivals.rs`) from the same lines: a table with the account first, then each rival, where the account stands
//! against each, and what worked for each rival this week (its most viewed post, when it went out,
//! its hashtags, its length and format) in words a creator can copy. Pure.

use chrono_tz::Tz;
use maud::{Markup, html};

use super::{count, decimal, percent, percent_text, plural, post_link, short_caption};
use crate::model::Format;
use crate::report::competitors::{Competitor, Status, TopPost};
use crate::report::{Headline, Report};
use crate::text::clean;

/// What the section says under its title.
pub(super) const INTRO: &str = "The same week for each competitor, from its own report (saved in its own \
     folder). Views change is since each one's previous report.";

/// One line of the table: whose, and its cells (posts, views, median views, engagement,
/// followers, views change), or a failed rival's reason.
pub(super) struct Line {
    pub(super) handle: String,
    pub(super) you: bool,
    pub(super) cells: Result<[String; 6], String>,
    /// What a phone shows under the handle: `3 posts · 16,000 views · 21,500 followers`.
    counts: String,
}

/// The table's lines: the account first, then each competitor.
pub(super) fn lines(report: &Report) -> Vec<Line> {
    let h = Headline::of(report);
    let you = Line {
        handle: clean(&report.user),
        you: true,
        counts: counts(Some(h.posts), Some(h.views), h.followers),
        cells: Ok(cells(
            Some(h.posts),
            Some(h.views),
            report.metrics.median_views,
            h.engagement_rate,
            h.followers,
            h.views_change_pct,
        )),
    };
    let rivals = report.competitors.iter().map(|c| Line {
        handle: clean(&c.handle),
        you: false,
        counts: counts(c.posts, c.views, c.followers),
        cells: match c.status {
            Status::Ok => Ok(cells(
                c.posts,
                c.views,
                c.median_views,
                c.engagement_rate,
                c.followers,
                c.views_change_pct,
            )),
            Status::Failed => Err(crate::text::one_line(c.reason.as_deref().unwrap_or(""))),
        },
    });
    std::iter::once(you).chain(rivals).collect()
}

fn counts(posts: Option<u64>, views: Option<u64>, followers: Option<u64>) -> String {
    let parts = [
        posts.map(|n| plural(n, "post")),
        views.map(|n| plural(n, "view")),
        followers.map(|n| plural(n, "follower")),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

fn cells(
    posts: Option<u64>,
    views: Option<u64>,
    median: Option<f64>,
    rate: Option<f64>,
    followers: Option<u64>,
    change_pct: Option<f64>,
) -> [String; 6] {
    [
        count(posts),
        count(views),
        median.map_or_else(|| "n/a".into(), |m| count(Some(m.round() as u64))),
        percent(rate),
        count(followers),
        change_pct.map_or_else(
            || "n/a".into(),
            |p| {
                format!(
                    "{}{}%",
                    if p < 0.0 { "-" } else { "+" },
                    decimal(p.abs(), 1)
                )
            },
        ),
    ]
}

/// `Your median post drew 2.1× @rival's; your engagement rate is 1.2 pts above theirs (8.4% vs
/// 7.2%).`, or why there is no comparison.
pub(super) fn standing(report: &Report, c: &Competitor) -> String {
    let handle = clean(&c.handle);
    if c.status == Status::Failed {
        return format!(
            "@{handle} could not be reviewed this week: {}.",
            crate::text::one_line(c.reason.as_deref().unwrap_or("no reason recorded"))
                .trim_end_matches('.')
        );
    }
    let has_views = |median: Option<f64>| median.is_some_and(|m| m > 0.0);
    let median = match (
        &c.position.sentence,
        has_views(report.metrics.median_views),
        has_views(c.median_views),
    ) {
        (Some(sentence), _, _) => upper_first(&clean(sentence)),
        (None, false, false) => {
            format!(
                "No median views to compare with @{handle}'s: neither week has a post with views"
            )
        }
        (None, false, true) => {
            format!("No median views to compare with @{handle}'s: your week has no post with views")
        }
        (None, true, _) => {
            format!(
                "No median views to compare with @{handle}'s: their week has no post with views"
            )
        }
    };
    let rate = match c.position.engagement_rate_diff_pts {
        Some(d) if d.abs() < 0.05 => format!(
            "; your engagement rate is about the same as theirs ({} vs {})",
            percent_text(report.metrics.engagement_rate),
            percent_text(c.engagement_rate)
        ),
        Some(d) => format!(
            "; your engagement rate is {} pts {} theirs ({} vs {})",
            decimal(d.abs(), 1),
            if d > 0.0 { "above" } else { "below" },
            percent_text(report.metrics.engagement_rate),
            percent_text(c.engagement_rate)
        ),
        None => String::new(),
    };
    format!("{median}{rate}.")
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `a 20-second video`, `a photo post`, `a video`.
fn kind(post: &TopPost) -> String {
    match (post.format, post.duration_s) {
        (Format::Photo, _) => "a photo post".into(),
        (Format::Video, Some(s)) if s > 0.0 => format!("a {}-second video", s.round() as u64),
        (Format::Video, _) => "a video".into(),
    }
}

/// `went out Sat 14 Nov at 15:00 (Europe/Berlin)`.
fn when(post: &TopPost, tz: Tz) -> String {
    let at = post.posted_at.with_timezone(&tz);
    format!(
        "went out {} at {} ({tz})",
        at.format("%a %d %b"),
        at.format("%H:%M")
    )
}

/// `with #coffee #espresso`, or `with no hashtag`.
fn tags(post: &TopPost) -> String {
    match post.hashtags.is_empty() {
        true => "with no hashtag".into(),
        false => {
            let tags: Vec<String> = (post.hashtags.iter().take(10))
                .map(|t| format!("#{}", clean(t)))
                .collect();
            format!("with {}", tags.join(" "))
        }
    }
}

/// `: 12,000 views at 8.0% engagement, a 20-second video with #coffee that went out Sat 14 Nov
/// at 15:00 (Europe/Berlin).` after the caption.
pub(super) fn what_worked(post: &TopPost, tz: Tz) -> String {
    format!(
        "{} at {} engagement: {} {}, {}.",
        plural(post.views, "view"),
        percent_text(post.engagement_rate),
        kind(post),
        tags(post),
        when(post, tz)
    )
}

/// The section's HTML; nothing without competitors. On a phone the table keeps the account and
/// its median views in view; the other counts move under the account.
pub(super) fn html(report: &Report) -> Markup {
    if report.competitors.is_empty() {
        return html! {};
    }
    let tz = super::timezone(report);
    html! {
        h2 { "Competitors" }
        p.muted { (INTRO) }
        div.card.scroll { table {
            thead { tr {
                th.text { "account" } th.more { "posts" } th.more { "views" } th.key { "median views" }
                th { "engagement" } th.more { "followers" } th.more { "views change" }
            } }
            tbody { @for line in lines(report) { (html_line(&line)) } }
        } }
        ul.recs { @for c in &report.competitors { li { (standing(report, c)) } } }
        @for c in report.competitors.iter().filter(|c| c.status == Status::Ok) {
            h3 { "What worked for @" (clean(&c.handle)) " this week" }
            @if let Some(post) = &c.top_post {
                p {
                    "Its most viewed post, "
                    @if let Some(link) = post_link(&post.url, &c.handle) {
                        a href=(link) { (short_caption(&post.caption, 80)) }
                    } @else {
                        (short_caption(&post.caption, 80))
                    }
                    ", drew " (what_worked(post, tz))
                }
            } @else {
                p.muted { "No post with views." }
            }
        }
    }
}

fn html_line(line: &Line) -> Markup {
    html! {
        tr {
            td.text {
                @if line.you { strong { "@" (line.handle) " (you)" } } @else { "@" (line.handle) }
                @if let Ok(c) = &line.cells {
                    span.counts { (line.counts) " · views " (c[5]) }
                }
            }
            @match &line.cells {
                Ok(c) => {
                    td.more { (c[0]) } td.more { (c[1]) } td { (c[2]) } td { (c[3]) }
                    td.more { (c[4]) } td.more { (c[5]) }
                }
                Err(reason) => { td.text.down colspan="6" { "failed: " (reason) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::analysis::metrics::tests::post;
    use crate::report::competitors::{Rival, rows};
    use crate::report::render::tests::{hostile, report_of};
    use crate::report::render::{html, markdown};

    /// 2026-11-15 20:00 UTC, the end of [`report_of`]'s week.
    const END: i64 = 1_794_772_800;

    /// `@xy`'s week compared with `@rival` (one hostile post) and a failed `@gone`.
    fn compared() -> crate::report::Report {
        let mut ours = report_of(&[post("1", END - 90_000, 1_000, 100, 0, 0)], &[]);
        let url = "https://www.tiktok.com/@rival/video/7578000000000000304";
        let mut theirs = report_of(&[hostile("7578000000000000304", url)], &[]);
        theirs.user = "rival".into();
        let gone = Rival::Failed {
            handle: "gone".parse().unwrap(),
            reason: "Scavio <b>answered</b> HTTP 500".into(),
        };
        ours.competitors = rows(&ours, &[Rival::Reviewed(Arc::new(theirs)), gone]);
        ours
    }

    /// `@xy`'s week of `ours` compared with `@rival`'s of `theirs`: the standing sentence.
    fn standing_of(ours: &[crate::model::Post], theirs: &[crate::model::Post]) -> String {
        let mut report = report_of(ours, &[]);
        let mut rival = report_of(theirs, &[]);
        rival.user = "rival".into();
        report.competitors = rows(&report, &[Rival::Reviewed(Arc::new(rival))]);
        super::standing(&report, &report.competitors[0])
    }

    #[test]
    fn the_standing_names_the_side_without_views_and_shows_a_near_tie_in_figures() {
        let viewed = [post("1", END - 90_000, 1_000, 80, 0, 0)];
        let unviewed = [post("2", END - 90_000, 0, 0, 0, 0)];
        assert!(
            standing_of(&unviewed, &viewed).starts_with(
                "No median views to compare with @rival's: your week has no post with views"
            ),
            "{}",
            standing_of(&unviewed, &viewed)
        );
        assert!(standing_of(&viewed, &unviewed).starts_with(
            "No median views to compare with @rival's: their week has no post with views"
        ));
        // 8.0% against 7.97%: not a difference worth a point, and the figures say so.
        let close = [post("3", END - 90_000, 1_004, 80, 0, 0)];
        assert!(
            standing_of(&viewed, &close)
                .ends_with("; your engagement rate is about the same as theirs (8.0% vs 8.0%)."),
            "{}",
            standing_of(&viewed, &close)
        );
    }

    #[test]
    fn the_html_keeps_the_median_in_view_cleans_outside_text_and_says_why_a_rival_failed() {
        let page = html::render(&compared());
        let section = page.split("<h2>Competitors</h2>").nth(1).unwrap();
        let section = section.split("<h2>").next().unwrap();
        assert!(
            section.contains("<th class=\"key\">median views</th>"),
            "{section}"
        );
        assert!(section.contains("<strong>@xy (you)</strong>"));
        assert!(section.contains("<td class=\"text down\" colspan=\"6\">failed: Scavio &lt;b&gt;answered&lt;/b&gt; HTTP 500</td>"), "{section}");
        for banned in ["\u{1b}", "\u{202e}", "href=\"javascript", "<b>"] {
            assert!(!section.contains(banned), "{banned:?}");
        }
        assert_eq!(
            section.matches("<a href=").count(),
            1,
            "the canonical link only"
        );
        assert!(
            section.contains("1 post · 1,000 views · views n/a"),
            "{section}"
        );
        assert!(section.contains("<h3>What worked for @rival this week</h3>"));
        assert!(!section.contains("What worked for @gone"));
    }

    #[test]
    fn the_markdown_escapes_a_rivals_caption_and_hashtags() {
        let md = markdown::render(&compared());
        let section = md.split("## Competitors").nth(1).unwrap();
        let section = section.split("\n## ").next().unwrap();
        assert!(
            section.contains("| @gone | failed | | | | | |"),
            "{section}"
        );
        assert!(
            section.contains(
                "- @gone could not be reviewed this week: Scavio \\<b\\>answered\\</b\\> HTTP 500."
            ),
            "{section}"
        );
        assert!(section.contains("(https://www.tiktok.com/@rival/video/7578000000000000304)"));
        assert!(
            section.contains("\\[c\\](javascript:x)"),
            "the caption's link is text"
        );
        assert!(!section.contains('\u{1b}') && !section.contains('\u{202e}'));
        assert!(section.contains("with #tag\\|x\\]z"), "{section}");
    }
}
