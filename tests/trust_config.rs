//! Configuration that can be trusted, through the real binary: an env file that does not parse is
//! named by its line only, a key or base URL that would fail or leak is refused before any request,
//! a panic is one line and exit 70, the accounts come from exactly where the user said (by the same
//! rules for `run`, `history` and `cron`), every setting from its flag, else the process
//! environment, else the env file, and `cron` prints only an entry that can work.

mod common;

use std::time::Duration;

use common::*;

/// Runs `cmd`; checks the exit code, an empty stdout, that stderr is exactly one line and that no
/// reports folder appeared; returns that line.
fn fails(env: &TestEnv, cmd: &mut assert_cmd::Command, code: i32) -> String {
    let output = cmd.output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        !env.dir.path().join("tiktok_reports").exists(),
        "a failed run wrote a folder"
    );
    stderr.trim_end().to_string()
}

fn has_report(env: &TestEnv, username: &str) -> bool {
    env.dir
        .path()
        .join(format!("tiktok_reports/{username}/report_2026-11-15.json"))
        .is_file()
}

#[tokio::test]
async fn exits_64_when_as_of_is_before_tiktok_existed() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails(&env, &mut env.run("2016-08-31T23:59:59Z", &[]), 64);
    assert_eq!(
        line,
        "tiktok-review: error: --as-of 2016-08-31T23:59:59Z is before TikTok existed; \
         give a time from 2016-09-01T00:00:00Z on"
    );
}

#[tokio::test]
async fn exits_78_naming_only_the_line_number_of_an_env_file_syntax_error() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    std::fs::write(
        env.dir.path().join(".env"),
        format!("# the key\nTIKTOK_REVIEW_TZ=UTC\nSCAVIO_API_KEY={KEY} pasted twice\n"),
    )
    .unwrap();
    let line = fails(
        &env,
        env.bare_cmd()
            .args(["run", "--user", USER, "--as-of", AS_OF]),
        78,
    );
    assert_eq!(
        line,
        "tiktok-review: error: reading env file .env: syntax error on line 3; \
         fix that line (its text is not shown: it may hold a secret)"
    );

    // A stray quote runs to the end of the file: the line it opens on is named, nothing of it shown.
    std::fs::write(
        env.dir.path().join("review.env"),
        format!("\u{feff}SCAVIO_API_KEY=\"{KEY}\nTIKTOK_USERNAME=examplecreator\n"),
    )
    .unwrap();
    let line = fails(
        &env,
        env.bare_cmd()
            .args(["run", "--as-of", AS_OF, "--env-file", "review.env"]),
        78,
    );
    assert_eq!(
        line,
        "tiktok-review: error: reading env file review.env: syntax error on line 1; \
         fix that line (its text is not shown: it may hold a secret)"
    );
    assert!(!line.contains("TESTKEY") && !line.contains("TIKTOK_USERNAME"));
}

#[tokio::test]
async fn only_run_reads_the_dot_env_file() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    std::fs::write(
        env.dir.path().join(".env"),
        format!("TIKTOK_USERNAME=examplecreator\nSCAVIO_API_KEY='{KEY}\n"),
    )
    .unwrap();
    for args in [
        &["history", "--user", USER][..],
        &["cron", "--user", USER],
        &["completions", "bash"],
    ] {
        let output = env.bare_cmd().args(args).output().unwrap();
        let (_, stderr) = texts(&output);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("env file"), "{args:?}: {stderr}");
    }
    let line = fails(&env, env.bare_cmd().args(["history"]), 64);
    assert!(line.contains("no TikTok account given"), "{line}");
    let line = fails(
        &env,
        env.bare_cmd()
            .args(["run", "--user", USER, "--as-of", AS_OF]),
        78,
    );
    assert!(
        line.contains("reading env file .env: syntax error on line 2"),
        "{line}"
    );
}

#[tokio::test]
async fn exits_78_without_a_request_when_the_key_holds_a_control_character() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    for key in [
        "sk_live_TESTKEY\rmust_never_leak",
        "sk_live_TESTKEY\u{1}must_never_leak",
    ] {
        let line = fails(&env, env.run(AS_OF, &[]).env("SCAVIO_API_KEY", key), 78);
        assert_eq!(
            line,
            "tiktok-review: error: SCAVIO_API_KEY contains a control character (such as a carriage \
             return or tab inside it); copy the key again from the Scavio dashboard"
        );
    }
}

