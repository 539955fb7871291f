//! The rules of the suggestions that rest on the insights' tables (`best_time`, `double_down`,
//! `drop`, `trade_off`) and on the weekly post counts (`consistency`): each picks a row, makes
//! its [`Claim`] and writes its sentences from that claim. Pure.

use super::claim::{
    Claim, Dimension, Measure, Row, capitalize, engagement_sentence, leads_engagement,
    views_sentence,
};
use super::{
    DROP, LIFT, MIN_EARLIER_WEEKS, MIN_EVIDENCE_POSTS, MIN_SLOT_DAYS, RHYTHM_BAND, Recommendation,
    RecommendationKind, quote,
};
use crate::analysis::insights::Insights;
use crate::analysis::stats::median;
use crate::fmt::{decimal, group_thousands, plural};
use crate::model::Post;

/// What the table rules read besides the tables: the account's typical post and which posts no
/// advice may rest on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Context<'a> {
    /// The insights.
    pub(crate) insights: &'a Insights,
    /// `insights.basis.median_views`, above 0.
    pub(crate) typical: f64,
    /// Ids of this week's posts the report calls too new.
    pub(crate) too_new: &'a [&'a str],
    /// Ids of the basis posts with views without engagement.
    pub(crate) unengaged: &'a [&'a str],
    /// Ids of the basis posts with more likes, comments or shares than views.
    pub(crate) inflated: &'a [&'a str],
    /// This week's breakouts and their `vs_median`.
    pub(crate) breakouts: &'a [(&'a Post, f64)],
}

impl Context<'_> {
    /// Whether `row` can carry a comparison with the account: enough posts, and not all of them.
    fn comparable(&self, row: &Row<'_>) -> bool {
        row.posts() >= MIN_EVIDENCE_POSTS && row.posts() < self.insights.basis.posts
    }

    fn ratio(&self, row: &Row<'_>) -> f64 {
        row.ratio(self.typical).unwrap_or(f64::NAN)
    }
}

/// The best slot of `best_slots` among those with at least [`MIN_EVIDENCE_POSTS`] posts published
/// on at least [`MIN_SLOT_DAYS`] different days (none resting on views without engagement), when
/// its median is at least [`LIFT`]× the typical post's; otherwise that there is no clear slot yet
/// (a suggestion without a claim).
pub(super) fn best_time(cx: &Context<'_>) -> Recommendation {
    let slots = &cx.insights.posting_times.best_slots;
    let row = |i: usize| Row {
        dimension: Dimension::Slot,
        group: &slots[i].slot,
        figures: &slots[i].figures,
        basis: &cx.insights.basis.ids,
    };
    let counts = |i: &usize| {
        let s = &slots[*i];
        s.figures.posts >= MIN_EVIDENCE_POSTS
            && s.days >= MIN_SLOT_DAYS
            && !row(*i).holds_any(cx.unengaged)
    };
    let best = (0..slots.len()).find(counts);
    let claimed = best.filter(|i| cx.ratio(&row(*i)) >= LIFT).and_then(|i| {
        Some((
            i,
            row(i).claim(Measure::MedianViews, Some(cx.typical), None)?,
        ))
    });
    let tz = &cx.insights.timezone;
    let Some((i, claim)) = claimed else {
        let one_day = slots
            .iter()
            .any(|s| s.figures.posts >= MIN_EVIDENCE_POSTS && s.days < MIN_SLOT_DAYS);
        return Recommendation {
            kind: RecommendationKind::BestTime,
            message: "No clear best time yet: no slot stands out over enough posts and days."
                .into(),
            evidence: format!(
                "No slot with {MIN_EVIDENCE_POSTS} or more posts on {MIN_SLOT_DAYS} or more \
                 different days has a median of at least {}× yours ({} views){}",
                decimal(LIFT, 2),
                super::claim::views(cx.typical),
                if one_day {
                    "; a slot whose posts all went out on one day does not count"
                } else {
                    ""
                }
            ),
            claim: None,
        };
    };
    let slot = &slots[i];
    let standing = if i == 0 {
        "it is your strongest slot".to_string()
    } else {
        format!(
            "of the slots with {MIN_EVIDENCE_POSTS} or more posts on {MIN_SLOT_DAYS} or more \
             different days, it is your strongest"
        )
    };
    Recommendation {
        kind: RecommendationKind::BestTime,
        message: format!("Post on {} ({tz}): {standing}.", slot.slot),
        evidence: format!(
            "{}; they went out on {} different days",
            views_sentence(&row(i).label(), &claim),
            slot.days
        ),
        claim: Some(claim),
    }
}

/// The row whose median beats the typical post's most (at least [`LIFT`]×, over at least
/// [`MIN_EVIDENCE_POSTS`] posts and not all of them, none with views without engagement),
/// citing this week's strongest breakout among its posts.
pub(super) fn double_down(cx: &Context<'_>, rows: &[Row<'_>]) -> Option<Recommendation> {
    let best = (rows.iter())
        .filter(|r| cx.comparable(r) && cx.ratio(r) >= LIFT && !r.holds_any(cx.unengaged))
        .max_by(|a, b| {
            (cx.ratio(a).total_cmp(&cx.ratio(b)))
                .then(a.posts().cmp(&b.posts()))
                .then(b.label().cmp(&a.label()))
        })?;
    let breakout = (cx.breakouts.iter())
        .filter(|(p, _)| best.holds(&p.id))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let claim = best.claim(
        Measure::MedianViews,
        Some(cx.typical),
        breakout.map(|(p, _)| p.id.as_str()),
    )?;
    let cite = breakout
        .map(|(post, multiple)| {
            format!(
                "; this week's breakout among them: “{}” drew {} views, {}× the median of your \
                 other posts",
                quote(&post.caption),
                group_thousands(post.views),
                decimal(*multiple, 1)
            )
        })
        .unwrap_or_default();
    Some(Recommendation {
        kind: RecommendationKind::DoubleDown,
        message: format!(
            "Double down on {}: they beat your typical post.",
            best.label()
        ),
        evidence: format!("{}{cite}", views_sentence(&best.label(), &claim)),
        claim: Some(claim),
    })
}

