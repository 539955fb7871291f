//! The Scavio TikTok API client: requests, retries, error classification and paging.
//!
//! Wire shapes stay in `wire`; callers get domain [`Post`]s and an [`Account`]. Every request
//! costs the user a credit, so paging stops at the first page that proves the window complete.
//! The API key travels only in the `Authorization` header, never in a URL or a message.

mod retry;
mod wire;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

pub use retry::RetryPolicy;

use crate::config::ApiConfig;
use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::model::{Account, Post, Window};

/// The most pages one account's fetch reads before giving up on a feed that never ends.
pub const MAX_PAGES: u32 = 50;
/// The largest response body accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Posts asked for per page (the API returns about 10 whatever is asked).
const PAGE_SIZE: u32 = 30;

/// What a run spent, as the report's `api` block shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiUsage {
    /// HTTP requests sent, retries included.
    pub requests: u32,
    /// Credits the API said it charged.
    pub credits_used: u64,
    /// Credits left, as of the last answer that said.
    pub credits_remaining: Option<u64>,
}

/// What the profile endpoint says about an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The id that `user/posts` needs.
    pub sec_uid: String,
    /// Follower counts and totals.
    pub account: Account,
}

/// What all accounts of one run share: the HTTP connection pool, the limit on requests in flight
/// (the plan's concurrency) and the retry budget.
#[derive(Clone)]
pub struct Scavio {
    http: reqwest::Client,
    config: ApiConfig,
    in_flight: Arc<Semaphore>,
    waited_ms: Arc<AtomicU64>,
    verbose: bool,
}

impl Scavio {
    /// A shared client for `config` allowing `concurrency` requests in flight at any moment;
    /// `verbose` logs every request and retry as it happens.
    pub fn new(config: &ApiConfig, concurrency: usize, verbose: bool) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("tiktok-review/", env!("CARGO_PKG_VERSION")))
            .timeout(config.timeout)
            .connect_timeout(config.timeout);
        if config.base_url.scheme() == "http" {
            // Plain HTTP (a local stand-in): no TLS will happen, so skip loading the system's
            // trust roots (about 5 ms); any https URL would then fail verification, never pass it.
            builder = builder.tls_certs_only([]);
        }
        let http = builder.build().context("setting up the HTTP client")?;
        Ok(Self {
            http,
            config: config.clone(),
            in_flight: Arc::new(Semaphore::new(concurrency.max(1))),
            waited_ms: Arc::new(AtomicU64::new(0)),
            verbose,
        })
    }

    /// A client for one account, counting that account's requests and credits.
    pub fn client(&self) -> Client {
        Client {
            shared: self.clone(),
            usage: ApiUsage::default(),
            retry_log: Vec::new(),
        }
    }

    fn waited(&self) -> Duration {
        Duration::from_millis(self.waited_ms.load(Ordering::Relaxed))
    }
}

/// The Scavio client of one account.
pub struct Client {
    shared: Scavio,
    usage: ApiUsage,
    retry_log: Vec<String>,
}

impl Client {
    /// What this account's requests so far have cost.
    pub fn usage(&self) -> ApiUsage {
        self.usage
    }

    /// The retries so far that were not printed (without `verbose`), one line each.
    pub fn retry_log(&self) -> &[String] {
        &self.retry_log
    }

    /// The profile of `handle`: its `sec_uid` and follower counts.
    pub async fn profile(&mut self, handle: &Handle) -> anyhow::Result<Profile> {
        let what = format!("the profile of @{handle}");
        let data = self
            .call(
                "/api/v1/tiktok/profile",
                json!({ "username": handle.as_str() }),
                &what,
            )
            .await?;
        wire::profile(&data).ok_or_else(|| {
            Failure::new(
                Kind::UserNotFound,
                format!("TikTok user @{handle} does not exist (Scavio returned no profile); check the handle"),
            )
            .into()
        })
    }

