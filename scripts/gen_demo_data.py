#!/usr/bin/env python3
"""Writes demo/data/: twelve weeks of Scavio answers for the demo's account, @crumbandcrust.

The story: a home baker in New York with about 40,000 followers who posts 3 to 6 times a week, and
not at all in the week to 2026-10-25 (a week off). What the script builds in, and the reports then
find: sourdough videos do best and quick kitchen hacks tagged #fyp worst; Thursday evenings (New
York time) are reliably the best slot and early Wednesday mornings the worst; 15-30 s videos beat
very short and very long ones; original sounds do a little better than borrowed ones; the few photo
carousels (`aweme_type` 150) reach only a few thousand viewers. Two videos, both on a Thursday
evening, break out to about ten times the account's median: one in the week to 2026-10-04, one in
the last week, to 2026-11-22. Followers grow slowly, faster in a breakout's week. An old guide stays
pinned at the top of the feed. Views vary around all that (a log-normal spread), so there is a long
tail, as on a real account.

Every post gathers views for weeks (most of them in its first two days), so a later run sees an
older post with more views than the run before saw. Each week's run, Sunday 20:00 UTC, reads the
feed the way the real API pages it: newest first, the pinned post on top of page 1, about 10 posts a
page, each page's `max_cursor` the `create_time` (in ms) of its last post; and it stops at the first
page whose last post is older than the week, exactly as tiktok-review's client does. So each week's
pages reach back into the week before, and the files here are exactly the pages that run asks for.

Output, one folder per run (the report's date):
  demo/data/<YYYY-MM-DD>/profile.json        the `/api/v1/tiktok/profile` answer
  demo/data/<YYYY-MM-DD>/posts_<cursor>.json  the `/api/v1/tiktok/user/posts` answer to
                                                        that cursor (`posts_0.json` first)
in the API's real shape (see "How it talks to Scavio" in docs/development.md): `data.aweme_list` of raw records with
nested `statistics`, `video.duration` in ms, `music.original`, `text_extra`, `is_top`, `aweme_type`,
`has_more`, a numeric `max_cursor`, `credits_used` and `credits_remaining`. Records carry a subset of
the ~150 keys of a real one, to keep the folder small.

Deterministic: a fixed seed and the standard library only (`random.Random(SEED)`, `zoneinfo`).
Run it from anywhere: `python3 scripts/gen_demo_data.py`; it replaces the dated folders and prints
one line a week. Then `cargo run --example demo` replays the twelve weeks, and `cargo test --test
demo` checks the story still holds. (`python3 scripts/gen_demo_data.py SEED` tries another seed: the
story above is what the fixed one gives.)
"""
import json
import math
import random
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = 20261122
OUT = Path(__file__).resolve().parent.parent / "demo" / "data"
HANDLE = "crumbandcrust"
NICKNAME = "Crumb & Crust"
UID = "6912745038216540161"
TZ = ZoneInfo("America/New_York")
LAST_RUN = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)  # a Sunday, 20:00 UTC
RUNS = [LAST_RUN - timedelta(weeks=11 - i) for i in range(12)]
BACKLOG_WEEKS = 4  # posts from before the first run's week, so its pages can reach past it
# Posts per week: the backlog weeks, then the twelve reported weeks (a week off in the 8th).
POSTS_PER_WEEK = [5, 4, 5, 4] + [4, 5, 3, 6, 5, 4, 5, 0, 3, 5, 4, 5]
BREAKOUT_WEEKS = {BACKLOG_WEEKS + 4, BACKLOG_WEEKS + 11}  # weeks to 2026-10-04 and 2026-11-22
OFF_WEEK = BACKLOG_WEEKS + 7
PHOTO_WEEKS = {BACKLOG_WEEKS + i for i in (-2, 1, 3, 6, 9, 10)}  # one post of these is a carousel

