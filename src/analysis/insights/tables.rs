//! The tables of the insights, each grouping the basis once: posting times (weekday, hour, 3-hour
//! slot, heatmap cell), hashtags, lengths, formats and sounds. Pure.

use std::collections::{BTreeMap, BTreeSet};

use chrono_tz::Tz;

use super::{
    BEST_SLOTS, Bucket, Cell, DURATION_BUCKETS, Figures, Formats, Hashtags, Hour, Kind,
    MAX_HASHTAGS, MIN_SLOT_POSTS, PostingTimes, Slot, Tag, Untagged, WEEKDAYS, Weekday,
    local_weekday_hour, members_of, slot_label,
};
use crate::analysis::stats::{rated_median, round2};
use crate::model::{Format, Post};

pub(super) fn posting_times(basis: &[&Post], tz: Tz) -> PostingTimes {
    let mut days: [Vec<&Post>; 7] = Default::default();
    let mut hours: [Vec<&Post>; 24] = Default::default();
    let mut slots: [Vec<u32>; 56] = std::array::from_fn(|_| Vec::new());
    let mut cells: [Vec<&Post>; 168] = std::array::from_fn(|_| Vec::new());
    for (&post, place) in basis.iter().zip(0u32..) {
        let (day, hour) = local_weekday_hour(post, tz);
        days[day].push(post);
        hours[hour as usize].push(post);
        slots[day * 8 + hour as usize / 3].push(place);
        cells[day * 24 + hour as usize].push(post);
    }
    let heatmap = cells
        .iter()
        .zip(0u32..)
        .filter(|(posts, _)| !posts.is_empty())
        .map(|(posts, i)| Cell {
            weekday: WEEKDAYS[(i / 24) as usize],
            hour: i % 24,
            posts: posts.len(),
            median_views: rated_median(posts.iter().copied()),
        })
        .collect();
    let by_weekday = days
        .iter()
        .enumerate()
        .filter(|(_, posts)| !posts.is_empty())
        .map(|(d, posts)| Weekday {
            weekday: WEEKDAYS[d],
            figures: Figures::of(posts.iter().copied()),
        })
        .collect();
    let by_hour = hours
        .iter()
        .zip(0..)
        .filter(|(posts, _)| !posts.is_empty())
        .map(|(posts, hour)| Hour {
            hour,
            figures: Figures::of(posts.iter().copied()),
        })
        .collect();
    // Ranked on their figures first; only the kept slots count their days.
    let mut ranked: Vec<(usize, Figures)> = (slots.into_iter().enumerate())
        .filter(|(_, members)| members.len() >= MIN_SLOT_POSTS)
        .map(|(i, members)| (i, Figures::listing(basis, members)))
        .collect();
    ranked.sort_by(|(_, a), (_, b)| {
        (b.median_views.total_cmp_opt(&a.median_views)).then(b.posts.cmp(&a.posts))
    });
    ranked.truncate(BEST_SLOTS);
    let best_slots = (ranked.into_iter())
        .map(|(i, figures)| {
            let (day, start) = (i / 8, i as u32 % 8 * 3);
            let dates: BTreeSet<_> = members_of(basis, &figures.members)
                .map(|p| p.posted_at.with_timezone(&tz).date_naive())
                .collect();
            Slot {
                slot: slot_label(day, start),
                weekday: WEEKDAYS[day],
                start_hour: start,
                days: dates.len(),
                figures,
            }
        })
        .collect();
    PostingTimes {
        by_weekday,
        by_hour,
        best_slots,
        heatmap,
    }
}

