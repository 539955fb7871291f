//! A recommendation's claim: the table row it rests on (its dimension and its key exactly as the
//! insights write it), the measure and value it quotes from that row, what that is measured
//! against, and the ids of the posts the row was computed from. Every sentence of a
//! recommendation is written from its claim, so that a sentence and a table cannot disagree.
//!
//! Pure; the rows are read from the insights' tables, never recomputed from posts.

use serde::{Deserialize, Serialize};

use crate::analysis::insights::{Figures, Insights};
use crate::fmt::{decimal, group_thousands, percent_text, plural};

/// Which table a claim's row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Dimension {
    /// `insights.posting_times.best_slots[].slot`.
    Slot,
    /// `insights.hashtags.tags[].tag`.
    Hashtag,
    /// `insights.durations[].bucket`.
    Duration,
    /// `insights.formats.by_format[].kind`.
    Format,
    /// `insights.formats.by_sound[].kind`.
    Sound,
    /// How many posts went out a week (`metrics.post_count`); no row, `group` is null.
    Cadence,
}

impl Dimension {
    /// The table's rows, in the plural, as a sentence names them (`your formats`).
    fn table(self) -> &'static str {
        match self {
            Dimension::Slot => "slots",
            Dimension::Hashtag => "hashtags",
            Dimension::Duration => "lengths",
            Dimension::Format => "formats",
            Dimension::Sound => "sounds",
            Dimension::Cadence => "weeks",
        }
    }
}

/// The number a claim quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Measure {
    /// The row's `median_views`, against `insights.basis.median_views`.
    MedianViews,
    /// The row's `engagement_rate`, against `insights.basis.engagement_rate`.
    EngagementRate,
    /// This week's `post_count`, against the median of the earlier weeks' counts.
    PostsPerWeek,
}

/// What a recommendation rests on (schema 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Claim {
    /// The table.
    pub(crate) dimension: Dimension,
    /// The row's key exactly as in its table; null for [`Dimension::Cadence`].
    pub(crate) group: Option<String>,
    /// Which of the row's numbers is quoted.
    pub(crate) measure: Measure,
    /// That number, as the row holds it.
    pub(crate) value: f64,
    /// What it is measured against; null when there is nothing to measure it against.
    pub(crate) baseline: Option<f64>,
    /// The ids of the row's posts (as many as its `posts`): the posts the value was computed
    /// from. For cadence, this week's posts.
    pub(crate) posts: Vec<String>,
    /// A post the sentence names (this week's breakout), always one of `posts`; or null.
    pub(crate) cited_post: Option<String>,
}

/// A row of one of the insights' tables, as a recommendation may claim it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Row<'a> {
    /// Its table.
    pub(crate) dimension: Dimension,
    /// Its key exactly as in the table.
    pub(crate) group: &'a str,
    /// Its figures.
    pub(crate) figures: &'a Figures,
    /// The ids of the basis posts, which the figures' members point at.
    pub(crate) basis: &'a [String],
}

impl<'a> Row<'a> {
    /// `#latteart posts`, `15-30s videos`, `photo posts`, `posts at Thu 18:00–21:00`, …
    pub(crate) fn label(&self) -> String {
        let g = self.group;
        match (self.dimension, g) {
            (Dimension::Slot, _) => format!("posts at {g}"),
            (Dimension::Hashtag, _) => format!("#{g} posts"),
            (Dimension::Duration, _) => format!("{g} videos"),
            (Dimension::Sound, "original") => "posts with your original sound".into(),
            (Dimension::Sound, _) => "posts with a borrowed sound".into(),
            (Dimension::Format | Dimension::Cadence, _) => format!("{g} posts"),
        }
    }

    /// The row's posts.
    pub(crate) fn posts(&self) -> usize {
        self.figures.posts
    }

