//! A mail is sent once, and a refused login shows no form of the password: the binary and the mail
//! channel against a hand-written SMTP stand-in that misbehaves after the message (closes, resets,
//! answers garbage or nothing), greylists with 451, or answers a login with an echo of the `AUTH` it
//! received. The stand-in counts connections, logins and messages: a test proves how many copies
//! went out, never how long anything took.

mod common;
mod smtp_standin;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tiktok_review::deliver::mail::{DeliveryError, MailConfig, MailMessage, send};

use common::{AS_OF, TestEnv, texts};
use smtp_standin::{AfterData, Conduct, Log, Login, Standin, serve_one};

const USER: &str = "reviewer@example.com";
/// A password with characters that must be percent-encoded in the URL.
const PASSWORD: &str = "s3cr#t:p@ss/wörd";
const LOGIN_IN_URL: &str = "reviewer%40example.com:s3cr%23t%3Ap%40ss%2Fw%C3%B6rd@";
const FROM: &str = "Weekly review <reviews@example.com>";
const TO: &str = "owner@example.com";

/// A test env whose account has its review of `AS_OF` saved (no delivery configured).
async fn with_a_saved_review() -> TestEnv {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    env
}

/// `tiktok-review send` of the saved review by mail through `smtp_url`: the exit code, stdout and
/// stderr.
fn send_by_mail(env: &TestEnv, smtp_url: &str) -> (i32, String, String) {
    let output = env
        .bare_cmd()
        .arg("send")
        .env("TIKTOK_REVIEW_SMTP_URL", smtp_url)
        .env("TIKTOK_REVIEW_MAIL_FROM", FROM)
        .env("TIKTOK_REVIEW_MAIL_TO", TO)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

fn message() -> MailMessage {
    MailMessage {
        subject: "TikTok review of @examplecreator · week to 2026-11-15".into(),
        text: "# @examplecreator\n\n5 posts · 211,893 views\n".into(),
        html: "<!DOCTYPE html><html><body><h1>@examplecreator</h1></body></html>\n".into(),
        attachments: vec![],
    }
}

/// The stand-in's counts: `connections`, `logins`, `messages` received whole, `accepted`.
fn counts(connections: usize, logins: usize, messages: usize, accepted: usize) -> Log {
    Log {
        connections,
        logins,
        messages,
        accepted,
    }
}

#[tokio::test]
async fn a_mail_that_may_have_arrived_is_never_sent_again_and_exits_75_saying_so() {
    let env = with_a_saved_review().await;
    for (after_data, what) in [
        (
            AfterData::Close,
            "dropped the connection after the mail was sent, before confirming it",
        ),
        (
            AfterData::Reset,
            "dropped the connection after the mail was sent, before confirming it",
        ),
        (
            AfterData::Garbage,
            "answered something that is not SMTP after the mail was sent",
        ),
    ] {
        let standin = Standin::start(move |_| Conduct {
            after_data,
            ..Conduct::default()
        });

        let (code, stdout, stderr) = send_by_mail(&env, &standin.url(""));

        assert_eq!(
            (code, stdout.as_str()),
            (75, ""),
            "{after_data:?}: {stderr}"
        );
        assert_eq!(
            stderr.trim_end(),
            format!(
                "tiktok-review: error: delivering by mail: the SMTP server 127.0.0.1:{} {what}; \
                 the message may have arrived: look in the mailbox first, and only if it is not \
                 there run `tiktok-review send --date 2026-11-15 --channel mail` to send it again",
                standin.port
            ),
            "{after_data:?}"
        );
        assert_eq!(
            standin.log(),
            counts(1, 0, 1, 0),
            "{after_data:?}: one copy"
        );
    }
}

#[tokio::test]
async fn greylisting_with_451_on_rcpt_or_after_the_data_is_tried_again_and_delivers_once() {
    let env = with_a_saved_review().await;
    let on_rcpt = Standin::start(|i| Conduct {
        rcpt: if i == 0 {
            "451 4.7.1 try again later"
        } else {
            "250 2.1.5 OK"
        },
        ..Conduct::default()
    });
    let after_data = Standin::start(|i| Conduct {
        after_data: AfterData::Reply(if i == 0 {
            "451 4.7.1 try again later"
        } else {
            "250 2.0.0 queued as 2"
        }),
        ..Conduct::default()
    });

    for standin in [&on_rcpt, &after_data] {
        let (code, stdout, stderr) = send_by_mail(&env, &standin.url(""));
        assert_eq!((code, stderr.as_str()), (0, ""), "{stderr}");
        assert_eq!(stdout, "review delivered: mail\n");
    }

    assert_eq!(on_rcpt.log(), counts(2, 0, 1, 1), "the message sent once");
    assert_eq!(
        after_data.log(),
        counts(2, 0, 2, 1),
        "the server said no to the first copy: the second is the one it took"
    );
}

/// The clock is paused, and stands still while the stand-in works in a blocking task; once the
/// stand-in holds the whole message and falls silent, the clock skips to the exchange's limit.
#[tokio::test(start_paused = true)]
async fn a_server_silent_after_the_data_may_have_the_mail_which_is_not_temporary() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Log::default()));
    let shared = Arc::clone(&log);
    let standin = tokio::task::spawn_blocking(move || {
        let silent = Conduct {
            after_data: AfterData::Silent,
            ..Conduct::default()
        };
        let kept = serve_one(&listener, silent, &shared);
        (listener, kept)
    });
    let config = MailConfig::new(&format!("smtp://127.0.0.1:{port}"), FROM, TO).unwrap();

    let err = send(&config, &message()).await.unwrap_err();

    let (_listener, kept) = standin.await.unwrap();
    assert!(kept.is_some(), "the stand-in held the connection");
    assert!(
        matches!(err, DeliveryError::MayHaveArrived(_)),
        "never sent again: {err:?}"
    );
    assert_eq!(err.kind().exit_code(), 75);
    assert_eq!(
        err.to_string(),
        format!(
            "the SMTP server 127.0.0.1:{port} took the mail's data but did not confirm it within 60 s"
        )
    );
    assert_eq!(*log.lock().unwrap(), counts(1, 0, 1, 0));
}

