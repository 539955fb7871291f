//! Delivery through the real binary: stand-ins for Slack, Discord, Teams and a generic webhook (one
//! local server, each at a path that holds its token; see `hooks/`) receive the run's one message
//! each. Every
//! test checks the exit code and the stderr line, that the reports were written before anything was
//! sent, and that no webhook URL or token ever appears in the output.

mod common;
mod hooks;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::time::Duration;

use common::*;
use hooks::*;
use serde_json::Value;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_run_delivers_one_message_to_each_configured_channel_after_writing_the_reports() {
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    let hooks = Hooks::start().await;
    hooks.accept_all().await;
    let all = CHANNELS.map(|(_, p)| p);
    let (code, stdout, stderr) = run(hooks.configure(&mut env.run(AS_OF, &[]), &all), &hooks);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("@examplecreator week to 2026-11-15: "),
        "{stdout}"
    );
    assert_eq!(
        lines[1],
        "review delivered: Slack, Discord, Teams, the webhook"
    );
    assert_reports_written(&env);

    let slack = hooks.json(SLACK_PATH).await;
    let blocks = slack["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 3, "header, the account, context: {slack}");
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(
        blocks[0]["text"]["text"],
        "TikTok review of @examplecreator · week to 2026-11-15"
    );
    let section = blocks[1]["text"]["text"].as_str().unwrap();
    assert!(section.starts_with("*@examplecreator*\n"), "{section}");
    assert!(
        section.contains(" views ▲ ") || section.contains(" views ▼ "),
        "{section}"
    );
    assert!(
        section.contains("\nBest post: <https://www.tiktok.com/@examplecreator/video/"),
        "{section}"
    );
    assert!(section.contains("\nNext: "), "{section}");
    assert_eq!(blocks[2]["type"], "context");
    assert_eq!(slack["unfurl_links"], false);

    let discord = hooks.json(DISCORD_PATH).await;
    let embeds = discord["embeds"].as_array().unwrap();
    assert_eq!(embeds.len(), 1);
    assert_eq!(embeds[0]["title"], "\\@examplecreator");
    assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]));

    let teams_requests = hooks.requests(TEAMS_PATH).await;
    assert_eq!(
        teams_requests[0].headers["content-type"],
        "application/json; charset=utf-8"
    );
    let teams = hooks.json(TEAMS_PATH).await;
    assert_eq!(teams["type"], "message");
    let attachment = &teams["attachments"][0];
    assert_eq!(
        attachment["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(attachment["content"]["type"], "AdaptiveCard");
    assert!(attachment["content"]["body"].as_array().unwrap().len() >= 3);

    let hook = &hooks.requests(HOOK_PATH).await[0];
    assert_eq!(hook.headers["content-type"], "application/json");
    let saved = std::fs::read(env.user_dir().join(format!("report_{DATE}.json"))).unwrap();
    assert_eq!(
        hook.body, saved,
        "the generic webhook gets the report as saved"
    );
}

#[tokio::test]
async fn a_sixty_account_run_still_fits_slack_discord_and_teams_limits() {
    let env = TestEnv::new().await;
    let names: Vec<String> = (0..60).map(|i| format!("creator{i:02}")).collect();
    for name in &names {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    let hooks = Hooks::start().await;
    hooks.accept_all().await;
    let users = names.join(",");
    let mut cmd = env.cmd();
    cmd.args([
        "run",
        "--user",
        &users,
        "--as-of",
        AS_OF,
        "--concurrency",
        "50",
        "-q",
    ]);
    // Each account also links to its report, on a base URL as long as one may be.
    let base = format!("https://reports.example.com/{}", "folder".repeat(160));
    cmd.env("TIKTOK_REVIEW_REPORT_URL", &base);
    let all = CHANNELS.map(|(_, p)| p);
    let (code, stdout, stderr) = run(hooks.configure(&mut cmd, &all), &hooks);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");

    let slack = hooks.json(SLACK_PATH).await;
    let blocks = slack["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 50, "Slack takes at most 50 blocks");
    for section in &blocks[1..48] {
        let text = section["text"]["text"].as_str().unwrap();
        let handle = text.strip_prefix("*@").unwrap().split('*').next().unwrap();
        assert!(
            text.ends_with(&format!(
                "\n<{base}/{handle}/report_{DATE}.html|Full report>"
            )),
            "each account's link, whole: {text}"
        );
    }
    for block in blocks {
        let text = block["text"]["text"]
            .as_str()
            .or(block["elements"][0]["text"].as_str())
            .unwrap();
        assert!(units(text) <= 3000, "{}", units(text));
    }
    let overflow = blocks[48]["text"]["text"].as_str().unwrap();
    assert!(
        overflow.starts_with("…and 13 more accounts, "),
        "{overflow}"
    );
    assert!(
        blocks[49]["elements"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("60 accounts · "),
        "{}",
        blocks[49]
    );

    let discord = hooks.json(DISCORD_PATH).await;
    let embeds = discord["embeds"].as_array().unwrap();
    assert!(embeds.len() <= 10, "{}", embeds.len());
    let total: usize = embeds
        .iter()
        .map(|e| {
            ["title", "description"]
                .iter()
                .map(|k| e[k].as_str().map_or(0, units))
                .sum::<usize>()
                + e["footer"]["text"].as_str().map_or(0, units)
        })
        .sum();
    assert!(total <= 6000, "{total}");
    assert!(
        embeds
            .iter()
            .all(|e| units(e["description"].as_str().unwrap_or_default()) <= 4096)
    );

    assert!(
        embeds[0]["description"]
            .as_str()
            .unwrap()
            .contains(&format!("[Full report]({base}/"))
    );

    let teams = &hooks.requests(TEAMS_PATH).await[0];
    assert!(teams.body.len() <= 28_000, "{} bytes", teams.body.len());
    assert!(String::from_utf8_lossy(&teams.body).contains(&format!("[Full report]({base}/")));

    let hook = &hooks.requests(HOOK_PATH).await[0];
    let overview = env
        .dir
        .path()
        .join(format!("tiktok_reports/overview_{DATE}.json"));
    match std::fs::read(&overview) {
        Ok(saved) => assert_eq!(hook.body, saved, "several accounts: the overview as saved"),
        Err(_) => {
            let body: Value = serde_json::from_slice(&hook.body).unwrap();
            assert_eq!(body["reports"].as_array().unwrap().len(), 60);
        }
    }
}

#[tokio::test]
async fn a_channel_answering_503_is_retried_then_delivered() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    Mock::given(method("POST"))
        .and(path(SLACK_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&hooks.server)
        .await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(200).set_body_string("ok"),
            1,
        )
        .await;
    let (code, stdout, stderr) = run(
        hooks.configure(&mut env.run(AS_OF, &[]), &[SLACK_PATH]),
        &hooks,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "", "retries that succeed are not worth a line");
    assert!(stdout.ends_with("\nreview delivered: Slack\n"), "{stdout}");
    let bodies: Vec<Vec<u8>> = (hooks.requests(SLACK_PATH).await)
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "every attempt sends the same message"
    );
}

#[tokio::test]
async fn exits_75_when_a_channel_keeps_answering_503_and_send_delivers_later_without_a_credit() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(503).insert_header("Retry-After", "0"),
            5,
        )
        .await;
    let (code, stdout, stderr) = run(
        hooks.configure(&mut env.run(AS_OF, &[]), &[SLACK_PATH]),
        &hooks,
    );
    assert_eq!(code, 75, "{stderr}");
    assert!(
        stdout.starts_with("@examplecreator week to 2026-11-15: "),
        "{stdout}"
    );
    assert_eq!(
        stderr.lines().last().unwrap(),
        "tiktok-review: error: delivering to Slack: HTTP 503 (after 5 attempts); reports kept: run `tiktok-review send --date 2026-11-15 --channel slack` to deliver them again"
    );
    assert!(
        stderr.contains("warning: retrying delivery to Slack in 0.0s (attempt 2 of 5): HTTP 503"),
        "{stderr}"
    );
    assert_reports_written(&env);
    let before = history(&env);
    let failed = hooks.requests(SLACK_PATH).await[0].body.clone();
    hooks.server.verify().await;
    hooks.server.reset().await;
    env.verify_and_reset().await;

    // Later: the channel is back; `send` needs neither the key nor a single API request.
    forbid_requests(&env).await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(200).set_body_string("ok"),
            1,
        )
        .await;
    let mut send = env.bare_cmd();
    send.arg("send");
    let (code, stdout, stderr) = run(hooks.configure(&mut send, &[SLACK_PATH]), &hooks);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");
    assert_eq!(stdout, "review delivered: Slack\n");
    assert_eq!(
        hooks.requests(SLACK_PATH).await[0].body,
        failed,
        "send sends the message the run would have"
    );
    assert_eq!(history(&env), before, "send changes no file");
}

