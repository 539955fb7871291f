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

#[tokio::test]
async fn a_handle_that_is_the_key_is_refused_before_any_request() {
    const SHORT_KEY: &str = "sk_live_ENVFILEKEY99";
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let users = env.dir.path().join("users.txt");
    std::fs::write(&users, format!("alpha1\n{SHORT_KEY}\n")).unwrap();
    for cmd in [
        env.bare_cmd()
            .args(["run", "--users-file", "users.txt", "--as-of", AS_OF])
            .env("SCAVIO_API_KEY", SHORT_KEY),
        env.bare_cmd()
            .args(["run", "--user", &SHORT_KEY.to_lowercase(), "--as-of", AS_OF])
            .env("SCAVIO_API_KEY", SHORT_KEY),
    ] {
        let output = cmd.output().unwrap();
        let (stdout, stderr) = without(&output, &[SHORT_KEY, &SHORT_KEY.to_lowercase()]);
        assert_eq!(
            (output.status.code(), stdout.as_str()),
            (Some(64), ""),
            "{stderr}"
        );
        assert!(
            stderr.starts_with("tiktok-review: error: an account given (--user, the users file or TIKTOK_USERNAME) is a secret"),
            "{stderr}"
        );
    }
    // The key given as a competitor, from the env file: named as a competitor.
    std::fs::write(
        env.dir.path().join(".env"),
        format!("SCAVIO_API_KEY={SHORT_KEY}\nTIKTOK_REVIEW_COMPARE={SHORT_KEY}\n"),
    )
    .unwrap();
    let output = (env.bare_cmd())
        .args(["run", "--user", "alpha1", "--as-of", AS_OF])
        .output()
        .unwrap();
    let (_, stderr) = without(&output, &[SHORT_KEY, &SHORT_KEY.to_lowercase()]);
    assert_eq!(output.status.code(), Some(64), "{stderr}");
    assert!(
        stderr.starts_with(
            "tiktok-review: error: a competitor given (--compare or TIKTOK_REVIEW_COMPARE) is a secret"
        ),
        "{stderr}"
    );
    assert!(!env.dir.path().join("tiktok_reports").exists());
}

#[tokio::test]
async fn a_users_file_or_env_file_that_is_a_fifo_or_huge_fails_at_once() {
    let env = TestEnv::new().await;
    forbid_requests(&env).await;
    let fifo = env.dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let huge = env.dir.path().join("huge.txt");
    std::fs::write(&huge, "alpha1\n".repeat(200_000)).unwrap();
    for (flag, path, why) in [
        ("--users-file", &fifo, "it is not a regular file"),
        ("--users-file", &huge, "it is larger than 1 MiB"),
        ("--env-file", &huge, "it is larger than 1 MiB"),
        (
            "--env-file",
            &fifo,
            "it is not a regular file; check --env-file",
        ),
        (
            "--env-file",
            &env.dir.path().to_path_buf(),
            "it is not a regular file",
        ),
    ] {
        let output = env
            .cmd()
            .args(["run", "--user", "alpha1", "--as-of", AS_OF, flag])
            .arg(path)
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(78), "{flag}: {stderr}");
        assert!(stderr.contains(why), "{flag}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[tokio::test]
async fn a_scavio_answer_echoing_the_key_in_any_form_shows_none_of_them() {
    let env = TestEnv::new().await;
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(KEY);
    let forms = [
        KEY.to_string(),
        KEY.to_uppercase(),
        STANDARD.encode(KEY),
        STANDARD.encode(KEY).trim_end_matches('=').to_string(),
        url_safe,
    ];
    let message = format!("Invalid API key: {}", forms.join(" / "));
    let body = serde_json::json!({"error": {"code": "invalid_api_key", "message": message}});
    let refusal = ResponseTemplate::new(401).set_body_json(body);
    env.serve_profile(refusal, 2).await;
    let form_refs: Vec<&str> = forms.iter().map(String::as_str).collect();
    let output = env.run(AS_OF, &[]).output().unwrap();
    let (_, stderr) = without(&output, &form_refs);
    assert_eq!(output.status.code(), Some(77), "{stderr}");
    let output = (env.cmd())
        .args(["check", "--user", USER])
        .output()
        .unwrap();
    let (stdout, _) = without(&output, &form_refs);
    assert!(stdout.contains("✗ "), "{stdout}");
}
