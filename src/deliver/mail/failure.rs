//! What a failed SMTP exchange means, as one line naming the server by host and port: worth another
//! try (the server surely did not take the mail), a refusal to fix in the configuration, or a mail
//! that may have arrived (it went out and no answer came back), by the stage the exchange reached.
//!
//! A server's words are quoted only where they cannot carry what we sent it: never the answer to a
//! login (a server may echo the `AUTH` it received, the password in base64), and always with every
//! form of the password redacted.

use std::io::ErrorKind;

use lettre::transport::smtp::Error;

use super::exchange::Stage;
use super::{DeliveryError, MAIL_FROM, MAIL_TO, MailConfig, SMTP_URL, WHOLE_EXCHANGE};
use crate::text::one_line;

/// At most this many characters of a server's answer go into an error message.
pub(super) const MAX_ANSWER_CHARS: usize = 200;

/// The error for an exchange that failed with `err` at `stage`.
pub(super) fn classify(config: &MailConfig, err: &Error, stage: Stage) -> DeliveryError {
    match stage {
        Stage::Login => login_failure(config, err),
        Stage::Message if err.status().is_none() => lost_answer(config, err),
        _ => failure(config, err),
    }
}

/// The error for an exchange still running after [`WHOLE_EXCHANGE`], at `stage`; none once the
/// server accepted the mail (only the goodbye was left).
pub(super) fn timed_out(config: &MailConfig, stage: Stage) -> Result<(), DeliveryError> {
    let server = &config.server;
    match stage {
        Stage::Accepted => Ok(()),
        Stage::Message => Err(DeliveryError::MayHaveArrived(format!(
            "the SMTP server {server} took the mail's data but did not confirm it within {} s",
            WHOLE_EXCHANGE.as_secs()
        ))),
        Stage::Connect | Stage::Login | Stage::Envelope => Err(DeliveryError::Temporary(format!(
            "the SMTP server {server} did not finish the exchange within {} s",
            WHOLE_EXCHANGE.as_secs()
        ))),
    }
}

/// A failure without an SMTP reply once the mail's data went out: the server may have taken it.
fn lost_answer(config: &MailConfig, err: &Error) -> DeliveryError {
    let server = &config.server;
    let dropped = matches!(
        io_kind(err),
        Some(
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof
        )
    ) || (err.is_response() && innermost(err).to_string() == "incomplete response");
    DeliveryError::MayHaveArrived(if dropped {
        format!(
            "the SMTP server {server} dropped the connection after the mail was sent, before \
             confirming it"
        )
    } else if err.is_response() {
        format!(
            "the SMTP server {server} answered something that is not SMTP after the mail was sent"
        )
    } else {
        format!("the SMTP server {server} failed after the mail was sent, before confirming it")
    })
}

/// A failed login. Its answer is never quoted, only its codes (`535 5.7.8`): a server may echo the
/// credentials it received.
fn login_failure(config: &MailConfig, err: &Error) -> DeliveryError {
    let server = &config.server;
    if let Some(code) = err.status() {
        let codes = match enhanced_code(&innermost(err).to_string()) {
            Some(enhanced) => format!("{code} {enhanced}"),
            None => code.to_string(),
        };
        return if err.is_transient() {
            DeliveryError::Temporary(format!(
                "the SMTP server {server} answered the login with {codes}, a temporary failure"
            ))
        } else {
            DeliveryError::Refused(format!(
                "the SMTP server {server} refused the login ({codes}); check the user and \
                 password in {SMTP_URL}"
            ))
        };
    }
    if err.is_response() {
        return DeliveryError::Temporary(format!(
            "the SMTP server {server} answered the login with something that is not SMTP"
        ));
    }
    failure(config, err)
}

/// `5.7.8` when `text` starts with an enhanced status code (RFC 3463): digits and dots, which
/// cannot carry a credential.
fn enhanced_code(text: &str) -> Option<&str> {
    let word = text.split_whitespace().next()?;
    let parts: Vec<&str> = word.split('.').collect();
    let valid = parts.len() == 3
        && matches!(parts[0], "2" | "4" | "5")
        && (parts[1..].iter())
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    valid.then_some(word)
}

/// A server's (or the TLS library's) words, fit for an error line: one clean line, every form of
/// the password redacted, at most [`MAX_ANSWER_CHARS`] characters.
pub(super) fn answer(text: &str, config: &MailConfig) -> String {
    let line = (config.hidden_forms().iter()).fold(one_line(text), |line, form| {
        crate::text::redact(&line, form)
    });
    if line.chars().count() <= MAX_ANSWER_CHARS {
        line
    } else {
        let cut: String = line.chars().take(MAX_ANSWER_CHARS).collect();
        format!("{cut}…")
    }
}

/// The error for a failed SMTP exchange before the mail's data went out, or answered with a
/// reply code after it: what happened, with the server's host and port and, for what the user
/// must fix, what to do.
fn failure(config: &MailConfig, err: &Error) -> DeliveryError {
    let server = &config.server;
    // The innermost cause says the most (`invalid peer certificate: UnknownIssuer`), without the
    // wrappers' `Connection error: ` prefixes.
    let said = answer(&innermost(err).to_string(), config);
    if let Some(code) = err.status() {
        // The reply's codes only, never its words: a server may echo what it received.
        let reply = match enhanced_code(&innermost(err).to_string()) {
            Some(enhanced) => format!("{code} {enhanced}"),
            None => code.to_string(),
        };
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
                 password in {SMTP_URL}"
            ))
        } else {
            DeliveryError::Refused(format!(
                "the SMTP server {server} refused the mail ({reply}); check \
                 {MAIL_FROM} and {MAIL_TO}"
            ))
        };
    }
    if err.is_response() {
        return DeliveryError::Temporary(format!(
            "the SMTP server {server} answered something that is not SMTP"
        ));
    }
    if err.is_timeout() {
        return DeliveryError::Temporary(format!(
            "the SMTP server {server} did not answer within {} s",
            super::TIMEOUT.as_secs()
        ));
    }
    let io = io_kind(err);
    if said.contains("certificate") {
        return DeliveryError::Refused(format!(
            "the SMTP server {server} showed a certificate that is not trusted ({said}); check \
             the host in {SMTP_URL} (the name on the server's certificate), or name \
             the CA to trust in SSL_CERT_FILE"
        ));
    }
    if err.is_tls() || io == Some(ErrorKind::InvalidData) {
        return DeliveryError::Refused(format!(
            "could not talk TLS with the SMTP server {server} ({said}); check the scheme and port \
             in {SMTP_URL} (smtps:// for port 465, smtp://…?tls=required for 587)"
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
                 {SMTP_URL}"
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
pub(super) fn innermost<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> &'a (dyn std::error::Error + 'static) {
    let mut last = err;
    while let Some(cause) = last.source() {
        last = cause;
    }
    last
}

/// The kind of the first I/O error in `err`'s chain.
fn io_kind(err: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    let mut cause = err.source();
    while let Some(err) = cause {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = err.source();
    }
    None
}