#[tokio::test]
async fn exits_78_without_a_request_or_the_password_for_credentials_or_a_query_in_the_base_url() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let address = env.server.address();
    let with_password = format!("http://scavio:hunter2@{address}/scavio");
    let line = fails(
        &env,
        env.run(AS_OF, &[]).env("SCAVIO_BASE_URL", &with_password),
        78,
    );
    assert_eq!(
        line,
        format!(
            "tiktok-review: error: SCAVIO_BASE_URL http://{address}/scavio holds a user name or \
             password (`user:pass@`); remove it: the API key is the only credential sent"
        )
    );
    let with_query = format!("http://{address}/?api_key={KEY}");
    let line = fails(
        &env,
        env.run(AS_OF, &[]).env("SCAVIO_BASE_URL", &with_query),
        78,
    );
    assert_eq!(
        line,
        format!(
            "tiktok-review: error: SCAVIO_BASE_URL http://{address}/ has a query string or fragment \
             (`?…` or `#…`, not shown), which every request would drop; remove it"
        )
    );
}

#[tokio::test]
async fn plain_http_off_this_machine_warns_that_the_key_travels_in_clear_text_and_runs_on() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    // 0.0.0.0 is no loopback address, so the warning shows, yet the system connects it to this
    // machine, so the run reaches the stand-in.
    let port = env.server.address().port();
    let output = env
        .run(AS_OF, &["-q"])
        .env("SCAVIO_BASE_URL", format!("http://0.0.0.0:{port}"))
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "tiktok-review: warning: SCAVIO_BASE_URL is plain http to 0.0.0.0: the API key travels in \
         clear text; use https\n"
    );
    assert!(has_report(&env, USER));
}

#[cfg(debug_assertions)]
#[tokio::test]
async fn a_panic_prints_one_internal_error_line_without_the_key_and_exits_70() {
    // TIKTOK_REVIEW_TEST_PANIC exists in debug builds only: it panics inside the tokio runtime.
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails(
        &env,
        env.run(AS_OF, &[]).env(
            "TIKTOK_REVIEW_TEST_PANIC",
            format!("boom {KEY}\n  at the second line\t"),
        ),
        70,
    );
    assert_eq!(
        line,
        "tiktok-review: error: internal error: boom *** at the second line (please report this bug)"
    );
}

#[tokio::test]
async fn a_users_file_starting_with_a_byte_order_mark_is_read() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, USER, 1, Duration::ZERO).await;
    std::fs::write(
        env.dir.path().join("accounts.txt"),
        "\u{feff}examplecreator\r\n",
    )
    .unwrap();
    let output = env
        .cmd()
        .args([
            "run",
            "--as-of",
            AS_OF,
            "-q",
            "--users-file",
            "accounts.txt",
        ])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert!(has_report(&env, USER));
}

#[tokio::test]
async fn empty_entries_of_tiktok_username_and_user_lists_are_ignored() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, USER, 2, Duration::ZERO).await;
    serve_account_pages(&env, "secondcreator", 1, Duration::ZERO).await;
    let output = env
        .cmd()
        .env("TIKTOK_USERNAME", ", examplecreator,, secondcreator ,")
        .args(["run", "--as-of", AS_OF, "-q"])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let output = env
        .cmd()
        .args([
            "run",
            "--as-of",
            AS_OF,
            "-q",
            "--user",
            "examplecreator,,",
            "--user",
            "",
        ])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(has_report(&env, USER) && has_report(&env, "secondcreator"));
}

#[tokio::test]
async fn a_users_file_replaces_tiktok_username_and_user_flags_add_to_it() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "fromvariable", 0, Duration::ZERO).await;
    serve_account_pages(&env, "fromfile", 2, Duration::ZERO).await;
    serve_account_pages(&env, "fromflag", 1, Duration::ZERO).await;
    std::fs::write(env.dir.path().join("accounts.txt"), "fromfile\n").unwrap();
    for flags in [&[][..], &["--user", "fromflag"]] {
        let output = env
            .cmd()
            .env("TIKTOK_USERNAME", "fromvariable")
            .args([
                "run",
                "--as-of",
                AS_OF,
                "-q",
                "--users-file",
                "accounts.txt",
            ])
            .args(flags)
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert!(output.status.success(), "{flags:?}: {stderr}");
    }
    assert!(has_report(&env, "fromfile") && has_report(&env, "fromflag"));
    assert!(!env.dir.path().join("tiktok_reports/fromvariable").exists());
}

#[tokio::test]
async fn cron_without_user_exits_64_saying_to_pass_it() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails(&env, env.cmd().args(["cron"]), 64);
    assert_eq!(
        line,
        "tiktok-review: error: no TikTok account given: pass --user <HANDLE> (or set \
         TIKTOK_USERNAME) so that the crontab entry names the account"
    );
}

