//! Mail delivery against a real SMTP server that each test starts on 127.0.0.1 (see
//! `mail_server`): the MIME structure, subject, sender and recipients of what arrives, the login
//! over STARTTLS, and the error kinds (75 for what another try may fix, 78 for what the
//! configuration must), never showing the password.
//!
//! One test runs the real binary's weekly run against the Scavio stand-in and this server.

mod common;
mod mail_server;

use std::net::TcpListener;

use mail_parser::{MessageParser, MimeHeaders};
use tiktok_review::deliver::mail::{DeliveryError, MailConfig, MailMessage, send};
use tiktok_review::error::Kind;

use common::{AS_OF, KEY, TestEnv, texts};
use mail_server::*;

fn config(url: &str) -> MailConfig {
    MailConfig::new(url, FROM, TO).unwrap()
}

fn weekly_mail(attachments: Vec<(String, Vec<u8>)>) -> MailMessage {
    MailMessage {
        subject: "TikTok weekly review 2026-11-29: views ▲ 12 % (@café_créatrice)".into(),
        text: "# @café_créatrice — week of 2026-11-23\n\n- Views: 12 400 (▲ 12 % vs last week)\n- \
               Top post: https://www.tiktok.com/@café_créatrice/video/1\n"
            .into(),
        html:
            "<!doctype html><html><body><h1>@café_créatrice</h1><p>Views ▲ 12 %</p></body></html>\n"
                .into(),
        attachments,
    }
}

fn reports() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "café_créatrice_report_2026-11-29.html".into(),
            "<!doctype html><p>café ▲</p>\n".as_bytes().to_vec(),
        ),
        (
            "brand_report_2026-11-29.html".into(),
            b"<!doctype html><p>brand</p>\n".to_vec(),
        ),
    ]
}

/// The one-line error of a failed delivery, checked to be one line without the login.
fn error_line(err: &DeliveryError) -> String {
    let line = err.to_string();
    assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
    for secret in [PASSWORD, PASSWORD_IN_URL, "s3cr", USER, USER_IN_URL] {
        assert!(!line.contains(secret), "{secret:?} shown: {line}");
        assert!(
            !format!("{err:?}").contains(secret),
            "{secret:?} in Debug: {err:?}"
        );
    }
    line
}

#[tokio::test]
async fn delivers_one_mail_with_the_markdown_the_html_and_the_reports_attached() {
    let server = SmtpServer::start(Setup::default());
    let message = weekly_mail(reports());

    send(&config(&server.url("smtp://", "")), &message)
        .await
        .unwrap();

    let received = server.mail();
    assert_eq!(received.mail_from, "reviews@example.com");
    assert_eq!(received.rcpt_to, ["owner@example.com", "jane@example.com"]);
    let mail = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(
        mime_tree(&mail, mail.root_part()),
        "multipart/mixed[multipart/alternative[text/plain, text/html], \
         text/html \"café_créatrice_report_2026-11-29.html\", \
         text/html \"brand_report_2026-11-29.html\"]"
    );
    assert_eq!(mail.subject(), Some(message.subject.as_str()));
    let from = mail.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Weekly review"));
    assert_eq!(from.address(), Some("reviews@example.com"));
    let to: Vec<(Option<&str>, Option<&str>)> = mail
        .to()
        .unwrap()
        .iter()
        .map(|a| (a.name(), a.address()))
        .collect();
    assert_eq!(
        to,
        [
            (None, Some("owner@example.com")),
            (Some("Doe, Jane"), Some("jane@example.com"))
        ]
    );
    assert_eq!(
        mail.body_text(0).unwrap().replace("\r\n", "\n"),
        message.text
    );
    assert_eq!(
        mail.body_html(0).unwrap().replace("\r\n", "\n"),
        message.html
    );
    let attached: Vec<(&str, &[u8])> = mail
        .attachments()
        .map(|a| (a.attachment_name().unwrap(), a.contents()))
        .collect();
    let expected: Vec<(&str, &[u8])> = message
        .attachments
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    assert_eq!(attached, expected);
    assert!(mail.date().is_some());
    assert!(
        mail.message_id().unwrap().ends_with("@example.com"),
        "{:?}",
        mail.message_id()
    );
}

#[tokio::test]
async fn without_attachments_the_mail_is_multipart_alternative_alone() {
    let server = SmtpServer::start(Setup::default());

    send(&config(&server.url("smtp://", "")), &weekly_mail(vec![]))
        .await
        .unwrap();

    let received = server.mail();
    let mail = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(
        mime_tree(&mail, mail.root_part()),
        "multipart/alternative[text/plain, text/html]"
    );
    assert_eq!(mail.attachments().count(), 0);
}

