//! A delivery secret (a webhook URL with its token, an SMTP URL with its password): its `Debug`
//! and `Display` never show it, and every stderr line has it redacted in every form it can take.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use percent_encoding::percent_decode_str;

/// Query parameters that describe a request rather than authorise it: a Teams (Logic Apps)
/// workflow URL's `api-version`, `sp` and `sv` (its `sig` is the secret), and an SMTP URL's `tls`.
const PUBLIC_PARAMETERS: [&str; 4] = ["api-version", "sp", "sv", "tls"];

/// A secret string: a webhook URL (its path, query or user name holds the token) or an SMTP URL
/// (it holds the password). Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub(crate) fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the request only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Every spelling of the secret that output must never show, whatever its length: the whole
    /// value and the URL as normalised; its user and password as written and percent-decoded,
    /// and the base64 a server sees of them (HTTP Basic `user:pass`, SMTP `AUTH PLAIN`
    /// `\0user\0pass`, `AUTH LOGIN`'s password alone; without a password, the user itself);
    /// every path segment and query value that may be a token (not a lowercase route word, an
    /// API version or a small number), but the values of the public parameters (`api-version`,
    /// `sp`, `sv`, `tls`), as written, percent-decoded and form-decoded (`+` as a space); the
    /// fragment. Longest first, so that a
    /// token inside the URL never leaves the rest of the URL showing. ([`crate::text::redact`]
    /// finds each in any case and with any byte percent-encoded.)
    pub(crate) fn hidden_forms(&self) -> Vec<String> {
        let mut forms = vec![self.0.clone(), self.0.trim().to_string()];
        if let Ok(url) = reqwest::Url::parse(self.0.trim()) {
            forms.push(url.as_str().to_string());
            let password = (url.password()).map(|p| (p.to_string(), decoded(p)));
            let user = (!url.username().is_empty())
                .then(|| (url.username().to_string(), decoded(url.username())));
            forms.extend(credential_forms(
                user.as_ref().map_or("", |(_, d)| d.as_str()),
                password.as_ref().map(|(_, d)| d.as_str()),
            ));
            forms.extend(password.iter().map(|(raw, _)| raw.clone()));
            if password.is_none() {
                // Without a password, the user name is the token.
                forms.extend(user.iter().map(|(raw, _)| raw.clone()));
            }
            if matches!(url.scheme(), "http" | "https") {
                let segments = url.path_segments().into_iter().flatten();
                for segment in segments.filter(|s| !is_route(s)) {
                    forms.extend([segment.to_string(), decoded(segment)]);
                }
                for pair in url.query().unwrap_or_default().split('&') {
                    let (key, value) = pair.split_once('=').unwrap_or(("", pair));
                    if !PUBLIC_PARAMETERS.contains(&decoded(key).as_str()) && !is_route(value) {
                        forms.extend([
                            value.to_string(),
                            decoded(value),
                            decoded(&value.replace('+', " ")),
                        ]);
                    }
                }
            }
            forms.extend(url.fragment().map(str::to_string));
        }
        forms.retain(|form| !form.is_empty());
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms
    }
}

/// The forms a login takes on the wire, beside the user and password themselves: the base64 of
/// HTTP Basic's `user:pass`, of SMTP `AUTH PLAIN`'s `\0user\0pass` (and `user\0user\0pass`, with
/// the user as authorisation identity), and of `AUTH LOGIN`'s password alone; without a password,
/// the user is the token: itself and the base64 of `user:` and of `user`. A server that echoes
/// what it received shows one of these.
pub(crate) fn credential_forms(user: &str, password: Option<&str>) -> Vec<String> {
    let base64 = |text: String| STANDARD_NO_PAD.encode(text);
    let forms = match password {
        Some(password) => vec![
            password.to_string(),
            base64(format!("{user}:{password}")),
            base64(format!("\0{user}\0{password}")),
            base64(format!("{user}\0{user}\0{password}")),
            base64(password.to_string()),
        ],
        None if !user.is_empty() => vec![
            user.to_string(),
            base64(format!("{user}:")),
            base64(user.to_string()),
        ],
        None => Vec::new(),
    };
    forms.into_iter().filter(|f| !f.is_empty()).collect()
}

