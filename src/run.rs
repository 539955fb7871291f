//! One run: the competitors first (`--compare`), each reviewed once like an account, then each
//! account goes lock → fetch → analyse → report (compared with the competitors' reports) →
//! write, concurrently within the plan's limit of requests in flight; then, over several accounts, the overview is built from the
//! reports and written; then the reports (and the overview) are delivered as written, and the
//! outcomes are printed as cron wants them. A run that stops (a signal, a full or read-only folder, see [`crate::stop`])
//! starts no further account, cuts fetches only, never a write, and says once what is left.
//!
//! The sequencing lives here; every stage it calls lives in its own module.

mod account;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::config::Config;
use crate::deliver;
use crate::error::{self, Kind};
use crate::handle::Handle;
use crate::logging;
use crate::model::ApiUsage;
use crate::report::{Report, Rival, Role, fmt, overview};
use crate::scavio::Scavio;
use crate::stop::{self, Stop};
use crate::store;
use account::{Side, review};

/// What a successful review of one account produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The report was written.
    Written {
        /// Where the JSON report is (the Markdown and HTML ones, if any, sit beside it).
        path: PathBuf,
        /// The one-line summary for stdout.
        summary: String,
        /// The report written, handed on to the overview and the delivery.
        report: Arc<Report>,
    },
    /// `--dry-run`: the report, not written anywhere.
    DryRun {
        /// The report in the form `--dry-run-format` asked for.
        output: Vec<u8>,
        /// The report (a competitor's is compared with, never printed).
        report: Arc<Report>,
    },
}

/// One account's review: its outcome and what it cost.
#[derive(Debug)]
pub struct AccountRun {
    /// The account.
    pub(crate) handle: Handle,
    /// The report, or why there is none.
    pub result: anyhow::Result<Outcome>,
    /// Requests and credits this account spent.
    pub(crate) usage: ApiUsage,
}

/// What a run's reviews gave: the competitors' and the accounts', each in the order given.
#[derive(Debug)]
pub struct Reviews {
    /// The competitors (`--compare`): a failed one fails no account.
    pub rivals: Vec<AccountRun>,
    /// The accounts.
    pub accounts: Vec<AccountRun>,
}

/// Reviews the competitors of `config`, then every account, each compared with the competitors'
/// reports (as made, not read back); concurrently within the plan's limit of requests in flight.
/// A competitor that fails is warned about once and shows as failed in the accounts' reports.
pub async fn run(config: &Config, stop: &Stop) -> anyhow::Result<Reviews> {
    let stamp = config.now.format("%Y%m%dT%H%M%SZ").to_string();
    let scavio = Scavio::new(&config.api, config.concurrency)?
        .save_raw(config.save_raw.clone(), stamp)
        .stop_on(stop.clone());
    // A shard holding no account compares with nobody: its competitors cost nothing.
    let competitors = if config.accounts.is_empty() {
        &[][..]
    } else {
        config.competitors.as_slice()
    };
    let total = config.accounts.len() + competitors.len();
    let progress = logging::Progress::new(config.progress, total);
    let starts = Semaphore::new(config.concurrency.max(1));
    let each = Each {
        config,
        scavio: &scavio,
        progress: &progress,
        starts: &starts,
        stop,
    };
    let side = Side {
        role: Role::Competitor,
        rivals: &[],
    };
    let rivals = each.review_all(competitors, side).await;
    let known = rivals_of(&rivals);
    let side = Side {
        role: Role::Account,
        rivals: &known,
    };
    let accounts = each.review_all(&config.accounts, side).await;
    drop(progress);
    Ok(Reviews { rivals, accounts })
}

/// What every review of a run shares.
struct Each<'a> {
    config: &'a Config,
    scavio: &'a Scavio,
    progress: &'a logging::Progress,
    starts: &'a Semaphore,
    stop: &'a Stop,
}

impl Each<'_> {
    /// Reviews `handles` on `side`. Accounts start in order, no more at once than requests may be
    /// in flight, each as an earlier one ends: one that has not started spends nothing when
    /// `stop` stops the run. One account's failure does not stop the others (a full or read-only
    /// folder stops them all); results come back in the accounts' order.
    async fn review_all(&self, handles: &[Handle], side: Side<'_>) -> Vec<AccountRun> {
        let Self {
            config,
            scavio,
            progress,
            starts,
            stop,
        } = *self;
        let reviews = handles.iter().map(|handle| {
            async move {
                let mut client = scavio.client(handle);
                let result = async {
                    let start = async { Ok(starts.acquire().await?) };
                    let _started = stop.unless_signalled(start, stop::not_run).await?;
                    stop.check()?;
                    progress.fetching(handle);
                    let result = review(config, &mut client, handle, stop, side).await;
                    // Before the next account starts: it must see a folder that refused this one.
                    stop.after(&result);
                    result
                }
                .await;
                // A competitor's failure is one warning line (see `rivals_of`).
                let account = side.role == Role::Account;
                if account && result.as_ref().is_err_and(|err| !stop::is_not_run(err)) {
                    client
                        .retry_log()
                        .iter()
                        .for_each(crate::retry::Noted::warn);
                }
                progress.done_one();
                AccountRun {
                    handle: handle.clone(),
                    result,
                    usage: client.usage(),
                }
            }
            // Every line logged during this account's review starts with `@handle: `.
            .instrument(logging::account_span(handle))
        });
        futures_util::future::join_all(reviews).await
    }
}

