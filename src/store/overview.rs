//! The overview files of a date, `<reports-dir>/overview_<date>.{json,md,html}`: which accounts
//! hold a report of a date, each one's saved report read back, the existing
//! overview read back (the only record of the accounts that failed), the merge of those with what
//! a run just did, and the write, all or none with the JSON last. Reports are only ever read here.
//!
//! The rows of a date are the union of the saved overview's accounts and every account folder
//! holding a report of that date: two runs with different accounts on one folder both keep their
//! rows, and an account skipped while its report could not be read is back once it can.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};

use super::read::{account_dir, account_dirs, is_regular_file, latest_readable_date};
use super::write::{FORMS, write_all_or_none};
use super::{read_capped, report_file_name};
use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::report::overview::{self, AccountResult, Overview};
use crate::report::{Report, Role};

/// `overview_2026-11-29.json` (or `.md`, `.html`) for that date.
pub(crate) fn overview_file_name(date: NaiveDate, extension: &str) -> String {
    format!("overview_{}.{extension}", date.format("%Y-%m-%d"))
}

/// The account folders of `reports_dir` (each named as its handle, none a symbolic link) that hold
/// something named as the report of `date`, by handle: whoever reads it says when it is not a
/// report (a folder, a link, a FIFO, garbage) rather than the account passing unnoticed. A
/// competitor's report (`"role": "competitor"`, `run --compare`) is no account's: left out.
pub(crate) fn accounts_with_report(reports_dir: &Path, date: NaiveDate) -> Vec<Handle> {
    let json = report_file_name(date, "json");
    account_dirs(reports_dir)
        .into_iter()
        .filter(|(_, dir)| std::fs::symlink_metadata(dir.join(&json)).is_ok())
        .filter(|(_, dir)| !is_competitor_report(&dir.join(&json)))
        .map(|(handle, _)| handle)
        .collect()
}

/// Whether the file at `path` reads as a competitor's report; `false` for anything else (an
/// account's report, or a file whose reader will say why it is none).
fn is_competitor_report(path: &Path) -> bool {
    #[derive(serde::Deserialize)]
    struct Marked {
        #[serde(default)]
        role: Role,
    }
    (read_capped(path).ok())
        .and_then(|bytes| serde_json::from_slice::<Marked>(&bytes).ok())
        .is_some_and(|marked| marked.role == Role::Competitor)
}

/// The newest date of a report that reads as one, in any account folder of `reports_dir`; `None`
/// without any.
pub(crate) fn latest_report_date(reports_dir: &Path) -> Option<NaiveDate> {
    latest_readable_date(reports_dir, None, |handle, path| {
        super::read_report(path, handle)
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    })
}

/// `handle`'s saved report of `date` as a row of the overview: its figures and the readable form
/// to link (the HTML, else the Markdown, else the JSON). `None` when it has no report of that
/// date (or its folder is a symbolic link, with a warning); an error saying why when the report
/// cannot be read.
pub(crate) fn load_account(
    reports_dir: &Path,
    handle: &Handle,
    date: NaiveDate,
) -> anyhow::Result<Option<AccountResult>> {
    let Some(dir) = account_dir(reports_dir, handle) else {
        return Ok(None);
    };
    let path = dir.join(report_file_name(date, "json"));
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let report =
        super::read_report(&path, handle).with_context(|| format!("reading {}", path.display()))?;
    let on_disk = |ext: &str| is_regular_file(&dir.join(report_file_name(date, ext)));
    Ok(Some(saved_account(handle, date, Arc::new(report), on_disk)))
}

/// `handle`'s `report` of `date` as a row of the overview, linking the readable form of those
/// `saved` says are saved: the HTML, else the Markdown, else the JSON.
pub(crate) fn saved_account(
    handle: &Handle,
    date: NaiveDate,
    report: Arc<Report>,
    saved: impl Fn(&str) -> bool,
) -> AccountResult {
    let form = ["html", "md", "json"]
        .into_iter()
        .find(|ext| saved(ext))
        .unwrap_or("json");
    AccountResult::Saved {
        handle: handle.clone(),
        report,
        report_file: format!("{handle}/{}", report_file_name(date, form)),
    }
}

