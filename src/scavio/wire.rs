//! The Scavio answer shapes, written down once as private serde structs, and what they mean.
//!
//! Every body is parsed once, into [`Answer`]; the readers here then decide what the answer says
//! and, as important, when it cannot be understood: a `data` that is missing or not an object, an
//! `aweme_list` that is not a list, a non-zero `status_code` or a page of which no record can be
//! read is an unreadable answer (`Err` with the reason), never an empty week.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::lenient::{Lenient, List, Scalar};
use super::record::{self, RawRecord};
use super::{ApiKey, PostNote, Profile};
use crate::handle::Handle;
use crate::model::{Account, Post};
use crate::text::clean;

/// One answer body, as far as any endpoint's answers share a shape.
#[derive(Debug)]
pub(crate) struct Answer<D> {
    /// The `data` object, as the endpoint's own shape.
    pub data: Data<D>,
    /// `credits_used`, when present and readable.
    pub credits_used: Option<u64>,
    /// `credits_remaining` (or a 402's `credit_balance`), when present and readable.
    pub credits_remaining: Option<u64>,
    /// The error text of an error body, whole (the caller redacts, then shortens it).
    pub error: Option<String>,
    /// A 402's `billing_url`, unchecked.
    pub billing_url: Option<String>,
}

/// What an answer's `data` was.
#[derive(Debug, PartialEq)]
pub(crate) enum Data<D> {
    /// Missing or `null`.
    Missing,
    /// Present but not an object.
    NotObject,
    /// An object of the endpoint's shape.
    Object(D),
}

#[derive(Deserialize)]
struct RawAnswer<D> {
    data: Option<Lenient<D>>,
    credits_used: Option<Scalar>,
    credits_remaining: Option<Scalar>,
    credit_balance: Option<Scalar>,
    error: Option<RawError>,
    details: Option<List<Lenient<RawDetail>>>,
    billing_url: Option<Scalar>,
}

/// `{"error": "…"}` or `{"error": {"code": "…", "message": "…"}}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawError {
    Text(String),
    Object {
        code: Option<Scalar>,
        message: Option<Scalar>,
    },
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct RawDetail {
    path: Option<Scalar>,
    message: Option<Scalar>,
}

/// The `data` of an answer whose `data` this client does not read (error bodies).
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct Nothing {}

/// Parses a body once. `Err` when it is not a JSON object at all.
pub(crate) fn answer<D: DeserializeOwned>(body: &[u8]) -> Result<Answer<D>, String> {
    let raw: Lenient<RawAnswer<D>> =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON ({e})"))?;
    let Lenient::Object(raw) = raw else {
        return Err("the body is not a JSON object".into());
    };
    let count = |s: &Option<Scalar>| s.as_ref().and_then(|s| s.count().ok());
    Ok(Answer {
        data: match raw.data {
            None => Data::Missing,
            Some(Lenient::NotObject) => Data::NotObject,
            Some(Lenient::Object(d)) => Data::Object(d),
        },
        credits_used: count(&raw.credits_used),
        credits_remaining: count(&raw.credits_remaining).or(count(&raw.credit_balance)),
        error: raw.error.and_then(|e| error_text(e, raw.details)),
        billing_url: raw.billing_url.and_then(|u| u.text()),
    })
}

