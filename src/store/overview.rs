//! The overview files of a date, `<reports-dir>/overview_<date>.{json,md,html}`: which accounts
//! hold a report of a date, each one's figures read from its saved report JSON, the existing
//! overview read back (the only record of the accounts that failed), the rebuild from those, and
//! the write, all or none with the JSON last. Reports are only ever read here.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;

use super::write::{FORMS, write_all_or_none};
use super::{check_schema, read_capped, report_file_name, report_files};
use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::report::READABLE_SCHEMAS;
use crate::report::overview::{self, AccountResult, Overview};

/// `overview_2026-11-29.json` (or `.md`, `.html`) for that date.
pub fn overview_file_name(date: NaiveDate, extension: &str) -> String {
    format!("overview_{}.{extension}", date.format("%Y-%m-%d"))
}

/// The account folders of `reports_dir` (each named as its handle) that hold a report of `date`,
/// by handle.
pub fn accounts_with_report(reports_dir: &Path, date: NaiveDate) -> Vec<Handle> {
    let json = report_file_name(date, "json");
    let mut handles: Vec<Handle> = account_dirs(reports_dir)
        .into_iter()
        .filter(|(_, dir)| dir.join(&json).is_file())
        .map(|(handle, _)| handle)
        .collect();
    handles.sort();
    handles
}

/// The newest date of a report in any account folder of `reports_dir`; `None` without any.
pub fn latest_report_date(reports_dir: &Path) -> Option<NaiveDate> {
    account_dirs(reports_dir)
        .iter()
        .filter_map(|(_, dir)| report_files(dir, NaiveDate::MAX).first().map(|(d, _)| *d))
        .max()
}

/// The sub-folders of `reports_dir` whose names are handles, with their paths.
fn account_dirs(reports_dir: &Path) -> Vec<(Handle, PathBuf)> {
    let Ok(entries) = fs::read_dir(reports_dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let handle = name.parse::<Handle>().ok().filter(|h| h.as_str() == name)?;
            let path = entry.path();
            path.is_dir().then_some((handle, path))
        })
        .collect()
}

/// `handle`'s saved report of `date` as a row of the overview: its figures and the readable form
/// to link (the HTML, else the Markdown, else the JSON). `None` when it has no report of that
/// date; an error saying why when the report cannot be read.
pub fn load_account(
    reports_dir: &Path,
    handle: &Handle,
    date: NaiveDate,
) -> anyhow::Result<Option<AccountResult>> {
    let dir = super::user_dir(reports_dir, handle);
    let path = dir.join(report_file_name(date, "json"));
    if !path.exists() {
        return Ok(None);
    }
    let read = || -> anyhow::Result<overview::ReportFigures> {
        let bytes = read_capped(&path)?;
        // One parse in the usual case; the slower checks only to say why a file does not read.
        let figures = overview::read_figures(&bytes).or_else(|e| {
            serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).context("it is not JSON")?;
            check_schema(&bytes)?;
            Err(e).context("it is not a complete report")
        })?;
        anyhow::ensure!(
            READABLE_SCHEMAS.contains(&figures.schema_version),
            "schema_version {} is not one this version reads ({}–{})",
            figures.schema_version,
            READABLE_SCHEMAS.start(),
            READABLE_SCHEMAS.end()
        );
        anyhow::ensure!(
            figures.user == handle.as_str(),
            "it belongs to @{}",
            figures.user
        );
        Ok(figures)
    };
    let figures = read().with_context(|| format!("reading {}", path.display()))?;
    let form = ["html", "md", "json"]
        .into_iter()
        .find(|ext| dir.join(report_file_name(date, ext)).is_file())
        .unwrap_or("json");
    Ok(Some(AccountResult::Saved {
        handle: handle.clone(),
        figures: Box::new(figures),
        report_file: format!("{handle}/{}", report_file_name(date, form)),
    }))
}

/// The overview of `date` saved in `reports_dir`, `None` when there is none; an error saying why
/// when the file cannot be read as one.
pub fn read_overview(reports_dir: &Path, date: NaiveDate) -> anyhow::Result<Option<Overview>> {
    let path = reports_dir.join(overview_file_name(date, "json"));
    if !path.exists() {
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

/// Rebuilds the overview of `date` from what is on disk, without a request: the accounts of the
/// saved overview of that date (else every account folder with a report of that date), each
/// from its saved report, and the `failed` rows of the saved overview for the accounts that have
/// no newer report since. Its `generated_at` is the saved overview's, else the newest report's,
/// so that a rebuild gives the bytes the run wrote. A report or overview that cannot be read is
/// skipped with a warning and left as it is; with no account at all, a usage error (64).
pub fn load_overview(reports_dir: &Path, date: NaiveDate) -> anyhow::Result<Overview> {
    let existing = read_overview(reports_dir, date).unwrap_or_else(|e| {
        warn(format!(
            "not reading the earlier overview: {e:#}; rebuilding it from the reports alone"
        ));
        None
    });
    let mut handles: Vec<Handle> = match &existing {
        Some(saved) => saved.rows.iter().map(|r| r.handle.clone()).collect(),
        None => accounts_with_report(reports_dir, date),
    };
    let mut seen = std::collections::HashSet::new();
    handles.retain(|h| seen.insert(h.clone()));
    let mut accounts: Vec<AccountResult> = Vec::with_capacity(handles.len());
    for handle in handles {
        let failed = (existing.iter().flat_map(|o| &o.rows))
            .find(|r| r.handle == handle)
            .and_then(AccountResult::from_failed_row);
        let saved = load_account(reports_dir, &handle, date).unwrap_or_else(|e| {
            warn(format!("skipping @{handle}: {e:#} (left untouched)"));
            None
        });
        // A failure recorded after the report was saved (a same-day rerun that failed) stands;
        // a report saved after the failure (a rerun that worked, within the same second too: the
        // times are whole seconds) replaces it.
        let newer = |saved: &AccountResult| match (saved, &existing) {
            (AccountResult::Saved { figures, .. }, Some(o)) => {
                figures.generated_at >= o.generated_at
            }
            _ => true,
        };
        match (saved, failed) {
            (Some(saved), Some(failed)) if !newer(&saved) => accounts.push(failed),
            (Some(saved), _) => accounts.push(saved),
            (None, Some(failed)) => accounts.push(failed),
            (None, None) => warn(format!(
                "@{handle} has no report of {date} any more; left out of the overview"
            )),
        }
    }
    let newest_report = (accounts.iter())
        .filter_map(|a| match a {
            AccountResult::Saved { figures, .. } => Some(figures.generated_at),
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

/// Writes the overview's files, `overview_<date>.<extension>` for each `(extension, bytes)`, into
/// `reports_dir`, all or none with the JSON last (the machinery of [`super::write_report`]), and
/// returns the JSON's path. Forms of that date it does not renew are removed once it is in place.
pub fn write_overview(
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
        assert_eq!(latest_report_date(dir.path()), Some(d));
        assert_eq!(latest_report_date(&dir.path().join("none")), None);
    }
}
