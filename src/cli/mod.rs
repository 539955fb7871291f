//! The command line, as clap derive structs: every flag with its help text, and the groups that
//! several subcommands share declared once (`#[command(flatten)]`). No logic and no environment:
//! [`crate::config`] turns these, the environment and the env file into a validated `Config`.

use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::benchmark::Industry;
use crate::deliver::{Channel, channel_named, listing};
use crate::handle::Handle;
pub(crate) use crate::report::Output;
use crate::schedule::{Shard, WeekEnd};

/// `--history-weeks` when not given.
pub(crate) const DEFAULT_HISTORY_WEEKS: u32 = 8;

/// The environment (up to the channels' variables), shown at the end of `--help`.
const RUN_ENVIRONMENT: &str = "\
Environment (a variable set in the environment wins over .env or --env-file; a flag wins over both):
  SCAVIO_API_KEY             Scavio API key (required; also read from .env or --env-file)
  SCAVIO_BASE_URL            API address [default: https://api.scavio.dev]
  TIKTOK_USERNAME            accounts (comma-separated), unless --user or --users-file is given
  SCAVIO_CONCURRENCY         requests in flight, as --concurrency
  TIKTOK_REVIEW_REPORTS_DIR  reports folder, as --reports-dir
  TIKTOK_REVIEW_TZ           time zone, as --tz
  TIKTOK_REVIEW_INDUSTRY     benchmark industry, as --industry
  TIKTOK_REVIEW_WEEK_END     the weekly end of the reported week, as --week-end (e.g. sun@20:00)
  TIKTOK_REVIEW_COMPARE      competitors (comma-separated), as --compare
  RUST_LOG                   log filter such as debug or tiktok_review=debug, as --verbose

Delivery after the run, to each channel set (secrets: put them in the env file):";

/// The rest of the environment and the exit codes, after the channels' variables.
const RUN_EXIT_CODES: &str = "  TIKTOK_REVIEW_REPORT_URL       where the reports folder is served (not a secret): Slack, Discord
                                 and Teams link each account to <URL>/<handle>/report_<date>.html

Exit codes:
  0   success
  64  bad usage (bad handle, bad --as-of, --week-end or --shard, unknown --tz or --industry,
      unknown flag)
  65  the API answered something that cannot be understood
  67  the TikTok user does not exist
  70  internal error (a bug: please report it)
  73  the report cannot be written (a full or read-only folder stops the run before the
      next account is fetched)
  75  temporary failure: API unavailable after retries, another run holds the lock, the run
      was stopped by SIGTERM or SIGINT, or a delivery channel stayed unavailable or may have
      taken the message (the reports are written: `send` delivers them again)
  77  the API key was rejected or credits are exhausted
  78  configuration missing or unusable (no API key, env file not found or not parsable,
      a control character in the key, user:pass@ in SCAVIO_BASE_URL, a delivery variable
      that is not a URL, a webhook that refuses the message or fails TLS)";

/// The environment and exit codes, shown at the end of `--help` and documented in the README: the
/// channels' variables come from [`crate::deliver::CHANNELS`].
pub(crate) static EXIT_CODES: LazyLock<String> =
    LazyLock::new(|| format!("{RUN_ENVIRONMENT}\n{}{RUN_EXIT_CODES}", listing::run_help()));

/// `send`'s environment, up to the channels' variables.
const SEND_HEAD: &str = "\
Environment (a variable set in the environment wins over .env or --env-file; a flag wins over both):
  TIKTOK_REVIEW_REPORTS_DIR      reports folder, as --reports-dir";

/// `send`'s environment after the channels' variables, and its exit codes.
const SEND_TAIL: &str =
    "  TIKTOK_REVIEW_REPORT_URL       where the reports folder is served, for links in chat
  RUST_LOG                       log filter such as debug, as --verbose

Exit codes: 0 delivered everywhere (a report that cannot be read is skipped with a warning); 64 no
report of that date or account; 65 no report of that date can be read; 75 a channel stayed
unavailable (try again later) or may have taken the message (look there first); 78 no channel
configured, or a channel refused the message or failed TLS.";

/// The environment and exit codes of `send`, shown at the end of its `--help`: the channels'
/// variables come from [`crate::deliver::CHANNELS`].
pub(crate) static SEND_ENVIRONMENT: LazyLock<String> =
    LazyLock::new(|| format!("{SEND_HEAD}\n{}{SEND_TAIL}", listing::send_help()));

/// `check`'s environment and exit codes, shown at the end of its `--help`.
pub(crate) const CHECK_ENVIRONMENT: &str = "\
Environment (a variable set in the environment wins over .env or --env-file; a flag wins over both):
  SCAVIO_API_KEY, SCAVIO_BASE_URL  the key (never shown) and the API's address
  TIKTOK_REVIEW_REPORTS_DIR        reports folder, as --reports-dir
  the delivery variables           each configured channel gets one test message
  RUST_LOG                         log filter such as debug, as --verbose

One line per item on stdout: `✓` passed, `✗` failed, `-` skipped (with why): the env file, the
key (set, never shown), the reports folder (writable), the key accepted (only with --user: one
profile request, 1 credit), each configured channel (a message \"tiktok-review: test message, no
report\"), and the installed crontab (a tiktok-review line; informational).

Exit codes: 0 nothing failed; else the most severe of the failed lines, in this order: 70 internal
error; 78 configuration (env file not parsable, no key, a channel refusing its message); 77 key
rejected or credits exhausted; 73 reports folder not writable; 67 no such TikTok user; 65 an
answer that cannot be understood; 75 the API or a channel unavailable, or a channel may have taken
its message. 64 bad usage (one stderr line). The crontab line never changes the exit code.";

/// The environment of `history` and `cron`, shown at the end of their `--help`.
pub(crate) const LOCAL_ENVIRONMENT: &str = "\
Environment (never read from an env file; a flag wins):
  TIKTOK_USERNAME            accounts (comma-separated), as --user
  TIKTOK_REVIEW_REPORTS_DIR  reports folder, as --reports-dir";

/// The environment of `overview`, shown at the end of its `--help`.
pub(crate) const OVERVIEW_ENVIRONMENT: &str = "\
Environment (never read from an env file; a flag wins):
  TIKTOK_REVIEW_REPORTS_DIR  reports folder, as --reports-dir";

/// tiktok-review: a weekly TikTok performance review you own, for cron.
#[derive(Debug, Parser)]
#[command(name = "tiktok-review", version, about, after_help = EXIT_CODES.as_str())]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch the past 7 days of posts, compare with last week and write the dated report.
    #[command(after_help = EXIT_CODES.as_str())]
    Run(RunArgs),
    /// One row a week from the saved reports (reads local files only: no credits).
    #[command(after_help = LOCAL_ENVIRONMENT)]
    History(HistoryArgs),
    /// Print a ready crontab entry for the weekly run, and how to install it.
    #[command(after_help = LOCAL_ENVIRONMENT)]
    Cron(CronArgs),
    /// Rebuild the overview of all accounts of a date from the saved reports (no request: no
    /// credits).
    #[command(after_help = OVERVIEW_ENVIRONMENT)]
    Overview(OverviewArgs),
    /// Deliver saved reports again to the configured channels (reads local files only: no credits).
    #[command(after_help = SEND_ENVIRONMENT.as_str())]
    Send(SendArgs),
    /// One row per post per saved weekly report, as CSV or JSON Lines, for a spreadsheet or a
    /// database (reads local files only: no credits).
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Check the configuration without a review: each channel gets a test message (a credit only
    /// with --user).
    #[command(after_help = CHECK_ENVIRONMENT)]
    Check(CheckArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// `export`'s environment, columns and exit codes, shown at the end of its `--help`.
const EXPORT_HELP: &str = "\
Columns: handle, week_end, id, url, posted_at, caption, views, likes, comments, shares, saves,
engagement_rate, duration_s, format, hashtags, pinned, breakout. A value the report does not know
(saves the API did not send, a post without readable statistics) is empty in CSV and null in JSON,
never 0. A CSV cell that begins with =, +, -, @, a tab or a carriage return is prefixed with ' so
that a spreadsheet never runs it as a formula.

Environment (never read from an env file; a flag wins):
  TIKTOK_REVIEW_REPORTS_DIR  reports folder, as --reports-dir

Exit codes: 0 printed (a report that cannot be read is skipped with a warning); 64 bad usage
(--since after --until, a bad date or handle).";

/// The forms `export` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Comma-separated values (RFC 4180: a header row, CRLF line ends, UTF-8).
    Csv,
    /// One JSON object a line.
    Jsonl,
}

/// Flags of `tiktok-review export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The account to export; repeat, or separate with commas, for more. Without it, every account
    /// folder of the reports folder.
    #[arg(long, value_name = "HANDLE", value_delimiter = ',')]
    pub(crate) user: Vec<Handle>,

    /// Only weeks that end on this date or later (YYYY-MM-DD, the report's date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) since: Option<NaiveDate>,

    /// Only weeks that end on this date or earlier (YYYY-MM-DD, the report's date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) until: Option<NaiveDate>,

    /// Output form.
    #[arg(long, value_enum, default_value = "csv")]
    pub(crate) format: ExportFormat,

    /// Folder that holds one sub-folder of reports per account
    ///
    /// [env: TIKTOK_REVIEW_REPORTS_DIR] [default: tiktok_reports]
    #[arg(long, value_name = "DIR")]
    pub(crate) reports_dir: Option<PathBuf>,
}

/// The forms `history` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum HistoryFormat {
    /// Aligned columns with a sparkline.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// A JSON array.
    Json,
}

/// `--user` and `--reports-dir`: which accounts, and where their reports live. One group, so that
/// `run`, `history` and `cron` read them by the same rules.
#[derive(Debug, Clone, Default, Args)]
pub struct AccountArgs {
    /// TikTok account: `name`, `@name` or `https://www.tiktok.com/@name`; repeat, or separate with
    /// commas, for more accounts. Without --user (or run's --users-file), TIKTOK_USERNAME
    /// (comma-separated) names them
    ///
    /// [env: TIKTOK_USERNAME]
    #[arg(long, value_name = "HANDLE", value_delimiter = ',', value_parser = parse_user)]
    pub(crate) user: Vec<Option<Handle>>,

    /// Folder that holds one sub-folder of reports per account
    ///
    /// [env: TIKTOK_REVIEW_REPORTS_DIR] [default: tiktok_reports]
    #[arg(long, value_name = "DIR")]
    pub(crate) reports_dir: Option<PathBuf>,
}

/// Flags of `tiktok-review history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The account (one) and the reports folder.
    #[command(flatten)]
    pub accounts: AccountArgs,

    /// How many of the latest weekly reports to show.
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=520))]
    pub(crate) weeks: u32,

    /// Output form.
    #[arg(long, value_enum, default_value = "table")]
    pub(crate) format: HistoryFormat,
}

