//! Turns the parsed command line and the environment into one validated [`Config`].
//!
//! The only place that reads the environment (including the `.env` file) and the clock. It refuses
//! what would fail later or leak the key (an env file that does not parse, a key with a control
//! character, credentials in `SCAVIO_BASE_URL`) without echoing the secret it refuses.

use std::cell::Cell;
use std::io::{IsTerminal, Read};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Url;

use crate::cli::{Output, RunArgs};
use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::model::Window;
use crate::scavio::{ApiConfig, ApiKey, DEFAULT_BASE_URL, RetryPolicy};
use crate::text;

/// How far past the present `--as-of` may lie.
const MAX_AS_OF_LEAD: TimeDelta = TimeDelta::days(1);

/// The earliest `--as-of`: 2016-09-01T00:00:00Z, when TikTok (then Douyin) launched.
const EARLIEST_AS_OF_SECS: i64 = 1_472_688_000;

/// Everything one run needs, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whose reports, in order, each once.
    pub accounts: Vec<Handle>,
    /// The folder holding one sub-folder per account.
    pub reports_dir: PathBuf,
    /// The week to report: `[as_of − 7 days, as_of)`.
    pub window: Window,
    /// When the run happens (the report's `generated_at`).
    pub now: DateTime<Utc>,
    /// The creator's time zone, for posting-time insights.
    pub tz: chrono_tz::Tz,
    /// How many weeks of earlier reports the insights draw on.
    pub history_weeks: u32,
    /// Print the report instead of writing anything.
    pub dry_run: bool,
    /// The forms to write: JSON first, then each other one once.
    pub outputs: Vec<Output>,
    /// The form `--dry-run` prints.
    pub dry_run_output: Output,
    /// Print nothing on success.
    pub quiet: bool,
    /// Log every request and retry as it happens.
    pub verbose: bool,
    /// Requests in flight at most, across all accounts.
    pub concurrency: usize,
    /// Ask for the profile (follower counts); without it, the cached `sec_uid` is used.
    pub fetch_profile: bool,
    /// Show a progress bar on stderr (several accounts, stderr a terminal).
    pub progress: bool,
    /// How to reach the API.
    pub api: ApiConfig,
    /// `--save-raw`: the folder that receives every raw answer body.
    pub save_raw: Option<PathBuf>,
}

/// Loads `KEY=value` lines from `explicit`, or from `./.env` when it exists, into the process
/// environment. Variables already set win. Call it before any thread starts, and only for `run`.
///
/// A line that does not parse is named by its number only: its text may hold the key.
pub fn load_env_file(explicit: Option<&Path>) -> anyhow::Result<()> {
    let path = match explicit {
        Some(path) if !path.is_file() => {
            return Err(Failure::new(
                Kind::Config,
                format!("env file {} not found; check --env-file", path.display()),
            )
            .into());
        }
        Some(path) => path.to_path_buf(),
        None if Path::new(".env").is_file() => PathBuf::from(".env"),
        None => return Ok(()),
    };
    let failure = |why: String| {
        Failure::new(
            Kind::Config,
            format!("reading env file {}: {why}", path.display()),
        )
    };
    let bytes = std::fs::read(&path).map_err(|e| failure(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = line_number(e.as_bytes(), valid);
        failure(format!(
            "line {line} is not UTF-8 text; save the file as UTF-8"
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if let Some(line) = env_syntax_error_line(text) {
        return Err(failure(format!(
            "syntax error on line {line}; fix that line (its text is not shown: it may hold a secret)"
        ))
        .into());
    }
    dotenvy::from_read(text.as_bytes()).map_err(|e| {
        failure(match e {
            // Checked above, so not expected; its text would be the line itself.
            dotenvy::Error::LineParse(..) => {
                "syntax error; fix the file (its text is not shown: it may hold a secret)".into()
            }
            other => other.to_string(),
        })
        .into()
    })
}

/// The number of the first line of the first statement of an env file (without BOM) that dotenvy
/// cannot parse, or `None` when it all parses. dotenvy's own error carries the offending text but
/// not its line, so its reader is fed one line at a time and the bytes it has taken are counted.
fn env_syntax_error_line(text: &str) -> Option<usize> {
    let reader = LineByLine {
        text: text.as_bytes(),
        taken: Cell::new(0),
    };
    let mut statements = dotenvy::from_read_iter(&reader);
    loop {
        // Each statement (with the comments and blank lines before it) is read whole, up to and
        // including its last newline, so this is where the next one, or its comments, begins.
        let start = reader.taken.get();
        match statements.next()? {
            Ok(_) => {}
            Err(_) => {
                let skipped = text
                    .get(start..)
                    .unwrap_or_default()
                    .split_inclusive('\n')
                    .take_while(|line| {
                        let line = line.trim_start();
                        line.is_empty() || line.starts_with('#')
                    })
                    .count();
                return Some(line_number(text.as_bytes(), start) + skipped);
            }
        }
    }
}

/// The 1-based number of the line holding byte `offset` of `text`.
fn line_number(text: &[u8], offset: usize) -> usize {
    1 + text.iter().take(offset).filter(|&&b| b == b'\n').count()
}

/// A reader that hands out at most one line per `read`, and counts what it handed out.
struct LineByLine<'a> {
    text: &'a [u8],
    taken: Cell<usize>,
}

impl Read for &LineByLine<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = self.text.get(self.taken.get()..).unwrap_or_default();
        let line = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |newline| newline + 1);
        let n = line.min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.taken.set(self.taken.get() + n);
        Ok(n)
    }
}

