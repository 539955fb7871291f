//! Turns the parsed command line, the environment, the env file and the clock into one validated
//! [`Config`], once.
//!
//! The only place that reads the environment (through [`Env`], with the env file layered under
//! it) and the clock. It refuses what would fail later or leak a secret (an env file that does not
//! parse, a key with a control character, credentials in `SCAVIO_BASE_URL`, a webhook variable
//! that is not a URL) without echoing the secret it refuses.

mod accounts;
mod api;
mod checking;
mod delivery;
mod env;
mod sending;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

pub use accounts::{DEFAULT_REPORTS_DIR, Local};
pub(crate) use api::clear_text_warning;
pub use checking::Checking;
pub(crate) use delivery::{clear_text_warnings, secrets};
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
use crate::schedule::Shard;
use crate::stop::Again;
use crate::text;

/// Refuses an account whose handle is a secret in any spelling (the API key pasted as a handle, a
/// users file that is the env file): the handle would go to Scavio, into the reports, the
/// overview and every message, where no redaction reaches (64, before any request). `given` says
/// where the handles came from.
pub(crate) fn refuse_secret_handles(handles: &[Handle], given: &str) -> Result<(), Failure> {
    match (handles.iter()).any(|h| crate::logging::redact(h.as_str()) != h.as_str()) {
        false => Ok(()),
        true => Err(Failure::new(
            Kind::Usage,
            format!(
                "{given} is a secret: the API key or a part of a delivery URL (not shown); give TikTok handles only"
            ),
        )),
    }
}

/// Where `run` and `send` take their accounts from, for [`refuse_secret_handles`].
const ACCOUNTS_GIVEN: &str = "an account given (--user, the users file or TIKTOK_USERNAME)";

/// How far past the present `--as-of` may lie.
const MAX_AS_OF_LEAD: TimeDelta = TimeDelta::days(1);

/// The earliest `--as-of`: 2016-09-01T00:00:00Z, when TikTok (then Douyin) launched.
const EARLIEST_AS_OF_SECS: i64 = 1_472_688_000;

