//! One raw TikTok post record (about 150 keys, of which these are read) turned into a [`Post`].
//!
//! Tolerant of the shapes the API is known to vary in (counts as numbers or numeric strings, the
//! app's `statistics` or the web's `stats`, `video.duration` in milliseconds or seconds), strict
//! about what it cannot read: a record without a numeric `aweme_id` or a usable `create_time` is
//! not a post, and a count that is not a count is a note naming the post and the field, never a
//! silent 0 or a saturated number.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::lenient::{Lenient, List, Scalar};
use super::{ApiKey, PostNote};
use crate::handle::Handle;
use crate::model::{Format, Post};
use crate::text::clean;

/// The longest caption kept; TikTok allows 4,000 characters, so anything longer is not a caption.
pub(crate) const MAX_CAPTION_CHARS: usize = 4_000;

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct RawRecord {
    aweme_id: Option<Scalar>,
    desc: Option<Scalar>,
    create_time: Option<Scalar>,
    is_top: Option<Scalar>,
    aweme_type: Option<Scalar>,
    statistics: Option<Lenient<RawStats>>,
    stats: Option<Lenient<RawStats>>,
    video: Option<Lenient<RawVideo>>,
    music: Option<Lenient<RawMusic>>,
    author: Option<Lenient<RawAuthor>>,
    image_post_info: Option<Lenient<Empty>>,
    text_extra: Option<List<Lenient<RawTextExtra>>>,
    cha_list: Option<List<Lenient<RawChallenge>>>,
}