    /// The posts of `handle` (whose `sec_uid` is given) back to `window.start`: pages the feed until
    /// a non-pinned post older than the window, or the end of the feed. Each id once, in feed order.
    pub async fn posts(
        &mut self,
        handle: &Handle,
        sec_uid: &str,
        window: &Window,
    ) -> anyhow::Result<Vec<Post>> {
        let mut cursor = "0".to_string();
        let mut seen = HashSet::new();
        let mut posts = Vec::new();
        for page_number in 1..=MAX_PAGES {
            let what = format!("page {page_number} of @{handle}'s posts");
            let body = json!({ "sec_user_id": sec_uid, "cursor": cursor, "count": PAGE_SIZE, "sort_type": "0" });
            let data = self.call("/api/v1/tiktok/user/posts", body, &what).await?;
            if !data.is_object() {
                return Err(bad_response(format!(
                    "{what}: the answer has no `data` object"
                )));
            }
            let page = wire::page(&data, handle);
            let complete = page
                .posts
                .iter()
                .any(|p| !p.pinned && p.posted_at < window.start);
            for post in page.posts {
                if seen.insert(post.id.clone()) {
                    posts.push(post);
                }
            }
            if complete || !page.has_more {
                return Ok(posts);
            }
            match page.max_cursor {
                Some(next) if next != cursor => cursor = next,
                Some(_) => {
                    return Err(bad_response(format!(
                        "{what}: the feed cursor did not advance ({cursor}) although more pages were announced"
                    )));
                }
                None => {
                    return Err(bad_response(format!(
                        "{what}: more pages were announced without a `max_cursor`"
                    )));
                }
            }
        }
        Err(bad_response(format!(
            "@{handle}'s feed still announced more posts after {MAX_PAGES} pages; stopped to save credits"
        )))
    }