/// Everything one run needs, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whose reports, in order, each once (of `--shard`'s shard only: maybe none).
    pub(crate) accounts: Vec<Handle>,
    /// `--shard`, and how many accounts were named before it kept its share.
    pub(crate) shard: Option<(Shard, usize)>,
    /// `--env-file`, when given: a command that fills a missed week repeats it.
    pub(crate) env_file: Option<PathBuf>,
    /// The competitors reviewed beside them (`--compare`), in order, each once, none an account.
    pub(crate) competitors: Vec<Handle>,
    /// The folder holding one sub-folder per account.
    pub(crate) reports_dir: PathBuf,
    /// The week to report: `[as_of − 7 days, as_of)`.
    pub window: Window,
    /// When the run happens (the report's `generated_at`).
    pub(crate) now: DateTime<Utc>,
    /// The creator's time zone, for posting-time insights.
    pub(crate) tz: chrono_tz::Tz,
    /// The benchmark row the week's engagement rate is compared with.
    pub(crate) industry: Industry,
    /// How many weeks of earlier reports the insights draw on.
    pub(crate) history_weeks: u32,
    /// Print the report instead of writing anything.
    pub(crate) dry_run: bool,
    /// The forms to write: JSON first, then each other one once.
    pub(crate) outputs: Vec<Output>,
    /// The form `--dry-run` prints.
    pub(crate) dry_run_output: Output,
    /// Print nothing on success.
    pub(crate) quiet: bool,
    /// Requests in flight at most, across all accounts.
    pub(crate) concurrency: usize,
    /// Ask for the profile (follower counts); without it, the cached `sec_uid` is used.
    pub(crate) fetch_profile: bool,
    /// Show a progress bar on stderr (several accounts, stderr a terminal).
    pub(crate) progress: bool,
    /// How to reach the API.
    pub(crate) api: ApiConfig,
    /// `--save-raw`: the folder that receives every raw answer body.
    pub(crate) save_raw: Option<PathBuf>,
    /// Deliver the saved reports after the run: neither `--no-notify` nor `--dry-run`.
    pub(crate) notify: bool,
    /// Where to deliver them (none when `notify` is off: the variables are then not read).
    pub(crate) channels: Channels,
    /// What [`Config::load`] warns about once the configuration is known (a run that starts just
    /// before its `--week-end`).
    pub(crate) warnings: Vec<String>,
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
    /// The flags a command following this run repeats: its folder, its env file and whatever
    /// shapes its review unless it is the default (so that a filled week is the report this run
    /// would have written, whether it came from a flag, the environment or the env file).
    pub(crate) fn again(&self) -> Again {
        let mut review = String::new();
        let handles: Vec<&str> = self.competitors.iter().map(Handle::as_str).collect();
        if !handles.is_empty() {
            review += &format!(" --compare {}", handles.join(","));
        }
        if self.tz != chrono_tz::Tz::UTC {
            review += &format!(" --tz {}", self.tz.name());
        }
        if self.industry != Industry::default() {
            review += &format!(" --industry {}", self.industry.key);
        }
        if self.history_weeks != cli::DEFAULT_HISTORY_WEEKS {
            review += &format!(" --history-weeks {}", self.history_weeks);
        }
        if self.outputs != Output::ALL {
            let forms: Vec<&str> = self.outputs.iter().map(|o| o.extension()).collect();
            review += &format!(" --formats {}", forms.join(","));
        }
        if !self.fetch_profile {
            review += " --no-profile";
        }
        Again {
            review,
            ..again(&self.reports_dir, self.env_file.as_deref())
        }
    }

    /// The run's configuration from its flags, the environment layered over the env file, the
    /// users file, the clock and whether stderr is a terminal; the log filter from `-v` and
    /// `RUST_LOG`. Prints the warnings about a plain-http `SCAVIO_BASE_URL` and a `RUST_LOG`
    /// directive that does not parse.
    pub fn load(mut args: RunArgs) -> anyhow::Result<Setup> {
        let env = Env::with_env_file(args.env_file.as_deref())?;
        // From here on no stderr line shows a secret (the key, a webhook's token), whether its
        // variable is used or valid or not: before any other file is read (a users file may be
        // the env file by mistake), and the warnings and refusals below included.
        crate::logging::hide_secrets(secrets(&env).iter().map(String::as_str));
        if let Some(path) = &args.users_file {
            let text = env::read_small_file(path).and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
            });
            let text = text.map_err(|why| {
                Failure::new(
                    Kind::Config,
                    format!("reading users file {}: {why}", path.display()),
                )
            })?;
            let handles = accounts::users_file(&text, path)?;
            args.accounts.user.extend(handles.into_iter().map(Some));
        }
        let (log, ignored) = LogFilter::new(env.get(Var::RustLog), args.verbose);
        let mut config = Self::resolve(args, &env, Utc::now())?;
        refuse_secret_handles(&config.accounts, ACCOUNTS_GIVEN)?;
        refuse_secret_handles(
            &config.competitors,
            "a competitor given (--compare or TIKTOK_REVIEW_COMPARE)",
        )?;
        crate::logging::hide_secrets(config.api.key.hidden_forms().iter().map(String::as_str));
        let warnings = clear_text_warning(&config.api.base_url)
            .into_iter()
            .chain(clear_text_warnings(&config.channels))
            .chain(std::mem::take(&mut config.warnings));
        for warning in warnings {
            crate::error::warn(warning);
        }
        warn_ignored_directives(ignored);
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
        let given = args.compare.iter().flatten().cloned();
        let competitors = accounts::competitors(given, &accounts, env)?;
        let now =
            now.with_timezone(&Utc) - TimeDelta::nanoseconds(now.timestamp_subsec_nanos().into());
        let week_end = match args.week_end {
            Some(week_end) => Some(week_end),
            None => from_env(env, Var::WeekEnd, cli::parse_week_end)?,
        };
        // Only a run that takes its time from the clock can start early by mistake.
        let early = (week_end.filter(|_| args.as_of.is_none())).and_then(|w| w.early_warning(now));
        let given = args.as_of.unwrap_or(now);
        // The checks quote the time as given; `--week-end` only moves it back to the week's end.
        let as_of = week_end.map_or(given, |w| w.latest_until(given));
        if given > now + MAX_AS_OF_LEAD {
            return Err(Failure::new(
                Kind::Usage,
                format!(
                    "--as-of {} is in the future; give a time no later than tomorrow",
                    crate::stop::rfc3339(given)
                ),
            )
            .into());
        }
        if as_of.timestamp() < EARLIEST_AS_OF_SECS {
            let which = match week_end {
                Some(_) => format!(
                    "the week ending {} (by --week-end, from --as-of {})",
                    crate::stop::rfc3339(as_of),
                    crate::stop::rfc3339(given)
                ),
                None => format!("--as-of {}", crate::stop::rfc3339(given)),
            };
            return Err(Failure::new(
                Kind::Usage,
                format!(
                    "{which} is before TikTok existed; give a time from 2016-09-01T00:00:00Z on"
                ),
            )
            .into());
        }
        let named = accounts.len();
        let accounts: Vec<Handle> = match args.shard {
            Some(shard) => accounts.into_iter().filter(|h| shard.holds(h)).collect(),
            None => accounts,
        };
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
            shard: args.shard.map(|shard| (shard, named)),
            env_file: args.env_file,
            competitors,
            reports_dir: accounts::reports_dir(&args.accounts, env),
            window: Window::week_ending(as_of),
            now,
            tz,
            industry,
            history_weeks: args.history_weeks,
            dry_run: args.dry_run,
            outputs: std::iter::once(Output::Json)
                .chain(
                    (args.formats.unwrap_or_else(|| Output::ALL.to_vec()))
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
            concurrency: usize::from(concurrency),
            fetch_profile: !args.no_profile,
            progress: false,
            save_raw: args.save_raw,
            api,
            notify,
            channels,
            warnings: early.into_iter().collect(),
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

/// One warning per `RUST_LOG` directive that did not parse (it is ignored).
fn warn_ignored_directives(ignored: Vec<String>) {
    for directive in ignored {
        crate::error::warn(format!(
            "RUST_LOG: ignoring {:?}, which is not a log filter such as debug or tiktok_review=debug",
            text::clean(&directive)
        ));
    }
}

/// The flags a command following a run or a `send` repeats to read the same folder and env file
/// (see [`Again`]): the folder unless it is the default one, the env file when one was given.
pub(crate) fn again(reports_dir: &Path, env_file: Option<&Path>) -> Again {
    let folder = if reports_dir == Path::new(DEFAULT_REPORTS_DIR) {
        String::new()
    } else {
        format!(" --reports-dir {}", text::shell_quote(reports_dir))
    };
    let env_file = env_file.map_or_else(String::new, |path| {
        format!(" --env-file {}", text::shell_quote(path))
    });
    Again {
        folder,
        env_file,
        review: String::new(),
    }
}

#[cfg(test)]
mod tests;
