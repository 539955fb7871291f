//! Mail over SMTP: a seam only, so that the rest of delivery builds; the mail channel replaces it.

use super::{DeliveryError, Secret};

/// A mail address with an optional display name, as `TIKTOK_REVIEW_MAIL_FROM` and `_TO` give it.
pub type Mailbox = String;

/// Where the mail goes: the server (`smtp://` or `smtps://`, with its credentials), the sender and
/// the recipients.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The SMTP URL; it holds the password.
    pub url: Secret,
    /// The sender.
    pub from: Mailbox,
    /// The recipients (at least one).
    pub to: Vec<Mailbox>,
}

/// One mail: the subject, the Markdown as text, the HTML, and the files attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMessage {
    /// The subject line.
    pub subject: String,
    /// The text part (Markdown).
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// `(file name, bytes)` of each attachment.
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// Sends `message`: not built yet, so always refused.
pub async fn send(_config: &MailConfig, _message: &MailMessage) -> Result<(), DeliveryError> {
    Err(DeliveryError::refused(
        "mail is not built yet: unset TIKTOK_REVIEW_SMTP_URL, TIKTOK_REVIEW_MAIL_FROM and TIKTOK_REVIEW_MAIL_TO",
    ))
}