#[tokio::test]
async fn logs_in_over_starttls_and_delivers() {
    let Some(pki) = trusting_a_test_ca("logs_in_over_starttls_and_delivers") else {
        return;
    };
    let server = SmtpServer::start(Setup {
        tls: Some(&pki),
        ..Setup::default()
    });
    let url = server.url(
        &format!("smtp://{USER_IN_URL}:{PASSWORD_IN_URL}@"),
        "?tls=required",
    );

    send(&config(&url), &weekly_mail(reports())).await.unwrap();

    let received = server.mail();
    assert_eq!(received.login.as_deref(), Some(USER));
    let mail = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(mail.attachments().count(), 2);
}

#[tokio::test]
async fn exits_78_when_the_server_refuses_the_login_and_never_shows_the_password() {
    let Some(pki) = trusting_a_test_ca(
        "exits_78_when_the_server_refuses_the_login_and_never_shows_the_password",
    ) else {
        return;
    };
    let server = SmtpServer::start(Setup {
        tls: Some(&pki),
        ..Setup::default()
    });
    let url = server.url(
        &format!("smtp://{USER_IN_URL}:s3cr3t-but-wrong@"),
        "?tls=required",
    );

    let err = send(&config(&url), &weekly_mail(reports()))
        .await
        .unwrap_err();

    assert_eq!(err.kind(), Kind::Config);
    assert_eq!(err.kind().exit_code(), 78);
    let line = error_line(&err);
    assert!(!line.contains("s3cr3t-but-wrong"), "{line}");
    // The reply's code only: the words of an answer to a login may echo the credentials.
    assert_eq!(
        line,
        format!(
            "the SMTP server 127.0.0.1:{} refused the login (535); check the user and password in \
             TIKTOK_REVIEW_SMTP_URL",
            server.port
        )
    );
    assert!(server.received.try_recv().is_err(), "nothing delivered");
}

#[tokio::test]
async fn exits_78_when_the_servers_certificate_is_not_trusted() {
    let pki = Pki::generate();
    let server = SmtpServer::start(Setup {
        tls: Some(&pki),
        ..Setup::default()
    });
    let url = server.url(
        &format!("smtp://{USER_IN_URL}:{PASSWORD_IN_URL}@"),
        "?tls=required",
    );

    let err = send(&config(&url), &weekly_mail(vec![])).await.unwrap_err();

    assert_eq!(err.kind().exit_code(), 78);
    assert_eq!(
        error_line(&err),
        format!(
            "the SMTP server 127.0.0.1:{} showed a certificate that is not trusted (invalid peer \
             certificate: UnknownIssuer); check the host in TIKTOK_REVIEW_SMTP_URL (the name on \
             the server's certificate), or name the CA to trust in SSL_CERT_FILE",
            server.port
        )
    );
    assert!(server.received.try_recv().is_err(), "nothing delivered");
}

#[tokio::test]
async fn exits_75_when_no_server_is_listening() {
    let port = closed_port();
    let url = format!("smtps://{USER_IN_URL}:{PASSWORD_IN_URL}@127.0.0.1:{port}");

    let err = send(&config(&url), &weekly_mail(reports()))
        .await
        .unwrap_err();

    assert!(err.is_temporary());
    assert_eq!(err.kind(), Kind::TempFail);
    assert_eq!(err.kind().exit_code(), 75);
    assert_eq!(
        error_line(&err),
        format!("the SMTP server 127.0.0.1:{port} refused the connection")
    );
}

/// The clock is paused: it skips ahead to the exchange's limit once nothing else can happen.
#[tokio::test(start_paused = true)]
async fn exits_75_when_the_server_takes_the_connection_and_never_answers() {
    // The kernel completes the connection into the listener's backlog; nobody ever answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();

    let err = send(
        &config(&format!("smtp://127.0.0.1:{port}")),
        &weekly_mail(reports()),
    )
    .await
    .unwrap_err();

    assert_eq!(err.kind().exit_code(), 75);
    assert_eq!(
        error_line(&err),
        format!("the SMTP server 127.0.0.1:{port} did not finish the exchange within 60 s")
    );
    drop(silent);
}

#[tokio::test]
async fn exits_75_when_the_server_answers_a_temporary_failure() {
    let server = SmtpServer::start(Setup {
        rcpt_reply: Some((451, "4.3.0 Mailbox busy, try later")),
        ..Setup::default()
    });

    let err = send(&config(&server.url("smtp://", "")), &weekly_mail(vec![]))
        .await
        .unwrap_err();

    assert_eq!(err.kind().exit_code(), 75);
    assert_eq!(
        error_line(&err),
        format!(
            "the SMTP server 127.0.0.1:{} answered 451 4.3.0, a temporary failure",
            server.port
        )
    );
}

#[tokio::test]
async fn exits_78_when_the_server_refuses_a_recipient() {
    let server = SmtpServer::start(Setup {
        rcpt_reply: Some((550, "5.1.1 No such user")),
        ..Setup::default()
    });

    let err = send(&config(&server.url("smtp://", "")), &weekly_mail(vec![]))
        .await
        .unwrap_err();

    assert_eq!(err.kind().exit_code(), 78);
    assert_eq!(
        error_line(&err),
        format!(
            "the SMTP server 127.0.0.1:{} refused the mail (550 5.1.1); check \
             TIKTOK_REVIEW_MAIL_FROM and TIKTOK_REVIEW_MAIL_TO",
            server.port
        )
    );
}