impl Config {
    /// The run's configuration from its flags, the process environment, the users file, the clock
    /// and whether stderr is a terminal. Prints the warning about a plain-http `SCAVIO_BASE_URL`.
    pub fn load(mut args: RunArgs) -> anyhow::Result<Self> {
        if let Some(path) = &args.users_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::new(
                    Kind::Config,
                    format!("reading users file {}: {e}", path.display()),
                )
            })?;
            let handles = users_file(&text, path)?;
            args.user.extend(handles.into_iter().map(Some));
        }
        let mut config = Self::resolve(args, |name| std::env::var(name).ok(), Utc::now())?;
        if let Some(warning) = clear_text_warning(&config.api.base_url) {
            crate::error::warn(warning);
        }
        config.progress = config.accounts.len() > 1 && std::io::stderr().is_terminal();
        Ok(config)
    }

    /// The run's configuration from its flags, an environment lookup and the present time.
    ///
    /// The accounts are the `--user` flags, then those of the users file (which [`Config::load`]
    /// appends to `args.user`); `TIKTOK_USERNAME` only when neither is given.
    pub fn resolve(
        args: RunArgs,
        env: impl Fn(&str) -> Option<String>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        let mut given: Vec<Handle> = args.user.into_iter().flatten().collect();
        if given.is_empty()
            && args.users_file.is_none()
            && let Some(list) = env("TIKTOK_USERNAME")
        {
            given = handle_list(&list)
                .map_err(|why| Failure::new(Kind::Usage, format!("TIKTOK_USERNAME: {why}")))?;
        }
        let mut accounts: Vec<Handle> = Vec::new();
        for handle in given {
            if !accounts.contains(&handle) {
                accounts.push(handle);
            }
        }
        if accounts.is_empty() {
            return Err(Failure::new(
                Kind::Usage,
                "no TikTok account given: pass --user <HANDLE>, --users-file or set TIKTOK_USERNAME",
            )
            .into());
        }
        let now =
            now.with_timezone(&Utc) - TimeDelta::nanoseconds(now.timestamp_subsec_nanos().into());
        let as_of = args.as_of.unwrap_or(now);
        if as_of > now + MAX_AS_OF_LEAD {
            return Err(Failure::new(
                Kind::Usage,
                format!(
                    "--as-of {} is in the future; give a time no later than tomorrow",
                    as_of.to_rfc3339()
                ),
            )
            .into());
        }
        if as_of.timestamp() < EARLIEST_AS_OF_SECS {
            return Err(Failure::new(
                Kind::Usage,
                format!(
                    "--as-of {} is before TikTok existed; give a time from 2016-09-01T00:00:00Z on",
                    as_of.to_rfc3339()
                ),
            )
            .into());
        }
        let key = env("SCAVIO_API_KEY")
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                Failure::new(
                    Kind::Config,
                    "SCAVIO_API_KEY is not set: export it, or put it in .env or the --env-file (see .env.example)",
                )
            })?;
        if key.chars().any(char::is_control) {
            return Err(Failure::new(
                Kind::Config,
                "SCAVIO_API_KEY contains a control character (such as a carriage return or tab inside it); \
                 copy the key again from the Scavio dashboard",
            )
            .into());
        }
        let key = ApiKey::new(key);
        let base_url = base_url(env("SCAVIO_BASE_URL"), &key)?;
        Ok(Self {
            accounts,
            reports_dir: args.reports_dir,
            window: Window::week_ending(as_of),
            now,
            tz: args.tz,
            history_weeks: args.history_weeks,
            dry_run: args.dry_run,
            outputs: std::iter::once(Output::Json)
                .chain(args.formats.into_iter().filter(|f| *f != Output::Json))
                .fold(Vec::new(), |mut all, f| {
                    if !all.contains(&f) {
                        all.push(f);
                    }
                    all
                }),
            dry_run_output: args.format,
            quiet: args.quiet,
            verbose: args.verbose || env("RUST_LOG").is_some_and(|filter| wants_debug(&filter)),
            concurrency: usize::from(args.concurrency),
            fetch_profile: !args.no_profile,
            progress: false,
            save_raw: args.save_raw,
            api: ApiConfig {
                base_url,
                key,
                timeout: args.timeout,
                retry: RetryPolicy::default(),
            },
        })
    }
}

