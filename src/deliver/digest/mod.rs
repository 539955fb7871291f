//! The digest of one date: each account's report files and the overview's, read back from disk, and
//! the few numbers a chat message shows: the [`Headline`] of each report, read through the store.
//!
//! Reading only: a report is never changed here. Text that came from the API (captions,
//! recommendations) or the overview (failure reasons) is cleaned before it reaches a message.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::ReportUrl;
use crate::cli::Output;
use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::report::Headline;
use crate::report::overview::{self, Status};
use crate::report::{Report, render};
use crate::store;
use crate::text::clean;

/// Everything one date's delivery sends, as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Digest {
    /// The reports' date.
    pub(crate) date: NaiveDate,
    /// The accounts with a report of that date: most views first, then by handle.
    pub(crate) accounts: Vec<AccountDigest>,
    /// The run's overview, for several accounts, when it is on disk.
    pub(crate) overview: Option<OverviewFiles>,
    /// The accounts the overview records as failed (their reason cleaned).
    pub(crate) failed: Vec<FailedAccount>,
    /// The reports folder they were read from, absolute when it can be made so: a mail names the
    /// files it could not attach.
    pub(crate) reports_dir: PathBuf,
}

/// One account's report files and its headline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AccountDigest {
    /// The account.
    pub(crate) handle: Handle,
    /// `report_<date>.json` as saved.
    pub(crate) json: Vec<u8>,
    /// `report_<date>.md`; empty when the run wrote none (`--formats`) or no channel needs it.
    pub(crate) markdown: String,
    /// `report_<date>.html`; empty when the run wrote none or no channel needs it (only mail does).
    pub(crate) html: String,
    /// Where `report_<date>.html` is served, when `TIKTOK_REVIEW_REPORT_URL` is set and the run
    /// wrote it.
    pub(crate) report_link: Option<String>,
    /// The numbers a chat message shows.
    pub(crate) headline: Headline,
}

/// The overview's files as saved: `overview_<date>.{json,md,html}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OverviewFiles {
    /// The JSON.
    pub(crate) json: Vec<u8>,
    /// The Markdown, empty when there is none.
    pub(crate) markdown: String,
    /// The HTML, empty when there is none.
    pub(crate) html: String,
}

/// An account the run could not review, as the overview records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FailedAccount {
    /// The handle, cleaned.
    pub(crate) handle: String,
    /// The one-line reason, cleaned.
    pub(crate) reason: String,
}

/// The headline of a saved report's JSON, when it is `handle`'s report; why not when it is not.
fn read_headline(bytes: &[u8], handle: &Handle) -> Result<Headline, String> {
    let report = store::parse_report(bytes).map_err(|e| format!("it is not a report ({e})"))?;
    if report.user != handle.as_str() {
        return Err(format!("it belongs to @{}", clean(&report.user)));
    }
    Ok(Headline::of(&report))
}

/// The digest of `date` in `reports_dir`: the reports of `accounts` (each must have one), or,
/// without, of every account folder holding a report of that date; their Markdown and HTML on
/// `texts.with_texts`; plus, on `texts.with_overview`, the overview's files when there are several
/// accounts and it is on disk; with `texts.report_url`, each account's link to its HTML report
/// when that is on disk. Every file is read as [`store::read_regular`] reads: never
/// through a symbolic link, never from a FIFO. A report that cannot be read is skipped with a
/// warning and named among the failed accounts; only when none is left is it an error (65).
pub(crate) fn load_digest(
    reports_dir: &Path,
    date: NaiveDate,
    accounts: Option<&[Handle]>,
    texts: Texts<'_>,
) -> anyhow::Result<Digest> {
    let handles = match accounts {
        Some(given) => given.to_vec(),
        None => store::accounts_with_report(reports_dir, date),
    };
    if handles.is_empty() {
        return Err(Failure::new(
            Kind::Usage,
            format!(
                "no account has a report dated {date} in {}: pick another --date, or run `tiktok-review run` first",
                reports_dir.display()
            ),
        )
        .into());
    }
    let (mut digests, mut skipped) = (Vec::new(), Vec::new());
    for handle in &handles {
        match account(
            reports_dir,
            handle,
            date,
            texts.with_texts,
            texts.report_url,
        )? {
            Ok(digest) => digests.push(digest),
            Err(reason) => skipped.push(FailedAccount {
                handle: handle.to_string(),
                reason,
            }),
        }
    }
    if digests.is_empty() {
        return Err(Failure::new(
            Kind::BadResponse,
            format!(
                "no report dated {date} in {} can be read (see the warnings); nothing delivered",
                reports_dir.display()
            ),
        )
        .into());
    }
    sort_by_views(&mut digests);
    let overview = match digests.len() {
        0 | 1 => None,
        _ if !texts.with_overview => None,
        _ => overview(reports_dir, date),
    };
    let mut failed = overview.as_ref().map(failed_rows).unwrap_or_default();
    failed.retain(|f| !skipped.iter().any(|s| s.handle == f.handle));
    failed.extend(skipped);
    Ok(Digest {
        date,
        accounts: digests,
        overview,
        failed,
        reports_dir: std::path::absolute(reports_dir).unwrap_or_else(|_| reports_dir.to_path_buf()),
    })
}

