//! The cached `sec_uid` of an account (`<folder>/.sec_uid`), which lets `--no-profile` runs skip
//! the profile request: read without following a symbolic link, replaced atomically, dropped when
//! it leads astray.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use super::{SEC_UID_FILE, is_symlink, no_follow, write_atomic};
use crate::error::warn;

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
pub(crate) fn cached_sec_uid(dir: &Path) -> Option<String> {
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
pub(crate) fn cache_sec_uid(dir: &Path, sec_uid: &str) -> anyhow::Result<()> {
    if read_sec_uid(dir) == Cached::Id(sec_uid.to_string()) {
        return Ok(());
    }
    write_atomic(dir, SEC_UID_FILE, format!("{sec_uid}\n").as_bytes()).map(drop)
}

/// Drops the cached `sec_uid` (it led astray); a failure to remove it is a warning.
pub(crate) fn forget_sec_uid(dir: &Path) {
    match fs::remove_file(dir.join(SEC_UID_FILE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => warn(format!(
            "could not remove {}: {e}",
            dir.join(SEC_UID_FILE).display()
        )),
    }
}