/// Whether a path segment or query value describes the request rather than authorises it: a
/// route word of lowercase letters, `_` and `-` shorter than 16 characters (`services`,
/// `webhooks`, `report`, `tiktok_review`), an API version (`v1`), or a small number (`2`, `1.0`:
/// at most four digits and dots). Hiding those would garble every line that holds the word; a
/// token has a digit, a capital, another sign or the length of one, and is hidden however short
/// (no answer that could echo it is quoted in the first place).
fn is_route(part: &str) -> bool {
    let word = part.len() < 16
        && part
            .chars()
            .all(|c| c.is_ascii_lowercase() || "_-".contains(c));
    let version = (part.strip_prefix('v'))
        .is_some_and(|n| n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()));
    let number = part.len() <= 4 && part.chars().all(|c| c.is_ascii_digit() || c == '.');
    !part.is_empty() && (word || version || number)
}

/// `text` percent-decoded (bytes that are not UTF-8 as U+FFFD); `+` stays a `+`.
fn decoded(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hides(url: &str, form: &str) -> bool {
        let text = format!("echo: {form} end");
        let hidden = (Secret::new(url).hidden_forms().iter())
            .fold(text, |text, f| crate::text::redact(&text, f));
        !hidden.contains(form)
    }

    #[test]
    fn every_form_of_a_token_is_hidden_however_short() {
        let slack = "https://hooks.example/services/T0001/B0002/shortTok12345";
        assert!(hides(slack, "shortTok12345"));
        assert!(hides(slack, "/services/T0001/B0002/shortTok12345"));
        let query = "https://x.example/in?token=abc123secret&v=2";
        assert!(hides(query, "abc123secret"));
        let plus = "https://x.example/in?token=ab+cd%2Fef";
        for form in ["ab+cd%2Fef", "ab+cd/ef", "ab cd/ef", "ab%2Bcd%2Fef"] {
            assert!(hides(plus, form), "{form}");
        }
        let encoded = "https://x.example/hook/Tok%2Fen%2BSecret99";
        for form in ["Tok%2Fen%2BSecret99", "Tok/en+Secret99"] {
            assert!(hides(encoded, form), "{form}");
        }
        let basic = "https://alice:pa%3Ass@x.example/hook";
        for form in ["pa:ss", "pa%3Ass", "YWxpY2U6cGE6c3M", "cGE6c3M"] {
            assert!(hides(basic, form), "{form}");
        }
        let user_token = "https://tok3n@x.example/hook";
        for form in ["tok3n", "dG9rM246", "dG9rM24"] {
            assert!(hides(user_token, form), "{form}");
        }
        let smtp = "smtps://me%40x.example:hunter2@mail.example:465";
        for form in ["hunter2", "AG1lQHguZXhhbXBsZQBodW50ZXIy", "aHVudGVyMg"] {
            assert!(hides(smtp, form), "{form}");
        }
    }

    #[test]
    fn route_words_and_public_parameters_stay_readable() {
        let forms = Secret::new(
            "https://x.example/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1g",
        )
        .hidden_forms();
        for public in [
            "workflows",
            "triggers",
            "invoke",
            "2016-06-01",
            "1.0",
            "/triggers/manual/run",
        ] {
            assert!(!forms.iter().any(|f| f == public), "{public}: {forms:?}");
        }
        assert!(forms.iter().any(|f| f == "s1g") && forms.iter().any(|f| f == "abc123"));
        let smtp = Secret::new("smtp://u:p4ss@mail.example:587/client.example?tls=required");
        assert!(
            !smtp
                .hidden_forms()
                .iter()
                .any(|f| f == "required" || f == "client.example")
        );
    }
}
