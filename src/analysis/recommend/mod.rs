//! Plain-English suggestions for next week, each quoting the numbers and sample size behind it.
//!
//! Pure. Every rule and threshold is a constant here, documented in the README; a suggestion is
//! made only with enough evidence behind it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::diff::Delta;
use super::insights::{Figures, Insights};
use super::metrics::{Metric, Metrics};
use crate::model::Post;
use crate::report::fmt::{count, decimal, group_thousands, percent_text, plural};

/// Posts a `best_time`, `double_down` or `drop` suggestion needs behind it.
pub const MIN_EVIDENCE_POSTS: usize = 3;
/// `best_time` and `double_down` need a median at least this many times the account's median.
pub const LIFT: f64 = 1.25;
/// `drop` needs a median at most this many times the account's median.
pub const DROP: f64 = 0.75;
/// `consistency` compares with at least this many earlier weeks (or fires on a week without posts).
pub const MIN_EARLIER_WEEKS: usize = 2;
/// `consistency` asks for more posts below this share of the earlier weekly average.
pub const CONSISTENCY_DIP: f64 = 0.75;
/// The most suggestions a report carries.
pub const MAX_RECOMMENDATIONS: usize = 6;
const _: () = assert!(
    MAX_RECOMMENDATIONS >= 5,
    "one suggestion of each kind must fit"
);

/// One suggestion: what to do, and the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `momentum`, `best_time`, `double_down`, `drop` or `consistency`.
    pub kind: String,
    /// The suggestion, in one sentence.
    pub message: String,
    /// The numbers and sample size it rests on.
    pub evidence: String,
}

/// What the suggestions are drawn from: this week's numbers and the insights' tables, never the
/// posts again, so that a suggestion quotes exactly what a table shows.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// This week's metrics.
    pub metrics: &'a Metrics,
    /// Against the previous report; empty without one.
    pub deltas: &'a BTreeMap<Metric, Delta>,
    /// What works and when, over the basis.
    pub insights: &'a Insights,
    /// `post_count` of each earlier report in the basis.
    pub earlier_post_counts: &'a [u64],
    /// This week's breakouts and their `vs_median`.
    pub breakouts: &'a [(&'a Post, f64)],
}

/// Up to [`MAX_RECOMMENDATIONS`] suggestions, in the order momentum, best time, double down, drop,
/// consistency; each only when its rule's evidence is there.
pub fn recommend(evidence: &Evidence<'_>) -> Vec<Recommendation> {
    let insights = evidence.insights;
    let typical = insights.basis.median_views.filter(|m| *m > 0.0);
    let groups = typical.map(|t| groups(insights, t)).unwrap_or_default();
    let mut out: Vec<Recommendation> = [
        momentum(evidence.deltas, evidence.metrics),
        typical.and_then(|t| best_time(insights, t)),
        double_down(&groups, evidence.breakouts),
        drop(&groups),
        consistency(evidence.metrics.post_count, evidence.earlier_post_counts),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.truncate(MAX_RECOMMENDATIONS);
    out
}

/// A group of the insights' tables and how its median compares with the account's.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    /// `#latteart posts`, `15-30s videos`, …
    label: String,
    median: f64,
    posts: usize,
    typical: f64,
}

impl Group {
    /// The group of `figures`, when it has a median.
    fn of(label: String, figures: &Figures, typical: f64) -> Option<Self> {
        Some(Group {
            label,
            median: figures.median_views?,
            posts: figures.posts,
            typical,
        })
    }

    fn ratio(&self) -> f64 {
        self.median / self.typical
    }

    fn evidence(&self) -> String {
        format!(
            "{} had a median of {} views over {}, {}× your median of {}",
            capitalize(&self.label),
            group_thousands(self.median.round() as u64),
            plural(self.posts as u64, "post"),
            decimal(self.ratio(), 1),
            group_thousands(self.typical.round() as u64)
        )
    }
}

/// Every hashtag, length, format and sound group of the insights with enough posts (and not
/// every post of the basis).
fn groups(insights: &Insights, typical: f64) -> Vec<Group> {
    let tags = (insights.hashtags.tags.iter()).map(|t| (format!("#{} posts", t.tag), &t.figures));
    let lengths = (insights.durations.iter()).map(|b| (format!("{} videos", b.bucket), &b.figures));
    let formats =
        (insights.formats.by_format.iter()).map(|k| (format!("{} posts", k.kind), &k.figures));
    let sounds = insights.formats.by_sound.iter().map(|k| {
        let label = match k.kind {
            "original" => "posts with your original sound",
            _ => "posts with a borrowed sound",
        };
        (label.to_string(), &k.figures)
    });
    let all = insights.basis.posts;
    tags.chain(lengths)
        .chain(formats)
        .chain(sounds)
        .filter(|(_, f)| f.posts >= MIN_EVIDENCE_POSTS && f.posts < all)
        .filter_map(|(label, figures)| Group::of(label, figures, typical))
        .collect()
}

/// More than this share of the week's views from one post, and `momentum` says so.
pub const ONE_POST_SHARE: f64 = 50.0;

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