/// `SCAVIO_BASE_URL` (or the default) as the base every API path is joined onto: http(s), no
/// `user:pass@`, no query or fragment, a path ending in `/` so that a prefix such as
/// `https://gw.example/scavio/` is kept. A refused value is shown without its user info.
fn base_url(raw: Option<String>, key: &ApiKey) -> Result<Url, Failure> {
    let raw = raw
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    let refuse = |why: String| Failure::new(Kind::Config, format!("SCAVIO_BASE_URL {why}"));
    let Some(mut url) = Url::parse(&raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    else {
        // An unparsed value may hold a password anywhere before its `@`: then show none of it.
        return Err(refuse(if raw.contains('@') {
            "is not an http(s) URL (not shown: it contains '@' and may hold a password)".into()
        } else {
            format!("{:?} is not an http(s) URL", key.redact(&text::clean(&raw)))
        }));
    };
    let has_userinfo = !url.username().is_empty() || url.password().is_some();
    // Setting these cannot fail on an http(s) URL, which always has a host.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if has_userinfo {
        return Err(refuse(format!(
            "{} holds a user name or password (`user:pass@`); remove it: the API key is the only credential sent",
            key.redact(url.as_str())
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        // Not shown: a query is where gateways put their tokens.
        url.set_query(None);
        url.set_fragment(None);
        return Err(refuse(format!(
            "{} has a query string or fragment (`?…` or `#…`, not shown), which every request would drop; remove it",
            key.redact(url.as_str())
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// The warning for a plain-http base URL whose host is not this machine (`localhost`, 127.0.0.0/8
/// or `::1`): the key would cross the network in clear text.
pub fn clear_text_warning(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    let loopback = match host.trim_start_matches('[').trim_end_matches(']').parse() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_loopback())
        }
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    };
    (url.scheme() == "http" && !loopback).then(|| {
        format!(
            "SCAVIO_BASE_URL is plain http to {host}: the API key travels in clear text; use https"
        )
    })
}

/// The handles of a comma-separated list such as `TIKTOK_USERNAME`; empty entries are skipped.
fn handle_list(list: &str) -> Result<Vec<Handle>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(str::parse)
        .collect()
}

/// The handles of a users file: one a line, `#` starts a comment, blank lines and a leading UTF-8
/// byte order mark are ignored.
fn users_file(text: &str, path: &Path) -> anyhow::Result<Vec<Handle>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split('#').next().unwrap_or("").trim()))
        .filter(|(_, line)| !line.is_empty())
        .map(|(number, line)| {
            line.parse::<Handle>().map_err(|why| {
                Failure::new(
                    Kind::Usage,
                    format!("{} line {number}: {why}", path.display()),
                )
                .into()
            })
        })
        .collect()
}

/// Whether a `RUST_LOG` filter asks for debug output of this crate (`debug`, `trace`,
/// `tiktok_review=debug`, …).
fn wants_debug(filter: &str) -> bool {
    filter.split(',').any(|directive| {
        let (target, level) = directive.rsplit_once('=').unwrap_or(("", directive));
        let ours = target.is_empty() || target.starts_with("tiktok_review");
        ours && matches!(
            level.trim().to_ascii_lowercase().as_str(),
            "debug" | "trace"
        )
    })
}

#[cfg(test)]
mod tests {
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

    fn env(name: &str) -> Option<String> {
        (name == "SCAVIO_API_KEY").then(|| "sk_live_secret".to_string())
    }

    #[test]
    fn the_window_is_the_week_before_as_of() {
        let c = Config::resolve(
            args(&["--user", "@Example", "--as-of", "2026-11-29T20:00:00Z"]),
            env,
            now(),
        )
        .unwrap();
        assert_eq!(c.accounts, ["example".parse::<Handle>().unwrap()]);
        assert_eq!((c.concurrency, c.fetch_profile), (1, true));
        assert_eq!(c.outputs, [Output::Json, Output::Md, Output::Html]);
        let html_md = args(&["--user", "ab", "--formats", "html,md,html"]);
        let outputs = Config::resolve(html_md, env, now()).unwrap().outputs;
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
        let c = Config::resolve(args(&argv), env, now()).unwrap();
        let names: Vec<&str> = c.accounts.iter().map(Handle::as_str).collect();
        assert_eq!(names, ["bb", "aa"]);
        assert_eq!(c.concurrency, 5);
    }

    #[test]
    fn a_users_file_skips_comments_and_blank_lines_and_names_a_bad_line() {
        let text =
            "# agency accounts\nalpha\n\n  @beta  # the second\nhttps://www.tiktok.com/@gamma\n";
        let handles = users_file(text, Path::new("users.txt")).unwrap();
        let names: Vec<&str> = handles.iter().map(Handle::as_str).collect();
        assert_eq!(names, ["alpha", "beta", "gamma"]);
        let err = users_file("alpha\n../etc\n", Path::new("users.txt")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("users.txt line 2: invalid TikTok handle"),
            "{err}"
        );
    }

    #[test]
    fn as_of_defaults_to_now_in_whole_seconds() {
        let c = Config::resolve(args(&["--user", "example"]), env, now()).unwrap();
        assert_eq!(c.window.end.to_rfc3339(), "2026-11-29T20:00:05+00:00");
        assert_eq!(c.now, c.window.end);
    }

    #[test]
    fn rust_log_at_debug_for_this_crate_turns_on_the_request_log() {
        for filter in [
            "debug",
            "trace",
            "tiktok_review=debug",
            "warn,tiktok_review=trace",
        ] {
            assert!(wants_debug(filter), "{filter}");
        }
        for filter in ["info", "hyper=debug", "", "tiktok_review=info"] {
            assert!(!wants_debug(filter), "{filter}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let c = Config::resolve(args(&["--user", "example"]), env, now()).unwrap();
        let dump = format!("{c:?}");
        assert!(!dump.contains("sk_live_secret"), "{dump}");
        assert!(dump.contains("ApiKey(***)"));
        assert_eq!(c.api.key.redact("bad key sk_live_secret"), "bad key ***");
    }

    #[test]
    fn missing_key_user_bad_url_and_far_future_are_refused_with_their_kind() {
        let kind =
            |r: anyhow::Result<Config>| r.unwrap_err().downcast_ref::<Failure>().map(|f| f.kind);
        assert_eq!(
            kind(Config::resolve(args(&["--user", "ab"]), |_| None, now())),
            Some(Kind::Config)
        );
        assert_eq!(
            kind(Config::resolve(args(&[]), env, now())),
            Some(Kind::Usage)
        );
        let bad_url = |n: &str| match n {
            "SCAVIO_BASE_URL" => Some("ftp://x".to_string()),
            other => env(other),
        };
        assert_eq!(
            kind(Config::resolve(args(&["--user", "ab"]), bad_url, now())),
            Some(Kind::Config)
        );
        let future = args(&["--user", "ab", "--as-of", "2026-12-01T20:00:00Z"]);
        assert_eq!(kind(Config::resolve(future, env, now())), Some(Kind::Usage));
    }

    /// `resolve` with the key and `extra` variables, for one `--user ab` run.
    fn resolve_with(extra: &[(&str, &str)], flags: &[&str]) -> anyhow::Result<Config> {
        let vars: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .or_else(|| env(name))
        };
        Config::resolve(args(flags), lookup, now())
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
            "--as-of 2016-08-31T23:59:59+00:00 is before TikTok existed; give a time from 2016-09-01T00:00:00Z on"
        );
        let first = resolve_with(&[], &["--user", "ab", "--as-of", "2016-09-01T00:00:00Z"]);
        assert_eq!(first.unwrap().window.end.timestamp(), EARLIEST_AS_OF_SECS);
    }

    #[test]
    fn a_key_with_a_control_character_is_configuration_and_never_shown() {
        for key in [
            "sk_live_se\rcret",
            "sk_live_se\u{1}cret",
            "sk\tlive",
            "sk_\u{7f}x",
        ] {
            let (kind, line) = failure(resolve_with(&[("SCAVIO_API_KEY", key)], &["--user", "ab"]));
            assert_eq!(kind, Kind::Config, "{key:?}");
            assert!(
                line.starts_with("SCAVIO_API_KEY contains a control character"),
                "{line}"
            );
            assert!(!line.contains("se") && !line.contains("live"), "{line}");
        }
        let trimmed = resolve_with(&[("SCAVIO_API_KEY", " sk_live_x\r\n")], &["--user", "ab"]);
        assert_eq!(trimmed.unwrap().api.key.expose(), "sk_live_x");
    }

    #[test]
    fn a_base_url_keeps_its_path_prefix_and_ends_with_a_slash() {
        for (raw, base) in [
            ("https://gw.example/scavio", "https://gw.example/scavio/"),
            ("https://gw.example/scavio/", "https://gw.example/scavio/"),
            (" http://127.0.0.1:8080 ", "http://127.0.0.1:8080/"),
            ("", "https://api.scavio.dev/"),
        ] {
            let c = resolve_with(&[("SCAVIO_BASE_URL", raw)], &["--user", "ab"]).unwrap();
            assert_eq!(c.api.base_url.as_str(), base, "{raw}");
        }
        let c = resolve_with(
            &[("SCAVIO_BASE_URL", "https://gw.example/scavio")],
            &["--user", "ab"],
        );
        let joined = c
            .unwrap()
            .api
            .base_url
            .join("api/v1/tiktok/profile")
            .unwrap();
        assert_eq!(
            joined.as_str(),
            "https://gw.example/scavio/api/v1/tiktok/profile"
        );
    }

    #[test]
    fn a_base_url_with_credentials_a_query_or_another_scheme_is_refused_without_the_password() {
        let refused = |raw: &str| {
            let (kind, line) =
                failure(resolve_with(&[("SCAVIO_BASE_URL", raw)], &["--user", "ab"]));
            assert_eq!(kind, Kind::Config, "{raw}");
            assert!(!line.contains("hunter2"), "{line}");
            line
        };
        assert_eq!(
            refused("https://me:hunter2@gw.example/scavio"),
            "SCAVIO_BASE_URL https://gw.example/scavio holds a user name or password (`user:pass@`); \
             remove it: the API key is the only credential sent"
        );
        assert!(refused("https://me@gw.example").contains("https://gw.example/ holds a user name"));
        assert!(refused("https://:hunter2@gw.example").contains("holds a user name or password"));
        assert_eq!(
            refused("ftp://x"),
            "SCAVIO_BASE_URL \"ftp://x\" is not an http(s) URL"
        );
        assert_eq!(
            refused("me:hunter2@gw example"),
            "SCAVIO_BASE_URL is not an http(s) URL (not shown: it contains '@' and may hold a password)"
        );
        let line = refused("https://gw.example/v1?token=hunter2#x");
        assert_eq!(
            line,
            "SCAVIO_BASE_URL https://gw.example/v1 has a query string or fragment (`?…` or `#…`, \
             not shown), which every request would drop; remove it"
        );
        assert!(refused("https://gw.example/#hunter2").contains("https://gw.example/ has a query"));
    }

    #[test]
    fn plain_http_warns_only_off_this_machine() {
        let warning = |raw: &str| clear_text_warning(&Url::parse(raw).unwrap());
        for quiet in [
            "http://127.0.0.1:9/",
            "http://127.3.4.5/",
            "http://localhost:8080/",
            "http://LOCALHOST/",
            "http://[::1]:80/",
            "https://api.example/",
        ] {
            assert_eq!(warning(quiet), None, "{quiet}");
        }
        assert_eq!(
            warning("http://gw.example/scavio/").as_deref(),
            Some(
                "SCAVIO_BASE_URL is plain http to gw.example: the API key travels in clear text; use https"
            )
        );
        assert!(warning("http://10.0.0.1/").is_some() && warning("http://[::2]/").is_some());
    }

    #[test]
    fn empty_entries_of_a_user_list_are_skipped() {
        let names = |c: Config| c.accounts.iter().map(|h| h.to_string()).collect::<Vec<_>>();
        let c = resolve_with(&[("TIKTOK_USERNAME", " aa,,bb , ,")], &[]).unwrap();
        assert_eq!(names(c), ["aa", "bb"]);
        let c = resolve_with(&[], &["--user", "aa,,bb,", "--user", " "]).unwrap();
        assert_eq!(names(c), ["aa", "bb"]);
        let (kind, line) = failure(resolve_with(&[("TIKTOK_USERNAME", "aa,../x")], &[]));
        assert_eq!(kind, Kind::Usage);
        assert!(
            line.starts_with("TIKTOK_USERNAME: invalid TikTok handle \"../x\""),
            "{line}"
        );
        let (kind, _) = failure(resolve_with(&[("TIKTOK_USERNAME", " , ")], &[]));
        assert_eq!(kind, Kind::Usage, "nothing but empty entries is no account");
    }

    #[test]
    fn tiktok_username_counts_only_without_user_flags_and_users_file() {
        let only = |flags: &[&str]| {
            let c = resolve_with(&[("TIKTOK_USERNAME", "fromenv")], flags).unwrap();
            c.accounts.iter().map(|h| h.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(only(&[]), ["fromenv"]);
        assert_eq!(only(&["--user", "flagged"]), ["flagged"]);
        assert_eq!(
            only(&["--users-file", "u.txt", "--user", "flagged"]),
            ["flagged"]
        );
        let (kind, _) = failure(resolve_with(
            &[("TIKTOK_USERNAME", "fromenv")],
            &["--users-file", "u.txt"],
        ));
        assert_eq!(kind, Kind::Usage, "an empty users file names no account");
    }

    #[test]
    fn a_users_file_may_begin_with_a_byte_order_mark() {
        let handles = users_file("\u{feff}alpha\nbeta\n", Path::new("u.txt")).unwrap();
        let names: Vec<&str> = handles.iter().map(Handle::as_str).collect();
        assert_eq!(names, ["alpha", "beta"]);
    }

    #[test]
    fn an_env_file_syntax_error_is_found_by_its_first_line_number() {
        assert_eq!(env_syntax_error_line(""), None);
        assert_eq!(
            env_syntax_error_line("# c\nA=1\nexport B='x y'\nC=\"multi\nline\"\n\nD=$A\n"),
            None
        );
        assert_eq!(env_syntax_error_line("A=1\n# c\nKEY=a b\nB=2\n"), Some(3));
        assert_eq!(
            env_syntax_error_line("A=1\r\n\r\n  # c\r\nKEY=a b\r\n"),
            Some(4)
        );
        assert_eq!(
            env_syntax_error_line("A=\"two\nlines\"\nB=\"open\nC=1\n"),
            Some(3)
        );
        assert_eq!(env_syntax_error_line("A=1\nKEY='unclosed"), Some(2));
        assert_eq!(env_syntax_error_line("A=1\n\n\n=nokey\n"), Some(4));
        assert_eq!(
            env_syntax_error_line("A=1\nB=\\q\n"),
            Some(2),
            "unknown escape"
        );
        assert_eq!(line_number(b"a\nb\nc", 4), 3);
    }
}
