//! The SMTP URL, the addresses, the message's shape and the error lines, without a server.

use super::compose::compose;
use super::failure::{MAX_ANSWER_CHARS, answer, timed_out};
use super::*;

const TO: &str = "team@example.com";
const FROM: &str = "Reviews <reviews@example.com>";

fn config(url: &str) -> Result<MailConfig, String> {
    MailConfig::new(url, FROM, TO)
}

fn server(url: &str) -> Server {
    config(url).unwrap().server
}

#[test]
fn each_scheme_has_its_security_and_default_port() {
    let cases = [
        ("smtps://u:p@mail.example.com", Security::Tls, 465),
        (
            "smtp://u:p@mail.example.com?tls=required",
            Security::StartTls,
            587,
        ),
        (
            "smtp://localhost?tls=opportunistic",
            Security::Opportunistic,
            587,
        ),
        ("smtp://localhost", Security::Plain, 25),
        ("smtps://u:p@mail.example.com:2465", Security::Tls, 2465),
    ];
    for (url, security, port) in cases {
        let server = server(url);
        assert_eq!((server.security, server.port), (security, port), "{url}");
    }
}

#[test]
fn the_login_is_percent_decoded() {
    let config = config("smtps://me%40example.com:p%40ss%3Aw%2Fd@mail.example.com").unwrap();
    let login = config.login.unwrap();
    assert_eq!(login.user, "me@example.com");
    assert_eq!(login.password, "p@ss:w/d");
}

#[test]
fn the_path_names_the_ehlo_greeting() {
    assert_eq!(
        server("smtps://u:p@mail.example.com/host.example.org").hello,
        Some("host.example.org".into())
    );
    assert_eq!(server("smtps://u:p@mail.example.com/").hello, None);
}

#[test]
fn an_ipv6_host_loses_its_brackets_and_shows_them_again() {
    let config = config("smtp://u:p@[::1]:2525").unwrap();
    assert_eq!(config.server.host, "::1");
    assert_eq!(config.server(), "[::1]:2525");
}

