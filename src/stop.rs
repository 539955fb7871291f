//! Stopping a run before its end, and saying so on one line.
//!
//! A run stops on SIGTERM or SIGINT (what cron, systemd and Kubernetes send to end a job), and once
//! a write has failed because the reports folder is full or read-only (every later write would fail
//! too, each after spending its credits). A stopped run starts no further account and sends no
//! further request. A signal also abandons the fetches in flight, but never a write: an account
//! being written is finished, all or none, so that no temporary and no half-replaced report stays.
//! The accounts left unfinished are named once, with the command that fills them.
//!
//! This module owns the stop's state and its wording; `run` decides where work may be cut.

use std::future::Future;
use std::io::ErrorKind;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use tokio::sync::watch;

use crate::error::{self, Failure, Kind};
use crate::handle::Handle;
use crate::report::fmt::plural;

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// SIGTERM arrived.
    Terminate,
    /// SIGINT arrived (Ctrl-C).
    Interrupt,
    /// A write failed for lack of space (on the disk or in the quota).
    Full,
    /// A write failed because the reports folder is read-only.
    ReadOnly,
}

impl Reason {
    /// The stop a failed write calls for: its I/O error says the folder is full or read-only.
    pub(crate) fn of_write(err: &anyhow::Error) -> Option<Self> {
        match error::io_kind(err)? {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(Reason::Full),
            ErrorKind::ReadOnlyFilesystem => Some(Reason::ReadOnly),
            _ => None,
        }
    }

    fn is_signal(self) -> bool {
        matches!(self, Reason::Terminate | Reason::Interrupt)
    }

    /// 75 for a signal (a later run does the rest), 73 for the folder (it needs fixing first).
    fn kind(self) -> Kind {
        match self {
            Reason::Terminate | Reason::Interrupt => Kind::TempFail,
            Reason::Full | Reason::ReadOnly => Kind::CannotWrite,
        }
    }

    /// `stopped by SIGTERM`, `stopped: the reports folder is full`.
    fn stopped(self) -> &'static str {
        match self {
            Reason::Terminate => "stopped by SIGTERM",
            Reason::Interrupt => "stopped by SIGINT",
            Reason::Full => "stopped: the reports folder is full",
            Reason::ReadOnly => "stopped: the reports folder is read-only",
        }
    }
}

/// What has stopped the run so far: the first reason, and whether a signal came.
#[derive(Debug, Clone, Copy, Default)]
struct State {
    first: Option<Reason>,
    signalled: bool,
}

/// A run's stop, shared by its accounts and its client; cloning it shares it.
#[derive(Debug, Clone)]
pub struct Stop(Arc<watch::Sender<State>>);

impl Default for Stop {
    fn default() -> Self {
        Self(Arc::new(watch::Sender::new(State::default())))
    }
}

impl Stop {
    /// A stop that SIGTERM and SIGINT set from now on, instead of ending the process. Called
    /// within the runtime. Signals that cannot be caught keep ending the process, with a warning.
    pub fn on_signals() -> Self {
        let stop = Self::default();
        match signals() {
            Ok(caught) => {
                let stop = stop.clone();
                tokio::spawn(async move { stop.set(caught.await) });
            }
            Err(e) => error::warn(format!(
                "cannot catch SIGTERM and SIGINT ({e}): a signal will end the run at once and may leave temporary files, which the account's next run removes"
            )),
        }
        stop
    }

    /// Stops the run for `reason` (the first reason stays the one reported).
    pub(crate) fn set(&self, reason: Reason) {
        self.0.send_modify(|state| {
            state.first.get_or_insert(reason);
            state.signalled |= reason.is_signal();
        });
    }

    /// Stops the run when `result` is a write refused for lack of space or a read-only folder.
    pub(crate) fn after<T>(&self, result: &anyhow::Result<T>) {
        if let Some(reason) = result.as_ref().err().and_then(Reason::of_write) {
            self.set(reason);
        }
    }

    /// Why the run stopped, if it did.
    pub fn reason(&self) -> Option<Reason> {
        self.0.borrow().first
    }

    /// `Err` ([`NotRun`]) once the run has stopped: the work about to start must not.
    pub(crate) fn check(&self) -> anyhow::Result<()> {
        self.reason().map_or(Ok(()), |reason| Err(not_run(reason)))
    }

    /// Runs `work` unless a signal comes first; then `work` is dropped where it waits (a request in
    /// flight is abandoned) and the answer is `stopped` of the run's reason.
    pub async fn unless_signalled<T>(
        &self,
        work: impl Future<Output = anyhow::Result<T>>,
        stopped: impl FnOnce(Reason) -> anyhow::Error,
    ) -> anyhow::Result<T> {
        let mut state = self.0.subscribe();
        let signalled = async { state.wait_for(|s| s.signalled).await.map(|s| s.first) };
        tokio::select! {
            biased;
            // The sender lives as long as `self`, so waiting ends only with a signal.
            Ok(first) = signalled => Err(stopped(first.unwrap_or(Reason::Terminate))),
            result = work => result,
        }
    }
}

