//! How to reach the Scavio API: its address, the key and the retry rules. The key is a secret: its
//! `Debug` and `Display` never show it, and [`ApiKey::redact`] removes it from any text that came
//! from elsewhere before that text is shown.

use std::fmt;
use std::time::Duration;

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
pub(crate) struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub(crate) fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with the key replaced by `***` in any case and any encoding (see [`crate::text::redact`]).
    pub(crate) fn redact(&self, text: &str) -> String {
        crate::text::redact(text, &self.0)
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
