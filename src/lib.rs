//! tiktok-review: a weekly TikTok performance review that a creator owns.
//!
//! The pipeline, one module per stage:
//! 1. [`config`] resolves flags, environment and clock into a [`Config`];
//! 2. [`scavio`] fetches the profile and the posts of the week, page by page, spending no credit more
//!    than the data needs;
//! 3. [`metrics`], [`ranking`], [`diff`], [`insights`] and [`recommend`] compute the review (pure);
//! 4. [`report`] assembles the JSON report, the schema that ties the weeks together, and [`render`]
//!    turns it into Markdown and HTML;
//! 5. [`store`] reads earlier reports and writes the new ones atomically under a lock.
//!
//! Beside the weekly run: [`history`](mod@history) tabulates saved reports, [`cron`](mod@cron)
//! writes the crontab entry.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod cron;
pub mod diff;
pub mod error;
pub mod handle;
pub mod history;
pub mod insights;
pub mod metrics;
pub mod model;
pub mod ranking;
pub mod recommend;
pub mod render;
pub mod report;
pub mod scavio;
pub mod store;
pub mod text;

use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

pub use config::Config;

use crate::handle::Handle;
use crate::model::Account;
use crate::scavio::{ApiUsage, Client, Scavio};

/// What a successful review of one account produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The report was written.
    Written {
        /// Where the JSON report is (the Markdown and HTML ones, if any, sit beside it).
        path: PathBuf,
        /// The one-line summary for stdout.
        summary: String,
    },
    /// `--dry-run`: the report, not written anywhere.
    DryRun {
        /// The report in the form `--format` asked for.
        output: Vec<u8>,
    },
}

/// One account's review: its outcome and what it cost.
#[derive(Debug)]
pub struct AccountRun {
    /// The account.
    pub handle: Handle,
    /// The report, or why there is none.
    pub result: anyhow::Result<Outcome>,
    /// Requests and credits this account spent.
    pub usage: ApiUsage,
}

