//! Every output of the fixture and demo weeks, byte for byte: the reports (JSON, Markdown, HTML),
//! the overview, `history`, what each channel received (Slack, Discord, Teams, a plain webhook and
//! the mail, from `run` and again from `send`) and what the binary printed. A change to any of them
//! shows here as the file and line that differ; a change meant to alter an output rewrites the
//! golden files with `GOLDEN_UPDATE=1 cargo test --test golden` and shows the diff for review.
//!
//! Only what differs between two identical runs is made neutral: the stand-ins' addresses and
//! ports, the temporary folder, and the mail's MIME boundaries, `Date` and `Message-ID`.

mod common;
mod demo_data;
mod hooks;
mod mail_server;

use std::collections::BTreeMap;
use std::path::Path;

use mail_parser::{MessageParser, MimeHeaders};

use common::{AS_OF, TestEnv, serve_account_pages, texts};
use hooks::{CHANNELS, Hooks};
use mail_server::{FROM, Received, Setup, SmtpServer, TO};

/// What one scenario produced: a relative path and its bytes.
#[derive(Default)]
struct Outputs {
    files: BTreeMap<String, Vec<u8>>,
    /// Text to make neutral in every file: (what, its stand-in).
    neutral: Vec<(String, String)>,
}

impl Outputs {
    fn add(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let name = name.into();
        assert!(
            self.files.insert(name.clone(), bytes.into()).is_none(),
            "{name} twice"
        );
    }

    fn neutral(&mut self, what: impl Into<String>, stand_in: &str) {
        self.neutral.push((what.into(), stand_in.to_string()));
    }

    /// Every file under `dir` (recursively), as `prefix/relative path`.
    fn add_tree(&mut self, prefix: &str, dir: &Path) {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(at) = stack.pop() {
            for entry in std::fs::read_dir(&at).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(dir).unwrap().to_string_lossy();
                    self.add(
                        format!("{prefix}/{relative}"),
                        std::fs::read(&path).unwrap(),
                    );
                }
            }
        }
    }

    /// The process's exit code, stdout and stderr as one file; the time that starts each stderr
    /// line (stderr is a pipe) as `TIME `.
    fn add_output(&mut self, name: &str, output: &std::process::Output) {
        let (stdout, stderr) = texts(output);
        let stderr: String = (stderr.split_inclusive('\n'))
            .map(|line| format!("TIME {line}"))
            .collect();
        let code = output.status.code().unwrap_or(-1);
        self.add(
            name,
            format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"),
        );
    }

    /// Each webhook's requests, as pretty JSON in the order received.
    async fn add_hooks(&mut self, prefix: &str, hooks: &Hooks) {
        for (var, webhook_path) in CHANNELS {
            let channel = var
                .trim_start_matches("TIKTOK_REVIEW_")
                .to_ascii_lowercase();
            for (i, request) in hooks.requests(webhook_path).await.iter().enumerate() {
                let json: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                let mut text = serde_json::to_string_pretty(&json).unwrap();
                text.push('\n');
                self.add(format!("{prefix}/{channel}_{}.json", i + 1), text);
            }
        }
    }

    /// The mail's headers that a reader sees, its text and HTML parts and every attachment.
    fn add_mail(&mut self, prefix: &str, received: &Received) {
        let mail = MessageParser::default().parse(&received.data).unwrap();
        let header = |name: &str| {
            mail.header_raw(name)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        self.add(
            format!("{prefix}/headers.txt"),
            format!(
                "MAIL FROM: {}\nRCPT TO: {}\nFrom: {}\nTo: {}\nSubject: {}\nparts: {}\n",
                received.mail_from,
                received.rcpt_to.join(", "),
                header("From"),
                header("To"),
                mail.subject().unwrap_or_default(),
                mail.parts.len(),
            ),
        );
        self.add(
            format!("{prefix}/text.txt"),
            mail.body_text(0).unwrap_or_default().replace("\r\n", "\n"),
        );
        self.add(
            format!("{prefix}/body.html"),
            mail.body_html(0).unwrap_or_default().replace("\r\n", "\n"),
        );
        for attachment in mail.attachments() {
            let name = attachment
                .attachment_name()
                .unwrap_or("unnamed")
                .to_string();
            self.add(
                format!("{prefix}/attached/{name}"),
                attachment.contents().to_vec(),
            );
        }
    }

    /// Compares with (or, with `GOLDEN_UPDATE=1`, writes) `tests/golden/<scenario>/`.
    fn check(self, scenario: &str) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(scenario);
        let files: BTreeMap<String, Vec<u8>> = (self.files.into_iter())
            .map(|(name, bytes)| {
                let mut bytes = bytes;
                for (what, stand_in) in &self.neutral {
                    bytes = replace(&bytes, what.as_bytes(), stand_in.as_bytes());
                }
                (name, without_clock(&bytes))
            })
            .collect();
        if std::env::var_os("GOLDEN_UPDATE").is_some() {
            let _ = std::fs::remove_dir_all(&root);
            for (name, bytes) in &files {
                let path = root.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, bytes).unwrap();
            }
            return;
        }
        let mut golden = Outputs::default();
        golden.add_tree("", &root);
        let golden: BTreeMap<String, Vec<u8>> = (golden.files.into_iter())
            .map(|(name, bytes)| (name.trim_start_matches('/').to_string(), bytes))
            .collect();
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&files),
            names(&golden),
            "the outputs of {scenario} are not the golden files' list"
        );
        for (name, bytes) in &files {
            let expected = &golden[name];
            if bytes != expected {
                let got = String::from_utf8_lossy(bytes);
                let want = String::from_utf8_lossy(expected);
                let line = (got.lines().zip(want.lines()))
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.lines().count().min(want.lines().count()));
                panic!(
                    "{scenario}/{name} differs from its golden file at line {}:\n  got:  {}\n  want: {}",
                    line + 1,
                    got.lines().nth(line).unwrap_or("<end>"),
                    want.lines().nth(line).unwrap_or("<end>"),
                );
            }
        }
    }
}

