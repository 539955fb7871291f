//! Plain-English suggestions for next week, each quoting the numbers and sample size behind it,
//! and each but `momentum` a [`Claim`] on the insights' table row it rests on, its sentences
//! written from that claim (`claim`); the rules that pick the rows live in `rules`.
//!
//! Pure. Every rule and threshold is a constant here, documented in docs/report-schema.md; a suggestion is
//! made only with enough evidence behind it, and "no clear slot yet" beats a confident wrong tip.

mod claim;
mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::diff::Delta;
use super::insights::Insights;
use super::metrics::{Metric, Metrics};
use crate::fmt::{count, decimal, percent_text};
use crate::model::Post;

pub(crate) use claim::Claim;
pub(crate) use claim::rate_in_prose;

/// Posts a `best_time`, `double_down`, `drop` or `trade_off` suggestion needs behind it: three, so
/// that one unusual post cannot make a median on its own.
pub(crate) const MIN_EVIDENCE_POSTS: usize = 3;
/// A slot counts for `best_time` only when its posts went out on at least this many different days
/// (in the creator's time zone): one evening's posts say what that evening did, not the slot.
pub(crate) const MIN_SLOT_DAYS: usize = 2;
/// `best_time` and `double_down` need a median at least this many times the account's median.
pub(crate) const LIFT: f64 = 1.25;
/// `drop` and `trade_off` need a median at most this many times the account's median.
pub(crate) const DROP: f64 = 0.75;
/// `consistency` compares with at least this many earlier weeks (or fires on a week without posts).
pub(crate) const MIN_EARLIER_WEEKS: usize = 2;
/// `consistency` keeps "your rhythm" while this week's count is within this share of the usual
/// week (the median of the earlier weeks' counts) either way: ±50 %, so 3 to 7 posts keep a rhythm
/// of 5, and 14 against a usual 5 is a busier week, not a rhythm.
pub(crate) const RHYTHM_BAND: f64 = 0.5;
/// The most suggestions a report carries.
pub(crate) const MAX_RECOMMENDATIONS: usize = 6;
const _: () = assert!(
    MAX_RECOMMENDATIONS >= 6,
    "one suggestion of each kind must fit"
);

/// One suggestion: what to do, the evidence for it, and the claim it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// What it is about (`momentum`, `best_time`, … in the JSON).
    pub(crate) kind: RecommendationKind,
    /// The suggestion, in one sentence.
    pub(crate) message: String,
    /// The numbers and sample size it rests on.
    pub(crate) evidence: String,
    /// The table row, value and posts it rests on (schema 4); null for `momentum` and for a
    /// `best_time` that says there is no clear slot yet.
    #[serde(default)]
    pub(crate) claim: Option<Claim>,
}

/// What a recommendation is about; the JSON holds its [`name`](Self::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RecommendationKind {
    /// How the week went against the last one.
    Momentum,
    /// When to post.
    BestTime,
    /// A hashtag, format or sound to use again.
    DoubleDown,
    /// One to leave out.
    Drop,
    /// More views but less engagement, or the other way round.
    TradeOff,
    /// How many posts the week had against the usual week.
    Consistency,
}

impl RecommendationKind {
    /// Every kind, in the order a report lists them.
    #[cfg(test)]
    pub(crate) const ALL: [Self; 6] = [
        Self::Momentum,
        Self::BestTime,
        Self::DoubleDown,
        Self::Drop,
        Self::TradeOff,
        Self::Consistency,
    ];

