//! `tiktok-review overview`: rebuilds the overview of a date from the saved reports (and the
//! `failed` rows of the saved overview), under the reports folder's lock, writes it all or none,
//! and prints one line. It reads
//! local files only: no request, no credit.

use std::path::Path;

use anyhow::Context;

use crate::cli::{AccountArgs, Output, OverviewArgs};
use crate::config::Local;
use crate::error::{Failure, Kind};
use crate::report::fmt::plural;
use crate::report::overview;
use crate::stop::Stop;
use crate::store;

/// The flags `config::Local` resolves the reports folder from (`--reports-dir`, else
/// `TIKTOK_REVIEW_REPORTS_DIR`, else the default), as for `history` and `cron`.
pub fn accounts(args: &OverviewArgs) -> AccountArgs {
    AccountArgs {
        user: Vec::new(),
        reports_dir: args.reports_dir.clone(),
    }
}

/// `tiktok-review overview`: the overview of `--date` (default: the latest date of any account's
/// report) in `local.reports_dir`, rebuilt and written as JSON, Markdown and HTML; returns the
/// line to print.
pub fn run(args: &OverviewArgs, local: &Local) -> anyhow::Result<String> {
    let dir = local.reports_dir.as_path();
    let date = match args.date {
        Some(date) => date,
        None => store::latest_report_date(dir).ok_or_else(|| no_reports(dir))?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // SIGTERM or SIGINT waits for the write, all or none, rather than cutting it between renames.
    let stop = runtime.block_on(async { Stop::on_signals() });
    // One writer of the folder's overview at a time: a run merging its rows, or this rebuild.
    let _lock = runtime.block_on(store::Lock::acquire(dir))?;
    let built = store::load_overview(dir, date)?;
    let files: Vec<(&str, Vec<u8>)> = (Output::ALL.into_iter())
        .map(|output| (output.extension(), overview::to_bytes(&built, output)))
        .collect();
    let path = store::write_overview(dir, date, &files)
        .with_context(|| format!("saving the overview of {date}"))?;
    // Lets the signal watcher see a signal that came meanwhile (the driver runs while it sleeps).
    runtime.block_on(async { tokio::time::sleep(std::time::Duration::from_millis(5)).await });
    if stop.reason().is_some() {
        crate::error::warn(format!(
            "a signal came while the overview of {date} was written: it was finished first, whole"
        ));
    }
    let t = &built.totals;
    Ok(format!(
        "overview of {date}: {}, {} failed; {}\n",
        plural(t.accounts, "account"),
        t.failed,
        path.with_extension("html").display()
    ))
}

fn no_reports(dir: &Path) -> anyhow::Error {
    Failure::new(
        Kind::Usage,
        format!(
            "no saved reports in {}: pass --reports-dir with the folder `run` writes to",
            dir.display()
        ),
    )
    .into()
}