/// Flags of `tiktok-review cron`.
#[derive(Debug, Args)]
pub struct CronArgs {
    /// The accounts the entry reviews (required: the entry names them) and the reports folder
    /// (the log goes there too).
    #[command(flatten)]
    pub accounts: AccountArgs,

    /// The cron schedule: five fields (minute hour day-of-month month day-of-week, each `*`, `*/n`,
    /// `a`, `a-b`, `a-b/n` or a comma list) or @hourly, @daily, @weekly, @monthly; in the machine's
    /// time zone.
    #[arg(long, value_name = "SCHEDULE", default_value = "0 20 * * 0")]
    pub(crate) at: String,

    /// The env file holding SCAVIO_API_KEY.
    #[arg(long, value_name = "PATH", default_value = ".env")]
    pub(crate) env_file: PathBuf,
}

/// Flags of `tiktok-review overview`.
#[derive(Debug, Args)]
pub struct OverviewArgs {
    /// Folder that holds one sub-folder of reports per account (the overview goes beside them)
    ///
    /// [env: TIKTOK_REVIEW_REPORTS_DIR] [default: tiktok_reports]
    #[arg(long, value_name = "DIR")]
    pub(crate) reports_dir: Option<PathBuf>,

    /// The date of the reports, YYYY-MM-DD (the as-of's UTC date); default: the latest date of
    /// any account's report.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) date: Option<NaiveDate>,
}