/// The competitors as the accounts' reports see them: each one's report, or why it failed (warned
/// about here, once each). One a stop left unrun is left out: no account runs after it either.
fn rivals_of(runs: &[AccountRun]) -> Vec<Rival> {
    (runs.iter())
        .filter_map(|run| match &run.result {
            Ok(Outcome::Written { report, .. } | Outcome::DryRun { report, .. }) => {
                Some(Rival::Reviewed(Arc::clone(report)))
            }
            Err(err) if stop::is_not_run(err) => None,
            Err(err) => {
                let reason = error::one_line(err);
                error::warn(format!(
                    "competitor @{}: {reason}; the accounts' reports show it as failed",
                    run.handle
                ));
                Some(Rival::Failed {
                    handle: run.handle.clone(),
                    reason,
                })
            }
        })
        .collect()
}

/// After all accounts of a run over several accounts, at least one of them with its report saved:
/// builds the overview from this run's reports (as written, not read back) and failures, merged
/// with the rows of every other account of that date on disk (another run's accounts on the same
/// folder keep theirs), under the reports folder's lock, and writes `overview_<date>.*` in the
/// forms of `--formats`, all or none, JSON last, returning them. `Ok(None)` when there is none to write (one account, `--dry-run`, no report saved). A failure
/// is 73 (75 when another run holds the lock) and touches no account's report.
pub async fn save_overview(
    config: &Config,
    runs: &[AccountRun],
) -> anyhow::Result<Option<WrittenOverview>> {
    let saved = (runs.iter()).any(|r| matches!(r.result, Ok(Outcome::Written { .. })));
    if config.dry_run || runs.len() < 2 || !saved {
        return Ok(None);
    }
    let date = config.window.end.date_naive();
    let dir = &config.reports_dir;
    let failed = |err: anyhow::Error| {
        let kind = match error::exit_code(&err) {
            75 => Kind::TempFail,
            _ => Kind::CannotWrite,
        };
        error::Failure::new(
            kind,
            format!(
                "saving the overview of {date}: {}; the accounts' reports are saved: fix the folder, then run `tiktok-review overview --date {date}`",
                error::one_line(&err)
            ),
        )
        .into()
    };
    let _lock = store::Lock::acquire(dir).await.map_err(failed)?;
    let build = || -> anyhow::Result<WrittenOverview> {
        let mut accounts = Vec::with_capacity(runs.len());
        for run in runs {
            accounts.push(match &run.result {
                Ok(Outcome::Written { report, .. }) => {
                    let saved = |ext: &str| config.outputs.iter().any(|o| o.extension() == ext);
                    store::saved_account(&run.handle, date, Arc::clone(report), saved)
                }
                Ok(Outcome::DryRun { .. }) => continue,
                Err(err) => overview::AccountResult::Failed {
                    handle: run.handle.clone(),
                    reason: error::one_line(err),
                    requests: run.usage.requests.into(),
                    credits_used: run.usage.credits_used,
                },
            });
        }
        let built = store::merge_overview(dir, date, config.now, accounts);
        let files: Vec<(&str, Vec<u8>)> = (config.outputs.iter())
            .map(|&output| (output.extension(), overview::to_bytes(&built, output)))
            .collect();
        let path = store::write_overview(dir, date, &files)?;
        Ok(WrittenOverview::of(path, files))
    };
    build().map(Some).map_err(failed)
}

/// The overview a run wrote: where its JSON is, and its files as written, for the delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenOverview {
    /// `overview_<date>.json`.
    pub(crate) path: PathBuf,
    /// The files written (a form not written is empty).
    pub(crate) files: deliver::OverviewFiles,
}

impl WrittenOverview {
    /// The overview written at `path` as `files`, `(extension, bytes)`.
    fn of(path: PathBuf, files: Vec<(&str, Vec<u8>)>) -> Self {
        let mut written = deliver::OverviewFiles {
            json: Vec::new(),
            markdown: String::new(),
            html: String::new(),
        };
        for (extension, bytes) in files {
            let text = || String::from_utf8_lossy(&bytes).into_owned();
            match extension {
                "md" => written.markdown = text(),
                "html" => written.html = text(),
                _ => written.json = bytes,
            }
        }
        Self {
            path,
            files: written,
        }
    }
}

