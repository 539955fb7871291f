//! The Scavio wire format: turns response bodies into domain values, tolerantly.
//!
//! Records are raw TikTok app objects of ~150 keys whose types vary (counts as numbers or numeric
//! strings, `has_more` as 0/1 or a boolean, `max_cursor` as a number or a string, `video.duration` in
//! milliseconds or seconds). Each field is read on its own, so one odd field never loses a post.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Profile;
use crate::handle::Handle;
use crate::model::{Account, Format, Post};

/// The parts of every successful answer.
#[derive(Debug)]
pub(crate) struct Envelope {
    /// The `data` object.
    pub data: Value,
}

/// Parses a 2xx body: a JSON object with a `data` object. `Err` says why it cannot be understood.
pub(crate) fn envelope(body: &[u8]) -> Result<Envelope, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON ({e})"))?;
    match value {
        Value::Object(mut map) => match map.remove("data") {
            Some(data @ Value::Object(_)) => Ok(Envelope { data }),
            Some(Value::Null) | None => Ok(Envelope { data: Value::Null }),
            Some(_) => Err("`data` is not an object".into()),
        },
        _ => Err("the body is not a JSON object".into()),
    }
}

/// `credits_used` and `credits_remaining` of any JSON body, when present.
pub(crate) fn credits(body: &[u8]) -> (Option<u64>, Option<u64>) {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return (None, None);
    };
    let remaining = map
        .get("credits_remaining")
        .or_else(|| map.get("credit_balance"))
        .and_then(count);
    (map.get("credits_used").and_then(count), remaining)
}

/// The error text of an error body (`{"error": "…"}` or `{"error": {"code", "message"}}`, with any
/// `details`), folded to one line of at most 200 characters.
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    let mut text = match error {
        Value::String(s) => s.clone(),
        Value::Object(obj) => {
            let field = |k: &str| obj.get(k).and_then(Value::as_str);
            match (field("code"), field("message")) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (None, Some(message)) => message.to_string(),
                (Some(code), None) => code.to_string(),
                (None, None) => return None,
            }
        }
        _ => return None,
    };
    if let Some(details) = value.get("details").and_then(Value::as_array) {
        for detail in details {
            let path = detail.get("path").map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            if let Some(message) = detail.get("message").and_then(Value::as_str) {
                text.push_str(&format!(
                    "; {}{message}",
                    path.map(|p| p + ": ").unwrap_or_default()
                ));
            }
        }
    }
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(line.chars().take(200).collect())
}

/// `billing_url` of a 402 body.
pub(crate) fn billing_url(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.get("billing_url")?.as_str().map(str::to_string)
}

/// The profile in a profile answer's `data`; `None` when `data.user` is missing or empty (no user).
pub(crate) fn profile(data: &Value) -> Option<Profile> {
    let user = data.get("user")?;
    let sec_uid = text(user.get("sec_uid")?).filter(|s| !s.is_empty())?;
    let field = |k: &str| user.get(k).and_then(count);
    Some(Profile {
        sec_uid,
        account: Account {
            followers: field("follower_count"),
            following: field("following_count"),
            likes_total: field("total_favorited"),
            videos_total: field("aweme_count"),
        },
    })
}

/// One page of `user/posts`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    /// The page's posts that have an id and a creation time, in feed order.
    pub posts: Vec<Post>,
    /// Whether the API says more pages follow.
    pub has_more: bool,
    /// The cursor for the next page, as the string the API wants back.
    pub max_cursor: Option<String>,
}

/// The page in a `user/posts` answer's `data`. A missing `aweme_list` is an empty page.
pub(crate) fn page(data: &Value, handle: &Handle) -> Page {
    let posts = data
        .get("aweme_list")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|r| post(r, handle)).collect())
        .unwrap_or_default();
    let max_cursor = data.get("max_cursor").and_then(|v| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    Page {
        posts,
        has_more: data.get("has_more").is_some_and(truthy),
        max_cursor,
    }
}

