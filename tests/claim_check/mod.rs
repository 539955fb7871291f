//! Checks a report's recommendations against the tables they claim to rest on, from the report's
//! JSON and the posts known at the time, as a reader (or a script) would: every claim names a row
//! that exists, quotes that row's value and post count, lists posts that really belong to the row,
//! cites only a breakout among them, and obeys its kind's rule. Independent of the library's
//! grouping code: slots, lengths and medians are recomputed here.
#![allow(dead_code)]

mod known;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde_json::Value;

pub use known::Known;

/// The rule constants, as docs/report-schema.md documents them.
const MIN_POSTS: u64 = 3;
const MIN_DAYS: u64 = 2;
const LIFT: f64 = 1.25;
const DROP: f64 = 0.75;
const RHYTHM: f64 = 0.5;
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn median(mut v: Vec<u64>) -> Option<f64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The row a claim names, from the insights' tables.
fn row<'a>(insights: &'a Value, dimension: &str, group: &str) -> Option<(&'a Value, &'a str)> {
    let (table, key) = match dimension {
        "slot" => (&insights["posting_times"]["best_slots"], "slot"),
        "hashtag" => (&insights["hashtags"]["tags"], "tag"),
        "duration" => (&insights["durations"], "bucket"),
        "format" => (&insights["formats"]["by_format"], "kind"),
        "sound" => (&insights["formats"]["by_sound"], "kind"),
        _ => return None,
    };
    let found = table.as_array()?.iter().find(|r| r[key] == group)?;
    Some((found, key))
}

fn table<'a>(insights: &'a Value, dimension: &str) -> &'a [Value] {
    let t = match dimension {
        "slot" => &insights["posting_times"]["best_slots"],
        "hashtag" => &insights["hashtags"]["tags"],
        "duration" => &insights["durations"],
        "format" => &insights["formats"]["by_format"],
        _ => &insights["formats"]["by_sound"],
    };
    t.as_array().map(Vec::as_slice).unwrap_or_default()
}

fn local(post: &Value, tz: Tz) -> chrono::DateTime<Tz> {
    let at: DateTime<Utc> = post["posted_at"].as_str().unwrap().parse().unwrap();
    at.with_timezone(&tz)
}

/// Whether `post` belongs to the row `group` of `dimension`, worked out from its own fields.
fn belongs(post: &Value, dimension: &str, group: &str, tz: Tz) -> bool {
    match dimension {
        "slot" => {
            let t = local(post, tz);
            let start = t.hour() / 3 * 3;
            let label = format!(
                "{} {start:02}:00–{:02}:00",
                WEEKDAYS[t.weekday().num_days_from_monday() as usize],
                (start + 3) % 24
            );
            label == group
        }
        "hashtag" => (post["hashtags"].as_array().unwrap().iter()).any(|t| t == group),
        "duration" => {
            let Some(s) = f(&post["duration_s"]).filter(|_| post["format"] == "video") else {
                return false;
            };
            let bucket = match s {
                s if s >= 180.0 => "180s+",
                s if s >= 60.0 => "60-180s",
                s if s >= 30.0 => "30-60s",
                s if s >= 15.0 => "15-30s",
                _ => "0-15s",
            };
            bucket == group
        }
        "format" => post["format"] == group,
        "sound" => post["original_sound"] == (group == "original"),
        _ => false,
    }
}

/// Whether `row` has the best engagement rate of its table among rows with enough posts, with at
/// least one such other row to lead.
fn leads(insights: &Value, dimension: &str, row: &Value) -> bool {
    let Some(rate) = f(&row["engagement_rate"]) else {
        return false;
    };
    let rivals: Vec<f64> = (table(insights, dimension).iter())
        .filter(|r| *r != row && r["posts"].as_u64().unwrap() >= MIN_POSTS)
        .filter_map(|r| f(&r["engagement_rate"]))
        .collect();
    !rivals.is_empty() && rivals.iter().all(|other| *other <= rate)
}

