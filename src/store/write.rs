//! Writing a report: every file rendered and flushed to a temporary first, then renamed into place
//! with the JSON last, all or none, with the permissions the umask allows. A failure keeps the kind
//! of its I/O error (a full disk, a read-only folder), and what a killed run left is tidied away by
//! the account's next run.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use tempfile::{NamedTempFile, TempPath};

use super::{MAX_REPORT_BYTES, MAX_REPORT_SIZE, SEC_UID_FILE, report_file_name};
use crate::error::{Failure, Kind, warn};

/// The forms a report of one date may have beside its JSON.
pub(super) const FORMS: [&str; 2] = ["md", "html"];

/// Writes one report's files, `report_<date>.<extension>` for each `(extension, bytes)`, all or
/// none, and returns the path of the JSON (the file given last when there is no JSON).
///
/// Every file is written to a temporary beside its name and flushed to disk first; only then are the
/// temporaries renamed over their names, the JSON last: it is the commit point, the file `history`
/// and next week's run read. On any failure the temporaries are removed, the files of this date
/// renamed so far get their earlier version back (or are removed when they had none), and the JSON
/// is not touched. Once the JSON is in place, the forms of this date the run did not write (a
/// rerun with fewer `--formats`) are removed, so that no stale form contradicts the new report.
/// Files of other dates are never touched at all.
pub(crate) fn write_report(
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
    let names: Vec<(String, &[u8])> = (files.iter())
        .map(|(extension, bytes)| (report_file_name(date, extension), bytes.as_slice()))
        .collect();
    let stale: Vec<String> = (FORMS.iter())
        .filter(|f| !files.iter().any(|(e, _)| e == *f))
        .map(|f| report_file_name(date, f))
        .collect();
    write_all_or_none(dir, &names, &stale)
}

/// Writes the files `(name, bytes)` into `dir`, all or none, the JSON last, and returns the path
/// of the file renamed last (the JSON when there is one); once they are in place, removes the
/// `stale` names (forms of the same date that this write does not renew). See [`write_report`].
pub(super) fn write_all_or_none(
    dir: &Path,
    files: &[(String, &[u8])],
    stale: &[String],
) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(dir)
        .map_err(|e| write_failed(format!("creating reports folder {}", dir.display()), &e))?;
    let mut staged = files
        .iter()
        .map(|(name, bytes)| stage(dir, name, bytes))
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
            return Err(write_failed(
                format!("writing {}", path.display()),
                &e.error,
            ));
        }
        renamed.push(Renamed { path, earlier });
    }
    for name in stale {
        let path = dir.join(name);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => warn(format!(
                "could not remove {}, left from an earlier run of the same date: {e}",
                path.display()
            )),
            _ => {}
        }
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
    let fail = |e: std::io::Error| write_failed(format!("writing {}", path.display()), &e);
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
pub(crate) fn write_atomic(dir: &Path, file_name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let Staged { temp, path } = stage(dir, file_name, bytes)?;
    let fail = |e: std::io::Error| write_failed(format!("writing {}", path.display()), &e);
    temp.persist(&path).map_err(|e| fail(e.error))?;
    sync_dir(dir).map_err(fail)?;
    Ok(path)
}

/// `action` (`writing <path>`) failed with `cause` (73), keeping the kind of the I/O error. The
/// path of a temporary that `tempfile` adds to its errors is left out: the file is gone.
pub(super) fn write_failed(action: String, cause: &std::io::Error) -> anyhow::Error {
    let text = cause.to_string();
    let text = match cause.get_ref().and(text.rsplit_once(" at path ")) {
        Some((os_error, _temporary)) => os_error.to_string(),
        None => text,
    };
    Failure::new(Kind::CannotWrite, format!("{action}: {text}"))
        .caused_by(cause)
        .into()
}

/// Removes from a folder what a run killed while writing left there: the temporaries of its files
/// (`.report_<date>.<ext>.<random>.tmp`, `..sec_uid.<random>.tmp` in an account's folder,
/// `.overview_<date>.<ext>.<random>.tmp` in the reports folder) and the second names a write keeps
/// of the files it replaces (the same names ending `.bak`). Called with the folder's lock held, so
/// no run is writing them. A name that cannot be removed is a warning.
pub(super) fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| !t.is_dir());
        if !is_file || !name.to_str().is_some_and(is_leftover) {
            continue;
        }
        match fs::remove_file(entry.path()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => warn(format!(
                "could not remove {}, left by a run that was stopped: {e}",
                entry.path().display()
            )),
            _ => {}
        }
    }
}

/// Whether `name` is a temporary (or a kept earlier version) of a file [`stage`] and
/// [`keep_earlier`] make: a report's, the cached id's or the overview's.
fn is_leftover(name: &str) -> bool {
    let ours = [".report_", ".overview_", &format!(".{SEC_UID_FILE}.")]
        .iter()
        .any(|prefix| name.starts_with(prefix));
    let temporary = name.ends_with(".tmp") || name.ends_with(".bak");
    ours && temporary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_temporaries_of_its_own_files_are_leftovers() {
        for name in [
            ".report_2026-11-15.json.a1B2c3.tmp",
            ".report_2026-11-15.md.Zz9yx8.bak",
            "..sec_uid.q1w2e3.tmp",
            ".overview_2026-11-15.html.Qq1Ww2.tmp",
        ] {
            assert!(is_leftover(name), "{name}");
        }
        for name in [
            "report_2026-11-15.json",
            ".report_2026-11-15.json",
            ".lock",
            ".sec_uid",
            "notes.tmp",
            ".my_report.tmp",
            "overview_2026-11-15.json",
            ".report_2026-11-15.json.a1B2c3.tmp.keep",
        ] {
            assert!(!is_leftover(name), "{name}");
        }
    }
}