/// `statistics` or `stats`, with the app's names for the counts or the web's (a proxy may pass
/// both; the app's name wins).
#[derive(Debug, Deserialize, PartialEq)]
struct RawStats {
    play_count: Option<Scalar>,
    #[serde(rename = "playCount")]
    play_count_web: Option<Scalar>,
    digg_count: Option<Scalar>,
    #[serde(rename = "diggCount")]
    digg_count_web: Option<Scalar>,
    comment_count: Option<Scalar>,
    #[serde(rename = "commentCount")]
    comment_count_web: Option<Scalar>,
    share_count: Option<Scalar>,
    #[serde(rename = "shareCount")]
    share_count_web: Option<Scalar>,
    collect_count: Option<Scalar>,
    #[serde(rename = "collectCount")]
    collect_count_web: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RawVideo {
    duration: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RawMusic {
    original: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RawAuthor {
    unique_id: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RawTextExtra {
    #[serde(rename = "type")]
    kind: Option<Scalar>,
    hashtag_name: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RawChallenge {
    cha_name: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct Empty {}

/// A record read: the post, what was wrong with it, and the author it names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    /// The post.
    pub(crate) post: Post,
    /// Notes on fields that could not be read.
    pub(crate) notes: Vec<PostNote>,
    /// `author.unique_id`, lowercased, when present.
    pub(crate) author: Option<String>,
}

/// The post of one record; `None` without a numeric `aweme_id` or a usable `create_time`. The link
/// is built from the validated handle and the numeric id: `share_url` names whatever host the
/// answer likes and is never used.
/// Text from the record is cleaned and has `key` redacted; a caption is cut at
/// [`MAX_CAPTION_CHARS`].
pub(crate) fn read(record: &RawRecord, handle: &Handle, key: &ApiKey) -> Option<Read> {
    let id = record.aweme_id.as_ref()?.digits()?;
    let posted_at = timestamp(record.create_time.as_ref()?)?;
    let format = if record.aweme_type.as_ref().and_then(|t| t.count().ok()) == Some(150)
        || matches!(record.image_post_info, Some(Lenient::Object(_)))
    {
        Format::Photo
    } else {
        Format::Video
    };
    let text = |s: &str| key.redact(&clean(s));
    let caption = text(
        &record
            .desc
            .as_ref()
            .and_then(Scalar::text)
            .unwrap_or_default(),
    );
    let caption = match caption.char_indices().nth(MAX_CAPTION_CHARS) {
        Some((cut, _)) => format!("{}…", &caption[..cut]),
        None => caption,
    };
    let mut notes = Vec::new();
    let counts = statistics(record, &id, key, &mut notes);
    let Counts {
        views,
        likes,
        comments,
        shares,
        saves,
    } = counts.unwrap_or_default();
    let author = record
        .author
        .as_ref()
        .and_then(Lenient::object)
        .and_then(|a| a.unique_id.as_ref()?.text())
        .map(|a| text(a.trim().trim_start_matches('@')).to_ascii_lowercase())
        .map(|a| a.chars().take(32).collect::<String>())
        .filter(|a| !a.is_empty());
    let post = Post {
        url: format!("https://www.tiktok.com/@{handle}/video/{id}"),
        hashtags: hashtags(record, &caption, key),
        caption,
        posted_at,
        views,
        likes,
        comments,
        shares,
        saves,
        has_statistics: counts.is_some(),
        duration_s: match format {
            Format::Photo => None,
            Format::Video => record
                .video
                .as_ref()
                .and_then(Lenient::object)
                .and_then(|v| duration_s(v.duration.as_ref()?)),
        },
        pinned: record.is_top.as_ref().is_some_and(Scalar::truthy),
        format,
        original_sound: match record.music.as_ref().and_then(Lenient::object) {
            Some(RawMusic {
                original: Some(Scalar::Bool(b)),
            }) => Some(*b),
            _ => None,
        },
        id,
    };
    Some(Read {
        post,
        notes,
        author,
    })
}

/// A record's counts. Saves are `None` when `collect_count` is missing: older app versions leave
/// it out, and a count the API did not send is unknown, not 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    views: u64,
    likes: u64,
    comments: u64,
    shares: u64,
    saves: Option<u64>,
}

/// Views, likes, comments, shares and saves, when the record's statistics can be read: an object
/// with a readable play count, and every other count present readable (a missing like, comment
/// or share count is 0, a missing save count unknown). A count that is not a count leaves the
/// post without statistics, with a note naming the field.
fn statistics<'a>(
    record: &'a RawRecord,
    id: &str,
    key: &ApiKey,
    notes: &mut Vec<PostNote>,
) -> Option<Counts> {
    let (name, stats) = [("statistics", &record.statistics), ("stats", &record.stats)]
        .into_iter()
        .find_map(|(name, s)| Some((name, s.as_ref()?.object()?)))?;
    let either = |app: &'a Option<Scalar>, web: &'a Option<Scalar>| app.as_ref().or(web.as_ref());
    let fields = [
        (
            "play_count",
            either(&stats.play_count, &stats.play_count_web),
        ),
        (
            "digg_count",
            either(&stats.digg_count, &stats.digg_count_web),
        ),
        (
            "comment_count",
            either(&stats.comment_count, &stats.comment_count_web),
        ),
        (
            "share_count",
            either(&stats.share_count, &stats.share_count_web),
        ),
        (
            "collect_count",
            either(&stats.collect_count, &stats.collect_count_web),
        ),
    ];
    let mut counts: [Option<u64>; 5] = [None; 5];
    let mut readable = true;
    for (i, (field, value)) in fields.into_iter().enumerate() {
        match value.map(Scalar::count) {
            Some(Ok(n)) => counts[i] = Some(n),
            None if i > 0 => {}
            None => {
                notes.push(PostNote::new(
                    id,
                    format!("post {id}: {name} has no {field}; its statistics were left out"),
                ));
                readable = false;
            }
            Some(Err(shown)) => {
                let shown = key.redact(&shown);
                notes.push(PostNote::new(
                    id,
                    format!("post {id}: {name}.{field} is {shown}, not a count; its statistics were left out"),
                ));
                readable = false;
            }
        }
    }
    let [views, likes, comments, shares, saves] = counts;
    readable.then(|| Counts {
        views: views.unwrap_or(0),
        likes: likes.unwrap_or(0),
        comments: comments.unwrap_or(0),
        shares: shares.unwrap_or(0),
        saves,
    })
}

/// Hashtags from `text_extra` (type 1) and `cha_list`; from `#words` in the caption when the
/// record has neither list. Lowercased, without `#`, each once, cleaned of control characters.
fn hashtags(record: &RawRecord, caption: &str, key: &ApiKey) -> Vec<String> {
    let text_extra: Option<Vec<&RawTextExtra>> = objects(&record.text_extra);
    let cha_list: Option<Vec<&RawChallenge>> = objects(&record.cha_list);
    let mut tags: Vec<String> = Vec::new();
    let mut add = |tag: &str| {
        let tag = key
            .redact(&clean(tag.trim().trim_start_matches('#')))
            .to_lowercase();
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    };
    if text_extra.is_none() && cha_list.is_none() {
        for word in caption.split_whitespace() {
            if let Some(tag) = word.strip_prefix('#') {
                add(tag.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_')));
            }
        }
    }
    for entry in text_extra.into_iter().flatten() {
        let is_hashtag = entry
            .kind
            .as_ref()
            .is_none_or(|t| t.count().is_ok_and(|t| t == 1));
        if let (true, Some(name)) = (
            is_hashtag,
            entry.hashtag_name.as_ref().and_then(Scalar::text),
        ) {
            add(&name);
        }
    }
    for entry in cha_list.into_iter().flatten() {
        if let Some(name) = entry.cha_name.as_ref().and_then(Scalar::text) {
            add(&name);
        }
    }
    tags
}

/// The objects of a list, when it is one.
fn objects<T>(list: &Option<List<Lenient<T>>>) -> Option<Vec<&T>> {
    match list {
        Some(List::Items(items)) => Some(items.iter().filter_map(Lenient::object).collect()),
        _ => None,
    }
}

/// A creation time from Unix seconds (or milliseconds, if implausibly large); 0 means unknown.
fn timestamp(value: &Scalar) -> Option<DateTime<Utc>> {
    let raw = value.whole().filter(|&n| n > 0)?;
    let secs = if raw >= 100_000_000_000 {
        raw / 1000
    } else {
        raw
    };
    DateTime::from_timestamp(i64::try_from(secs).ok()?, 0)
}

/// Seconds from `video.duration`: values of 1000 and more are milliseconds, smaller ones seconds
/// (no TikTok video is shorter than a second, and none reaches 1000 s in the feeds we have seen).
fn duration_s(value: &Scalar) -> Option<f64> {
    let raw = value.count().ok().filter(|&n| n > 0)?;
    Some(if raw >= 1000 {
        raw as f64 / 1000.0
    } else {
        raw as f64
    })
}

#[cfg(test)]
mod tests;
