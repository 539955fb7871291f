//! No secret in any output, whatever file or server feeds the binary: a users file that is really
//! the env file, and webhook servers that echo back what they received (the path, the query, the
//! `Authorization` header) in every spelling: short tokens, decoded paths, a literal `+`, HTTP
//! Basic credentials, a token as the URL's user name.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Stdout and stderr, checked never to show any of `forms` (nor the key).
fn without(output: &std::process::Output, forms: &[&str]) -> (String, String) {
    let (stdout, stderr) = texts(output);
    for form in forms {
        assert!(
            !stdout.contains(form) && !stderr.contains(form),
            "{form} leaked:\n{stdout}\n{stderr}"
        );
    }
    (stdout, stderr)
}

#[tokio::test]
async fn a_users_file_that_is_the_env_file_is_named_by_line_number_never_shown() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let hook = "https://hooks.example/services/T0001/B0002/shortTok12345";
    let file = env.dir.path().join(".env");
    std::fs::write(
        &file,
        format!("# the key\nSCAVIO_API_KEY={KEY}\nTIKTOK_REVIEW_SLACK_WEBHOOK={hook}\n"),
    )
    .unwrap();
    let output = env
        .bare_cmd()
        .args(["run", "--users-file", ".env", "--as-of", AS_OF])
        .output()
        .unwrap();
    let (stdout, stderr) = without(&output, &[KEY, "shortTok12345", "SCAVIO_API_KEY="]);
    assert_eq!((output.status.code(), stdout.as_str()), (Some(64), ""));
    assert_eq!(
        stderr,
        "tiktok-review: error: .env line 2 is not a TikTok handle (its text is not shown: it may hold a secret); write one handle a line, such as examplecreator or @examplecreator\n"
    );
}

/// A webhook stand-in that refuses every message with 404, quoting back the request line (path
/// and query, as sent and percent-decoded) and its `Authorization` header, as some servers do.
async fn echoing_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|request: &Request| {
            let raw = format!(
                "{}{}",
                request.url.path(),
                request
                    .url
                    .query()
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default()
            );
            let decoded = percent_encoding::percent_decode_str(&raw)
                .decode_utf8_lossy()
                .into_owned();
            let authorization = (request.headers.get("authorization"))
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none");
            ResponseTemplate::new(404).set_body_string(format!(
                "no such hook: {raw} ({decoded}); Authorization: {authorization}"
            ))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_echoing_webhook_never_shows_a_token_in_any_form() {
    let (env, _) = with_last_week_saved().await;
    let server = echoing_server().await;
    let host = server.address().to_string();
    let basic = |credentials: &str| STANDARD.encode(credentials);
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            format!("http://{host}/services/T0001/B0002/shortTok12345"),
            vec!["shortTok12345".into()],
        ),
        (
            format!("http://{host}/hook?token=abc123secret"),
            vec!["abc123secret".into()],
        ),
        (
            format!("http://{host}/hook?token=ab+cd123"),
            vec!["ab+cd123".into(), "ab cd123".into()],
        ),
        (
            format!("http://{host}/hook/Tok%2Fen%2BSecret99"),
            vec!["Tok/en+Secret99".into(), "Tok%2Fen%2BSecret99".into()],
        ),
        (
            format!("http://alice:pa55word@{host}/hook"),
            vec!["pa55word".into(), basic("alice:pa55word")],
        ),
        (
            format!("http://tok3nUser@{host}/hook"),
            vec!["tok3nUser".into(), basic("tok3nUser:")],
        ),
    ];
    for (url, forms) in cases {
        let output = env
            .bare_cmd()
            .arg("send")
            .env("TIKTOK_REVIEW_WEBHOOK_URL", &url)
            .output()
            .unwrap();
        let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
        let (_, stderr) = without(&output, &forms);
        assert_eq!(output.status.code(), Some(78), "{url}: {stderr}");
        assert!(
            stderr.contains(
                "the webhook refused the message (HTTP 404); check TIKTOK_REVIEW_WEBHOOK_URL"
            ),
            "{stderr}"
        );
    }
    let requests = server.received_requests().await.unwrap();
    let basic_sent = (requests.iter())
        .filter_map(|r| r.headers.get("authorization"))
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>();
    assert_eq!(
        basic_sent,
        [
            format!("Basic {}", basic("alice:pa55word")),
            format!("Basic {}", basic("tok3nUser:"))
        ],
        "the stand-in did see the credentials it echoed"
    );
}
