//! The Scavio answer shapes every endpoint shares (and the profile's), written down once as
//! private serde structs, and what they mean.
//!
//! Every body is parsed once, into [`Answer`]; the readers here then decide what the answer says
//! and, as important, when it cannot be understood: a `data` that is missing or not an object, an
//! `aweme_list` that is not a list, a non-zero `status_code` or a page of which no record can be
//! read is an unreadable answer (`Err` with the reason), never an empty week.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::Profile;
use super::lenient::{Lenient, List, Presence, Scalar};
use crate::handle::Handle;
use crate::model::Account;
use crate::text::clean;
/// One answer body, as far as any endpoint's answers share a shape.
#[derive(Debug)]
pub(crate) struct Answer<D> {
    /// The `data` object, as the endpoint's own shape.
    pub(crate) data: Data<D>,
    /// `credits_used`, when present and readable.
    pub(crate) credits_used: Option<u64>,
    /// `credits_remaining` (or a 402's `credit_balance`), when present and readable.
    pub(crate) credits_remaining: Option<u64>,
    /// The error text of an error body, whole (the caller redacts, then shortens it).
    pub(crate) error: Option<String>,
    /// A 402's `billing_url`, unchecked.
    pub(crate) billing_url: Option<String>,
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
    Some(crate::text::squeeze(&text))
}

/// `data` of a profile answer.
#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct ProfileData {
    #[serde(default)]
    user: Presence<Lenient<RawUser>>,
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

/// The profile in a profile answer: `Ok(None)` when `data.user` is `null` or empty (no such
/// user); `Err` when `data` has no `user` at all (an answer this version cannot read, never taken
/// for a missing account), when there is a user but no `sec_uid` to page its posts with, or when
/// it is another account's.
pub(crate) fn profile(data: &ProfileData, handle: &Handle) -> Result<Option<Profile>, String> {
    let user = match &data.user {
        Presence::Missing => return Err("its `data` has no `user`".into()),
        Presence::Null => return Ok(None),
        Presence::Present(Lenient::NotObject) => {
            return Err("its `data.user` is not an object".into());
        }
        Presence::Present(Lenient::Object(user)) => user,
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
    let mut notes = Vec::new();
    let mut count = |name: &str, s: &Option<Scalar>| match s.as_ref().map(Scalar::count) {
        Some(Ok(n)) => Some(n),
        Some(Err(shown)) => {
            notes.push(format!(
                "the profile's {name} is {shown}, not a count; it was left out"
            ));
            None
        }
        None => None,
    };
    let account = Account {
        followers: count("follower_count", &user.follower_count),
        following: count("following_count", &user.following_count),
        likes_total: count("total_favorited", &user.total_favorited),
        videos_total: count("aweme_count", &user.aweme_count),
    };
    let flag = |s: &Option<Scalar>| s.as_ref().is_some_and(Scalar::truthy);
    Ok(Some(Profile {
        sec_uid,
        account,
        notes,
        private: flag(&user.secret) || flag(&user.private_account),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn handle() -> Handle {
        "examplecreator".parse().unwrap()
    }

    fn profile_of(data: serde_json::Value) -> Result<Option<Profile>, String> {
        let body = serde_json::to_vec(&json!({ "data": data })).unwrap();
        match answer::<ProfileData>(&body)?.data {
            Data::Object(d) => profile(&d, &handle()),
            _ => Err("no data".into()),
        }
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
        assert!(p.notes.is_empty());
        let odd = profile_of(json!({ "user": { "sec_uid": "M", "follower_count": "1.5K",
            "aweme_count": -3 } }))
        .unwrap()
        .unwrap();
        assert_eq!(
            (odd.account.followers, odd.account.videos_total),
            (None, None)
        );
        assert_eq!(
            odd.notes,
            [
                "the profile's follower_count is \"1.5K\", not a count; it was left out",
                "the profile's aweme_count is -3, not a count; it was left out"
            ]
        );
        assert_eq!(profile_of(json!({ "user": {} })), Ok(None));
        assert_eq!(profile_of(json!({ "user": null })), Ok(None));
        assert_eq!(
            profile_of(json!({})),
            Err("its `data` has no `user`".into()),
            "no `user` is unreadable, not a missing account"
        );
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