#[tokio::test]
async fn cron_refuses_a_path_with_a_line_break_that_crontab_would_read_as_a_second_job() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let evil = "r\n* * * * * touch /tmp/pwned #";
    let from_variable = fails(
        &env,
        env.cmd()
            .args(["cron", "--user", USER])
            .env("TIKTOK_REVIEW_REPORTS_DIR", evil),
        64,
    );
    let from_flag = fails(
        &env,
        env.cmd()
            .args(["cron", "--user", USER, "--reports-dir", evil]),
        64,
    );
    for line in [from_variable, from_flag] {
        assert!(
            line.starts_with("tiktok-review: error: the reports folder's path holds a control character (such as a line break), which would break the crontab line: \""),
            "{line}"
        );
    }
    let workdir = env.dir.path().join("a\nb");
    std::fs::create_dir(&workdir).unwrap();
    let line = fails(
        &env,
        env.cmd()
            .args(["cron", "--user", USER])
            .current_dir(&workdir),
        64,
    );
    assert!(
        line.starts_with("tiktok-review: error: the working directory holds a control character"),
        "{line}"
    );
}

#[tokio::test]
async fn cron_refuses_a_schedule_field_out_of_range_and_names_it() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails(
        &env,
        env.cmd()
            .args(["cron", "--user", USER, "--at", "99 99 * * 9"]),
        64,
    );
    assert_eq!(
        line,
        "tiktok-review: error: --at \"99 99 * * 9\" is not a cron schedule: minute field: \"99\" is \
         not 0–59; give five fields such as \"0 20 * * 0\""
    );
    let line = fails(
        &env,
        env.cmd()
            .args(["cron", "--user", USER, "--at", "0 24 * * 0"]),
        64,
    );
    assert!(line.contains("hour field: \"24\" is not 0–23"), "{line}");
    for schedule in [
        "*/30 8-18/2 1,15 jan-jun mon-fri",
        "@weekly",
        "59 23 31 12 7",
    ] {
        let output = env
            .cmd()
            .args(["cron", "--user", USER, "--at", schedule])
            .output()
            .unwrap();
        assert!(output.status.success(), "{schedule}");
        let (stdout, _) = texts(&output);
        assert!(
            stdout
                .lines()
                .last()
                .unwrap()
                .starts_with(&format!("{schedule} mkdir -p ")),
            "{stdout}"
        );
    }
}

/// The `run` of the fixture account to `AS_OF` in `env`'s folder, with the key only in `.env`
/// beside `file_lines`, and `process` variables set; returns the folder of the report.
fn report_folder(
    env: &TestEnv,
    file_lines: &str,
    process: &[(&str, &str)],
    flags: &[&str],
) -> String {
    std::fs::write(
        env.dir.path().join(".env"),
        format!("SCAVIO_API_KEY={KEY}\n{file_lines}"),
    )
    .unwrap();
    let output = env
        .bare_cmd()
        .envs(process.iter().copied())
        .args(["run", "--user", USER, "--as-of", AS_OF])
        .args(flags)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let path = stdout
        .lines()
        .next()
        .unwrap()
        .rsplit(" report ")
        .next()
        .unwrap();
    path.strip_suffix("/examplecreator/report_2026-11-15.json")
        .unwrap_or(path)
        .to_string()
}

#[tokio::test]
async fn a_flag_wins_over_the_process_environment_which_wins_over_the_env_file() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, USER, 3, Duration::ZERO).await;
    let file = "TIKTOK_REVIEW_REPORTS_DIR=fromfile\n";
    assert_eq!(report_folder(&env, file, &[], &[]), "fromfile");
    let process = [("TIKTOK_REVIEW_REPORTS_DIR", "fromprocess")];
    assert_eq!(report_folder(&env, file, &process, &[]), "fromprocess");
    let flags = ["--reports-dir", "fromflag"];
    assert_eq!(report_folder(&env, file, &process, &flags), "fromflag");
}

#[tokio::test]
async fn a_variable_set_empty_in_the_process_leaves_the_env_file_value() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, USER, 1, Duration::ZERO).await;
    let file = "TIKTOK_REVIEW_REPORTS_DIR=fromfile\n";
    let process = [("TIKTOK_REVIEW_REPORTS_DIR", "")];
    assert_eq!(report_folder(&env, file, &process, &[]), "fromfile");
}

