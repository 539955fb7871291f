//! Breakouts: each post of the week against the account's own baseline, the median views of the
//! *other* posts of the basis (leave-one-out, so a viral post does not raise its own bar); and the
//! posts whose views are far above that baseline while almost nobody engaged with them (boosted,
//! promoted or bought views), which are never breakouts. Pure.

use super::stats::{raw_rate, round2};
use crate::model::Post;

/// Fewer other basis posts with views than this and a post has no `vs_median`.
pub(crate) const MIN_OTHERS: usize = 5;
/// A post whose `vs_median` reaches this multiple is a breakout.
pub(crate) const BREAKOUT: f64 = 3.0;
/// A post with views far above the usual (a `vs_median` of [`BREAKOUT`] or more) whose engagement
/// rate is below this share of the account's median post engagement rate has views without
/// engagement. A fifth: real breakouts keep most of the account's usual engagement (the demo's sit
/// at 0.9–1.2× its median rate), while bought or promoted views arrive with almost none (a real
/// account's 150,000-view posts had 0.1 % against its usual 7 %, a fiftieth).
pub(crate) const ENGAGEMENT_FLOOR: f64 = 0.2;

/// The views of the basis posts that have views, sorted, and their median engagement rate: the
/// baseline every post is measured against.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    sorted: Vec<u64>,
    median_rate: Option<f64>,
}

/// What the baseline says of one post.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Verdict {
    /// See [`Baseline::vs_median`].
    pub(crate) vs_median: Option<f64>,
    /// A `vs_median` of at least [`BREAKOUT`], and not views without engagement.
    pub(crate) breakout: bool,
    /// Views far above the usual with an engagement rate below [`ENGAGEMENT_FLOOR`] of the
    /// account's median post engagement rate.
    pub(crate) views_without_engagement: bool,
}

impl Baseline {
    /// The baseline of `basis` (see `super::insights::basis`).
    pub fn of<'a>(basis: impl IntoIterator<Item = &'a Post>) -> Self {
        let rated: Vec<&Post> = (basis.into_iter())
            .filter(|p| p.has_statistics && p.views > 0)
            .collect();
        let mut sorted: Vec<u64> = rated.iter().map(|p| p.views).collect();
        sorted.sort_unstable();
        let mut rates: Vec<f64> = rated.iter().filter_map(|p| raw_rate(p)).collect();
        rates.sort_unstable_by(f64::total_cmp);
        let mid = rates.len() / 2;
        let median_rate = match rates.len() {
            0 => None,
            n if n % 2 == 1 => Some(rates[mid]),
            _ => Some((rates[mid - 1] + rates[mid]) / 2.0),
        };
        Self {
            sorted,
            median_rate,
        }
    }

    /// The median of the per-post engagement rates of the basis posts that have views.
    pub(crate) fn median_rate(&self) -> Option<f64> {
        self.median_rate
    }

    /// The verdict on `post`: its multiple of the others' median, and whether it broke out or
    /// drew views without engagement (never both).
    pub(crate) fn judge(&self, post: &Post) -> Verdict {
        let vs_median = self.vs_median(post);
        let far_above = is_breakout(vs_median);
        let floor = self.median_rate.map(|m| m * ENGAGEMENT_FLOOR);
        let unengaged = matches!((raw_rate(post), floor), (Some(r), Some(f)) if r < f);
        Verdict {
            vs_median,
            breakout: far_above && !unengaged,
            views_without_engagement: far_above && unengaged,
        }
    }

    /// `post`'s views divided by the median views of the other basis posts that have views, 2
    /// decimals; `None` when the post has no views (or none that could be read) or fewer than
    /// [`MIN_OTHERS`] other posts have views. The post itself is left out of the median once, as
    /// the basis holds it (this week's posts are part of the basis).
    pub(crate) fn vs_median(&self, post: &Post) -> Option<f64> {
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
pub(crate) fn is_breakout(vs_median: Option<f64>) -> bool {
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

    fn engaged(id: &str, views: u64, likes: u64) -> Post {
        post(id, 0, views, likes, 0, 0)
    }

    #[test]
    fn far_above_the_usual_with_under_a_fifth_of_its_engagement_is_no_breakout() {
        // Five posts at 1,000 views with rates 6, 7, 8, 9 and 10 %; the median post rate of the
        // basis (these and the two below, 1.39 % and 1.43 %) is 7 %, so the floor is 1.4 %.
        let mut basis: Vec<Post> = (0..5)
            .map(|i| engaged(&i.to_string(), 1_000, 60 + 10 * i))
            .collect();
        // 48,000 views (48×) at 1.39 %: just under the floor.
        basis.push(engaged("bought", 48_000, 667));
        // 3,000 views (3×) at 1.43 %: just over the floor, so a breakout.
        basis.push(engaged("star", 3_000, 43));
        let base = Baseline::of(&basis);
        assert_eq!(base.median_rate().map(round2), Some(7.0));
        let bought = base.judge(&basis[5]);
        assert_eq!(bought.vs_median, Some(48.0));
        assert!(bought.views_without_engagement && !bought.breakout);
        let star = base.judge(&basis[6]);
        assert_eq!(star.vs_median, Some(3.0));
        assert!(star.breakout && !star.views_without_engagement);
        // Low engagement without views far above the usual is just a weak post.
        let weak = base.judge(&engaged("weak", 2_900, 1));
        assert!(!weak.breakout && !weak.views_without_engagement);
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