# Posting slots in New York time: (day after the window's first Sunday, first hour, last hour,
# how well posts there do, how often the creator picks it).
SLOTS = {
    "sun_evening": (0, 18, 19, 1.05, 2),  # after the run (16:00 or 15:00 in New York)
    "mon_evening": (1, 20, 21, 0.85, 2),
    "tue_lunch": (2, 12, 13, 1.0, 3),
    "wed_early": (3, 6, 7, 0.55, 2),
    "thu_evening": (4, 18, 20, 1.9, 8),
    "fri_late": (5, 21, 22, 0.9, 2),
    "sat_morning": (6, 9, 11, 1.5, 5),
}

# Topics: how well they do, how often they come, their hashtags (the first always, then some of
# the rest), their lengths in seconds, and captions.
TOPICS = {
    "sourdough": dict(factor=1.45, weight=30, tags=["sourdough"], extra=["breadtok", "homebaker", "baking"],
                      seconds=[(32, 58), (32, 58), (62, 110)], captions=[
        "72-hour cold ferment sourdough, start to finish",
        "why your sourdough is flat (3 fixes)",
        "the ear on this loaf though",
        "sourdough scoring patterns for beginners",
        "how I feed my starter on a 9-5 schedule",
        "high-hydration sourdough without the sticky mess",
        "rye sourdough that actually rises",
        "testing a $9 banneton vs a $45 one",
        "jalapeño cheddar sourdough, the one you asked for",
        "what overproofed dough really looks like",
        "sourdough discard crackers in 20 minutes",
        "my starter is 6 years old today",
        "the fridge trick for an open crumb",
        "baking sourdough in a cheap dutch oven",
        "whole wheat sourdough, no dense crumb",
        "stretch and folds vs coil folds, side by side",
        "cranberry walnut sourdough for the holidays",
        "sourdough bagels, chewy and blistered",
        "reading the float test (and why it lies)",
        "olive and rosemary sourdough boule",
        "the 4 temperatures that change your bread",
        "sourdough english muffins on a skillet",
        "my starter died. here's how I revived it",
        "the autolyse step, and when to skip it",
        "sourdough sandwich loaf for school lunches",
        "why I bake at 5am (and how you don't have to)",
        "seeded sourdough that doesn't lose its seeds",
        "sourdough pizza night, start to finish",
        "a loaf a day for a week: what changed",
    ]),
    "pastry": dict(factor=1.15, weight=20, tags=["baking"], extra=["homebaker", "dessert"],
                   seconds=[(22, 29), (31, 48)], captions=[
        "cinnamon rolls that stay soft for 3 days",
        "brown butter chocolate chip cookies",
        "lamination at home, no fancy butter",
        "apple hand pies for a crowd",
        "the flakiest pie crust, explained",
        "overnight cardamom buns",
        "3 mistakes that make your cookies spread",
        "pumpkin cinnamon rolls with maple glaze",
        "croissants on a weeknight (almost)",
        "sticky pecan buns for sunday",
        "the only brownie recipe I use now",
        "pear and ginger galette",
        "swirl buns with leftover jam",
        "shortbread that melts, 4 ingredients",
        "lemon poppyseed loaf, extra glaze",
        "chocolate babka, step by step",
        "maple pecan scones for fall",
        "the easiest puff pastry twists",
        "spiced apple cake, one pan",
        "coffee cake with too much crumb (on purpose)",
        "raspberry crumble bars",
        "the fudgiest blondies I've made",
        "cherry hand pies, air fryer test",
        "honey butter rolls for thanksgiving",
        "tarte tatin without fear",
        "blueberry muffins with a crackly top",
    ]),
    "recipe": dict(factor=0.9, weight=20, tags=["recipe"], extra=["easyrecipe", "fyp", "baking"],
                   seconds=[(16, 29)], captions=[
        "no-knead focaccia, 10 minutes of work",
        "one-bowl banana bread",
        "garlic knots from pizza dough",
        "5-ingredient soft pretzels",
        "skillet cornbread in 30 minutes",
        "quick dinner rolls, no mixer",
        "pizza dough that tastes like a pizzeria's",
        "soda bread when you have no yeast",
        "honey oat sandwich loaf",
        "cheddar scallion scones",
        "pita that puffs every time",
        "zucchini bread, not soggy",
        "herb flatbreads on the stovetop",
        "15-minute naan in a skillet",
        "three-ingredient biscuits",
        "overnight oats bread, no knead",
        "rosemary potato rolls",
        "cinnamon raisin bread for toast",
        "beer bread, stir and bake",
        "pull-apart garlic bread",
        "sweet potato biscuits",
        "everything bagel pull-apart buns",
    ]),
    "hack": dict(factor=0.62, weight=12, tags=["kitchenhacks"], extra=["fyp", "bakingtips"],
                 seconds=[(7, 14)], captions=[
        "soften butter in 5 minutes",
        "the bench scraper does more than you think",
        "stop your dough sticking to the bowl",
        "room temperature eggs, fast",
        "measure flour right without a scale",
        "save a loaf that went stale",
        "proof dough in a cold kitchen",
        "clean sticky dough off your hands",
        "keep brown sugar soft forever",
        "the oven light proofing box",
        "a shower cap is the best bowl cover",
        "slice bread straight with a ruler trick",
        "freeze cookie dough the smart way",
        "revive crusty bread in 5 minutes",
    ]),
    "vlog": dict(factor=0.85, weight=10, tags=[], extra=[],
                 seconds=[(95, 170), (185, 260)], captions=[
        "a slow saturday bake with me",
        "farmers market haul and what I baked with it",
        "behind the scenes of a 40-loaf weekend",
        "answering your questions while the dough rests",
        "baking for my neighbours, a week in loaves",
        "cleaning out the pantry, baking what's left",
        "what my kitchen looks like at 5am",
        "baking with my mom for the first time on camera",
        "a rainy sunday of bread and soup",
        "my kitchen tour, finally",
        "prepping for the bake sale, all day",
        "a week of bread for a family of five",
        "testing viral baking hacks so you don't have to",
        "my first bake in the new oven",
        "day off: bread, coffee, a long walk",
    ]),
    "photo": dict(factor=0.14, weight=0, tags=["recipe"], extra=["baking", "sourdough"],
                  seconds=None, captions=[
        "save this: my sourdough schedule, printable",
        "the hydration chart I wish I had as a beginner",
        "flour guide: which one for what",
        "my go-to focaccia toppings",
        "holiday baking timeline, week by week",
        "substitutions cheat sheet",
        "what I bake when it's too hot to bake",
        "every starter jar I have tried",
        "baking pantry essentials, one page",
        "10 loaves from this year, ranked",
    ]),
}
BREAKOUT_CAPTIONS = [
    "I baked the same sourdough 10 days in a row. Day 10 shocked me",
    "my grandma's 1962 sourdough recipe vs mine, blind tasted",
]
HASHTAG_IDS = {
    "sourdough": "19854", "breadtok": "1649382706421765", "homebaker": "1598760943201793",
    "baking": "3962", "cinnamonrolls": "7284751", "dessert": "2157", "recipe": "4021",
    "easyrecipe": "1617229183917058", "fyp": "229207", "kitchenhacks": "1634925468810245",
    "bakingtips": "1660384112398337",
}
BORROWED_SOUNDS = [
    ("Sunday Morning Loop", "lofi kitchen"),
    ("slow dough (sped up)", "nightbakery"),
    ("Warm Oven", "The Proofers"),
    ("cozy beats for baking", "studio flour"),
]
TRICKLE_PER_DAY = 0.0004  # share of its final views an old post still gains a day
BASE_VIEWS = 17_500  # the account's typical mature video, before slot/topic/length factors