    /// The ids of the row's posts, in basis order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        let basis = self.basis;
        (self.figures.members.iter())
            .filter_map(move |&i| basis.get(i as usize).map(String::as_str))
    }

    /// Whether `id` is one of the row's posts.
    pub(crate) fn holds(&self, id: &str) -> bool {
        self.ids().any(|own| own == id)
    }

    /// Whether any of the row's posts is one of `ids`.
    pub(crate) fn holds_any(&self, ids: &[&str]) -> bool {
        self.ids().any(|id| ids.contains(&id))
    }

    /// Its median views ÷ `typical`, when it has a median.
    pub(crate) fn ratio(&self, typical: f64) -> Option<f64> {
        self.figures.median_views.map(|m| m / typical)
    }

    /// The claim on this row's `measure`, against `baseline`, naming `cited` (which must be one
    /// of the row's posts, or it is left out); `None` when the row has no such number.
    pub(crate) fn claim(
        &self,
        measure: Measure,
        baseline: Option<f64>,
        cited: Option<&str>,
    ) -> Option<Claim> {
        let value = match measure {
            Measure::MedianViews => self.figures.median_views?,
            Measure::EngagementRate => self.figures.engagement_rate?,
            // A week's count is no row's number.
            Measure::PostsPerWeek => return None,
        };
        let cited_post = cited.filter(|id| self.holds(id)).map(str::to_string);
        Some(Claim {
            dimension: self.dimension,
            group: Some(self.group.to_string()),
            measure,
            value,
            baseline,
            posts: self.ids().map(str::to_string).collect(),
            cited_post,
        })
    }
}

/// Every hashtag, length, format and sound row of the insights (the slots are apart: `best_time`
/// reads them with rules of its own).
pub(super) fn rows(insights: &Insights) -> Vec<Row<'_>> {
    let tags =
        (insights.hashtags.tags.iter()).map(|t| (Dimension::Hashtag, t.tag.as_str(), &t.figures));
    let lengths = (insights.durations.iter()).map(|b| (Dimension::Duration, b.bucket, &b.figures));
    let formats =
        (insights.formats.by_format.iter()).map(|k| (Dimension::Format, k.kind, &k.figures));
    let sounds = (insights.formats.by_sound.iter()).map(|k| (Dimension::Sound, k.kind, &k.figures));
    tags.chain(lengths)
        .chain(formats)
        .chain(sounds)
        .map(|(dimension, group, figures)| Row {
            dimension,
            group,
            figures,
            basis: &insights.basis.ids,
        })
        .collect()
}

/// Whether `row` leads its table on engagement: its rate is at least that of every other row of
/// the table with at least `min_posts` posts (a row that few posts make is noise, not a rival),
/// and there is such a row to lead (the only row with enough posts leads nothing).
pub(super) fn leads_engagement(row: &Row<'_>, all: &[Row<'_>], min_posts: usize) -> bool {
    let Some(rate) = row.figures.engagement_rate else {
        return false;
    };
    let rivals: Vec<f64> = (all.iter())
        .filter(|r| r.dimension == row.dimension && r.group != row.group)
        .filter(|r| r.posts() >= min_posts)
        .filter_map(|r| r.figures.engagement_rate)
        .collect();
    !rivals.is_empty() && rivals.iter().all(|other| *other <= rate)
}

/// `Photo posts had a median of 1,509 views over 4 posts, 0.1× your median of 14,844`: the
/// sentence of a claim on median views, `label` naming its row.
pub(super) fn views_sentence(label: &str, claim: &Claim) -> String {
    let ratio = claim.baseline.map(|b| claim.value / b);
    format!(
        "{} had a median of {} views over {}{}",
        capitalize(label),
        views(claim.value),
        plural(claim.posts.len() as u64, "post"),
        match (ratio, claim.baseline) {
            (Some(r), Some(b)) => format!(", {}× your median of {}", decimal(r, 1), views(b)),
            _ => String::new(),
        }
    )
}

/// `the best of your formats, 11.7% against 8.6% over all your posts`: a claim on engagement.
pub(super) fn engagement_sentence(claim: &Claim) -> String {
    let against = claim
        .baseline
        .map(|b| format!(", against {} over all your posts", rate_in_prose(b)))
        .unwrap_or_default();
    format!(
        "an engagement rate of {}, the best of your {}{against}",
        rate_in_prose(claim.value),
        claim.dimension.table()
    )
}

/// A count of views, rounded to a whole number and grouped: `14,844`.
pub(super) fn views(v: f64) -> String {
    group_thousands(v.max(0.0).round() as u64)
}

/// A rate in a sentence, as [`percent_text`] writes it (`11.7%`); `under 0.1%` for a rate that
/// would read as 0.0 % but is not 0.
pub(crate) fn rate_in_prose(rate: f64) -> String {
    if rate > 0.0 && rate < 0.05 {
        "under 0.1%".into()
    } else {
        percent_text(Some(rate))
    }
}

/// The first letter in upper case.
pub(super) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}
