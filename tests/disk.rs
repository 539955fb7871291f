//! A reports folder that is full or read-only stops the run at the first write it refuses: no
//! account after it sends a request (no credit spent on data that cannot be saved), they are named
//! once with the command that fills them, the error keeps its exit code 73, and the accounts
//! written before stay whole, with no temporary left.
//!
//! The binary runs in a private mount namespace (`unshare -m`, as root) over a tmpfs of a chosen
//! size, or remounted read-only; the folder's contents are copied out before the namespace ends.
//! Where mounting is not permitted the tests say so and pass, except under CI (`CI` set), where
//! they fail.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::*;

/// A tmpfs page: what a file's size is rounded up to.
const PAGE: u64 = 4096;

/// The accounts of every run here, at `--concurrency 1` so that each starts after the one before.
const USERS: &str = "aaaa,bbbb,cccc";

/// Whether this runs under CI (`CI` set, and not to `false`, `0` or nothing), where a machine that
/// cannot mount is a failure rather than a reason to skip.
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether a private mount namespace with a tmpfs can be had here; says so when not.
fn can_mount() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs \"$0\""])
        .arg(dir.path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        assert!(
            !in_ci(),
            "`unshare -m` with a tmpfs mount is not permitted, but CI is set: CI must run the \
             disk tests (as root, or with CAP_SYS_ADMIN)"
        );
        eprintln!("skipping: `unshare -m` with a tmpfs mount is not permitted here (run as root)");
    }
    mounted
}

/// Runs `tiktok-review run --user aaaa,bbbb,cccc --concurrency 1` with the reports folder
/// (`tiktok_reports` in the working dir) a private tmpfs that `setup` (a shell snippet, the folder
/// in `$R`) prepares; returns the output and copies what the folder holds at the end to `saved`.
fn run_on_private_folder(env: &TestEnv, setup: &str, saved: &Path) -> Output {
    let folder = env.dir.path().join("tiktok_reports");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(saved).unwrap();
    let script = format!(
        "set -e; R=\"$1\"; S=\"$2\"; shift 2; {setup}; set +e; \"$@\"; code=$?; \
         cp -a \"$R/.\" \"$S/\"; exit $code"
    );
    Command::new("unshare")
        .args(["-m", "sh", "-c", &script, "sh"])
        .arg(&folder)
        .arg(saved)
        .arg(env!("CARGO_BIN_EXE_tiktok-review"))
        .args([
            "run",
            "--as-of",
            AS_OF,
            "--concurrency",
            "1",
            "--user",
            USERS,
        ])
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("SCAVIO_API_KEY", KEY)
        .env("SCAVIO_BASE_URL", env.server.uri())
        .current_dir(env.dir.path())
        .output()
        .unwrap()
}

/// Serves each account's profile and two pages, each expected `times` of the account's entry.
async fn serve(env: &TestEnv, times: [u64; 3]) {
    for (name, times) in USERS.split(',').zip(times) {
        serve_account_pages(env, name, times, Duration::ZERO).await;
    }
}

/// Every path under `root`, relative to it, sorted (folders too).
fn tree(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// The tmpfs pages one account's files take (its report's three forms and the cached id), as a
/// run of @aaaa alone into a plain folder writes them.
async fn pages_of_one_account() -> u64 {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "aaaa", 1, Duration::ZERO).await;
    env.cmd()
        .args(["run", "--as-of", AS_OF, "--user", "aaaa", "-q"])
        .assert()
        .success();
    let dir = env.dir.path().join("tiktok_reports/aaaa");
    (std::fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().metadata().unwrap().len().div_ceil(PAGE))
        .sum()
}

/// Stderr's lines, checked: exit 73, the refused write of `failed` as its own line, then the stop
/// line; returns the stop line.
fn stopped_at(output: &Output, failed: &str, os_error: &str) -> String {
    let (_, stderr) = texts(output);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    let refused = format!(
        "tiktok-review: error: @{failed}: saving the report of @{failed}: writing \
         tiktok_reports/{failed}/report_2026-11-15."
    );
    assert!(lines[0].starts_with(&refused), "{stderr}");
    assert!(lines[0].ends_with(os_error), "{stderr}");
    lines[1].to_string()
}