/// Every way `report`'s recommendations contradict its tables or their rules, as sentences; empty
/// when none does. `known` holds the posts up to this report (see [`Known::learn`]).
pub fn contradictions(report: &Value, known: &Known) -> Vec<String> {
    let mut out = Vec::new();
    let mut fail = |what: String| out.push(format!("{}: {what}", report["window"]["end"]));
    let insights = &report["insights"];
    let tz: Tz = insights["timezone"].as_str().unwrap().parse().unwrap();
    let basis = &insights["basis"];
    let week: Vec<&Value> = report["posts"].as_array().unwrap().iter().collect();
    let this_week = |id: &str| week.iter().find(|p| p["id"] == id).copied();
    for p in &week {
        if p["views_without_engagement"] == true {
            if p["breakout"] == true {
                fail(format!(
                    "{} is a breakout and views without engagement",
                    p["id"]
                ));
            }
            let id = p["id"].as_str().unwrap();
            let caption: String = p["caption"].as_str().unwrap().chars().take(20).collect();
            let quoted = (report["recommendations"].as_array().unwrap().iter())
                .any(|r| !caption.is_empty() && r.to_string().contains(&format!("“{caption}")));
            if quoted {
                fail(format!(
                    "a recommendation quotes {id}, views without engagement"
                ));
            }
            let noted = (insights["data_quality"].as_array().unwrap().iter())
                .any(|n| n.as_str().unwrap().contains(id));
            if !noted {
                fail(format!("no data-quality note names {id}"));
            }
        }
    }
    for rec in report["recommendations"].as_array().unwrap() {
        let kind = rec["kind"].as_str().unwrap();
        let claim = &rec["claim"];
        let text = format!("{} {}", rec["message"], rec["evidence"]);
        if kind == "momentum" || (kind == "best_time" && claim.is_null()) {
            if !claim.is_null() {
                fail(format!("{kind} carries a claim"));
            }
            if kind == "best_time" && !rec["message"].as_str().unwrap().starts_with("No clear") {
                fail(format!(
                    "a best_time without a claim says {}",
                    rec["message"]
                ));
            }
            continue;
        }
        let keys: BTreeSet<&str> = claim
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let expected: BTreeSet<&str> = [
            "baseline",
            "cited_post",
            "dimension",
            "group",
            "measure",
            "posts",
            "value",
        ]
        .into();
        if keys != expected {
            fail(format!("{kind}'s claim has the fields {keys:?}"));
            continue;
        }
        let dimension = claim["dimension"].as_str().unwrap();
        let measure = claim["measure"].as_str().unwrap();
        let value = f(&claim["value"]).unwrap();
        let baseline = f(&claim["baseline"]);
        let ids: Vec<&str> = (claim["posts"].as_array().unwrap().iter())
            .map(|v| v.as_str().unwrap())
            .collect();
        if ids.iter().collect::<BTreeSet<_>>().len() != ids.len() {
            fail(format!("{kind}'s claim lists a post twice"));
        }
        if let Some(cited) = claim["cited_post"].as_str() {
            if !ids.contains(&cited) {
                fail(format!("{kind} cites {cited}, not one of its posts"));
            }
            match this_week(cited) {
                Some(p) if p["breakout"] == true => {}
                _ => fail(format!(
                    "{kind} cites {cited}, not one of this week's breakouts"
                )),
            }
        }
        if kind == "consistency" {
            let count = report["metrics"]["post_count"].as_u64().unwrap();
            let week_ids: BTreeSet<&str> = week.iter().map(|p| p["id"].as_str().unwrap()).collect();
            let claimed: BTreeSet<&str> = ids.iter().copied().collect();
            if (dimension, measure, &claim["group"]) != ("cadence", "posts_per_week", &Value::Null)
                || value != count as f64
                || claimed != week_ids
            {
                fail(format!(
                    "consistency's claim is not this week's count: {claim}"
                ));
            }
            // The earlier weeks of the basis are the trend's points before this week.
            let trend = report["trend"].as_array().unwrap();
            let weeks = basis["weeks"].as_u64().unwrap() as usize - 1;
            let earlier: Vec<u64> = trend[trend.len() - 1 - weeks..trend.len() - 1]
                .iter()
                .map(|p| p["posts"].as_u64().unwrap())
                .collect();
            let usual = median(earlier);
            if baseline != usual {
                fail(format!(
                    "consistency's baseline {baseline:?} is not the median {usual:?}"
                ));
            }
            let message = rec["message"].as_str().unwrap();
            if let (Some(u), true) = (usual, count > 0) {
                let within = (value - u).abs() <= u * RHYTHM;
                let says = if message.starts_with("Keep your rhythm") {
                    within
                } else if message.starts_with("A busier week") {
                    value > u * (1.0 + RHYTHM)
                } else if message.starts_with("A quieter week") {
                    value < u * (1.0 - RHYTHM)
                } else {
                    false
                };
                if !says {
                    fail(format!(
                        "consistency says {message:?} for {value} against {u}"
                    ));
                }
            }
            continue;
        }
        let Some(group) = claim["group"].as_str() else {
            fail(format!("{kind}'s claim has no group"));
            continue;
        };
        let Some((row, _)) = row(insights, dimension, group) else {
            fail(format!(
                "{kind} claims a row {dimension} {group} its table lacks"
            ));
            continue;
        };
        if !text.to_lowercase().contains(&group.to_lowercase()) {
            fail(format!("{kind} does not name {group}: {text}"));
        }
        let (row_value, row_base) = match measure {
            "median_views" => (f(&row["median_views"]), f(&basis["median_views"])),
            "engagement_rate" => (f(&row["engagement_rate"]), f(&basis["engagement_rate"])),
            _ => (None, None),
        };
        if row_value != Some(value) || row_base != baseline {
            fail(format!(
                "{kind} quotes {value} against {baseline:?}; its row says {row_value:?} against {row_base:?}"
            ));
        }
        if row["posts"].as_u64() != Some(ids.len() as u64) {
            fail(format!(
                "{kind} lists {} posts; its row has {}",
                ids.len(),
                row["posts"]
            ));
        }
        let mut posts = Vec::new();
        for id in &ids {
            match known.get(id) {
                Some(p) if belongs(p, dimension, group, tz) => posts.push(p),
                Some(_) => fail(format!(
                    "{kind} lists {id}, which is not in {dimension} {group}"
                )),
                None => fail(format!("{kind} lists {id}, a post of no report")),
            }
        }
        if posts.len() == ids.len() {
            let views = median(
                posts
                    .iter()
                    .map(|p| p["views"].as_u64().unwrap())
                    .filter(|v| *v > 0)
                    .collect(),
            );
            let agrees = match views {
                Some(m) if known.exact => m == value,
                Some(m) => m <= value,
                None => false,
            };
            if measure == "median_views" && !agrees {
                fail(format!(
                    "{kind}'s posts have a median of {views:?}, not {value}"
                ));
            }
            let exact = known.exact && posts.iter().all(|p| p.get("stale_engagement").is_none());
            if measure == "engagement_rate" && exact {
                let sum = |k: &str| posts.iter().map(|p| p[k].as_u64().unwrap()).sum::<u64>();
                let rate = round2(
                    (sum("likes") + sum("comments") + sum("shares")) as f64 / sum("views") as f64
                        * 100.0,
                );
                if rate != value {
                    fail(format!(
                        "{kind}'s posts have an engagement rate of {rate}, not {value}"
                    ));
                }
            }
        }
        let enough = ids.len() as u64 >= MIN_POSTS;
        let median_ratio = f(&row["median_views"])
            .zip(f(&basis["median_views"]))
            .map(|(m, b)| m / b);
        let too_new = ids
            .iter()
            .any(|id| this_week(id).is_some_and(|p| p["too_new"] == true));
        let unengaged = ids.iter().any(|id| known.unengaged.contains(*id));
        let inflated = posts.iter().any(|p| {
            let views = p["views"].as_u64().unwrap();
            views > 0
                && ["likes", "comments", "shares"]
                    .iter()
                    .any(|k| p[*k].as_u64().unwrap() > views)
        });
        match kind {
            "best_time" => {
                let days: BTreeSet<_> = posts.iter().map(|p| local(p, tz).date_naive()).collect();
                if dimension != "slot"
                    || !enough
                    || (days.len() as u64) < MIN_DAYS
                    || row["days"].as_u64() != Some(days.len() as u64)
                {
                    fail(format!(
                        "best_time names {group} over {} posts on {} days (the table says {})",
                        ids.len(),
                        days.len(),
                        row["days"]
                    ));
                }
                if median_ratio.is_none_or(|r| r < LIFT) || unengaged {
                    fail(format!(
                        "best_time names {group} at {median_ratio:?}× the typical post"
                    ));
                }
                let slots = table(insights, "slot");
                let place = slots.iter().position(|s| s["slot"] == group).unwrap();
                for above in &slots[..place] {
                    let label = above["slot"].as_str().unwrap();
                    let counts = above["posts"].as_u64().unwrap() >= MIN_POSTS
                        && above["days"].as_u64().unwrap() >= MIN_DAYS;
                    let flagged = (known.unengaged.iter())
                        .filter_map(|id| known.get(id))
                        .any(|p| belongs(p, "slot", label, tz));
                    if counts && !flagged {
                        fail(format!(
                            "best_time passes over {label}, which meets the minimum"
                        ));
                    }
                }
                if place > 0 && text.contains("it is your strongest slot") {
                    fail(format!(
                        "best_time calls {group} the strongest slot, below {place} others"
                    ));
                }
            }
            "double_down" => {
                if measure != "median_views"
                    || !enough
                    || median_ratio.is_none_or(|r| r < LIFT)
                    || unengaged
                {
                    fail(format!("double_down on {group}: {claim}"));
                }
            }
            "drop" => {
                if measure != "median_views"
                    || !enough
                    || median_ratio.is_none_or(|r| r > DROP)
                    || too_new
                    || unengaged
                    || leads(insights, dimension, row)
                {
                    fail(format!("drop on {group} (too new: {too_new}): {claim}"));
                }
            }
            "trade_off" => {
                if measure != "engagement_rate"
                    || !enough
                    || median_ratio.is_none_or(|r| r > DROP)
                    || too_new
                    || unengaged
                    || inflated
                    || !leads(insights, dimension, row)
                    || baseline.is_some_and(|b| value <= b)
                {
                    fail(format!("trade_off on {group}: {claim}"));
                }
            }
            other => fail(format!("a recommendation of kind {other}")),
        }
    }
    out
}