/// Flags of `tiktok-review send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// An account whose report to send: `name`, `@name` or a profile link; repeat, or separate with
    /// commas, for more. Without --user, every account with a report of the date, as one digest
    /// like the run's
    #[arg(long, value_name = "HANDLE", value_delimiter = ',', value_parser = parse_user)]
    pub(crate) user: Vec<Option<Handle>>,

    /// The reports' date; default: the latest date with a report
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) date: Option<NaiveDate>,

    /// Send to this channel only (the list's names); repeat, or separate with commas, for more.
    /// Default: every configured channel
    #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = parse_channel, help = channel_help())]
    pub(crate) channel: Vec<&'static dyn Channel>,

    /// Folder that holds one sub-folder of reports per account
    ///
    /// [env: TIKTOK_REVIEW_REPORTS_DIR] [default: tiktok_reports]
    #[arg(long, value_name = "DIR")]
    pub(crate) reports_dir: Option<PathBuf>,

    /// Read environment variables (the delivery channels) from this file (default: `.env` in the
    /// working directory, if any).
    #[arg(long, value_name = "PATH")]
    pub(crate) env_file: Option<PathBuf>,

    /// Print nothing on success.
    #[arg(short, long)]
    pub(crate) quiet: bool,

    /// Log every delivery request and retry to stderr (never a URL)
    ///
    /// [env: RUST_LOG, a filter such as debug or tiktok_review=debug]
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

