//! Delivery: the week's reports sent where people already are (Slack, Discord, Teams, any HTTP
//! endpoint, mail), one message per channel per run.
//!
//! Reports are written first; delivery reads back what is on disk (`load_digest`), so a run and a
//! later `tiktok-review send` send the same messages, and a failed delivery is fixed without a
//! credit. Every configured channel is tried even when another fails, with the API's retry rules
//! (429, 5xx and timeouts, honouring `Retry-After`; redirects never followed). A channel is one
//! file (`slack.rs`, `discord.rs`, `teams.rs`, `webhook.rs`, `mailing.rs`) defining a `Channel`:
//! its names, its variables (and which are secrets), its settings and its payload, built without
//! I/O; `CHANNELS` lists them once, and `http` and `mail` send what they render. The URLs are
//! secrets: their `Debug` and `Display` never show them, and no message or log line names more
//! than the channel.

mod channel;
mod digest;
mod discord;
mod http;
mod lines;
pub(crate) mod listing;
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

pub(crate) use channel::{Channel, ChannelVar, Lookup, NOT_UTF8, Payload, Target, refuse};
pub(crate) use digest::{
    AccountDigest, Digest, FailedAccount, OverviewFiles, Texts, latest_date, load_digest,
    written_digest,
};
pub(crate) use mail::{DeliveryError, MailConfig, MailMessage};
pub(crate) use report_url::ReportUrl;
pub(crate) use secret::Secret;

use crate::error::{self, Failure};
use crate::retry::{self, Attempts, RetryPolicy};

/// How long one delivery request may take when no `--timeout` says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Every channel, in the order they are configured, sent to and reported: one line a channel.
pub(crate) static CHANNELS: &[&dyn Channel] = &[
    &slack::SLACK,
    &discord::DISCORD,
    &teams::TEAMS,
    &webhook::WEBHOOK,
    &mailing::MAIL,
];

/// The channel `send --channel` calls `name` (`slack`, `mail`).
pub(crate) fn channel_named(name: &str) -> Option<&'static dyn Channel> {
    (CHANNELS.iter().copied()).find(|channel| channel.option_name() == name)
}

/// Where the review goes, as configured (see [`crate::config`]); no channel, no delivery.
#[derive(Debug, Clone)]
pub(crate) struct Channels {
    /// The channels configured, in [`CHANNELS`]' order, each with where its message goes.
    pub(crate) targets: Vec<(&'static dyn Channel, Target)>,
    /// Where the reports folder is served: each account's chat entry links to its HTML report.
    pub(crate) report_url: Option<ReportUrl>,
    /// How long one request may take.
    pub(crate) timeout: Duration,
    /// The wall clock, for `Retry-After` dates (chosen by the configuration, the one reader of it).
    pub(crate) clock: fn() -> DateTime<Utc>,
}

impl Channels {
    /// No channel at all.
    pub(crate) fn none(timeout: Duration, clock: fn() -> DateTime<Utc>) -> Self {
        Self {
            targets: Vec::new(),
            report_url: None,
            timeout,
            clock,
        }
    }

    /// The channels configured, in [`CHANNELS`]' order.
    pub(crate) fn configured(&self) -> Vec<&'static dyn Channel> {
        self.targets.iter().map(|(channel, _)| *channel).collect()
    }

    /// Only the channels of `chosen` (every configured one when it is empty); the first of them
    /// that is not configured, as `Err`.
    pub(crate) fn only(
        mut self,
        chosen: &[&'static dyn Channel],
    ) -> Result<Self, &'static dyn Channel> {
        if chosen.is_empty() {
            return Ok(self);
        }
        if let Some(missing) = (chosen.iter()).find(|c| !self.configured().contains(c)) {
            return Err(*missing);
        }
        self.targets.retain(|(channel, _)| chosen.contains(channel));
        Ok(self)
    }

    /// Whether no channel is configured.
    pub(crate) fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Whether a channel sends mail (which carries the reports' texts and HTML).
    pub(crate) fn mails(&self) -> bool {
        (self.targets.iter()).any(|(_, target)| matches!(target, Target::Mail(_)))
    }
}

/// What became of one channel's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The channel.
    pub(crate) channel: &'static dyn Channel,
    /// The date of the reports it carried (for the `send` that delivers them again).
    pub(crate) date: NaiveDate,
    /// Delivered, or why not.
    pub(crate) result: Result<(), DeliveryError>,
}