/// The overview of `date` saved in `reports_dir`, `None` when there is none; an error saying why
/// when the file cannot be read as one.
pub(crate) fn read_overview(
    reports_dir: &Path,
    date: NaiveDate,
) -> anyhow::Result<Option<Overview>> {
    let path = reports_dir.join(overview_file_name(date, "json"));
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let read = || -> anyhow::Result<Overview> {
        let bytes = read_capped(&path)?;
        let saved = overview::read(&bytes).context("it is not an overview")?;
        anyhow::ensure!(
            saved.schema_version == overview::SCHEMA_VERSION,
            "schema_version {} is not one this version reads ({})",
            saved.schema_version,
            overview::SCHEMA_VERSION
        );
        anyhow::ensure!(saved.date == date, "it is the overview of {}", saved.date);
        Ok(saved)
    };
    read()
        .with_context(|| format!("reading {}", path.display()))
        .map(Some)
}

/// The saved overview of `date`, or `None` with a warning when it cannot be read.
fn existing_overview(reports_dir: &Path, date: NaiveDate) -> Option<Overview> {
    read_overview(reports_dir, date).unwrap_or_else(|e| {
        warn(format!(
            "not reading the earlier overview: {e:#}; rebuilding it from the reports alone"
        ));
        None
    })
}

/// Rebuilds the overview of `date` from what is on disk, without a request (see the module doc
/// for its rows): each account from its saved report, or from the `failed` row of the saved
/// overview when it has no newer report since. Its `generated_at` is the saved overview's, else
/// the newest report's, so that a rebuild gives the bytes the run wrote. A report or overview that
/// cannot be read is skipped with a warning and left as it is; with no account at all, a usage
/// error (64).
pub(crate) fn load_overview(reports_dir: &Path, date: NaiveDate) -> anyhow::Result<Overview> {
    let existing = existing_overview(reports_dir, date);
    let accounts = merge(reports_dir, date, existing.as_ref(), Vec::new());
    let newest_report = (accounts.iter())
        .filter_map(|a| match a {
            AccountResult::Saved { report, .. } => Some(report.generated_at),
            AccountResult::Failed { .. } => None,
        })
        .max();
    let Some(generated_at) = existing.map(|o| o.generated_at).or(newest_report) else {
        return Err(Failure::new(
            Kind::Usage,
            format!(
                "no account in {} has a report of {date}; pass --date with a date that has reports, or --reports-dir",
                reports_dir.display()
            ),
        )
        .into());
    };
    if accounts.is_empty() {
        return Err(Failure::new(
            Kind::Usage,
            format!(
                "no account of the overview of {date} has a report in {} any more; pass --date with a date that has reports, or --reports-dir",
                reports_dir.display()
            ),
        )
        .into());
    }
    Ok(overview::build(date, generated_at, &accounts))
}

/// The overview of `date` after a run: `fresh`, what this run did for its accounts (a report
/// saved, or a failure), with the rows of every other account of that date as on disk (see
/// [`load_overview`]), generated at `generated_at`. The caller holds the reports folder's lock.
pub(crate) fn merge_overview(
    reports_dir: &Path,
    date: NaiveDate,
    generated_at: DateTime<Utc>,
    fresh: Vec<AccountResult>,
) -> Overview {
    let existing = existing_overview(reports_dir, date);
    let accounts = merge(reports_dir, date, existing.as_ref(), fresh);
    overview::build(date, generated_at, &accounts)
}

