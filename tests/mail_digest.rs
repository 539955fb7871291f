//! The mail the binary builds from the saved reports, received by a real SMTP server (see
//! `mail_server`): never an empty body, whatever `--formats` wrote, and never over 10 MB on the
//! wire, however many accounts, saying which reports it left out, where they are and how to mail
//! them.

mod common;
mod mail_server;

use std::path::Path;
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use serde_json::Value;

use common::{AS_OF, TestEnv, serve_account_pages, texts};
use mail_server::*;

/// The most a mail may weigh on the wire.
const TEN_MB: usize = 10_000_000;
/// The report date of a run to `AS_OF`.
const DATE: &str = "2026-11-15";

/// `cmd` with the mail channel pointed at `server`.
fn mailing<'a>(
    cmd: &'a mut assert_cmd::Command,
    server: &SmtpServer,
) -> &'a mut assert_cmd::Command {
    cmd.env("TIKTOK_REVIEW_SMTP_URL", server.url("smtp://", ""))
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO)
}

/// Runs `cmd`, expecting success and the mail delivered.
fn delivers(cmd: &mut assert_cmd::Command) {
    let output = cmd.output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
    assert!(stdout.ends_with("review delivered: mail\n"), "{stdout}");
}

/// The text and HTML parts of a received mail, with LF line ends.
fn parts(received: &Received) -> (String, String) {
    let mail = MessageParser::default().parse(&received.data).unwrap();
    let text = mail.body_text(0).unwrap_or_default().replace("\r\n", "\n");
    let html = mail.body_html(0).unwrap_or_default().replace("\r\n", "\n");
    (text, html)
}

#[tokio::test]
async fn a_json_only_run_mails_each_reports_numbers_never_an_empty_body() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let server = SmtpServer::start(Setup::default());

    delivers(mailing(
        &mut env.run(AS_OF, &["--formats", "json"]),
        &server,
    ));

    let received = server.mail();
    let mail = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(
        mime_tree(&mail, mail.root_part()),
        "multipart/alternative[text/plain, text/html]",
        "no HTML report to attach"
    );
    let (text, html) = parts(&received);
    let title = format!("TikTok review of @examplecreator · week to {DATE}");
    assert!(text.starts_with(&title), "{text}");
    assert!(text.contains("\n@examplecreator: "), "{text}");
    assert!(text.contains(" posts · "), "{text}");
    // The binary names the folder as the system resolves its working directory.
    let saved = std::fs::canonicalize(env.user_dir())
        .unwrap()
        .join(format!("report_{DATE}.json"));
    assert!(text.contains(&format!("{}", saved.display())), "{text}");
    assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
    assert!(html.contains("@examplecreator</strong>: "), "{html}");
}

