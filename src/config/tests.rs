//! Configuration resolved from flags, the environment map and a fixed clock.

use super::*;
use crate::cli::{Cli, Command};
use clap::Parser;

fn args(extra: &[&str]) -> RunArgs {
    let argv = ["tiktok-review", "run"].iter().chain(extra);
    match Cli::try_parse_from(argv).unwrap().command {
        Command::Run(args) => args,
        other => panic!("not a run: {other:?}"),
    }
}

fn now() -> DateTime<Utc> {
    "2026-11-29T20:00:05.123Z".parse().unwrap()
}

/// The key and `extra` variables (which may replace the key).
fn env_with(extra: &[(Var, &str)]) -> Env {
    let key = (Var::ScavioApiKey, "sk_live_secret");
    std::iter::once(key)
        .chain(extra.iter().copied())
        .map(|(var, value)| (var, value.to_string()))
        .collect()
}

fn env() -> Env {
    env_with(&[])
}

#[test]
fn the_window_is_the_week_before_as_of() {
    let c = Config::resolve(
        args(&["--user", "@Example", "--as-of", "2026-11-29T20:00:00Z"]),
        &env(),
        now(),
    )
    .unwrap();
    assert_eq!(c.accounts, ["example".parse::<Handle>().unwrap()]);
    assert_eq!((c.concurrency, c.fetch_profile), (1, true));
    assert_eq!(c.outputs, [Output::Json, Output::Md, Output::Html]);
    let html_md = args(&["--user", "ab", "--formats", "html,md,html"]);
    let outputs = Config::resolve(html_md, &env(), now()).unwrap().outputs;
    assert_eq!(
        outputs,
        [Output::Json, Output::Html, Output::Md],
        "JSON is always written"
    );
    assert_eq!(c.window.start.to_rfc3339(), "2026-11-22T20:00:00+00:00");
    assert_eq!(c.window.end.to_rfc3339(), "2026-11-29T20:00:00+00:00");
    assert_eq!(c.api.base_url.as_str(), "https://api.scavio.dev/");
    assert_eq!(c.api.timeout, std::time::Duration::from_secs(30));
}

#[test]
fn accounts_come_from_flags_and_comma_lists_each_once() {
    let argv = ["--user", "bb", "--user", "@aa,BB", "--concurrency", "5"];
    let c = Config::resolve(args(&argv), &env(), now()).unwrap();
    let names: Vec<&str> = c.accounts.iter().map(Handle::as_str).collect();
    assert_eq!(names, ["bb", "aa"]);
    assert_eq!(c.concurrency, 5);
}

#[test]
fn each_setting_comes_from_its_flag_else_its_variable_else_its_default() {
    let vars = [
        (Var::ScavioConcurrency, "5"),
        (Var::Tz, "Europe/Berlin"),
        (Var::ReportsDir, "/srv/reports"),
        (Var::TiktokUsername, "fromenv"),
        (Var::Industry, "Media"),
    ];
    let c = resolve_with(&vars, &[]).unwrap();
    assert_eq!(c.concurrency, 5);
    assert_eq!(c.industry.key, "media");
    assert_eq!(c.tz, chrono_tz::Europe::Berlin);
    assert_eq!(c.reports_dir, PathBuf::from("/srv/reports"));
    assert_eq!(c.accounts, ["fromenv".parse::<Handle>().unwrap()]);
    let flags = [
        "--concurrency",
        "2",
        "--tz",
        "UTC",
        "--reports-dir",
        "here",
        "--user",
        "flagged",
        "--industry",
        "travel",
    ];
    let c = resolve_with(&vars, &flags).unwrap();
    assert_eq!((c.concurrency, c.tz), (2, chrono_tz::UTC));
    assert_eq!(c.industry.key, "travel");
    assert_eq!(c.reports_dir, PathBuf::from("here"));
    assert_eq!(c.accounts, ["flagged".parse::<Handle>().unwrap()]);
    let c = resolve_with(&[], &["--user", "ab"]).unwrap();
    assert_eq!((c.concurrency, c.tz), (1, chrono_tz::UTC));
    assert_eq!(c.industry, Industry::default());
    assert_eq!(c.reports_dir, PathBuf::from(DEFAULT_REPORTS_DIR));
}

