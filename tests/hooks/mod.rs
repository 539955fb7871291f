//! The webhook stand-ins of the delivery tests: one local server with Slack, Discord, Teams and a
//! generic webhook each at a path that holds its token, the variables that point the binary at
//! them, and the check that no token or webhook URL ever shows in the binary's output.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{TestEnv, texts};

pub const SLACK_TOKEN: &str = "slackTOKENmustNeverLeak0001";
pub const DISCORD_TOKEN: &str = "discordTOKENmustNeverLeak0002";
pub const TEAMS_SIG: &str = "teamsSIGmustNeverLeak0003";
pub const HOOK_TOKEN: &str = "hookTOKENmustNeverLeak0004";

pub const SLACK_PATH: &str = "/services/T0001/B0001/slackTOKENmustNeverLeak0001";
pub const DISCORD_PATH: &str = "/api/webhooks/1234/discordTOKENmustNeverLeak0002";
pub const TEAMS_PATH: &str = "/workflows/abc123/triggers/manual/paths/invoke";
pub const HOOK_PATH: &str = "/hook/hookTOKENmustNeverLeak0004";

/// The report date of a run to `AS_OF`.
pub const DATE: &str = "2026-11-15";

/// The channels' stand-in: one server, each webhook at its own token-bearing path.
pub struct Hooks {
    pub server: MockServer,
}

/// The delivery variables and the paths of their stand-ins.
pub const CHANNELS: [(&str, &str); 4] = [
    ("TIKTOK_REVIEW_SLACK_WEBHOOK", SLACK_PATH),
    ("TIKTOK_REVIEW_DISCORD_WEBHOOK", DISCORD_PATH),
    ("TIKTOK_REVIEW_TEAMS_WEBHOOK", TEAMS_PATH),
    ("TIKTOK_REVIEW_WEBHOOK_URL", HOOK_PATH),
];

impl Hooks {
    pub async fn start() -> Self {
        Self {
            server: MockServer::start().await,
        }
    }

    /// The URL of the stand-in at `webhook_path` (Teams' signature goes in the query).
    pub fn url(&self, webhook_path: &str) -> String {
        match webhook_path {
            TEAMS_PATH => format!(
                "{}{TEAMS_PATH}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={TEAMS_SIG}",
                self.server.uri()
            ),
            other => format!("{}{other}", self.server.uri()),
        }
    }

    /// Sets the variables of the channels at `paths` on `cmd`.
    pub fn configure<'a>(&self, cmd: &'a mut Command, paths: &[&str]) -> &'a mut Command {
        for (var, webhook_path) in CHANNELS {
            if paths.contains(&webhook_path) {
                cmd.env(var, self.url(webhook_path));
            }
        }
        cmd
    }

    /// Answers POSTs to `webhook_path` with `response`, expected `times` times.
    pub async fn answer(&self, webhook_path: &str, response: ResponseTemplate, times: u64) {
        Mock::given(method("POST"))
            .and(path(webhook_path))
            .respond_with(response)
            .expect(times)
            .named(webhook_path.to_string())
            .mount(&self.server)
            .await;
    }

    /// Answers each channel as Slack, Discord, Teams and an ordinary endpoint do, once each.
    pub async fn accept_all(&self) {
        self.answer(
            SLACK_PATH,
            ResponseTemplate::new(200).set_body_string("ok"),
            1,
        )
        .await;
        self.answer(DISCORD_PATH, ResponseTemplate::new(204), 1)
            .await;
        self.answer(TEAMS_PATH, ResponseTemplate::new(202), 1).await;
        self.answer(HOOK_PATH, ResponseTemplate::new(200), 1).await;
    }

    /// The requests received at `webhook_path`, in order.
    pub async fn requests(&self, webhook_path: &str) -> Vec<wiremock::Request> {
        let all = self.server.received_requests().await.unwrap_or_default();
        all.into_iter()
            .filter(|r| r.url.path() == webhook_path)
            .collect()
    }

    /// The JSON body of the one request received at `webhook_path`.
    pub async fn json(&self, webhook_path: &str) -> Value {
        let requests = self.requests(webhook_path).await;
        assert_eq!(requests.len(), 1, "{webhook_path}");
        serde_json::from_slice(&requests[0].body).unwrap()
    }
}

/// Stdout and stderr, checked never to show the key, a webhook's token or its URL.
pub fn outputs(output: &std::process::Output, hooks: &Hooks) -> (String, String) {
    let (stdout, stderr) = texts(output);
    for secret in [SLACK_TOKEN, DISCORD_TOKEN, TEAMS_SIG, HOOK_TOKEN] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret} leaked:\n{stdout}\n{stderr}"
        );
    }
    let host = hooks.server.uri();
    for (_, webhook_path) in CHANNELS {
        let shown = format!("{host}{webhook_path}");
        assert!(
            !stderr.contains(&shown) && !stdout.contains(&shown),
            "{stderr}"
        );
    }
    (stdout, stderr)
}

/// Runs `cmd` and returns its exit code, stdout and stderr (checked for secrets).
pub fn run(cmd: &mut Command, hooks: &Hooks) -> (i32, String, String) {
    let output = cmd.output().unwrap();
    let (stdout, stderr) = outputs(&output, hooks);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// The report files of the fixture account's run to `AS_OF`: all three are on disk.
pub fn assert_reports_written(env: &TestEnv) {
    for extension in ["json", "md", "html"] {
        assert!(
            env.user_dir()
                .join(format!("report_{DATE}.{extension}"))
                .is_file(),
            "{extension}: {:?}",
            env.files()
        );
    }
}

/// A mrkdwn or plain text's length as Slack, Discord and Teams count it at most: UTF-16 units.
pub fn units(text: &str) -> usize {
    text.encode_utf16().count()
}
