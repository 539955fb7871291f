//! Mail: a compile seam only, with the public API of the mail channel that replaces this file:
//! [`MailConfig::new`] checks the settings, [`send`] makes one attempt (the caller retries a
//! [`DeliveryError::Temporary`]). Until then every mail is refused.

use std::fmt;

use crate::error::{Failure, Kind};

/// Where and how mail is sent: the server, the sender, the recipients. Never shows the password.
#[derive(Clone)]
pub struct MailConfig {
    server: String,
    to: Vec<String>,
}

impl MailConfig {
    /// Checks the SMTP URL (`smtps://` or `smtp://` with a host), the sender and the recipients (a
    /// comma-separated list); the error is one line naming the variable, never the password.
    pub fn new(smtp_url: &str, from: &str, to: &str) -> Result<Self, String> {
        let url = reqwest::Url::parse(smtp_url.trim()).ok();
        let server = url
            .filter(|u| matches!(u.scheme(), "smtp" | "smtps"))
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port().unwrap_or(25))))
            .ok_or("TIKTOK_REVIEW_SMTP_URL is not a usable SMTP URL; write it as smtps://user:pass@host")?;
        if !from.contains('@') {
            return Err("TIKTOK_REVIEW_MAIL_FROM is not a mail address".into());
        }
        let to: Vec<String> = (to.split(','))
            .map(|one| one.trim().to_string())
            .filter(|one| !one.is_empty())
            .collect();
        if to.is_empty() || to.iter().any(|one| !one.contains('@')) {
            return Err("TIKTOK_REVIEW_MAIL_TO is not a list of mail addresses".into());
        }
        Ok(Self { server, to })
    }
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("server", &self.server)
            .field("to", &self.to)
            .finish()
    }
}

/// One mail of a run: its subject, the Markdown as the text part, the HTML as the HTML part, and
/// the files to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMessage {
    /// The subject line.
    pub subject: String,
    /// The text part: the Markdown report or overview.
    pub text: String,
    /// The HTML part: the HTML report (one account) or the overview (several).
    pub html: String,
    /// Attachments: a file name and its bytes (the HTML reports).
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// Why a message was not delivered, one line that never shows a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth another try (exit 75).
    #[error("{0}")]
    Temporary(String),
    /// Trying again will not help: the configuration must change (exit 78).
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

/// Sends `message`: not built here, so always refused.
pub async fn send(config: &MailConfig, _message: &MailMessage) -> Result<(), DeliveryError> {
    Err(DeliveryError::Refused(format!(
        "mail through {} is not built yet",
        config.server
    )))
}