/// `bytes` with every time of today (UTC) as `NOW`: the reports' `generated_at` and "Generated …"
/// lines tell when the run happened, which is the one thing two runs never share.
fn without_clock(bytes: &[u8]) -> Vec<u8> {
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let digits = |b: &[u8]| b.iter().all(|c| c.is_ascii_digit());
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if let Some(after) = rest.strip_prefix(today.as_bytes()) {
            // 2026-12-02T20:08:02Z or 2026-12-02 20:08 UTC
            let stamp = match after {
                [b'T', h @ ..]
                    if h.len() >= 9
                        && digits(&h[0..2])
                        && digits(&h[3..5])
                        && digits(&h[6..8])
                        && h[8] == b'Z' =>
                {
                    Some(10 + 10)
                }
                [b' ', h @ ..]
                    if h.len() >= 5 && digits(&h[0..2]) && h[2] == b':' && digits(&h[3..5]) =>
                {
                    Some(10 + 6)
                }
                _ => None,
            };
            if let Some(len) = stamp {
                out.extend_from_slice(b"NOW");
                i += len;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn replace(haystack: &[u8], what: &[u8], with: &[u8]) -> Vec<u8> {
    if what.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(what) {
            out.extend_from_slice(with);
            i += what.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// `cmd` delivering to every webhook of `hooks` and by mail through `smtp`, with report links.
fn delivering<'a>(
    cmd: &'a mut assert_cmd::Command,
    hooks: &Hooks,
    smtp: &SmtpServer,
) -> &'a mut assert_cmd::Command {
    let paths: Vec<&str> = CHANNELS.iter().map(|(_, p)| *p).collect();
    hooks.configure(cmd, &paths);
    cmd.env("TIKTOK_REVIEW_SMTP_URL", smtp.url("smtp://", ""))
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO)
        .env(
            "TIKTOK_REVIEW_REPORT_URL",
            "https://reports.example.com/tiktok",
        )
}

/// The stand-ins' addresses, made neutral.
fn neutral_addresses(out: &mut Outputs, env: &TestEnv, hooks: &Hooks, smtp: &SmtpServer) {
    out.neutral(env.server.uri(), "http://scavio.test");
    out.neutral(hooks.server.uri(), "http://hooks.test");
    out.neutral(format!("127.0.0.1:{}", smtp.port), "smtp.test:25");
    out.neutral(env.dir.path().to_string_lossy(), "/work");
}

/// Delivers the saved reports of `date` again with `send` and records what arrived.
async fn send_again(
    out: &mut Outputs,
    env: &TestEnv,
    date: &str,
    hooks: &Hooks,
    smtp: &SmtpServer,
    prefix: &str,
) {
    hooks.server.reset().await;
    hooks.accept_all().await;
    let mut cmd = env.bare_cmd();
    cmd.args(["send", "--date", date]);
    let output = delivering(&mut cmd, hooks, smtp).output().unwrap();
    out.add_output(&format!("{prefix}/send.txt"), &output);
    out.add_hooks(&format!("{prefix}/send"), hooks).await;
    out.add_mail(&format!("{prefix}/send/mail"), &smtp.mail());
}

#[tokio::test]
async fn the_fixture_weeks_of_one_account_give_the_golden_outputs() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let smtp = SmtpServer::start(Setup::default());
    let mut out = Outputs::default();
    neutral_addresses(&mut out, &env, &hooks, &smtp);

    env.with_last_week(&[]).await;
    hooks.accept_all().await;
    let output = delivering(&mut env.run(AS_OF, &[]), &hooks, &smtp)
        .output()
        .unwrap();
    out.add_output("run.txt", &output);
    env.verify_and_reset().await;
    out.add_hooks("delivered", &hooks).await;
    out.add_mail("delivered/mail", &smtp.mail());
    send_again(&mut out, &env, "2026-11-15", &hooks, &smtp, "again").await;

    for format in ["table", "csv"] {
        let output = (env.bare_cmd())
            .args(["history", "--user", common::USER, "--format", format])
            .output()
            .unwrap();
        out.add_output(&format!("history_{format}.txt"), &output);
    }
    out.add_tree("reports", &env.dir.path().join("tiktok_reports"));
    out.check("fixture_account");
}

#[tokio::test]
async fn three_accounts_with_an_overview_give_the_golden_outputs() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let smtp = SmtpServer::start(Setup::default());
    let mut out = Outputs::default();
    neutral_addresses(&mut out, &env, &hooks, &smtp);

    let accounts = ["alpha", "bravo", "charlie"];
    for account in accounts {
        serve_account_pages(&env, account, 1, std::time::Duration::ZERO).await;
    }
    hooks.accept_all().await;
    let mut cmd = env.cmd();
    cmd.args(["run", "--user", "alpha,bravo,charlie", "--as-of", AS_OF]);
    let output = delivering(&mut cmd, &hooks, &smtp).output().unwrap();
    out.add_output("run.txt", &output);
    env.verify_and_reset().await;
    out.add_hooks("delivered", &hooks).await;
    out.add_mail("delivered/mail", &smtp.mail());
    send_again(&mut out, &env, "2026-11-15", &hooks, &smtp, "again").await;

    let output = (env.bare_cmd())
        .args([
            "overview",
            "--date",
            "2026-11-15",
            "--reports-dir",
            "rebuilt",
        ])
        .output()
        .unwrap();
    out.add_output("overview_elsewhere.txt", &output);
    let rebuilt = (env.bare_cmd())
        .args(["overview", "--date", "2026-11-15"])
        .output()
        .unwrap();
    out.add_output("overview.txt", &rebuilt);
    out.add_tree("reports", &env.dir.path().join("tiktok_reports"));
    out.check("three_accounts");
}