/// The digest a run delivers: the reports it has just written (`written`, in the forms `forms`)
/// and the `overview` it wrote, as written rather than read back, and the run's `failed`
/// accounts. The Markdown and HTML only `with_texts`; the overview for several accounts and
/// `with_overview`; each account's link on `report_url` when the run wrote its HTML.
pub(crate) fn written_digest(
    reports_dir: &Path,
    date: NaiveDate,
    written: &[(&Handle, &Report)],
    forms: &[Output],
    texts: Texts<'_>,
    overview: Option<OverviewFiles>,
    failed: Vec<FailedAccount>,
) -> Digest {
    let text = |report: &Report, output: Output| match texts.with_texts && forms.contains(&output) {
        true => String::from_utf8_lossy(&render::to_bytes(report, output)).into_owned(),
        false => String::new(),
    };
    let mut accounts: Vec<AccountDigest> = (written.iter())
        .map(|&(handle, report)| AccountDigest {
            handle: handle.clone(),
            json: report.to_json(),
            markdown: text(report, Output::Md),
            html: text(report, Output::Html),
            report_link: (texts.report_url)
                .filter(|_| forms.contains(&Output::Html))
                .map(|url| url.link(handle, date)),
            headline: Headline::of(report),
        })
        .collect();
    sort_by_views(&mut accounts);
    let overview = overview.filter(|_| accounts.len() > 1 && texts.with_overview);
    Digest {
        date,
        accounts,
        overview,
        failed,
        reports_dir: std::path::absolute(reports_dir).unwrap_or_else(|_| reports_dir.to_path_buf()),
    }
}

/// What a digest holds besides the reports' numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Texts<'a> {
    /// The reports' Markdown and HTML (the mail needs them, the chat channels do not).
    pub(crate) with_texts: bool,
    /// The overview's files, for several accounts.
    pub(crate) with_overview: bool,
    /// Where the HTML reports are served.
    pub(crate) report_url: Option<&'a ReportUrl>,
}

/// Most views first, then by handle.
fn sort_by_views(accounts: &mut [AccountDigest]) {
    accounts.sort_by(|a, b| {
        (b.headline.views.cmp(&a.headline.views)).then_with(|| a.handle.cmp(&b.handle))
    });
}

/// The latest date of which `accounts` (or, without, any account) have a report that reads, if
/// any: a folder, a link or garbage named like a later report does not count.
pub(crate) fn latest_date(reports_dir: &Path, accounts: Option<&[Handle]>) -> Option<NaiveDate> {
    store::latest_readable_date(reports_dir, accounts, |handle, path| {
        let bytes = read(path)?.ok_or("it is gone")?;
        read_headline(&bytes, handle).map(|_| ())
    })
}