/// A post from one raw record; `None` without an id or a usable `create_time`.
pub(crate) fn post(record: &Value, handle: &Handle) -> Option<Post> {
    let id = text(record.get("aweme_id")?).filter(|s| !s.is_empty())?;
    let posted_at = record.get("create_time").and_then(timestamp)?;
    let statistics = record.get("statistics").filter(|s| s.is_object());
    let stat = |k: &str| {
        statistics
            .and_then(|s| s.get(k))
            .and_then(count)
            .unwrap_or(0)
    };
    let format = if record.get("aweme_type").and_then(count) == Some(150)
        || record.get("image_post_info").is_some_and(Value::is_object)
    {
        Format::Photo
    } else {
        Format::Video
    };
    let caption = record.get("desc").and_then(text).unwrap_or_default();
    let author = record
        .pointer("/author/unique_id")
        .and_then(text)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| handle.to_string());
    let url = ["/share_url", "/share_info/share_url"]
        .iter()
        .find_map(|p| {
            record
                .pointer(p)
                .and_then(Value::as_str)
                .and_then(canonical_url)
        })
        .unwrap_or_else(|| format!("https://www.tiktok.com/@{author}/video/{id}"));
    Some(Post {
        url,
        hashtags: hashtags(record, &caption),
        caption,
        posted_at,
        views: stat("play_count"),
        likes: stat("digg_count"),
        comments: stat("comment_count"),
        shares: stat("share_count"),
        saves: stat("collect_count"),
        has_statistics: statistics.is_some(),
        duration_s: match format {
            Format::Photo => None,
            Format::Video => record.pointer("/video/duration").and_then(duration_s),
        },
        pinned: record.get("is_top").is_some_and(truthy),
        format,
        original_sound: record.pointer("/music/original").and_then(Value::as_bool),
        id,
    })
}

/// A share link without its query string or fragment; `None` unless it is an http(s) link.
fn canonical_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if !(raw.starts_with("https://") || raw.starts_with("http://")) {
        return None;
    }
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    Some(raw[..end].to_string())
}

/// Hashtags from `text_extra` (type 1) and `cha_list`; from `#words` in the caption when the
/// record has neither list.
fn hashtags(record: &Value, caption: &str) -> Vec<String> {
    let text_extra = record.get("text_extra").and_then(Value::as_array);
    let cha_list = record.get("cha_list").and_then(Value::as_array);
    let mut tags: Vec<String> = Vec::new();
    let mut add = |tag: &str| {
        let tag = tag.trim().trim_start_matches('#').to_lowercase();
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
        let is_hashtag = entry.get("type").and_then(count).is_none_or(|t| t == 1);
        if let (true, Some(name)) = (
            is_hashtag,
            entry.get("hashtag_name").and_then(Value::as_str),
        ) {
            add(name);
        }
    }
    for entry in cha_list.into_iter().flatten() {
        if let Some(name) = entry.get("cha_name").and_then(Value::as_str) {
            add(name);
        }
    }
    tags
}

/// A non-negative count from a number or a numeric string; `None` for anything else.
pub(crate) fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f.round() as u64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(|f| f.round() as u64)
            })
        }
        _ => None,
    }
}

/// A creation time from Unix seconds (or milliseconds, if implausibly large); 0 means unknown.
fn timestamp(value: &Value) -> Option<DateTime<Utc>> {
    let raw = count(value).filter(|&n| n > 0)?;
    let secs = if raw >= 100_000_000_000 {
        raw / 1000
    } else {
        raw
    };
    DateTime::from_timestamp(i64::try_from(secs).ok()?, 0)
}

/// Seconds from `video.duration`: values of 1000 and more are milliseconds, smaller ones seconds
/// (no TikTok video is shorter than a second, and none reaches 1000 s in the feeds we have seen).
fn duration_s(value: &Value) -> Option<f64> {
    let raw = count(value).filter(|&n| n > 0)?;
    Some(if raw >= 1000 {
        raw as f64 / 1000.0
    } else {
        raw as f64
    })
}

/// 1/0, true/false and "1"/"true" as a flag.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.trim(), "1" | "true"),
        other => count(other).is_some_and(|n| n != 0),
    }
}

