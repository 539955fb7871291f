//! Notes on data that looks wrong: posts without statistics, with 0 views, or with counts that
//! look rounded. Pure.

use crate::model::Post;

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
            "{} post(s) came without statistics, so their counts read as 0: {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    let zero = ids(&|p| p.has_statistics && p.views == 0);
    if !zero.is_empty() {
        notes.push(format!(
            "{} post(s) report 0 views (photo posts often do), so they have no engagement rate: {}",
            zero.len(),
            zero.join(", ")
        ));
    }
    let rounded = ids(&looks_rounded);
    if !rounded.is_empty() {
        notes.push(format!(
            "{} post(s) have counts that look rounded (every count of 10,000 or more ends in 000): {}",
            rounded.len(),
            rounded.join(", ")
        ));
    }
    notes
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
            notes[0].starts_with("1 post(s) came without statistics") && notes[0].ends_with(": 1")
        );
        assert!(notes[1].contains("0 views") && notes[1].ends_with(": 2"));
        assert!(notes[2].contains("look rounded") && notes[2].ends_with(": 3"));
    }
}