#[tokio::test]
async fn exits_78_when_the_server_finds_the_mail_too_large() {
    let server = SmtpServer::start(Setup {
        rcpt_reply: Some((552, "5.3.4 Message size exceeds fixed limit")),
        ..Setup::default()
    });

    let err = send(&config(&server.url("smtp://", "")), &weekly_mail(reports()))
        .await
        .unwrap_err();

    assert_eq!(err.kind().exit_code(), 78);
    assert_eq!(
        error_line(&err),
        format!(
            "the SMTP server 127.0.0.1:{} refused the mail as too large (552 5.3.4)",
            server.port
        )
    );
}

#[tokio::test]
async fn exits_78_when_smtps_meets_a_server_without_tls() {
    let server = SmtpServer::start(Setup::default());
    let url = server.url(&format!("smtps://{USER_IN_URL}:{PASSWORD_IN_URL}@"), "");

    let err = send(&config(&url), &weekly_mail(vec![])).await.unwrap_err();

    assert_eq!(err.kind().exit_code(), 78);
    assert_eq!(
        error_line(&err),
        format!(
            "could not talk TLS with the SMTP server 127.0.0.1:{} (received corrupt message of \
             type InvalidContentType); check the scheme and port in TIKTOK_REVIEW_SMTP_URL \
             (smtps:// for port 465, smtp://…?tls=required for 587)",
            server.port
        )
    );
}

#[tokio::test]
async fn exits_78_when_starttls_is_required_and_the_server_offers_none() {
    let server = SmtpServer::start(Setup::default());
    let url = server.url(
        &format!("smtp://{USER_IN_URL}:{PASSWORD_IN_URL}@"),
        "?tls=required",
    );

    let err = send(&config(&url), &weekly_mail(vec![])).await.unwrap_err();

    assert_eq!(err.kind().exit_code(), 78);
    assert_eq!(
        error_line(&err),
        format!(
            "the SMTP server 127.0.0.1:{} does not offer STARTTLS, which tls=required needs; use \
             its TLS port with smtps:// (usually 465) or its submission port (usually 587)",
            server.port
        )
    );
    assert!(server.received.try_recv().is_err(), "nothing delivered");
}

#[tokio::test]
async fn exits_78_when_a_login_is_configured_and_the_server_offers_none() {
    let server = SmtpServer::start(Setup::default());
    let url = server.url(&format!("smtp://{USER_IN_URL}:{PASSWORD_IN_URL}@"), "");

    let err = send(&config(&url), &weekly_mail(vec![])).await.unwrap_err();

    assert_eq!(err.kind().exit_code(), 78);
    assert_eq!(
        error_line(&err),
        format!(
            "the SMTP server 127.0.0.1:{} offers no login method this program speaks (PLAIN, \
             LOGIN) on this connection; most offer one only over TLS: use smtps:// or \
             ?tls=required, or leave the user and password out for a relay that needs none",
            server.port
        )
    );
    assert!(server.received.try_recv().is_err(), "nothing delivered");
}

#[tokio::test]
async fn a_weekly_run_mails_the_review_it_saved_with_the_html_report_attached() {
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    let server = SmtpServer::start(Setup::default());

    let output = env
        .run(AS_OF, &[])
        .env("TIKTOK_REVIEW_SMTP_URL", server.url("smtp://", ""))
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        stdout.lines().nth(1),
        Some("review delivered: mail"),
        "{stdout}"
    );

    let received = server.mail();
    assert_eq!(received.mail_from, "reviews@example.com");
    assert_eq!(received.rcpt_to, ["owner@example.com", "jane@example.com"]);
    assert!(!String::from_utf8_lossy(&received.data).contains(KEY));
    let mail = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(
        mime_tree(&mail, mail.root_part()),
        "multipart/mixed[multipart/alternative[text/plain, text/html], \
         text/html \"examplecreator_report_2026-11-15.html\"]"
    );
    let subject = mail.subject().unwrap();
    assert!(subject.contains("@examplecreator"), "{subject}");
    let saved = |extension: &str| {
        std::fs::read(
            env.user_dir()
                .join(format!("report_2026-11-15.{extension}")),
        )
        .unwrap()
    };
    let attachment = mail.attachments().next().unwrap();
    assert_eq!(attachment.contents(), saved("html").as_slice());
    assert_eq!(
        mail.body_html(0).unwrap().replace("\r\n", "\n").as_bytes(),
        saved("html").as_slice(),
        "one account: the HTML part is its report as saved"
    );
    assert_eq!(
        mail.body_text(0).unwrap().replace("\r\n", "\n").as_bytes(),
        saved("md").as_slice(),
        "the text part is the Markdown report as saved"
    );
}