#[tokio::test]
async fn exits_78_when_a_webhook_answers_404_or_403_or_a_redirect_and_does_not_retry() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(403).set_body_string("invalid_token"),
            1,
        )
        .await;
    hooks
        .answer(
            DISCORD_PATH,
            ResponseTemplate::new(404).set_body_raw(
                r#"{"message": "Unknown Webhook", "code": 10015}"#,
                "application/json",
            ),
            1,
        )
        .await;
    hooks
        .answer(
            TEAMS_PATH,
            ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.example/"),
            1,
        )
        .await;
    let paths = [SLACK_PATH, DISCORD_PATH, TEAMS_PATH];
    let (code, _, stderr) = run(hooks.configure(&mut env.run(AS_OF, &[]), &paths), &hooks);
    assert_eq!(code, 78, "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("tiktok-review: error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "tiktok-review: error: delivering to Slack: the webhook refused the message (HTTP 403: invalid_token); check TIKTOK_REVIEW_SLACK_WEBHOOK: it may have been removed or mistyped; reports kept: run `tiktok-review send --date 2026-11-15 --channel slack` to deliver them again",
            "tiktok-review: error: delivering to Discord: the webhook refused the message (HTTP 404: Unknown Webhook); check TIKTOK_REVIEW_DISCORD_WEBHOOK: it may have been removed or mistyped; reports kept: run `tiktok-review send --date 2026-11-15 --channel discord` to deliver them again",
            "tiktok-review: error: delivering to Teams: it answered with a redirect (HTTP 302), which is never followed; check TIKTOK_REVIEW_TEAMS_WEBHOOK; reports kept: run `tiktok-review send --date 2026-11-15 --channel teams` to deliver them again",
        ],
        "{stderr}"
    );
    assert_reports_written(&env);
}