#[tokio::test]
async fn a_json_only_run_of_two_accounts_mails_both_accounts_numbers() {
    let env = TestEnv::new().await;
    for name in ["alpha1", "beta22"] {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    let server = SmtpServer::start(Setup::default());
    let mut run = env.cmd();
    run.args(["run", "--user", "alpha1,beta22", "--as-of", AS_OF])
        .args(["--formats", "json"]);

    delivers(mailing(&mut run, &server));

    let (text, html) = parts(&server.mail());
    assert!(
        text.starts_with(&format!("TikTok review · week to {DATE}")),
        "{text}"
    );
    for handle in ["alpha1", "beta22"] {
        assert!(text.contains(&format!("\n@{handle}: ")), "{text}");
        assert!(html.contains(&format!("@{handle}</strong>: ")), "{html}");
    }
}

/// The targets of the links of `html` (`<a href="…">`), in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

#[tokio::test]
async fn a_mail_of_two_accounts_links_each_to_its_report_by_the_name_it_is_attached_under() {
    let env = TestEnv::new().await;
    for name in ["alpha1", "beta22"] {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    let server = SmtpServer::start(Setup::default());
    let mut run = env.cmd();
    run.args(["run", "--user", "alpha1,beta22", "--as-of", AS_OF]);

    delivers(mailing(&mut run, &server));

    let received = server.mail();
    let mail = MessageParser::default().parse(&received.data).unwrap();
    let mut attached: Vec<String> = (mail.attachments())
        .map(|a| a.attachment_name().unwrap().to_string())
        .collect();
    attached.sort();
    assert_eq!(
        attached,
        [
            format!("alpha1_report_{DATE}.html"),
            format!("beta22_report_{DATE}.html")
        ]
    );
    let (text, html) = parts(&received);
    let mut accounts: Vec<&str> = (hrefs(&html).into_iter())
        .filter(|href| !href.starts_with("https://www.tiktok.com/"))
        .collect();
    accounts.sort();
    assert_eq!(accounts, attached, "the HTML overview's links");
    for name in &attached {
        assert!(text.contains(&format!("]({name})")), "{name} in {text}");
    }
    // The reports folder's own overview keeps its links into the account folders.
    let saved = std::fs::read_to_string(
        env.dir
            .path()
            .join(format!("tiktok_reports/overview_{DATE}.html")),
    )
    .unwrap();
    assert!(hrefs(&saved).contains(&format!("alpha1/report_{DATE}.html").as_str()));
}

/// Copies the fixture account's saved review into `n` accounts `acct_000`…, each with its own user
/// and fewer views than the one before, and removes the original.
fn copies_of_the_review(reports: &Path, n: usize) -> Vec<String> {
    let original = reports.join("examplecreator");
    let read = |ext: &str| std::fs::read(original.join(format!("report_{DATE}.{ext}"))).unwrap();
    let (json, md, html) = (read("json"), read("md"), read("html"));
    let handles: Vec<String> = (0..n).map(|i| format!("acct_{i:03}")).collect();
    for (i, handle) in handles.iter().enumerate() {
        let mut report: Value = serde_json::from_slice(&json).unwrap();
        report["user"] = Value::from(handle.as_str());
        report["metrics"]["total_views"] = Value::from(10_000_000 - 1_000 * i as u64);
        let dir = reports.join(handle);
        std::fs::create_dir_all(&dir).unwrap();
        let file = |ext: &str| dir.join(format!("report_{DATE}.{ext}"));
        std::fs::write(file("json"), serde_json::to_vec_pretty(&report).unwrap()).unwrap();
        std::fs::write(file("md"), &md).unwrap();
        std::fs::write(file("html"), &html).unwrap();
    }
    std::fs::remove_dir_all(original).unwrap();
    handles
}

#[tokio::test]
async fn a_mail_of_250_accounts_stays_under_10_mb_and_names_the_reports_it_left_out() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    let reports = env.dir.path().join("tiktok_reports");
    let handles = copies_of_the_review(&reports, 250);
    env.bare_cmd()
        .args(["overview", "--date", DATE])
        .assert()
        .success();
    let server = SmtpServer::start(Setup::default());

    delivers(mailing(env.bare_cmd().arg("send"), &server));

    let received = server.mail();
    assert!(
        received.data.len() < TEN_MB,
        "{} bytes on the wire",
        received.data.len()
    );
    let mail = MessageParser::default().parse(&received.data).unwrap();
    let attached: Vec<String> = mail
        .attachments()
        .map(|a| a.attachment_name().unwrap().to_string())
        .collect();
    let kept = attached.len();
    assert!(kept > 10 && kept < 250, "{kept} attached");
    let expected: Vec<String> = (handles[..kept].iter())
        .map(|h| format!("{h}_report_{DATE}.html"))
        .collect();
    assert_eq!(attached, expected, "the most viewed first");

    let (text, html) = parts(&received);
    let overview = std::fs::read_to_string(reports.join(format!("overview_{DATE}.md"))).unwrap();
    let heading = overview.lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(text.contains(&heading), "the overview is the body");
    // Its links lead to the reports as attached, and only to those.
    for (i, handle) in handles.iter().enumerate() {
        let name = format!("{handle}_report_{DATE}.html");
        let linked = (
            text.contains(&format!("]({name})")),
            html.contains(&format!("<a href=\"{name}\">@{handle}</a>")),
        );
        assert_eq!(linked, (i < kept, i < kept), "{name}");
    }
    assert!(
        !text.contains(&format!("/report_{DATE}.html)")),
        "a folder's path as a link"
    );
    let left_out = 250 - kept;
    let dir = std::fs::canonicalize(&reports)
        .unwrap()
        .display()
        .to_string();
    let how_many = format!("{left_out} of 250 account reports are not attached");
    let on_disk = format!("{dir}/<handle>/report_{DATE}.html");
    let resend = format!("tiktok-review send --reports-dir {dir} --date {DATE} --user <handle>");
    for (part, body) in [
        ("text", &text),
        ("html", &html.replace("&lt;", "<").replace("&gt;", ">")),
    ] {
        assert!(body.contains(&how_many), "{part}: {how_many}");
        assert!(body.contains(&on_disk), "{part}: {on_disk}");
        assert!(body.contains(&resend), "{part}: {resend}");
        let list = body.rsplit_once("Not attached").unwrap().1;
        for handle in &handles[kept..] {
            assert!(
                list.contains(&format!("@{handle}")),
                "{part}: @{handle} not named"
            );
        }
        for handle in &handles[..kept] {
            assert!(
                !list.contains(&format!("@{handle}")),
                "{part}: @{handle} was attached"
            );
        }
    }
}

/// `send` reads no file through a symbolic link: an overview's Markdown or an account's HTML that
/// points at the env file is left out with a warning, never mailed as the text or an attachment.
#[tokio::test]
async fn send_never_mails_a_file_reached_through_a_symbolic_link() {
    const SECRET: &str = "sk_live_ENVFILEmustNeverBeMailed";
    let env = TestEnv::new().await;
    for name in ["alpha1", "beta22"] {
        serve_account_pages(&env, name, 1, Duration::ZERO).await;
    }
    env.cmd()
        .args(["run", "--user", "alpha1,beta22", "--as-of", AS_OF, "-q"])
        .assert()
        .success();
    let secret = env.dir.path().join("secret.env");
    std::fs::write(&secret, format!("SCAVIO_API_KEY={SECRET}\n")).unwrap();
    let reports = env.dir.path().join("tiktok_reports");
    for link in [
        reports.join(format!("overview_{DATE}.md")),
        reports.join(format!("alpha1/report_{DATE}.html")),
    ] {
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(&secret, &link).unwrap();
    }
    let server = SmtpServer::start(Setup::default());
    let output = mailing(env.bare_cmd().arg("send"), &server)
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for name in [
        format!("overview_{DATE}.md"),
        format!("alpha1/report_{DATE}.html"),
    ] {
        assert!(
            stderr.contains(&format!(
                "warning: not sending tiktok_reports/{name}: it is a symbolic link, which tiktok-review never follows"
            )),
            "{stderr}"
        );
    }
    let received = server.mail();
    assert!(
        !String::from_utf8_lossy(&received.data).contains(SECRET),
        "the env file was mailed"
    );
    let mail = MessageParser::default().parse(&received.data).unwrap();
    let attached: Vec<String> = (mail.attachments())
        .filter_map(|a| a.attachment_name().map(str::to_string))
        .collect();
    assert_eq!(attached, [format!("beta22_report_{DATE}.html")]);
    let (text, html) = parts(&received);
    assert!(text.contains("@alpha1"), "built from the reports: {text}");
    let links: Vec<&str> = (hrefs(&html).into_iter())
        .filter(|href| !href.starts_with("https://www.tiktok.com/"))
        .collect();
    assert_eq!(
        links,
        [format!("beta22_report_{DATE}.html")],
        "no link to a report not attached"
    );
}
