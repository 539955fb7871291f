//! Turns the parsed command line and the environment into one validated [`Config`].
//!
//! The only place that reads the environment (including the `.env` file) and the clock.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Url;

use crate::cli::{Output, RunArgs};
use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::model::Window;
use crate::scavio::RetryPolicy;

/// The API's address unless `SCAVIO_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.scavio.dev";

/// How far past the present `--as-of` may lie.
const MAX_AS_OF_LEAD: TimeDelta = TimeDelta::days(1);

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

/// How to reach the Scavio API.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `https://api.scavio.dev` or the stand-in's address.
    pub base_url: Url,
    /// The secret key.
    pub key: ApiKey,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retry rules.
    pub retry: RetryPolicy,
}

/// The Scavio API key: its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.0, "***")
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Loads `KEY=value` lines from `explicit`, or from `./.env` when it exists, into the process
/// environment. Variables already set win. Call it before any thread starts.
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
    dotenvy::from_path(&path).map_err(|e| {
        Failure::new(
            Kind::Config,
            format!("reading env file {}: {e}", path.display()),
        )
        .into()
    })
}

impl Config {
    /// The run's configuration from its flags, the process environment, the users file, the clock
    /// and whether stderr is a terminal.
    pub fn load(mut args: RunArgs) -> anyhow::Result<Self> {
        if let Some(path) = args.users_file.take() {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Failure::new(
                    Kind::Config,
                    format!("reading users file {}: {e}", path.display()),
                )
            })?;
            args.user.extend(users_file(&text, &path)?);
        }
        let mut config = Self::resolve(args, |name| std::env::var(name).ok(), Utc::now())?;
        config.progress = config.accounts.len() > 1 && std::io::stderr().is_terminal();
        Ok(config)
    }

    /// The run's configuration from its flags, an environment lookup and the present time.
    pub fn resolve(
        args: RunArgs,
        env: impl Fn(&str) -> Option<String>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        let mut accounts: Vec<Handle> = Vec::new();
        for handle in args.user {
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
        let key = env("SCAVIO_API_KEY")
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                Failure::new(
                    Kind::Config,
                    "SCAVIO_API_KEY is not set: export it, or put it in .env or the --env-file (see .env.example)",
                )
            })?;
        let raw_url = env("SCAVIO_BASE_URL")
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = Url::parse(raw_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                Failure::new(
                    Kind::Config,
                    format!("SCAVIO_BASE_URL {raw_url:?} is not an http(s) URL"),
                )
            })?;
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
                key: ApiKey::new(key),
                timeout: args.timeout,
                retry: RetryPolicy::default(),
            },
        })
    }
}

/// The handles of a users file: one a line, `#` starts a comment, blank lines are ignored.
fn users_file(text: &str, path: &Path) -> anyhow::Result<Vec<Handle>> {
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
        assert_eq!(c.api.timeout, Duration::from_secs(30));
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
}
