//! Breakouts: each post of the week against the account's own baseline, the median views of the
//! *other* posts of the basis (leave-one-out, so a viral post does not raise its own bar). Pure.

use super::stats::round2;
use crate::model::Post;

/// Fewer other basis posts with views than this and a post has no `vs_median`.
pub const MIN_OTHERS: usize = 5;
/// A post whose `vs_median` reaches this multiple is a breakout.
pub const BREAKOUT: f64 = 3.0;

/// The views of the basis posts that have views, sorted: the baseline every post is measured
/// against.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    sorted: Vec<u64>,
}

impl Baseline {
    /// The baseline of `basis` (see [`super::insights::basis`]).
    pub fn of<'a>(basis: impl IntoIterator<Item = &'a Post>) -> Self {
        let mut sorted: Vec<u64> = basis
            .into_iter()
            .filter(|p| p.has_statistics && p.views > 0)
            .map(|p| p.views)
            .collect();
        sorted.sort_unstable();
        Self { sorted }
    }

    /// `post`'s views divided by the median views of the other basis posts that have views, 2
    /// decimals; `None` when the post has no views (or none that could be read) or fewer than
    /// [`MIN_OTHERS`] other posts have views. The post itself is left out of the median once, as
    /// the basis holds it (this week's posts are part of the basis).
    pub fn vs_median(&self, post: &Post) -> Option<f64> {
        if !post.has_statistics || post.views == 0 {
            return None;
        }
        let own = self.sorted.binary_search(&post.views).ok();
        let others = self.sorted.len() - usize::from(own.is_some());
        if others < MIN_OTHERS {
            return None;
        }
        // The i-th of the others, skipping the post's own place.
        let nth = |i: usize| match own {
            Some(skip) if i >= skip => self.sorted[i + 1],
            _ => self.sorted[i],
        };
        let median = if others % 2 == 1 {
            nth(others / 2) as f64
        } else {
            (nth(others / 2 - 1) as f64 + nth(others / 2) as f64) / 2.0
        };
        Some(round2(post.views as f64 / median))
    }
}

/// Whether a post's `vs_median` (as the report shows it, 2 decimals) makes it a breakout.
pub fn is_breakout(vs_median: Option<f64>) -> bool {
    vs_median.is_some_and(|v| v >= BREAKOUT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::post;

    fn views(id: &str, views: u64) -> Post {
        post(id, 0, views, 0, 0, 0)
    }

    #[test]
    fn a_post_is_measured_against_the_median_of_the_others() {
        // Others of "a": 100, 200, 300, 400, 500 → median 300; 1,000 / 300 = 3.33.
        let posts = [
            views("a", 1_000),
            views("b", 100),
            views("c", 200),
            views("d", 300),
            views("e", 400),
            views("f", 500),
        ];
        let base = Baseline::of(&posts);
        assert_eq!(base.vs_median(&posts[0]), Some(3.33));
        assert!(is_breakout(base.vs_median(&posts[0])));
        // Others of "d": 100, 200, 400, 500, 1,000 → median 400; 300 / 400 = 0.75.
        assert_eq!(base.vs_median(&posts[3]), Some(0.75));
        // Others of "b": 200, 300, 400, 500, 1,000 → median 400; 0.25.
        assert_eq!(base.vs_median(&posts[1]), Some(0.25));
    }

    #[test]
    fn an_even_number_of_others_takes_the_middle_two() {
        // Others of "a": 10, 20, 30, 40, 50, 60 → median 35; 70 / 35 = 2.
        let mut posts: Vec<Post> = (1..=6).map(|i| views(&i.to_string(), i * 10)).collect();
        posts.push(views("a", 70));
        assert_eq!(Baseline::of(&posts).vs_median(&posts[6]), Some(2.0));
    }

    #[test]
    fn fewer_than_five_others_give_no_multiple() {
        let posts: Vec<Post> = (1..=5).map(|i| views(&i.to_string(), i * 100)).collect();
        let base = Baseline::of(&posts);
        assert_eq!(base.vs_median(&posts[0]), None, "4 others");
        let mut six = posts.clone();
        six.push(views("6", 600));
        assert_eq!(
            Baseline::of(&six).vs_median(&six[5]),
            Some(2.0),
            "5 others: 600 / 300"
        );
    }

    #[test]
    fn the_breakout_edge_is_exactly_three() {
        // Others: 100 ×5 → median 100.
        let mut posts: Vec<Post> = (1..=5).map(|i| views(&i.to_string(), 100)).collect();
        posts.push(views("x", 300));
        posts.push(views("y", 299));
        let base = Baseline::of(&posts[..6]);
        assert_eq!(base.vs_median(&posts[5]), Some(3.0));
        assert!(is_breakout(Some(3.0)));
        let base = Baseline::of(posts[..5].iter().chain([&posts[6]]));
        assert_eq!(base.vs_median(&posts[6]), Some(2.99));
        assert!(!is_breakout(Some(2.99)));
    }

    #[test]
    fn posts_without_views_and_zero_view_posts_of_the_basis_do_not_count() {
        let mut unread = views("u", 0);
        unread.has_statistics = false;
        let posts = [
            views("a", 900),
            views("b", 100),
            views("c", 100),
            views("d", 100),
            views("e", 100),
            views("z", 0),
            unread,
        ];
        let base = Baseline::of(&posts);
        assert_eq!(base.vs_median(&posts[0]), None, "only 4 others have views");
        assert_eq!(base.vs_median(&posts[5]), None, "no views, no multiple");
    }

    #[test]
    fn a_post_outside_the_basis_is_measured_against_all_of_it() {
        let basis: Vec<Post> = (1..=5).map(|i| views(&i.to_string(), i * 100)).collect();
        assert_eq!(
            Baseline::of(&basis).vs_median(&views("new", 1_234)),
            Some(4.11)
        );
    }
}
