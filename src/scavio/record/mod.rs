//! One raw TikTok post record (about 150 keys, of which these are read) turned into a [`Post`].
//!
//! Tolerant of the shapes the API is known to vary in (counts as numbers or numeric strings, the
//! app's `statistics` or the web's `stats`, `video.duration` in milliseconds or seconds), strict
//! about what it cannot read: a record without a numeric `aweme_id` or a usable `create_time` is
//! not a post, and a count that is not a count is a note naming the post and the field, never a
//! silent 0 or a saturated number.

pub(crate) mod web;

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

/// The post of one app-leg record; `None` without a numeric `aweme_id` or a usable `create_time`.
/// The link is built from the validated handle and the numeric id: `share_url` names whatever host
/// the answer likes and is never used.
/// Text from the record is cleaned and has `key` redacted; a caption is cut at
/// [`MAX_CAPTION_CHARS`].
pub(crate) fn read(record: &RawRecord, handle: &Handle, key: &ApiKey) -> Option<Read> {
    let stats = [("statistics", &record.statistics), ("stats", &record.stats)]
        .into_iter()
        .find_map(|(name, s)| Some((name, s.as_ref()?.object()?)));
    let fields = Fields {
        id: record.aweme_id.as_ref(),
        create_time: record.create_time.as_ref(),
        desc: record.desc.as_ref(),
        pinned: record.is_top.as_ref().is_some_and(Scalar::truthy),
        photo: record.aweme_type.as_ref().and_then(|t| t.count().ok()) == Some(150)
            || matches!(record.image_post_info, Some(Lenient::Object(_))),
        stats: stats.map(|(name, s)| Stats {
            name,
            counts: [
                (name, "play_count", either(&s.play_count, &s.play_count_web)),
                (name, "digg_count", either(&s.digg_count, &s.digg_count_web)),
                (
                    name,
                    "comment_count",
                    either(&s.comment_count, &s.comment_count_web),
                ),
                (
                    name,
                    "share_count",
                    either(&s.share_count, &s.share_count_web),
                ),
                (
                    name,
                    "collect_count",
                    either(&s.collect_count, &s.collect_count_web),
                ),
            ],
        }),
        duration_s: inner(&record.video, |v| &v.duration).and_then(duration_s),
        original_sound: inner(&record.music, |m| &m.original),
        author: inner(&record.author, |a| &a.unique_id),
        tags: tags(
            &record.text_extra,
            |e| (e.kind.as_ref(), e.hashtag_name.as_ref()),
            &record.cha_list,
            |c| c.cha_name.as_ref(),
        ),
    };
    post(&fields, handle, key)
}

/// What one record says, in whichever leg's shape it came: each leg's reader fills it from its own
/// shape, and [`post`] turns it into a [`Post`] the same way for both.
pub(super) struct Fields<'a> {
    /// The post's id (`aweme_id`, `id`).
    pub(super) id: Option<&'a Scalar>,
    /// Unix seconds (`create_time`, `createTime`).
    pub(super) create_time: Option<&'a Scalar>,
    /// The caption.
    pub(super) desc: Option<&'a Scalar>,
    /// Pinned to the top of the profile.
    pub(super) pinned: bool,
    /// A photo (carousel) post.
    pub(super) photo: bool,
    /// The counts, when the record has a statistics object.
    pub(super) stats: Option<Stats<'a>>,
    /// The video's length in seconds, already converted from the leg's unit.
    pub(super) duration_s: Option<f64>,
    /// `music.original`.
    pub(super) original_sound: Option<&'a Scalar>,
    /// The author's handle.
    pub(super) author: Option<&'a Scalar>,
    /// The hashtags the record lists, in order; `None` when it has no list of them at all.
    pub(super) tags: Option<Vec<&'a Scalar>>,
}

/// A record's counts as sent: views, likes, comments, shares and saves, each with the object and
/// field it was read from (for a note), `None` when neither sent it.
pub(super) struct Stats<'a> {
    /// The statistics object, as a note names it when the play count is missing.
    pub(super) name: &'static str,
    /// Object, field and value of each count, in the order views, likes, comments, shares, saves.
    pub(super) counts: [(&'static str, &'static str, Option<&'a Scalar>); 5],
}

/// A field of a nested object (`video.duration`), when the object is one and holds it.
pub(super) fn inner<'a, T>(
    object: &'a Option<Lenient<T>>,
    field: fn(&'a T) -> &'a Option<Scalar>,
) -> Option<&'a Scalar> {
    field(object.as_ref()?.object()?).as_ref()
}