/// SIGTERM or SIGINT, whichever comes first, once they are caught.
#[cfg(unix)]
fn signals() -> std::io::Result<impl Future<Output = Reason>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => Reason::Terminate,
            _ = interrupt.recv() => Reason::Interrupt,
        }
    })
}

#[cfg(not(unix))]
fn signals() -> std::io::Result<impl Future<Output = Reason>> {
    Ok(async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Reason::Interrupt,
            Err(_) => std::future::pending().await,
        }
    })
}

/// An account the run did not finish because it stopped: named on the run's stop line, never on
/// a line of its own. Its exit code is the stop's.
#[derive(Debug, thiserror::Error)]
#[error("not run")]
pub(crate) struct NotRun(#[source] Failure);

/// The error of an account cut by the stop for `reason`.
pub(crate) fn not_run(reason: Reason) -> anyhow::Error {
    NotRun(Failure::new(reason.kind(), reason.stopped())).into()
}

/// Whether `err` is an account the stop cut (see [`NotRun`]).
pub(crate) fn is_not_run(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.is::<NotRun>())
}

/// The delivery cut by a signal (75): the reports are saved; a message may have gone out.
/// `send_flags` are the flags `send` repeats (the reports folder and the env file).
pub fn delivery_stopped(reason: Reason, date: NaiveDate, send_flags: &str) -> anyhow::Error {
    Failure::new(
        Kind::TempFail,
        format!(
            "delivery {}: the reports are saved, and a channel may have had its message already; look in each, then send to one that did not get it with `tiktok-review send --date {date} --channel <name>{send_flags}`",
            reason.stopped()
        ),
    )
    .into()
}

/// What a stopped run leaves behind, for its one line.
#[derive(Debug)]
pub(crate) struct Left<'a> {
    /// Reports the run wrote before it stopped.
    pub(crate) saved: usize,
    /// The run was over several accounts and did not write their overview.
    pub(crate) no_overview: bool,
    /// The accounts a rerun must fill: those not run, and those whose write the folder refused.
    pub(crate) to_fill: Vec<&'a Handle>,
    /// The run's reports folder.
    pub(crate) reports_dir: &'a Path,
    /// The run's window end (its `--as-of`), kept to the nanosecond so a rerun reads the same week.
    pub(crate) as_of: DateTime<Utc>,
    /// The flags of the run that a command following it repeats.
    pub(crate) again: Again,
}

/// The flags of a run that a command following it repeats, so that it reads the same folder,
/// env file and competitors: each with a space before it, empty when the run did not need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Again {
    /// ` --reports-dir DIR` when the folder is not the default one.
    pub(crate) folder: String,
    /// ` --env-file PATH` when one was given.
    pub(crate) env_file: String,
    /// The flags that shape the review, each when it is not the default: ` --compare a,b`,
    /// `--tz`, `--industry`, `--history-weeks`, `--formats`, `--no-profile`.
    pub(crate) review: String,
}

impl Again {
    /// What `run` repeats after `--as-of`: what shapes the review, the folder and the env file.
    pub(crate) fn run(&self) -> String {
        format!("{}{}{}", self.review, self.folder, self.env_file)
    }

    /// What `send` repeats: the folder and the env file (which holds the channels).
    pub(crate) fn send(&self) -> String {
        format!("{}{}", self.folder, self.env_file)
    }
}

impl Left<'_> {
    /// The command that fills the week for `handles`: `tiktok-review run --user a,b --as-of <end>`
    /// and the flags the run's [`Again::run`] repeats.
    pub(crate) fn fill_command(&self, handles: &[&Handle]) -> String {
        let users: Vec<&str> = handles.iter().map(|h| h.as_str()).collect();
        format!(
            "tiktok-review run --user {} --as-of {}{}",
            users.join(","),
            rfc3339(self.as_of),
            self.again.run()
        )
    }
}

