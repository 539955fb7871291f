//! The reports folder: one sub-folder per account holding `report_<YYYY-MM-DD>.json` files, a
//! `.lock` file and the cached `.sec_uid`. Finds and reads earlier reports tolerantly (never
//! changing them), holds the per-user lock, and writes files atomically.

use std::fs::{self, File, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;

use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::report::{Earlier, PreviousRef, READABLE_SCHEMAS, SavedReport};

/// How long a run waits for another run of the same account to finish.
const LOCK_WAIT: Duration = Duration::from_secs(2);
/// The file, in an account's folder, that caches its `sec_uid` for `--no-profile` runs.
pub const SEC_UID_FILE: &str = ".sec_uid";
/// Earlier reports larger than this are skipped rather than read.
const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

/// The folder of one account's reports.
pub fn user_dir(reports_dir: &Path, handle: &Handle) -> PathBuf {
    reports_dir.join(handle.as_str())
}

/// `report_2026-11-29.json` (or `.md`, `.html`) for that date.
pub fn report_file_name(date: NaiveDate, extension: &str) -> String {
    format!("report_{}.{extension}", date.format("%Y-%m-%d"))
}

fn report_date(file_name: &str) -> Option<NaiveDate> {
    let date = file_name.strip_prefix("report_")?.strip_suffix(".json")?;
    (date.len() == 10).then_some(())?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// An exclusive lock on one account's folder, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Creates `dir` if needed and locks it, waiting up to two seconds for another run.
    pub async fn acquire(dir: &Path) -> anyhow::Result<Self> {
        fs::create_dir_all(dir)
            .map_err(|e| cannot_write(format!("creating reports folder {}: {e}", dir.display())))?;
        let path = dir.join(".lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| cannot_write(format!("opening lock file {}: {e}", path.display())))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Failure::new(
                        Kind::TempFail,
                        format!(
                            "another tiktok-review run holds the lock {}; try again when it has finished",
                            path.display()
                        ),
                    )
                    .into());
                }
                Err(TryLockError::Error(e)) => {
                    return Err(cannot_write(format!("locking {}: {e}", path.display())));
                }
            }
        }
    }
}

/// The cached `sec_uid` of the account whose folder is `dir`, if a run saved one.
pub fn cached_sec_uid(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join(SEC_UID_FILE)).ok()?;
    let id = text.trim();
    (!id.is_empty() && id.len() < 512 && !id.contains(char::is_whitespace)).then(|| id.to_string())
}

/// Saves `sec_uid` beside the account's reports (atomically), unless it is already there.
pub fn cache_sec_uid(dir: &Path, sec_uid: &str) -> anyhow::Result<()> {
    if cached_sec_uid(dir).as_deref() == Some(sec_uid) {
        return Ok(());
    }
    write_atomic(dir, SEC_UID_FILE, format!("{sec_uid}\n").as_bytes()).map(drop)
}

/// Drops the cached `sec_uid` (it led astray); a failure to remove it is a warning.
pub fn forget_sec_uid(dir: &Path) {
    match fs::remove_file(dir.join(SEC_UID_FILE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => warn(format!(
            "could not remove {}: {e}",
            dir.join(SEC_UID_FILE).display()
        )),
    }
}

/// The earlier reports a run reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The most recent valid report dated before the run's date, however old.
    pub previous: Option<Earlier>,
    /// The valid reports dated in `[since, before)`, newest first.
    pub history: Vec<Earlier>,
}

/// Reads `handle`'s reports dated before `before`, newest first, until it has the most recent valid
/// one and every one since `since`. Unreadable, corrupt or foreign files are skipped with a warning
/// and left exactly as they are.
pub fn load_earlier(dir: &Path, handle: &Handle, before: NaiveDate, since: NaiveDate) -> History {
    let mut found = History::default();
    for (date, file) in report_files(dir, before) {
        if date < since && found.previous.is_some() {
            break;
        }
        let Some(earlier) = read_earlier(dir, handle, date, file) else {
            continue;
        };
        if date >= since {
            found.history.push(earlier.clone());
        }
        found.previous.get_or_insert(earlier);
    }
    found
}

/// The latest `count` valid reports of `handle`, newest first (bad files skipped with a warning).
pub fn load_latest(dir: &Path, handle: &Handle, count: usize) -> Vec<Earlier> {
    report_files(dir, NaiveDate::MAX)
        .into_iter()
        .filter_map(|(date, file)| read_earlier(dir, handle, date, file))
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

fn read_saved(path: &Path, handle: &Handle) -> anyhow::Result<SavedReport> {
    let size = fs::metadata(path)?.len();
    anyhow::ensure!(size <= MAX_REPORT_BYTES, "it is larger than 64 MiB");
    let bytes = fs::read(path)?;
    anyhow::ensure!(!bytes.is_empty(), "it is empty");
    let value: serde_json::Value = serde_json::from_slice(&bytes).context("it is not JSON")?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .context("it has no schema_version: not a tiktok-review report")?;
    anyhow::ensure!(
        u32::try_from(version).is_ok_and(|v| READABLE_SCHEMAS.contains(&v)),
        "schema_version {version} is not one this version reads ({}–{})",
        READABLE_SCHEMAS.start(),
        READABLE_SCHEMAS.end()
    );
    let saved: SavedReport =
        serde_json::from_value(value).context("it is not a complete report")?;
    anyhow::ensure!(
        saved.user == handle.as_str(),
        "it belongs to @{}",
        saved.user
    );
    Ok(saved)
}

/// Writes `bytes` to `dir/file_name` atomically: a temporary file in `dir`, fsync, rename, fsync of
/// `dir`. A failure leaves the old file (if any) and no temporary file behind.
pub fn write_atomic(dir: &Path, file_name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let path = dir.join(file_name);
    let fail = |e: std::io::Error| cannot_write(format!("writing {}: {e}", path.display()));
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(&path).map_err(|e| fail(e.error))?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(fail)?;
    Ok(path)
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
}