#[tokio::test]
async fn one_failing_channel_does_not_stop_the_others_and_the_most_severe_code_wins() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(404).set_body_string("no_service"),
            1,
        )
        .await;
    hooks
        .answer(
            DISCORD_PATH,
            ResponseTemplate::new(503).insert_header("Retry-After", "0"),
            5,
        )
        .await;
    hooks
        .answer(TEAMS_PATH, ResponseTemplate::new(202), 1)
        .await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(200), 1).await;
    let all = CHANNELS.map(|(_, p)| p);
    let (code, stdout, stderr) = run(hooks.configure(&mut env.run(AS_OF, &[]), &all), &hooks);
    assert_eq!(code, 78, "78 (a refusal) outranks 75: {stderr}");
    assert!(
        stdout.ends_with("\nreview delivered: Teams, the webhook\n"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "error: delivering to Slack: the webhook refused the message (HTTP 404: no_service)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: delivering to Discord: HTTP 503 (after 5 attempts)"),
        "{stderr}"
    );
}

#[tokio::test]
async fn verbose_logs_each_delivery_by_channel_and_never_a_url_or_token() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    // Answers that quote the URL back, as some servers do.
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(404)
                .set_body_string(format!("no_service for {}", hooks.url(SLACK_PATH))),
            1,
        )
        .await;
    hooks
        .answer(
            DISCORD_PATH,
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "0")
                .set_body_string(format!("busy: {DISCORD_TOKEN}")),
            5,
        )
        .await;
    hooks
        .answer(TEAMS_PATH, ResponseTemplate::new(202), 1)
        .await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(200), 1).await;
    let all = CHANNELS.map(|(_, p)| p);
    let (code, _, stderr) = run(hooks.configure(&mut env.run(AS_OF, &["-v"]), &all), &hooks);
    assert_eq!(code, 78, "{stderr}");
    for line in [
        "tiktok-review: debug: POST slack webhook -> 404 (",
        "tiktok-review: debug: POST discord webhook -> 503 (",
        "tiktok-review: debug: POST teams webhook -> 202 (",
        "tiktok-review: debug: POST webhook -> 200 (",
        "tiktok-review: warning: retrying delivery to Discord in 0.0s (attempt 2 of 5): HTTP 503\n",
        "(HTTP 404); check TIKTOK_REVIEW_SLACK_WEBHOOK",
    ] {
        assert!(stderr.contains(line), "{line}:\n{stderr}");
    }
}