/// The error's text with any `details`, on one line.
fn error_text(error: RawError, details: Option<List<Lenient<RawDetail>>>) -> Option<String> {
    let field = |s: Option<Scalar>| s.and_then(|s| s.text());
    let mut text = match error {
        RawError::Text(s) => s,
        RawError::Object { code, message } => match (field(code), field(message)) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (None, Some(message)) => message,
            (Some(code), None) => code,
            (None, None) => return None,
        },
        RawError::Other(_) => return None,
    };
    if let Some(List::Items(details)) = details {
        for detail in details.iter().filter_map(Lenient::object) {
            let path = detail.path.as_ref().map(|p| match p.text() {
                Some(p) => p,
                None => "?".into(),
            });
            if let Some(message) = detail.message.as_ref().and_then(Scalar::text) {
                text.push_str(&format!(
                    "; {}{message}",
                    path.map(|p| p + ": ").unwrap_or_default()
                ));
            }
        }
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `data` of a profile answer.
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct ProfileData {
    user: Option<Lenient<RawUser>>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RawUser {
    sec_uid: Option<Scalar>,
    unique_id: Option<Scalar>,
    follower_count: Option<Scalar>,
    following_count: Option<Scalar>,
    total_favorited: Option<Scalar>,
    aweme_count: Option<Scalar>,
    secret: Option<Scalar>,
    private_account: Option<Scalar>,
}

/// The profile in a profile answer: `Ok(None)` when `data.user` is missing or empty (no such
/// user); `Err` when there is a user but no `sec_uid` to page its posts with, or when it is
/// another account's.
pub(crate) fn profile(data: &ProfileData, handle: &Handle) -> Result<Option<Profile>, String> {
    let user = match &data.user {
        None => return Ok(None),
        Some(Lenient::NotObject) => return Err("its `data.user` is not an object".into()),
        Some(Lenient::Object(user)) => user,
    };
    let fields = [
        &user.sec_uid,
        &user.unique_id,
        &user.follower_count,
        &user.following_count,
        &user.total_favorited,
        &user.aweme_count,
    ];
    if fields.iter().all(|f| f.is_none()) {
        return Ok(None);
    }
    if let Some(name) = user.unique_id.as_ref().and_then(Scalar::text) {
        let name = name.trim().trim_start_matches('@');
        if !name.eq_ignore_ascii_case(handle.as_str()) {
            let shown: String = clean(name).chars().take(32).collect();
            return Err(format!("the profile is of @{shown}, not @{handle}"));
        }
    }
    let sec_uid = user
        .sec_uid
        .as_ref()
        .and_then(Scalar::text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.len() < 512 && !s.contains(char::is_whitespace))
        .ok_or("the profile has no usable `data.user.sec_uid`")?;
    let count = |s: &Option<Scalar>| s.as_ref().and_then(|s| s.count().ok());
    let flag = |s: &Option<Scalar>| s.as_ref().is_some_and(Scalar::truthy);
    Ok(Some(Profile {
        sec_uid,
        account: Account {
            followers: count(&user.follower_count),
            following: count(&user.following_count),
            likes_total: count(&user.total_favorited),
            videos_total: count(&user.aweme_count),
        },
        private: flag(&user.secret) || flag(&user.private_account),
    }))
}

/// `data` of a `user/posts` answer.
#[derive(Debug, Deserialize)]
pub(crate) struct PostsData {
    status_code: Option<Scalar>,
    status_msg: Option<Scalar>,
    has_more: Option<Scalar>,
    #[serde(rename = "hasMore")]
    has_more_web: Option<Scalar>,
    max_cursor: Option<Scalar>,
    aweme_list: Option<List<Lenient<RawRecord>>>,
}

/// One page of `user/posts`, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    /// The readable posts, in feed order.
    pub posts: Vec<Post>,
    /// Records on the page, readable or not.
    pub records: usize,
    /// Records that could not be read (no numeric `aweme_id` or usable `create_time`).
    pub unreadable: usize,
    /// What was wrong with readable posts (a count that is not a count, say).
    pub notes: Vec<PostNote>,
    /// An author other than the account, if any post names one.
    pub foreign_author: Option<String>,
    /// Whether the API says more pages follow; `None` when it does not say.
    pub has_more: Option<bool>,
    /// The cursor for the next page, as the string the API wants back.
    pub max_cursor: Option<String>,
}

/// The page in a `user/posts` answer's `data`; `Err` when the page cannot be understood. Text
/// from the answer is cleaned and has `key` redacted.
pub(crate) fn page(data: &PostsData, handle: &Handle, key: &ApiKey) -> Result<Page, String> {
    match data.status_code.as_ref().map(Scalar::count) {
        None | Some(Ok(0)) => {}
        Some(code) => {
            let code = code.map_or_else(|shown| shown, |n| n.to_string());
            let msg = data.status_msg.as_ref().and_then(Scalar::text);
            return Err(format!(
                "TikTok's status_code is {code}{}",
                msg.map(|m| format!(" ({})", key.redact(&clean(&m))))
                    .unwrap_or_default()
            ));
        }
    }
    let records: &[Lenient<RawRecord>] = match &data.aweme_list {
        None => &[],
        Some(List::Items(records)) => records,
        Some(List::NotList) => return Err("`aweme_list` is not a list".into()),
    };
    let mut page = Page {
        posts: Vec::with_capacity(records.len()),
        records: records.len(),
        unreadable: 0,
        notes: Vec::new(),
        foreign_author: None,
        has_more: match data.has_more.as_ref().or(data.has_more_web.as_ref()) {
            None | Some(Scalar::Null) => None,
            Some(flag) => Some(flag.flag().ok_or_else(|| {
                format!("`has_more` is {}, neither true nor false", flag.shown())
            })?),
        },
        max_cursor: data.max_cursor.as_ref().and_then(cursor),
    };
    for raw in records {
        let Some(read) = raw.object().and_then(|r| record::read(r, handle, key)) else {
            page.unreadable += 1;
            continue;
        };
        if read.author.as_ref().is_some_and(|a| a != handle.as_str()) {
            page.foreign_author = page.foreign_author.or(read.author);
        }
        page.notes.extend(read.notes);
        page.posts.push(read.post);
    }
    if page.records > 0 && page.posts.is_empty() {
        return Err(format!(
            "none of its {} records could be read (no numeric aweme_id or usable create_time)",
            page.records
        ));
    }
    Ok(page)
}

/// `max_cursor` as the digit string the API wants back.
fn cursor(value: &Scalar) -> Option<String> {
    match value {
        Scalar::Float(_) => value.whole().map(|n| n.to_string()),
        other => other.digits(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn handle() -> Handle {
        "examplecreator".parse().unwrap()
    }

    fn posts_answer(data: serde_json::Value) -> Result<Page, String> {
        let body = serde_json::to_vec(&json!({ "data": data })).unwrap();
        match answer::<PostsData>(&body)?.data {
            Data::Object(d) => page(&d, &handle(), &ApiKey::new("sk_test")),
            other => Err(format!("{other:?}")),
        }
    }

    fn profile_of(data: serde_json::Value) -> Result<Option<Profile>, String> {
        let body = serde_json::to_vec(&json!({ "data": data })).unwrap();
        match answer::<ProfileData>(&body)?.data {
            Data::Object(d) => profile(&d, &handle()),
            _ => Err("no data".into()),
        }
    }

    fn record(id: &str) -> serde_json::Value {
        json!({ "aweme_id": id, "create_time": 1717420000,
                "statistics": { "play_count": 10 }, "author": { "unique_id": "examplecreator" } })
    }

    #[test]
    fn page_reads_cursor_and_has_more_in_both_shapes() {
        let p = posts_answer(
            json!({ "has_more": 1, "max_cursor": 1716811200000u64, "aweme_list": [] }),
        )
        .unwrap();
        assert_eq!(
            (p.has_more, p.max_cursor.as_deref()),
            (Some(true), Some("1716811200000"))
        );
        let p = posts_answer(json!({ "has_more": false, "max_cursor": "1716811200000" })).unwrap();
        assert_eq!(
            (p.has_more, p.max_cursor.as_deref(), p.records),
            (Some(false), Some("1716811200000"), 0)
        );
        let p = posts_answer(json!({ "hasMore": "True", "max_cursor": 1e300 })).unwrap();
        assert_eq!((p.has_more, p.max_cursor), (Some(true), None));
        let p = posts_answer(json!({ "max_cursor": 5.0 })).unwrap();
        assert_eq!((p.has_more, p.max_cursor.as_deref()), (None, Some("5")));
        let p = posts_answer(json!({ "aweme_list": null, "has_more": 0 })).unwrap();
        assert!(p.posts.is_empty());
    }

    #[test]
    fn a_page_that_cannot_be_understood_is_an_error_not_an_empty_week() {
        for (data, why) in [
            (
                json!({ "aweme_list": "none", "has_more": 0 }),
                "`aweme_list` is not a list",
            ),
            (
                json!({ "aweme_list": {}, "has_more": 0 }),
                "`aweme_list` is not a list",
            ),
            (
                json!({ "status_code": 10201, "status_msg": "busy\u{1b}[2K", "aweme_list": [] }),
                "TikTok's status_code is 10201 (busy)",
            ),
            (
                json!({ "aweme_list": [{ "desc": "no id" }, { "aweme_id": "1" }, 3] }),
                "none of its 3 records could be read",
            ),
            (
                json!({ "aweme_list": [], "has_more": "yes" }),
                "`has_more` is \"yes\", neither true nor false",
            ),
        ] {
            let err = posts_answer(data.clone()).unwrap_err();
            assert!(err.starts_with(why), "{data}: {err}");
        }
    }

    #[test]
    fn unreadable_records_are_counted_and_other_authors_noticed() {
        let mut foreign = record("2");
        foreign["author"]["unique_id"] = json!("SomeoneElse");
        let p = posts_answer(json!({ "aweme_list": [record("1"), { "aweme_id": "x1" }, foreign] }))
            .unwrap();
        assert_eq!((p.records, p.unreadable, p.posts.len()), (3, 1, 2));
        assert_eq!(p.foreign_author.as_deref(), Some("someoneelse"));
    }

    #[test]
    fn profile_needs_a_sec_uid_and_says_when_the_account_is_private() {
        let p = profile_of(
            json!({ "user": { "sec_uid": "MS4w", "follower_count": "48210",
            "aweme_count": 311, "secret": true } }),
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.sec_uid, "MS4w");
        assert_eq!(p.account.followers, Some(48210));
        assert_eq!(p.account.following, None);
        assert!(p.private);
        assert_eq!(profile_of(json!({ "user": {} })), Ok(None));
        assert_eq!(profile_of(json!({ "user": null })), Ok(None));
        assert_eq!(profile_of(json!({})), Ok(None));
        assert!(profile_of(json!({ "user": { "follower_count": 3 } })).is_err());
        assert_eq!(
            profile_of(json!({ "user": { "unique_id": "SomeoneElse", "sec_uid": "MS4w" } })),
            Err("the profile is of @SomeoneElse, not @examplecreator".into())
        );
        assert!(
            profile_of(json!({ "user": { "unique_id": "@ExampleCreator", "sec_uid": "M" } }))
                .is_ok()
        );
        assert!(profile_of(json!({ "user": "x" })).is_err());
    }

    #[test]
    fn answers_that_are_not_objects_or_lack_data_say_so() {
        assert!(answer::<Nothing>(b"<html>502</html>").is_err());
        assert!(answer::<Nothing>(b"[1,2]").is_err());
        assert_eq!(
            answer::<Nothing>(br#"{"data": 3}"#).unwrap().data,
            Data::NotObject
        );
        assert_eq!(
            answer::<Nothing>(br#"{"data": null}"#).unwrap().data,
            Data::Missing
        );
        assert_eq!(answer::<Nothing>(br#"{}"#).unwrap().data, Data::Missing);
    }

    #[test]
    fn error_messages_in_both_documented_shapes() {
        let error = |body: &[u8]| answer::<Nothing>(body).unwrap().error;
        assert_eq!(
            error(br#"{"error":"Invalid API key"}"#).as_deref(),
            Some("Invalid API key")
        );
        assert_eq!(
            error(
                br#"{"error":{"code":"bad_request","message":"cursor must be a string"},
                "details":[{"path":"cursor","message":"expected string"}]}"#
            )
            .as_deref(),
            Some("bad_request: cursor must be a string; cursor: expected string")
        );
        assert_eq!(error(br#"{"error":[1]}"#), None);
    }

    #[test]
    fn credits_are_read_when_present() {
        let a = answer::<Nothing>(br#"{"credits_used":1,"credits_remaining":6545}"#).unwrap();
        assert_eq!((a.credits_used, a.credits_remaining), (Some(1), Some(6545)));
        let a = answer::<Nothing>(
            br#"{"error":"x","credit_balance":0,"billing_url":"https://scavio.dev/b"}"#,
        )
        .unwrap();
        assert_eq!((a.credits_used, a.credits_remaining), (None, Some(0)));
        assert_eq!(a.billing_url.as_deref(), Some("https://scavio.dev/b"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::report::SavedReport;
    use proptest::prelude::*;
    use serde_json::Value;

    /// Keys the parsers look for, so that arbitrary documents reach every branch.
    const KEYS: &[&str] = &[
        "data",
        "user",
        "sec_uid",
        "follower_count",
        "aweme_count",
        "secret",
        "aweme_list",
        "has_more",
        "max_cursor",
        "status_code",
        "aweme_id",
        "create_time",
        "statistics",
        "stats",
        "play_count",
        "playCount",
        "digg_count",
        "collect_count",
        "is_top",
        "aweme_type",
        "image_post_info",
        "video",
        "duration",
        "share_url",
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
            let _ = answer::<Nothing>(&bytes);
            if let Ok(Answer { data: Data::Object(d), .. }) = answer::<ProfileData>(&bytes) {
                let _ = profile(&d, &handle);
            }
            if let Ok(Answer { data: Data::Object(d), .. }) = answer::<PostsData>(&bytes)
                && let Ok(page) = page(&d, &handle, &ApiKey::new("sk_test"))
            {
                prop_assert!(page.posts.iter().all(|p| !p.id.is_empty()));
                prop_assert!(page.posts.len() + page.unreadable == page.records);
            }
            let _ = serde_json::from_slice::<SavedReport>(&bytes);
        }

        #[test]
        fn no_bytes_make_the_parsers_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = answer::<Nothing>(&bytes);
            let _ = answer::<PostsData>(&bytes);
            let _ = serde_json::from_slice::<SavedReport>(&bytes);
        }
    }
}
