//! Mail: the run's one message, sent through the user's SMTP server with `lettre` over rustls.
//!
//! [`MailConfig::new`] checks the SMTP URL and the addresses once, when the configuration is read;
//! [`send`] composes a `multipart/alternative` (the Markdown as text, the HTML as HTML), wrapped in a
//! `multipart/mixed` with the HTML reports attached when there are any, and hands it to the server
//! in one attempt: the caller retries a [`DeliveryError::Temporary`]. The SMTP URL carries a
//! password: no `Debug`, `Display` or error message here shows the URL, the user or the password,
//! only the server's host and port.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use reqwest::Url;

use crate::error::{Failure, Kind};

/// How long the server may take to accept the connection or answer one command.
const TIMEOUT: Duration = Duration::from_secs(30);

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

/// The server and login of an SMTP URL; the error never shows the user or the password.
fn parse_url(smtp_url: &str) -> Result<(Server, Option<Login>), String> {
    const WHAT: &str = "TIKTOK_REVIEW_SMTP_URL";
    const FORMS: &str = "smtps://user:pass@host or smtp://user:pass@host:587?tls=required, \
                         with @ : / ? # % in the user or password written as %40 %3A %2F %3F %23 %25";
    let bad = |why: &str| format!("{WHAT} is not a usable SMTP URL: {why}; write it as {FORMS}");
    let url = Url::parse(smtp_url.trim()).map_err(|e| bad(&e.to_string()))?;
    let tls = single_query_value(&url).map_err(|why| bad(&why))?;
    let security = match (url.scheme(), tls.as_deref()) {
        ("smtps", None) => Security::Tls,
        ("smtps", Some(_)) => {
            return Err(bad(
                "smtps:// is TLS from the start and takes no tls= (that is for smtp://)",
            ));
        }
        ("smtp", None) => Security::Plain,
        ("smtp", Some("required")) => Security::StartTls,
        ("smtp", Some("opportunistic")) => Security::Opportunistic,
        ("smtp", Some(other)) => {
            return Err(bad(&format!(
                "tls={} is unknown (tls=required or tls=opportunistic)",
                crate::text::clean(other)
            )));
        }
        (scheme, _) => {
            return Err(bad(&format!(
                "the scheme is {}:// (smtps:// or smtp://)",
                crate::text::clean(scheme)
            )));
        }
    };
    let host = match url.host_str() {
        Some(host) if !host.is_empty() => host.trim_start_matches('[').trim_end_matches(']'),
        _ => return Err(bad("it names no host")),
    };
    if url.fragment().is_some() {
        return Err(bad("it has a #fragment"));
    }
    let hello = match url.path().trim_matches('/') {
        "" => None,
        name if name.contains('/') => return Err(bad("its path is more than an EHLO name")),
        name => Some(name.to_string()),
    };
    let default_port = match security {
        Security::Tls => 465,
        Security::StartTls | Security::Opportunistic => 587,
        Security::Plain => 25,
    };
    let server = Server {
        host: host.to_string(),
        port: url.port().unwrap_or(default_port),
        security,
        hello,
    };
    let login = match (url.username(), url.password()) {
        ("", None) => None,
        ("", Some(_)) => return Err(bad("it has a password but no user")),
        (_, None) => return Err(bad("it has a user but no password")),
        (user, Some(password)) => {
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8()
                    .map(|t| t.into_owned())
                    .map_err(|_| bad("its user or password is not percent-encoded UTF-8"))
            };
            Some(Login {
                user: decode(user)?,
                password: decode(password)?,
            })
        }
    };
    let encrypted = matches!(server.security, Security::Tls | Security::StartTls);
    if login.is_some() && !encrypted && !is_loopback(&server.host) {
        return Err(format!(
            "{WHAT} would send the password to {server} unencrypted; use smtps:// (port 465) or \
             smtp://…:587?tls=required"
        ));
    }
    Ok((server, login))
}