/// `time` in RFC 3339, UTC, with as many fractional digits as it has (none for whole seconds).
pub(crate) fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The stopped run's one line: why it stopped, what it kept, what it did not do, and the command
/// that fills the rest. Its exit code is the stop's.
pub(crate) fn line(reason: Reason, left: &Left) -> anyhow::Error {
    let saved = match left.saved {
        0 => "no report saved".to_string(),
        n => format!("{} saved", plural(n as u64, "report")),
    };
    let folder = left.reports_dir.display();
    let date = left.as_of.date_naive();
    let fill = match left.to_fill.as_slice() {
        [] if left.no_overview => format!(
            "run `tiktok-review overview --date {date}{}` and `tiktok-review send --date {date}{}` if you use them",
            left.again.folder,
            left.again.send()
        ),
        [] => format!(
            "run `tiktok-review send --date {date}{}` if you use it",
            left.again.send()
        ),
        handles => format!("run `{}` to fill them", left.fill_command(handles)),
    };
    let names: Vec<String> = left.to_fill.iter().map(|h| format!("@{h}")).collect();
    let missing = match names.is_empty() {
        true => String::new(),
        false => format!("; not written: {}", names.join(", ")),
    };
    let skipped = match left.no_overview {
        true => "no overview written, nothing delivered",
        false => "nothing delivered",
    };
    let message = match reason {
        Reason::Terminate | Reason::Interrupt => format!(
            "{} with {saved}{missing}; {skipped}: {fill}",
            reason.stopped()
        ),
        Reason::Full => format!(
            "the reports folder {folder} is full: the run stopped with {saved}{missing}; free space, then {fill}"
        ),
        Reason::ReadOnly => format!(
            "the reports folder {folder} is read-only: the run stopped with {saved}{missing}; make it writable, then {fill}"
        ),
    };
    Failure::new(reason.kind(), message).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handles(names: &[&str]) -> Vec<Handle> {
        names.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn a_signal_line_names_what_was_kept_and_the_command_that_fills_the_rest() {
        let rest = handles(&["bbbb", "cccc"]);
        let left = Left {
            saved: 1,
            no_overview: true,
            to_fill: rest.iter().collect(),
            reports_dir: Path::new("tiktok_reports"),
            as_of: "2026-11-15T20:00:00.25Z".parse().unwrap(),
            again: Again::default(),
        };
        let err = line(Reason::Terminate, &left);
        assert_eq!(error::exit_code(&err), 75);
        assert_eq!(
            error::one_line(&err),
            "stopped by SIGTERM with 1 report saved; not written: @bbbb, @cccc; no overview written, nothing delivered: run `tiktok-review run --user bbbb,cccc --as-of 2026-11-15T20:00:00.250Z` to fill them"
        );
    }

    #[test]
    fn a_signal_after_the_last_account_says_what_was_skipped() {
        let left = |no_overview| Left {
            saved: 1,
            no_overview,
            to_fill: Vec::new(),
            reports_dir: Path::new("tiktok_reports"),
            as_of: "2026-11-15T20:00:00Z".parse().unwrap(),
            again: Again {
                folder: " --reports-dir /srv/reports".into(),
                ..Again::default()
            },
        };
        assert_eq!(
            error::one_line(&line(Reason::Interrupt, &left(false))),
            "stopped by SIGINT with 1 report saved; nothing delivered: run `tiktok-review send --date 2026-11-15 --reports-dir /srv/reports` if you use it"
        );
        assert_eq!(
            error::one_line(&line(Reason::Terminate, &left(true))),
            "stopped by SIGTERM with 1 report saved; no overview written, nothing delivered: run `tiktok-review overview --date 2026-11-15 --reports-dir /srv/reports` and `tiktok-review send --date 2026-11-15 --reports-dir /srv/reports` if you use them"
        );
    }

    #[test]
    fn a_full_folder_says_to_free_space_and_exits_73() {
        let rest = handles(&["aaaa"]);
        let left = Left {
            saved: 0,
            no_overview: false,
            to_fill: rest.iter().collect(),
            reports_dir: Path::new("/srv/reports"),
            as_of: "2026-11-15T20:00:00Z".parse().unwrap(),
            again: Again {
                folder: " --reports-dir /srv/reports".into(),
                ..Again::default()
            },
        };
        let err = line(Reason::Full, &left);
        assert_eq!(error::exit_code(&err), 73);
        assert_eq!(
            error::one_line(&err),
            "the reports folder /srv/reports is full: the run stopped with no report saved; not written: @aaaa; free space, then run `tiktok-review run --user aaaa --as-of 2026-11-15T20:00:00Z --reports-dir /srv/reports` to fill them"
        );
    }

    #[test]
    fn only_space_quota_and_read_only_errors_stop_a_run() {
        let write = |errno| {
            let cause = std::io::Error::from_raw_os_error(errno);
            anyhow::Error::from(Failure::new(Kind::CannotWrite, "writing x").caused_by(&cause))
        };
        assert_eq!(Reason::of_write(&write(libc::ENOSPC)), Some(Reason::Full));
        assert_eq!(Reason::of_write(&write(libc::EDQUOT)), Some(Reason::Full));
        assert_eq!(
            Reason::of_write(&write(libc::EROFS)),
            Some(Reason::ReadOnly)
        );
        assert_eq!(Reason::of_write(&write(libc::EACCES)), None);
        assert!(!is_not_run(&write(libc::ENOSPC)));
        assert!(is_not_run(&not_run(Reason::Full)));
        assert_eq!(error::exit_code(&not_run(Reason::Interrupt)), 75);
    }

    #[tokio::test]
    async fn a_signal_cuts_the_work_in_flight_and_every_later_start() {
        let stop = Stop::default();
        stop.check().unwrap();
        stop.set(Reason::Full);
        assert!(is_not_run(&stop.check().unwrap_err()));
        let done = stop.unless_signalled(async { Ok(1) }, not_run).await;
        assert_eq!(
            done.unwrap(),
            1,
            "a full folder does not cut work in flight"
        );
        let cut = stop.unless_signalled(std::future::pending::<anyhow::Result<()>>(), not_run);
        stop.set(Reason::Terminate);
        let err = cut.await.unwrap_err();
        assert_eq!(error::exit_code(&err), 73, "the first reason is reported");
    }
}
