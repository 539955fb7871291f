//! One SMTP exchange, step by step on lettre's connection rather than through its transport (which
//! hides where a failure came), so that a failure is known by the [`Stage`] it came at: until the
//! message's data goes out the server cannot have taken the mail and another try is safe; once it
//! has gone out, the server may have taken it, and only its answer can tell (RFC 5321 §4.1.1.4).
//!
//! The security is the configured one: TLS from the first byte, `STARTTLS` required or when
//! offered, or none; the login (PLAIN or LOGIN) only on the connection so secured.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Quit, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use super::{MailConfig, Security, TIMEOUT};

/// How long the goodbye (`QUIT`) may take once the server has accepted the mail.
const GOODBYE: Duration = Duration::from_secs(5);

/// How far an exchange got: what a failure at that point means for the mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// The connection, TLS, the greeting, `EHLO` and `STARTTLS`: nothing of the mail sent.
    Connect,
    /// `AUTH`: nothing of the mail sent, and the server's answers may echo the credentials.
    Login,
    /// `MAIL FROM`, `RCPT TO` and `DATA` until its `354`: the mail not sent yet.
    Envelope,
    /// The mail's data and its final dot are going out: the server may take it at any moment.
    Message,
    /// The server accepted the mail; only the goodbye is left.
    Accepted,
}

/// Why an exchange stopped: the server or the connection failed (lettre's error), or the mail
/// needs an extension the server does not offer.
#[derive(Debug)]
pub(super) enum Failed {
    /// What lettre reports: an SMTP reply, an I/O or TLS error, an answer that is not SMTP.
    Smtp(Error),
    /// The mail cannot go to this server as it is: why.
    Unsupported(&'static str),
}

impl From<Error> for Failed {
    fn from(err: Error) -> Self {
        Failed::Smtp(err)
    }
}

/// Hands `data` (the formatted mail) to `config`'s server for `envelope`'s recipients, keeping
/// `stage` up to date so that the caller can tell what a failure (or its own timeout) means.
pub(super) async fn exchange(
    config: &MailConfig,
    tls: Option<TlsParameters>,
    envelope: &Envelope,
    data: &[u8],
    stage: &mut Stage,
) -> Result<(), Failed> {
    *stage = Stage::Connect;
    let mut conn = connect(config, tls).await?;
    if let Some(login) = &config.login {
        *stage = Stage::Login;
        let credentials = Credentials::new(login.user.clone(), login.password.clone());
        conn.auth(DEFAULT_MECHANISMS, &credentials).await?;
    }
    *stage = Stage::Envelope;
    let parameters = mail_parameters(&conn, envelope, data).map_err(Failed::Unsupported)?;
    conn.command(Mail::new(envelope.from().cloned(), parameters))
        .await?;
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), vec![])).await?;
    }
    conn.command(Data).await?;
    *stage = Stage::Message;
    conn.message(data).await?;
    *stage = Stage::Accepted;
    // The mail is the server's now: a goodbye that fails or never comes changes nothing.
    let _ = tokio::time::timeout(GOODBYE, conn.command(Quit)).await;
    Ok(())
}

/// The connection, greeted and secured as configured.
async fn connect(
    config: &MailConfig,
    tls: Option<TlsParameters>,
) -> Result<AsyncSmtpConnection, Error> {
    let server = &config.server;
    let hello = match &server.hello {
        Some(name) => ClientId::Domain(name.clone()),
        None => ClientId::default(),
    };
    let wrapper = tls.clone().filter(|_| server.security == Security::Tls);
    let mut conn = AsyncSmtpConnection::connect_tokio1(
        (server.host.as_str(), server.port),
        Some(TIMEOUT),
        &hello,
        wrapper,
        None,
    )
    .await?;
    match (server.security, tls) {
        (Security::StartTls, Some(tls)) => conn.starttls(tls, &hello).await?,
        (Security::Opportunistic, Some(tls)) if conn.can_starttls() => {
            conn.starttls(tls, &hello).await?
        }
        _ => {}
    }
    Ok(conn)
}

/// `MAIL FROM`'s parameters: `SMTPUTF8` for an address beyond ASCII and `BODY=8BITMIME` for a
/// mail beyond ASCII, each only when the server offers it (as lettre's transport does).
fn mail_parameters(
    conn: &AsyncSmtpConnection,
    envelope: &Envelope,
    data: &[u8],
) -> Result<Vec<MailParameter>, &'static str> {
    let offers = |extension| conn.server_info().supports_feature(extension);
    let mut parameters = Vec::new();
    let addresses = envelope.from().into_iter().chain(envelope.to());
    if addresses.map(AsRef::<str>::as_ref).any(|a| !a.is_ascii()) {
        if !offers(Extension::SmtpUtfEight) {
            return Err("an address is not ASCII and the server does not offer SMTPUTF8");
        }
        parameters.push(MailParameter::SmtpUtfEight);
    }
    if !data.is_ascii() {
        if !offers(Extension::EightBitMime) {
            return Err("the mail is not ASCII and the server does not offer 8BITMIME");
        }
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    Ok(parameters)
}