#[test]
fn a_variable_that_does_not_parse_is_a_usage_error_naming_it() {
    for (var, value, why) in [
        (
            Var::ScavioConcurrency,
            "0",
            "expected a whole number from 1 to 50",
        ),
        (
            Var::ScavioConcurrency,
            "lots",
            "expected a whole number from 1 to 50",
        ),
        (Var::Tz, "Mars/Olympus", "not an IANA time zone name"),
        (
            Var::Industry,
            "coffee",
            "unknown industry; use one of all, sports-teams,",
        ),
    ] {
        let (kind, line) = failure(resolve_with(&[(var, value)], &["--user", "ab"]));
        assert_eq!(kind, Kind::Usage, "{var}");
        assert!(
            line.starts_with(&format!("{var} {value:?}: {why}")),
            "{line}"
        );
    }
    let flag_wins = resolve_with(
        &[(Var::Tz, "Mars/Olympus")],
        &["--user", "ab", "--tz", "UTC"],
    );
    assert!(
        flag_wins.is_ok(),
        "the variable is not read when the flag is given"
    );
}

#[test]
fn the_dry_run_form_has_its_own_flag_and_keeps_the_old_name() {
    for flag in ["--dry-run-format", "--format"] {
        let c = resolve_with(&[], &["--user", "ab", "--dry-run", flag, "md"]).unwrap();
        assert_eq!(c.dry_run_output, Output::Md, "{flag}");
    }
}

#[test]
fn as_of_defaults_to_now_in_whole_seconds() {
    let c = Config::resolve(args(&["--user", "example"]), &env(), now()).unwrap();
    assert_eq!(c.window.end.to_rfc3339(), "2026-11-29T20:00:05+00:00");
    assert_eq!(c.now, c.window.end);
}

#[test]
fn delivery_is_off_with_no_notify_or_dry_run_and_its_variables_are_then_not_read() {
    let slack = crate::deliver::channel_named("slack").unwrap();
    let bad = [(Var::Channel(&slack.vars()[0]), "not a url")];
    let (kind, line) = failure(resolve_with(&bad, &["--user", "ab"]));
    assert_eq!(kind, Kind::Config);
    assert!(
        line.starts_with(&format!("{} is not an http(s) URL", slack.variable())),
        "{line}"
    );
    for flag in ["--no-notify", "--dry-run"] {
        let c = resolve_with(&bad, &["--user", "ab", flag]).unwrap();
        assert!(!c.notify && c.channels.is_empty(), "{flag}");
    }
    let webhook = crate::deliver::channel_named("webhook").unwrap();
    let hook = [(Var::Channel(&webhook.vars()[0]), "https://x.example/hook")];
    let c = resolve_with(&hook, &["--user", "ab", "--timeout", "5"]).unwrap();
    assert!(c.notify);
    assert_eq!(c.channels.configured(), [webhook]);
    assert_eq!(c.channels.timeout, std::time::Duration::from_secs(5));
}

#[test]
fn debug_output_never_shows_the_key() {
    let c = Config::resolve(args(&["--user", "example"]), &env(), now()).unwrap();
    let dump = format!("{c:?}");
    assert!(!dump.contains("sk_live_secret"), "{dump}");
    assert!(dump.contains("ApiKey(***)"));
    assert_eq!(c.api.key.redact("bad key sk_live_secret"), "bad key ***");
}

#[test]
fn missing_key_user_bad_url_and_far_future_are_refused_with_their_kind() {
    let kind = |r: anyhow::Result<Config>| r.unwrap_err().downcast_ref::<Failure>().map(|f| f.kind);
    assert_eq!(
        kind(Config::resolve(
            args(&["--user", "ab"]),
            &Env::default(),
            now()
        )),
        Some(Kind::Config)
    );
    assert_eq!(
        kind(Config::resolve(args(&[]), &env(), now())),
        Some(Kind::Usage)
    );
    let bad_url = env_with(&[(Var::ScavioBaseUrl, "ftp://x")]);
    assert_eq!(
        kind(Config::resolve(args(&["--user", "ab"]), &bad_url, now())),
        Some(Kind::Config)
    );
    let future = args(&["--user", "ab", "--as-of", "2026-12-01T20:00:00Z"]);
    assert_eq!(
        kind(Config::resolve(future, &env(), now())),
        Some(Kind::Usage)
    );
}

