//! Delivery: the week's reports sent where people already are (Slack, Discord, Teams, any HTTP
//! endpoint, mail), one message per channel per run.
//!
//! Reports are written first; delivery reads back what is on disk ([`load_digest`]), so a run and a
//! later `tiktok-review send` send the same messages, and a failed delivery is fixed without a
//! credit. Every configured channel is tried even when another fails, with the API's retry rules
//! (429, 5xx and timeouts, honouring `Retry-After`; redirects never followed). The channel files
//! build their payloads without I/O; `http` and `mail` send them. The URLs are secrets: their
//! `Debug` and `Display` never show them, and no message or log line names more than the channel.

mod digest;
mod discord;
mod http;
mod lines;
pub mod mail;
mod mailing;
mod report_url;
mod secret;
mod slack;
mod teams;
mod webhook;

use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::BoxFuture;

pub use digest::{
    AccountDigest, BestPost, Digest, FailedAccount, Headline, OverviewFiles, Texts, latest_date,
    load_digest, written_digest,
};
pub use mail::{DeliveryError, MailConfig, MailMessage};
pub use mailing::mail_message;
pub use report_url::ReportUrl;
pub use secret::Secret;

use crate::error::{self, Failure};
use crate::scavio::RetryPolicy;

/// How long one delivery request may take when no `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A place the review can be delivered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    /// A Slack incoming webhook: Block Kit.
    Slack,
    /// A Discord webhook: embeds.
    Discord,
    /// A Teams Workflows webhook: an Adaptive Card.
    Teams,
    /// Any HTTP endpoint: the JSON as saved.
    Webhook,
    /// Mail over SMTP.
    Mail,
}

impl Channel {
    /// Every channel, in the order they are reported.
    pub const ALL: [Channel; 5] = [
        Channel::Slack,
        Channel::Discord,
        Channel::Teams,
        Channel::Webhook,
        Channel::Mail,
    ];

    /// The channel as a reader calls it: `Slack`, `the webhook`, `mail`.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Slack => "Slack",
            Channel::Discord => "Discord",
            Channel::Teams => "Teams",
            Channel::Webhook => "the webhook",
            Channel::Mail => "mail",
        }
    }

    /// How a message reaches it: `to Slack`, `by mail`.
    fn to(self) -> String {
        match self {
            Channel::Mail => "by mail".to_string(),
            other => format!("to {}", other.name()),
        }
    }

    /// Its name for `send --channel`: `slack`, `webhook`, `mail`.
    pub fn option_name(self) -> &'static str {
        match self {
            Channel::Slack => "slack",
            Channel::Discord => "discord",
            Channel::Teams => "teams",
            Channel::Webhook => "webhook",
            Channel::Mail => "mail",
        }
    }

    /// Where a message would be seen: `in Slack`, `in the mailbox`.
    fn in_(self) -> String {
        match self {
            Channel::Mail => "in the mailbox".to_string(),
            Channel::Webhook => "at the webhook's receiver".to_string(),
            other => format!("in {}", other.name()),
        }
    }

    /// The name in the request log: `POST slack webhook -> 200`.
    fn log_name(self) -> &'static str {
        match self {
            Channel::Slack => "slack webhook",
            Channel::Discord => "discord webhook",
            Channel::Teams => "teams webhook",
            Channel::Webhook => "webhook",
            Channel::Mail => "mail",
        }
    }

    /// The environment variable that configures it (for mail, the one holding the server).
    pub fn variable(self) -> &'static str {
        match self {
            Channel::Slack => "TIKTOK_REVIEW_SLACK_WEBHOOK",
            Channel::Discord => "TIKTOK_REVIEW_DISCORD_WEBHOOK",
            Channel::Teams => "TIKTOK_REVIEW_TEAMS_WEBHOOK",
            Channel::Webhook => "TIKTOK_REVIEW_WEBHOOK_URL",
            Channel::Mail => "TIKTOK_REVIEW_SMTP_URL",
        }
    }
}

/// Where the review goes, as configured (see [`crate::config`]); no channel, no delivery.
#[derive(Debug, Clone)]
pub struct Channels {
    /// A Slack incoming webhook URL.
    pub slack: Option<Secret>,
    /// A Discord webhook URL.
    pub discord: Option<Secret>,
    /// A Teams Workflows webhook URL.
    pub teams: Option<Secret>,
    /// Any HTTP endpoint that takes the JSON.
    pub webhook: Option<Secret>,
    /// The mail server, sender and recipients.
    pub mail: Option<MailConfig>,
    /// Where the reports folder is served: each account's chat entry links to its HTML report.
    pub report_url: Option<ReportUrl>,
    /// How long one request may take.
    pub timeout: Duration,
    /// The wall clock, for `Retry-After` dates (chosen by the configuration, the one reader of it).
    pub clock: fn() -> DateTime<Utc>,
}

