//! One POST to a webhook, with the API's retry rules: 429, 5xx, timeouts and connection errors are
//! tried again after a backoff or the server's `Retry-After`, within the policy's attempts and wait
//! budget (then 75); any other 4xx (a revoked webhook) and a redirect (never followed) are refusals
//! (78). The URL is never shown: lines name the channel, errors carry no URL, and what the server
//! answered is cleaned and redacted before it is quoted.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::{Channel, Channels, DeliveryError, Retry, Secret};
use crate::scavio::{RetryPolicy, is_retryable, retry_after};
use crate::text::clean;

/// The most of an answer's body read (what a refusal says is short).
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// The most characters of an answer quoted in a line.
const MAX_QUOTE_CHARS: usize = 200;

/// One channel's message, ready to go.
pub(super) struct Post<'a> {
    /// Whose.
    pub channel: Channel,
    /// Where to (a secret).
    pub url: &'a Secret,
    /// The body.
    pub body: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: &'static str,
}

/// The client all channels share: no redirects, the configured timeout; or why there is none.
pub(super) fn client(channels: &Channels) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("tiktok-review/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(channels.timeout)
        .connect_timeout(channels.timeout);
    let urls = [
        &channels.slack,
        &channels.discord,
        &channels.teams,
        &channels.webhook,
    ];
    if urls
        .iter()
        .flat_map(|url| url.iter())
        .all(|url| url.expose().starts_with("http:"))
    {
        // Plain HTTP only (a local stand-in): no TLS will happen, so skip loading trust roots.
        builder = builder.tls_certs_only([]);
    }
    builder
        .build()
        .map_err(|e| format!("setting up the HTTP client failed ({})", e.without_url()))
}

/// POSTs `post` until it is taken, refused, or the policy gives up.
pub(super) async fn post(
    client: &reqwest::Client,
    post: &Post<'_>,
    policy: RetryPolicy,
    channels: &Channels,
) -> Result<(), DeliveryError> {
    let channel = post.channel;
    let url = reqwest::Url::parse(post.url.expose()).map_err(|_| {
        DeliveryError::Refused(format!("{} is not a URL; set it again", channel.variable()))
    })?;
    let mut retry = Retry::new(channel, policy);
    loop {
        let started = Instant::now();
        let sent = client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, post.content_type)
            .body(post.body.clone())
            .send()
            .await;
        let (problem, wait_asked) = match sent {
            Err(err) if err.is_builder() => {
                return Err(DeliveryError::Refused(format!(
                    "the request cannot be built; check {}",
                    channel.variable()
                )));
            }
            Err(err) => {
                let problem = transport_problem(&err, channels.timeout, post.url);
                log(channel, &problem, started);
                (problem, None)
            }
            Ok(response) => {
                let status = response.status();
                let wait_asked = (response.headers().get(reqwest::header::RETRY_AFTER))
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after(v, (channels.clock)()));
                let answer = read_answer(response).await;
                log(channel, status.as_str(), started);
                if status.is_success() {
                    return Ok(());
                }
                let detail = status_text(status, &answer, post.url);
                if status.is_redirection() {
                    return Err(DeliveryError::Refused(format!(
                        "it answered with a redirect ({detail}), which is never followed; check {}",
                        channel.variable()
                    )));
                }
                if !is_retryable(status.as_u16()) {
                    return Err(DeliveryError::Refused(format!(
                        "the webhook refused the message ({detail}); check {}: it may have been removed or mistyped",
                        channel.variable()
                    )));
                }
                (detail, wait_asked)
            }
        };
        retry.after(problem, wait_asked).await?;
    }
}

/// The request log's line (debug): `POST slack webhook -> 200 (41 ms)`; never the URL.
fn log(channel: Channel, outcome: &str, started: Instant) {
    tracing::debug!(
        "POST {} -> {outcome} ({} ms)",
        channel.log_name(),
        started.elapsed().as_millis()
    );
}

/// At most [`MAX_ANSWER_BYTES`] of the answer's body (what was read, should reading fail).
async fn read_answer(mut response: reqwest::Response) -> Vec<u8> {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= MAX_ANSWER_BYTES {
            break;
        }
    }
    bytes
}

/// `HTTP 404: Unknown Webhook`: the status and what the answer says (a JSON `message` or `error`,
/// else its text), cleaned, without the URL's secrets, and shortened.
fn status_text(status: StatusCode, answer: &[u8], url: &Secret) -> String {
    let said = serde_json::from_slice::<serde_json::Value>(answer)
        .ok()
        .and_then(|json| {
            ["message", "error", "text"]
                .iter()
                .find_map(|key| json.get(key).and_then(|v| v.as_str()).map(str::to_string))
        })
        .unwrap_or_else(|| String::from_utf8_lossy(answer).into_owned());
    let said = hide(&clean(&said), url);
    let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = said.chars().take(MAX_QUOTE_CHARS).collect();
    if short.len() < said.len() {
        short.push('…');
    }
    match short.is_empty() {
        true => format!("HTTP {}", status.as_u16()),
        false => format!("HTTP {}: {short}", status.as_u16()),
    }
}

/// A transport error in words, without the URL.
fn transport_problem(err: &reqwest::Error, timeout: Duration, url: &Secret) -> String {
    if err.is_timeout() {
        return format!("no answer within {}s", timeout.as_secs_f64());
    }
    if err.is_connect() {
        let host = reqwest::Url::parse(url.expose())
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "its host".to_string());
        return format!("could not connect to {host}");
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    format!("the request failed ({})", hide(&clean(&text), url))
}

/// `text` without any spelling of the URL's secrets.
fn hide(text: &str, url: &Secret) -> String {
    url.hidden_forms()
        .iter()
        .fold(text.to_string(), |text, form| {
            crate::text::redact(&text, form)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_quotes_the_answer_without_the_token() {
        let url = Secret::new("https://hooks.example/services/T0/B0/TOKENtoken0123456789");
        assert_eq!(
            status_text(
                StatusCode::NOT_FOUND,
                br#"{"message": "Unknown Webhook", "code": 10015}"#,
                &url
            ),
            "HTTP 404: Unknown Webhook"
        );
        assert_eq!(
            status_text(
                StatusCode::FORBIDDEN,
                b"no_service for /services/T0/B0/TOKENtoken0123456789\n\x1b[31m",
                &url
            ),
            "HTTP 403: no_service for /services/T0/B0/***"
        );
        assert_eq!(status_text(StatusCode::BAD_GATEWAY, b"", &url), "HTTP 502");
        let long = "x".repeat(500);
        assert!(status_text(StatusCode::BAD_REQUEST, long.as_bytes(), &url).ends_with("x…"));
    }
}