#[tokio::test]
async fn no_notify_and_dry_run_deliver_nothing() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [2, 2, 0, 0]).await;
    let hooks = Hooks::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("no delivery at all")
        .mount(&hooks.server)
        .await;
    let all = CHANNELS.map(|(_, p)| p);
    for flags in [&["--no-notify"][..], &["--dry-run"]] {
        let (code, stdout, stderr) = run(hooks.configure(&mut env.run(AS_OF, flags), &all), &hooks);
        assert_eq!((code, stderr.as_str()), (0, ""), "{flags:?}");
        assert!(!stdout.contains("delivered"), "{stdout}");
    }
    assert_reports_written(&env);
}

#[tokio::test]
async fn send_delivers_every_account_of_the_latest_date_as_one_digest_without_a_credit() {
    let env = TestEnv::new().await;
    for name in ["alpha1", "beta22"] {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    env.cmd()
        .args(["run", "--user", "alpha1,beta22", "--as-of", AS_OF, "-q"])
        .assert()
        .success();
    std::fs::create_dir_all(env.user_dir()).unwrap();
    std::fs::write(
        env.user_dir().join("report_2026-11-08.json"),
        earlier_report("2026-11-08", 6, 156_500),
    )
    .unwrap();
    env.verify_and_reset().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(200).set_body_string("ok"),
            2,
        )
        .await;

    let send = |args: &[&str]| {
        let mut cmd = env.bare_cmd();
        cmd.arg("send").args(args);
        hooks.configure(&mut cmd, &[SLACK_PATH]);
        cmd
    };
    let (code, stdout, stderr) = run(&mut send(&[]), &hooks);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");
    assert_eq!(stdout, "review delivered: Slack\n");
    let (code, _, stderr) = run(&mut send(&["--user", "@ExampleCreator", "-q"]), &hooks);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");

    let requests = hooks.requests(SLACK_PATH).await;
    let message = |i: usize| -> Value { serde_json::from_slice(&requests[i].body).unwrap() };
    let both = message(0);
    let blocks = both["blocks"].as_array().unwrap();
    assert_eq!(
        blocks[0]["text"]["text"],
        "TikTok review · week to 2026-11-15"
    );
    let sections: Vec<&str> = blocks[1..3]
        .iter()
        .map(|b| b["text"]["text"].as_str().unwrap())
        .collect();
    assert!(
        sections[0].starts_with("*@alpha1*") && sections[1].starts_with("*@beta22*"),
        "{sections:?}"
    );
    assert!(
        blocks[3]["elements"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("2 accounts · "),
        "{both}"
    );
    let one = message(1);
    assert_eq!(
        one["blocks"][0]["text"]["text"], "TikTok review of @examplecreator · week to 2026-11-08",
        "the latest date of that account"
    );

    for (args, line) in [
        (
            &["--date", "2026-11-01"][..],
            "tiktok-review: error: no account has a report dated 2026-11-01 in tiktok_reports: pick another --date, or run `tiktok-review run` first",
        ),
        (
            &["--user", "nobody1", "--date", "2026-11-15"],
            "tiktok-review: error: no report of @nobody1 dated 2026-11-15 (tiktok_reports/nobody1/report_2026-11-15.json does not exist): pick another --date, or run `tiktok-review run` first",
        ),
        (
            &["--user", "nobody1"],
            "tiktok-review: error: no saved report of @nobody1 in tiktok_reports: run `tiktok-review run` first, or pass --reports-dir",
        ),
        (
            &["--date", "15.11.2026"],
            "tiktok-review: error: invalid value '15.11.2026' for '--date <YYYY-MM-DD>': not a date such as 2026-11-29 (YYYY-MM-DD) (see --help)",
        ),
    ] {
        let (code, stdout, stderr) = run(&mut send(args), &hooks);
        assert_eq!((code, stdout.as_str()), (64, ""), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end(), line, "{args:?}");
    }
}

#[tokio::test]
async fn send_reads_the_channels_from_the_env_file_and_needs_one() {
    let (env, _) = with_last_week_saved().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(200), 1).await;
    let (code, _, stderr) = run(env.bare_cmd().arg("send"), &hooks);
    assert_eq!(code, 78);
    assert!(
        stderr.starts_with("tiktok-review: error: no delivery channel is configured: set TIKTOK_REVIEW_SLACK_WEBHOOK, "),
        "{stderr}"
    );
    let file = env.dir.path().join("hooks.env");
    std::fs::write(
        &file,
        format!("TIKTOK_REVIEW_WEBHOOK_URL={}\n", hooks.url(HOOK_PATH)),
    )
    .unwrap();
    let (code, stdout, stderr) = run(
        env.bare_cmd().args(["send", "--env-file"]).arg(&file),
        &hooks,
    );
    assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");
    assert_eq!(stdout, "review delivered: the webhook\n");
    let saved = std::fs::read(env.user_dir().join("report_2026-11-08.json")).unwrap();
    assert_eq!(hooks.requests(HOOK_PATH).await[0].body, saved);
}