/// Delivers the run's reports, as written, to every configured channel: called once every
/// account's files (and the overview) are written, never instead of them. Only what this run
/// wrote is sent: its accounts' reports, and the overview only when `overview` says this run
/// wrote it (never an earlier overview of the same date left on disk). Nothing is sent when
/// delivery is off (`--no-notify`, `--dry-run`), no channel is configured, or no report was
/// written.
pub async fn deliver(
    config: &Config,
    runs: &[AccountRun],
    overview: &anyhow::Result<Option<WrittenOverview>>,
) -> anyhow::Result<Vec<deliver::Outcome>> {
    let written: Vec<(&Handle, &Report)> = (runs.iter())
        .filter_map(|run| match &run.result {
            Ok(Outcome::Written { report, .. }) => Some((&run.handle, report.as_ref())),
            _ => None,
        })
        .collect();
    if !config.notify || config.channels.is_empty() || written.is_empty() {
        return Ok(Vec::new());
    }
    // This run's failures; not what an overview on disk records of other runs' accounts.
    let failures: Vec<deliver::FailedAccount> = (runs.iter())
        .filter_map(|run| {
            let err = run.result.as_ref().err()?;
            Some(deliver::FailedAccount {
                handle: run.handle.to_string(),
                reason: error::one_line(err),
            })
        })
        .collect();
    let texts = deliver::Texts {
        with_texts: config.channels.mails(),
        with_overview: matches!(overview, Ok(Some(_))),
        report_url: config.channels.report_url.as_ref(),
    };
    let overview = (overview.as_ref().ok().and_then(Option::as_ref)).map(|o| o.files.clone());
    let date = config.window.end.date_naive();
    let digest = deliver::written_digest(
        &config.reports_dir,
        date,
        &written,
        &config.outputs,
        texts,
        overview,
        failures,
    );
    Ok(deliver::deliver(&config.channels, &digest, deliver::retry_policy()).await)
}

/// Prints each competitor's saved report's line (`competitor @…`; a failed one was warned about
/// and changes no exit code), each account's outcome (summary or dry-run output on `out`, errors on
/// stderr, one line each), the overview's failure if it failed, the line of a run `stopped` (instead of a line for
/// each account it did not finish), for several accounts the totals line, then the delivery's
/// outcome (the channels delivered to on `out`, a line on stderr for each that failed); returns
/// the exit code of the run, the most severe of the accounts', the stop's, the overview's and the
/// channels' failures. A reader of `out` that went away ends the printing quietly; the code still
/// tells how the run went.
pub fn print_outcomes(
    config: &Config,
    reviews: &Reviews,
    stopped: Option<stop::Reason>,
    overview: &anyhow::Result<Option<WrittenOverview>>,
    delivery: &anyhow::Result<Vec<deliver::Outcome>>,
    out: &mut impl std::io::Write,
) -> anyhow::Result<u8> {
    let runs = reviews.accounts.as_slice();
    if let (true, Some((shard, named))) = (runs.is_empty(), config.shard) {
        let line = format!(
            "shard {shard} holds none of the {} named: nothing to do",
            fmt::plural(named as u64, "account")
        );
        if !config.quiet {
            error::to_stdout(writeln!(out, "{line}").and_then(|()| out.flush()))?;
        }
        return Ok(0);
    }
    let several = runs.len() > 1;
    let mut printed = Ok(());
    // A competitor's saved report, one line each; its failure was warned about, its dry run is
    // only compared with.
    for run in &reviews.rivals {
        if let Ok(Outcome::Written { summary, .. }) = &run.result
            && !config.quiet
        {
            printed = printed.and_then(|()| writeln!(out, "competitor {summary}"));
        }
    }
    for run in runs {
        match &run.result {
            Ok(Outcome::DryRun { output, .. }) => {
                printed = printed.and_then(|()| out.write_all(output))
            }
            Ok(Outcome::Written { summary, .. }) if !config.quiet => {
                printed = printed.and_then(|()| writeln!(out, "{summary}"));
            }
            Ok(Outcome::Written { .. }) => {}
            Err(err) if stop::is_not_run(err) => {}
            // One account: its line is the run's last, and names the command that fills the week.
            Err(err) if !several && stopped.is_none() => {
                let fill = left(config, runs, false).fill_command(&[&run.handle]);
                let err = anyhow::anyhow!("{}; to fill the week: `{fill}`", error::one_line(err));
                error::print(None, &err);
            }
            Err(err) => error::print(several.then_some(&run.handle), err),
        }
    }
    if let Err(err) = overview {
        error::print(None, err);
    }
    let no_overview = several && !matches!(overview, Ok(Some(_)));
    let stopped = stopped.map(|reason| stop::line(reason, &left(config, runs, no_overview)));
    if let Some(line) = &stopped {
        error::print(None, line);
    }
    if several && !config.quiet && !config.dry_run {
        printed = printed.and_then(|()| writeln!(out, "{}", totals_line(runs, &reviews.rivals)));
    }
    let delivered = match delivery {
        Ok(outcomes) => {
            // The failures print whatever became of stdout.
            let quiet = config.quiet || printed.is_err();
            printed = printed.and(deliver::print_outcomes(
                outcomes,
                quiet,
                &config.again().send(),
                out,
            ));
            deliver::exit_code(outcomes)
        }
        Err(err) => {
            error::print(None, err);
            Some(error::exit_code(err))
        }
    };
    if several && stopped.is_none() {
        fill_line(config, runs);
    }
    error::to_stdout(printed.and_then(|()| out.flush()))?;
    let failures = (runs.iter().filter_map(|r| r.result.as_ref().err()))
        .chain(&stopped)
        .chain(overview.as_ref().err());
    let codes = failures.map(error::exit_code).chain(delivered);
    Ok(error::most_severe(codes).unwrap_or(0))
}

