//! Notes on data that looks wrong or is missing: posts without statistics, with 0 views, without a
//! save count, with more likes, comments or shares than views, or with counts that look rounded.
//! Pure; each note names the posts it is about.

use crate::analysis::metrics::Metrics;
use crate::fmt::{group_thousands, plural};
use crate::model::Post;

/// Whether a count has the shape TikTok's web pages give a count they round for display (59.1K,
/// 682.9K, 2.4M, 1.23M, 5.1B): 10,000 or more, and a whole number of hundreds below a million, of
/// ten thousands below a billion, of ten millions from there. Any count of at most three
/// significant figures has it, and so has any count of thousands or millions with one decimal.
pub(crate) fn rounded_shape(n: u64) -> bool {
    let step = match n {
        0..10_000 => return false,
        10_000..1_000_000 => 100,
        1_000_000..1_000_000_000 => 10_000,
        _ => 10_000_000,
    };
    n.is_multiple_of(step)
}

/// Whether a post's counts look rounded: at least two counts of 10,000 or more, all of them of
/// the [`rounded_shape`] (one round count alone happens in real data; two rarely do).
pub(crate) fn looks_rounded(post: &Post) -> bool {
    let large: Vec<u64> = [
        Some(post.views),
        Some(post.likes),
        Some(post.comments),
        Some(post.shares),
        post.saves,
    ]
    .into_iter()
    .flatten()
    .filter(|&n| n >= 10_000)
    .collect();
    large.len() >= 2 && large.iter().all(|&n| rounded_shape(n))
}

/// Whether a post with views has more likes, comments or shares than views: its figures count in
/// the week's totals but not in the benchmark's engagement rate, which they would carry off. (A
/// post reporting 0 views has a note of its own, as photo posts often do.)
pub(crate) fn exceeds_views(post: &Post) -> bool {
    post.has_statistics
        && post.views > 0
        && [post.likes, post.comments, post.shares]
            .iter()
            .any(|&n| n > post.views)
}

/// Notes on this week's posts whose data looks wrong or is missing: no statistics, 0 views, no
/// save count, more engagement than views, rounded counts.
pub(super) fn data_quality<'a>(week: impl IntoIterator<Item = &'a Post>) -> Vec<String> {
    let week: Vec<&Post> = week.into_iter().collect();
    let ids = |pred: &dyn Fn(&Post) -> bool| -> Vec<&str> {
        week.iter()
            .filter(|p| pred(p))
            .map(|p| p.id.as_str())
            .collect()
    };
    let mut notes = Vec::new();
    let missing = ids(&|p| !p.has_statistics);
    if !missing.is_empty() {
        notes.push(format!(
            "{} came without readable statistics, so {} out of averages, rankings and insights: {}",
            plural(missing.len() as u64, "post"),
            if missing.len() == 1 {
                "it is left"
            } else {
                "they are left"
            },
            missing.join(", ")
        ));
    }
    let zero = ids(&|p| p.has_statistics && p.views == 0);
    if !zero.is_empty() {
        notes.push(format!(
            "{} 0 views (photo posts often do), so {} no engagement rate: {}",
            count_verb(zero.len(), "reports", "report"),
            if zero.len() == 1 {
                "it has"
            } else {
                "they have"
            },
            zero.join(", ")
        ));
    }
    notes.extend(saves_note(&week));
    notes.extend(
        (week.iter())
            .filter(|p| exceeds_views(p))
            .map(|p| more_than_views(p)),
    );
    let rounded = ids(&looks_rounded);
    if !rounded.is_empty() {
        notes.push(format!(
            "{} counts that look rounded, as TikTok's web pages show them (59.1K, 2.4M), so {} figures are approximate: {}",
            count_verb(rounded.len(), "has", "have"),
            if rounded.len() == 1 { "its" } else { "their" },
            rounded.join(", ")
        ));
    }
    notes
}

/// What the week's posts with statistics said of their saves: nothing when every one sent a save
/// count (`collect_count`).
fn saves_note(week: &[&Post]) -> Option<String> {
    let measured: Vec<&&Post> = week.iter().filter(|p| p.has_statistics).collect();
    let without: Vec<&str> = (measured.iter())
        .filter(|p| p.saves.is_none())
        .map(|p| p.id.as_str())
        .collect();
    match (without.len(), measured.len()) {
        (0, _) => None,
        (n, all) if n == all => Some(format!(
            "Saves were not in Scavio's answer for {} (older TikTok app versions leave collect_count out), so total saves and saves per post are unknown, not 0",
            match all {
                1 => "the week's post".to_string(),
                2 => "either of the week's 2 posts".to_string(),
                _ => format!("any of the week's {all} posts"),
            }
        )),
        (n, all) => Some(format!(
            "{n} of {} came without a save count (collect_count), so total saves and saves per post are over the other {}; total saves are not compared with the previous report's: {}",
            plural(all as u64, "post"),
            all - n,
            without.join(", ")
        )),
    }
}