impl Channels {
    /// No channel at all.
    pub fn none(timeout: Duration, clock: fn() -> DateTime<Utc>) -> Self {
        Self {
            slack: None,
            discord: None,
            teams: None,
            webhook: None,
            mail: None,
            report_url: None,
            timeout,
            clock,
        }
    }

    /// The channels configured, in [`Channel::ALL`]'s order.
    pub fn configured(&self) -> Vec<Channel> {
        Channel::ALL
            .into_iter()
            .filter(|channel| match channel {
                Channel::Mail => self.mail.is_some(),
                other => self.url(*other).is_some(),
            })
            .collect()
    }

    /// Only the channels of `chosen` (every configured one when it is empty); the first of them
    /// that is not configured, as `Err`.
    pub fn only(mut self, chosen: &[Channel]) -> Result<Self, Channel> {
        if chosen.is_empty() {
            return Ok(self);
        }
        if let Some(missing) = (chosen.iter()).find(|c| !self.configured().contains(c)) {
            return Err(*missing);
        }
        for channel in Channel::ALL.into_iter().filter(|c| !chosen.contains(c)) {
            match channel {
                Channel::Slack => self.slack = None,
                Channel::Discord => self.discord = None,
                Channel::Teams => self.teams = None,
                Channel::Webhook => self.webhook = None,
                Channel::Mail => self.mail = None,
            }
        }
        Ok(self)
    }

    /// Whether no channel is configured.
    pub fn is_empty(&self) -> bool {
        self.configured().is_empty()
    }

    /// The URL of a webhook channel.
    fn url(&self, channel: Channel) -> Option<&Secret> {
        match channel {
            Channel::Slack => self.slack.as_ref(),
            Channel::Discord => self.discord.as_ref(),
            Channel::Teams => self.teams.as_ref(),
            Channel::Webhook => self.webhook.as_ref(),
            Channel::Mail => None,
        }
    }
}

/// What became of one channel's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The channel.
    pub channel: Channel,
    /// The date of the reports it carried (for the `send` that delivers them again).
    pub date: NaiveDate,
    /// Delivered, or why not.
    pub result: Result<(), DeliveryError>,
}

impl Outcome {
    /// The failure to print and exit with, naming the channel, saying that the reports are kept
    /// and how to send them again: at once when the message surely did not arrive, after a look
    /// at the channel when it may have.
    pub fn failure(&self) -> Option<Failure> {
        let err = self.result.as_ref().err()?;
        let (channel, date) = (self.channel, self.date);
        let send = format!(
            "tiktok-review send --date {date} --channel {}",
            channel.option_name()
        );
        let next = match err {
            DeliveryError::MayHaveArrived(_) => format!(
                "the message may have arrived: look {} first, and only if it is not there run `{send}` to send it again",
                channel.in_()
            ),
            _ => format!("reports kept: run `{send}` to deliver them again"),
        };
        Some(Failure::new(
            err.kind(),
            format!("delivering {}: {err}; {next}", channel.to()),
        ))
    }
}

/// The retry rules of delivery: the API's ([`RetryPolicy::default`]), within 30 s per channel,
/// attempts included: a chat message is not worth holding cron much longer.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        budget: Duration::from_secs(30),
        ..RetryPolicy::default()
    }
}

/// Sends `digest` to every channel of `channels`, all at once, each independently: one failing
/// does not stop the others. The outcomes come back in [`Channel::ALL`]'s order.
pub async fn deliver(channels: &Channels, digest: &Digest, policy: RetryPolicy) -> Vec<Outcome> {
    let client = http::client(channels);
    // The mail is composed and encoded (the heavy part: megabytes of attachments) before any
    // request starts: this thread runs every channel, and a timer must never fire on a request
    // that merely waited for it.
    let mail = (channels.mail.as_ref())
        .map(|config| (config, mail::prepare(config, &mail_message(digest, config))));
    let mut sends: Vec<BoxFuture<'_, Outcome>> = Vec::new();
    for channel in channels.configured() {
        let (client, mail) = (&client, &mail);
        sends.push(Box::pin(async move {
            let result = match (channel, channels.url(channel), client) {
                (Channel::Mail, _, _) => match mail {
                    Some((config, Ok(prepared))) => send_mail(config, prepared, policy).await,
                    Some((_, Err(why))) => Err(why.clone()),
                    None => Ok(()),
                },
                (_, None, _) => Ok(()),
                (_, Some(_), Err(why)) => Err(DeliveryError::Temporary(why.clone())),
                (_, Some(url), Ok(client)) => {
                    let (body, content_type) = payload(channel, digest);
                    let post = http::Post {
                        channel,
                        url,
                        body,
                        content_type,
                    };
                    http::post(client, &post, policy, channels).await
                }
            };
            Outcome {
                channel,
                date: digest.date,
                result,
            }
        }));
    }
    futures_util::future::join_all(sends).await
}