#[tokio::test]
async fn a_full_folder_stops_the_run_before_the_next_account_spends_a_credit() {
    if !can_mount() {
        return;
    }
    // Room for @aaaa's files and one page more: @bbbb's report cannot fit.
    let size = (pages_of_one_account().await + 1) * PAGE;
    let env = TestEnv::new().await;
    serve(&env, [1, 1, 0]).await;
    let saved = env.dir.path().join("saved");
    let setup = format!("mount -t tmpfs -o size={size} tmpfs \"$R\"");
    let output = run_on_private_folder(&env, &setup, &saved);

    let stop = stopped_at(&output, "bbbb", "No space left on device (os error 28)");
    assert_eq!(
        stop,
        "tiktok-review: error: the reports folder tiktok_reports is full: the run stopped with \
         1 report saved; not written: @bbbb, @cccc; free space, then run `tiktok-review run \
         --user bbbb,cccc --as-of 2026-11-15T20:00:00Z` to fill them"
    );
    assert_eq!(
        tree(&saved),
        [
            "aaaa",
            "aaaa/.lock",
            "aaaa/.sec_uid",
            "aaaa/report_2026-11-15.html",
            "aaaa/report_2026-11-15.json",
            "aaaa/report_2026-11-15.md",
        ],
        "no temporary, no overview, nothing of @bbbb or @cccc"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(saved.join("aaaa/report_2026-11-15.json")).unwrap())
            .unwrap();
    assert_eq!(report["metrics"]["post_count"], 7);
    let (stdout, _) = texts(&output);
    assert!(
        stdout.ends_with("3 accounts: 1 report written, 1 failed, 1 not run; 6 requests, 6 credits used, 6,543 left\n"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_folder_turned_read_only_stops_the_run_after_the_write_it_refused() {
    if !can_mount() {
        return;
    }
    // The accounts' lock files stay writable (bound from outside), so each account locks as on a
    // writable folder and the report's write is the first thing the folder refuses.
    let env = TestEnv::new().await;
    serve(&env, [1, 0, 0]).await;
    let locks = env.dir.path().join("locks");
    std::fs::create_dir_all(&locks).unwrap();
    for name in USERS.split(',') {
        std::fs::write(locks.join(name), "").unwrap();
    }
    let saved = env.dir.path().join("saved");
    let setup = format!(
        "mount -t tmpfs -o size=1m tmpfs \"$R\"; for u in aaaa bbbb cccc; do mkdir \"$R/$u\"; \
         : > \"$R/$u/.lock\"; mount --bind \"{}/$u\" \"$R/$u/.lock\"; done; \
         mount -o remount,ro \"$R\"",
        locks.display()
    );
    let output = run_on_private_folder(&env, &setup, &saved);

    let stop = stopped_at(&output, "aaaa", "Read-only file system (os error 30)");
    assert_eq!(
        stop,
        "tiktok-review: error: the reports folder tiktok_reports is read-only: the run stopped \
         with no report saved; not written: @aaaa, @bbbb, @cccc; make it writable, then run \
         `tiktok-review run --user aaaa,bbbb,cccc --as-of 2026-11-15T20:00:00Z` to fill them"
    );
    assert_eq!(
        tree(&saved),
        [
            "aaaa",
            "aaaa/.lock",
            "bbbb",
            "bbbb/.lock",
            "cccc",
            "cccc/.lock"
        ]
    );
}

#[tokio::test]
async fn a_read_only_folder_stops_the_run_at_the_first_lock_without_a_request() {
    if !can_mount() {
        return;
    }
    let env = TestEnv::new().await;
    serve(&env, [0, 0, 0]).await;
    let saved = env.dir.path().join("saved");
    let setup = "mount -t tmpfs -o size=64k,ro tmpfs \"$R\"";
    let output = run_on_private_folder(&env, setup, &saved);

    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: error: @aaaa: creating reports folder tiktok_reports/aaaa: Read-only \
         file system (os error 30)\n\
         tiktok-review: error: the reports folder tiktok_reports is read-only: the run stopped \
         with no report saved; not written: @aaaa, @bbbb, @cccc; make it writable, then run \
         `tiktok-review run --user aaaa,bbbb,cccc --as-of 2026-11-15T20:00:00Z` to fill them\n"
    );
    assert!(tree(&saved).is_empty());
}