/// The week-over-week change of views, with the median post's beside it, and a warning when one
/// of several posts made more than half of the week's views (a total is at the mercy of one post).
fn momentum(deltas: &BTreeMap<Metric, Delta>, metrics: &Metrics) -> Option<Recommendation> {
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
    let mut message = format!("Views {} week over week", moved(views));
    if let Some(share) = top_share.filter(|s| *s > ONE_POST_SHARE) {
        message.push_str(&format!(", but one post made {share:.0}% of them"));
    }
    if let Some(median) = median {
        message.push_str(&format!("; your median post {}", moved(median)));
    }
    let fell = median.unwrap_or(views).change.is_some_and(|c| c < 0.0);
    let advice = if fell {
        "look at what the top posts of earlier weeks did differently"
    } else {
        "repeat what this week's top posts did"
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
        kind: "momentum".into(),
        message: format!("{message}: {advice}."),
        evidence: format!(
            "views {} vs {}{median_evidence}; engagement rate {} vs {}",
            views_count(views.current),
            views_count(views.previous),
            rate(|d| d.current),
            rate(|d| d.previous),
        ),
    })
}

/// The strongest slot of the insights' best slots that has enough posts.
fn best_time(insights: &Insights, typical: f64) -> Option<Recommendation> {
    let slot = (insights.posting_times.best_slots.iter())
        .find(|s| s.figures.posts >= MIN_EVIDENCE_POSTS)?;
    let group = Group::of(format!("posts at {}", slot.slot), &slot.figures, typical)?;
    (group.ratio() >= LIFT).then(|| Recommendation {
        kind: "best_time".into(),
        message: format!(
            "Post on {} ({}): it is your strongest slot.",
            slot.slot, insights.timezone
        ),
        evidence: group.evidence(),
    })
}

/// The group that beats the typical post most, citing this week's strongest breakout; or, when no
/// group qualifies, that breakout alone.
fn double_down(groups: &[Group], breakouts: &[(&Post, f64)]) -> Option<Recommendation> {
    let best = groups.iter().filter(|g| g.ratio() >= LIFT).max_by(|a, b| {
        a.ratio()
            .total_cmp(&b.ratio())
            .then(a.posts.cmp(&b.posts))
            .then(b.label.cmp(&a.label))
    });
    let breakout = breakouts.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let cite = |(post, multiple): &(&Post, f64)| {
        format!(
            "“{}” drew {} views, {}× the median of your other posts",
            quote(&post.caption),
            group_thousands(post.views),
            decimal(*multiple, 1)
        )
    };
    match (best, breakout) {
        (Some(best), breakout) => Some(Recommendation {
            kind: "double_down".into(),
            message: format!(
                "Double down on {}: they beat your typical post.",
                best.label
            ),
            evidence: match breakout {
                Some(b) => format!("{}; this week's breakout: {}", best.evidence(), cite(b)),
                None => best.evidence(),
            },
        }),
        (None, Some(b)) => Some(Recommendation {
            kind: "double_down".into(),
            message: format!(
                "Double down on what made “{}” break out: make more like it.",
                quote(&b.0.caption)
            ),
            evidence: cite(b),
        }),
        (None, None) => None,
    }
}

/// A caption cut to about 40 characters on a word, for quoting.
fn quote(caption: &str) -> String {
    let line = caption.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return "(no caption)".into();
    }
    if line.chars().count() <= 40 {
        return line;
    }
    let cut: String = line.chars().take(40).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

fn drop(groups: &[Group]) -> Option<Recommendation> {
    let worst = groups.iter().filter(|g| g.ratio() <= DROP).min_by(|a, b| {
        a.ratio()
            .total_cmp(&b.ratio())
            .then(b.posts.cmp(&a.posts))
            .then(a.label.cmp(&b.label))
    })?;
    Some(Recommendation {
        kind: "drop".into(),
        message: format!(
            "Make fewer {}, or rework them: they trail your typical post.",
            worst.label
        ),
        evidence: worst.evidence(),
    })
}

fn consistency(this_week: u64, earlier: &[u64]) -> Option<Recommendation> {
    let weeks = earlier.len();
    let total = earlier.iter().fold(0u64, |sum, n| sum.saturating_add(*n));
    let average = (weeks > 0).then(|| total as f64 / weeks as f64);
    let versus = average
        .map(|avg| {
            format!(
                " vs an average of {} over the previous {}",
                decimal(avg, 1),
                plural(weeks as u64, "week")
            )
        })
        .unwrap_or_default();
    let evidence = format!("{} this week{versus}", plural(this_week, "post"));
    let message = match average {
        _ if this_week == 0 => {
            "You posted nothing this week: a steady schedule keeps the audience coming back."
                .to_string()
        }
        Some(avg) if weeks >= MIN_EARLIER_WEEKS && (this_week as f64) < avg * CONSISTENCY_DIP => {
            format!(
                "Post more regularly: about {} a week, as before, keeps the audience coming back.",
                decimal(avg.round(), 0)
            )
        }
        Some(avg) if weeks >= MIN_EARLIER_WEEKS => {
            format!(
                "Keep your rhythm of about {} a week.",
                plural(avg.round().max(this_week as f64) as u64, "post")
            )
        }
        _ => return None,
    };
    Some(Recommendation {
        kind: "consistency".into(),
        message,
        evidence,
    })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