    /// POSTs `body` to `path` with retries; returns the answer's `data` (`Null` when absent).
    async fn call(&mut self, path: &str, body: Value, what: &str) -> anyhow::Result<Value> {
        let url = self
            .shared
            .config
            .base_url
            .join(path)
            .with_context(|| format!("building the URL for {what}"))?;
        let mut attempt = 0;
        let mut reparsed = false;
        loop {
            attempt += 1;
            let (problem, retry_after) = match self.attempt(&url, &body, what, &mut reparsed).await
            {
                Attempt::Done(result) => return result,
                Attempt::Retry {
                    problem,
                    retry_after,
                } => (problem, retry_after),
            };
            let policy = self.shared.config.retry;
            let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt, fastrand::f64()));
            let why = if attempt >= policy.max_attempts {
                format!("after {attempt} attempts")
            } else if self.shared.waited() + wait > policy.budget {
                format!(
                    "a further wait of {:.1}s would pass the run's {}s retry budget",
                    wait.as_secs_f64(),
                    policy.budget.as_secs()
                )
            } else {
                self.log(format!(
                    "retrying {what} in {:.1}s (attempt {} of {}): {problem}",
                    wait.as_secs_f64(),
                    attempt + 1,
                    policy.max_attempts
                ));
                let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                self.shared.waited_ms.fetch_add(millis, Ordering::Relaxed);
                tokio::time::sleep(wait).await;
                continue;
            };
            return Err(Failure::new(
                Kind::TempFail,
                format!("Scavio API unavailable for {what}: {problem} ({why}); try again later"),
            )
            .into());
        }
    }

    /// Sends one request and sorts its outcome: data, a failure, or a reason to try again.
    /// `reparsed` records that an unreadable 2xx answer has had its one retry.
    async fn attempt(
        &mut self,
        url: &Url,
        body: &Value,
        what: &str,
        reparsed: &mut bool,
    ) -> Attempt {
        // Held until the whole answer is read: a request is in flight until then.
        let in_flight = Arc::clone(&self.shared.in_flight);
        let _permit = match in_flight.acquire().await {
            Ok(permit) => permit,
            Err(_) => return Attempt::Done(Err(anyhow::anyhow!("the request limiter was closed"))),
        };
        self.usage.requests += 1;
        if self.shared.verbose {
            crate::error::debug(format!("POST {} {body}", url.path()));
        }
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
            Err(err) => return Attempt::retry(self.transport_problem(&err), None),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::retry_after(v, Utc::now()));
        let bytes = match read_body(response).await {
            Ok(bytes) => bytes,
            Err(err) if err.is::<Failure>() => {
                return Attempt::Done(Err(err.context(format!("reading {what}"))));
            }
            Err(err) => {
                let problem = format!(
                    "reading the answer failed ({})",
                    self.redact(&format!("{err:#}"))
                );
                return Attempt::retry(problem, None);
            }
        };
        self.count_credits(status, &bytes);
        if self.shared.verbose {
            crate::error::debug(format!(
                "-> HTTP {} ({} bytes)",
                status.as_u16(),
                bytes.len()
            ));
        }
        if retry::is_retryable(status.as_u16()) {
            return Attempt::retry(self.status_text(status, &bytes), retry_after);
        }
        if !status.is_success() {
            return Attempt::Done(Err(self.refusal(status, &bytes, what).into()));
        }
        match wire::envelope(&bytes) {
            Ok(envelope) => Attempt::Done(Ok(envelope.data)),
            Err(why) if !*reparsed => {
                *reparsed = true;
                Attempt::retry(format!("could not understand the answer: {why}"), None)
            }
            Err(why) => Attempt::Done(Err(bad_response(format!(
                "Scavio's answer for {what} could not be understood twice: {why}"
            )))),
        }
    }

    /// A retry line: printed now with `verbose`, else kept for when the run fails.
    fn log(&mut self, line: String) {
        if self.shared.verbose {
            crate::error::warn(&line);
        } else {
            self.retry_log.push(line);
        }
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

    fn count_credits(&mut self, status: StatusCode, body: &[u8]) {
        let (used, remaining) = wire::credits(body);
        let used = used.or(status.is_success().then_some(1)).unwrap_or(0);
        self.usage.credits_used = self.usage.credits_used.saturating_add(used);
        if remaining.is_some() {
            self.usage.credits_remaining = remaining;
        }
    }

    /// `HTTP 503: message` with the body's error message, if any.
    fn status_text(&self, status: StatusCode, body: &[u8]) -> String {
        match wire::error_message(body) {
            Some(message) => format!("HTTP {}: {}", status.as_u16(), self.redact(&message)),
            None => format!("HTTP {}", status.as_u16()),
        }
    }

    /// The failure for an answer that must not be retried.
    fn refusal(&self, status: StatusCode, body: &[u8], what: &str) -> Failure {
        let detail = self.status_text(status, body);
        match status.as_u16() {
            401 | 403 => Failure::new(
                Kind::Denied,
                format!("Scavio rejected the API key ({detail}); check SCAVIO_API_KEY"),
            ),
            402 => Failure::new(
                Kind::Denied,
                format!(
                    "Scavio credits are exhausted ({detail}); top up at {}",
                    wire::billing_url(body).unwrap_or_else(|| "your Scavio dashboard".into())
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
    fn redact(&self, text: &str) -> String {
        self.shared.config.key.redact(text)
    }
}

/// What one attempt came to.
enum Attempt {
    /// Finished: the data, or a failure not worth retrying.
    Done(anyhow::Result<Value>),
    /// Worth another attempt, after `retry_after` if the server said.
    Retry {
        problem: String,
        retry_after: Option<Duration>,
    },
}

impl Attempt {
    fn retry(problem: String, retry_after: Option<Duration>) -> Self {
        Attempt::Retry {
            problem,
            retry_after,
        }
    }
}

/// The posts of one `user/posts` answer body, as the client reads them (for tools and benchmarks);
/// `Err` says why the body cannot be understood.
pub fn parse_posts_answer(body: &[u8], handle: &Handle) -> Result<Vec<Post>, String> {
    let envelope = wire::envelope(body)?;
    Ok(wire::page(&envelope.data, handle).posts)
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

fn bad_response(message: String) -> anyhow::Error {
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