pub(super) fn hashtags(basis: &[&Post]) -> Hashtags {
    let mut by_tag: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (&post, place) in basis.iter().zip(0u32..) {
        for tag in &post.hashtags {
            by_tag.entry(tag).or_default().push(place);
        }
    }
    // Ranked on their views first; only the kept tags get their figures.
    let mut ranked: Vec<(&str, u64, Vec<u32>)> = (by_tag.into_iter())
        .map(|(tag, members)| {
            let views = members_of(basis, &members).fold(0u64, |a, p| a.saturating_add(p.views));
            (tag, views, members)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    ranked.truncate(MAX_HASHTAGS);
    let tags = (ranked.into_iter())
        .map(|(tag, views, members)| Tag {
            tag: tag.to_string(),
            views,
            figures: Figures::listing(basis, members),
        })
        .collect();
    let untagged = Figures::of(basis.iter().copied().filter(|p| p.hashtags.is_empty()));
    Hashtags {
        tags,
        without_hashtags: Untagged {
            share_pct: (!basis.is_empty())
                .then(|| round2(untagged.posts as f64 / basis.len() as f64 * 100.0)),
            figures: untagged,
        },
    }
}

pub(super) fn durations(basis: &[&Post]) -> Vec<Bucket> {
    let mut buckets: [Vec<u32>; DURATION_BUCKETS.len()] = Default::default();
    for (&post, place) in basis.iter().zip(0u32..) {
        if let Some(i) = duration_bucket_index(post) {
            buckets[i].push(place);
        }
    }
    DURATION_BUCKETS
        .iter()
        .zip(buckets)
        .map(|(&(bucket, _), members)| Bucket {
            bucket,
            figures: Figures::listing(basis, members),
        })
        .collect()
}

/// Performance by format and by sound (posts whose sound is unknown are left out).
pub(super) fn formats(basis: &[&Post]) -> Formats {
    let group = |pick: &dyn Fn(&Post) -> bool| {
        let members = (basis.iter().zip(0u32..))
            .filter(|(p, _)| pick(p))
            .map(|(_, place)| place)
            .collect();
        Figures::listing(basis, members)
    };
    Formats {
        by_format: [("video", Format::Video), ("photo", Format::Photo)]
            .into_iter()
            .map(|(kind, format)| Kind {
                kind,
                figures: group(&|p| p.format == format),
            })
            .collect(),
        by_sound: [("original", true), ("borrowed", false)]
            .into_iter()
            .map(|(kind, original)| Kind {
                kind,
                figures: group(&|p| p.original_sound == Some(original)),
            })
            .collect(),
    }
}

fn duration_bucket_index(post: &Post) -> Option<usize> {
    if post.format == Format::Photo {
        return None;
    }
    let seconds = post.duration_s?;
    DURATION_BUCKETS
        .iter()
        .rposition(|(_, lower)| seconds >= *lower)
}

/// Compares optional floats, `None` lowest.
trait TotalCmpOpt {
    fn total_cmp_opt(&self, other: &Self) -> std::cmp::Ordering;
}

impl TotalCmpOpt for Option<f64> {
    fn total_cmp_opt(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Some(a), Some(b)) => a.total_cmp(b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::insights::compute;
    use crate::analysis::metrics::tests::post;

    /// The length bucket of a video; `None` for photos and unknown lengths.
    fn duration_bucket(post: &Post) -> Option<&'static str> {
        duration_bucket_index(post).map(|i| DURATION_BUCKETS[i].0)
    }

    /// 2026-11-15 (a Sunday) 23:30 UTC.
    const SUNDAY_2330: i64 = 1_794_785_400;

    fn refs(posts: &[Post]) -> Vec<&Post> {
        posts.iter().collect()
    }

    #[test]
    fn weekday_and_hour_tables_hold_only_slots_with_posts() {
        let monday_9 = SUNDAY_2330 - 23 * 3600 - 1800 + 24 * 3600 + 9 * 3600; // Mon 09:00 UTC
        let posts = [
            post("1", monday_9, 100, 10, 0, 0),
            post("2", monday_9 + 60, 300, 10, 0, 0),
            post("3", SUNDAY_2330, 50, 5, 0, 0),
        ];
        let t = posting_times(&refs(&posts), Tz::UTC);
        let days: Vec<_> = t
            .by_weekday
            .iter()
            .map(|d| (d.weekday, d.figures.posts))
            .collect();
        assert_eq!(days, [("Mon", 2), ("Sun", 1)]);
        let mon = &t.by_weekday[0].figures;
        assert_eq!(
            (mon.avg_views, mon.median_views, mon.engagement_rate),
            (Some(200.0), Some(200.0), Some(5.0))
        );
        let hours: Vec<_> = t.by_hour.iter().map(|h| h.hour).collect();
        assert_eq!(hours, [9, 23]);
        assert_eq!(t.best_slots.len(), 1, "only Mon 09:00–12:00 has 2 posts");
        assert_eq!(t.best_slots[0].slot, "Mon 09:00–12:00");
        assert_eq!(t.best_slots[0].figures.posts, 2);
        let cells: Vec<_> = t
            .heatmap
            .iter()
            .map(|c| (c.weekday, c.hour, c.posts))
            .collect();
        assert_eq!(cells, [("Mon", 9, 2), ("Sun", 23, 1)]);
    }

    #[test]
    fn best_slots_rank_by_median_views() {
        let base = SUNDAY_2330 + 1800 + 18 * 3600; // Mon 18:00 UTC
        let mut posts = Vec::new();
        for (i, views) in [100, 120, 5_000].into_iter().enumerate() {
            posts.push(post(&format!("a{i}"), base + i as i64 * 60, views, 1, 0, 0)); // Mon 18–21
        }
        for (i, views) in [900, 1_100].into_iter().enumerate() {
            posts.push(post(
                &format!("b{i}"),
                base + 86_400 + i as i64 * 60,
                views,
                1,
                0,
                0,
            )); // Tue 18–21
        }
        let slots = posting_times(&refs(&posts), Tz::UTC).best_slots;
        let ranked: Vec<_> = slots
            .iter()
            .map(|s| (s.slot.as_str(), s.figures.median_views))
            .collect();
        assert_eq!(
            ranked,
            [
                ("Tue 18:00–21:00", Some(1_000.0)),
                ("Mon 18:00–21:00", Some(120.0))
            ]
        );
    }

    #[test]
    fn a_slot_counts_the_days_its_posts_went_out_on_in_the_creators_zone() {
        // Friday 2026-11-13 18:30, 19:30 and 20:30 in New York are 23:30 on Friday and 00:30 and
        // 01:30 on Saturday in UTC: one evening there, two dates here.
        let friday_2330_utc = 1_794_785_400 - 2 * 86_400;
        let posts: Vec<Post> = (0..3)
            .map(|i| post(&i.to_string(), friday_2330_utc + i * 3_600, 100, 1, 0, 0))
            .collect();
        let new_york: Tz = "America/New_York".parse().unwrap();
        let slot = &posting_times(&refs(&posts), new_york).best_slots[0];
        assert_eq!((slot.slot.as_str(), slot.days), ("Fri 18:00–21:00", 1));
        let utc = posting_times(&refs(&posts), Tz::UTC).best_slots;
        let days: Vec<_> = utc.iter().map(|s| (s.slot.as_str(), s.days)).collect();
        assert_eq!(
            days,
            [("Sat 00:00–03:00", 1)],
            "23:30 Friday is alone in its slot"
        );
        assert_eq!(utc[0].figures.members, [1, 2], "places in the basis");
    }

    #[test]
    fn hashtags_sorted_by_views_with_the_untagged_share() {
        let mut a = post("1", 0, 1_000, 50, 0, 0);
        a.hashtags = vec!["coffee".into(), "latte".into()];
        let mut b = post("2", 0, 3_000, 30, 0, 0);
        b.hashtags = vec!["coffee".into()];
        let c = post("3", 0, 500, 5, 0, 0);
        let h = hashtags(&[&a, &b, &c]);
        let tags: Vec<_> = h
            .tags
            .iter()
            .map(|t| (t.tag.as_str(), t.figures.posts, t.views))
            .collect();
        assert_eq!(tags, [("coffee", 2, 4_000), ("latte", 1, 1_000)]);
        assert_eq!(h.tags[0].figures.avg_views, Some(2_000.0));
        assert_eq!(h.tags[0].figures.median_views, Some(2_000.0));
        assert_eq!(h.tags[0].figures.engagement_rate, Some(2.0));
        assert_eq!(h.without_hashtags.share_pct, Some(33.33));
        assert_eq!(h.without_hashtags.figures.posts, 1);
        assert_eq!(h.without_hashtags.figures.engagement_rate, Some(1.0));
    }

    #[test]
    fn duration_buckets_include_their_lower_edge_and_leave_photos_out() {
        let with = |secs: Option<f64>, format| {
            let mut p = post("1", 0, 1, 0, 0, 0);
            p.duration_s = secs;
            p.format = format;
            duration_bucket(&p)
        };
        assert_eq!(with(Some(0.5), Format::Video), Some("0-15s"));
        assert_eq!(with(Some(14.99), Format::Video), Some("0-15s"));
        assert_eq!(with(Some(15.0), Format::Video), Some("15-30s"));
        assert_eq!(with(Some(30.0), Format::Video), Some("30-60s"));
        assert_eq!(with(Some(60.0), Format::Video), Some("60-180s"));
        assert_eq!(with(Some(180.0), Format::Video), Some("180s+"));
        assert_eq!(with(Some(20.0), Format::Photo), None);
        assert_eq!(with(None, Format::Video), None);
        let p = post("1", 0, 10, 1, 0, 0);
        let i = compute(&[&p], 1, [], Tz::UTC);
        let names: Vec<_> = i
            .durations
            .iter()
            .map(|b| (b.bucket, b.figures.posts))
            .collect();
        assert_eq!(
            names,
            [
                ("0-15s", 0),
                ("15-30s", 1),
                ("30-60s", 0),
                ("60-180s", 0),
                ("180s+", 0)
            ]
        );
    }

    #[test]
    fn formats_split_video_photo_and_original_borrowed_sound() {
        let mut photo = post("1", 0, 0, 40, 0, 0);
        photo.format = Format::Photo;
        let mut own = post("2", 0, 100, 10, 0, 0);
        own.original_sound = Some(true);
        let mut borrowed = post("3", 0, 300, 3, 0, 0);
        borrowed.original_sound = Some(false);
        let f = formats(&[&photo, &own, &borrowed]);
        let by: Vec<_> = f
            .by_format
            .iter()
            .map(|k| (k.kind, k.figures.posts))
            .collect();
        assert_eq!(by, [("video", 2), ("photo", 1)]);
        assert_eq!(
            (
                f.by_format[1].figures.engagement_rate,
                f.by_format[1].figures.median_views
            ),
            (None, None),
            "no views: no rate, and no median of views"
        );
        let sound: Vec<_> = f
            .by_sound
            .iter()
            .map(|k| (k.kind, k.figures.engagement_rate))
            .collect();
        assert_eq!(sound, [("original", Some(10.0)), ("borrowed", Some(1.0))]);
    }
}
