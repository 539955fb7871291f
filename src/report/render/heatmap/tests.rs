//! The heatmap's shading, checked against medians computed by hand.

use super::*;
use crate::analysis::metrics::tests::post;
use crate::model::Post;
use crate::report::render::tests::report_of;

/// Monday 2026-11-09 00:00 UTC, in the week [`report_of`] reports.
const MONDAY: i64 = 1_794_182_400;

/// A post `day` days after Monday at `hour:minute` UTC with `views` (and 5 % engagement).
fn at(id: &str, day: i64, hour: i64, minute: i64, views: u64) -> Post {
    let secs = MONDAY + day * 86_400 + hour * 3_600 + minute * 60;
    post(id, secs, views, views / 20, 0, 0)
}

/// A week whose hours hold, by hand:
///
/// | hour | views | median |
/// |---|---|---|
/// | Mon 10:00 | 1,000 · 4,000 · 3,000 | 3,000 |
/// | Tue 12:00 | 400 · 600 | 500 |
/// | Wed 09:00 | 1,200 | (one post) |
/// | Thu 18:00 | 900 · 1,100 | 1,000 |
/// | Fri 20:00 | 1,500 · 1,900 | 1,700 |
/// | Sat 08:00 | 700 · 800 | 750 |
/// | Sun 07:00 | 0 (a photo without a view count) | none |
///
/// The account's median, over the twelve posts with views: (1,000 + 1,100) / 2 = 1,050.
fn week() -> Vec<Post> {
    vec![
        at("1", 0, 10, 5, 1_000),
        at("2", 0, 10, 20, 4_000),
        at("3", 0, 10, 40, 3_000),
        at("4", 1, 12, 0, 400),
        at("5", 1, 12, 30, 600),
        at("6", 2, 9, 15, 1_200),
        at("7", 3, 18, 0, 900),
        at("8", 3, 18, 45, 1_100),
        at("9", 4, 20, 10, 1_500),
        at("10", 4, 20, 50, 1_900),
        at("11", 5, 8, 0, 700),
        at("12", 5, 8, 30, 800),
        at("13", 6, 7, 0, 0),
    ]
}

/// The cell group of `day` `hour` in `svg`: its title and its shapes.
fn cell<'a>(svg: &'a str, day: &str, hour: u32) -> &'a str {
    let title = format!("<title>{day} {hour:02}:00–");
    let start = svg
        .find(&title)
        .unwrap_or_else(|| panic!("{title} in {svg}"));
    &svg[start..][..svg[start..].find("</g>").unwrap()]
}

#[test]
fn each_hour_is_shaded_by_its_median_against_the_accounts_median() {
    let report = report_of(&week(), &[]);
    let insights = report.insights.as_ref().unwrap();
    assert_eq!(insights.basis.median_views, Some(1_050.0));
    let cells = &insights.posting_times.heatmap;
    let typical = insights.basis.median_views;
    let svg = heatmap(cells, typical, "UTC").into_string();

    let expected = [
        // 3,000 / 1,050 = 2.86
        (
            "Mon",
            10,
            "3 posts, median 3,000 views, 2.9× your median of 1,050",
            Band::FarAbove,
        ),
        // 1,700 / 1,050 = 1.62
        (
            "Fri",
            20,
            "2 posts, median 1,700 views, 1.6× your median of 1,050",
            Band::Above,
        ),
        // 1,000 / 1,050 = 0.95
        (
            "Thu",
            18,
            "2 posts, median 1,000 views, 1.0× your median of 1,050",
            Band::About,
        ),
        // 750 / 1,050 = 0.71
        (
            "Sat",
            8,
            "2 posts, median 750 views, 0.7× your median of 1,050",
            Band::Below,
        ),
        // 500 / 1,050 = 0.48
        (
            "Tue",
            12,
            "2 posts, median 500 views, 0.5× your median of 1,050",
            Band::FarBelow,
        ),
    ];
    for (day, hour, words, band) in expected {
        let group = cell(&svg, day, hour);
        let when = format!("{day} {hour:02}:00–{:02}:00", hour + 1);
        assert!(
            group.contains(&format!("<title>{when}: {words}</title>")),
            "{group}"
        );
        assert!(
            group.contains(&format!("fill=\"{}\"", band.colour())),
            "{group}"
        );
        assert!(
            !group.contains("<circle"),
            "several posts fill the cell: {group}"
        );
    }

    // One post: a dot of its band (1,200 / 1,050 = 1.14, about the median) on an empty cell.
    let single = cell(&svg, "Wed", 9);
    assert!(single.contains("Wed 09:00–10:00: 1 post, 1,200 views, 1.1× your median of 1,050"));
    assert!(
        single.contains(&format!(
            "<circle cx=\"128.0\" cy=\"135.0\" r=\"4\" fill=\"{}\"",
            Band::About.colour()
        )),
        "{single}"
    );
    assert!(single.contains(&format!("fill=\"{EMPTY}\"")), "{single}");

    // A photo without a view count: outlined, its count still in the title.
    let photo = cell(&svg, "Sun", 7);
    assert!(
        photo.contains("Sun 07:00–08:00: 1 post, no view count to compare"),
        "{photo}"
    );
    assert!(photo.contains("stroke-dasharray"), "{photo}");

    let empty = cell(&svg, "Sun", 23);
    assert!(
        empty.contains("<title>Sun 23:00–00:00: no posts</title>"),
        "{empty}"
    );
    assert!(empty.contains(&format!("fill=\"{EMPTY}\"")));
    assert_eq!(svg.matches("<g class=\"cell\">").count(), 7 * 24);
}