#[test]
fn unusable_urls_are_refused_without_showing_the_password() {
    let cases = [
        ("http://u:hunter2@mail.example.com", "the scheme is http://"),
        (
            "smtp://u:hunter2@mail.example.com?tls=starttls",
            "tls=starttls is unknown",
        ),
        (
            "smtp://u:hunter2@mail.example.com?tsl=required",
            "tsl is unknown",
        ),
        (
            "smtps://u:hunter2@mail.example.com?tls=required",
            "takes no tls=",
        ),
        (
            "smtp://u:hunter2@mail.example.com?tls=required&tls=none",
            "tls= twice",
        ),
        (
            "smtps://:hunter2@mail.example.com",
            "a password but no user",
        ),
        ("smtps://u@mail.example.com", "a user but no password"),
        (
            "smtps://u:hunter2@mail.example.com/a/b",
            "more than an EHLO name",
        ),
        ("smtps://u:hunter2@mail.example.com#x", "fragment"),
        ("smtps://u:hunter2@:465", "empty host"),
        ("smtps://u:hunter2@mail.example.com:99999", "invalid port"),
        (
            "smtps://u:hunter2%ff@mail.example.com",
            "not percent-encoded UTF-8",
        ),
        ("mail.example.com", "relative URL"),
        ("", "relative URL"),
    ];
    for (url, why) in cases {
        let err = config(url).unwrap_err();
        assert!(
            err.starts_with(&format!("{SMTP_URL} is not a usable SMTP URL: ")),
            "{err}"
        );
        assert!(err.contains(why), "{url}: {err}");
        assert!(!err.contains("hunter2") && !err.contains("u:"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

#[test]
fn a_password_is_never_sent_unencrypted_to_another_machine() {
    for url in [
        "smtp://u:hunter2@mail.example.com",
        "smtp://u:hunter2@mail.example.com:587?tls=opportunistic",
        "smtp://u:hunter2@10.0.0.5",
    ] {
        let err = config(url).unwrap_err();
        assert!(err.contains("would send the password to"), "{err}");
        assert!(err.contains("unencrypted"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    for url in [
        "smtp://u:p@localhost:2525",
        "smtp://u:p@127.0.0.1:2525",
        "smtp://u:p@[::1]:2525",
        "smtp://mail.example.com",
    ] {
        assert!(config(url).is_ok(), "{url}");
    }
}

#[test]
fn recipients_are_a_comma_separated_list_of_addresses() {
    let config = MailConfig::new(
        "smtp://localhost",
        "me@example.com",
        " a@example.com,\"Doe, Jane\" <jane@example.com> , Bob <B@Example.com>,",
    )
    .unwrap();
    let to: Vec<String> = config.to.iter().map(|m| m.email.to_string()).collect();
    assert_eq!(to, ["a@example.com", "jane@example.com", "B@Example.com"]);
    assert_eq!(config.to[1].name.as_deref(), Some("Doe, Jane"));
}

#[test]
fn addresses_that_are_not_entirely_addresses_are_refused() {
    for to in [
        "",
        " , ",
        "a@example.com b@example.com",
        "not an address",
        "a@",
        "<a@example.com> x",
        "A <a@example.com> <b@example.com>",
    ] {
        let err = MailConfig::new("smtp://localhost", "me@example.com", to).unwrap_err();
        assert!(err.starts_with(&format!("{MAIL_TO} ")), "{to:?}: {err}");
    }
    for from in [
        "",
        "me",
        "me@example.com, you@example.com",
        "Me <me@example.com",
    ] {
        let err = MailConfig::new("smtp://localhost", from, TO).unwrap_err();
        assert!(
            err.starts_with(&format!("{MAIL_FROM} is not a mail address")),
            "{from:?}: {err}"
        );
    }
}

#[test]
fn debug_and_display_never_show_the_login() {
    let config = config("smtps://reviewer:hunter2@mail.example.com").unwrap();
    for shown in [
        format!("{config:?}"),
        format!("{config:#?}"),
        config.to_string(),
    ] {
        assert!(
            !shown.contains("hunter2") && !shown.contains("reviewer"),
            "{shown}"
        );
        assert!(shown.contains("mail.example.com:465"), "{shown}");
    }
    assert_eq!(
        config.to_string(),
        "mail to team@example.com through mail.example.com:465"
    );
}

#[test]
fn delivery_errors_map_onto_exit_codes() {
    assert_eq!(DeliveryError::Temporary("x".into()).kind().exit_code(), 75);
    assert_eq!(DeliveryError::Refused("x".into()).kind().exit_code(), 78);
    let failure = Failure::from(DeliveryError::Refused("the SMTP server x:1 refused".into()));
    assert_eq!(failure.kind, Kind::Config);
    assert_eq!(failure.to_string(), "the SMTP server x:1 refused");
}

#[test]
fn answers_are_one_clean_short_line_without_the_password() {
    let config = config("smtps://u:hunter%232@mail.example.com").unwrap();
    assert_eq!(
        answer(
            "535 bad\r\n password HUNTER#2 or hunter%232\x1b[31m",
            &config
        ),
        "535 bad password *** or ***"
    );
    let long = answer(&"x".repeat(500), &config);
    assert_eq!(long.chars().count(), MAX_ANSWER_CHARS + 1);
}

#[test]
fn answers_hide_the_base64_a_login_takes_on_the_wire() {
    let config = config("smtp://me%40x.example:hunter2@localhost").unwrap();
    // AUTH PLAIN's `\0me@x.example\0hunter2`, AUTH LOGIN's password, each padded as sent.
    assert_eq!(
        answer(
            "535 got AG1lQHguZXhhbXBsZQBodW50ZXIy and aHVudGVyMg==",
            &config
        ),
        "535 got *** and ***=="
    );
}

#[test]
fn an_exchange_out_of_time_is_temporary_until_the_data_went_out() {
    let config = config("smtp://localhost").unwrap();
    assert_eq!(
        timed_out(&config, Stage::Envelope),
        Err(DeliveryError::Temporary(
            "the SMTP server localhost:25 did not finish the exchange within 60 s".into()
        ))
    );
    let after_data = timed_out(&config, Stage::Message).unwrap_err();
    assert!(matches!(after_data, DeliveryError::MayHaveArrived(_)));
    assert!(!after_data.is_temporary());
    assert_eq!(after_data.kind().exit_code(), 75);
    assert_eq!(
        timed_out(&config, Stage::Accepted),
        Ok(()),
        "only QUIT was left"
    );
}

#[test]
fn the_wire_size_is_the_mail_as_sent_and_each_attachment_adds_its_own() {
    let config = config("smtp://localhost").unwrap();
    let page = "<p>.café ▲</p>\n.line starting with a dot\n"
        .repeat(2_000)
        .into_bytes();
    let one = message(vec![("a.html".into(), page.clone())]);
    let two = message(vec![
        ("a.html".into(), page.clone()),
        ("b.html".into(), page),
    ]);
    let formatted = compose(&config, &one).unwrap().formatted();
    let dots = formatted
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"."))
        .count();
    assert_eq!(
        wire_size(&config, &one).unwrap(),
        formatted.len() + dots + 5
    );
    // Boundaries, Message-ID and Date are random or timely but of one length.
    assert_eq!(
        wire_size(&config, &two).unwrap() - wire_size(&config, &one).unwrap(),
        attachment_size("b.html", &two.attachments[1].1)
    );
}

fn message(attachments: Vec<(String, Vec<u8>)>) -> MailMessage {
    MailMessage {
        subject: "Weekly\r\nBcc: evil@example.com review".into(),
        text: "# Review\n\nViews ▲ 12 %\n".into(),
        html: "<h1>Review</h1><p>Views ▲ 12 %</p>".into(),
        attachments,
    }
}

#[test]
fn without_attachments_the_mail_is_multipart_alternative() {
    let config = config("smtp://localhost").unwrap();
    let mail = String::from_utf8(compose(&config, &message(vec![])).unwrap().formatted()).unwrap();
    assert!(
        mail.contains("Content-Type: multipart/alternative"),
        "{mail}"
    );
    assert!(!mail.contains("multipart/mixed"), "{mail}");
    assert!(
        mail.contains("Subject: Weekly Bcc: evil@example.com review\r\n"),
        "{mail}"
    );
    assert!(!mail.contains("\r\nBcc:"), "{mail}");
    assert!(mail.is_ascii(), "7-bit safe for any server");
}

#[test]
fn with_attachments_the_alternative_sits_inside_multipart_mixed() {
    let config = config("smtp://localhost").unwrap();
    let files = vec![("report_2026-11-29.html".to_string(), b"<p>a</p>".to_vec())];
    let mail = String::from_utf8(compose(&config, &message(files)).unwrap().formatted()).unwrap();
    let mixed = mail.find("multipart/mixed").unwrap();
    let alternative = mail.find("multipart/alternative").unwrap();
    let attachment = mail.find("filename=\"report_2026-11-29.html\"").unwrap();
    assert!(mixed < alternative && alternative < attachment, "{mail}");
}