/// Flags of `tiktok-review check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Test the key with one profile request of this account (1 credit): `name`, `@name` or a
    /// profile link. Without it, the key is not sent anywhere
    #[arg(long, value_name = "HANDLE")]
    pub(crate) user: Option<Handle>,

    /// Folder that holds one sub-folder of reports per account
    ///
    /// [env: TIKTOK_REVIEW_REPORTS_DIR] [default: tiktok_reports]
    #[arg(long, value_name = "DIR")]
    pub(crate) reports_dir: Option<PathBuf>,

    /// Read environment variables from this file (default: `.env` in the working directory, if
    /// any).
    #[arg(long, value_name = "PATH")]
    pub(crate) env_file: Option<PathBuf>,

    /// Seconds to wait for the profile request, and for each channel's request.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_timeout)]
    pub(crate) timeout: Duration,

    /// Log every request and retry to stderr (never a header or a URL)
    ///
    /// [env: RUST_LOG, a filter such as debug or tiktok_review=debug]
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

/// Arguments of `tiktok-review completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// Flags of `tiktok-review run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The accounts and the reports folder.
    #[command(flatten)]
    pub(crate) accounts: AccountArgs,

    /// File of accounts, one handle per line (`#` comments and blank lines are ignored); it replaces
    /// TIKTOK_USERNAME, and --user adds to it.
    #[arg(long, value_name = "PATH")]
    pub(crate) users_file: Option<PathBuf>,

    /// Requests in flight at most, across all accounts: your Scavio plan's limit (Free 1, Project 5)
    ///
    /// [env: SCAVIO_CONCURRENCY] [default: 1]
    #[arg(long, value_name = "N", value_parser = parse_concurrency)]
    pub(crate) concurrency: Option<u16>,

    /// A competitor to review beside the accounts, once per run however many accounts there are:
    /// its report goes to its own folder, and each account's report compares with it; repeat, or
    /// separate with commas, for more. A competitor that fails never fails an account
    ///
    /// [env: TIKTOK_REVIEW_COMPARE]
    #[arg(long, value_name = "HANDLE", value_delimiter = ',', value_parser = parse_user)]
    pub(crate) compare: Vec<Option<Handle>>,

    /// Skip the profile request (no follower counts) and use the cached account id: one credit less.
    #[arg(long)]
    pub(crate) no_profile: bool,

    /// End of the 7-day window, RFC 3339 (e.g. 2026-11-29T20:00:00Z); default: now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_as_of)]
    pub(crate) as_of: Option<DateTime<Utc>>,

    /// The weekly instant (UTC) that ends every reported week, DAY@HH:MM such as sun@20:00 (day
    /// mon..sun or its full name, any case): the window ends at the latest such instant not after
    /// now (or not after --as-of), so a late or catch-up run reports, and is dated by, the same
    /// week as an on-time one
    ///
    /// [env: TIKTOK_REVIEW_WEEK_END]
    #[arg(long, value_name = "DAY@HH:MM", value_parser = parse_week_end)]
    pub(crate) week_end: Option<WeekEnd>,

    /// Review only shard K of N: the accounts whose stable hash of the handle (FNV-1a of the
    /// lowercase handle, mod N) is K-1, so that N runs (1/N … N/N) cover every account exactly
    /// once, whatever the order of the list. A shard with no account exits 0 without a request.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub(crate) shard: Option<Shard>,

    /// The creator's IANA time zone for posting-time insights (e.g. Europe/Berlin)
    ///
    /// [env: TIKTOK_REVIEW_TZ] [default: UTC]
    #[arg(long, value_name = "ZONE", value_parser = parse_tz)]
    pub(crate) tz: Option<chrono_tz::Tz>,

    /// The industry whose median engagement rate per view on TikTok (brands' accounts, Rival IQ's 2024
    /// benchmark) the week's rate is compared with: all, sports-teams, nonprofits, influencers,
    /// alcohol, higher-education, media, travel, tech, fashion, health-and-beauty, retail,
    /// food-and-beverage (any case)
    ///
    /// [env: TIKTOK_REVIEW_INDUSTRY] [default: all]
    #[arg(long, value_name = "NAME", value_parser = parse_industry)]
    pub(crate) industry: Option<Industry>,

    /// Weeks of earlier reports the insights draw on, besides this week.
    #[arg(
        long,
        value_name = "WEEKS",
        default_value_t = DEFAULT_HISTORY_WEEKS,
        value_parser = clap::value_parser!(u32).range(0..=520)
    )]
    pub(crate) history_weeks: u32,

    /// Print the report to stdout (in --dry-run-format) and write nothing (nor deliver anything).
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// Write the reports but deliver them nowhere, whatever delivery variables are set.
    #[arg(long)]
    pub(crate) no_notify: bool,

    /// Which forms to write beside each other; the JSON is always written [default: json,md,html].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub(crate) formats: Option<Vec<Output>>,

    /// The form --dry-run prints (`--format` is an older name for it) [default: json].
    #[arg(long, alias = "format", value_enum, value_name = "FORMAT")]
    pub(crate) dry_run_format: Option<Output>,

    /// Print nothing on success.
    #[arg(short, long)]
    pub(crate) quiet: bool,

    /// Log every request and retry to stderr as it happens, each line naming its account (never a
    /// header)
    ///
    /// [env: RUST_LOG, a filter such as debug or tiktok_review=debug]
    #[arg(short, long)]
    pub(crate) verbose: bool,

    /// Seconds to wait for each API request, and for each delivery request.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_timeout)]
    pub(crate) timeout: Duration,

    /// Write every raw API answer body (never a header; the key redacted) to this folder, one file
    /// per request, to show exactly what the API sent.
    #[arg(long, value_name = "DIR")]
    pub(crate) save_raw: Option<PathBuf>,

    /// Read environment variables from this file (default: `.env` in the working directory, if any).
    #[arg(long, value_name = "PATH")]
    pub(crate) env_file: Option<PathBuf>,
}

