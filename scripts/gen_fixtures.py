#!/usr/bin/env python3
"""Writes tests/fixtures/*.json: a realistic Scavio feed for @examplecreator as of 2026-11-15T20:00Z,
and two one-page answers for the same week: an older app version's, without collect_count, and one
with odd counts (more shares than views, web-rounded counts).

The records follow ../shared/scavio-api.md (raw TikTok app objects: nested statistics, string cursor,
pinned posts first, photo posts with aweme_type 150) and carry unused keys as the real API does.
Run it from the repository root; the output is deterministic.
"""
import json
from datetime import datetime, timezone

def ts(s):
    return int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())

AUTHOR = {
    "uid": "6800000000000000001", "sec_uid": "MS4wLjABAAAAexample", "unique_id": "examplecreator",
    "nickname": "Example Creator", "avatar_thumb": {"uri": "tos-maliva-avt-0068/abc", "url_list": [
        "https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/abc~c5_100x100.jpeg"]},
    "verification_type": 0, "region": "US", "follower_status": 0, "custom_verify": "",
}

def aweme(aid, created, desc, stats, *, pinned=False, photo=False, duration_ms=23450, tags=(),
          original=True, share_url="standard", duration_raw=None):
    rec = {
        "aweme_id": aid,
        "desc": desc,
        "create_time": ts(created),
        "is_top": 1 if pinned else 0,
        "aweme_type": 150 if photo else 0,
        "author": AUTHOR,
        "region": "US",
        "is_ads": False,
        "content_desc": "",
        "group_id": aid,
        "prevent_download": False,
        "rate": 12,
        "desc_language": "en",
        "distribute_type": 1,
        "anchors": None,
        "commerce_info": {"ad_source": 0, "branded_content_type": 0},
        "risk_infos": {"vote": False, "warn": False, "risk_sink": False, "type": 0, "content": ""},
        "status": {"aweme_id": aid, "is_delete": False, "allow_share": True, "allow_comment": True,
                   "private_status": 0, "in_reviewing": False, "reviewed": 1, "self_see": False},
        "music": {"id": 7000000000000000001 + int(aid[-3:]), "title": "original sound" if original else "Espresso",
                  "author": "Example Creator" if original else "Sabrina Carpenter",
                  "original": original, "duration": 30},
        "text_extra": [{"start": 0, "end": len(t) + 1, "type": 1, "hashtag_name": t,
                        "hashtag_id": str(1600000000000000000 + i), "is_commerce": False}
                       for i, t in enumerate(tags)],
        "cha_list": [{"cid": str(1600000000000000000 + i), "cha_name": t, "desc": "", "type": 1}
                     for i, t in enumerate(tags)],
    }
    if stats is not None:
        rec["statistics"] = {"aweme_id": aid, **stats, "download_count": 12, "forward_count": 0,
                             "lose_count": 0, "lose_comment_count": 0, "whatsapp_share_count": 3}
    if photo:
        rec["image_post_info"] = {"images": [{"display_image": {"width": 1080, "height": 1440,
            "url_list": [f"https://p16-sign-va.tiktokcdn.com/photo/{aid}_{k}.jpeg"]}} for k in range(4)]}
        rec["video"] = {"duration": 0, "width": 1080, "height": 1440, "ratio": "default"}
    else:
        rec["video"] = {"duration": duration_raw if duration_raw is not None else duration_ms,
                        "width": 1080, "height": 1920, "ratio": "720p",
                        "cover": {"uri": f"tos-maliva-p-0068/{aid}", "url_list": []},
                        "bit_rate": [{"gear_name": "normal_720_0", "quality_type": 10, "bit_rate": 1245678}]}
    url = f"https://www.tiktok.com/@examplecreator/{'photo' if photo else 'video'}/{aid}"
    if share_url == "standard":
        rec["share_url"] = f"{url}?_r=1&u_code=dk3j2f8a&preview_pb=0&sharer_language=en&_d=secCgwIARCbDRjEFSACKAESPgo8"
        rec["share_info"] = {"share_url": rec["share_url"], "share_title": "Check out Example Creator's video!"}
    elif share_url == "share_info":
        rec["share_info"] = {"share_url": f"{url}?_r=1&u_code=zz", "share_title": ""}
    return rec

def st(views, likes, comments, shares, saves, as_string=False):
    s = {"play_count": views, "digg_count": likes, "comment_count": comments, "share_count": shares}
    if saves is not None:
        s["collect_count"] = saves
    if as_string:
        s = {k: str(v) for k, v in s.items()}
    return s

