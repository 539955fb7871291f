//! What a delivery channel is: a [`Channel`] names itself, lists its environment variables (and
//! which hold secrets), reads its settings from them and renders a digest as its message (and
//! `check`'s short test message, in the same format). Each channel is defined in its own file
//! (`slack.rs`, `discord.rs`, `teams.rs`, `webhook.rs`, `mailing.rs`) and [`super::CHANNELS`]
//! lists them once: the configuration, the redaction of secrets, `--help`, `cron`'s comment,
//! delivery and `check` all read that list. Pure: no I/O.

use std::fmt;

use reqwest::Url;

use super::mail::{DeliveryError, Prepared};
use super::{Digest, MailConfig, Secret};
use crate::error::{Failure, Kind};

/// An environment variable of a channel.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChannelVar {
    /// Its name, `TIKTOK_REVIEW_` and what it holds.
    pub(crate) name: &'static str,
    /// What `run --help` says of it: `Slack incoming webhook URL`.
    pub(crate) help: &'static str,
    /// Whether its value is a secret, hidden from every line written to stderr.
    pub(crate) secret: bool,
}

/// Where a channel reads its variables: the environment layered over the env file, as
/// [`crate::config`] (the one reader of the environment) read it.
pub(crate) trait Lookup {
    /// The value of `var`, trimmed; `None` when it is unset or empty.
    fn value(&self, var: &ChannelVar) -> Option<&str>;
}

/// A place the review can be delivered to.
pub(crate) trait Channel: Sync {
    /// The channel as a reader calls it: `Slack`, `the webhook`, `mail`.
    fn name(&self) -> &'static str;
    /// Its name for `send --channel`: `slack`, `webhook`, `mail`.
    fn option_name(&self) -> &'static str;
    /// The name in the request log: `POST slack webhook -> 200`.
    fn log_name(&self) -> &'static str;
    /// How a list of places names it: `Slack`, `any webhook`, `by mail`.
    fn listed(&self) -> &'static str;
    /// How a message reaches it: `to Slack`, `by mail`.
    fn to(&self) -> String {
        format!("to {}", self.name())
    }
    /// Where a message would be seen: `in Slack`, `in the mailbox`.
    fn seen_in(&self) -> String {
        format!("in {}", self.name())
    }
    /// Its environment variables, the one that configures it first.
    fn vars(&self) -> &[ChannelVar];
    /// Its settings from `env`; `None` when none of its variables is set. A value that is unusable
    /// is refused (78), named by its variable, never shown.
    fn configure(&self, env: &dyn Lookup) -> Result<Option<Target>, Failure>;
    /// Its message of `digest` for `target` (what [`Channel::configure`] made); `None` when
    /// `target` is not of its kind, so there is nothing to send.
    fn render<'a>(&self, digest: &Digest, target: &'a Target) -> Option<Payload<'a>>;
    /// Its short test message ([`TEST_MESSAGE`], in its own format) for `target`, which
    /// `tiktok-review check` sends; `None` when `target` is not of its kind.
    fn test_message<'a>(&self, target: &'a Target) -> Option<Payload<'a>>;
    /// The variable that configures it (for mail, the one holding the server).
    fn variable(&self) -> &'static str {
        let name = self.vars().first().map(|var| var.name);
        // Every channel has a variable: the list's test says so.
        name.unwrap_or_default()
    }
}

impl fmt::Debug for dyn Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for dyn Channel {
    fn eq(&self, other: &Self) -> bool {
        self.option_name() == other.option_name()
    }
}

impl Eq for dyn Channel {}

/// Where a configured channel's messages go.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A webhook URL (a secret).
    Url(Secret),
    /// A mail server, with the sender and the recipients.
    Mail(MailConfig),
}

impl Target {
    /// Every spelling of its secrets that output must never show: the URL's, or the mail
    /// server's password.
    #[cfg(test)]
    pub(crate) fn hidden_forms(&self) -> Vec<String> {
        match self {
            Target::Url(url) => url.hidden_forms(),
            Target::Mail(config) => config.hidden_forms(),
        }
    }
}