/// Mails `message`, trying again after a temporary failure (an unreachable server, a failure before
/// the mail's data went out, a 4xx answer) with the policy's backoff, within its attempts and wait
/// budget; never after one that may have delivered it.
async fn send_mail(
    config: &MailConfig,
    mail: &mail::Prepared,
    policy: RetryPolicy,
) -> Result<(), DeliveryError> {
    let mut retry = Retry::new(Channel::Mail, policy);
    loop {
        match mail::send_prepared(config, mail).await {
            Err(DeliveryError::Temporary(problem)) => retry.after(problem, None).await?,
            done => return done,
        }
    }
}

/// The retries of one channel's message: how many attempts so far, since when, and the lines
/// that say so (shown at once with `-v`, else only when the channel fails in the end).
struct Retry {
    channel: Channel,
    policy: RetryPolicy,
    attempt: u32,
    /// When the first attempt began: the budget counts the attempts' time too, so a channel that
    /// never answers is not sent the message again and again past it.
    started: tokio::time::Instant,
    lines: Vec<String>,
}

impl Retry {
    fn new(channel: Channel, policy: RetryPolicy) -> Self {
        Self {
            channel,
            policy,
            attempt: 0,
            started: tokio::time::Instant::now(),
            lines: Vec::new(),
        }
    }

    /// After a failed attempt that another may fix (`problem`): waits (`wait_asked`, the server's
    /// `Retry-After`, else the backoff) and returns to try again; or, when the attempts or the
    /// wait budget are spent, prints the retries and returns the failure (75).
    async fn after(
        &mut self,
        problem: String,
        wait_asked: Option<Duration>,
    ) -> Result<(), DeliveryError> {
        self.attempt += 1;
        let (attempt, policy) = (self.attempt, self.policy);
        let wait = wait_asked.unwrap_or_else(|| policy.backoff(attempt, fastrand::f64()));
        let why = if attempt >= policy.max_attempts {
            format!("after {attempt} attempts")
        } else if self.started.elapsed().saturating_add(wait) > policy.budget {
            format!(
                "a further wait of {:.1}s would pass delivery's {}s budget",
                wait.as_secs_f64(),
                policy.budget.as_secs()
            )
        } else {
            let line = format!(
                "retrying delivery {} in {:.1}s (attempt {} of {}): {problem}",
                self.channel.to(),
                wait.as_secs_f64(),
                attempt + 1,
                policy.max_attempts
            );
            if tracing::enabled!(tracing::Level::DEBUG) {
                tracing::warn!("{line}");
            } else {
                self.lines.push(line);
            }
            tokio::time::sleep(wait).await;
            return Ok(());
        };
        // The retries are worth reading only now that they led nowhere.
        self.lines.iter().for_each(error::warn);
        Err(DeliveryError::Temporary(format!("{problem} ({why})")))
    }
}

/// The body of a webhook channel's one message, and its content type.
fn payload(channel: Channel, digest: &Digest) -> (Vec<u8>, &'static str) {
    const JSON: &str = "application/json";
    let json = |value: serde_json::Value| serde_json::to_vec(&value).unwrap_or_default();
    match channel {
        Channel::Slack => (json(slack::payload(digest)), JSON),
        Channel::Discord => (json(discord::payload(digest)), JSON),
        // Teams reads a body without a charset as UTF-16 and halves its size limit.
        Channel::Teams => (
            json(teams::payload(digest)),
            "application/json; charset=utf-8",
        ),
        Channel::Webhook | Channel::Mail => (webhook::payload(digest), JSON),
    }
}

/// The exit code of the failed deliveries, the most severe first; `None` when all delivered.
pub fn exit_code(outcomes: &[Outcome]) -> Option<u8> {
    error::most_severe(
        outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().err())
            .map(|err| err.kind().exit_code()),
    )
}

/// `review delivered: Slack, the webhook`, naming the channels that took the message; `None` when
/// none did.
pub fn delivered_line(outcomes: &[Outcome]) -> Option<String> {
    let names: Vec<&str> = (outcomes.iter())
        .filter(|o| o.result.is_ok())
        .map(|o| o.channel.name())
        .collect();
    (!names.is_empty()).then(|| format!("review delivered: {}", names.join(", ")))
}

/// Prints the outcomes: an error line on stderr for each failed channel and, unless `quiet`, the
/// line naming those that took the message on `out`.
pub fn print_outcomes(
    outcomes: &[Outcome],
    quiet: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for failure in outcomes.iter().filter_map(Outcome::failure) {
        error::print(None, &failure.into());
    }
    match delivered_line(outcomes) {
        Some(line) if !quiet => writeln!(out, "{line}"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