/// The value of the URL's one query parameter, `tls`, if it has one; any other parameter is an
/// error (a misspelt `tls` must not silently mean "unencrypted").
fn single_query_value(url: &Url) -> Result<Option<String>, String> {
    let mut tls = None;
    for (key, value) in url.query_pairs() {
        if key != "tls" {
            return Err(format!(
                "its query parameter {} is unknown (only tls=)",
                crate::text::clean(&key)
            ));
        }
        if tls.replace(value.into_owned()).is_some() {
            return Err("it has tls= twice".into());
        }
    }
    Ok(tls)
}

/// Whether `host` is this machine, where an unencrypted login cannot be overheard.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// The recipients of a comma-separated list: at least one, each a mail address.
fn parse_recipients(list: &str) -> Result<Vec<Mailbox>, String> {
    let mut to = Vec::new();
    for item in split_list(list) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mailbox = parse_mailbox(item).ok_or_else(|| {
            format!(
                "TIKTOK_REVIEW_MAIL_TO has \"{}\", which is not a mail address; write the \
                 recipients as a@example.com, Name <b@example.com>",
                crate::text::clean(item)
            )
        })?;
        to.push(mailbox);
    }
    if to.is_empty() {
        return Err(
            "TIKTOK_REVIEW_MAIL_TO names no recipient; write the recipients as \
                    a@example.com, Name <b@example.com>"
                .into(),
        );
    }
    Ok(to)
}