/// The rows whose median is at most [`DROP`]× the typical post's (over at least
/// [`MIN_EVIDENCE_POSTS`] posts and not all of them), none of whose posts is too new or has views
/// without engagement, worst first; each with whether it leads its table on engagement.
fn trailing<'r>(cx: &Context<'_>, rows: &'r [Row<'r>]) -> Vec<(&'r Row<'r>, bool)> {
    let mut out: Vec<&Row<'_>> = (rows.iter())
        .filter(|r| cx.comparable(r) && cx.ratio(r) <= DROP)
        .filter(|r| !r.holds_any(cx.too_new) && !r.holds_any(cx.unengaged))
        .collect();
    out.sort_by(|a, b| {
        (cx.ratio(a).total_cmp(&cx.ratio(b)))
            .then(b.posts().cmp(&a.posts()))
            .then(a.label().cmp(&b.label()))
    });
    (out.into_iter())
        .map(|r| (r, leads_engagement(r, rows, MIN_EVIDENCE_POSTS)))
        .collect()
}

/// The worst trailing row that does not lead its table on engagement.
pub(super) fn drop(cx: &Context<'_>, rows: &[Row<'_>]) -> Option<Recommendation> {
    let (worst, _) = trailing(cx, rows).into_iter().find(|(_, leads)| !leads)?;
    let claim = worst.claim(Measure::MedianViews, Some(cx.typical), None)?;
    Some(Recommendation {
        kind: RecommendationKind::Drop,
        message: format!(
            "Make fewer {}, or rework them: they trail your typical post.",
            worst.label()
        ),
        evidence: views_sentence(&worst.label(), &claim),
        claim: Some(claim),
    })
}

/// The worst trailing row that leads its table on engagement, with a rate above the account's and
/// no post with more likes, comments or shares than views behind it: fewer views but the most
/// engaged audience is a trade-off to weigh, not a group to drop. Its claim is on the engagement
/// rate; its sentences say both numbers.
pub(super) fn trade_off(cx: &Context<'_>, rows: &[Row<'_>]) -> Option<Recommendation> {
    let (row, _) = (trailing(cx, rows).into_iter())
        .find(|(row, leads)| *leads && !row.holds_any(cx.inflated))?;
    let views = row.claim(Measure::MedianViews, Some(cx.typical), None)?;
    let claim = row.claim(
        Measure::EngagementRate,
        cx.insights.basis.engagement_rate,
        None,
    )?;
    // Leading a table of weak rows is no trade-off: it must beat the account's rate too.
    if claim.baseline.is_some_and(|b| claim.value <= b) {
        return None;
    }
    Some(Recommendation {
        kind: RecommendationKind::TradeOff,
        message: format!(
            "{} reach fewer people but engage them best: a trade-off to weigh, not a reason to \
             make fewer.",
            capitalize(&row.label())
        ),
        evidence: format!(
            "{}, but {}",
            views_sentence(&row.label(), &views),
            engagement_sentence(&claim)
        ),
        claim: Some(claim),
    })
}

/// This week's post count against the account's usual week, the median of the earlier weeks'
/// counts: a week without posts; or, with at least [`MIN_EARLIER_WEEKS`] earlier weeks, the
/// rhythm kept (within ±[`RHYTHM_BAND`] of the usual), or a busier or quieter week than usual.
pub(super) fn consistency(week: &[&str], earlier: &[u64]) -> Option<Recommendation> {
    let this_week = week.len() as u64;
    let weeks = earlier.len();
    let usual = median(earlier.iter().copied());
    let versus = usual
        .map(|u| {
            format!(
                " vs a median of {} over the previous {}",
                posts_count(u),
                plural(weeks as u64, "week")
            )
        })
        .unwrap_or_default();
    let n = this_week as f64;
    let message = match usual {
        _ if this_week == 0 => {
            "You posted nothing this week: a steady schedule keeps the audience coming back."
                .to_string()
        }
        Some(u) if weeks >= MIN_EARLIER_WEEKS && (n - u).abs() <= u * RHYTHM_BAND => format!(
            "Keep your rhythm of about {} a week.",
            plural(u.round() as u64, "post")
        ),
        Some(u) if weeks >= MIN_EARLIER_WEEKS && n > u => format!(
            "A busier week than usual: {} against your usual {} a week; see whether the extra \
             posts kept their views before making it a habit.",
            plural(this_week, "post"),
            posts_count(u)
        ),
        Some(u) if weeks >= MIN_EARLIER_WEEKS => format!(
            "A quieter week than usual: {} against your usual {} a week; a steady schedule keeps \
             the audience coming back.",
            plural(this_week, "post"),
            posts_count(u)
        ),
        _ => return None,
    };
    Some(Recommendation {
        kind: RecommendationKind::Consistency,
        message,
        evidence: format!("{} this week{versus}", plural(this_week, "post")),
        claim: Some(Claim {
            dimension: Dimension::Cadence,
            group: None,
            measure: Measure::PostsPerWeek,
            value: n,
            baseline: usual,
            posts: week.iter().map(|id| id.to_string()).collect(),
            cited_post: None,
        }),
    })
}

/// A median of weekly counts: `5`, or `4.5` between two.
fn posts_count(usual: f64) -> String {
    if usual.fract() == 0.0 {
        group_thousands(usual as u64)
    } else {
        decimal(usual, 1)
    }
}
