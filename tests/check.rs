//! `tiktok-review check` through the real binary, one test per line it prints: the env file, the
//! key, the reports folder, the key tested with one profile request (only with `--user`, counted at
//! the Scavio stand-in), each channel's test message (webhook stand-ins and the test SMTP server),
//! and the crontab (a fake `crontab` first on PATH). Also the exit code when several lines fail,
//! and that no secret ever shows.

mod common;
mod hooks;
mod mail_server;

use std::path::PathBuf;

use assert_cmd::Command;
use common::*;
use hooks::*;
use mail_parser::MessageParser;
use mail_server::{FROM, PASSWORD, PASSWORD_IN_URL, SmtpServer, TO};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

/// The text every channel's test message carries.
const TEST_MESSAGE: &str = "tiktok-review: test message, no report";

/// A folder for the fake `crontab` (none in it unless a test writes one): the binary's PATH.
fn bin_dir(env: &TestEnv) -> PathBuf {
    let dir = env.dir.path().join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fake `crontab` on the binary's PATH whose `-l` prints `stdout`, then exits `code`.
fn fake_crontab(env: &TestEnv, stdout: &str, stderr: &str, code: i32) {
    use std::os::unix::fs::PermissionsExt;
    let path = bin_dir(env).join("crontab");
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = -l ] || exit 2\nprintf '%s' '{stdout}'\nprintf '%s' '{stderr}' >&2\nexit {code}\n"
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `check` with `extra` flags, the key set and PATH holding only the test's `bin` folder.
fn check(env: &TestEnv, extra: &[&str]) -> Command {
    let mut cmd = env.cmd();
    cmd.env("PATH", bin_dir(env)).arg("check").args(extra);
    cmd
}

/// Runs `cmd`: its exit code, its stdout lines and its stderr, checked for every secret.
fn outcome(cmd: &mut Command, hooks: &Hooks) -> (i32, Vec<String>, String) {
    let (code, stdout, stderr) = run(cmd, hooks);
    for secret in [PASSWORD, PASSWORD_IN_URL, "p%40ss"] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret} leaked:\n{stdout}\n{stderr}"
        );
    }
    (code, stdout.lines().map(String::from).collect(), stderr)
}

/// Fails the test on any request to the Scavio stand-in that no mock mounted before answers.
async fn forbid_requests(env: &TestEnv) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("no request")
        .mount(&env.server)
        .await;
}

const NO_ENV_FILE: &str = "- no env file (.env or --env-file): using the environment";
const KEY_SET: &str = "✓ SCAVIO_API_KEY is set (not shown)";
const REPORTS_LATER: &str =
    "✓ reports folder tiktok_reports does not exist yet: it will be created (. is writable)";
const KEY_NOT_TESTED: &str =
    "- key not tested: add --user HANDLE to spend 1 credit on one profile request";
const NO_CRONTAB_COMMAND: &str = "- crontab not checked: there is no crontab command";

#[tokio::test]
async fn with_only_the_key_every_line_says_what_it_found_and_no_request_is_sent() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    let (code, lines, stderr) = outcome(&mut check(&env, &[]), &hooks);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert_eq!(lines[0], NO_ENV_FILE);
    assert_eq!(lines[1], KEY_SET);
    assert_eq!(lines[2], REPORTS_LATER);
    assert_eq!(lines[3], KEY_NOT_TESTED);
    assert!(
        lines[4].starts_with("- no delivery channel configured: set TIKTOK_REVIEW_SLACK_WEBHOOK, "),
        "{}",
        lines[4]
    );
    assert_eq!(lines[5], NO_CRONTAB_COMMAND);
    assert!(
        !env.dir.path().join("tiktok_reports").exists(),
        "nothing created"
    );
}

#[tokio::test]
async fn exits_78_when_the_key_is_missing() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    let mut cmd = env.bare_cmd();
    cmd.env("PATH", bin_dir(&env))
        .args(["check", "--user", USER]);
    let (code, lines, _) = outcome(&mut cmd, &hooks);
    assert_eq!(code, 78);
    assert_eq!(
        lines[1],
        "✗ SCAVIO_API_KEY is not set: export it, or put it in .env or the --env-file (see .env.example)"
    );
    assert_eq!(
        lines[3],
        "- key not tested: SCAVIO_API_KEY is not usable (see above)"
    );
}

