//! One run: each account goes lock → fetch → analyse → report → write, concurrently within the
//! plan's limit of requests in flight; then, over several accounts, the overview is built from the
//! saved reports and written; then the saved reports are delivered, and the outcomes are printed
//! as cron wants them.
//!
//! The sequencing lives here; every stage it calls lives in its own module.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use tracing::Instrument;

use crate::analysis::metrics;
use crate::config::Config;
use crate::deliver;
use crate::error::{self, Kind};
use crate::handle::Handle;
use crate::logging;
use crate::model::{Account, ApiUsage};
use crate::report::{self, fmt, overview, render};
use crate::scavio::{self, Client, Feed, Scavio};
use crate::store;

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
        /// The report in the form `--dry-run-format` asked for.
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
    let stamp = config.now.format("%Y%m%dT%H%M%SZ").to_string();
    let scavio =
        Scavio::new(&config.api, config.concurrency)?.save_raw(config.save_raw.clone(), stamp);
    let progress = logging::Progress::new(config.progress, config.accounts.len());
    let reviews = config.accounts.iter().map(|handle| {
        let (scavio, progress) = (&scavio, &progress);
        async move {
            progress.fetching(handle);
            let mut client = scavio.client(handle);
            let result = review(config, &mut client, handle).await;
            if result.is_err() {
                client.retry_log().iter().for_each(error::warn);
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
    let runs = futures_util::future::join_all(reviews).await;
    drop(progress);
    Ok(runs)
}

/// One account: lock → profile (or cached id) → posts → earlier reports → compute → write.
async fn review(config: &Config, client: &mut Client, handle: &Handle) -> anyhow::Result<Outcome> {
    let dir = store::user_dir(&config.reports_dir, handle);
    let _lock = match config.dry_run {
        true => None,
        false => Some(store::Lock::acquire(&dir).await?),
    };
    let fetched = fetch(config, client, &dir).await?;
    let (account, posts) = (&fetched.account, &fetched.feed.posts);
    let mut fetch_notes = data_notes(handle, &fetched.feed, config)?;
    for note in &fetched.profile_notes {
        error::warn(format!("@{handle}: {note}"));
    }
    fetch_notes.extend(fetched.profile_notes.iter().cloned());

    let date = config.window.end.date_naive();
    let weeks = config.history_weeks.max(report::TREND_WEEKS - 1);
    let since = date - chrono::Days::new(7 * u64::from(weeks));
    let earlier = store::load_earlier(&dir, handle, &config.window, since);
    let report = report::build(report::Inputs {
        user: handle,
        generated_at: config.now,
        window: config.window,
        account,
        posts,
        fetch_notes: &fetch_notes,
        previous: earlier.previous.as_ref(),
        history: &earlier.history,
        history_weeks: config.history_weeks,
        tz: config.tz,
        industry: config.industry,
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
    // Writing flushes every file to disk: off the runtime's one thread, so that the other
    // accounts' requests go on meanwhile.
    let written = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || store::write_report(&dir, date, &files)).await
    };
    let path = written
        .map_err(|e| anyhow::anyhow!("the writer stopped: {e}"))
        .and_then(|written| written)
        .with_context(|| format!("saving the report of @{handle}"))?;
    if fetched.from_profile
        && let Err(err) = store::cache_sec_uid(&dir, &fetched.sec_uid)
    {
        error::warn(format!(
            "@{handle}: could not cache the account id: {}",
            error::one_line(&err)
        ));
    }
    let summary = report.summary_line(&path.display().to_string());
    Ok(Outcome::Written { path, summary })
}

/// What one account's fetch brought.
struct Fetched {
    /// Profile figures (all `None` when the cached id spared the profile request).
    account: Account,
    /// The id the feed was read with.
    sec_uid: String,
    /// The id came from the profile just now (and is worth caching).
    from_profile: bool,
    /// The posts.
    feed: Feed,
    /// Notes on profile figures that could not be read.
    profile_notes: Vec<String>,
}

/// The profile (or the cached `sec_uid`) and the posts of the week. A cached id that leads to
/// another account's posts, or that the API no longer knows, is dropped and the profile asked once.
async fn fetch(config: &Config, client: &mut Client, dir: &Path) -> anyhow::Result<Fetched> {
    let handle = client.handle().clone();
    let cached = (!config.fetch_profile)
        .then(|| store::cached_sec_uid(dir))
        .flatten();
    if let Some(sec_uid) = cached {
        let why = match client.posts(&sec_uid, &config.window, None).await {
            Ok(feed)
                if feed.foreign_author.is_none()
                    && feed.posts.is_empty()
                    && feed.unreadable_records == 0 =>
            {
                // Without the profile an empty feed could be a private or stale account: only
                // the profile's post count can tell it from a truly empty one.
                "brought an empty feed".to_string()
            }
            Ok(feed) => match &feed.foreign_author {
                None => {
                    return Ok(Fetched {
                        account: Account::default(),
                        sec_uid,
                        from_profile: false,
                        feed,
                        profile_notes: Vec::new(),
                    });
                }
                Some(other) => format!("leads to posts of @{other}"),
            },
            Err(err) if error::exit_code(&err) == Kind::UserNotFound.exit_code() => {
                "is not known to Scavio any more".to_string()
            }
            Err(err) => return Err(err),
        };
        error::warn(format!(
            "@{handle}: the cached account id {why}; asking the profile again"
        ));
        if !config.dry_run {
            store::forget_sec_uid(dir);
        }
    }
    let profile = client.profile().await?;
    let feed = client
        .posts(
            &profile.sec_uid,
            &config.window,
            profile.account.videos_total,
        )
        .await?;
    if let Some(other) = &feed.foreign_author {
        return Err(error::Failure::new(
            Kind::BadResponse,
            format!("Scavio answered @{handle}'s feed with posts of @{other}; no report written: try again later"),
        )
        .into());
    }
    Ok(Fetched {
        account: profile.account,
        sec_uid: profile.sec_uid,
        from_profile: true,
        feed,
        profile_notes: profile.notes,
    })
}

/// The week's data-quality notes from the fetch, each warned about once on stderr; exit 65 when
/// no post of the week came with readable statistics.
fn data_notes(handle: &Handle, feed: &Feed, config: &Config) -> anyhow::Result<Vec<String>> {
    let week = metrics::posts_in_window(&feed.posts, &config.window);
    let unmeasured = week.iter().filter(|p| !p.has_statistics).count();
    if unmeasured > 0 && unmeasured == week.len() {
        return Err(error::Failure::new(
            Kind::BadResponse,
            format!(
                "none of the {unmeasured} posts of @{handle}'s week came with readable statistics; no report written: {}",
                scavio::raw_hint(config.save_raw.as_deref())
            ),
        )
        .into());
    }
    if unmeasured > 0 {
        error::warn(format!(
            "@{handle}: {} of the week came without readable statistics, left out of averages, rankings and insights (see data_quality)",
            fmt::plural(unmeasured as u64, "post")
        ));
    }
    // The week's posts by id: whether each came with statistics.
    let measured: HashMap<&str, bool> = (week.iter())
        .map(|p| (p.id.as_str(), p.has_statistics))
        .collect();
    let mut notes: Vec<String> = Vec::new();
    let mut odd: HashSet<&str> = HashSet::new();
    for note in &feed.notes {
        let Some(&has_statistics) = measured.get(note.post_id.as_str()) else {
            continue;
        };
        if has_statistics {
            odd.insert(note.post_id.as_str());
        }
        if !notes.contains(&note.note) {
            notes.push(note.note.clone());
        }
    }
    if !odd.is_empty() {
        error::warn(format!(
            "@{handle}: {} of the week {} figures that look wrong (see data_quality)",
            fmt::plural(odd.len() as u64, "post"),
            if odd.len() == 1 { "has" } else { "have" }
        ));
    }
    if feed.unreadable_records > 0 {
        let n = feed.unreadable_records;
        let note = format!(
            "{} of the feed could not be read (no numeric aweme_id or usable create_time) and {} left out",
            fmt::plural(n as u64, "record"),
            if n == 1 { "was" } else { "were" }
        );
        error::warn(format!("@{handle}: {note}"));
        notes.push(note);
    }
    Ok(notes)
}

/// After all accounts of a run over several accounts, at least one of them with its report saved:
/// builds the overview from this run's saved reports (read back from disk, as `tiktok-review
/// overview` reads them) and failures, merged with the rows of every other account of that date
/// on disk (another run's accounts on the same folder keep theirs), under the reports folder's
/// lock, and writes `overview_<date>.*` in the forms of `--formats`, all or none, JSON last.
/// `Ok(None)` when there is none to write (one account, `--dry-run`, no report saved). A failure
/// is 73 (75 when another run holds the lock) and touches no account's report.
pub async fn save_overview(
    config: &Config,
    runs: &[AccountRun],
) -> anyhow::Result<Option<PathBuf>> {
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
    let build = || -> anyhow::Result<PathBuf> {
        let mut accounts = Vec::with_capacity(runs.len());
        for run in runs {
            accounts.push(match &run.result {
                Ok(_) => store::load_account(dir, &run.handle, date)?.with_context(|| {
                    format!(
                        "the report of @{} is not in {} any more",
                        run.handle,
                        dir.display()
                    )
                })?,
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
        store::write_overview(dir, date, &files)
    };
    build().map(Some).map_err(failed)
}

/// Delivers the run's reports, read back from disk, to every configured channel: called once every
/// account's files (and the overview) are written, never instead of them. Only what this run
/// wrote is sent: its accounts' reports, and the overview only when `overview` says this run
/// wrote it (never an earlier overview of the same date left on disk). Nothing is sent when
/// delivery is off (`--no-notify`, `--dry-run`), no channel is configured, or no report was
/// written; an error only when the saved reports cannot be read back.
pub async fn deliver(
    config: &Config,
    runs: &[AccountRun],
    overview: &anyhow::Result<Option<PathBuf>>,
) -> anyhow::Result<Vec<deliver::Outcome>> {
    let written: Vec<Handle> = (runs.iter())
        .filter(|run| matches!(run.result, Ok(Outcome::Written { .. })))
        .map(|run| run.handle.clone())
        .collect();
    if !config.notify || config.channels.is_empty() || written.is_empty() {
        return Ok(Vec::new());
    }
    let date = config.window.end.date_naive();
    let mut digest = deliver::load_digest(
        &config.reports_dir,
        date,
        Some(&written),
        config.channels.mail.is_some(),
        matches!(overview, Ok(Some(_))),
    )
    .context("reading the saved reports back for delivery")?;
    // This run's failures, and its reports that could not be read back; not what an overview on
    // disk records of other runs' accounts.
    let failures: Vec<deliver::FailedAccount> = (runs.iter())
        .filter_map(|run| {
            let err = run.result.as_ref().err()?;
            Some(deliver::FailedAccount {
                handle: run.handle.to_string(),
                reason: error::one_line(err),
            })
        })
        .collect();
    digest
        .failed
        .retain(|f| written.iter().any(|h| h.as_str() == f.handle));
    digest.failed.extend(failures);
    Ok(deliver::deliver(&config.channels, &digest, deliver::retry_policy()).await)
}

/// Prints each account's outcome (summary or dry-run output on `out`, errors on stderr, one line
/// each), the overview's failure if it failed, for several accounts the totals line, then the
/// delivery's outcome (the channels delivered to on `out`, a line on stderr for each that failed);
/// returns the exit code of the run, the most severe of the accounts', the overview's and the
/// channels' failures. A reader of `out` that went away ends the printing quietly; the code still
/// tells how the run went.
pub fn print_outcomes(
    config: &Config,
    runs: &[AccountRun],
    overview: &anyhow::Result<Option<PathBuf>>,
    delivery: &anyhow::Result<Vec<deliver::Outcome>>,
    out: &mut impl std::io::Write,
) -> anyhow::Result<u8> {
    let several = runs.len() > 1;
    let mut printed = Ok(());
    for run in runs {
        match &run.result {
            Ok(Outcome::DryRun { output }) => {
                printed = printed.and_then(|()| out.write_all(output))
            }
            Ok(Outcome::Written { summary, .. }) if !config.quiet => {
                printed = printed.and_then(|()| writeln!(out, "{summary}"));
            }
            Ok(Outcome::Written { .. }) => {}
            Err(err) => error::print(several.then_some(&run.handle), err),
        }
    }
    if let Err(err) = overview {
        error::print(None, err);
    }
    if several && !config.quiet && !config.dry_run {
        printed = printed.and_then(|()| writeln!(out, "{}", totals_line(runs)));
    }
    let delivered = match delivery {
        Ok(outcomes) => {
            // The failures print whatever became of stdout.
            let quiet = config.quiet || printed.is_err();
            printed = printed.and(deliver::print_outcomes(outcomes, quiet, out));
            deliver::exit_code(outcomes)
        }
        Err(err) => {
            error::print(None, err);
            Some(error::exit_code(err))
        }
    };
    error::to_stdout(printed.and_then(|()| out.flush()))?;
    let failures =
        (runs.iter().filter_map(|r| r.result.as_ref().err())).chain(overview.as_ref().err());
    let codes = failures.map(error::exit_code).chain(delivered);
    Ok(error::most_severe(codes).unwrap_or(0))
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
        .map(|n| format!(", {} left", fmt::group_thousands(n)))
        .unwrap_or_default();
    format!(
        "{} accounts: {} reports written, {failed} failed; {requests} requests, {credits} credits used{left}",
        runs.len(),
        runs.len() - failed,
    )
}
