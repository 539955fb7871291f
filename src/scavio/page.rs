//! The `user/posts` answer: its shape written down once, and one page read from it, whichever leg
//! answered (the app's `aweme_list` or the web's `itemList`). A page that cannot be understood (a
//! list that is not a list, both legs' lists disagreeing, a non-zero `status_code`, a page none of
//! whose records can be read, a `has_more` that is neither true nor false) is an error, never an
//! empty week.

use serde::Deserialize;

use super::lenient::{Lenient, List, Scalar};
use super::record::web::{self, WebRecord};
use super::record::{self, RawRecord, Read};
use super::{ApiKey, PostNote};
use crate::handle::Handle;
use crate::model::{Leg, Post};
use crate::text::clean;

/// `data` of a `user/posts` answer.
#[derive(Debug, Deserialize)]
pub(crate) struct PostsData {
    status_code: Option<Scalar>,
    status_msg: Option<Scalar>,
    has_more: Option<Scalar>,
    #[serde(rename = "hasMore")]
    has_more_web: Option<Scalar>,
    max_cursor: Option<Scalar>,
    /// The web leg's cursor (a string).
    cursor: Option<Scalar>,
    aweme_list: Option<List<Lenient<RawRecord>>>,
    /// The web leg's records.
    #[serde(rename = "itemList")]
    item_list: Option<List<Lenient<WebRecord>>>,
}

/// One page of `user/posts`, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    /// The readable posts, in feed order.
    pub(crate) posts: Vec<Post>,
    /// Records on the page, readable or not.
    pub(crate) records: usize,
    /// Records that could not be read (no numeric `aweme_id` or usable `create_time`).
    pub(crate) unreadable: usize,
    /// What was wrong with readable posts (a count that is not a count, say).
    pub(crate) notes: Vec<PostNote>,
    /// An author other than the account, if any post names one.
    pub(crate) foreign_author: Option<String>,
    /// Whether the API says more pages follow; `None` when it does not say.
    pub(crate) has_more: Option<bool>,
    /// The cursor for the next page, as the string the API wants back.
    pub(crate) max_cursor: Option<String>,
    /// The leg that answered; `None` when the page holds neither leg's list.
    pub(crate) leg: Option<Leg>,
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
    let (leg, reads) = records(data, handle, key)?;
    let mut page = Page {
        posts: Vec::with_capacity(reads.len()),
        records: reads.len(),
        unreadable: 0,
        notes: Vec::new(),
        foreign_author: None,
        has_more: match data.has_more.as_ref().or(data.has_more_web.as_ref()) {
            None | Some(Scalar::Null) => None,
            Some(flag) => Some(flag.flag().ok_or_else(|| {
                format!("`has_more` is {}, neither true nor false", flag.shown())
            })?),
        },
        max_cursor: match leg {
            Some(Leg::Web) => data.cursor.as_ref().or(data.max_cursor.as_ref()),
            _ => data.max_cursor.as_ref().or(data.cursor.as_ref()),
        }
        .and_then(cursor),
        leg,
    };
    for read in reads {
        let Some(read) = read else {
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
        let (id, time) = match leg {
            Some(Leg::Web) => ("id", "createTime"),
            _ => ("aweme_id", "create_time"),
        };
        return Err(format!(
            "none of its {} records could be read (no numeric {id} or usable {time})",
            page.records
        ));
    }
    Ok(page)
}

/// Each record of the page read (`None` for one that is not a post), and the leg whose list held
/// them. A page with both lists is read (as the app leg's) when they hold the same posts, by id
/// and in order, and refused otherwise: their figures may differ in form (the web leg's whole
/// seconds, its rounded `stats`), never in which posts they are.
type Records = (Option<Leg>, Vec<Option<Read>>);

/// The records of whichever leg's list the page holds; `Err` for a list that is not a list or two
/// lists that disagree.
fn records(data: &PostsData, handle: &Handle, key: &ApiKey) -> Result<Records, String> {
    let app = list(&data.aweme_list, "aweme_list", |r| {
        record::read(r, handle, key)
    })?;
    let web = list(&data.item_list, "itemList", |r| web::read(r, handle, key))?;
    match (app, web) {
        (None, None) => Ok((None, Vec::new())),
        (Some(app), None) => Ok((Some(Leg::App), app)),
        (None, Some(web)) => Ok((Some(Leg::Web), web)),
        (Some(app), Some(web)) if ids(&app).eq(ids(&web)) => Ok((Some(Leg::App), app)),
        (Some(app), Some(web)) => Err(format!(
            "it holds both `aweme_list` ({} records) and `itemList` ({} records), and they disagree",
            app.len(),
            web.len()
        )),
    }
}

/// The id of each record read, `None` for one that is not a post.
fn ids(records: &[Option<Read>]) -> impl Iterator<Item = Option<&str>> {
    records
        .iter()
        .map(|r| r.as_ref().map(|r| r.post.id.as_str()))
}

