//! The posts a claim check looks up, with the figures the report under check counted them with.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

/// The posts a check may look up by id, with the figures a report counted them with: those of the
/// report that holds the post in its `posts[]`, or those its run fetched again.
///
/// A run's pages may reach back further than last week's posts (after a week off, say), and the
/// figures it fetched for those are in no file. So `Known::default()` checks a median quoted
/// from such posts only as a bound (views only grow, so the saved figures' median is at most the
/// quoted one); [`Known::exact`] is for histories whose every fetch the test knows.
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub(super) exact: bool,
    saved: HashMap<String, Value>,
    again: HashMap<String, Value>,
    /// Ids flagged `views_without_engagement` in any report so far.
    pub(super) unengaged: BTreeSet<String>,
}

impl Known {
    /// A history whose pages held only each week's posts and last week's: every figure is known.
    pub fn exact() -> Self {
        Self {
            exact: true,
            ..Self::default()
        }
    }

    /// Learns a report, in date order and before checking it: its posts, and last week's posts
    /// its run saw again (from `followup`, views only: their engagement is then not exact).
    pub fn learn(&mut self, report: &Value) {
        self.again.clear();
        for seen in report["followup"].as_array().into_iter().flatten() {
            let id = seen["id"].as_str().unwrap();
            if let Some(mut post) = self.saved.get(id).cloned() {
                post["views"] = seen["views_now"].clone();
                post["stale_engagement"] = Value::Bool(true);
                self.again.insert(id.to_string(), post);
            }
        }
        for post in report["posts"].as_array().into_iter().flatten() {
            let id = post["id"].as_str().unwrap().to_string();
            if post["views_without_engagement"] == true {
                self.unengaged.insert(id.clone());
            }
            self.saved.insert(id, post.clone());
        }
    }

    /// The exact figures the run of the report last learned fetched again for an earlier post.
    pub fn fetched_again(&mut self, post: Value) {
        let id = post["id"].as_str().unwrap().to_string();
        self.again.insert(id, post);
    }

    pub(super) fn get(&self, id: &str) -> Option<&Value> {
        self.again.get(id).or_else(|| self.saved.get(id))
    }

    fn all(&self) -> impl Iterator<Item = &Value> {
        let again = &self.again;
        (self.saved.iter()).map(move |(id, p)| again.get(id).unwrap_or(p))
    }
}