#[tokio::test]
async fn exits_64_without_a_request_when_a_variable_does_not_parse_naming_it() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let line = fails(
        &env,
        env.run(AS_OF, &[]).env("SCAVIO_CONCURRENCY", "lots"),
        64,
    );
    assert_eq!(
        line,
        "tiktok-review: error: SCAVIO_CONCURRENCY \"lots\": expected a whole number from 1 to 50 \
         (your Scavio plan's limit)"
    );
    std::fs::write(
        env.dir.path().join(".env"),
        "TIKTOK_REVIEW_TZ=Mars/Olympus\n",
    )
    .unwrap();
    let line = fails(&env, &mut env.run(AS_OF, &[]), 64);
    assert!(
        line.starts_with(
            "tiktok-review: error: TIKTOK_REVIEW_TZ \"Mars/Olympus\": not an IANA time zone name"
        ),
        "{line}"
    );
}

#[tokio::test]
async fn history_takes_its_account_from_tiktok_username_and_refuses_several_naming_them() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let folder = env.dir.path().join("saved").join(USER);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("report_2026-11-08.json"),
        earlier_report("2026-11-08", 3, 1500),
    )
    .unwrap();
    let output = env
        .bare_cmd()
        .env("TIKTOK_USERNAME", format!(" @{USER} ,"))
        .env("TIKTOK_REVIEW_REPORTS_DIR", "saved")
        .args(["history", "--format", "csv"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert!(
        stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("2026-11-08,3,,1500,"),
        "{stdout}"
    );

    let several = "history shows one account, but 2 are given (@examplecreator, @secondcreator); \
                   pass --user <HANDLE> with one of them";
    let output = env
        .bare_cmd()
        .env("TIKTOK_USERNAME", "examplecreator,secondcreator")
        .args(["history"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(64), "{stderr}");
    assert_eq!(
        (stdout.as_str(), stderr.trim_end()),
        ("", format!("tiktok-review: error: {several}").as_str())
    );
    let line = fails(
        &env,
        env.bare_cmd()
            .args(["history", "--user", "examplecreator,secondcreator"]),
        64,
    );
    assert_eq!(line, format!("tiktok-review: error: {several}"));
}

#[tokio::test]
async fn cron_names_the_accounts_and_reports_folder_of_the_environment_in_its_entry() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    std::fs::write(
        env.dir.path().join(".env"),
        format!("SCAVIO_API_KEY={KEY}\nTIKTOK_REVIEW_REPORTS_DIR=fromfile\n"),
    )
    .unwrap();
    let output = env
        .bare_cmd()
        .env("TIKTOK_USERNAME", "alpha, @Beta")
        .env("TIKTOK_REVIEW_REPORTS_DIR", "weekly")
        .args(["cron"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let workdir = env.dir.path().canonicalize().unwrap();
    let reports = workdir.join("weekly");
    let line = stdout.lines().last().unwrap();
    assert!(
        line.contains(" run --user alpha,beta --week-end sun@20:00 --env-file "),
        "{line}"
    );
    assert!(
        line.contains(&format!("--reports-dir {} --quiet", reports.display())),
        "{line}"
    );
    assert!(
        !line.contains("fromfile"),
        "cron never reads the env file: {line}"
    );
}

#[tokio::test]
async fn dry_run_format_names_the_printed_form_and_format_still_works() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, USER, 2, Duration::ZERO).await;
    for flag in ["--dry-run-format", "--format"] {
        let output = env.run(AS_OF, &["--dry-run", flag, "md"]).output().unwrap();
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{flag}: {stderr}");
        assert!(stdout.starts_with("# "), "{flag}: {stdout}");
    }
    assert!(
        !env.dir.path().join("tiktok_reports").exists(),
        "a dry run writes nothing"
    );
}

#[tokio::test]
async fn dry_run_flags_that_would_be_ignored_are_usage_errors() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    for (args, why) in [
        (
            vec!["--dry-run", "--formats", "md"],
            "--formats chooses the files a run writes, and --dry-run writes none",
        ),
        (
            vec!["--dry-run-format", "md"],
            "--dry-run-format only applies with --dry-run",
        ),
        (
            vec!["--dry-run", "--user", "second"],
            "--dry-run prints one JSON document: give one account",
        ),
    ] {
        let line = fails_with(&mut env.run(AS_OF, &args), 64);
        assert!(line.contains(why), "{args:?}: {line}");
    }
    std::fs::write(env.dir.path().join("accounts.txt"), "# nobody yet\n").unwrap();
    let line = fails_with(
        env.cmd().env("TIKTOK_USERNAME", "someone").args([
            "run",
            "--as-of",
            AS_OF,
            "--users-file",
            "accounts.txt",
        ]),
        64,
    );
    assert!(
        line.contains("the users file accounts.txt names no account"),
        "{line}"
    );
    assert!(!env.dir.path().join("tiktok_reports").exists());
}