impl Outcome {
    /// The failure to print and exit with, naming the channel, saying that the reports are kept
    /// and how to send them again: at once when the message surely did not arrive, after a look
    /// at the channel when it may have; the `send` it names repeats `send_flags` (the folder and
    /// the env file, see [`crate::stop::Again::send`]).
    pub(crate) fn failure(&self, send_flags: &str) -> Option<Failure> {
        let err = self.result.as_ref().err()?;
        let (channel, date) = (self.channel, self.date);
        let send = format!(
            "tiktok-review send --date {date} --channel {}{send_flags}",
            channel.option_name()
        );
        let next = match err {
            DeliveryError::MayHaveArrived(_) => format!(
                "the message may have arrived: look {} first, and only if it is not there run `{send}` to send it again",
                channel.seen_in()
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
pub(crate) fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        budget: Duration::from_secs(30),
        ..RetryPolicy::default()
    }
}

/// Sends `digest` to every channel of `channels`, all at once, each independently: one failing
/// does not stop the others. The outcomes come back in [`CHANNELS`]' order.
pub(crate) async fn deliver(
    channels: &Channels,
    digest: &Digest,
    policy: RetryPolicy,
) -> Vec<Outcome> {
    // Every message is rendered, the mail composed and encoded (the heavy part: megabytes of
    // attachments), before any request starts: this thread runs every channel, and a timer must
    // never fire on a request that merely waited for it.
    let messages = (channels.targets.iter())
        .map(|(channel, target)| (*channel, channel.render(digest, target)))
        .collect();
    let results = send_all(channels, messages, policy).await;
    (results.into_iter())
        .map(|(channel, result)| Outcome {
            channel,
            date: digest.date,
            result,
        })
        .collect()
}

/// Sends every configured channel its short test message ([`channel::TEST_MESSAGE`]), all at
/// once, by delivery's rules (a message that may have arrived is never sent again): what became of
/// each, in [`CHANNELS`]' order.
pub(crate) async fn send_test_messages(
    channels: &Channels,
) -> Vec<(&'static dyn Channel, Result<(), DeliveryError>)> {
    let messages = (channels.targets.iter())
        .map(|(channel, target)| (*channel, channel.test_message(target)))
        .collect();
    send_all(channels, messages, retry_policy()).await
}

/// Sends each channel its message (`None`: nothing to send), all at once, each independently;
/// the results in the order of `messages`.
async fn send_all<'a>(
    channels: &'a Channels,
    messages: Vec<(&'static dyn Channel, Option<Payload<'a>>)>,
    policy: RetryPolicy,
) -> Vec<(&'static dyn Channel, Result<(), DeliveryError>)> {
    let client = http::client(channels);
    let mut sends: Vec<BoxFuture<'_, _>> = Vec::new();
    for (channel, payload) in messages {
        let client = &client;
        sends.push(Box::pin(async move {
            let result = match payload {
                None => Ok(()),
                Some(Payload::Mail { config, mail }) => match mail {
                    Ok(prepared) => send_mail(config, &prepared, policy).await,
                    Err(why) => Err(why),
                },
                Some(Payload::Post {
                    url,
                    body,
                    content_type,
                }) => match client {
                    Err(why) => Err(DeliveryError::Temporary(why.clone())),
                    Ok(client) => {
                        let post = http::Post {
                            channel,
                            url,
                            body,
                            content_type,
                        };
                        http::post(client, &post, policy, channels).await
                    }
                },
            };
            (channel, result)
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
    let mut retry = Retry::new(&mailing::MAIL, policy);
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
    channel: &'static dyn Channel,
    attempts: Attempts,
    /// When the first attempt began: the budget counts the attempts' time too, so a channel that
    /// never answers is not sent the message again and again past it.
    started: tokio::time::Instant,
    lines: Vec<retry::Noted>,
}

impl Retry {
    fn new(channel: &'static dyn Channel, policy: RetryPolicy) -> Self {
        Self {
            channel,
            attempts: Attempts::new(policy),
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
        let spent = self.started.elapsed();
        let why = match self.attempts.failed(wait_asked, spent, fastrand::f64()) {
            Ok(wait) => {
                let what = format!("delivery {}", self.channel.to());
                retry::note(&mut self.lines, self.attempts.line(&what, wait, &problem));
                tokio::time::sleep(wait).await;
                return Ok(());
            }
            Err(give_up) => give_up.reason(&format!(
                "delivery's {}s budget",
                self.attempts.policy().budget.as_secs()
            )),
        };
        // The retries are worth reading only now that they led nowhere.
        self.lines.iter().for_each(retry::Noted::warn);
        Err(DeliveryError::Temporary(format!("{problem} ({why})")))
    }
}

/// The exit code of the failed deliveries, the most severe first; `None` when all delivered.
pub(crate) fn exit_code(outcomes: &[Outcome]) -> Option<u8> {
    error::most_severe(
        outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().err())
            .map(|err| err.kind().exit_code()),
    )
}

/// `review delivered: Slack, the webhook`, naming the channels that took the message; `None` when
/// none did.
pub(crate) fn delivered_line(outcomes: &[Outcome]) -> Option<String> {
    let names: Vec<&str> = (outcomes.iter())
        .filter(|o| o.result.is_ok())
        .map(|o| o.channel.name())
        .collect();
    (!names.is_empty()).then(|| format!("review delivered: {}", names.join(", ")))
}

/// Prints the outcomes: an error line on stderr for each failed channel and, unless `quiet`, the
/// line naming those that took the message on `out`. A failed channel's line names the `send` that
/// delivers again, with `send_flags`.
pub(crate) fn print_outcomes(
    outcomes: &[Outcome],
    quiet: bool,
    send_flags: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for failure in outcomes.iter().filter_map(|o| o.failure(send_flags)) {
        error::print(None, &failure.into());
    }
    match delivered_line(outcomes) {
        Some(line) if !quiet => writeln!(out, "{line}"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