/// Why this week's total saves are not set against the previous report's (`weeks_back` weeks
/// before: 1 for last week's) when those were summed over only some of its posts; `None`
/// otherwise (a week of this week's own with posts without a save count says so in its own note).
pub(crate) fn earlier_saves_note(
    this_week: &Metrics,
    last_week: &Metrics,
    weeks_back: u64,
) -> Option<String> {
    let without = last_week.posts_without_saves;
    let total = last_week.total_saves?;
    this_week.total_saves?;
    (without > 0 && this_week.posts_without_saves == 0).then(|| {
        let with = last_week.post_count.saturating_sub(without);
        let whose = match weeks_back {
            1 => "Last week's total saves".to_string(),
            n => format!("The total saves of {n} weeks before"),
        };
        format!(
            "{whose} ({}) were over {with} of its {} (the others came without a save count), so this week's are not compared with them",
            group_thousands(total),
            plural(with + without, "post"),
        )
    })
}

/// `post 7 has more shares (415,578) than views (4,964): …`.
fn more_than_views(post: &Post) -> String {
    let counts: Vec<String> = [
        ("likes", post.likes),
        ("comments", post.comments),
        ("shares", post.shares),
    ]
    .into_iter()
    .filter(|(_, n)| *n > post.views)
    .map(|(name, n)| format!("{name} ({})", group_thousands(n)))
    .collect();
    let counts = match counts.as_slice() {
        [one] => one.clone(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
        [] => String::new(),
    };
    format!(
        "post {} has more {counts} than views ({}): it counts in the totals but not in the benchmark's engagement rate",
        post.id,
        group_thousands(post.views)
    )
}

/// `1 post reports`, `3 posts report`: a count of posts with its verb.
fn count_verb(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        plural(n as u64, "post"),
        if n == 1 { one } else { many }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;

    #[test]
    fn data_quality_notes_missing_statistics_zero_views_and_rounded_counts() {
        assert!(data_quality(&[post("1", 0, 123_456, 7_891, 12, 3)]).is_empty());
        let mut missing = post("1", 0, 0, 0, 0, 0);
        missing.has_statistics = false;
        missing.saves = None;
        let zero = post("2", 0, 0, 10, 0, 0);
        let rounded = post("3", 0, 1_200_000, 45_000, 312, 12);
        let one_round = post("4", 0, 52_000, 4_160, 148, 96);
        let notes = data_quality(&[missing, zero, rounded, one_round]);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert_eq!(
            notes[0],
            "1 post came without readable statistics, so it is left out of averages, rankings and insights: 1"
        );
        assert!(notes[1].contains("0 views") && notes[1].ends_with(": 2"));
        assert_eq!(
            notes[2],
            "1 post has counts that look rounded, as TikTok's web pages show them (59.1K, 2.4M), so its figures are approximate: 3"
        );
    }

    #[test]
    fn a_count_has_the_rounded_shape_of_the_web_pages_display() {
        // 59.1K, 682.9K, 2.4M, 1.23M, 12.3M, 5.1B and 5.12B as the web pages write them.
        for n in [
            10_000,
            59_100,
            682_900,
            2_400_000,
            1_230_000,
            12_300_000,
            123_400_000,
            5_100_000_000,
            5_120_000_000,
        ] {
            assert!(rounded_shape(n), "{n}");
        }
        // Exact counts: 59,149 (statsV2 of the 59.1K), 682,913, 1,234,567, and every count
        // under 10,000, which the web pages write out in full.
        for n in [
            0,
            9_900,
            59_149,
            682_913,
            682_950,
            1_234_567,
            2_401_000,
            5_123_456_789,
            5_100_000_001,
        ] {
            assert!(!rounded_shape(n), "{n}");
        }
    }

    #[test]
    fn a_post_looks_rounded_when_two_or_more_large_counts_all_have_the_shape() {
        let looks = |views, likes, comments, shares, saves| {
            let mut p = post("1", 0, views, likes, comments, shares);
            p.saves = saves;
            looks_rounded(&p)
        };
        // The web leg's rounding: 2.4M views, 682.9K likes (not a multiple of 1,000).
        assert!(looks(2_400_000, 682_900, 4_100, 22_000, Some(41_000)));
        assert!(looks(59_100, 12_300, 40, 9, Some(31)));
        // statsV2's exact likes beside a round view count: not rounded.
        assert!(!looks(2_400_000, 682_913, 4_100, 22_000, Some(41_000)));
        // One large count, however round, is not enough; unknown saves are not a count.
        assert!(!looks(2_400_000, 9_100, 41, 9, None));
        assert!(looks(2_400_000, 9_100, 41, 9, Some(41_000)));
        assert!(!looks(123_456, 7_891, 12, 3, Some(0)));
    }

    #[test]
    fn saves_nobody_sent_are_one_note_and_a_partial_sum_names_the_posts_without() {
        let saving = |id: &str, saves: Option<u64>| {
            let mut p = post(id, 0, 1_000, 10, 1, 0);
            p.saves = saves;
            p
        };
        let none = data_quality(&[saving("1", None), saving("2", None), saving("3", None)]);
        assert_eq!(
            none,
            [
                "Saves were not in Scavio's answer for any of the week's 3 posts (older TikTok app versions leave collect_count out), so total saves and saves per post are unknown, not 0"
            ]
        );
        assert!(data_quality(&[saving("1", None)])[0].contains("for the week's post ("));
        assert!(
            data_quality(&[saving("1", None), saving("2", None)])[0]
                .contains("for either of the week's 2 posts (")
        );
        let partial = data_quality(&[
            saving("1", Some(4)),
            saving("2", None),
            saving("3", Some(0)),
            saving("4", None),
        ]);
        assert_eq!(
            partial,
            [
                "2 of 4 posts came without a save count (collect_count), so total saves and saves per post are over the other 2; total saves are not compared with the previous report's: 2, 4"
            ]
        );
        // A post without readable statistics has its own note, not a saves note.
        let mut unread = saving("5", None);
        unread.has_statistics = false;
        let notes = data_quality(&[saving("1", Some(4)), unread]);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("1 post came without readable statistics"));
        assert!(data_quality(&[saving("1", Some(0))]).is_empty());
    }

    #[test]
    fn a_partial_sum_of_last_weeks_saves_is_said_not_to_be_compared() {
        use crate::analysis::metrics::of_week;
        let saving = |id: &str, saves: Option<u64>| {
            let mut p = post(id, 0, 1_000, 10, 1, 0);
            p.saves = saves;
            p
        };
        let full = of_week(&[saving("1", Some(40)), saving("2", Some(2))]);
        // 3,452 over 5 of 6 posts, as the fixture's week to 2026-11-08.
        let mut partial = of_week(&[saving("3", Some(3_452)), saving("4", None)]);
        partial.post_count = 6;
        partial.posts_without_saves = 1;
        assert_eq!(
            earlier_saves_note(&full, &partial, 1).unwrap(),
            "Last week's total saves (3,452) were over 5 of its 6 posts (the others came without a save count), so this week's are not compared with them"
        );
        assert_eq!(
            earlier_saves_note(&full, &partial, 2).unwrap(),
            "The total saves of 2 weeks before (3,452) were over 5 of its 6 posts (the others came without a save count), so this week's are not compared with them"
        );
        assert_eq!(earlier_saves_note(&full, &full, 1), None);
        // This week's own note covers a partial or unknown week of its own.
        assert_eq!(earlier_saves_note(&partial, &partial, 1), None);
        let unknown = of_week(&[saving("5", None)]);
        assert_eq!(earlier_saves_note(&unknown, &partial, 1), None);
        assert_eq!(
            earlier_saves_note(&full, &unknown, 1),
            None,
            "shown as unknown"
        );
    }

    #[test]
    fn a_post_with_more_engagement_than_views_is_named_with_its_counts() {
        // The real capture: 415,578 shares on 4,964 views.
        let shares = post("7", 0, 4_964, 310, 12, 415_578);
        assert!(exceeds_views(&shares));
        assert_eq!(
            data_quality(&[shares]),
            [
                "post 7 has more shares (415,578) than views (4,964): it counts in the totals but not in the benchmark's engagement rate"
            ]
        );
        let all = post("8", 0, 10, 11, 12, 13);
        assert_eq!(
            data_quality(&[all]),
            [
                "post 8 has more likes (11), comments (12) and shares (13) than views (10): it counts in the totals but not in the benchmark's engagement rate"
            ]
        );
        let two = post("9", 0, 10, 11, 0, 13);
        assert!(
            data_quality(&[two])[0]
                .starts_with("post 9 has more likes (11) and shares (13) than views (10):")
        );
        // As many likes as views is possible; a photo with 0 views has its own note.
        let equal = post("10", 0, 10, 10, 10, 10);
        assert!(!exceeds_views(&equal) && data_quality(&[equal]).is_empty());
        let photo = post("11", 0, 0, 150, 4, 2);
        assert!(!exceeds_views(&photo));
        let notes = data_quality(&[photo]);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("0 views"));
        let mut unread = post("12", 0, 0, 0, 0, 0);
        unread.has_statistics = false;
        assert!(!exceeds_views(&unread));
    }
}