#[test]
fn the_busiest_hour_is_not_the_darkest_when_its_posts_did_poorly() {
    // Five posts at Sat 09:00 below the median, two at Thu 19:00 far above it: the old heatmap,
    // shaded by count, drew Saturday darkest.
    let mut posts: Vec<Post> = (0..5)
        .map(|i| at(&format!("s{i}"), 5, 9, i * 10, 1_000 + i as u64))
        .collect();
    posts.extend([at("t1", 3, 19, 0, 9_000), at("t2", 3, 19, 30, 11_000)]);
    posts.extend((0..4).map(|i| at(&format!("o{i}"), 1, 6 + i, 0, 2_000)));
    let report = report_of(&posts, &[]);
    // Views: 1,000…1,004 (5), 2,000 (4), 9,000, 11,000: the median is the 6th of 11, 2,000.
    assert_eq!(
        report.insights.as_ref().unwrap().basis.median_views,
        Some(2_000.0)
    );
    let svg = heatmap(
        &report.insights.as_ref().unwrap().posting_times.heatmap,
        Some(2_000.0),
        "UTC",
    )
    .into_string();
    let saturday = cell(&svg, "Sat", 9);
    assert!(
        saturday.contains("5 posts, median 1,002 views, 0.5× your median of 2,000"),
        "{saturday}"
    );
    assert!(
        saturday.contains(Band::Below.colour()),
        "1,002 / 2,000 = 0.501: {saturday}"
    );
    let thursday = cell(&svg, "Thu", 19);
    assert!(
        thursday.contains("2 posts, median 10,000 views, 5.0× your median"),
        "{thursday}"
    );
    assert!(thursday.contains(Band::FarAbove.colour()), "{thursday}");
}

#[test]
fn the_bands_meet_at_the_recommendations_thresholds() {
    assert_eq!(ABOVE, crate::analysis::recommend::LIFT);
    assert_eq!(BELOW, crate::analysis::recommend::DROP);
    for (ratio, band) in [
        (5.0, Band::FarAbove),
        (2.0, Band::FarAbove),
        (1.99, Band::Above),
        (1.25, Band::Above),
        (1.249, Band::About),
        (1.0, Band::About),
        (0.751, Band::About),
        (0.75, Band::Below),
        (0.501, Band::Below),
        (0.5, Band::FarBelow),
        (0.0, Band::FarBelow),
    ] {
        assert_eq!(Band::of(ratio), band, "{ratio}");
    }
}

#[test]
fn the_legend_says_in_words_what_each_colour_means() {
    let report = report_of(&week(), &[]);
    let i = report.insights.as_ref().unwrap();
    let words = legend(&i.posting_times.heatmap, i.basis.median_views).into_string();
    assert!(
        words.contains("against your median of 1,050 views, not by how many went out"),
        "{words}"
    );
    for band in Band::ALL {
        assert!(
            words.contains(&format!(
                "<span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                band.colour(),
                band.words()
            )),
            "{words}"
        );
    }
    assert!(words.contains("a single post"));
    assert!(
        words.contains("posts without a view count"),
        "the photo's hour"
    );

    let without = legend(&[], Some(1_050.0)).into_string();
    assert!(!without.contains("posts without a view count"));
    let no_median = legend(&i.posting_times.heatmap, None).into_string();
    assert!(
        no_median.contains("No post has a view count yet"),
        "{no_median}"
    );
}

#[test]
fn without_a_median_to_compare_every_hour_with_posts_is_outlined() {
    let cells = [Cell {
        weekday: "Mon",
        hour: 3,
        posts: 2,
        median_views: Some(500.0),
    }];
    assert_eq!(shade(cells.first(), None), Shade::NoViews);
    assert_eq!(shade(cells.first(), Some(0.0)), Shade::NoViews);
    assert_eq!(shade(None, Some(10.0)), Shade::Empty);
    assert_eq!(
        title("Mon", 3, cells.first(), None),
        "Mon 03:00–04:00: 2 posts, no view count to compare"
    );
}
