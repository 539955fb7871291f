//! The reports folder: one sub-folder per account holding `report_<YYYY-MM-DD>.json` files (with
//! their `.md` and `.html`), a `.lock` file and the cached `.sec_uid`. Finds and reads earlier
//! reports tolerantly (typed and size-capped, never changing them), holds the per-user lock, and
//! writes a report's files all or none. The lock and the id cache are never opened through a
//! symbolic link; written files get the permissions the umask allows.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::IgnoredAny;

mod id_cache;
mod lock;
mod overview;
mod read;
mod write;

pub(crate) use id_cache::{cache_sec_uid, cached_sec_uid, forget_sec_uid};
pub(crate) use lock::Lock;
pub(crate) use overview::{
    accounts_with_report, latest_report_date, load_overview, merge_overview, overview_file_name,
    saved_account, write_overview,
};
pub(crate) use read::{
    account_dir, account_dirs, is_regular_file, latest_readable_date, read_regular,
};
pub(crate) use write::{write_atomic, write_report};

use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::model::Weeks;
use crate::model::Window;
use crate::report::{Earlier, PreviousRef, READABLE_SCHEMAS, Report};

/// How long a run waits for another run of the same account to finish.
const LOCK_WAIT: Duration = Duration::from_secs(2);
/// The lock file in an account's folder.
pub(crate) const LOCK_FILE: &str = ".lock";
/// The file, in an account's folder, that caches its `sec_uid` for `--no-profile` runs.
pub(crate) const SEC_UID_FILE: &str = ".sec_uid";
/// Earlier reports larger than this are skipped rather than read. A week's report is a few hundred
/// kilobytes even for a busy account; this leaves room for a hundred times that.
pub(crate) const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;
const MAX_REPORT_SIZE: &str = "16 MiB";

/// The folder of one account's reports.
pub(crate) fn user_dir(reports_dir: &Path, handle: &Handle) -> PathBuf {
    reports_dir.join(handle.as_str())
}

/// `report_2026-11-29.json` (or `.md`, `.html`) for that date.
pub(crate) fn report_file_name(date: NaiveDate, extension: &str) -> String {
    format!("report_{}.{extension}", date.format("%Y-%m-%d"))
}

fn report_date(file_name: &str) -> Option<NaiveDate> {
    let date = file_name.strip_prefix("report_")?.strip_suffix(".json")?;
    (date.len() == 10).then_some(())?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// `options` that refuse a symbolic link as the last path component (`O_NOFOLLOW`) and never
/// block on a FIFO (`O_NONBLOCK`, which does nothing to regular files).
fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The earlier reports a run reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct History {
    /// The most recent valid report of an earlier week (see [`Weeks`]), however old.
    pub(crate) previous: Option<Earlier>,
    /// The valid reports dated in `[since, window end)`, one per week, newest first.
    pub(crate) history: Vec<Earlier>,
}

/// Reads `handle`'s reports dated before `window` ends, newest first, until it has the most recent
/// valid one of an earlier week and every week's since `since`. Of reports whose windows overlap,
/// only the newest counts (see [`Weeks`]). Unreadable, corrupt or foreign files are skipped with a
/// warning and left exactly as they are.
pub(crate) fn load_earlier(
    dir: &Path,
    handle: &Handle,
    window: &Window,
    since: NaiveDate,
) -> History {
    let mut found = History::default();
    let mut weeks = Weeks::before(window);
    for (date, file) in report_files(dir, window.end.date_naive()) {
        if date < since && found.previous.is_some() {
            break;
        }
        let Some(earlier) = read_earlier(dir, handle, date, file) else {
            continue;
        };
        if !weeks.keep(&earlier.report.window) {
            continue;
        }
        if date >= since {
            found.history.push(earlier.clone());
        }
        found.previous.get_or_insert(earlier);
    }
    found
}

/// The latest `count` weeks of valid reports of `handle`, one report per week (see [`Weeks`]),
/// newest first (bad files skipped with a warning).
pub(crate) fn load_latest(dir: &Path, handle: &Handle, count: usize) -> Vec<Earlier> {
    let mut weeks = Weeks::default();
    report_files(dir, NaiveDate::MAX)
        .into_iter()
        .filter_map(|(date, file)| read_earlier(dir, handle, date, file))
        .filter(|earlier| weeks.keep(&earlier.report.window))
        .take(count)
        .collect()
}

/// The report files in `dir` dated before `before`, newest first.
fn report_files(dir: &Path, before: NaiveDate) -> Vec<(NaiveDate, String)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(NaiveDate, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let date = report_date(&name)?;
            (date < before).then_some((date, name))
        })
        .collect();
    files.sort_unstable_by(|a, b| b.cmp(a));
    files
}

