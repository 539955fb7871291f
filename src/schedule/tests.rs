use super::*;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn sun_20() -> WeekEnd {
    "sun@20:00".parse().unwrap()
}

#[test]
fn the_week_ends_exactly_at_the_instant_when_run_on_it() {
    let end = at("2026-11-29T20:00:00Z");
    assert_eq!(sun_20().latest_until(end), end);
}

#[test]
fn one_second_before_the_instant_the_week_before_is_reported() {
    assert_eq!(
        sun_20().latest_until(at("2026-11-29T19:59:59Z")),
        at("2026-11-22T20:00:00Z")
    );
}

#[test]
fn a_late_or_monday_morning_catch_up_run_reports_the_same_week() {
    for now in [
        "2026-11-29T20:00:01Z",
        "2026-11-29T23:59:59Z",
        "2026-11-30T07:30:00Z",
        "2026-12-06T19:59:59Z",
    ] {
        assert_eq!(
            sun_20().latest_until(at(now)),
            at("2026-11-29T20:00:00Z"),
            "{now}"
        );
    }
}

#[test]
fn every_weekday_ends_its_week_on_that_day_within_the_last_seven_days() {
    // Wednesday 2026-12-02 12:00 UTC.
    let now = at("2026-12-02T12:00:00Z");
    let expected = [
        ("mon@12:00", "2026-11-30T12:00:00Z"),
        ("tue@12:00", "2026-12-01T12:00:00Z"),
        ("wed@12:00", "2026-12-02T12:00:00Z"),
        ("wed@12:01", "2026-11-25T12:01:00Z"),
        ("thu@00:00", "2026-11-26T00:00:00Z"),
        ("fri@23:59", "2026-11-27T23:59:00Z"),
        ("sat@08:15", "2026-11-28T08:15:00Z"),
        ("sun@20:00", "2026-11-29T20:00:00Z"),
    ];
    for (schedule, end) in expected {
        let week_end: WeekEnd = schedule.parse().unwrap();
        assert_eq!(week_end.latest_until(now), at(end), "{schedule}");
        assert_eq!(week_end.to_string(), schedule);
    }
}

#[test]
fn week_ends_take_short_or_full_day_names_in_any_case_and_nothing_else() {
    for good in ["sun@20:00", "SUN@20:00", "Sunday@20:00", " sun@20:00 "] {
        assert_eq!(good.parse::<WeekEnd>(), Ok(sun_20()), "{good}");
    }
    for bad in [
        "",
        "sun",
        "sun@",
        "sun@20",
        "sun@20:0",
        "sun@24:00",
        "sun@20:60",
        "su@20:00",
        "sun 20:00",
        "sun@+1:00",
        "0@20:00",
        "sun@20:00:00",
    ] {
        let err = bad.parse::<WeekEnd>().unwrap_err();
        assert!(err.contains("DAY@HH:MM"), "{bad}: {err}");
    }
}

#[test]
fn a_weekly_cron_schedule_gives_its_week_end() {
    let of = |s: &str| WeekEnd::of_cron(s).map(|w| w.to_string());
    assert_eq!(of("0 20 * * 0").as_deref(), Some("sun@20:00"));
    assert_eq!(of("30 19 * * SUN").as_deref(), Some("sun@19:30"));
    assert_eq!(of("0 20 * * 7").as_deref(), Some("sun@20:00"));
    assert_eq!(of("5 8 * * 1").as_deref(), Some("mon@08:05"));
    assert_eq!(of("@weekly").as_deref(), Some("sun@00:00"));
    for not_weekly in [
        "0 20 * * *",
        "0 20 * * 1-5",
        "*/5 20 * * 0",
        "0 20 1 * 0",
        "@daily",
    ] {
        assert_eq!(of(not_weekly), None, "{not_weekly}");
    }
}

#[test]
fn shards_are_k_of_n_with_one_to_n() {
    assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
    assert_eq!("3/3".parse::<Shard>().unwrap().to_string(), "3/3");
    for bad in ["0/3", "4/3", "x/3", "1/0", "1", "/3", "1/x", "-1/3", ""] {
        let err = bad.parse::<Shard>().unwrap_err();
        assert!(err.contains("K/N"), "{bad}: {err}");
    }
}

#[test]
fn the_handle_hash_is_fnv_1a_64_of_the_lowercase_handle() {
    // FNV-1a 64 reference values: the empty string is the offset basis; "a" as published.
    assert_eq!(handle_hash(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(handle_hash("a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(handle_hash("foobar"), 0x8594_4171_f739_67e8);
    assert_eq!(handle_hash("FooBar"), handle_hash("foobar"));
    assert_eq!(
        handle_hash("examplecreator") % 3,
        handle_hash("EXAMPLECREATOR") % 3
    );
}

#[test]
fn every_account_falls_in_exactly_one_shard() {
    let handles: Vec<Handle> = (0..50)
        .map(|i| format!("creator_{i}").parse().unwrap())
        .collect();
    for count in 1..=5 {
        for handle in &handles {
            let holding = (1..=count)
                .filter(|&index| Shard { index, count }.holds(handle))
                .count();
            assert_eq!(holding, 1, "{handle} in {count} shards");
        }
    }
}

#[test]
fn a_run_less_than_14_hours_before_the_week_end_is_warned_that_it_reports_the_week_before() {
    let week_end = sun_20();
    // A cron at 20:00 in UTC+1 fires at 19:00 UTC: an hour early, every week.
    assert_eq!(
        week_end
            .early_warning(at("2026-11-29T19:00:00Z"))
            .as_deref(),
        Some(
            "this run started 1h00 before the week's end (sun@20:00 UTC), so it reports the week that ended 2026-11-22T20:00:00Z; if cron reads its schedule in local time, add CRON_TZ=UTC above the entry or shift its hour"
        )
    );
    assert!(week_end.early_warning(at("2026-11-29T06:00:00Z")).is_some());
    // On time, late, catching up on Monday, or a day before by hand: no warning.
    for fine in [
        "2026-11-29T20:00:00Z",
        "2026-11-29T20:05:00Z",
        "2026-11-30T08:00:00Z",
        "2026-11-28T19:00:00Z",
        "2026-11-29T05:59:59Z",
    ] {
        assert_eq!(week_end.early_warning(at(fine)), None, "{fine}");
    }
}
