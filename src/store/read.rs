//! Reading the reports folder as untrusted ground: a file is opened without following a symbolic
//! link and without blocking on a FIFO, and read only when the opened handle is a regular file of
//! bounded size; an account folder that is a symbolic link is skipped with a warning; the latest
//! date is the latest of a report that reads, so a crafted `report_2099-01-01.json` (a folder,
//! garbage) cannot stand in for it.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;

use super::{no_follow, report_files, user_dir};
use crate::error::warn;
use crate::handle::Handle;

/// The bytes of the file at `path`, `None` when there is none. An error (naming no path: the
/// caller does) when it is a symbolic link, a FIFO, a folder or anything but a regular file, when
/// it is larger than `cap` bytes, or when it cannot be read.
pub(crate) fn read_regular(path: &Path, cap: u64) -> anyhow::Result<Option<Vec<u8>>> {
    let file = match no_follow(OpenOptions::new().read(true)).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            anyhow::bail!("it is a symbolic link, which tiktok-review never follows")
        }
        Err(e) => return Err(e.into()),
    };
    read_open(file, cap).map(Some)
}

/// The bytes of an opened file: a regular file (checked on the handle, not the path, which may
/// have changed since) of at most `cap` bytes, not empty.
fn read_open(file: File, cap: u64) -> anyhow::Result<Vec<u8>> {
    let metadata = file.metadata()?;
    anyhow::ensure!(metadata.is_file(), "it is not a regular file");
    let too_large = || format!("it is larger than {} MiB", cap / 1024 / 1024);
    anyhow::ensure!(metadata.len() <= cap, too_large());
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    anyhow::ensure!(bytes.len() as u64 <= cap, too_large());
    anyhow::ensure!(!bytes.is_empty(), "it is empty");
    Ok(bytes)
}

/// Whether `path` is a regular file itself (not through a symbolic link).
pub(crate) fn is_regular_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// The folder of `handle`'s reports in `reports_dir`, when it is a real folder; `None`, with a
/// warning, when it is a symbolic link (whose target would receive the reports and the lock),
/// and `None` when there is none.
pub(crate) fn account_dir(reports_dir: &Path, handle: &Handle) -> Option<PathBuf> {
    let dir = user_dir(reports_dir, handle);
    let metadata = fs::symlink_metadata(&dir).ok()?;
    if metadata.file_type().is_symlink() {
        // Once a run: the folder is looked at by each reader of it.
        static WARNED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
        let first = WARNED
            .lock()
            .map_or(true, |mut warned| warned.insert(dir.clone()));
        if first {
            warn(format!(
                "skipping {}: the account folder is a symbolic link, which tiktok-review never follows; replace it with a folder",
                dir.display()
            ));
        }
        return None;
    }
    metadata.is_dir().then_some(dir)
}

/// The account folders of `reports_dir` (each named as its handle; a symbolic link skipped with a
/// warning), sorted by handle.
pub(crate) fn account_dirs(reports_dir: &Path) -> Vec<(Handle, PathBuf)> {
    let Ok(entries) = fs::read_dir(reports_dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<(Handle, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.parse::<Handle>().ok().filter(|h| h.as_str() == name)
        })
        .filter_map(|handle| Some((handle.clone(), account_dir(reports_dir, &handle)?)))
        .collect();
    dirs.sort();
    dirs
}

/// The latest date of which one of `accounts` (or, without, any account folder) has a report that
/// `read` accepts (given the handle and the JSON's path; `Err` says why not), trying dates newest
/// first; `None` when none does. What is passed over on the way (a folder, a link, garbage named
/// like a later report) is named in a warning and left untouched.
pub(crate) fn latest_readable_date(
    reports_dir: &Path,
    accounts: Option<&[Handle]>,
    read: impl Fn(&Handle, &Path) -> Result<(), String>,
) -> Option<NaiveDate> {
    let dirs: Vec<(Handle, PathBuf)> = match accounts {
        Some(handles) => (handles.iter())
            .filter_map(|h| Some((h.clone(), account_dir(reports_dir, h)?)))
            .collect(),
        None => account_dirs(reports_dir),
    };
    let mut candidates: Vec<(NaiveDate, &Handle, PathBuf)> = (dirs.iter())
        .flat_map(|(handle, dir)| {
            report_files(dir, NaiveDate::MAX)
                .into_iter()
                .map(move |(date, file)| (date, handle, dir.join(file)))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    for (date, handle, path) in candidates {
        let why = match is_regular_file(&path) {
            true => read(handle, &path).err(),
            false => Some("it is not a regular file".to_string()),
        };
        match why {
            None => return Some(date),
            Some(why) => warn(format!(
                "passing over {}: {why} (left untouched)",
                path.display()
            )),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_regular_file_is_read_never_through_a_link_or_from_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report_2026-11-15.json");
        fs::write(&file, b"{}").unwrap();
        assert_eq!(read_regular(&file, 16).unwrap(), Some(b"{}".to_vec()));
        assert_eq!(read_regular(&dir.path().join("none"), 16).unwrap(), None);
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let err = read_regular(&link, 16).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let fifo = dir.path().join("fifo.html");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let err = read_regular(&fifo, 16).unwrap_err().to_string();
        assert_eq!(err, "it is not a regular file", "no hang on a FIFO");
        let err = read_regular(dir.path(), 16).unwrap_err().to_string();
        assert_eq!(err, "it is not a regular file");
        fs::write(&file, [b' '; 17]).unwrap();
        assert!(read_regular(&file, 16).is_err());
    }
}
