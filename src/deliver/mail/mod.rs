//! Mail: the run's one message, sent through the user's SMTP server with `lettre` over rustls.
//!
//! [`MailConfig::new`] checks the SMTP URL and the addresses once, when the configuration is read;
//! [`send`] composes a `multipart/alternative` (the Markdown as text, the HTML as HTML), wrapped in a
//! `multipart/mixed` with the HTML reports attached when there are any, and hands it to the server
//! in one attempt: the caller retries a [`DeliveryError::Temporary`]. The SMTP URL carries a
//! password: no `Debug`, `Display` or error message here shows the URL, the user or the password,
//! only the server's host and port.

use std::fmt;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::error::{Failure, Kind};

/// How long the server may take to accept the connection or answer one command.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The most one whole SMTP exchange (connect to the last reply) may take.
const WHOLE_EXCHANGE: Duration = Duration::from_secs(60);

/// At most this many characters of a server's answer go into an error message.
const MAX_ANSWER_CHARS: usize = 200;

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
                "TIKTOK_REVIEW_MAIL_FROM is not a mail address: \"{}\"; write it as \
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

    /// The sender.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// The recipients, at least one.
    pub fn to(&self) -> &[Mailbox] {
        &self.to
    }

    /// The server as `host:port` (`[::1]:25` for an IPv6 address): what messages and logs name.
    pub fn server(&self) -> String {
        self.server.to_string()
    }

    /// The transport for one message: the server, its security, the login and the timeout.
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, DeliveryError> {
        let server = &self.server;
        let tls_parameters = || {
            TlsParameters::new(server.host.clone()).map_err(|e| {
                DeliveryError::Refused(format!(
                    "setting up TLS for the SMTP server {server}: {}; install the system's CA \
                     certificates, or name the CAs to trust in SSL_CERT_FILE",
                    answer(&innermost(&e).to_string(), self)
                ))
            })
        };
        let tls = match server.security {
            Security::Tls => Tls::Wrapper(tls_parameters()?),
            Security::StartTls => Tls::Required(tls_parameters()?),
            Security::Opportunistic => Tls::Opportunistic(tls_parameters()?),
            Security::Plain => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let Some(hello) = &server.hello {
            builder = builder.hello_name(ClientId::Domain(hello.clone()));
        }
        if let Some(login) = &self.login {
            builder =
                builder.credentials(Credentials::new(login.user.clone(), login.password.clone()));
        }
        Ok(builder.build())
    }

    /// The password, for redaction (empty without one).
    fn password(&self) -> &str {
        self.login.as_ref().map_or("", |l| l.password.as_str())
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
    /// The server could not be reached, timed out, dropped the connection or answered 4xx: worth
    /// another try (exit 75).
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
/// one attempt (the caller retries a [`DeliveryError::Temporary`]).
pub async fn send(config: &MailConfig, message: &MailMessage) -> Result<(), DeliveryError> {
    let mail = compose(config, message)?;
    let transport = config.transport()?;
    // lettre's timeout covers the connection; a server that then says nothing must not hold a
    // cron job forever.
    let Ok(sent) = tokio::time::timeout(WHOLE_EXCHANGE, transport.send(mail)).await else {
        tracing::debug!("SMTP {} -> no answer", config.server);
        return Err(DeliveryError::Temporary(format!(
            "the SMTP server {} did not finish the exchange within {} s",
            config.server,
            WHOLE_EXCHANGE.as_secs()
        )));
    };
    match sent {
        Ok(response) => {
            tracing::debug!("SMTP {} -> {}", config.server, response.code());
            Ok(())
        }
        Err(err) => {
            tracing::debug!("SMTP {} -> failed", config.server);
            Err(classify(config, &err))
        }
    }
}

/// The mail: `multipart/alternative` (text, then HTML, as clients show the last part they can),
/// inside a `multipart/mixed` with the attachments when there are any. Its `Message-ID` is random
/// at the sender's domain (not the machine's name); lettre adds the `Date`.
fn compose(config: &MailConfig, message: &MailMessage) -> Result<Message, DeliveryError> {
    let subject = one_line(&message.subject);
    let mut builder = Message::builder()
        .from(config.from.clone())
        .subject(subject)
        .message_id(Some(format!(
            "<{:032x}@{}>",
            fastrand::u128(..),
            config.from.email.domain()
        )))
        .user_agent(format!("tiktok-review {}", env!("CARGO_PKG_VERSION")));
    for to in &config.to {
        builder = builder.to(to.clone());
    }
    let body = MultiPart::alternative_plain_html(message.text.clone(), message.html.clone());
    let body = if message.attachments.is_empty() {
        body
    } else {
        message.attachments.iter().fold(
            MultiPart::mixed().multipart(body),
            |mixed, (name, bytes)| {
                mixed.singlepart(
                    Attachment::new(one_line(name)).body(bytes.clone(), ContentType::TEXT_HTML),
                )
            },
        )
    };
    builder.multipart(body).map_err(|e| {
        DeliveryError::Refused(format!(
            "composing the mail to send through the SMTP server {}: {}",
            config.server,
            answer(&e.to_string(), config)
        ))
    })
}

/// `text` on one line: no control characters, runs of white space made one space.
fn one_line(text: &str) -> String {
    crate::text::clean(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A server's (or the TLS library's) words, fit for an error line: one clean line, the password
/// redacted in any spelling, at most [`MAX_ANSWER_CHARS`] characters.
fn answer(text: &str, config: &MailConfig) -> String {
    let line = crate::text::redact(&one_line(text), config.password());
    if line.chars().count() <= MAX_ANSWER_CHARS {
        line
    } else {
        let cut: String = line.chars().take(MAX_ANSWER_CHARS).collect();
        format!("{cut}…")
    }
}

/// The error for a failed SMTP exchange: what happened, with the server's host and port and, for
/// what the user must fix, what to do.
fn classify(config: &MailConfig, err: &lettre::transport::smtp::Error) -> DeliveryError {
    use std::io::ErrorKind;
    let server = &config.server;
    // The innermost cause says the most (`invalid peer certificate: UnknownIssuer`), without the
    // wrappers' `Connection error: ` prefixes.
    let said = answer(&innermost(err).to_string(), config);
    if let Some(code) = err.status() {
        let reply = format!("{code} {said}");
        let reply = reply.trim();
        return if err.is_transient() {
            DeliveryError::Temporary(format!(
                "the SMTP server {server} answered {reply}, a temporary failure"
            ))
        } else if code.to_string() == "552" {
            DeliveryError::Refused(format!(
                "the SMTP server {server} refused the mail as too large ({reply})"
            ))
        } else if code.to_string().starts_with("53") {
            DeliveryError::Refused(format!(
                "the SMTP server {server} refused the login ({reply}); check the user and \
                 password in TIKTOK_REVIEW_SMTP_URL"
            ))
        } else {
            DeliveryError::Refused(format!(
                "the SMTP server {server} refused the mail ({reply}); check \
                 TIKTOK_REVIEW_MAIL_FROM and TIKTOK_REVIEW_MAIL_TO"
            ))
        };
    }
    if err.is_response() {
        return DeliveryError::Temporary(format!(
            "the SMTP server {server} answered something that is not SMTP ({said})"
        ));
    }
    if err.is_timeout() {
        return DeliveryError::Temporary(format!(
            "the SMTP server {server} did not answer within {} s",
            TIMEOUT.as_secs()
        ));
    }
    let io = io_kind(err);
    if said.contains("certificate") {
        return DeliveryError::Refused(format!(
            "the SMTP server {server} showed a certificate that is not trusted ({said}); check \
             the host in TIKTOK_REVIEW_SMTP_URL (the name on the server's certificate), or name \
             the CA to trust in SSL_CERT_FILE"
        ));
    }
    if err.is_tls() || io == Some(ErrorKind::InvalidData) {
        return DeliveryError::Refused(format!(
            "could not talk TLS with the SMTP server {server} ({said}); check the scheme and port \
             in TIKTOK_REVIEW_SMTP_URL (smtps:// for port 465, smtp://…?tls=required for 587)"
        ));
    }
    if err.is_client() {
        return DeliveryError::Refused(if said.contains("STARTTLS") {
            format!(
                "the SMTP server {server} does not offer STARTTLS, which tls=required needs; use \
                 its TLS port with smtps:// (usually 465) or its submission port (usually 587)"
            )
        } else if said.contains("authentication mechanism") {
            format!(
                "the SMTP server {server} offers no login method this program speaks (PLAIN, \
                 LOGIN) on this connection; most offer one only over TLS: use smtps:// or \
                 ?tls=required, or leave the user and password out for a relay that needs none"
            )
        } else {
            format!(
                "the SMTP server {server} cannot take the mail as configured ({said}); check \
                 TIKTOK_REVIEW_SMTP_URL"
            )
        });
    }
    let what = match io {
        Some(ErrorKind::ConnectionRefused) => "refused the connection".to_string(),
        Some(
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof,
        ) => "dropped the connection".to_string(),
        _ if said.is_empty() => "could not be reached".to_string(),
        _ => format!("could not be reached ({said})"),
    };
    DeliveryError::Temporary(format!("the SMTP server {server} {what}"))
}

/// The last cause in `err`'s chain (`err` itself when it has none).
fn innermost<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> &'a (dyn std::error::Error + 'static) {
    let mut last = err;
    while let Some(cause) = last.source() {
        last = cause;
    }
    last
}

/// The kind of the first I/O error in `err`'s chain.
fn io_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cause = err.source();
    while let Some(err) = cause {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = err.source();
    }
    None
}

mod address;

use address::{parse_mailbox, parse_recipients, parse_url};
#[cfg(test)]
mod tests;