def length_factor(seconds):
    for lower, factor in [(180, 0.65), (60, 0.8), (30, 1.0), (15, 1.15), (0, 0.85)]:
        if seconds >= lower:
            return factor
    return 1.0


def maturity(age_hours, fast, slow, share_fast):
    """Share of its final views a post has at this age: `share_fast` of them come at the pace of
    `fast` hours (the first days), the rest at the pace of `slow` hours."""
    if age_hours <= 0:
        return 0.0
    return 1 - share_fast * math.exp(-age_hours / fast) - (1 - share_fast) * math.exp(-age_hours / slow)


def tag_entries(desc, tags):
    entries = []
    for tag in tags:
        start = desc.index("#" + tag)
        entries.append({"start": start, "end": start + len(tag) + 1, "type": 1, "hashtag_name": tag,
                        "hashtag_id": HASHTAG_IDS[tag], "is_commerce": False})
    return entries


class Post:
    def __init__(self, rng, created, topic, caption, slot_factor, breakout):
        t = TOPICS[topic]
        self.created = created
        self.topic = topic
        self.breakout = breakout
        self.photo = topic == "photo"
        self.id = str((int(created.timestamp()) << 32) | rng.getrandbits(32))
        self.tags = list(t["tags"]) + sorted(rng.sample(t["extra"], rng.randint(1, 2)) if t["extra"] else [])
        if any(word in caption for word in ("cinnamon", "cardamom", "sticky pecan", "swirl buns")):
            self.tags.append("cinnamonrolls")
        self.desc = caption + ("".join(" #" + tag for tag in self.tags))
        self.seconds = None if self.photo else round(rng.uniform(*rng.choice(t["seconds"])), 1)
        self.original = breakout or (rng.random() < (0.2 if self.photo else 0.6))
        self.sound = None if self.original else rng.choice(BORROWED_SOUNDS)
        sound_factor = 1.1 if self.original else 0.9
        length = 1.0 if self.photo else length_factor(self.seconds)
        noise = rng.lognormvariate(0, 0.3)
        self.final_views = BASE_VIEWS * t["factor"] * slot_factor * length * sound_factor * noise
        self.like_rate = rng.uniform(0.08, 0.12) if self.photo else rng.uniform(0.05, 0.095)
        self.comment_rate = rng.uniform(0.002, 0.008)
        self.share_rate = rng.uniform(0.002, 0.012) if not breakout else rng.uniform(0.015, 0.022)
        self.save_rate = rng.uniform(0.006, 0.02) if topic in ("photo", "recipe", "sourdough") else rng.uniform(0.002, 0.008)
        self.downloads = rng.uniform(0.0002, 0.0015)
        self.whatsapp = rng.uniform(0.0001, 0.0008)
        self.images = rng.randint(3, 7) if self.photo else 0
        self.music_id = 7_100_000_000_000_000_000 + rng.getrandbits(48)
        # How fast it gathers views: a breakout keeps climbing for days.
        self.pace = (rng.uniform(45, 65), rng.uniform(180, 260), 0.8) if breakout else \
            (rng.uniform(12, 32), rng.uniform(100, 220), rng.uniform(0.65, 0.85))

    def stats(self, at):
        age = (at - self.created).total_seconds() / 3600
        # Most views come in the first days; a trickle keeps coming for months.
        share = maturity(age, *self.pace) + TRICKLE_PER_DAY * max(age, 0) / 24
        views = round(self.final_views * share)
        count = lambda rate: round(self.final_views * rate * share)
        return {"aweme_id": self.id, "play_count": views, "digg_count": count(self.like_rate),
                "comment_count": count(self.comment_rate), "share_count": count(self.share_rate),
                "collect_count": count(self.save_rate), "download_count": count(self.downloads),
                "forward_count": 0, "lose_count": 0, "lose_comment_count": 0,
                "whatsapp_share_count": count(self.whatsapp)}

    def record(self, at, author, pinned=False):
        kind = "photo" if self.photo else "video"
        url = f"https://www.tiktok.com/@{HANDLE}/{kind}/{self.id}"
        rec = {
            "aweme_id": self.id, "desc": self.desc, "create_time": int(self.created.timestamp()),
            "is_top": 1 if pinned else 0, "aweme_type": 150 if self.photo else 0, "author": author,
            "region": "US", "desc_language": "en", "group_id": self.id, "is_ads": False,
            "statistics": self.stats(at),
            "music": ({"id": self.music_id, "title": "original sound", "author": NICKNAME,
                       "original": True, "duration": round(self.seconds or 15)}
                      if self.original else
                      {"id": self.music_id, "title": self.sound[0], "author": self.sound[1],
                       "original": False, "duration": 60}),
            "text_extra": tag_entries(self.desc, self.tags),
            "cha_list": [{"cid": HASHTAG_IDS[t], "cha_name": t} for t in self.tags],
            "share_url": f"{url}?_r=1&u_code=e2k4h7m1c9&preview_pb=0&sharer_language=en",
        }
        if self.photo:
            rec["video"] = {"duration": 0, "width": 1080, "height": 1440, "ratio": "default"}
            rec["image_post_info"] = {"images": [
                {"display_image": {"width": 1080, "height": 1440, "url_list": [
                    f"https://p16-sign-va.tiktokcdn.com/tos-maliva-i-photomode-us/{self.id}_{k}.jpeg"]}}
                for k in range(self.images)]}
        else:
            rec["video"] = {"duration": int(self.seconds * 1000), "width": 1080, "height": 1920, "ratio": "720p"}
        return rec