#[tokio::test]
async fn a_webhook_variable_that_is_not_a_url_is_refused_before_any_request() {
    let (env, before) = with_last_week_saved().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    let line = fails_leaving(
        &env,
        &before,
        env.run(AS_OF, &[]).env(
            "TIKTOK_REVIEW_SLACK_WEBHOOK",
            format!("hooks.slack.example/services/T0001/B0001/{SLACK_TOKEN}"),
        ),
        78,
    );
    assert_eq!(
        line,
        "tiktok-review: error: TIKTOK_REVIEW_SLACK_WEBHOOK is not an http(s) URL (not shown: it holds a token); copy the webhook URL again"
    );
    // Bytes that are not UTF-8 do not pass for an unset channel (or key).
    for (var, value) in [
        (
            "TIKTOK_REVIEW_SLACK_WEBHOOK",
            "https://hooks.example/services/T1/B1/",
        ),
        ("TIKTOK_REVIEW_SMTP_URL", "smtps://me:pw@mail.example/"),
        ("SCAVIO_API_KEY", "sk_live_key"),
    ] {
        let mut bytes = value.as_bytes().to_vec();
        bytes.push(0xff);
        let mut cmd = env.run(AS_OF, &[]);
        cmd.env(var, OsString::from_vec(bytes))
            .env("TIKTOK_REVIEW_MAIL_FROM", "me@example.com")
            .env("TIKTOK_REVIEW_MAIL_TO", "me@example.com");
        let line = fails_leaving(&env, &before, &mut cmd, 78);
        assert!(
            line.starts_with(&format!(
                "tiktok-review: error: {var} holds bytes that are not UTF-8 text;"
            )),
            "{line}"
        );
    }
    let (code, _, stderr) = run(
        env.run(AS_OF, &[])
            .env("TIKTOK_REVIEW_MAIL_TO", "me@example.com"),
        &hooks,
    );
    assert_eq!(code, 78);
    assert!(
        stderr.contains("mail needs TIKTOK_REVIEW_SMTP_URL, TIKTOK_REVIEW_MAIL_FROM and TIKTOK_REVIEW_MAIL_TO; TIKTOK_REVIEW_SMTP_URL and TIKTOK_REVIEW_MAIL_FROM are not set"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_failing_account_is_named_in_the_message_and_its_code_joins_the_deliverys() {
    let env = TestEnv::new().await;
    serve_account_pages(&env, "alpha1", 1, Duration::ZERO).await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(wiremock::matchers::body_partial_json(
            serde_json::json!({"username": "ghost1"}),
        ))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"error": "no such user"})),
        )
        .expect(1)
        .mount(&env.server)
        .await;
    let hooks = Hooks::start().await;
    hooks
        .answer(
            SLACK_PATH,
            ResponseTemplate::new(503).insert_header("Retry-After", "0"),
            5,
        )
        .await;
    let mut cmd = env.cmd();
    cmd.args(["run", "--user", "alpha1,ghost1", "--as-of", AS_OF, "-q"]);
    let (code, _, stderr) = run(hooks.configure(&mut cmd, &[SLACK_PATH]), &hooks);
    assert_eq!(
        code, 67,
        "67 (an account's) outranks 75 (the delivery's): {stderr}"
    );
    assert!(stderr.contains("error: @ghost1: "), "{stderr}");
    assert!(
        stderr.contains("error: delivering to Slack: HTTP 503 (after 5 attempts)"),
        "{stderr}"
    );
    let message: Value = serde_json::from_slice(&hooks.requests(SLACK_PATH).await[0].body).unwrap();
    let blocks = message["blocks"].as_array().unwrap();
    assert_eq!(
        blocks[0]["text"]["text"],
        "TikTok review of @alpha1 · week to 2026-11-15"
    );
    let context = blocks.last().unwrap()["elements"][0]["text"]
        .as_str()
        .unwrap();
    assert!(context.starts_with("1 failed: @ghost1"), "{context}");
}

