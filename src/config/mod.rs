//! Turns the parsed command line, the environment, the env file and the clock into one validated
//! [`Config`], once.
//!
//! The only place that reads the environment (through [`Env`], with the env file layered under
//! it) and the clock. It refuses what would fail later or leak a secret (an env file that does not
//! parse, a key with a control character, credentials in `SCAVIO_BASE_URL`, a webhook variable
//! that is not a URL) without echoing the secret it refuses.

mod accounts;
mod api;
mod delivery;
mod env;
mod sending;

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};

pub use accounts::{DEFAULT_REPORTS_DIR, Local};
pub use api::clear_text_warning;
pub use delivery::{clear_text_warnings, secrets};
pub use env::{Env, Var};
pub use sending::Sending;

use crate::analysis::benchmark::Industry;
use crate::cli::{self, Output, RunArgs};
use crate::deliver::Channels;
use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::logging::LogFilter;
use crate::model::Window;
use crate::scavio::ApiConfig;
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
    /// The benchmark row the week's engagement rate is compared with.
    pub industry: Industry,
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
    /// `-v`: log every request and retry as it happens (the [`Setup`]'s log filter carries it).
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
    /// Deliver the saved reports after the run: neither `--no-notify` nor `--dry-run`.
    pub notify: bool,
    /// Where to deliver them (none when `notify` is off: the variables are then not read).
    pub channels: Channels,
}

/// Everything `run` takes from outside the command line, read once: its configuration, its log
/// filter and, in debug builds, the test panic.
#[derive(Debug)]
pub struct Setup {
    /// The run's configuration.
    pub config: Config,
    /// Which log lines show: `-v` and `RUST_LOG`.
    pub log: LogFilter,
    /// Debug builds only: `TIKTOK_REVIEW_TEST_PANIC`, the text to panic with inside the runtime.
    #[cfg(debug_assertions)]
    pub test_panic: Option<String>,
}

