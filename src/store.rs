//! The reports folder: one sub-folder per account holding `report_<YYYY-MM-DD>.json` files (with
//! their `.md` and `.html`), a `.lock` file and the cached `.sec_uid`. Finds and reads earlier
//! reports tolerantly (typed and size-capped, never changing them), holds the per-user lock, and
//! writes a report's files all or none. The lock and the id cache are never opened through a
//! symbolic link; written files get the permissions the umask allows.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::IgnoredAny;
use tempfile::{NamedTempFile, TempPath};

use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::model::Weeks;
use crate::model::Window;
use crate::report::{Earlier, PreviousRef, READABLE_SCHEMAS, SavedReport};

/// How long a run waits for another run of the same account to finish.
const LOCK_WAIT: Duration = Duration::from_secs(2);
/// The lock file in an account's folder.
pub const LOCK_FILE: &str = ".lock";
/// The file, in an account's folder, that caches its `sec_uid` for `--no-profile` runs.
pub const SEC_UID_FILE: &str = ".sec_uid";
/// Earlier reports larger than this are skipped rather than read. A week's report is a few hundred
/// kilobytes even for a busy account; this leaves room for a hundred times that.
const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;
const MAX_REPORT_SIZE: &str = "16 MiB";

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

/// An exclusive lock on one account's folder (`<folder>/.lock`), released when dropped (or when
/// the process dies).
///
/// The folder is created for the lock. When the lock is dropped and the folder holds nothing but
/// the lock (the run failed before it wrote anything), both are removed, so a failed account leaves
/// no folder behind. A lock file can therefore vanish under a waiting run: a run that gets a lock
/// checks that the file it locked is still the one at the path, and starts over when it is not.
#[derive(Debug)]
pub struct Lock {
    /// Held open until after [`Drop`] has tidied up.
    _file: File,
    dir: PathBuf,
}

