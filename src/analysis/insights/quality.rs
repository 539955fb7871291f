//! Notes on data that looks wrong: posts without statistics, with 0 views, or with counts that
//! look rounded. Pure.

use crate::model::Post;
use crate::report::fmt::plural;

/// Whether a post's counts look rounded: at least two counts of 10 000 or more, all ending in 000.
pub fn looks_rounded(post: &Post) -> bool {
    let large: Vec<u64> = [
        post.views,
        post.likes,
        post.comments,
        post.shares,
        post.saves,
    ]
    .into_iter()
    .filter(|&n| n >= 10_000)
    .collect();
    large.len() >= 2 && large.iter().all(|n| n % 1_000 == 0)
}

/// Notes on this week's posts whose data looks wrong: no statistics, 0 views, rounded counts.
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
    let rounded = ids(&looks_rounded);
    if !rounded.is_empty() {
        notes.push(format!(
            "{} counts that look rounded (every count of 10,000 or more ends in 000): {}",
            count_verb(rounded.len(), "has", "have"),
            rounded.join(", ")
        ));
    }
    notes
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
        let zero = post("2", 0, 0, 10, 0, 0);
        let rounded = post("3", 0, 1_200_000, 45_000, 312, 12);
        let one_round = post("4", 0, 52_000, 4_160, 148, 96);
        let notes = data_quality(&[missing, zero, rounded, one_round]);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(
            notes[0]
                == "1 post came without readable statistics, so it is left out of averages, rankings and insights: 1"
        );
        assert!(notes[1].contains("0 views") && notes[1].ends_with(": 2"));
        assert!(notes[2].contains("look rounded") && notes[2].ends_with(": 3"));
    }
}
