//! A delivery secret (a webhook URL with its token, an SMTP URL with its password): its `Debug`
//! and `Display` never show it, and every stderr line has it redacted.

use std::fmt;

/// A secret string: a webhook URL (its path or query holds the token) or an SMTP URL (it holds the
/// password). Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the request only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Every spelling of the secret that output must never show: the whole value, the URL as
    /// normalised, its password, and each path segment or query value long enough to be a token
    /// (16 characters or more; a password of 4 or more).
    pub fn hidden_forms(&self) -> Vec<String> {
        let mut forms = vec![self.0.clone()];
        if let Ok(url) = reqwest::Url::parse(&self.0) {
            forms.push(url.as_str().to_string());
            if let Some(password) = url.password().filter(|p| p.len() >= 4) {
                forms.push(password.to_string());
            }
            let segments = url
                .path_segments()
                .into_iter()
                .flatten()
                .map(str::to_string);
            let values = url.query_pairs().map(|(_, value)| value.into_owned());
            forms.extend(segments.chain(values).filter(|part| part.len() >= 16));
        }
        // Longest first: a token inside the URL must not leave the rest of the URL showing.
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
