//! One request to Scavio and what its answer means: the retry loop, the limit on requests in
//! flight (counted as the server sees them: a request the client gave up on keeps its slot while
//! the server may still be working on it), refusals sorted into exit codes, bodies capped in size,
//! redirects refused, raw answers saved on request, no request once the run has stopped, and every
//! message from the API redacted and cleaned before it is shown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;

use super::links::{billing_url, location_host};
use super::wire::{self, Answer, Data, Nothing};
use super::{Client, MAX_BODY_BYTES, slot};
use crate::error::{Failure, Kind};
use crate::retry::{self, Attempts};
use crate::text::clean;

/// The longest API message quoted in an error line.
const MAX_MESSAGE_CHARS: usize = 200;

impl Client {
    /// POSTs `body` to `path` with retries and reads the answer's `data` with `read`. An answer
    /// that cannot be understood (or that `read` refuses) gets one more attempt, then exit 65.
    pub(super) async fn call<D: DeserializeOwned, T>(
        &mut self,
        path: &str,
        body: Value,
        what: &str,
        read: impl Fn(&D) -> Result<T, String>,
    ) -> anyhow::Result<T> {
        let url = self
            .shared
            .config
            .base_url
            .join(path)
            .with_context(|| format!("building the URL for {what}"))?;
        let policy = self.shared.config.retry;
        let mut attempts = Attempts::new(policy);
        let mut reread = false;
        loop {
            let (problem, retry_after, unfinished) =
                match self.attempt(&url, &body, what, &mut reread, &read).await {
                    Attempt::Done(result) => return result,
                    Attempt::Retry {
                        problem,
                        retry_after,
                        unfinished,
                    } => (problem, retry_after, unfinished),
                };
            let spent = self.shared.waited();
            let why = match attempts.failed(retry_after, spent, fastrand::f64()) {
                Ok(wait) => {
                    let line = attempts.line(what, wait, &problem);
                    retry::note(&mut self.retry_log, line);
                    self.shared.add_waited(wait);
                    self.keep_slot(unfinished, wait);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(give_up) => give_up.reason(&format!(
                    "the run's {}s retry budget",
                    policy.budget.as_secs()
                )),
            };
            self.keep_slot(unfinished, Duration::ZERO);
            return Err(Failure::new(
                Kind::TempFail,
                format!("Scavio API unavailable for {what}: {problem} ({why}); try again later"),
            )
            .into());
        }
    }

    /// Sends one request and sorts its outcome: data, a failure, or a reason to try again.
    /// `reread` records that an unreadable 2xx answer has had its one retry.
    async fn attempt<D: DeserializeOwned, T>(
        &mut self,
        url: &Url,
        body: &Value,
        what: &str,
        reread: &mut bool,
        read: &impl Fn(&D) -> Result<T, String>,
    ) -> Attempt<T> {
        // Held until the whole answer is read: a request is in flight until then.
        let in_flight = Arc::clone(&self.shared.in_flight);
        let permit = match in_flight.acquire_owned().await {
            Ok(permit) => permit,
            Err(_) => return Attempt::Done(Err(anyhow::anyhow!("the request limiter was closed"))),
        };
        if let Err(stopped) = self.shared.stop.check() {
            return Attempt::Done(Err(stopped));
        }
        self.usage.requests += 1;
        let started = Instant::now();
        let sent = self
            .shared
            .http
            .post(url.clone())
            .bearer_auth(self.shared.config.key.expose())
            .json(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(err) if err.is_builder() => {
                return Attempt::Done(Err(Failure::new(
                    Kind::Config,
                    format!(
                        "the request for {what} cannot be built ({}); check SCAVIO_API_KEY and SCAVIO_BASE_URL",
                        self.redact(&error_chain(&err))
                    ),
                )
                .into()));
            }
            Err(err) => {
                let problem = self.transport_problem(&err);
                log_request(url, body, &problem, None, started);
                // Not connected, the server never saw it; else it may still be working on it.
                let unfinished = (!err.is_connect()).then_some(permit);
                return Attempt::Retry {
                    problem,
                    retry_after: None,
                    unfinished,
                };
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::retry_after(v, (self.shared.config.clock)()));
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| location_host(url, v));
        let bytes = match read_body(response).await {
            Ok(bytes) => bytes,
            Err(err) => {
                let problem = self.redact(&format!("reading the answer failed ({err:#})"));
                log_request(url, body, &problem, None, started);
                if err.is::<Failure>() {
                    return Attempt::Done(Err(err.context(format!("reading {what}"))));
                }
                let timed_out =
                    (err.downcast_ref::<reqwest::Error>()).is_some_and(reqwest::Error::is_timeout);
                return Attempt::Retry {
                    problem,
                    retry_after: None,
                    unfinished: timed_out.then_some(permit),
                };
            }
        };
        log_request(url, body, status.as_str(), Some(bytes.len()), started);
        self.save_raw_body(url, status, &bytes);
        if status.is_redirection() {
            self.count_credits::<Nothing>(status, None);
            return Attempt::Done(Err(bad_response(format!(
                "Scavio answered {what} with a redirect (HTTP {}) to {}; redirects are not followed: check SCAVIO_BASE_URL",
                status.as_u16(),
                location.unwrap_or_else(|| "nowhere".into())
            ))));
        }
        if !status.is_success() {
            let answer = wire::answer::<Nothing>(&bytes).ok();
            self.count_credits(status, answer.as_ref());
            let answer = answer.as_ref();
            if may_retry(status.as_u16()) {
                return Attempt::retry(self.status_text(status, answer), retry_after);
            }
            return Attempt::Done(Err(self.refusal(status, answer, what).into()));
        }
        let answer = wire::answer::<D>(&bytes);
        self.count_credits(status, answer.as_ref().ok());
        let why = match answer.map(|a| a.data) {
            Ok(Data::Object(data)) => match read(&data) {
                Ok(value) => return Attempt::Done(Ok(value)),
                Err(why) => why,
            },
            Ok(Data::Missing) => "it has no `data` object".into(),
            Ok(Data::NotObject) => "its `data` is not an object".into(),
            Err(why) => why,
        };
        let why = self.redact(&clean(&why));
        if !*reread {
            *reread = true;
            return Attempt::retry(format!("could not understand the answer: {why}"), None);
        }
        Attempt::Done(Err(bad_response(format!(
            "Scavio's answer for {what} could not be understood twice: {why}; {}",
            self.raw_hint()
        ))))
    }

    /// Keeps the slot of a request given up on while the server may still be working on it (and may
    /// bill it) until the retry's backoff `wait` has passed and a further `--timeout`, by when the
    /// server can be assumed done: the server never holds more requests than the plan allows.
    fn keep_slot(&self, slot: Option<OwnedSemaphorePermit>, wait: Duration) {
        if let Some(slot) = slot {
            slot::keep(slot, wait.saturating_add(self.shared.config.timeout));
        }
    }

    /// With `--save-raw`, writes one answer body to `<dir>/<handle>-<n>-<endpoint>-<status>.json`,
    /// the key redacted. A failure to save is a warning: the run goes on.
    fn save_raw_body(&self, url: &Url, status: StatusCode, bytes: &[u8]) {
        let Some((dir, stamp)) = &self.shared.save_raw else {
            return;
        };
        let endpoint = url.path().rsplit('/').next().unwrap_or("answer");
        let name = format!(
            "{}-{stamp}-{:03}-{endpoint}-{}.json",
            self.handle,
            self.usage.requests,
            status.as_u16()
        );
        let text = self.redact(&String::from_utf8_lossy(bytes));
        let saved = std::fs::create_dir_all(dir)
            .map_err(anyhow::Error::from)
            .and_then(|()| crate::store::write_atomic(dir, &name, text.as_bytes()));
        if let Err(err) = saved {
            crate::error::warn(format!(
                "could not save the raw answer {name} in {}: {}",
                dir.display(),
                crate::error::one_line(&err)
            ));
        }
    }

    fn raw_hint(&self) -> String {
        super::raw_hint(self.shared.save_raw.as_ref().map(|(dir, _)| dir.as_path()))
    }

    fn transport_problem(&self, err: &reqwest::Error) -> String {
        if err.is_timeout() {
            format!(
                "no answer within {}s",
                self.shared.config.timeout.as_secs_f64()
            )
        } else if err.is_connect() {
            format!("could not connect to {}", self.shared.config.base_url)
        } else {
            self.redact(&format!("request failed ({})", error_chain(err)))
        }
    }

    /// Adds what an answer cost: its `credits_used`, else 1 for a success and 0 for a refusal.
    fn count_credits<D>(&mut self, status: StatusCode, answer: Option<&Answer<D>>) {
        let used = answer
            .and_then(|a| a.credits_used)
            .or(status.is_success().then_some(1))
            .unwrap_or(0);
        self.usage.credits_used = self.usage.credits_used.saturating_add(used);
        if let Some(remaining) = answer.and_then(|a| a.credits_remaining) {
            self.usage.credits_remaining = Some(remaining);
        }
    }

    /// `HTTP 503: message` with the body's error message (redacted, cleaned, then shortened).
    fn status_text(&self, status: StatusCode, answer: Option<&Answer<Nothing>>) -> String {
        match answer.and_then(|a| a.error.as_deref()) {
            Some(message) => {
                let message = self.redact(&clean(message));
                let mut short: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
                if short.len() < message.len() {
                    short.push('…');
                }
                format!("HTTP {}: {short}", status.as_u16())
            }
            None => format!("HTTP {}", status.as_u16()),
        }
    }

    /// The failure for an answer that must not be retried.
    fn refusal(&self, status: StatusCode, answer: Option<&Answer<Nothing>>, what: &str) -> Failure {
        let detail = self.status_text(status, answer);
        match status.as_u16() {
            401 | 403 => Failure::new(
                Kind::Denied,
                format!("Scavio rejected the API key ({detail}); check SCAVIO_API_KEY"),
            ),
            402 => Failure::new(
                Kind::Denied,
                format!(
                    "Scavio credits are exhausted ({detail}); top up at {}",
                    answer
                        .and_then(|a| a.billing_url.as_deref())
                        .and_then(|u| billing_url(u, &self.shared.config.base_url))
                        .map(|u| self.redact(&u))
                        .unwrap_or_else(|| "your Scavio dashboard".into())
                ),
            ),
            404 => Failure::new(
                Kind::UserNotFound,
                format!("Scavio found nothing for {what} ({detail}); check the handle"),
            ),
            400 => Failure::new(
                Kind::BadResponse,
                format!(
                    "Scavio refused the request for {what} ({detail}); the API may have changed: update tiktok-review"
                ),
            ),
            410 => Failure::new(
                Kind::BadResponse,
                format!("Scavio retired the endpoint for {what} ({detail}); update tiktok-review"),
            ),
            _ => Failure::new(
                Kind::BadResponse,
                format!("Scavio answered {what} with an unexpected {detail}"),
            ),
        }
    }

    /// Removes the API key from text that came from elsewhere (an API message, a transport error).
    pub(super) fn redact(&self, text: &str) -> String {
        self.shared.config.key.redact(text)
    }
}

/// The API client's rule for what may be tried again: a rate limit or upstream trouble. Reading is
/// idempotent, so a request the server may have worked on can be sent again.
fn may_retry(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// What one attempt came to.
enum Attempt<T> {
    /// Finished: the data, or a failure not worth retrying.
    Done(anyhow::Result<T>),
    /// Worth another attempt, after `retry_after` if the server said; `unfinished` is the slot of
    /// a request the server may still be working on (see [`Client::keep_slot`]).
    Retry {
        problem: String,
        retry_after: Option<Duration>,
        unfinished: Option<OwnedSemaphorePermit>,
    },
}

impl<T> Attempt<T> {
    /// A retry after an answer: the server is done with the request.
    fn retry(problem: String, retry_after: Option<Duration>) -> Self {
        Attempt::Retry {
            problem,
            retry_after,
            unfinished: None,
        }
    }
}

/// The request log's line (debug): path, outcome, time, size and the cleaned body; never a header.
fn log_request(url: &Url, body: &Value, outcome: &str, bytes: Option<usize>, started: Instant) {
    tracing::debug!(
        "POST {} -> {outcome} ({} ms{}) {}",
        url.path(),
        started.elapsed().as_millis(),
        bytes.map(|n| format!(", {n} bytes")).unwrap_or_default(),
        clean(&body.to_string())
    );
}

/// Reads a body of at most [`MAX_BODY_BYTES`].
async fn read_body(mut response: reqwest::Response) -> anyhow::Result<Vec<u8>> {
    let too_large = || {
        Failure::new(
            Kind::BadResponse,
            format!(
                "the answer is larger than {} MiB",
                MAX_BODY_BYTES / 1024 / 1024
            ),
        )
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_large().into());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large().into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

pub(super) fn bad_response(message: String) -> anyhow::Error {
    Failure::new(Kind::BadResponse, message).into()
}

/// A transport error and its sources in one line, without the URL.
fn error_chain(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rate_limits_and_upstream_errors_are_retried() {
        for status in [429, 500, 502, 503, 504] {
            assert!(may_retry(status));
        }
        for status in [200, 400, 401, 402, 403, 404, 410, 501] {
            assert!(!may_retry(status));
        }
    }
}