#[tokio::test]
async fn an_env_file_is_named_when_it_parses_and_exits_78_when_it_does_not_or_is_missing() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    let dir = env.dir.path();
    std::fs::write(dir.join(".env"), format!("SCAVIO_API_KEY={KEY}\n")).unwrap();
    let mut cmd = env.bare_cmd();
    cmd.env("PATH", bin_dir(&env)).arg("check");
    let (code, lines, _) = outcome(&mut cmd, &hooks);
    assert_eq!(code, 0);
    assert_eq!(lines[0], "✓ env file .env parses");
    assert_eq!(lines[1], KEY_SET, "the key came from the file");

    std::fs::write(
        dir.join("bad.env"),
        format!("SCAVIO_API_KEY={KEY}\nMAIL=TikTok review <{KEY}>\n"),
    )
    .unwrap();
    let (code, lines, _) = outcome(&mut check(&env, &["--env-file", "bad.env"]), &hooks);
    assert_eq!(code, 78);
    assert_eq!(
        lines[0],
        "✗ reading env file bad.env: syntax error on line 2; fix that line (its text is not shown: it may hold a secret)"
    );

    let (code, lines, _) = outcome(&mut check(&env, &["--env-file", "none.env"]), &hooks);
    assert_eq!(code, 78);
    assert_eq!(lines[0], "✗ env file none.env not found; check --env-file");

    let mut cmd = env.bare_cmd();
    cmd.env("PATH", bin_dir(&env))
        .args(["check", "--env-file", "bad.env"]);
    let (code, lines, _) = outcome(&mut cmd, &hooks);
    assert_eq!(code, 78);
    assert_eq!(
        lines[1],
        "✗ SCAVIO_API_KEY is not set: export it, or put it in .env or the --env-file (see .env.example) (the env file, which may set it, was not read: see above)"
    );
}

#[tokio::test]
async fn env_example_with_every_line_uncommented_passes_the_check() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    hooks.accept_all().await;
    let smtp = SmtpServer::start(mail_server::Setup::default());
    let example = include_str!("../.env.example");
    let uncommented: String = (example.lines())
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.split_once('=').is_some_and(|(n, _)| is_name(n)) => rest,
            _ => line,
        })
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(uncommented.contains("\nTIKTOK_REVIEW_MAIL_FROM=\"TikTok review <"));
    std::fs::write(env.dir.path().join("example.env"), uncommented).unwrap();
    // The environment wins over the file: the channels go to the stand-ins, the rest is the file's.
    let mut cmd = env.bare_cmd();
    cmd.env("PATH", bin_dir(&env))
        .env("TIKTOK_REVIEW_SMTP_URL", smtp.url("smtp://", ""))
        .env("RUST_LOG", "off")
        .args(["check", "--env-file", "example.env"]);
    let all = CHANNELS.map(|(_, p)| p);
    let (code, lines, stderr) = outcome(hooks.configure(&mut cmd, &all), &hooks);
    assert!(!lines.concat().contains("not parsable"), "{lines:?}");
    assert_eq!(lines[0], "✓ env file example.env parses");
    assert_eq!(lines[1], KEY_SET);
    assert_eq!(
        lines[2],
        "✓ reports folder ./tiktok_reports does not exist yet: it will be created (. is writable)"
    );
    assert_eq!(code, 0, "{lines:?}\n{stderr}");
    let received = smtp.mail();
    assert_eq!(
        received.mail_from, "reviews@example.com",
        "the quoted sender"
    );
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

#[tokio::test]
async fn the_reports_folder_is_writable_or_exits_73() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    std::fs::create_dir(env.dir.path().join("reports")).unwrap();
    let (code, lines, _) = outcome(&mut check(&env, &["--reports-dir", "reports"]), &hooks);
    assert_eq!(code, 0);
    assert_eq!(lines[2], "✓ reports folder reports is writable");
    let left: Vec<_> = std::fs::read_dir(env.dir.path().join("reports"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "the temporary file was removed");

    std::fs::write(env.dir.path().join("a-file"), "x").unwrap();
    let mut cmd = check(&env, &[]);
    cmd.env("TIKTOK_REVIEW_REPORTS_DIR", "a-file/reports");
    let (code, lines, _) = outcome(&mut cmd, &hooks);
    assert_eq!(code, 73);
    assert_eq!(
        lines[2],
        "✗ reports folder a-file/reports cannot be created (a-file is not a folder); name another folder with --reports-dir"
    );
}

