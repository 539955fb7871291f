//! Reading a saved report back into the current [`Report`]: the one place where the schemas this
//! build reads (see [`READABLE_SCHEMAS`](super::READABLE_SCHEMAS)) are upgraded. A report's JSON is
//! read tolerantly (blocks later schemas added may be absent), then [`upgrade`]d: each ranked
//! list points back at its entry of `posts`, each delta gets its metric. A block the file does not
//! hold, or holds in a shape this build no longer reads (the insights and benchmark of an older
//! schema; a `role` or `competitors` block it cannot read), stays unknown (`None` or empty, an
//! account's role), never a made-up zero.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::{Competitor, PostEntry, PreviousRef, Ranked, Report, Role, TrendPoint};
use crate::analysis::benchmark::Benchmark;
use crate::analysis::diff::Delta;
use crate::analysis::followup::FollowUp;
use crate::analysis::insights::Insights;
use crate::analysis::metrics::{Metric, Metrics};
use crate::analysis::ranking::Band;
use crate::analysis::recommend::Recommendation;
use crate::model::{Account, ApiUsage, Window};

/// A report's JSON as saved by any readable schema: what [`Report`] is deserialized through.
#[derive(Deserialize)]
pub(super) struct Saved {
    schema_version: u32,
    user: String,
    #[serde(default, deserialize_with = "readable")]
    role: Option<Role>,
    generated_at: DateTime<Utc>,
    window: Window,
    account: Account,
    metrics: Metrics,
    #[serde(default)]
    posts: Vec<PostEntry>,
    #[serde(default)]
    top: Vec<RankedId>,
    #[serde(default)]
    bottom: Vec<RankedId>,
    #[serde(default)]
    top_by_views: Vec<RankedId>,
    #[serde(default)]
    engagement_band: Option<Band>,
    #[serde(default)]
    previous: Option<PreviousRef>,
    #[serde(default)]
    deltas: BTreeMap<String, SavedDelta>,
    #[serde(default)]
    followup: Vec<FollowUp>,
    #[serde(default, deserialize_with = "readable")]
    insights: Option<Insights>,
    #[serde(default)]
    trend: Vec<TrendPoint>,
    #[serde(default, deserialize_with = "readable")]
    benchmark: Option<Benchmark>,
    #[serde(default)]
    recommendations: Vec<Recommendation>,
    #[serde(default, deserialize_with = "readable")]
    competitors: Option<Vec<Competitor>>,
    #[serde(default)]
    api: ApiUsage,
}

/// An entry of `top`, `bottom` or `top_by_views`: the figures it repeats are its post's in `posts`.
#[derive(Deserialize)]
struct RankedId {
    id: String,
}

/// A delta as saved; its kind is its metric's.
#[derive(Deserialize)]
struct SavedDelta {
    #[serde(default)]
    previous: Option<f64>,
    #[serde(default)]
    current: Option<f64>,
    #[serde(default)]
    change: Option<f64>,
    #[serde(default)]
    change_pct: Option<f64>,
}

/// The block when it reads as this build's; `None` when it does not (an older schema's shape).
fn readable<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(T::deserialize(value).ok())
}

impl From<Saved> for Report {
    fn from(saved: Saved) -> Self {
        upgrade(saved)
    }
}

/// The current report of a saved one: ranked lists as entries of `posts` (an id that is not
/// among them is left out), deltas keyed by their metric (a name this build does not know is
/// left out).
fn upgrade(saved: Saved) -> Report {
    let ranked = |list: Vec<RankedId>| -> Vec<Ranked> {
        (list.iter())
            .filter_map(|r| saved.posts.iter().find(|e| e.post.id == r.id))
            .enumerate()
            .map(|(i, entry)| Ranked {
                rank: i + 1,
                entry: entry.clone(),
            })
            .collect()
    };
    let (top, bottom, top_by_views) = (
        ranked(saved.top),
        ranked(saved.bottom),
        ranked(saved.top_by_views),
    );
    let deltas = (saved.deltas.into_iter())
        .filter_map(|(name, d)| {
            let metric = Metric::ALL.into_iter().find(|m| m.name() == name)?;
            let delta = Delta {
                previous: d.previous,
                current: d.current,
                change: d.change,
                change_pct: d.change_pct,
                kind: metric.kind(),
            };
            Some((metric, delta))
        })
        .collect();
    Report {
        schema_version: saved.schema_version,
        user: saved.user,
        role: saved.role.unwrap_or_default(),
        generated_at: saved.generated_at,
        window: saved.window,
        account: saved.account,
        metrics: saved.metrics,
        posts: saved.posts,
        top,
        bottom,
        top_by_views,
        engagement_band: saved.engagement_band,
        previous: saved.previous,
        deltas,
        followup: saved.followup,
        insights: saved.insights,
        trend: saved.trend,
        benchmark: saved.benchmark,
        recommendations: saved.recommendations,
        competitors: saved.competitors.unwrap_or_default(),
        api: saved.api,
    }
}