/// The records of one leg's list read with `read`; `None` when the page has no such list (or it
/// is `null`).
fn list<R>(
    list: &Option<List<Lenient<R>>>,
    name: &str,
    read: impl Fn(&R) -> Option<Read>,
) -> Result<Option<Vec<Option<Read>>>, String> {
    match list {
        None => Ok(None),
        Some(List::Items(records)) => Ok(Some(
            records.iter().map(|r| r.object().and_then(&read)).collect(),
        )),
        Some(List::NotList) => Err(format!("`{name}` is not a list")),
    }
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
    use crate::scavio::wire::{Data, answer};
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

    fn web_record(id: &str) -> serde_json::Value {
        json!({ "id": id, "createTime": 1717420000, "statsV2": { "playCount": "10" },
                "author": { "uniqueId": "examplecreator", "secUid": "MS4wLjABAAAAexample" } })
    }

    #[test]
    fn a_web_page_is_read_with_its_cursor_and_has_more() {
        let p = posts_answer(json!({ "itemList": [web_record("1"), web_record("2")],
            "hasMore": true, "cursor": "1716811200000", "statusCode": 0 }))
        .unwrap();
        assert_eq!(
            (p.leg, p.records, p.has_more, p.max_cursor.as_deref()),
            (Some(Leg::Web), 2, Some(true), Some("1716811200000"))
        );
        assert_eq!(p.posts[1].views, 10);
        let p = posts_answer(json!({ "itemList": [], "hasMore": false, "cursor": "0" })).unwrap();
        assert_eq!(
            (p.leg, p.records, p.has_more),
            (Some(Leg::Web), 0, Some(false))
        );
        // Neither list: as before, an empty page of no known leg.
        let p = posts_answer(json!({ "hasMore": false })).unwrap();
        assert_eq!((p.leg, p.records), (None, 0));
        let p = posts_answer(json!({ "aweme_list": [record("1")], "has_more": 0 })).unwrap();
        assert_eq!(p.leg, Some(Leg::App));
    }

    #[test]
    fn both_lists_are_read_only_when_they_agree() {
        let agree =
            posts_answer(json!({ "aweme_list": [record("1")], "itemList": [web_record("1")] }))
                .unwrap();
        assert_eq!((agree.leg, agree.posts.len()), (Some(Leg::App), 1));
        // The same post in both, its duration whole seconds on the web and its views rounded
        // there: the same posts, read from the app leg's list.
        let mut rounded = web_record("1");
        rounded["statsV2"] = json!({});
        rounded["stats"] = json!({ "playCount": 1_000_000 });
        rounded["video"] = json!({ "duration": 35 });
        let mut app = record("1");
        app["statistics"]["play_count"] = json!(1_000_347);
        app["video"] = json!({ "duration": 34_700 });
        let agree = posts_answer(json!({ "aweme_list": [app], "itemList": [rounded] })).unwrap();
        assert_eq!(agree.leg, Some(Leg::App));
        assert_eq!(agree.posts[0].views, 1_000_347);
        assert_eq!(agree.posts[0].duration_s, Some(34.7));
        for data in [
            json!({ "aweme_list": [record("1")], "itemList": [web_record("2")] }),
            json!({ "aweme_list": [], "itemList": [web_record("2")] }),
        ] {
            let err = posts_answer(data.clone()).unwrap_err();
            assert!(err.contains("they disagree"), "{data}: {err}");
        }
    }

    #[test]
    fn a_web_page_that_cannot_be_understood_is_an_error() {
        for (data, why) in [
            (
                json!({ "itemList": "none", "hasMore": false }),
                "`itemList` is not a list",
            ),
            (
                json!({ "itemList": {}, "hasMore": false }),
                "`itemList` is not a list",
            ),
            (
                json!({ "itemList": [{ "desc": "no id" }, { "id": "1" }, record("2")] }),
                "none of its 3 records could be read (no numeric id or usable createTime)",
            ),
            (
                json!({ "itemList": [], "hasMore": "perhaps" }),
                "`has_more` is \"perhaps\", neither true nor false",
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
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::report::Report;
    use crate::scavio::wire::{Answer, Data, Nothing, ProfileData, answer, profile};
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
        "itemList",
        "hasMore",
        "cursor",
        "id",
        "createTime",
        "statsV2",
        "diggCount",
        "collectCount",
        "isPinnedItem",
        "imagePost",
        "uniqueId",
        "secUid",
        "textExtra",
        "hashtagName",
        "challenges",
        "title",
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
            let _ = serde_json::from_slice::<Report>(&bytes);
        }

        #[test]
        fn no_bytes_make_the_parsers_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = answer::<Nothing>(&bytes);
            let _ = answer::<PostsData>(&bytes);
            let _ = serde_json::from_slice::<Report>(&bytes);
        }
    }
}