#[tokio::test]
async fn with_user_one_profile_request_tests_the_key() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let profile = ResponseTemplate::new(200).set_body_json(fixture("profile.json"));
    env.serve_profile(profile, 1).await;
    forbid_requests(&env).await;
    let (code, lines, stderr) = outcome(&mut check(&env, &["--user", USER]), &hooks);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        lines[3].starts_with("✓ key accepted: the profile of @examplecreator was read (1 credit"),
        "{}",
        lines[3]
    );
    env.server.verify().await;
}

/// `check --user` against a profile answered with `response`: the exit code and the key's line.
async fn key_line(response: ResponseTemplate, times: u64) -> (i32, String) {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    env.serve_profile(response, times).await;
    forbid_requests(&env).await;
    let (code, lines, _) = outcome(&mut check(&env, &["--user", USER]), &hooks);
    env.server.verify().await;
    (code, lines[3].clone())
}

#[tokio::test]
async fn a_rejected_key_exits_77() {
    let answer = json!({"error": {"code": "invalid_api_key", "message": "Invalid API key"}});
    let (code, line) = key_line(ResponseTemplate::new(401).set_body_json(answer), 1).await;
    assert_eq!(code, 77);
    assert!(
        line.starts_with(
            "✗ profile request of @examplecreator (1 credit): Scavio rejected the API key (HTTP 401"
        ),
        "{line}"
    );
}

#[tokio::test]
async fn exhausted_credits_exit_77() {
    let answer = json!({
        "error": {"code": "insufficient_credits", "message": "Out of credits"},
        "credit_balance": 0, "billing_url": "https://scavio.dev/billing"
    });
    let (code, line) = key_line(ResponseTemplate::new(402).set_body_json(answer), 1).await;
    assert_eq!(code, 77);
    assert!(line.contains("Scavio credits are exhausted"), "{line}");
}

#[tokio::test]
async fn an_unknown_user_exits_67() {
    let answer = json!({"error": "User not found"});
    let (code, line) = key_line(ResponseTemplate::new(404).set_body_json(answer), 1).await;
    assert_eq!(code, 67);
    assert!(
        line.starts_with("✗ ") && line.contains("check the handle"),
        "{line}"
    );
}

#[tokio::test]
async fn an_unavailable_api_exits_75() {
    let unavailable = ResponseTemplate::new(503)
        .insert_header("Retry-After", "0")
        .set_body_json(json!({"error": "Upstream unavailable"}));
    let (code, line) = key_line(unavailable, 5).await;
    assert_eq!(code, 75);
    assert!(line.contains("HTTP 503"), "{line}");
}

#[tokio::test]
async fn every_channel_gets_the_test_message_in_its_own_format() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    hooks.accept_all().await;
    let smtp = SmtpServer::start(mail_server::Setup::default());
    let mut cmd = check(&env, &[]);
    cmd.env("TIKTOK_REVIEW_SMTP_URL", smtp.url("smtp://", ""))
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO);
    let all = CHANNELS.map(|(_, p)| p);
    let (code, lines, stderr) = outcome(hooks.configure(&mut cmd, &all), &hooks);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        lines[4..9],
        [
            "✓ test message delivered to Slack",
            "✓ test message delivered to Discord",
            "✓ test message delivered to Teams",
            "✓ test message delivered to the webhook",
            "✓ test message delivered by mail",
        ]
    );
    assert_eq!(hooks.json(SLACK_PATH).await, json!({"text": TEST_MESSAGE}));
    let discord = hooks.json(DISCORD_PATH).await;
    assert_eq!(discord["content"], TEST_MESSAGE);
    assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
    let teams = hooks.json(TEAMS_PATH).await;
    assert_eq!(teams["type"], "message");
    let card = &teams["attachments"][0]["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(
        card["body"],
        json!([{"type": "TextBlock", "text": TEST_MESSAGE, "wrap": true}])
    );
    assert_eq!(
        hooks.json(HOOK_PATH).await,
        json!({"test": true, "text": TEST_MESSAGE})
    );
    let received = smtp.mail();
    assert_eq!(received.rcpt_to, ["owner@example.com", "jane@example.com"]);
    let mail = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(mail.subject(), Some(TEST_MESSAGE));
    assert_eq!(mail.body_text(0).unwrap().trim_end(), TEST_MESSAGE);
    assert_eq!(mail.attachment_count(), 0);
}