#[tokio::test]
async fn the_twelve_demo_weeks_give_the_golden_outputs() {
    let env = TestEnv::new().await;
    let hooks = Hooks::start().await;
    let smtp = SmtpServer::start(Setup::default());
    let mut out = Outputs::default();
    neutral_addresses(&mut out, &env, &hooks, &smtp);

    for week in demo_data::weeks().unwrap() {
        demo_data::serve(&env.server, &week).await.unwrap();
        hooks.server.reset().await;
        hooks.accept_all().await;
        let mut cmd = env.cmd();
        cmd.args(["run", "--user", demo_data::HANDLE, "--tz", demo_data::TZ])
            .arg("--as-of")
            .arg(week.as_of());
        let output = delivering(&mut cmd, &hooks, &smtp).output().unwrap();
        let date = &week.date;
        out.add_output(&format!("weeks/{date}/run.txt"), &output);
        env.verify_and_reset().await;
        out.add_hooks(&format!("weeks/{date}"), &hooks).await;
        out.add_mail(&format!("weeks/{date}/mail"), &smtp.mail());
    }
    for format in ["table", "csv"] {
        let output = (env.bare_cmd())
            .args(["history", "--user", demo_data::HANDLE, "--format", format])
            .output()
            .unwrap();
        out.add_output(&format!("history_{format}.txt"), &output);
    }
    out.add_tree("reports", &env.dir.path().join("tiktok_reports"));
    out.check("demo");
}
