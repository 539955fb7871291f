//! One POST to a webhook, sent again only when it provably was not taken: a connection that could
//! not be made, a 429 or a 503 (after a backoff or the server's `Retry-After`, within the
//! policy's attempts and wait budget, then 75). A request that went out and may have been
//! processed (no answer within the timeout, a connection dropped after it was sent, a 500, 502 or
//! 504) is never sent again by this run: 75, "may have arrived". Any other 4xx (a revoked webhook),
//! a redirect (never followed) and a TLS failure are refusals (78). The URL is never shown: lines
//! name the channel, errors carry no URL, and an answer that quotes any part of our request is
//! not quoted at all.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::{Channel, Channels, DeliveryError, Retry, Secret};
use crate::scavio::{RetryPolicy, retry_after};
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

/// What one attempt came to, when it did not deliver.
enum Failed {
    /// Provably not taken: worth another attempt, after the server's `Retry-After` if it said.
    NotTaken(String, Option<Duration>),
    /// Over: refused, or sent and perhaps taken.
    Final(DeliveryError),
}

/// POSTs `post` until it is taken, refused, may have been taken, or the policy gives up.
pub(super) async fn post(
    client: &reqwest::Client,
    post: &Post<'_>,
    policy: RetryPolicy,
    channels: &Channels,
) -> Result<(), DeliveryError> {
    let url = reqwest::Url::parse(post.url.expose()).map_err(|_| {
        DeliveryError::Refused(format!(
            "{} is not a URL; set it again",
            post.channel.variable()
        ))
    })?;
    let mut retry = Retry::new(post.channel, policy);
    loop {
        match attempt(client, post, &url, channels).await {
            Ok(()) => return Ok(()),
            Err(Failed::Final(err)) => return Err(err),
            Err(Failed::NotTaken(problem, wait_asked)) => retry.after(problem, wait_asked).await?,
        }
    }
}

/// One POST of `post` and what became of it.
async fn attempt(
    client: &reqwest::Client,
    post: &Post<'_>,
    url: &reqwest::Url,
    channels: &Channels,
) -> Result<(), Failed> {
    let channel = post.channel;
    let started = Instant::now();
    let sent = client
        .post(url.clone())
        .header(reqwest::header::CONTENT_TYPE, post.content_type)
        .body(post.body.clone())
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(err) => {
            let failed = transport_failure(&err, channel, channels.timeout, post.url);
            let outcome = match &failed {
                Failed::NotTaken(problem, _) => problem.clone(),
                Failed::Final(err) => err.to_string(),
            };
            log(channel, &outcome, started);
            return Err(failed);
        }
    };
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
    let variable = channel.variable();
    Err(match status.as_u16() {
        // The server says it did not take it: a rate limit, or no capacity now.
        429 | 503 => Failed::NotTaken(detail, wait_asked),
        // It may have done some of the work before it failed.
        500..=599 => Failed::Final(DeliveryError::MayHaveArrived(format!(
            "it answered {detail} after taking the message"
        ))),
        300..=399 => Failed::Final(DeliveryError::Refused(format!(
            "it answered with a redirect ({detail}), which is never followed; check {variable}"
        ))),
        _ => Failed::Final(DeliveryError::Refused(format!(
            "the webhook refused the message ({detail}); check {variable}: it may have been removed or mistyped"
        ))),
    })
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
/// else its text), cleaned and shortened; only the status when the answer quotes any part of our
/// request (a server that echoes what it received may echo the token in a form no redaction
/// foresees).
fn status_text(status: StatusCode, answer: &[u8], url: &Secret) -> String {
    let said = serde_json::from_slice::<serde_json::Value>(answer)
        .ok()
        .and_then(|json| {
            ["message", "error", "text"]
                .iter()
                .find_map(|key| json.get(key).and_then(|v| v.as_str()).map(str::to_string))
        })
        .unwrap_or_else(|| String::from_utf8_lossy(answer).into_owned());
    let said = clean(&said)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let code = status.as_u16();
    if said.is_empty() {
        return format!("HTTP {code}");
    }
    if hide(&said, url) != said {
        return format!("HTTP {code}, its answer not shown: it quotes the webhook's address");
    }
    let mut short: String = said.chars().take(MAX_QUOTE_CHARS).collect();
    if short.len() < said.len() {
        short.push('…');
    }
    format!("HTTP {code}: {short}")
}

/// What a transport error means for the message: a connection that could not be made never
/// carried it (tried again), unless TLS failed (a refusal: the URL or the machine's certificates
/// must change); any other failure came after the request went out, so it may have been taken.
fn transport_failure(
    err: &reqwest::Error,
    channel: Channel,
    timeout: Duration,
    url: &Secret,
) -> Failed {
    let host = reqwest::Url::parse(url.expose())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "its host".to_string());
    if err.is_builder() {
        return Failed::Final(DeliveryError::Refused(format!(
            "the request cannot be built; check {}",
            channel.variable()
        )));
    }
    let causes = hide(&clean(&causes(err)), url);
    if err.is_connect() {
        if is_tls(err) {
            return Failed::Final(DeliveryError::Refused(format!(
                "could not talk TLS with {host} ({causes}); check that {} is the https URL the service gave: its certificate is not trusted, or the port speaks plain http",
                channel.variable()
            )));
        }
        return Failed::NotTaken(format!("could not connect to {host}"), None);
    }
    if err.is_timeout() {
        return Failed::Final(DeliveryError::MayHaveArrived(format!(
            "{host} sent no answer within {}s of taking the message",
            timeout.as_secs_f64()
        )));
    }
    Failed::Final(DeliveryError::MayHaveArrived(format!(
        "the connection to {host} failed after the message was sent ({causes})"
    )))
}

/// The causes of a transport error in one line, without the URL its own text names.
fn causes(err: &reqwest::Error) -> String {
    let mut text = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push(cause.to_string());
        source = cause.source();
    }
    match text.is_empty() {
        true => "no reason given".to_string(),
        false => text.join(": "),
    }
}

/// Whether a connection failed in its TLS handshake: a certificate not trusted, or TLS spoken to
/// a port that answers in plain text. The TLS library's errors arrive as I/O errors of kind
/// `InvalidData`, wrapped in further I/O errors (whose `source` skips the wrapped one).
fn is_tls(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let mut io = cause.downcast_ref::<std::io::Error>();
        while let Some(error) = io {
            if error.kind() == std::io::ErrorKind::InvalidData {
                return true;
            }
            io = error
                .get_ref()
                .and_then(|e| e.downcast_ref::<std::io::Error>());
        }
        source = cause.source();
    }
    false
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
            "HTTP 403, its answer not shown: it quotes the webhook's address"
        );
        assert_eq!(
            status_text(StatusCode::FORBIDDEN, b"invalid_token\n", &url),
            "HTTP 403: invalid_token"
        );
        assert_eq!(status_text(StatusCode::BAD_GATEWAY, b"", &url), "HTTP 502");
        let long = "x".repeat(500);
        assert!(status_text(StatusCode::BAD_REQUEST, long.as_bytes(), &url).ends_with("x…"));
    }
}