#[tokio::test]
async fn a_refusing_channel_exits_78_and_one_that_may_have_taken_it_is_not_sent_again() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let refused = ResponseTemplate::new(404).set_body_string("no_service");
    hooks.answer(SLACK_PATH, refused, 1).await;
    hooks
        .answer(DISCORD_PATH, ResponseTemplate::new(500), 1)
        .await;
    let mismatch = json!({"error": {"code": "TriggerInputSchemaMismatch", "message": "TriggerInputSchemaMismatch"}});
    let mismatch = ResponseTemplate::new(400).set_body_json(mismatch);
    hooks.answer(TEAMS_PATH, mismatch, 1).await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(403), 1).await;
    let mut cmd = check(&env, &[]);
    let all = CHANNELS.map(|(_, p)| p);
    let (code, lines, _) = outcome(hooks.configure(&mut cmd, &all), &hooks);
    assert_eq!(code, 78, "the refusal outranks the 75: {lines:?}");
    assert_eq!(
        lines[4],
        "✗ test message to Slack: the webhook refused the message (HTTP 404: no_service); check TIKTOK_REVIEW_SLACK_WEBHOOK: it may have been removed or mistyped"
    );
    assert!(
        lines[5].starts_with("✗ test message to Discord: it answered HTTP 500")
            && lines[5].ends_with("; it may have arrived: look in Discord before checking again"),
        "{}",
        lines[5]
    );
    assert!(
        lines[6].starts_with("✗ test message to Teams: the webhook refused the message (HTTP 400"),
        "{}",
        lines[6]
    );
    assert_eq!(
        lines[7],
        "✗ test message to the webhook: the webhook refused the message (HTTP 403); check TIKTOK_REVIEW_WEBHOOK_URL: it may have been removed or mistyped"
    );
    hooks.server.verify().await;
}

#[tokio::test]
async fn a_mail_server_refusing_the_recipient_exits_78() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let smtp = SmtpServer::start(mail_server::Setup {
        rcpt_reply: Some((550, "5.1.1 No such user")),
        ..Default::default()
    });
    let mut cmd = check(&env, &[]);
    cmd.env("TIKTOK_REVIEW_SMTP_URL", smtp.url("smtp://", ""))
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO);
    let (code, lines, _) = outcome(&mut cmd, &hooks);
    assert_eq!(code, 78);
    assert!(
        lines[4].starts_with("✗ test message by mail: "),
        "{}",
        lines[4]
    );
    assert!(
        lines[4].contains("refused the mail (550 5.1.1)"),
        "{}",
        lines[4]
    );
}

