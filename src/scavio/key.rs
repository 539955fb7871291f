//! How to reach the Scavio API: its address, the key and the retry rules. The key is a secret: its
//! `Debug` and `Display` never show it, and [`ApiKey::redact`] removes it from any text that came
//! from elsewhere before that text is shown.

use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use reqwest::Url;

use crate::retry::RetryPolicy;

/// The API's address unless `SCAVIO_BASE_URL` says otherwise.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.scavio.dev";

/// How to reach the Scavio API.
#[derive(Debug, Clone)]
pub(crate) struct ApiConfig {
    /// `https://api.scavio.dev` or the stand-in's address.
    pub(crate) base_url: Url,
    /// The secret key.
    pub(crate) key: ApiKey,
    /// Per-request timeout.
    pub(crate) timeout: Duration,
    /// Retry rules.
    pub(crate) retry: RetryPolicy,
    /// The wall clock, for `Retry-After` dates: chosen by the configuration, the one reader of it.
    pub(crate) clock: fn() -> DateTime<Utc>,
}

/// The Scavio API key: its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ApiKey {
    /// The key.
    key: String,
    /// Every form it can take in an answer that echoes it (see [`ApiKey::hidden_forms`]), made
    /// once: every caption and hashtag read is redacted with them.
    forms: Vec<String>,
}

impl ApiKey {
    /// Wraps a key.
    pub(crate) fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        let bytes = key.as_bytes();
        let mut forms = vec![
            key.clone(),
            STANDARD_NO_PAD.encode(bytes),
            URL_SAFE_NO_PAD.encode(bytes),
        ];
        forms.retain(|form| !form.is_empty());
        forms.dedup();
        Self { key, forms }
    }

    /// The key itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.key
    }

    /// Every form the key can take in an answer that echoes it: itself (which
    /// [`crate::text::redact`] also finds in any case and any URL or JSON encoding) and its base64,
    /// standard and URL-safe (the padding, if any, follows the unpadded form and is left).
    pub(crate) fn hidden_forms(&self) -> &[String] {
        &self.forms
    }

    /// `text` with the key replaced by `***` in any of its [`ApiKey::hidden_forms`].
    pub(crate) fn redact(&self, text: &str) -> String {
        (self.forms.iter()).fold(text.to_string(), |text, form| {
            crate::text::redact(&text, form)
        })
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
