//! Web-leg records as the API sends them, read: each rule of the web shape, and what is refused.

use super::*;
use crate::model::Format;
use serde_json::{Value, json};

fn read_json(record: Value) -> Option<Read> {
    let raw: WebRecord = serde_json::from_value(record).unwrap();
    read(
        &raw,
        &"examplecreator".parse().unwrap(),
        &ApiKey::new("sk_live_Key"),
    )
}

fn web_record() -> Value {
    json!({ "id": "7562000000000000001", "createTime": 1760900000, "desc": "caption #tag",
        "author": { "uniqueId": "examplecreator", "secUid": "MS4wLjABAAAAexample" },
        "stats": { "playCount": 59100, "diggCount": 800, "commentCount": 40, "shareCount": 9, "collectCount": 30 },
        "statsV2": { "playCount": "59149", "diggCount": "812", "commentCount": "41", "shareCount": "9",
                     "collectCount": "31", "repostCount": "0" },
        "video": { "duration": 18, "height": 1920 }, "music": { "original": false },
        "challenges": [ { "id": "1", "title": "Tag" } ],
        "textExtra": [ { "hashtagName": "tag", "type": 1 }, { "hashtagName": "", "type": 0, "userUniqueId": "friend" } ] })
}

#[test]
fn reads_the_web_record_with_exact_counts_from_statsv2() {
    let r = read_json(web_record()).unwrap();
    let p = &r.post;
    assert_eq!(p.id, "7562000000000000001");
    assert_eq!(
        p.url,
        "https://www.tiktok.com/@examplecreator/video/7562000000000000001"
    );
    assert_eq!(p.posted_at.timestamp(), 1760900000);
    assert_eq!(p.caption, "caption #tag");
    assert_eq!(
        (p.views, p.likes, p.comments, p.shares, p.saves),
        (59149, 812, 41, 9, Some(31))
    );
    assert_eq!(p.duration_s, Some(18.0), "seconds, not milliseconds");
    assert_eq!(
        (p.pinned, p.format, p.original_sound),
        (false, Format::Video, Some(false))
    );
    assert_eq!(
        p.hashtags,
        ["tag"],
        "from textExtra, then challenges; mentions are not tags"
    );
    assert!(p.has_statistics && r.notes.is_empty());
    assert_eq!(r.author.as_deref(), Some("examplecreator"));
}

#[test]
fn each_count_missing_from_statsv2_comes_from_stats_and_one_in_neither_is_unknown() {
    let mut record = web_record();
    let v2 = record["statsV2"].as_object_mut().unwrap();
    v2.remove("diggCount");
    v2.insert("commentCount".into(), Value::Null);
    let p = read_json(record.clone()).unwrap().post;
    assert_eq!((p.views, p.likes, p.comments), (59149, 800, 40));
    // Saves in neither object are unknown, never 0; only stats, with string counts, is read too.
    record["stats"]
        .as_object_mut()
        .unwrap()
        .remove("collectCount");
    record["statsV2"]
        .as_object_mut()
        .unwrap()
        .remove("collectCount");
    assert_eq!(read_json(record.clone()).unwrap().post.saves, None);
    record.as_object_mut().unwrap().remove("statsV2");
    record["stats"]["playCount"] = json!("1234");
    let p = read_json(record).unwrap().post;
    assert_eq!(
        (p.views, p.likes, p.saves, p.has_statistics),
        (1234, 800, None, true)
    );
}

#[test]
fn a_count_that_is_not_a_count_is_a_note_naming_the_object_it_came_from() {
    let mut record = web_record();
    record["statsV2"]["playCount"] = json!("59.1K");
    let r = read_json(record.clone()).unwrap();
    assert!(!r.post.has_statistics);
    assert_eq!(r.post.saves, None);
    assert_eq!(
        r.notes[0].note,
        "post 7562000000000000001: statsV2.playCount is \"59.1K\", not a count; its statistics were left out"
    );
    record["statsV2"]
        .as_object_mut()
        .unwrap()
        .remove("playCount");
    record["stats"].as_object_mut().unwrap().remove("playCount");
    let r = read_json(record.clone()).unwrap();
    assert!(
        r.notes[0]
            .note
            .contains("statsV2 or stats has no playCount"),
        "{:?}",
        r.notes
    );
    record.as_object_mut().unwrap().remove("stats");
    record.as_object_mut().unwrap().remove("statsV2");
    let r = read_json(record).unwrap();
    assert!(
        !r.post.has_statistics && r.notes.is_empty(),
        "no statistics at all: no counts, no note"
    );
}

#[test]
fn pinned_photo_posts_and_hashtags_from_either_list() {
    let mut record = web_record();
    record["isPinnedItem"] = json!(true);
    record["imagePost"] = json!({ "images": [{ "imageURL": { "urlList": [] } }] });
    record["video"]["duration"] = json!(0);
    record["challenges"] = json!([{ "title": "Photo" }, { "title": "tag" }]);
    let p = read_json(record.clone()).unwrap().post;
    assert_eq!(
        (p.pinned, p.format, p.duration_s),
        (true, Format::Photo, None)
    );
    assert_eq!(p.hashtags, ["tag", "photo"]);
    // Only challenges, only textExtra, neither (then the caption's #words).
    record.as_object_mut().unwrap().remove("textExtra");
    assert_eq!(
        read_json(record.clone()).unwrap().post.hashtags,
        ["photo", "tag"]
    );
    record.as_object_mut().unwrap().remove("challenges");
    record["textExtra"] = json!([{ "hashtagName": "Only" }]);
    assert_eq!(read_json(record.clone()).unwrap().post.hashtags, ["only"]);
    record.as_object_mut().unwrap().remove("textExtra");
    assert_eq!(read_json(record).unwrap().post.hashtags, ["tag"]);
}

#[test]
fn durations_are_seconds_whole_or_fractional() {
    for (sent, seconds) in [
        (json!(18), Some(18.0)),
        (json!("185"), Some(185.0)),
        (json!(12.5), Some(12.5)),
        (json!(1200), Some(1200.0)),
        (json!(0), None),
        (json!(-3), None),
        (json!("long"), None),
    ] {
        let mut record = web_record();
        record["video"]["duration"] = sent.clone();
        assert_eq!(
            read_json(record).unwrap().post.duration_s,
            seconds,
            "{sent}"
        );
    }
}

#[test]
fn records_without_a_numeric_id_or_a_time_are_not_posts() {
    for (key, value) in [
        ("id", Value::Null),
        ("id", json!("abc")),
        ("createTime", json!(0)),
        ("createTime", json!("soon")),
    ] {
        let mut record = web_record();
        record[key] = value.clone();
        assert_eq!(read_json(record), None, "{key}: {value}");
    }
    let app_shaped = json!({ "aweme_id": "1", "create_time": 1760900000 });
    assert_eq!(
        read_json(app_shaped),
        None,
        "an app record is not a web one"
    );
}
