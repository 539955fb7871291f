//! The command line's definition and its value parsers.

use super::*;
use clap::CommandFactory;

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn as_of_accepts_offsets_and_normalises_to_utc() {
    let t = parse_as_of("2026-11-29T21:00:00+01:00").unwrap();
    assert_eq!(t.to_rfc3339(), "2026-11-29T20:00:00+00:00");
    assert!(parse_as_of("2026-11-29").is_err());
    assert!(parse_as_of("yesterday").is_err());
}

#[test]
fn a_date_is_year_month_day() {
    assert_eq!(
        parse_date(" 2026-11-15 "),
        Ok(NaiveDate::from_ymd_opt(2026, 11, 15).unwrap())
    );
    for bad in ["2026-13-01", "15.11.2026", "2026-11-15T20:00:00Z", ""] {
        assert!(parse_date(bad).is_err(), "{bad}");
    }
}

#[test]
fn concurrency_is_one_to_fifty() {
    assert_eq!(parse_concurrency(" 5 "), Ok(5));
    assert_eq!(parse_concurrency("50"), Ok(50));
    for bad in ["0", "51", "-1", "two", ""] {
        assert!(parse_concurrency(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_industry_help_lists_every_row_of_the_benchmark() {
    let run = Cli::command();
    let help = run
        .find_subcommand("run")
        .and_then(|run| run.get_arguments().find(|a| a.get_id() == "industry"))
        .and_then(|arg| arg.get_long_help().or(arg.get_help()))
        .map(|help| crate::text::squeeze(&help.to_string()))
        .unwrap();
    assert!(help.contains(&crate::analysis::benchmark::keys()), "{help}");
    assert_eq!(parse_industry("Travel").map(|i| i.key), Ok("travel"));
    assert!(
        parse_industry("coffee")
            .unwrap_err()
            .contains("food-and-beverage")
    );
}

#[test]
fn timeout_takes_positive_seconds() {
    assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
    assert!(parse_timeout("0").is_err());
    assert!(parse_timeout("-3").is_err());
    assert!(parse_timeout("NaN").is_err());
}