/// One earlier report, or `None` after warning that it is skipped.
fn read_earlier(dir: &Path, handle: &Handle, date: NaiveDate, file: String) -> Option<Earlier> {
    let path = dir.join(&file);
    match read_saved(&path, handle) {
        Ok(report) => Some(Earlier {
            reference: PreviousRef { date, file },
            report,
        }),
        Err(why) => {
            warn(format!(
                "skipping earlier report {}: {why:#} (left untouched)",
                path.display()
            ));
            None
        }
    }
}

/// Only the version of a saved report, read before the rest so that a report of another schema is
/// named as such; every other field is skipped without being kept.
#[derive(Deserialize)]
struct VersionOnly {
    #[serde(default)]
    schema_version: Option<u64>,
}

/// A saved report's `schema_version`, when the bytes are a JSON object holding a whole number there.
fn schema_version(bytes: &[u8]) -> Option<u64> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return None;
    }
    serde_json::from_slice::<VersionOnly>(bytes)
        .ok()?
        .schema_version
}

/// An earlier week's report of `handle` at `path` that a new run may compare with, or why not.
fn read_saved(path: &Path, handle: &Handle) -> anyhow::Result<Report> {
    let saved = read_report(path, handle)?;
    if let Some(why) = saved.implausible() {
        anyhow::bail!("{why}");
    }
    Ok(saved)
}

/// The JSON `bytes` of a saved report, of any schema, as the current [`Report`]: the one parse
/// of a report (the upgrade of older schemas is part of it). Only a readable schema's report of
/// the right shape reads; the callers check whose it is.
pub(crate) fn parse_report(bytes: &[u8]) -> Result<Report, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// `handle`'s saved report at `path` (read as [`read_regular`] reads, at most
/// [`MAX_REPORT_BYTES`]), or why it cannot be read: not JSON, not a schema this version reads,
/// not a complete report, or someone else's.
pub(crate) fn read_report(path: &Path, handle: &Handle) -> anyhow::Result<Report> {
    let bytes = read_capped(path)?;
    // One parse in the usual case; the slower checks only to say why a file does not read.
    let report = parse_report(&bytes).or_else(|e| {
        serde_json::from_slice::<IgnoredAny>(&bytes).context("it is not JSON")?;
        check_schema(&bytes)?;
        Err(e).context("it is not a complete report")
    })?;
    check_version(report.schema_version.into())?;
    anyhow::ensure!(
        report.user == handle.as_str(),
        "it belongs to @{}",
        report.user
    );
    Ok(report)
}

/// Why the JSON `bytes` are not a report this version reads: no `schema_version`, or another one.
fn check_schema(bytes: &[u8]) -> anyhow::Result<()> {
    let version =
        schema_version(bytes).context("it has no schema_version: not a tiktok-review report")?;
    check_version(version)
}

/// Why `version` is not a schema this version reads.
fn check_version(version: u64) -> anyhow::Result<()> {
    anyhow::ensure!(
        u32::try_from(version).is_ok_and(|v| READABLE_SCHEMAS.contains(&v)),
        "schema_version {version} is not one this version reads ({}–{})",
        READABLE_SCHEMAS.start(),
        READABLE_SCHEMAS.end()
    );
    Ok(())
}

/// The bytes of the regular file at `path` (never through a link, never blocking on a FIFO), when
/// it holds some and no more than a saved report may.
fn read_capped(path: &Path) -> anyhow::Result<Vec<u8>> {
    read_regular(path, MAX_REPORT_BYTES)?.context("it is gone")
}

fn cannot_write(message: String) -> anyhow::Error {
    Failure::new(Kind::CannotWrite, message).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_dates_come_only_from_well_formed_names() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(report_file_name(d, "json"), "report_2026-11-29.json");
        assert_eq!(report_file_name(d, "md"), "report_2026-11-29.md");
        assert_eq!(report_date("report_2026-11-29.json"), Some(d));
        for name in [
            "report_2026-11-29.json.tmp",
            "report_2026-13-01.json",
            "report_2026-1-1.json",
            ".lock",
            "x.json",
        ] {
            assert_eq!(report_date(name), None, "{name}");
        }
    }

    #[test]
    fn the_version_is_read_only_from_an_object() {
        assert_eq!(
            schema_version(b" {\"x\": [1, {\"schema_version\": 9}], \"schema_version\": 2}"),
            Some(2)
        );
        assert_eq!(schema_version(b"{\"schema_version\": \"2\"}"), None);
        assert_eq!(schema_version(b"{\"schema_version\": -1}"), None);
        assert_eq!(schema_version(b"{}"), None);
        assert_eq!(schema_version(b"[2]"), None);
        assert_eq!(schema_version(b"2"), None);
    }
}