/// The hashtags a record lists: the names of its text entries (`entry` gives an entry's type and
/// name; only type 1 or no type is a hashtag, mentions have another), then its challenges'
/// names; `None` when it has neither list.
pub(super) fn tags<'a, E, C>(
    text: &'a Option<List<Lenient<E>>>,
    entry: fn(&'a E) -> (Option<&'a Scalar>, Option<&'a Scalar>),
    challenges: &'a Option<List<Lenient<C>>>,
    challenge: fn(&'a C) -> Option<&'a Scalar>,
) -> Option<Vec<&'a Scalar>> {
    let is_hashtag = |kind: Option<&Scalar>| kind.is_none_or(|t| t.count().is_ok_and(|t| t == 1));
    let text = objects(text).map(|list| {
        (list.into_iter().map(entry))
            .filter_map(|(kind, name)| is_hashtag(kind).then_some(name)?)
            .collect::<Vec<_>>()
    });
    let challenges =
        objects(challenges).map(|list| list.into_iter().filter_map(challenge).collect::<Vec<_>>());
    match (text, challenges) {
        (None, None) => None,
        (text, challenges) => Some(text.into_iter().chain(challenges).flatten().collect()),
    }
}

/// The post a record's [`Fields`] describe; `None` without a numeric id or a usable creation time.
pub(super) fn post(fields: &Fields, handle: &Handle, key: &ApiKey) -> Option<Read> {
    let id = fields.id?.digits()?;
    let posted_at = timestamp(fields.create_time?)?;
    let format = if fields.photo {
        Format::Photo
    } else {
        Format::Video
    };
    let text = |s: &str| key.redact(&clean(s));
    let caption = text(&fields.desc.and_then(Scalar::text).unwrap_or_default());
    let caption = match caption.char_indices().nth(MAX_CAPTION_CHARS) {
        Some((cut, _)) => format!("{}…", &caption[..cut]),
        None => caption,
    };
    let mut notes = Vec::new();
    let counts = fields
        .stats
        .as_ref()
        .and_then(|stats| statistics(stats, &id, key, &mut notes));
    let Counts {
        views,
        likes,
        comments,
        shares,
        saves,
    } = counts.unwrap_or_default();
    let author = (fields.author.and_then(Scalar::text))
        .map(|a| text(a.trim().trim_start_matches('@')).to_ascii_lowercase())
        .map(|a| a.chars().take(32).collect::<String>())
        .filter(|a| !a.is_empty());
    let post = Post {
        url: format!("https://www.tiktok.com/@{handle}/video/{id}"),
        hashtags: hashtags(fields.tags.as_deref(), &caption, key),
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
            Format::Video => fields.duration_s,
        },
        pinned: fields.pinned,
        format,
        original_sound: match fields.original_sound {
            Some(Scalar::Bool(b)) => Some(*b),
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
fn statistics(stats: &Stats, id: &str, key: &ApiKey, notes: &mut Vec<PostNote>) -> Option<Counts> {
    let mut counts: [Option<u64>; 5] = [None; 5];
    let mut readable = true;
    for (i, (name, field, value)) in stats.counts.iter().enumerate() {
        match value.map(Scalar::count) {
            Some(Ok(n)) => counts[i] = Some(n),
            None if i > 0 => {}
            None => {
                let name = stats.name;
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

/// Hashtags from the record's lists; from `#words` in the caption when the record has no list
/// (`listed` is `None`). Lowercased, without `#`, each once, cleaned of control characters.
fn hashtags(listed: Option<&[&Scalar]>, caption: &str, key: &ApiKey) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut add = |tag: &str| {
        let tag = key
            .redact(&clean(tag.trim().trim_start_matches('#')))
            .to_lowercase();
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    };
    let Some(listed) = listed else {
        for word in caption.split_whitespace() {
            if let Some(tag) = word.strip_prefix('#') {
                add(tag.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_')));
            }
        }
        return tags;
    };
    for name in listed.iter().filter_map(|n| n.text()) {
        add(&name);
    }
    tags
}

/// The first of two spellings of a field that is present.
fn either<'a>(first: &'a Option<Scalar>, second: &'a Option<Scalar>) -> Option<&'a Scalar> {
    first.as_ref().or(second.as_ref())
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

/// Seconds from the app leg's `video.duration`: values of 1000 and more are milliseconds, smaller ones seconds
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