/// Every form the login takes on the wire, as a server could echo it: base64 with and without
/// padding, and a prefix of it; and the password as written.
fn login_forms() -> Vec<String> {
    let b64 = |text: &str| STANDARD.encode(text);
    let mut forms = vec![PASSWORD.to_string(), "s3cr".to_string()];
    for whole in [
        b64(&format!("\0{USER}\0{PASSWORD}")),
        b64(USER),
        b64(PASSWORD),
    ] {
        forms.push(whole.trim_end_matches('=').to_string());
        forms.push(whole.chars().take(12).collect());
        forms.push(whole);
    }
    forms
}

#[tokio::test]
async fn a_login_refused_with_an_echo_of_auth_plain_or_login_shows_no_form_of_the_password() {
    for login in [Login::Plain, Login::Login] {
        let standin = Standin::start(move |_| Conduct {
            login: Some(login),
            ..Conduct::default()
        });
        let config = MailConfig::new(&standin.url(LOGIN_IN_URL), FROM, TO).unwrap();

        let err = send(&config, &message()).await.unwrap_err();

        let line = err.to_string();
        assert_eq!(
            line,
            format!(
                "the SMTP server 127.0.0.1:{} refused the login (535 5.7.8); check the user and \
                 password in TIKTOK_REVIEW_SMTP_URL",
                standin.port
            ),
            "{login:?}"
        );
        for form in login_forms() {
            assert!(
                !format!("{line} {err:?}").contains(&form),
                "{form}: {err:?}"
            );
        }
        assert_eq!(err.kind().exit_code(), 78);
        assert_eq!(standin.log(), counts(1, 1, 0, 0), "{login:?}: tried once");
    }
}

#[tokio::test]
async fn the_binary_refused_a_login_with_an_echo_exits_78_without_any_form_of_the_password() {
    let env = with_a_saved_review().await;
    for login in [Login::Plain, Login::Login] {
        let standin = Standin::start(move |_| Conduct {
            login: Some(login),
            ..Conduct::default()
        });

        let (code, stdout, stderr) = send_by_mail(&env, &standin.url(LOGIN_IN_URL));

        assert_eq!((code, stdout.as_str()), (78, ""), "{login:?}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "tiktok-review: error: delivering by mail: the SMTP server 127.0.0.1:{} refused \
                 the login (535 5.7.8); check the user and password in TIKTOK_REVIEW_SMTP_URL; \
                 reports kept: run `tiktok-review send --date 2026-11-15 --channel mail` to deliver them again",
                standin.port
            ),
            "{login:?}"
        );
        for form in login_forms() {
            assert!(!stderr.contains(&form), "{form}: {stderr}");
        }
        assert_eq!(standin.log(), counts(1, 1, 0, 0), "{login:?}: tried once");
    }
}