def looks_rounded(stats):
    large = [v for k, v in stats.items() if k in ("play_count", "digg_count", "comment_count",
                                                   "share_count", "collect_count") and v >= 10_000]
    return len(large) >= 2 and all(v % 1000 == 0 for v in large)


def make_posts(rng):
    captions = {name: rng.sample(t["captions"], len(t["captions"])) for name, t in TOPICS.items()}
    used = {name: 0 for name in TOPICS}
    posts = []
    first_end = RUNS[0] - timedelta(weeks=BACKLOG_WEEKS)
    for week, n in enumerate(POSTS_PER_WEEK):
        end = first_end + timedelta(weeks=week)
        start_sunday = (end - timedelta(weeks=1)).astimezone(TZ).date()
        names = list(SLOTS)
        chosen = []
        if week in BREAKOUT_WEEKS:
            chosen.append("thu_evening")
        while len(chosen) < n:
            pool = [s for s in names if s not in chosen]
            chosen.append(rng.choices(pool, weights=[SLOTS[s][4] for s in pool])[0])
        # Carousels go out when there is no time to film, never in the two big slots.
        photo_slot = rng.choice([s for s in chosen if s not in ("thu_evening", "sat_morning")] or [None])
        for slot in chosen:
            day, first, last, factor, _ = SLOTS[slot]
            local = datetime.combine(start_sunday + timedelta(days=day), datetime.min.time())
            local = local.replace(hour=rng.randint(first, last), minute=rng.randint(0, 59),
                                  second=rng.randint(0, 59), tzinfo=TZ)
            created = local.astimezone(timezone.utc)
            assert end - timedelta(weeks=1) <= created < end, (slot, created, end)
            breakout = week in BREAKOUT_WEEKS and slot == "thu_evening"
            if breakout:
                topic, caption = "sourdough", BREAKOUT_CAPTIONS[0 if week < OFF_WEEK else 1]
            else:
                names_t = list(TOPICS)
                topic = rng.choices(names_t, weights=[TOPICS[t]["weight"] for t in names_t])[0]
                if week in PHOTO_WEEKS and slot == photo_slot:
                    topic = "photo"
                pool = captions[topic]
                assert used[topic] < len(pool), f"add captions for {topic}"
                caption = pool[used[topic]]
                used[topic] += 1
            posts.append(Post(rng, created, topic, caption, factor, breakout))
    return posts