/// One entry of a `--user` list: `None` for an empty one (`a,,b`, a trailing comma), which is skipped.
fn parse_user(value: &str) -> Result<Option<Handle>, String> {
    match value.trim() {
        "" => Ok(None),
        entry => entry.parse().map(Some),
    }
}

/// `--concurrency` (and `SCAVIO_CONCURRENCY`): 1 to 50 requests in flight.
pub(crate) fn parse_concurrency(value: &str) -> Result<u16, String> {
    value
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|n| (1..=50).contains(n))
        .ok_or_else(|| "expected a whole number from 1 to 50 (your Scavio plan's limit)".into())
}

/// `--date`: a calendar date, `YYYY-MM-DD`.
pub(crate) fn parse_date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| "not a date such as 2026-11-29 (YYYY-MM-DD)".into())
}

fn parse_as_of(value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.to_utc())
        .map_err(|e| format!("not an RFC 3339 time such as 2026-11-29T20:00:00Z ({e})"))
}

/// `--week-end` (and `TIKTOK_REVIEW_WEEK_END`): `DAY@HH:MM`, in UTC.
pub(crate) fn parse_week_end(value: &str) -> Result<WeekEnd, String> {
    value.parse()
}

/// `--shard`: `K/N`, 1 ≤ K ≤ N.
fn parse_shard(value: &str) -> Result<Shard, String> {
    value.parse()
}

/// `--tz` (and `TIKTOK_REVIEW_TZ`): an IANA time zone name.
pub(crate) fn parse_tz(value: &str) -> Result<chrono_tz::Tz, String> {
    value.trim().parse().map_err(|_| {
        "not an IANA time zone name such as Europe/Berlin, America/New_York or UTC".into()
    })
}

/// `--industry` (and `TIKTOK_REVIEW_INDUSTRY`): a row of the benchmark table.
pub(crate) fn parse_industry(value: &str) -> Result<Industry, String> {
    value.parse()
}

/// `--channel`: a delivery channel by the name a failed delivery's line gives it.
fn parse_channel(value: &str) -> Result<&'static dyn Channel, String> {
    channel_named(&value.trim().to_ascii_lowercase())
        .ok_or_else(|| format!("not a channel: use {}", listing::option_names()))
}

/// `--channel`'s help, naming every channel.
fn channel_help() -> String {
    format!(
        "Send to this channel only: {}; repeat, or separate with commas, for more (the line of a \
         failed delivery names the channels to send to again). Default: every configured channel",
        listing::option_names()
    )
}

fn parse_timeout(value: &str) -> Result<Duration, String> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| "expected a number of seconds greater than 0 and at most 3600".into())
}

/// Parses the process's command line once; `--help` and `--version` print and exit 0, any other
/// clap error becomes a one-line usage error (exit 64).
pub fn parse() -> anyhow::Result<Cli> {
    use crate::error::{Failure, Kind, clap_line};
    use clap::error::ErrorKind;
    Cli::try_parse().or_else(|err| match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => err.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Err(Failure::new(
            Kind::Usage,
            "no command given: try `tiktok-review run --help`",
        )
        .into()),
        _ => Err(Failure::new(Kind::Usage, clap_line(&err)).into()),
    })
}

#[cfg(test)]
mod tests;