/// `list` split at the commas that are outside quotes and angle brackets.
fn split_list(list: &str) -> Vec<&str> {
    let (mut items, mut start) = (Vec::new(), 0);
    let (mut quoted, mut angled, mut escaped) = (false, false, false);
    for (at, c) in list.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' if !quoted && !angled => {
                items.push(&list[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

/// One mailbox, `a@example.com` or `Name <a@example.com>`, all of `text` and nothing else (the
/// parser of `lettre` stops quietly at what it cannot read).
fn parse_mailbox(text: &str) -> Option<Mailbox> {
    let mailbox = Mailbox::from_str(text).ok()?;
    let address: &str = mailbox.email.as_ref();
    let whole = if text.contains('<') {
        text.ends_with(&format!("<{address}>"))
    } else {
        text == address
    };
    whole.then_some(mailbox)
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
}

impl DeliveryError {
    /// The error kind deciding the exit code: [`Kind::TempFail`] (75) or [`Kind::Config`] (78).
    pub fn kind(&self) -> Kind {
        match self {
            DeliveryError::Temporary(_) => Kind::TempFail,
            DeliveryError::Refused(_) => Kind::Config,
        }
    }

    /// Whether another try may succeed.
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
    match transport.send(mail).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    const TO: &str = "team@example.com";
    const FROM: &str = "Reviews <reviews@example.com>";

    fn config(url: &str) -> Result<MailConfig, String> {
        MailConfig::new(url, FROM, TO)
    }

    fn server(url: &str) -> Server {
        config(url).unwrap().server
    }

    #[test]
    fn each_scheme_has_its_security_and_default_port() {
        let cases = [
            ("smtps://u:p@mail.example.com", Security::Tls, 465),
            (
                "smtp://u:p@mail.example.com?tls=required",
                Security::StartTls,
                587,
            ),
            (
                "smtp://localhost?tls=opportunistic",
                Security::Opportunistic,
                587,
            ),
            ("smtp://localhost", Security::Plain, 25),
            ("smtps://u:p@mail.example.com:2465", Security::Tls, 2465),
        ];
        for (url, security, port) in cases {
            let server = server(url);
            assert_eq!((server.security, server.port), (security, port), "{url}");
        }
    }

    #[test]
    fn the_login_is_percent_decoded() {
        let config = config("smtps://me%40example.com:p%40ss%3Aw%2Fd@mail.example.com").unwrap();
        let login = config.login.unwrap();
        assert_eq!(login.user, "me@example.com");
        assert_eq!(login.password, "p@ss:w/d");
    }

    #[test]
    fn the_path_names_the_ehlo_greeting() {
        assert_eq!(
            server("smtps://u:p@mail.example.com/host.example.org").hello,
            Some("host.example.org".into())
        );
        assert_eq!(server("smtps://u:p@mail.example.com/").hello, None);
    }

    #[test]
    fn an_ipv6_host_loses_its_brackets_and_shows_them_again() {
        let config = config("smtp://u:p@[::1]:2525").unwrap();
        assert_eq!(config.server.host, "::1");
        assert_eq!(config.server(), "[::1]:2525");
    }

    #[test]
    fn unusable_urls_are_refused_without_showing_the_password() {
        let cases = [
            ("http://u:hunter2@mail.example.com", "the scheme is http://"),
            (
                "smtp://u:hunter2@mail.example.com?tls=starttls",
                "tls=starttls is unknown",
            ),
            (
                "smtp://u:hunter2@mail.example.com?tsl=required",
                "tsl is unknown",
            ),
            (
                "smtps://u:hunter2@mail.example.com?tls=required",
                "takes no tls=",
            ),
            (
                "smtp://u:hunter2@mail.example.com?tls=required&tls=none",
                "tls= twice",
            ),
            (
                "smtps://:hunter2@mail.example.com",
                "a password but no user",
            ),
            ("smtps://u@mail.example.com", "a user but no password"),
            (
                "smtps://u:hunter2@mail.example.com/a/b",
                "more than an EHLO name",
            ),
            ("smtps://u:hunter2@mail.example.com#x", "fragment"),
            ("smtps://u:hunter2@:465", "empty host"),
            ("smtps://u:hunter2@mail.example.com:99999", "invalid port"),
            (
                "smtps://u:hunter2%ff@mail.example.com",
                "not percent-encoded UTF-8",
            ),
            ("mail.example.com", "relative URL"),
            ("", "relative URL"),
        ];
        for (url, why) in cases {
            let err = config(url).unwrap_err();
            assert!(
                err.starts_with("TIKTOK_REVIEW_SMTP_URL is not a usable SMTP URL: "),
                "{err}"
            );
            assert!(err.contains(why), "{url}: {err}");
            assert!(!err.contains("hunter2") && !err.contains("u:"), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn a_password_is_never_sent_unencrypted_to_another_machine() {
        for url in [
            "smtp://u:hunter2@mail.example.com",
            "smtp://u:hunter2@mail.example.com:587?tls=opportunistic",
            "smtp://u:hunter2@10.0.0.5",
        ] {
            let err = config(url).unwrap_err();
            assert!(err.contains("would send the password to"), "{err}");
            assert!(err.contains("unencrypted"), "{err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        for url in [
            "smtp://u:p@localhost:2525",
            "smtp://u:p@127.0.0.1:2525",
            "smtp://u:p@[::1]:2525",
            "smtp://mail.example.com",
        ] {
            assert!(config(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn recipients_are_a_comma_separated_list_of_addresses() {
        let config = MailConfig::new(
            "smtp://localhost",
            "me@example.com",
            " a@example.com,\"Doe, Jane\" <jane@example.com> , Bob <B@Example.com>,",
        )
        .unwrap();
        let to: Vec<String> = config.to.iter().map(|m| m.email.to_string()).collect();
        assert_eq!(to, ["a@example.com", "jane@example.com", "B@Example.com"]);
        assert_eq!(config.to[1].name.as_deref(), Some("Doe, Jane"));
    }

    #[test]
    fn addresses_that_are_not_entirely_addresses_are_refused() {
        for to in [
            "",
            " , ",
            "a@example.com b@example.com",
            "not an address",
            "a@",
            "<a@example.com> x",
            "A <a@example.com> <b@example.com>",
        ] {
            let err = MailConfig::new("smtp://localhost", "me@example.com", to).unwrap_err();
            assert!(err.starts_with("TIKTOK_REVIEW_MAIL_TO "), "{to:?}: {err}");
        }
        for from in [
            "",
            "me",
            "me@example.com, you@example.com",
            "Me <me@example.com",
        ] {
            let err = MailConfig::new("smtp://localhost", from, TO).unwrap_err();
            assert!(
                err.starts_with("TIKTOK_REVIEW_MAIL_FROM is not a mail address"),
                "{from:?}: {err}"
            );
        }
    }

    #[test]
    fn debug_and_display_never_show_the_login() {
        let config = config("smtps://reviewer:hunter2@mail.example.com").unwrap();
        for shown in [
            format!("{config:?}"),
            format!("{config:#?}"),
            config.to_string(),
        ] {
            assert!(
                !shown.contains("hunter2") && !shown.contains("reviewer"),
                "{shown}"
            );
            assert!(shown.contains("mail.example.com:465"), "{shown}");
        }
        assert_eq!(
            config.to_string(),
            "mail to team@example.com through mail.example.com:465"
        );
    }

    #[test]
    fn delivery_errors_map_onto_exit_codes() {
        assert_eq!(DeliveryError::Temporary("x".into()).kind().exit_code(), 75);
        assert_eq!(DeliveryError::Refused("x".into()).kind().exit_code(), 78);
        let failure = Failure::from(DeliveryError::Refused("the SMTP server x:1 refused".into()));
        assert_eq!(failure.kind, Kind::Config);
        assert_eq!(failure.to_string(), "the SMTP server x:1 refused");
    }

    #[test]
    fn answers_are_one_clean_short_line_without_the_password() {
        let config = config("smtps://u:hunter%232@mail.example.com").unwrap();
        assert_eq!(
            answer(
                "535 bad\r\n password HUNTER#2 or hunter%232\x1b[31m",
                &config
            ),
            "535 bad password *** or ***"
        );
        let long = answer(&"x".repeat(500), &config);
        assert_eq!(long.chars().count(), MAX_ANSWER_CHARS + 1);
    }

    fn message(attachments: Vec<(String, Vec<u8>)>) -> MailMessage {
        MailMessage {
            subject: "Weekly\r\nBcc: evil@example.com review".into(),
            text: "# Review\n\nViews ▲ 12 %\n".into(),
            html: "<h1>Review</h1><p>Views ▲ 12 %</p>".into(),
            attachments,
        }
    }

    #[test]
    fn without_attachments_the_mail_is_multipart_alternative() {
        let config = config("smtp://localhost").unwrap();
        let mail =
            String::from_utf8(compose(&config, &message(vec![])).unwrap().formatted()).unwrap();
        assert!(
            mail.contains("Content-Type: multipart/alternative"),
            "{mail}"
        );
        assert!(!mail.contains("multipart/mixed"), "{mail}");
        assert!(
            mail.contains("Subject: Weekly Bcc: evil@example.com review\r\n"),
            "{mail}"
        );
        assert!(!mail.contains("\r\nBcc:"), "{mail}");
        assert!(mail.is_ascii(), "7-bit safe for any server");
    }

    #[test]
    fn with_attachments_the_alternative_sits_inside_multipart_mixed() {
        let config = config("smtp://localhost").unwrap();
        let files = vec![("report_2026-11-29.html".to_string(), b"<p>a</p>".to_vec())];
        let mail =
            String::from_utf8(compose(&config, &message(files)).unwrap().formatted()).unwrap();
        let mixed = mail.find("multipart/mixed").unwrap();
        let alternative = mail.find("multipart/alternative").unwrap();
        let attachment = mail.find("filename=\"report_2026-11-29.html\"").unwrap();
        assert!(mixed < alternative && alternative < attachment, "{mail}");
    }
}
