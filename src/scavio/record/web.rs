//! One post record of the web leg (`itemList[]`, TikTok's web shape), turned into the same
//! [`Post`](crate::model::Post) an app-leg record gives.
//!
//! Counts are read per count from `statsV2` (exact, as numeric strings) before `stats` (rounded
//! for large counts): a count in neither is unknown, and a missing save count is never 0.
//! `video.duration` is in seconds here (milliseconds on the app leg); `isPinnedItem` marks a
//! pinned post and `imagePost` a photo post; hashtags come from `textExtra[].hashtagName` and
//! `challenges[].title`.

use serde::Deserialize;

use super::{Empty, Fields, Read, Stats, inner, post, tags};
use crate::handle::Handle;
use crate::scavio::ApiKey;
use crate::scavio::lenient::{Lenient, List, Scalar};

/// One `itemList` entry, as far as it is read (the web shape carries many more keys).
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct WebRecord {
    id: Option<Scalar>,
    desc: Option<Scalar>,
    #[serde(rename = "createTime")]
    create_time: Option<Scalar>,
    #[serde(rename = "isPinnedItem")]
    pinned: Option<Scalar>,
    stats: Option<Lenient<WebStats>>,
    #[serde(rename = "statsV2")]
    stats_v2: Option<Lenient<WebStats>>,
    video: Option<Lenient<WebVideo>>,
    music: Option<Lenient<WebMusic>>,
    author: Option<Lenient<WebAuthor>>,
    #[serde(rename = "imagePost")]
    image_post: Option<Lenient<Empty>>,
    #[serde(rename = "textExtra")]
    text_extra: Option<List<Lenient<WebTextExtra>>>,
    challenges: Option<List<Lenient<WebChallenge>>>,
}

/// `stats` or `statsV2`: the same names, numbers in one and numeric strings in the other.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct WebStats {
    play_count: Option<Scalar>,
    digg_count: Option<Scalar>,
    comment_count: Option<Scalar>,
    share_count: Option<Scalar>,
    collect_count: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct WebVideo {
    duration: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct WebMusic {
    original: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct WebAuthor {
    #[serde(rename = "uniqueId")]
    unique_id: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct WebTextExtra {
    #[serde(rename = "type")]
    kind: Option<Scalar>,
    #[serde(rename = "hashtagName")]
    hashtag_name: Option<Scalar>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct WebChallenge {
    title: Option<Scalar>,
}

/// The post of one web-leg record, read as [`super::read`] reads an app-leg one: `None` without a
/// numeric `id` or a usable `createTime`, the link built from the handle and the id.
pub(crate) fn read(record: &WebRecord, handle: &Handle, key: &ApiKey) -> Option<Read> {
    let fields = Fields {
        id: record.id.as_ref(),
        create_time: record.create_time.as_ref(),
        desc: record.desc.as_ref(),
        pinned: record.pinned.as_ref().is_some_and(Scalar::truthy),
        photo: matches!(record.image_post, Some(Lenient::Object(_))),
        stats: stats(record),
        duration_s: inner(&record.video, |v| &v.duration).and_then(seconds),
        original_sound: inner(&record.music, |m| &m.original),
        author: inner(&record.author, |a| &a.unique_id),
        tags: tags(
            &record.text_extra,
            |e| (e.kind.as_ref(), e.hashtag_name.as_ref()),
            &record.challenges,
            |c| c.title.as_ref(),
        ),
    };
    post(&fields, handle, key)
}

/// Each count from `statsV2` when it sends it (not `null`), else from `stats`; `None` when the
/// record has neither object.
fn stats<'a>(record: &'a WebRecord) -> Option<Stats<'a>> {
    let object = |s: &'a Option<Lenient<WebStats>>| s.as_ref().and_then(Lenient::object);
    let (v2, v1) = (object(&record.stats_v2), object(&record.stats));
    if v2.is_none() && v1.is_none() {
        return None;
    }
    let pick = |field: &'static str, get: fn(&WebStats) -> &Option<Scalar>| {
        let sent = |s: Option<&'a WebStats>| {
            s.and_then(|s| get(s).as_ref())
                .filter(|v| **v != Scalar::Null)
        };
        match sent(v2) {
            Some(value) => ("statsV2", field, Some(value)),
            None => ("stats", field, sent(v1)),
        }
    };
    Some(Stats {
        name: match (v2, v1) {
            (Some(_), Some(_)) => "statsV2 or stats",
            (Some(_), None) => "statsV2",
            _ => "stats",
        },
        counts: [
            pick("playCount", |s| &s.play_count),
            pick("diggCount", |s| &s.digg_count),
            pick("commentCount", |s| &s.comment_count),
            pick("shareCount", |s| &s.share_count),
            pick("collectCount", |s| &s.collect_count),
        ],
    })
}

/// Seconds from the web leg's `video.duration` (whole seconds, or a fraction); `None` for 0 or
/// anything that is not a length.
fn seconds(value: &Scalar) -> Option<f64> {
    match value {
        Scalar::Float(f) if f.is_finite() && *f > 0.0 && *f < 1e9 => Some(*f),
        other => other.count().ok().filter(|&n| n > 0).map(|n| n as f64),
    }
}

#[cfg(test)]
mod tests;
