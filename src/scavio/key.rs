//! How to reach the Scavio API: its address, the key and the retry rules. The key is a secret: its
//! `Debug` and `Display` never show it, and [`ApiKey::redact`] removes it from any text that came
//! from elsewhere before that text is shown.

use std::fmt;
use std::time::Duration;

use reqwest::Url;

use super::RetryPolicy;

/// The API's address unless `SCAVIO_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.scavio.dev";

/// How to reach the Scavio API.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `https://api.scavio.dev` or the stand-in's address.
    pub base_url: Url,
    /// The secret key.
    pub key: ApiKey,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retry rules.
    pub retry: RetryPolicy,
}

/// The Scavio API key: its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by `***`: as it is, URL-encoded (every byte
    /// outside `A-Z a-z 0-9 - . _ ~` as `%XX`), and in any mix of upper and lower case.
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_string();
        }
        let plain = replace_ignoring_case(text, &self.0);
        let encoded = percent_encode(&self.0);
        if encoded == self.0 {
            plain
        } else {
            replace_ignoring_case(&plain, &encoded)
        }
    }
}

/// `text` with every ASCII-case-insensitive occurrence of `needle` (not empty) replaced by `***`.
fn replace_ignoring_case(text: &str, needle: &str) -> String {
    let (haystack, needle) = (text.as_bytes(), needle.as_bytes());
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at + needle.len() <= haystack.len() {
        if haystack[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            // ASCII folding matches bytes only where they match a whole UTF-8 sequence of the
            // needle, so `copied..at` and the skipped match both lie on char boundaries.
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push_str("***");
            at += needle.len();
            copied = at;
        } else {
            at += 1;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// `text` percent-encoded: every byte outside the URL's unreserved characters as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_key_url_encoded_and_in_any_case() {
        let key = ApiKey::new("sk_live/Ab+c d");
        assert_eq!(
            key.redact(
                "a sk_live/Ab+c d b SK_LIVE/AB+C D c sk_live%2FAb%2Bc%20d d sk_live%2fab%2bC%20D"
            ),
            "a *** b *** c *** d ***"
        );
        let plain = ApiKey::new("sk_live_Secret");
        assert_eq!(
            plain.redact("x=SK_LIVE_SECRET&y=sk_live_secretsk_live_Secret ünï"),
            "x=***&y=****** ünï"
        );
        assert_eq!(ApiKey::new("").redact("nothing"), "nothing");
        assert_eq!(
            ApiKey::new("é").redact("É é e"),
            "É *** e",
            "only ASCII folds"
        );
        assert_eq!(percent_encode("a-._~Z9 /é"), "a-._~Z9%20%2F%C3%A9");
    }
}
