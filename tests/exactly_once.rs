//! One message per channel per run, through the real binary: a webhook request that went out and
//! may have been processed is never sent again (a timeout, a reset after the body, a 5xx other than
//! 503), what provably was not taken is (a refused connection, 429, 503); a `Retry-After` of
//! `u64::MAX` after a slow answer ends the channel, not the run; a TLS failure is a refusal (78).
//! Every count is taken at the stand-in, never from the clock.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HOOK_PATH: &str = "/hook/hookTOKENmustNeverLeak0004";
const WEBHOOKS: [(&str, &str); 4] = [
    (
        "TIKTOK_REVIEW_SLACK_WEBHOOK",
        "/services/T0001/B0001/slackTOKEN01",
    ),
    (
        "TIKTOK_REVIEW_DISCORD_WEBHOOK",
        "/api/webhooks/1234/discordTOKEN02",
    ),
    ("TIKTOK_REVIEW_TEAMS_WEBHOOK", "/workflows/teamsTOKEN03/x"),
    ("TIKTOK_REVIEW_WEBHOOK_URL", HOOK_PATH),
];

/// `send`'s exit code, stdout and stderr; neither shows the key or a token.
fn outcome(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let output = cmd.output().unwrap();
    let (stdout, stderr) = texts(&output);
    for token in [
        "hookTOKENmustNeverLeak0004",
        "slackTOKEN01",
        "discordTOKEN02",
        "teamsTOKEN03",
    ] {
        assert!(
            !stderr.contains(token) && !stdout.contains(token),
            "{stderr}"
        );
    }
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// `tiktok-review send` of the saved week with the generic webhook at `url`.
fn send(env: &TestEnv, url: &str) -> assert_cmd::Command {
    let mut cmd = env.bare_cmd();
    cmd.arg("send").env("TIKTOK_REVIEW_WEBHOOK_URL", url);
    cmd
}

async fn hook_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(HOOK_PATH))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn a_webhook_answering_after_the_timeout_gets_one_copy_and_the_run_says_it_may_have_arrived()
{
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hook = hook_answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(4))).await;
    let mut cmd = env.run(AS_OF, &["--timeout", "1"]);
    cmd.env(
        "TIKTOK_REVIEW_WEBHOOK_URL",
        format!("{}{HOOK_PATH}", hook.uri()),
    );
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert_eq!(code, 75, "{stderr}");
    assert_eq!(received(&hook).await, 1, "one copy, not five: {stderr}");
    assert!(
        stdout.starts_with("@examplecreator week to 2026-11-15: "),
        "{stdout}"
    );
    assert_eq!(
        stderr.lines().last().unwrap(),
        "tiktok-review: error: delivering to the webhook: no answer in time after taking the message (--timeout 1s); the message may have arrived: look at the webhook's receiver first, and only if it is not there run `tiktok-review send --date 2026-11-15 --channel webhook` to send it again"
    );
    assert!(!stderr.contains("retrying"), "{stderr}");
}

#[tokio::test]
async fn a_webhook_failing_with_500_502_or_504_after_taking_the_message_gets_one_copy() {
    let (env, _) = with_last_week_saved().await;
    for status in [500, 502, 504] {
        let hook =
            hook_answering(ResponseTemplate::new(status).insert_header("Retry-After", "0")).await;
        let (code, _, stderr) = outcome(&mut send(&env, &format!("{}{HOOK_PATH}", hook.uri())));
        assert_eq!(code, 75, "{stderr}");
        assert_eq!(received(&hook).await, 1, "{status}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "it answered HTTP {status} after taking the message; the message may have arrived"
            )),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn a_429_or_503_and_a_refused_connection_are_tried_again_as_they_were_not_taken() {
    let (env, _) = with_last_week_saved().await;
    for status in [429, 503] {
        let hook = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(2)
            .mount(&hook)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&hook)
            .await;
        let (code, stdout, stderr) =
            outcome(&mut send(&env, &format!("{}{HOOK_PATH}", hook.uri())));
        assert_eq!(
            (code, stdout.as_str()),
            (0, "review delivered: the webhook\n"),
            "{stderr}"
        );
        assert_eq!(received(&hook).await, 3, "{status}");
    }
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, _, stderr) = outcome(&mut send(&env, &format!("http://{closed}{HOOK_PATH}")));
    assert_eq!(code, 75, "{stderr}");
    assert!(
        stderr.contains("error: delivering to the webhook: could not connect (after 5 attempts); reports kept: run `tiktok-review send --date 2026-11-08 --channel webhook` to deliver them again"),
        "{stderr}"
    );
}

