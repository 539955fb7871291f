//! Records as the API sends them, read: the documented shape, its variants, and what is refused.

use super::*;
use serde_json::{Value, json};

fn handle() -> Handle {
    "examplecreator".parse().unwrap()
}

fn read_json(record: Value) -> Option<Read> {
    let raw: RawRecord = serde_json::from_value(record).unwrap();
    read(&raw, &handle(), &ApiKey::new("sk_live_Key"))
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
    let r = read_json(documented_record()).unwrap();
    let p = &r.post;
    assert_eq!(p.id, "7379912345678901234");
    assert_eq!(
        p.url,
        "https://www.tiktok.com/@examplecreator/video/7379912345678901234"
    );
    assert_eq!(p.posted_at.timestamp(), 1717420000);
    assert_eq!(
        (p.views, p.likes, p.comments, p.shares, p.saves),
        (48210, 3120, 87, 41, Some(210))
    );
    assert_eq!(p.duration_s, Some(23.45));
    assert_eq!(p.hashtags, ["coffee", "barista"]);
    assert_eq!(
        (p.pinned, p.format, p.original_sound),
        (false, Format::Video, Some(true))
    );
    assert!(p.has_statistics);
    assert!(r.notes.is_empty());
    assert_eq!(r.author.as_deref(), Some("examplecreator"));
}

#[test]
fn reads_the_web_shape_with_string_counts() {
    let record = json!({ "aweme_id": 42, "create_time": "1717420000", "is_top": true,
        "stats": { "playCount": "1000", "diggCount": 40, "commentCount": "3",
                   "shareCount": 2, "collectCount": "1" },
        "video": { "duration": 48 } });
    let p = read_json(record).unwrap().post;
    assert_eq!(p.id, "42");
    assert_eq!(
        (p.views, p.likes, p.comments, p.shares, p.saves),
        (1000, 40, 3, 2, Some(1))
    );
    assert_eq!(p.duration_s, Some(48.0));
    assert!(p.pinned && p.has_statistics);
    assert_eq!(p.original_sound, None);
}

#[test]
fn a_record_without_collect_count_has_unknown_saves_not_0() {
    // Older app versions leave collect_count out; the other counts are read as sent.
    let mut record = documented_record();
    record["statistics"]
        .as_object_mut()
        .unwrap()
        .remove("collect_count");
    let r = read_json(record).unwrap();
    let p = &r.post;
    assert_eq!(
        (p.views, p.likes, p.comments, p.shares, p.saves),
        (48210, 3120, 87, 41, None)
    );
    assert!(p.has_statistics && r.notes.is_empty());
    // A save count of 0 that was sent is a 0.
    let mut record = documented_record();
    record["statistics"]["collect_count"] = json!(0);
    assert_eq!(read_json(record).unwrap().post.saves, Some(0));
}

#[test]
fn a_count_that_is_not_a_count_is_a_note_naming_post_and_field() {
    for (bad, shown) in [
        (json!("1.2K"), "\"1.2K\""),
        (json!(-5), "-5"),
        (json!(1e30), "1e30"),
        (json!(u64::MAX), "18446744073709551615"),
    ] {
        let record = json!({ "aweme_id": "7", "create_time": 1717420000,
            "statistics": { "play_count": 100, "digg_count": bad } });
        let r = read_json(record).unwrap();
        assert!(!r.post.has_statistics);
        assert_eq!((r.post.views, r.post.likes), (0, 0));
        assert_eq!(
            r.notes[0].note,
            format!(
                "post 7: statistics.digg_count is {shown}, not a count; its statistics were left out"
            )
        );
    }
}

#[test]
fn likes_above_views_are_read_as_sent_and_missing_statistics_are_noticed() {
    // More likes than views is a data-quality note of the week (analysis), not a reading error.
    let record = json!({ "aweme_id": "7", "create_time": 1717420000,
        "statistics": { "play_count": 10, "digg_count": 11 } });
    let r = read_json(record).unwrap();
    assert!(r.post.has_statistics);
    assert_eq!((r.post.views, r.post.likes), (10, 11));
    assert!(r.notes.is_empty());
    let bare =
        read_json(json!({ "aweme_id": "8", "create_time": 1717420000, "statistics": "n/a" }))
            .unwrap();
    assert!(!bare.post.has_statistics);
    assert_eq!(bare.post.saves, None, "unread statistics: saves unknown");
    let no_views = read_json(json!({ "aweme_id": "9", "create_time": 1717420000,
        "statistics": { "digg_count": 1 } }))
    .unwrap();
    assert!(!no_views.post.has_statistics);
    assert!(no_views.notes[0].note.contains("has no play_count"));
}

#[test]
fn the_link_is_built_from_the_handle_and_never_from_share_url() {
    let record = json!({ "aweme_id": "9", "create_time": 1717420000,
        "desc": "new #Beans, #v60!\u{1b}[2K\u{202e}",
        "share_url": "https://evil.example/x)\n<script>",
        "share_info": { "share_url": "https://t.co/v/9" } });
    let p = read_json(record).unwrap().post;
    assert_eq!(p.url, "https://www.tiktok.com/@examplecreator/video/9");
    assert_eq!(p.caption, "new #Beans, #v60!");
    assert_eq!(p.hashtags, ["beans", "v60"]);
}

#[test]
fn the_key_never_reaches_a_caption_a_hashtag_or_a_note() {
    let record = json!({ "aweme_id": "9", "create_time": 1717420000,
        "desc": "leak SK_LIVE_KEY and sk_live\u{7}_key", "text_extra": [{ "hashtag_name": "sk_live_key" }],
        "statistics": { "play_count": "sk_live_key" } });
    let r = read_json(record).unwrap();
    assert_eq!(r.post.caption, "leak *** and ***");
    assert_eq!(r.post.hashtags, ["***"]);
    assert!(
        r.notes[0].note.contains("is \"***\", not a count"),
        "{:?}",
        r.notes
    );
}

#[test]
fn times_in_milliseconds_and_both_spellings_of_a_count_are_read() {
    let record = json!({ "aweme_id": "9", "create_time": 1717420000123u64,
        "stats": { "play_count": 10, "playCount": 99, "diggCount": 2 },
        "desc": "x".repeat(MAX_CAPTION_CHARS + 5) });
    let p = read_json(record).unwrap().post;
    assert_eq!(p.posted_at.timestamp(), 1717420000);
    assert_eq!((p.views, p.likes), (10, 2));
    assert_eq!(p.caption.chars().count(), MAX_CAPTION_CHARS + 1);
}

#[test]
fn photo_posts_have_no_duration() {
    let record = json!({ "aweme_id": "9", "create_time": 1717420000, "aweme_type": 150,
        "image_post_info": {}, "video": { "duration": 0 } });
    let p = read_json(record).unwrap().post;
    assert_eq!((p.format, p.duration_s), (Format::Photo, None));
}

#[test]
fn records_without_a_numeric_id_or_a_time_are_not_posts() {
    for record in [
        json!({ "create_time": 1717420000 }),
        json!({ "aweme_id": "1" }),
        json!({ "aweme_id": "1", "create_time": 0 }),
        json!({ "aweme_id": "1", "create_time": "soon" }),
        json!({ "aweme_id": "../etc", "create_time": 1717420000 }),
        json!({ "aweme_id": "", "create_time": 1717420000 }),
    ] {
        assert_eq!(read_json(record.clone()), None, "{record}");
    }
}