def page(awemes, has_more, max_cursor_as_string=False, credits_remaining=6542):
    last = awemes[-1]["create_time"] * 1000
    return {"data": {"status_code": 0, "has_more": has_more,
                     "max_cursor": str(last) if max_cursor_as_string else last,
                     "min_cursor": awemes[0]["create_time"] * 1000,
                     "aweme_list": awemes, "extra": {"now": 1794773400000, "logid": "20261115200000ABCDEF"},
                     "log_pb": {"impr_id": "20261115200000ABCDEF"}},
            "response_time": 1873, "credits_used": 1, "credits_remaining": credits_remaining}

def profile(followers, following, aweme_count, likes, credits_remaining):
    return {"data": {"user": {
        "unique_id": "examplecreator", "nickname": "Example Creator", "uid": "6800000000000000001",
        "sec_uid": "MS4wLjABAAAAexample", "signature": "coffee nerd. new espresso tips every week",
        "follower_count": followers, "following_count": following, "aweme_count": aweme_count,
        "total_favorited": likes, "verified": False, "private_account": False, "region": "US",
        "avatar_larger": "https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/abc~c5_1080x1080.jpeg"}},
        "response_time": 1428, "credits_used": 1, "credits_remaining": credits_remaining}

page1 = [
    aweme("7553000000000000101", "2026-08-27T16:00:00Z", "the espresso ratio nobody tells you #coffee #espresso",
          st(2_400_000, 310_000, 4_100, 22_000, 41_000), pinned=True, duration_ms=41200, tags=["coffee", "espresso"]),
    aweme("7577000000000000204", "2026-11-10T18:30:00Z", "latte art fail compilation #latteart #coffee",
          st(96_400, 8_120, 233, 402, 1_210), pinned=True, duration_ms=12800, tags=["latteart", "coffee"]),
    aweme("7579000000000000301", "2026-11-15T20:00:00Z", "sunday cupping session",
          st(1_150, 98, 7, 1, 12), duration_ms=64000, tags=[]),
    aweme("7579000000000000302", "2026-11-15T14:05:00Z", "grinder settings for v60 #coffee #pourover",
          st(18_350, 1_402, 61, 38, 512), duration_ms=34700, tags=["coffee", "pourover"], original=False),
    aweme("7578000000000000303", "2026-11-14T19:10:00Z", "my 4 favourite beans this month #coffee",
          st(0, 150, 4, 2, 10), photo=True, tags=["coffee"]),
    aweme("7578000000000000304", "2026-11-13T21:45:00Z", "the 3 second espresso trick #coffee #barista #fyp",
          st(5_123_456_789, 398_765_432, 1_234_567, 9_876_543, 23_456_789), duration_ms=15900,
          tags=["coffee", "barista", "fyp"]),
    aweme("7577000000000000305", "2026-11-12T12:00:00Z", "cold brew in 12 hours? #coldbrew",
          st(7_730, 512, 19, 8, 95), duration_ms=185000, tags=["coldbrew"]),
    aweme("7577000000000000204", "2026-11-10T18:30:00Z", "latte art fail compilation #latteart #coffee",
          st(96_400, 8_120, 233, 402, 1_210), duration_ms=12800, tags=["latteart", "coffee"]),
]
page2 = [
    aweme("7576000000000000401", "2026-11-09T09:15:00Z", "milk steaming temperature test #latteart",
          st(18_200, 1_050, 44, 21, 300, as_string=True), duration_ms=28000, tags=["latteart"]),
    aweme("7576000000000000402", "2026-11-08T20:00:00Z", "moka pot vs aeropress #coffee",
          st(52_000, 4_160, 148, 96, 880), duration_ms=59000, tags=["coffee"], share_url="share_info"),
    aweme("7575000000000000403", "2026-11-07T17:40:00Z", "dialing in a new bag #espresso",
          st(24_800, 1_610, 55, 30, 402), duration_ms=31000, tags=["espresso"]),
    aweme("7575000000000000404", "2026-11-06T08:00:00Z", "morning routine, coffee edition",
          st(9_900, 870, 31, 12, None), duration_ms=None, duration_raw=48, tags=[], share_url="none"),
    aweme("7574000000000000405", "2026-11-04T22:30:00Z", "cheap vs expensive grinder #coffee #grinder",
          st(61_300, 5_210, 301, 188, 1_940), duration_ms=72000, tags=["coffee", "grinder"]),
]
page3 = [
    aweme("7574000000000000501", "2026-11-03T12:00:00Z", "how to store beans #coffee",
          st(15_400, 980, 22, 17, 260), duration_ms=26500, tags=["coffee"], original=False),
    aweme("7573000000000000502", "2026-11-02T19:00:00Z", "rating your espresso shots #espresso #barista",
          st(33_100, 2_980, 410, 65, 700), duration_ms=44000, tags=["espresso", "barista"]),
    aweme("7573000000000000503", "2026-11-01T20:00:00Z", "weekend brew bar tour",
          st(12_000, 720, 18, 9, 150), duration_ms=9800, tags=[]),
    aweme("7573000000000000504", "2026-10-31T10:00:00Z", "descaling your machine #coffee",
          st(8_800, 505, 12, 6, 90), duration_ms=38000, tags=["coffee"]),
]
page4 = [
    aweme("7572000000000000601", "2026-10-26T10:00:00Z", "first post of the series #coffee",
          st(4_400, 300, 9, 2, 40), duration_ms=21000, tags=["coffee"]),
]