/// `fresh`, then the other accounts of `date`: those of `existing` and every folder with a report
/// of that date, each once, from its saved report or its failed row.
fn merge(
    reports_dir: &Path,
    date: NaiveDate,
    existing: Option<&Overview>,
    fresh: Vec<AccountResult>,
) -> Vec<AccountResult> {
    let mut seen: HashSet<Handle> = fresh.iter().map(|a| a.handle().clone()).collect();
    let recorded = existing
        .iter()
        .flat_map(|o| &o.rows)
        .map(|r| r.handle.clone());
    // A handle recorded as an account whose report of that date is now a competitor's (reviewed
    // by a later `--compare` run) is left out, as a competitor is.
    let json = report_file_name(date, "json");
    let others: Vec<Handle> = (recorded.chain(accounts_with_report(reports_dir, date)))
        .filter(|handle| seen.insert(handle.clone()))
        .filter(|handle| !is_competitor_report(&super::user_dir(reports_dir, handle).join(&json)))
        .collect();
    let mut accounts = fresh;
    for handle in others {
        let failed = (existing.iter().flat_map(|o| &o.rows))
            .find(|r| r.handle == handle)
            .and_then(AccountResult::from_failed_row);
        let saved = match load_account(reports_dir, &handle, date) {
            Ok(saved) => saved,
            Err(e) => {
                warn(format!("skipping @{handle}: {e:#} (left untouched)"));
                accounts.extend(failed);
                continue;
            }
        };
        // A failure recorded after the report was saved (a same-day rerun that failed) stands;
        // a report saved after the failure (a rerun that worked, within the same second too: the
        // times are whole seconds) replaces it.
        let newer = |saved: &AccountResult| match (saved, existing) {
            (AccountResult::Saved { report, .. }, Some(o)) => report.generated_at >= o.generated_at,
            _ => true,
        };
        match (saved, failed) {
            (Some(saved), Some(failed)) if !newer(&saved) => accounts.push(failed),
            (Some(saved), _) => accounts.push(saved),
            (None, Some(failed)) => accounts.push(failed),
            // Its folder is a symbolic link: warned about once already.
            (None, None) if super::is_symlink(&super::user_dir(reports_dir, &handle)) => {}
            (None, None) => warn(format!(
                "@{handle} has no report of {date} any more; left out of the overview"
            )),
        }
    }
    accounts
}

/// Writes the overview's files, `overview_<date>.<extension>` for each `(extension, bytes)`, into
/// `reports_dir`, all or none with the JSON last (the machinery of [`super::write_report`]), and
/// returns the JSON's path. Forms of that date it does not renew are removed once it is in place.
pub(crate) fn write_overview(
    reports_dir: &Path,
    date: NaiveDate,
    files: &[(&str, Vec<u8>)],
) -> anyhow::Result<PathBuf> {
    let names: Vec<(String, &[u8])> = (files.iter())
        .map(|(extension, bytes)| (overview_file_name(date, extension), bytes.as_slice()))
        .collect();
    let stale: Vec<String> = (FORMS.iter())
        .filter(|f| !files.iter().any(|(e, _)| e == *f))
        .map(|f| overview_file_name(date, f))
        .collect();
    write_all_or_none(reports_dir, &names, &stale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn overview_files_are_named_by_their_date() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        assert_eq!(overview_file_name(d, "html"), "overview_2026-11-15.html");
    }

    #[test]
    fn only_folders_named_as_a_handle_with_a_report_of_the_date_count() {
        let dir = tempfile::tempdir().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        for (folder, file) in [
            ("beta", "report_2026-11-15.json"),
            ("alpha", "report_2026-11-15.json"),
            ("old", "report_2026-11-08.json"),
            ("Upper", "report_2026-11-15.json"),
            ("gamma", "report_2026-11-15.md"),
        ] {
            fs::create_dir_all(dir.path().join(folder)).unwrap();
            fs::write(dir.path().join(folder).join(file), "{}").unwrap();
        }
        fs::write(dir.path().join("overview_2026-11-22.json"), "{}").unwrap();
        let names: Vec<String> = accounts_with_report(dir.path(), d)
            .iter()
            .map(|h| h.to_string())
            .collect();
        assert_eq!(names, ["alpha", "beta"]);
        assert_eq!(
            latest_report_date(dir.path()),
            None,
            "files named like reports that do not read as one name no date"
        );
        let report = r#"{"schema_version": 3, "user": "old", "generated_at": "2026-11-08T20:00:03Z",
            "window": {"start": "2026-11-01T20:00:00Z", "end": "2026-11-08T20:00:00Z"},
            "account": {}, "metrics": {"post_count": 0, "total_views": 0, "total_likes": 0,
                "total_comments": 0, "total_shares": 0}}"#;
        fs::write(dir.path().join("old/report_2026-11-08.json"), report).unwrap();
        fs::create_dir(dir.path().join("old/report_2099-01-01.json")).unwrap();
        assert_eq!(
            latest_report_date(dir.path()),
            NaiveDate::from_ymd_opt(2026, 11, 8),
            "a folder named like a later report is passed over"
        );
        assert_eq!(latest_report_date(&dir.path().join("none")), None);
    }
}
