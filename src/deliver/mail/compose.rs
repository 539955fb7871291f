//! The mail as it goes on the wire: its MIME tree from a [`MailMessage`], and its size in bytes
//! once encoded (base64, quoted-printable, CRLF line ends and the SMTP dot-stuffing), so that the
//! caller can keep it under what servers take. No I/O.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};

use super::{DeliveryError, MailConfig, MailMessage, failure::answer};
use crate::text::one_line;

/// The most a mail may weigh on the wire: 10 MB, under Postfix's default `message_size_limit`
/// (10,240,000 bytes), the smallest limit common servers set (Gmail takes 25 MB).
pub(crate) const MAX_MAIL_BYTES: usize = 10_000_000;

/// A MIME boundary line, `--` and lettre's 40 characters and CRLF: what each part of a multipart
/// adds besides itself.
const BOUNDARY_LINE: usize = 2 + 40 + 2;

/// The mail: `multipart/alternative` (text, then HTML, as clients show the last part they can),
/// inside a `multipart/mixed` with the attachments when there are any. Its `Message-ID` is random
/// at the sender's domain (not the machine's name); lettre adds the `Date`.
pub(super) fn compose(
    config: &MailConfig,
    message: &MailMessage,
) -> Result<Message, DeliveryError> {
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
            |mixed, (name, bytes)| mixed.singlepart(attachment(name, bytes)),
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

/// An HTML file attached under `name`.
fn attachment(name: &str, bytes: &[u8]) -> SinglePart {
    Attachment::new(one_line(name)).body(bytes.to_vec(), ContentType::TEXT_HTML)
}

/// How many bytes `message` takes on the wire, sent to `config`'s recipients: the encoded mail with
/// its headers, the dots SMTP doubles at the start of a line, and the final `CRLF.CRLF`.
pub(crate) fn wire_size(
    config: &MailConfig,
    message: &MailMessage,
) -> Result<usize, DeliveryError> {
    Ok(on_the_wire(&compose(config, message)?.formatted()))
}

/// How many bytes attaching `bytes` as `name` adds to a mail on the wire (base64 and its headers
/// included); exact, whatever else the mail holds, once it has one attachment.
pub(crate) fn attachment_size(name: &str, bytes: &[u8]) -> usize {
    let part = attachment(name, bytes).formatted();
    BOUNDARY_LINE + part.len() + doubled_dots(&part)
}

/// The size of a whole mail, `formatted`, once dot-stuffed and ended with `CRLF.CRLF`.
fn on_the_wire(formatted: &[u8]) -> usize {
    formatted.len() + doubled_dots(formatted) + b"\r\n.\r\n".len()
}

/// How many lines of `formatted` start with a dot, which SMTP doubles (RFC 5321 §4.5.2).
fn doubled_dots(formatted: &[u8]) -> usize {
    (formatted.split(|&b| b == b'\n'))
        .filter(|line| line.starts_with(b"."))
        .count()
}