/// One account's digest of `date`, or (inner `Err`) why its report is skipped, after a warning
/// naming it. Its Markdown and HTML only `with_texts` (the mail needs them, the chat channels do
/// not: a thousand accounts' pages need not sit in memory for a webhook); its link on `report_url`
/// when its HTML is on disk (a file, not a link to one). An account named with `--user` that has
/// no report of that date at all is an error (64).
fn account(
    reports_dir: &Path,
    handle: &Handle,
    date: NaiveDate,
    with_texts: bool,
    report_url: Option<&ReportUrl>,
) -> anyhow::Result<Result<AccountDigest, String>> {
    let path = store::user_dir(reports_dir, handle).join(store::report_file_name(date, "json"));
    let Some(dir) = store::account_dir(reports_dir, handle) else {
        if std::fs::symlink_metadata(store::user_dir(reports_dir, handle)).is_ok() {
            // A symbolic link: warned about and skipped.
            return Ok(Err("its folder is a symbolic link".into()));
        }
        return Err(no_report(handle, date, &path));
    };
    let bytes = match read(&path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(no_report(handle, date, &path)),
        Err(why) => return Ok(Err(skip(&path, &why))),
    };
    let headline = match read_headline(&bytes, handle) {
        Ok(headline) => headline,
        Err(why) => return Ok(Err(skip(&path, &why))),
    };
    let text = |extension: &str| match with_texts {
        true => read_text(&dir.join(store::report_file_name(date, extension))),
        false => String::new(),
    };
    let html_written = store::is_regular_file(&dir.join(store::report_file_name(date, "html")));
    Ok(Ok(AccountDigest {
        handle: handle.clone(),
        markdown: text("md"),
        html: text("html"),
        report_link: report_url
            .filter(|_| html_written)
            .map(|url| url.link(handle, date)),
        json: bytes,
        headline,
    }))
}

/// The error for an account named with `--user` that has no report of `date` (64).
fn no_report(handle: &Handle, date: NaiveDate, path: &Path) -> anyhow::Error {
    Failure::new(
        Kind::Usage,
        format!(
            "no report of @{handle} dated {date} ({} does not exist): pick another --date, or run `tiktok-review run` first",
            path.display()
        ),
    )
    .into()
}

/// Warns that the report at `path` is skipped and why; returns the reason the message gives.
fn skip(path: &Path, why: &str) -> String {
    warn(format!(
        "skipping the report {}: {why}; it is left untouched",
        path.display()
    ));
    format!("its saved report cannot be read ({why})")
}

/// The overview's files of `date`, when its JSON is there and reads; a form that does not read is
/// left out with a warning.
fn overview(reports_dir: &Path, date: NaiveDate) -> Option<OverviewFiles> {
    let path = |extension: &str| reports_dir.join(store::overview_file_name(date, extension));
    let json = match read(&path("json")) {
        Ok(json) => json?,
        Err(why) => {
            warn(format!(
                "not sending the overview {}: {why}",
                path("json").display()
            ));
            return None;
        }
    };
    Some(OverviewFiles {
        json,
        markdown: read_text(&path("md")),
        html: read_text(&path("html")),
    })
}

/// The overview's failed rows; none when its JSON cannot be read that far.
fn failed_rows(overview: &OverviewFiles) -> Vec<FailedAccount> {
    let Ok(saved) = overview::read(&overview.json) else {
        return Vec::new();
    };
    (saved.rows.into_iter())
        .filter(|row| row.status == Status::Failed)
        .map(|row| FailedAccount {
            handle: row.handle.to_string(),
            reason: clean(row.reason.as_deref().unwrap_or_default()),
        })
        .collect()
}

/// A file's text; empty when there is no such file, and, with a warning, when it cannot be read.
fn read_text(path: &Path) -> String {
    match read(path) {
        Ok(bytes) => bytes
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default(),
        Err(why) => {
            warn(format!("not sending {}: {why}", path.display()));
            String::new()
        }
    }
}

/// A file's bytes (at most [`store::MAX_REPORT_BYTES`]), `None` when there is none; why not when
/// it cannot be read (a link, a FIFO, a folder, too large).
fn read(path: &Path) -> Result<Option<Vec<u8>>, String> {
    store::read_regular(path, store::MAX_REPORT_BYTES).map_err(|e| format!("{e:#}"))
}

#[cfg(test)]
mod tests;
