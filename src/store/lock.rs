//! The per-account lock: one run at a time for an account's folder (and, for the overview, the
//! reports folder), waiting briefly for another, never through a symbolic link, and leaving no
//! empty folder behind. Whoever holds it first tidies away what a killed run left in the folder.

use std::fs::{self, File, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::write::{remove_leftovers, write_failed};
use super::{LOCK_FILE, LOCK_WAIT, cannot_write, is_symlink, no_follow};
use crate::error::{Failure, Kind};

/// An exclusive lock on one account's folder (`<folder>/.lock`), released when dropped (or when
/// the process dies).
///
/// The folder is created for the lock. When the lock is dropped and the folder holds nothing but
/// the lock (the run failed before it wrote anything), both are removed, so a failed account leaves
/// no folder behind. A lock file can therefore vanish under a waiting run: a run that gets a lock
/// checks that the file it locked is still the one at the path, and starts over when it is not.
#[derive(Debug)]
pub(crate) struct Lock {
    /// Held open until after [`Drop`] has tidied up.
    _file: File,
    dir: PathBuf,
}

impl Lock {
    /// Creates `dir` if needed and locks it, waiting up to two seconds for another run; then removes
    /// the temporaries a killed run left there.
    pub(crate) async fn acquire(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(LOCK_FILE);
        let started = Instant::now();
        loop {
            let waited = started.elapsed() >= LOCK_WAIT;
            fs::create_dir_all(dir).map_err(|e| {
                write_failed(format!("creating reports folder {}", dir.display()), &e)
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
                    return Err(write_failed(
                        format!("opening lock file {}", path.display()),
                        &e,
                    ));
                }
            };
            let locked = match file.try_lock() {
                // Locked, but if the run before removed the file as it ended, lock the new one.
                Ok(()) => is_still_at(&file, &path),
                Err(TryLockError::WouldBlock) => false,
                Err(TryLockError::Error(e)) => {
                    return Err(write_failed(format!("locking {}", path.display()), &e));
                }
            };
            if locked {
                remove_leftovers(dir);
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn the_lock_holder_removes_what_a_killed_run_left_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("examplecreator");
        fs::create_dir_all(&dir).unwrap();
        for name in [
            ".report_2026-11-15.json.AbC123.tmp",
            ".report_2026-11-15.md.dEf456.bak",
            "report_2026-11-08.json",
            "notes.tmp",
        ] {
            fs::write(dir.join(name), "x").unwrap();
        }
        let _lock = Lock::acquire(&dir).await.unwrap();
        let mut names: Vec<String> = (fs::read_dir(&dir).unwrap())
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".lock", "notes.tmp", "report_2026-11-08.json"]);
    }
}