/// What a run leaves: the reports it saved, the accounts to fill (every account without a report:
/// those it did not run, and those that failed), and whether the overview it owes is missing.
fn left<'a>(config: &'a Config, runs: &'a [AccountRun], no_overview: bool) -> stop::Left<'a> {
    stop::Left {
        saved: (runs.iter())
            .filter(|r| matches!(r.result, Ok(Outcome::Written { .. })))
            .count(),
        to_fill: (runs.iter())
            .filter(|r| r.result.is_err())
            .map(|r| &r.handle)
            .collect(),
        no_overview,
        reports_dir: &config.reports_dir,
        as_of: config.window.end,
        again: config.again(),
    }
}

/// The delivery of this run cut by a signal: [`stop::delivery_stopped`] with this run's date and
/// the flags its `send` repeats.
pub fn delivery_stopped(config: &Config, reason: stop::Reason) -> anyhow::Error {
    stop::delivery_stopped(
        reason,
        config.window.end.date_naive(),
        &config.again().send(),
    )
}

/// The last line of a run over several accounts that was not stopped and left some without a
/// report: how many, and the command that fills the week for them.
fn fill_line(config: &Config, runs: &[AccountRun]) {
    let left = left(config, runs, false);
    if left.to_fill.is_empty() {
        return;
    }
    let line = format!(
        "{} of {} accounts {} no report of the week ending {}: run `{}` to fill them",
        left.to_fill.len(),
        runs.len(),
        if left.to_fill.len() == 1 {
            "has"
        } else {
            "have"
        },
        stop::rfc3339(config.window.end),
        left.fill_command(&left.to_fill)
    );
    error::print(None, &anyhow::anyhow!(line));
}

/// The run's closing line over several accounts: reports written, failures, accounts a stop left
/// out (when any), the competitors (when any), requests and credits (the competitors' included).
pub(crate) fn totals_line(runs: &[AccountRun], rivals: &[AccountRun]) -> String {
    let errors = runs.iter().filter_map(|r| r.result.as_ref().err());
    let not_run = errors.clone().filter(|err| stop::is_not_run(err)).count();
    let failed = errors.count() - not_run;
    let not_run = match not_run {
        0 => String::new(),
        n => format!(", {n} not run"),
    };
    let competitors = match rivals.len() {
        0 => String::new(),
        n => {
            let failed = (rivals.iter())
                .filter(|r| r.result.as_ref().is_err_and(|e| !stop::is_not_run(e)))
                .count();
            format!(
                ", {} ({failed} failed)",
                fmt::plural(n as u64, "competitor")
            )
        }
    };
    let all = || runs.iter().chain(rivals);
    let requests: u64 = all().map(|r| u64::from(r.usage.requests)).sum();
    let credits: u64 = all().map(|r| r.usage.credits_used).sum();
    let left = all()
        .filter_map(|r| r.usage.credits_remaining)
        .min()
        .map(|n| format!(", {} left", fmt::group_thousands(n)))
        .unwrap_or_default();
    format!(
        "{} accounts: {} written, {failed} failed{not_run}{competitors}; {requests} requests, {credits} credits used{left}",
        runs.len(),
        fmt::plural(
            runs.iter().filter(|r| r.result.is_ok()).count() as u64,
            "report"
        ),
    )
}