impl Config {
    /// The run's configuration from its flags, the environment layered over the env file, the
    /// users file, the clock and whether stderr is a terminal; the log filter from `-v` and
    /// `RUST_LOG`. Prints the warnings about a plain-http `SCAVIO_BASE_URL` and a `RUST_LOG`
    /// directive that does not parse.
    pub fn load(mut args: RunArgs) -> anyhow::Result<Setup> {
        let env = Env::with_env_file(args.env_file.as_deref())?;
        if let Some(path) = &args.users_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::new(
                    Kind::Config,
                    format!("reading users file {}: {e}", path.display()),
                )
            })?;
            let handles = accounts::users_file(&text, path)?;
            args.accounts.user.extend(handles.into_iter().map(Some));
        }
        let (log, ignored) = LogFilter::new(env.get(Var::RustLog), args.verbose);
        // From here on no stderr line shows a secret (the key, a webhook's token), whether its
        // variable is used or valid or not, the warnings and refusals below included.
        crate::logging::hide_secrets(secrets(&env).iter().map(String::as_str));
        let mut config = Self::resolve(args, &env, Utc::now())?;
        crate::logging::hide_secret(config.api.key.expose());
        let warnings = clear_text_warning(&config.api.base_url)
            .into_iter()
            .chain(clear_text_warnings(&config.channels));
        for warning in warnings {
            crate::error::warn(warning);
        }
        for directive in ignored {
            crate::error::warn(format!(
                "RUST_LOG: ignoring {:?}, which is not a log filter such as debug or tiktok_review=debug",
                text::clean(&directive)
            ));
        }
        config.progress = config.accounts.len() > 1 && std::io::stderr().is_terminal();
        Ok(Setup {
            config,
            log,
            #[cfg(debug_assertions)]
            test_panic: env.test_panic().map(str::to_string),
        })
    }

    /// The run's configuration from its flags, the environment and the present time. Each setting
    /// comes from its flag, else its variable, else its default.
    ///
    /// The accounts are the `--user` flags, then those of the users file (which [`Config::load`]
    /// appends to `args.accounts.user`); `TIKTOK_USERNAME` only when neither is given.
    pub fn resolve(args: RunArgs, env: &Env, now: DateTime<Utc>) -> anyhow::Result<Self> {
        let given = args.accounts.user.iter().flatten().cloned();
        let accounts = accounts::accounts(given, args.users_file.is_some(), env)?;
        if accounts.is_empty() {
            let why = match &args.users_file {
                Some(path) => format!(
                    "the users file {} names no account: add one handle a line, or pass --user <HANDLE>",
                    path.display()
                ),
                None => "no TikTok account given: pass --user <HANDLE>, --users-file or set TIKTOK_USERNAME".into(),
            };
            return Err(Failure::new(Kind::Usage, why).into());
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
        let usage = |message: &str| Err(Failure::new(Kind::Usage, message).into());
        match (args.dry_run, &args.formats, args.dry_run_format) {
            (true, Some(_), _) => {
                return usage(
                    "--formats chooses the files a run writes, and --dry-run writes none: pick the printed form with --dry-run-format",
                );
            }
            (false, _, Some(_)) => {
                return usage("--dry-run-format only applies with --dry-run");
            }
            (true, _, None | Some(Output::Json)) if accounts.len() > 1 => {
                return usage(
                    "--dry-run prints one JSON document: give one account, or --dry-run-format md or html for several",
                );
            }
            _ => {}
        }
        let api = api::api(env, args.timeout)?;
        let concurrency = match args.concurrency {
            Some(n) => n,
            None => from_env(env, Var::ScavioConcurrency, cli::parse_concurrency)?.unwrap_or(1),
        };
        let tz = match args.tz {
            Some(tz) => tz,
            None => from_env(env, Var::Tz, cli::parse_tz)?.unwrap_or(chrono_tz::UTC),
        };
        let industry = match args.industry {
            Some(industry) => industry,
            None => from_env(env, Var::Industry, cli::parse_industry)?.unwrap_or_default(),
        };
        let notify = !args.dry_run && !args.no_notify;
        let channels = match notify {
            true => delivery::channels(env, args.timeout)?,
            false => Channels::none(args.timeout, Utc::now),
        };
        Ok(Self {
            accounts,
            reports_dir: accounts::reports_dir(&args.accounts, env),
            window: Window::week_ending(as_of),
            now,
            tz,
            industry,
            history_weeks: args.history_weeks,
            dry_run: args.dry_run,
            outputs: std::iter::once(Output::Json)
                .chain(
                    (args
                        .formats
                        .unwrap_or_else(|| vec![Output::Md, Output::Html]))
                    .into_iter()
                    .filter(|f| *f != Output::Json),
                )
                .fold(Vec::new(), |mut all, f| {
                    if !all.contains(&f) {
                        all.push(f);
                    }
                    all
                }),
            dry_run_output: args.dry_run_format.unwrap_or(Output::Json),
            quiet: args.quiet,
            verbose: args.verbose,
            concurrency: usize::from(concurrency),
            fetch_profile: !args.no_profile,
            progress: false,
            save_raw: args.save_raw,
            api,
            notify,
            channels,
        })
    }
}

/// The value of `var` read by `parse` (the parser of its flag), `None` when unset. A value that does
/// not parse is a usage error (64) naming the variable, as a bad flag is.
fn from_env<T>(
    env: &Env,
    var: Var,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, Failure> {
    env.get(var)
        .map(|value| {
            parse(value).map_err(|why| {
                Failure::new(
                    Kind::Usage,
                    format!("{var} {:?}: {why}", text::clean(value)),
                )
            })
        })
        .transpose()
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
        let bad = [(Var::SlackWebhook, "not a url")];
        let (kind, line) = failure(resolve_with(&bad, &["--user", "ab"]));
        assert_eq!(kind, Kind::Config);
        assert!(
            line.starts_with("TIKTOK_REVIEW_SLACK_WEBHOOK is not an http(s) URL"),
            "{line}"
        );
        for flag in ["--no-notify", "--dry-run"] {
            let c = resolve_with(&bad, &["--user", "ab", flag]).unwrap();
            assert!(!c.notify && c.channels.is_empty(), "{flag}");
        }
        let hook = [(Var::WebhookUrl, "https://x.example/hook")];
        let c = resolve_with(&hook, &["--user", "ab", "--timeout", "5"]).unwrap();
        assert!(c.notify);
        assert_eq!(c.channels.configured(), [crate::deliver::Channel::Webhook]);
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
        let kind =
            |r: anyhow::Result<Config>| r.unwrap_err().downcast_ref::<Failure>().map(|f| f.kind);
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
            "--as-of 2016-08-31T23:59:59+00:00 is before TikTok existed; give a time from 2016-09-01T00:00:00Z on"
        );
        let first = resolve_with(&[], &["--user", "ab", "--as-of", "2016-09-01T00:00:00Z"]);
        assert_eq!(first.unwrap().window.end.timestamp(), EARLIEST_AS_OF_SECS);
    }
}