def pinned_post(rng):
    created = datetime(2026, 3, 14, 13, 22, 41, tzinfo=TZ).astimezone(timezone.utc)
    post = Post(rng, created, "sourdough", "my whole sourdough process, start here", 1.0, False)
    post.tags = ["sourdough", "breadtok", "baking"]
    post.desc = "my whole sourdough process, start here #sourdough #breadtok #baking"
    post.seconds, post.original, post.sound, post.final_views = 94.6, True, None, 612_843
    return post


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else SEED
    rng = random.Random(seed)
    author = {"uid": UID, "sec_uid": "MS4wLjABAAAA" + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") for _ in range(64)),
        "unique_id": HANDLE, "nickname": NICKNAME}
    posts = make_posts(rng)
    pinned = pinned_post(rng)
    # Breakouts: about ten times the account's typical post by the end of their week (three days
    # old, with two thirds of their views still to come).
    videos = sorted(p.final_views for p in posts if not p.photo and not p.breakout)
    typical = videos[len(videos) // 2]
    for p in posts:
        if p.breakout:
            p.final_views = typical * rng.uniform(11.0, 12.0)
    posts.sort(key=lambda p: p.created, reverse=True)

    for old in OUT.glob("20*"):
        shutil.rmtree(old)
    credits = 5_214
    followers = 38_290
    seen_views = {}
    total = 0
    for run in RUNS:
        feed = [p for p in posts if p.created < run]
        week_start = run - timedelta(weeks=1)
        new_views = sum(p.stats(run)["play_count"] - p.stats(week_start)["play_count"] for p in feed)
        followers += 80 + int(0.0028 * new_views) + rng.randint(-35, 45)
        folder = OUT / run.date().isoformat()
        folder.mkdir(parents=True)
        likes = sum(p.stats(run)["digg_count"] for p in feed + [pinned])
        profile = {"data": {"user": {
            "unique_id": HANDLE, "nickname": NICKNAME, "uid": UID, "sec_uid": author["sec_uid"],
            "signature": "home baker in brooklyn 🍞 sourdough without the stress. new bakes every week",
            "follower_count": followers, "following_count": 211, "aweme_count": 241 + len(feed),
            "total_favorited": 1_480_000 + likes, "verified": False, "private_account": False,
            "region": "US", "avatar_larger": f"https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/{UID}~c5_1080x1080.jpeg",
        }}, "response_time": rng.randint(900, 1900), "credits_used": 1, "credits_remaining": credits}
        credits -= 1
        write(folder / "profile.json", json.dumps(profile, ensure_ascii=False, indent=1) + "\n")

        # Pages as the API cuts them and as the client reads them: stop at the first page whose
        # last post is a non-pinned post older than the week.
        cursor, index, pages = "0", 0, []
        while True:
            if cursor == "0":
                size = rng.randint(8, 9)
                records = [pinned.record(run, author, pinned=True)] + [p.record(run, author) for p in feed[:size]]
                index = size
            else:
                size = rng.randint(9, 10)
                records = [p.record(run, author) for p in feed[index:index + size]]
                index += size
            assert index < len(feed), "the backlog is too short: add BACKLOG_WEEKS"
            for r in records:
                assert not looks_rounded(r["statistics"]), r["aweme_id"]
            last = records[-1]["create_time"]
            body = page_json(records, last * 1000, records[0]["create_time"] * 1000, run,
                             rng.randint(1100, 2600), credits)
            credits -= 1
            write(folder / f"posts_{cursor}.json", body)
            pages.append(cursor)
            if last < week_start.timestamp():
                break
            cursor = str(last * 1000)

        week = [p for p in feed if p.created >= week_start]
        previous = [p for p in feed if week_start - timedelta(weeks=1) <= p.created < week_start]
        fetched = feed[:index]
        again = [p for p in previous if p in fetched]
        views = sorted(p.stats(run)["play_count"] for p in week)
        total += sum(f.stat().st_size for f in folder.iterdir())
        print(f"{run.date()}: {len(week)} posts, views {sum(views):>7,} (median "
              f"{views[len(views) // 2] if views else 0:>6,}), {len(pages)} page(s), "
              f"{len(again)}/{len(previous)} of last week's posts seen again, {followers:,} followers")
        for p in fetched:
            before = seen_views.get(p.id)
            if before is not None and p.stats(run)["play_count"] < before:
                raise SystemExit("views went down")
            seen_views[p.id] = p.stats(run)["play_count"]
    print(f"{total / 1024:.0f} KiB in {OUT}")


def page_json(records, max_cursor, min_cursor, run, response_time, credits):
    """A `user/posts` answer, one record a line (compact, yet readable in a diff)."""
    head = {"status_code": 0, "has_more": 1, "max_cursor": max_cursor, "min_cursor": min_cursor}
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    extra = {"now": int(run.timestamp() * 1000) + 2_417}
    text = ('{"data":' + json.dumps(head, separators=(",", ":"))[:-1] + ',"aweme_list":[\n' + lines
            + '\n],"extra":' + json.dumps(extra, separators=(",", ":")) + "},"
            + f'"response_time":{response_time},"credits_used":1,"credits_remaining":{credits}}}\n')
    json.loads(text)
    return text


def write(path, text):
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