/// One channel's message of a digest, ready for its transport.
pub(crate) enum Payload<'a> {
    /// A POST of `body` to a webhook.
    Post {
        /// The webhook's URL (a secret).
        url: &'a Secret,
        /// The body.
        body: Vec<u8>,
        /// Its `Content-Type`.
        content_type: &'static str,
    },
    /// A mail through the server of `config`.
    Mail {
        /// The server, sender and recipients.
        config: &'a MailConfig,
        /// The mail composed and encoded (the heavy part), or why it cannot be.
        mail: Result<Prepared, DeliveryError>,
    },
}

/// The text of the message `tiktok-review check` sends to each configured channel.
pub(crate) const TEST_MESSAGE: &str = "tiktok-review: test message, no report";

/// The content type of a JSON body.
pub(crate) const JSON: &str = "application/json";

/// A channel that POSTs one body to one webhook URL, read from one variable: all but mail. Each
/// such channel is a `static` of this in its own file.
pub(crate) struct Hook {
    /// As [`Channel::name`].
    pub(crate) name: &'static str,
    /// As [`Channel::option_name`].
    pub(crate) option_name: &'static str,
    /// As [`Channel::log_name`].
    pub(crate) log_name: &'static str,
    /// As [`Channel::listed`].
    pub(crate) listed: &'static str,
    /// As [`Channel::seen_in`].
    pub(crate) seen_in: &'static str,
    /// The variable holding the URL (a secret).
    pub(crate) var: ChannelVar,
    /// The body for a digest.
    pub(crate) render: fn(&Digest) -> Vec<u8>,
    /// The body of a test message of this text.
    pub(crate) test: fn(&str) -> Vec<u8>,
    /// The body's `Content-Type`.
    pub(crate) content_type: &'static str,
}

impl Channel for Hook {
    fn name(&self) -> &'static str {
        self.name
    }

    fn option_name(&self) -> &'static str {
        self.option_name
    }

    fn log_name(&self) -> &'static str {
        self.log_name
    }

    fn listed(&self) -> &'static str {
        self.listed
    }

    fn seen_in(&self) -> String {
        self.seen_in.to_string()
    }

    fn vars(&self) -> &[ChannelVar] {
        std::slice::from_ref(&self.var)
    }

    fn configure(&self, env: &dyn Lookup) -> Result<Option<Target>, Failure> {
        let Some(value) = env.value(&self.var) else {
            return Ok(None);
        };
        webhook_url(self.var.name, value).map(|url| Some(Target::Url(url)))
    }

    fn render<'a>(&self, digest: &Digest, target: &'a Target) -> Option<Payload<'a>> {
        self.post(target, || (self.render)(digest))
    }

    fn test_message<'a>(&self, target: &'a Target) -> Option<Payload<'a>> {
        self.post(target, || (self.test)(TEST_MESSAGE))
    }
}

impl Hook {
    /// A POST of `body()` to the webhook of `target`; `None` for a mail target.
    fn post<'a>(&self, target: &'a Target, body: impl FnOnce() -> Vec<u8>) -> Option<Payload<'a>> {
        match target {
            Target::Url(url) => Some(Payload::Post {
                url,
                body: body(),
                content_type: self.content_type,
            }),
            Target::Mail(_) => None,
        }
    }
}

/// `value` as JSON bytes (empty should it not serialise, which a `Value` always does).
pub(crate) fn json(value: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&value).unwrap_or_default()
}

/// A webhook URL: http(s) with a host; a control character or anything else is refused.
fn webhook_url(var: &str, value: &str) -> Result<Secret, Failure> {
    if value.chars().any(char::is_control) {
        return Err(refuse(
            var,
            "contains a control character (such as a line break inside it); copy the URL again",
        ));
    }
    if value.contains(char::REPLACEMENT_CHARACTER) {
        return Err(refuse(var, NOT_UTF8));
    }
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            Ok(Secret::new(value))
        }
        _ => Err(refuse(
            var,
            "is not an http(s) URL (not shown: it holds a token); copy the webhook URL again",
        )),
    }
}

/// Why a value read with bytes that are not UTF-8 is refused (they arrive as U+FFFD).
pub(crate) const NOT_UTF8: &str = "holds bytes that are not UTF-8 text; set it again";

/// The configuration failure (78) `{var} {why}`.
pub(crate) fn refuse(var: &str, why: &str) -> Failure {
    Failure::new(Kind::Config, format!("{var} {why}"))
}
