//! The week a schedule owns, and the share of the accounts a shard owns: `--week-end DAY@HH:MM`
//! (the weekly instant, in UTC, that ends every reported week) and `--shard K/N` (a stable split of
//! the accounts across N runs). Pure: no clock, no environment, no I/O; the caller passes the
//! present.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc, Weekday};

use crate::handle::Handle;

/// A weekly instant in UTC, `sun@20:00`: the end of every week a run reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekEnd {
    /// The day of the week.
    pub(crate) day: Weekday,
    /// The time of day, to the minute.
    pub(crate) time: NaiveTime,
}

/// The form of `--week-end`, for its error message.
const WEEK_END_FORM: &str = "expected DAY@HH:MM in UTC such as sun@20:00 (DAY one of mon, tue, wed, thu, fri, sat, sun or the full name; HH 00-23, MM 00-59)";

impl FromStr for WeekEnd {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let (day, time) = value.trim().split_once('@').ok_or(WEEK_END_FORM)?;
        let day = weekday(day).ok_or(WEEK_END_FORM)?;
        let (hour, minute) = time.split_once(':').ok_or(WEEK_END_FORM)?;
        let number = |text: &str, max: u32| {
            (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<u32>().ok())
                .flatten()
                .filter(|n| *n <= max)
        };
        let (hour, minute) = (number(hour, 23), number(minute, 59));
        let time = hour
            .zip(minute)
            .and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0))
            .ok_or(WEEK_END_FORM)?;
        Ok(Self { day, time })
    }
}

impl fmt::Display for WeekEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = format!("{:?}", self.day).to_ascii_lowercase();
        write!(f, "{day}@{}", self.time.format("%H:%M"))
    }
}

/// The days of cron's day-of-week field, 0 to 7.
const CRON_DAYS: [Weekday; 8] = [
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A day name, short (`sun`) or full (`sunday`), any case.
fn weekday(text: &str) -> Option<Weekday> {
    const DAYS: [(&str, &str, Weekday); 7] = [
        ("mon", "monday", Weekday::Mon),
        ("tue", "tuesday", Weekday::Tue),
        ("wed", "wednesday", Weekday::Wed),
        ("thu", "thursday", Weekday::Thu),
        ("fri", "friday", Weekday::Fri),
        ("sat", "saturday", Weekday::Sat),
        ("sun", "sunday", Weekday::Sun),
    ];
    let text = text.trim().to_ascii_lowercase();
    (DAYS.iter())
        .find(|(short, full, _)| text == *short || text == *full)
        .map(|(_, _, day)| *day)
}

/// How long before a week's end a run is warned that it reports the week before: the largest
/// offset of a time zone from UTC, so that a cron off by its time zone always hears of it.
const EARLY: TimeDelta = TimeDelta::hours(14);

impl WeekEnd {
    /// The latest instant of this schedule not after `now`: `now` itself when it is exactly on it.
    pub fn latest_until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let days_back =
            (7 + now.weekday().num_days_from_monday() - self.day.num_days_from_monday()) % 7;
        let date = now.date_naive() - TimeDelta::days(days_back.into());
        let candidate = date.and_time(self.time).and_utc();
        match candidate > now {
            true => candidate - TimeDelta::days(7),
            false => candidate,
        }
    }

    /// A warning for a run that starts less than [`EARLY`] before this schedule's next instant:
    /// it reports the week before, which is rarely what was meant (a cron reading `0 20 * * 0` in
    /// a time zone east of UTC fires before Sunday 20:00 UTC, every week). `None` otherwise.
    pub(crate) fn early_warning(&self, now: DateTime<Utc>) -> Option<String> {
        let ended = self.latest_until(now);
        let early = ended + TimeDelta::days(7) - now;
        (early <= EARLY).then(|| {
            let minutes = early.num_minutes().max(1);
            format!(
                "this run started {}h{:02} before the week's end ({self} UTC), so it reports the week that ended {}; if cron reads its schedule in local time, add CRON_TZ=UTC above the entry or shift its hour",
                minutes / 60,
                minutes % 60,
                ended.format("%Y-%m-%dT%H:%M:%SZ")
            )
        })
    }

    /// This schedule for the crontab line of `cron`: from five fields with one minute, one hour,
    /// `*` for day of month and month, and one day of week (`0 20 * * 0`, `0 20 * * sun`), or
    /// `@weekly`. `None` for any other schedule (it is not one instant a week).
    pub(crate) fn of_cron(schedule: &str) -> Option<Self> {
        let fields: Vec<&str> = schedule.split_whitespace().collect();
        let (minute, hour, day) = match fields.as_slice() {
            ["@weekly"] => ("0", "0", "0"),
            [minute, hour, "*", "*", day] => (*minute, *hour, *day),
            _ => return None,
        };
        let plain = |text: &str| text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty();
        let (minute, hour) = match (plain(minute), plain(hour)) {
            (true, true) => (minute.parse::<u32>().ok()?, hour.parse::<u32>().ok()?),
            _ => return None,
        };
        let day = match day.parse::<u32>() {
            // 0 and 7 are both Sunday.
            Ok(n) => usize::try_from(n)
                .ok()
                .and_then(|n| CRON_DAYS.get(n).copied()),
            Err(_) => weekday(day),
        }?;
        let time = NaiveTime::from_hms_opt(hour, minute, 0)?;
        Some(Self { day, time })
    }
}

/// One of N shares of the accounts, `K/N` with 1 ≤ K ≤ N: the accounts whose
/// [`handle_hash`] modulo N is K − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub(crate) index: u64,
    /// N, the number of shards.
    pub(crate) count: u64,
}

/// The form of `--shard`, for its error message.
const SHARD_FORM: &str =
    "expected K/N with whole numbers 1 <= K <= N, such as 1/3 (the first of three shards)";

impl FromStr for Shard {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let (k, n) = value.trim().split_once('/').ok_or(SHARD_FORM)?;
        let number = |text: &str| text.trim().parse::<u64>().ok();
        match (number(k), number(n)) {
            (Some(index), Some(count)) if 1 <= index && index <= count => Ok(Self { index, count }),
            _ => Err(SHARD_FORM.into()),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether `handle` falls in this shard.
    pub fn holds(&self, handle: &Handle) -> bool {
        handle_hash(handle.as_str()) % self.count == self.index - 1
    }
}

/// FNV-1a (64 bits) of the handle in lowercase ASCII: the same on every machine and Rust version,
/// so that N shards cover every account exactly once whatever the order of the list.
pub fn handle_hash(handle: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    (handle.bytes().map(|b| b.to_ascii_lowercase())).fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests;