    /// Its name in the JSON: `best_time`.
    #[cfg(test)]
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Momentum => "momentum",
            Self::BestTime => "best_time",
            Self::DoubleDown => "double_down",
            Self::Drop => "drop",
            Self::TradeOff => "trade_off",
            Self::Consistency => "consistency",
        }
    }

    /// As a reader sees it in Markdown and HTML: `best time`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Momentum => "momentum",
            Self::BestTime => "best time",
            Self::DoubleDown => "double down",
            Self::Drop => "drop",
            Self::TradeOff => "trade off",
            Self::Consistency => "consistency",
        }
    }

    /// Whether it advises a thing to do next week (what a chat message carries): `best_time`,
    /// `double_down` and `drop`; the others describe the week rather than advise.
    pub(crate) fn is_actionable(self) -> bool {
        matches!(self, Self::BestTime | Self::DoubleDown | Self::Drop)
    }

    /// The kind named `name` in a saved report's JSON, if it is one.
    #[cfg(test)]
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// One of this week's posts, with what the report says of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WeekPost<'a> {
    /// The post.
    pub(crate) post: &'a Post,
    /// Younger than 24 hours at the window's end.
    pub(crate) too_new: bool,
    /// Its `vs_median` when it is a breakout.
    pub(crate) breakout: Option<f64>,
}

/// What the suggestions are drawn from: this week's numbers and posts and the insights' tables,
/// never the posts of the basis again, so that a suggestion quotes exactly what a table shows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Evidence<'a> {
    /// This week's metrics.
    pub(crate) metrics: &'a Metrics,
    /// Against the previous report; empty without one.
    pub(crate) deltas: &'a BTreeMap<Metric, Delta>,
    /// How many weeks before this week the previous report ended (1: last week's).
    pub(crate) weeks_since_previous: Option<u64>,
    /// What works and when, over the basis.
    pub(crate) insights: &'a Insights,
    /// `post_count` of each earlier report in the basis.
    pub(crate) earlier_post_counts: &'a [u64],
    /// This week's posts.
    pub(crate) week: &'a [WeekPost<'a>],
    /// Ids of the basis posts with views without engagement: no suggestion rests on them.
    pub(crate) unengaged: &'a [&'a str],
    /// Ids of the basis posts with more likes, comments or shares than views: no claim on
    /// engagement rests on them.
    pub(crate) inflated: &'a [&'a str],
}