/// A server that reads each request whole, counts it, and resets the connection without a word.
fn resetting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            if read_request(&mut stream) {
                counted.fetch_add(1, Ordering::SeqCst);
            }
            reset(&stream);
        }
    });
    (format!("http://{address}"), count)
}

/// Reads one HTTP/1.1 request with a `Content-Length` body; whether it came whole.
fn read_request(stream: &mut std::net::TcpStream) -> bool {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return false,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&bytes[..end]).to_lowercase();
        let length: usize = (head.lines())
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while bytes.len() < end + 4 + length {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return false,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
            }
        }
        return true;
    }
}

/// Closes `stream` with a reset (RST) rather than an orderly close.
fn reset(stream: &std::net::TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a pointer to a live `linger` of the size given.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

#[tokio::test]
async fn a_connection_reset_after_the_body_was_read_is_never_sent_again() {
    let (env, _) = with_last_week_saved().await;
    let (base, count) = resetting_server();
    let (code, _, stderr) = outcome(&mut send(&env, &format!("{base}{HOOK_PATH}")));
    assert_eq!(code, 75, "{stderr}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "{stderr}");
    assert!(
        stderr.contains(
            "error: delivering to the webhook: the connection failed after the message was sent ("
        ) && stderr.contains("the message may have arrived"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_retry_after_of_u64_max_after_a_slow_answer_ends_each_channel_not_the_run() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "18446744073709551615")
                .set_delay(Duration::from_millis(1100)),
        )
        .mount(&hooks)
        .await;
    let mut cmd = env.run(AS_OF, &[]);
    for (var, webhook_path) in WEBHOOKS {
        cmd.env(var, format!("{}{webhook_path}", hooks.uri()));
    }
    let (code, stdout, stderr) = outcome(&mut cmd);
    assert_eq!(code, 75, "no panic (70): {stderr}");
    assert!(
        stdout.starts_with("@examplecreator week to 2026-11-15: "),
        "{stdout}"
    );
    let requests = hooks.received_requests().await.unwrap();
    for (_, webhook_path) in WEBHOOKS {
        let to_it = requests
            .iter()
            .filter(|r| r.url.path() == webhook_path)
            .count();
        assert_eq!(to_it, 1, "{webhook_path}");
    }
    for channel in ["Slack", "Discord", "Teams", "the webhook"] {
        assert!(
            stderr.contains(&format!(
                "error: delivering to {channel}: HTTP 503 (a further wait of "
            )),
            "{channel}: {stderr}"
        );
    }
}

/// A TLS server on 127.0.0.1 with a certificate no one trusts, on a thread of its own (the test's
/// runtime is blocked while the binary runs); counts its connections.
fn untrusted_tls_server() -> (String, Arc<AtomicUsize>) {
    use tokio_rustls::rustls;
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".into()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            while let Ok((stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = acceptor.accept(stream).await;
            }
        });
    });
    (format!("https://{address}"), count)
}

#[tokio::test]
async fn a_tls_failure_is_named_and_refused_not_retried() {
    let (env, _) = with_last_week_saved().await;
    let (tls, handshakes) = untrusted_tls_server();
    let plain = hook_answering(ResponseTemplate::new(200)).await;
    let plain_port = plain.address().port();
    for (url, counter) in [
        (format!("{tls}{HOOK_PATH}"), Some(&handshakes)),
        (format!("https://127.0.0.1:{plain_port}{HOOK_PATH}"), None),
    ] {
        let (code, _, stderr) = outcome(&mut send(&env, &url));
        assert_eq!(code, 78, "{stderr}");
        assert!(
            stderr
                .contains("error: delivering to the webhook: could not talk TLS with its server (")
                && stderr.contains(
                    "check that TIKTOK_REVIEW_WEBHOOK_URL is the https URL the service gave"
                ),
            "{stderr}"
        );
        if let Some(counter) = counter {
            assert_eq!(counter.load(Ordering::SeqCst), 1, "not retried");
        }
    }
    assert_eq!(
        received(&plain).await,
        0,
        "no HTTP request reached the plain port"
    );
}

