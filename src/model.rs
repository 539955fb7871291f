//! Domain values shared by the stages: a post, the account's profile, and the report window.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// One TikTok post as the rest of the program sees it, whatever shape the API gave it in.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// TikTok's `aweme_id`.
    pub id: String,
    /// Canonical link, without query string.
    pub url: String,
    /// The caption (`desc`).
    pub caption: String,
    /// When it was posted.
    pub posted_at: DateTime<Utc>,
    /// Plays (`play_count`).
    pub views: u64,
    /// Likes (`digg_count`).
    pub likes: u64,
    /// Comments (`comment_count`).
    pub comments: u64,
    /// Shares (`share_count`).
    pub shares: u64,
    /// Saves / bookmarks (`collect_count`).
    pub saves: u64,
    /// False when the record had no `statistics` object: its counts are then all 0.
    pub has_statistics: bool,
    /// Video length in seconds; `None` for photo posts or when unknown.
    pub duration_s: Option<f64>,
    /// Hashtags, lowercased, without `#`, in first-seen order.
    pub hashtags: Vec<String>,
    /// Pinned to the top of the profile (`is_top`).
    pub pinned: bool,
    /// Video or photo carousel.
    pub format: Format,
    /// Whether the sound is the creator's own, when the API says.
    pub original_sound: Option<bool>,
}

/// The kind of post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A video.
    Video,
    /// A photo carousel (`aweme_type` 150 / `image_post_info`).
    Photo,
}

/// The account figures from the profile endpoint; each is `None` when the API left it out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Followers.
    pub followers: Option<u64>,
    /// Accounts followed.
    pub following: Option<u64>,
    /// Likes received over all time.
    pub likes_total: Option<u64>,
    /// Posts over all time.
    pub videos_total: Option<u64>,
}

/// The half-open reporting window `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First instant inside the window.
    pub start: DateTime<Utc>,
    /// First instant after the window.
    pub end: DateTime<Utc>,
}

impl Window {
    /// The 7 days before `end`: `[end − 7 days, end)`.
    pub fn week_ending(end: DateTime<Utc>) -> Self {
        Self {
            start: end - Duration::days(7),
            end,
        }
    }

    /// Whether `at` lies inside the window (start inclusive, end exclusive).
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_includes_its_start_and_excludes_its_end() {
        let end = DateTime::from_timestamp(1_795_982_400, 0).unwrap();
        let window = Window::week_ending(end);
        assert!(window.contains(window.start));
        assert!(!window.contains(end));
        assert!(window.contains(end - Duration::seconds(1)));
        assert!(!window.contains(window.start - Duration::seconds(1)));
    }
}