/// A string, or a number written as one (ids are sometimes numbers).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn handle() -> Handle {
        "examplecreator".parse().unwrap()
    }

    fn documented_record() -> Value {
        json!({ "aweme_id": "7379912345678901234",
            "desc": "3 espresso mistakes #coffee #barista",
            "create_time": 1717420000, "is_top": 0, "aweme_type": 0,
            "share_url": "https://www.tiktok.com/@examplecreator/video/7379912345678901234?_r=1&u_code=x",
            "author": { "unique_id": "examplecreator" },
            "statistics": { "play_count": 48210, "digg_count": 3120, "comment_count": 87,
                            "share_count": 41, "collect_count": 210, "download_count": 12 },
            "video": { "duration": 23450, "width": 1080, "height": 1920 },
            "music": { "id": 7000000000000000001u64, "title": "original sound", "original": true },
            "text_extra": [ { "type": 1, "hashtag_name": "coffee" }, { "type": 0, "user_id": "1" } ],
            "cha_list": [ { "cid": "1", "cha_name": "Coffee" }, { "cid": "2", "cha_name": "barista" } ] })
    }

    #[test]
    fn reads_the_documented_record() {
        let p = post(&documented_record(), &handle()).unwrap();
        assert_eq!(p.id, "7379912345678901234");
        assert_eq!(
            p.url,
            "https://www.tiktok.com/@examplecreator/video/7379912345678901234"
        );
        assert_eq!(p.posted_at.timestamp(), 1717420000);
        assert_eq!(
            (p.views, p.likes, p.comments, p.shares, p.saves),
            (48210, 3120, 87, 41, 210)
        );
        assert_eq!(p.duration_s, Some(23.45));
        assert_eq!(p.hashtags, ["coffee", "barista"]);
        assert_eq!(
            (p.pinned, p.format, p.original_sound),
            (false, Format::Video, Some(true))
        );
        assert!(p.has_statistics);
    }

    #[test]
    fn tolerates_string_counts_missing_keys_and_variant_flags() {
        let record = json!({ "aweme_id": 42, "create_time": "1717420000", "is_top": true,
            "statistics": { "play_count": "1000", "digg_count": -5, "comment_count": "x" },
            "video": { "duration": 48 }, "share_info": { "share_url": "https://t.co/v/42?x=1" } });
        let p = post(&record, &handle()).unwrap();
        assert_eq!(p.id, "42");
        assert_eq!((p.views, p.likes, p.comments, p.saves), (1000, 0, 0, 0));
        assert_eq!(p.duration_s, Some(48.0));
        assert!(p.pinned);
        assert_eq!(p.url, "https://t.co/v/42");
        assert_eq!(p.original_sound, None);
    }

    #[test]
    fn builds_the_link_and_reads_hashtags_from_the_caption_when_missing() {
        let record =
            json!({ "aweme_id": "9", "create_time": 1717420000, "desc": "new #Beans, #v60!" });
        let p = post(&record, &handle()).unwrap();
        assert_eq!(p.url, "https://www.tiktok.com/@examplecreator/video/9");
        assert_eq!(p.hashtags, ["beans", "v60"]);
        assert!(!p.has_statistics);
        assert_eq!(p.views, 0);
    }

    #[test]
    fn photo_posts_have_no_duration() {
        let record = json!({ "aweme_id": "9", "create_time": 1717420000, "aweme_type": 150,
            "image_post_info": {}, "video": { "duration": 0 } });
        let p = post(&record, &handle()).unwrap();
        assert_eq!((p.format, p.duration_s), (Format::Photo, None));
    }

    #[test]
    fn records_without_id_or_time_are_dropped() {
        for record in [
            json!({ "create_time": 1717420000 }),
            json!({ "aweme_id": "1" }),
            json!({ "aweme_id": "1", "create_time": 0 }),
            json!("not an object"),
        ] {
            assert_eq!(post(&record, &handle()), None, "{record}");
        }
    }

    #[test]
    fn page_reads_cursor_and_has_more_in_both_shapes() {
        let p = page(
            &json!({ "has_more": 1, "max_cursor": 1716811200000u64, "aweme_list": [] }),
            &handle(),
        );
        assert_eq!(
            (p.has_more, p.max_cursor.as_deref()),
            (true, Some("1716811200000"))
        );
        let p = page(
            &json!({ "has_more": false, "max_cursor": "1716811200000" }),
            &handle(),
        );
        assert_eq!(
            (p.has_more, p.max_cursor.as_deref()),
            (false, Some("1716811200000"))
        );
        assert!(p.posts.is_empty());
    }

    #[test]
    fn profile_needs_a_sec_uid() {
        let data =
            json!({ "user": { "sec_uid": "MS4w", "follower_count": "48210", "aweme_count": 311 } });
        let p = profile(&data).unwrap();
        assert_eq!(p.sec_uid, "MS4w");
        assert_eq!(p.account.followers, Some(48210));
        assert_eq!(p.account.following, None);
        assert_eq!(profile(&json!({ "user": {} })), None);
        assert_eq!(profile(&json!({})), None);
        assert_eq!(profile(&Value::Null), None);
    }

    #[test]
    fn error_messages_in_both_documented_shapes() {
        assert_eq!(
            error_message(br#"{"error":"Invalid API key"}"#).as_deref(),
            Some("Invalid API key")
        );
        assert_eq!(
            error_message(
                br#"{"error":{"code":"bad_request","message":"cursor must be a string"},
                "details":[{"path":"cursor","message":"expected string"}]}"#
            )
            .as_deref(),
            Some("bad_request: cursor must be a string; cursor: expected string")
        );
        assert_eq!(error_message(b"<html>"), None);
    }

    #[test]
    fn envelope_rejects_what_is_not_a_json_object() {
        assert!(envelope(b"<html>502</html>").is_err());
        assert!(envelope(b"[1,2]").is_err());
        assert!(envelope(br#"{"data": 3}"#).is_err());
        assert!(envelope(br#"{"data": {"user": {}}}"#).is_ok());
    }

    #[test]
    fn credits_are_read_when_present() {
        assert_eq!(
            credits(br#"{"credits_used":1,"credits_remaining":6545}"#),
            (Some(1), Some(6545))
        );
        assert_eq!(
            credits(br#"{"error":"x","credit_balance":0}"#),
            (None, Some(0))
        );
        assert_eq!(credits(b"oops"), (None, None));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::report::SavedReport;
    use proptest::prelude::*;

    /// Keys the parsers look for, so that arbitrary documents reach every branch.
    const KEYS: &[&str] = &[
        "data",
        "user",
        "sec_uid",
        "follower_count",
        "aweme_list",
        "has_more",
        "max_cursor",
        "aweme_id",
        "create_time",
        "statistics",
        "play_count",
        "digg_count",
        "collect_count",
        "is_top",
        "aweme_type",
        "image_post_info",
        "video",
        "duration",
        "share_url",
        "share_info",
        "author",
        "unique_id",
        "text_extra",
        "type",
        "hashtag_name",
        "cha_list",
        "cha_name",
        "music",
        "original",
        "desc",
        "error",
        "code",
        "message",
        "details",
        "path",
        "credits_used",
        "credits_remaining",
        "schema_version",
        "metrics",
        "window",
        "account",
    ];

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[0-9#?. a-z/:-]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(
                    |entries| {
                        Value::Object(
                            entries
                                .into_iter()
                                .map(|(k, v)| (k.to_string(), v))
                                .collect(),
                        )
                    }
                ),
            ]
        })
    }

    proptest! {
        #[test]
        fn no_answer_makes_the_parsers_panic(doc in json()) {
            let handle: Handle = "examplecreator".parse().unwrap();
            let bytes = serde_json::to_vec(&doc).unwrap();
            let _ = envelope(&bytes);
            let _ = credits(&bytes);
            let _ = error_message(&bytes);
            let _ = billing_url(&bytes);
            let _ = profile(&doc);
            let _ = post(&doc, &handle);
            if let Some(data) = doc.get("data") {
                let page = page(data, &handle);
                prop_assert!(page.posts.iter().all(|p| !p.id.is_empty()));
            }
            let _ = serde_json::from_slice::<SavedReport>(&bytes);
        }

        #[test]
        fn no_bytes_make_the_parsers_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = envelope(&bytes);
            let _ = credits(&bytes);
            let _ = error_message(&bytes);
            let _ = serde_json::from_slice::<SavedReport>(&bytes);
        }
    }
}
