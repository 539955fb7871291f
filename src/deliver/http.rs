//! One POST to a webhook, sent again only when it provably was not taken: a connection that could
//! not be made, a 408, 429 or 503 (after a backoff or the server's `Retry-After`, within the
//! policy's attempts and wait budget, then 75). A request that went out and may have been
//! processed (no answer within the timeout, a connection dropped after it was sent, a 5xx other
//! than 503) is never sent again by this run: 75, "may have arrived". Any other 4xx (a revoked webhook),
//! a redirect (never followed) and a TLS failure are refusals (78). The URL is never shown: lines
//! name the channel, never the URL or its host, and of the server's answer only a known refusal
//! of the chat services is quoted.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::{Channel, Channels, DeliveryError, Retry, Secret, Target};
use crate::retry::{RetryPolicy, retry_after};
use crate::text::clean;

/// The most of an answer's body read (what a refusal says is short).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// One channel's message, ready to go.
pub(super) struct Post<'a> {
    /// Whose.
    pub(crate) channel: &'static dyn Channel,
    /// Where to (a secret).
    pub(crate) url: &'a Secret,
    /// The body.
    pub(crate) body: Vec<u8>,
    /// Its `Content-Type`.
    pub(crate) content_type: &'static str,
}

/// The client all channels share: no redirects, the configured timeout; or why there is none.
pub(super) fn client(channels: &Channels) -> Result<reqwest::Client, String> {
    // Connecting (TLS included) may take the timeout; the whole request twice that, so that a
    // connection that never came up (nothing sent: tried again) is always told apart from an
    // answer that never came (perhaps taken: never sent again), and the server has at least the
    // timeout to answer.
    crate::tls::install_provider();
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("tiktok-review/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(channels.timeout)
        .timeout(channels.timeout.saturating_mul(2));
    let mut urls = (channels.targets.iter()).filter_map(|(_, target)| match target {
        Target::Url(url) => Some(url),
        Target::Mail(_) => None,
    });
    if urls.all(|url| url.expose().starts_with("http:")) {
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
    let detail = status_text(status, &answer);
    let variable = channel.variable();
    Err(match status.as_u16() {
        code if not_taken(code) => Failed::NotTaken(detail, wait_asked),
        300..=399 => Failed::Final(DeliveryError::Refused(format!(
            "it answered with a redirect ({detail}), which is never followed; check {variable}"
        ))),
        400..=499 => Failed::Final(DeliveryError::Refused(format!(
            "the webhook refused the message ({detail}); check {variable}: it may have been removed or mistyped"
        ))),
        // A server error (it may have done some of the work before it failed), or a status no
        // server should send.
        _ => Failed::Final(DeliveryError::MayHaveArrived(format!(
            "it answered {detail} after taking the message"
        ))),
    })
}

/// Delivery's rule for what may be tried again: only an answer saying the message was not taken
/// (the server timed out waiting for the request, a rate limit, or no capacity now), never one
/// after which it may have arrived.
fn not_taken(status: u16) -> bool {
    matches!(status, 408 | 429 | 503)
}

/// The request log's line (debug): `POST slack webhook -> 200 (41 ms)`; never the URL.
fn log(channel: &dyn Channel, outcome: &str, started: Instant) {
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

/// What the chat services answer when they refuse a message, quoted when an answer is exactly one
/// of them (Slack's plain-text codes, Discord's and Teams' JSON messages): any other answer is
/// not quoted at all, since a server that echoes what it received can carry the token back in a
/// form no redaction foresees (hex, entities, pieces).
const KNOWN_ANSWERS: [&str; 24] = [
    "action_prohibited",
    "channel_is_archived",
    "channel_not_found",
    "invalid_payload",
    "invalid_token",
    "missing_text_or_fallback_or_attachments",
    "no_active_hooks",
    "no_service",
    "no_service_id",
    "no_team",
    "no_text",
    "posting_to_general_channel_denied",
    "rollup_error",
    "team_disabled",
    "too_many_attachments",
    "user_not_found",
    "Cannot send an empty message",
    "Invalid Form Body",
    "Invalid Webhook Token",
    "Unknown Webhook",
    "You are being rate limited.",
    "WorkflowTriggerIsNotEnabled",
    "DirectApiAuthorizationRequired",
    "TriggerInputSchemaMismatch",
];

/// `HTTP 404: Unknown Webhook`: the status, and what the answer says when that is one of the
/// [`KNOWN_ANSWERS`] (a plain-text body, or a JSON `message`, `error`, `code` or `error.code`).
fn status_text(status: StatusCode, answer: &[u8]) -> String {
    let json = serde_json::from_slice::<serde_json::Value>(answer).ok();
    let said: Vec<String> = match &json {
        Some(json) => [
            "/message",
            "/error",
            "/code",
            "/error/code",
            "/error/message",
        ]
        .iter()
        .filter_map(|at| json.pointer(at).and_then(|v| v.as_str()))
        .map(str::to_string)
        .collect(),
        None => vec![String::from_utf8_lossy(answer).trim().to_string()],
    };
    let code = status.as_u16();
    match said.iter().find(|s| KNOWN_ANSWERS.contains(&s.as_str())) {
        Some(known) => format!("HTTP {code}: {known}"),
        None => format!("HTTP {code}"),
    }
}

/// What a transport error means for the message: a connection that could not be made never
/// carried it (tried again), unless TLS failed (a refusal: the URL or the machine's certificates
/// must change); any other failure came after the request went out, so it may have been taken.
/// No host is named: some services put the token in it.
fn transport_failure(
    err: &reqwest::Error,
    channel: &dyn Channel,
    timeout: Duration,
    url: &Secret,
) -> Failed {
    if err.is_builder() {
        return Failed::Final(DeliveryError::Refused(format!(
            "the request cannot be built; check {}",
            channel.variable()
        )));
    }
    let causes = hide(&clean(&causes(err)), url);
    // A certificate error names the host it expected: some services put the token there.
    let host = reqwest::Url::parse(url.expose())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    let causes = host.map_or(causes.clone(), |host| crate::text::redact(&causes, &host));
    if err.is_connect() {
        if is_tls(err) {
            return Failed::Final(DeliveryError::Refused(format!(
                "could not talk TLS with its server ({causes}); check that {} is the https URL the service gave: its certificate is not trusted, or the port speaks plain http",
                channel.variable()
            )));
        }
        return Failed::NotTaken("could not connect".to_string(), None);
    }
    if err.is_timeout() {
        return Failed::Final(DeliveryError::MayHaveArrived(format!(
            "no answer in time after taking the message (--timeout {}s)",
            timeout.as_secs_f64()
        )));
    }
    Failed::Final(DeliveryError::MayHaveArrived(format!(
        "the connection failed after the message was sent ({causes})"
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
    fn only_a_known_answer_is_quoted_never_an_echo() {
        assert_eq!(
            status_text(
                StatusCode::NOT_FOUND,
                br#"{"message": "Unknown Webhook", "code": 10015}"#
            ),
            "HTTP 404: Unknown Webhook"
        );
        assert_eq!(
            status_text(StatusCode::FORBIDDEN, b"invalid_token\n"),
            "HTTP 403: invalid_token"
        );
        for echo in [
            &b"no_service for /services/T0/B0/TOKENtoken0123456789\n\x1b[31m"[..],
            br#"{"detail": "\/hook\/Tok\/en+Secret99"}"#,
            b"&#x2F;hook&#x2F;Tok&#x2F;en&#43;Secret99",
            b"bad key 1234",
        ] {
            assert_eq!(status_text(StatusCode::NOT_FOUND, echo), "HTTP 404");
        }
        assert_eq!(status_text(StatusCode::BAD_GATEWAY, b""), "HTTP 502");
    }
}
