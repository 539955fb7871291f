//! SIGTERM and SIGINT in the middle of a run over several accounts, as cron, systemd and Kubernetes
//! send them: the account already written stays whole, the accounts in flight or not started are
//! named once as not run with the command that fills them, no temporary stays, no overview is
//! written, exit 75; and the next run of an account removes what a killed run left in its folder.
//!
//! The binary runs as a child process against the counting stand-in (`tests/counting/`); the test
//! waits for the report and the requests it expects (polling, never sleeping as an assertion),
//! then signals the child with `libc::kill`.

mod common;
mod counting;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use counting::Hold;

/// Every path under `root`, relative to it, sorted (folders too).
fn tree(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
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

/// Polls `ready` until it holds; fails the test if it has not after a minute (a guard against a
/// hang, not a measurement).
async fn wait_until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Runs four accounts at `--concurrency 2` against a stand-in that answers @aaaa at once and holds
/// every other request open; once @aaaa's report is written and @cccc (which starts when @aaaa
/// ends) has sent its profile request, sends `signal`. Checks everything a stopped run promises
/// and returns its stderr.
async fn stopped_by(signal: libc::c_int) -> String {
    let env = TestEnv::new().await;
    let (address, seen) = counting::start(|label, _| match label.ends_with(" aaaa") {
        true => Hold::For(Duration::ZERO),
        false => Hold::UntilClosed,
    })
    .await;
    let child = Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .env_clear()
        .env("SCAVIO_API_KEY", KEY)
        .env("SCAVIO_BASE_URL", &address)
        .current_dir(env.dir.path())
        .args(["run", "--as-of", AS_OF, "--concurrency", "2"])
        .args(["--user", "aaaa,bbbb,cccc,dddd"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let reports = env.dir.path().join("tiktok_reports");
    let json = reports.join("aaaa/report_2026-11-15.json");
    wait_until("@aaaa is written and @cccc asks for its profile", || {
        json.is_file() && seen.count("profile cccc") == 1
    })
    .await;
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with the id of our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(75), "{stderr}");

    let mut expected: Vec<String> = counting::account_requests("aaaa").into();
    expected.extend(["profile bbbb".into(), "profile cccc".into()]);
    expected.sort();
    assert_eq!(seen.sorted(), expected, "@dddd must not have started");
    assert_whole(&json);
    assert_eq!(
        tree(&reports),
        [
            "aaaa",
            "aaaa/.lock",
            "aaaa/.sec_uid",
            "aaaa/report_2026-11-15.html",
            "aaaa/report_2026-11-15.json",
            "aaaa/report_2026-11-15.md",
        ],
        "no temporary, no overview, no folder of an account not run"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("@aaaa week to 2026-11-15: 7 posts"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("4 accounts: 1 report written, 0 failed, 3 not run; 5 requests"),
        "{stdout}"
    );
    stderr
}

/// The report's three files are complete: the JSON reads as @aaaa's report of the week, and the
/// Markdown and HTML end as they should.
fn assert_whole(json: &Path) {
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(report["user"], "aaaa");
    assert_eq!(report["metrics"]["post_count"], 7);
    let form = |ext: &str| -> PathBuf { json.with_extension(ext) };
    let markdown = std::fs::read_to_string(form("md")).unwrap();
    assert!(markdown.starts_with("# ") && markdown.ends_with('\n'));
    let html = std::fs::read_to_string(form("html")).unwrap();
    assert!(html.trim_end().ends_with("</html>"), "{html}");
}

#[tokio::test]
async fn sigterm_keeps_the_written_account_whole_and_names_the_rest_as_not_run() {
    assert_eq!(
        stopped_by(libc::SIGTERM).await,
        "tiktok-review: error: stopped by SIGTERM with 1 report saved; not written: @bbbb, \
         @cccc, @dddd; no overview written, nothing delivered: run `tiktok-review run --user \
         bbbb,cccc,dddd --as-of 2026-11-15T20:00:00Z` to fill them\n"
    );
}

#[tokio::test]
async fn sigint_stops_the_run_the_same_way() {
    let stderr = stopped_by(libc::SIGINT).await;
    assert!(
        stderr.starts_with("tiktok-review: error: stopped by SIGINT with 1 report saved;"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn the_next_run_of_an_account_removes_what_a_killed_run_left_in_its_folder() {
    let (env, _) = with_last_week_saved().await;
    let leftovers = [
        ".report_2026-11-15.json.Ab12Cd.tmp",
        ".report_2026-11-15.md.Ef34Gh.tmp",
        ".report_2026-11-08.md.Ij56Kl.bak",
        "..sec_uid.Mn78Op.tmp",
    ];
    for name in leftovers.iter().chain(&["notes.txt"]) {
        std::fs::write(env.user_dir().join(name), "left by a killed run").unwrap();
    }
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    assert_eq!(
        env.files(),
        [
            ".lock",
            ".sec_uid",
            "notes.txt",
            "report_2026-11-08.json",
            "report_2026-11-15.html",
            "report_2026-11-15.json",
            "report_2026-11-15.md",
        ]
    );
}

#[tokio::test]
async fn sigterm_during_delivery_cuts_it_and_says_how_to_send_again() {
    let env = TestEnv::new().await;
    // Scavio's answers come at once; the webhook (an unknown path to this stand-in) never answers.
    let (address, seen) =
        counting::start(|label, _| match label.starts_with("unexpected /hooks/") {
            true => Hold::UntilClosed,
            false => Hold::For(Duration::ZERO),
        })
        .await;
    let child = Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .env_clear()
        .env("SCAVIO_API_KEY", KEY)
        .env("SCAVIO_BASE_URL", &address)
        .env(
            "TIKTOK_REVIEW_WEBHOOK_URL",
            format!("{address}/hooks/T0k3nXyZ"),
        )
        .current_dir(env.dir.path())
        .args(["run", "--as-of", AS_OF, "--user", "aaaa"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let delivering = || (seen.sorted().iter()).any(|r| r.starts_with("unexpected /hooks/"));
    wait_until("the webhook gets the message", delivering).await;
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with the id of our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: error: delivery stopped by SIGTERM: the reports are saved, and a channel \
         may have had its message already; look in each, then send to one that did not get it \
         with `tiktok-review send --date 2026-11-15 --channel <name>`\n"
    );
    assert_whole(
        &env.dir
            .path()
            .join("tiktok_reports/aaaa/report_2026-11-15.json"),
    );
}

#[tokio::test]
async fn the_next_overview_removes_the_overview_temporaries_a_killed_run_left() {
    let env = TestEnv::new().await;
    for name in ["aaaa", "bbbb"] {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    let reports = env.dir.path().join("tiktok_reports");
    std::fs::create_dir_all(&reports).unwrap();
    for name in [
        ".overview_2026-11-15.json.Ab12Cd.tmp",
        ".overview_2026-11-08.md.Ef34Gh.bak",
    ] {
        std::fs::write(reports.join(name), "left by a killed run").unwrap();
    }
    env.cmd()
        .args(["run", "--as-of", AS_OF, "--user", "aaaa,bbbb", "-q"])
        .assert()
        .success();
    let left = tree(&reports);
    assert!(
        left.contains(&"overview_2026-11-15.json".to_string()),
        "{left:?}"
    );
    assert!(
        !left
            .iter()
            .any(|p| p.ends_with(".tmp") || p.ends_with(".bak")),
        "{left:?}"
    );
}

#[tokio::test]
async fn sigterm_during_send_cuts_it_and_says_how_to_send_again() {
    let (env, _) = with_last_week_saved().await;
    // The webhook never answers: `send` is in the middle of its POST when the signal comes.
    let (address, seen) = counting::start(|_, _| Hold::UntilClosed).await;
    let child = Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .env_clear()
        .env(
            "TIKTOK_REVIEW_WEBHOOK_URL",
            format!("{address}/hooks/T0k3nXyZ"),
        )
        .current_dir(env.dir.path())
        .arg("send")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the webhook gets the message", || !seen.sorted().is_empty()).await;
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with the id of our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(
        output.status.code(),
        Some(75),
        "one line, not a silent 143: {stderr}"
    );
    assert_eq!(
        stderr,
        "tiktok-review: error: delivery stopped by SIGTERM: the reports are saved, and a channel \
         may have had its message already; look in each, then send to one that did not get it \
         with `tiktok-review send --date 2026-11-08 --channel <name>`\n"
    );
}