/// `resolve` with the key and `extra` variables, for one `--user ab` run.
fn resolve_with(extra: &[(Var, &str)], flags: &[&str]) -> anyhow::Result<Config> {
    Config::resolve(args(flags), &env_with(extra), now())
}

fn failure(result: anyhow::Result<Config>) -> (Kind, String) {
    let err = result.unwrap_err();
    let failure = err.downcast_ref::<Failure>().unwrap();
    (failure.kind, failure.to_string())
}

#[test]
fn as_of_before_tiktok_existed_is_a_usage_error() {
    let (kind, line) = failure(resolve_with(
        &[],
        &["--user", "ab", "--as-of", "2016-08-31T23:59:59Z"],
    ));
    assert_eq!(kind, Kind::Usage);
    assert_eq!(
        line,
        "--as-of 2016-08-31T23:59:59Z is before TikTok existed; give a time from 2016-09-01T00:00:00Z on"
    );
    let first = resolve_with(&[], &["--user", "ab", "--as-of", "2016-09-01T00:00:00Z"]);
    assert_eq!(first.unwrap().window.end.timestamp(), EARLIEST_AS_OF_SECS);
    // A week end that moves an early --as-of before then says which time that is.
    let (_, line) = failure(resolve_with(
        &[],
        &[
            "--user",
            "ab",
            "--as-of",
            "2016-09-02T00:00:00Z",
            "--week-end",
            "sun@20:00",
        ],
    ));
    assert_eq!(
        line,
        "the week ending 2016-08-28T20:00:00Z (by --week-end, from --as-of 2016-09-02T00:00:00Z) is before TikTok existed; give a time from 2016-09-01T00:00:00Z on"
    );
}

#[test]
fn the_week_end_of_the_flag_or_the_variable_ends_the_window_before_now_or_as_of() {
    let end = |flags: &[&str], vars: &[(Var, &str)]| {
        let argv = [&["--user", "ab"], flags].concat();
        let c = Config::resolve(args(&argv), &env_with(vars), now()).unwrap();
        c.window.end.to_rfc3339()
    };
    // now() is Sunday 2026-11-29 20:00:05.
    assert_eq!(
        end(&["--week-end", "sun@20:00"], &[]),
        "2026-11-29T20:00:00+00:00"
    );
    assert_eq!(
        end(&["--week-end", "sun@20:01"], &[]),
        "2026-11-22T20:01:00+00:00"
    );
    let var = [(Var::WeekEnd, "Saturday@06:30")];
    assert_eq!(end(&[], &var), "2026-11-28T06:30:00+00:00");
    assert_eq!(
        end(&["--week-end", "sun@20:00"], &var),
        "2026-11-29T20:00:00+00:00",
        "the flag wins"
    );
    let as_of = ["--as-of", "2026-11-25T09:00:00Z", "--week-end", "sun@20:00"];
    assert_eq!(end(&as_of, &[]), "2026-11-22T20:00:00+00:00");
    let bad = Config::resolve(
        args(&["--user", "ab"]),
        &env_with(&[(Var::WeekEnd, "sunday")]),
        now(),
    );
    let line = crate::error::one_line(&bad.unwrap_err());
    assert!(
        line.starts_with("TIKTOK_REVIEW_WEEK_END \"sunday\": expected DAY@HH:MM"),
        "{line}"
    );
}

#[test]
fn a_shard_keeps_its_accounts_in_order_and_may_keep_none() {
    let names = "aa,bb,cc,dd,ee,ff,gg,hh";
    let kept = |shard: &str| {
        let c = Config::resolve(args(&["--user", names, "--shard", shard]), &env(), now()).unwrap();
        assert_eq!(c.shard.map(|(_, named)| named), Some(8));
        c.accounts
            .iter()
            .map(Handle::as_str)
            .collect::<Vec<_>>()
            .join(",")
    };
    let all: Vec<String> = (1..=3).map(|k| kept(&format!("{k}/3"))).collect();
    let mut union: Vec<&str> = all
        .iter()
        .flat_map(|s| s.split(','))
        .filter(|s| !s.is_empty())
        .collect();
    union.sort_unstable();
    assert_eq!(union.join(","), names);
    assert_eq!(kept("1/1"), names);
    for bad in ["0/3", "4/3", "x/3", "1/0"] {
        assert!(
            Cli::try_parse_from(["tiktok-review", "run", "--shard", bad]).is_err(),
            "{bad}"
        );
    }
}
