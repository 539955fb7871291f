//! Mail: the run's one message, sent through the user's SMTP server with `lettre` over rustls.
//!
//! [`MailConfig::new`] checks the SMTP URL and the addresses once, when the configuration is read;
//! [`send`] composes a `multipart/alternative` (the Markdown as text, the HTML as HTML), wrapped in a
//! `multipart/mixed` with the HTML reports attached when there are any (`wire_size` says what it
//! weighs), and hands it to the server in one attempt, step by step: the caller retries a
//! [`DeliveryError::Temporary`], which only a failure before the mail's data went out or a 4xx
//! reply can be, and never a [`DeliveryError::MayHaveArrived`]. The SMTP URL carries a password:
//! no `Debug`, `Display` or error message here shows the URL, the user or any form of the
//! password, only the server's host and port.

use std::fmt;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::client::TlsParameters;

use super::secret::credential_forms;
use crate::error::{Failure, Kind};

/// The variable holding the SMTP URL (a secret: it holds the password).
pub(crate) const SMTP_URL: &str = "TIKTOK_REVIEW_SMTP_URL";
/// The variable holding the sender.
pub(crate) const MAIL_FROM: &str = "TIKTOK_REVIEW_MAIL_FROM";
/// The variable holding the recipients, comma-separated.
pub(crate) const MAIL_TO: &str = "TIKTOK_REVIEW_MAIL_TO";

/// How long the server may take to accept the connection or answer one command.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The most one whole SMTP exchange (connect to the last reply) may take.
const WHOLE_EXCHANGE: Duration = Duration::from_secs(60);

/// Where and how mail is sent: the SMTP server (from the secret SMTP URL), the sender and the
/// recipients. `Debug` and `Display` show the server's host and port, never the URL's user or
/// password.
#[derive(Clone)]
pub struct MailConfig {
    server: Server,
    login: Option<Login>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

/// The SMTP server part of the URL: no secret in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Server {
    /// A domain name or an IP address (without brackets).
    host: String,
    port: u16,
    security: Security,
    /// The name to greet the server with (`EHLO`), from the URL's path; without one, lettre greets
    /// with the address literal `[127.0.0.1]`, as RFC 5321 allows (and not the machine's name).
    hello: Option<String>,
}

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// `smtps://`: TLS from the first byte (port 465).
    Tls,
    /// `smtp://…?tls=required`: plain at first, then `STARTTLS` or no mail (port 587).
    StartTls,
    /// `smtp://…?tls=opportunistic`: `STARTTLS` when the server offers it (port 587).
    Opportunistic,
    /// `smtp://`: never encrypted (port 25), for a relay on the same machine.
    Plain,
}

/// The user and password of the URL, percent-decoded.
#[derive(Clone)]
struct Login {
    user: String,
    password: String,
}

impl MailConfig {
    /// Checks the SMTP URL, the sender and the recipients (a comma-separated list).
    ///
    /// The URL is `smtps://[user:pass@]host[:port]` (TLS, port 465 by default) or
    /// `smtp://[user:pass@]host[:port][?tls=required|opportunistic]` (STARTTLS, port 587 by
    /// default; without `tls`, unencrypted on port 25), optionally with `/name` for the `EHLO`
    /// greeting; user and password are percent-encoded. A password is only sent encrypted, or to
    /// this machine. The error is one line that never shows the URL's user or password.
    pub fn new(smtp_url: &str, from: &str, to: &str) -> Result<Self, String> {
        let (server, login) = parse_url(smtp_url)?;
        let from = parse_mailbox(from.trim()).ok_or_else(|| {
            format!(
                "{MAIL_FROM} is not a mail address: \"{}\"; write it as \
                 me@example.com or \"Name <me@example.com>\"",
                crate::text::clean(from.trim())
            )
        })?;
        let to = parse_recipients(to)?;
        Ok(Self {
            server,
            login,
            from,
            to,
        })
    }

    /// The server as `host:port` (`[::1]:25` for an IPv6 address): what messages and logs name.
    #[cfg(test)]
    pub(crate) fn server(&self) -> String {
        self.server.to_string()
    }

    /// The TLS settings for the server, when its security uses TLS.
    fn tls(&self) -> Result<Option<TlsParameters>, DeliveryError> {
        let server = &self.server;
        if server.security == Security::Plain {
            return Ok(None);
        }
        crate::tls::install_provider();
        TlsParameters::new(server.host.clone())
            .map(Some)
            .map_err(|e| {
                DeliveryError::Refused(format!(
                    "setting up TLS for the SMTP server {server}: {}; install the system's CA \
                 certificates, or name the CAs to trust in SSL_CERT_FILE",
                    failure::answer(&failure::innermost(&e).to_string(), self)
                ))
            })
    }

