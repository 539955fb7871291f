//! The advice reaches chat, through the real binary against the webhook stand-ins (`hooks/`): Slack,
//! Discord and Teams carry each account's first actionable recommendation (`best_time`,
//! `double_down` or `drop`, not the momentum sentence before it) and, with
//! `TIKTOK_REVIEW_REPORT_URL`, a link to its HTML report, percent-encoded, only when the run wrote
//! that report; a value that is not a served folder's URL is refused before any request.

mod common;
// The demo's weeks: their last report has advice of each kind; what they cost is tests/demo.rs's.
mod demo_data;
mod hooks;

use common::*;
use demo_data::{HANDLE, TZ};
use hooks::*;
use serde_json::Value;
use wiremock::ResponseTemplate;

/// The kinds of recommendation that are advice for next week, as the chat carries them.
const ACTIONABLE: [&str; 3] = ["best_time", "double_down", "drop"];

/// The served reports folder, with a space to encode.
const BASE: &str = "http://reports.example/my reports/";

/// Runs the demo's weeks but the last through the binary, quietly and without delivery; returns
/// the last week.
async fn demo_but_the_last(env: &TestEnv) -> demo_data::Week {
    let mut weeks = demo_data::weeks().unwrap();
    let last = weeks.pop().unwrap();
    for week in &weeks {
        demo_data::serve(&env.server, week).await.unwrap();
        env.cmd()
            .args([
                "run",
                "-q",
                "--user",
                HANDLE,
                "--tz",
                TZ,
                "--as-of",
                &week.as_of(),
            ])
            .assert()
            .success();
        env.verify_and_reset().await;
    }
    demo_data::serve(&env.server, &last).await.unwrap();
    last
}

/// The message of the first recommendation of `kinds` in `report`.
fn first_of<'a>(report: &'a Value, kinds: &[&str]) -> Option<&'a str> {
    (report["recommendations"].as_array().unwrap().iter())
        .find(|r| kinds.contains(&r["kind"].as_str().unwrap()))
        .map(|r| r["message"].as_str().unwrap())
}

/// `text` with a backslash before each of `special`, as Discord and Teams escape their markup.
fn escaped(text: &str, special: &str) -> String {
    text.chars()
        .flat_map(|c| match special.contains(c) {
            true => vec!['\\', c],
            false => vec![c],
        })
        .collect()
}

/// The text of each chat message as received: Slack's account section, Discord's embed, Teams'
/// account container's text blocks, one per line.
async fn chat_texts(hooks: &Hooks) -> [String; 3] {
    let slack = hooks.json(SLACK_PATH).await;
    let discord = hooks.json(DISCORD_PATH).await;
    let teams = hooks.json(TEAMS_PATH).await;
    let container = &teams["attachments"][0]["content"]["body"][1]["items"];
    let teams_lines: Vec<&str> = (container.as_array().unwrap().iter())
        .map(|item| item["text"].as_str().unwrap())
        .collect();
    [
        slack["blocks"][1]["text"]["text"]
            .as_str()
            .unwrap()
            .to_string(),
        discord["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .to_string(),
        teams_lines.join("\n"),
    ]
}

#[tokio::test]
async fn chat_carries_the_first_actionable_advice_and_a_link_to_the_report() {
    let env = TestEnv::new().await;
    let last = demo_but_the_last(&env).await;
    let hooks = Hooks::start().await;
    hooks
        .answer(SLACK_PATH, ResponseTemplate::new(200), 2)
        .await;
    hooks
        .answer(DISCORD_PATH, ResponseTemplate::new(204), 1)
        .await;
    hooks
        .answer(TEAMS_PATH, ResponseTemplate::new(202), 1)
        .await;
    let mut cmd = env.cmd();
    cmd.args([
        "run",
        "--user",
        HANDLE,
        "--tz",
        TZ,
        "--as-of",
        &last.as_of(),
    ])
    .env("TIKTOK_REVIEW_REPORT_URL", BASE);
    let chats = [SLACK_PATH, DISCORD_PATH, TEAMS_PATH];
    let (code, stdout, stderr) = run(hooks.configure(&mut cmd, &chats), &hooks);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.ends_with("review delivered: Slack, Discord, Teams\n"),
        "{stdout}"
    );

    let saved = (env.dir.path().join("tiktok_reports").join(HANDLE))
        .join(format!("report_{}.json", last.date));
    let report: Value = serde_json::from_slice(&std::fs::read(saved).unwrap()).unwrap();
    let advice = first_of(&report, &ACTIONABLE).expect("the demo's last week has advice");
    let momentum = first_of(&report, &["momentum"]).expect("and a momentum sentence first");
    let link = format!(
        "http://reports.example/my%20reports/{HANDLE}/report_{}.html",
        last.date
    );
    let [slack, discord, teams] = chat_texts(&hooks).await;

    let slack_advice = advice
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(
        slack.contains(&format!("\nNext: {slack_advice}\n")),
        "{slack}"
    );
    assert!(
        slack.ends_with(&format!("\n<{link}|Full report>")),
        "{slack}"
    );
    let discord_advice = escaped(advice, "\\*_~`|<>[]@");
    assert!(
        discord.contains(&format!("\nNext: {discord_advice}\n")),
        "{discord}"
    );
    assert!(
        discord.ends_with(&format!("\n[Full report]({link})")),
        "{discord}"
    );
    assert!(
        teams.contains(&format!("\nNext: {}\n", escaped(advice, "\\*_[]"))),
        "{teams}"
    );
    assert!(
        teams.ends_with(&format!("\n[Full report]({link})")),
        "{teams}"
    );
    for text in [&slack, &discord, &teams] {
        let start = &momentum[..momentum.len().min(20)];
        assert!(
            !text.contains(start),
            "the momentum sentence is not the advice: {text}"
        );
    }

    // `send` delivers the same again, the report's address read from the env file.
    let env_file = env.dir.path().join("delivery.env");
    std::fs::write(
        &env_file,
        format!(
            "TIKTOK_REVIEW_SLACK_WEBHOOK={}\nTIKTOK_REVIEW_REPORT_URL='{BASE}'\n",
            hooks.url(SLACK_PATH)
        ),
    )
    .unwrap();
    let (code, _, stderr) = run(
        env.bare_cmd().args(["send", "--env-file"]).arg(&env_file),
        &hooks,
    );
    assert_eq!(code, 0, "{stderr}");
    let again = hooks.requests(SLACK_PATH).await;
    let again: Value = serde_json::from_slice(&again[1].body).unwrap();
    let section = again["blocks"][1]["text"]["text"].as_str().unwrap();
    assert_eq!(section, slack, "send carries the same advice and link");
}