#[tokio::test]
async fn the_crontab_line_is_informational() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let entry = "# weekly\n0 20 * * 0 cd /srv && /usr/local/bin/tiktok-review run --user x\n";
    fake_crontab(&env, entry, "", 0);
    let (code, lines, _) = outcome(&mut check(&env, &[]), &hooks);
    assert_eq!(code, 0);
    assert_eq!(
        lines[5],
        "✓ the installed crontab holds a tiktok-review line"
    );

    fake_crontab(
        &env,
        "MAILTO=tiktok-review@example.com\n# tiktok-review, commented out\n0 3 * * * backup\n",
        "",
        0,
    );
    let (code, lines, _) = outcome(&mut check(&env, &[]), &hooks);
    assert_eq!(code, 0, "never changes the exit code");
    assert!(
        lines[5].starts_with("✗ the installed crontab holds no tiktok-review line: "),
        "{}",
        lines[5]
    );

    fake_crontab(&env, "", "no crontab for root", 1);
    let (code, lines, _) = outcome(&mut check(&env, &[]), &hooks);
    assert_eq!(code, 0);
    assert_eq!(
        lines[5],
        "- no crontab installed: `tiktok-review cron --user HANDLE` prints an entry to install"
    );

    fake_crontab(&env, "", "crontab: cannot open spool", 2);
    let (code, lines, _) = outcome(&mut check(&env, &[]), &hooks);
    assert_eq!(code, 0);
    assert_eq!(
        lines[5],
        "- crontab not checked: crontab -l failed (exit status: 2: crontab: cannot open spool)"
    );

    // A `crontab -l` that never answers is given up on, and the check still ends.
    use std::os::unix::fs::PermissionsExt;
    let path = bin_dir(&env).join("crontab");
    std::fs::write(&path, "#!/bin/sh\nexec /bin/sleep 100\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let started = std::time::Instant::now();
    let (code, lines, _) = outcome(&mut check(&env, &[]), &hooks);
    assert_eq!(code, 0);
    assert_eq!(
        lines[5],
        "- crontab not checked: crontab -l did not answer within 5 s"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[tokio::test]
async fn when_several_lines_fail_the_most_severe_code_wins() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let answer = json!({"error": {"code": "invalid_api_key", "message": "Invalid API key"}});
    env.serve_profile(ResponseTemplate::new(401).set_body_json(answer), 1)
        .await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(500), 1).await;
    std::fs::write(env.dir.path().join("a-file"), "x").unwrap();
    let mut cmd = check(&env, &["--user", USER, "--reports-dir", "a-file/r"]);
    let (code, lines, _) = outcome(hooks.configure(&mut cmd, &[HOOK_PATH]), &hooks);
    let marks: Vec<&str> = lines.iter().map(|l| &l[..l.find(' ').unwrap()]).collect();
    assert_eq!(marks, ["-", "✓", "✗", "✗", "✗", "-"], "{lines:?}");
    assert_eq!(code, 77, "77 (key) over 73 (folder) over 75 (channel)");

    let mut cmd = check(
        &env,
        &["--env-file", "none.env", "--reports-dir", "a-file/r"],
    );
    let (code, _, _) = outcome(&mut cmd, &hooks);
    assert_eq!(code, 78, "78 (env file) over 73 (folder)");
}

#[tokio::test]
async fn no_secret_shows_in_any_line() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    hooks.accept_all().await;
    let answer =
        json!({"error": {"code": "invalid_api_key", "message": format!("Invalid API key {KEY}")}});
    env.serve_profile(ResponseTemplate::new(401).set_body_json(answer), 1)
        .await;
    // A login over plain SMTP to a server that offers none: refused, and the password never shown.
    let smtp = SmtpServer::start(mail_server::Setup::default());
    let login = format!("smtp://{}:{PASSWORD_IN_URL}@", mail_server::USER_IN_URL);
    let mut cmd = check(&env, &["--user", USER, "-v"]);
    cmd.env("TIKTOK_REVIEW_SMTP_URL", smtp.url(&login, ""))
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO);
    let all = CHANNELS.map(|(_, p)| p);
    let (code, lines, stderr) = outcome(hooks.configure(&mut cmd, &all), &hooks);
    assert_eq!(code, 78, "{lines:?}");
    assert!(lines[3].starts_with("✗ profile request"), "{lines:?}");
    assert!(
        lines[8].starts_with("✗ test message by mail: "),
        "{lines:?}"
    );
    assert!(stderr.contains("POST"), "the request log is on: {stderr}");
}

#[tokio::test]
async fn a_bad_flag_is_one_stderr_line_and_exits_64() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let output = check(&env, &["--nope"]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(64));
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn check_help_documents_the_lines_and_the_exit_codes() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiktok-review"))
        .args(["check", "--help"])
        .env_clear()
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("--user <HANDLE>") && help.contains("--env-file <PATH>"));
    assert!(help.contains("1 credit"), "{help}");
    for code in ["64", "65", "67", "70", "73", "75", "77", "78"] {
        assert!(
            help.contains(&format!(" {code} ")),
            "{code} missing: {help}"
        );
    }
}