# An older app version's answer for the week to 2026-11-15: no record carries collect_count.
older_app = [
    aweme("7579000000000000601", "2026-11-14T17:20:00Z", "tamping pressure, does it matter? #espresso",
          st(21_480, 1_730, 64, 41, None), duration_ms=33000, tags=["espresso"]),
    aweme("7578000000000000602", "2026-11-12T08:45:00Z", "my daily flat white #coffee",
          st(9_215, 702, 18, 9, None), duration_ms=17500, tags=["coffee"]),
    aweme("7577000000000000603", "2026-11-10T19:05:00Z", "water recipes for pour over #coffee #pourover",
          st(15_032, 1_288, 97, 35, None), duration_ms=52000, tags=["coffee", "pourover"]),
    aweme("7571000000000000604", "2026-10-24T12:00:00Z", "unboxing a hand grinder #coffee",
          st(6_410, 430, 11, 4, None), duration_ms=26000, tags=["coffee"]),
]

def web_stats(rec):
    """The record's statistics in the web's names, as a proxy passes them through."""
    names = {"play_count": "playCount", "digg_count": "diggCount", "comment_count": "commentCount",
             "share_count": "shareCount", "collect_count": "collectCount"}
    stats = rec.pop("statistics")
    rec["stats"] = {web: stats[app] for app, web in names.items() if app in stats}
    return rec

# Odd counts for the week to 2026-11-15: 415,578 shares on 4,964 views (as a real public capture
# has), a plain post, and a post whose counts come rounded as TikTok's web pages show them
# (682.9K views, 41.2K likes, 12.5K saves; counts under 10,000 are exact there).
odd_counts = [
    aweme("7579000000000000701", "2026-11-14T18:00:00Z", "why my croissants failed #baking",
          st(4_964, 388, 21, 415_578, 57), duration_ms=29000, tags=["baking"]),
    aweme("7578000000000000702", "2026-11-13T12:00:00Z", "espresso at home on a budget #coffee",
          st(12_480, 1_010, 37, 22, 140), duration_ms=41000, tags=["coffee"]),
    web_stats(aweme("7577000000000000703", "2026-11-11T19:30:00Z", "the latte that went everywhere #latteart",
          st(682_900, 41_200, 1_234, 2_100, 12_500), duration_ms=18000, tags=["latteart"])),
    aweme("7571000000000000704", "2026-10-24T12:00:00Z", "descaling, part 2 #coffee",
          st(5_120, 301, 9, 3, 44), duration_ms=24000, tags=["coffee"]),
]

files = {
    "profile.json": profile(51_877, 12, 318, 915_004, 6545),
    "profile_2026-11-08.json": profile(48_210, 12, 311, 912_345, 6560),
    "posts_page1.json": page(page1, 1, credits_remaining=6544),
    "posts_page2.json": page(page2, 1, max_cursor_as_string=True, credits_remaining=6543),
    "posts_page3.json": page(page3, 1, credits_remaining=6542),
    "posts_page4.json": page(page4, 0, credits_remaining=6541),
    "posts_older_app.json": page(older_app, 1, max_cursor_as_string=True, credits_remaining=6544),
    "posts_odd_counts.json": page(odd_counts, 1, max_cursor_as_string=True, credits_remaining=6544),
}
for name, body in files.items():
    with open(f"tests/fixtures/{name}", "w") as f:
        json.dump(body, f, indent=1)
        f.write("\n")
for n, p in enumerate([page1, page2, page3], 1):
    print(f"page{n} max_cursor", p[-1]["create_time"] * 1000)