/// Up to [`MAX_RECOMMENDATIONS`] suggestions, in the order momentum, best time, double down, drop,
/// trade-off, consistency; each only when its rule's evidence is there.
pub(crate) fn recommend(evidence: &Evidence<'_>) -> Vec<Recommendation> {
    let insights = evidence.insights;
    let too_new: Vec<&str> = (evidence.week.iter())
        .filter(|w| w.too_new)
        .map(|w| w.post.id.as_str())
        .collect();
    let breakouts: Vec<(&Post, f64)> = (evidence.week.iter())
        .filter_map(|w| Some((w.post, w.breakout?)))
        .collect();
    let week_ids: Vec<&str> = evidence.week.iter().map(|w| w.post.id.as_str()).collect();
    let rows = claim::rows(insights);
    let cx = (insights.basis.median_views)
        .filter(|m| *m > 0.0)
        .map(|typical| rules::Context {
            insights,
            typical,
            too_new: &too_new,
            unengaged: evidence.unengaged,
            inflated: evidence.inflated,
            breakouts: &breakouts,
        });
    let mut out: Vec<Recommendation> = [
        momentum(
            evidence.deltas,
            evidence.metrics,
            evidence.weeks_since_previous,
            (evidence.week.iter()).filter(|w| w.post.views > 0).count() > 1,
            &breakouts,
        ),
        cx.as_ref().map(rules::best_time),
        cx.as_ref().and_then(|cx| rules::double_down(cx, &rows)),
        cx.as_ref().and_then(|cx| rules::drop(cx, &rows)),
        cx.as_ref().and_then(|cx| rules::trade_off(cx, &rows)),
        rules::consistency(&week_ids, evidence.earlier_post_counts),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.truncate(MAX_RECOMMENDATIONS);
    out
}

/// More than this share of the week's views from one post, and `momentum` says so.
pub(crate) const ONE_POST_SHARE: f64 = 50.0;

/// `rose 12.0%`, `fell 3.5%`, `rose from 0`, `held steady`.
fn moved(delta: &Delta) -> String {
    let direction = match delta.change {
        Some(c) if c > 0.0 => "rose",
        Some(c) if c < 0.0 => "fell",
        _ => return "held steady".to_string(),
    };
    match (delta.change_pct, delta.previous) {
        (Some(p), _) => format!("{direction} {}%", decimal(p.abs(), 1)),
        (None, Some(0.0)) => format!("{direction} from 0"),
        (None, _) => direction.to_string(),
    }
}

/// The change of views since the previous report (week over week, or over the weeks since it), with the median post's beside it, and a warning when one
/// of several posts made more than half of the week's views (a total is at the mercy of one post);
/// then this week's story, its strongest breakout, when it has one, or else the generic advice.
fn momentum(
    deltas: &BTreeMap<Metric, Delta>,
    metrics: &Metrics,
    weeks_since_previous: Option<u64>,
    several_with_views: bool,
    breakouts: &[(&Post, f64)],
) -> Option<Recommendation> {
    if metrics.post_count == 0 {
        // A week without posts: `consistency` says what matters.
        return None;
    }
    let top_share = metrics
        .top_post_share_pct
        .filter(|_| metrics.post_count > 1);
    let views = deltas.get(&Metric::TotalViews)?;
    let median = deltas
        .get(&Metric::MedianViews)
        .filter(|d| d.change.is_some());
    let span = match weeks_since_previous {
        Some(weeks) if weeks > 1 => format!("over the {weeks} weeks since your previous report"),
        _ => "week over week".to_string(),
    };
    let mut message = format!("Views {} {span}", moved(views));
    if let Some(share) = top_share.filter(|s| *s > ONE_POST_SHARE) {
        // 99.996% (saved as 100.00) is not all of them: 100% only when no other post had views.
        let share = match share {
            s if s > 99.0 && several_with_views => "over 99".to_string(),
            s => format!("{s:.0}"),
        };
        message.push_str(&format!(", but one post made {share}% of them"));
    }
    if let Some(median) = median {
        message.push_str(&format!("; your median post {}", moved(median)));
    }
    let fell = median.unwrap_or(views).change.is_some_and(|c| c < 0.0);
    let story = breakouts.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let advice = match story {
        Some((post, multiple)) => format!(
            "this week's story is “{}”, {}× the median of your other posts: work out what it \
             did differently and make more like it",
            quote(&post.caption),
            decimal(*multiple, 1)
        ),
        None if fell => "look at what the top posts of earlier weeks did differently".into(),
        None => "repeat what this week's top posts did".into(),
    };
    let rate = |pick: fn(&Delta) -> Option<f64>| {
        percent_text(deltas.get(&Metric::EngagementRate).and_then(pick))
    };
    let views_count = |v: Option<f64>| count(v.map(|v| v.round() as u64));
    let median_evidence = median
        .map(|m| {
            format!(
                "; median views {} vs {}",
                views_count(m.current),
                views_count(m.previous)
            )
        })
        .unwrap_or_default();
    Some(Recommendation {
        kind: RecommendationKind::Momentum,
        message: format!("{message}: {advice}."),
        claim: None,
        evidence: format!(
            "views {} vs {}{median_evidence}; engagement rate {} vs {}",
            views_count(views.current),
            views_count(views.previous),
            rate(|d| d.current),
            rate(|d| d.previous),
        ),
    })
}

/// The data-quality note naming one of this week's posts with views without engagement: `post`,
/// `vs_median` times the others' median views, against the account's `median_rate` (its median
/// post engagement rate).
pub(crate) fn unengaged_note(post: &Post, vs_median: f64, median_rate: f64) -> String {
    let rate = super::stats::raw_rate(post).unwrap_or(0.0);
    format!(
        "Post {} (“{}”) has {}× your median views but {} engagement, under a fifth of your \
         median post's {}: views like these are often boosted, promoted or bought, so it is not \
         counted as a breakout, and no recommendation cites it or rests on a group that holds it",
        post.id,
        quote(&post.caption),
        decimal(vs_median, 1),
        rate_in_prose(rate),
        rate_in_prose(median_rate)
    )
}

/// A caption cut to about 40 characters on a word, for quoting.
fn quote(caption: &str) -> String {
    let line = crate::text::squeeze(caption);
    if line.is_empty() {
        return "(no caption)".into();
    }
    crate::text::cut_on_word(line, 40)
}

#[cfg(test)]
mod tests;
