//! The demo's sample data, `demo/data/` (written by `scripts/gen_demo_data.py`): for each weekly
//! run of @crumbandcrust, the profile answer and the `user/posts` pages that run asks for.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The demo's account.
pub const HANDLE: &str = "crumbandcrust";
/// Its time zone, as the runs pass it with `--tz`.
pub const TZ: &str = "America/New_York";

/// One weekly run's answers.
pub struct Week {
    /// The run's date, a Sunday: the run happens at 20:00 UTC.
    pub date: String,
    /// The `/api/v1/tiktok/profile` answer.
    pub profile: String,
    /// `(cursor, answer)` of each `/api/v1/tiktok/user/posts` page the run asks for, `"0"` first.
    pub pages: Vec<(String, String)>,
}

impl Week {
    /// `--as-of` of the run: Sunday 20:00 UTC.
    pub fn as_of(&self) -> String {
        format!("{}T20:00:00Z", self.date)
    }

    /// What the run costs: the profile and each page, one request (and credit) each.
    pub fn requests(&self) -> usize {
        1 + self.pages.len()
    }

    /// The `sec_uid` of the profile answer, which the pages are asked for with.
    pub fn sec_uid(&self) -> anyhow::Result<String> {
        let profile: serde_json::Value = serde_json::from_str(&self.profile)?;
        (profile["data"]["user"]["sec_uid"].as_str())
            .map(str::to_string)
            .context("the demo profile has no data.user.sec_uid")
    }
}

/// The folder of the sample data.
pub fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Every week of the sample data, oldest first.
pub fn weeks() -> anyhow::Result<Vec<Week>> {
    let root = folder();
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let mut dates: Vec<String> = std::fs::read_dir(&root)
        .with_context(|| format!("reading {}", root.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("20"))
        .collect();
    dates.sort();
    dates
        .into_iter()
        .map(|date| {
            let dir = root.join(&date);
            let mut pages = Vec::new();
            for entry in std::fs::read_dir(&dir)? {
                let name = entry?.file_name().into_string().unwrap_or_default();
                if let Some(cursor) = name
                    .strip_prefix("posts_")
                    .and_then(|n| n.strip_suffix(".json"))
                {
                    pages.push((cursor.to_string(), read(&dir.join(&name))?));
                }
            }
            // "0" first, then older cursors (smaller numbers), as the run asks for them.
            pages.sort_by_key(|(cursor, _)| {
                std::cmp::Reverse(match cursor.as_str() {
                    "0" => u64::MAX,
                    c => c.parse().unwrap_or(0),
                })
            });
            anyhow::ensure!(
                pages.first().is_some_and(|(c, _)| c == "0"),
                "{} has no posts_0.json",
                dir.display()
            );
            Ok(Week {
                profile: read(&dir.join("profile.json"))?,
                date,
                pages,
            })
        })
        .collect()
}
