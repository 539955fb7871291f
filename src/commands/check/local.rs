//! The checks on this machine: the env file (read by the configuration), the reports folder
//! (a temporary file created and removed in it) and the installed crontab (`crontab -l`).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use super::Line;
use crate::error::{Failure, Kind};

/// The env file's line: which file was read, that there is none, or why it was not read.
pub(super) fn env_file(read: &Result<Option<PathBuf>, Failure>) -> Line {
    match read {
        Ok(Some(path)) => Line::pass(format!("env file {} parses", path.display())),
        Ok(None) => Line::skip("no env file (.env or --env-file): using the environment"),
        Err(failure) => Line::fail(failure.kind.exit_code(), failure.to_string()),
    }
}

/// The reports folder's line: writable (a file is created in it and removed), or, when it does
/// not exist yet, whether it can be created where it would be.
pub(super) fn reports_dir(dir: &Path) -> Line {
    let cannot = |why: String| Line::fail(Kind::CannotWrite.exit_code(), why);
    if dir.is_dir() {
        return match try_write(dir) {
            Ok(()) => Line::pass(format!("reports folder {} is writable", dir.display())),
            Err(e) => cannot(format!(
                "reports folder {} is not writable ({e}); fix its permissions or name another folder with --reports-dir",
                dir.display()
            )),
        };
    }
    if dir.exists() {
        return cannot(format!(
            "reports folder {} is not a folder; move it away or name another folder with --reports-dir",
            dir.display()
        ));
    }
    let parent = (dir.ancestors().skip(1))
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .find(|a| a.exists())
        .unwrap_or(Path::new("."));
    let written = match parent.is_dir() {
        true => try_write(parent).map_err(|e| e.to_string()),
        false => Err(format!("{} is not a folder", parent.display())),
    };
    match written {
        Ok(()) => Line::pass(format!(
            "reports folder {} does not exist yet: it will be created ({} is writable)",
            dir.display(),
            parent.display()
        )),
        Err(why) => cannot(format!(
            "reports folder {} cannot be created ({why}); name another folder with --reports-dir",
            dir.display()
        )),
    }
}

/// Creates a new empty file in `dir` and removes it.
fn try_write(dir: &Path) -> std::io::Result<()> {
    let path = dir.join(format!(".tiktok-review-check-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    std::fs::remove_file(&path)
}

/// How long `crontab -l` may take before the line says it was not checked.
const CRONTAB_WAIT: Duration = Duration::from_secs(5);

/// The crontab's line (informational: it never changes the exit code): whether the installed
/// crontab holds a line that runs `tiktok-review`; `-` when there is no `crontab` command, no
/// crontab, or `crontab -l` does not answer within [`CRONTAB_WAIT`] (it is then killed).
pub(super) async fn crontab() -> Line {
    let child = Command::new("crontab")
        .arg("-l")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Line::skip("crontab not checked: there is no crontab command");
        }
        Err(e) => return Line::skip(format!("crontab not checked: running crontab -l: {e}")),
    };
    let output = match tokio::time::timeout(CRONTAB_WAIT, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Line::skip(format!("crontab not checked: running crontab -l: {e}")),
        Err(_) => {
            return Line::skip(format!(
                "crontab not checked: crontab -l did not answer within {} s",
                CRONTAB_WAIT.as_secs()
            ));
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.to_ascii_lowercase().contains("no crontab") {
            return Line::skip(
                "no crontab installed: `tiktok-review cron --user HANDLE` prints an entry to install",
            );
        }
        let why = (stderr.lines().find(|l| !l.trim().is_empty()))
            .map(|line| format!(": {line}"))
            .unwrap_or_default();
        return Line::skip(format!(
            "crontab not checked: crontab -l failed ({}{why})",
            output.status
        ));
    }
    let table = String::from_utf8_lossy(&output.stdout);
    let has_entry = table.lines().any(runs_tiktok_review);
    match has_entry {
        true => Line::pass("the installed crontab holds a tiktok-review line"),
        false => Line {
            mark: super::Mark::Fail(None),
            text: "the installed crontab holds no tiktok-review line: `tiktok-review cron --user HANDLE` prints one (informational: the exit code does not count it)".into(),
        },
    }
}

/// Whether a crontab line runs the program: not a comment, and one of its words is
/// `tiktok-review` or a path ending in it (`MAILTO=tiktok-review@example.com` is not).
fn runs_tiktok_review(line: &str) -> bool {
    let line = line.trim();
    !line.starts_with('#')
        && (line.split_whitespace()).any(|word| word.rsplit('/').next() == Some("tiktok-review"))
}