/// Reviews every account of `config`, concurrently within the plan's limit of requests in flight.
/// One account's failure does not stop the others; results come back in the accounts' order.
pub async fn run(config: &Config) -> anyhow::Result<Vec<AccountRun>> {
    let scavio = Scavio::new(&config.api, config.concurrency, config.verbose)?;
    let progress = if config.progress {
        let bar = ProgressBar::new(config.accounts.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} accounts {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let reviews = config.accounts.iter().map(|handle| {
        let (scavio, progress) = (&scavio, &progress);
        async move {
            progress.set_message(format!("fetching @{handle}"));
            let mut client = scavio.client();
            let result = review(config, &mut client, handle).await;
            if result.is_err() {
                client.retry_log().iter().for_each(error::warn);
            }
            progress.inc(1);
            AccountRun {
                handle: handle.clone(),
                result,
                usage: client.usage(),
            }
        }
    });
    let runs = futures_util::future::join_all(reviews).await;
    progress.finish_and_clear();
    Ok(runs)
}

/// One account: lock → profile (or cached id) → posts → earlier reports → compute → write.
async fn review(config: &Config, client: &mut Client, handle: &Handle) -> anyhow::Result<Outcome> {
    let dir = store::user_dir(&config.reports_dir, handle);
    let _lock = match config.dry_run {
        true => None,
        false => Some(store::Lock::acquire(&dir).await?),
    };
    let cached = (!config.fetch_profile)
        .then(|| store::cached_sec_uid(&dir))
        .flatten();
    let (account, sec_uid, fetched_profile) = match cached {
        Some(sec_uid) => (Account::default(), sec_uid, false),
        None => {
            let profile = client.profile(handle).await?;
            (profile.account, profile.sec_uid, true)
        }
    };
    let posts = client.posts(handle, &sec_uid, &config.window).await?;

    let date = config.window.end.date_naive();
    let weeks = config.history_weeks.max(report::TREND_WEEKS - 1);
    let since = date - chrono::Days::new(7 * u64::from(weeks));
    let earlier = store::load_earlier(&dir, handle, &config.window, since);
    let report = report::build(report::Inputs {
        user: handle,
        generated_at: config.now,
        window: config.window,
        account: &account,
        posts: &posts,
        previous: earlier.previous.as_ref(),
        history: &earlier.history,
        history_weeks: config.history_weeks,
        tz: config.tz,
        api: client.usage(),
    });
    if config.dry_run {
        return Ok(Outcome::DryRun {
            output: render::to_bytes(&report, config.dry_run_output),
        });
    }
    let files: Vec<(&str, Vec<u8>)> = (config.outputs.iter())
        .map(|&output| (output.extension(), render::to_bytes(&report, output)))
        .collect();
    let path = store::write_report(&dir, date, &files)
        .with_context(|| format!("saving the report of @{handle}"))?;
    if fetched_profile && let Err(err) = store::cache_sec_uid(&dir, &sec_uid) {
        error::warn(format!(
            "@{handle}: could not cache the account id: {}",
            error::one_line(&err)
        ));
    }
    let summary = report.summary_line(&path.display().to_string());
    Ok(Outcome::Written { path, summary })
}

/// `tiktok-review history`: the latest weekly reports of one account as a table, CSV or JSON.
pub fn history(args: &cli::HistoryArgs) -> anyhow::Result<String> {
    let handle = args.user.as_ref().ok_or_else(|| {
        error::Failure::new(
            error::Kind::Usage,
            "no TikTok account given: pass --user <HANDLE> or set TIKTOK_USERNAME",
        )
    })?;
    let dir = store::user_dir(&args.reports_dir, handle);
    let reports = store::load_latest(&dir, handle, args.weeks as usize);
    if reports.is_empty() {
        error::warn(format!(
            "no saved reports of @{handle} in {}",
            dir.display()
        ));
    }
    let rows = history::rows(&reports);
    Ok(match args.format {
        cli::HistoryFormat::Table => history::table(&rows),
        cli::HistoryFormat::Csv => history::csv(&rows),
        cli::HistoryFormat::Json => history::json(&rows),
    })
}

/// `tiktok-review cron`: the crontab entry for this binary, with absolute paths.
pub fn cron(args: &cli::CronArgs) -> anyhow::Result<String> {
    if !cron::valid_schedule(&args.at) {
        return Err(error::Failure::new(
            error::Kind::Usage,
            format!(
                "--at {:?} is not a cron schedule: give five fields such as \"0 20 * * 0\"",
                args.at
            ),
        )
        .into());
    }
    let workdir = std::env::current_dir().context("finding the working directory")?;
    let binary = std::env::current_exe().context("finding this program's path")?;
    let env_file = workdir.join(&args.env_file);
    if !env_file.is_file() {
        error::warn(format!(
            "{} does not exist yet: create it from .env.example",
            env_file.display()
        ));
    }
    Ok(cron::render(&cron::Entry {
        schedule: &args.at,
        binary: &binary,
        workdir: &workdir,
        user: args.user.as_ref(),
        env_file: &env_file,
        reports_dir: &workdir.join(&args.reports_dir),
    }))
}

/// Prints each account's outcome (summary or dry-run output on `out`, errors on stderr, one line
/// each) and, for several accounts, the totals line; returns the exit code of the run.
pub fn print_outcomes(
    config: &Config,
    runs: &[AccountRun],
    out: &mut impl std::io::Write,
) -> std::io::Result<u8> {
    let several = runs.len() > 1;
    for run in runs {
        match &run.result {
            Ok(Outcome::DryRun { output }) => out.write_all(output)?,
            Ok(Outcome::Written { summary, .. }) if !config.quiet => writeln!(out, "{summary}")?,
            Ok(Outcome::Written { .. }) => {}
            Err(err) if several => eprintln!(
                "tiktok-review: error: @{}: {}",
                run.handle,
                error::one_line(err)
            ),
            Err(err) => eprintln!("tiktok-review: error: {}", error::one_line(err)),
        }
    }
    if several && !config.quiet && !config.dry_run {
        writeln!(out, "{}", totals_line(runs))?;
    }
    let failures = runs.iter().filter_map(|r| r.result.as_ref().err());
    Ok(error::most_severe(failures.map(error::exit_code)).unwrap_or(0))
}

/// The run's closing line over several accounts: reports written, failures, requests and credits.
pub fn totals_line(runs: &[AccountRun]) -> String {
    let failed = runs.iter().filter(|r| r.result.is_err()).count();
    let requests: u64 = runs.iter().map(|r| u64::from(r.usage.requests)).sum();
    let credits: u64 = runs.iter().map(|r| r.usage.credits_used).sum();
    let left = runs
        .iter()
        .filter_map(|r| r.usage.credits_remaining)
        .min()
        .map(|n| format!(", {} left", report::group_thousands(n)))
        .unwrap_or_default();
    format!(
        "{} accounts: {} reports written, {failed} failed; {requests} requests, {credits} credits used{left}",
        runs.len(),
        runs.len() - failed,
    )
}