#[tokio::test]
async fn no_link_without_the_html_report_or_without_a_url() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = Hooks::start().await;
    hooks
        .answer(SLACK_PATH, ResponseTemplate::new(200), 3)
        .await;
    let mut cmd = env.run(AS_OF, &["--formats", "json,md"]);
    cmd.env("TIKTOK_REVIEW_REPORT_URL", BASE);
    let (code, _, stderr) = run(hooks.configure(&mut cmd, &[SLACK_PATH]), &hooks);
    assert_eq!(code, 0, "{stderr}");
    // `send` with the variable finds no HTML report of that date either.
    let mut send = env.bare_cmd();
    send.arg("send").env("TIKTOK_REVIEW_REPORT_URL", BASE);
    let (code, _, stderr) = run(hooks.configure(&mut send, &[SLACK_PATH]), &hooks);
    assert_eq!(code, 0, "{stderr}");

    // The HTML written, but no URL set: no link.
    env.verify_and_reset().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let mut cmd = env.run(AS_OF, &[]);
    let (code, _, stderr) = run(hooks.configure(&mut cmd, &[SLACK_PATH]), &hooks);
    assert_eq!(code, 0, "{stderr}");
    assert!(env.user_dir().join("report_2026-11-15.html").is_file());

    let requests = hooks.requests(SLACK_PATH).await;
    assert_eq!(requests.len(), 3);
    for request in requests {
        let body = String::from_utf8(request.body).unwrap();
        assert!(
            !body.contains("Full report") && !body.contains("reports.example"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_report_url_that_is_not_a_served_folder_is_refused_before_any_request() {
    let (env, before) = with_last_week_saved().await;
    forbid_requests(&env).await;
    let hooks = Hooks::start().await;
    for (value, why) in [
        (
            "reports.example/tiktok",
            "is not an http(s) URL, such as https://reports.example.com/tiktok",
        ),
        (
            "https://reports.example/tiktok?sig=1",
            "has a ?query or #fragment: give the folder's address, to which <handle>/report_<date>.html is appended",
        ),
        (
            "https://me:hunter2@reports.example/tiktok",
            "holds a user name or password (not shown): the link is posted for everyone in the channel to read; serve the reports without one",
        ),
    ] {
        let mut cmd = env.run(AS_OF, &[]);
        cmd.env("TIKTOK_REVIEW_REPORT_URL", value);
        let line = fails_leaving(&env, &before, hooks.configure(&mut cmd, &[SLACK_PATH]), 78);
        assert_eq!(
            line,
            format!("tiktok-review: error: TIKTOK_REVIEW_REPORT_URL {why}")
        );
        let mut send = env.bare_cmd();
        send.arg("send").env("TIKTOK_REVIEW_REPORT_URL", value);
        let (code, _, stderr) = run(hooks.configure(&mut send, &[SLACK_PATH]), &hooks);
        assert_eq!(code, 78, "{stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }
    assert!(hooks.server.received_requests().await.unwrap().is_empty());
}
