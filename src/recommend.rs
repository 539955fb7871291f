//! Plain-English suggestions for next week, each with the numbers behind it.
//!
//! Pure. This first version states the week-over-week headline (`momentum`) and flags a week without
//! posts (`consistency`); the insights work adds formats, hashtags and posting times.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diff::Delta;
use crate::metrics::Metrics;

/// One suggestion: what to do, and the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// What the suggestion is about: `momentum`, `consistency`, …
    pub kind: String,
    /// The suggestion, in one sentence.
    pub message: String,
    /// The numbers it rests on.
    pub evidence: String,
}

/// Suggestions from this week's metrics and the deltas against the previous report (if any).
pub fn recommend(metrics: &Metrics, deltas: &BTreeMap<String, Delta>) -> Vec<Recommendation> {
    let mut out = Vec::new();
    if metrics.post_count == 0 {
        out.push(Recommendation {
            kind: "consistency".into(),
            message:
                "You posted nothing this week: a steady schedule keeps the audience coming back."
                    .into(),
            evidence: "0 posts in the 7-day window".into(),
        });
    }
    if let Some(views) = deltas.get("total_views") {
        let direction = match views.change {
            Some(c) if c > 0.0 => "rose",
            Some(c) if c < 0.0 => "fell",
            _ => "held steady",
        };
        let pct = views
            .change_pct
            .map(|p| format!(" {:.1}%", p.abs()))
            .unwrap_or_default();
        let advice = if direction == "fell" {
            "look at what the top posts of earlier weeks did differently"
        } else {
            "repeat what this week's top posts did"
        };
        out.push(Recommendation {
            kind: "momentum".into(),
            message: format!("Views {direction}{pct} week over week: {advice}."),
            evidence: format!(
                "views {} vs {}; engagement rate {} vs {}",
                show(views.current),
                show(views.previous),
                show_pct(deltas.get("engagement_rate").and_then(|d| d.current)),
                show_pct(deltas.get("engagement_rate").and_then(|d| d.previous)),
            ),
        });
    }
    out
}

fn show(value: Option<f64>) -> String {
    value.map_or_else(
        || "n/a".into(),
        |v| crate::report::group_thousands(v as u64),
    )
}

fn show_pct(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".into(), |v| format!("{v:.2}%"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Snapshot, deltas};
    use crate::metrics::of_week;
    use crate::metrics::tests::post;
    use crate::model::Account;

    #[test]
    fn an_empty_week_asks_for_consistency_and_a_first_week_has_no_momentum() {
        let metrics = of_week(&[]);
        let recs = recommend(&metrics, &BTreeMap::new());
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].kind, "consistency");
    }

    #[test]
    fn momentum_quotes_the_views_change() {
        let last = of_week(&[post("1", 0, 1_000, 10, 0, 0)]);
        let this = of_week(&[post("2", 0, 1_500, 30, 0, 0)]);
        let account = Account::default();
        let snap = |m| Snapshot {
            metrics: m,
            account: &account,
        };
        let recs = recommend(&this, &deltas(Some(snap(&last)), snap(&this)));
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].kind, "momentum");
        assert_eq!(
            recs[0].message,
            "Views rose 50.0% week over week: repeat what this week's top posts did."
        );
        assert_eq!(
            recs[0].evidence,
            "views 1,500 vs 1,000; engagement rate 2.00% vs 1.00%"
        );
    }
}