/// Slack sections are verbatim: a caption's `@here` or `<!channel>` never becomes a mention.
#[tokio::test]
async fn slack_sections_are_verbatim() {
    let (env, _) = with_last_week_saved().await;
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&hook)
        .await;
    let mut cmd = env.bare_cmd();
    cmd.arg("send").env(
        "TIKTOK_REVIEW_SLACK_WEBHOOK",
        format!("{}/services/T1/B1/tok", hook.uri()),
    );
    let (code, _, stderr) = outcome(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let body: serde_json::Value =
        serde_json::from_slice(&hook.received_requests().await.unwrap()[0].body).unwrap();
    let sections: Vec<&serde_json::Value> = (body["blocks"].as_array().unwrap().iter())
        .filter(|b| b["type"] == "section")
        .collect();
    assert!(!sections.is_empty(), "{body}");
    for section in sections {
        assert_eq!(section["text"]["verbatim"], true, "{section}");
    }
}

#[tokio::test]
async fn a_408_is_tried_again_and_a_status_no_server_should_send_may_have_arrived() {
    let (env, _) = with_last_week_saved().await;
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(408))
        .up_to_n_times(1)
        .mount(&hook)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let (code, _, stderr) = outcome(&mut send(&env, &format!("{}{HOOK_PATH}", hook.uri())));
    assert_eq!((code, received(&hook).await), (0, 2), "{stderr}");
    let odd = hook_answering(ResponseTemplate::new(599)).await;
    let (code, _, stderr) = outcome(&mut send(&env, &format!("{}{HOOK_PATH}", odd.uri())));
    assert_eq!((code, received(&odd).await), (75, 1), "{stderr}");
    assert!(stderr.contains("the message may have arrived"), "{stderr}");
}

#[tokio::test]
async fn the_line_of_a_failed_channel_sends_to_that_channel_only() {
    let (env, _) = with_last_week_saved().await;
    let hooks = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/services/T1/B1/slackTOKEN01"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&hooks)
        .await;
    Mock::given(method("POST"))
        .and(path(HOOK_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(5)
        .mount(&hooks)
        .await;
    Mock::given(method("POST"))
        .and(path(HOOK_PATH))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hooks)
        .await;
    let slack = format!("{}/services/T1/B1/slackTOKEN01", hooks.uri());
    let mut first = send(&env, &format!("{}{HOOK_PATH}", hooks.uri()));
    first.env("TIKTOK_REVIEW_SLACK_WEBHOOK", &slack);
    let (code, stdout, stderr) = outcome(&mut first);
    assert_eq!(
        (code, stdout.as_str()),
        (75, "review delivered: Slack\n"),
        "{stderr}"
    );
    let again = "tiktok-review send --date 2026-11-08 --channel webhook";
    assert!(
        stderr.contains(&format!("run `{again}` to deliver them again")),
        "{stderr}"
    );
    // What the line says to run, with the same environment: the webhook gets it, Slack not again.
    let mut second = send(&env, &format!("{}{HOOK_PATH}", hooks.uri()));
    second.env("TIKTOK_REVIEW_SLACK_WEBHOOK", &slack).args([
        "--date",
        "2026-11-08",
        "--channel",
        "webhook",
    ]);
    let (code, stdout, stderr) = outcome(&mut second);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "review delivered: the webhook\n"),
        "{stderr}"
    );
    let requests = hooks.received_requests().await.unwrap();
    let to = |p: &str| requests.iter().filter(|r| r.url.path() == p).count();
    assert_eq!((to("/services/T1/B1/slackTOKEN01"), to(HOOK_PATH)), (1, 6));
    // A channel named but not configured is refused before anything is sent.
    let mut unset = send(&env, &format!("{}{HOOK_PATH}", hooks.uri()));
    unset.args(["--channel", "mail"]);
    let (code, _, stderr) = outcome(&mut unset);
    assert_eq!(code, 78, "{stderr}");
    assert!(
        stderr.contains("--channel mail is not configured: set TIKTOK_REVIEW_SMTP_URL"),
        "{stderr}"
    );
}

/// A server that accepts connections and never says a word: a TLS handshake to it never ends.
fn silent_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (format!("https://{address}"), count)
}

#[tokio::test]
async fn a_tls_handshake_that_never_ends_sent_nothing_and_is_tried_again() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let (base, connections) = silent_server();
    let mut cmd = env.run(AS_OF, &["--timeout", "1"]);
    cmd.env("TIKTOK_REVIEW_WEBHOOK_URL", format!("{base}{HOOK_PATH}"));
    let (code, _, stderr) = outcome(&mut cmd);
    assert_eq!(code, 75, "{stderr}");
    assert!(
        stderr.contains("error: delivering to the webhook: could not connect (after "),
        "not 'may have arrived': {stderr}"
    );
    assert!(connections.load(Ordering::SeqCst) >= 2, "tried again");
}