#[tokio::test]
async fn the_send_a_failed_delivery_names_repeats_the_folder_and_the_env_file_and_works_as_printed()
{
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(403), 1).await;
    // The channel lives in the env file only, and the reports in a folder of their own.
    let env_file = format!("TIKTOK_REVIEW_WEBHOOK_URL={}\n", hooks.url(HOOK_PATH));
    std::fs::write(env.dir.path().join("my env"), env_file).unwrap();
    let mut cmd = env.run(AS_OF, &["--reports-dir", "out", "--env-file", "my env"]);
    let (code, _, stderr) = run(&mut cmd, &hooks);
    assert_eq!(code, 78, "{stderr}");
    let last = stderr.lines().last().unwrap();
    let again = "tiktok-review send --date 2026-11-15 --channel webhook --reports-dir out --env-file 'my env'";
    assert!(
        last.ends_with(&format!(
            "reports kept: run `{again}` to deliver them again"
        )),
        "{last}"
    );
    hooks.server.verify().await;
    hooks.server.reset().await;
    env.verify_and_reset().await;

    // The line's command, run as printed from the same folder, delivers without a request.
    forbid_requests(&env).await;
    hooks.answer(HOOK_PATH, ResponseTemplate::new(200), 1).await;
    let mut send = env.bare_cmd();
    send.args(["send", "--date", DATE, "--channel", "webhook"])
        .args(["--reports-dir", "out", "--env-file", "my env"]);
    let (code, stdout, stderr) = run(&mut send, &hooks);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");
    assert_eq!(stdout, "review delivered: the webhook\n");
}