    /// Every form of the password a server could echo (see [`credential_forms`]), longest first:
    /// none without a login.
    pub(crate) fn hidden_forms(&self) -> Vec<String> {
        let mut forms = (self.login.as_ref())
            .map(|l| credential_forms(&l.user, Some(&l.password)))
            .unwrap_or_default();
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        forms
    }
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("server", &self.server.to_string())
            .field("security", &self.server.security)
            .field("login", &self.login.as_ref().map(|_| "***"))
            .field("from", &self.from.to_string())
            .field(
                "to",
                &self.to.iter().map(Mailbox::to_string).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl fmt::Display for MailConfig {
    /// `mail to a@example.com, b@example.com through smtp.example.com:587`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let to: Vec<String> = self.to.iter().map(|m| m.email.to_string()).collect();
        write!(f, "mail to {} through {}", to.join(", "), self.server)
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// One mail of a run: its subject, the Markdown as the text part, the HTML as the HTML part, and
/// the files to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMessage {
    /// The subject line (made one line, without control characters, when sent).
    pub subject: String,
    /// The text part: the Markdown report or overview.
    pub text: String,
    /// The HTML part: the HTML report (one account) or the overview (several).
    pub html: String,
    /// Attachments: a file name and its bytes, sent as `text/html` (the HTML reports).
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// Why a mail was not delivered: a one-line message naming the SMTP server by host and port,
/// never showing the URL's user or password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The server could not be reached, timed out or dropped the connection before the mail's
    /// data went out, or answered 4xx (greylisting, even after the data): it surely did not take
    /// the mail, and another try may succeed (exit 75).
    #[error("{0}")]
    Temporary(String),
    /// The server refused the login or the mail (5xx), or the connection cannot be set up as
    /// configured (TLS, no `STARTTLS`, no login method): trying again will not help (exit 78).
    #[error("{0}")]
    Refused(String),
    /// The message went out and may have been taken (no answer in time after it was sent, the
    /// connection dropped after it): this run never sends it again (exit 75), and says so.
    #[error("{0}")]
    MayHaveArrived(String),
}

impl DeliveryError {
    /// The error kind deciding the exit code: [`Kind::TempFail`] (75) or [`Kind::Config`] (78).
    pub fn kind(&self) -> Kind {
        match self {
            DeliveryError::Temporary(_) | DeliveryError::MayHaveArrived(_) => Kind::TempFail,
            DeliveryError::Refused(_) => Kind::Config,
        }
    }

    /// Whether another try may succeed and cannot send a second copy.
    pub fn is_temporary(&self) -> bool {
        matches!(self, DeliveryError::Temporary(_))
    }
}

impl From<DeliveryError> for Failure {
    fn from(err: DeliveryError) -> Self {
        Failure::new(err.kind(), err)
    }
}

/// Sends `message` from `config.from` to every recipient of `config.to` through the server, in
/// one attempt. A [`DeliveryError::Temporary`] means the server surely did not take the mail (the
/// caller may try again); a [`DeliveryError::MayHaveArrived`] that it went out and no answer said
/// what became of it (it must not be sent again).
pub async fn send(config: &MailConfig, message: &MailMessage) -> Result<(), DeliveryError> {
    send_prepared(config, &prepare(config, message)?).await
}

/// A mail composed and encoded for the wire, with its envelope: the CPU-bound half of sending,
/// done once, before any connection (and any other channel's request) is under way.
pub(crate) struct Prepared {
    envelope: lettre::address::Envelope,
    data: Vec<u8>,
}

/// Composes `message` for `config` and encodes it as it goes on the wire.
pub(crate) fn prepare(
    config: &MailConfig,
    message: &MailMessage,
) -> Result<Prepared, DeliveryError> {
    let mail = compose::compose(config, message)?;
    Ok(Prepared {
        envelope: mail.envelope().clone(),
        data: mail.formatted(),
    })
}

/// Sends a prepared mail in one attempt (the caller retries a [`DeliveryError::Temporary`]).
pub(crate) async fn send_prepared(
    config: &MailConfig,
    mail: &Prepared,
) -> Result<(), DeliveryError> {
    let tls = config.tls()?;
    let mut stage = Stage::Connect;
    // lettre's timeout covers the connection; a server that then says nothing must not hold a
    // cron job forever.
    let outcome = tokio::time::timeout(
        WHOLE_EXCHANGE,
        exchange::exchange(config, tls, &mail.envelope, &mail.data, &mut stage),
    )
    .await;
    let result = match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(Failed::Smtp(err))) => Err(failure::classify(config, &err, stage)),
        Ok(Err(Failed::Unsupported(why))) => Err(DeliveryError::Refused(format!(
            "the SMTP server {} cannot take the mail as configured ({why}); check \
             {MAIL_FROM} and {MAIL_TO}",
            config.server
        ))),
        Err(_) => failure::timed_out(config, stage),
    };
    match &result {
        Ok(()) => tracing::debug!("SMTP {} -> accepted", config.server),
        Err(_) => tracing::debug!("SMTP {} -> failed at {stage:?}", config.server),
    }
    result
}

mod address;
mod compose;
mod exchange;
mod failure;

use address::{parse_mailbox, parse_recipients, parse_url};
pub(crate) use compose::{MAX_MAIL_BYTES, attachment_size, wire_size};
use exchange::{Failed, Stage};
#[cfg(test)]
mod tests;
