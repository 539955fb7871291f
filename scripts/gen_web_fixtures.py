#!/usr/bin/env python3
"""Writes tests/fixtures/web_page{1..4}.json: the same feed as tests/fixtures/posts_page{1..4}.json
(the same posts, counts, pins, photos and hashtags) as Scavio's web leg passes it through: TikTok's
web shape (`itemList`, `createTime`, `stats` rounded as the web shows them, `statsV2` exact as
strings, `isPinnedItem`, `imagePost`, `challenges`/`textExtra`, `video.duration` in whole seconds,
`hasMore` as a bool and `cursor` as a string), with the many keys a web record carries that the tool
ignores. One post's `statsV2` leaves out its save count, which `stats` still has (exactly, under
10,000). Run it from the repository root after scripts/gen_fixtures.py; the output is deterministic.
"""
import json

def rounded(n):
    """A count as the web's `stats` shows it: exact under 10,000, else cut to 0.1K, 0.1M or 0.1B."""
    for unit in (1_000_000_000, 1_000_000, 1_000):
        if n >= max(unit, 10_000):
            step = unit // 10
            return n // step * step
    return n

NAMES = {"play_count": "playCount", "digg_count": "diggCount", "comment_count": "commentCount",
         "share_count": "shareCount", "collect_count": "collectCount"}
# The post whose statsV2 leaves out collectCount (stats has it).
V2_WITHOUT_SAVES = "7579000000000000302"

def stats(rec):
    app = {k: int(v) for k, v in rec["statistics"].items() if k in NAMES}
    v1 = {NAMES[k]: rounded(v) for k, v in app.items()}
    v2 = {NAMES[k]: str(v) for k, v in app.items()}
    v2["repostCount"] = "0"
    if rec["aweme_id"] == V2_WITHOUT_SAVES:
        del v2["collectCount"]
    return v1, v2

def item(rec):
    aid, author = rec["aweme_id"], rec["author"]
    v1, v2 = stats(rec)
    photo = "image_post_info" in rec
    raw = rec["video"]["duration"]
    seconds = raw if raw < 1000 else int(raw / 1000 + 0.5)
    cdn = "https://p16-sign-va.tiktokcdn.com"
    tags = [t["hashtag_name"] for t in rec.get("text_extra", [])]
    text_extra = [{"awemeId": "", "start": t["start"], "end": t["end"], "hashtagId": t["hashtag_id"],
                   "hashtagName": t["hashtag_name"], "type": 1, "subType": 0, "isCommerce": False,
                   "userId": "", "secUid": "", "userUniqueId": ""} for t in rec.get("text_extra", [])]
    out = {
        "id": aid,
        "desc": rec["desc"],
        "createTime": rec["create_time"],
        "scheduleTime": 0,
        "video": {"id": aid, "height": 1440 if photo else 1920, "width": 1080, "duration": seconds,
                  "ratio": "default" if photo else "720p",
                  "cover": f"{cdn}/tos-maliva-p-0068/{aid}~tplv-dmt-logom.jpeg",
                  "originCover": f"{cdn}/tos-maliva-p-0068/{aid}~origin.jpeg",
                  "dynamicCover": f"{cdn}/tos-maliva-p-0068/{aid}~dynamic.image",
                  "playAddr": "", "downloadAddr": "", "format": "mp4", "bitrate": 1245678,
                  "definition": "720p", "codecType": "h264", "VQScore": "65.12",
                  "encodedType": "normal", "videoQuality": "normal", "size": 4123456},
        "author": {"id": author["uid"], "uniqueId": author["unique_id"], "nickname": author["nickname"],
                   "avatarThumb": f"{cdn}/tos-maliva-avt-0068/abc~c5_100x100.jpeg",
                   "signature": "coffee nerd. new espresso tips every week", "verified": False,
                   "secUid": author["sec_uid"], "secret": False, "ftc": False, "relation": 0,
                   "openFavorite": False, "commentSetting": 0, "duetSetting": 0, "stitchSetting": 0,
                   "privateAccount": False, "downloadSetting": 0},
        "music": {"id": str(rec["music"]["id"]), "title": rec["music"]["title"],
                  "playUrl": f"https://sf16-ies-music-va.tiktokcdn.com/obj/musically-maliva-obj/{rec['music']['id']}.mp3",
                  "coverThumb": f"{cdn}/tos-maliva-avt-0068/abc~c5_100x100.jpeg",
                  "authorName": rec["music"]["author"], "original": rec["music"]["original"],
                  "duration": rec["music"]["duration"], "album": ""},
        "challenges": [{"id": c["cid"], "title": c["cha_name"], "desc": "", "profileLarger": "",
                        "profileMedium": "", "profileThumb": "", "coverLarger": "", "coverMedium": "",
                        "coverThumb": "", "isCommerce": False} for c in rec.get("cha_list", [])],
        "stats": v1,
        "statsV2": v2,
        "warnInfo": [],
        "originalItem": False,
        "officalItem": False,
        "textExtra": text_extra,
        "secret": False,
        "forFriend": False,
        "digged": False,
        "itemCommentStatus": 0,
        "takeDown": 0,
        "effectStickers": [],
        "privateItem": False,
        "duetEnabled": True,
        "stitchEnabled": True,
        "stickersOnItem": [],
        "shareEnabled": True,
        "comments": [],
        "duetDisplay": 0,
        "stitchDisplay": 0,
        "indexEnabled": True,
        "diversificationLabels": ["Food & Drink", "Lifestyle"],
        "locationCreated": "US",
        "suggestedWords": tags,
        "contents": [{"desc": rec["desc"], "textExtra": text_extra}],
        "collected": False,
        "channelTags": [],
        "item_control": {"can_repost": True},
        "IsAigc": False,
        "AIGCDescription": "",
        "textLanguage": "en",
        "textTranslatable": True,
        "CategoryType": 106,
        "isAd": False,
    }
    if rec.get("is_top"):
        out["isPinnedItem"] = True
    if photo:
        out["imagePost"] = {
            "images": [{"imageURL": {"urlList": [f"{cdn}/photo/{aid}_{k}.jpeg"]},
                        "imageWidth": 1080, "imageHeight": 1440} for k in range(4)],
            "cover": {"imageURL": {"urlList": [f"{cdn}/photo/{aid}_0.jpeg"]},
                      "imageWidth": 1080, "imageHeight": 1440},
            "title": ""}
    return out

for n in range(1, 5):
    with open(f"tests/fixtures/posts_page{n}.json") as f:
        app = json.load(f)
    data = app["data"]
    web = {"data": {"cursor": str(data["max_cursor"]),
                    "extra": {"fatal_item_ids": [], "logid": "20261115200000ABCDEF", "now": 1794773400000},
                    "hasMore": data["has_more"] == 1,
                    "hasMorePrevious": False,
                    "itemList": [item(r) for r in data["aweme_list"]],
                    "log_pb": {"impr_id": "20261115200000ABCDEF"},
                    "statusCode": 0, "status_code": 0, "status_msg": ""},
           "response_time": 2211, "credits_used": 1, "credits_remaining": app["credits_remaining"]}
    with open(f"tests/fixtures/web_page{n}.json", "w") as f:
        json.dump(web, f, indent=1, ensure_ascii=False)
        f.write("\n")