impl Lock {
    /// Creates `dir` if needed and locks it, waiting up to two seconds for another run.
    pub async fn acquire(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(LOCK_FILE);
        let started = Instant::now();
        loop {
            let waited = started.elapsed() >= LOCK_WAIT;
            fs::create_dir_all(dir).map_err(|e| {
                cannot_write(format!("creating reports folder {}: {e}", dir.display()))
            })?;
            let mut options = File::options();
            options.create(true).truncate(false).write(true);
            let file = match no_follow(&mut options).open(&path) {
                Ok(file) => file,
                // A run that just failed removed the empty folder in between: start over.
                Err(e) if e.kind() == ErrorKind::NotFound && !waited => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
                Err(_) if is_symlink(&path) => {
                    return Err(cannot_write(format!(
                        "lock file {} is a symbolic link, which tiktok-review never follows; remove it and run again",
                        path.display()
                    )));
                }
                Err(e) => {
                    return Err(cannot_write(format!(
                        "opening lock file {}: {e}",
                        path.display()
                    )));
                }
            };
            let locked = match file.try_lock() {
                // Locked, but if the run before removed the file as it ended, lock the new one.
                Ok(()) => is_still_at(&file, &path),
                Err(TryLockError::WouldBlock) => false,
                Err(TryLockError::Error(e)) => {
                    return Err(cannot_write(format!("locking {}: {e}", path.display())));
                }
            };
            if locked {
                return Ok(Self {
                    _file: file,
                    dir: dir.to_path_buf(),
                });
            }
            if waited {
                return Err(Failure::new(
                    Kind::TempFail,
                    format!(
                        "another tiktok-review run holds the lock {}; try again when it has finished",
                        path.display()
                    ),
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Lock {
    /// Removes the lock and the folder when the folder holds nothing else. The file is unlinked while
    /// still locked, so no other run holds a lock on it at that moment; a run that was waiting on it
    /// notices (see [`Lock::acquire`]).
    fn drop(&mut self) {
        let Ok(mut entries) = fs::read_dir(&self.dir) else {
            return;
        };
        if entries.all(|e| e.is_ok_and(|e| e.file_name() == LOCK_FILE)) {
            let _ = fs::remove_file(self.dir.join(LOCK_FILE));
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// Whether `file` is still the file at `path` (and not one that replaced it).
#[cfg(unix)]
fn is_still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_still_at(_file: &File, path: &Path) -> bool {
    path.is_file()
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

/// What the id cache holds.
#[derive(Debug, PartialEq)]
enum Cached {
    Id(String),
    Nothing,
    Link,
}

fn read_sec_uid(dir: &Path) -> Cached {
    let path = dir.join(SEC_UID_FILE);
    let file = match no_follow(File::options().read(true)).open(&path) {
        Ok(file) => file,
        Err(_) if is_symlink(&path) => return Cached::Link,
        Err(_) => return Cached::Nothing,
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Cached::Nothing;
    }
    let mut text = String::new();
    if file.take(1024).read_to_string(&mut text).is_err() {
        return Cached::Nothing;
    }
    let id = text.trim();
    match !id.is_empty() && id.len() < 512 && !id.contains(char::is_whitespace) {
        true => Cached::Id(id.to_string()),
        false => Cached::Nothing,
    }
}

/// The cached `sec_uid` of the account whose folder is `dir`, if a run saved one. A cache that is a
/// symbolic link is not read (with a warning): the run asks for the profile and replaces the link.
pub fn cached_sec_uid(dir: &Path) -> Option<String> {
    match read_sec_uid(dir) {
        Cached::Id(id) => Some(id),
        Cached::Nothing => None,
        Cached::Link => {
            warn(format!(
                "not reading the cached account id {}: it is a symbolic link; asking for the profile instead",
                dir.join(SEC_UID_FILE).display()
            ));
            None
        }
    }
}

/// Saves `sec_uid` beside the account's reports (atomically, replacing a symbolic link rather than
/// writing through it), unless it is already there.
pub fn cache_sec_uid(dir: &Path, sec_uid: &str) -> anyhow::Result<()> {
    if read_sec_uid(dir) == Cached::Id(sec_uid.to_string()) {
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
    /// The most recent valid report of an earlier week (see [`Weeks`]), however old.
    pub previous: Option<Earlier>,
    /// The valid reports dated in `[since, window end)`, one per week, newest first.
    pub history: Vec<Earlier>,
}

/// Reads `handle`'s reports dated before `window` ends, newest first, until it has the most recent
/// valid one of an earlier week and every week's since `since`. Of reports whose windows overlap,
/// only the newest counts (see [`Weeks`]). Unreadable, corrupt or foreign files are skipped with a
/// warning and left exactly as they are.
pub fn load_earlier(dir: &Path, handle: &Handle, window: &Window, since: NaiveDate) -> History {
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
pub fn load_latest(dir: &Path, handle: &Handle, count: usize) -> Vec<Earlier> {
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

fn read_saved(path: &Path, handle: &Handle) -> anyhow::Result<SavedReport> {
    let metadata = fs::metadata(path)?;
    anyhow::ensure!(metadata.is_file(), "it is not a regular file");
    anyhow::ensure!(
        metadata.len() <= MAX_REPORT_BYTES,
        "it is larger than {MAX_REPORT_SIZE}"
    );
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_REPORT_BYTES,
        "it is larger than {MAX_REPORT_SIZE}"
    );
    anyhow::ensure!(!bytes.is_empty(), "it is empty");
    serde_json::from_slice::<IgnoredAny>(&bytes).context("it is not JSON")?;
    let version =
        schema_version(&bytes).context("it has no schema_version: not a tiktok-review report")?;
    anyhow::ensure!(
        u32::try_from(version).is_ok_and(|v| READABLE_SCHEMAS.contains(&v)),
        "schema_version {version} is not one this version reads ({}–{})",
        READABLE_SCHEMAS.start(),
        READABLE_SCHEMAS.end()
    );
    let saved: SavedReport =
        serde_json::from_slice(&bytes).context("it is not a complete report")?;
    anyhow::ensure!(
        saved.user == handle.as_str(),
        "it belongs to @{}",
        saved.user
    );
    Ok(saved)
}

/// Writes one report's files, `report_<date>.<extension>` for each `(extension, bytes)`, all or
/// none, and returns the path of the JSON (the file given last when there is no JSON).
///
/// Every file is written to a temporary beside its name and flushed to disk first; only then are the
/// temporaries renamed over their names, the JSON last: it is the commit point, the file `history`
/// and next week's run read. On any failure the temporaries are removed, the files of this date
/// renamed so far get their earlier version back (or are removed when they had none), and the JSON
/// is not touched. Files of other dates are never touched at all.
pub fn write_report(
    dir: &Path,
    date: NaiveDate,
    files: &[(&str, Vec<u8>)],
) -> anyhow::Result<PathBuf> {
    if let Some((_, json)) = files.iter().find(|(extension, _)| *extension == "json")
        && json.len() as u64 > MAX_REPORT_BYTES
    {
        // Written, it could never be read back: next week would have nothing to compare with.
        return Err(Failure::new(
            Kind::BadResponse,
            format!(
                "the report would be {:.1} MiB, more than the {MAX_REPORT_SIZE} an earlier report may have; no report written: run again with --save-raw DIR to see what Scavio sent",
                json.len() as f64 / 1024.0 / 1024.0
            ),
        )
        .into());
    }
    fs::create_dir_all(dir)
        .map_err(|e| cannot_write(format!("creating reports folder {}: {e}", dir.display())))?;
    let mut staged = files
        .iter()
        .map(|(extension, bytes)| stage(dir, &report_file_name(date, extension), bytes))
        .collect::<anyhow::Result<Vec<Staged>>>()?;
    // A stable sort: the JSON goes last, the others keep their order.
    staged.sort_by_key(|s| s.path.extension().is_some_and(|e| e == "json"));
    let Some(last) = staged.len().checked_sub(1) else {
        anyhow::bail!("no report file to write");
    };
    let mut renamed: Vec<Renamed> = Vec::with_capacity(staged.len());
    for (i, file) in staged.into_iter().enumerate() {
        let earlier = (i < last).then(|| keep_earlier(dir, &file.path)).flatten();
        let path = file.path;
        if let Err(e) = file.temp.persist(&path) {
            undo(renamed);
            let _ = sync_dir(dir);
            return Err(cannot_write(format!(
                "writing {}: {}",
                path.display(),
                e.error
            )));
        }
        renamed.push(Renamed { path, earlier });
    }
    if let Err(e) = sync_dir(dir) {
        warn(format!(
            "the report is written, but the folder {} could not be flushed to disk: {e}",
            dir.display()
        ));
    }
    let mut paths = renamed.into_iter().map(|r| r.path);
    paths.next_back().context("no report file written")
}

/// A file written in full to a temporary beside its name and flushed, waiting to be renamed; when
/// dropped instead, the temporary is removed.
struct Staged {
    temp: NamedTempFile,
    path: PathBuf,
}

/// A file renamed into place, and a second name of the file it replaced, if there was one.
struct Renamed {
    path: PathBuf,
    earlier: Option<TempPath>,
}

fn stage(dir: &Path, file_name: &str, bytes: &[u8]) -> anyhow::Result<Staged> {
    let path = dir.join(file_name);
    let fail = |e: std::io::Error| cannot_write(format!("writing {}: {e}", path.display()));
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // Created 0666 like any file a shell writes: the umask decides who else may read it.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    Ok(Staged { temp, path })
}

/// A second name (a hard link) for the file now at `path`, removed when dropped, so that a failed
/// report can put that file back. `None` when there is no such file, or when the file system has no
/// hard links (a failed report then removes its file instead).
fn keep_earlier(dir: &Path, path: &Path) -> Option<TempPath> {
    if fs::symlink_metadata(path).ok()?.is_dir() {
        return None;
    }
    let name = path.file_name()?.to_string_lossy();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".bak")
        .make_in(dir, |link| fs::hard_link(path, link))
        .ok()
        .map(NamedTempFile::into_temp_path)
}

/// Puts back what the files renamed so far replaced, newest first (best effort: the error that led
/// here is the one reported).
fn undo(renamed: Vec<Renamed>) {
    for file in renamed.into_iter().rev() {
        match file.earlier {
            Some(earlier) => drop(earlier.persist(&file.path)),
            None => drop(fs::remove_file(&file.path)),
        }
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir).and_then(|d| d.sync_all())
}

/// Writes `bytes` to `dir/file_name` atomically: a temporary file in `dir`, fsync, rename, fsync of
/// `dir`. A failure leaves the old file (if any) and no temporary file behind.
pub fn write_atomic(dir: &Path, file_name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let Staged { temp, path } = stage(dir, file_name, bytes)?;
    let fail = |e: std::io::Error| cannot_write(format!("writing {}: {e}", path.display()));
    temp.persist(&path).map_err(|e| fail(e.error))?;
    sync_dir(dir).map_err(fail)?;
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

    #[tokio::test]
    async fn a_run_waiting_for_a_lock_gets_it_when_the_holder_removes_the_empty_folder() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("examplecreator");
        let first = Lock::acquire(&dir).await.unwrap();
        let release = async {
            tokio::time::sleep(Duration::from_millis(250)).await;
            drop(first);
        };
        let ((), second) = tokio::join!(release, Lock::acquire(&dir));
        let second = second.unwrap();
        assert!(is_still_at(&second._file, &dir.join(LOCK_FILE)));
        fs::write(dir.join("report_2026-11-15.json"), "{}").unwrap();
        drop(second);
        assert!(
            dir.join(LOCK_FILE).is_file(),
            "a folder with a report keeps its lock"
        );
        fs::remove_file(dir.join("report_2026-11-15.json")).unwrap();
        drop(Lock::acquire(&dir).await.unwrap());
        assert!(!dir.exists(), "a folder holding only the lock goes");
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
